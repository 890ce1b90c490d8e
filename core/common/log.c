/*
 * The kernel log and panic.
 */
#include <jinux/log.h>
#include <jinux/string.h>
#include <jinux/sync.h>

#include "arch_hooks.h"

static int log_level = LOG_WARN;

void log_set_level(int level)
{
	log_level = level;
}

static void log_vprint(const char *prefix, const char *fmt, va_list ap)
{
	char line[512];
	size_t n = (size_t)ksnprintf(line, sizeof(line), "%s", prefix);
	int m = kvsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
	n = MIN(n + (size_t)m, sizeof(line) - 2);
	if (n == 0 || line[n - 1] != '\n')
		line[n++] = '\n';
	arch_log_write(line, n);
}

void printk(int level, const char *fmt, ...)
{
	if (level > log_level)
		return;
	va_list ap;
	va_start(ap, fmt);
	log_vprint("jinux: ", fmt, ap);
	va_end(ap);
}

void panic(const char *fmt, ...)
{
	static bool panicking;

	irq_save();
	if (!panicking) {
		panicking = true;
		va_list ap;
		va_start(ap, fmt);
		log_vprint("jinux: PANIC: ", fmt, ap);
		va_end(ap);
		arch_backtrace();
	}
	arch_panic_halt();
}
