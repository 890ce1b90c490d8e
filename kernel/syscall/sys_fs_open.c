/*
 * open, openat, creat, openat2: resolve (creating with O_CREAT), check,
 * open, and install the file at the lowest free descriptor. openat2 adds
 * strict argument checks and RESOLVE_* limits on the path walk.
 */
#include <jinux/errno.h>
#include <jinux/heap.h>
#include <jinux/uaccess.h>
#include <kernel/syscall.h>
#include <uapi/fcntl.h>
#include "sys_fs.h"

/* @resolve: LOOKUP_RESOLVE bits for the walk (openat2), else 0. */
static long do_open(struct thread *t, int dirfd, uint64_t upath, unsigned flags, uint32_t mode,
		    unsigned resolve)
{
	/* Linux 6.4 and later refuse the meaningless O_CREAT|O_DIRECTORY. */
	if ((flags & (O_CREAT | O_DIRECTORY)) == (O_CREAT | O_DIRECTORY))
		return -EINVAL;
	char *path;
	long err = fs_getname(t, upath, &path);
	if (err)
		return err;
	/* The descriptor is reserved first on Linux: EMFILE before any creation. */
	if (!fs_fd_free(t)) {
		kfree(path);
		return -EMFILE;
	}
	struct file *f;
	if ((flags & O_TMPFILE) == O_TMPFILE) {
		err = vfs_open_tmpfile(t->proc, dirfd, path, flags, mode, resolve, &f);
		kfree(path);
		return err ? err : fs_install(t, f, flags & O_CLOEXEC);
	}
	struct path res;
	bool created;
	err = vfs_open_lookup(t->proc, dirfd, path, flags, mode, resolve, &res, &created);
	kfree(path);
	if (err)
		return err;
	err = vfs_open(t->proc, &res, flags, created, &f);
	path_put(&res);
	if (err)
		return err;
	return fs_install(t, f, flags & O_CLOEXEC);
}

long sys_open(struct thread *t, const uint64_t a[6])
{
	return do_open(t, AT_FDCWD, a[0], (unsigned)a[1], (uint32_t)a[2], 0);
}

long sys_openat(struct thread *t, const uint64_t a[6])
{
	return do_open(t, (int)a[0], a[1], (unsigned)a[2], (uint32_t)a[3], 0);
}

long sys_creat(struct thread *t, const uint64_t a[6])
{
	return do_open(t, AT_FDCWD, a[0], O_CREAT | O_WRONLY | O_TRUNC, (uint32_t)a[1], 0);
}

/* openat2(2): struct open_how, checked strictly (unknown bits are errors). */
struct open_how {
	uint64_t flags, mode, resolve;
};

#define OPEN_HOW_SIZE_VER0 24
#define OPENAT2_VALID_FLAGS 037777703ULL /* every O_* flag Linux knows */
#define RESOLVE_NO_XDEV 0x01
#define RESOLVE_NO_MAGICLINKS 0x02
#define RESOLVE_NO_SYMLINKS 0x04
#define RESOLVE_BENEATH 0x08
#define RESOLVE_IN_ROOT 0x10
#define RESOLVE_CACHED 0x20
#define RESOLVE_VALID 0x3f
#define O_TMPFILE_BIT 020000000

static long open_how_fetch(struct thread *t, uint64_t uhow, uint64_t size, struct open_how *how)
{
	struct vm_space *vs = t->proc->mm->vs;
	if (size < OPEN_HOW_SIZE_VER0)
		return -EINVAL;
	if (size > PAGE_SIZE)
		return -E2BIG;
	if (copy_from_user(vs, how, user_ptr(uhow), sizeof(*how)))
		return -EFAULT;
	/* A newer, larger struct is fine if what we don't know is zero. */
	for (uint64_t off = sizeof(*how); off < size; off++) {
		uint8_t b;
		if (copy_from_user(vs, &b, user_ptr(uhow + off), 1))
			return -EFAULT;
		if (b)
			return -E2BIG;
	}
	return 0;
}

/* O_PATH allows only these: openat2 refuses any other flag, as Linux does. */
#define O_PATH_ALLOWED (O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)

/* Linux's build_open_flags() checks, in its order, before anything is done. */
static long open_how_check(const struct open_how *how)
{
	uint64_t f = how->flags;
	if (f & ~OPENAT2_VALID_FLAGS)
		return -EINVAL;
	if (how->resolve & ~(uint64_t)RESOLVE_VALID)
		return -EINVAL;
	if ((how->resolve & RESOLVE_BENEATH) && (how->resolve & RESOLVE_IN_ROOT))
		return -EINVAL;
	uint64_t mode_ok = (f & (O_CREAT | O_TMPFILE_BIT)) ? 07777 : 0;
	if (how->mode & ~mode_ok)
		return -EINVAL;
	if ((f & (O_CREAT | O_DIRECTORY)) == (O_CREAT | O_DIRECTORY))
		return -EINVAL;
	if ((f & O_TMPFILE_BIT) && (!(f & O_DIRECTORY) || (f & O_ACCMODE) == O_RDONLY))
		return -EINVAL;
	if ((f & O_PATH) && (f & ~(uint64_t)O_PATH_ALLOWED))
		return -EINVAL;
	/*
	 * RESOLVE_CACHED: every dentry is in memory (the tree is the
	 * directory), so the walk itself always succeeds; like Linux, an
	 * open that would create or truncate is not even tried.
	 */
	if ((how->resolve & RESOLVE_CACHED) && (f & (O_TRUNC | O_CREAT | O_TMPFILE_BIT)))
		return -EAGAIN;
	return 0;
}

/* RESOLVE_* as the walk's LOOKUP_* bits (RESOLVE_CACHED needs none). */
static unsigned resolve_lookup_flags(uint64_t resolve)
{
	static const struct {
		uint64_t resolve;
		unsigned lookup;
	} map[] = {
		{ RESOLVE_NO_XDEV, LOOKUP_NO_XDEV },
		{ RESOLVE_NO_MAGICLINKS, LOOKUP_NO_MAGICLINKS },
		{ RESOLVE_NO_SYMLINKS, LOOKUP_NO_SYMLINKS },
		{ RESOLVE_BENEATH, LOOKUP_BENEATH },
		{ RESOLVE_IN_ROOT, LOOKUP_IN_ROOT },
	};
	unsigned lookup = 0;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (resolve & map[i].resolve)
			lookup |= map[i].lookup;
	return lookup;
}

long sys_openat2(struct thread *t, const uint64_t a[6])
{
	struct open_how how;
	long err = open_how_fetch(t, a[2], a[3], &how);
	if (!err)
		err = open_how_check(&how);
	if (err)
		return err;
	return do_open(t, (int)a[0], a[1], (unsigned)how.flags, (uint32_t)how.mode,
		       resolve_lookup_flags(how.resolve));
}
