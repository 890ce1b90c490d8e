/*
 * Kernel-side access to file contents, for the memory system: what
 * mmap(2) can make of an open file, a handle on a regular file's pages
 * (its page cache) to map them, and reading a regular file's bytes into
 * kernel memory.
 */
#include <jinux/errno.h>
#include <jinux/string.h>
#include <uapi/fcntl.h>
#include "vfs_internal.h"

/* /dev/zero: Linux's mmap_zero() makes any mapping of it anonymous memory. */
#define ZERO_DEV LINUX_MKDEV(1, 5)

enum vfs_map_kind vfs_file_map_kind(const struct file *f)
{
	if (vfs_file_is_regular(f))
		return VFS_MAP_REGULAR;
	const struct path *p = vfs_file_path(f);
	if (p && S_ISCHR(p->dentry->inode->mode) && f->ops == memdev_ops(ZERO_DEV))
		return VFS_MAP_ZERO;
	return VFS_MAP_NONE;
}

struct inode *vfs_file_inode(const struct file *f)
{
	const struct path *p = vfs_file_path(f);
	return p ? p->dentry->inode : NULL;
}

int vfs_file_vmo(const struct file *f, struct vmo_cap *out)
{
	if (!vfs_file_is_regular(f))
		return -ENODEV;
	const struct path *p = vfs_file_path(f);
	struct vmo *v = inode_vmo(p->dentry->inode);
	if (!v)
		return -ENOMEM;
	unsigned acc = f->flags & O_ACCMODE, rights = VMO_DUP;
	if (acc != O_WRONLY)
		rights |= VMO_READ;
	if (acc == O_WRONLY || acc == O_RDWR)
		rights |= VMO_WRITE;
	if (!(p->mnt->flags & MS_NOEXEC))
		rights |= VMO_EXEC;
	/* A borrowed view of the inode's own handle, duplicated then restricted. */
	struct vmo_cap all = vmo_cap(p->dentry->inode->pages), dup;
	int err = vmo_cap_dup(&all, &dup);
	if (err)
		return err;
	*out = vmo_cap_restrict(dup, rights);
	return 0;
}

size_t vfs_read_kernel(const struct inode *i, uint64_t off, void *buf, size_t len)
{
	if (!S_ISREG(i->mode) || off >= i->size || !i->pages.obj)
		return 0;
	size_t n = (size_t)MIN((uint64_t)len, i->size - off);
	vmo_obj_read(i->pages.obj, off, buf, n);
	return n;
}
