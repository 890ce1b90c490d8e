/*
 * KTESTs for the futex table: value and argument checks, wake order and
 * counts, bitset matching, requeue counts, WAKE_OP, timeouts, signals
 * (task_kick), private and shared keys, and the robust-list walk. They
 * run in kernel tasks on an mm of their own, with no user thread: the
 * sleepers are kernel tasks calling futex_wait() directly.
 *
 * Sleepers live in static storage and every test wakes and reaps them
 * before asserting, so a failed check never leaves a task pointing at a
 * dead stack frame; each sleeper also has a 5 s deadline as a backstop.
 */
#include <jinux/errno.h>
#include <jinux/ktest.h>
#include <jinux/task.h>
#include <jinux/time.h>
#include <jinux/uaccess.h>
#include <kernel/futex.h>
#include <kernel/mm.h>
#include <uapi/futex.h>

#define BASE 0x10000000UL
#define ANY FUTEX_BITSET_MATCH_ANY
#define INT_MAX_ 0x7fffffff

struct sleeper {
	struct mm *mm;
	uintptr_t addr;
	unsigned flags;
	uint32_t val, bitset;
	struct task *task;
	int ret;
	int order;
	bool done;
};

static int sleeper_seq;

static void sleeper_main(void *arg)
{
	struct sleeper *s = arg;

	s->ret = futex_wait(s->mm, s->addr, s->flags, s->val, s->bitset,
			    clock_monotonic_ns() + 5 * NSEC_PER_SEC);
	/* A kick stays pending until taken; this task has no signals to take it. */
	task_test_and_clear_kick_for_tests();
	s->order = sleeper_seq++;
	s->done = true;
}

static struct mm *test_mm(void)
{
	struct mm *mm = mm_create();

	if (mm && mm_map(mm, BASE, 4 * PAGE_SIZE, VM_READ | VM_WRITE, 0)) {
		mm_destroy(mm);
		return NULL;
	}
	return mm;
}

static void put_word(struct mm *mm, uintptr_t addr, uint32_t v)
{
	copy_to_user(mm->vs, user_ptr(addr), &v, sizeof(v));
}

static uint32_t get_word(struct mm *mm, uintptr_t addr)
{
	uint32_t v = 0xdeadbeef;

	copy_from_user(mm->vs, &v, user_ptr(addr), sizeof(v));
	return v;
}

/* Start a sleeper on @addr and let it run until it is filed. */
static void sleeper_start(struct sleeper *s, struct mm *mm, uintptr_t addr, unsigned flags,
			  uint32_t val, uint32_t bitset)
{
	*s = (struct sleeper){ .mm = mm, .addr = addr, .flags = flags, .val = val,
			       .bitset = bitset, .ret = 1 };
	s->task = task_create("futex-ktest", sleeper_main, s);
	if (!s->task)
		s->done = true;
	for (int i = 0; i < 10; i++)
		task_yield();
}

/* Let woken sleepers run to completion. */
static bool sleepers_done(struct sleeper *s, int n)
{
	for (int tries = 0; tries < 1000; tries++) {
		bool all = true;

		for (int i = 0; i < n; i++)
			all &= s[i].done;
		if (all)
			return true;
		task_yield();
		if (tries > 100)
			task_sleep_ns(NSEC_PER_MSEC);
	}
	return false;
}

/* Wake whatever is left on @addrs and reap every sleeper. */
static bool sleepers_reap(struct sleeper *s, int n)
{
	for (int i = 0; i < n; i++)
		if (!s[i].done)
			futex_wake(s[i].mm, s[i].addr, s[i].flags, INT_MAX_, ANY);
	return sleepers_done(s, n);
}

KTEST(futex_wait_checks_value_alignment_and_address)
{
	struct mm *mm = test_mm();
	KASSERT(mm != NULL);
	put_word(mm, BASE, 5);
	KASSERT_EQ(futex_wait(mm, BASE, 0, 4, ANY, FUTEX_NO_DEADLINE), -EAGAIN);
	KASSERT_EQ(futex_wait(mm, BASE, FUTEX_F_SHARED, 4, ANY, FUTEX_NO_DEADLINE), -EAGAIN);
	KASSERT_EQ(futex_wait(mm, BASE + 2, 0, 5, ANY, FUTEX_NO_DEADLINE), -EINVAL);
	KASSERT_EQ(futex_wait(mm, BASE, 0, 5, 0, FUTEX_NO_DEADLINE), -EINVAL);
	KASSERT_EQ(futex_wait(mm, BASE + 8 * PAGE_SIZE, 0, 0, ANY, FUTEX_NO_DEADLINE), -EFAULT);
	KASSERT_EQ(futex_wait(mm, 0xffff800000000000UL, 0, 0, ANY, FUTEX_NO_DEADLINE), -EFAULT);
	KASSERT_EQ(futex_wake(mm, BASE + 8 * PAGE_SIZE, FUTEX_F_SHARED, 1, ANY), -EFAULT);
	KASSERT_EQ(futex_wake(mm, BASE + 8 * PAGE_SIZE, 0, 1, ANY), 0);
	KASSERT_EQ(futex_wake(mm, BASE + 1, 0, 1, ANY), -EINVAL);
	KASSERT_EQ(futex_wait(mm, BASE, 0, 5, ANY, clock_monotonic_ns() - 1), -ETIMEDOUT);
	KASSERT_EQ(futex_waiters(mm, BASE, 0), 0);
	mm_destroy(mm);
}

KTEST(futex_wait_times_out_after_the_deadline)
{
	struct mm *mm = test_mm();
	KASSERT(mm != NULL);
	uint64_t t0 = clock_monotonic_ns();
	int r = futex_wait(mm, BASE, 0, 0, ANY, t0 + 3 * NSEC_PER_MSEC);
	uint64_t t1 = clock_monotonic_ns();
	long left = futex_waiters(mm, BASE, 0);
	mm_destroy(mm);
	KASSERT_EQ(r, -ETIMEDOUT);
	KASSERT(t1 - t0 >= 3 * NSEC_PER_MSEC);
	KASSERT_EQ(left, 0);
}

static struct sleeper order_s[3];

KTEST(futex_wake_wakes_the_oldest_waiter_first)
{
	struct mm *mm = test_mm();
	KASSERT(mm != NULL);
	long filed, w[3];
	bool reaped;

	for (int i = 0; i < 3; i++)
		sleeper_start(&order_s[i], mm, BASE, 0, 0, ANY);
	filed = futex_waiters(mm, BASE, 0);
	sleeper_seq = 0;
	for (int i = 0; i < 3; i++) {
		w[i] = futex_wake(mm, BASE, 0, 1, ANY);
		sleepers_done(&order_s[i], 1);
	}
	reaped = sleepers_reap(order_s, 3);
	mm_destroy(mm);
	KASSERT(reaped);
	KASSERT_EQ(filed, 3);
	for (int i = 0; i < 3; i++) {
		KASSERT_EQ(w[i], 1);
		KASSERT_EQ(order_s[i].ret, 0);
		KASSERT_EQ(order_s[i].order, i);
	}
}

static struct sleeper count_s[4];

KTEST(futex_wake_counts_and_bitsets)
{
	struct mm *mm = test_mm();
	KASSERT(mm != NULL);
	long none, two, bit, rest, left;
	bool reaped;

	sleeper_start(&count_s[0], mm, BASE, 0, 0, 0x1);
	sleeper_start(&count_s[1], mm, BASE, 0, 0, 0x2);
	sleeper_start(&count_s[2], mm, BASE, 0, 0, 0x2);
	sleeper_start(&count_s[3], mm, BASE, 0, 0, 0x4);
	none = futex_wake(mm, BASE, 0, INT_MAX_, 0x8);
	two = futex_wake(mm, BASE, 0, INT_MAX_, 0x2);
	bit = futex_wake(mm, BASE, 0, 0, 0x5);  /* nr 0 still wakes one */
	left = futex_waiters(mm, BASE, 0);
	rest = futex_wake(mm, BASE, 0, INT_MAX_, ANY);
	reaped = sleepers_reap(count_s, 4);
	mm_destroy(mm);
	KASSERT(reaped);
	KASSERT_EQ(none, 0);
	KASSERT_EQ(two, 2);
	KASSERT(count_s[1].ret == 0 && count_s[2].ret == 0);
	KASSERT_EQ(bit, 1);
	KASSERT_EQ(left, 1);
	KASSERT_EQ(rest, 1);
	KASSERT(count_s[0].ret == 0 && count_s[3].ret == 0);
}

static struct sleeper requeue_s[5];

KTEST(futex_requeue_wakes_then_moves)
{
	struct mm *mm = test_mm();
	KASSERT(mm != NULL);
	uint32_t seven = 7, eight = 8;
	long bad, moved, on_a, on_b, more, woke_b, bad_count;
	bool reaped;

	put_word(mm, BASE, 7);
	for (int i = 0; i < 5; i++)
		sleeper_start(&requeue_s[i], mm, BASE, 0, 7, ANY);
	bad = futex_requeue(mm, BASE, BASE + 4, 0, 1, 2, &eight);
	bad_count = futex_requeue(mm, BASE, BASE + 4, 0, -1, 2, &seven);
	moved = futex_requeue(mm, BASE, BASE + 4, 0, 1, 2, &seven);
	on_a = futex_waiters(mm, BASE, 0);
	on_b = futex_waiters(mm, BASE + 4, 0);
	more = futex_requeue(mm, BASE, BASE + 4, 0, 0, 1, NULL);
	woke_b = futex_wake(mm, BASE + 4, 0, INT_MAX_, ANY);
	reaped = sleepers_reap(requeue_s, 5);
	mm_destroy(mm);
	KASSERT(reaped);
	KASSERT_EQ(bad, -EAGAIN);
	KASSERT_EQ(bad_count, -EINVAL);
	KASSERT_EQ(moved, 3);
	KASSERT_EQ(on_a, 2);
	KASSERT_EQ(on_b, 2);
	KASSERT_EQ(more, 1);
	KASSERT_EQ(woke_b, 3);
	for (int i = 0; i < 5; i++)
		KASSERT_EQ(requeue_s[i].ret, 0);
}

static struct sleeper op_s[2];

KTEST(futex_wake_op_changes_the_word_and_wakes_on_match)
{
	struct mm *mm = test_mm();
	KASSERT(mm != NULL);
	long hit, miss, badop;
	uint32_t after_hit, after_miss;
	bool reaped;

	/* SET 1, old == 0: both words' sleepers wake. */
	sleeper_start(&op_s[0], mm, BASE, 0, 0, ANY);
	sleeper_start(&op_s[1], mm, BASE + 4, 0, 0, ANY);
	hit = futex_wake_op(mm, BASE, BASE + 4, 0, 1, 1, (FUTEX_OP_SET << 28) | (1 << 12));
	after_hit = get_word(mm, BASE + 4);
	reaped = sleepers_reap(op_s, 2);
	/* ADD 2 (as 1 << 1), old > 5 false: only the first word. */
	miss = futex_wake_op(mm, BASE, BASE + 4, 0, 1, 1,
			     ((unsigned)(FUTEX_OP_ADD | FUTEX_OP_OPARG_SHIFT) << 28) |
				     (FUTEX_OP_CMP_GT << 24) | (1 << 12) | 5);
	after_miss = get_word(mm, BASE + 4);
	badop = futex_wake_op(mm, BASE, BASE + 4, 0, 1, 1, 7u << 28);
	mm_destroy(mm);
	KASSERT(reaped);
	KASSERT_EQ(hit, 2);
	KASSERT_EQ(after_hit, 1);
	KASSERT_EQ(miss, 0);
	KASSERT_EQ(after_miss, 3);
	KASSERT_EQ(badop, -ENOSYS);
}

static struct sleeper kick_s;

KTEST(futex_wait_is_interrupted_by_a_kick)
{
	struct mm *mm = test_mm();
	KASSERT(mm != NULL);
	long filed, left;
	bool reaped;

	sleeper_start(&kick_s, mm, BASE, 0, 0, ANY);
	filed = futex_waiters(mm, BASE, 0);
	if (kick_s.task)
		task_kick(kick_s.task);
	reaped = sleepers_done(&kick_s, 1);
	left = futex_waiters(mm, BASE, 0);
	reaped = sleepers_reap(&kick_s, 1) && reaped;
	mm_destroy(mm);
	KASSERT(reaped);
	KASSERT_EQ(filed, 1);
	KASSERT_EQ(kick_s.ret, -ERESTARTSYS);
	KASSERT_EQ(left, 0);
}

static struct sleeper key_s[2];

KTEST(futex_private_and_shared_keys_do_not_meet)
{
	struct mm *mm = test_mm();
	struct mm *other = test_mm();
	KASSERT(mm != NULL && other != NULL);
	long priv_on_shared, shared_on_shared, other_mm, priv_on_priv;
	bool reaped;

	sleeper_start(&key_s[0], mm, BASE, FUTEX_F_SHARED, 0, ANY);
	sleeper_start(&key_s[1], mm, BASE + 8, 0, 0, ANY);
	priv_on_shared = futex_wake(mm, BASE, 0, 1, ANY);
	other_mm = futex_wake(other, BASE + 8, 0, 1, ANY);
	shared_on_shared = futex_wake(mm, BASE, FUTEX_F_SHARED, 1, ANY);
	priv_on_priv = futex_wake(mm, BASE + 8, 0, 1, ANY);
	reaped = sleepers_reap(key_s, 2);
	mm_destroy(mm);
	mm_destroy(other);
	KASSERT(reaped);
	KASSERT_EQ(priv_on_shared, 0);
	KASSERT_EQ(other_mm, 0);
	KASSERT_EQ(shared_on_shared, 1);
	KASSERT_EQ(priv_on_priv, 1);
}

static struct sleeper robust_s;

/*
 * A robust list at BASE + PAGE_SIZE: head, then entries A and B whose
 * lock words sit 8 bytes after them; A is held by tid 42 with a waiter,
 * B by tid 43; a pending entry C at tid 42 without waiters.
 */
KTEST(futex_robust_exit_marks_dead_owners_locks)
{
	struct mm *mm = test_mm();
	KASSERT(mm != NULL);
	uintptr_t head = BASE + PAGE_SIZE, a = head + 64, b = head + 128, c = head + 192;
	struct linux_robust_list_head h = { a, 8, c };
	uint64_t next_a = b, next_b = head;
	long filed;
	bool reaped;

	KASSERT_EQ(copy_to_user(mm->vs, user_ptr(head), &h, sizeof(h)), 0);
	copy_to_user(mm->vs, user_ptr(a), &next_a, sizeof(next_a));
	copy_to_user(mm->vs, user_ptr(b), &next_b, sizeof(next_b));
	put_word(mm, a + 8, 42 | FUTEX_WAITERS);
	put_word(mm, b + 8, 43);
	put_word(mm, c + 8, 42);
	sleeper_start(&robust_s, mm, a + 8, FUTEX_F_SHARED, 42 | FUTEX_WAITERS, ANY);
	filed = futex_waiters(mm, a + 8, FUTEX_F_SHARED);
	futex_robust_exit(mm, head, 42);
	reaped = sleepers_done(&robust_s, 1);
	reaped = sleepers_reap(&robust_s, 1) && reaped;
	uint32_t wa = get_word(mm, a + 8), wb = get_word(mm, b + 8), wc = get_word(mm, c + 8);
	mm_destroy(mm);
	KASSERT(reaped);
	KASSERT_EQ(filed, 1);
	KASSERT_EQ(robust_s.ret, 0);
	KASSERT_EQ(wa, FUTEX_OWNER_DIED | FUTEX_WAITERS);
	KASSERT_EQ(wb, 43);
	KASSERT_EQ(wc, FUTEX_OWNER_DIED);
}

KTEST(futex_robust_exit_stops_on_a_circular_list)
{
	struct mm *mm = test_mm();
	KASSERT(mm != NULL);
	uintptr_t head = BASE, a = BASE + 64;
	struct linux_robust_list_head h = { a, 8, 0 };
	uint64_t loop = a;  /* A points at itself: never back to the head */

	copy_to_user(mm->vs, user_ptr(head), &h, sizeof(h));
	copy_to_user(mm->vs, user_ptr(a), &loop, sizeof(loop));
	put_word(mm, a + 8, 42);
	futex_robust_exit(mm, head, 42);
	uint32_t w = get_word(mm, a + 8);
	futex_robust_exit(mm, BASE + 8 * PAGE_SIZE, 42);  /* unmapped: ignored */
	mm_destroy(mm);
	KASSERT_EQ(w, FUTEX_OWNER_DIED);
}
