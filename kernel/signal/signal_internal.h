/*
 * Shared between the files of kernel/signal (not for other components).
 */
#ifndef KERNEL_SIGNAL_INTERNAL_H
#define KERNEL_SIGNAL_INTERNAL_H

#include <jinux/time.h>
#include <kernel/signal.h>

/** signal_dequeue() - take the next pending signal not in @blocked; 0 if none. */
int signal_dequeue(struct thread *t, uint64_t blocked, struct ksiginfo *info);

/**
 * signal_setup_frame() - push a Linux rt_sigframe for @sig on @t's stack
 * (or alternate stack) and point the registers at the handler.
 * Return: 0, or -EFAULT if the frame could not be written.
 */
int signal_setup_frame(struct thread *t, int sig, const struct ksiginfo *info,
		       const struct linux_sigaction *ka, uint64_t oldmask);

/** signal_sigreturn() - restore what signal_setup_frame() saved; the new rax. */
long signal_sigreturn(struct thread *t);

/** signal_force_segv() - kill @t's process with SIGSEGV (bad frame). */
void signal_force_segv(struct thread *t);

/** on_altstack() - is @sp on @t's alternate signal stack? */
bool on_altstack(const struct thread *t, uint64_t sp);

/** altstack_flags() - ss_flags of @t's alternate stack as seen from @sp. */
int altstack_flags(const struct thread *t, uint64_t sp);

/** signal_check_kill() - may @sender signal @target (Linux's kill_ok_by_cred)? */
bool signal_may_kill(const struct process *sender, const struct process *target, int sig);

/*
 * Timers that send signals (kernel/signal/sigtimer.c): alarm and the
 * interval timers (kind ST_ITIMER, id = ITIMER_*) and POSIX timers
 * (ST_POSIX, id = timer id). They live in a fixed pool keyed by pid, so
 * a timer can never outlive its process's memory: the expiry callback
 * (interrupt context) only wakes a daemon task, which looks the process
 * up by pid, sends the signal and re-arms periodic timers.
 */
enum sigtimer_kind { ST_ITIMER, ST_POSIX };

struct sigtimer {
	bool used;
	enum sigtimer_kind kind;
	int pid, id;
	int clock;
	int notify, signo, tid;  /* sigevent */
	uint64_t value;          /* sigev_value */
	uint64_t expires;        /* monotonic ns; 0 when disarmed */
	uint64_t interval;
	int overrun;             /* expirations missed since the last signal */
	int last_overrun;        /* timer_getoverrun() */
	unsigned fired;          /* set by the callback, taken by the daemon */
	struct timer timer;
};

struct sigtimer *sigtimer_find(int pid, enum sigtimer_kind kind, int id);
/** sigtimer_alloc() - a disarmed timer; NULL when the pool is full (EAGAIN). */
struct sigtimer *sigtimer_alloc(int pid, enum sigtimer_kind kind, int id);
void sigtimer_free(struct sigtimer *st);
/** sigtimer_arm() - expire at monotonic @expires (0 disarms), then every @interval. */
void sigtimer_arm(struct sigtimer *st, uint64_t expires, uint64_t interval);
/** sigtimer_remaining() - ns until the next expiry, 0 if disarmed. */
uint64_t sigtimer_remaining(const struct sigtimer *st);
/** sigtimer_free_all() - free @pid's timers (only POSIX ones if @posix_only). */
void sigtimer_free_all(int pid, bool posix_only);

#endif
