/*
 * KTESTs for the target-independent core: frames, tasks, wait queues,
 * timers and user copies.
 */
#include <jinux/errno.h>
#include <jinux/frame.h>
#include <jinux/ktest.h>
#include <jinux/string.h>
#include <jinux/sync.h>
#include <jinux/task.h>
#include <jinux/time.h>
#include <jinux/uaccess.h>

KTEST(frame_alloc_gives_zeroed_page_and_put_frees_it)
{
	size_t before = frames_free();
	struct frame *f = frame_alloc();
	KASSERT(f != NULL);
	KASSERT_EQ(frames_free(), before - 1);
	uint8_t buf[PAGE_SIZE];
	memset(buf, 0xaa, sizeof(buf));
	KASSERT_EQ(frame_read(f, 0, buf, sizeof(buf)), 0);
	for (size_t i = 0; i < sizeof(buf); i++)
		KASSERT_EQ(buf[i], 0);
	KASSERT_EQ(frame_write(f, 100, "jinux", 5), 0);
	frame_put(f);
	KASSERT_EQ(frames_free(), before);
	/* A recycled frame comes back zeroed. */
	f = frame_alloc();
	KASSERT_EQ(frame_read(f, 100, buf, 5), 0);
	KASSERT(memcmp(buf, "\0\0\0\0\0", 5) == 0);
	frame_put(f);
}

KTEST(frame_refcount_keeps_frame_until_last_put)
{
	size_t before = frames_free();
	struct frame *f = frame_alloc();
	frame_get(f);
	KASSERT_EQ(frame_refcount(f), 2);
	frame_put(f);
	KASSERT_EQ(frames_free(), before - 1);
	frame_put(f);
	KASSERT_EQ(frames_free(), before);
}

KTEST(frame_access_out_of_bounds_is_rejected)
{
	struct frame *f = frame_alloc();
	char c = 0;
	KASSERT_EQ(frame_read(f, PAGE_SIZE, &c, 1), -EINVAL);
	KASSERT_EQ(frame_write(f, PAGE_SIZE - 1, "ab", 2), -EINVAL);
	KASSERT_EQ(frame_fill(f, 1, 0, (size_t)-1), -EINVAL);
	KASSERT_EQ(frame_read(f, PAGE_SIZE - 1, &c, 1), 0);
	frame_put(f);
}

KTEST(frame_exhaustion_returns_null_and_recovers)
{
	size_t before = frames_free();
	struct frame *head = NULL;
	size_t n = 0;
	/* Chain the frames through their first 8 bytes. */
	for (;;) {
		struct frame *f = frame_alloc();
		if (!f)
			break;
		frame_write(f, 0, &head, sizeof(head));
		head = f;
		n++;
	}
	KASSERT_EQ(n, before);
	KASSERT_EQ(frames_free(), 0);
	while (head) {
		struct frame *next;
		frame_read(head, 0, &next, sizeof(next));
		frame_put(head);
		head = next;
	}
	KASSERT_EQ(frames_free(), before);
}

struct pingpong {
	struct wait_queue wq;
	int turn, rounds, log[8], nlog;
};

static void pong(void *arg)
{
	struct pingpong *p = arg;
	for (int i = 0; i < p->rounds; i++) {
		wait_event(&p->wq, p->turn == 1);
		p->log[p->nlog++] = 1;
		p->turn = 0;
		wait_queue_wake_all(&p->wq);
	}
}

KTEST(wait_queue_hands_off_between_tasks_in_order)
{
	struct pingpong p = { WAIT_QUEUE_INIT, 0, 4, { 0 }, 0 };
	unsigned alive = tasks_alive();
	KASSERT(task_create("pong", pong, &p) != NULL);
	for (int i = 0; i < p.rounds; i++) {
		p.log[p.nlog++] = 0;
		p.turn = 1;
		wait_queue_wake_all(&p.wq);
		wait_event(&p.wq, p.turn == 0);
	}
	KASSERT_EQ(p.nlog, 8);
	for (int i = 0; i < 8; i++)
		KASSERT_EQ(p.log[i], i % 2);
	task_yield(); /* let pong finish and be reaped */
	task_yield();
	KASSERT_EQ(tasks_alive(), alive);
}

KTEST(sleep_lasts_at_least_the_requested_time)
{
	uint64_t t0 = clock_monotonic_ns();
	KASSERT_EQ(task_sleep_ns(5 * NSEC_PER_MSEC), 0);
	KASSERT(clock_monotonic_ns() - t0 >= 5 * NSEC_PER_MSEC);
}

KTEST(wait_with_timeout_returns_etimedout)
{
	struct wait_queue wq = WAIT_QUEUE_INIT;
	int r = wait_event_timeout_flags(&wq, false, 2 * NSEC_PER_MSEC, false);
	KASSERT_EQ(r, -ETIMEDOUT);
}

static void kicker(void *arg)
{
	task_kick(arg);
}

KTEST(kick_interrupts_an_interruptible_sleep)
{
	KASSERT(task_create("kicker", kicker, task_current()) != NULL);
	int r = task_sleep_ns(10 * NSEC_PER_SEC);
	KASSERT_EQ(r, -EINTR);
	task_test_and_clear_kick_for_tests();
}

static int timer_hits;
static void count_hit(struct timer *t)
{
	(void)t;
	timer_hits++;
}

KTEST(timers_fire_in_deadline_order_and_cancel_works)
{
	struct timer a, b;
	timer_hits = 0;
	timer_init(&a, count_hit);
	timer_init(&b, count_hit);
	uint64_t now = clock_monotonic_ns();
	timer_arm(&a, now + 1 * NSEC_PER_MSEC);
	timer_arm(&b, now + 1 * NSEC_PER_SEC);
	KASSERT(timer_cancel(&b));
	KASSERT(!timer_cancel(&b));
	task_sleep_ns(3 * NSEC_PER_MSEC);
	KASSERT_EQ(timer_hits, 1);
	KASSERT(!timer_cancel(&a));
}

static int mutex_counter;
static struct mutex test_mutex = MUTEX_INIT;

static void mutex_worker(void *arg)
{
	(void)arg;
	for (int i = 0; i < 100; i++) {
		mutex_lock(&test_mutex);
		int v = mutex_counter;
		task_yield(); /* another task runs inside the critical section */
		mutex_counter = v + 1;
		mutex_unlock(&test_mutex);
	}
}

KTEST(mutex_excludes_across_yields)
{
	mutex_counter = 0;
	KASSERT(task_create("m1", mutex_worker, NULL));
	KASSERT(task_create("m2", mutex_worker, NULL));
	while (mutex_counter < 200)
		task_sleep_ns(NSEC_PER_MSEC);
	KASSERT_EQ(mutex_counter, 200);
}

KTEST(user_copy_rejects_bad_pointers)
{
	size_t before = frames_free();
	struct vm_space *vs = vm_space_create();
	KASSERT(vs != NULL);
	struct frame *f = frame_alloc();
	const uintptr_t va = 0x400000;
	KASSERT_EQ(vm_space_map(vs, va, f, VM_READ), 0);
	frame_put(f); /* the mapping holds it now */
	char buf[16];
	KASSERT_EQ(copy_from_user(vs, buf, user_ptr(va + 8), 8), 0);
	KASSERT_EQ(copy_to_user(vs, user_ptr(va), "x", 1), -EFAULT);      /* read-only */
	KASSERT_EQ(copy_from_user(vs, buf, user_ptr(va + PAGE_SIZE - 4), 8), -EFAULT); /* runs off */
	KASSERT_EQ(copy_from_user(vs, buf, user_ptr(0), 1), -EFAULT);
	KASSERT_EQ(copy_from_user(vs, buf, user_ptr(0xffff800000000000ULL), 1), -EFAULT);
	KASSERT_EQ(copy_from_user(vs, buf, user_ptr(UINT64_MAX - 2), 8), -EFAULT);
	KASSERT_EQ(vm_space_protect(vs, va, PAGE_SIZE, VM_READ | VM_WRITE), 0);
	KASSERT_EQ(copy_to_user(vs, user_ptr(va + 10), "hello", 6), 0);
	KASSERT_EQ(strncpy_from_user(vs, buf, user_ptr(va + 10), sizeof(buf)), 5);
	KASSERT(strcmp(buf, "hello") == 0);
	KASSERT_EQ(strncpy_from_user(vs, buf, user_ptr(va + 10), 3), 3);
	KASSERT_EQ(clear_user(vs, user_ptr(va + 10), 6), 0);
	KASSERT_EQ(strncpy_from_user(vs, buf, user_ptr(va + 10), sizeof(buf)), 0);
	vm_space_destroy(vs);
	KASSERT_EQ(frames_free(), before);
}
