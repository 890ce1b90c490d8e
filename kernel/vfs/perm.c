/*
 * Permission checks on inodes, through the credentials component
 * (kernel/security): mode bits with supplementary groups, and root's
 * power as capabilities.
 */
#include <jinux/errno.h>
#include <kernel/process.h>
#include <kernel/vfs.h>

/* The kernel's own lookups (boot, NULL process): init's credentials. */
const struct creds *vfs_creds(struct process *p)
{
	static struct creds kernel_creds;
	static bool ready;
	if (p)
		return &p->cred;
	if (!ready) {
		cred_init_root(&kernel_creds);
		ready = true;
	}
	return &kernel_creds;
}

bool vfs_capable(const struct creds *c, int cap)
{
	return capable(c, cap);
}

int vfs_permission(const struct creds *c, const struct inode *i, int mask)
{
	return cred_inode_permission(c, i->mode, i->uid, i->gid, mask);
}

bool vfs_is_owner(const struct creds *c, const struct inode *i)
{
	return cred_owner_or_capable(c, i->uid, CAP_FOWNER);
}

int vfs_may_delete(const struct creds *c, const struct inode *dir, const struct inode *victim)
{
	if (dir->sb->ops)
		return -EACCES;      /* a synthetic file system (procfs) */
	int err = vfs_permission(c, dir, MAY_WRITE | MAY_EXEC);
	if (err)
		return err;
	if (!cred_sticky_may_delete(c, dir->mode, dir->uid, victim->uid))
		return -EPERM;
	return 0;
}
