/*
 * stack: the main thread's stack is large enough for ordinary programs.
 * Linux lets it grow to RLIMIT_STACK (8 MiB by default); this uses 6 MiB
 * of it, page by page from the top down, and checks the contents.
 */
#include <alloca.h>

#include "lib/tap.h"

#define DEPTH (6UL << 20)

/* Recursion with a big frame: each level keeps 64 KiB live. */
static int recurse(int n)
{
	volatile char frame[64 * 1024];

	frame[0] = (char)n;
	frame[sizeof(frame) - 1] = (char)n;
	if (n == 0)
		return 0;
	int r = recurse(n - 1);
	return r + (frame[0] == (char)n && frame[sizeof(frame) - 1] == (char)n ? 0 : 1);
}

int main(void)
{
	volatile char *big = alloca(DEPTH);
	int good = 1;

	for (long off = (long)DEPTH - 1; off >= 0; off -= PAGE)
		big[off] = (char)(off >> 12);
	for (long off = (long)DEPTH - 1; off >= 0; off -= PAGE)
		good &= big[off] == (char)(off >> 12);
	ok(good, "6 MiB of stack, touched from the top down, keeps its contents");
	ok_eq(recurse(16), 0, "16 levels of 64 KiB frames keep their contents");
	return tap_done();
}
