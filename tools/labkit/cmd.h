/* cmd.h — the labkit subcommands; each lives in cmd_<name>.c. */
#ifndef LABKIT_CMD_H
#define LABKIT_CMD_H

int cmd_spec(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_build(int argc, char **argv);
int cmd_xref(int argc, char **argv);
int cmd_help(int argc, char **argv);

#endif
