/*
 * KTEST: unit tests compiled into the kernel and run on both targets.
 *
 *   KTEST(frame_alloc_gives_zeroed_page) {
 *       struct frame *f = frame_alloc();
 *       KASSERT(f != NULL);
 *       ...
 *   }
 *
 * Booting with "ktest" on the command line runs every test (optionally
 * only those whose name starts with "ktest=PREFIX") in a kernel task,
 * prints TAP lines and a final "N passed, N failed" line, then exits
 * with status 0 if all passed and 1 otherwise.
 *
 * Registration uses constructors (the x86_64 core runs .init_array at
 * boot) rather than a custom section, so AddressSanitizer's redzones
 * around globals cannot break the list.
 */
#ifndef JINUX_KTEST_H
#define JINUX_KTEST_H

#include <jinux/types.h>

struct ktest {
	const char *name;
	const char *file;
	void (*fn)(void);
	struct ktest *next;
};

void ktest_register(struct ktest *t);

/** ktest_fail() - record a failed assertion in the running test. */
void ktest_fail(const char *file, int line, const char *what);

#define KTEST(tname)                                                        \
	static void ktest_fn_##tname(void);                                 \
	static struct ktest ktest_##tname = {                               \
		.name = #tname, .file = __FILE__, .fn = ktest_fn_##tname,   \
	};                                                                  \
	__attribute__((constructor)) static void ktest_reg_##tname(void)    \
	{                                                                   \
		ktest_register(&ktest_##tname);                             \
	}                                                                   \
	static void ktest_fn_##tname(void)

/* Fails the test and returns from it when @cond is false. */
#define KASSERT(cond)                                                       \
	do {                                                                \
		if (!(cond)) {                                              \
			ktest_fail(__FILE__, __LINE__, #cond);              \
			return;                                             \
		}                                                           \
	} while (0)

#define KASSERT_EQ(a, b)                                                    \
	do {                                                                \
		long long __a = (long long)(a), __b = (long long)(b);       \
		if (__a != __b) {                                           \
			ktest_fail_eq(__FILE__, __LINE__, #a " == " #b, __a, __b); \
			return;                                             \
		}                                                           \
	} while (0)

void ktest_fail_eq(const char *file, int line, const char *what, long long a, long long b);

/* Clears a pending task_kick() on the current task (tests that kick). */
void task_test_and_clear_kick_for_tests(void);

#endif
