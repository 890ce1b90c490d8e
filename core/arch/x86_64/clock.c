/*
 * Time: the PIT interrupts 1000 times a second to drive core_tick(); the
 * TSC, calibrated once against PIT channel 2 at boot, gives the monotonic
 * clock; the CMOS real-time clock, read once at boot, anchors the wall
 * clock.
 */
#include <jinux/log.h>
#include <jinux/time.h>

#include "arch_hooks.h"
#include "x86.h"

#define PIT_HZ 1193182ULL
#define PIT_DIVISOR 1193 /* ~1000 Hz */
#define PIT_CH0 0x40
#define PIT_CH2 0x42
#define PIT_CMD 0x43
#define PORT_B 0x61 /* channel 2 gate (bit 0) and output (bit 5) */
#define CALIBRATE_COUNT 11932 /* 10 ms of PIT input clock */

static uint64_t tsc0;        /* TSC at clock_init() */
static uint64_t ns_mult;     /* ns per TSC cycle, 32.32 fixed point */
static uint64_t boot_realtime_ns;

/* Count TSC cycles while PIT channel 2 counts down 10 ms (one-shot). */
static uint64_t tsc_hz_from_pit(void)
{
	uint8_t b = inb(PORT_B);

	outb(PORT_B, (b & ~0x02) & ~0x01); /* speaker off, gate low */
	outb(PIT_CMD, 0xb0);               /* channel 2, lo/hi, mode 0 */
	outb(PIT_CH2, CALIBRATE_COUNT & 0xff);
	outb(PIT_CH2, CALIBRATE_COUNT >> 8);
	uint64_t start = rdtsc();
	outb(PORT_B, (b & ~0x02) | 0x01);  /* gate high: start counting */
	while (!(inb(PORT_B) & 0x20))
		;
	uint64_t cycles = rdtsc() - start;
	outb(PORT_B, b & ~0x03);
	return cycles * PIT_HZ / CALIBRATE_COUNT;
}

static unsigned cmos_read(unsigned reg)
{
	outb(0x70, (uint8_t)reg);
	return inb(0x71);
}

static unsigned bcd(unsigned v, bool is_bcd)
{
	return is_bcd ? (v & 0x0f) + (v >> 4) * 10 : v;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static uint64_t days_from_civil(unsigned y, unsigned m, unsigned d)
{
	y -= m <= 2;
	unsigned era = y / 400, yoe = y - era * 400;
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (uint64_t)era * 146097 + doe - 719468;
}

static uint64_t rtc_read_unix(void)
{
	while (cmos_read(0x0a) & 0x80) /* update in progress: < 2 ms */
		;
	unsigned status_b = cmos_read(0x0b);
	bool is_bcd = !(status_b & 0x04);
	unsigned sec = bcd(cmos_read(0x00), is_bcd);
	unsigned min = bcd(cmos_read(0x02), is_bcd);
	unsigned hour_raw = cmos_read(0x04);
	unsigned day = bcd(cmos_read(0x07), is_bcd);
	unsigned mon = bcd(cmos_read(0x08), is_bcd);
	unsigned year = bcd(cmos_read(0x09), is_bcd);
	unsigned century = bcd(cmos_read(0x32), is_bcd);
	unsigned hour = bcd(hour_raw & 0x7f, is_bcd);

	if (!(status_b & 0x02) && (hour_raw & 0x80)) /* 12-hour clock, PM */
		hour = (hour % 12) + 12;
	else if (!(status_b & 0x02) && hour == 12)
		hour = 0;
	year += (century >= 19 && century <= 30) ? century * 100 : 2000;
	if (mon < 1 || mon > 12 || day < 1 || day > 31)
		return 0;
	return days_from_civil(year, mon, day) * 86400 + hour * 3600 + min * 60 + sec;
}

void clock_init(void)
{
	uint64_t hz = tsc_hz_from_pit();

	if (hz == 0)
		hz = 1000000000; /* cannot happen on a working PIT; stay sane */
	ns_mult = (uint64_t)(((unsigned __int128)NSEC_PER_SEC << 32) / hz);
	tsc0 = rdtsc();
	boot_realtime_ns = rtc_read_unix() * NSEC_PER_SEC;

	outb(PIT_CMD, 0x34); /* channel 0, lo/hi, mode 2 (rate generator) */
	outb(PIT_CH0, PIT_DIVISOR & 0xff);
	outb(PIT_CH0, PIT_DIVISOR >> 8);
	pr_info("x86: TSC %lu kHz\n", (unsigned long)(hz / 1000));
}

void clock_tick_irq(void)
{
	core_tick();
}

uint64_t arch_monotonic_ns(void)
{
	uint64_t d = rdtsc() - tsc0;
	return (uint64_t)(((unsigned __int128)d * ns_mult) >> 32);
}

uint64_t arch_realtime_ns(void)
{
	return boot_realtime_ns + arch_monotonic_ns();
}

uint64_t arch_tick_ns(void)
{
	return PIT_DIVISOR * NSEC_PER_SEC / PIT_HZ;
}
