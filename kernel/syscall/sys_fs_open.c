/*
 * open, openat, creat: resolve (creating with O_CREAT), check, open, and
 * install the file at the lowest free descriptor.
 */
#include <jinux/errno.h>
#include <jinux/heap.h>
#include <kernel/syscall.h>
#include <uapi/fcntl.h>
#include "sys_fs.h"

static long do_open(struct thread *t, int dirfd, uint64_t upath, unsigned flags, uint32_t mode)
{
	/* Linux 6.4 and later refuse the meaningless O_CREAT|O_DIRECTORY. */
	if ((flags & (O_CREAT | O_DIRECTORY)) == (O_CREAT | O_DIRECTORY))
		return -EINVAL;
	char *path;
	long err = fs_getname(t, upath, &path);
	if (err)
		return err;
	/* The descriptor is reserved first on Linux: EMFILE before any creation. */
	if (!fs_fd_free(t)) {
		kfree(path);
		return -EMFILE;
	}
	struct file *f;
	if ((flags & O_TMPFILE) == O_TMPFILE) {
		err = vfs_open_tmpfile(t->proc, dirfd, path, flags, mode, &f);
		kfree(path);
		return err ? err : fs_install(t, f, flags & O_CLOEXEC);
	}
	struct path res;
	bool created;
	err = vfs_open_lookup(t->proc, dirfd, path, flags, mode, &res, &created);
	kfree(path);
	if (err)
		return err;
	err = vfs_open(t->proc, &res, flags, created, &f);
	path_put(&res);
	if (err)
		return err;
	return fs_install(t, f, flags & O_CLOEXEC);
}

long sys_open(struct thread *t, const uint64_t a[6])
{
	return do_open(t, AT_FDCWD, a[0], (unsigned)a[1], (uint32_t)a[2]);
}

long sys_openat(struct thread *t, const uint64_t a[6])
{
	return do_open(t, (int)a[0], a[1], (unsigned)a[2], (uint32_t)a[3]);
}

long sys_creat(struct thread *t, const uint64_t a[6])
{
	return do_open(t, AT_FDCWD, a[0], O_CREAT | O_WRONLY | O_TRUNC, (uint32_t)a[1]);
}
