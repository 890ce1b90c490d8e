/*
 * The benchmark harness: how a probe is described, timed and reported.
 *
 * A probe is a setup / run / teardown triple. run(st, n) performs n
 * operations; the harness calibrates n so that one repetition lasts about
 * the time budget, repeats it, and prints one machine-readable line per
 * probe (see docs/bench.md):
 *
 *   probe NAME MEDIAN_NS MIN_NS MAX_NS REPS iters=N bytes=B
 *   probe NAME unsupported ERRNO
 *   probe NAME failed WHY
 *
 * The times are per operation, measured with CLOCK_MONOTONIC inside the
 * system under test.
 */
#ifndef BENCH_HARNESS_H
#define BENCH_HARNESS_H

#include <stdint.h>

/* Settings every probe may read (from the command line). */
struct bench_opts {
	int quick;              /* few iterations: keep it working, not measure */
	int reps;               /* repetitions per probe */
	long budget_ms;         /* wanted length of one repetition */
	int timeout_s;          /* a probe running longer is killed */
	int pipelines;          /* pipelines in the shell-script workload */
	const char *self;       /* path of this program, for execve */
	const char *dir;        /* a directory on a tmpfs */
	const char *busybox;    /* a static BusyBox */
	const char *path;       /* PATH for the shell workload */
};

extern struct bench_opts opts;

/*
 * struct probe - one measurement.
 * @name:     short name, one word
 * @bytes:    bytes moved per operation (bandwidth probes), else 0
 * @fixed:    if non-zero, the number of operations per repetition (no
 *            calibration; for slow whole-workload probes)
 * @setup:    prepares *state; returns 0 or a positive errno meaning
 *            "unsupported here"
 * @run:      performs n operations; returns 0 or a positive errno
 * @teardown: releases the state (may be NULL)
 */
struct probe {
	const char *name;
	long bytes;
	long fixed;
	int (*setup)(void **state);
	int (*run)(void *state, long n);
	void (*teardown)(void *state);
};

/* The probes, in the order they run (probes_*.c). */
extern const struct probe probes_proc[];
extern const struct probe probes_io[];

uint64_t now_ns(void);
const char *errno_name(int err);

/**
 * bench_run_probe - measure one probe and print its line.
 * @p: the probe
 *
 * Runs in a child process (a probe that crashes or hangs cannot take the
 * rest with it) when fork works, else in this process.
 * Return: 0 if it was measured or is unsupported, 1 if it failed.
 */
int bench_run_probe(const struct probe *p);

#endif
