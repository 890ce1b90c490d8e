/*
 * rename, renameat, renameat2 (RENAME_NOREPLACE, RENAME_EXCHANGE): every
 * rule of Linux's vfs_rename is checked before the tree changes.
 */
#include <jinux/errno.h>
#include <jinux/heap.h>
#include <kernel/syscall.h>
#include <uapi/fcntl.h>
#include "../vfs/vfs_internal.h"
#include "sys_fs.h"

struct rename_req {
	struct vfs_parent from, to;
	struct dentry *old, *victim;   /* victim: what @to names now, or NULL */
	unsigned flags;
};

static bool is_dir(const struct dentry *d)
{
	return S_ISDIR(d->inode->mode);
}

/* Is @d @anc or below it? */
static bool is_below(const struct dentry *d, const struct dentry *anc)
{
	for (;;) {
		if (d == anc)
			return true;
		if (d->parent == d)
			return false;
		d = d->parent;
	}
}

/* The names: kinds, existence, and what the flags demand of them. */
static long check_names(struct rename_req *r)
{
	if (r->from.type != LAST_NORM)
		return -EBUSY;
	if (r->to.type != LAST_NORM)
		return (r->flags & RENAME_NOREPLACE) ? -EEXIST : -EBUSY;
	if (r->from.dir.mnt != r->to.dir.mnt)
		return -EXDEV;
	r->old = d_lookup(r->from.dir.dentry, r->from.name, r->from.len);
	if (!r->old)
		return -ENOENT;
	r->victim = d_lookup(r->to.dir.dentry, r->to.name, r->to.len);
	if ((r->flags & RENAME_EXCHANGE) && !r->victim)
		return -ENOENT;
	if ((r->flags & RENAME_NOREPLACE) && r->victim)
		return -EEXIST;
	if (!is_dir(r->old) && (r->from.slash || (r->to.slash && !r->victim)))
		return -ENOTDIR;
	if (r->to.slash && r->victim && !is_dir(r->victim))
		return -ENOTDIR;
	return 0;
}

/* Directories: types must match, a replaced one must be empty, no loops. */
static long check_dirs(struct rename_req *r)
{
	struct dentry *old = r->old, *victim = r->victim;
	bool exchange = r->flags & RENAME_EXCHANGE;
	if (victim && !exchange) {
		if (is_dir(old) && !is_dir(victim))
			return -ENOTDIR;
		if (!is_dir(old) && is_dir(victim))
			return -EISDIR;
		if (is_dir(victim) && !d_is_empty_dir(victim))
			return -ENOTEMPTY;
	}
	if (is_dir(old) && is_below(r->to.dir.dentry, old))
		return -EINVAL;
	if (exchange && is_dir(victim) && is_below(r->from.dir.dentry, victim))
		return -EINVAL;
	if (old->mounted || (victim && victim->mounted) || old == r->from.dir.mnt->root)
		return -EBUSY;
	return 0;
}

static long check_perms(struct thread *t, struct rename_req *r)
{
	const struct creds *c = fs_cred(t);
	struct inode *odir = r->from.dir.dentry->inode, *ndir = r->to.dir.dentry->inode;
	long err = vfs_may_delete(c, odir, r->old->inode);
	if (!err)
		err = r->victim ? vfs_may_delete(c, ndir, r->victim->inode)
				: vfs_permission(c, ndir, MAY_WRITE | MAY_EXEC);
	/* A directory changing parent rewrites its "..": it must be writable. */
	if (!err && odir != ndir && is_dir(r->old))
		err = vfs_permission(c, r->old->inode, MAY_WRITE);
	if (!err && odir != ndir && r->victim && (r->flags & RENAME_EXCHANGE) &&
	    is_dir(r->victim))
		err = vfs_permission(c, r->victim->inode, MAY_WRITE);
	if (!err && path_rdonly(&r->from.dir))
		err = -EROFS;
	if (!err && (d_is_dead(r->to.dir.dentry)))
		err = -ENOENT;
	return err;
}

/* Moving a directory between parents moves one ".." link. */
static void move_dir_link(struct dentry *d, struct dentry *from, struct dentry *to)
{
	if (is_dir(d) && from != to) {
		from->inode->nlink--;
		to->inode->nlink++;
	}
}

static long perform(struct rename_req *r)
{
	struct dentry *odir = r->from.dir.dentry, *ndir = r->to.dir.dentry;
	struct dentry *old = r->old, *victim = r->victim;
	long err;
	if (r->flags & RENAME_EXCHANGE) {
		dget(victim);
		err = d_move(old, ndir, r->to.name, r->to.len);
		if (!err && (err = d_move(victim, odir, r->from.name, r->from.len)))
			d_move(old, odir, r->from.name, r->from.len);
		if (!err) {
			move_dir_link(old, odir, ndir);
			move_dir_link(victim, ndir, odir);
			inode_touch(victim->inode, "c");
		}
		dput(victim);
	} else {
		/* Move first (it may fail), then drop what the name held. */
		if ((err = d_move(old, ndir, r->to.name, r->to.len)))
			return err;
		move_dir_link(old, odir, ndir);
		if (victim)
			vfs_remove(victim);
	}
	if (!err) {
		inode_touch(old->inode, "c");
		inode_touch(odir->inode, "mc");
		inode_touch(ndir->inode, "mc");
	}
	return err;
}

static long do_rename(struct thread *t, int olddfd, uint64_t uold, int newdfd, uint64_t unew,
		      unsigned flags)
{
	if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT))
		return -EINVAL;
	if ((flags & RENAME_WHITEOUT) ||
	    ((flags & RENAME_NOREPLACE) && (flags & RENAME_EXCHANGE)))
		return -EINVAL;
	struct rename_req r = { .flags = flags };
	long err = fs_get_parent(t, olddfd, uold, &r.from);
	if (err)
		return err;
	err = fs_get_parent(t, newdfd, unew, &r.to);
	if (err)
		goto out_from;
	err = check_names(&r);
	/* The same file under both names: nothing to do (POSIX). */
	if (!err && r.victim && r.victim->inode == r.old->inode)
		goto out;
	if (!err)
		err = check_dirs(&r);
	if (!err)
		err = check_perms(t, &r);
	if (!err)
		err = perform(&r);
out:
	vfs_parent_put(&r.to);
out_from:
	vfs_parent_put(&r.from);
	return err;
}

long sys_rename(struct thread *t, const uint64_t a[6])
{
	return do_rename(t, AT_FDCWD, a[0], AT_FDCWD, a[1], 0);
}

long sys_renameat(struct thread *t, const uint64_t a[6])
{
	return do_rename(t, (int)a[0], a[1], (int)a[2], a[3], 0);
}

long sys_renameat2(struct thread *t, const uint64_t a[6])
{
	return do_rename(t, (int)a[0], a[1], (int)a[2], a[3], (unsigned)a[4]);
}
