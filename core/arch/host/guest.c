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
 * Each user context gets a host thread of its own (struct gthread): the
 * first is the stub's initial thread, more are made by an injected
 * clone(CLONE_THREAD) and traced automatically (PTRACE_O_TRACECLONE). A
 * thread whose context is destroyed stays, idle, for the next context.
 * Threads of one guest stop and run independently.
 *
 * Stops of running threads are collected by the event loop (guests_reap);
 * stops of injected stub calls are waited for synchronously, since they
 * take microseconds.
 *
 * System calls: a ptrace stop per call (PTRACE_SYSEMU) costs tens of
 * microseconds, so once the address space is clean the stub installs a
 * seccomp filter that turns every system call of the process into a
 * notification (SECCOMP_RET_USER_NOTIF) on a listener jinux holds. The
 * thread waits in the host kernel while jinux handles the call and
 * answers with its result: no ptrace stop, no register transfer. When
 * jinux needs the registers (signal frames, fork, execve) it interrupts
 * the waiting thread into a ptrace stop (guest_thread_stop). The stub's
 * own calls are notified too: jinux lets one run on the host
 * (SECCOMP_USER_NOTIF_FLAG_CONTINUE) only if it comes from the thread
 * jinux is injecting into and is exactly the call jinux asked for, so the
 * guest still cannot make a host system call of its own, even by jumping
 * into the stub or rewriting its control page. If the filter cannot be
 * installed (an old or restricted host), system calls are trapped with
 * PTRACE_SYSEMU as before.
 *
 * Notification makes system calls cheaper but every call the stub makes
 * for jinux (page faults, address-space set-up) dearer, so a guest starts
 * with PTRACE_SYSEMU and switches once it has made HOST_NOTIFY_AFTER
 * system calls and HOST_NOTIFY_RATIO times as many as page faults, while
 * it has a single thread: short-lived processes and ones that mostly
 * fault (a shell forking pipelines touches its copy-on-write pages after
 * every fork) stay on the path that is cheaper for them. JINUX_HOST_TRAP=ptrace or
 * =notify in the environment fixes the mechanism, so that both are tested.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

/* Linux 6.6 additions, missing from older uapi headers. */
#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, uint64_t)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP 1
#endif
#include <sched.h>
#include <stddef.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
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

static struct gthread *thread_find(pid_t tid)
{
	for (struct guest *g = guests; g; g = g->next)
		for (struct gthread *t = g->threads; t; t = t->next)
			if (t->tid == tid)
				return t;
	return NULL;
}

/* ---- seccomp notifications ---- */

static int notif_send(struct guest *g, uint64_t id, int64_t val, int error, uint32_t flags)
{
	struct seccomp_notif_resp resp = { .id = id, .val = val, .error = error, .flags = flags };
	return ioctl(g->notify_fd, SECCOMP_IOCTL_NOTIF_SEND, &resp) < 0 ? -errno : 0;
}

/*
 * A notification for @t. A running thread is now waiting for its answer:
 * wake its runner. An injection in progress takes it itself. Anything else
 * is a call that was abandoned already (an interrupt raced with it).
 */
static void thread_note_notif(struct gthread *t, const struct host_notif *n)
{
	if (!t->injecting && t->state != GUEST_RUNNING)
		return;
	t->notif = *n;
	t->notif_ready = true;
	if (!t->injecting) {
		t->state = GUEST_NOTIFIED;
		wait_queue_wake_all(&t->stop_wq);
	}
}

/* Take one notification from @g's listener (which must have one). */
static void notif_recv(struct guest *g)
{
	struct seccomp_notif req;

	memset(&req, 0, sizeof(req));
	if (ioctl(g->notify_fd, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0)
		return;   /* the caller died meanwhile */
	struct gthread *t = thread_find((pid_t)req.pid);
	if (!t || t->g != g)
		return;
	struct host_notif n = {
		.id = req.id,
		.arch = req.data.arch,
		/* Linux takes the number from the low 32 bits of rax. */
		.nr = (uint32_t)req.data.nr,
		.rip = req.data.instruction_pointer,
	};
	memcpy(n.args, req.data.args, sizeof(n.args));
	thread_note_notif(t, &n);
}

size_t guests_poll_fill(struct pollfd *pfd, size_t max)
{
	size_t n = 0;
	for (struct guest *g = guests; g && n < max; g = g->next) {
		if (guest_notifies(g) && !g->dead)
			pfd[n++] = (struct pollfd){ .fd = g->notify_fd, .events = POLLIN };
	}
	return n;
}

void guests_poll_done(const struct pollfd *pfd, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!(pfd[i].revents & POLLIN))
			continue;
		for (struct guest *g = guests; g; g = g->next)
			if (g->notify_fd == pfd[i].fd && !g->dead)
				notif_recv(g);
	}
}

void guests_poll_now(void)
{
	static struct pollfd pfd[HOST_MAX_GUESTS];
	size_t n = guests_poll_fill(pfd, ARRAY_SIZE(pfd));
	if (n && poll(pfd, n, 0) > 0)
		guests_poll_done(pfd, n);
}

int guest_reply(struct gthread *t, uint64_t value)
{
	int err = notif_send(t->g, t->notif.id, (int64_t)value, 0, 0);
	if (err)
		return err;
	t->notif_ready = false;
	t->state = GUEST_RUNNING;
	return 0;
}

int guest_thread_stop(struct gthread *t)
{
	if (t->state == GUEST_DEAD)
		return -ESRCH;
	if (t->state != GUEST_NOTIFIED)
		return 0;
	t->interrupt_sent = true;
	host_ptrace(PTRACE_INTERRUPT, t->tid, NULL, NULL);
	int st = guest_wait_sync(t);
	if (st < 0)
		return st;
	if ((st >> 16) == PTRACE_EVENT_STOP)
		t->interrupt_sent = false;
	t->state = GUEST_STOPPED;
	t->notif_ready = false;
	wait_queue_wake_all(&t->stop_wq);
	return 0;
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
		struct gthread *t = thread_find(pid);
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
static int guest_wait_sync_status(struct gthread *t, int st)
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

static bool is_event_stop(int st)
{
	return WIFSTOPPED(st) && (st >> 16) == PTRACE_EVENT_STOP;
}

/* The stop of an injected clone: a thread (CLONE) or a process (FORK). */
static bool is_clone_stop(int st)
{
	return WIFSTOPPED(st) && ((st >> 16) == PTRACE_EVENT_CLONE || (st >> 16) == PTRACE_EVENT_FORK);
}

/*
 * Is @n the injected call @want, made by the stub? Only then may it run
 * on the host: the guest could have jumped into the stub or rewritten the
 * control page, but it cannot forge the registers of this thread.
 */
static bool notif_is(const struct host_notif *n, const struct stub_op *want)
{
	return n->arch == AUDIT_ARCH_X86_64 && n->nr == want->nr &&
	       n->rip >= STUB_BASE && n->rip < STUB_BASE + STUB_SIZE &&
	       !memcmp(n->args, want->args, sizeof(n->args));
}

/* Let the next expected stub call of @t run, or refuse a stray one. */
static void answer_stub_call(struct gthread *t, const struct stub_op *ops, size_t n, size_t *done)
{
	struct guest *g = t->g;

	t->notif_ready = false;
	if (*done < n && notif_is(&t->notif, &ops[*done])) {
		(*done)++;
		notif_send(g, t->notif.id, 0, 0, SECCOMP_USER_NOTIF_FLAG_CONTINUE);
		return;
	}
	pr_err("host: stub %d made an unexpected system call %lu", t->tid,
	       (unsigned long)t->notif.nr);
	notif_send(g, t->notif.id, 0, -EPERM, 0);
}

/*
 * Wait for the next stop of @t, which runs the stub, answering the
 * notifications of the calls it makes on the way (@ops, in order). SIGCHLD
 * is blocked except inside ppoll(), so a stop cannot slip in between the
 * check and the sleep.
 */
static int wait_stub_stop(struct gthread *t, const struct stub_op *ops, size_t n, size_t *done)
{
	struct guest *g = t->g;
	sigset_t block, old, during;
	int st = -ESRCH;

	if (!guest_notifies(g))
		return guest_wait_sync(t);
	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	sigprocmask(SIG_BLOCK, &block, &old);
	during = old;
	sigdelset(&during, SIGCHLD);
	for (;;) {
		if (t->state == GUEST_DEAD)
			break;
		pid_t pid = t->status_ready ? t->tid : waitpid(t->tid, &st, WNOHANG | __WALL);
		if (pid == t->tid) {
			st = guest_wait_sync_status(t, t->status_ready ? t->status : st);
			break;
		}
		if (pid < 0 && errno != EINTR) {
			st = guest_wait_sync_status(t, -1);
			break;
		}
		if (t->notif_ready) {
			answer_stub_call(t, ops, n, done);
			continue;
		}
		struct pollfd pfd = { .fd = g->notify_fd, .events = POLLIN };
		if (ppoll(&pfd, 1, NULL, &during) > 0)
			notif_recv(g);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	return st;
}

/*
 * Run the stub on @t from the registers in @r until its int3, passing
 * over the stop of a PTRACE_INTERRUPT that was still in flight. It is to
 * make the host calls @ops (@n of them). If @want_regs, @r then holds the
 * registers at the int3. If the call was a clone, *@new_tid receives the
 * new thread's id.
 */
static int guest_inject(struct gthread *t, struct user_regs_struct *r, const struct stub_op *ops,
			size_t n, bool want_regs, pid_t *new_tid)
{
	size_t done = 0;

	t->regs_lost = true;
	int err = host_ptrace(PTRACE_SETREGS, t->tid, NULL, r);
	if (err)
		return err;
	t->injecting = true;
	for (;;) {
		err = host_ptrace(PTRACE_CONT, t->tid, NULL, NULL);
		if (err)
			break;
		int st = wait_stub_stop(t, ops, n, &done);
		if (st < 0) {
			err = st;
			break;
		}
		if (is_event_stop(st)) {
			t->interrupt_sent = false;
			continue;
		}
		if (is_clone_stop(st)) {
			unsigned long msg = 0;
			host_ptrace(PTRACE_GETEVENTMSG, t->tid, NULL, &msg);
			if (new_tid)
				*new_tid = (pid_t)msg;
			continue;
		}
		if (!WIFSTOPPED(st) || WSTOPSIG(st) != SIGTRAP) {
			pr_err("host: stub %d stopped with status %#x", t->tid, st);
			err = -EIO;
			break;
		}
		err = want_regs ? host_ptrace(PTRACE_GETREGS, t->tid, NULL, r) : 0;
		break;
	}
	t->injecting = false;
	t->notif_ready = false;
	return err;
}

static struct user_regs_struct stub_regs(struct guest *g, unsigned long entry)
{
	struct user_regs_struct r = g->tmpl;
	r.rip = STUB_BASE + entry;
	r.orig_rax = (unsigned long)-1;
	return r;
}

/* One host system call made by the stub on @t. Return: its result. */
static long guest_syscall(struct gthread *t, pid_t *new_tid, long nr, long a0, long a1, long a2, long a3,
			  long a4, long a5)
{
	struct user_regs_struct r = stub_regs(t->g, STUB_OFF_SYSCALL);
	r.rax = (unsigned long)nr;
	r.rdi = (unsigned long)a0;
	r.rsi = (unsigned long)a1;
	r.rdx = (unsigned long)a2;
	r.r10 = (unsigned long)a3;
	r.r8 = (unsigned long)a4;
	r.r9 = (unsigned long)a5;
	const struct stub_op op = { (uint64_t)nr, { (uint64_t)a0, (uint64_t)a1, (uint64_t)a2,
						    (uint64_t)a3, (uint64_t)a4, (uint64_t)a5 }, 0 };
	int err = guest_inject(t, &r, &op, 1, true, new_tid);
	return err ? err : (long)r.rax;
}

int guest_run_ops(struct gthread *t, const struct stub_op *ops, size_t n)
{
	struct guest *g = t->g;

	while (n) {
		size_t k = n < STUB_OPS_MAX ? n : STUB_OPS_MAX;
		memcpy(g->ctrl_ops, ops, k * sizeof(*ops));
		struct user_regs_struct r = stub_regs(g, STUB_OFF_BATCH);
		r.rdi = STUB_CTRL_VA;
		r.rsi = k;
		int err = guest_inject(t, &r, ops, k, false, NULL);
		if (err)
			return err;
		for (size_t i = 0; i < k; i++) {
			int64_t ret = g->ctrl_ops[i].ret;
			if (ret < 0 && ret > -4096) {
				pr_err("host: stub %d: syscall %lu failed: %ld", t->tid,
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
	if (!is_event_stop(st))
		return -EIO;
	return host_ptrace(PTRACE_GETREGS, g->pid, NULL, &g->tmpl);
}

/* Map the control page, then drop everything but the stub's text. */
static int guest_clean_space(struct guest *g)
{
	struct gthread *t = g->threads;
	long r = guest_syscall(t, NULL, SYS_mmap, STUB_CTRL_VA, PAGE_SIZE,
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

/* struct sock_fprog as the stub sees it: the filter's guest address. */
struct guest_fprog {
	uint16_t len;
	uint16_t pad[3];
	uint64_t filter;
};

enum trap_mode { TRAP_ADAPTIVE, TRAP_PTRACE, TRAP_NOTIFY };

static enum trap_mode trap_mode(void)
{
	const char *how = getenv("JINUX_HOST_TRAP");
	if (how && !strcmp(how, "ptrace"))
		return TRAP_PTRACE;
	if (how && !strcmp(how, "notify"))
		return TRAP_NOTIFY;
	return TRAP_ADAPTIVE;
}

/*
 * Have the stub install the seccomp filter that notifies jinux of every
 * system call, and take the listener from it. Return: 0 (with
 * g->notify_fd set, or -1 if the host cannot do this: trap by ptrace),
 * or a negative errno if the guest was left unusable.
 */
/*
 * System calls whose handling needs all the registers (signal frames,
 * fork, execve, fs_base). For them a notification would be followed at
 * once by a stop to fetch the registers, so the filter asks for the stop
 * itself (SECCOMP_RET_TRACE: a PTRACE_EVENT_SECCOMP stop, the call
 * skipped by jinux). Only a matter of speed: either way gives the same
 * result.
 */
static const uint32_t regs_hungry[] = {
	15,  /* rt_sigreturn */   56, /* clone */      57, /* fork */
	58,  /* vfork */          59, /* execve */     62, /* kill */
	129, /* rt_sigqueueinfo */ 131, /* sigaltstack */ 158, /* arch_prctl */
	200, /* tkill */          234, /* tgkill */    297, /* rt_tgsigqueueinfo */
	322, /* execveat */       435, /* clone3 */
};

/*
 * The filter: calls from the stub (its address's high half) and i386
 * calls are notified; so is everything else, except regs_hungry, traced.
 * Return: its length in instructions.
 */
static unsigned filter_build(struct sock_filter *f)
{
	const unsigned n = ARRAY_SIZE(regs_hungry);
	const unsigned notif = 5 + n, trace = notif + 1;
	unsigned k = 0;

	f[k++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					      offsetof(struct seccomp_data, arch));
	f[k] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0,
					    (uint8_t)(notif - k - 1));
	k++;
	f[k++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					      offsetof(struct seccomp_data, instruction_pointer) + 4);
	f[k] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)(STUB_BASE >> 32),
					    (uint8_t)(notif - k - 1), 0);
	k++;
	f[k++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					      offsetof(struct seccomp_data, nr));
	for (unsigned i = 0; i < n; i++, k++)
		f[k] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, regs_hungry[i],
						    (uint8_t)(trace - k - 1), 0);
	f[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF);
	f[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE);
	return k;
}

static int guest_install_filter(struct guest *g, struct gthread *t)
{
	struct guest_fprog *prog = (struct guest_fprog *)g->ctrl_ops;
	struct sock_filter *insn = (struct sock_filter *)(prog + 1);

	int pidfd = (int)syscall(SYS_pidfd_open, g->pid, 0);
	if (pidfd < 0)
		return 0;
	unsigned len = filter_build(insn);
	*prog = (struct guest_fprog){ .len = (uint16_t)len, .filter = STUB_CTRL_VA + sizeof(*prog) };
	long fd = guest_syscall(t, NULL, SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0, 0);
	if (fd == 0)
		fd = guest_syscall(t, NULL, SYS_seccomp, SECCOMP_SET_MODE_FILTER,
				   SECCOMP_FILTER_FLAG_NEW_LISTENER, STUB_CTRL_VA, 0, 0, 0);
	if (fd < 0) {
		close(pidfd);
		return 0;
	}
	/* From here on every stub call needs an answer: a listener is a must. */
	g->notify_fd = (int)syscall(SYS_pidfd_getfd, pidfd, (int)fd, 0);
	close(pidfd);
	if (g->notify_fd < 0) {
		pr_err("host: cannot take the seccomp listener of guest %d: %d", g->pid, -errno);
		return -EIO;
	}
	/* Hosts from Linux 6.6 hand the CPU straight between the waiting
	 * thread and jinux on each notification and answer (the flag is the
	 * argument itself); older ones refuse it, which costs only speed. */
	ioctl(g->notify_fd, SECCOMP_IOCTL_NOTIF_SET_FLAGS, (unsigned long)SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP);
	long r = guest_syscall(t, NULL, SYS_close, fd, 0, 0, 0, 0, 0);
	return r < 0 ? (int)r : 0;
}

int guest_syscall_trapped(struct gthread *t)
{
	struct guest *g = t->g;

	g->sysemu_calls++;
	if (guest_notifies(g) || g->sysemu_calls < HOST_NOTIFY_AFTER ||
	    g->sysemu_calls < HOST_NOTIFY_RATIO * g->faults)
		return 0;
	/* The filter binds the thread that installs it and its later clones. */
	if (g->threads != t || t->next || trap_mode() != TRAP_ADAPTIVE)
		return 0;
	return guest_install_filter(g, t);
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
	long r = guest_syscall(zygote->threads, &pid, SYS_clone, CLONE_PARENT | SIGCHLD, 0, 0, 0,
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
	r = st < 0 ? st : guest_syscall(g->threads, NULL, SYS_mmap, STUB_CTRL_VA, PAGE_SIZE,
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
	if (g && trap_mode() == TRAP_NOTIFY && guest_install_filter(g, g->threads)) {
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
	long r = guest_syscall(from, &tid, SYS_clone, flags, 0, 0, 0, 0, 0);
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
