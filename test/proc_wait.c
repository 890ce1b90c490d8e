/*
 * wait4 and waitid: ECHILD, WNOHANG, a chosen pid among several,
 * process-group selectors, WNOWAIT, WUNTRACED/WSTOPPED and WCONTINUED,
 * __WCLONE/__WALL for children with no exit signal, zombies until reaped,
 * SIGCHLD ignored (auto-reap), orphans reparented to init, and the
 * EINVAL/EFAULT cases.
 *
 * In Jinux this program is init (pid 1), so orphans come to it; natively
 * they go to some other reaper. The orphan check accepts either and
 * requires pid 1 only when the test itself is pid 1.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdlib.h>

#include "lib/proc.h"

#ifndef P_PGID
#define P_PGID 2
#endif

/* A child that lives until killed. */
static long idle_child(void)
{
	long pid = raw_fork();

	if (pid == 0)
		for (;;)
			msleep(20);
	return pid;
}

static long child_exiting(int code, int delay_ms)
{
	long pid = raw_fork();

	if (pid == 0) {
		msleep(delay_ms);
		child_exit(code);
	}
	return pid;
}

static void no_children(void)
{
	siginfo_t si;

	ok_eq(sysc(SYS_wait4, -1, 0, 0, 0), -ECHILD, "wait4(-1) with no children is ECHILD");
	ok_eq(sysc(SYS_wait4, sysc(SYS_getpid), 0, 0, 0), -ECHILD, "wait4 for oneself is ECHILD");
	ok_eq(sysc(SYS_wait4, -1, 0, WNOHANG, 0), -ECHILD,
	      "wait4(-1, WNOHANG) with no children is ECHILD, not 0");
	ok_eq(sysc(SYS_waitid, P_ALL, 0, &si, WEXITED, 0), -ECHILD,
	      "waitid(P_ALL) with no children is ECHILD");
}

static void wnohang(void)
{
	int st = 0x5a5a;
	long pid = idle_child();

	ok_eq(sysc(SYS_wait4, pid, &st, WNOHANG, 0), 0, "wait4 WNOHANG with a running child is 0");
	ok_eq(sysc(SYS_wait4, -1, &st, WNOHANG, 0), 0, "wait4(-1, WNOHANG) with a running child is 0");
	siginfo_t si;
	memset(&si, 0x5a, sizeof(si));
	ok_eq(sysc(SYS_waitid, P_PID, pid, &si, WEXITED | WNOHANG, 0), 0,
	      "waitid WNOHANG with a running child is 0");
	ok(si.si_pid == 0 && si.si_signo == 0, "and it zeroes si_pid and si_signo");
	sysc(SYS_kill, pid, SIGKILL);
	ok_eq(reap(pid, &st), pid, "the killed child is reaped");
}

static void waitid_cases(void)
{
	siginfo_t si;
	int st = -1;
	long pid = child_exiting(5, 0);

	memset(&si, 0, sizeof(si));
	ok_eq(sysc(SYS_waitid, P_PID, pid, &si, WEXITED | WNOWAIT, 0), 0,
	      "waitid(P_PID, WEXITED | WNOWAIT) succeeds");
	ok(si.si_signo == SIGCHLD && si.si_code == CLD_EXITED && si.si_pid == pid &&
	   si.si_status == 5 && si.si_uid == (uid_t)sysc(SYS_getuid),
	   "it reports SIGCHLD, CLD_EXITED, the pid, status 5 and the uid");
	ok_eq(sysc(SYS_kill, pid, 0), 0, "the zombie still exists after WNOWAIT (kill 0 works)");
	memset(&si, 0, sizeof(si));
	ok_eq(sysc(SYS_waitid, P_ALL, 0, &si, WEXITED, 0), 0, "waitid(P_ALL, WEXITED) reaps it");
	ok_eq(si.si_pid, pid, "the same child");
	ok_eq(sysc(SYS_kill, pid, 0), -ESRCH, "a reaped child is gone (kill 0 is ESRCH)");
	ok_eq(sysc(SYS_wait4, pid, &st, WNOHANG, 0), -ECHILD, "and cannot be waited for again");

	pid = child_exiting(0, 0);
	ok_eq(sysc(SYS_waitid, P_PID, pid, &si, 0, 0), -EINVAL,
	      "waitid without WEXITED, WSTOPPED or WCONTINUED is EINVAL");
	ok_eq(sysc(SYS_waitid, P_PID, pid, &si, WNOHANG, 0), -EINVAL,
	      "waitid with only WNOHANG is EINVAL");
	ok_eq(sysc(SYS_waitid, 7, pid, &si, WEXITED, 0), -EINVAL, "waitid with idtype 7 is EINVAL");
	ok_eq(sysc(SYS_waitid, P_PID, pid, &si, WEXITED | 0x10000, 0), -EINVAL,
	      "waitid with an unknown option bit is EINVAL");
	ok_eq(sysc(SYS_wait4, pid, &st, 0x10000, 0), -EINVAL,
	      "wait4 with an unknown option bit is EINVAL");
	ok_eq(sysc(SYS_wait4, pid, &st, WNOWAIT, 0), -EINVAL, "wait4 with WNOWAIT is EINVAL");
	ok_eq(sysc(SYS_waitid, P_PID, pid, BAD_LOW_PTR, WEXITED | WNOWAIT, 0), -EFAULT,
	      "waitid with a bad siginfo pointer is EFAULT");
	ok_eq(sysc(SYS_wait4, pid, BAD_LOW_PTR, 0, 0), -EFAULT,
	      "wait4 with a bad status pointer is EFAULT");
	while (sysc(SYS_wait4, -1, 0, WNOHANG, 0) > 0)
		;
}

static void chosen_pid(void)
{
	long pids[3];
	int st = -1, seen = 0;

	for (int i = 0; i < 3; i++)
		pids[i] = child_exiting(i + 1, (3 - i) * 30);
	ok_eq(reap(pids[1], &st), pids[1], "wait4 for the middle of three children returns it");
	ok_status(st, 2 << 8, "with its own status");
	for (int i = 0; i < 2; i++) {
		long p = reap(-1, &st);
		if (p == pids[0] && st == 1 << 8)
			seen |= 1;
		if (p == pids[2] && st == 3 << 8)
			seen |= 4;
	}
	ok_eq(seen, 5, "wait4(-1) then returns the other two with their statuses");
}

static void group_selectors(void)
{
	int st = -1;
	long pid = raw_fork();

	if (pid == 0) {
		sysc(SYS_setpgid, 0, 0);
		child_exit(4);
	}
	sysc(SYS_setpgid, pid, pid);   /* as well as the child: whoever comes first */
	long other = child_exiting(6, 50);
	long a = reap(0, &st);
	ok_eq(a, other, "wait4(0) waits only for children in our own process group");
	ok_eq(sysc(SYS_wait4, -pid, &st, 0, 0), pid, "wait4(-pgid) waits for that group");
	ok_status(st, 4 << 8, "and gets its status");
	pid = raw_fork();
	if (pid == 0) {
		sysc(SYS_setpgid, 0, 0);
		child_exit(3);
	}
	siginfo_t si;
	msleep(20);
	ok_eq(sysc(SYS_waitid, P_PGID, pid, &si, WEXITED, 0), 0, "waitid(P_PGID) reaps its member");
	ok_eq(si.si_pid, pid, "the right one");
}

static void stop_continue(void)
{
	int st = -1;
	siginfo_t si;
	long pid = raw_fork();

	if (pid == 0) {
		sysc(SYS_kill, sysc(SYS_getpid), SIGSTOP);
		msleep(300); /* stay alive so the parent sees "continued" before "exited" */
		child_exit(12);
	}
	ok_eq(sysc(SYS_wait4, pid, &st, WUNTRACED, 0), pid, "wait4 WUNTRACED returns a stopped child");
	ok_status(st, 0x137f, "WIFSTOPPED with WSTOPSIG SIGSTOP");
	ok_eq(sysc(SYS_wait4, pid, &st, WUNTRACED | WNOHANG, 0), 0, "the stop is reported once");
	ok_eq(sysc(SYS_kill, pid, SIGCONT), 0, "SIGCONT to the stopped child");
	ok_eq(sysc(SYS_wait4, pid, &st, WCONTINUED, 0), pid, "wait4 WCONTINUED returns it");
	ok_status(st, 0xffff, "WIFCONTINUED");
	ok_eq(reap(pid, &st), pid, "then it exits");
	ok_status(st, 12 << 8, "with its status");

	pid = raw_fork();
	if (pid == 0) {
		sysc(SYS_kill, sysc(SYS_getpid), SIGTSTP);
		msleep(300); /* as above: "continued" must be seen before "exited" */
		child_exit(13);
	}
	memset(&si, 0, sizeof(si));
	ok_eq(sysc(SYS_waitid, P_PID, pid, &si, WSTOPPED, 0), 0, "waitid WSTOPPED returns");
	ok(si.si_code == CLD_STOPPED && si.si_status == SIGTSTP && si.si_pid == pid,
	   "with CLD_STOPPED and si_status SIGTSTP");
	sysc(SYS_kill, pid, SIGCONT);
	memset(&si, 0, sizeof(si));
	ok_eq(sysc(SYS_waitid, P_PID, pid, &si, WCONTINUED, 0), 0, "waitid WCONTINUED returns");
	ok(si.si_code == CLD_CONTINUED && si.si_status == SIGCONT,
	   "with CLD_CONTINUED and si_status SIGCONT");
	reap(pid, &st);
}

static void clone_children(void)
{
	int st = -1;
	long pid = sysc(SYS_clone, 0 /* no exit signal */, 0, 0, 0, 0);

	if (pid == 0)
		child_exit(14);
	msleep(20);
	ok_eq(sysc(SYS_wait4, pid, &st, 0, 0), -ECHILD,
	      "a child with no exit signal is not waited for without __WCLONE");
	ok_eq(sysc(SYS_wait4, pid, &st, __WCLONE, 0), pid, "__WCLONE waits for it");
	ok_status(st, 14 << 8, "with its status");
	pid = sysc(SYS_clone, SIGUSR1, 0, 0, 0, 0);
	if (pid == 0)
		child_exit(15);
	signal(SIGUSR1, SIG_IGN);
	ok_eq(sysc(SYS_wait4, pid, &st, __WALL, 0), pid, "__WALL waits for a SIGUSR1-exit child");
	signal(SIGUSR1, SIG_DFL);
	long c = child_exiting(16, 0);
	ok_eq(sysc(SYS_wait4, c, &st, __WCLONE, 0), -ECHILD, "__WCLONE does not wait for a SIGCHLD child");
	ok_eq(sysc(SYS_wait4, c, &st, __WALL, 0), c, "__WALL does");
}

static void sigchld_ignored(void)
{
	int st = -1;
	struct timespec t0, t1;

	signal(SIGCHLD, SIG_IGN);
	child_exiting(1, 50);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	long r = sysc(SYS_wait4, -1, &st, 0, 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	signal(SIGCHLD, SIG_DFL);
	ok_why(r == -ECHILD && ms >= 40,
	       "with SIGCHLD ignored the child is reaped by itself: wait4 blocks, then ECHILD",
	       "got %ld %s after %ld ms", r, tap_errname(r), ms);
}

static void orphans(void)
{
	volatile int *sh = shared_mem(PAGE);
	long me = sysc(SYS_getpid);
	int st = -1;
	long a = raw_fork();

	if (a == 0) {
		long g = raw_fork();
		if (g == 0) {
			long parent = sysc(SYS_getppid);
			for (int i = 0; i < 5000 && sysc(SYS_getppid) == parent; i++)
				msleep(1);
			sh[1] = (int)sysc(SYS_getppid);
			sh[2] = 1;
			for (int i = 0; i < 5000 && !sh[3]; i++)
				msleep(1);
			child_exit(0);
		}
		sh[0] = (int)g;
		msleep(20);
		child_exit(0);
	}
	reap(a, &st);
	ok(poll_until(&sh[2], 0, 5000), "a grandchild notices its parent's exit");
	ok_why(sh[1] != a && sh[1] > 0, "its getppid is no longer the dead parent",
	       "getppid %d", sh[1]);
	if (me == 1) {
		ok_eq(sh[1], 1, "the orphan was reparented to init (pid 1)");
		sh[3] = 1;
		ok_eq(reap(sh[0], &st), sh[0], "init (this test) reaps the orphan");
	} else {
		ok(1, "the orphan was reparented to init # SKIP this test is not pid 1");
		ok(1, "init reaps the orphan # SKIP this test is not pid 1");
		sh[3] = 1;
	}
}

int main(void)
{
	no_children();
	wnohang();
	waitid_cases();
	chosen_pid();
	group_selectors();
	stop_continue();
	clone_children();
	sigchld_ignored();
	orphans();
	ok_eq(sysc(SYS_wait4, -1, 0, WNOHANG | __WALL, 0), -ECHILD, "no child is left over");
	return tap_done();
}
