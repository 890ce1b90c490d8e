/*
 * Processes: creation from an executable, the thread loop that runs user
 * mode and dispatches its traps, and exit.
 */
#include <jinux/errno.h>
#include <jinux/heap.h>
#include <jinux/log.h>
#include <jinux/string.h>
#include <jinux/time.h>
#include <jinux/user.h>
#include <kernel/exec.h>
#include <kernel/process.h>
#include <kernel/ramfs.h>

static int next_pid = 1;

/* Decode: find the file and check it may be executed, changing nothing. */
static int exec_lookup(const char *path, struct rnode **out)
{
	struct rnode *n;
	int err = ramfs_lookup(path, &n);
	if (err)
		return err;
	if ((n->mode & RAMFS_S_IFMT) != RAMFS_S_IFREG || !(n->mode & 0111))
		return -EACCES;
	*out = n;
	return 0;
}

static int load_image(struct process *p, struct rnode *file, const char *path,
		      const char *const argv[], const char *const envp[])
{
	struct exec_image img;
	uint64_t sp;
	int err = elf_load(p->mm, file->data, file->size, &img);
	if (!err)
		err = stack_setup(p->mm, argv, envp, path, &img, &sp);
	if (err)
		return err;
	p->mm->brk_start = p->mm->brk = img.brk_start;
	struct user_regs *r = user_context_regs(p->ctx);
	r->rip = img.entry;
	r->rsp = sp;
	return 0;
}

static void set_comm(struct process *p, const char *path)
{
	const char *base = path;
	for (const char *s = path; *s; s++)
		if (*s == '/' && s[1])
			base = s + 1;
	kstrlcpy(p->comm, base, sizeof(p->comm));
}

static void thread_main(void *arg);

static int open_console_fds(struct process *p)
{
	struct file *f = console_file_open();
	if (!f)
		return -ENOMEM;
	for (int fd = 0; fd < 3; fd++) {
		if (fd)
			file_get(f);
		fd_install_at(&p->fds, fd, f);
	}
	return 0;
}

int process_spawn(const char *path, const char *const argv[], const char *const envp[],
		  struct process **out)
{
	struct rnode *file;
	int err = exec_lookup(path, &file);
	if (err)
		return err;
	struct process *p = kzalloc(sizeof(*p));
	if (!p)
		return -ENOMEM;
	wait_queue_init(&p->exit_wq);
	err = -ENOMEM;
	p->mm = mm_create();
	if (!p->mm)
		goto out_free;
	p->ctx = user_context_create(p->mm->vs);
	if (!p->ctx)
		goto out_mm;
	err = load_image(p, file, path, argv, envp);
	if (err)
		goto out_ctx;
	err = open_console_fds(p);
	if (err)
		goto out_ctx;
	p->pid = next_pid++;
	p->start_ns = clock_monotonic_ns();
	set_comm(p, path);
	p->task = task_create(p->comm, thread_main, p);
	if (!p->task) {
		err = -ENOMEM;
		goto out_fds;
	}
	task_set_data(p->task, p);
	*out = p;
	return 0;
out_fds:
	fd_close_all(&p->fds);
out_ctx:
	user_context_destroy(p->ctx);
out_mm:
	mm_destroy(p->mm);
out_free:
	kfree(p);
	return err;
}

void process_exit(struct process *p, int wait_status)
{
	if (p->exited)
		return;
	p->exited = true;
	p->wait_status = wait_status;
}

void process_kill_by_signal(struct process *p, int sig)
{
	/* Core-dumping signals set the core bit, as Linux reports them. */
	bool core = sig == SIGSEGV || sig == SIGILL || sig == SIGFPE || sig == SIGBUS ||
		    sig == SIGTRAP || sig == SIGQUIT || sig == SIGABRT;
	process_exit(p, W_SIGNALED(sig, core));
}

static int exception_signal(unsigned vector)
{
	switch (vector) {
	case X86_EXC_DE:
	case X86_EXC_MF:
	case X86_EXC_XM:
		return SIGFPE;
	case X86_EXC_DB:
	case X86_EXC_BP:
		return SIGTRAP;
	case X86_EXC_UD:
		return SIGILL;
	case X86_EXC_AC:
		return SIGBUS;
	default:
		return SIGSEGV;
	}
}

static void handle_page_fault(struct process *p, const struct user_exit *e)
{
	int err = mm_handle_fault(p->mm, e->fault_addr, e->fault_access);
	if (err == -ENOMEM) {
		pr_warn("out of memory: killing pid %d (%s)", p->pid, p->comm);
		process_kill_by_signal(p, SIGKILL);
	} else if (err) {
		pr_info("pid %d (%s): segfault at 0x%lx rip 0x%lx (%s)", p->pid, p->comm,
			(unsigned long)e->fault_addr,
			(unsigned long)user_context_regs(p->ctx)->rip,
			err == -EACCES ? "SEGV_ACCERR" : "SEGV_MAPERR");
		process_kill_by_signal(p, SIGSEGV);
	}
}

/* Run user mode until the process exits. */
static void thread_main(void *arg)
{
	struct process *p = arg;
	struct user_exit e;

	while (!p->exited) {
		if (user_run(p->ctx, &e) < 0) {
			process_kill_by_signal(p, SIGKILL);
			break;
		}
		switch (e.kind) {
		case USER_EXIT_SYSCALL:
			syscall_dispatch(p, user_context_regs(p->ctx));
			break;
		case USER_EXIT_PAGE_FAULT:
			handle_page_fault(p, &e);
			break;
		case USER_EXIT_EXCEPTION:
			pr_info("pid %d (%s): exception %u at rip 0x%lx", p->pid, p->comm, e.vector,
				(unsigned long)user_context_regs(p->ctx)->rip);
			process_kill_by_signal(p, exception_signal(e.vector));
			break;
		case USER_EXIT_INTERRUPT:
			break;
		}
	}
	/* Tear down what only a live process needs; the zombie keeps its status. */
	user_context_destroy(p->ctx);
	p->ctx = NULL;
	mm_destroy(p->mm);
	p->mm = NULL;
	fd_close_all(&p->fds);
	p->task = NULL;
	wait_queue_wake_all(&p->exit_wq);
}

int process_wait(struct process *p)
{
	wait_event(&p->exit_wq, p->task == NULL);
	return p->wait_status;
}

void process_free(struct process *p)
{
	kfree(p);
}
