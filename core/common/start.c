/*
 * core_start: the last step of booting, shared by both targets. Reads the
 * core's own command-line words (loglevel=N, ktest[=PREFIX]) and starts
 * the first task: the KTEST runner or the components' kernel_main().
 */
#include <jinux/frame.h>
#include <jinux/heap.h>
#include <jinux/log.h>
#include <jinux/machine.h>
#include <jinux/string.h>

#include "arch_hooks.h"
#include "core_internal.h"
#include "sched_internal.h"

static char ktest_prefix[64];
static bool ktest_mode;

/* Words before "--" belong to the kernel; after it, to the first program. */
static void parse_cmdline(const char *s)
{
	while (*s) {
		while (*s == ' ')
			s++;
		const char *w = s;
		while (*s && *s != ' ')
			s++;
		size_t n = (size_t)(s - w);
		if (n == 2 && !strncmp(w, "--", 2))
			return;
		if (n > 9 && !strncmp(w, "loglevel=", 9))
			log_set_level(w[9] - '0');
		if (n == 5 && !strncmp(w, "ktest", 5))
			ktest_mode = true;
		if (n > 6 && !strncmp(w, "ktest=", 6)) {
			ktest_mode = true;
			size_t m = MIN(n - 6, sizeof(ktest_prefix) - 1);
			memcpy(ktest_prefix, w + 6, m);
			ktest_prefix[m] = '\0';
		}
	}
}

static void first_task(void *arg)
{
	(void)arg;
	if (ktest_mode)
		ktest_run_all(ktest_prefix[0] ? ktest_prefix : NULL);
	kernel_main();
	machine_exit(0);
}

void core_start(void)
{
	parse_cmdline(boot_cmdline());
	pr_info("core: %zu frames free of %zu", frames_free(), frames_total());
	struct task *t = task_alloc("init", first_task, NULL);
	BUG_ON(!t);
	sched_start(t);
}
