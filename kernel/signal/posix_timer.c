/*
 * POSIX per-process timers: timer_create (SIGEV_SIGNAL, SIGEV_NONE,
 * SIGEV_THREAD_ID on CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME; the
 * CPU-time clocks count wall time), timer_settime (relative or
 * TIMER_ABSTIME, periodic), timer_gettime, timer_getoverrun, timer_delete.
 * Timer ids are small integers per process; execve deletes the timers.
 */
#include <jinux/errno.h>
#include <jinux/uaccess.h>
#include <jinux/user.h>
#include <kernel/process.h>
#include <kernel/syscall.h>
#include <uapi/time.h>
#include "signal_internal.h"

#define POSIX_TIMERS_PER_PROCESS 64

static bool timer_clock_ok(uint64_t clock)
{
	switch (clock) {
	case CLOCK_REALTIME:
	case CLOCK_MONOTONIC:
	case CLOCK_BOOTTIME:
	case CLOCK_PROCESS_CPUTIME_ID:
	case CLOCK_THREAD_CPUTIME_ID:
	case CLOCK_REALTIME_ALARM:
	case CLOCK_BOOTTIME_ALARM:
	case CLOCK_TAI:
		return true;
	default:
		return false;
	}
}

static bool is_realtime(int clock)
{
	return clock == CLOCK_REALTIME || clock == CLOCK_REALTIME_ALARM || clock == CLOCK_TAI;
}

/* Decode the sigevent: what to do at expiry. */
static int decode_sigevent(struct thread *t, uint64_t uaddr, struct linux_sigevent *ev)
{
	if (!uaddr) {
		ev->sigev_notify = SIGEV_SIGNAL;
		ev->sigev_signo = SIGALRM;
		return 1; /* value = the timer id, filled in later */
	}
	if (copy_from_user(user_context_space(t->ctx), ev, user_ptr(uaddr), sizeof(*ev)))
		return -EFAULT;
	switch (ev->sigev_notify) {
	case SIGEV_NONE:
		return 0;
	case SIGEV_THREAD_ID: {
		struct thread *target = thread_find(ev->u.tid);
		if (!target || target->proc != t->proc)
			return -EINVAL;
	}
		/* fall through */
	case SIGEV_SIGNAL:
		if (ev->sigev_signo < 1 || ev->sigev_signo > NSIG)
			return -EINVAL;
		return 0;
	default:
		return -EINVAL;
	}
}

static int free_id(int pid)
{
	for (int id = 0; id < POSIX_TIMERS_PER_PROCESS; id++)
		if (!sigtimer_find(pid, ST_POSIX, id))
			return id;
	return -EAGAIN;
}

long sys_timer_create(struct thread *t, const uint64_t a[6])
{
	struct linux_sigevent ev;
	int pid = t->proc->pid;

	if (!timer_clock_ok(a[0]))
		return -EINVAL;
	int dflt = decode_sigevent(t, a[1], &ev);
	if (dflt < 0)
		return dflt;
	int id = free_id(pid);
	if (id < 0)
		return id;
	struct sigtimer *st = sigtimer_alloc(pid, ST_POSIX, id);
	if (!st)
		return -EAGAIN;
	st->clock = (int)a[0];
	st->notify = ev.sigev_notify;
	st->signo = ev.sigev_signo;
	st->tid = ev.u.tid;
	st->value = dflt ? (uint64_t)id : ev.sigev_value;
	int32_t uid = id;
	if (copy_to_user(user_context_space(t->ctx), user_ptr(a[2]), &uid, sizeof(uid))) {
		sigtimer_free(st);
		return -EFAULT;
	}
	return 0;
}

static struct sigtimer *lookup(struct thread *t, uint64_t id)
{
	if (id >= POSIX_TIMERS_PER_PROCESS)
		return NULL;
	return sigtimer_find(t->proc->pid, ST_POSIX, (int)id);
}

static int ts_ns(int64_t sec, int64_t nsec, uint64_t *ns)
{
	if (sec < 0 || nsec < 0 || nsec >= (int64_t)NSEC_PER_SEC)
		return -EINVAL;
	uint64_t max_sec = UINT64_MAX / NSEC_PER_SEC / 4;
	*ns = ((uint64_t)sec > max_sec ? max_sec : (uint64_t)sec) * NSEC_PER_SEC + (uint64_t)nsec;
	return 0;
}

static void current_setting(const struct sigtimer *st, struct linux_itimerspec *v)
{
	uint64_t left = sigtimer_remaining(st);
	uint64_t iv = left ? st->interval : 0;
	v->it_value_sec = (int64_t)(left / NSEC_PER_SEC);
	v->it_value_nsec = (int64_t)(left % NSEC_PER_SEC);
	v->it_interval_sec = (int64_t)(iv / NSEC_PER_SEC);
	v->it_interval_nsec = (int64_t)(iv % NSEC_PER_SEC);
}

/* Monotonic expiry for @value on the timer's clock (absolute or relative). */
static uint64_t expiry(const struct sigtimer *st, uint64_t value, bool abs)
{
	uint64_t now = clock_monotonic_ns();
	if (!abs)
		return now + value;
	uint64_t clock_now = is_realtime(st->clock) ? clock_realtime_ns() : now;
	return value > clock_now ? now + (value - clock_now) : now;
}

long sys_timer_settime(struct thread *t, const uint64_t a[6])
{
	struct vm_space *vs = user_context_space(t->ctx);
	struct sigtimer *st = lookup(t, a[0]);
	struct linux_itimerspec nv, ov;
	uint64_t value, interval;

	if (!st || !a[2])
		return -EINVAL;
	if (copy_from_user(vs, &nv, user_ptr(a[2]), sizeof(nv)))
		return -EFAULT;
	if (ts_ns(nv.it_value_sec, nv.it_value_nsec, &value) ||
	    ts_ns(nv.it_interval_sec, nv.it_interval_nsec, &interval))
		return -EINVAL;
	current_setting(st, &ov);
	sigtimer_arm(st, value ? expiry(st, value, a[1] & TIMER_ABSTIME) : 0, interval);
	if (a[3] && copy_to_user(vs, user_ptr(a[3]), &ov, sizeof(ov)))
		return -EFAULT;
	return 0;
}

long sys_timer_gettime(struct thread *t, const uint64_t a[6])
{
	struct sigtimer *st = lookup(t, a[0]);
	struct linux_itimerspec v;

	if (!st)
		return -EINVAL;
	current_setting(st, &v);
	return copy_to_user(user_context_space(t->ctx), user_ptr(a[1]), &v, sizeof(v)) ? -EFAULT
										    : 0;
}

long sys_timer_getoverrun(struct thread *t, const uint64_t a[6])
{
	struct sigtimer *st = lookup(t, a[0]);
	return st ? st->last_overrun : -EINVAL;
}

long sys_timer_delete(struct thread *t, const uint64_t a[6])
{
	struct sigtimer *st = lookup(t, a[0]);
	if (!st)
		return -EINVAL;
	sigtimer_free(st);
	return 0;
}
