/*
 * rt_sigaction and rt_sigprocmask: per-process signal state. Delivery of
 * caught signals arrives with the signals issue; for now a fault kills
 * the process with the default action whatever the disposition.
 */
#include <jinux/errno.h>
#include <jinux/uaccess.h>
#include <kernel/process.h>
#include <kernel/syscall.h>
#include <uapi/signal.h>

#define UNBLOCKABLE (SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))

long sys_rt_sigaction(struct process *p, const uint64_t a[6])
{
	uint64_t sig = a[0];
	struct linux_sigaction act;

	if (a[3] != sizeof(uint64_t))
		return -EINVAL;
	if (sig < 1 || sig > NSIG)
		return -EINVAL;
	if (a[1] && (sig == SIGKILL || sig == SIGSTOP))
		return -EINVAL;
	if (a[1] && copy_from_user(p->mm->vs, &act, user_ptr(a[1]), sizeof(act)))
		return -EFAULT;
	if (a[2] && copy_to_user(p->mm->vs, user_ptr(a[2]), &p->sigactions[sig - 1],
				 sizeof(act)))
		return -EFAULT;
	if (a[1]) {
		act.mask &= ~UNBLOCKABLE;
		p->sigactions[sig - 1] = act;
	}
	return 0;
}

long sys_rt_sigprocmask(struct process *p, const uint64_t a[6])
{
	uint64_t how = a[0], set;

	if (a[3] != sizeof(uint64_t))
		return -EINVAL;
	if (a[1]) {
		if (how != SIG_BLOCK && how != SIG_UNBLOCK && how != SIG_SETMASK)
			return -EINVAL;
		if (copy_from_user(p->mm->vs, &set, user_ptr(a[1]), sizeof(set)))
			return -EFAULT;
	}
	if (a[2] && copy_to_user(p->mm->vs, user_ptr(a[2]), &p->sigmask, sizeof(p->sigmask)))
		return -EFAULT;
	if (a[1]) {
		if (how == SIG_BLOCK)
			p->sigmask |= set;
		else if (how == SIG_UNBLOCK)
			p->sigmask &= ~set;
		else
			p->sigmask = set;
		p->sigmask &= ~UNBLOCKABLE;
	}
	return 0;
}
