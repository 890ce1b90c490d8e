/*
 * jbench: the Jinux benchmark program, in the spirit of lmbench. One static
 * binary that runs unchanged on Jinux (both targets), on Linux in QEMU, on
 * User-Mode Linux and natively; bench/run.py compares what it prints.
 *
 *   jbench [--quick] [--reps N] [--budget-ms MS] [--timeout S]
 *          [--pipelines N] [--dir DIR] [--busybox PATH] [--path PATH]
 *          [--only NAME[,NAME...]]
 *   jbench --hello      print "init: up" and exit (boot timing)
 *   jbench --exit       exit at once (the fork_exec probe's child)
 *
 * Exit status: 0 when every probe was measured or reported unsupported,
 * 1 when one failed (crashed, hung, returned an unexpected error), 2 on a
 * usage error.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

struct bench_opts opts = {
	.reps = 5,
	.budget_ms = 200,
	.timeout_s = 300,
	.pipelines = 200,
	.dir = "/tmp",
	.busybox = "/bin/busybox",
	.path = "/bin",
};

static const char *only;

static void usage(void)
{
	fputs("usage: jbench [--quick] [--reps N] [--budget-ms MS] [--timeout S]\n"
	      "              [--pipelines N] [--dir DIR] [--busybox PATH] [--path PATH]\n"
	      "              [--only NAME[,NAME...]] | --hello | --exit\n", stderr);
	exit(2);
}

/* Is name in the comma-separated --only list (or is there no list)? */
static int selected(const char *name)
{
	const char *p = only;
	size_t len = strlen(name);

	if (!p)
		return 1;
	while (*p) {
		if (!strncmp(p, name, len) && (p[len] == ',' || !p[len]))
			return 1;
		p = strchr(p, ',');
		if (!p)
			break;
		p++;
	}
	return 0;
}

static long number(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (!*s || *end || v <= 0)
		usage();
	return v;
}

static void parse(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--quick")) {
			opts.quick = 1;
			opts.reps = 1;
			opts.budget_ms = 5;
			opts.pipelines = 3;
			opts.timeout_s = 60;
			continue;
		}
		if (!v)
			usage();
		i++;
		if (!strcmp(a, "--reps"))
			opts.reps = (int)number(v);
		else if (!strcmp(a, "--budget-ms"))
			opts.budget_ms = number(v);
		else if (!strcmp(a, "--timeout"))
			opts.timeout_s = (int)number(v);
		else if (!strcmp(a, "--pipelines"))
			opts.pipelines = (int)number(v);
		else if (!strcmp(a, "--dir"))
			opts.dir = v;
		else if (!strcmp(a, "--busybox"))
			opts.busybox = v;
		else if (!strcmp(a, "--path"))
			opts.path = v;
		else if (!strcmp(a, "--only"))
			only = v;
		else
			usage();
	}
}

static int run_all(const struct probe *list)
{
	int failed = 0;

	for (; list->name; list++)
		if (selected(list->name))
			failed |= bench_run_probe(list);
	return failed;
}

int main(int argc, char **argv)
{
	int failed;

	if (argc == 2 && !strcmp(argv[1], "--exit"))
		_exit(0);
	if (argc == 2 && !strcmp(argv[1], "--hello")) {
		static const char up[] = "init: up\n";

		return write(1, up, sizeof(up) - 1) == sizeof(up) - 1 ? 0 : 1;
	}
	opts.self = argv[0];
	parse(argc, argv);
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("bench begin quick=%d reps=%d budget_ms=%ld pipelines=%d\n",
	       opts.quick, opts.reps, opts.budget_ms, opts.pipelines);
	failed = run_all(probes_proc);
	failed |= run_all(probes_io);
	printf("bench end %s\n", failed ? "failed" : "ok");
	return failed;
}
