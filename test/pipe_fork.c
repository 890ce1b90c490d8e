/*
 * pipe_fork: pipes between processes. A blocked read wakes when another
 * process writes; a blocked write into a full pipe wakes when another
 * process reads; end of file comes when the last writer (in another
 * process) exits; two writers' 4096-byte (PIPE_BUF) writes never
 * interleave; a blocked poll wakes on data from another process; a
 * signal ends a blocked read with EINTR (no SA_RESTART) or restarts it
 * (SA_RESTART), and ends a blocked poll with EINTR either way.
 */
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/tap.h"

#define BLOCKS 200

static char buf[65536];

static void msleep(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/* Wait for @pid; its exit status or -1. */
static int reap(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void blocking_wakeups(void)
{
	int p[2];
	pid_t pid;

	sysc(SYS_pipe, p);
	pid = fork();
	if (pid == 0) {
		sysc(SYS_close, p[0]);
		msleep(50);
		sysc(SYS_write, p[1], "late", 4);
		msleep(50);
		_exit(0);
	}
	sysc(SYS_close, p[1]);
	ok_eq(sysc(SYS_read, p[0], buf, sizeof(buf)), 4, "a blocked read wakes with the child's bytes");
	ok_eq(sysc(SYS_read, p[0], buf, sizeof(buf)), 0, "end of file once the child (last writer) exits");
	ok_eq(reap(pid), 0, "the writer child exits 0");
	sysc(SYS_close, p[0]);

	sysc(SYS_pipe, p);
	pid = fork();
	if (pid == 0) {
		sysc(SYS_close, p[1]);
		msleep(50);
		long got = 0, n;
		while ((n = sysc(SYS_read, p[0], buf, sizeof(buf))) > 0)
			got += n;
		_exit(got == 100000 ? 0 : 1);
	}
	sysc(SYS_close, p[0]);
	memset(buf, 'w', sizeof(buf));
	long put = 0;
	while (put < 100000) {
		long n = sysc(SYS_write, p[1], buf, 100000 - put > 65536 ? 65536 : 100000 - put);
		if (n <= 0)
			break;
		put += n;
	}
	ok_eq(put, 100000, "100000 bytes go through a 64 KiB pipe with blocking writes");
	sysc(SYS_close, p[1]);
	ok_eq(reap(pid), 0, "the reader child got all of them");
}

static void atomic_writers(void)
{
	int p[2];
	pid_t w[2];
	long total = 0, n, bad = 0;
	static char stream[2 * BLOCKS * 4096];

	sysc(SYS_pipe, p);
	for (int i = 0; i < 2; i++) {
		w[i] = fork();
		if (w[i] == 0) {
			char block[4096];
			memset(block, i ? 'B' : 'A', sizeof(block));
			sysc(SYS_close, p[0]);
			for (int k = 0; k < BLOCKS; k++)
				if (sysc(SYS_write, p[1], block, sizeof(block)) != sizeof(block))
					_exit(1);
			_exit(0);
		}
	}
	sysc(SYS_close, p[1]);
	while (total < (long)sizeof(stream) &&
	       (n = sysc(SYS_read, p[0], stream + total, 3000)) > 0)
		total += n;
	ok_eq(total, (long)sizeof(stream), "two writers' blocks all arrive");
	for (long off = 0; off < total; off += 4096)
		for (long k = 1; k < 4096; k++)
			if (stream[off + k] != stream[off]) {
				bad++;
				break;
			}
	ok_eq(bad, 0, "no PIPE_BUF-sized write is interleaved with another");
	ok_eq(reap(w[0]) | reap(w[1]), 0, "both writers exit 0");
	sysc(SYS_close, p[0]);
}

static void poll_wakeup(void)
{
	int p[2];
	struct pollfd pfd;

	sysc(SYS_pipe, p);
	pid_t pid = fork();
	if (pid == 0) {
		msleep(50);
		sysc(SYS_write, p[1], "x", 1);
		_exit(0);
	}
	pfd = (struct pollfd){ p[0], POLLIN, 0 };
	ok_eq(sysc(SYS_poll, &pfd, 1, -1), 1, "a blocked poll (no timeout) wakes on the child's write");
	ok_eq(pfd.revents, POLLIN, "with POLLIN");
	ok_eq(reap(pid), 0, "the child exits 0");
	sysc(SYS_close, p[1]);
	pfd.revents = 0;
	ok_eq(sysc(SYS_poll, &pfd, 1, 1000), 1, "after the last writer closed");
	ok_eq(pfd.revents, POLLIN | POLLHUP, "poll says POLLIN|POLLHUP");
	sysc(SYS_close, p[0]);
}

static void on_usr1(int sig)
{
	(void)sig;
}

/* Block in @what on an empty pipe while a child sends SIGUSR1, then data. */
static long interrupted(const char *what, int flags)
{
	int p[2];
	struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = flags };
	long r;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	sysc(SYS_pipe, p);
	pid_t parent = getpid(), pid = fork();
	if (pid == 0) {
		msleep(50);
		kill(parent, SIGUSR1);
		msleep(50);
		sysc(SYS_write, p[1], "d", 1);
		_exit(0);
	}
	if (!strcmp(what, "poll")) {
		struct pollfd pfd = { p[0], POLLIN, 0 };
		r = sysc(SYS_poll, &pfd, 1, -1);
	} else {
		r = sysc(SYS_read, p[0], buf, 1);
	}
	reap(pid);
	sysc(SYS_close, p[0]);
	sysc(SYS_close, p[1]);
	return r;
}

int main(void)
{
	blocking_wakeups();
	atomic_writers();
	poll_wakeup();
	ok_eq(interrupted("read", 0), -EINTR, "a signal ends a blocked read with EINTR");
	ok_eq(interrupted("read", SA_RESTART), 1, "with SA_RESTART the read restarts and gets the byte");
	ok_eq(interrupted("poll", SA_RESTART), -EINTR, "a signal ends a blocked poll with EINTR even with SA_RESTART");
	return tap_done();
}
