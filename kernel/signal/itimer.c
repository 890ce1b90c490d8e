/*
 * alarm(2), setitimer(2) and getitimer(2): one timer of each kind per
 * process, surviving execve, not inherited by fork. ITIMER_REAL counts
 * wall time and sends SIGALRM. ITIMER_VIRTUAL and ITIMER_PROF should
 * count the process's CPU time; without per-process CPU accounting they
 * count wall time too (sending SIGVTALRM / SIGPROF), an approximation.
 */
#include <jinux/errno.h>
#include <jinux/uaccess.h>
#include <jinux/user.h>
#include <kernel/process.h>
#include <kernel/syscall.h>
#include "signal_internal.h"

static int timeval_ns(int64_t sec, int64_t usec, uint64_t *ns)
{
	if (sec < 0 || usec < 0 || usec >= 1000000)
		return -EINVAL;
	uint64_t max_sec = UINT64_MAX / NSEC_PER_SEC / 4;
	*ns = ((uint64_t)sec > max_sec ? max_sec : (uint64_t)sec) * NSEC_PER_SEC +
	      (uint64_t)usec * NSEC_PER_USEC;
	return 0;
}

static void ns_timeval(uint64_t ns, int64_t *sec, int64_t *usec)
{
	/* Round up, so a running timer never reads as zero. */
	uint64_t us = (ns + NSEC_PER_USEC - 1) / NSEC_PER_USEC;
	*sec = (int64_t)(us / 1000000);
	*usec = (int64_t)(us % 1000000);
}

static void itimer_get(struct process *p, int which, struct linux_itimerval *v)
{
	struct sigtimer *st = sigtimer_find(p->pid, ST_ITIMER, which);
	uint64_t left = st ? sigtimer_remaining(st) : 0;

	ns_timeval(left, &v->it_value_sec, &v->it_value_usec);
	ns_timeval(st && left ? st->interval : 0, &v->it_interval_sec, &v->it_interval_usec);
}

/* Arm (or with @value 0 disarm) timer @which of @p. */
static int itimer_set(struct process *p, int which, uint64_t value, uint64_t interval)
{
	struct sigtimer *st = sigtimer_find(p->pid, ST_ITIMER, which);

	if (!value) {
		if (st)
			sigtimer_free(st);
		return 0;
	}
	if (!st)
		st = sigtimer_alloc(p->pid, ST_ITIMER, which);
	if (!st)
		return -EAGAIN;
	sigtimer_arm(st, clock_monotonic_ns() + value, interval);
	return 0;
}

long sys_getitimer(struct thread *t, const uint64_t a[6])
{
	struct linux_itimerval v;
	if (a[0] > ITIMER_PROF)
		return -EINVAL;
	itimer_get(t->proc, (int)a[0], &v);
	return copy_to_user(user_context_space(t->ctx), user_ptr(a[1]), &v, sizeof(v)) ? -EFAULT : 0;
}

long sys_setitimer(struct thread *t, const uint64_t a[6])
{
	struct vm_space *vs = user_context_space(t->ctx);
	struct linux_itimerval nv = { 0, 0, 0, 0 }, ov;
	uint64_t value, interval;

	if (a[0] > ITIMER_PROF)
		return -EINVAL;
	/* A NULL new value disarms, as Linux still allows. */
	if (a[1] && copy_from_user(vs, &nv, user_ptr(a[1]), sizeof(nv)))
		return -EFAULT;
	if (timeval_ns(nv.it_value_sec, nv.it_value_usec, &value) ||
	    timeval_ns(nv.it_interval_sec, nv.it_interval_usec, &interval))
		return -EINVAL;
	itimer_get(t->proc, (int)a[0], &ov);
	int err = itimer_set(t->proc, (int)a[0], value, interval);
	if (err)
		return err;
	if (a[2] && copy_to_user(vs, user_ptr(a[2]), &ov, sizeof(ov)))
		return -EFAULT;
	return 0;
}

long sys_alarm(struct thread *t, const uint64_t a[6])
{
	struct linux_itimerval ov;
	uint32_t secs = (uint32_t)a[0];

	itimer_get(t->proc, ITIMER_REAL, &ov);
	if (itimer_set(t->proc, ITIMER_REAL, (uint64_t)secs * NSEC_PER_SEC, 0))
		return 0;
	/* Seconds left, rounded to nearest, and never 0 for a live alarm. */
	long left = ov.it_value_sec;
	if ((!left && ov.it_value_usec) || ov.it_value_usec >= 500000)
		left++;
	return left;
}

void signal_process_exit(struct process *p)
{
	sigtimer_free_all(p->pid, false);
}

void signal_exec(struct thread *t)
{
	t->sig.altstack_sp = t->sig.altstack_size = 0;
	t->sig.altstack_flags = 0;
	sigtimer_free_all(t->proc->pid, true);
}
