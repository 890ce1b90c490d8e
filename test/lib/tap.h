/*
 * A tiny TAP (Test Anything Protocol) producer for conformance tests.
 *
 * Output goes straight to fd 1 with write(2), unbuffered, so that every
 * line already printed survives if the test is killed by a signal.
 * The plan ("1..N") is printed by tap_done() at the end unless the test
 * announced it up front with tap_plan(); a missing plan therefore tells
 * the runner that the test died early.
 */
#ifndef TEST_TAP_H
#define TEST_TAP_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sys.h"

static int tap_count;
static int tap_failed;
static int tap_planned = -1;

static inline void tap_write(const char *buf, size_t len)
{
	while (len > 0) {
		long n = sysc(SYS_write, 1, buf, len);

		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

__attribute__((format(printf, 1, 2)))
static inline void tap_printf(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(buf))
		n = sizeof(buf) - 1;
	tap_write(buf, (size_t)n);
}

/* tap_errname() - symbolic name of a negative errno result, for diagnostics. */
static inline const char *tap_errname(long r)
{
	static const struct { int e; const char *name; } names[] = {
		{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { ESRCH, "ESRCH" },
		{ EINTR, "EINTR" }, { EIO, "EIO" }, { E2BIG, "E2BIG" },
		{ ENOEXEC, "ENOEXEC" }, { EBADF, "EBADF" }, { EAGAIN, "EAGAIN" },
		{ ENOMEM, "ENOMEM" }, { EACCES, "EACCES" }, { EFAULT, "EFAULT" },
		{ EEXIST, "EEXIST" }, { EINVAL, "EINVAL" }, { ENOTTY, "ENOTTY" },
		{ ENOSPC, "ENOSPC" }, { ESPIPE, "ESPIPE" }, { ERANGE, "ERANGE" },
		{ ENOSYS, "ENOSYS" }, { EOVERFLOW, "EOVERFLOW" },
		{ EOPNOTSUPP, "EOPNOTSUPP" },
	};

	if (r >= 0 || r < -4095)
		return "";
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].e == -r)
			return names[i].name;
	return "E?";
}

/* tap_plan() - announce the number of checks before running them. */
static inline void tap_plan(int n)
{
	tap_planned = n;
	tap_printf("1..%d\n", n);
}

/* tap_diag() - a "# ..." comment line. */
#define tap_diag(...)                   \
	do {                            \
		tap_printf("# ");       \
		tap_printf(__VA_ARGS__);\
		tap_printf("\n");       \
	} while (0)

/**
 * ok_why() - record one check.
 * @cond: nonzero when the check passed
 * @desc: what behaviour was checked
 * @fmt: printf format for the details shown after '#' when it failed
 * Return: @cond, normalised to 0/1.
 */
__attribute__((format(printf, 3, 4)))
static inline int ok_why(int cond, const char *desc, const char *fmt, ...)
{
	char why[512];
	va_list ap;

	tap_count++;
	if (cond) {
		tap_printf("ok %d - %s\n", tap_count, desc);
		return 1;
	}
	tap_failed++;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	tap_printf("not ok %d - %s # %s\n", tap_count, desc, why);
	return 0;
}

/* ok() - record a check that needs no details. */
static inline int ok(int cond, const char *desc)
{
	return ok_why(cond, desc, "%s", "condition false");
}

/* ok_eq() - check a (raw syscall) result against the wanted value. */
static inline int ok_eq(long got, long want, const char *desc)
{
	return ok_why(got == want, desc, "got %ld%s%s, want %ld%s%s", got,
		      got < 0 ? " " : "", tap_errname(got), want,
		      want < 0 ? " " : "", tap_errname(want));
}

/* tap_done() - print the plan if not yet printed; Return: exit status. */
static inline int tap_done(void)
{
	if (tap_planned < 0)
		tap_printf("1..%d\n", tap_count);
	else if (tap_planned != tap_count)
		tap_diag("planned %d checks but ran %d", tap_planned, tap_count);
	if (tap_failed)
		tap_diag("%d of %d checks failed", tap_failed, tap_count);
	return tap_failed || (tap_planned >= 0 && tap_planned != tap_count);
}

#endif
