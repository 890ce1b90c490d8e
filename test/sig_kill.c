/*
 * sig_kill: sending signals. Error cases of kill, tkill, tgkill,
 * rt_sigqueueinfo (EINVAL bad signal or id, ESRCH no such process or
 * thread, EPERM for a forged si_code to another process, signal 0 as a
 * probe); and, with fork: SIGCHLD with CLD_EXITED/CLD_KILLED siginfo on
 * child exit, job-control stop and continue reported by waitpid
 * (WUNTRACED, WCONTINUED) and SIGCHLD, kill to a process group and to
 * the caller's group, and EPERM to another user's process.
 */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/tap.h"

#define NO_PID 4000000  /* above pid_max: never a process */

static volatile int chld_code, chld_pid, chld_status, chld_hits;

static void on_chld(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)uc;
	chld_hits++;
	chld_code = si->si_code;
	chld_pid = si->si_pid;
	chld_status = si->si_status;
}

static void test_errors(void)
{
	siginfo_t si;
	int self = getpid(), tid = (int)sysc(SYS_gettid);

	ok_eq(sysc(SYS_kill, self, 0), 0, "kill(self, 0) probes successfully");
	ok_eq(sysc(SYS_kill, self, 65), -EINVAL, "kill with signal 65 is EINVAL");
	ok_eq(sysc(SYS_kill, self, -1), -EINVAL, "kill with signal -1 is EINVAL");
	ok_eq(sysc(SYS_kill, NO_PID, 0), -ESRCH, "kill of no such process is ESRCH");
	ok_eq(sysc(SYS_kill, -NO_PID, 0), -ESRCH, "kill of no such group is ESRCH");
	ok_eq(sysc(SYS_kill, 0, 0), 0, "kill(0, 0) probes the caller's group");
	ok_eq(sysc(SYS_tkill, 0, SIGUSR1), -EINVAL, "tkill tid 0 is EINVAL");
	ok_eq(sysc(SYS_tkill, tid, 65), -EINVAL, "tkill signal 65 is EINVAL");
	ok_eq(sysc(SYS_tkill, NO_PID, 0), -ESRCH, "tkill of no such thread is ESRCH");
	ok_eq(sysc(SYS_tgkill, self, tid, 0), 0, "tgkill(self, 0) probes");
	ok_eq(sysc(SYS_tgkill, 0, tid, 0), -EINVAL, "tgkill tgid 0 is EINVAL");
	ok_eq(sysc(SYS_tgkill, self, -5, 0), -EINVAL, "tgkill tid -5 is EINVAL");
	ok_eq(sysc(SYS_tgkill, self, NO_PID, 0), -ESRCH, "tgkill of no such thread is ESRCH");
	ok_eq(sysc(SYS_tgkill, NO_PID, tid, 0), -ESRCH, "tgkill with the wrong group is ESRCH");
	memset(&si, 0, sizeof(si));
	si.si_code = SI_USER;
	int other = self == 1 ? 2 : 1;
	ok_eq(sysc(SYS_rt_sigqueueinfo, other, 0, &si), -EPERM,
	      "rt_sigqueueinfo with si_code SI_USER to another process is EPERM");
	si.si_code = SI_TKILL;
	ok_eq(sysc(SYS_rt_sigqueueinfo, other, 0, &si), -EPERM, "... and with SI_TKILL");
	si.si_code = SI_QUEUE;
	ok_eq(sysc(SYS_rt_sigqueueinfo, self, 65, &si), -EINVAL, "rt_sigqueueinfo signal 65 is EINVAL");
	ok_eq(sysc(SYS_rt_sigqueueinfo, NO_PID, 0, &si), -ESRCH, "rt_sigqueueinfo to no process is ESRCH");
	ok_eq(sysc(SYS_rt_sigqueueinfo, self, 0, BAD_LOW_PTR), -EFAULT, "rt_sigqueueinfo bad info is EFAULT");
	ok_eq(sysc(SYS_rt_tgsigqueueinfo, self, tid, 0, BAD_LOW_PTR), -EFAULT,
	      "rt_tgsigqueueinfo bad info is EFAULT");
	ok_eq(sysc(SYS_rt_tgsigqueueinfo, self, NO_PID, 0, &si), -ESRCH,
	      "rt_tgsigqueueinfo to no thread is ESRCH");
}

static int skip_all(const char *why, int n)
{
	for (int i = 0; i < n; i++)
		ok_why(1, "fork-dependent check # SKIP", "%s", why);
	return 0;
}

static void test_sigchld(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_chld;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGCHLD, &sa, NULL);
	unsigned long bit = 1UL << (SIGCHLD - 1), empty = 0;
	sysc(SYS_rt_sigprocmask, SIG_BLOCK, &bit, 0, 8);

	int pid = fork();
	if (pid < 0) {
		skip_all("fork failed", 12);
		return;
	}
	if (pid == 0)
		_exit(7);
	chld_hits = 0;
	sysc(SYS_rt_sigsuspend, &empty, 8);
	ok(chld_hits == 1 && chld_code == CLD_EXITED && chld_pid == pid && chld_status == 7,
	   "SIGCHLD on exit: CLD_EXITED, the child's pid and exit status");
	int st;
	ok_eq(waitpid(pid, &st, 0), pid, "waitpid reaps it");

	pid = fork();
	if (pid == 0) {
		for (;;)
			sysc(SYS_pause);
	}
	chld_hits = 0;
	sysc(SYS_kill, pid, SIGSTOP);
	while (!chld_hits)
		sysc(SYS_rt_sigsuspend, &empty, 8);
	ok(chld_code == CLD_STOPPED && chld_status == SIGSTOP, "SIGCHLD with CLD_STOPPED");
	ok(waitpid(pid, &st, WUNTRACED) == pid && WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP,
	   "waitpid(WUNTRACED) reports the stop");
	chld_hits = 0;
	sysc(SYS_kill, pid, SIGCONT);
	while (!chld_hits)
		sysc(SYS_rt_sigsuspend, &empty, 8);
	ok(chld_code == CLD_CONTINUED, "SIGCHLD with CLD_CONTINUED");
	ok(waitpid(pid, &st, WCONTINUED) == pid && WIFCONTINUED(st),
	   "waitpid(WCONTINUED) reports the continue");
	chld_hits = 0;
	sysc(SYS_kill, pid, SIGTERM);
	while (!chld_hits)
		sysc(SYS_rt_sigsuspend, &empty, 8);
	ok(chld_code == CLD_KILLED && chld_status == SIGTERM, "SIGCHLD with CLD_KILLED and the signal");
	ok(waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM,
	   "waitpid reports death by SIGTERM");

	/* A stopped child dies of SIGKILL. */
	pid = fork();
	if (pid == 0) {
		for (;;)
			sysc(SYS_pause);
	}
	sysc(SYS_kill, pid, SIGSTOP);
	waitpid(pid, &st, WUNTRACED);
	sysc(SYS_kill, pid, SIGKILL);
	ok(waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL,
	   "SIGKILL ends a stopped process");

	/* Process groups: kill(-pgid) reaches every member, kill(0) our own. */
	int kids[2];
	for (int i = 0; i < 2; i++) {
		kids[i] = fork();
		if (kids[i] == 0) {
			setpgid(0, 0 == i ? 0 : kids[0]);
			for (;;)
				sysc(SYS_pause);
		}
		setpgid(kids[i], kids[0]);
	}
	ok_eq(sysc(SYS_kill, -kids[0], SIGUSR1), 0, "kill(-pgid) succeeds");
	int dead = 0;
	for (int i = 0; i < 2; i++)
		if (waitpid(kids[i], &st, 0) == kids[i] && WIFSIGNALED(st) && WTERMSIG(st) == SIGUSR1)
			dead++;
	ok_eq(dead, 2, "every member of the group got the signal");

	/* EPERM: an unprivileged child may not signal us (root). */
	pid = fork();
	if (pid == 0) {
		if (sysc(SYS_setresuid, 1000, 1000, 1000))
			_exit(77); /* cannot drop privileges here */
		_exit(sysc(SYS_kill, getppid(), 0) == -EPERM ? 0 : 1);
	}
	waitpid(pid, &st, 0);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 77)
		ok_why(1, "kill from another user without privilege is EPERM # SKIP", "%s",
		       "setresuid failed");
	else
		ok(WIFEXITED(st) && WEXITSTATUS(st) == 0,
		   "kill from another user without privilege is EPERM");
	sysc(SYS_rt_sigprocmask, SIG_UNBLOCK, &bit, 0, 8);
	signal(SIGCHLD, SIG_DFL);
}

int main(void)
{
	test_errors();
	test_sigchld();
	return tap_done();
}
