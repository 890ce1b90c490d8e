/*
 * Signal system calls on the calling thread's own state: dispositions
 * (rt_sigaction), the mask (rt_sigprocmask), what is pending
 * (rt_sigpending), waiting for signals (rt_sigsuspend, pause,
 * rt_sigtimedwait), the alternate stack (sigaltstack) and the return
 * from a handler (rt_sigreturn). Sending is in kernel/signal/kill.c.
 */
#include <jinux/errno.h>
#include <jinux/sync.h>
#include <jinux/time.h>
#include <jinux/uaccess.h>
#include <jinux/user.h>
#include <kernel/process.h>
#include <kernel/signal.h>
#include <kernel/syscall.h>
#include <uapi/time.h>
#include "../signal/signal_internal.h"

static struct vm_space *uspace(struct thread *t)
{
	return user_context_space(t->ctx);
}

/* Setting SIG_IGN (or a default that ignores) discards what is pending. */
static void discard_if_ignored(struct process *p, int sig)
{
	const struct linux_sigaction *a = &p->sighand->action[sig - 1];
	if (a->handler != SIG_IGN && !(a->handler == SIG_DFL && sig_default_ignored(sig)))
		return;
	unsigned long flags = irq_save();
	sigpending_flush(&p->sig.shared_pending, SIGBIT(sig));
	for (struct thread *o = p->threads; o; o = o->group_next)
		sigpending_flush(&o->sig.pending, SIGBIT(sig));
	irq_restore(flags);
}

long sys_rt_sigaction(struct thread *t, const uint64_t a[6])
{
	struct process *p = t->proc;
	uint64_t sig = a[0];
	struct linux_sigaction act, old;

	if (a[3] != sizeof(uint64_t) || sig < 1 || sig > NSIG)
		return -EINVAL;
	if (a[1] && (sig == SIGKILL || sig == SIGSTOP))
		return -EINVAL;
	if (a[1] && copy_from_user(uspace(t), &act, user_ptr(a[1]), sizeof(act)))
		return -EFAULT;
	old = p->sighand->action[sig - 1];
	if (a[1]) {
		act.mask &= ~SIG_UNBLOCKABLE;
		act.flags &= SA_KNOWN_FLAGS;
		p->sighand->action[sig - 1] = act;
		discard_if_ignored(p, (int)sig);
	}
	if (a[2] && copy_to_user(uspace(t), user_ptr(a[2]), &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

long sys_rt_sigprocmask(struct thread *t, const uint64_t a[6])
{
	uint64_t how = a[0], set = 0, old = t->sig.blocked;

	if (a[3] != sizeof(uint64_t))
		return -EINVAL;
	if (a[1]) {
		if (copy_from_user(uspace(t), &set, user_ptr(a[1]), sizeof(set)))
			return -EFAULT;
		if (how != SIG_BLOCK && how != SIG_UNBLOCK && how != SIG_SETMASK)
			return -EINVAL;
	}
	if (a[2] && copy_to_user(uspace(t), user_ptr(a[2]), &old, sizeof(old)))
		return -EFAULT;
	if (a[1]) {
		if (how == SIG_BLOCK)
			t->sig.blocked |= set;
		else if (how == SIG_UNBLOCK)
			t->sig.blocked &= ~set;
		else
			t->sig.blocked = set;
		t->sig.blocked &= ~SIG_UNBLOCKABLE;
	}
	return 0;
}

long sys_rt_sigpending(struct thread *t, const uint64_t a[6])
{
	uint64_t set = (t->sig.pending.set | t->proc->sig.shared_pending.set) & t->sig.blocked;

	if (a[1] > sizeof(uint64_t))
		return -EINVAL;
	return copy_to_user(uspace(t), user_ptr(a[0]), &set, a[1]) ? -EFAULT : 0;
}

/*
 * Sleep until a signal arrives (task_kick ends the sleep). A kick with
 * nothing deliverable (kicks are sticky until user mode runs) still ends
 * it: the caller returns a restart code, so the call runs again.
 */
static void sleep_for_signal(struct thread *t, uint64_t timeout_ns, int *timed_out)
{
	struct wait_queue wq = WAIT_QUEUE_INIT;
	unsigned long flags = irq_save();
	int r = 0;

	if (!signal_pending(t))
		r = wait_queue_sleep(&wq, flags, timeout_ns, true);
	irq_restore(flags);
	if (timed_out)
		*timed_out = r == -ETIMEDOUT;
}

/* Temporarily replace the mask until the next delivery (sigsuspend). */
static void set_saved_mask(struct thread *t, uint64_t mask)
{
	t->sig.saved_mask = t->sig.blocked;
	t->sig.restore_saved_mask = true;
	t->sig.blocked = mask & ~SIG_UNBLOCKABLE;
}

long sys_rt_sigsuspend(struct thread *t, const uint64_t a[6])
{
	uint64_t mask;

	if (a[1] != sizeof(uint64_t))
		return -EINVAL;
	if (copy_from_user(uspace(t), &mask, user_ptr(a[0]), sizeof(mask)))
		return -EFAULT;
	set_saved_mask(t, mask);
	sleep_for_signal(t, 0, NULL);
	return -ERESTARTNOHAND;
}

long sys_pause(struct thread *t, const uint64_t a[6])
{
	(void)a;
	sleep_for_signal(t, 0, NULL);
	return -ERESTARTNOHAND;
}

static int timespec_to_ns(const struct linux_timespec *ts, uint64_t *ns)
{
	if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= (int64_t)NSEC_PER_SEC)
		return -EINVAL;
	uint64_t max_sec = UINT64_MAX / NSEC_PER_SEC / 4;
	uint64_t sec = (uint64_t)ts->tv_sec > max_sec ? max_sec : (uint64_t)ts->tv_sec;
	*ns = sec * NSEC_PER_SEC + (uint64_t)ts->tv_nsec;
	return 0;
}

/* Take a signal of @set for sigtimedwait and report it. */
static long take_waited(struct thread *t, uint64_t set, uint64_t uinfo)
{
	struct ksiginfo info;
	int sig = signal_dequeue(t, ~set, &info);
	if (!sig)
		return 0;
	if (uinfo) {
		struct linux_siginfo u;
		ksiginfo_to_user(&info, &u);
		if (copy_to_user(uspace(t), user_ptr(uinfo), &u, sizeof(u)))
			return -EFAULT;
	}
	return sig;
}

long sys_rt_sigtimedwait(struct thread *t, const uint64_t a[6])
{
	uint64_t set, timeout = 0;
	struct linux_timespec ts;
	int timed_out = 0;

	if (a[3] != sizeof(uint64_t))
		return -EINVAL;
	if (copy_from_user(uspace(t), &set, user_ptr(a[0]), sizeof(set)))
		return -EFAULT;
	set &= ~SIG_UNBLOCKABLE;
	if (a[2]) {
		if (copy_from_user(uspace(t), &ts, user_ptr(a[2]), sizeof(ts)))
			return -EFAULT;
		if (timespec_to_ns(&ts, &timeout))
			return -EINVAL;
	}
	long sig = take_waited(t, set, a[1]);
	if (sig)
		return sig;
	if (a[2] && timeout == 0)
		return -EAGAIN;
	/* While waiting, the signals of @set wake us as unblocked ones do. */
	uint64_t blocked = t->sig.blocked;
	t->sig.blocked &= ~set;
	sleep_for_signal(t, timeout, &timed_out);
	t->sig.blocked = blocked;
	sig = take_waited(t, set, a[1]);
	if (sig)
		return sig;
	if (timed_out)
		return -EAGAIN;
	return signal_pending(t) ? -EINTR : -ERESTARTNOHAND;
}

long sys_sigaltstack(struct thread *t, const uint64_t a[6])
{
	uint64_t sp = user_context_regs(t->ctx)->rsp;
	struct linux_stack ss, old = {
		.ss_sp = t->sig.altstack_sp,
		.ss_flags = altstack_flags(t, sp),
		.ss_size = t->sig.altstack_size,
	};

	if (a[0]) {
		if (copy_from_user(uspace(t), &ss, user_ptr(a[0]), sizeof(ss)))
			return -EFAULT;
		if (on_altstack(t, sp))
			return -EPERM;
		int mode = ss.ss_flags & ~(int)SS_AUTODISARM;
		if (mode != SS_DISABLE && mode != SS_ONSTACK && mode != 0)
			return -EINVAL;
		if (mode == SS_DISABLE) {
			ss.ss_sp = ss.ss_size = 0;
		} else if (ss.ss_size < MINSIGSTKSZ) {
			return -ENOMEM;
		}
		t->sig.altstack_sp = ss.ss_sp;
		t->sig.altstack_size = ss.ss_size;
		t->sig.altstack_flags = ss.ss_flags & (int)SS_AUTODISARM;
	}
	if (a[1] && copy_to_user(uspace(t), user_ptr(a[1]), &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

long sys_rt_sigreturn(struct thread *t, const uint64_t a[6])
{
	(void)a;
	return signal_sigreturn(t);
}
