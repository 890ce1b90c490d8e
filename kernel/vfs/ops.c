/*
 * Namespace operations: making, linking and removing names. These are
 * the "perform" halves of mkdir, mknod, symlink, link, unlink, rmdir and
 * open(O_CREAT); the system calls run every check first (see
 * kernel/syscall/sys_fs*.c) so that these only fail for lack of memory
 * or space, and then leave nothing half done.
 */
#include <jinux/errno.h>
#include <jinux/string.h>
#include "vfs_internal.h"

int vfs_may_create(const struct creds *c, const struct vfs_parent *vp)
{
	struct dentry *dir = vp->dir.dentry;
	if (vp->type != LAST_NORM || d_lookup(dir, vp->name, vp->len))
		return -EEXIST;
	if (d_is_dead(dir))
		return -ENOENT;
	if (sb_is_synthetic(dir->inode->sb))
		return -EACCES;      /* procfs: names come from the kernel only */
	int err = vfs_permission(c, dir->inode, MAY_WRITE | MAY_EXEC);
	if (err)
		return err;
	if (path_rdonly(&vp->dir))
		return -EROFS;
	return 0;
}

static int set_target(struct inode *i, const char *target)
{
	size_t len = strlen(target);
	int err = inode_reserve(i, len + 1);
	if (err)
		return err;
	memcpy(i->data, target, len + 1);
	i->size = len;
	return 0;
}

int vfs_make_node(const struct creds *c, const struct vfs_parent *vp, uint32_t mode,
		  uint64_t rdev, const char *target, struct dentry **out)
{
	struct dentry *dir = vp->dir.dentry;
	uint32_t uid, gid;
	int err;
	/* Owner and group: fsuid, fsgid or a set-group-ID directory's group. */
	cred_new_inode_owner(c, dir->inode->mode, dir->inode->gid, &mode, &uid, &gid);
	struct inode *i = tmpfs_new_inode(dir->inode->sb, mode, uid, gid, &err);
	if (!i)
		return err;
	i->rdev = rdev;
	if (target && (err = set_target(i, target))) {
		inode_put(i);
		return err;
	}
	struct dentry *d = d_alloc_link(dir, vp->name, vp->len, i);
	if (!d) {
		inode_put(i);
		return -ENOMEM;
	}
	if (S_ISDIR(mode))
		dir->inode->nlink++;
	inode_touch(dir->inode, "mc");
	*out = d;
	return 0;
}

void vfs_remove(struct dentry *victim)
{
	struct inode *dir = victim->parent->inode, *i = victim->inode;
	if (S_ISDIR(i->mode)) {
		dir->nlink--;
		i->nlink = 0;
	} else {
		i->nlink--;
	}
	inode_touch(i, "c");
	inode_touch(dir, "mc");
	d_unlink(victim);
}

int vfs_add_link(const struct vfs_parent *vp, struct inode *inode)
{
	inode_get(inode);
	struct dentry *d = d_alloc_link(vp->dir.dentry, vp->name, vp->len, inode);
	if (!d) {
		inode_put(inode);
		return -ENOMEM;
	}
	inode->nlink++;
	inode_touch(inode, "c");
	inode_touch(vp->dir.dentry->inode, "mc");
	return 0;
}
