/*
 * Helpers for the process-model tests (test/proc_*.c): raw fork and wait,
 * memory shared with children, short sleeps and bounded polling.
 *
 * Children made with raw_fork() must leave with sysc(SYS_exit_group, n)
 * (or _exit), never by returning from main: returning would run the
 * parent's TAP summary a second time.
 */
#ifndef TEST_PROC_H
#define TEST_PROC_H

#include <signal.h>
#include <sys/wait.h>
#include <time.h>

#include "tap.h"

/* raw_fork() - fork(2) itself, without musl's wrapper (atfork, locks). */
static inline long raw_fork(void)
{
	return sysc(SYS_fork);
}

/* child_exit() - end a forked child at once with status @st. */
static inline __attribute__((noreturn)) void child_exit(int st)
{
	for (;;)
		sysc(SYS_exit_group, st);
}

/* reap() - wait4(@pid) for a termination; Return: wait4's result. */
static inline long reap(long pid, int *status)
{
	return sysc(SYS_wait4, pid, status, 0, 0);
}

/* shared_mem() - @len bytes of zeroed anonymous MAP_SHARED memory. */
static inline void *shared_mem(size_t len)
{
	long p = sysc(SYS_mmap, 0, len, 3 /* RW */, 0x21 /* SHARED|ANON */, -1, 0);

	return p < 0 && p > -4096 ? NULL : (void *)p;
}

/* msleep() - nanosleep for @ms milliseconds (restarted after EINTR). */
static inline void msleep(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (sysc(SYS_nanosleep, &ts, &ts) == -EINTR)
		;
}

/*
 * poll_until() - wait up to @ms milliseconds, in 1 ms steps, until *@p
 * differs from @old. Return: nonzero when it changed.
 */
static inline int poll_until(volatile int *p, int old, long ms)
{
	for (long i = 0; i < ms; i++) {
		if (*p != old)
			return 1;
		msleep(1);
	}
	return *p != old;
}

/* status_str() - a wait status as text, for diagnostics. */
static inline const char *status_str(int st, char *buf, size_t len)
{
	if (WIFEXITED(st))
		snprintf(buf, len, "exited %d", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		snprintf(buf, len, "killed by %d%s", WTERMSIG(st), WCOREDUMP(st) ? " (core)" : "");
	else if (WIFSTOPPED(st))
		snprintf(buf, len, "stopped by %d", WSTOPSIG(st));
	else if (WIFCONTINUED(st))
		snprintf(buf, len, "continued");
	else
		snprintf(buf, len, "status 0x%x", st);
	return buf;
}

/* ok_status() - check a wait status against @want (exact match). */
static inline int ok_status(int got, int want, const char *desc)
{
	char g[48], w[48];

	return ok_why(got == want, desc, "got %s, want %s", status_str(got, g, sizeof(g)),
		      status_str(want, w, sizeof(w)));
}

#endif
