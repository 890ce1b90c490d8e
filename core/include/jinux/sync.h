/*
 * Synchronisation: interrupt masking, spin locks, wait queues, mutexes.
 *
 * One CPU and a non-preemptible kernel: a spin lock only has to keep
 * interrupt handlers (timer callbacks, console input) away.
 */
#ifndef JINUX_SYNC_H
#define JINUX_SYNC_H

#include <jinux/types.h>

/** irq_save() - mask interrupts; returns the previous state. */
unsigned long irq_save(void);
/** irq_restore() - restore the state returned by irq_save(). */
void irq_restore(unsigned long flags);

typedef struct {
	int locked;
} spinlock_t;

#define SPINLOCK_INIT { 0 }

static inline unsigned long spin_lock_irqsave(spinlock_t *l)
{
	unsigned long flags = irq_save();
	l->locked = 1;
	return flags;
}

static inline void spin_unlock_irqrestore(spinlock_t *l, unsigned long flags)
{
	l->locked = 0;
	irq_restore(flags);
}

struct task;

struct wait_queue {
	struct wait_entry *head, *tail;
};

#define WAIT_QUEUE_INIT { NULL, NULL }

/** wait_queue_init() - make @wq empty. */
void wait_queue_init(struct wait_queue *wq);

/**
 * wait_queue_sleep() - block the current task on @wq until woken, until
 * @timeout_ns passes (0 means no timeout), or, if @interruptible, until
 * task_kick(). Call with interrupts masked by irq_save() (flags in
 * @flags), after checking the condition being waited for; they are
 * unmasked while sleeping and masked again on return. Use wait_event().
 * Return: 0 when woken, -ETIMEDOUT, or -EINTR when kicked.
 */
int wait_queue_sleep(struct wait_queue *wq, unsigned long flags,
		     uint64_t timeout_ns, bool interruptible);

/** wait_queue_wake_one() - wake the longest waiter. Any context. */
void wait_queue_wake_one(struct wait_queue *wq);
/** wait_queue_wake_all() - wake every waiter. Any context. */
void wait_queue_wake_all(struct wait_queue *wq);

/*
 * wait_event() - sleep on @wq until @cond is true. Evaluates to 0, or
 * -EINTR if kicked (interruptible variant) or -ETIMEDOUT.
 */
#define wait_event_timeout_flags(wq, cond, timeout_ns, intr)                  \
	({                                                                    \
		int __ret = 0;                                                \
		for (;;) {                                                    \
			unsigned long __f = irq_save();                       \
			if (cond) {                                           \
				irq_restore(__f);                             \
				break;                                        \
			}                                                     \
			__ret = wait_queue_sleep((wq), __f, (timeout_ns), (intr)); \
			irq_restore(__f);                                     \
			if (__ret)                                            \
				break;                                        \
		}                                                             \
		__ret;                                                        \
	})
#define wait_event(wq, cond) wait_event_timeout_flags(wq, cond, 0, false)
#define wait_event_interruptible(wq, cond) wait_event_timeout_flags(wq, cond, 0, true)

/* A sleeping lock for long critical sections in components. */
struct mutex {
	bool locked;
	struct task *owner;
	struct wait_queue waiters;
};

#define MUTEX_INIT { false, NULL, WAIT_QUEUE_INIT }
void mutex_init(struct mutex *m);
void mutex_lock(struct mutex *m);
void mutex_unlock(struct mutex *m);

#endif
