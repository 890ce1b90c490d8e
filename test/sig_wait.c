/*
 * sig_wait: waiting for signals and interrupted calls. rt_sigsuspend
 * returns EINTR after the handler ran and restores the old mask;
 * rt_sigtimedwait takes a pending signal (with its siginfo), times out
 * with EAGAIN, and rejects bad timeouts; alarm interrupts pause with
 * EINTR; a blocking read is restarted under SA_RESTART and fails with
 * EINTR without it; clock_nanosleep fails with EINTR and the time left
 * when a handler runs.
 */
#include <signal.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "lib/tap.h"

static volatile int hits, writefd = -1, write_at;

static void handler(int sig)
{
	(void)sig;
	hits++;
	if (writefd >= 0 && hits == write_at)
		sysc(SYS_write, writefd, "x", 1);
}

static void catch_with(int sig, int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sa.sa_flags = flags;
	sigaction(sig, &sa, NULL);
}

#define BIT(s) (1UL << ((s) - 1))

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void test_sigsuspend(void)
{
	unsigned long blk = BIT(SIGUSR1), empty = 0, cur = 0;
	catch_with(SIGUSR1, 0);
	sysc(SYS_rt_sigprocmask, SIG_BLOCK, &blk, 0, 8);
	sysc(SYS_kill, getpid(), SIGUSR1);
	hits = 0;
	ok_eq(sysc(SYS_rt_sigsuspend, &empty, 8), -EINTR, "rt_sigsuspend returns EINTR after a handler");
	ok_eq(hits, 1, "the pending signal's handler ran inside rt_sigsuspend");
	sysc(SYS_rt_sigprocmask, SIG_BLOCK, 0, &cur, 8);
	ok_eq(cur & BIT(SIGUSR1), BIT(SIGUSR1), "the old mask is back after rt_sigsuspend");
	ok_eq(sysc(SYS_rt_sigsuspend, &empty, 4), -EINVAL, "rt_sigsuspend sigsetsize 4 is EINVAL");
	ok_eq(sysc(SYS_rt_sigsuspend, BAD_LOW_PTR, 8), -EFAULT, "rt_sigsuspend bad mask is EFAULT");
	sysc(SYS_rt_sigprocmask, SIG_UNBLOCK, &blk, 0, 8);
}

static void test_sigtimedwait(void)
{
	unsigned long set = BIT(SIGUSR2);
	struct timespec zero = { 0, 0 }, short_wait = { 0, 50000000 }, bad = { 0, 1000000000 };
	siginfo_t si;
	sysc(SYS_rt_sigprocmask, SIG_BLOCK, &set, 0, 8);
	sysc(SYS_kill, getpid(), SIGUSR2);
	memset(&si, 0, sizeof(si));
	ok_eq(sysc(SYS_rt_sigtimedwait, &set, &si, &zero, 8), SIGUSR2,
	      "rt_sigtimedwait takes a pending signal");
	ok(si.si_signo == SIGUSR2 && si.si_code == SI_USER && si.si_pid == getpid(),
	   "rt_sigtimedwait fills in the siginfo");
	ok_eq(sysc(SYS_rt_sigtimedwait, &set, 0, &zero, 8), -EAGAIN,
	      "rt_sigtimedwait with a zero timeout and nothing pending is EAGAIN");
	long t0 = now_ms();
	ok_eq(sysc(SYS_rt_sigtimedwait, &set, 0, &short_wait, 8), -EAGAIN,
	      "rt_sigtimedwait times out with EAGAIN");
	ok(now_ms() - t0 >= 45, "and it waited for the timeout");
	ok_eq(sysc(SYS_rt_sigtimedwait, &set, 0, &bad, 8), -EINVAL, "tv_nsec 1e9 is EINVAL");
	ok_eq(sysc(SYS_rt_sigtimedwait, &set, 0, BAD_LOW_PTR, 8), -EFAULT, "bad timeout is EFAULT");
	ok_eq(sysc(SYS_rt_sigtimedwait, BAD_LOW_PTR, 0, &zero, 8), -EFAULT, "bad set is EFAULT");
	ok_eq(sysc(SYS_rt_sigtimedwait, &set, 0, &zero, 4), -EINVAL, "sigsetsize 4 is EINVAL");

	/* A signal sent while waiting (from a timer) is taken, not delivered. */
	unsigned long aset = BIT(SIGALRM);
	sysc(SYS_rt_sigprocmask, SIG_BLOCK, &aset, 0, 8);
	struct timespec two = { 2, 0 };
	alarm(1);
	hits = 0;
	ok_eq(sysc(SYS_rt_sigtimedwait, &aset, &si, &two, 8), SIGALRM,
	      "rt_sigtimedwait wakes for a signal that arrives while it waits");
	ok_eq(si.si_code, SI_KERNEL, "alarm's SIGALRM has si_code SI_KERNEL");
	ok_eq(hits, 0, "and no handler ran");
	sysc(SYS_rt_sigprocmask, SIG_UNBLOCK, &aset, 0, 8);
	sysc(SYS_rt_sigprocmask, SIG_UNBLOCK, &set, 0, 8);
}

static void test_pause_alarm(void)
{
	catch_with(SIGALRM, 0);
	hits = 0;
	ok_eq(sysc(SYS_alarm, 1), 0, "alarm(1) with none pending returns 0");
	long t0 = now_ms();
	ok_eq(sysc(SYS_pause), -EINTR, "alarm interrupts pause with EINTR");
	ok(hits == 1 && now_ms() - t0 >= 900, "after the SIGALRM handler ran, about 1 s later");
	ok_eq(sysc(SYS_alarm, 5), 0, "alarm(5)");
	ok_eq(sysc(SYS_alarm, 0), 5, "alarm(0) returns the seconds left and cancels");
	ok_eq(sysc(SYS_alarm, 0), 0, "nothing left after cancelling");
}

static long read_interrupted(int restart, int *hits_at_return)
{
	int fds[2];
	char c;
	struct itimerval it = { { 0, 50000 }, { 0, 50000 } }, off = { { 0, 0 }, { 0, 0 } };
	if (pipe(fds))
		return -999;
	catch_with(SIGALRM, restart ? SA_RESTART : 0);
	hits = 0;
	writefd = fds[1];
	write_at = 3;
	setitimer(ITIMER_REAL, &it, NULL);
	long r = sysc(SYS_read, fds[0], &c, 1);
	*hits_at_return = hits;
	setitimer(ITIMER_REAL, &off, NULL);
	writefd = -1;
	close(fds[0]);
	close(fds[1]);
	return r;
}

static void test_restart(void)
{
	int h;
	/*
	 * The timer keeps firing every 50 ms until it is stopped after the
	 * read; on a loaded machine one more signal may land before the
	 * count is taken, so the counts are lower bounds.
	 */
	long r = read_interrupted(1, &h);
	ok(r == 1 && h >= 3, "SA_RESTART: a blocking read continues across handlers");
	if (r != 1 || h < 3)
		tap_diag("read returned %ld after %d signals", r, h);
	r = read_interrupted(0, &h);
	ok(r == -EINTR && h >= 1, "without SA_RESTART the read fails with EINTR");
	if (r != -EINTR || h < 1)
		tap_diag("read returned %ld after %d signals", r, h);
}

static void test_nanosleep_eintr(void)
{
	struct timespec req = { 5, 0 }, rem = { 0, 0 };
	catch_with(SIGALRM, SA_RESTART);
	struct itimerval it = { { 0, 0 }, { 0, 100000 } };
	setitimer(ITIMER_REAL, &it, NULL);
	hits = 0;
	ok_eq(sysc(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &req, &rem), -EINTR,
	      "clock_nanosleep fails with EINTR when a handler runs, even with SA_RESTART");
	ok(rem.tv_sec >= 4 && rem.tv_sec <= 5, "and reports the time left");
	/* A signal without a handler (ignored) does not interrupt it. */
	signal(SIGALRM, SIG_IGN);
	setitimer(ITIMER_REAL, &it, NULL);
	struct timespec shortreq = { 0, 300000000 };
	long t0 = now_ms();
	ok_eq(sysc(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &shortreq, 0), 0,
	      "an ignored signal does not interrupt clock_nanosleep");
	ok(now_ms() - t0 >= 290, "it slept the whole time");
	signal(SIGALRM, SIG_DFL);
}

int main(void)
{
	test_sigsuspend();
	test_sigtimedwait();
	test_pause_alarm();
	test_restart();
	test_nanosleep_eintr();
	return tap_done();
}
