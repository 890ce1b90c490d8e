/*
 * Process groups and sessions: getpgrp/getpgid/getsid agree, children
 * inherit them, setpgid(0, 0) makes a group leader, setsid is EPERM for
 * a group leader and makes a new session elsewhere; setpgid's EACCES
 * (child has exec'd), ESRCH (not our child), EPERM (other session, no
 * such group) and EINVAL; kill(-pgid) reaches the whole group.
 *
 * Run as "proc_pgrp"; "proc_pgrp idle" is the image a child execs.
 */
#define _GNU_SOURCE
#include <unistd.h>

#include "lib/proc.h"

static char *self;

static void basics(void)
{
	long me = sysc(SYS_getpid);
	long pg = sysc(SYS_getpgrp);
	long sid = sysc(SYS_getsid, 0);
	volatile long *sh = shared_mem(PAGE);
	int st = -1;

	/*
	 * 0 is a valid answer natively: in a PID namespace whose session or
	 * group leader lives outside it (a CI container), Linux reports 0.
	 */
	ok(pg >= 0, "getpgrp returns a group");
	ok_eq(sysc(SYS_getpgid, 0), pg, "getpgid(0) equals getpgrp");
	ok_eq(sysc(SYS_getpgid, me), pg, "getpgid(getpid()) equals getpgrp");
	ok(sid >= 0, "getsid(0) returns a session");
	ok_eq(sysc(SYS_getsid, me), sid, "getsid(getpid()) equals getsid(0)");

	long pid = raw_fork();
	if (pid == 0) {
		sh[0] = sysc(SYS_getpgrp);
		sh[1] = sysc(SYS_getsid, 0);
		sh[2] = sysc(SYS_setpgid, 0, 0);
		sh[3] = sysc(SYS_getpgrp);
		sh[4] = sysc(SYS_setsid);
		sh[5] = sysc(SYS_getsid, 0);
		child_exit(0);
	}
	reap(pid, &st);
	ok(sh[0] == pg && sh[1] == sid, "a child inherits the process group and session");
	ok_eq(sh[2], 0, "setpgid(0, 0) in the child succeeds");
	ok_eq(sh[3], pid, "and makes it leader of a group with its pid");
	ok_eq(sh[4], -EPERM, "setsid in a group leader is EPERM");
	ok_eq(sh[5], sid, "so the session is unchanged");
}

static void new_session(void)
{
	volatile long *sh = shared_mem(PAGE);
	long sid = sysc(SYS_getsid, 0);
	int st = -1;
	long pid = raw_fork();

	if (pid == 0) {
		sh[0] = sysc(SYS_setsid);
		sh[1] = sysc(SYS_getsid, 0);
		sh[2] = sysc(SYS_getpgrp);
		sh[3] = sysc(SYS_setsid);
		sh[4] = sysc(SYS_setpgid, 0, sysc(SYS_getppid));
		sh[9] = 1;
		for (int i = 0; i < 5000 && !sh[10]; i++)
			msleep(1);
		child_exit(0);
	}
	poll_until((volatile int *)&sh[9], 0, 5000);
	ok_eq(sh[0], pid, "setsid in a non-leader child returns its pid");
	ok_eq(sh[1], pid, "it leads the new session");
	ok_eq(sh[2], pid, "and a new process group");
	ok_eq(sh[3], -EPERM, "a second setsid (now a leader) is EPERM");
	ok_eq(sh[4], -EPERM, "moving into a group of another session is EPERM");
	ok_eq(sysc(SYS_getsid, pid), pid, "getsid(child) sees the child's new session");
	ok_eq(sysc(SYS_getpgid, pid), pid, "getpgid(child) sees its new group");
	ok_eq(sysc(SYS_getsid, 0), sid, "our own session is unchanged");
	ok_eq(sysc(SYS_setpgid, pid, sysc(SYS_getpgrp)), -EPERM,
	      "setpgid of a child in another session is EPERM");
	sh[10] = 1;
	reap(pid, &st);
}

static void setpgid_errors(void)
{
	volatile long *sh = shared_mem(PAGE);
	int st = -1;

	/* Our child, before and after it has exec'd. */
	long pid = raw_fork();
	if (pid == 0) {
		for (int i = 0; i < 5000 && !sh[0]; i++)
			msleep(1);
		child_exit(0);
	}
	ok_eq(sysc(SYS_setpgid, pid, pid), 0, "setpgid(child, child) before exec succeeds");
	ok_eq(sysc(SYS_getpgid, pid), pid, "the child leads its own group now");
	ok_eq(sysc(SYS_setpgid, pid, sysc(SYS_getpgrp)), 0, "and can be moved back to ours");
	ok_eq(sysc(SYS_setpgid, pid, 999999), -EPERM, "setpgid to a group that does not exist is EPERM");
	ok_eq(sysc(SYS_setpgid, pid, -1), -EINVAL, "setpgid with a negative pgid is EINVAL");
	ok_eq(sysc(SYS_setpgid, -1, 0), -EINVAL, "setpgid with a negative pid is EINVAL");
	sh[0] = 1;
	reap(pid, &st);
	ok_eq(sysc(SYS_setpgid, pid, pid), -ESRCH, "setpgid of a reaped child is ESRCH");
	ok_eq(sysc(SYS_getpgid, pid), -ESRCH, "getpgid of a reaped pid is ESRCH");
	ok_eq(sysc(SYS_getsid, pid), -ESRCH, "getsid of a reaped pid is ESRCH");

	pid = vfork();
	if (pid == 0) {
		char *a[] = { self, "idle", NULL };
		char *e[] = { NULL };
		sysc(SYS_execve, self, a, e);
		_exit(127);
	}
	ok_eq(sysc(SYS_setpgid, pid, pid), -EACCES, "setpgid of a child after its execve is EACCES");
	sysc(SYS_kill, pid, SIGKILL);
	reap(pid, &st);

	/* A grandchild is not our child. */
	long a = raw_fork();
	if (a == 0) {
		long g = raw_fork();
		if (g == 0) {
			for (int i = 0; i < 5000 && !sh[2]; i++)
				msleep(1);
			child_exit(0);
		}
		sh[1] = g;
		reap(g, 0);
		child_exit(0);
	}
	while (!sh[1])
		msleep(1);
	ok_eq(sysc(SYS_setpgid, sh[1], sh[1]), -ESRCH, "setpgid of a grandchild is ESRCH");
	sh[2] = 1;
	reap(a, &st);
}

static void kill_group(void)
{
	long pids[2];
	int st = -1, dead = 0;

	for (int i = 0; i < 2; i++) {
		pids[i] = raw_fork();
		if (pids[i] == 0)
			for (;;)
				msleep(10);
		sysc(SYS_setpgid, pids[i], pids[0]);
	}
	ok_eq(sysc(SYS_kill, -pids[0], SIGKILL), 0, "kill(-pgid, SIGKILL) succeeds");
	for (int i = 0; i < 2; i++)
		dead += reap(pids[i], &st) == pids[i] && st == SIGKILL;
	ok_eq(dead, 2, "both members of the group were killed");
	ok_eq(sysc(SYS_kill, -pids[0], 0), -ESRCH, "kill of an empty group is ESRCH");
}

int main(int argc, char **argv)
{
	if (argc > 1) {
		for (;;)
			msleep(100);
	}
	self = argv[0];
	basics();
	new_session();
	setpgid_errors();
	kill_group();
	return tap_done();
}
