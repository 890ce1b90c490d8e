/*
 * Making and removing names: mkdir(at), mknod(at), symlink(at), link(at),
 * unlink(at), rmdir, rename(at), renameat2. Each resolves the parent
 * directory, runs every check (decode), and only then changes the tree.
 */
#include <jinux/errno.h>
#include <jinux/heap.h>
#include <kernel/syscall.h>
#include <uapi/fcntl.h>
#include "../vfs/vfs_internal.h"
#include "sys_fs.h"

/* Resolve the parent of the user path @upath from @dirfd. */
static uint32_t umask_of(struct thread *t)
{
	return process_fs(t->proc)->umask;
}

/* Create @upath as a node of @mode (umask applied by the caller). */
static long make_at(struct thread *t, int dirfd, uint64_t upath, uint32_t mode, uint64_t rdev,
		    const char *target)
{
	struct vfs_parent vp;
	long err = fs_get_parent(t, dirfd, upath, &vp);
	if (err)
		return err;
	err = vfs_may_create(fs_cred(t), &vp);
	/* "name/" may only make a directory. */
	if (!err && vp.slash && !S_ISDIR(mode))
		err = -ENOENT;
	struct dentry *d;
	if (!err)
		err = vfs_make_node(fs_cred(t), &vp, mode, rdev, target, &d);
	vfs_parent_put(&vp);
	return err;
}

long sys_mkdirat(struct thread *t, const uint64_t a[6])
{
	uint32_t mode = S_IFDIR | ((uint32_t)a[2] & 01777 & ~umask_of(t));
	return make_at(t, (int)a[0], a[1], mode, 0, NULL);
}

long sys_mkdir(struct thread *t, const uint64_t a[6])
{
	uint32_t mode = S_IFDIR | ((uint32_t)a[1] & 01777 & ~umask_of(t));
	return make_at(t, AT_FDCWD, a[0], mode, 0, NULL);
}

static long do_mknod(struct thread *t, int dirfd, uint64_t upath, uint32_t mode, uint64_t dev)
{
	uint32_t type = mode & S_IFMT;
	if (type == 0)
		type = S_IFREG;
	switch (type) {
	case S_IFCHR:
	case S_IFBLK:
		if (!vfs_capable(fs_cred(t), CAP_MKNOD))
			return -EPERM;
		break;
	case S_IFREG:
	case S_IFIFO:
	case S_IFSOCK:
		dev = 0;
		break;
	case S_IFDIR:
		return -EPERM;
	default:
		return -EINVAL;
	}
	uint32_t d = (uint32_t)dev;   /* the kernel takes a 32-bit dev_t */
	uint32_t perm = mode & 07777 & ~umask_of(t);
	return make_at(t, dirfd, upath, type | perm, LINUX_MKDEV(LINUX_MAJOR(d), LINUX_MINOR(d)),
		       NULL);
}

long sys_mknod(struct thread *t, const uint64_t a[6])
{
	return do_mknod(t, AT_FDCWD, a[0], (uint32_t)a[1], a[2]);
}

long sys_mknodat(struct thread *t, const uint64_t a[6])
{
	return do_mknod(t, (int)a[0], a[1], (uint32_t)a[2], a[3]);
}

static long do_symlink(struct thread *t, uint64_t utarget, int dirfd, uint64_t upath)
{
	char *target;
	long err = fs_getname(t, utarget, &target);
	if (err)
		return err;
	err = target[0] ? make_at(t, dirfd, upath, S_IFLNK | 0777, 0, target) : -ENOENT;
	kfree(target);
	return err;
}

long sys_symlink(struct thread *t, const uint64_t a[6])
{
	return do_symlink(t, a[0], AT_FDCWD, a[1]);
}

long sys_symlinkat(struct thread *t, const uint64_t a[6])
{
	return do_symlink(t, a[0], (int)a[1], a[2]);
}

/* ---- link ---- */

static long do_link(struct thread *t, int olddfd, uint64_t uold, int newdfd, uint64_t unew,
		    unsigned at)
{
	if (at & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	char *name;
	long err = fs_getname(t, uold, &name);
	if (err)
		return err;
	struct path old;
	err = vfs_lookup(t->proc, olddfd, name, at_lookup_flags(at, false), &old);
	kfree(name);
	if (err)
		return err;
	struct vfs_parent vp;
	err = fs_get_parent(t, newdfd, unew, &vp);
	if (err)
		goto out_old;
	struct inode *i = old.dentry->inode;
	if (!(err = vfs_may_create(fs_cred(t), &vp))) {
		if (vp.dir.mnt != old.mnt)
			err = -EXDEV;
		else if (S_ISDIR(i->mode))
			err = -EPERM;
		else if (vp.slash)
			err = -ENOENT;
		else if (i->nlink == 0 && !i->linkable)
			err = -ENOENT;
		else if (!(err = vfs_add_link(&vp, i)))
			i->linkable = false;
	}
	vfs_parent_put(&vp);
out_old:
	path_put(&old);
	return err;
}

long sys_link(struct thread *t, const uint64_t a[6])
{
	return do_link(t, AT_FDCWD, a[0], AT_FDCWD, a[1], 0);
}

long sys_linkat(struct thread *t, const uint64_t a[6])
{
	return do_link(t, (int)a[0], a[1], (int)a[2], a[3], (unsigned)a[4]);
}

/* ---- unlink, rmdir ---- */

/* Is @d in use as a mount point, or the root of @mnt? */
static bool busy(const struct vfs_parent *vp, const struct dentry *d)
{
	return d->mounted || d == vp->dir.mnt->root;
}

static long check_unlink(struct thread *t, const struct vfs_parent *vp, struct dentry *d)
{
	if (vp->type != LAST_NORM)
		return -EISDIR;
	if (!d)
		return -ENOENT;
	if (S_ISDIR(d->inode->mode))
		return -EISDIR;
	if (vp->slash)
		return -ENOTDIR;
	long err = vfs_may_delete(fs_cred(t), vp->dir.dentry->inode, d->inode);
	if (err)
		return err;
	if (busy(vp, d))
		return -EBUSY;
	return path_rdonly(&vp->dir) ? -EROFS : 0;
}

static long check_rmdir(struct thread *t, const struct vfs_parent *vp, struct dentry *d)
{
	if (vp->type == LAST_DOT)
		return -EINVAL;
	if (vp->type == LAST_DOTDOT)
		return -ENOTEMPTY;
	if (vp->type == LAST_ROOT)
		return -EBUSY;
	if (!d)
		return -ENOENT;
	if (!S_ISDIR(d->inode->mode))
		return -ENOTDIR;
	long err = vfs_may_delete(fs_cred(t), vp->dir.dentry->inode, d->inode);
	if (err)
		return err;
	if (busy(vp, d))
		return -EBUSY;
	if (!d_is_empty_dir(d))
		return -ENOTEMPTY;
	return path_rdonly(&vp->dir) ? -EROFS : 0;
}

static long do_remove(struct thread *t, int dirfd, uint64_t upath, bool dir)
{
	struct vfs_parent vp;
	long err = fs_get_parent(t, dirfd, upath, &vp);
	if (err)
		return err;
	struct dentry *d = vp.type == LAST_NORM ? d_lookup(vp.dir.dentry, vp.name, vp.len) : NULL;
	err = dir ? check_rmdir(t, &vp, d) : check_unlink(t, &vp, d);
	if (!err)
		vfs_remove(d);
	vfs_parent_put(&vp);
	return err;
}

long sys_unlink(struct thread *t, const uint64_t a[6])
{
	return do_remove(t, AT_FDCWD, a[0], false);
}

long sys_rmdir(struct thread *t, const uint64_t a[6])
{
	return do_remove(t, AT_FDCWD, a[0], true);
}

long sys_unlinkat(struct thread *t, const uint64_t a[6])
{
	unsigned flags = (unsigned)a[2];
	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	return do_remove(t, (int)a[0], a[1], flags & AT_REMOVEDIR);
}
