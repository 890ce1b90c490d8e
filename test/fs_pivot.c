/*
 * fs_pivot: pivot_root(2). From a chroot into a tmpfs mount A (natively
 * in a private mount namespace), the tmpfs B mounted at /b becomes the
 * root and A goes to /b/old; the caller's root and cwd move along. The
 * error cases: ENOENT, ENOTDIR, EINVAL from the absolute root (Jinux only:
 * natively / sits on rootfs), EBUSY (new_root or put_old on the root's
 * mount), EINVAL (new_root not a mount point, put_old not under it).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "lib/proc.h"
#include "lib/tap.h"

static char dir[64];

enum { R_CHROOT, R_BUSY_NEW, R_BUSY_OLD, R_NOTMNT, R_NOTUNDER, R_PIVOT, R_NEWFILE, R_OLDFILE,
       R_CWD, R_UMOUNT, R_GONE, R_COUNT };

static void in_chroot(long *res)
{
	struct stat st;
	char cwd[64] = "";
	res[R_CHROOT] = sysc(SYS_chroot, ".") ?: sysc(SYS_chdir, "/");
	res[R_BUSY_NEW] = sysc(SYS_pivot_root, "/plain", "/plain");
	res[R_BUSY_OLD] = sysc(SYS_pivot_root, "/b", "/plain");
	res[R_NOTMNT] = sysc(SYS_pivot_root, "/b/sub", "/b/sub");
	res[R_NOTUNDER] = sysc(SYS_pivot_root, "/b", "/c");
	res[R_PIVOT] = sysc(SYS_pivot_root, "/b", "/b/old");
	res[R_NEWFILE] = sysc(SYS_stat, "/NEW", &st);
	res[R_OLDFILE] = sysc(SYS_stat, "/old/A", &st);
	res[R_CWD] = sysc(SYS_getcwd, cwd, sizeof(cwd)) == 2 && cwd[0] == '/' ? 0 : -1;
	res[R_UMOUNT] = sysc(SYS_umount2, "/old", MNT_DETACH);
	res[R_GONE] = sysc(SYS_stat, "/old/A", &st);
}

static void setup(void)
{
	ok_eq(sysc(SYS_mkdir, "a", 0755), 0, "mkdir a");
	ok_eq(sysc(SYS_mount, "none", "a", "tmpfs", 0, 0), 0, "mount tmpfs A on a");
	ok_eq(sysc(SYS_mkdir, "a/b", 0755) | sysc(SYS_mkdir, "a/c", 0755) |
	      sysc(SYS_mkdir, "a/plain", 0755), 0, "mkdir a/b a/c a/plain");
	ok_eq(sysc(SYS_mount, "none", "a/b", "tmpfs", 0, 0), 0, "mount tmpfs B on a/b");
	ok_eq(sysc(SYS_mount, "none", "a/c", "tmpfs", 0, 0), 0, "mount tmpfs C on a/c");
	ok_eq(sysc(SYS_mkdir, "a/b/old", 0755) | sysc(SYS_mkdir, "a/b/sub", 0755), 0,
	      "mkdir a/b/old a/b/sub");
	long fd = sysc(SYS_open, "a/A", O_CREAT | O_WRONLY, 0644);
	ok(fd >= 0 && sysc(SYS_close, fd) == 0, "a file A on A");
	fd = sysc(SYS_open, "a/b/NEW", O_CREAT | O_WRONLY, 0644);
	ok(fd >= 0 && sysc(SYS_close, fd) == 0, "a file NEW on B");
}

int main(void)
{
	/* Natively: a private mount namespace (Jinux has just one). */
	bool own_ns = sysc(SYS_unshare, CLONE_NEWNS) == 0;
	if (own_ns)
		sysc(SYS_mount, "none", "/", 0, MS_REC | MS_PRIVATE, 0);
	snprintf(dir, sizeof(dir), "/tmp/fs_pivot.%ld", sysc(SYS_getpid));
	if (sysc(SYS_mkdir, dir, 0755) || sysc(SYS_chdir, dir)) {
		tap_diag("cannot make and enter %s", dir);
		return 1;
	}
	setup();
	ok_eq(sysc(SYS_pivot_root, "nonexistent", "a/b/old"), -ENOENT, "missing new_root: ENOENT");
	ok_eq(sysc(SYS_pivot_root, "a/A", "a/b/old"), -ENOTDIR, "new_root a file: ENOTDIR");
	/* Natively "/" sits on rootfs and would pivot; Jinux's root is the initramfs. */
	if (!own_ns)
		ok_eq(sysc(SYS_pivot_root, "a/b", "a/b/old"), -EINVAL,
		      "from the absolute root (initramfs): EINVAL");

	long *res = shared_mem(4096);
	for (int i = 0; i < R_COUNT; i++)
		res[i] = -999;
	long pid = raw_fork();
	if (pid == 0) {
		sysc(SYS_chdir, "a");
		in_chroot(res);
		child_exit(0);
	}
	int st = 0;
	reap(pid, &st);
	ok_status(st, 0, "the child ran");
	ok_eq(res[R_CHROOT], 0, "chroot into A");
	ok_eq(res[R_BUSY_NEW], -EBUSY, "new_root on the root's mount: EBUSY");
	ok_eq(res[R_BUSY_OLD], -EBUSY, "put_old on the root's mount: EBUSY");
	ok_eq(res[R_NOTMNT], -EINVAL, "new_root not a mount point: EINVAL");
	ok_eq(res[R_NOTUNDER], -EINVAL, "put_old not under new_root: EINVAL");
	ok_eq(res[R_PIVOT], 0, "pivot_root(/b, /b/old)");
	ok_eq(res[R_NEWFILE], 0, "B is the root now: /NEW");
	ok_eq(res[R_OLDFILE], 0, "A is at /old: /old/A");
	ok_eq(res[R_CWD], 0, "the cwd moved along to the new root");
	ok_eq(res[R_UMOUNT], 0, "umount2(/old, MNT_DETACH)");
	ok_eq(res[R_GONE], -ENOENT, "then /old/A is gone");

	ok_eq(sysc(SYS_umount2, "a", MNT_DETACH), 0, "detach what is left on a");
	sysc(SYS_rmdir, "a");
	sysc(SYS_chdir, "/");
	ok_eq(sysc(SYS_rmdir, dir), 0, "the test directory is removed again");
	return tap_done();
}
