/*
 * Kernel tasks and the scheduler.
 *
 * A task is a kernel thread of control with its own stack. User threads
 * are tasks that call user_run() in a loop. Scheduling is round-robin on
 * one CPU; the kernel itself is not preempted (a task runs until it
 * blocks or yields), while user mode is preempted by the timer tick.
 */
#ifndef JINUX_TASK_H
#define JINUX_TASK_H

#include <jinux/types.h>

struct task;

/**
 * task_create() - create a runnable task that calls @entry(@arg).
 * When @entry returns the task exits. @name is copied (15 chars kept).
 * Return: the task, or NULL when out of memory.
 */
struct task *task_create(const char *name, void (*entry)(void *arg), void *arg);

/** task_current() - the running task. */
struct task *task_current(void);

/** task_name() - the name given at creation. */
const char *task_name(const struct task *t);

/** task_yield() - let other runnable tasks run first. */
void task_yield(void);

/**
 * task_exit() - end the current task. Its stack and descriptor are freed
 * after the switch away.
 */
__noreturn void task_exit(void);

/** task_set_data() / task_data() - a pointer owned by the component. */
void task_set_data(struct task *t, void *data);
void *task_data(const struct task *t);

/**
 * task_kick() - interrupt @t: if it is in user_run(), user_run() returns
 * USER_EXIT_INTERRUPT soon; if it sleeps interruptibly, the sleep ends
 * with -EINTR. Used by components for signals. Callable from any context.
 */
void task_kick(struct task *t);

/** task_sleep_ns() - sleep at least @ns. Return: 0, or -EINTR if kicked. */
int task_sleep_ns(uint64_t ns);

/** tasks_alive() - number of tasks that exist now (for leak tests). */
unsigned tasks_alive(void);

#endif
