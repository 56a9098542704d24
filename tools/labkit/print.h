/* print.h — the labkit command's end of events.h: what the library
 * reports is printed here, and only here. */
#ifndef LABKIT_PRINT_H
#define LABKIT_PRINT_H

/* Installs the printing callbacks (main() does, first thing). */
void print_install(void);

#endif
