/*
 * O_TMPFILE: an unnamed regular file on the file system of a directory,
 * as Linux's vfs_tmpfile(). It starts with no links and lives as long as
 * it is open; unless O_EXCL was given, linkat(fd, "", dir, name,
 * AT_EMPTY_PATH) may give it a name later (Linux's I_LINKABLE).
 */
#include <jinux/errno.h>
#include <jinux/log.h>
#include <kernel/process.h>
#include <uapi/fcntl.h>
#include "vfs_internal.h"

/* The checks on the directory: write and search permission, not read-only. */
static int may_tmpfile(const struct creds *c, const struct path *dir)
{
	if (d_is_dead(dir->dentry))
		return -ENOENT;
	int err = vfs_permission(c, dir->dentry->inode, MAY_WRITE | MAY_EXEC);
	if (err)
		return err;
	return path_rdonly(dir) ? -EROFS : 0;
}

int vfs_open_tmpfile(struct process *p, int dirfd, const char *path, unsigned oflags,
		     uint32_t mode, unsigned resolve, struct file **out)
{
	unsigned acc = oflags & O_ACCMODE;
	if ((oflags & O_CREAT) || (acc != O_WRONLY && acc != O_RDWR))
		return -EINVAL;
	struct path dir;
	unsigned lookup = LOOKUP_FOLLOW | LOOKUP_DIRECTORY | (resolve & LOOKUP_RESOLVE);
	int err = vfs_lookup(p, dirfd, path, lookup, &dir);
	if (err)
		return err;
	const struct creds *c = vfs_creds(p);
	if ((err = may_tmpfile(c, &dir)))
		goto out;
	struct inode *di = dir.dentry->inode;
	uint32_t uid, gid, imode = S_IFREG | (mode & 07777 & ~process_fs(p)->umask);
	cred_new_inode_owner(c, di->mode, di->gid, &imode, &uid, &gid);
	struct inode *i = tmpfs_new_inode(di->sb, imode, uid, gid, &err);
	if (!i)
		goto out;
	char name[32];
	ksnprintf(name, sizeof(name), "#%llu", (unsigned long long)i->ino);
	struct dentry *d = d_alloc_anon(i, name);
	if (!d) {
		inode_put(i);
		err = -ENOMEM;
		goto out;
	}
	i->nlink = 0;
	i->linkable = !(oflags & O_EXCL);
	struct path tmp = { dir.mnt, d };
	err = vfs_open(p, &tmp, oflags & ~O_TMPFILE, true, out);
	dput(d);
out:
	path_put(&dir);
	return err;
}
