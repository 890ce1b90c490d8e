/*
 * read, write, readv, writev, lseek, ioctl, poll, ppoll: descriptor-based I/O.
 * (Descriptor-table calls are in sys_fd.c.)
 */
#include <jinux/errno.h>
#include <jinux/heap.h>
#include <jinux/time.h>
#include <jinux/uaccess.h>
#include <kernel/poll.h>
#include <kernel/process.h>
#include <kernel/syscall.h>
#include <uapi/misc.h>
#include <uapi/poll.h>
#include <uapi/time.h>

/* Linux caps one transfer at INT_MAX rounded down to a page. */
#define MAX_RW_COUNT (0x7fffffffUL & ~(PAGE_SIZE - 1))

long sys_read(struct thread *t, const uint64_t a[6])
{
	struct process *p = t->proc;
	struct file *f = fd_get(p->fds, (int)a[0]);
	if (!f || !f->ops->read)
		return -EBADF;
	return f->ops->read(f, t, user_ptr(a[1]), MIN(a[2], MAX_RW_COUNT));
}

long sys_write(struct thread *t, const uint64_t a[6])
{
	struct process *p = t->proc;
	struct file *f = fd_get(p->fds, (int)a[0]);
	if (!f || !f->ops->write)
		return -EBADF;
	return f->ops->write(f, t, user_ptr(a[1]), MIN(a[2], MAX_RW_COUNT));
}

/* Decode an iovec array: copy it in and check the total length. */
static long iov_fetch(struct process *p, uint64_t uiov, uint64_t cnt, struct linux_iovec *iov)
{
	if ((int)cnt < 0 || cnt > UIO_MAXIOV)
		return -EINVAL;
	if (copy_from_user(p->mm->vs, iov, user_ptr(uiov), cnt * sizeof(*iov)))
		return -EFAULT;
	uint64_t total = 0;
	for (uint64_t i = 0; i < cnt; i++) {
		if (iov[i].iov_len > (uint64_t)INT64_MAX - total)
			return -EINVAL;
		total += iov[i].iov_len;
	}
	return 0;
}

static long do_iov(struct thread *t, const uint64_t a[6], bool writing)
{
	struct process *p = t->proc;
	struct file *f = fd_get(p->fds, (int)a[0]);
	if (!f || (writing ? !f->ops->write : !f->ops->read))
		return -EBADF;
	if ((int)a[2] < 0 || a[2] > UIO_MAXIOV)
		return -EINVAL;
	struct linux_iovec *iov = kmalloc(MAX(a[2], 1) * sizeof(*iov));
	if (!iov)
		return -ENOMEM;
	long done = iov_fetch(p, a[1], a[2], iov);
	if (done) {
		kfree(iov);
		return done;
	}
	for (uint64_t i = 0; i < a[2]; i++) {
		if (!iov[i].iov_len)
			continue;
		size_t len = MIN(iov[i].iov_len, MAX_RW_COUNT - (size_t)done);
		ssize_t n = writing ? f->ops->write(f, t, user_ptr(iov[i].iov_base), len)
				    : f->ops->read(f, t, user_ptr(iov[i].iov_base), len);
		if (n < 0) {
			done = done ? done : n;
			break;
		}
		done += n;
		/* A short transfer ends the call, as on Linux. */
		if ((size_t)n < len || (size_t)done >= MAX_RW_COUNT)
			break;
	}
	kfree(iov);
	return done;
}

long sys_readv(struct thread *t, const uint64_t a[6])
{
	return do_iov(t, a, false);
}

long sys_writev(struct thread *t, const uint64_t a[6])
{
	return do_iov(t, a, true);
}

#define SEEK_MAX 4  /* SEEK_HOLE */

long sys_lseek(struct thread *t, const uint64_t a[6])
{
	struct file *f = fd_get(t->proc->fds, (int)a[0]);
	if (!f)
		return -EBADF;
	if ((unsigned)a[2] > SEEK_MAX)
		return -EINVAL;
	if (!f->ops->llseek)
		return -ESPIPE;
	return f->ops->llseek(f, t, (int64_t)a[1], (int)a[2]);
}

long sys_ioctl(struct thread *t, const uint64_t a[6])
{
	struct process *p = t->proc;
	struct file *f = fd_get(p->fds, (int)a[0]);
	if (!f)
		return -EBADF;
	if (!f->ops->ioctl)
		return -ENOTTY;
	return f->ops->ioctl(f, t, (unsigned)a[1], a[2]);
}

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

/* Write back the time left, as Linux's ppoll does; faults are ignored. */
static void store_time_left(struct thread *t, uint64_t uts, uint64_t timeout, uint64_t start)
{
	if (!uts || timeout == POLL_NO_TIMEOUT || !timeout)
		return;
	uint64_t spent = clock_monotonic_ns() - start;
	uint64_t left = spent < timeout ? timeout - spent : 0;
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
