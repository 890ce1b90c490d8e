/*
 * Process and thread lifetime: the thread loop that runs user mode and
 * dispatches its traps, thread and group exit, zombies, reparenting to
 * init, and the parent's notification.
 */
#include <jinux/errno.h>
#include <jinux/heap.h>
#include <jinux/log.h>
#include <jinux/string.h>
#include <jinux/time.h>
#include <jinux/uaccess.h>
#include <jinux/user.h>
#include <kernel/pid.h>
#include <kernel/process.h>
#include <kernel/process_internal.h>
#include <kernel/exec.h>
#include <kernel/vfs.h>

static void thread_main(void *arg);

struct thread *thread_new(struct process *p, struct user_context *ctx, int tid)
{
	struct thread *t = kzalloc(sizeof(*t));
	if (!t)
		return NULL;
	t->tid = tid;
	t->proc = p;
	t->ctx = ctx;
	t->task = task_create(p->comm, thread_main, t);
	if (!t->task) {
		kfree(t);
		return NULL;
	}
	task_set_data(t->task, t);
	t->group_next = p->threads;
	p->threads = t;
	p->nr_threads++;
	pid_register_thread(t);
	return t;
}

static void default_rlimits(struct linux_rlimit *r)
{
	for (int i = 0; i < RLIM_NLIMITS; i++)
		r[i].rlim_cur = r[i].rlim_max = RLIM_INFINITY;
	r[RLIMIT_STACK].rlim_cur = 8UL << 20;
	r[RLIMIT_CORE].rlim_cur = 0;
	r[RLIMIT_NOFILE].rlim_cur = 1024;
	r[RLIMIT_NOFILE].rlim_max = 4096;
	r[RLIMIT_NPROC].rlim_cur = r[RLIMIT_NPROC].rlim_max = 4096;
	r[RLIMIT_SIGPENDING].rlim_cur = r[RLIMIT_SIGPENDING].rlim_max = 4096;
	r[RLIMIT_MEMLOCK].rlim_cur = r[RLIMIT_MEMLOCK].rlim_max = 8UL << 20;
	r[RLIMIT_MSGQUEUE].rlim_cur = r[RLIMIT_MSGQUEUE].rlim_max = 819200;
	r[RLIMIT_NICE].rlim_cur = r[RLIMIT_NICE].rlim_max = 0;
	r[RLIMIT_RTPRIO].rlim_cur = r[RLIMIT_RTPRIO].rlim_max = 0;
}

struct process *process_new(int pid)
{
	struct process *p = kzalloc(sizeof(*p));
	if (!p)
		return NULL;
	p->pid = p->pgid = p->sid = pid;
	p->exit_signal = SIGCHLD;
	p->start_ns = clock_monotonic_ns();
	wait_queue_init(&p->child_wait);
	default_rlimits(p->rlim);
	return p;
}

void process_link_child(struct process *parent, struct process *child)
{
	child->parent = parent;
	child->sibling = parent->children;
	parent->children = child;
}

static void unlink_child(struct process *child)
{
	struct process *parent = child->parent;
	if (!parent)
		return;
	for (struct process **pp = &parent->children; *pp; pp = &(*pp)->sibling) {
		if (*pp == child) {
			*pp = child->sibling;
			break;
		}
	}
	child->parent = NULL;
}

int process_spawn_init(const char *path, const char *const argv[], const char *const envp[],
		       struct process **out)
{
	int pid = pid_alloc();
	if (pid < 0)
		return pid;
	struct process *p = process_new(pid);
	if (!p)
		return -ENOMEM;
	cred_init_root(&p->cred);
	int err = -ENOMEM;
	p->fds = fd_table_create();
	p->sighand = sighand_create();
	p->fs = fs_context_create();
	if (!p->fds || !p->sighand || !p->fs)
		goto out;
	struct file *con = console_file_open();
	if (!con)
		goto out;
	for (int fd = 0; fd < 3; fd++) {
		if (fd)
			file_get(con);
		fd_install_at(p->fds, fd, con);
	}
	struct exec_result img;
	err = exec_prepare(NULL, path, argv, envp, &img);
	if (err)
		goto out;
	pid_register_process(p);
	process_set_comm(p, img.comm);
	exec_record_image(p, &img);
	p->cred = img.cred;
	p->mm = img.mm;
	process_sync_mm_limits(p);
	struct thread *t = thread_new(p, img.ctx, pid);
	if (!t) {
		exec_result_drop(&img);
		p->mm = NULL;
		pid_unregister_process(p);
		err = -ENOMEM;
		goto out;
	}
	*out = p;
	return 0;
out:
	process_free_unstarted(p);
	return err;
}

void process_free_unstarted(struct process *p)
{
	if (p->mm)
		mm_put(p->mm);
	fd_table_put(p->fds);
	if (p->sighand)
		sighand_put(p->sighand);
	if (p->fs)
		fs_context_put(p->fs);
	kfree(p->exe_path);
	kfree(p);
}

/* The memory map enforces RLIMIT_AS and RLIMIT_STACK itself; keep its
 * copies in step whenever the limits or the map change. */
void process_sync_mm_limits(struct process *p)
{
	uint64_t as = p->rlim[RLIMIT_AS].rlim_cur, st = p->rlim[RLIMIT_STACK].rlim_cur;
	p->mm->as_limit = as == RLIM_INFINITY ? 0 : as;
	p->mm->stack_limit = st == RLIM_INFINITY ? 0 : st;
}

void process_set_comm(struct process *p, const char *name)
{
	kstrlcpy(p->comm, name, sizeof(p->comm));
}

/* ---- exit ---- */

static void reparent_to_init(struct process *dying)
{
	struct process *init = process_find(1);
	while (dying->children) {
		struct process *c = dying->children;
		dying->children = c->sibling;
		c->parent = NULL;
		if (init && init != dying) {
			process_link_child(init, c);
			if (c->state == PROC_ZOMBIE)
				wait_queue_wake_all(&init->child_wait);
		}
		if (c->pdeath_signal) {
			struct ksiginfo info = { .signo = c->pdeath_signal, .code = 0x80 /* SI_KERNEL */ };
			signal_send_process(c, &info);
		}
	}
}

static bool parent_ignores_sigchld(struct process *parent)
{
	const struct linux_sigaction *sa = &parent->sighand->action[SIGCHLD - 1];
	return sa->handler == 1 /* SIG_IGN */ || (sa->flags & 2 /* SA_NOCLDWAIT */);
}

/* Tell the parent: SIGCHLD with the child's status, and wake wait(2). */
static void notify_parent(struct process *p, int code, int status)
{
	struct process *parent = p->parent;
	if (!parent)
		return;
	if (p->exit_signal) {
		struct ksiginfo info = { .signo = p->exit_signal, .code = code, .pid = p->pid,
					 .uid = p->cred.uid, .status = status };
		signal_send_process(parent, &info);
	}
	wait_queue_wake_all(&parent->child_wait);
}

void process_reap(struct process *p)
{
	if (p->parent) {
		p->parent->cutime_ns += p->utime_ns + p->cutime_ns;
		p->parent->cstime_ns += p->stime_ns + p->cstime_ns;
	}
	unlink_child(p);
	pid_unregister_process(p);
	kfree(p->exe_path);
	kfree(p);
}

/* The last thread has gone: release what the process held, become a zombie. */
static void process_become_zombie(struct process *p)
{
	fd_table_put(p->fds);
	p->fds = NULL;
	fs_context_put(p->fs);
	p->fs = NULL;
	mm_put(p->mm);
	p->mm = NULL;
	reparent_to_init(p);
	p->state = PROC_ZOMBIE;
	int st = p->wait_status;
	int code = (st & 0x7f) == 0 ? 1 /* CLD_EXITED */ : (st & 0x80) ? 3 /* CLD_DUMPED */ : 2;
	int status = (st & 0x7f) == 0 ? (st >> 8) & 0xff : st & 0x7f;
	struct process *parent = p->parent;
	if (parent && p->pid != 1 && parent_ignores_sigchld(parent)) {
		/* Nobody will wait: the child is reaped at once (POSIX). */
		signal_process_exit(p);
		sighand_put(p->sighand);
		p->sighand = NULL;
		process_reap(p);
		wait_queue_wake_all(&parent->child_wait);
		return;
	}
	signal_process_exit(p);
	sighand_put(p->sighand);
	p->sighand = NULL;
	notify_parent(p, code, status);
	if (!parent)
		wait_queue_wake_all(&p->child_wait); /* kernel_main waits on init */
}

void thread_release_vfork(struct thread *t)
{
	if (t->vfork_done) {
		t->vfork_done->done = true;
		wait_queue_wake_all(&t->vfork_done->wq);
		t->vfork_done = NULL;
	}
}

/* Runs on the exiting thread's own task, after its loop ends. */
static void thread_finish(struct thread *t)
{
	struct process *p = t->proc;

	futex_thread_exit(t);
	thread_release_vfork(t);
	user_context_destroy(t->ctx);
	t->ctx = NULL;
	for (struct thread **pp = &p->threads; *pp; pp = &(*pp)->group_next) {
		if (*pp == t) {
			*pp = t->group_next;
			break;
		}
	}
	p->nr_threads--;
	pid_unregister_thread(t);
	wait_queue_wake_all(&p->child_wait); /* execve waits for de-threading */
	if (p->nr_threads == 0)
		process_become_zombie(p);
	kfree(t);
}

void thread_exit(struct thread *t, int wait_status)
{
	struct process *p = t->proc;
	if (p->nr_threads == 1 && !p->group_exiting) {
		p->group_exiting = true;
		p->wait_status = wait_status;
	}
	t->exiting = true;
}

void process_exit_group(struct process *p, int wait_status)
{
	if (!p->group_exiting) {
		p->group_exiting = true;
		p->wait_status = wait_status;
	}
	for (struct thread *t = p->threads; t; t = t->group_next) {
		t->exiting = true;
		if (t->task != task_current())
			task_kick(t->task);
	}
}

/* ---- job control state, reported by wait(2) ---- */

void process_set_stopped(struct process *p, int sig)
{
	p->stopped = true;
	p->stop_signal = sig;
	p->stop_reported = false;
	notify_parent(p, 5 /* CLD_STOPPED */, sig);
}

void process_set_continued(struct process *p)
{
	if (!p->stopped)
		return;
	p->stopped = false;
	p->continued_seen = true;
	p->continued_reported = false;
	notify_parent(p, 6 /* CLD_CONTINUED */, SIGCONT);
}

/* ---- the thread loop ---- */

static void handle_page_fault(struct thread *t, const struct user_exit *e)
{
	struct process *p = t->proc;
	int err = mm_handle_fault(p->mm, e->fault_addr, e->fault_access);
	if (!err)
		return;
	if (err == -ENOMEM) {
		pr_warn("out of memory: killing pid %d (%s)", p->pid, p->comm);
		process_exit_group(p, W_SIGNALED(SIGKILL, false));
		return;
	}
	pr_info("%s[%d]: segfault at 0x%lx rip 0x%lx", p->comm, t->tid,
		(unsigned long)e->fault_addr, (unsigned long)user_context_regs(t->ctx)->rip);
	signal_trap(t, e, err == -EIO ? SIGBUS : SIGSEGV, mm_fault_si_code(err));
}

static void handle_exception(struct thread *t, const struct user_exit *e)
{
	pr_info("%s[%d]: exception %u at rip 0x%lx", t->proc->comm, t->tid, e->vector,
		(unsigned long)user_context_regs(t->ctx)->rip);
	signal_trap(t, e, 0, 0);
}

static void thread_main(void *arg)
{
	struct thread *t = arg;
	struct user_exit e;

	if (t->set_child_tid) {
		uint32_t tid = (uint32_t)t->tid;
		copy_to_user(t->proc->mm->vs, user_ptr(t->set_child_tid), &tid, sizeof(tid));
	}
	/* Time accounting reads the clock twice per round trip: the end of
	 * one kernel stretch is the start of the next user stretch. */
	uint64_t t0 = clock_monotonic_ns();
	for (;;) {
		if (!t->exiting)
			signal_deliver(t);
		if (t->exiting)
			break;
		uint64_t t1 = clock_monotonic_ns();
		t->proc->stime_ns += t1 - t0;
		int err = user_run(t->ctx, &e);
		t0 = clock_monotonic_ns();
		t->proc->utime_ns += t0 - t1;
		if (err < 0) {
			process_exit_group(t->proc, W_SIGNALED(SIGKILL, false));
			break;
		}
		switch (e.kind) {
		case USER_EXIT_SYSCALL:
			syscall_dispatch(t, &e);
			break;
		case USER_EXIT_PAGE_FAULT:
			handle_page_fault(t, &e);
			break;
		case USER_EXIT_EXCEPTION:
			handle_exception(t, &e);
			break;
		case USER_EXIT_INTERRUPT:
			break;
		}
	}
	thread_finish(t);
}

int process_wait_exit(struct process *p)
{
	wait_event(&p->child_wait, p->state == PROC_ZOMBIE);
	return p->wait_status;
}
