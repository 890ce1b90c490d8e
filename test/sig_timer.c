/*
 * sig_timer: timers that send signals, and clock_nanosleep. setitimer
 * ITIMER_REAL fires periodically and getitimer reads it back; bad
 * arguments are EINVAL/EFAULT; timer_create with SIGEV_SIGNAL delivers
 * SI_TIMER with si_value and the timer id; SIGEV_NONE timers count down
 * in timer_gettime; TIMER_ABSTIME works; deleted timers are EINVAL;
 * clock_nanosleep sleeps relative and absolute (TIMER_ABSTIME) and
 * rejects bad clocks and times.
 */
#include <signal.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "lib/tap.h"

struct ksigevent {
	long value;
	int signo, notify;
	int tid;
	int pad[11];
};

struct kitimerspec {
	struct timespec interval, value;
};

static volatile int ticks, t_code, t_tid;
static volatile long t_value;

static void tick(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)uc;
	ticks++;
	t_code = si->si_code;
	t_value = (long)si->si_value.sival_ptr;
	t_tid = si->si_timerid;
}

static void catch_sig(int sig)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = tick;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigaction(sig, &sa, NULL);
}

static long now_ms(int clock)
{
	struct timespec ts;
	clock_gettime(clock, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void wait_ticks(int n, long max_ms)
{
	long t0 = now_ms(CLOCK_MONOTONIC);
	while (ticks < n && now_ms(CLOCK_MONOTONIC) - t0 < max_ms)
		sysc(SYS_pause);
}

static void test_itimer(void)
{
	struct itimerval it = { { 0, 50000 }, { 0, 50000 } }, cur, off = { { 0, 0 }, { 0, 0 } };
	catch_sig(SIGALRM);
	ticks = 0;
	ok_eq(sysc(SYS_setitimer, ITIMER_REAL, &it, 0), 0, "setitimer ITIMER_REAL 50 ms periodic");
	ok_eq(sysc(SYS_getitimer, ITIMER_REAL, &cur), 0, "getitimer");
	ok(cur.it_interval.tv_usec == 50000 && cur.it_value.tv_sec == 0 &&
	   cur.it_value.tv_usec > 0 && cur.it_value.tv_usec <= 50000,
	   "getitimer reads back the interval and a value counting down");
	long t0 = now_ms(CLOCK_MONOTONIC);
	wait_ticks(4, 2000);
	long dt = now_ms(CLOCK_MONOTONIC) - t0;
	ok_why(ticks >= 4 && dt >= 150, "the periodic timer fired 4 times, about 50 ms apart",
	       "%d ticks in %ld ms", ticks, dt);
	ok_eq(sysc(SYS_setitimer, ITIMER_REAL, &off, &cur), 0, "setitimer with zero disarms");
	ok_eq(cur.it_interval.tv_usec, 50000, "and returns the old setting");
	sysc(SYS_getitimer, ITIMER_REAL, &cur);
	ok(cur.it_value.tv_sec == 0 && cur.it_value.tv_usec == 0, "a disarmed timer reads as zero");
	ok_eq(sysc(SYS_setitimer, 3, &it, 0), -EINVAL, "setitimer(3) is EINVAL");
	ok_eq(sysc(SYS_getitimer, 3, &cur), -EINVAL, "getitimer(3) is EINVAL");
	it.it_value.tv_usec = 1000000;
	ok_eq(sysc(SYS_setitimer, ITIMER_REAL, &it, 0), -EINVAL, "tv_usec 1000000 is EINVAL");
	ok_eq(sysc(SYS_setitimer, ITIMER_REAL, BAD_LOW_PTR, 0), -EFAULT, "bad new value is EFAULT");
	ok_eq(sysc(SYS_getitimer, ITIMER_REAL, BAD_LOW_PTR), -EFAULT, "bad getitimer pointer is EFAULT");
}

static void test_posix_timer(void)
{
	struct ksigevent ev;
	struct kitimerspec its, cur;
	int id = -1, id2 = -1;
	catch_sig(SIGRTMIN + 4);
	memset(&ev, 0, sizeof(ev));
	ev.notify = SIGEV_SIGNAL;
	ev.signo = SIGRTMIN + 4;
	ev.value = 0xabcd;
	ok_eq(sysc(SYS_timer_create, CLOCK_MONOTONIC, &ev, &id), 0, "timer_create SIGEV_SIGNAL");
	memset(&its, 0, sizeof(its));
	its.value.tv_nsec = 30000000;
	its.interval.tv_nsec = 30000000;
	ticks = 0;
	ok_eq(sysc(SYS_timer_settime, id, 0, &its, 0), 0, "timer_settime 30 ms periodic");
	wait_ticks(3, 2000);
	ok_eq(ticks >= 3, 1, "the timer fired three times");
	ok(t_code == SI_TIMER && t_value == 0xabcd && t_tid == id,
	   "siginfo has SI_TIMER, the sigev_value and the timer id");
	ok_eq(sysc(SYS_timer_gettime, id, &cur), 0, "timer_gettime");
	ok(cur.interval.tv_nsec == 30000000 && cur.value.tv_nsec <= 30000000,
	   "timer_gettime reads back the interval and time left");
	ok(sysc(SYS_timer_getoverrun, id) >= 0, "timer_getoverrun succeeds");
	ok_eq(sysc(SYS_timer_delete, id), 0, "timer_delete");
	ok_eq(sysc(SYS_timer_gettime, id, &cur), -EINVAL, "a deleted timer is EINVAL");
	ok_eq(sysc(SYS_timer_delete, id), -EINVAL, "deleting it again is EINVAL");

	ev.notify = SIGEV_NONE;
	ok_eq(sysc(SYS_timer_create, CLOCK_REALTIME, &ev, &id2), 0, "timer_create SIGEV_NONE");
	memset(&its, 0, sizeof(its));
	its.value.tv_sec = 10;
	sysc(SYS_timer_settime, id2, 0, &its, 0);
	sysc(SYS_timer_gettime, id2, &cur);
	ok(cur.value.tv_sec == 9 || (cur.value.tv_sec == 10 && cur.value.tv_nsec == 0),
	   "a SIGEV_NONE timer counts down");
	struct timespec rt;
	clock_gettime(CLOCK_REALTIME, &rt);
	its.value.tv_sec = rt.tv_sec + 20;
	its.value.tv_nsec = rt.tv_nsec;
	sysc(SYS_timer_settime, id2, TIMER_ABSTIME, &its, 0);
	sysc(SYS_timer_gettime, id2, &cur);
	ok(cur.value.tv_sec >= 18 && cur.value.tv_sec <= 20, "TIMER_ABSTIME sets an absolute expiry");
	sysc(SYS_timer_delete, id2);

	ok_eq(sysc(SYS_timer_create, 99, &ev, &id2), -EINVAL, "timer_create on a bad clock is EINVAL");
	ev.notify = SIGEV_SIGNAL;
	ev.signo = 65;
	ok_eq(sysc(SYS_timer_create, CLOCK_MONOTONIC, &ev, &id2), -EINVAL, "bad sigev_signo is EINVAL");
	ev.notify = 77;
	ok_eq(sysc(SYS_timer_create, CLOCK_MONOTONIC, &ev, &id2), -EINVAL, "bad sigev_notify is EINVAL");
	ok_eq(sysc(SYS_timer_create, CLOCK_MONOTONIC, BAD_LOW_PTR, &id2), -EFAULT, "bad sigevent is EFAULT");
	ok_eq(sysc(SYS_timer_settime, 12345, 0, &its, 0), -EINVAL, "timer_settime on no timer is EINVAL");

	/* NULL sigevent: SIGALRM with the id as value. */
	catch_sig(SIGALRM);
	ok_eq(sysc(SYS_timer_create, CLOCK_MONOTONIC, 0, &id2), 0, "timer_create with no sigevent");
	memset(&its, 0, sizeof(its));
	its.value.tv_nsec = 20000000;
	ticks = 0;
	sysc(SYS_timer_settime, id2, 0, &its, 0);
	wait_ticks(1, 2000);
	ok(ticks == 1 && t_value == id2, "it sends SIGALRM with the timer id as value");
	its.value.tv_nsec = 1000000000;
	ok_eq(sysc(SYS_timer_settime, id2, 0, &its, 0), -EINVAL, "tv_nsec 1e9 is EINVAL");
	sysc(SYS_timer_delete, id2);
}

static void test_nanosleep(void)
{
	struct timespec req = { 0, 100000000 }, abs, rem;
	long t0 = now_ms(CLOCK_MONOTONIC);
	ok_eq(sysc(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &req, &rem), 0, "relative clock_nanosleep");
	ok(now_ms(CLOCK_MONOTONIC) - t0 >= 99, "slept at least 100 ms");
	clock_gettime(CLOCK_MONOTONIC, &abs);
	abs.tv_nsec += 150000000;
	if (abs.tv_nsec >= 1000000000) {
		abs.tv_sec++;
		abs.tv_nsec -= 1000000000;
	}
	ok_eq(sysc(SYS_clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, 0), 0,
	      "TIMER_ABSTIME clock_nanosleep on CLOCK_MONOTONIC");
	struct timespec after;
	clock_gettime(CLOCK_MONOTONIC, &after);
	ok(after.tv_sec > abs.tv_sec || (after.tv_sec == abs.tv_sec && after.tv_nsec >= abs.tv_nsec),
	   "it woke no earlier than the deadline");
	clock_gettime(CLOCK_REALTIME, &abs);
	abs.tv_sec += 0;
	abs.tv_nsec = abs.tv_nsec >= 900000000 ? 999999999 : abs.tv_nsec + 100000000;
	t0 = now_ms(CLOCK_REALTIME);
	ok_eq(sysc(SYS_clock_nanosleep, CLOCK_REALTIME, TIMER_ABSTIME, &abs, 0), 0,
	      "TIMER_ABSTIME clock_nanosleep on CLOCK_REALTIME");
	ok(now_ms(CLOCK_REALTIME) >= abs.tv_sec * 1000 + abs.tv_nsec / 1000000,
	   "it woke at the absolute realtime deadline");
	abs.tv_sec = 1;
	ok_eq(sysc(SYS_clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, 0), 0,
	      "an absolute time in the past returns at once");
	req.tv_nsec = 1000000000;
	ok_eq(sysc(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &req, 0), -EINVAL, "tv_nsec 1e9 is EINVAL");
	req.tv_nsec = 0;
	req.tv_sec = -1;
	ok_eq(sysc(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &req, 0), -EINVAL, "tv_sec -1 is EINVAL");
	req.tv_sec = 0;
	ok_eq(sysc(SYS_clock_nanosleep, 99, 0, &req, 0), -EINVAL, "a bad clock is EINVAL");
	ok_eq(sysc(SYS_clock_nanosleep, CLOCK_THREAD_CPUTIME_ID, 0, &req, 0), -EOPNOTSUPP,
	      "CLOCK_THREAD_CPUTIME_ID cannot be slept on: EOPNOTSUPP");
	ok_eq(sysc(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, BAD_LOW_PTR, 0), -EFAULT,
	      "a bad request pointer is EFAULT");
}

int main(void)
{
	test_itimer();
	test_posix_timer();
	test_nanosleep();
	return tap_done();
}
