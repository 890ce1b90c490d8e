/*
 * read, write, readv, writev, preadv, pwritev (and the *v2 forms), lseek,
 * ioctl: descriptor-based I/O.
 * (Descriptor-table calls are in sys_fd.c, poll and select in sys_poll.c.)
 */
#include <jinux/errno.h>
#include <jinux/heap.h>
#include <jinux/time.h>
#include <jinux/uaccess.h>
#include <kernel/poll.h>
#include <kernel/process.h>
#include <kernel/syscall.h>
#include <kernel/vfs.h>
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

/* One iovec of a transfer: at the file offset, or at *@pos (>= 0) for preadv/pwritev. */
static ssize_t iov_one(struct file *f, struct thread *t, uint64_t base, size_t len, bool writing,
		       int64_t *pos)
{
	if (*pos < 0)
		return writing ? f->ops->write(f, t, user_ptr(base), len)
			       : f->ops->read(f, t, user_ptr(base), len);
	ssize_t n = writing ? vfs_file_pwrite(f, t, user_ptr(base), len, *pos)
			    : vfs_file_pread(f, t, user_ptr(base), len, *pos);
	if (n > 0)
		*pos += n;
	return n;
}

/* readv, writev (@pos -1) and preadv, pwritev (@pos >= 0). */
static long do_iov(struct thread *t, const uint64_t a[6], bool writing, int64_t pos)
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
		ssize_t n = iov_one(f, t, iov[i].iov_base, len, writing, &pos);
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
	return do_iov(t, a, false, -1);
}

long sys_writev(struct thread *t, const uint64_t a[6])
{
	return do_iov(t, a, true, -1);
}

/*
 * preadv/pwritev take the offset split in two registers; on 64-bit
 * Linux the low one holds all of it. The *v2 forms also take -1 for the
 * file offset, and flags (RWF_*), of which none is supported.
 */
static long do_piov(struct thread *t, const uint64_t a[6], bool writing, bool v2)
{
	int64_t pos = (int64_t)a[3];
	if (v2 && a[5])
		return -EOPNOTSUPP;
	if (pos < 0 && !(v2 && pos == -1))
		return -EINVAL;
	struct file *f = fd_get(t->proc->fds, (int)a[0]);
	if (pos >= 0 && f && !f->ops->llseek && !vfs_file_path(f))
		return -ESPIPE;
	return do_iov(t, a, writing, pos);
}

long sys_preadv(struct thread *t, const uint64_t a[6])
{
	return do_piov(t, a, false, false);
}

long sys_pwritev(struct thread *t, const uint64_t a[6])
{
	return do_piov(t, a, true, false);
}

long sys_preadv2(struct thread *t, const uint64_t a[6])
{
	return do_piov(t, a, false, true);
}

long sys_pwritev2(struct thread *t, const uint64_t a[6])
{
	return do_piov(t, a, true, true);
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
