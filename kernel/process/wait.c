/*
 * wait4 and waitid: find a child in a reportable state (exited, stopped,
 * continued) that matches the selector, report it, and reap exited ones.
 */
#include <jinux/errno.h>
#include <jinux/string.h>
#include <jinux/uaccess.h>
#include <kernel/process.h>
#include <kernel/process_internal.h>
#include <kernel/syscall.h>
#include <uapi/resource.h>
#include <uapi/sched.h>

enum wait_kind { WAIT_EXITED, WAIT_STOPPED, WAIT_CONTINUED };

struct wait_sel {
	int idtype;      /* P_ALL, P_PID, P_PGID */
	int id;
	unsigned options;
};

struct wait_found {
	struct process *child;
	enum wait_kind kind;
	int status;      /* wait(2)-encoded */
};

static bool selected(const struct wait_sel *s, const struct process *c)
{
	/* __WCLONE selects children that report with a signal other than
	 * SIGCHLD; __WALL selects all; by default only SIGCHLD ones. */
	if (!(s->options & __WALL)) {
		bool clone_child = c->exit_signal != SIGCHLD;
		if (clone_child != !!(s->options & __WCLONE))
			return false;
	}
	switch (s->idtype) {
	case P_PID:
		return c->pid == s->id;
	case P_PGID:
		return c->pgid == s->id;
	default:
		return true;
	}
}

/* Return: 1 if something was found, 0 if matching children exist but none
 * is ready, -ECHILD if no child matches at all. */
static int find_ready(struct process *self, const struct wait_sel *s, struct wait_found *out)
{
	bool any = false;
	for (struct process *c = self->children; c; c = c->sibling) {
		if (!selected(s, c))
			continue;
		any = true;
		if (c->state == PROC_ZOMBIE && (s->options & WEXITED)) {
			*out = (struct wait_found){ c, WAIT_EXITED, c->wait_status };
			return 1;
		}
		if (c->state == PROC_ALIVE && c->stopped && !c->stop_reported &&
		    (s->options & WUNTRACED)) {
			*out = (struct wait_found){ c, WAIT_STOPPED, W_STOPPED(c->stop_signal) };
			return 1;
		}
		if (c->state == PROC_ALIVE && !c->stopped && !c->continued_reported &&
		    c->continued_seen && (s->options & WCONTINUED)) {
			*out = (struct wait_found){ c, WAIT_CONTINUED, W_CONTINUED };
			return 1;
		}
	}
	return any ? 0 : -ECHILD;
}

static int do_wait(struct thread *t, const struct wait_sel *s, struct wait_found *out)
{
	struct process *self = t->proc;
	int r;
	int err = wait_event_interruptible(&self->child_wait,
					   (r = find_ready(self, s, out)) != 0 ||
						   (s->options & WNOHANG));
	if (r < 0)
		return r;
	if (r == 0)
		return err ? -ERESTARTSYS : 0;
	return 1;
}

/* Consume the report: zombies are reaped unless WNOWAIT. */
static void consume(const struct wait_sel *s, struct wait_found *f)
{
	if (s->options & WNOWAIT)
		return;
	if (f->kind == WAIT_STOPPED)
		f->child->stop_reported = true;
	else if (f->kind == WAIT_CONTINUED)
		f->child->continued_reported = true;
	else
		process_reap(f->child);
}

static void fill_rusage(const struct process *c, struct linux_rusage *ru)
{
	memset(ru, 0, sizeof(*ru));
	uint64_t u = c->utime_ns + c->cutime_ns, st = c->stime_ns + c->cstime_ns;
	ru->ru_utime.tv_sec = (int64_t)(u / 1000000000ULL);
	ru->ru_utime.tv_usec = (int64_t)(u % 1000000000ULL / 1000);
	ru->ru_stime.tv_sec = (int64_t)(st / 1000000000ULL);
	ru->ru_stime.tv_usec = (int64_t)(st % 1000000000ULL / 1000);
}

#define WAIT4_OPTIONS (WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WALL | __WCLONE)

long sys_wait4(struct thread *t, const uint64_t a[6])
{
	int pid = (int)a[0];
	unsigned options = (unsigned)a[2];
	if (options & ~(unsigned)WAIT4_OPTIONS)
		return -EINVAL;
	if (pid == INT32_MIN)
		return -ESRCH;
	struct wait_sel s = { P_ALL, 0, options | WEXITED };
	if (pid > 0)
		s = (struct wait_sel){ P_PID, pid, s.options };
	else if (pid == 0)
		s = (struct wait_sel){ P_PGID, t->proc->pgid, s.options };
	else if (pid < -1)
		s = (struct wait_sel){ P_PGID, -pid, s.options };
	struct wait_found f;
	int r = do_wait(t, &s, &f);
	if (r <= 0)
		return r;
	struct vm_space *vs = t->proc->mm->vs;
	if (a[1] && copy_to_user(vs, user_ptr(a[1]), &f.status, sizeof(int)))
		return -EFAULT;
	if (a[3]) {
		struct linux_rusage ru;
		fill_rusage(f.child, &ru);
		if (copy_to_user(vs, user_ptr(a[3]), &ru, sizeof(ru)))
			return -EFAULT;
	}
	int child_pid = f.child->pid;
	consume(&s, &f);
	return child_pid;
}

/* The part of siginfo_t that waitid fills (128 bytes in all). */
struct waitid_info {
	int32_t si_signo, si_errno, si_code, pad;
	int32_t si_pid;
	uint32_t si_uid;
	int32_t si_status;
	int32_t pad2;
	int64_t si_utime, si_stime;
	uint8_t rest[128 - 48];
};

#define WAITID_OPTIONS (WNOHANG | WSTOPPED | WEXITED | WCONTINUED | WNOWAIT | __WNOTHREAD | \
			__WALL | __WCLONE)

long sys_waitid(struct thread *t, const uint64_t a[6])
{
	int idtype = (int)a[0], id = (int)a[1];
	unsigned options = (unsigned)a[3];
	if (options & ~(unsigned)WAITID_OPTIONS)
		return -EINVAL;
	if (!(options & (WEXITED | WSTOPPED | WCONTINUED)))
		return -EINVAL;
	if (idtype == P_PIDFD)
		return -EINVAL; /* no pidfds yet */
	if (idtype != P_ALL && idtype != P_PID && idtype != P_PGID)
		return -EINVAL;
	if ((idtype == P_PID || idtype == P_PGID) && id <= 0 && !(idtype == P_PGID && id == 0))
		return -EINVAL;
	if (idtype == P_PGID && id == 0)
		id = t->proc->pgid;
	struct wait_sel s = { idtype, id, options };
	struct wait_found f;
	int r = do_wait(t, &s, &f);
	if (r < 0)
		return r;
	struct waitid_info info;
	memset(&info, 0, sizeof(info));
	if (r == 1) {
		int st = f.status;
		info.si_signo = SIGCHLD;
		info.si_pid = f.child->pid;
		info.si_uid = f.child->cred.uid;
		if (f.kind == WAIT_STOPPED) {
			info.si_code = 5; /* CLD_STOPPED */
			info.si_status = f.child->stop_signal;
		} else if (f.kind == WAIT_CONTINUED) {
			info.si_code = 6; /* CLD_CONTINUED */
			info.si_status = SIGCONT;
		} else if ((st & 0x7f) == 0) {
			info.si_code = 1; /* CLD_EXITED */
			info.si_status = (st >> 8) & 0xff;
		} else {
			info.si_code = (st & 0x80) ? 3 : 2; /* CLD_DUMPED : CLD_KILLED */
			info.si_status = st & 0x7f;
		}
	}
	if (a[2] && copy_to_user(t->proc->mm->vs, user_ptr(a[2]), &info, sizeof(info)))
		return -EFAULT;
	if (a[4] && r == 1) {
		struct linux_rusage ru;
		fill_rusage(f.child, &ru);
		if (copy_to_user(t->proc->mm->vs, user_ptr(a[4]), &ru, sizeof(ru)))
			return -EFAULT;
	}
	if (r == 1)
		consume(&s, &f);
	return 0;
}
