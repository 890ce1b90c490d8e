/*
 * fs_lock: advisory locks. flock(2) (shared/exclusive, LOCK_NB, owned by
 * the open file description, kept by dups and fork, dropped at its last
 * close, blocking until released); fcntl POSIX record locks (byte ranges,
 * to-EOF, splitting and merging, F_GETLK with l_pid, dropped when the
 * process closes any descriptor of the file or exits, F_SETLKW waiting,
 * EDEADLK, EINTR); OFD locks (F_OFD_*); and the error cases.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>

#include "lib/proc.h"
#include "lib/tap.h"

#ifndef F_OFD_GETLK
#define F_OFD_GETLK 36
#define F_OFD_SETLK 37
#define F_OFD_SETLKW 38
#endif

static char dir[64];
static volatile int *shared;

static long lk(int fd, int cmd, int type, long start, long len)
{
	struct flock fl = { .l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len };
	return sysc(SYS_fcntl, fd, cmd, &fl);
}

static long open_f(int flags)
{
	return sysc(SYS_open, "f", flags);
}

/* Run @fn in a child; Return: its exit status byte (fn's result negated). */
static int in_child(long (*fn)(long), long arg)
{
	int st = 0;
	long pid = raw_fork();
	if (pid == 0)
		child_exit((int)-fn(arg) & 0xff);
	reap(pid, &st);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 255;
}

static long child_flock(long op)
{
	long fd = open_f(O_RDWR);
	return sysc(SYS_flock, fd, op);
}

static long child_setlk(long range)
{
	long fd = open_f(O_RDWR);
	return lk(fd, F_SETLK, F_WRLCK, range / 1000, range % 1000);
}

static void flock_basic(void)
{
	long a = open_f(O_RDWR), b = open_f(O_RDWR);
	ok_eq(sysc(SYS_flock, a, LOCK_EX), 0, "flock LOCK_EX");
	ok_eq(sysc(SYS_flock, a, LOCK_EX), 0, "again on the same description");
	ok_eq(sysc(SYS_flock, b, LOCK_EX | LOCK_NB), -EWOULDBLOCK,
	      "another description: LOCK_EX|LOCK_NB gives EWOULDBLOCK");
	ok_eq(sysc(SYS_flock, b, LOCK_SH | LOCK_NB), -EWOULDBLOCK, "and LOCK_SH too");
	ok_eq(in_child(child_flock, LOCK_SH | LOCK_NB), EWOULDBLOCK, "and in another process");
	long d = sysc(SYS_dup, a);
	ok_eq(sysc(SYS_close, a), 0, "close the locking descriptor, a dup stays");
	ok_eq(sysc(SYS_flock, b, LOCK_EX | LOCK_NB), -EWOULDBLOCK, "the lock stays with the dup");
	ok_eq(sysc(SYS_close, d), 0, "close the last descriptor of it");
	ok_eq(sysc(SYS_flock, b, LOCK_SH | LOCK_NB), 0, "now LOCK_SH succeeds");
	ok_eq(in_child(child_flock, LOCK_SH | LOCK_NB), 0, "shared locks coexist");
	ok_eq(in_child(child_flock, LOCK_EX | LOCK_NB), EWOULDBLOCK, "but not with LOCK_EX");
	ok_eq(sysc(SYS_flock, b, LOCK_EX | LOCK_NB), 0, "upgrade to LOCK_EX");
	long pid = raw_fork();
	if (pid == 0)
		child_exit(sysc(SYS_flock, b, LOCK_EX | LOCK_NB) == 0 ? 0 : 1);
	int st = 0;
	reap(pid, &st);
	ok_status(st, 0, "a forked child shares the description and its lock");
	ok_eq(sysc(SYS_flock, b, LOCK_UN), 0, "LOCK_UN");
	ok_eq(in_child(child_flock, LOCK_EX | LOCK_NB), 0, "after LOCK_UN anyone may lock");
	ok_eq(sysc(SYS_flock, b, 0), -EINVAL, "op 0: EINVAL");
	ok_eq(sysc(SYS_flock, b, LOCK_SH | LOCK_EX), -EINVAL, "LOCK_SH|LOCK_EX: EINVAL");
	ok_eq(sysc(SYS_flock, -1, LOCK_SH), -EBADF, "fd -1: EBADF");
	ok_eq(sysc(SYS_flock, 999, LOCK_SH), -EBADF, "closed fd: EBADF");
	sysc(SYS_close, b);
}

static void flock_wait(void)
{
	long a = open_f(O_RDWR);
	*shared = 0;
	ok_eq(sysc(SYS_flock, a, LOCK_EX), 0, "hold LOCK_EX");
	long pid = raw_fork();
	if (pid == 0) {
		long r = child_flock(LOCK_EX);
		*shared = 1;
		child_exit(r == 0 ? 0 : 1);
	}
	msleep(50);
	ok_eq(*shared, 0, "a blocking flock waits");
	sysc(SYS_flock, a, LOCK_UN);
	int st = 0;
	reap(pid, &st);
	ok_status(st, 0, "and gets the lock once it is released");
	sysc(SYS_close, a);
}

static void posix_ranges(void)
{
	struct flock fl;
	long a = open_f(O_RDWR);
	ok_eq(lk(a, F_SETLK, F_WRLCK, 0, 10), 0, "F_SETLK F_WRLCK bytes 0-9");
	ok_eq(in_child(child_setlk, 5 * 1000 + 1), EAGAIN, "another process: byte 5 gives EAGAIN");
	ok_eq(in_child(child_setlk, 10 * 1000 + 10), 0, "bytes 10-19 are free");
	ok_eq(lk(a, F_SETLK, F_WRLCK, 5, 1), 0, "the owner may relock inside its range");
	long pid = raw_fork();
	if (pid == 0) {
		fl = (struct flock){ .l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = 3, .l_len = 100 };
		sysc(SYS_fcntl, a, F_GETLK, &fl);
		child_exit(fl.l_type == F_WRLCK && fl.l_start == 0 && fl.l_len == 10 &&
			   fl.l_pid == (pid_t)sysc(SYS_getppid) ? 0 : 1);
	}
	int st = 0;
	reap(pid, &st);
	ok_status(st, 0, "F_GETLK in a child reports type, range and l_pid of the lock");
	fl = (struct flock){ .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10 };
	ok_eq(sysc(SYS_fcntl, a, F_GETLK, &fl), 0, "F_GETLK on one's own lock");
	ok_eq(fl.l_type, F_UNLCK, "gives F_UNLCK (own locks never conflict)");

	ok_eq(lk(a, F_SETLK, F_WRLCK, 0, 0), 0, "lock to EOF (l_len 0)");
	ok_eq(lk(a, F_SETLK, F_UNLCK, 10, 10), 0, "unlock bytes 10-19: splits the lock");
	ok_eq(in_child(child_setlk, 10 * 1000 + 10), 0, "bytes 10-19 free");
	ok_eq(in_child(child_setlk, 9 * 1000 + 1), EAGAIN, "byte 9 still locked");
	ok_eq(in_child(child_setlk, 500 * 1000 + 1), EAGAIN, "byte 500 still locked (to EOF)");
	ok_eq(lk(a, F_SETLK, F_UNLCK, 0, 0), 0, "unlock everything");
	ok_eq(in_child(child_setlk, 0 * 1000 + 999), 0, "all free again");

	ok_eq(lk(a, F_SETLK, F_RDLCK, 0, 5), 0, "F_RDLCK bytes 0-4");
	ok_eq(lk(a, F_SETLK, F_RDLCK, 5, 5), 0, "F_RDLCK bytes 5-9 (merges)");
	pid = raw_fork();
	if (pid == 0) {
		fl = (struct flock){ .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
		sysc(SYS_fcntl, a, F_GETLK, &fl);
		child_exit(fl.l_type == F_RDLCK && fl.l_start == 0 && fl.l_len == 10 ? 0 : 1);
	}
	reap(pid, &st);
	ok_status(st, 0, "F_GETLK sees one merged read lock 0-9");
	pid = raw_fork();
	if (pid == 0)
		child_exit(lk(open_f(O_RDONLY), F_SETLK, F_RDLCK, 0, 10) == 0 ? 0 : 1);
	reap(pid, &st);
	ok_status(st, 0, "read locks of two processes coexist");

	long b = open_f(O_RDONLY);
	ok_eq(sysc(SYS_close, b), 0, "closing ANY descriptor of the file...");
	ok_eq(in_child(child_setlk, 0 * 1000 + 10), 0, "...drops the process's locks on it");
	sysc(SYS_close, a);
}

static long child_lock_and_exit(long unused)
{
	(void)unused;
	return lk(open_f(O_RDWR), F_SETLK, F_WRLCK, 0, 0);
}

static void posix_errors(void)
{
	long a = open_f(O_RDWR), w = open_f(O_WRONLY), r = open_f(O_RDONLY);
	struct flock fl = { .l_type = F_WRLCK, .l_whence = 7 };
	ok_eq(in_child(child_lock_and_exit, 0), 0, "a child locks the file and exits");
	ok_eq(lk(a, F_SETLK, F_WRLCK, 0, 0), 0, "its locks went with it");
	ok_eq(lk(a, F_SETLK, 9, 0, 0), -EINVAL, "bad l_type: EINVAL");
	ok_eq(sysc(SYS_fcntl, a, F_SETLK, &fl), -EINVAL, "bad l_whence: EINVAL");
	ok_eq(lk(a, F_SETLK, F_WRLCK, -1, 1), -EINVAL, "negative start: EINVAL");
	ok_eq(lk(a, F_GETLK, F_UNLCK, 0, 1), -EINVAL, "F_GETLK with F_UNLCK: EINVAL");
	ok_eq(lk(w, F_SETLK, F_RDLCK, 0, 1), -EBADF, "F_RDLCK on a write-only fd: EBADF");
	ok_eq(lk(r, F_SETLK, F_WRLCK, 0, 1), -EBADF, "F_WRLCK on a read-only fd: EBADF");
	ok_eq(sysc(SYS_fcntl, a, F_SETLK, 16), -EFAULT, "bad struct flock pointer: EFAULT");
	ok_eq(lk(99, F_SETLK, F_WRLCK, 0, 1), -EBADF, "closed fd: EBADF");
	fl = (struct flock){ .l_type = F_WRLCK, .l_whence = SEEK_END, .l_start = -8, .l_len = -3 };
	ok_eq(sysc(SYS_fcntl, a, F_SETLK, &fl), -EINVAL, "SEEK_END-8 with l_len -3 starts before 0: EINVAL");
	sysc(SYS_close, a);
	sysc(SYS_close, w);
	sysc(SYS_close, r);
}

static void on_signal(int sig)
{
	(void)sig;
}

static void posix_wait(void)
{
	long a = open_f(O_RDWR);
	int st = 0;
	*shared = 0;
	ok_eq(lk(a, F_SETLK, F_WRLCK, 0, 1), 0, "hold byte 0");
	long pid = raw_fork();
	if (pid == 0) {
		long fd = open_f(O_RDWR);
		if (lk(fd, F_SETLK, F_WRLCK, 1, 1))
			child_exit(2);
		*shared = 1;
		long r = lk(fd, F_SETLKW, F_WRLCK, 0, 1);
		*shared = 2;
		child_exit(r == 0 ? 0 : 1);
	}
	poll_until(shared, 0, 2000);
	msleep(50);
	ok_eq(*shared, 1, "a child holding byte 1 waits in F_SETLKW for byte 0");
	ok_eq(lk(a, F_SETLKW, F_WRLCK, 1, 1), -EDEADLK, "waiting for its byte 1 would deadlock: EDEADLK");
	ok_eq(lk(a, F_SETLK, F_UNLCK, 0, 1), 0, "release byte 0");
	reap(pid, &st);
	ok_status(st, 0, "the child's F_SETLKW succeeds");

	struct sigaction sa = { .sa_handler = on_signal };   /* no SA_RESTART */
	sigaction(SIGUSR1, &sa, NULL);
	ok_eq(lk(a, F_SETLK, F_WRLCK, 0, 1), 0, "hold byte 0 again");
	*shared = 0;
	pid = raw_fork();
	if (pid == 0) {
		*shared = 1;
		long r = lk(open_f(O_RDWR), F_SETLKW, F_WRLCK, 0, 1);
		child_exit(r == -EINTR ? 0 : 1);
	}
	poll_until(shared, 0, 2000);
	msleep(50);
	sysc(SYS_kill, pid, SIGUSR1);
	reap(pid, &st);
	ok_status(st, 0, "a signal ends the F_SETLKW wait with EINTR");
	sysc(SYS_close, a);
}

static void ofd_locks(void)
{
	long a = open_f(O_RDWR), b = open_f(O_RDWR);
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_pid = 1 };
	ok_eq(sysc(SYS_fcntl, a, F_OFD_SETLK, &fl), -EINVAL, "F_OFD_SETLK with l_pid != 0: EINVAL");
	ok_eq(lk(a, F_OFD_SETLK, F_WRLCK, 0, 10), 0, "F_OFD_SETLK bytes 0-9");
	ok_eq(lk(b, F_OFD_SETLK, F_WRLCK, 5, 1), -EAGAIN,
	      "another description of the same process: EAGAIN");
	ok_eq(lk(b, F_SETLK, F_WRLCK, 5, 1), -EAGAIN, "a POSIX lock conflicts with it too");
	fl = (struct flock){ .l_type = F_RDLCK, .l_whence = SEEK_SET };
	ok_eq(sysc(SYS_fcntl, b, F_OFD_GETLK, &fl), 0, "F_OFD_GETLK");
	ok(fl.l_type == F_WRLCK && fl.l_start == 0 && fl.l_len == 10 && fl.l_pid == -1,
	   "reports the OFD lock with l_pid -1");
	long c = open_f(O_RDONLY);
	sysc(SYS_close, c);
	ok_eq(lk(b, F_OFD_SETLK, F_WRLCK, 5, 1), -EAGAIN, "closing another fd keeps OFD locks");
	ok_eq(sysc(SYS_close, a), 0, "close the owning description");
	ok_eq(lk(b, F_OFD_SETLKW, F_WRLCK, 0, 0), 0, "now the whole file is free (F_OFD_SETLKW)");
	sysc(SYS_close, b);
}

int main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/fs_lock.%ld", sysc(SYS_getpid));
	if (sysc(SYS_mkdir, dir, 0755) || sysc(SYS_chdir, dir)) {
		tap_diag("cannot make and enter %s", dir);
		return 1;
	}
	shared = shared_mem(4096);
	long fd = sysc(SYS_open, "f", O_RDWR | O_CREAT, 0644);
	sysc(SYS_write, fd, "0123456789", 10);
	sysc(SYS_close, fd);
	flock_basic();
	flock_wait();
	posix_ranges();
	posix_errors();
	posix_wait();
	ofd_locks();
	sysc(SYS_unlink, "f");
	sysc(SYS_chdir, "/");
	ok_eq(sysc(SYS_rmdir, dir), 0, "the test directory is removed again");
	return tap_done();
}
