/*
 * Changing attributes: chmod, fchmod, fchmodat, chown, fchown, lchown,
 * fchownat, utimensat, utimes, futimesat, umask.
 */
#include <jinux/errno.h>
#include <jinux/heap.h>
#include <jinux/time.h>
#include <jinux/uaccess.h>
#include <kernel/syscall.h>
#include <uapi/fcntl.h>
#include "sys_fs.h"

/* Resolve the target of a *at attribute call; "" + AT_EMPTY_PATH is @dirfd. */
static long attr_target(struct thread *t, int dirfd, uint64_t upath, unsigned lookup,
			struct path *out)
{
	char *name;
	long err = fs_getname(t, upath, &name);
	if (err)
		return err;
	err = vfs_lookup(t->proc, dirfd, name, lookup, out);
	kfree(name);
	return err;
}

static long fd_target(struct thread *t, int fd, struct path *out)
{
	struct path *p;
	long err = fs_fd_path(t, fd, false, &p);
	if (err)
		return err;
	*out = *p;
	path_get(out);
	return 0;
}

static long chmod_path(struct thread *t, struct path *p, uint32_t mode)
{
	struct inode *i = p->dentry->inode;
	const struct creds *c = fs_cred(t);
	mode &= 07777;
	long err = cred_chmod_ok(c, i->uid, i->gid, &mode);
	if (!err && path_rdonly(p))
		err = -EROFS;
	if (!err) {
		i->mode = (i->mode & S_IFMT) | mode;
		inode_touch(i, "c");
	}
	path_put(p);
	return err;
}

long sys_chmod(struct thread *t, const uint64_t a[6])
{
	struct path p;
	long err = attr_target(t, AT_FDCWD, a[0], LOOKUP_FOLLOW, &p);
	return err ? err : chmod_path(t, &p, (uint32_t)a[1]);
}

long sys_fchmod(struct thread *t, const uint64_t a[6])
{
	struct path p;
	long err = fd_target(t, (int)a[0], &p);
	return err ? err : chmod_path(t, &p, (uint32_t)a[1]);
}

long sys_fchmodat(struct thread *t, const uint64_t a[6])
{
	struct path p;
	long err = attr_target(t, (int)a[0], a[1], LOOKUP_FOLLOW, &p);
	return err ? err : chmod_path(t, &p, (uint32_t)a[2]);
}

/* ---- chown ---- */

static long chown_path(struct thread *t, struct path *p, uint32_t uid, uint32_t gid)
{
	struct inode *i = p->dentry->inode;
	long err = cred_chown_ok(fs_cred(t), i->uid, i->gid, uid, gid);
	if (!err && path_rdonly(p))
		err = -EROFS;
	if (!err) {
		if (uid != (uint32_t)-1)
			i->uid = uid;
		if (gid != (uint32_t)-1)
			i->gid = gid;
		/* A new owner gets no set-ID powers (Linux drops them for everyone). */
		if (!S_ISDIR(i->mode) && (uid != CRED_ID_KEEP || gid != CRED_ID_KEEP))
			i->mode = cred_chown_mode(i->mode);
		inode_touch(i, "c");
	}
	path_put(p);
	return err;
}

long sys_chown(struct thread *t, const uint64_t a[6])
{
	struct path p;
	long err = attr_target(t, AT_FDCWD, a[0], LOOKUP_FOLLOW, &p);
	return err ? err : chown_path(t, &p, (uint32_t)a[1], (uint32_t)a[2]);
}

long sys_lchown(struct thread *t, const uint64_t a[6])
{
	struct path p;
	long err = attr_target(t, AT_FDCWD, a[0], 0, &p);
	return err ? err : chown_path(t, &p, (uint32_t)a[1], (uint32_t)a[2]);
}

long sys_fchown(struct thread *t, const uint64_t a[6])
{
	struct path p;
	long err = fd_target(t, (int)a[0], &p);
	return err ? err : chown_path(t, &p, (uint32_t)a[1], (uint32_t)a[2]);
}

long sys_fchownat(struct thread *t, const uint64_t a[6])
{
	unsigned at = (unsigned)a[4];
	if (at & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	struct path p;
	long err = attr_target(t, (int)a[0], a[1], at_lookup_flags(at, true), &p);
	return err ? err : chown_path(t, &p, (uint32_t)a[2], (uint32_t)a[3]);
}

/* ---- utimensat ---- */

static bool ts_valid(const struct linux_timespec *ts)
{
	return ts->tv_nsec == UTIME_NOW || ts->tv_nsec == UTIME_OMIT ||
	       (ts->tv_nsec >= 0 && ts->tv_nsec < (int64_t)NSEC_PER_SEC);
}

static void set_time(struct linux_timespec *dst, const struct linux_timespec *src,
		     const struct linux_timespec *now)
{
	if (src->tv_nsec == UTIME_OMIT)
		return;
	*dst = src->tv_nsec == UTIME_NOW ? *now : *src;
}

/*
 * Setting both times to now needs ownership or write permission;
 * anything else needs ownership (Linux's rule).
 */
static long utimes_path(struct thread *t, struct path *p, const struct linux_timespec ts[2])
{
	struct inode *i = p->dentry->inode;
	const struct creds *c = fs_cred(t);
	bool to_now = ts[0].tv_nsec == UTIME_NOW && ts[1].tv_nsec == UTIME_NOW;
	long err = 0;
	if (ts[0].tv_nsec == UTIME_OMIT && ts[1].tv_nsec == UTIME_OMIT)
		goto out;
	if (path_rdonly(p))
		err = -EROFS;
	else if (!vfs_is_owner(c, i))
		err = to_now ? (vfs_permission(c, i, MAY_WRITE) ? -EACCES : 0) : -EPERM;
	if (!err) {
		uint64_t ns = clock_realtime_ns();
		struct linux_timespec now = { (int64_t)(ns / NSEC_PER_SEC),
					      (int64_t)(ns % NSEC_PER_SEC) };
		set_time(&i->atime, &ts[0], &now);
		set_time(&i->mtime, &ts[1], &now);
		i->ctime = now;
	}
out:
	path_put(p);
	return err;
}

long sys_utimensat(struct thread *t, const uint64_t a[6])
{
	int dirfd = (int)a[0];
	unsigned at = (unsigned)a[3];
	struct linux_timespec ts[2] = { { 0, UTIME_NOW }, { 0, UTIME_NOW } };
	if (at & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (a[2] && copy_from_user(t->proc->mm->vs, ts, user_ptr(a[2]), sizeof(ts)))
		return -EFAULT;
	if (!ts_valid(&ts[0]) || !ts_valid(&ts[1]))
		return -EINVAL;
	struct path p;
	long err;
	if (!a[1]) {
		/* A NULL path means the file @dirfd itself (futimens). */
		if (dirfd == AT_FDCWD)
			return -EFAULT;
		err = fd_target(t, dirfd, &p);
	} else {
		err = attr_target(t, dirfd, a[1], at_lookup_flags(at, true), &p);
	}
	return err ? err : utimes_path(t, &p, ts);
}

/* futimesat(dirfd, path, tv) and utimes(path, tv): microseconds, no flags. */
static long do_futimesat(struct thread *t, int dirfd, uint64_t upath, uint64_t utv)
{
	struct linux_timespec ts[2] = { { 0, UTIME_NOW }, { 0, UTIME_NOW } };
	if (utv) {
		struct linux_timeval tv[2];
		if (copy_from_user(t->proc->mm->vs, tv, user_ptr(utv), sizeof(tv)))
			return -EFAULT;
		for (int k = 0; k < 2; k++) {
			if (tv[k].tv_usec < 0 || tv[k].tv_usec >= 1000000)
				return -EINVAL;
			ts[k] = (struct linux_timespec){ tv[k].tv_sec, tv[k].tv_usec * 1000 };
		}
	}
	struct path p;
	long err = upath ? attr_target(t, dirfd, upath, LOOKUP_FOLLOW, &p) : fd_target(t, dirfd, &p);
	return err ? err : utimes_path(t, &p, ts);
}

long sys_utimes(struct thread *t, const uint64_t a[6])
{
	return do_futimesat(t, AT_FDCWD, a[0], a[1]);
}

long sys_futimesat(struct thread *t, const uint64_t a[6])
{
	return do_futimesat(t, (int)a[0], a[1], a[2]);
}

long sys_umask(struct thread *t, const uint64_t a[6])
{
	struct fs_context *fs = process_fs(t->proc);
	if (!fs)
		return -ENOMEM;
	uint32_t old = fs->umask;
	fs->umask = (uint32_t)a[0] & 0777;
	return old;
}
