/*
 * fs_fifo: named pipes. mknod(S_IFIFO) and mknodat; open(2) waiting for
 * the other end (O_RDONLY for a writer, O_WRONLY for a reader), O_NONBLOCK
 * (readers open at once, writers get ENXIO without a reader), O_RDWR
 * opening both ends without waiting, a signal ending the wait with EINTR,
 * data through the FIFO and end of file when the writer goes.
 */
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "lib/proc.h"
#include "lib/tap.h"

static char dir[64];
static volatile int signals;

static void on_signal(int sig)
{
	(void)sig;
	signals++;
}

static void make(void)
{
	struct stat st;
	ok_eq(sysc(SYS_mknod, "fifo", S_IFIFO | 0644, 0), 0, "mknod S_IFIFO makes a FIFO");
	ok_eq(sysc(SYS_stat, "fifo", &st), 0, "stat the FIFO");
	ok(S_ISFIFO(st.st_mode) && (st.st_mode & 0777) == 0644, "st_mode: S_IFIFO, 0644");
	ok_eq(sysc(SYS_mknodat, AT_FDCWD, "fifo2", S_IFIFO | 0600, 0), 0, "mknodat (mkfifo)");
	ok_eq(sysc(SYS_mknod, "fifo", S_IFIFO | 0644, 0), -EEXIST, "mknod on an existing name: EEXIST");
}

static void nonblocking(void)
{
	char buf[8] = { 0 };
	ok_eq(sysc(SYS_open, "fifo", O_WRONLY | O_NONBLOCK), -ENXIO,
	      "O_WRONLY|O_NONBLOCK without a reader: ENXIO");
	long rd = sysc(SYS_open, "fifo", O_RDONLY | O_NONBLOCK);
	ok(rd >= 0, "O_RDONLY|O_NONBLOCK opens without a writer");
	ok_eq(sysc(SYS_read, rd, buf, sizeof(buf)), 0, "a read with no writer ever is end of file");
	long wr = sysc(SYS_open, "fifo", O_WRONLY | O_NONBLOCK);
	ok(wr >= 0, "O_WRONLY|O_NONBLOCK opens once a reader exists");
	ok_eq(sysc(SYS_read, rd, buf, sizeof(buf)), -EAGAIN, "empty with a writer: EAGAIN");
	ok_eq(sysc(SYS_write, wr, "abc", 3), 3, "write through the FIFO");
	ok_eq(sysc(SYS_read, rd, buf, sizeof(buf)), 3, "read it back");
	ok(!memcmp(buf, "abc", 3), "the same bytes");
	sysc(SYS_close, wr);
	ok_eq(sysc(SYS_read, rd, buf, sizeof(buf)), 0, "end of file once the writer closed");
	sysc(SYS_close, rd);
}

static void rdwr(void)
{
	char buf[8] = { 0 };
	long fd = sysc(SYS_open, "fifo", O_RDWR);
	ok(fd >= 0, "O_RDWR opens both ends without waiting");
	ok_eq(sysc(SYS_write, fd, "xy", 2), 2, "write on the O_RDWR descriptor");
	ok_eq(sysc(SYS_read, fd, buf, sizeof(buf)), 2, "and read it back on the same one");
	long wr = sysc(SYS_open, "fifo", O_WRONLY | O_NONBLOCK);
	ok(wr >= 0, "an O_RDWR descriptor counts as a reader");
	sysc(SYS_close, wr);
	sysc(SYS_close, fd);
}

/* The child opens @path with @flags after 50 ms and moves 2 bytes. */
static long child_other_end(int flags)
{
	long pid = raw_fork();
	if (pid)
		return pid;
	msleep(50);
	long fd = sysc(SYS_open, "fifo", flags);
	char buf[2];
	if (fd < 0)
		child_exit(1);
	if (flags == O_WRONLY)
		child_exit(sysc(SYS_write, fd, "hi", 2) == 2 ? 0 : 2);
	child_exit(sysc(SYS_read, fd, buf, 2) == 2 && !memcmp(buf, "yo", 2) ? 0 : 3);
}

static void blocking(void)
{
	char buf[8] = { 0 };
	int st;
	long pid = child_other_end(O_WRONLY);
	long rd = sysc(SYS_open, "fifo", O_RDONLY);
	ok(rd >= 0, "O_RDONLY waits for a writer, then opens");
	ok_eq(sysc(SYS_read, rd, buf, 2), 2, "the writer's bytes arrive");
	ok_eq(reap(pid, &st), pid, "reap the writer");
	ok_status(st, 0, "the writer opened and wrote");
	ok_eq(sysc(SYS_read, rd, buf, 2), 0, "end of file after the writer exited");
	sysc(SYS_close, rd);

	pid = child_other_end(O_RDONLY);
	long wr = sysc(SYS_open, "fifo", O_WRONLY);
	ok(wr >= 0, "O_WRONLY waits for a reader, then opens");
	ok_eq(sysc(SYS_write, wr, "yo", 2), 2, "write to the reader");
	ok_eq(reap(pid, &st), pid, "reap the reader");
	ok_status(st, 0, "the reader opened and read");
	sysc(SYS_close, wr);
}

static void interrupted(void)
{
	struct sigaction sa = { .sa_handler = on_signal };   /* no SA_RESTART */
	int st;
	sigaction(SIGUSR1, &sa, NULL);
	long parent = sysc(SYS_getpid), pid = raw_fork();
	if (!pid) {
		msleep(50);
		child_exit(sysc(SYS_kill, parent, SIGUSR1) ? 1 : 0);
	}
	ok_eq(sysc(SYS_open, "fifo2", O_RDONLY), -EINTR, "a signal ends the wait for a writer: EINTR");
	ok_eq(signals, 1, "the handler ran");
	reap(pid, &st);
	ok_eq(sysc(SYS_open, "fifo2", O_WRONLY | O_NONBLOCK), -ENXIO,
	      "the interrupted reader left no reader behind");
}

int main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/fs_fifo.%ld", sysc(SYS_getpid));
	sysc(SYS_umask, 022);
	if (sysc(SYS_mkdir, dir, 0755) || sysc(SYS_chdir, dir)) {
		tap_diag("cannot make and enter %s", dir);
		return 1;
	}
	make();
	nonblocking();
	rdwr();
	blocking();
	interrupted();
	sysc(SYS_unlink, "fifo");
	sysc(SYS_unlink, "fifo2");
	sysc(SYS_chdir, "/");
	ok_eq(sysc(SYS_rmdir, dir), 0, "the test directory is removed again");
	return tap_done();
}
