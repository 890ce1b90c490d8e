/*
 * Acting on pending signals on the way back to user mode: default
 * actions (ignore, terminate, terminate with core, stop, continue),
 * handler frames for caught signals, job-control stops (a stopped thread
 * waits here until SIGCONT or SIGKILL), and the fate of an interrupted
 * system call: restarted (rip rewound to the syscall instruction) or
 * failed with EINTR, by the same rules as Linux.
 */
#include <jinux/errno.h>
#include <jinux/sync.h>
#include <jinux/task.h>
#include <jinux/time.h>
#include <jinux/user.h>
#include <kernel/process.h>
#include <kernel/signal.h>
#include "signal_internal.h"

#define NR_restart_syscall 219
#define STOP_POLL_NS (10 * NSEC_PER_MSEC)

void signal_syscall_restart(struct thread *t, long ret)
{
	struct user_regs *r = user_context_regs(t->ctx);

	/* After rt_sigreturn rax is the interrupted code's value, not a result. */
	if (t->sig.sigreturned)
		return;
	r->rax = (uint64_t)ret;
	if (ret == -ERESTARTSYS || ret == -ERESTARTNOINTR || ret == -ERESTARTNOHAND ||
	    ret == -ERESTART_RESTARTBLOCK)
		t->sig.restart_ret = ret;
}

/* Rewind to the syscall instruction so it runs again. */
static void restart_syscall_insn(struct thread *t, uint64_t nr)
{
	struct user_regs *r = user_context_regs(t->ctx);
	r->rax = nr;
	r->rip -= 2;
}

/* A handler is about to run: restart or fail the interrupted call. */
static void restart_for_handler(struct thread *t, const struct linux_sigaction *ka)
{
	long ret = t->sig.restart_ret;

	t->sig.restart_ret = 0;
	switch (-ret) {
	case ERESTARTSYS:
		if (ka->flags & SA_RESTART) {
			restart_syscall_insn(t, t->orig_rax);
			break;
		}
		/* fall through */
	case ERESTARTNOHAND:
	case ERESTART_RESTARTBLOCK:
		user_context_regs(t->ctx)->rax = (uint64_t)-EINTR;
		break;
	case ERESTARTNOINTR:
		restart_syscall_insn(t, t->orig_rax);
		break;
	}
}

/* No handler ran: every interrupted call restarts transparently. */
static void restart_without_handler(struct thread *t)
{
	long ret = t->sig.restart_ret;

	t->sig.restart_ret = 0;
	if (ret == -ERESTART_RESTARTBLOCK)
		restart_syscall_insn(t, NR_restart_syscall);
	else if (ret)
		restart_syscall_insn(t, t->orig_rax);
}

/* Dequeue the next signal @t does not block: its own first, then the group's. */
int signal_dequeue(struct thread *t, uint64_t blocked, struct ksiginfo *info)
{
	struct sigpending *own = &t->sig.pending;
	struct sigpending *shared = &t->proc->sig.shared_pending;
	unsigned long flags = irq_save();
	int sig = sigpending_next(own, blocked);

	if (sig) {
		sigpending_take(own, sig, info);
	} else {
		sig = sigpending_next(shared, blocked);
		if (sig)
			sigpending_take(shared, sig, info);
	}
	irq_restore(flags);
	return sig;
}

static bool kill_pending(const struct thread *t)
{
	return (t->sig.pending.set | t->proc->sig.shared_pending.set) & SIGBIT(SIGKILL);
}

static bool stop_over(const struct thread *t)
{
	const struct process *p = t->proc;
	return !p->stopped || t->exiting || p->group_exiting || kill_pending(t);
}

/*
 * A stopped thread sleeps until SIGCONT or SIGKILL. The sleep ignores
 * kicks (they are sticky until user mode runs again) and re-checks every
 * STOP_POLL_NS in case a wake-up came from a path that does not know
 * about stop_wq (process_exit_group).
 */
static void wait_while_stopped(struct thread *t)
{
	struct wait_queue *wq = &t->proc->sig.stop_wq;
	while (!stop_over(t))
		wait_event_timeout_flags(wq, stop_over(t), STOP_POLL_NS, false);
}

/* Default action "stop": the group stops; the other threads follow. */
static void do_stop(struct thread *t, int sig)
{
	struct process *p = t->proc;

	if (!p->stopped)
		process_set_stopped(p, sig);
	for (struct thread *o = p->threads; o; o = o->group_next)
		if (o != t && o->task)
			task_kick(o->task);
}

/* Default actions. Return: true if the thread must stop delivering (death). */
static bool default_action(struct thread *t, int sig)
{
	if (sig_default_ignored(sig))
		return false;
	if (sig_default_stops(sig)) {
		do_stop(t, sig);
		return false;
	}
	/* The status says "core dumped" only when a dump would be written:
	 * Jinux writes none, so only when RLIMIT_CORE allows one. */
	bool core = sig_default_core(sig) && t->proc->rlim[RLIMIT_CORE].rlim_cur != 0;
	process_exit_group(t->proc, W_SIGNALED(sig, core));
	return true;
}

/* A handler frame could not be written: die of SIGSEGV, as Linux does. */
void signal_force_segv(struct thread *t)
{
	struct process *p = t->proc;
	p->sighand->action[SIGSEGV - 1].handler = SIG_DFL;
	signal_fault(t, SIGSEGV, SI_KERNEL, 0);
}

static void run_handler(struct thread *t, int sig, const struct ksiginfo *info)
{
	struct linux_sigaction *ka = &t->proc->sighand->action[sig - 1];
	struct linux_sigaction act = *ka;
	uint64_t oldmask = t->sig.restore_saved_mask ? t->sig.saved_mask : t->sig.blocked;

	restart_for_handler(t, &act);
	if (signal_setup_frame(t, sig, info, &act, oldmask)) {
		signal_force_segv(t);
		return;
	}
	t->sig.restore_saved_mask = false;
	t->sig.blocked = oldmask | act.mask;
	if (!(act.flags & SA_NODEFER))
		t->sig.blocked |= SIGBIT(sig);
	t->sig.blocked &= ~SIG_UNBLOCKABLE;
	if (act.flags & SA_RESETHAND)
		ka->handler = SIG_DFL;
}

/*
 * Nothing to do on this return to user mode: no signal @t could take, no
 * stop, no interrupted call to settle, no mask to put back. The common
 * case (every system call comes back through here), so it is checked
 * without masking interrupts: one that queues a signal after this test
 * also kicks the task, and user_run() returns at once.
 */
static bool nothing_to_deliver(const struct thread *t)
{
	const struct process *p = t->proc;
	uint64_t pending = t->sig.pending.set | p->sig.shared_pending.set;

	return !(pending & ~t->sig.blocked) && !p->stopped && !t->sig.restart_ret &&
	       !t->sig.sigreturned && !t->sig.restore_saved_mask;
}

void signal_deliver(struct thread *t)
{
	struct process *p = t->proc;
	bool handled = false;

	if (nothing_to_deliver(t))
		return;
	for (;;) {
		if (t->exiting || p->group_exiting)
			return;
		if (p->stopped && !kill_pending(t)) {
			wait_while_stopped(t);
			continue;
		}
		struct ksiginfo info;
		int sig = signal_dequeue(t, t->sig.blocked, &info);
		if (!sig)
			break;
		uint64_t handler = p->sighand->action[sig - 1].handler;
		if (sig == SIGKILL || handler == SIG_DFL) {
			if (default_action(t, sig))
				return;
			continue;
		}
		if (handler == SIG_IGN)
			continue;
		/* Like Linux, frames for every deliverable signal stack up now. */
		run_handler(t, sig, &info);
		handled = true;
	}
	if (!handled)
		restart_without_handler(t);
	t->sig.sigreturned = false;
	if (t->sig.restore_saved_mask) {
		t->sig.restore_saved_mask = false;
		t->sig.blocked = t->sig.saved_mask;
	}
}
