/*
 * Where a process stands: chdir, fchdir, getcwd, chroot.
 */
#include <jinux/errno.h>
#include <jinux/heap.h>
#include <jinux/uaccess.h>
#include <kernel/syscall.h>
#include <uapi/fcntl.h>
#include "sys_fs.h"

/* Replace *@slot by @p (reference donated) after the search check. */
static long set_dir(struct thread *t, struct path *slot, struct path *p)
{
	long err = vfs_permission(fs_cred(t), p->dentry->inode, MAY_EXEC);
	if (err) {
		path_put(p);
		return err;
	}
	path_put(slot);
	*slot = *p;
	return 0;
}

static long lookup_dir(struct thread *t, uint64_t upath, struct path *out)
{
	char *name;
	long err = fs_getname(t, upath, &name);
	if (err)
		return err;
	err = vfs_lookup(t->proc, AT_FDCWD, name, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, out);
	kfree(name);
	return err;
}

long sys_chdir(struct thread *t, const uint64_t a[6])
{
	struct fs_context *fs = process_fs(t->proc);
	struct path p;
	long err = fs ? lookup_dir(t, a[0], &p) : -ENOMEM;
	return err ? err : set_dir(t, &fs->cwd, &p);
}

long sys_fchdir(struct thread *t, const uint64_t a[6])
{
	struct fs_context *fs = process_fs(t->proc);
	struct path *fp;
	long err = fs ? fs_fd_path(t, (int)a[0], true, &fp) : -ENOMEM;
	if (err)
		return err;
	if (!S_ISDIR(fp->dentry->inode->mode))
		return -ENOTDIR;
	struct path p = *fp;
	path_get(&p);
	return set_dir(t, &fs->cwd, &p);
}

long sys_chroot(struct thread *t, const uint64_t a[6])
{
	struct fs_context *fs = process_fs(t->proc);
	struct path p;
	long err = fs ? lookup_dir(t, a[0], &p) : -ENOMEM;
	if (err)
		return err;
	if (!vfs_capable(fs_cred(t), CAP_SYS_CHROOT)) {
		path_put(&p);
		return -EPERM;
	}
	return set_dir(t, &fs->root, &p);
}

long sys_getcwd(struct thread *t, const uint64_t a[6])
{
	struct fs_context *fs = process_fs(t->proc);
	size_t size = MIN(a[1], (uint64_t)VFS_PATH_MAX);
	if (!fs)
		return -ENOMEM;
	if (!size)
		return -ERANGE;
	char *buf = kmalloc(size);
	if (!buf)
		return -ENOMEM;
	long len = vfs_path_name(&fs->cwd, &fs->root, buf, size);
	if (len > 0 && copy_to_user(t->proc->mm->vs, user_ptr(a[0]), buf, (size_t)len))
		len = -EFAULT;
	kfree(buf);
	return len;
}
