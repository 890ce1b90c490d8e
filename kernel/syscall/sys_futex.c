/*
 * futex(2), set_robust_list(2), get_robust_list(2): decode the arguments
 * (operation, flags, timeout) and call the futex component.
 */
#include <jinux/errno.h>
#include <jinux/time.h>
#include <jinux/uaccess.h>
#include <kernel/futex.h>
#include <kernel/process.h>
#include <kernel/syscall.h>
#include <uapi/futex.h>
#include <uapi/time.h>

static bool futex_cmd_has_timeout(int cmd)
{
	return cmd == FUTEX_WAIT || cmd == FUTEX_WAIT_BITSET;
}

/* @a + @b, saturating below FUTEX_NO_DEADLINE. */
static uint64_t add_sat(uint64_t a, uint64_t b)
{
	return a + b < a || a + b == FUTEX_NO_DEADLINE ? FUTEX_NO_DEADLINE - 1 : a + b;
}

/*
 * The monotonic deadline for the timeout at @utime: relative for
 * FUTEX_WAIT, absolute on CLOCK_MONOTONIC (or CLOCK_REALTIME with
 * @realtime) for FUTEX_WAIT_BITSET.
 */
static int futex_read_deadline(struct mm *mm, uint64_t utime, int cmd, bool realtime,
			       uint64_t *deadline)
{
	struct linux_timespec ts;
	uint64_t ns, now = clock_monotonic_ns(), rt;

	if (copy_from_user(mm->vs, &ts, user_ptr(utime), sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (int64_t)NSEC_PER_SEC)
		return -EINVAL;
	if ((uint64_t)ts.tv_sec > (FUTEX_NO_DEADLINE - 1) / NSEC_PER_SEC - 1)
		ns = FUTEX_NO_DEADLINE - 1;
	else
		ns = (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
	if (cmd == FUTEX_WAIT) {
		*deadline = add_sat(now, ns);
	} else if (realtime) {
		/* Converted once: a later clock_settime does not move it. */
		rt = clock_realtime_ns();
		*deadline = ns <= rt ? now : add_sat(now, ns - rt);
	} else {
		*deadline = ns;
	}
	return 0;
}

long sys_futex(struct thread *t, const uint64_t a[6])
{
	struct mm *mm = t->proc->mm;
	uintptr_t uaddr = a[0], uaddr2 = a[4];
	int op = (int)a[1], cmd = op & FUTEX_CMD_MASK;
	uint32_t val = (uint32_t)a[2], val3 = (uint32_t)a[5];
	int val2 = (int)(uint32_t)a[3];  /* the timeout argument as a count */
	unsigned flags = op & FUTEX_PRIVATE_FLAG ? 0 : FUTEX_F_SHARED;
	uint64_t deadline = FUTEX_NO_DEADLINE;
	int ret;

	if (futex_cmd_has_timeout(cmd) && a[3]) {
		ret = futex_read_deadline(mm, a[3], cmd, op & FUTEX_CLOCK_REALTIME, &deadline);
		if (ret)
			return ret;
	}
	if ((op & FUTEX_CLOCK_REALTIME) && !futex_cmd_has_timeout(cmd))
		return -ENOSYS;
	switch (cmd) {
	case FUTEX_WAIT:
		return futex_wait(mm, uaddr, flags, val, FUTEX_BITSET_MATCH_ANY, deadline);
	case FUTEX_WAIT_BITSET:
		return futex_wait(mm, uaddr, flags, val, val3, deadline);
	case FUTEX_WAKE:
		return futex_wake(mm, uaddr, flags, (int)val, FUTEX_BITSET_MATCH_ANY);
	case FUTEX_WAKE_BITSET:
		return futex_wake(mm, uaddr, flags, (int)val, val3);
	case FUTEX_REQUEUE:
		return futex_requeue(mm, uaddr, uaddr2, flags, (int)val, val2, NULL);
	case FUTEX_CMP_REQUEUE:
		return futex_requeue(mm, uaddr, uaddr2, flags, (int)val, val2, &val3);
	case FUTEX_WAKE_OP:
		return futex_wake_op(mm, uaddr, uaddr2, flags, (int)val, val2, val3);
	default:
		return -ENOSYS;
	}
}

long sys_set_robust_list(struct thread *t, const uint64_t a[6])
{
	if (a[1] != sizeof(struct linux_robust_list_head))
		return -EINVAL;
	t->robust_list = a[0];
	t->robust_len = a[1];
	return 0;
}

long sys_get_robust_list(struct thread *t, const uint64_t a[6])
{
	struct thread *target = t;
	uint64_t len = sizeof(struct linux_robust_list_head), head;
	struct vm_space *vs = t->proc->mm->vs;

	if ((int)a[0]) {
		target = thread_find((int)a[0]);
		if (!target)
			return -ESRCH;
		/* Linux asks ptrace_may_access(): same user, or root. */
		if (target->proc != t->proc && t->proc->cred.euid != 0 &&
		    t->proc->cred.euid != target->proc->cred.uid)
			return -EPERM;
	}
	head = target->robust_list;
	if (copy_to_user(vs, user_ptr(a[2]), &len, sizeof(len)))
		return -EFAULT;
	if (copy_to_user(vs, user_ptr(a[1]), &head, sizeof(head)))
		return -EFAULT;
	return 0;
}
