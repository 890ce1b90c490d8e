/*
 * The futex wait table: sleepers filed by key in a fixed hash table, and
 * FUTEX_WAIT / WAKE / REQUEUE on it.
 *
 * Each sleeper is a futex_waiter on its own kernel stack with a private
 * wait queue, so a waker can pick exactly the waiters it means (by key
 * and bitset, oldest first) and requeue can move them between keys.
 * The kernel is not preempted and runs one task at a time, so the table
 * needs no lock: nothing can run between futex_wait() reading the word
 * and filing the sleeper, which is the atomicity futexes promise. (On
 * the host target other guest threads may change the word meanwhile,
 * but their FUTEX_WAKE is handled only after we are filed.)
 */
#include <jinux/errno.h>
#include <jinux/frame.h>
#include <jinux/sync.h>
#include <jinux/time.h>
#include <kernel/futex.h>
#include <kernel/mm.h>

#include "futex_internal.h"

#define FUTEX_HASH_BITS 8
#define FUTEX_HASH_SIZE (1u << FUTEX_HASH_BITS)

struct futex_waiter {
	struct futex_key key;
	uint32_t bitset;
	bool woken;                 /* set by the waker, who also unlinks us */
	struct wait_queue wq;       /* only this waiter's task sleeps here */
	struct futex_waiter *prev, *next;
};

struct futex_bucket {
	struct futex_waiter *head, *tail;
};

static struct futex_bucket futex_table[FUTEX_HASH_SIZE];

static struct futex_bucket *bucket_of(const struct futex_key *key)
{
	uint64_t h = (uint64_t)(uintptr_t)key->obj ^ ((uint64_t)key->off << 7) ^ key->kind;

	h *= 0x9e3779b97f4a7c15ULL;
	return &futex_table[h >> (64 - FUTEX_HASH_BITS)];
}

static bool key_eq(const struct futex_key *a, const struct futex_key *b)
{
	return a->kind == b->kind && a->obj == b->obj && a->off == b->off;
}

/* A sleeper keeps the frame of a shared key alive (it may be unmapped). */
static void key_hold(const struct futex_key *key)
{
	if (key->kind == FUTEX_KEY_FRAME)
		frame_get(key->obj);
}

static void key_drop(const struct futex_key *key)
{
	if (key->kind == FUTEX_KEY_FRAME)
		frame_put(key->obj);
}

static void queue_add(struct futex_bucket *b, struct futex_waiter *w)
{
	w->next = NULL;
	w->prev = b->tail;
	if (b->tail)
		b->tail->next = w;
	else
		b->head = w;
	b->tail = w;
}

static void queue_del(struct futex_bucket *b, struct futex_waiter *w)
{
	if (w->prev)
		w->prev->next = w->next;
	else
		b->head = w->next;
	if (w->next)
		w->next->prev = w->prev;
	else
		b->tail = w->prev;
	w->prev = w->next = NULL;
}

/* Unlink @w and let its task run; @w (on that task's stack) is not touched after. */
static void wake_waiter(struct futex_bucket *b, struct futex_waiter *w)
{
	queue_del(b, w);
	w->woken = true;
	wait_queue_wake_one(&w->wq);
}

long futex_wake_key(const struct futex_key *key, int nr, uint32_t bitset)
{
	struct futex_bucket *b = bucket_of(key);
	struct futex_waiter *w, *next;
	long woken = 0;

	for (w = b->head; w; w = next) {
		next = w->next;
		if (!key_eq(&w->key, key) || !(w->bitset & bitset))
			continue;
		wake_waiter(b, w);
		if (++woken >= nr)
			break;
	}
	return woken;
}

/* Sleep until woken, the deadline passes or a signal kicks us. */
static int futex_sleep(struct futex_waiter *w, uint64_t deadline_ns)
{
	unsigned long flags = irq_save();
	int ret = 0;

	while (!w->woken && !ret) {
		uint64_t timeout = 0, now;

		if (deadline_ns != FUTEX_NO_DEADLINE) {
			now = clock_monotonic_ns();
			if (now >= deadline_ns) {
				ret = -ETIMEDOUT;
				break;
			}
			timeout = deadline_ns - now;
		}
		ret = wait_queue_sleep(&w->wq, flags, timeout, true);
	}
	irq_restore(flags);
	return ret;
}

int futex_wait(struct mm *mm, uintptr_t uaddr, unsigned flags, uint32_t val, uint32_t bitset,
	       uint64_t deadline_ns)
{
	struct futex_waiter w = { .bitset = bitset };
	struct futex_bucket *b;
	uint32_t cur;
	int ret;

	if (!bitset)
		return -EINVAL;
	ret = futex_get_key(mm, uaddr, flags, &w.key);
	if (ret)
		return ret;
	if (futex_read_word(mm, uaddr, &cur))
		return -EFAULT;
	if (cur != val)
		return -EAGAIN;
	wait_queue_init(&w.wq);
	key_hold(&w.key);
	b = bucket_of(&w.key);
	queue_add(b, &w);
	ret = futex_sleep(&w, deadline_ns);
	if (!w.woken)
		queue_del(bucket_of(&w.key), &w);  /* requeue may have moved us */
	key_drop(&w.key);
	if (w.woken)
		return 0;
	return ret == -ETIMEDOUT ? -ETIMEDOUT : -ERESTARTSYS;
}

long futex_wake(struct mm *mm, uintptr_t uaddr, unsigned flags, int nr, uint32_t bitset)
{
	struct futex_key key;
	int ret;

	if (!bitset)
		return -EINVAL;
	ret = futex_get_key(mm, uaddr, flags, &key);
	if (ret)
		return ret;
	return futex_wake_key(&key, nr, bitset);
}

/* File @w under @to: same bucket keeps its place, as Linux does. */
static void requeue_waiter(struct futex_bucket *from, struct futex_waiter *w,
			   const struct futex_key *to)
{
	struct futex_bucket *b = bucket_of(to);

	key_hold(to);
	key_drop(&w->key);
	w->key = *to;
	if (b != from) {
		queue_del(from, w);
		queue_add(b, w);
	}
}

long futex_requeue(struct mm *mm, uintptr_t uaddr, uintptr_t uaddr2, unsigned flags,
		   int nr_wake, int nr_requeue, const uint32_t *cmpval)
{
	struct futex_key key1, key2;
	struct futex_bucket *b;
	struct futex_waiter *w, *next;
	long count = 0;
	uint32_t cur;
	int ret;

	if (nr_wake < 0 || nr_requeue < 0)
		return -EINVAL;
	ret = futex_get_key(mm, uaddr, flags, &key1);
	if (!ret)
		ret = futex_get_key(mm, uaddr2, flags, &key2);
	if (ret)
		return ret;
	if (cmpval) {
		if (futex_read_word(mm, uaddr, &cur))
			return -EFAULT;
		if (cur != *cmpval)
			return -EAGAIN;
	}
	b = bucket_of(&key1);
	for (w = b->head; w; w = next) {
		next = w->next;
		if (count - nr_wake >= nr_requeue)
			break;
		if (!key_eq(&w->key, &key1))
			continue;
		if (++count <= nr_wake)
			wake_waiter(b, w);
		else
			requeue_waiter(b, w, &key2);
	}
	return count;
}

long futex_waiters(struct mm *mm, uintptr_t uaddr, unsigned flags)
{
	struct futex_key key;
	struct futex_waiter *w;
	long n = 0;
	int ret = futex_get_key(mm, uaddr, flags, &key);

	if (ret)
		return ret;
	for (w = bucket_of(&key)->head; w; w = w->next)
		n += key_eq(&w->key, &key);
	return n;
}
