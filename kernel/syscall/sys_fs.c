/*
 * What the file-system calls share: path copy-in, descriptor
 * installation, the path behind a descriptor, and struct stat.
 */
#include <jinux/errno.h>
#include <jinux/heap.h>
#include <jinux/uaccess.h>
#include <uapi/fcntl.h>
#include "sys_fs.h"

long fs_getname(struct thread *t, uint64_t upath, char **out)
{
	char *buf = kmalloc(VFS_PATH_MAX);
	if (!buf)
		return -ENOMEM;
	long len = strncpy_from_user(t->proc->mm->vs, buf, user_ptr(upath), VFS_PATH_MAX);
	if (len < 0 || len == VFS_PATH_MAX) {
		kfree(buf);
		return len < 0 ? len : -ENAMETOOLONG;
	}
	*out = buf;
	return 0;
}

static int fd_limit(struct thread *t)
{
	uint64_t cur = t->proc->rlim[RLIMIT_NOFILE].rlim_cur;
	return (int)MIN(cur, (uint64_t)FD_MAX);
}

bool fs_fd_free(struct thread *t)
{
	struct fd_table *fdt = t->proc->fds;
	for (int fd = 0; fd < fd_limit(t); fd++)
		if (!fdt->files[fd])
			return true;
	return false;
}

long fs_install(struct thread *t, struct file *f, bool cloexec)
{
	int fd = fd_alloc(t->proc->fds, 0, fd_limit(t), f, cloexec);
	if (fd < 0)
		file_put(f);
	return fd;
}

long fs_fd_path(struct thread *t, int fd, bool opath, struct path **out)
{
	struct file *f = fd_get(t->proc->fds, fd);
	if (!f)
		return -EBADF;
	const struct path *p = vfs_file_path(f);
	if (!p || (!opath && (f->flags & O_PATH)))
		return -EBADF;
	*out = (struct path *)p;
	return 0;
}

long fs_put_stat(struct thread *t, const struct inode *i, uint64_t ubuf)
{
	struct linux_stat st;
	vfs_fill_stat(i, &st);
	return copy_to_user(t->proc->mm->vs, user_ptr(ubuf), &st, sizeof(st)) ? -EFAULT : 0;
}

unsigned at_lookup_flags(unsigned at, bool follow_default)
{
	unsigned flags = follow_default ? LOOKUP_FOLLOW : 0;
	if (at & AT_SYMLINK_NOFOLLOW)
		flags &= ~LOOKUP_FOLLOW;
	if (at & AT_SYMLINK_FOLLOW)
		flags |= LOOKUP_FOLLOW;
	if (at & AT_EMPTY_PATH)
		flags |= LOOKUP_EMPTY;
	return flags;
}

long fs_lookup_user(struct thread *t, int dirfd, uint64_t upath, unsigned flags, struct path *out)
{
	char *name;
	long err = fs_getname(t, upath, &name);
	if (err)
		return err;
	err = vfs_lookup(t->proc, dirfd, name, flags, out);
	kfree(name);
	return err;
}

long fs_get_parent(struct thread *t, int dirfd, uint64_t upath, struct vfs_parent *vp)
{
	char *name;
	long err = fs_getname(t, upath, &name);
	if (err)
		return err;
	err = vfs_lookup_parent(t->proc, dirfd, name, vp);
	kfree(name);
	return err;
}
