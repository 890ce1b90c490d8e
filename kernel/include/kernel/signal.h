/*
 * Signals: per-thread and per-process pending sets, dispositions shared
 * through CLONE_SIGHAND, delivery on the way back to user mode.
 * (Owned by the signals work; the process code uses only what is below.)
 */
#ifndef KERNEL_SIGNAL_H
#define KERNEL_SIGNAL_H

#include <jinux/sync.h>
#include <jinux/types.h>
#include <uapi/signal.h>

struct thread;
struct process;
struct user_exit;

/*
 * Kernel-internal restart codes a blocking system call returns when a
 * signal interrupted it; signal_syscall_restart() and delivery turn them
 * into a restart or -EINTR, as Linux does. Never seen by user space.
 *   ERESTARTSYS            restart if the handler has SA_RESTART (or no handler runs)
 *   ERESTARTNOINTR         always restart
 *   ERESTARTNOHAND         restart only if no handler runs
 *   ERESTART_RESTARTBLOCK  like NOHAND, but restart through restart_syscall(2)
 */
#ifndef ERESTARTSYS
#define ERESTARTSYS 512
#endif
#define ERESTARTNOINTR 513
#define ERESTARTNOHAND 514
#define ERESTART_RESTARTBLOCK 516

/* Signals that are never blocked, caught or ignored. */
#define SIG_UNBLOCKABLE (SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))
/* Faults the CPU raises: dequeued before anything else (Linux's order). */
#define SIG_SYNCHRONOUS                                                       \
	(SIGBIT(SIGSEGV) | SIGBIT(SIGBUS) | SIGBIT(SIGILL) | SIGBIT(SIGTRAP) | \
	 SIGBIT(SIGFPE) | SIGBIT(SIGSYS))
#define SIG_STOP_SET (SIGBIT(SIGSTOP) | SIGBIT(SIGTSTP) | SIGBIT(SIGTTIN) | SIGBIT(SIGTTOU))

/* What the kernel knows about one signal occurrence (becomes siginfo_t). */
struct ksiginfo {
	int signo;
	int code;       /* SI_USER, SI_KERNEL, SEGV_MAPERR, CLD_EXITED ... */
	int errno_val;
	int pid;        /* sender, or child for SIGCHLD; timers: timer id */
	uint32_t uid;
	int status;     /* SIGCHLD: exit code or signal; timers: overrun */
	uint64_t addr;  /* faults: si_addr */
	uint64_t value; /* sigqueue / timers: si_value */
};

/* Further queued occurrences of real-time signals, per pending set. */
#define SIGQUEUE_EXTRA 32

struct sigpending {
	uint64_t set;
	struct ksiginfo info[NSIG]; /* the first queued occurrence per signal */
	struct ksiginfo extra[SIGQUEUE_EXTRA]; /* later RT occurrences, FIFO */
	unsigned nr_extra;
};

/* Dispositions, shared by threads (and by CLONE_SIGHAND processes). */
struct sighand {
	unsigned refcount;
	struct linux_sigaction action[NSIG];
};

/* Resumes a system call interrupted with ERESTART_RESTARTBLOCK. */
struct restart_block {
	long (*fn)(struct thread *t, struct restart_block *rb);
	uint64_t arg[4];
};

struct thread_signals {
	uint64_t blocked;
	struct sigpending pending;
	uint64_t saved_mask;       /* sigsuspend/pselect: restored after delivery */
	bool restore_saved_mask;
	uint64_t altstack_sp, altstack_size;
	int altstack_flags;
	/* Set by signal_syscall_restart(), consumed by signal_deliver(). */
	long restart_ret;
	bool sigreturned;          /* rax came from rt_sigreturn: never restart */
	struct restart_block restart;
	/* The last CPU fault, reported in the frame's err/trapno/cr2. */
	uint64_t fault_trapno, fault_err, fault_cr2;
	bool fault_pending;        /* signal_trap() filled them in */
};

struct process_signals {
	struct sigpending shared_pending;
	struct wait_queue stop_wq; /* stopped threads sleep here until SIGCONT */
};

/**
 * signal_timers_start() - start the task that turns timer expiries into
 * signals (alarm, itimers, POSIX timers). Called once at boot.
 * Return: 0 or -ENOMEM.
 */
int signal_timers_start(void);

/** sighand_create() - default dispositions; NULL on ENOMEM. */
struct sighand *sighand_create(void);
/** sighand_copy() - a private copy for fork without CLONE_SIGHAND. */
struct sighand *sighand_copy(const struct sighand *sh);
void sighand_get(struct sighand *sh);
void sighand_put(struct sighand *sh);
/** sighand_reset_for_exec() - caught signals revert to SIG_DFL (execve). */
void sighand_reset_for_exec(struct sighand *sh);

/** signal_send_process() - queue @info for the thread group of @p. */
void signal_send_process(struct process *p, const struct ksiginfo *info);
/** signal_send_thread() - queue @info for @t. */
void signal_send_thread(struct thread *t, const struct ksiginfo *info);
/**
 * signal_send_pgrp() - queue @info for every live process in group @pgid.
 * Return: the number of processes it was queued for.
 */
int signal_send_pgrp(int pgid, const struct ksiginfo *info);

/**
 * signal_fault() - a CPU exception in @t's user code: force @sig (unblock,
 * reset SIG_IGN to default) as Linux's force_sig_fault does.
 */
void signal_fault(struct thread *t, int sig, int code, uint64_t addr);

/**
 * signal_trap() - turn a CPU exception of @t into its signal with Linux's
 * siginfo and the frame's trapno/err/cr2. For a page fault the mm could
 * not resolve the caller gives @sig and @code (SIGSEGV with SEGV_MAPERR /
 * SEGV_ACCERR, or SIGBUS with BUS_ADRERR); for any other exception they
 * are ignored (pass 0) and chosen from the vector as Linux does.
 */
void signal_trap(struct thread *t, const struct user_exit *e, int sig, int code);

/**
 * signal_deliver() - called by the thread loop before every return to user
 * mode: act on pending unblocked signals (run default actions, or build a
 * handler frame on the user stack). May end the process.
 */
void signal_deliver(struct thread *t);

/**
 * signal_syscall_restart() - after a system call returned @ret (negative
 * -ERESTARTSYS etc.), decide with the pending signal whether to restart it
 * (rewinding rip) or turn it into -EINTR. Called by syscall dispatch.
 */
void signal_syscall_restart(struct thread *t, long ret);

/**
 * signal_pending() - does @t have a pending signal it does not block?
 * Blocking system calls check it to decide whether to return -ERESTARTSYS.
 */
bool signal_pending(const struct thread *t);

/**
 * signal_thread_init() - signal state of a new thread @child created by
 * @parent (clone): the mask and nothing pending; no alternate stack if
 * the new thread shares the address space (Linux: CLONE_VM without vfork).
 */
void signal_thread_init(struct thread *child, const struct thread *parent, bool keep_altstack);

/**
 * signal_exec() - execve succeeded in @t: no alternate stack, POSIX timers
 * deleted (interval timers and alarm survive, as in Linux).
 */
void signal_exec(struct thread *t);

/**
 * signal_process_exit() - the last thread of @p has gone: cancel and free
 * its timers (alarm, itimers, POSIX timers). Safe to call twice.
 */
void signal_process_exit(struct process *p);

/** sig_default_*() - the default action of @sig (1..NSIG). */
bool sig_default_ignored(int sig);
bool sig_default_stops(int sig);
bool sig_default_core(int sig);

/* Pure pending-set operations (kernel/signal/pending.c). */
void sigpending_init(struct sigpending *sp);
/** sigpending_add() - queue @info; false if a RT queue slot was needed and none was free. */
bool sigpending_add(struct sigpending *sp, const struct ksiginfo *info);
/** sigpending_next() - next signal in @sp not in @blocked: faults first, then lowest; 0 if none. */
int sigpending_next(const struct sigpending *sp, uint64_t blocked);
/** sigpending_take() - remove one occurrence of @sig into @out. */
void sigpending_take(struct sigpending *sp, int sig, struct ksiginfo *out);
/** sigpending_flush() - drop every occurrence of the signals in @mask. */
void sigpending_flush(struct sigpending *sp, uint64_t mask);

/** ksiginfo_to_user() - the siginfo_t user space sees for @k. */
void ksiginfo_to_user(const struct ksiginfo *k, struct linux_siginfo *u);

#endif
