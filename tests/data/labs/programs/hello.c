/* A user program the guest runs: compiled on the host, statically. */
#include <stdio.h>

#include "greeting.h"

int greet(const char *who);

int main(int argc, char **argv)
{
	return greet(argc > 1 ? argv[1] : GREETING_WHO);
}
