/*
 * futex_ops: the futex(2) operations a single thread can observe, and
 * every error: EAGAIN when the word differs, ETIMEDOUT for relative and
 * absolute (monotonic and realtime) timeouts, EINVAL for unaligned
 * words, bad timespecs, zero bitsets and negative requeue counts, EFAULT
 * for bad words and timeout pointers, ENOSYS for unknown operations and
 * WAKE_OP encodings; WAKE_OP's arithmetic on the second word for every
 * operation (including the shifted operand); set_robust_list and
 * get_robust_list with their errors. Waking and requeueing real waiters
 * is in futex_wake.c.
 */
#include <time.h>

#include "lib/tap.h"

#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_FD 2
#define FUTEX_REQUEUE 3
#define FUTEX_CMP_REQUEUE 4
#define FUTEX_WAKE_OP 5
#define FUTEX_WAIT_BITSET 9
#define FUTEX_WAKE_BITSET 10
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CLOCK_REALTIME 256
#define FUTEX_OP(op, oparg, cmp, cmparg) \
	((((op) & 0xf) << 28) | (((cmp) & 0xf) << 24) | (((oparg) & 0xfff) << 12) | ((cmparg) & 0xfff))

static long futex(void *uaddr, int op, unsigned val, const void *ts, void *uaddr2, unsigned val3)
{
	return sysc(SYS_futex, uaddr, op, val, ts, uaddr2, val3);
}

static long long now_ns(clockid_t clk)
{
	struct timespec ts;

	sysc(SYS_clock_gettime, clk, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static struct timespec ns_to_ts(long long ns)
{
	struct timespec ts = { ns / 1000000000LL, ns % 1000000000LL };
	return ts;
}

static void check_wait_errors(void *unmapped)
{
	static unsigned word[2] = { 5, 0 };
	struct timespec bad_nsec = { 0, 1000000000L }, neg = { -1, 0 }, zero = { 0, 0 };

	ok_eq(futex(&word[0], FUTEX_WAIT, 4, NULL, NULL, 0), -EAGAIN,
	      "FUTEX_WAIT on a word holding another value is EAGAIN");
	ok_eq(futex(&word[0], FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 4, NULL, NULL, 0), -EAGAIN,
	      "FUTEX_WAIT_PRIVATE on a word holding another value is EAGAIN");
	ok_eq(futex((char *)word + 1, FUTEX_WAIT, 5, NULL, NULL, 0), -EINVAL,
	      "FUTEX_WAIT on an unaligned word is EINVAL");
	ok_eq(futex((char *)word + 2, FUTEX_WAKE, 1, NULL, NULL, 0), -EINVAL,
	      "FUTEX_WAKE on an unaligned word is EINVAL");
	ok_eq(futex(BAD_LOW_PTR + 3, FUTEX_WAIT, 0, NULL, NULL, 0), -EFAULT,
	      "FUTEX_WAIT on address 4 is EFAULT");
	ok_eq(futex(unmapped, FUTEX_WAIT, 0, NULL, NULL, 0), -EFAULT,
	      "FUTEX_WAIT on an unmapped page is EFAULT");
	ok_eq(futex(unmapped, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 0, NULL, NULL, 0), -EFAULT,
	      "FUTEX_WAIT_PRIVATE on an unmapped page is EFAULT");
	ok_eq(futex(KERNEL_PTR, FUTEX_WAIT, 0, NULL, NULL, 0), -EFAULT,
	      "FUTEX_WAIT on a kernel address is EFAULT");
	ok_eq(futex(unmapped, FUTEX_WAKE, 1, NULL, NULL, 0), -EFAULT,
	      "shared FUTEX_WAKE on an unmapped page is EFAULT");
	ok_eq(futex(&word[0], FUTEX_WAIT, 5, BAD_LOW_PTR, NULL, 0), -EFAULT,
	      "FUTEX_WAIT with a bad timeout pointer is EFAULT");
	ok_eq(futex(&word[0], FUTEX_WAIT, 5, &bad_nsec, NULL, 0), -EINVAL,
	      "FUTEX_WAIT with tv_nsec = 1e9 is EINVAL");
	ok_eq(futex(&word[0], FUTEX_WAIT, 5, &neg, NULL, 0), -EINVAL,
	      "FUTEX_WAIT with a negative tv_sec is EINVAL");
	ok_eq(futex(&word[0], FUTEX_WAIT, 4, &zero, NULL, 0), -EAGAIN,
	      "a differing value wins over an expired timeout (EAGAIN)");
	ok_eq(futex(&word[0], FUTEX_WAIT_BITSET, 5, NULL, NULL, 0), -EINVAL,
	      "FUTEX_WAIT_BITSET with bitset 0 is EINVAL");
	ok_eq(futex(&word[0], FUTEX_WAKE_BITSET, 1, NULL, NULL, 0), -EINVAL,
	      "FUTEX_WAKE_BITSET with bitset 0 is EINVAL");
	ok_eq(futex(&word[0], 99, 0, NULL, NULL, 0), -ENOSYS, "an unknown futex operation is ENOSYS");
	ok_eq(futex(&word[0], FUTEX_FD, 0, NULL, NULL, 0), -ENOSYS, "FUTEX_FD (removed) is ENOSYS");
	ok_eq(futex(&word[0], FUTEX_WAKE | FUTEX_CLOCK_REALTIME, 1, NULL, NULL, 0), -ENOSYS,
	      "FUTEX_CLOCK_REALTIME with FUTEX_WAKE is ENOSYS");
}

static void check_timeouts(void)
{
	static unsigned word = 7;
	struct timespec rel = { 0, 20 * 1000000L }, abs;
	long long t0, t1;

	t0 = now_ns(CLOCK_MONOTONIC);
	ok_eq(futex(&word, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 7, &rel, NULL, 0), -ETIMEDOUT,
	      "FUTEX_WAIT with a 20 ms relative timeout is ETIMEDOUT");
	t1 = now_ns(CLOCK_MONOTONIC);
	ok_why(t1 - t0 >= 20000000LL, "the relative timeout waited at least 20 ms",
	       "waited %lld ns", t1 - t0);
	rel.tv_nsec = 0;
	ok_eq(futex(&word, FUTEX_WAIT, 7, &rel, NULL, 0), -ETIMEDOUT,
	      "FUTEX_WAIT with a zero timeout is ETIMEDOUT at once");

	t0 = now_ns(CLOCK_MONOTONIC);
	abs = ns_to_ts(t0 + 20000000LL);
	ok_eq(futex(&word, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG, 7, &abs, NULL, ~0u), -ETIMEDOUT,
	      "FUTEX_WAIT_BITSET with an absolute CLOCK_MONOTONIC deadline is ETIMEDOUT");
	t1 = now_ns(CLOCK_MONOTONIC);
	ok_why(t1 >= t0 + 20000000LL, "the monotonic deadline was reached",
	       "woke %lld ns early", t0 + 20000000LL - t1);
	abs = ns_to_ts(1);  /* 1 ns after boot */
	ok_eq(futex(&word, FUTEX_WAIT_BITSET, 7, &abs, NULL, ~0u), -ETIMEDOUT,
	      "FUTEX_WAIT_BITSET with a deadline in the past is ETIMEDOUT");

	t0 = now_ns(CLOCK_REALTIME);
	abs = ns_to_ts(t0 + 20000000LL);
	ok_eq(futex(&word, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, 7, &abs, NULL, ~0u), -ETIMEDOUT,
	      "FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME with an absolute deadline is ETIMEDOUT");
	t1 = now_ns(CLOCK_REALTIME);
	ok_why(t1 >= t0 + 20000000LL, "the realtime deadline was reached",
	       "woke %lld ns early", t0 + 20000000LL - t1);
}

static void check_wakes_without_waiters(void *unmapped)
{
	static unsigned a = 1, b = 2;

	ok_eq(futex(&a, FUTEX_WAKE, 1, NULL, NULL, 0), 0, "FUTEX_WAKE with no waiters wakes 0");
	ok_eq(futex(&a, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 0x7fffffff, NULL, NULL, 0), 0,
	      "FUTEX_WAKE_PRIVATE of all with no waiters wakes 0");
	ok_eq(futex(&a, FUTEX_WAKE_BITSET, 1, NULL, NULL, ~0u), 0,
	      "FUTEX_WAKE_BITSET with no waiters wakes 0");
	ok_eq(futex(&a, FUTEX_REQUEUE, 1, (void *)1L, &b, 0), 0,
	      "FUTEX_REQUEUE with no waiters moves 0");
	ok_eq(futex(&a, FUTEX_CMP_REQUEUE, 1, (void *)1L, &b, 1), 0,
	      "FUTEX_CMP_REQUEUE with a matching value and no waiters moves 0");
	ok_eq(futex(&a, FUTEX_CMP_REQUEUE, 1, (void *)1L, &b, 2), -EAGAIN,
	      "FUTEX_CMP_REQUEUE with a differing value is EAGAIN");
	ok_eq(futex(&a, FUTEX_CMP_REQUEUE, 1, (void *)-1L, &b, 1), -EINVAL,
	      "FUTEX_CMP_REQUEUE with a negative requeue count is EINVAL");
	ok_eq(futex(&a, FUTEX_CMP_REQUEUE, -1, (void *)1L, &b, 1), -EINVAL,
	      "FUTEX_CMP_REQUEUE with a negative wake count is EINVAL");
	ok_eq(futex(&a, FUTEX_CMP_REQUEUE, 1, (void *)1L, (char *)&b + 1, 1), -EINVAL,
	      "FUTEX_CMP_REQUEUE to an unaligned second word is EINVAL");
	ok_eq(futex(unmapped, FUTEX_CMP_REQUEUE, 1, (void *)1L, &b, 1), -EFAULT,
	      "FUTEX_CMP_REQUEUE reading an unmapped word is EFAULT");
}

/* One WAKE_OP on a fresh second word: the result and the word after it. */
static void wake_op_case(unsigned start, int op, int oparg, unsigned want, const char *desc)
{
	static unsigned w1, w2;
	long r;

	w2 = start;
	r = futex(&w1, FUTEX_WAKE_OP | FUTEX_PRIVATE_FLAG, 1, (void *)1L, &w2,
		  FUTEX_OP(op, oparg, 0, 0));
	ok_why(r == 0 && w2 == want, desc, "returned %ld, word %#x, want 0 and %#x", r, w2, want);
}

static void check_wake_op(void *unmapped)
{
	static unsigned w1, w2 = 3;
	static const unsigned ro = 0;

	wake_op_case(3, 0, 9, 9, "WAKE_OP SET stores the operand");
	wake_op_case(3, 1, 9, 12, "WAKE_OP ADD adds the operand");
	wake_op_case(3, 2, 0x10, 0x13, "WAKE_OP OR ors the operand");
	wake_op_case(7, 3, 2, 5, "WAKE_OP ANDN clears the operand's bits");
	wake_op_case(6, 4, 3, 5, "WAKE_OP XOR xors the operand");
	wake_op_case(3, 1, -1, 2, "WAKE_OP ADD sign-extends a 12-bit operand");
	wake_op_case(0, 8 | 0, 4, 16, "WAKE_OP with FUTEX_OP_OPARG_SHIFT stores 1 << operand");
	wake_op_case(1, 8 | 2, 31, 0x80000001u, "WAKE_OP OR with FUTEX_OP_OPARG_SHIFT 31");
	ok_eq(futex(&w1, FUTEX_WAKE_OP, 1, (void *)1L, &w2, FUTEX_OP(5, 0, 0, 0)), -ENOSYS,
	      "WAKE_OP with an unknown operation is ENOSYS");
	w2 = 3;
	ok_eq(futex(&w1, FUTEX_WAKE_OP, 1, (void *)1L, &w2, FUTEX_OP(0, 4, 6, 0)), -ENOSYS,
	      "WAKE_OP with an unknown comparison is ENOSYS");
	ok_eq(futex(&w1, FUTEX_WAKE_OP, 1, (void *)1L, unmapped, FUTEX_OP(0, 1, 0, 0)), -EFAULT,
	      "WAKE_OP on an unmapped second word is EFAULT");
	ok_eq(futex(&w1, FUTEX_WAKE_OP, 1, (void *)1L, (void *)&ro, FUTEX_OP(0, 1, 0, 0)), -EFAULT,
	      "WAKE_OP on a read-only second word is EFAULT");
	ok_eq(futex(&w1, FUTEX_WAKE_OP, 1, (void *)1L, (char *)&w2 + 1, FUTEX_OP(0, 1, 0, 0)),
	      -EINVAL, "WAKE_OP on an unaligned second word is EINVAL");
}

static void check_robust_list(void)
{
	static struct { void *next; long off; void *pending; } head = { &head, 0, NULL };
	void *got = NULL;
	size_t len = 0;

	ok_eq(sysc(SYS_set_robust_list, &head, sizeof(head) + 1), -EINVAL,
	      "set_robust_list with a wrong length is EINVAL");
	ok_eq(sysc(SYS_set_robust_list, &head, sizeof(head)), 0, "set_robust_list succeeds");
	ok_eq(sysc(SYS_get_robust_list, 0, &got, &len), 0, "get_robust_list(0) succeeds");
	ok(got == &head && len == sizeof(head), "get_robust_list returns the head and its length");
	got = NULL;
	ok_eq(sysc(SYS_get_robust_list, sysc(SYS_gettid), &got, &len), 0,
	      "get_robust_list of our own tid succeeds");
	ok(got == &head, "get_robust_list by tid returns the same head");
	ok_eq(sysc(SYS_get_robust_list, 0x3fffffff, &got, &len), -ESRCH,
	      "get_robust_list of a missing tid is ESRCH");
	ok_eq(sysc(SYS_get_robust_list, 0, BAD_LOW_PTR, &len), -EFAULT,
	      "get_robust_list into a bad head pointer is EFAULT");
	ok_eq(sysc(SYS_get_robust_list, 0, &got, BAD_LOW_PTR), -EFAULT,
	      "get_robust_list into a bad length pointer is EFAULT");
}

int main(void)
{
	void *unmapped = unmapped_page();

	check_wait_errors(unmapped);
	check_timeouts();
	check_wakes_without_waiters(unmapped);
	check_wake_op(unmapped);
	check_robust_list();
	return tap_done();
}
