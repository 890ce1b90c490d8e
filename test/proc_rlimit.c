/*
 * Resource limits: getrlimit/setrlimit/prlimit64 round trips and errors
 * (EINVAL, EFAULT, EPERM, ESRCH), inheritance across fork and exec,
 * RLIMIT_NOFILE (EMFILE, dup2 EBADF, F_DUPFD EINVAL), RLIMIT_AS (mmap
 * ENOMEM) and a fork storm under RLIMIT_NPROC as uid 65534 (fork gives
 * EAGAIN; skipped only while setuid is ENOSYS).
 *
 * Run as "proc_rlimit"; "proc_rlimit nofile N" is the exec'd image that
 * checks the inherited RLIMIT_NOFILE soft limit is N.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>

#include "lib/proc.h"

static char *self;

static void round_trip(void)
{
	struct rlimit old, r, got;

	ok_eq(sysc(SYS_getrlimit, RLIMIT_NOFILE, &old), 0, "getrlimit(RLIMIT_NOFILE) succeeds");
	r.rlim_cur = 64;
	r.rlim_max = old.rlim_max;
	ok_eq(sysc(SYS_setrlimit, RLIMIT_NOFILE, &r), 0, "setrlimit lowers the soft limit to 64");
	sysc(SYS_getrlimit, RLIMIT_NOFILE, &got);
	ok(got.rlim_cur == 64 && got.rlim_max == old.rlim_max, "getrlimit reads back 64 and the hard limit");
	r.rlim_cur = old.rlim_max + 1;
	ok_eq(sysc(SYS_setrlimit, RLIMIT_NOFILE, &r), -EINVAL, "soft above hard is EINVAL");
	r.rlim_cur = r.rlim_max = 1048576 + 1;
	ok_eq(sysc(SYS_setrlimit, RLIMIT_NOFILE, &r), -EPERM,
	      "RLIMIT_NOFILE above nr_open (1048576) is EPERM");
	ok_eq(sysc(SYS_getrlimit, 99, &got), -EINVAL, "getrlimit of resource 99 is EINVAL");
	ok_eq(sysc(SYS_setrlimit, 99, &old), -EINVAL, "setrlimit of resource 99 is EINVAL");
	ok_eq(sysc(SYS_getrlimit, RLIMIT_NOFILE, BAD_LOW_PTR), -EFAULT, "getrlimit to a bad pointer is EFAULT");
	ok_eq(sysc(SYS_setrlimit, RLIMIT_NOFILE, BAD_LOW_PTR), -EFAULT, "setrlimit from a bad pointer is EFAULT");
	sysc(SYS_setrlimit, RLIMIT_NOFILE, &old);

	struct rlimit cpu = { 1000, RLIM_INFINITY }, prev;
	sysc(SYS_getrlimit, RLIMIT_CPU, &prev);
	ok_eq(sysc(SYS_prlimit64, 0, RLIMIT_CPU, &cpu, &old), 0, "prlimit64(0) sets and gets at once");
	ok(old.rlim_cur == prev.rlim_cur && old.rlim_max == prev.rlim_max, "the old value is the previous one");
	ok_eq(sysc(SYS_prlimit64, sysc(SYS_getpid), RLIMIT_CPU, 0, &got), 0, "prlimit64(getpid()) reads");
	ok_eq((long)got.rlim_cur, 1000, "and sees the new soft limit");
	sysc(SYS_prlimit64, 0, RLIMIT_CPU, &prev, 0);
	ok_eq(sysc(SYS_prlimit64, 999999, RLIMIT_CPU, 0, &got), -ESRCH, "prlimit64 of no such pid is ESRCH");
	ok_eq(sysc(SYS_prlimit64, 0, 99, 0, &got), -EINVAL, "prlimit64 of resource 99 is EINVAL");
	ok_eq(sysc(SYS_prlimit64, 0, RLIMIT_CPU, 0, BAD_LOW_PTR), -EFAULT,
	      "prlimit64 to a bad old pointer is EFAULT");
}

static void inherited(void)
{
	struct rlimit r, old;
	int st = -1;

	sysc(SYS_getrlimit, RLIMIT_NOFILE, &old);
	r.rlim_cur = 50;
	r.rlim_max = old.rlim_max;
	sysc(SYS_setrlimit, RLIMIT_NOFILE, &r);
	long pid = raw_fork();
	if (pid == 0) {
		struct rlimit c;
		sysc(SYS_getrlimit, RLIMIT_NOFILE, &c);
		if (c.rlim_cur != 50)
			child_exit(1);
		char *a[] = { self, "nofile", "50", NULL };
		char *e[] = { NULL };
		sysc(SYS_execve, self, a, e);
		child_exit(127);
	}
	reap(pid, &st);
	ok_status(st, 0, "a limit set before fork holds in the child and after its exec");

	pid = raw_fork();
	if (pid == 0) {
		for (;;)
			msleep(10);
	}
	struct rlimit cr = { 40, old.rlim_max }, got;
	ok_eq(sysc(SYS_prlimit64, pid, RLIMIT_NOFILE, &cr, 0), 0, "prlimit64 sets a child's limit");
	sysc(SYS_prlimit64, pid, RLIMIT_NOFILE, 0, &got);
	ok_eq((long)got.rlim_cur, 40, "and reads it back");
	sysc(SYS_kill, pid, SIGKILL);
	reap(pid, &st);
	sysc(SYS_setrlimit, RLIMIT_NOFILE, &old);
}

static void nofile(void)
{
	struct rlimit r, old;
	int p[2], n = 0;
	long err = 0;

	sysc(SYS_getrlimit, RLIMIT_NOFILE, &old);
	r.rlim_cur = 10;
	r.rlim_max = old.rlim_max;
	sysc(SYS_setrlimit, RLIMIT_NOFILE, &r);
	int fds[16];
	while (n < 16 && (err = sysc(SYS_pipe2, p, 0)) == 0) {
		fds[n++] = p[0];
		fds[n++] = p[1];
	}
	ok_eq(err, -EMFILE, "pipe2 fails with EMFILE once RLIMIT_NOFILE (10) is reached");
	ok_why(n >= 4 && n <= 8, "descriptors below the limit could be made", "made %d", n);
	ok_eq(sysc(SYS_dup2, 1, 10), -EBADF, "dup2 to a descriptor at the limit is EBADF");
	ok_eq(sysc(SYS_fcntl, 1, F_DUPFD, 10), -EINVAL, "F_DUPFD at the limit is EINVAL");
	for (int i = 0; i < n; i++)
		sysc(SYS_close, fds[i]);
	sysc(SYS_setrlimit, RLIMIT_NOFILE, &old);
	ok(sysc(SYS_dup2, 1, 10) == 10, "with the old limit back, dup2 to 10 works");
	sysc(SYS_close, 10);
}

static void address_space(void)
{
	int st = -1;
	long pid = raw_fork();

	if (pid == 0) {
		struct rlimit r = { 256UL << 20, 256UL << 20 };
		int bad = 0;
		sysc(SYS_setrlimit, RLIMIT_AS, &r);
		long p = sysc(SYS_mmap, 0, 512UL << 20, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		bad |= p != -ENOMEM;
		p = sysc(SYS_mmap, 0, 1UL << 20, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		bad |= (p < 0 && p > -4096) << 1;
		child_exit(bad);
	}
	reap(pid, &st);
	ok_status(st, 0, "under RLIMIT_AS 256 MiB a 512 MiB mmap is ENOMEM, 1 MiB works");
}

/*
 * The storm, in a child that became uid 65534: fork until fork fails;
 * every child waits for a flag. Exit status: 0 good, 1 no EAGAIN,
 * 2 setuid ENOSYS, 3 setuid failed otherwise.
 */
static int storm(volatile long *sh)
{
	long err = 0, n = 0;
	long kids[64];

	err = sysc(SYS_setuid, 65534);
	if (err == -ENOSYS)
		return 2;
	if (err)
		return 3;
	struct rlimit r = { 8, 8 };
	sysc(SYS_setrlimit, RLIMIT_NPROC, &r);
	while (n < 64) {
		long pid = raw_fork();
		if (pid == 0) {
			while (!sh[1])
				msleep(2);
			child_exit(0);
		}
		if (pid < 0) {
			err = pid;
			break;
		}
		kids[n++] = pid;
	}
	sh[0] = n;
	sh[2] = err;
	sh[1] = 1;
	for (long i = 0; i < n; i++)
		reap(kids[i], 0);
	return err == -EAGAIN ? 0 : 1;
}

static void fork_storm(void)
{
	volatile long *sh = shared_mem(PAGE);
	int st = -1;
	long pid = raw_fork();

	if (pid == 0)
		child_exit(storm(sh));
	reap(pid, &st);
	if (st == 2 << 8) {
		ok(1, "fork under RLIMIT_NPROC 8 as uid 65534 fails with EAGAIN # SKIP setuid is ENOSYS");
		ok(1, "some forks succeed below the limit # SKIP setuid is ENOSYS");
		return;
	}
	ok_why(st == 0, "fork under RLIMIT_NPROC 8 as uid 65534 fails with EAGAIN",
	       "status 0x%x, fork error %ld %s", st, sh[2], tap_errname(sh[2]));
	ok_why(sh[0] >= 1 && sh[0] <= 8, "some forks succeed below the limit", "%ld forks", sh[0]);
}

int main(int argc, char **argv)
{
	if (argc > 2 && !strcmp(argv[1], "nofile")) {
		struct rlimit r;
		sysc(SYS_getrlimit, RLIMIT_NOFILE, &r);
		return (long)r.rlim_cur != atol(argv[2]);
	}
	self = argv[0];
	round_trip();
	inherited();
	nofile();
	address_space();
	fork_storm();
	return tap_done();
}
