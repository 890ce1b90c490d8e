/*
 * Helpers shared by the file-system system calls (sys_fs*.c): copying a
 * path in, installing a new file at a descriptor, and the process's
 * credentials and context.
 */
#ifndef SYS_FS_H
#define SYS_FS_H

#include <kernel/file.h>
#include <kernel/process.h>
#include <kernel/vfs.h>

/**
 * fs_getname() - copy the user path at @upath into a new kernel buffer.
 * Return: 0 and *@out (kfree it); -EFAULT, -ENAMETOOLONG, -ENOMEM. An
 * empty path is returned as such: the lookup decides (ENOENT, or
 * AT_EMPTY_PATH).
 */
long fs_getname(struct thread *t, uint64_t upath, char **out);

/** fs_lookup_user() - resolve the user path at @upath (fs_getname + vfs_lookup). */
long fs_lookup_user(struct thread *t, int dirfd, uint64_t upath, unsigned flags, struct path *out);

/** fs_get_parent() - resolve the parent of the user path at @upath. */
long fs_get_parent(struct thread *t, int dirfd, uint64_t upath, struct vfs_parent *vp);

/** fs_install() - put @f (reference donated) at the lowest free fd. fd or -EMFILE. */
long fs_install(struct thread *t, struct file *f, bool cloexec);
/** fs_fd_free() - is there a free descriptor under RLIMIT_NOFILE? */
bool fs_fd_free(struct thread *t);

/** fs_fd_path() - the VFS path behind @fd: 0, -EBADF (also for O_PATH if !@opath). */
long fs_fd_path(struct thread *t, int fd, bool opath, struct path **out);

/** fs_put_stat() - copy a struct stat of @i to @ubuf. */
long fs_put_stat(struct thread *t, const struct inode *i, uint64_t ubuf);

/** at_lookup_flags() - LOOKUP_* for AT_SYMLINK_NOFOLLOW and AT_EMPTY_PATH in @at. */
unsigned at_lookup_flags(unsigned at, bool follow_default);

static inline const struct creds *fs_cred(struct thread *t)
{
	return vfs_creds(t->proc);
}

#endif
