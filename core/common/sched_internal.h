/*
 * Scheduler internals shared by sched.c, waitq.c, timer.c and start.c.
 */
#ifndef CORE_SCHED_INTERNAL_H
#define CORE_SCHED_INTERNAL_H

#include <jinux/task.h>
#include <jinux/time.h>
#include <jinux/types.h>

enum task_state { TASK_RUNNABLE, TASK_RUNNING, TASK_BLOCKED, TASK_DEAD };

struct wait_entry {
	struct task *task;
	struct wait_queue *wq;
	struct wait_entry *next;
};

struct task {
	void *sp;                   /* saved kernel stack pointer */
	void *stack;                /* kmalloc'd stack base */
	char name[16];
	enum task_state state;
	void (*entry)(void *);
	void *arg;
	void *data;                 /* component-owned */
	struct task *rq_next;
	struct wait_entry *waiting; /* set while blocked on a wait queue */
	bool interruptible;         /* current sleep may be ended by a kick */
	bool kicked;
	int wake_reason;            /* what the sleep returns */
	struct timer sleep_timer;
};

struct task *task_alloc(const char *name, void (*entry)(void *), void *arg);
void schedule(void);
void sched_start(struct task *first) __noreturn;
void sched_tick(uint64_t now);
void task_wake(struct task *t, int reason);
bool task_kick_pending(const struct task *t);
/* Take a blocked @t off its wait queue and wake it with @reason. */
void wait_cancel(struct task *t, int reason);

#endif
