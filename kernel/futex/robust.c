/*
 * Robust futexes and the futex duties of a dying thread.
 *
 * A thread registers (set_robust_list) a list in its own memory of the
 * locks it holds. If it dies holding one, nobody would ever unlock it, so
 * at exit the kernel walks the list and, for each lock word still naming
 * the thread, sets FUTEX_OWNER_DIED and wakes a waiter: the next locker
 * gets EOWNERDEAD. The list is untrusted user memory: every read may
 * fault, and the walk stops after ROBUST_LIST_LIMIT entries.
 */
#include <jinux/errno.h>
#include <jinux/uaccess.h>
#include <kernel/futex.h>
#include <kernel/mm.h>
#include <kernel/process.h>
#include <uapi/futex.h>

#include "futex_internal.h"

/* Linux wakes robust waiters as a shared futex. */
static void robust_wake(struct mm *mm, uintptr_t uaddr)
{
	futex_wake(mm, uaddr, FUTEX_F_SHARED, 1, FUTEX_BITSET_MATCH_ANY);
}

/*
 * The owner @tid died holding (or, if @pending, maybe taking or
 * releasing) the lock whose word is at @uaddr. Return: 0, or -EFAULT to
 * stop the walk.
 */
static int robust_lock_died(struct mm *mm, uintptr_t uaddr, int tid, bool pending, bool pi)
{
	uint32_t uval, mval;

	if (!IS_ALIGNED(uaddr, sizeof(uint32_t)))
		return -EFAULT;
	if (futex_read_word(mm, uaddr, &uval))
		return -EFAULT;
	/*
	 * Died between unlocking and taking the pending lock off the list:
	 * a waiter may have been promised the wake-up that never came.
	 */
	if (pending && !pi && uval == 0) {
		robust_wake(mm, uaddr);
		return 0;
	}
	if ((uval & FUTEX_TID_MASK) != (uint32_t)tid)
		return 0;
	mval = (uval & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
	if (futex_write_word(mm, uaddr, mval))
		return -EFAULT;
	if (!pi && (uval & FUTEX_WAITERS))
		robust_wake(mm, uaddr);
	return 0;
}

/* Read a list pointer; bit 0 flags a PI lock. Return: 0 or -EFAULT. */
static int robust_fetch(struct mm *mm, uintptr_t where, uintptr_t *entry, bool *pi)
{
	uint64_t v;

	if (copy_from_user(mm->vs, &v, user_ptr(where), sizeof(v)))
		return -EFAULT;
	*entry = (uintptr_t)(v & ~1ULL);
	*pi = v & 1;
	return 0;
}

void futex_robust_exit(struct mm *mm, uintptr_t head, int tid)
{
	struct linux_robust_list_head h;
	uintptr_t entry, next, pending;
	bool pi, next_pi, pending_pi;
	unsigned limit = ROBUST_LIST_LIMIT;

	if (copy_from_user(mm->vs, &h, user_ptr(head), sizeof(h)))
		return;
	entry = (uintptr_t)(h.next & ~1ULL);
	pi = h.next & 1;
	pending = (uintptr_t)(h.list_op_pending & ~1ULL);
	pending_pi = h.list_op_pending & 1;
	while (entry != head) {
		/* Fetch the next entry first: the lock word may overlay it. */
		if (robust_fetch(mm, entry, &next, &next_pi))
			return;
		if (entry != pending &&
		    robust_lock_died(mm, entry + (uintptr_t)h.futex_offset, tid, false, pi))
			return;
		entry = next;
		pi = next_pi;
		if (!--limit)
			break;
	}
	if (pending)
		robust_lock_died(mm, pending + (uintptr_t)h.futex_offset, tid, true, pending_pi);
}

void futex_thread_exit(struct thread *t)
{
	struct mm *mm = t->proc->mm;
	uint32_t zero = 0;

	if (!mm)
		return;
	if (t->robust_list)
		futex_robust_exit(mm, t->robust_list, t->tid);
	t->robust_list = 0;
	/* pthread_join sleeps on this word until the thread is gone. */
	if (t->clear_child_tid &&
	    !futex_write_word(mm, t->clear_child_tid, zero))
		futex_wake(mm, t->clear_child_tid, FUTEX_F_SHARED, 1, FUTEX_BITSET_MATCH_ANY);
	t->clear_child_tid = 0;
}
