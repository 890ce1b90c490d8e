/*
 * The root file system at boot: a tmpfs filled from the initramfs (a
 * cpio "newc" archive), as Linux's init/initramfs.c does, then devtmpfs
 * mounted on /dev. Archive entries create missing parent directories
 * (0755), replace earlier entries of the same name, and become real hard
 * links when they share an inode number. Unusable entries are skipped
 * with a warning; only running out of memory stops the unpacking.
 */
#include <jinux/errno.h>
#include <jinux/heap.h>
#include <jinux/log.h>
#include <jinux/string.h>
#include <uapi/fcntl.h>
#include "vfs_internal.h"

static const struct creds root_creds;

/* Earlier members of hard-link groups. */
struct link_seen {
	uint32_t ino, major, minor;
	struct inode *inode;
	struct link_seen *next;
};

struct unpack {
	struct mount *mnt;
	struct link_seen *links;
};

/* Drop "/" and "./" prefixes and trailing slashes from an archive name. */
static const char *clean_name(const char *name, size_t *n)
{
	size_t len = strlen(name);
	for (;;) {
		if (len && name[0] == '/') {
			name++;
			len--;
		} else if (len >= 2 && name[0] == '.' && name[1] == '/') {
			name += 2;
			len -= 2;
		} else {
			break;
		}
	}
	while (len && name[len - 1] == '/')
		len--;
	*n = len;
	return name;
}

static void parent_init(struct vfs_parent *vp, struct mount *mnt, struct dentry *dir,
			const char *name, size_t len)
{
	vp->dir.mnt = mnt;
	vp->dir.dentry = dir;
	memcpy(vp->name, name, len);
	vp->name[len] = '\0';
	vp->len = len;
	vp->type = LAST_NORM;
	vp->slash = false;
}

/* Enter (creating it if missing) directory @name of @dir; symlinks followed. */
static int enter_dir(struct unpack *u, struct dentry **dir, const char *path, size_t upto,
		     const char *name, size_t len)
{
	struct dentry *d = d_lookup(*dir, name, len);
	if (!d) {
		struct vfs_parent vp;
		parent_init(&vp, u->mnt, *dir, name, len);
		int err = vfs_make_node(&root_creds, &vp, S_IFDIR | 0755, 0, NULL, &d);
		if (err)
			return err;
	}
	if (S_ISLNK(d->inode->mode)) {
		/* Resolve the prefix so far as a path from the root. */
		char *buf = kmalloc(upto + 2);
		if (!buf)
			return -ENOMEM;
		buf[0] = '/';
		memcpy(buf + 1, path, upto);
		buf[upto + 1] = '\0';
		struct path res;
		int err = vfs_lookup(NULL, AT_FDCWD, buf, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &res);
		kfree(buf);
		if (err)
			return err;
		d = res.dentry;
		path_put(&res);   /* still linked: the tree keeps it */
	}
	if (!S_ISDIR(d->inode->mode))
		return -ENOTDIR;
	*dir = d;
	return 0;
}

/* The directory that holds the last component of @path, and that component. */
static int find_parent(struct unpack *u, const char *path, size_t n, struct vfs_parent *vp)
{
	struct dentry *dir = u->mnt->root;
	size_t i = 0;
	for (;;) {
		while (i < n && path[i] == '/')
			i++;
		size_t len = 0;
		while (i + len < n && path[i + len] != '/')
			len++;
		if (len > VFS_NAME_MAX)
			return -ENAMETOOLONG;
		if (len == 2 && path[i] == '.' && path[i + 1] == '.')
			return -EINVAL;   /* no climbing about in an archive */
		if (i + len == n) {
			if (len == 0 || (len == 1 && path[i] == '.'))
				return -EINVAL;
			parent_init(vp, u->mnt, dir, path + i, len);
			return 0;
		}
		if (!(len == 1 && path[i] == '.')) {
			int err = enter_dir(u, &dir, path, i + len, path + i, len);
			if (err)
				return err;
		}
		i += len;
	}
}

static bool type_known(uint32_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFDIR: case S_IFREG: case S_IFLNK: case S_IFCHR:
	case S_IFBLK: case S_IFIFO: case S_IFSOCK:
		return true;
	}
	return false;
}

static void set_meta(struct inode *i, const struct cpio_record *e)
{
	i->mode = e->mode & (S_IFMT | 07777);
	i->uid = e->uid;
	i->gid = e->gid;
	i->mtime.tv_sec = e->mtime;
	i->mtime.tv_nsec = 0;
	i->atime = i->ctime = i->mtime;
}

static int set_data(struct inode *i, const struct cpio_record *e)
{
	if (!e->filesize)
		return 0;
	/* A later entry for the same inode replaces the bytes. */
	int err = inode_set_size(i, 0);
	ssize_t n = err ? err : inode_write(i, 0, e->data, e->filesize);
	if (n < 0)
		return (int)n;
	return (size_t)n == e->filesize ? 0 : -ENOSPC;
}

/* The symlink target: the data up to a NUL, which must not be empty. */
static int link_target(const struct cpio_record *e, char **out)
{
	size_t len = e->data ? strnlen((const char *)e->data, e->filesize) : 0;
	if (len == 0 || len >= VFS_PATH_MAX)
		return -EINVAL;
	*out = kmalloc(len + 1);
	if (!*out)
		return -ENOMEM;
	memcpy(*out, e->data, len);
	(*out)[len] = '\0';
	return 0;
}

/* A member of a hard-link group seen before: link to it. */
static struct link_seen *link_find(struct unpack *u, const struct cpio_record *e)
{
	for (struct link_seen *l = u->links; l; l = l->next)
		if (l->ino == e->ino && l->major == e->devmajor && l->minor == e->devminor)
			return l;
	return NULL;
}

static int link_remember(struct unpack *u, const struct cpio_record *e, struct inode *i)
{
	struct link_seen *l = kmalloc(sizeof(*l));
	if (!l)
		return -ENOMEM;
	*l = (struct link_seen){ e->ino, e->devmajor, e->devminor, i, u->links };
	inode_get(i);
	u->links = l;
	return 0;
}

/* Replace an existing name: an empty directory or a non-directory goes. */
static int clear_old(struct vfs_parent *vp, const struct cpio_record *e, struct dentry **keep)
{
	struct dentry *old = d_lookup(vp->dir.dentry, vp->name, vp->len);
	*keep = NULL;
	if (!old)
		return 0;
	if (S_ISDIR(old->inode->mode) && S_ISDIR(e->mode)) {
		*keep = old;
		return 0;
	}
	if (S_ISDIR(old->inode->mode) && !d_is_empty_dir(old))
		return -ENOTEMPTY;
	vfs_remove(old);
	return 0;
}

static int add_entry(struct unpack *u, const struct cpio_record *e, struct vfs_parent *vp)
{
	struct dentry *d;
	int err = clear_old(vp, e, &d);
	if (err || d) {
		if (d)
			set_meta(d->inode, e);
		return err;
	}
	struct link_seen *l = S_ISREG(e->mode) && e->nlink > 1 ? link_find(u, e) : NULL;
	if (l) {
		if ((err = vfs_add_link(vp, l->inode)))
			return err;
		return set_data(l->inode, e);
	}
	char *target = NULL;
	if (S_ISLNK(e->mode) && (err = link_target(e, &target)))
		return err;
	uint64_t rdev = LINUX_MKDEV(e->rdevmajor, e->rdevminor);
	err = vfs_make_node(&root_creds, vp, e->mode & (S_IFMT | 07777), rdev, target, &d);
	kfree(target);
	if (err)
		return err;
	set_meta(d->inode, e);
	if (S_ISREG(e->mode) && (err = set_data(d->inode, e)))
		return err;
	if (S_ISREG(e->mode) && e->nlink > 1)
		return link_remember(u, e, d->inode);
	return 0;
}

static int unpack_one(const struct cpio_record *e, void *arg)
{
	struct unpack *u = arg;
	size_t n;
	const char *path = clean_name(e->name, &n);
	if (n == 0 || (n == 1 && path[0] == '.'))
		return 0;
	int err = -EINVAL;
	struct vfs_parent vp;
	if (type_known(e->mode))
		err = find_parent(u, path, n, &vp);
	if (!err)
		err = add_entry(u, e, &vp);
	if (err == -ENOMEM)
		return err;
	if (err)
		pr_warn("initramfs: %s: skipped (error %d)", e->name, err);
	return 0;
}

int vfs_unpack_cpio(struct mount *mnt, const void *data, size_t len)
{
	struct unpack u = { mnt, NULL };
	int err = cpio_for_each(data, len, unpack_one, &u);
	while (u.links) {
		struct link_seen *l = u.links;
		u.links = l->next;
		inode_put(l->inode);
		kfree(l);
	}
	return err;
}

/* devtmpfs on /dev (made if the archive has none). */
static int mount_devfs(struct mount *root)
{
	struct dentry *dev = d_lookup(root->root, "dev", 3);
	if (!dev) {
		struct vfs_parent vp;
		parent_init(&vp, root, root->root, "dev", 3);
		int err = vfs_make_node(&root_creds, &vp, S_IFDIR | 0755, 0, NULL, &dev);
		if (err)
			return err;
	}
	if (!S_ISDIR(dev->inode->mode))
		return -ENOTDIR;
	struct super_block *sb = tmpfs_create_sb("devtmpfs", 0, 0, 0755);
	if (!sb)
		return -ENOMEM;
	struct path mp = { root, dev };
	struct mount *m;
	int err = mount_attach(sb, sb->root, &mp, MS_NOSUID, &m);
	sb_put(sb);
	if (err)
		return err;
	struct path devroot = { m, m->root };
	return devfs_populate(&devroot);
}

int vfs_mount_root_from_cpio(const void *data, size_t len)
{
	struct super_block *sb = tmpfs_create_sb("rootfs", 0, 0, 0755);
	if (!sb)
		return -ENOMEM;
	int err = mount_set_root(sb);
	sb_put(sb);
	if (err)
		return err;
	err = vfs_unpack_cpio(vfs_root_mount(), data, len);
	int derr = mount_devfs(vfs_root_mount());
	if (derr)
		pr_err("vfs: cannot mount /dev (%d)", derr);
	if (!derr)
		derr = mount_make_internal();
	return err ? err : derr;
}
