/*
 * Regular files of the in-memory file systems: read, write, pread,
 * pwrite and lseek on the inode's buffer. Bytes between the size and the
 * end of the buffer are kept zero, so growing a file (by a write past
 * the end or by truncate) reads back as a hole of zeros.
 */
#include <jinux/errno.h>
#include <jinux/string.h>
#include <jinux/uaccess.h>
#include <kernel/process.h>
#include <uapi/fcntl.h>
#include "vfs_internal.h"

/* Copy in and out page by page so a fault leaves what came before. */
#define CHUNK PAGE_SIZE

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
	if ((uint64_t)pos >= i->size || !len)
		return 0;
	size_t n = (size_t)MIN((uint64_t)len, i->size - (uint64_t)pos);
	if (copy_to_user(t->proc->mm->vs, buf, i->data + pos, n))
		return -EFAULT;
	return (ssize_t)n;
}

/*
 * How much of a write of @len at @pos fits: all of it, or, on a full
 * tmpfs, what the size= limit still allows (Linux writes that much).
 */
static int make_room(struct inode *i, uint64_t pos, size_t *len)
{
	int err = inode_reserve(i, pos + *len);
	if (err != -ENOSPC)
		return err;
	struct super_block *sb = i->sb;
	uint64_t room = ALIGN_UP(i->cap, PAGE_SIZE) + sb->max_bytes - sb->used_bytes;
	if (!sb->max_bytes || room <= pos)
		return -ENOSPC;
	*len = (size_t)MIN((uint64_t)*len, room - pos);
	return inode_reserve(i, pos + *len);
}

/* A write ending at @end went in: the size, set-id bits and times follow. */
static void reg_wrote(struct inode *i, struct thread *t, uint64_t end)
{
	if (end > i->size)
		i->size = end;
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
	int err = make_room(i, (uint64_t)pos, &len);
	if (err)
		return err;
	size_t done = 0;
	while (done < len) {
		size_t n = MIN(len - done, CHUNK);
		uint8_t *dst = i->data + pos + done;
		if (copy_from_user(t->proc->mm->vs, dst, user_ptr(user_addr(buf) + done), n)) {
			/* Past the old end the bytes must stay zero. */
			uint64_t end = (uint64_t)pos + done;
			if (end + n > i->size)
				memset(i->data + MAX(end, i->size), 0, end + n - MAX(end, i->size));
			break;
		}
		done += n;
	}
	if (!done)
		return -EFAULT;
	reg_wrote(i, t, (uint64_t)pos + done);
	return (ssize_t)done;
}

ssize_t vfs_reg_write_kernel(struct file *f, struct thread *t, const void *buf, size_t len,
			     int64_t pos)
{
	struct inode *i = vfs_file_of(f)->path.dentry->inode;
	if (pos < 0)
		return -EINVAL;
	if (!len)
		return 0;
	int err = make_room(i, (uint64_t)pos, &len);
	if (err)
		return err;
	memcpy(i->data + pos, buf, len);
	reg_wrote(i, t, (uint64_t)pos + len);
	return (ssize_t)len;
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
		/* One buffer, no holes: data is everywhere before the end. */
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
