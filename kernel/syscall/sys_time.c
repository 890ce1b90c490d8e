/*
 * Time: clock_gettime, clock_getres, gettimeofday, time, nanosleep.
 */
#include <jinux/errno.h>
#include <jinux/task.h>
#include <jinux/time.h>
#include <jinux/uaccess.h>
#include <kernel/process.h>
#include <kernel/syscall.h>
#include <uapi/time.h>

static struct linux_timespec ns_to_timespec(uint64_t ns)
{
	struct linux_timespec ts = { (int64_t)(ns / NSEC_PER_SEC), (int64_t)(ns % NSEC_PER_SEC) };
	return ts;
}

/* Decode a clock id; -EINVAL for ids Linux does not know. */
static int clock_read(struct process *p, uint64_t id, uint64_t *ns)
{
	switch (id) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_REALTIME_ALARM:
	case CLOCK_TAI:
		*ns = clock_realtime_ns();
		return 0;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
	case CLOCK_BOOTTIME_ALARM:
		*ns = clock_monotonic_ns();
		return 0;
	case CLOCK_PROCESS_CPUTIME_ID:
	case CLOCK_THREAD_CPUTIME_ID:
		/* No CPU-time accounting yet: time since the process started. */
		*ns = clock_monotonic_ns() - p->start_ns;
		return 0;
	default:
		return -EINVAL;
	}
}

long sys_clock_gettime(struct thread *t, const uint64_t a[6])
{
	struct process *p = t->proc;
	uint64_t ns;
	int err = clock_read(p, a[0], &ns);
	if (err)
		return err;
	struct linux_timespec ts = ns_to_timespec(ns);
	return copy_to_user(p->mm->vs, user_ptr(a[1]), &ts, sizeof(ts)) ? -EFAULT : 0;
}

long sys_clock_getres(struct thread *t, const uint64_t a[6])
{
	struct process *p = t->proc;
	uint64_t ns;
	int err = clock_read(p, a[0], &ns);
	if (err)
		return err;
	if (!a[1])
		return 0;
	bool coarse = a[0] == CLOCK_REALTIME_COARSE || a[0] == CLOCK_MONOTONIC_COARSE;
	struct linux_timespec ts = ns_to_timespec(coarse ? clock_tick_ns() : 1);
	return copy_to_user(p->mm->vs, user_ptr(a[1]), &ts, sizeof(ts)) ? -EFAULT : 0;
}

long sys_gettimeofday(struct thread *t, const uint64_t a[6])
{
	struct process *p = t->proc;
	if (a[0]) {
		uint64_t ns = clock_realtime_ns();
		struct linux_timeval tv = { (int64_t)(ns / NSEC_PER_SEC),
					    (int64_t)(ns % NSEC_PER_SEC / NSEC_PER_USEC) };
		if (copy_to_user(p->mm->vs, user_ptr(a[0]), &tv, sizeof(tv)))
			return -EFAULT;
	}
	if (a[1]) {
		struct linux_timezone tz = { 0, 0 };
		if (copy_to_user(p->mm->vs, user_ptr(a[1]), &tz, sizeof(tz)))
			return -EFAULT;
	}
	return 0;
}

long sys_time(struct thread *t, const uint64_t a[6])
{
	struct process *p = t->proc;
	int64_t now = (int64_t)(clock_realtime_ns() / NSEC_PER_SEC);
	if (a[0] && copy_to_user(p->mm->vs, user_ptr(a[0]), &now, sizeof(now)))
		return -EFAULT;
	return now;
}

long sys_nanosleep(struct thread *t, const uint64_t a[6])
{
	/* nanosleep is clock_nanosleep on CLOCK_MONOTONIC, relative: the
	 * signal code's version restarts transparently after stop signals. */
	const uint64_t b[6] = { CLOCK_MONOTONIC, 0, a[0], a[1], 0, 0 };
	return sys_clock_nanosleep(t, b);
}
