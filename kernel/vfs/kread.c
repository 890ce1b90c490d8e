/*
 * Kernel-side access to file contents, for the memory system: what
 * mmap(2) can make of an open file, and reading a regular file's bytes
 * into kernel memory (a private file mapping fills its pages this way).
 */
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

size_t vfs_read_kernel(const struct inode *i, uint64_t off, void *buf, size_t len)
{
	if (!S_ISREG(i->mode) || off >= i->size)
		return 0;
	size_t n = (size_t)MIN((uint64_t)len, i->size - off);
	memcpy(buf, i->data + off, n);
	return n;
}
