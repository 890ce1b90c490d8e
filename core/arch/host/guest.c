/*
 * Guest processes: one traced child per address space, running
 * jinux-stub (exec'd, so none of jinux's memory is in it) with the memfd
 * inherited as STUB_MEMFD.
 *
 * jinux seizes the stub (PTRACE_O_EXITKILL: guests die with jinux),
 * maps its control page and has it unmap everything else below
 * STUB_HOST_TOP apart from its own text, so the guest address space starts
 * clean. Later guests are forked from that first clean one, the zygote.
 * The stub is only ever run at an entry point with registers jinux chose
 * (inject.c); how guest system calls reach jinux is trap.c's business.
 *
 * Each user context gets a host thread of its own (struct gthread): the
 * first is the stub's initial thread, more are made by an injected
 * clone(CLONE_THREAD) and traced automatically (PTRACE_O_TRACECLONE). A
 * thread whose context is destroyed stays, idle, for the next context.
 * Threads of one guest stop and run independently.
 *
 * Stops of running threads are collected by the event loop (guests_reap);
 * stops of injected stub calls are waited for synchronously, since they
 * take microseconds.
 */
#include <errno.h>
#include <sched.h>
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

struct guest *guest_first(void)
{
	return guests;
}

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

struct gthread *guest_thread_find(pid_t tid)
{
	for (struct guest *g = guests; g; g = g->next)
		for (struct gthread *t = g->threads; t; t = t->next)
			if (t->tid == tid)
				return t;
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

static bool is_exit(int st)
{
	return WIFEXITED(st) || WIFSIGNALED(st);
}

/*
 * The process is going away (a thread exited: only a host SIGKILL does
 * that). Every thread is dead from now on; wake whoever waits for one.
 */
static void guest_mark_dead(struct guest *g)
{
	g->dead = true;
	for (struct gthread *t = g->threads; t; t = t->next) {
		t->state = GUEST_DEAD;
		wait_queue_wake_all(&t->stop_wq);
	}
}

/* Record a wait status; wake the task waiting for a running thread. */
static void thread_note_status(struct gthread *t, int st)
{
	if (is_exit(st)) {
		t->reaped = true;
		guest_mark_dead(t->g);
		return;
	}
	t->status = st;
	t->status_ready = true;
	if (t->state == GUEST_RUNNING) {
		t->state = GUEST_STOPPED;
		wait_queue_wake_all(&t->stop_wq);
	}
}

/*
 * The first stop of a thread made by an injected clone may be collected
 * by the event loop before jinux knows the thread (the injection answers
 * notifications, which may wake tasks and so dispatch events). It is kept
 * here until thread_add() claims it.
 */
#define EARLY_MAX 16
static struct { pid_t tid; int status; } early[EARLY_MAX];
static unsigned early_next;

static void early_stash(pid_t tid, int st)
{
	early[early_next % EARLY_MAX].tid = tid;
	early[early_next % EARLY_MAX].status = st;
	early_next++;
}

static bool early_claim(pid_t tid, int *st)
{
	for (unsigned i = 0; i < EARLY_MAX; i++) {
		if (early[i].tid == tid) {
			early[i].tid = 0;
			*st = early[i].status;
			return true;
		}
	}
	return false;
}

void guests_reap(void)
{
	int st;
	pid_t pid;

	while ((pid = waitpid(-1, &st, WNOHANG | __WALL)) > 0) {
		struct gthread *t = guest_thread_find(pid);
		if (t)
			thread_note_status(t, st);
		else if (WIFSTOPPED(st))
			early_stash(pid, st);
	}
}

static void thread_interrupt(struct gthread *t)
{
	t->interrupt_sent = true;
	host_ptrace(PTRACE_INTERRUPT, t->tid, NULL, NULL);
}

void guests_tick(uint64_t now)
{
	for (struct guest *g = guests; g; g = g->next) {
		for (struct gthread *t = g->threads; t; t = t->next) {
			if (t->state == GUEST_RUNNING && !t->interrupt_sent &&
			    now - t->run_start >= HOST_SLICE_NS) {
				t->preempted = true;
				thread_interrupt(t);
			}
		}
	}
}

void arch_kick_user(struct task *tk)
{
	for (struct guest *g = guests; g; g = g->next)
		for (struct gthread *t = g->threads; t; t = t->next)
			if (t->state == GUEST_RUNNING && t->runner == tk && !t->interrupt_sent)
				thread_interrupt(t);
}

bool guest_running(const struct guest *g)
{
	for (struct gthread *t = g->threads; t; t = t->next)
		if (t->state == GUEST_RUNNING)
			return true;
	return false;
}

void guest_request_sync(struct guest *g)
{
	struct gthread *pick = NULL;
	for (struct gthread *t = g->threads; t; t = t->next) {
		if (t->state != GUEST_RUNNING)
			continue;
		if (t->interrupt_sent)
			return;     /* one is on its way already */
		pick = t;
	}
	if (pick)
		thread_interrupt(pick);
}

/*
 * Take wait status @st of @t (-1: waitpid failed, the thread is gone).
 * Return: the status, or -ESRCH if the process is gone.
 */
int guest_wait_sync_status(struct gthread *t, int st)
{
	t->status_ready = false;
	if (st == -1 || is_exit(st)) {
		t->reaped = true;
		guest_mark_dead(t->g);
		return -ESRCH;
	}
	return st;
}

/*
 * Wait for the next stop of @t, which jinux resumed itself and nobody else
 * waits for. Return: the wait status, or -ESRCH if the process is gone.
 */
int guest_wait_sync(struct gthread *t)
{
	int st;

	if (t->state == GUEST_DEAD)
		return -ESRCH;
	if (t->status_ready)
		return guest_wait_sync_status(t, t->status);
	while (waitpid(t->tid, &st, __WALL) < 0) {
		if (errno != EINTR)
			return guest_wait_sync_status(t, -1);
	}
	return guest_wait_sync_status(t, st);
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

/* A thread record for @tid, stopped and idle, added to @g. */
static struct gthread *thread_add(struct guest *g, pid_t tid)
{
	struct gthread *t = kzalloc(sizeof(*t));
	if (!t)
		return NULL;
	t->g = g;
	t->tid = tid;
	t->state = GUEST_STOPPED;
	t->regs_lost = true;
	t->status_ready = early_claim(tid, &t->status);
	wait_queue_init(&t->stop_wq);
	t->next = g->threads;
	g->threads = t;
	return t;
}

/* Seize the fresh stub and stop it where jinux can take over. */
static int guest_seize(struct guest *g)
{
	long opts = PTRACE_O_EXITKILL | PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACECLONE |
		    PTRACE_O_TRACEFORK | PTRACE_O_TRACESECCOMP;
	int err = host_ptrace(PTRACE_SEIZE, g->pid, NULL, (void *)opts);
	if (!err)
		err = host_ptrace(PTRACE_INTERRUPT, g->pid, NULL, NULL);
	if (err)
		return err;
	int st = guest_wait_sync(g->threads);
	if (st < 0)
		return st;
	if (!host_event_stop(st))
		return -EIO;
	return host_ptrace(PTRACE_GETREGS, g->pid, NULL, &g->tmpl);
}

/* Map the control page, then drop everything but the stub's text. */
static int guest_clean_space(struct guest *g)
{
	struct gthread *t = g->threads;
	long r = guest_stub_syscall(t, NULL, SYS_mmap, STUB_CTRL_VA, PAGE_SIZE,
			       PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, STUB_MEMFD,
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
	return guest_run_ops(t, ops, ARRAY_SIZE(ops));
}

/* A guest record with its control page, no process yet. */
static struct guest *guest_alloc(void)
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
	g->notify_fd = -1;
	return g;
}

/* Start a guest from scratch: posix_spawn of the stub, seize, clean-up. */
static struct guest *guest_create(void)
{
	struct guest *g = guest_alloc();
	if (!g)
		return NULL;
	g->pid = spawn_stub();
	if (g->pid < 0 || !thread_add(g, g->pid)) {
		if (g->pid > 0) {
			kill(g->pid, SIGKILL);
			waitpid(g->pid, NULL, __WALL);
		}
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

/*
 * The zygote: a clean guest that only ever forks. Starting a guest from
 * scratch costs about half a millisecond (posix_spawn alone half of it),
 * which every fork and execve would pay; a fork injected into the zygote
 * (CLONE_PARENT, so jinux is the parent; traced from birth by
 * PTRACE_O_TRACEFORK) gives a process with the same clean address space,
 * which then only needs its own control page. Made at boot, before the
 * kernel's leak check takes its first count.
 */
static struct guest *zygote;

void guests_init(void)
{
	zygote = guest_create();
}

static struct guest *guest_fork_zygote(void)
{
	struct guest *g = guest_alloc();
	pid_t pid = 0;

	if (!g)
		return NULL;
	long r = guest_stub_syscall(zygote->threads, &pid, SYS_clone, CLONE_PARENT | SIGCHLD, 0, 0, 0,
			       0, 0);
	if (r <= 0 || pid <= 0) {
		pr_err("host: zygote %d: fork failed: %ld", zygote->pid, r);
		ctrl_free(g->ctrl_pfn);
		kfree(g);
		return NULL;
	}
	g->pid = pid;
	g->tmpl = zygote->tmpl;
	if (!thread_add(g, pid)) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, __WALL);
		ctrl_free(g->ctrl_pfn);
		kfree(g);
		return NULL;
	}
	g->next = guests;
	guests = g;
	/* Its first stop (PTRACE_EVENT_STOP) comes before it runs anything. */
	int st = guest_wait_sync(g->threads);
	r = st < 0 ? st : guest_stub_syscall(g->threads, NULL, SYS_mmap, STUB_CTRL_VA, PAGE_SIZE,
					PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
					STUB_MEMFD, (long)(g->ctrl_pfn * PAGE_SIZE));
	if (r != (long)STUB_CTRL_VA) {
		pr_err("host: guest %d set-up failed: %ld", pid, r);
		guest_kill(g);
		return NULL;
	}
	return g;
}

/**
 * guest_spawn() - start a guest process with a clean address space,
 * stopped, with one idle thread ready to run a user context.
 * Return: the guest, or NULL when out of memory or host resources.
 */
struct guest *guest_spawn(void)
{
	bool forkable = zygote && !zygote->dead;
	struct guest *g = forkable ? guest_fork_zygote() : guest_create();
	if (g && guest_trap_notify_always() && guest_install_filter(g, g->threads)) {
		guest_kill(g);
		return NULL;
	}
	return g;
}

/*
 * A stopped thread jinux may run the stub on: one whose stop has been
 * taken by its user_run() (or that is idle), else one waiting in a
 * notified call, stopped now (its context first saves the registers the
 * host thread alone holds). Its context's registers are reloaded before
 * it next runs (regs_lost).
 */
static struct gthread *stopped_thread(struct guest *g)
{
	for (struct gthread *t = g->threads; t; t = t->next)
		if (t->state == GUEST_STOPPED && !t->status_ready)
			return t;
	for (struct gthread *t = g->threads; t; t = t->next) {
		if (t->state != GUEST_NOTIFIED || t->status_ready)
			continue;
		int err = t->owner ? host_context_save(t->owner) : guest_thread_stop(t);
		return err ? NULL : t;
	}
	return NULL;
}

/* Make a new thread in @g (a clone injected into a stopped thread). */
static struct gthread *guest_clone(struct guest *g)
{
	const long flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND |
			   CLONE_THREAD | CLONE_SYSVSEM;
	struct gthread *from = stopped_thread(g);
	pid_t tid = 0;

	if (!from)
		return NULL;
	/* No stack: the new thread stops before its first instruction and
	 * only ever runs guest code or the stack-less stub entry points. */
	long r = guest_stub_syscall(from, &tid, SYS_clone, flags, 0, 0, 0, 0, 0);
	if (r <= 0 || tid <= 0) {
		pr_err("host: stub %d: clone failed: %ld", from->tid, r);
		return NULL;
	}
	struct gthread *t = thread_add(g, tid);
	if (!t) {
		kill(g->pid, SIGKILL);   /* cannot track it: give the guest up */
		guest_mark_dead(g);
		return NULL;
	}
	/* Its first stop (PTRACE_EVENT_STOP) comes before it runs anything. */
	int st = guest_wait_sync(t);
	if (st < 0)
		return NULL;
	if (!WIFSTOPPED(st)) {
		pr_err("host: new thread %d reported status %#x", tid, st);
		return NULL;
	}
	return t;
}

/**
 * guest_thread_get() - a host thread for a new user context of @g: an
 * idle one, else a new one made by an injected clone.
 * Return: the thread (stopped, owner not yet set), or NULL if none could
 * be made (out of memory or host resources, or the guest is dead).
 */
struct gthread *guest_thread_get(struct guest *g)
{
	if (g->dead)
		return NULL;
	for (struct gthread *t = g->threads; t; t = t->next)
		if (!t->owner && (t->state == GUEST_STOPPED || t->state == GUEST_NOTIFIED) &&
		    !t->status_ready)
			return t;
	return guest_clone(g);
}

/* Collect the exit of @t after SIGKILL (or learn that it was collected). */
static void thread_reap(struct gthread *t)
{
	int st;

	while (!t->reaped) {
		if (waitpid(t->tid, &st, __WALL) < 0) {
			if (errno == EINTR)
				continue;
			t->reaped = true;
		} else if (is_exit(st)) {
			t->reaped = true;
		}
	}
}

/** guest_kill() - kill @g's process, reap its threads and free @g. */
void guest_kill(struct guest *g)
{
	kill(g->pid, SIGKILL);
	/* The leader is the last in the list; it is reported after the rest. */
	while (g->threads) {
		struct gthread *t = g->threads;
		thread_reap(t);
		g->threads = t->next;
		kfree(t);
	}
	guest_unlink(g);
	if (g->notify_fd >= 0)
		close(g->notify_fd);
	ctrl_free(g->ctrl_pfn);
	kfree(g);
}

void guests_kill_all(void)
{
	for (struct guest *g = guests; g; g = g->next)
		kill(g->pid, SIGKILL);
}
