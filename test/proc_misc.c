/*
 * prctl names and parent-death signals, times and getrusage: the name
 * round trip (15 bytes kept), the name after fork and exec, PDEATHSIG
 * set/get/EINVAL, cleared in a fork child, delivered when the parent
 * dies; a child's CPU time is added to times() and RUSAGE_CHILDREN only
 * once it is waited for, wait4's rusage, and the EINVAL/EFAULT cases.
 *
 * Run as "proc_misc"; "proc_misc name" is the image that reports its
 * name after exec.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/times.h>

#include "lib/proc.h"

static char *self;

static void names(void)
{
	char buf[32] = { 0 };
	int st = -1;

	ok_eq(sysc(SYS_prctl, PR_SET_NAME, "worker-1", 0, 0, 0), 0, "PR_SET_NAME succeeds");
	sysc(SYS_prctl, PR_GET_NAME, buf, 0, 0, 0);
	ok_why(!strcmp(buf, "worker-1"), "PR_GET_NAME reads it back", "got '%s'", buf);
	sysc(SYS_prctl, PR_SET_NAME, "a-very-long-thread-name", 0, 0, 0);
	memset(buf, 'x', sizeof(buf));
	sysc(SYS_prctl, PR_GET_NAME, buf, 0, 0, 0);
	ok_why(!strcmp(buf, "a-very-long-thr"), "a long name is cut to 15 bytes", "got '%s'", buf);
	ok_eq(sysc(SYS_prctl, PR_SET_NAME, BAD_LOW_PTR, 0, 0, 0), -EFAULT, "PR_SET_NAME from a bad pointer is EFAULT");
	ok_eq(sysc(SYS_prctl, PR_GET_NAME, BAD_LOW_PTR, 0, 0, 0), -EFAULT, "PR_GET_NAME to a bad pointer is EFAULT");
	ok_eq(sysc(SYS_prctl, 0x7fff0000, 0, 0, 0, 0), -EINVAL, "an unknown prctl option is EINVAL");

	volatile char *sh = shared_mem(PAGE);
	long pid = raw_fork();
	if (pid == 0) {
		sysc(SYS_prctl, PR_GET_NAME, sh, 0, 0, 0);
		char *a[] = { self, "name", NULL };
		char *e[] = { NULL };
		sysc(SYS_execve, self, a, e);
		child_exit(127);
	}
	reap(pid, &st);
	ok_why(!strcmp((char *)sh, "a-very-long-thr"), "a fork child inherits the name",
	       "got '%s'", sh);
	ok_status(st, 0, "after exec the name is the program's file name (proc_misc)");
}

static volatile int *death_sh;

static void on_usr1(int sig)
{
	death_sh[2] = sig;
}

static void pdeathsig(void)
{
	int sig = -1, st = -1;

	ok_eq(sysc(SYS_prctl, PR_SET_PDEATHSIG, SIGUSR2, 0, 0, 0), 0, "PR_SET_PDEATHSIG succeeds");
	sysc(SYS_prctl, PR_GET_PDEATHSIG, &sig, 0, 0, 0);
	ok_eq(sig, SIGUSR2, "PR_GET_PDEATHSIG reads it back");
	ok_eq(sysc(SYS_prctl, PR_SET_PDEATHSIG, 99, 0, 0, 0), -EINVAL, "PR_SET_PDEATHSIG 99 is EINVAL");
	ok_eq(sysc(SYS_prctl, PR_GET_PDEATHSIG, BAD_LOW_PTR, 0, 0, 0), -EFAULT,
	      "PR_GET_PDEATHSIG to a bad pointer is EFAULT");
	volatile int *sh = shared_mem(PAGE);
	long pid = raw_fork();
	if (pid == 0) {
		int s = -1;
		sysc(SYS_prctl, PR_GET_PDEATHSIG, &s, 0, 0, 0);
		child_exit(s);
	}
	reap(pid, &st);
	ok_status(st, 0, "a fork child starts with no parent-death signal");
	sysc(SYS_prctl, PR_SET_PDEATHSIG, 0, 0, 0, 0);

	death_sh = sh;
	long a = raw_fork();
	if (a == 0) {
		long g = raw_fork();
		if (g == 0) {
			signal(SIGUSR1, on_usr1);
			sysc(SYS_prctl, PR_SET_PDEATHSIG, SIGUSR1, 0, 0, 0);
			sh[0] = (int)sysc(SYS_getpid);
			for (int i = 0; i < 5000 && !sh[2]; i++)
				msleep(1);
			sh[3] = 1;
			child_exit(0);
		}
		while (!sh[0])
			msleep(1);
		child_exit(0);
	}
	reap(a, &st);
	ok(poll_until(&sh[3], 0, 6000) && sh[2] == SIGUSR1,
	   "the parent-death signal (SIGUSR1) arrives when the parent exits");
	if (sysc(SYS_getpid) == 1)
		reap(sh[0], &st);
}

static void burn_cpu(long ms)
{
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	do
		clock_gettime(CLOCK_MONOTONIC, &t);
	while ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 < ms);
}

static long tv_ms(struct timeval tv)
{
	return tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

/*
 * The child spins for 300 ms of wall time; on a loaded machine it gets
 * less CPU than that, so the checks want a third of it.
 */
static void times_usage(void)
{
	struct tms t0, t1;
	struct rusage ru, ru0, self_ru, kid;
	int st = -1;
	long hz = 100;  /* USER_HZ: times() counts in 1/100 s on Linux x86-64 */

	long c0 = sysc(SYS_times, &t0);
	ok(c0 != -EFAULT, "times succeeds");
	sysc(SYS_getrusage, RUSAGE_CHILDREN, &ru0);
	long pid = raw_fork();
	if (pid == 0) {
		burn_cpu(300);
		child_exit(0);
	}
	msleep(20);
	sysc(SYS_getrusage, RUSAGE_CHILDREN, &ru);
	ok_eq(tv_ms(ru.ru_utime) + tv_ms(ru.ru_stime), tv_ms(ru0.ru_utime) + tv_ms(ru0.ru_stime),
	      "a running child's time is not yet in RUSAGE_CHILDREN");
	ok_eq(sysc(SYS_wait4, pid, &st, 0, &kid), pid, "wait4 with an rusage pointer reaps");
	long kms = tv_ms(kid.ru_utime) + tv_ms(kid.ru_stime);
	ok_why(kms >= 100 && kms < 5000, "wait4's rusage holds the child's ~300 ms of CPU",
	       "%ld ms", kms);
	long c1 = sysc(SYS_times, &t1);
	long ticks = t1.tms_cutime + t1.tms_cstime - t0.tms_cutime - t0.tms_cstime;
	ok_why(ticks >= 100 * hz / 1000 && ticks < 5 * hz, "times() now counts the child's CPU time",
	       "%ld ticks", ticks);
	ok_why(c1 - c0 >= 30 * hz / 100 - 1, "times' return value advanced with the clock",
	       "%ld -> %ld", c0, c1);
	sysc(SYS_getrusage, RUSAGE_CHILDREN, &ru);
	long cms = tv_ms(ru.ru_utime) + tv_ms(ru.ru_stime) - tv_ms(ru0.ru_utime) - tv_ms(ru0.ru_stime);
	ok_why(cms >= 100 && cms < 5000, "RUSAGE_CHILDREN now holds it", "%ld ms", cms);
	burn_cpu(100);
	sysc(SYS_getrusage, RUSAGE_SELF, &self_ru);
	long sms = tv_ms(self_ru.ru_utime) + tv_ms(self_ru.ru_stime);
	ok_why(sms >= 30, "RUSAGE_SELF counts our own 100 ms of CPU", "%ld ms", sms);
	ok(self_ru.ru_utime.tv_usec < 1000000 && self_ru.ru_stime.tv_usec < 1000000,
	   "microseconds are below a million");
	ok_eq(sysc(SYS_getrusage, RUSAGE_THREAD, &ru), 0, "RUSAGE_THREAD works");
	ok_eq(sysc(SYS_getrusage, 5, &ru), -EINVAL, "getrusage of who 5 is EINVAL");
	ok_eq(sysc(SYS_getrusage, RUSAGE_SELF, BAD_LOW_PTR), -EFAULT, "getrusage to a bad pointer is EFAULT");
	ok_eq(sysc(SYS_times, BAD_LOW_PTR), -EFAULT, "times to a bad pointer is EFAULT");
	ok(sysc(SYS_times, 0) >= c1, "times(NULL) returns the clock");
}

int main(int argc, char **argv)
{
	if (argc > 1) {
		char buf[32] = { 0 };
		sysc(SYS_prctl, PR_GET_NAME, buf, 0, 0, 0);
		return strcmp(buf, "proc_misc") != 0;
	}
	self = argv[0];
	times_usage();
	names();
	pdeathsig();
	ok_eq(sysc(SYS_getppid) >= 0, 1, "getppid works");
	return tap_done();
}
