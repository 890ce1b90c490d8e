/*
 * Internal interfaces of the host target (core/arch/host): the Linux
 * process that is the machine. Nothing outside core/arch/host includes it.
 */
#ifndef CORE_ARCH_HOST_H
#define CORE_ARCH_HOST_H

#include <jinux/sync.h>
#include <jinux/types.h>
#include <jinux/user.h>
#include <poll.h>
#include <sys/ptrace.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <sys/user.h>

#include "stub/stub_abi.h"

struct frame;
struct task;

/* ---- main.c: the machine ---- */

/* The memfd that is physical memory, and the stub's path. */
extern int host_memfd;
extern char host_stub_path[];

/*
 * Control pages of guests live in the memfd after the frames handed to the
 * frame allocator, so guests do not consume (or perturb counts of) frames.
 */
#define HOST_MAX_GUESTS 1024
extern size_t host_ctrl_first_pfn;

/* ---- events.c: host "interrupts" ---- */

/* The tick period, and how long a guest runs before it is preempted. */
#define HOST_TICK_NS 1000000ULL
#define HOST_SLICE_NS 10000000ULL

/*
 * Host signals (SIGCHLD for guest stops, SIGALRM for the tick) only set
 * flags; the work is done by host_events_dispatch() with interrupts
 * masked, when irq_restore() unmasks or when the scheduler idles.
 */
void host_events_init(void);
void host_events_dispatch(void);

/* Woken when stdin may have input (or EOF). */
extern struct wait_queue host_console_wq;

/* ---- guest.c: traced stub processes and their threads ---- */

enum guest_state {
	GUEST_STOPPED,  /* in a ptrace stop, owned by jinux */
	GUEST_RUNNING,  /* running guest code; the event loop waits for it */
	GUEST_NOTIFIED, /* in a system call, waiting for jinux's answer */
	GUEST_DEAD,     /* the process is gone */
};

struct guest;
struct user_context;

/*
 * A system call trapped by the guest's seccomp filter (SECCOMP_RET_USER_NOTIF):
 * the thread waits in the host kernel until jinux answers it. The
 * registers other than the number and arguments stay in the thread.
 */
struct host_notif {
	uint64_t id;
	uint32_t arch;              /* AUDIT_ARCH_X86_64, or i386 for int $0x80 */
	uint64_t nr;
	uint64_t rip;               /* after the syscall instruction */
	uint64_t args[6];
};

/*
 * One host thread of a guest process: the CPU of one user context. Each
 * is traced on its own, so threads of one guest stop and run
 * independently (and in parallel on the host's CPUs).
 */
struct gthread {
	struct guest *g;
	pid_t tid;
	enum guest_state state;
	bool status_ready;          /* a wait status arrived, not yet taken */
	int status;                 /* that status */
	bool interrupt_sent;        /* PTRACE_INTERRUPT in flight */
	bool preempted;             /* ... sent because the slice ran out */
	bool regs_lost;             /* the stub ran on it: reload the regs */
	bool reaped;                /* its exit status was collected */
	bool injecting;             /* jinux runs the stub on it */
	bool notif_ready;           /* a notification arrived, not yet taken */
	struct host_notif notif;    /* that notification */
	struct task *runner;        /* task waiting in user_run() */
	uint64_t run_start;         /* monotonic ns of the last resume */
	struct wait_queue stop_wq;  /* runner waits here for the stop */
	struct user_context *owner; /* NULL: idle, free for a new context */
	struct gthread *next;       /* in g->threads, leader last */
};

struct guest {
	pid_t pid;
	bool dead;                  /* the process is gone (or going) */
	int notify_fd;              /* seccomp listener, or -1: traps by ptrace */
	unsigned sysemu_calls;      /* system calls trapped by ptrace so far */
	unsigned faults;            /* page faults so far */
	struct gthread *threads;
	struct user_regs_struct tmpl; /* segment selectors etc. at start */
	size_t ctrl_pfn;            /* the control page */
	struct stub_op *ctrl_ops;   /* ... through the direct map */
	struct guest *next;
};

/* Start the zygote that guests are forked from (at boot). */
void guests_init(void);
struct guest *guest_spawn(void);
void guest_kill(struct guest *g);
/* A thread for a new context: an idle one, or a new one (injected clone). */
struct gthread *guest_thread_get(struct guest *g);
/* Is any thread of @g running guest code? */
bool guest_running(const struct guest *g);
/* Interrupt a running thread of @g so that queued mapping changes are
 * applied (by its user_run()) soon: the TLB shootdown of this target. */
void guest_request_sync(struct guest *g);
/* Take the next stop of a stopped-and-resumed thread, blocking the host. */
int guest_wait_sync(struct gthread *t);
/* Run @n host system calls in the stub on stopped @t; clobbers its regs. */
int guest_run_ops(struct gthread *t, const struct stub_op *ops, size_t n);
/*
 * Stop a thread that waits in a notified system call (GUEST_NOTIFIED), so
 * that ptrace can read or write its registers or run the stub on it. Its
 * call is abandoned by the host (it would be restarted), so whoever stops
 * it must set its registers (orig_rax -1) before it runs again.
 * Return: 0 (the thread is GUEST_STOPPED), or -ESRCH if it died.
 */
int guest_thread_stop(struct gthread *t);
/* Answer @t's notified call with @value and let the thread go on
 * (GUEST_RUNNING). Return: 0, or -ENOENT if the call was abandoned
 * meanwhile (an interrupt raced with it: the thread is in a ptrace stop). */
int guest_reply(struct gthread *t, uint64_t value);
/* When a guest switches to notification: after this many system calls,
 * and this many times as many as page faults (see guest.c). */
#define HOST_NOTIFY_AFTER 128
#define HOST_NOTIFY_RATIO 8
/*
 * Count a system call @t (stopped, registers fetched) made under
 * PTRACE_SYSEMU; it may switch its guest to seccomp notification (the
 * stub runs on @t). Return: 0, or a negative errno if
 * the guest was left unusable.
 */
int guest_syscall_trapped(struct gthread *t);
/* Is the guest trapping system calls by seccomp notification? */
static inline bool guest_notifies(const struct guest *g)
{
	return g->notify_fd >= 0;
}
/*
 * Notifications for the event loop: fill @pfd with the listeners (up to
 * @max), and after poll() take one notification from each ready one.
 */
size_t guests_poll_fill(struct pollfd *pfd, size_t max);
void guests_poll_done(const struct pollfd *pfd, size_t n);
/* Take whatever notifications are waiting, without blocking. */
void guests_poll_now(void);

/* Called by the event loop: collect stops, preempt long runners. */
void guests_reap(void);
void guests_tick(uint64_t now);
void guests_kill_all(void);

int host_ptrace(int req, pid_t pid, void *addr, void *data);
/* The list of guests (linked by ->next). */
struct guest *guest_first(void);
/* The thread record of host thread @tid, or NULL. */
struct gthread *guest_thread_find(pid_t tid);
/* Take wait status @st of @t (-1: waitpid failed). Return: it, or -ESRCH. */
int guest_wait_sync_status(struct gthread *t, int st);

/* Wait statuses of ptrace stops jinux asked for. */
static inline bool host_event_stop(int st)
{
	return WIFSTOPPED(st) && (st >> 16) == PTRACE_EVENT_STOP;
}

/* The stop of an injected clone: a thread (CLONE) or a process (FORK). */
static inline bool host_clone_stop(int st)
{
	return WIFSTOPPED(st) &&
	       ((st >> 16) == PTRACE_EVENT_CLONE || (st >> 16) == PTRACE_EVENT_FORK);
}

/* ---- inject.c: the stub at work ---- */

/* One host system call made by the stub on stopped @t (its registers
 * are lost); *@new_tid receives a clone's new thread or process. */
long guest_stub_syscall(struct gthread *t, pid_t *new_tid, long nr, long a0, long a1, long a2,
			long a3, long a4, long a5);

/* ---- trap.c: system calls by seccomp notification ---- */

/* Take one notification from @g's listener (it must have one). */
void guest_notif_recv(struct guest *g);
/* Let the next of the stub calls @ops (@n, *@done made) that @t asked to
 * run on the host, or refuse a stray one. */
void guest_answer_stub_call(struct gthread *t, const struct stub_op *ops, size_t n,
			    size_t *done);
/* Have @t's stub install the filter and take its listener. Return: 0
 * (notify_fd may stay -1: the host cannot), or -errno if @g is unusable. */
int guest_install_filter(struct guest *g, struct gthread *t);
/* JINUX_HOST_TRAP=notify: every guest notifies from the start. */
bool guest_trap_notify_always(void);

/* ---- user.c ---- */

/*
 * Stop @ctx's thread if it waits in a notified call and fetch the
 * registers only it holds, so that the stub may run on it.
 */
int host_context_save(struct user_context *ctx);

/* ---- pgtable.c: the software page table of a vm_space ---- */

/*
 * A 4-level radix tree over bits 12..47 of the user address, like the
 * x86-64 page tables; a leaf entry is a struct frame pointer with the VM_*
 * bits in its low bits (non-zero means mapped).
 */
struct pt;
#define PT_PROT_MASK 0x7UL

uintptr_t *pt_slot(struct pt **root, uintptr_t va, bool create);
/* Call @fn on every mapped leaf in [start, end), in address order. */
void pt_walk(struct pt *root, uintptr_t start, uintptr_t end,
	     void (*fn)(uintptr_t *slot, uintptr_t va, void *arg), void *arg);
void pt_free(struct pt *root);

/* ---- vm_space.c ---- */

struct vm_space;
struct guest *vm_space_guest(struct vm_space *vs);
/* Apply queued mapping changes to the guest process through its stopped
 * thread @t (host mappings are per process: every thread sees them). */
int vm_space_sync(struct vm_space *vs, struct gthread *t);
/* Are changes queued, so that vm_space_sync() needs a stopped thread? */
bool vm_space_sync_needs_stop(const struct vm_space *vs);

#endif
