/*
 * Futexes: threads sleep on a 32-bit user word and are woken by address.
 *
 * A sleeper is filed under a key that names the word: (mm, address) for a
 * process-private futex, (frame, offset) for a word in a MAP_SHARED
 * mapping, so that processes mapping the same page meet, and a separate
 * (mm, address) kind for shared operations on private memory, as Linux
 * keeps them apart from private ones. The operations below take the
 * address space and a user address, so they work for any caller,
 * including KTESTs that have no user thread.
 */
#ifndef KERNEL_FUTEX_H
#define KERNEL_FUTEX_H

#include <jinux/types.h>

struct mm;
struct thread;

/* Flags for the operations below. */
#define FUTEX_F_SHARED 0x1u  /* not FUTEX_PRIVATE_FLAG: key may be cross-process */

/* No timeout for futex_wait(). */
#define FUTEX_NO_DEADLINE UINT64_MAX

/**
 * futex_wait() - sleep on the word at @uaddr if it holds @val.
 * @mm: address space of the word
 * @uaddr: user address, 4-byte aligned
 * @flags: FUTEX_F_*
 * @val: expected value
 * @bitset: wake-up mask (nonzero); FUTEX_WAKE matches any
 * @deadline_ns: monotonic time to give up at, or FUTEX_NO_DEADLINE
 *
 * Call from a task (it sleeps, interruptibly).
 * Return: 0 when woken; -EAGAIN if the word differs; -EINVAL if
 * unaligned; -EFAULT if unreadable; -ETIMEDOUT; -ERESTARTSYS when a
 * signal (task_kick()) interrupted the sleep.
 */
int futex_wait(struct mm *mm, uintptr_t uaddr, unsigned flags, uint32_t val, uint32_t bitset,
	       uint64_t deadline_ns);

/**
 * futex_wake() - wake up to @nr waiters on @uaddr whose bitset meets @bitset.
 * As Linux, at least one is woken if any matches, even for @nr <= 0.
 * Return: the number woken, or -EINVAL / -EFAULT for a bad address.
 */
long futex_wake(struct mm *mm, uintptr_t uaddr, unsigned flags, int nr, uint32_t bitset);

/**
 * futex_requeue() - wake @nr_wake waiters on @uaddr and move up to
 * @nr_requeue more to @uaddr2. With @cmpval (CMP_REQUEUE), first check
 * that the word at @uaddr holds *@cmpval.
 * Return: the number woken plus moved; -EINVAL for negative counts or
 * bad alignment, -EFAULT, -EAGAIN when the word differs.
 */
long futex_requeue(struct mm *mm, uintptr_t uaddr, uintptr_t uaddr2, unsigned flags,
		   int nr_wake, int nr_requeue, const uint32_t *cmpval);

/**
 * futex_wake_op() - FUTEX_WAKE_OP: apply @encoded_op to the word at
 * @uaddr2, wake @nr_wake waiters on @uaddr and, if the old value of the
 * second word passes the encoded comparison, @nr_wake2 on @uaddr2.
 * Return: the total woken; -ENOSYS for an unknown op or comparison,
 * -EFAULT if the second word is not writable, -EINVAL.
 */
long futex_wake_op(struct mm *mm, uintptr_t uaddr, uintptr_t uaddr2, unsigned flags,
		   int nr_wake, int nr_wake2, uint32_t encoded_op);

/**
 * futex_waiters() - number of tasks sleeping on the word (for tests).
 * Return: the count, or a negative errno for a bad address.
 */
long futex_waiters(struct mm *mm, uintptr_t uaddr, unsigned flags);

/**
 * futex_robust_exit() - the robust-list part of thread exit: for each lock
 * on the list at @head owned by @tid, set FUTEX_OWNER_DIED and wake a
 * waiter (Linux's exit_robust_list; at most ROBUST_LIST_LIMIT entries).
 * A bad list is silently abandoned, as on Linux.
 */
void futex_robust_exit(struct mm *mm, uintptr_t head, int tid);

/**
 * futex_thread_exit() - what a dying thread owes futex users: walk its
 * robust list, then, if it has a clear_child_tid address
 * (CLONE_CHILD_CLEARTID / set_tid_address), write 0 there and wake one
 * waiter (how pthread_join learns of the exit). Clears both fields.
 *
 * Call from the exiting thread's own task, or any task, while
 * t->proc->mm is still the thread's address space and alive: from
 * thread_exit() and the exit_group path for every thread, and from
 * execve before the old mm is dropped. It may sleep only briefly (page
 * faults), never on a futex.
 */
void futex_thread_exit(struct thread *t);

#endif
