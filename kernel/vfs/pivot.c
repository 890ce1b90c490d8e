/*
 * pivot_root(2): the caller's root mount is replaced by the mount at
 * new_root and goes below it, at put_old. As Linux, every process whose
 * root or cwd was the old root moves along to the new one, and the
 * absolute root (the initramfs, which has no parent) cannot be pivoted:
 * EINVAL, so boot code uses switch_root; chroot into a mount first.
 */
#include <jinux/errno.h>
#include <kernel/process.h>
#include "vfs_internal.h"

/* Is @m @top or mounted (at any depth) below it? */
static bool mount_under(const struct mount *m, const struct mount *top)
{
	for (; m; m = m->parent)
		if (m == top)
			return true;
	return false;
}

struct pivot_move {
	struct path from, to;
};

static void move_path(struct path *p, const struct pivot_move *mv)
{
	if (p->mnt != mv->from.mnt || p->dentry != mv->from.dentry)
		return;
	path_put(p);
	*p = mv->to;
	path_get(p);
}

static void move_fs(struct fs_context *fs, const struct pivot_move *mv)
{
	if (!fs)
		return;
	move_path(&fs->root, mv);
	move_path(&fs->cwd, mv);
}

static void move_process(struct process *p, void *arg)
{
	move_fs(process_fs(p), arg);
}

static int pivot_check(const struct path *root, const struct path *new_root,
		       const struct path *put_old)
{
	if (!S_ISDIR(new_root->dentry->inode->mode) || !S_ISDIR(put_old->dentry->inode->mode))
		return -ENOTDIR;
	if (d_is_dead(new_root->dentry) || d_is_dead(put_old->dentry))
		return -ENOENT;
	if (!new_root->mnt->attached || !root->mnt->attached)
		return -EINVAL;
	if (new_root->mnt == root->mnt || put_old->mnt == root->mnt)
		return -EBUSY;
	if (root->dentry != root->mnt->root || !root->mnt->parent)
		return -EINVAL;     /* the root is not a mount, or the absolute root */
	if (new_root->dentry != new_root->mnt->root)
		return -EINVAL;     /* new_root is not a mount point */
	if (!mount_under(put_old->mnt, new_root->mnt))
		return -EINVAL;     /* put_old is not at or under new_root */
	if (!mount_under(new_root->mnt, root->mnt))
		return -EINVAL;     /* new_root is outside the caller's root */
	return 0;
}

int vfs_pivot_root(struct process *p, const struct path *new_root, const struct path *put_old)
{
	struct fs_context *fs = process_fs(p);
	int err = pivot_check(&fs->root, new_root, put_old);
	if (err)
		return err;
	struct pivot_move mv = { fs->root, { new_root->mnt, new_root->mnt->root } };
	path_get(&mv.from);
	path_get(&mv.to);
	mount_pivot(fs->root.mnt, new_root->mnt, put_old);
	process_for_each(move_process, &mv);
	move_fs(process_fs(NULL), &mv);
	path_put(&mv.from);
	path_put(&mv.to);
	return 0;
}
