/*
 * Positional and file-level I/O on VFS files: pread64, pwrite64,
 * getdents64, ftruncate, truncate, fallocate and the fsync family (a
 * no-op that succeeds: tmpfs has nothing to write back).
 */
#include <jinux/errno.h>
#include <jinux/heap.h>
#include <jinux/uaccess.h>
#include <kernel/pipe.h>
#include <kernel/syscall.h>
#include <uapi/fcntl.h>
#include "sys_fs.h"

#define MAX_RW_COUNT (0x7fffffffUL & ~(PAGE_SIZE - 1))

long sys_pread64(struct thread *t, const uint64_t a[6])
{
	struct file *f = fd_get(t->proc->fds, (int)a[0]);
	if (!f || !f->ops->read)
		return -EBADF;
	if ((int64_t)a[3] < 0)
		return -EINVAL;
	return vfs_file_pread(f, t, user_ptr(a[1]), MIN(a[2], MAX_RW_COUNT), (int64_t)a[3]);
}

long sys_pwrite64(struct thread *t, const uint64_t a[6])
{
	struct file *f = fd_get(t->proc->fds, (int)a[0]);
	if (!f || !f->ops->write)
		return -EBADF;
	if ((int64_t)a[3] < 0)
		return -EINVAL;
	return vfs_file_pwrite(f, t, user_ptr(a[1]), MIN(a[2], MAX_RW_COUNT), (int64_t)a[3]);
}

long sys_getdents64(struct thread *t, const uint64_t a[6])
{
	struct file *f = fd_get(t->proc->fds, (int)a[0]);
	if (!f || (f->flags & O_PATH))
		return -EBADF;
	if (!vfs_file_path(f))
		return -ENOTDIR;
	return vfs_file_getdents(f, t, user_ptr(a[1]), MIN(a[2], (uint64_t)INT32_MAX));
}

/* truncate's and ftruncate's shared checks and action on a regular file. */
static long do_truncate(struct inode *i, int64_t len)
{
	if (len < 0)
		return -EINVAL;
	long err = inode_set_size(i, (uint64_t)len);
	if (!err)
		inode_touch(i, "mc");
	return err;
}

long sys_ftruncate(struct thread *t, const uint64_t a[6])
{
	struct file *f = fd_get(t->proc->fds, (int)a[0]);
	if (!f || (f->flags & O_PATH))
		return -EBADF;
	const struct path *p = vfs_file_path(f);
	unsigned acc = f->flags & O_ACCMODE;
	if (!p || !S_ISREG(p->dentry->inode->mode) || (acc != O_WRONLY && acc != O_RDWR))
		return -EINVAL;
	return do_truncate(p->dentry->inode, (int64_t)a[1]);
}

long sys_truncate(struct thread *t, const uint64_t a[6])
{
	struct path p;
	long err = fs_lookup_user(t, AT_FDCWD, a[0], LOOKUP_FOLLOW, &p);
	if (err)
		return err;
	struct inode *i = p.dentry->inode;
	if (S_ISDIR(i->mode))
		err = -EISDIR;
	else if (!S_ISREG(i->mode))
		err = -EINVAL;
	else if (!(err = vfs_permission(fs_cred(t), i, MAY_WRITE)))
		err = path_rdonly(&p) ? -EROFS : do_truncate(i, (int64_t)a[1]);
	path_put(&p);
	return err;
}

#define FALLOC_FL_KEEP_SIZE 0x01

long sys_fallocate(struct thread *t, const uint64_t a[6])
{
	struct file *f = fd_get(t->proc->fds, (int)a[0]);
	int mode = (int)a[1];
	int64_t off = (int64_t)a[2], len = (int64_t)a[3];
	if (!f || (f->flags & O_PATH))
		return -EBADF;
	if (off < 0 || len <= 0)
		return -EINVAL;
	if (mode & ~FALLOC_FL_KEEP_SIZE)
		return -EOPNOTSUPP;
	unsigned acc = f->flags & O_ACCMODE;
	if (acc != O_WRONLY && acc != O_RDWR)
		return -EBADF;
	const struct path *p = vfs_file_path(f);
	if (!p)
		return file_is_pipe(f) ? -ESPIPE : -ENODEV;
	struct inode *i = p->dentry->inode;
	if (S_ISDIR(i->mode))
		return -EISDIR;
	if (!S_ISREG(i->mode))
		return -ENODEV;
	if (off > INT64_MAX - len)
		return -EFBIG;
	uint64_t end = (uint64_t)(off + len);
	long err = inode_fallocate(i, (uint64_t)off, end, mode & FALLOC_FL_KEEP_SIZE);
	if (!err)
		inode_touch(i, "mc");
	return err;
}

/* fsync and fdatasync: nothing to write back; pipes and the console refuse. */
static long do_fsync(struct thread *t, int fd)
{
	struct file *f = fd_get(t->proc->fds, fd);
	if (!f || (f->flags & O_PATH))
		return -EBADF;
	return vfs_file_path(f) ? 0 : -EINVAL;
}

long sys_fsync(struct thread *t, const uint64_t a[6])
{
	return do_fsync(t, (int)a[0]);
}

long sys_fdatasync(struct thread *t, const uint64_t a[6])
{
	return do_fsync(t, (int)a[0]);
}

long sys_sync(struct thread *t, const uint64_t a[6])
{
	(void)t, (void)a;
	return 0;
}

long sys_syncfs(struct thread *t, const uint64_t a[6])
{
	return fd_get(t->proc->fds, (int)a[0]) ? 0 : -EBADF;
}
