/*
 * Clocks and timers.
 */
#ifndef JINUX_TIME_H
#define JINUX_TIME_H

#include <jinux/types.h>

#define NSEC_PER_SEC 1000000000ULL
#define NSEC_PER_MSEC 1000000ULL
#define NSEC_PER_USEC 1000ULL

/** clock_monotonic_ns() - nanoseconds since boot; never goes back. */
uint64_t clock_monotonic_ns(void);

/** clock_realtime_ns() - nanoseconds since the Unix epoch (wall clock). */
uint64_t clock_realtime_ns(void);

/** clock_tick_ns() - resolution of timer expiry (the tick period). */
uint64_t clock_tick_ns(void);

struct timer {
	uint64_t deadline;            /* monotonic ns */
	void (*fn)(struct timer *t);  /* runs in interrupt context */
	struct timer *next;
	bool armed;
};

/** timer_init() - prepare @t to call @fn when it expires. */
void timer_init(struct timer *t, void (*fn)(struct timer *t));

/**
 * timer_arm() - (re)arm @t to expire at monotonic time @deadline_ns.
 * The callback runs in interrupt context at the first tick at or after
 * the deadline; it may wake tasks and re-arm timers but not sleep.
 */
void timer_arm(struct timer *t, uint64_t deadline_ns);

/** timer_cancel() - disarm @t. Return: true if it was armed. */
bool timer_cancel(struct timer *t);

#endif
