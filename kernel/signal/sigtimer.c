/*
 * The pool of signal-sending timers (alarm, setitimer, timer_create) and
 * the daemon task that fires them. The core's timer callback runs in
 * interrupt context, so it only marks the timer and wakes the daemon;
 * the daemon, an ordinary task, finds the owner by pid (a process that
 * has gone frees its timers), queues the signal and re-arms periodic
 * timers, counting expirations it missed as overruns.
 */
#include <jinux/log.h>
#include <jinux/string.h>
#include <jinux/sync.h>
#include <jinux/task.h>
#include <kernel/process.h>
#include "signal_internal.h"

#define SIGTIMER_MAX 256

static struct sigtimer pool[SIGTIMER_MAX];
static struct wait_queue timerd_wq = WAIT_QUEUE_INIT;
static struct task *timerd;
static bool timerd_work;

struct sigtimer *sigtimer_find(int pid, enum sigtimer_kind kind, int id)
{
	for (unsigned i = 0; i < SIGTIMER_MAX; i++) {
		struct sigtimer *st = &pool[i];
		if (st->used && st->pid == pid && st->kind == kind && st->id == id)
			return st;
	}
	return NULL;
}

static void timer_expired(struct timer *tm)
{
	struct sigtimer *st = container_of(tm, struct sigtimer, timer);
	st->fired++;
	timerd_work = true;
	wait_queue_wake_one(&timerd_wq);
}

static void timerd_main(void *arg);

/* Started at boot, so that the task exists before the first process
 * (the power-off leak check compares task counts) and never fails later. */
int signal_timers_start(void)
{
	if (!timerd)
		timerd = task_create("sigtimerd", timerd_main, NULL);
	return timerd ? 0 : -ENOMEM;
}

struct sigtimer *sigtimer_alloc(int pid, enum sigtimer_kind kind, int id)
{
	if (signal_timers_start())
		return NULL;
	for (unsigned i = 0; i < SIGTIMER_MAX; i++) {
		struct sigtimer *st = &pool[i];
		if (st->used)
			continue;
		memset(st, 0, sizeof(*st));
		st->used = true;
		st->pid = pid;
		st->kind = kind;
		st->id = id;
		timer_init(&st->timer, timer_expired);
		return st;
	}
	return NULL;
}

void sigtimer_free(struct sigtimer *st)
{
	unsigned long flags = irq_save();
	timer_cancel(&st->timer);
	st->used = false;
	st->fired = 0;
	irq_restore(flags);
}

void sigtimer_arm(struct sigtimer *st, uint64_t expires, uint64_t interval)
{
	unsigned long flags = irq_save();
	timer_cancel(&st->timer);
	st->fired = 0;
	st->overrun = 0;
	st->expires = expires;
	st->interval = expires ? interval : 0;
	if (expires)
		timer_arm(&st->timer, expires);
	irq_restore(flags);
}

uint64_t sigtimer_remaining(const struct sigtimer *st)
{
	uint64_t now = clock_monotonic_ns();
	if (!st->expires)
		return 0;
	if (now < st->expires)
		return st->expires - now;
	/* Expired, the daemon has not caught up yet. */
	if (!st->interval)
		return 1;
	return st->interval - (now - st->expires) % st->interval;
}

void sigtimer_free_all(int pid, bool posix_only)
{
	for (unsigned i = 0; i < SIGTIMER_MAX; i++) {
		struct sigtimer *st = &pool[i];
		if (st->used && st->pid == pid && (!posix_only || st->kind == ST_POSIX))
			sigtimer_free(st);
	}
}

static int itimer_signal(int which)
{
	return which == ITIMER_VIRTUAL ? SIGVTALRM : which == ITIMER_PROF ? SIGPROF : SIGALRM;
}

/* A POSIX timer whose signal is still pending counts an overrun instead. */
static bool merge_pending(struct sigpending *sp, const struct sigtimer *st, int missed)
{
	struct ksiginfo *k = &sp->info[st->signo - 1];
	if (!(sp->set & SIGBIT(st->signo)) || k->code != SI_TIMER || k->pid != st->id)
		return false;
	k->status += 1 + missed;
	return true;
}

static void send_posix(struct process *p, struct sigtimer *st, int missed)
{
	struct ksiginfo k = { .signo = st->signo, .code = SI_TIMER, .pid = st->id,
			      .status = missed, .value = st->value };
	struct thread *target = NULL;

	if (st->notify == SIGEV_THREAD_ID) {
		target = thread_find(st->tid);
		if (!target || target->proc != p)
			return;
	}
	unsigned long flags = irq_save();
	bool merged = merge_pending(target ? &target->sig.pending : &p->sig.shared_pending, st,
				    missed);
	irq_restore(flags);
	st->last_overrun = missed;
	if (merged)
		return;
	if (target)
		signal_send_thread(target, &k);
	else
		signal_send_process(p, &k);
}

static void fire(struct sigtimer *st)
{
	struct process *p = process_find(st->pid);
	uint64_t now = clock_monotonic_ns();
	int missed = 0;

	if (!p || p->state != PROC_ALIVE) {
		sigtimer_free(st);
		return;
	}
	if (!st->expires || now < st->expires)
		return; /* re-armed or disarmed since */
	if (st->interval) {
		uint64_t n = (now - st->expires) / st->interval + 1;
		missed = n - 1 > INT32_MAX ? INT32_MAX : (int)(n - 1);
		st->expires += n * st->interval;
		timer_arm(&st->timer, st->expires);
	} else {
		st->expires = 0;
	}
	if (st->kind == ST_ITIMER) {
		struct ksiginfo k = { .signo = itimer_signal(st->id), .code = SI_KERNEL };
		signal_send_process(p, &k);
	} else if (st->notify != SIGEV_NONE) {
		send_posix(p, st, missed);
	}
}

static void timerd_main(void *arg)
{
	(void)arg;
	for (;;) {
		wait_event(&timerd_wq, timerd_work);
		timerd_work = false;
		for (unsigned i = 0; i < SIGTIMER_MAX; i++) {
			struct sigtimer *st = &pool[i];
			unsigned long flags = irq_save();
			bool due = st->used && st->fired;
			st->fired = 0;
			irq_restore(flags);
			if (due)
				fire(st);
		}
	}
}
