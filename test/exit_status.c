/*
 * exit_status: the exit status reaches the parent intact. argv[1] is the
 * status (default 0); argv[2] picks how the process ends:
 *   return      (default) return from main, i.e. musl's exit()
 *   exit_group  raw exit_group(2) from main
 *   exit        raw exit(2) of the only thread, which ends the process
 * Only the low 8 bits of the status survive, so 300 arrives as 44.
 */
#include <stdlib.h>

#include "lib/tap.h"

int main(int argc, char **argv)
{
	int status = argc > 1 ? atoi(argv[1]) : 0;
	const char *how = argc > 2 ? argv[2] : "return";

	tap_plan(1);
	ok(1, "about to end the process");
	tap_diag("exiting with status %d via %s", status, how);
	if (strcmp(how, "exit_group") == 0)
		sysc(SYS_exit_group, status);
	else if (strcmp(how, "exit") == 0)
		sysc(SYS_exit, status);
	else if (strcmp(how, "return") == 0)
		return status;
	tap_diag("still alive after %s", how);
	return 99;
}
