/*
 * The KTEST runner: runs every registered test in a kernel task and prints
 * TAP, then a final "N passed, N failed" line.
 */
#include <jinux/frame.h>
#include <jinux/ktest.h>
#include <jinux/log.h>
#include <jinux/machine.h>
#include <jinux/string.h>

#include "core_internal.h"

static struct ktest *ktests_head, *ktests_tail;
static unsigned ktests_count;
static bool current_failed;

void ktest_register(struct ktest *t)
{
	t->next = NULL;
	if (ktests_tail)
		ktests_tail->next = t;
	else
		ktests_head = t;
	ktests_tail = t;
	ktests_count++;
}

static void report(const char *fmt, ...) __printf(1, 2);

/* Test output goes to the console: it is the test's result, not a log. */
static void report(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	int n = kvsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	console_write(line, MIN((size_t)n, sizeof(line) - 1));
}

void ktest_fail(const char *file, int line, const char *what)
{
	current_failed = true;
	report("# %s:%d: assertion failed: %s\n", file, line, what);
}

void ktest_fail_eq(const char *file, int line, const char *what, long long a, long long b)
{
	current_failed = true;
	report("# %s:%d: assertion failed: %s (%lld != %lld)\n", file, line, what, a, b);
}

static bool selected(const struct ktest *t, const char *prefix)
{
	return !prefix || strncmp(t->name, prefix, strlen(prefix)) == 0;
}

void ktest_run_all(const char *prefix)
{
	unsigned n = 0, passed = 0, failed = 0;

	for (struct ktest *t = ktests_head; t; t = t->next)
		n += selected(t, prefix);
	report("1..%u\n", n);
	n = 0;
	for (struct ktest *t = ktests_head; t; t = t->next) {
		if (!selected(t, prefix))
			continue;
		current_failed = false;
		t->fn();
		n++;
		if (current_failed)
			failed++;
		else
			passed++;
		report("%s %u - %s\n", current_failed ? "not ok" : "ok", n, t->name);
	}
	report("%u passed, %u failed\n", passed, failed);
	machine_exit(failed ? 1 : 0);
}
