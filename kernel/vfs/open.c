/*
 * Opening a resolved name: the access checks of open(2) (Linux's
 * may_open), O_TRUNC, and the kind of file each inode type gives:
 * regular files and directories are VFS files holding their path;
 * character devices come from devfs' table or the console; FIFOs are
 * ends of the inode's pipe; O_PATH gives a file that only names.
 */
#include <jinux/errno.h>
#include <jinux/heap.h>
#include <kernel/pipe.h>
#include <kernel/process.h>
#include <uapi/fcntl.h>
#include "vfs_internal.h"

/* O_PATH: a name only; every I/O call gives EBADF. */
static const struct file_ops vfs_path_ops = {
	.release = vfs_file_release,
};

bool vfs_file_ops_known(const struct file_ops *ops)
{
	/* Every VFS file, devices included, is released here. */
	return ops && ops->release == vfs_file_release;
}

const struct path *vfs_file_path(const struct file *f)
{
	if (!f || !vfs_file_ops_known(f->ops))
		return NULL;
	return &((const struct vfs_file *)f->priv)->path;
}

void vfs_file_release(struct file *f)
{
	struct vfs_file *vf = f->priv;
	path_put(&vf->path);
	kfree(vf);
}

/* A VFS file with @ops for @path (referenced here). */
static int vfs_file_new(const struct file_ops *ops, const struct path *path, unsigned flags,
			struct file **out)
{
	struct vfs_file *vf = kzalloc(sizeof(*vf));
	if (!vf)
		return -ENOMEM;
	vf->path = *path;
	struct file *f = file_alloc(ops, flags, vf);
	if (!f) {
		kfree(vf);
		return -ENOMEM;
	}
	path_get(path);
	*out = f;
	return 0;
}

/* The access open(2) asks for, as MAY_* bits. */
static int open_access(unsigned oflags)
{
	int mask = 0;
	switch (oflags & O_ACCMODE) {
	case O_RDONLY: mask = MAY_READ; break;
	case O_WRONLY: mask = MAY_WRITE; break;
	default: mask = MAY_READ | MAY_WRITE; break;
	}
	if (oflags & O_TRUNC)
		mask |= MAY_WRITE;
	return mask;
}

/* Linux's may_open(): type, permission, read-only and nodev mounts. */
static int may_open(struct process *p, const struct path *path, unsigned oflags, bool created)
{
	struct inode *i = path->dentry->inode;
	int mask = open_access(oflags);
	if (S_ISLNK(i->mode))
		return -ELOOP;
	if (S_ISDIR(i->mode) && (mask & MAY_WRITE))
		return -EISDIR;
	if ((oflags & O_DIRECTORY) && !S_ISDIR(i->mode))
		return -ENOTDIR;
	if ((S_ISCHR(i->mode) || S_ISBLK(i->mode)) && (path->mnt->flags & MS_NODEV))
		return -EACCES;
	if (!created) {
		int err = vfs_permission(vfs_creds(p), i, mask);
		if (err)
			return err;
	}
	if (S_ISREG(i->mode) || S_ISDIR(i->mode))
		if ((mask & MAY_WRITE) && path_rdonly(path))
			return -EROFS;
	return 0;
}

/* Status flags a file keeps (the rest act at open time only). */
#define KEPT_FLAGS (O_ACCMODE | O_APPEND | O_NONBLOCK | O_DIRECT | O_LARGEFILE | \
		    O_NOATIME | O_SYNC | O_DSYNC)

static int open_chrdev(const struct path *path, unsigned flags, struct file **out)
{
	uint64_t rdev = path->dentry->inode->rdev;
	const struct file_ops *ops = memdev_ops(rdev);
	if (ops)
		return vfs_file_new(ops, path, flags, out);
	/* tty (5:0) and console (5:1): the console until the TTY layer. */
	if (rdev == LINUX_MKDEV(5, 0) || rdev == LINUX_MKDEV(5, 1)) {
		struct file *f = console_file_open();
		if (!f)
			return -ENOMEM;
		f->flags = flags;
		*out = f;
		return 0;
	}
	return -ENXIO;
}

static int open_fifo(struct inode *i, unsigned flags, struct file **out)
{
	if (!i->pipe && !(i->pipe = pipe_create()))
		return -ENOMEM;
	return pipe_open_fifo(i->pipe, flags, out);
}

int vfs_open(struct process *p, const struct path *path, unsigned oflags, bool created,
	     struct file **out)
{
	struct inode *i = path->dentry->inode;
	unsigned flags = oflags & KEPT_FLAGS;
	if (oflags & O_PATH)
		return vfs_file_new(&vfs_path_ops, path, O_PATH | (oflags & O_DIRECTORY), out);
	int err = may_open(p, path, oflags, created);
	if (err)
		return err;
	switch (i->mode & S_IFMT) {
	case S_IFDIR:
		return vfs_file_new(&vfs_dir_ops, path, flags, out);
	case S_IFCHR:
		return open_chrdev(path, flags, out);
	case S_IFIFO:
		return open_fifo(i, flags, out);
	case S_IFREG:
		if (i->sb->ops && i->sb->ops->open)
			return i->sb->ops->open(p, path, flags, out);
		break;
	default:
		return -ENXIO;
	}
	if ((oflags & O_TRUNC) && i->size) {
		inode_set_size(i, 0);
		inode_touch(i, "mc");
	}
	return vfs_file_new(&vfs_reg_ops, path, flags, out);
}

void vfs_fill_stat(const struct inode *i, struct linux_stat *st)
{
	*st = (struct linux_stat){ 0 };
	st->st_dev = i->sb->dev;
	st->st_ino = i->ino;
	st->st_nlink = i->nlink;
	st->st_mode = i->mode;
	st->st_uid = i->uid;
	st->st_gid = i->gid;
	st->st_rdev = i->rdev;
	st->st_size = (int64_t)i->size;
	st->st_blksize = PAGE_SIZE;
	st->st_blocks = (int64_t)(ALIGN_UP(S_ISREG(i->mode) ? i->size : 0, PAGE_SIZE) / 512);
	st->st_atim = i->atime;
	st->st_mtim = i->mtime;
	st->st_ctim = i->ctime;
}
