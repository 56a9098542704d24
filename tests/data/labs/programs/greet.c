#include <stdio.h>

int greet(const char *who)
{
	printf("hello, %s (%s)\n", who, LABKIT_GREETING);
	return 0;
}
