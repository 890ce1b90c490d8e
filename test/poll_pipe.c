/*
 * poll_pipe: poll(2) and ppoll(2) readiness within one process. An empty
 * pipe is not readable, a written one is; the write end is writable until
 * the pipe is full and again once a page drains; POLLHUP on the read end
 * after the last writer closes, POLLERR on the write end after the last
 * reader closes (reported even when not asked for); POLLNVAL for a closed
 * descriptor, negative descriptors ignored; timeouts 0 and 50 ms; and the
 * errors: EINVAL for nfds above RLIMIT_NOFILE and for a bad ppoll
 * timespec or sigset size, EFAULT for a bad array.
 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <time.h>

#include "lib/tap.h"

static char big[65536];

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static long poll1(int fd, short events, int timeout, short *revents)
{
	struct pollfd pfd = { fd, events, 0x7777 };
	long r = sysc(SYS_poll, &pfd, 1, timeout);

	*revents = pfd.revents;
	return r;
}

static void readiness(void)
{
	int p[2];
	short rev;
	char c;

	if (!ok_eq(sysc(SYS_pipe2, p, O_NONBLOCK), 0, "pipe2"))
		return;
	ok_eq(poll1(p[0], POLLIN, 0, &rev), 0, "an empty pipe is not readable");
	ok_eq(rev, 0, "and revents is cleared");
	ok_eq(poll1(p[1], POLLOUT, 0, &rev), 1, "an empty pipe is writable");
	ok_eq(rev, POLLOUT, "revents is POLLOUT");
	ok_eq(poll1(p[1], POLLIN, 0, &rev), 0, "the write end never reports POLLIN");
	sysc(SYS_write, p[1], "z", 1);
	ok_eq(poll1(p[0], POLLIN | POLLOUT, 0, &rev), 1, "a pipe with data is readable");
	ok_eq(rev, POLLIN, "revents is POLLIN (never POLLOUT on the read end)");
	ok_eq(poll1(p[0], POLLRDNORM, 0, &rev), 1, "POLLRDNORM is reported too");
	ok_eq(rev, POLLRDNORM, "as asked");
	sysc(SYS_read, p[0], &c, 1);
	while (sysc(SYS_write, p[1], big, 4096) > 0)
		;
	ok_eq(poll1(p[1], POLLOUT, 0, &rev), 0, "a full pipe is not writable");
	sysc(SYS_read, p[0], big, 4096);
	ok_eq(poll1(p[1], POLLOUT, 0, &rev), 1, "writable again once a page is read");
	sysc(SYS_read, p[0], big, sizeof(big));

	sysc(SYS_write, p[1], "y", 1);
	sysc(SYS_close, p[1]);
	ok_eq(poll1(p[0], POLLIN, 0, &rev), 1, "after the writer closes, data is still readable");
	ok_eq(rev, POLLIN | POLLHUP, "revents is POLLIN|POLLHUP");
	sysc(SYS_read, p[0], &c, 1);
	ok_eq(poll1(p[0], POLLIN, 0, &rev), 1, "drained: still reported");
	ok_eq(rev, POLLHUP, "revents is POLLHUP alone");
	ok_eq(poll1(p[0], 0, 0, &rev), 1, "POLLHUP is reported even when not asked for");
	sysc(SYS_close, p[0]);

	ok_eq(sysc(SYS_pipe, p), 0, "another pipe");
	sysc(SYS_close, p[0]);
	ok_eq(poll1(p[1], POLLOUT, 0, &rev), 1, "the write end with no reader is reported");
	ok(rev & POLLERR, "with POLLERR");
	sysc(SYS_close, p[1]);
}

static void special_fds(void)
{
	int p[2];
	struct pollfd pfd[4];
	short rev;

	sysc(SYS_pipe, p);
	sysc(SYS_write, p[1], "a", 1);
	ok_eq(poll1(77, POLLIN, 0, &rev), 1, "a closed descriptor is counted");
	ok_eq(rev, POLLNVAL, "with POLLNVAL");
	pfd[0] = (struct pollfd){ -1, POLLIN, 0x55 };
	pfd[1] = (struct pollfd){ p[0], POLLIN, 0 };
	pfd[2] = (struct pollfd){ -5, POLLIN, 0x55 };
	pfd[3] = (struct pollfd){ p[0], POLLIN, 0 };
	ok_eq(sysc(SYS_poll, pfd, 4, 0), 2, "negative descriptors are not counted");
	ok(pfd[0].revents == 0 && pfd[2].revents == 0, "and their revents are zeroed");
	ok(pfd[1].revents == POLLIN && pfd[3].revents == POLLIN, "a descriptor twice is reported twice");
	ok_eq(poll1(1, POLLOUT, 0, &rev), 1, "stdout is writable");
	ok_eq(sysc(SYS_poll, NULL, 0, 0), 0, "poll of nothing with timeout 0 returns 0");
	sysc(SYS_close, p[0]);
	sysc(SYS_close, p[1]);
}

static void timeouts(void)
{
	int p[2];
	struct pollfd pfd;
	long t0, r;

	sysc(SYS_pipe, p);
	pfd = (struct pollfd){ p[0], POLLIN, 0 };
	t0 = now_ms();
	r = sysc(SYS_poll, &pfd, 1, 50);
	t0 = now_ms() - t0;
	ok_eq(r, 0, "poll of an empty pipe with a 50 ms timeout returns 0");
	ok_why(t0 >= 45 && t0 < 2000, "after about 50 ms", "took %ld ms", t0);
	t0 = now_ms();
	r = sysc(SYS_poll, NULL, 0, 30);
	t0 = now_ms() - t0;
	ok_eq(r, 0, "poll of nothing sleeps for its timeout");
	ok_why(t0 >= 25 && t0 < 2000, "for about 30 ms", "took %ld ms", t0);

	struct timespec ts = { 0, 20 * 1000000 };
	t0 = now_ms();
	r = sysc(SYS_ppoll, &pfd, 1, &ts, NULL, 8);
	t0 = now_ms() - t0;
	ok_eq(r, 0, "ppoll with a 20 ms timespec times out");
	ok_why(t0 >= 15 && t0 < 2000, "after about 20 ms", "took %ld ms", t0);
	ok(ts.tv_sec == 0 && ts.tv_nsec < 5 * 1000000, "and writes back (nearly) no time left");
	sysc(SYS_write, p[1], "a", 1);
	ts = (struct timespec){ 5, 0 };
	ok_eq(sysc(SYS_ppoll, &pfd, 1, &ts, NULL, 8), 1, "ppoll of a readable pipe returns at once");
	ok(ts.tv_sec >= 4 && ts.tv_sec <= 5, "leaving almost all the time");
	ok_eq(sysc(SYS_ppoll, &pfd, 1, NULL, NULL, 8), 1, "ppoll with no timeout and ready data");
	sigset_t set;
	sigemptyset(&set);
	ok_eq(sysc(SYS_ppoll, &pfd, 1, NULL, &set, 8), 1, "ppoll with an empty sigmask");
	sysc(SYS_close, p[0]);
	sysc(SYS_close, p[1]);
}

static void errors(void)
{
	struct pollfd pfd = { 0, POLLIN, 0 };
	struct timespec bad = { 0, 1000000000 };
	struct timespec neg = { -1, 0 };
	sigset_t set;

	sigemptyset(&set);
	ok_eq(sysc(SYS_poll, &pfd, 1 << 20, 0), -EINVAL, "nfds above RLIMIT_NOFILE is EINVAL");
	ok_eq(sysc(SYS_poll, BAD_LOW_PTR, 1, 0), -EFAULT, "a bad pollfd array is EFAULT");
	ok_eq(sysc(SYS_poll, KERNEL_PTR, 2, 0), -EFAULT, "a kernel pollfd array is EFAULT");
	ok_eq(sysc(SYS_ppoll, &pfd, 1, &bad, NULL, 8), -EINVAL, "ppoll with tv_nsec 1e9 is EINVAL");
	ok_eq(sysc(SYS_ppoll, &pfd, 1, &neg, NULL, 8), -EINVAL, "ppoll with a negative time is EINVAL");
	ok_eq(sysc(SYS_ppoll, &pfd, 1, BAD_LOW_PTR, NULL, 8), -EFAULT, "ppoll with a bad timespec is EFAULT");
	ok_eq(sysc(SYS_ppoll, &pfd, 1, NULL, &set, 4), -EINVAL, "ppoll with sigsetsize 4 is EINVAL");
	ok_eq(sysc(SYS_ppoll, &pfd, 1, NULL, BAD_LOW_PTR, 8), -EFAULT, "ppoll with a bad sigmask is EFAULT");
}

int main(void)
{
	readiness();
	special_fds();
	timeouts();
	errors();
	return tap_done();
}
