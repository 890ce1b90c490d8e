/*
 * The benchmark harness: calibration, repetitions, statistics, the output
 * line, and isolation of each probe in a child process with a watchdog.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#define MAX_REPS 64

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Names for the errors a missing feature gives; others print as E<n>. */
static const struct {
	int err;
	const char *name;
} errnames[] = {
	{ ENOSYS, "ENOSYS" }, { EINVAL, "EINVAL" }, { ENOENT, "ENOENT" },
	{ EFAULT, "EFAULT" }, { EPERM, "EPERM" }, { ENOMEM, "ENOMEM" },
	{ EACCES, "EACCES" }, { EAGAIN, "EAGAIN" }, { EBADF, "EBADF" },
	{ ENOTDIR, "ENOTDIR" }, { EROFS, "EROFS" }, { ENODEV, "ENODEV" },
	{ EOPNOTSUPP, "EOPNOTSUPP" }, { ENOTTY, "ENOTTY" }, { ESPIPE, "ESPIPE" },
	{ ENOEXEC, "ENOEXEC" }, { EIO, "EIO" }, { EINTR, "EINTR" },
	{ ECHILD, "ECHILD" }, { EPIPE, "EPIPE" }, { ENOSPC, "ENOSPC" },
	{ EEXIST, "EEXIST" }, { EISDIR, "EISDIR" }, { EMFILE, "EMFILE" },
};

const char *errno_name(int err)
{
	static char buf[16];
	size_t i;

	for (i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
		if (errnames[i].err == err)
			return errnames[i].name;
	snprintf(buf, sizeof(buf), "E%d", err);
	return buf;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Time one repetition of n operations; 0 on success, else an errno. */
static int timed(const struct probe *p, void *st, long n, uint64_t *ns)
{
	uint64_t t0 = now_ns();
	int err = p->run(st, n);

	*ns = now_ns() - t0;
	return err;
}

/*
 * Find n such that n operations take about the budget: grow n until one
 * run is long enough to be measured (a tenth of the budget), then scale.
 */
static int calibrate(const struct probe *p, void *st, long *n)
{
	uint64_t budget = (uint64_t)opts.budget_ms * 1000000u, ns;
	long iters = 1;
	int err;

	if (p->fixed) {
		*n = p->fixed;
		return 0;
	}
	for (;;) {
		err = timed(p, st, iters, &ns);
		if (err)
			return err;
		if (ns >= budget / 10 || iters >= (1L << 30))
			break;
		iters *= ns < budget / 1000 ? 16 : 4;
	}
	if (ns == 0)
		ns = 1;
	*n = (long)((double)iters * (double)budget / (double)ns);
	if (*n < 1)
		*n = 1;
	return 0;
}

/* The measurement itself; prints the probe line. 0 ok/unsupported, 1 failed. */
static int measure(const struct probe *p)
{
	uint64_t per_op[MAX_REPS], ns;
	void *st = NULL;
	long n = 1;
	int err, r, reps = opts.reps;

	if (reps > MAX_REPS)
		reps = MAX_REPS;
	/* Whole workloads are slow and steady: three runs say enough. */
	if (p->fixed && reps > 3)
		reps = 3;
	err = p->setup ? p->setup(&st) : 0;
	if (err) {
		printf("probe %s unsupported %s\n", p->name, errno_name(err));
		return 0;
	}
	err = calibrate(p, st, &n);
	for (r = 0; !err && r < reps; r++) {
		err = timed(p, st, n, &ns);
		per_op[r] = ns / (uint64_t)n;
	}
	if (p->teardown)
		p->teardown(st);
	if (err) {
		printf("probe %s failed %s\n", p->name, errno_name(err));
		return 1;
	}
	qsort(per_op, (size_t)reps, sizeof(per_op[0]), cmp_u64);
	printf("probe %s %llu %llu %llu %d iters=%ld bytes=%ld\n", p->name,
	       (unsigned long long)per_op[reps / 2], (unsigned long long)per_op[0],
	       (unsigned long long)per_op[reps - 1], reps, n, p->bytes);
	return 0;
}

/*
 * Wait for the probe's child, killing it at the deadline. The child also
 * has an alarm; this is the second line for a kernel without alarm() or
 * one that cannot interrupt what the child is stuck in. Returns the wait
 * status, or -1 with errno.
 */
static int wait_deadline(pid_t pid, int *timed_out)
{
	uint64_t deadline = now_ns() + ((uint64_t)opts.timeout_s + 5) * 1000000000u;
	/* Poll quickly at first, then rarely: few wake-ups during a probe. */
	struct timespec tick = { 0, 1000 * 1000 };
	int st;
	pid_t r;

	*timed_out = 0;
	for (;;) {
		r = waitpid(pid, &st, *timed_out ? 0 : WNOHANG);
		if (r == pid)
			return st;
		if (r < 0 && errno != EINTR)
			return -1;
		if (r == 0 && now_ns() > deadline) {
			kill(pid, SIGKILL);
			*timed_out = 1;
		}
		if (r == 0) {
			nanosleep(&tick, NULL);
			if (tick.tv_nsec < 100 * 1000 * 1000)
				tick.tv_nsec *= 2;
		}
	}
}

int bench_run_probe(const struct probe *p)
{
	int st, timed_out;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		/* No fork: measure here, without the safety net. */
		return measure(p);
	}
	if (pid == 0) {
		/* The watchdog: SIGALRM's default action ends a hung probe. */
		signal(SIGALRM, SIG_DFL);
		alarm((unsigned)opts.timeout_s);
		st = measure(p);
		fflush(stdout);
		_exit(st);
	}
	st = wait_deadline(pid, &timed_out);
	if (st == -1) {
		printf("probe %s failed wait-%s\n", p->name, errno_name(errno));
		return 1;
	}
	if (WIFEXITED(st))
		return WEXITSTATUS(st) != 0;
	if (timed_out || (WIFSIGNALED(st) && WTERMSIG(st) == SIGALRM))
		printf("probe %s failed timeout\n", p->name);
	else if (WIFSIGNALED(st))
		printf("probe %s failed signal-%d\n", p->name, WTERMSIG(st));
	else
		printf("probe %s failed status-%#x\n", p->name, st);
	return 1;
}
