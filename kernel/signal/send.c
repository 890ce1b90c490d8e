/*
 * Generating signals: queueing an occurrence for a thread or a whole
 * thread group, with the side effects Linux applies at generation time
 * (SIGCONT resumes a stopped group and discards pending stop signals; a
 * stop signal discards a pending SIGCONT; ignored signals are dropped;
 * SIGKILL ends the group at once), then interrupting a thread that will
 * act on it (task_kick ends an interruptible sleep or user mode).
 * Callable from any context except that SIGKILL and SIGCONT call into the
 * process code, which the timer daemon and system calls do from tasks.
 */
#include <jinux/sync.h>
#include <jinux/task.h>
#include <jinux/user.h>
#include <kernel/process.h>
#include <kernel/signal.h>

static bool handler_ignores(const struct process *p, int sig)
{
	const struct linux_sigaction *a = &p->sighand->action[sig - 1];
	if (sig == SIGKILL || sig == SIGSTOP)
		return false;
	return a->handler == SIG_IGN || (a->handler == SIG_DFL && sig_default_ignored(sig));
}

/* SIGCHLD for a child stopping or continuing is not sent with SA_NOCLDSTOP. */
static bool nocldstop(const struct process *p, const struct ksiginfo *info)
{
	return info->signo == SIGCHLD &&
	       (info->code == CLD_STOPPED || info->code == CLD_CONTINUED) &&
	       (p->sighand->action[SIGCHLD - 1].flags & SA_NOCLDSTOP);
}

static void flush_everywhere(struct process *p, uint64_t mask)
{
	sigpending_flush(&p->sig.shared_pending, mask);
	for (struct thread *t = p->threads; t; t = t->group_next)
		sigpending_flush(&t->sig.pending, mask);
}

/*
 * Generation-time effects; false when the signal is to be dropped. The
 * caller has interrupts masked.
 */
static bool prepare_signal(struct process *p, int sig)
{
	if (p->state != PROC_ALIVE || p->group_exiting || !p->sighand)
		return false;
	if (SIGBIT(sig) & SIG_STOP_SET) {
		flush_everywhere(p, SIGBIT(SIGCONT));
	} else if (sig == SIGCONT) {
		flush_everywhere(p, SIG_STOP_SET);
		if (p->stopped) {
			process_set_continued(p);
			wait_queue_wake_all(&p->sig.stop_wq);
		}
	}
	return true;
}

static bool thread_wants(const struct thread *t, int sig)
{
	return !t->exiting && !(t->sig.blocked & SIGBIT(sig));
}

/* Which thread acts on a group signal: the leader if it can, else any. */
static struct thread *pick_thread(struct process *p, int sig)
{
	for (struct thread *t = p->threads; t; t = t->group_next)
		if (t->tid == p->pid && thread_wants(t, sig))
			return t;
	for (struct thread *t = p->threads; t; t = t->group_next)
		if (thread_wants(t, sig))
			return t;
	return NULL;
}

/* Interrupt @t so it notices the signal (not while stopped, unless it must wake). */
static void wake_thread(struct thread *t, int sig)
{
	if (t->proc->stopped && sig != SIGKILL && sig != SIGCONT)
		return;
	if (t->task)
		task_kick(t->task);
}

static bool ignored_for(const struct process *p, uint64_t blocked, int sig)
{
	return !(blocked & SIGBIT(sig)) && handler_ignores(p, sig);
}

void signal_send_process(struct process *p, const struct ksiginfo *info)
{
	int sig = info->signo;
	if (sig < 1 || sig > NSIG)
		return;
	unsigned long flags = irq_save();
	if (!prepare_signal(p, sig) || nocldstop(p, info))
		goto out;
	struct thread *t = pick_thread(p, sig);
	/* Blocked by every thread: keep it, a handler may be installed later. */
	if (ignored_for(p, t ? t->sig.blocked : ~0ULL, sig))
		goto out;
	if (sig == SIGKILL) {
		irq_restore(flags);
		wait_queue_wake_all(&p->sig.stop_wq);
		process_exit_group(p, W_SIGNALED(SIGKILL, false));
		return;
	}
	sigpending_add(&p->sig.shared_pending, info);
	if (t)
		wake_thread(t, sig);
out:
	irq_restore(flags);
}

void signal_send_thread(struct thread *t, const struct ksiginfo *info)
{
	struct process *p = t->proc;
	int sig = info->signo;
	if (sig < 1 || sig > NSIG || t->exiting)
		return;
	unsigned long flags = irq_save();
	if (!prepare_signal(p, sig) || ignored_for(p, t->sig.blocked, sig))
		goto out;
	if (sig == SIGKILL) {
		irq_restore(flags);
		wait_queue_wake_all(&p->sig.stop_wq);
		process_exit_group(p, W_SIGNALED(SIGKILL, false));
		return;
	}
	sigpending_add(&t->sig.pending, info);
	if (!(t->sig.blocked & SIGBIT(sig)))
		wake_thread(t, sig);
out:
	irq_restore(flags);
}

struct pgrp_send {
	int pgid;
	const struct ksiginfo *info;
	int count;
};

static void pgrp_one(struct process *p, void *arg)
{
	struct pgrp_send *s = arg;
	if (p->pgid != s->pgid || p->state != PROC_ALIVE)
		return;
	signal_send_process(p, s->info);
	s->count++;
}

int signal_send_pgrp(int pgid, const struct ksiginfo *info)
{
	struct pgrp_send s = { pgid, info, 0 };
	process_for_each(pgrp_one, &s);
	return s.count;
}

/*
 * Fill in what a caller of signal_fault() (rather than signal_trap())
 * did not say: the frame's trap number, error code and cr2 for a page
 * fault, and si_addr = the instruction for SIGILL and SIGFPE.
 */
static void fault_defaults(struct thread *t, int sig, int code, uint64_t *addr)
{
	if (t->sig.fault_pending)
		return;
	t->sig.fault_err = 0;
	t->sig.fault_cr2 = 0;
	if (sig == SIGSEGV && (code == SEGV_MAPERR || code == SEGV_ACCERR)) {
		t->sig.fault_trapno = 14;
		t->sig.fault_err = 4 | (code == SEGV_ACCERR ? 1 : 0); /* user, protection */
		t->sig.fault_cr2 = *addr;
	} else if ((sig == SIGILL || sig == SIGFPE) && !*addr) {
		*addr = user_context_regs(t->ctx)->rip;
		t->sig.fault_trapno = sig == SIGILL ? 6 : 0;
	} else {
		t->sig.fault_trapno = sig == SIGTRAP ? 3 : 13;
	}
}

/*
 * Linux's force_sig_fault(): a fault cannot be blocked or ignored; if it
 * is either, the handler reverts to the default (so the process dies).
 */
void signal_fault(struct thread *t, int sig, int code, uint64_t addr)
{
	struct process *p = t->proc;
	struct linux_sigaction *a = &p->sighand->action[sig - 1];
	bool blocked = t->sig.blocked & SIGBIT(sig);

	fault_defaults(t, sig, code, &addr);
	t->sig.fault_pending = false;
	struct ksiginfo info = { .signo = sig, .code = code, .addr = addr };
	if (blocked || a->handler == SIG_IGN) {
		a->handler = SIG_DFL;
		t->sig.blocked &= ~SIGBIT(sig);
	}
	unsigned long flags = irq_save();
	sigpending_add(&t->sig.pending, &info);
	irq_restore(flags);
}

bool signal_pending(const struct thread *t)
{
	uint64_t ready = (t->sig.pending.set | t->proc->sig.shared_pending.set) & ~t->sig.blocked;
	return ready != 0;
}

void signal_thread_init(struct thread *child, const struct thread *parent, bool keep_altstack)
{
	sigpending_init(&child->sig.pending);
	child->sig.blocked = parent->sig.blocked;
	child->sig.restore_saved_mask = false;
	child->sig.restart_ret = 0;
	child->sig.sigreturned = false;
	child->sig.restart.fn = NULL;
	if (keep_altstack) {
		child->sig.altstack_sp = parent->sig.altstack_sp;
		child->sig.altstack_size = parent->sig.altstack_size;
		child->sig.altstack_flags = parent->sig.altstack_flags;
	} else {
		child->sig.altstack_sp = child->sig.altstack_size = 0;
		child->sig.altstack_flags = 0;
	}
}
