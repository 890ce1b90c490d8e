/*
 * fork, vfork and CLONE_PARENT: who returns what, what the parent learns
 * through wait4 (exit codes, killing signals, the core-dump bit), memory
 * isolation after fork, memory sharing and parent suspension in vfork.
 *
 * Run as "proc_fork"; it re-executes itself as "proc_fork exec-child"
 * for the vfork-then-exec case.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include "lib/proc.h"

static void fork_returns(void)
{
	volatile int *sh = shared_mem(PAGE);
	long me = sysc(SYS_getpid);
	long pid = raw_fork();
	int st = -1;

	if (pid == 0) {
		sh[0] = (int)sysc(SYS_getpid);
		sh[1] = (int)sysc(SYS_getppid);
		child_exit(42);
	}
	ok(pid > 0, "fork returns the child's pid in the parent");
	ok_eq(reap(pid, &st), pid, "wait4 returns the child's pid");
	ok_status(st, 42 << 8, "the child's exit_group(42) arrives as WEXITSTATUS 42");
	ok_eq(sh[0], pid, "the child's getpid equals what fork returned");
	ok_eq(sh[1], me, "the child's getppid is the parent");
}

static void exit_codes(void)
{
	static const int codes[][2] = { { 0, 0 }, { 255, 255 }, { 300, 44 }, { 256, 0 } };

	for (unsigned i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		long pid = raw_fork();
		int st = -1;
		char d[80];

		if (pid == 0)
			child_exit(codes[i][0]);
		reap(pid, &st);
		snprintf(d, sizeof(d), "exit_group(%d) gives WEXITSTATUS %d", codes[i][0],
			 codes[i][1]);
		ok_status(st, codes[i][1] << 8, d);
	}
	long pid = raw_fork();
	int st = -1;
	if (pid == 0)
		for (;;)
			sysc(SYS_exit, 7);      /* the only thread: the process ends */
	reap(pid, &st);
	ok_status(st, 7 << 8, "exit(7) of the only thread gives WEXITSTATUS 7");
}

/* core_pattern_is_pipe() - a piped core_pattern dumps even at RLIMIT_CORE 0. */
static int core_pattern_is_pipe(void)
{
	char c = 0;
	long fd = sysc(SYS_open, "/proc/sys/kernel/core_pattern", 0);

	if (fd < 0)
		return 0;
	sysc(SYS_read, fd, &c, 1);
	sysc(SYS_close, fd);
	return c == '|';
}

static void killed(void)
{
	int st = -1;
	long pid = raw_fork();

	if (pid == 0) {
		struct rlimit no_core = { 0, 0 };
		sysc(SYS_setrlimit, RLIMIT_CORE, &no_core);
		volatile int *volatile bad = BAD_LOW_PTR;
		*bad = 1;
		child_exit(99);
	}
	reap(pid, &st);
	ok(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV,
	   "a child that faults is reported WIFSIGNALED with WTERMSIG SIGSEGV");
	if (core_pattern_is_pipe())
		ok(1, "the core bit is not checked: core_pattern is a pipe here");
	else
		ok_status(st, SIGSEGV, "with RLIMIT_CORE 0 no core is dumped: WCOREDUMP clear");

	pid = raw_fork();
	if (pid == 0)
		for (;;)
			sysc(SYS_sched_yield);
	ok_eq(sysc(SYS_kill, pid, SIGKILL), 0, "kill(child, SIGKILL) succeeds");
	reap(pid, &st);
	ok_status(st, SIGKILL, "a child killed by SIGKILL: WTERMSIG 9, no core bit");

	pid = raw_fork();
	if (pid == 0) {
		sysc(SYS_kill, sysc(SYS_getpid), SIGTERM);
		child_exit(98);
	}
	reap(pid, &st);
	ok_status(st, SIGTERM, "a child that sends itself SIGTERM: WTERMSIG 15");
}

static int global_var = 1;

static void isolation(void)
{
	volatile int local = 2;
	int *heap = malloc(sizeof(int));
	int st = -1;

	*heap = 3;
	long pid = raw_fork();
	if (pid == 0) {
		int seen = global_var == 1 && local == 2 && *heap == 3;
		global_var = 10;
		local = 20;
		*heap = 30;
		child_exit(seen ? 0 : 1);
	}
	reap(pid, &st);
	ok_status(st, 0, "the child sees the parent's data, stack and heap from before fork");
	ok(global_var == 1 && local == 2 && *heap == 3,
	   "the child's writes to data, stack and heap do not show in the parent");
	free(heap);
}

/* vfork: the parent waits until the child's _exit, and memory is shared. */
static void vfork_exit(void)
{
	volatile int shared_var = 0;
	struct timespec t0, t1;
	int st = -1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid_t pid = vfork();
	if (pid == 0) {
		msleep(100);
		shared_var = 1;
		_exit(5);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	ok(pid > 0, "vfork returns the child's pid in the parent");
	ok_why(shared_var == 1 && ms >= 90, "the parent resumes only after the child's _exit",
	       "shared_var %d after %ld ms", shared_var, ms);
	ok_eq(reap(pid, &st), pid, "the vfork child is reaped");
	ok_status(st, 5 << 8, "the vfork child's _exit(5) arrives");
}

/* vfork then exec: the parent resumes at the exec, while the child runs. */
static void vfork_exec(const char *self)
{
	char *argv[] = { (char *)self, "exec-child", NULL };
	char *envp[] = { NULL };
	int st = -1;

	pid_t pid = vfork();
	if (pid == 0) {
		sysc(SYS_execve, self, argv, envp);
		_exit(127);
	}
	ok_eq(sysc(SYS_wait4, pid, &st, WNOHANG, 0), 0,
	      "after vfork + execve the parent runs while the child still does");
	ok_eq(reap(pid, &st), pid, "the exec'd vfork child is reaped");
	ok_status(st, 33 << 8, "the exec'd vfork child ran the new image (status 33)");
}

/*
 * CLONE_PARENT: a grandchild made with it is our child, a sibling of its
 * creator. Global init (pid 1, which is what this test is in Jinux) may
 * not use it: Linux says EINVAL.
 */
static void clone_parent(void)
{
	volatile int *sh = shared_mem(PAGE);
	long me = sysc(SYS_getpid);
	int st = -1;

	long a = raw_fork();
	if (a == 0) {
		long g = sysc(SYS_clone, CLONE_PARENT | SIGCHLD, 0, 0, 0, 0);
		if (g == 0) {
			sh[1] = (int)sysc(SYS_getppid);
			child_exit(21);
		}
		sh[0] = (int)g;
		sh[2] = (int)sysc(SYS_wait4, g, 0, 0, 0);
		child_exit(0);
	}
	reap(a, &st);
	ok(sh[0] > 0, "clone(CLONE_PARENT) from a child succeeds");
	ok_eq(sh[2], -ECHILD, "its creator cannot wait for the CLONE_PARENT child");
	ok_eq(reap(sh[0], &st), sh[0], "the CLONE_PARENT child is our child: we reap it");
	ok_status(st, 21 << 8, "and get its exit status");
	ok_eq(sh[1], me, "its getppid is its creator's parent");
	if (me == 1)
		ok_eq(sysc(SYS_clone, CLONE_PARENT | SIGCHLD, 0, 0, 0, 0), -EINVAL,
		      "init's clone(CLONE_PARENT) is EINVAL");
	else
		ok(1, "init's clone(CLONE_PARENT) is EINVAL # SKIP not init here");
}

/* A chain of nested forks: each level reports its child's status + 1. */
static int chain(int depth)
{
	if (depth == 0)
		return 1;
	long pid = raw_fork();
	int st = -1;
	if (pid == 0)
		child_exit(chain(depth - 1));
	if (reap(pid, &st) != pid || !WIFEXITED(st))
		return 100;
	return WEXITSTATUS(st) + 1;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "exec-child")) {
		msleep(100);
		return 33;
	}
	fork_returns();
	exit_codes();
	killed();
	isolation();
	vfork_exit();
	vfork_exec(argv[0]);
	clone_parent();
	ok_eq(chain(5), 6, "a chain of 5 nested forks passes statuses up");
	return tap_done();
}
