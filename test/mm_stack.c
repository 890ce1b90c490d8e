/*
 * The main thread's stack grows on demand: deep recursion and a touch
 * far below the stack pointer work within RLIMIT_STACK, raising the
 * limit lets it grow further, and running past the limit kills the
 * process with SIGSEGV.
 *
 *   mm_stack          growth within the default 8 MiB limit (TAP)
 *   mm_stack raise    raise RLIMIT_STACK to 64 MiB, then grow to 16 MiB (TAP)
 *   mm_stack overflow recurse without end under an 8 MiB limit: SIGSEGV
 */
#include <sys/resource.h>

#include "lib/tap.h"

/* Recurse @depth frames of about 1 KiB each; returns a sum so nothing is optimised away. */
static __attribute__((noinline)) long recurse(long depth)
{
	volatile char frame[1000];

	frame[0] = (char)depth;
	frame[999] = 1;
	if (depth == 0)
		return frame[999];
	return recurse(depth - 1) + frame[0] - (char)depth + frame[999];
}

static __attribute__((noinline)) int touch_far_below(size_t bytes)
{
	volatile char *sp = (volatile char *)__builtin_frame_address(0);
	sp[-(long)bytes] = 42;
	return sp[-(long)bytes] == 42;
}

/* Set the soft limit, keeping the hard one. */
static int set_stack_limit(rlim_t bytes)
{
	struct rlimit rl;
	long err = sysc(SYS_getrlimit, RLIMIT_STACK, &rl);

	if (err)
		return (int)err;
	rl.rlim_cur = bytes;
	return (int)sysc(SYS_setrlimit, RLIMIT_STACK, &rl);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "overflow") == 0) {
		set_stack_limit(8UL << 20);
		tap_plan(1);
		recurse(1L << 40);
		ok(0, "unbounded recursion returned");
		return 1;
	}
	ok_eq(set_stack_limit(8UL << 20), 0, "RLIMIT_STACK can be set to 8 MiB");
	ok_eq(recurse(4000), 4001, "recursion 4 MiB deep works");
	ok(touch_far_below(2UL << 20), "a touch 2 MiB below the stack pointer grows the stack");
	if (argc > 1 && strcmp(argv[1], "raise") == 0) {
		ok_eq(set_stack_limit(64UL << 20), 0, "RLIMIT_STACK can be raised to 64 MiB");
		ok_eq(recurse(16000), 16001, "then recursion 16 MiB deep works");
	}
	return tap_done();
}
