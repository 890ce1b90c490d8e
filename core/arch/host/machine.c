/*
 * The host machine's odds and ends: the kernel log (stderr), backtraces,
 * halting, CPU features, entropy and power-off.
 */
#include <cpuid.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>
#include <unistd.h>

#include <jinux/log.h>
#include <jinux/machine.h>

#include "arch_hooks.h"
#include "host.h"

#define BACKTRACE_MAX 32

void arch_log_write(const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(STDERR_FILENO, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

/*
 * Walk the frame-pointer chain (everything is built with
 * -fno-omit-frame-pointer). Frames must move up the stack by less than a
 * task stack's size, so a wild pointer ends the walk instead of faulting;
 * the task trampoline's zero frame pointer ends it normally.
 */
void arch_backtrace(void)
{
	void **fp = __builtin_frame_address(0);

	for (int i = 0; fp && i < BACKTRACE_MAX; i++) {
		void *ret = fp[1];
		Dl_info info;
		if (ret && dladdr(ret, &info) && info.dli_sname)
			printk(LOG_ERR, "  [<%p>] %s+%#lx", ret, info.dli_sname,
			       (unsigned long)((char *)ret - (char *)info.dli_saddr));
		else
			printk(LOG_ERR, "  [<%p>]", ret);
		void **next = fp[0];
		if (next <= fp || (char *)next - (char *)fp > (1 << 20) ||
		    ((uintptr_t)next & 7))
			break;
		fp = next;
	}
}

void arch_panic_halt(void)
{
	guests_kill_all();
	_exit(255);
}

void machine_exit(int status)
{
	guests_kill_all();
	fflush(stdout);
	/* exit(), not _exit(): LeakSanitizer checks at exit in SANITIZE=1. */
	exit(status & 0xff);
}

uint64_t cpu_hwcap(void)
{
	unsigned a, b, c, d;
	if (!__get_cpuid(1, &a, &b, &c, &d))
		return 0;
	return d;
}

void random_bytes(void *buf, size_t len)
{
	char *p = buf;
	while (len) {
		ssize_t n = getrandom(p, len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			panic("getrandom failed");
		p += n;
		len -= (size_t)n;
	}
}
