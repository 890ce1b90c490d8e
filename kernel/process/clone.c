/*
 * fork, vfork, clone and clone3: decode the request completely, build the
 * new thread (and process) with each resource shared or copied as the
 * flags say, and only then make it runnable.
 */
#include <jinux/errno.h>
#include <jinux/heap.h>
#include <jinux/string.h>
#include <jinux/uaccess.h>
#include <kernel/pid.h>
#include <kernel/process.h>
#include <kernel/process_internal.h>
#include <kernel/syscall.h>
#include <kernel/vfs.h>
#include <uapi/sched.h>

struct clone_req {
	uint64_t flags;
	int exit_signal;
	uint64_t stack;     /* new stack pointer, 0 = the parent's */
	uint64_t tls;
	uint64_t parent_tid, child_tid;
};

/* Flags Jinux does not implement yet: refuse them honestly. */
#define CLONE_UNSUPPORTED                                                   \
	(CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC |      \
	 CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWTIME |     \
	 CLONE_PIDFD | CLONE_INTO_CGROUP | CLONE_PTRACE)

static long clone_check(struct thread *t, const struct clone_req *r)
{
	uint64_t f = r->flags;
	if ((f & CLONE_THREAD) && !(f & CLONE_SIGHAND))
		return -EINVAL;
	if ((f & CLONE_SIGHAND) && !(f & CLONE_VM))
		return -EINVAL;
	if ((f & CLONE_NEWNS) && (f & CLONE_FS))
		return -EINVAL;
	if ((f & CLONE_PARENT) && t->proc->pid == 1)
		return -EINVAL;
	if (f & CLONE_UNSUPPORTED)
		return -EINVAL;
	if (r->exit_signal < 0 || r->exit_signal > NSIG)
		return -EINVAL;
	return 0;
}

struct user_count {
	uint32_t uid;
	unsigned n;
};

static void count_one(struct process *p, void *arg)
{
	struct user_count *c = arg;
	if (p->cred.uid == c->uid && p->state == PROC_ALIVE)
		c->n++;
}

static unsigned count_user_processes(uint32_t uid)
{
	struct user_count c = { uid, 0 };
	process_for_each(count_one, &c);
	return c.n;
}

/* RLIMIT_NPROC, which root is exempt from, as on Linux. */
static bool nproc_exceeded(struct process *p)
{
	if (cred_nproc_exempt(&p->cred))
		return false;
	return count_user_processes(p->cred.uid) >= p->rlim[RLIMIT_NPROC].rlim_cur;
}

/* The child runs the parent's program: procfs's exe and argument ranges. */
static void process_copy_image(struct process *p, const struct process *parent)
{
	if (parent->exe_path) {
		size_t len = strlen(parent->exe_path) + 1;
		if ((p->exe_path = kmalloc(len)))
			memcpy(p->exe_path, parent->exe_path, len);
	}
	p->arg_start = parent->arg_start;
	p->arg_end = parent->arg_end;
	p->env_start = parent->env_start;
	p->env_end = parent->env_end;
}

static struct process *new_process(struct thread *t, const struct clone_req *r, int pid)
{
	struct process *parent = t->proc;
	struct process *p = process_new(pid);
	if (!p)
		return NULL;
	p->pgid = parent->pgid;
	p->sid = parent->sid;
	p->cred = parent->cred;
	memcpy(p->rlim, parent->rlim, sizeof(p->rlim));
	p->exit_signal = r->exit_signal;
	process_set_comm(p, parent->comm);
	process_copy_image(p, parent);
	if (r->flags & CLONE_VM) {
		mm_get(parent->mm);
		p->mm = parent->mm;
	} else {
		p->mm = mm_fork(parent->mm);
	}
	if (r->flags & CLONE_FILES) {
		fd_table_get(parent->fds);
		p->fds = parent->fds;
	} else {
		p->fds = fd_table_copy(parent->fds);
	}
	if (r->flags & CLONE_SIGHAND) {
		sighand_get(parent->sighand);
		p->sighand = parent->sighand;
	} else {
		p->sighand = sighand_copy(parent->sighand);
	}
	if (r->flags & CLONE_FS) {
		fs_context_get(parent->fs);
		p->fs = parent->fs;
	} else {
		p->fs = fs_context_copy(parent->fs);
	}
	if (p->mm)
		process_sync_mm_limits(p);
	if (!p->mm || !p->fds || !p->sighand || !p->fs) {
		process_free_unstarted(p);
		return NULL;
	}
	return p;
}

/* The child's registers: the parent's, returning 0, on its own stack. */
static struct user_context *child_context(struct thread *t, struct mm *mm,
					  const struct clone_req *r)
{
	struct user_context *ctx = user_context_create(mm->vs);
	if (!ctx)
		return NULL;
	struct user_regs *regs = user_context_regs(ctx);
	*regs = *user_context_regs(t->ctx);
	struct user_fpu fpu;
	user_fpu_get(t->ctx, &fpu);
	user_fpu_set(ctx, &fpu);
	regs->rax = 0;
	if (r->stack)
		regs->rsp = r->stack;
	if (r->flags & CLONE_SETTLS)
		regs->fs_base = r->tls;
	return ctx;
}

static long do_clone(struct thread *t, const struct clone_req *r)
{
	long err = clone_check(t, r);
	if (err)
		return err;
	if (r->flags & CLONE_SETTLS && r->tls >= 0x800000000000ULL)
		return -EPERM;
	bool thread_only = r->flags & CLONE_THREAD;
	if (!thread_only && nproc_exceeded(t->proc))
		return -EAGAIN;
	int id = pid_alloc();
	if (id < 0)
		return id;

	struct process *p = t->proc;
	if (!thread_only) {
		p = new_process(t, r, id);
		if (!p)
			return -ENOMEM;
	}
	struct user_context *ctx = child_context(t, p->mm, r);
	if (!ctx) {
		if (!thread_only)
			process_free_unstarted(p);
		return -ENOMEM;
	}
	if (r->flags & CLONE_PARENT_SETTID) {
		uint32_t tid32 = (uint32_t)id;
		if (copy_to_user(t->proc->mm->vs, user_ptr(r->parent_tid), &tid32, sizeof(tid32))) {
			user_context_destroy(ctx);
			if (!thread_only)
				process_free_unstarted(p);
			return -EFAULT;
		}
	}
	/* Perform: nothing below can fail except the thread allocation. */
	if (!thread_only) {
		pid_register_process(p);
		struct process *parent = (r->flags & CLONE_PARENT) ? t->proc->parent : t->proc;
		process_link_child(parent, p);
	}
	struct thread *c = thread_new(p, ctx, id);
	if (!c) {
		user_context_destroy(ctx);
		if (!thread_only) {
			process_reap(p);
		}
		return -ENOMEM;
	}
	signal_thread_init(c, t, !(r->flags & CLONE_VM) || (r->flags & CLONE_VFORK));
	if (r->flags & CLONE_CHILD_SETTID)
		c->set_child_tid = r->child_tid;
	if (r->flags & CLONE_CHILD_CLEARTID)
		c->clear_child_tid = r->child_tid;
	if (r->flags & CLONE_VFORK) {
		struct completion done = { WAIT_QUEUE_INIT, false };
		c->vfork_done = &done;
		wait_event(&done.wq, done.done);
	}
	return id;
}

long sys_clone(struct thread *t, const uint64_t a[6])
{
	/* x86-64 order: flags, stack, parent_tid, child_tid, tls. */
	struct clone_req r = {
		.flags = a[0] & ~(uint64_t)CSIGNAL,
		.exit_signal = (int)(a[0] & CSIGNAL),
		.stack = a[1],
		.parent_tid = a[2],
		.child_tid = a[3],
		.tls = a[4],
	};
	if (r.flags & CLONE_THREAD)
		r.exit_signal = 0;
	return do_clone(t, &r);
}

long sys_clone3(struct thread *t, const uint64_t a[6])
{
	struct linux_clone_args args;
	uint64_t size = a[1];

	if (size > PAGE_SIZE)
		return -E2BIG;
	if (size < CLONE_ARGS_SIZE_VER0)
		return -EINVAL;
	memset(&args, 0, sizeof(args));
	if (copy_from_user(t->proc->mm->vs, &args, user_ptr(a[0]), MIN(size, sizeof(args))))
		return -EFAULT;
	/* Bytes past what we understand must be zero (E2BIG otherwise). */
	for (uint64_t off = sizeof(args); off < size; off++) {
		uint8_t b;
		if (copy_from_user(t->proc->mm->vs, &b, user_ptr(a[0] + off), 1))
			return -EFAULT;
		if (b)
			return -E2BIG;
	}
	if (args.flags & CSIGNAL || args.exit_signal > NSIG)
		return -EINVAL;
	if ((args.stack == 0) != (args.stack_size == 0))
		return -EINVAL;
	if (args.set_tid || args.set_tid_size || args.cgroup)
		return -EINVAL; /* not supported yet */
	if (args.flags & CLONE_CLEAR_SIGHAND)
		return -EINVAL;
	struct clone_req r = {
		.flags = args.flags,
		.exit_signal = (args.flags & CLONE_THREAD) ? 0 : (int)args.exit_signal,
		.stack = args.stack ? args.stack + args.stack_size : 0,
		.parent_tid = args.parent_tid,
		.child_tid = args.child_tid,
		.tls = args.tls,
	};
	return do_clone(t, &r);
}

long sys_fork(struct thread *t, const uint64_t a[6])
{
	(void)a;
	struct clone_req r = { .exit_signal = SIGCHLD };
	return do_clone(t, &r);
}

long sys_vfork(struct thread *t, const uint64_t a[6])
{
	(void)a;
	struct clone_req r = { .flags = CLONE_VM | CLONE_VFORK, .exit_signal = SIGCHLD };
	return do_clone(t, &r);
}
