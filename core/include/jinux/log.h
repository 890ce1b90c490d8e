/*
 * Kernel log, formatted printing and panic.
 *
 * The log goes to a channel separate from the guest console where the
 * target has one (host: stderr; x86_64: the QEMU debug console), so kernel
 * messages never mix into a program's standard output.
 */
#ifndef JINUX_LOG_H
#define JINUX_LOG_H

#include <jinux/types.h>

enum log_level { LOG_ERR = 3, LOG_WARN = 4, LOG_INFO = 6, LOG_DEBUG = 7 };

/**
 * kvsnprintf() - format into a buffer, like vsnprintf(3).
 * Supports %d %i %u %x %X %o %p %s %c %% with the l, ll, z and h length
 * modifiers, field width, precision for %s, and the '-', '0' flags.
 * Callable anywhere, including interrupt context.
 * Return: the length the full output would have had (excluding the NUL).
 */
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/** ksnprintf() - kvsnprintf() with variable arguments. */
int ksnprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

/**
 * printk() - log a message at @level if it is at or below the log level
 * set on the boot command line (loglevel=N, default LOG_WARN).
 * Callable anywhere; messages longer than 512 bytes are truncated.
 */
void printk(int level, const char *fmt, ...) __printf(2, 3);

#define pr_err(...) printk(LOG_ERR, __VA_ARGS__)
#define pr_warn(...) printk(LOG_WARN, __VA_ARGS__)
#define pr_info(...) printk(LOG_INFO, __VA_ARGS__)
#define pr_debug(...) printk(LOG_DEBUG, __VA_ARGS__)

/** log_set_level() - change the threshold used by printk(). */
void log_set_level(int level);

/**
 * panic() - report an unrecoverable kernel error and stop the machine.
 * Prints the message and a backtrace, then exits with status 255 on the
 * host target or halts (reporting failure to the launcher) on x86_64.
 */
__noreturn void panic(const char *fmt, ...) __printf(1, 2);

#define BUG_ON(cond)                                                        \
	do {                                                                \
		if (unlikely(cond))                                         \
			panic("BUG_ON(%s) at %s:%d", #cond, __FILE__, __LINE__); \
	} while (0)

#endif
