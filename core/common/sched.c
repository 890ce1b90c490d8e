/*
 * Kernel tasks and the round-robin scheduler.
 *
 * One CPU, and the kernel is not preemptible: a task gives up the CPU only
 * in schedule() (when it blocks, yields or exits). The timer tick sets
 * need_resched when the running task's slice is used up; targets honour
 * it on the way back to user mode. The run queue is a FIFO of runnable
 * tasks, not including the running one.
 */
#include <jinux/errno.h>
#include <jinux/heap.h>
#include <jinux/ktest.h>
#include <jinux/log.h>
#include <jinux/string.h>
#include <jinux/sync.h>
#include <jinux/task.h>
#include <jinux/time.h>

#include "arch_hooks.h"
#include "sched_internal.h"

#define TASK_STACK_SIZE (64 * 1024)
#define TIME_SLICE_NS (10 * NSEC_PER_MSEC)

static struct task *current;
static struct task *rq_head, *rq_tail;
static struct task *zombie;          /* freed once we are off its stack */
static unsigned nr_tasks;
static bool need_resched;
static uint64_t slice_start;

void core_task_entry(void);

static void rq_push(struct task *t)
{
	t->rq_next = NULL;
	if (rq_tail)
		rq_tail->rq_next = t;
	else
		rq_head = t;
	rq_tail = t;
}

static struct task *rq_pop(void)
{
	struct task *t = rq_head;
	if (t) {
		rq_head = t->rq_next;
		if (!rq_head)
			rq_tail = NULL;
	}
	return t;
}

static void free_task(struct task *t)
{
	kfree(t->stack);
	kfree(t);
	nr_tasks--;
}

struct task *task_alloc(const char *name, void (*entry)(void *), void *arg)
{
	struct task *t = kzalloc(sizeof(*t));
	if (!t)
		return NULL;
	t->stack = kmalloc(TASK_STACK_SIZE);
	if (!t->stack) {
		kfree(t);
		return NULL;
	}
	kstrlcpy(t->name, name, sizeof(t->name));
	t->entry = entry;
	t->arg = arg;
	/* Initial frame for core_switch_stack: six registers, then the
	 * return address; after "ret" rsp is 16-byte aligned, so that the
	 * trampoline's call enters C with the ABI's alignment. */
	uint64_t *sp = (uint64_t *)((char *)t->stack + TASK_STACK_SIZE);
	*--sp = (uint64_t)(uintptr_t)core_task_trampoline;
	for (int i = 0; i < 6; i++)
		*--sp = 0;
	t->sp = sp;
	t->state = TASK_RUNNABLE;
	nr_tasks++;
	return t;
}

struct task *task_create(const char *name, void (*entry)(void *), void *arg)
{
	struct task *t = task_alloc(name, entry, arg);
	if (t) {
		unsigned long flags = irq_save();
		rq_push(t);
		irq_restore(flags);
	}
	return t;
}

/* Switch to the next runnable task. Interrupts masked by the caller. */
void schedule(void)
{
	struct task *prev = current, *next;

	if (prev->state == TASK_RUNNING) {
		prev->state = TASK_RUNNABLE;
		rq_push(prev);
	}
	while (!(next = rq_pop()))
		arch_wait_for_event();
	need_resched = false;
	slice_start = arch_monotonic_ns();
	next->state = TASK_RUNNING;
	if (next == prev)
		return;
	current = next;
	void *asan_state = NULL;
	arch_stack_switch_begin(prev->state == TASK_DEAD ? NULL : &asan_state, next->stack,
				TASK_STACK_SIZE);
	core_switch_stack(&prev->sp, next->sp);
	arch_stack_switch_end(asan_state);
	/* Back on prev's stack: whoever switched to us may have exited. */
	if (zombie && zombie != current) {
		free_task(zombie);
		zombie = NULL;
	}
}

void core_task_entry(void)
{
	arch_stack_switch_end(NULL);
	if (zombie && zombie != current) {
		free_task(zombie);
		zombie = NULL;
	}
	arch_irq_enable();
	current->entry(current->arg);
	task_exit();
}

void sched_start(struct task *first)
{
	static void *boot_sp;

	arch_irq_save();
	current = first;
	first->state = TASK_RUNNING;
	slice_start = arch_monotonic_ns();
	arch_stack_switch_begin(NULL, first->stack, TASK_STACK_SIZE);
	core_switch_stack(&boot_sp, first->sp);
	panic("sched_start: returned to the boot stack");
}

struct task *task_current(void)
{
	return current;
}

const char *task_name(const struct task *t)
{
	return t->name;
}

void task_yield(void)
{
	unsigned long flags = irq_save();
	schedule();
	irq_restore(flags);
}

void task_exit(void)
{
	irq_save();
	BUG_ON(zombie != NULL);
	current->state = TASK_DEAD;
	zombie = current;
	schedule();
	panic("task_exit: dead task rescheduled");
}

void task_set_data(struct task *t, void *data)
{
	t->data = data;
}

void *task_data(const struct task *t)
{
	return t->data;
}

unsigned tasks_alive(void)
{
	return nr_tasks;
}

/* Make a blocked task runnable; @reason is what its sleep returns. */
void task_wake(struct task *t, int reason)
{
	if (t->state != TASK_BLOCKED)
		return;
	t->wake_reason = reason;
	t->state = TASK_RUNNABLE;
	rq_push(t);
}

void task_kick(struct task *t)
{
	unsigned long flags = irq_save();
	t->kicked = true;
	if (t->state == TASK_BLOCKED && t->interruptible)
		wait_cancel(t, -EINTR);
	arch_kick_user(t);
	irq_restore(flags);
}

bool task_test_and_clear_kick(void)
{
	bool k = current->kicked;
	current->kicked = false;
	return k;
}

bool task_kick_pending(const struct task *t)
{
	return t->kicked;
}

void sched_tick(uint64_t now)
{
	if (rq_head && now - slice_start >= TIME_SLICE_NS)
		need_resched = true;
}

bool sched_need_resched(void)
{
	return need_resched;
}

/* Lets a KTEST forget a kick it caused on itself. */
void task_test_and_clear_kick_for_tests(void)
{
	current->kicked = false;
}
