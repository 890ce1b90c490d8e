/*
 * clock: clock_gettime, gettimeofday, time and nanosleep. Monotonic time
 * never goes backwards, real time is a plausible date, the three ways of
 * reading real time agree, a 10 ms sleep lasts at least 10 ms of
 * monotonic time (a lower bound is behaviour, not a benchmark), and
 * malformed arguments give EINVAL or EFAULT.
 */
#include <sys/time.h>
#include <stdlib.h>
#include <time.h>

#include "lib/tap.h"

#define NSEC 1000000000L
#define Y2020 1577836800L /* 2020-01-01T00:00:00Z */

static long ns_of(const struct timespec *t)
{
	return t->tv_sec * NSEC + t->tv_nsec;
}

static int normal(const struct timespec *t)
{
	return t->tv_sec >= 0 && t->tv_nsec >= 0 && t->tv_nsec < NSEC;
}

static void check_monotonic(void)
{
	struct timespec a, b;
	int forward = 1, norm = 1;

	ok_eq(sysc(SYS_clock_gettime, CLOCK_MONOTONIC, &a), 0, "clock_gettime(CLOCK_MONOTONIC) succeeds");
	for (int i = 0; i < 2000; i++) {
		sysc(SYS_clock_gettime, CLOCK_MONOTONIC, &b);
		norm &= normal(&b);
		forward &= ns_of(&b) >= ns_of(&a);
		a = b;
	}
	ok(norm, "CLOCK_MONOTONIC values are normalised (0 <= tv_nsec < 1e9)");
	ok(forward, "CLOCK_MONOTONIC never decreases over 2000 reads");
}

static void check_realtime(void)
{
	struct timespec ts;
	struct timeval tv;
	long t, t2 = 0;

	ok_eq(sysc(SYS_clock_gettime, CLOCK_REALTIME, &ts), 0, "clock_gettime(CLOCK_REALTIME) succeeds");
	ok_why(ts.tv_sec > Y2020 && normal(&ts), "CLOCK_REALTIME is after 2020-01-01",
	       "got %ld.%09ld", (long)ts.tv_sec, (long)ts.tv_nsec);
	ok_eq(sysc(SYS_gettimeofday, &tv, 0), 0, "gettimeofday succeeds");
	ok_why(tv.tv_usec >= 0 && tv.tv_usec < 1000000 && labs(tv.tv_sec - ts.tv_sec) <= 1,
	       "gettimeofday agrees with CLOCK_REALTIME within a second",
	       "gettimeofday %ld.%06ld, clock_gettime %ld", (long)tv.tv_sec, (long)tv.tv_usec,
	       (long)ts.tv_sec);
	t = sysc(SYS_time, &t2);
	ok_why(labs(t - ts.tv_sec) <= 1 && t2 == t, "time agrees with CLOCK_REALTIME and stores its result",
	       "time %ld (stored %ld), clock_gettime %ld", t, t2, (long)ts.tv_sec);
	ok(labs(sysc(SYS_time, 0) - ts.tv_sec) <= 1, "time(NULL) returns the time");
}

static void check_sleep(void)
{
	struct timespec a, b, req = { 0, 10 * 1000 * 1000 };
	long r;

	sysc(SYS_clock_gettime, CLOCK_MONOTONIC, &a);
	r = sysc(SYS_nanosleep, &req, 0);
	sysc(SYS_clock_gettime, CLOCK_MONOTONIC, &b);
	ok_eq(r, 0, "nanosleep(10 ms) returns 0");
	ok_why(ns_of(&b) - ns_of(&a) >= 10 * 1000 * 1000, "nanosleep(10 ms) lasts at least 10 ms",
	       "monotonic time advanced %ld ns", ns_of(&b) - ns_of(&a));
	req.tv_nsec = 0;
	ok_eq(sysc(SYS_nanosleep, &req, 0), 0, "nanosleep(0) returns 0");
}

static void check_errors(void)
{
	struct timespec ts = { 0, NSEC };

	ok_eq(sysc(SYS_nanosleep, &ts, 0), -EINVAL, "nanosleep with tv_nsec = 1e9 is EINVAL");
	ts.tv_nsec = -1;
	ok_eq(sysc(SYS_nanosleep, &ts, 0), -EINVAL, "nanosleep with negative tv_nsec is EINVAL");
	ts.tv_sec = -1;
	ts.tv_nsec = 0;
	ok_eq(sysc(SYS_nanosleep, &ts, 0), -EINVAL, "nanosleep with negative tv_sec is EINVAL");
	ok_eq(sysc(SYS_nanosleep, BAD_LOW_PTR, 0), -EFAULT, "nanosleep with a bad pointer is EFAULT");
	ok_eq(sysc(SYS_clock_gettime, 1000, &ts), -EINVAL, "clock_gettime with an unknown clock is EINVAL");
	ok_eq(sysc(SYS_clock_gettime, CLOCK_MONOTONIC, BAD_LOW_PTR), -EFAULT,
	      "clock_gettime into a bad pointer is EFAULT");
	ok_eq(sysc(SYS_gettimeofday, BAD_LOW_PTR, 0), -EFAULT, "gettimeofday into a bad pointer is EFAULT");
}

int main(void)
{
	check_monotonic();
	check_realtime();
	check_sleep();
	check_errors();
	return tap_done();
}
