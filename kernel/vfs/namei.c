/*
 * Path resolution, as Linux's fs/namei.c does it: absolute paths start
 * at the process root, relative ones at the cwd or a directory
 * descriptor; "." stays, ".." climbs (never above the process root, and
 * out of a mount's root to the dentry it is mounted on), mounts are
 * entered on the way down, symlinks are spliced into the path (at most
 * 40 per resolution: ELOOP), a trailing slash demands a directory, and
 * every directory passed through needs search (x) permission.
 *
 * openat2's RESOLVE_* restrictions ride along as LOOKUP_* bits in
 * nd->flags and are checked where the walk moves: entering or leaving a
 * mount (NO_XDEV), following a symlink (NO_SYMLINKS), jumping to "/" and
 * climbing ".." at the root (BENEATH); IN_ROOT only changes what the root
 * is. Nothing sleeps during a walk, so unlike Linux no rename or mount can
 * race with ".." and no retry (EAGAIN) is ever needed.
 *
 * The path still to walk lives at the end of a buffer, so a symlink's
 * target can be put in front of the rest without another copy.
 */
#include <jinux/errno.h>
#include <jinux/heap.h>
#include <jinux/string.h>
#include <kernel/process.h>
#include <uapi/fcntl.h>
#include "vfs_internal.h"

struct nameidata {
	char buf[VFS_PATH_MAX];
	size_t pos;               /* the rest of the path is buf[pos..] */
	unsigned links;
	struct path cur;          /* referenced */
	struct path root;         /* referenced */
	const struct creds *cred;
	unsigned flags;           /* LOOKUP_* restrictions (openat2's RESOLVE_*) */
	/* The last component, once nd_walk() stopped before it. */
	char last[VFS_NAME_MAX + 1];
	size_t last_len;
	enum last_type last_type;
	bool slash;
};

static void nd_set(struct nameidata *nd, struct mount *mnt, struct dentry *d)
{
	struct path old = nd->cur;
	nd->cur.mnt = mnt;
	nd->cur.dentry = d;
	path_get(&nd->cur);
	path_put(&old);
}

static void nd_free(struct nameidata *nd)
{
	path_put(&nd->cur);
	path_put(&nd->root);
	kfree(nd);
}

int fd_path(struct process *p, int fd, const struct path **out)
{
	struct file *f = p ? fd_get(p->fds, fd) : NULL;
	if (!f)
		return -EBADF;
	*out = vfs_file_path(f);
	return *out ? 0 : -ENOTDIR;
}

/* Where a relative path starts: the cwd or @dirfd's directory. */
static int nd_start_dir(struct nameidata *nd, struct process *p, int dirfd, bool empty)
{
	struct fs_context *fs = process_fs(p);
	if (dirfd == AT_FDCWD) {
		nd->cur = fs->cwd;
		path_get(&nd->cur);
		return 0;
	}
	const struct path *dp;
	int err = fd_path(p, dirfd, &dp);
	if (err)
		return err;
	/* AT_EMPTY_PATH may name any file; otherwise it must be a directory. */
	if (!empty && !S_ISDIR(dp->dentry->inode->mode))
		return -ENOTDIR;
	nd->cur = *dp;
	path_get(&nd->cur);
	return 0;
}

/*
 * Where the walk starts and what "/" and ".." stop at: the process root,
 * or, for a scoped walk (BENEATH, IN_ROOT), the starting directory
 * itself. IN_ROOT starts an absolute path there too.
 */
static int nd_start_at(struct nameidata *nd, struct process *p, int dirfd, bool absolute,
		       bool empty)
{
	struct fs_context *fs = process_fs(p);
	if (absolute && !(nd->flags & LOOKUP_IN_ROOT)) {
		nd->root = fs->root;
		path_get(&nd->root);
		nd->cur = nd->root;
		path_get(&nd->cur);
		return 0;
	}
	int err = nd_start_dir(nd, p, dirfd, empty);
	if (err)
		return err;
	nd->root = (nd->flags & LOOKUP_SCOPED) ? nd->cur : fs->root;
	path_get(&nd->root);
	return 0;
}

static struct nameidata *nd_start(struct process *p, int dirfd, const char *path,
				  unsigned flags, int *errp)
{
	size_t len = strnlen(path, VFS_PATH_MAX);
	int err = -ENAMETOOLONG;
	if (len >= VFS_PATH_MAX)
		goto fail;
	err = -ENOENT;
	if (len == 0 && !(flags & LOOKUP_EMPTY))
		goto fail;
	/* Linux refuses this before it even looks at the dirfd. */
	err = -EXDEV;
	if (path[0] == '/' && (flags & LOOKUP_BENEATH))
		goto fail;
	err = -ENOMEM;
	struct nameidata *nd = process_fs(p) ? kmalloc(sizeof(*nd)) : NULL;
	if (!nd)
		goto fail;
	nd->root.mnt = NULL;
	nd->cur.mnt = NULL;
	nd->cred = vfs_creds(p);
	nd->flags = flags & LOOKUP_RESOLVE;
	nd->links = 0;
	nd->pos = VFS_PATH_MAX - 1 - len;
	memcpy(nd->buf + nd->pos, path, len + 1);
	err = nd_start_at(nd, p, dirfd, path[0] == '/', len == 0);
	if (err) {
		nd_free(nd);
		goto fail;
	}
	return nd;
fail:
	*errp = err;
	return NULL;
}

/* Enter whatever is mounted on (@mnt, @d), repeatedly. */
static void follow_mounts(struct mount **mnt, struct dentry **d)
{
	struct mount *m;
	while ((m = mnt_lookup_child(*mnt, *d))) {
		*mnt = m;
		*d = m->root;
	}
}

/*
 * Move to (@mnt, @d), then into whatever is mounted there. Entering a
 * mount is the crossing RESOLVE_NO_XDEV forbids.
 */
static int nd_step_to(struct nameidata *nd, struct mount *mnt, struct dentry *d)
{
	struct mount *top = mnt;
	follow_mounts(&top, &d);
	if (top != mnt && (nd->flags & LOOKUP_NO_XDEV))
		return -EXDEV;
	nd_set(nd, top, d);
	return 0;
}

/*
 * "..": Linux's follow_dotdot. At the root it stays, except that under
 * RESOLVE_BENEATH that would mean leaving the dirfd (EXDEV); climbing
 * out of a mount is a crossing for RESOLVE_NO_XDEV.
 */
static int step_dotdot(struct nameidata *nd)
{
	struct mount *mnt = nd->cur.mnt;
	struct dentry *d = nd->cur.dentry;
	for (;;) {
		if (mnt == nd->root.mnt && d == nd->root.dentry) {
			if (nd->flags & LOOKUP_BENEATH)
				return -EXDEV;
			break;
		}
		if (d != mnt->root) {
			d = d->parent;
			break;
		}
		if (!mnt->parent)
			break;
		if (nd->flags & LOOKUP_NO_XDEV)
			return -EXDEV;
		d = mnt->mountpoint;
		mnt = mnt->parent;
	}
	return nd_step_to(nd, mnt, d);
}

/*
 * A leading "/" (of the path or of a symlink's target) restarts at the
 * root: never beneath the dirfd, and a mount crossing unless the walk is
 * already on the root's mount. (Linux gives EXDEV for an absolute symlink
 * under NO_XDEV whenever its lazily set root is still unset, even on the
 * same mount; we only refuse real crossings.)
 */
static int nd_jump_root(struct nameidata *nd)
{
	if (nd->flags & LOOKUP_BENEATH)
		return -EXDEV;
	if ((nd->flags & LOOKUP_NO_XDEV) && nd->cur.mnt != nd->root.mnt)
		return -EXDEV;
	nd_set(nd, nd->root.mnt, nd->root.dentry);
	return 0;
}

/*
 * Put symlink @link's target in front of the rest of the path. The link
 * was named with a trailing slash if @slash, which still demands a
 * directory after the target.
 */
static int splice_link(struct nameidata *nd, const struct inode *link, bool slash)
{
	size_t tlen = link->size, rest = VFS_PATH_MAX - 1 - nd->pos;
	size_t sep = rest || slash ? 1 : 0;
	/*
	 * RESOLVE_NO_MAGICLINKS is not refused yet: procfs's links
	 * (/proc/self/fd/N ...) hold a path name and are followed as
	 * ordinary symlinks.
	 */
	if (nd->flags & LOOKUP_NO_SYMLINKS)
		return -ELOOP;
	if (++nd->links > VFS_MAX_SYMLINKS)
		return -ELOOP;
	if (tlen == 0)
		return -ENOENT;
	if (tlen + sep > nd->pos)
		return -ENAMETOOLONG;
	/* With a trailing slash the rest is empty: the '/' goes after the target. */
	nd->pos -= tlen + sep;
	memcpy(nd->buf + nd->pos, link->data, tlen);
	if (sep)
		nd->buf[nd->pos + tlen] = '/';
	return 0;
}

static bool is_dir(const struct path *p)
{
	return S_ISDIR(p->dentry->inode->mode);
}

/* May the walk look names up in the current directory? */
static int may_search(struct nameidata *nd)
{
	if (!is_dir(&nd->cur))
		return -ENOTDIR;
	return vfs_permission(nd->cred, nd->cur.dentry->inode, MAY_EXEC);
}

/*
 * Step to child @name of the current directory; a symlink is spliced in
 * instead when @follow. Return: 0 (moved or spliced), -ENOENT ...
 */
static int step_child(struct nameidata *nd, const char *name, size_t len, bool follow,
		      bool slash)
{
	int err = d_synth_lookup(nd->cur.dentry, name, len);
	if (err)
		return err;
	struct dentry *d = d_lookup(nd->cur.dentry, name, len);
	if (!d)
		return -ENOENT;
	if (S_ISLNK(d->inode->mode) && follow)
		return splice_link(nd, d->inode, slash);
	return nd_step_to(nd, nd->cur.mnt, d);
}

static enum last_type name_type(const char *name, size_t len)
{
	if (len == 1 && name[0] == '.')
		return LAST_DOT;
	if (len == 2 && name[0] == '.' && name[1] == '.')
		return LAST_DOTDOT;
	return LAST_NORM;
}

/*
 * Walk every component but the last, which is left in nd->last (an empty
 * last, LAST_ROOT, for "/" or "" with AT_EMPTY_PATH).
 */
static int nd_walk(struct nameidata *nd)
{
	char *b = nd->buf;
	for (;;) {
		bool rooted = false;
		if (b[nd->pos] == '/') {
			int err = nd_jump_root(nd);
			if (err)
				return err;
			while (b[nd->pos] == '/')
				nd->pos++;
			rooted = true;
		}
		const char *comp = b + nd->pos;
		size_t len = 0;
		while (comp[len] && comp[len] != '/')
			len++;
		if (len == 0) {
			nd->last_len = 0;
			nd->last_type = LAST_ROOT;
			nd->slash = rooted;
			return 0;
		}
		if (len > VFS_NAME_MAX)
			return -ENAMETOOLONG;
		nd->pos += len;
		bool slash = b[nd->pos] == '/';
		while (b[nd->pos] == '/')
			nd->pos++;
		if (b[nd->pos] == '\0') {
			memcpy(nd->last, comp, len);
			nd->last[len] = '\0';
			nd->last_len = len;
			nd->last_type = name_type(comp, len);
			nd->slash = slash;
			return 0;
		}
		int err = may_search(nd);
		if (err)
			return err;
		enum last_type type = name_type(comp, len);
		if (type == LAST_DOTDOT)
			err = step_dotdot(nd);
		else if (type == LAST_NORM)
			err = step_child(nd, comp, len, true, true);
		if (err)
			return err;
	}
}

/*
 * Resolve the last component, following a final symlink if @follow (a
 * trailing slash always follows), and walking on through its target.
 */
static int nd_last(struct nameidata *nd, bool follow)
{
	for (;;) {
		int err;
		if (nd->last_type == LAST_ROOT)
			return 0;
		if ((err = may_search(nd)))
			return err;
		if (nd->last_type == LAST_DOT)
			return 0;
		if (nd->last_type == LAST_DOTDOT)
			return step_dotdot(nd);
		size_t before = nd->pos;
		err = step_child(nd, nd->last, nd->last_len, follow || nd->slash, nd->slash);
		if (err)
			return err;
		if (nd->pos == before)
			return 0;          /* moved onto the child */
		if ((err = nd_walk(nd)))
			return err;
	}
}

/* The result's checks: a trailing slash or LOOKUP_DIRECTORY wants a directory. */
static int nd_finish(struct nameidata *nd, unsigned flags, struct path *out)
{
	if ((nd->slash || (flags & LOOKUP_DIRECTORY)) && !is_dir(&nd->cur))
		return -ENOTDIR;
	*out = nd->cur;
	nd->cur.mnt = NULL;
	return 0;
}

int vfs_lookup(struct process *p, int dirfd, const char *path, unsigned flags,
	       struct path *out)
{
	int err;
	struct nameidata *nd = nd_start(p, dirfd, path, flags, &err);
	if (!nd)
		return err;
	err = nd_walk(nd);
	if (!err)
		err = nd_last(nd, flags & LOOKUP_FOLLOW);
	if (!err) {
		/* A symlink named with a trailing slash was followed: check the result. */
		err = nd_finish(nd, flags, out);
	}
	nd_free(nd);
	return err;
}

int vfs_lookup_parent(struct process *p, int dirfd, const char *path, struct vfs_parent *out)
{
	int err;
	struct nameidata *nd = nd_start(p, dirfd, path, 0, &err);
	if (!nd)
		return err;
	err = nd_walk(nd);
	/* Linux checks search permission before looking at the last name too. */
	if (!err && nd->last_type != LAST_ROOT)
		err = may_search(nd);
	if (!err && !is_dir(&nd->cur))
		err = -ENOTDIR;
	if (!err) {
		out->dir = nd->cur;
		nd->cur.mnt = NULL;
		memcpy(out->name, nd->last, nd->last_len + 1);
		out->len = nd->last_len;
		out->type = nd->last_type;
		out->slash = nd->slash;
		if (out->type == LAST_ROOT)
			out->name[0] = '\0';
	}
	nd_free(nd);
	return err;
}

void vfs_parent_put(struct vfs_parent *vp)
{
	path_put(&vp->dir);
}

/* O_CREAT on a name that does not exist: a new regular file. */
static int open_create(struct nameidata *nd, struct process *p, uint32_t mode)
{
	struct vfs_parent vp = { .dir = nd->cur, .len = nd->last_len, .type = LAST_NORM };
	memcpy(vp.name, nd->last, nd->last_len + 1);
	int err = vfs_may_create(nd->cred, &vp);
	if (err)
		return err;
	uint32_t umask = process_fs(p)->umask;
	struct dentry *d;
	err = vfs_make_node(nd->cred, &vp, S_IFREG | (mode & 07777 & ~umask), 0, NULL, &d);
	if (!err)
		nd_set(nd, nd->cur.mnt, d);
	return err;
}

/* The O_CREAT walk: create the last name, or open it, or follow it. */
static int open_last_creat(struct nameidata *nd, struct process *p, unsigned oflags,
			   uint32_t mode, bool *created)
{
	for (;;) {
		int err;
		/* A final ".." is still walked: under RESOLVE_BENEATH it may be EXDEV. */
		if (nd->last_type == LAST_DOTDOT && (err = step_dotdot(nd)))
			return err;
		/* Linux refuses a trailing slash with O_CREAT before looking. */
		if (nd->last_type != LAST_NORM || nd->slash)
			return -EISDIR;
		if ((err = may_search(nd)))
			return err;
		if ((err = d_synth_lookup(nd->cur.dentry, nd->last, nd->last_len)))
			return err;
		struct dentry *d = d_lookup(nd->cur.dentry, nd->last, nd->last_len);
		if (!d) {
			*created = true;
			return open_create(nd, p, mode);
		}
		if (oflags & O_EXCL)
			return -EEXIST;
		if (S_ISLNK(d->inode->mode)) {
			if (oflags & O_NOFOLLOW)
				return -ELOOP;
			if ((err = splice_link(nd, d->inode, nd->slash)))
				return err;
			if ((err = nd_walk(nd)))
				return err;
			continue;
		}
		if ((err = nd_step_to(nd, nd->cur.mnt, d)))
			return err;
		return is_dir(&nd->cur) ? -EISDIR : 0;
	}
}

int vfs_open_lookup(struct process *p, int dirfd, const char *path, unsigned oflags,
		    uint32_t mode, unsigned resolve, struct path *out, bool *created)
{
	int err;
	*created = false;
	struct nameidata *nd = nd_start(p, dirfd, path, resolve & LOOKUP_RESOLVE, &err);
	if (!nd)
		return err;
	err = nd_walk(nd);
	if (err)
		goto out;
	if ((oflags & O_CREAT) && !(oflags & O_PATH)) {
		err = open_last_creat(nd, p, oflags, mode, created);
	} else {
		err = nd_last(nd, !(oflags & O_NOFOLLOW));
		if (!err && S_ISLNK(nd->cur.dentry->inode->mode) && !(oflags & O_PATH))
			err = -ELOOP;
	}
	if (!err)
		err = nd_finish(nd, (oflags & O_DIRECTORY) ? LOOKUP_DIRECTORY : 0, out);
out:
	nd_free(nd);
	return err;
}

int vfs_lookup_exec(struct process *p, int dirfd, const char *path, unsigned at_flags,
		    struct inode **out, unsigned *mnt_flags)
{
	unsigned flags = (at_flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW;
	if (at_flags & AT_EMPTY_PATH)
		flags |= LOOKUP_EMPTY;
	struct path res;
	int err = vfs_lookup(p, dirfd, path, flags, &res);
	if (err)
		return err;
	struct inode *i = res.dentry->inode;
	if (S_ISLNK(i->mode))
		err = -ELOOP;
	else if (!S_ISREG(i->mode) || (res.mnt->flags & MS_NOEXEC))
		err = -EACCES;
	else
		err = vfs_permission(vfs_creds(p), i, MAY_EXEC);
	/* kernel/exec reads the image from one buffer: copy the pages into it. */
	if (!err && !inode_exec_bytes(i))
		err = -ENOMEM;
	if (!err) {
		inode_get(i);
		*out = i;
		if (mnt_flags)
			*mnt_flags = res.mnt->flags;
	}
	path_put(&res);
	return err;
}

/* Prepend the @len bytes at @s to the name being built backwards at @pos. */
static int prepend(char *buf, size_t *pos, const char *s, size_t len)
{
	if (len > *pos)
		return -ERANGE;
	*pos -= len;
	memcpy(buf + *pos, s, len);
	return 0;
}

long vfs_path_name(const struct path *where, const struct path *root, char *buf, size_t size)
{
	struct mount *mnt = where->mnt;
	struct dentry *d = where->dentry;
	if (!size)
		return -ERANGE;
	if (d_is_dead(d))
		return -ENOENT;
	size_t pos = size - 1;
	buf[pos] = '\0';
	while (!(mnt == root->mnt && d == root->dentry)) {
		if (d == mnt->root) {
			if (!mnt->parent)
				break;   /* outside the root (after chroot): as far as it goes */
			d = mnt->mountpoint;
			mnt = mnt->parent;
			continue;
		}
		if (prepend(buf, &pos, d->name, d->len) || prepend(buf, &pos, "/", 1))
			return -ERANGE;
		d = d->parent;
	}
	if (pos == size - 1 && prepend(buf, &pos, "/", 1))
		return -ERANGE;
	size_t len = size - pos;
	memmove(buf, buf + pos, len);
	return (long)len;
}
