/*
 * Looking at files: stat, lstat, fstat, newfstatat, statx, statfs,
 * fstatfs, access, faccessat, faccessat2, readlink, readlinkat.
 */
#include <jinux/errno.h>
#include <jinux/heap.h>
#include <jinux/string.h>
#include <jinux/uaccess.h>
#include <kernel/pipe.h>
#include <kernel/syscall.h>
#include <uapi/fcntl.h>
#include "sys_fs.h"

/* struct stat of a descriptor that is no VFS file: a pipe or the console. */
static void anon_stat(const struct file *f, struct linux_stat *st)
{
	*st = (struct linux_stat){ 0 };
	st->st_blksize = PAGE_SIZE;
	st->st_nlink = 1;
	if (file_is_pipe(f)) {
		st->st_mode = S_IFIFO | 0600;
	} else {
		st->st_mode = S_IFCHR | 0600;          /* the console, 5:1 */
		st->st_rdev = LINUX_MKDEV(5, 1);
	}
}

/* The inode behind @fd, or, for a pipe or the console, a made-up stat. */
static long fd_stat(struct thread *t, int fd, struct linux_stat *st)
{
	struct file *f = fd_get(t->proc->fds, fd);
	if (!f)
		return -EBADF;
	const struct path *p = vfs_file_path(f);
	if (p)
		vfs_fill_stat(p->dentry->inode, st);
	else
		anon_stat(f, st);
	return 0;
}

/* stat of @path from @dirfd with LOOKUP_* @flags; "" + LOOKUP_EMPTY is @dirfd itself. */
static long path_stat(struct thread *t, int dirfd, uint64_t upath, unsigned flags,
		      struct linux_stat *st)
{
	char *name;
	long err = fs_getname(t, upath, &name);
	if (err)
		return err;
	if (!name[0] && (flags & LOOKUP_EMPTY) && dirfd != AT_FDCWD) {
		kfree(name);
		return fd_stat(t, dirfd, st);
	}
	struct path p;
	err = vfs_lookup(t->proc, dirfd, name, flags, &p);
	kfree(name);
	if (err)
		return err;
	vfs_fill_stat(p.dentry->inode, st);
	path_put(&p);
	return 0;
}

static long put_stat(struct thread *t, long err, const struct linux_stat *st, uint64_t ubuf)
{
	if (err)
		return err;
	return copy_to_user(t->proc->mm->vs, user_ptr(ubuf), st, sizeof(*st)) ? -EFAULT : 0;
}

long sys_stat(struct thread *t, const uint64_t a[6])
{
	struct linux_stat st;
	return put_stat(t, path_stat(t, AT_FDCWD, a[0], LOOKUP_FOLLOW, &st), &st, a[1]);
}

long sys_lstat(struct thread *t, const uint64_t a[6])
{
	struct linux_stat st;
	return put_stat(t, path_stat(t, AT_FDCWD, a[0], 0, &st), &st, a[1]);
}

long sys_fstat(struct thread *t, const uint64_t a[6])
{
	struct linux_stat st;
	return put_stat(t, fd_stat(t, (int)a[0], &st), &st, a[1]);
}

#define STAT_AT_FLAGS (AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT)

long sys_newfstatat(struct thread *t, const uint64_t a[6])
{
	unsigned at = (unsigned)a[3];
	if (at & ~STAT_AT_FLAGS)
		return -EINVAL;
	struct linux_stat st;
	long err = path_stat(t, (int)a[0], a[1], at_lookup_flags(at, true), &st);
	return put_stat(t, err, &st, a[2]);
}

static struct linux_statx_timestamp sx_time(struct linux_timespec ts)
{
	return (struct linux_statx_timestamp){ ts.tv_sec, (uint32_t)ts.tv_nsec, 0 };
}

static void fill_statx(const struct linux_stat *st, struct linux_statx *sx)
{
	*sx = (struct linux_statx){ 0 };
	sx->stx_mask = STATX_BASIC_STATS;
	sx->stx_blksize = (uint32_t)st->st_blksize;
	sx->stx_nlink = (uint32_t)st->st_nlink;
	sx->stx_uid = st->st_uid;
	sx->stx_gid = st->st_gid;
	sx->stx_mode = (uint16_t)st->st_mode;
	sx->stx_ino = st->st_ino;
	sx->stx_size = (uint64_t)st->st_size;
	sx->stx_blocks = (uint64_t)st->st_blocks;
	sx->stx_atime = sx_time(st->st_atim);
	sx->stx_mtime = sx_time(st->st_mtim);
	sx->stx_ctime = sx_time(st->st_ctim);
	sx->stx_rdev_major = LINUX_MAJOR(st->st_rdev);
	sx->stx_rdev_minor = LINUX_MINOR(st->st_rdev);
	sx->stx_dev_major = LINUX_MAJOR(st->st_dev);
	sx->stx_dev_minor = LINUX_MINOR(st->st_dev);
}

long sys_statx(struct thread *t, const uint64_t a[6])
{
	unsigned at = (unsigned)a[2];
	if ((at & ~(STAT_AT_FLAGS | AT_STATX_SYNC_TYPE)) ||
	    (at & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE)
		return -EINVAL;
	if ((unsigned)a[3] & STATX__RESERVED)
		return -EINVAL;
	struct linux_stat st;
	long err = path_stat(t, (int)a[0], a[1], at_lookup_flags(at, true), &st);
	if (err)
		return err;
	struct linux_statx sx;
	fill_statx(&st, &sx);
	return copy_to_user(t->proc->mm->vs, user_ptr(a[4]), &sx, sizeof(sx)) ? -EFAULT : 0;
}

/* ---- statfs ---- */

/* A tmpfs without size= reports this much (Linux: half of RAM). */
#define UNLIMITED_BLOCKS (1ULL << 20)
#define UNLIMITED_FILES (1ULL << 20)

static void fill_statfs(const struct path *p, struct linux_statfs *s)
{
	const struct super_block *sb = p->mnt->sb;
	*s = (struct linux_statfs){ 0 };
	s->f_type = TMPFS_MAGIC;
	s->f_bsize = s->f_frsize = PAGE_SIZE;
	uint64_t used = sb->used_bytes / PAGE_SIZE;
	s->f_blocks = sb->max_bytes ? sb->max_bytes / PAGE_SIZE : MAX(UNLIMITED_BLOCKS, used);
	s->f_bfree = s->f_bavail = s->f_blocks - MIN(used, s->f_blocks);
	s->f_files = sb->max_inodes ? sb->max_inodes : MAX(UNLIMITED_FILES, sb->used_inodes);
	s->f_ffree = s->f_files - MIN(sb->used_inodes, s->f_files);
	s->f_fsid[0] = (int32_t)sb->dev;
	s->f_namelen = VFS_NAME_MAX;
	s->f_flags = ST_VALID | (p->mnt->flags & (ST_RDONLY | ST_NOSUID | ST_NODEV | ST_NOEXEC));
}

static long put_statfs(struct thread *t, const struct path *p, uint64_t ubuf)
{
	struct linux_statfs s;
	fill_statfs(p, &s);
	return copy_to_user(t->proc->mm->vs, user_ptr(ubuf), &s, sizeof(s)) ? -EFAULT : 0;
}

long sys_statfs(struct thread *t, const uint64_t a[6])
{
	struct path p;
	long err = fs_lookup_user(t, AT_FDCWD, a[0], LOOKUP_FOLLOW, &p);
	if (err)
		return err;
	err = put_statfs(t, &p, a[1]);
	path_put(&p);
	return err;
}

long sys_fstatfs(struct thread *t, const uint64_t a[6])
{
	struct file *f = fd_get(t->proc->fds, (int)a[0]);
	if (!f)
		return -EBADF;
	const struct path *p = vfs_file_path(f);
	if (!p) {
		/* pipefs and the console's devtmpfs: report an empty tmpfs-like one */
		struct path root = { vfs_root_mount(), NULL };
		return put_statfs(t, &root, a[1]);
	}
	return put_statfs(t, p, a[1]);
}

/* ---- access ---- */

/*
 * access(2) checks with the real ids: like Linux's override_creds, the
 * fs ids are swapped for the whole lookup (nothing here sleeps).
 */
static long do_access(struct thread *t, int dirfd, uint64_t upath, unsigned mode, unsigned at)
{
	if (mode & ~7u)
		return -EINVAL;
	if (at & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	char *name;
	long err = fs_getname(t, upath, &name);
	if (err)
		return err;
	/* access(2) checks with the real ids and, as Linux does, with the
	 * capabilities those ids would have; AT_EACCESS keeps the real set.
	 * The check runs on a copy: the process's credentials never change. */
	struct creds ac = t->proc->cred, *c = &ac;
	if (!(at & AT_EACCESS))
		cred_access_creds(&ac);
	struct path p;
	err = vfs_lookup(t->proc, dirfd, name, at_lookup_flags(at, true), &p);
	kfree(name);
	if (!err) {
		struct inode *i = p.dentry->inode;
		if ((mode & W_OK) && path_rdonly(&p) && !S_ISCHR(i->mode) && !S_ISFIFO(i->mode))
			err = -EROFS;
		else if (mode)
			err = vfs_permission(c, i, (int)mode);
		path_put(&p);
	}
	return err;
}

long sys_access(struct thread *t, const uint64_t a[6])
{
	return do_access(t, AT_FDCWD, a[0], (unsigned)a[1], 0);
}

long sys_faccessat(struct thread *t, const uint64_t a[6])
{
	return do_access(t, (int)a[0], a[1], (unsigned)a[2], 0);
}

long sys_faccessat2(struct thread *t, const uint64_t a[6])
{
	return do_access(t, (int)a[0], a[1], (unsigned)a[2], (unsigned)a[3]);
}

/* ---- readlink ---- */

static long do_readlink(struct thread *t, int dirfd, uint64_t upath, uint64_t ubuf, int size)
{
	if (size <= 0)
		return -EINVAL;
	char *name;
	long err = fs_getname(t, upath, &name);
	if (err)
		return err;
	struct path p;
	bool empty = !name[0];
	err = vfs_lookup(t->proc, dirfd, name, LOOKUP_EMPTY, &p);
	kfree(name);
	if (err)
		return err;
	struct inode *i = p.dentry->inode;
	if (!S_ISLNK(i->mode)) {
		err = empty ? -ENOENT : -EINVAL;
	} else {
		size_t n = MIN((size_t)size, (size_t)i->size);
		err = copy_to_user(t->proc->mm->vs, user_ptr(ubuf), i->data, n) ? -EFAULT : (long)n;
		inode_touch(i, "a");
	}
	path_put(&p);
	return err;
}

long sys_readlink(struct thread *t, const uint64_t a[6])
{
	return do_readlink(t, AT_FDCWD, a[0], a[1], (int)a[2]);
}

long sys_readlinkat(struct thread *t, const uint64_t a[6])
{
	return do_readlink(t, (int)a[0], a[1], a[2], (int)a[3]);
}
