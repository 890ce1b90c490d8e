/*
 * Guest processes: one traced child per address space, running
 * jinux-stub (exec'd, so none of jinux's memory is in it) with the memfd
 * inherited as STUB_MEMFD.
 *
 * jinux seizes the stub (PTRACE_O_EXITKILL: guests die with jinux),
 * maps its control page and has it unmap everything else below
 * STUB_HOST_TOP apart from its own text, so the guest address space starts
 * clean. Afterwards the stub is only ever run at an entry point with
 * registers jinux chose (PTRACE_CONT), and guest code only under
 * PTRACE_SYSEMU, so the guest cannot make a host system call.
 *
 * Stops of running guests are collected by the event loop (guests_reap);
 * stops of injected stub calls are waited for synchronously, since they
 * take microseconds.
 */
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jinux/frame.h>
#include <jinux/heap.h>
#include <jinux/log.h>

#include "arch_hooks.h"
#include "host.h"

static struct guest *guests;
static bool ctrl_used[HOST_MAX_GUESTS];

/* A free control page, or 0 when HOST_MAX_GUESTS guests exist. */
static size_t ctrl_alloc(void)
{
	for (size_t i = 0; i < HOST_MAX_GUESTS; i++) {
		if (!ctrl_used[i]) {
			ctrl_used[i] = true;
			return host_ctrl_first_pfn + i;
		}
	}
	return 0;
}

static void ctrl_free(size_t pfn)
{
	ctrl_used[pfn - host_ctrl_first_pfn] = false;
}

int host_ptrace(int req, pid_t pid, void *addr, void *data)
{
	long r = ptrace((enum __ptrace_request)req, pid, addr, data);
	return r < 0 ? -errno : 0;
}

static struct guest *guest_find(pid_t pid)
{
	for (struct guest *g = guests; g; g = g->next)
		if (g->pid == pid)
			return g;
	return NULL;
}

static void guest_unlink(struct guest *g)
{
	for (struct guest **pp = &guests; *pp; pp = &(*pp)->next) {
		if (*pp == g) {
			*pp = g->next;
			return;
		}
	}
}

/* Record a wait status; wake the task waiting for a running guest. */
static void guest_note_status(struct guest *g, int st)
{
	g->status = st;
	g->status_ready = true;
	bool gone = WIFEXITED(st) || WIFSIGNALED(st);
	if (g->state == GUEST_RUNNING || gone) {
		g->state = gone ? GUEST_DEAD : GUEST_STOPPED;
		wait_queue_wake_all(&g->stop_wq);
		wait_queue_wake_all(&g->idle_wq);
	}
}

void guests_reap(void)
{
	int st;
	pid_t pid;

	while ((pid = waitpid(-1, &st, WNOHANG | __WALL)) > 0) {
		struct guest *g = guest_find(pid);
		if (g)
			guest_note_status(g, st);
	}
}

void guests_tick(uint64_t now)
{
	for (struct guest *g = guests; g; g = g->next) {
		if (g->state == GUEST_RUNNING && !g->interrupt_sent &&
		    now - g->run_start >= HOST_SLICE_NS) {
			g->preempted = true;
			g->interrupt_sent = true;
			host_ptrace(PTRACE_INTERRUPT, g->pid, NULL, NULL);
		}
	}
}

void arch_kick_user(struct task *t)
{
	for (struct guest *g = guests; g; g = g->next) {
		if (g->state == GUEST_RUNNING && g->runner == t && !g->interrupt_sent) {
			g->interrupt_sent = true;
			host_ptrace(PTRACE_INTERRUPT, g->pid, NULL, NULL);
		}
	}
}

/*
 * Wait for the next stop of @g, which jinux resumed itself and nobody else
 * waits for. Return: the wait status, or -ESRCH if the process is gone.
 */
int guest_wait_sync(struct guest *g)
{
	int st;

	if (g->state == GUEST_DEAD)
		return -ESRCH;
	if (g->status_ready) {
		st = g->status;
	} else {
		while (waitpid(g->pid, &st, __WALL) < 0) {
			if (errno != EINTR) {
				g->state = GUEST_DEAD;
				return -ESRCH;
			}
		}
	}
	g->status_ready = false;
	if (WIFEXITED(st) || WIFSIGNALED(st)) {
		g->state = GUEST_DEAD;
		return -ESRCH;
	}
	return st;
}

static bool is_event_stop(int st)
{
	return WIFSTOPPED(st) && (st >> 16) == PTRACE_EVENT_STOP;
}

/*
 * Run the stub from the registers in @r until its int3, passing over the
 * stop of a PTRACE_INTERRUPT that was still in flight. If @want_regs, @r
 * then holds the registers at the int3.
 */
static int guest_inject(struct guest *g, struct user_regs_struct *r, bool want_regs)
{
	g->regs_lost = true;
	int err = host_ptrace(PTRACE_SETREGS, g->pid, NULL, r);
	if (err)
		return err;
	for (;;) {
		err = host_ptrace(PTRACE_CONT, g->pid, NULL, NULL);
		if (err)
			return err;
		int st = guest_wait_sync(g);
		if (st < 0)
			return st;
		if (is_event_stop(st)) {
			g->interrupt_sent = false;
			continue;
		}
		if (!WIFSTOPPED(st) || WSTOPSIG(st) != SIGTRAP) {
			pr_err("host: stub %d stopped with status %#x", g->pid, st);
			return -EIO;
		}
		return want_regs ? host_ptrace(PTRACE_GETREGS, g->pid, NULL, r) : 0;
	}
}

static struct user_regs_struct stub_regs(struct guest *g, unsigned long entry)
{
	struct user_regs_struct r = g->tmpl;
	r.rip = STUB_BASE + entry;
	r.orig_rax = (unsigned long)-1;
	return r;
}

/* One host system call made by the stub. Return: its result. */
static long guest_syscall(struct guest *g, long nr, long a0, long a1, long a2, long a3,
			  long a4, long a5)
{
	struct user_regs_struct r = stub_regs(g, STUB_OFF_SYSCALL);
	r.rax = (unsigned long)nr;
	r.rdi = (unsigned long)a0;
	r.rsi = (unsigned long)a1;
	r.rdx = (unsigned long)a2;
	r.r10 = (unsigned long)a3;
	r.r8 = (unsigned long)a4;
	r.r9 = (unsigned long)a5;
	int err = guest_inject(g, &r, true);
	return err ? err : (long)r.rax;
}

int guest_run_ops(struct guest *g, const struct stub_op *ops, size_t n)
{
	while (n) {
		size_t k = n < STUB_OPS_MAX ? n : STUB_OPS_MAX;
		memcpy(g->ctrl_ops, ops, k * sizeof(*ops));
		struct user_regs_struct r = stub_regs(g, STUB_OFF_BATCH);
		r.rdi = STUB_CTRL_VA;
		r.rsi = k;
		int err = guest_inject(g, &r, false);
		if (err)
			return err;
		for (size_t i = 0; i < k; i++) {
			int64_t ret = g->ctrl_ops[i].ret;
			if (ret < 0 && ret > -4096) {
				pr_err("host: stub %d: syscall %lu failed: %ld", g->pid,
				       (unsigned long)ops[i].nr, (long)ret);
				return (int)ret;
			}
		}
		ops += k;
		n -= k;
	}
	return 0;
}

static pid_t spawn_stub(void)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none;
	char *argv[] = { "jinux-stub", NULL };
	char *envp[] = { NULL };
	pid_t pid;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, host_memfd, STUB_MEMFD);
	posix_spawn_file_actions_addclosefrom_np(&fa, STUB_MEMFD + 1);
	for (int fd = 0; fd < STUB_MEMFD; fd++)
		posix_spawn_file_actions_addclose(&fa, fd);
	posix_spawnattr_init(&attr);
	sigemptyset(&none);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
	int err = posix_spawn(&pid, host_stub_path, &fa, &attr, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (err) {
		pr_err("host: cannot start %s: error %d", host_stub_path, err);
		return -1;
	}
	return pid;
}

/* Seize the fresh stub and stop it where jinux can take over. */
static int guest_seize(struct guest *g)
{
	long opts = PTRACE_O_EXITKILL | PTRACE_O_TRACESYSGOOD;
	int err = host_ptrace(PTRACE_SEIZE, g->pid, NULL, (void *)opts);
	if (!err)
		err = host_ptrace(PTRACE_INTERRUPT, g->pid, NULL, NULL);
	if (err)
		return err;
	int st = guest_wait_sync(g);
	if (st < 0)
		return st;
	if (!is_event_stop(st))
		return -EIO;
	g->state = GUEST_STOPPED;
	return host_ptrace(PTRACE_GETREGS, g->pid, NULL, &g->tmpl);
}

/* Map the control page, then drop everything but the stub's text. */
static int guest_clean_space(struct guest *g)
{
	long r = guest_syscall(g, SYS_mmap, STUB_CTRL_VA, PAGE_SIZE, PROT_READ | PROT_WRITE,
			       MAP_SHARED | MAP_FIXED, STUB_MEMFD,
			       (long)(g->ctrl_pfn * PAGE_SIZE));
	if (r != (long)STUB_CTRL_VA)
		return r < 0 ? (int)r : -EIO;
	const struct stub_op ops[] = {
		{ SYS_munmap, { 0, STUB_CTRL_VA } , 0 },
		{ SYS_munmap, { STUB_CTRL_VA + PAGE_SIZE,
				STUB_BASE - STUB_CTRL_VA - PAGE_SIZE }, 0 },
		{ SYS_munmap, { STUB_BASE + STUB_SIZE,
				STUB_HOST_TOP - STUB_BASE - STUB_SIZE }, 0 },
	};
	return guest_run_ops(g, ops, ARRAY_SIZE(ops));
}

/**
 * guest_spawn() - start a guest process with a clean address space,
 * stopped and ready to run a user context.
 * Return: the guest, or NULL when out of memory or host resources.
 */
struct guest *guest_spawn(void)
{
	struct guest *g = kzalloc(sizeof(*g));
	if (!g)
		return NULL;
	g->ctrl_pfn = ctrl_alloc();
	if (!g->ctrl_pfn) {
		kfree(g);
		return NULL;
	}
	g->ctrl_ops = arch_frame_va(g->ctrl_pfn);
	wait_queue_init(&g->stop_wq);
	wait_queue_init(&g->idle_wq);
	g->state = GUEST_STOPPED;
	g->pid = spawn_stub();
	if (g->pid < 0) {
		ctrl_free(g->ctrl_pfn);
		kfree(g);
		return NULL;
	}
	g->next = guests;
	guests = g;
	int err = guest_seize(g);
	if (!err)
		err = guest_clean_space(g);
	if (err) {
		pr_err("host: guest %d set-up failed: %d", g->pid, err);
		guest_kill(g);
		return NULL;
	}
	return g;
}

/** guest_kill() - kill @g's process, reap it and free @g. */
void guest_kill(struct guest *g)
{
	if (g->state != GUEST_DEAD) {
		kill(g->pid, SIGKILL);
		while (guest_wait_sync(g) >= 0)
			;
	}
	guest_unlink(g);
	ctrl_free(g->ctrl_pfn);
	kfree(g);
}

void guests_kill_all(void)
{
	for (struct guest *g = guests; g; g = g->next)
		kill(g->pid, SIGKILL);
}
