/*
 * poll, ppoll, select, pselect6: waiting for descriptors to become ready.
 * All four run the one loop of kernel/fs/poll.c; select and pselect6
 * translate their fd_set bitmaps into pollfds and back, as Linux's
 * fs/select.c defines the correspondence (POLLIN_SET, POLLOUT_SET,
 * POLLEX_SET).
 */
#include <jinux/errno.h>
#include <jinux/heap.h>
#include <jinux/string.h>
#include <jinux/time.h>
#include <jinux/uaccess.h>
#include <kernel/poll.h>
#include <kernel/process.h>
#include <kernel/syscall.h>
#include <uapi/poll.h>
#include <uapi/time.h>

/*
 * Copy the pollfds in, run the poll loop, copy revents back. Linux copies
 * the results back even when nothing was ready or a signal came.
 */
static long do_poll(struct thread *t, uint64_t ufds, uint64_t nfds, uint64_t timeout_ns)
{
	struct vm_space *vs = t->proc->mm->vs;
	if (nfds > t->proc->rlim[RLIMIT_NOFILE].rlim_cur || nfds > FD_MAX)
		return -EINVAL;
	struct linux_pollfd *fds = kmalloc(MAX(nfds, 1) * sizeof(*fds));
	if (!fds)
		return -ENOMEM;
	long ret = -EFAULT;
	if (copy_from_user(vs, fds, user_ptr(ufds), nfds * sizeof(*fds)))
		goto out;
	ret = poll_files(t, fds, nfds, timeout_ns);
	for (uint64_t i = 0; i < nfds && ret != -ENOMEM; i++) {
		uint64_t at = ufds + i * sizeof(*fds) + offsetof(struct linux_pollfd, revents);
		if (copy_to_user(vs, user_ptr(at), &fds[i].revents, sizeof(fds[i].revents))) {
			ret = -EFAULT;
			break;
		}
	}
out:
	kfree(fds);
	return ret;
}

long sys_poll(struct thread *t, const uint64_t a[6])
{
	int ms = (int)a[2];
	uint64_t timeout = ms < 0 ? POLL_NO_TIMEOUT : (uint64_t)ms * NSEC_PER_MSEC;
	return do_poll(t, a[0], a[1], timeout);
}

/* A ppoll/pselect timeout: POLL_NO_TIMEOUT for NULL. 0 or -errno. */
static int fetch_timeout(struct thread *t, uint64_t uts, uint64_t *timeout)
{
	struct linux_timespec ts;
	*timeout = POLL_NO_TIMEOUT;
	if (!uts)
		return 0;
	if (copy_from_user(t->proc->mm->vs, &ts, user_ptr(uts), sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (int64_t)NSEC_PER_SEC)
		return -EINVAL;
	if ((uint64_t)ts.tv_sec >= (POLL_NO_TIMEOUT - NSEC_PER_SEC) / NSEC_PER_SEC)
		return 0;   /* centuries: no limit */
	*timeout = (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
	return 0;
}

/*
 * The time left of @timeout begun at @start, for writing back to @uaddr;
 * false when there is nothing to write (no address, no limit, or none).
 */
static bool time_left(uint64_t uaddr, uint64_t timeout, uint64_t start, uint64_t *left)
{
	if (!uaddr || timeout == POLL_NO_TIMEOUT || !timeout)
		return false;
	uint64_t spent = clock_monotonic_ns() - start;
	*left = spent < timeout ? timeout - spent : 0;
	return true;
}

/* Write back the time left, as Linux's ppoll does; faults are ignored. */
static void store_time_left(struct thread *t, uint64_t uts, uint64_t timeout, uint64_t start)
{
	uint64_t left;
	if (!time_left(uts, timeout, start, &left))
		return;
	struct linux_timespec ts = { (int64_t)(left / NSEC_PER_SEC), (int64_t)(left % NSEC_PER_SEC) };
	copy_to_user(t->proc->mm->vs, user_ptr(uts), &ts, sizeof(ts));
}

/*
 * Install the temporary signal mask of ppoll/pselect6. The old mask is
 * kept in t->sig.saved_mask; see restore_sigmask().
 */
static int set_temp_sigmask(struct thread *t, uint64_t umask, uint64_t size)
{
	uint64_t mask;
	if (!umask)
		return 0;
	if (size != sizeof(mask))
		return -EINVAL;
	if (copy_from_user(t->proc->mm->vs, &mask, user_ptr(umask), sizeof(mask)))
		return -EFAULT;
	t->sig.saved_mask = t->sig.blocked;
	t->sig.blocked = mask & ~SIG_UNBLOCKABLE;
	return 0;
}

/*
 * Interrupted by a signal: the saved mask comes back after the handler
 * frame is built (so the handler runs under the temporary mask, as on
 * Linux); otherwise at once.
 */
static void restore_sigmask(struct thread *t, uint64_t umask, long ret)
{
	if (!umask)
		return;
	if (ret == -ERESTARTNOHAND)
		t->sig.restore_saved_mask = true;
	else
		t->sig.blocked = t->sig.saved_mask;
}

long sys_ppoll(struct thread *t, const uint64_t a[6])
{
	uint64_t timeout;
	int err = fetch_timeout(t, a[2], &timeout);
	if (err)
		return err;
	err = set_temp_sigmask(t, a[3], a[4]);
	if (err)
		return err;
	uint64_t start = clock_monotonic_ns();
	long ret = do_poll(t, a[0], a[1], timeout);
	store_time_left(t, a[2], timeout, start);
	restore_sigmask(t, a[3], ret);
	return ret;
}

/* ---- select and pselect6 ---- */

#define POLLIN_SET (POLLRDNORM | POLLRDBAND | POLLIN | POLLHUP | POLLERR)
#define POLLOUT_SET (POLLWRBAND | POLLWRNORM | POLLOUT | POLLERR)
#define POLLEX_SET POLLPRI
#define NFDBITS 64

/* The three fd_sets of a select call, in kernel memory (@words each). */
struct fdsets {
	uint64_t in[FD_MAX / NFDBITS], out[FD_MAX / NFDBITS], ex[FD_MAX / NFDBITS];
	uint64_t uin, uout, uex;   /* the user's pointers (0: not passed) */
	size_t words;
};

static bool bit(const uint64_t *set, int fd)
{
	return set[fd / NFDBITS] >> (fd % NFDBITS) & 1;
}

static int fetch_set(struct vm_space *vs, uint64_t uptr, uint64_t *set, size_t words)
{
	memset(set, 0, sizeof(uint64_t) * FD_MAX / NFDBITS);
	if (uptr && copy_from_user(vs, set, user_ptr(uptr), words * sizeof(*set)))
		return -EFAULT;
	return 0;
}

static int store_set(struct vm_space *vs, uint64_t uptr, const uint64_t *set, size_t words)
{
	if (uptr && copy_to_user(vs, user_ptr(uptr), set, words * sizeof(*set)))
		return -EFAULT;
	return 0;
}

/*
 * The pollfds of the descriptors named in any set, into @fds (at most
 * @n); -EBADF if one of them is not open.
 */
static long sets_to_pollfds(struct thread *t, const struct fdsets *s, int n,
			    struct linux_pollfd *fds)
{
	long count = 0;
	for (int fd = 0; fd < n; fd++) {
		short ev = (bit(s->in, fd) ? POLLIN_SET : 0) | (bit(s->out, fd) ? POLLOUT_SET : 0) |
			   (bit(s->ex, fd) ? POLLEX_SET : 0);
		if (!ev)
			continue;
		if (!fd_get(t->proc->fds, fd))
			return -EBADF;
		fds[count++] = (struct linux_pollfd){ .fd = fd, .events = ev };
	}
	return count;
}

/* Rewrite the sets to hold only the ready descriptors; the number of bits set. */
static long pollfds_to_sets(struct fdsets *s, const struct linux_pollfd *fds, long n)
{
	long ready = 0;
	uint64_t in[FD_MAX / NFDBITS] = { 0 }, out[FD_MAX / NFDBITS] = { 0 };
	uint64_t ex[FD_MAX / NFDBITS] = { 0 };
	for (long i = 0; i < n; i++) {
		int fd = fds[i].fd;
		uint64_t b = 1ULL << (fd % NFDBITS);
		unsigned re = (uint16_t)fds[i].revents;
		if (bit(s->in, fd) && (re & POLLIN_SET)) {
			in[fd / NFDBITS] |= b;
			ready++;
		}
		if (bit(s->out, fd) && (re & POLLOUT_SET)) {
			out[fd / NFDBITS] |= b;
			ready++;
		}
		if (bit(s->ex, fd) && (re & POLLEX_SET)) {
			ex[fd / NFDBITS] |= b;
			ready++;
		}
	}
	memcpy(s->in, in, sizeof(in));
	memcpy(s->out, out, sizeof(out));
	memcpy(s->ex, ex, sizeof(ex));
	return ready;
}

/*
 * The common part: decode the sets, poll, write the ready sets back
 * (zeroed on a timeout, untouched on an error or a signal).
 */
static long do_select(struct thread *t, int64_t nfds, struct fdsets *s, uint64_t timeout)
{
	struct vm_space *vs = t->proc->mm->vs;
	if (nfds < 0)
		return -EINVAL;
	/* Linux silently ignores bits beyond its table; ours holds FD_MAX. */
	int n = (int)MIN(nfds, FD_MAX);
	s->words = ((size_t)n + NFDBITS - 1) / NFDBITS;
	if (fetch_set(vs, s->uin, s->in, s->words) || fetch_set(vs, s->uout, s->out, s->words) ||
	    fetch_set(vs, s->uex, s->ex, s->words))
		return -EFAULT;
	struct linux_pollfd *fds = kmalloc(MAX(n, 1) * sizeof(*fds));
	if (!fds)
		return -ENOMEM;
	long ret = sets_to_pollfds(t, s, n, fds);
	if (ret >= 0) {
		long count = ret;
		ret = poll_files(t, fds, (size_t)count, timeout);
		if (ret >= 0)
			ret = pollfds_to_sets(s, fds, count);
	}
	kfree(fds);
	if (ret < 0)
		return ret;
	if (store_set(vs, s->uin, s->in, s->words) || store_set(vs, s->uout, s->out, s->words) ||
	    store_set(vs, s->uex, s->ex, s->words))
		return -EFAULT;
	return ret;
}

/* select's timeval: POLL_NO_TIMEOUT for NULL. 0 or -errno. */
static int fetch_timeval(struct thread *t, uint64_t utv, uint64_t *timeout)
{
	struct linux_timeval tv;
	*timeout = POLL_NO_TIMEOUT;
	if (!utv)
		return 0;
	if (copy_from_user(t->proc->mm->vs, &tv, user_ptr(utv), sizeof(tv)))
		return -EFAULT;
	/* Linux carries whole seconds out of tv_usec before checking. */
	int64_t sec = tv.tv_sec, usec = tv.tv_usec;
	if (sec < 0 || usec < 0)
		return -EINVAL;
	if (sec > INT64_MAX - usec / 1000000 ||
	    (uint64_t)(sec + usec / 1000000) >= (POLL_NO_TIMEOUT - NSEC_PER_SEC) / NSEC_PER_SEC)
		return 0;   /* centuries: no limit */
	*timeout = (uint64_t)(sec + usec / 1000000) * NSEC_PER_SEC +
		   (uint64_t)(usec % 1000000) * 1000;
	return 0;
}

/* select writes the time left back, in microseconds, like Linux. */
static void store_timeval_left(struct thread *t, uint64_t utv, uint64_t timeout, uint64_t start)
{
	uint64_t left;
	if (!time_left(utv, timeout, start, &left))
		return;
	struct linux_timeval tv = { (int64_t)(left / NSEC_PER_SEC),
				    (int64_t)(left % NSEC_PER_SEC / 1000) };
	copy_to_user(t->proc->mm->vs, user_ptr(utv), &tv, sizeof(tv));
}

static struct fdsets *fdsets_new(const uint64_t a[6])
{
	struct fdsets *s = kmalloc(sizeof(*s));
	if (s) {
		s->uin = a[1];
		s->uout = a[2];
		s->uex = a[3];
	}
	return s;
}

long sys_select(struct thread *t, const uint64_t a[6])
{
	uint64_t timeout;
	int err = fetch_timeval(t, a[4], &timeout);
	if (err)
		return err;
	struct fdsets *s = fdsets_new(a);
	if (!s)
		return -ENOMEM;
	uint64_t start = clock_monotonic_ns();
	long ret = do_select(t, (int64_t)(int)a[0], s, timeout);
	kfree(s);
	store_timeval_left(t, a[4], timeout, start);
	return ret;
}

/* pselect6's sixth argument: { const sigset_t *ss; size_t ss_len; }. */
struct sigset_arg {
	uint64_t ss, ss_len;
};

long sys_pselect6(struct thread *t, const uint64_t a[6])
{
	uint64_t timeout;
	struct sigset_arg sig = { 0, 0 };
	int err = fetch_timeout(t, a[4], &timeout);
	if (!err && a[5] && copy_from_user(t->proc->mm->vs, &sig, user_ptr(a[5]), sizeof(sig)))
		err = -EFAULT;
	if (!err)
		err = set_temp_sigmask(t, sig.ss, sig.ss_len);
	if (err)
		return err;
	struct fdsets *s = fdsets_new(a);
	long ret = -ENOMEM;
	uint64_t start = clock_monotonic_ns();
	if (s)
		ret = do_select(t, (int64_t)(int)a[0], s, timeout);
	kfree(s);
	store_time_left(t, a[4], timeout, start);
	restore_sigmask(t, sig.ss, ret);
	return ret;
}
