/*
 * The kernel log channel and machine power-off.
 *
 * The log goes to QEMU's debug console (port 0xe9), which the launcher
 * routes to a file; it never mixes with the guest console on the serial
 * port. After a kernel fault or panic the log is mirrored to the serial
 * port too, so a person watching the console sees why the machine
 * stopped. The exit status reaches the launcher twice: as the line
 * "JINUX_EXIT <status>" on the log, and through the isa-debug-exit device.
 */
#include <jinux/log.h>
#include <jinux/machine.h>

#include "arch_hooks.h"
#include "x86.h"

#define DEBUGCON 0xe9
#define DEBUG_EXIT 0xf4
#define ACPI_PM1A_CNT 0x604 /* QEMU PIIX4 power management */

#define RECENT 2048 /* a power of two */
static char recent[RECENT];  /* the last log bytes, replayed on panic */
static size_t recent_pos;
static bool mirror;

void arch_log_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		outb(DEBUGCON, (uint8_t)s[i]);
		recent[recent_pos++ % RECENT] = s[i];
	}
	if (mirror)
		serial_write_raw(s, n);
}

/** x86_log_mirror_to_serial() - from now on also copy the log to COM1. */
void x86_log_mirror_to_serial(void)
{
	mirror = true;
}

/* Replay the tail of the log on the serial port, from a line start. */
static void replay_recent(void)
{
	size_t n = recent_pos < RECENT ? recent_pos : RECENT;
	size_t start = recent_pos - n;

	/* After wrapping, the oldest line is cut: skip it. */
	while (recent_pos > RECENT && n && recent[start % RECENT] != '\n') {
		start++;
		n--;
	}
	serial_write_raw("\r\n", 2);
	for (; n; n--, start++)
		serial_write_raw(&recent[start % RECENT], 1);
}

__noreturn void machine_exit(int status)
{
	char line[32];
	int n = ksnprintf(line, sizeof(line), "JINUX_EXIT %d\n", status & 0xff);

	__asm__ volatile("cli");
	for (int i = 0; i < n; i++)
		outb(DEBUGCON, (uint8_t)line[i]);
	outl(DEBUG_EXIT, (uint32_t)(status & 0xff));
	outw(ACPI_PM1A_CNT, 0x2000);
	for (;;)
		__asm__ volatile("cli; hlt");
}

__noreturn void arch_panic_halt(void)
{
	if (!mirror)
		replay_recent();
	machine_exit(255);
}
