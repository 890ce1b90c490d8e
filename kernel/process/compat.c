/*
 * Minimal stand-ins, as weak symbols, for parts other components are
 * building (kernel/signal, kernel/futex). Their real, strong definitions
 * replace these at link time; this file goes when they have all landed.
 */
#include <jinux/heap.h>
#include <jinux/string.h>
#include <jinux/uaccess.h>
#include <kernel/process.h>
#include <kernel/process_internal.h>

__attribute__((weak)) void futex_thread_exit(struct thread *t)
{
	uint32_t zero = 0;
	if (t->clear_child_tid && t->proc->mm)
		copy_to_user(t->proc->mm->vs, user_ptr(t->clear_child_tid), &zero, sizeof(zero));
}

__attribute__((weak)) struct sighand *sighand_create(void)
{
	struct sighand *sh = kzalloc(sizeof(*sh));
	if (sh)
		sh->refcount = 1;
	return sh;
}

__attribute__((weak)) struct sighand *sighand_copy(const struct sighand *old)
{
	struct sighand *sh = sighand_create();
	if (sh)
		memcpy(sh->action, old->action, sizeof(sh->action));
	return sh;
}

__attribute__((weak)) void sighand_get(struct sighand *sh)
{
	sh->refcount++;
}

__attribute__((weak)) void sighand_put(struct sighand *sh)
{
	if (sh && --sh->refcount == 0)
		kfree(sh);
}

__attribute__((weak)) void sighand_reset_for_exec(struct sighand *sh)
{
	for (int i = 0; i < NSIG; i++)
		if (sh->action[i].handler > 1)
			memset(&sh->action[i], 0, sizeof(sh->action[i]));
}

/* Without delivery, every signal acts by its default: fatal ones kill. */
static bool default_ignored(int sig)
{
	return sig == SIGCHLD || sig == SIGCONT || sig == 23 /* SIGURG */ ||
	       sig == 28 /* SIGWINCH */;
}

__attribute__((weak)) void signal_send_process(struct process *p, const struct ksiginfo *info)
{
	if (!info->signo || p->state != PROC_ALIVE || default_ignored(info->signo))
		return;
	if (p->sighand && p->sighand->action[info->signo - 1].handler == 1)
		return;
	process_exit_group(p, W_SIGNALED(info->signo, false));
}

__attribute__((weak)) void signal_send_thread(struct thread *t, const struct ksiginfo *info)
{
	signal_send_process(t->proc, info);
}

__attribute__((weak)) void signal_fault(struct thread *t, int sig, int code, uint64_t addr)
{
	(void)code, (void)addr;
	bool core = sig != SIGKILL;
	process_exit_group(t->proc, W_SIGNALED(sig, core));
}

__attribute__((weak)) void signal_deliver(struct thread *t)
{
	(void)t;
}

__attribute__((weak)) void signal_syscall_restart(struct thread *t, long ret)
{
	if (ret == -ERESTARTSYS)
		user_context_regs(t->ctx)->rax = (uint64_t)-EINTR;
}
