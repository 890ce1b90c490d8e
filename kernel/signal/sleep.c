/*
 * clock_nanosleep(2) and restart_syscall(2). A relative sleep that a
 * signal interrupts reports the time left and, if no handler runs,
 * resumes through restart_syscall towards the same deadline (Linux's
 * restart block); an absolute sleep simply runs again. With a handler
 * both fail with EINTR, SA_RESTART or not.
 */
#include <jinux/errno.h>
#include <jinux/task.h>
#include <jinux/time.h>
#include <jinux/uaccess.h>
#include <jinux/user.h>
#include <kernel/process.h>
#include <kernel/syscall.h>
#include <uapi/time.h>
#include "signal_internal.h"

static bool sleep_clock_ok(uint64_t clock)
{
	switch (clock) {
	case CLOCK_REALTIME:
	case CLOCK_MONOTONIC:
	case CLOCK_BOOTTIME:
	case CLOCK_TAI:
	case CLOCK_REALTIME_ALARM:
	case CLOCK_BOOTTIME_ALARM:
	case CLOCK_PROCESS_CPUTIME_ID: /* counts wall time here */
		return true;
	default:
		return false;
	}
}

/* Sleep until monotonic @deadline. Return: 0, or -EINTR when kicked. */
static int sleep_until(uint64_t deadline)
{
	for (;;) {
		uint64_t now = clock_monotonic_ns();
		if (now >= deadline)
			return 0;
		if (task_sleep_ns(deadline - now))
			return -EINTR;
	}
}

static long write_rem(struct thread *t, uint64_t urem, uint64_t deadline)
{
	uint64_t now = clock_monotonic_ns(), left = deadline > now ? deadline - now : 0;
	struct linux_timespec ts = { (int64_t)(left / NSEC_PER_SEC), (int64_t)(left % NSEC_PER_SEC) };
	if (urem && copy_to_user(user_context_space(t->ctx), user_ptr(urem), &ts, sizeof(ts)))
		return -EFAULT;
	return 0;
}

static long relative_sleep(struct thread *t, uint64_t deadline, uint64_t urem);

static long resume_sleep(struct thread *t, struct restart_block *rb)
{
	return relative_sleep(t, rb->arg[0], rb->arg[1]);
}

static long relative_sleep(struct thread *t, uint64_t deadline, uint64_t urem)
{
	if (!sleep_until(deadline))
		return 0;
	if (write_rem(t, urem, deadline))
		return -EFAULT;
	t->sig.restart.fn = resume_sleep;
	t->sig.restart.arg[0] = deadline;
	t->sig.restart.arg[1] = urem;
	return -ERESTART_RESTARTBLOCK;
}

long sys_clock_nanosleep(struct thread *t, const uint64_t a[6])
{
	struct linux_timespec req;

	if (a[0] == CLOCK_THREAD_CPUTIME_ID) /* a clock, but not one to sleep on */
		return -EOPNOTSUPP;
	if (!sleep_clock_ok(a[0]))
		return -EINVAL;
	if (copy_from_user(user_context_space(t->ctx), &req, user_ptr(a[2]), sizeof(req)))
		return -EFAULT;
	if (req.tv_sec < 0 || req.tv_nsec < 0 || req.tv_nsec >= (int64_t)NSEC_PER_SEC)
		return -EINVAL;
	uint64_t max_sec = UINT64_MAX / NSEC_PER_SEC / 4;
	uint64_t ns = ((uint64_t)req.tv_sec > max_sec ? max_sec : (uint64_t)req.tv_sec) *
		      NSEC_PER_SEC + (uint64_t)req.tv_nsec;
	uint64_t now = clock_monotonic_ns();

	if (!(a[1] & TIMER_ABSTIME))
		return relative_sleep(t, now + ns, a[3]);
	bool real = a[0] == CLOCK_REALTIME || a[0] == CLOCK_REALTIME_ALARM || a[0] == CLOCK_TAI;
	uint64_t clock_now = real ? clock_realtime_ns() : now;
	if (a[0] == CLOCK_PROCESS_CPUTIME_ID)
		clock_now = now - t->proc->start_ns;
	if (ns <= clock_now)
		return 0;
	return sleep_until(now + (ns - clock_now)) ? -ERESTARTNOHAND : 0;
}

long sys_restart_syscall(struct thread *t, const uint64_t a[6])
{
	struct restart_block rb = t->sig.restart;
	(void)a;
	t->sig.restart.fn = NULL;
	return rb.fn ? rb.fn(t, &rb) : -EINTR;
}
