/*
 * Wait queues and mutexes.
 *
 * A sleeper puts an entry (on its own stack) on the queue and blocks; a
 * waker takes entries off and makes their tasks runnable. Everything runs
 * with interrupts masked, which on one CPU is all the locking needed.
 */
#include <jinux/errno.h>
#include <jinux/log.h>
#include <jinux/sync.h>

#include "arch_hooks.h"
#include "sched_internal.h"

unsigned long irq_save(void)
{
	return arch_irq_save();
}

void irq_restore(unsigned long flags)
{
	arch_irq_restore(flags);
}

void wait_queue_init(struct wait_queue *wq)
{
	wq->head = wq->tail = NULL;
}

static void wq_remove(struct wait_entry *e)
{
	struct wait_queue *wq = e->wq;
	struct wait_entry **pp = &wq->head, *prev = NULL;

	while (*pp && *pp != e) {
		prev = *pp;
		pp = &(*pp)->next;
	}
	if (!*pp)
		return;
	*pp = e->next;
	if (wq->tail == e)
		wq->tail = prev;
	e->task->waiting = NULL;
}

void wait_cancel(struct task *t, int reason)
{
	if (t->waiting)
		wq_remove(t->waiting);
	task_wake(t, reason);
}

static void sleep_timeout(struct timer *tm)
{
	struct task *t = container_of(tm, struct task, sleep_timer);
	if (t->state == TASK_BLOCKED)
		wait_cancel(t, -ETIMEDOUT);
}

int wait_queue_sleep(struct wait_queue *wq, unsigned long flags, uint64_t timeout_ns,
		     bool interruptible)
{
	struct task *self = task_current();
	struct wait_entry e = { self, wq, NULL };

	(void)flags; /* interrupts stay masked until schedule() idles */
	if (interruptible && task_kick_pending(self))
		return -EINTR;
	if (wq->tail)
		wq->tail->next = &e;
	else
		wq->head = &e;
	wq->tail = &e;
	self->waiting = &e;
	self->interruptible = interruptible;
	self->wake_reason = 0;
	self->state = TASK_BLOCKED;
	if (timeout_ns) {
		timer_init(&self->sleep_timer, sleep_timeout);
		timer_arm(&self->sleep_timer, clock_monotonic_ns() + timeout_ns);
	}
	schedule();
	if (timeout_ns)
		timer_cancel(&self->sleep_timer);
	if (self->waiting)
		wq_remove(self->waiting);
	self->interruptible = false;
	return self->wake_reason;
}

static bool wake_first(struct wait_queue *wq)
{
	struct wait_entry *e = wq->head;
	if (!e)
		return false;
	wq_remove(e);
	task_wake(e->task, 0);
	return true;
}

void wait_queue_wake_one(struct wait_queue *wq)
{
	unsigned long flags = irq_save();
	wake_first(wq);
	irq_restore(flags);
}

void wait_queue_wake_all(struct wait_queue *wq)
{
	unsigned long flags = irq_save();
	while (wake_first(wq))
		;
	irq_restore(flags);
}

void mutex_init(struct mutex *m)
{
	m->locked = false;
	m->owner = NULL;
	wait_queue_init(&m->waiters);
}

void mutex_lock(struct mutex *m)
{
	BUG_ON(m->locked && m->owner == task_current());
	wait_event(&m->waiters, !m->locked);
	m->locked = true;
	m->owner = task_current();
}

void mutex_unlock(struct mutex *m)
{
	BUG_ON(m->owner != task_current());
	m->locked = false;
	m->owner = NULL;
	wait_queue_wake_one(&m->waiters);
}

int task_sleep_ns(uint64_t ns)
{
	struct wait_queue wq = WAIT_QUEUE_INIT;
	unsigned long flags = irq_save();
	int r = wait_queue_sleep(&wq, flags, ns ? ns : 1, true);
	irq_restore(flags);
	return r == -ETIMEDOUT ? 0 : r;
}
