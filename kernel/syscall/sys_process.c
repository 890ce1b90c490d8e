/*
 * Process and thread system calls that are not creation, exec or wait:
 * ids, process groups and sessions, limits, prctl, times, exit.
 */
#include <jinux/errno.h>
#include <jinux/string.h>
#include <jinux/task.h>
#include <jinux/time.h>
#include <jinux/uaccess.h>
#include <jinux/user.h>
#include <kernel/process.h>
#include <kernel/process_internal.h>
#include <kernel/syscall.h>
#include <uapi/misc.h>
#include <uapi/resource.h>

/* Bases must be canonical user addresses, as Linux insists. */
#define USER_CANONICAL_END 0x800000000000ULL

long sys_getpid(struct thread *t, const uint64_t a[6])
{
	(void)a;
	return t->proc->pid;
}

long sys_gettid(struct thread *t, const uint64_t a[6])
{
	(void)a;
	return t->tid;
}

long sys_getppid(struct thread *t, const uint64_t a[6])
{
	(void)a;
	return t->proc->parent ? t->proc->parent->pid : 0;
}

long sys_arch_prctl(struct thread *t, const uint64_t a[6])
{
	struct user_regs *r = user_context_regs(t->ctx);
	uint64_t code = a[0], addr = a[1];

	switch (code) {
	case ARCH_SET_FS:
	case ARCH_SET_GS:
		if (addr >= USER_CANONICAL_END)
			return -EPERM;
		*(code == ARCH_SET_FS ? &r->fs_base : &r->gs_base) = addr;
		return 0;
	case ARCH_GET_FS:
	case ARCH_GET_GS: {
		uint64_t v = code == ARCH_GET_FS ? r->fs_base : r->gs_base;
		return copy_to_user(t->proc->mm->vs, user_ptr(addr), &v, sizeof(v)) ? -EFAULT : 0;
	}
	default:
		return -EINVAL;
	}
}

long sys_set_tid_address(struct thread *t, const uint64_t a[6])
{
	t->clear_child_tid = a[0];
	return t->tid;
}

long sys_sched_yield(struct thread *t, const uint64_t a[6])
{
	(void)t;
	(void)a;
	task_yield();
	return 0;
}

long sys_exit_group(struct thread *t, const uint64_t a[6])
{
	process_exit_group(t->proc, W_EXITCODE((int)a[0]));
	return 0;
}

long sys_exit(struct thread *t, const uint64_t a[6])
{
	thread_exit(t, W_EXITCODE((int)a[0]));
	return 0;
}

/* ---- process groups and sessions ---- */

long sys_setpgid(struct thread *t, const uint64_t a[6])
{
	struct process *self = t->proc;
	int pid = (int)a[0], pgid = (int)a[1];
	if (!pid)
		pid = self->pid;
	if (!pgid)
		pgid = pid;
	if (pgid < 0)
		return -EINVAL;
	struct process *p = process_find(pid);
	if (!p || p->state != PROC_ALIVE || (p != self && p->parent != self))
		return -ESRCH;
	if (p != self && p->did_exec)
		return -EACCES;
	if (p->sid != self->sid)
		return -EPERM;
	if (p->sid == p->pid)
		return -EPERM; /* a session leader cannot move */
	if (pgid != p->pid && !pgrp_exists(pgid, self->sid))
		return -EPERM;
	p->pgid = pgid;
	return 0;
}

long sys_getpgid(struct thread *t, const uint64_t a[6])
{
	int pid = (int)a[0];
	struct process *p = pid ? process_find(pid) : t->proc;
	if (!p)
		return -ESRCH;
	return p->pgid;
}

long sys_getpgrp(struct thread *t, const uint64_t a[6])
{
	(void)a;
	return t->proc->pgid;
}

long sys_setsid(struct thread *t, const uint64_t a[6])
{
	(void)a;
	struct process *p = t->proc;
	if (p->pgid == p->pid || pgrp_exists(p->pid, -1))
		return -EPERM;
	p->sid = p->pgid = p->pid;
	return p->sid;
}

long sys_getsid(struct thread *t, const uint64_t a[6])
{
	int pid = (int)a[0];
	struct process *p = pid ? process_find(pid) : t->proc;
	if (!p)
		return -ESRCH;
	return p->sid;
}

/* ---- resource limits ---- */

#define NR_OPEN_MAX 1048576

static long rlimit_apply(struct thread *t, struct process *p, unsigned res,
			 const struct linux_rlimit *nw, struct linux_rlimit *old)
{
	if (res >= RLIM_NLIMITS)
		return -EINVAL;
	if (old)
		*old = p->rlim[res];
	if (!nw)
		return 0;
	if (nw->rlim_cur > nw->rlim_max)
		return -EINVAL;
	bool privileged = capable(&t->proc->cred, CAP_SYS_RESOURCE);
	if (nw->rlim_max > p->rlim[res].rlim_max && !privileged)
		return -EPERM;
	if (res == RLIMIT_NOFILE && nw->rlim_max > NR_OPEN_MAX)
		return -EPERM;
	p->rlim[res] = *nw;
	if (p->mm)
		process_sync_mm_limits(p);
	return 0;
}

long sys_getrlimit(struct thread *t, const uint64_t a[6])
{
	struct linux_rlimit r;
	long err = rlimit_apply(t, t->proc, (unsigned)a[0], NULL, &r);
	if (err)
		return err;
	return copy_to_user(t->proc->mm->vs, user_ptr(a[1]), &r, sizeof(r)) ? -EFAULT : 0;
}

long sys_setrlimit(struct thread *t, const uint64_t a[6])
{
	struct linux_rlimit r;
	if (copy_from_user(t->proc->mm->vs, &r, user_ptr(a[1]), sizeof(r)))
		return -EFAULT;
	return rlimit_apply(t, t->proc, (unsigned)a[0], &r, NULL);
}

long sys_prlimit64(struct thread *t, const uint64_t a[6])
{
	int pid = (int)a[0];
	struct process *p = pid ? process_find(pid) : t->proc;
	struct linux_rlimit nw, old;
	if (!p || p->state != PROC_ALIVE)
		return -ESRCH;
	if (p != t->proc && !cred_may_prlimit(&t->proc->cred, &p->cred))
		return -EPERM;
	if (a[2] && copy_from_user(t->proc->mm->vs, &nw, user_ptr(a[2]), sizeof(nw)))
		return -EFAULT;
	long err = rlimit_apply(t, p, (unsigned)a[1], a[2] ? &nw : NULL, &old);
	if (err)
		return err;
	if (a[3] && copy_to_user(t->proc->mm->vs, user_ptr(a[3]), &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

/* ---- prctl ---- */

#define PR_SET_PDEATHSIG 1
#define PR_GET_PDEATHSIG 2
#define PR_SET_NAME 15
#define PR_GET_NAME 16

long sys_prctl(struct thread *t, const uint64_t a[6])
{
	struct process *p = t->proc;
	switch (a[0]) {
	case PR_SET_PDEATHSIG:
		if (a[1] > NSIG)
			return -EINVAL;
		p->pdeath_signal = (int)a[1];
		return 0;
	case PR_GET_PDEATHSIG: {
		int sig = p->pdeath_signal;
		return copy_to_user(p->mm->vs, user_ptr(a[1]), &sig, sizeof(sig)) ? -EFAULT : 0;
	}
	case PR_SET_NAME: {
		char name[16];
		long n = strncpy_from_user(p->mm->vs, name, user_ptr(a[1]), sizeof(name));
		if (n < 0)
			return -EFAULT;
		name[sizeof(name) - 1] = '\0';
		kstrlcpy(p->comm, name, sizeof(p->comm));
		return 0;
	}
	case PR_GET_NAME:
		return copy_to_user(p->mm->vs, user_ptr(a[1]), p->comm, sizeof(p->comm)) ? -EFAULT : 0;
	default:
		return cred_prctl(t, (int)a[0], a[1], a[2], a[3], a[4]);
	}
}

/* ---- times and usage ---- */

#define CLK_TCK 100

static int64_t to_ticks(uint64_t ns)
{
	return (int64_t)(ns / (NSEC_PER_SEC / CLK_TCK));
}

long sys_times(struct thread *t, const uint64_t a[6])
{
	struct process *p = t->proc;
	if (a[0]) {
		struct linux_tms tms = { to_ticks(p->utime_ns), to_ticks(p->stime_ns),
					 to_ticks(p->cutime_ns), to_ticks(p->cstime_ns) };
		if (copy_to_user(p->mm->vs, user_ptr(a[0]), &tms, sizeof(tms)))
			return -EFAULT;
	}
	return to_ticks(clock_monotonic_ns());
}

static struct linux_timeval ns_to_tv(uint64_t ns)
{
	struct linux_timeval tv = { (int64_t)(ns / NSEC_PER_SEC),
				    (int64_t)(ns % NSEC_PER_SEC / NSEC_PER_USEC) };
	return tv;
}

long sys_getrusage(struct thread *t, const uint64_t a[6])
{
	struct process *p = t->proc;
	int who = (int)a[0];
	struct linux_rusage ru;
	memset(&ru, 0, sizeof(ru));
	if (who == RUSAGE_SELF || who == RUSAGE_THREAD) {
		ru.ru_utime = ns_to_tv(p->utime_ns);
		ru.ru_stime = ns_to_tv(p->stime_ns);
	} else if (who == RUSAGE_CHILDREN) {
		ru.ru_utime = ns_to_tv(p->cutime_ns);
		ru.ru_stime = ns_to_tv(p->cstime_ns);
	} else {
		return -EINVAL;
	}
	return copy_to_user(p->mm->vs, user_ptr(a[1]), &ru, sizeof(ru)) ? -EFAULT : 0;
}
