/*
 * hello: the smallest useful program. Prints "hello, world" through musl's
 * stdio (which writes with writev) and through write(2) on stdout and
 * stderr, then exits 0. The runner checks the text arrived.
 */
#include <stdio.h>

#include "lib/tap.h"

int main(void)
{
	static const char line[] = "hello from write\n";
	int n;

	n = printf("hello, world\n");
	ok(fflush(stdout) == 0 && n == 13, "printf + fflush of hello, world succeeds");
	ok_eq(sysc(SYS_write, 1, line, sizeof(line) - 1), sizeof(line) - 1,
	      "write(1) returns the byte count");
	ok_eq(sysc(SYS_write, 2, "hello on stderr\n", 16), 16,
	      "write(2) to stderr returns the byte count");
	ok_eq(sysc(SYS_write, 1, line, 0), 0, "write of 0 bytes returns 0");
	return tap_done();
}
