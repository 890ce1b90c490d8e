/*
 * Clocks and one-shot timers. Armed timers sit on a list sorted by
 * deadline; the tick runs those that are due.
 */
#include <jinux/sync.h>
#include <jinux/time.h>

#include "arch_hooks.h"
#include "core_internal.h"
#include "sched_internal.h"

static struct timer *timers;

uint64_t clock_monotonic_ns(void)
{
	return arch_monotonic_ns();
}

uint64_t clock_realtime_ns(void)
{
	return arch_realtime_ns();
}

uint64_t clock_tick_ns(void)
{
	return arch_tick_ns();
}

void timer_init(struct timer *t, void (*fn)(struct timer *t))
{
	t->fn = fn;
	t->next = NULL;
	t->armed = false;
	t->deadline = 0;
}

static void unlink_timer(struct timer *t)
{
	for (struct timer **pp = &timers; *pp; pp = &(*pp)->next) {
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	}
	t->armed = false;
}

void timer_arm(struct timer *t, uint64_t deadline_ns)
{
	unsigned long flags = irq_save();
	if (t->armed)
		unlink_timer(t);
	t->deadline = deadline_ns;
	struct timer **pp = &timers;
	while (*pp && (*pp)->deadline <= deadline_ns)
		pp = &(*pp)->next;
	t->next = *pp;
	*pp = t;
	t->armed = true;
	irq_restore(flags);
}

bool timer_cancel(struct timer *t)
{
	unsigned long flags = irq_save();
	bool was = t->armed;
	if (was)
		unlink_timer(t);
	irq_restore(flags);
	return was;
}

void timers_run_expired(uint64_t now)
{
	while (timers && timers->deadline <= now) {
		struct timer *t = timers;
		timers = t->next;
		t->armed = false;
		t->fn(t);
	}
}

/* The earliest armed deadline, or UINT64_MAX; lets the host target sleep
 * exactly until the next timer instead of ticking. */
uint64_t timers_next_deadline(void)
{
	return timers ? timers->deadline : UINT64_MAX;
}

void core_tick(void)
{
	unsigned long flags = irq_save();
	uint64_t now = arch_monotonic_ns();
	timers_run_expired(now);
	sched_tick(now);
	irq_restore(flags);
}
