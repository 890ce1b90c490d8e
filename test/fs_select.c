/*
 * fs_select: select(2) and pselect6(2) on pipes, regular files and the
 * standard descriptors: the fd_set bit layout in and out, the count of
 * ready bits, a timeout clearing the sets and writing the time left
 * back, EBADF, EINVAL (nfds < 0, a bad timeval), EFAULT, and pselect6's
 * temporary signal mask letting a blocked signal in (EINTR).
 */
#include <fcntl.h>
#include <signal.h>
#include <sys/select.h>
#include <unistd.h>

#include "lib/tap.h"

static volatile int usr1;

static void on_usr1(int sig)
{
	(void)sig;
	usr1++;
}

struct ksigset_arg {
	const void *ss;
	size_t len;
};

static void pipes(void)
{
	int p[2];
	fd_set r, w;
	struct timeval tv = { 0, 0 };
	sysc(SYS_pipe, p);
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_SET(p[0], &r);
	FD_SET(p[1], &w);
	ok_eq(sysc(SYS_select, p[1] + 1, &r, &w, NULL, &tv), 1, "an empty pipe: only the write end is ready");
	ok(!FD_ISSET(p[0], &r) && FD_ISSET(p[1], &w), "the bits say so");
	sysc(SYS_write, p[1], "x", 1);
	FD_SET(p[0], &r);
	FD_SET(p[1], &r);   /* the write end is never readable */
	FD_SET(p[1], &w);
	ok_eq(sysc(SYS_select, p[1] + 1, &r, &w, NULL, &tv), 2, "with data both ends are ready: 2 bits");
	ok(FD_ISSET(p[0], &r) && !FD_ISSET(p[1], &r) && FD_ISSET(p[1], &w), "read end readable, write end writable");
	/* The raw layout: bit fd of 64-bit word fd / 64. */
	uint64_t words[2] = { 0, 0 };
	words[p[0] / 64] = 1ULL << (p[0] % 64);
	ok_eq(sysc(SYS_select, p[0] + 1, words, NULL, NULL, &tv), 1, "a raw bitmap works");
	ok_eq(words[p[0] / 64], 1ULL << (p[0] % 64), "and comes back with the same bit");
	sysc(SYS_close, p[1]);
	char c;
	sysc(SYS_read, p[0], &c, 1);
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	ok_eq(sysc(SYS_select, p[0] + 1, &r, NULL, NULL, &tv), 1, "a read end without writers is readable (EOF)");
	sysc(SYS_close, p[0]);
}

static void timeouts(void)
{
	int p[2];
	fd_set r;
	sysc(SYS_pipe, p);
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	struct timeval tv = { 0, 30000 };
	ok_eq(sysc(SYS_select, p[0] + 1, &r, NULL, NULL, &tv), 0, "nothing ready: 0 after the timeout");
	ok(!FD_ISSET(p[0], &r), "the set is cleared on a timeout");
	ok(tv.tv_sec == 0 && tv.tv_usec < 30000, "select writes back the time left");
	struct timespec ts = { 0, 20000000 };
	FD_SET(p[0], &r);
	ok_eq(sysc(SYS_pselect6, p[0] + 1, &r, NULL, NULL, &ts, NULL), 0, "pselect6 times out too");
	ok(ts.tv_sec == 0 && ts.tv_nsec < 20000000, "the raw pselect6 writes back the time left");
	tv = (struct timeval){ 0, 0 };
	ok_eq(sysc(SYS_select, 0, NULL, NULL, NULL, &tv), 0, "no descriptors, zero timeout: 0");
	tv = (struct timeval){ 0, -1 };
	ok_eq(sysc(SYS_select, 0, NULL, NULL, NULL, &tv), -EINVAL, "a negative tv_usec: EINVAL");
	tv = (struct timeval){ -1, 0 };
	ok_eq(sysc(SYS_select, 0, NULL, NULL, NULL, &tv), -EINVAL, "a negative timeout: EINVAL");
	sysc(SYS_close, p[0]);
	sysc(SYS_close, p[1]);
}

static void errors(void)
{
	fd_set r;
	struct timeval tv = { 0, 0 };
	FD_ZERO(&r);
	FD_SET(200, &r);
	ok_eq(sysc(SYS_select, 201, &r, NULL, NULL, &tv), -EBADF, "a closed descriptor in a set: EBADF");
	ok_eq(sysc(SYS_select, -1, NULL, NULL, NULL, &tv), -EINVAL, "nfds < 0: EINVAL");
	ok_eq(sysc(SYS_select, 1, (void *)8, NULL, NULL, &tv), -EFAULT, "a bad fd_set pointer: EFAULT");
	ok_eq(sysc(SYS_select, 1, NULL, NULL, NULL, (void *)8), -EFAULT, "a bad timeval pointer: EFAULT");
	ok_eq(sysc(SYS_pselect6, 1, NULL, NULL, NULL, (void *)8, NULL), -EFAULT,
	      "a bad timespec pointer: EFAULT");
	ok_eq(sysc(SYS_pselect6, 1, NULL, NULL, NULL, NULL, (void *)8), -EFAULT,
	      "a bad sigset argument: EFAULT");
}

static void files(void)
{
	fd_set r, w;
	struct timeval tv = { 0, 0 };
	long fd = sysc(SYS_open, "/tmp", O_RDONLY | O_DIRECTORY);
	long f = sysc(SYS_open, "/tmp/fs_select.file", O_CREAT | O_RDWR | O_TRUNC, 0600);
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_SET(f, &r);
	FD_SET(f, &w);
	FD_SET(fd, &r);
	FD_SET(1, &w);
	ok_eq(sysc(SYS_select, (f > fd ? f : fd) + 1, &r, &w, NULL, &tv), 4,
	      "files, directories and stdout are always ready");
	sysc(SYS_close, fd);
	sysc(SYS_close, f);
	sysc(SYS_unlink, "/tmp/fs_select.file");
}

static void sigmask(void)
{
	int p[2];
	fd_set r;
	sigset_t block, none;
	sysc(SYS_pipe, p);
	struct sigaction sa = { .sa_handler = on_usr1 };
	sigaction(SIGUSR1, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, NULL);
	sysc(SYS_kill, sysc(SYS_getpid), SIGUSR1);
	ok_eq(usr1, 0, "SIGUSR1 is blocked and pending");
	sigemptyset(&none);
	struct ksigset_arg arg = { &none, 8 };
	struct timespec ts = { 1, 0 };
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	ok_eq(sysc(SYS_pselect6, p[0] + 1, &r, NULL, NULL, &ts, &arg), -EINTR,
	      "pselect6's mask lets the pending signal in: EINTR");
	ok_eq(usr1, 1, "the handler ran");
	sigset_t now;
	sigprocmask(SIG_BLOCK, NULL, &now);
	ok(sigismember(&now, SIGUSR1), "the old mask is back afterwards");
	arg.len = 4;
	ok_eq(sysc(SYS_pselect6, p[0] + 1, &r, NULL, NULL, &ts, &arg), -EINVAL,
	      "a sigset size other than 8: EINVAL");
	sysc(SYS_close, p[0]);
	sysc(SYS_close, p[1]);
}

int main(void)
{
	pipes();
	timeouts();
	errors();
	files();
	sigmask();
	return tap_done();
}
