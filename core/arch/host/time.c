/*
 * Clocks on the host target: the host's CLOCK_MONOTONIC (relative to
 * boot) and CLOCK_REALTIME. The tick is a periodic host timer signal, see
 * events.c.
 */
#include <time.h>

#include <jinux/time.h>

#include "arch_hooks.h"
#include "host.h"

static uint64_t boot_ns;

static uint64_t read_clock(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

uint64_t arch_monotonic_ns(void)
{
	if (!boot_ns)
		boot_ns = read_clock(CLOCK_MONOTONIC) - 1;
	return read_clock(CLOCK_MONOTONIC) - boot_ns;
}

uint64_t arch_realtime_ns(void)
{
	return read_clock(CLOCK_REALTIME);
}

uint64_t arch_tick_ns(void)
{
	return HOST_TICK_NS;
}
