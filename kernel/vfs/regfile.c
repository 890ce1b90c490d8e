/*
 * Regular files of the in-memory file systems: read, write, pread,
 * pwrite and lseek on the inode's pages (its page cache, inode.c), the
 * same frames a MAP_SHARED mapping shows, so each sees the other's
 * writes at once. A page never written is a hole and reads as zeros.
 */
#include <jinux/errno.h>
#include <jinux/string.h>
#include <jinux/uaccess.h>
#include <kernel/process.h>
#include <uapi/fcntl.h>
#include "vfs_internal.h"

/*
 * Bytes go straight between the file's frames and user memory
 * (inode_read_user/inode_write_user), in pieces that end at page edges
 * on both sides, so a bad user page cuts a transfer exactly where it
 * starts; frame copies are memmove()s, since the user buffer may itself
 * be a mapping of this very file.
 */
static bool can_read(const struct file *f)
{
	return (f->flags & O_ACCMODE) != O_WRONLY;
}

static bool can_write(const struct file *f)
{
	unsigned acc = f->flags & O_ACCMODE;
	return acc == O_WRONLY || acc == O_RDWR;
}

static ssize_t reg_read_at(struct file *f, struct thread *t, void __user *buf, size_t len,
			   int64_t pos)
{
	struct inode *i = vfs_file_of(f)->path.dentry->inode;

	if (!can_read(f))
		return -EBADF;
	if (pos < 0)
		return -EINVAL;
	return inode_read_user(i, (uint64_t)pos, t->proc->mm->vs, buf, len);
}

/* A write ending at @end went in: set-id bits and times follow. */
static void reg_wrote(struct inode *i, struct thread *t)
{
	if (i->mode & (S_ISUID | S_ISGID))
		i->mode = cred_write_kill_suid(&t->proc->cred, i->mode);
	inode_touch(i, "mc");
}

static ssize_t reg_write_at(struct file *f, struct thread *t, const void __user *buf, size_t len,
			    int64_t pos)
{
	struct inode *i = vfs_file_of(f)->path.dentry->inode;

	if (!can_write(f))
		return -EBADF;
	if (pos < 0)
		return -EINVAL;
	if (!len)
		return 0;
	/* Short on a full tmpfs (Linux writes what fits) or a bad user page. */
	ssize_t w = inode_write_user(i, (uint64_t)pos, t->proc->mm->vs, buf, len);
	if (w > 0)
		reg_wrote(i, t);
	return w;
}

ssize_t vfs_reg_write_kernel(struct file *f, struct thread *t, const void *buf, size_t len,
			     int64_t pos)
{
	struct inode *i = vfs_file_of(f)->path.dentry->inode;
	if (pos < 0)
		return -EINVAL;
	if (!len)
		return 0;
	ssize_t w = inode_write(i, (uint64_t)pos, buf, len);
	if (w > 0)
		reg_wrote(i, t);
	return w;
}

static ssize_t reg_read(struct file *f, struct thread *t, void __user *buf, size_t len)
{
	struct vfs_file *vf = f->priv;
	ssize_t n = reg_read_at(f, t, buf, len, vf->pos);
	if (n > 0)
		vf->pos += n;
	return n;
}

static ssize_t reg_write(struct file *f, struct thread *t, const void __user *buf, size_t len)
{
	struct vfs_file *vf = f->priv;
	if (f->flags & O_APPEND)
		vf->pos = (int64_t)vf->path.dentry->inode->size;
	ssize_t n = reg_write_at(f, t, buf, len, vf->pos);
	if (n > 0)
		vf->pos += n;
	return n;
}

static int64_t reg_llseek(struct file *f, struct thread *t, int64_t off, int whence)
{
	struct vfs_file *vf = f->priv;
	int64_t size = (int64_t)vf->path.dentry->inode->size, base;
	(void)t;
	switch (whence) {
	case SEEK_SET: base = 0; break;
	case SEEK_CUR: base = vf->pos; break;
	case SEEK_END: base = size; break;
	case SEEK_DATA:
		/* Holes are not reported: data is everywhere before the end. */
		if (off < 0 || off >= size)
			return -ENXIO;
		return vf->pos = off;
	case SEEK_HOLE:
		if (off < 0 || off >= size)
			return -ENXIO;
		return vf->pos = size;
	default:
		return -EINVAL;
	}
	if ((off > 0 && base > INT64_MAX - off))
		return -EOVERFLOW;
	if (base + off < 0)
		return -EINVAL;
	return vf->pos = base + off;
}

const struct file_ops vfs_reg_ops = {
	.read = reg_read,
	.write = reg_write,
	.llseek = reg_llseek,
	.release = vfs_file_release,
};

ssize_t vfs_file_pread(struct file *f, struct thread *t, void __user *buf, size_t len,
		       int64_t pos)
{
	if (f->ops == &vfs_reg_ops)
		return reg_read_at(f, t, buf, len, pos);
	if (f->ops == &vfs_dir_ops)
		return -EISDIR;
	if (pos < 0)
		return -EINVAL;
	/* Devices read the same wherever they are read. */
	if (vfs_file_of(f) && f->ops->read)
		return f->ops->read(f, t, buf, len);
	return vfs_file_of(f) ? -EBADF : -ESPIPE;
}

ssize_t vfs_file_pwrite(struct file *f, struct thread *t, const void __user *buf, size_t len,
			int64_t pos)
{
	if (f->ops == &vfs_reg_ops) {
		/* Linux ignores the offset with O_APPEND and appends. */
		if (f->flags & O_APPEND)
			pos = (int64_t)vfs_file_of(f)->path.dentry->inode->size;
		return reg_write_at(f, t, buf, len, pos);
	}
	if (pos < 0)
		return -EINVAL;
	if (vfs_file_of(f) && f->ops->write)
		return f->ops->write(f, t, buf, len);
	return vfs_file_of(f) ? -EBADF : -ESPIPE;
}
