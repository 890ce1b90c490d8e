/*
 * sendfile and copy_file_range: copies between descriptors that never
 * pass through user memory. The source is a regular file; sendfile
 * writes to a regular file or a pipe, copy_file_range to a regular file
 * (the copy itself is vfs_copy_range()).
 */
#include <jinux/errno.h>
#include <jinux/uaccess.h>
#include <kernel/pipe.h>
#include <kernel/syscall.h>
#include <uapi/fcntl.h>
#include "sys_fs.h"

#define MAX_RW_COUNT (0x7fffffffUL & ~(PAGE_SIZE - 1))

static bool readable(const struct file *f)
{
	return !(f->flags & O_PATH) && (f->flags & O_ACCMODE) != O_WRONLY;
}

static bool writable(const struct file *f)
{
	unsigned acc = f->flags & O_ACCMODE;
	return !(f->flags & O_PATH) && (acc == O_WRONLY || acc == O_RDWR);
}

/* An optional loff_t argument: 0 with *@pos set (or @uptr 0), -EFAULT, -EINVAL. */
static long fetch_off(struct thread *t, uint64_t uptr, int64_t *pos)
{
	if (!uptr)
		return 0;
	if (copy_from_user(t->proc->mm->vs, pos, user_ptr(uptr), sizeof(*pos)))
		return -EFAULT;
	return *pos < 0 ? -EINVAL : 0;
}

static long store_off(struct thread *t, uint64_t uptr, int64_t pos)
{
	if (uptr && copy_to_user(t->proc->mm->vs, user_ptr(uptr), &pos, sizeof(pos)))
		return -EFAULT;
	return 0;
}

/* The position a copy reads @f from: *@uptr's value or the file offset. */
static int64_t *copy_pos(struct file *f, uint64_t uptr, int64_t *local)
{
	if (uptr)
		return local;
	return vfs_file_pos(f);
}

long sys_sendfile(struct thread *t, const uint64_t a[6])
{
	struct file *out = fd_get(t->proc->fds, (int)a[0]);
	struct file *in = fd_get(t->proc->fds, (int)a[1]);
	int64_t off = 0;
	if (!in || !readable(in) || !out || !writable(out))
		return -EBADF;
	long err = fetch_off(t, a[2], &off);
	if (err)
		return err;
	if (!vfs_file_is_regular(in) || (out->flags & O_APPEND))
		return -EINVAL;
	if (!file_is_pipe(out) && !vfs_file_is_regular(out))
		return -EINVAL;   /* devices and the console: not yet */
	int64_t *pos = copy_pos(in, a[2], &off);
	long n = vfs_copy_range(t, in, pos, out, NULL, MIN(a[3], MAX_RW_COUNT));
	if (n >= 0 && store_off(t, a[2], off))
		return -EFAULT;
	return n;
}

/* copy_file_range's checks on one end: EBADF, EISDIR, EINVAL. */
static long range_end_ok(struct file *f, bool out)
{
	if (!f || (out ? !writable(f) || (f->flags & O_APPEND) : !readable(f)))
		return -EBADF;
	const struct path *p = vfs_file_path(f);
	if (p && S_ISDIR(p->dentry->inode->mode))
		return -EISDIR;
	return vfs_file_is_regular(f) ? 0 : -EINVAL;
}

/* The same file and overlapping ranges [@a, @a+@len) and [@b, @b+@len)? */
static bool overlap(struct file *in, int64_t a, struct file *out, int64_t b, uint64_t len)
{
	if (vfs_file_path(in)->dentry->inode != vfs_file_path(out)->dentry->inode)
		return false;
	return (uint64_t)a < (uint64_t)b + len && (uint64_t)b < (uint64_t)a + len;
}

long sys_copy_file_range(struct thread *t, const uint64_t a[6])
{
	struct file *in = fd_get(t->proc->fds, (int)a[0]);
	struct file *out = fd_get(t->proc->fds, (int)a[2]);
	int64_t ioff = 0, ooff = 0;
	if (a[5])
		return -EINVAL;
	long err = range_end_ok(in, false);
	if (!err)
		err = range_end_ok(out, true);
	if (!err)
		err = fetch_off(t, a[1], &ioff);
	if (!err)
		err = fetch_off(t, a[3], &ooff);
	if (err)
		return err;
	int64_t *ipos = copy_pos(in, a[1], &ioff);
	int64_t *opos = copy_pos(out, a[3], &ooff);
	size_t len = MIN(a[4], MAX_RW_COUNT);
	if (overlap(in, *ipos, out, *opos, len))
		return -EINVAL;
	long n = vfs_copy_range(t, in, ipos, out, opos, len);
	if (n >= 0 && (store_off(t, a[1], ioff) || store_off(t, a[3], ooff)))
		return -EFAULT;
	return n;
}
