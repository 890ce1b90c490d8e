/*
 * Sending signals from user space: kill (one process, the caller's
 * group, another group, or every process), tkill and tgkill (one
 * thread), rt_sigqueueinfo and rt_tgsigqueueinfo (with caller-supplied
 * siginfo). Each decodes and checks its target and the caller's right
 * to signal it (Linux's kill_ok_by_cred, root as CAP_KILL) before
 * anything is queued; signal 0 checks only.
 */
#include <jinux/errno.h>
#include <jinux/uaccess.h>
#include <jinux/user.h>
#include <kernel/process.h>
#include <kernel/signal.h>
#include <kernel/syscall.h>
#include "signal_internal.h"

bool signal_may_kill(const struct process *sender, const struct process *target, int sig)
{
	if (sender == target || cred_may_signal(&sender->cred, &target->cred, sig))
		return true;
	/* SIGCONT may always go to the same session (job control). */
	return sig == SIGCONT && sender->sid == target->sid;
}

static struct ksiginfo user_info(struct thread *t, int sig, int code)
{
	struct ksiginfo k = { .signo = sig, .code = code, .pid = t->proc->pid,
			      .uid = t->proc->cred.uid };
	return k;
}

/* Check and send to one live process. Return: 0 or -EPERM. */
static int send_checked(struct thread *t, struct process *p, const struct ksiginfo *k)
{
	if (!signal_may_kill(t->proc, p, k->signo))
		return -EPERM;
	if (k->signo)
		signal_send_process(p, k);
	return 0;
}

struct group_kill {
	struct thread *t;
	const struct ksiginfo *k;
	int pgid;       /* 0: every process but init and the caller */
	int sent, err;
};

static void group_kill_one(struct process *p, void *arg)
{
	struct group_kill *g = arg;

	if (p->state != PROC_ALIVE)
		return;
	if (g->pgid ? p->pgid != g->pgid : (p->pid == 1 || p == g->t->proc))
		return;
	int err = send_checked(g->t, p, g->k);
	if (err)
		g->err = err;
	else
		g->sent++;
}

static long kill_group(struct thread *t, int pgid, const struct ksiginfo *k)
{
	struct group_kill g = { t, k, pgid, 0, -ESRCH };
	process_for_each(group_kill_one, &g);
	return g.sent ? 0 : g.err;
}

static long kill_info(struct thread *t, long pid, const struct ksiginfo *k)
{
	if (pid > 0) {
		struct process *p = process_find((int)pid);
		if (!p)
			return -ESRCH;
		if (p->state != PROC_ALIVE) /* zombies exist but ignore signals */
			return signal_may_kill(t->proc, p, k->signo) ? 0 : -EPERM;
		return send_checked(t, p, k);
	}
	if (pid == 0)
		return kill_group(t, t->proc->pgid, k);
	if (pid == -1)
		return kill_group(t, 0, k);
	if (pid == (long)INT32_MIN)
		return -ESRCH;
	return kill_group(t, (int)-pid, k);
}

static bool bad_sig(uint64_t sig)
{
	return sig > NSIG;
}

long sys_kill(struct thread *t, const uint64_t a[6])
{
	long pid = (int)a[0];
	if (bad_sig(a[1]))
		return -EINVAL;
	struct ksiginfo k = user_info(t, (int)a[1], SI_USER);
	return kill_info(t, pid, &k);
}

/* Send to thread @tid, which must belong to @tgid unless @tgid is 0. */
static long thread_send(struct thread *t, int tgid, int tid, const struct ksiginfo *k)
{
	struct thread *target = thread_find(tid);
	if (!target || target->exiting || (tgid && target->proc->pid != tgid))
		return -ESRCH;
	if (!signal_may_kill(t->proc, target->proc, k->signo))
		return -EPERM;
	if (k->signo)
		signal_send_thread(target, k);
	return 0;
}

long sys_tkill(struct thread *t, const uint64_t a[6])
{
	int tid = (int)a[0];
	if (tid <= 0 || bad_sig(a[1]))
		return -EINVAL;
	struct ksiginfo k = user_info(t, (int)a[1], SI_TKILL);
	return thread_send(t, 0, tid, &k);
}

long sys_tgkill(struct thread *t, const uint64_t a[6])
{
	int tgid = (int)a[0], tid = (int)a[1];
	if (tgid <= 0 || tid <= 0 || bad_sig(a[2]))
		return -EINVAL;
	struct ksiginfo k = user_info(t, (int)a[2], SI_TKILL);
	return thread_send(t, tgid, tid, &k);
}

/* The caller's siginfo, as rt_sigqueueinfo queues it (si_signo forced). */
static long queued_info(struct thread *t, int sig, uint64_t uinfo, int target_pid,
			struct ksiginfo *k)
{
	struct linux_siginfo u;

	if (copy_from_user(user_context_space(t->ctx), &u, user_ptr(uinfo), sizeof(u)))
		return -EFAULT;
	/* Only the kernel may claim kill() or kernel codes, except to itself. */
	if ((u.si_code >= 0 || u.si_code == SI_TKILL) && target_pid != t->proc->pid)
		return -EPERM;
	*k = (struct ksiginfo){ .signo = sig, .code = u.si_code, .errno_val = u.si_errno,
				.pid = u.u.kill.pid, .uid = u.u.kill.uid,
				.value = u.u.kill.value, .addr = u.u.fault.addr };
	return 0;
}

long sys_rt_sigqueueinfo(struct thread *t, const uint64_t a[6])
{
	struct ksiginfo k;
	if (bad_sig(a[1]))
		return -EINVAL;
	long err = queued_info(t, (int)a[1], a[2], (int)a[0], &k);
	if (err)
		return err;
	if ((int)a[0] <= 0) /* one process only: no groups here */
		return -ESRCH;
	return kill_info(t, (int)a[0], &k);
}

long sys_rt_tgsigqueueinfo(struct thread *t, const uint64_t a[6])
{
	int tgid = (int)a[0], tid = (int)a[1];
	struct ksiginfo k;
	if (tgid <= 0 || tid <= 0 || bad_sig(a[2]))
		return -EINVAL;
	long err = queued_info(t, (int)a[2], a[3], tgid, &k);
	if (err)
		return err;
	return thread_send(t, tgid, tid, &k);
}
