/*
 * fs_mount: devfs and mounts. The mem devices (/dev/null, zero, full,
 * urandom); tmpfs mounts with size= and nr_inodes= limits giving ENOSPC;
 * statfs; ".." across a mount point; read-only remounts (EROFS); bind
 * mounts; EXDEV across mounts; EBUSY while in use; umount2 (and
 * MNT_DETACH); memfd_create. Needs root (CAP_SYS_ADMIN), as on Linux.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/sysmacros.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "lib/tap.h"

#ifndef MFD_CLOEXEC
#define MFD_CLOEXEC 1
#endif

static char dir[64];

static void devices(void)
{
	char buf[64];
	struct stat st;

	long fd = sysc(SYS_open, "/dev/null", O_RDWR);
	ok(fd >= 0, "open /dev/null");
	ok_eq(sysc(SYS_write, fd, "abc", 3), 3, "/dev/null swallows writes");
	ok_eq(sysc(SYS_read, fd, buf, sizeof(buf)), 0, "and reads end of file");
	ok_eq(sysc(SYS_fstat, fd, &st), 0, "fstat /dev/null");
	ok(S_ISCHR(st.st_mode) && major(st.st_rdev) == 1 && minor(st.st_rdev) == 3,
	   "a character device 1:3");
	sysc(SYS_close, fd);
	fd = sysc(SYS_open, "/dev/zero", O_RDONLY);
	memset(buf, 'x', sizeof(buf));
	ok_eq(sysc(SYS_read, fd, buf, sizeof(buf)), sizeof(buf), "/dev/zero reads fully");
	int zeros = 1;
	for (size_t i = 0; i < sizeof(buf); i++)
		zeros &= buf[i] == 0;
	ok(zeros, "zeros");
	sysc(SYS_close, fd);
	fd = sysc(SYS_open, "/dev/full", O_WRONLY);
	ok_eq(sysc(SYS_write, fd, "a", 1), -ENOSPC, "/dev/full: ENOSPC");
	sysc(SYS_close, fd);
	fd = sysc(SYS_open, "/dev/urandom", O_RDONLY);
	ok_eq(sysc(SYS_read, fd, buf, 32), 32, "/dev/urandom gives bytes");
	sysc(SYS_close, fd);
	ok_eq(sysc(SYS_stat, "/dev/tty", &st), 0, "/dev/tty exists");
	ok(S_ISCHR(st.st_mode) && major(st.st_rdev) == 5 && minor(st.st_rdev) == 0, "as 5:0");
}

static void small_tmpfs(void)
{
	char page[4096];
	struct statfs sf;

	memset(page, 'p', sizeof(page));
	ok_eq(sysc(SYS_mount, "none", "m", "tmpfs", 0, "size=64k,nr_inodes=8"), 0,
	      "mount a 64 KiB tmpfs with 8 inodes");
	ok_eq(sysc(SYS_statfs, "m", &sf), 0, "statfs it");
	ok(sf.f_type == 0x01021994 && sf.f_bsize == 4096 && sf.f_blocks == 16,
	   "tmpfs, 4 KiB blocks, 16 of them");
	long fd = sysc(SYS_open, "m/big", O_CREAT | O_WRONLY, 0644);
	long total = 0, r;
	while ((r = sysc(SYS_write, fd, page, sizeof(page))) > 0)
		total += r;
	ok_eq(r, -ENOSPC, "writing past size= fails with ENOSPC");
	ok(total > 0 && total <= 65536, "after at most 64 KiB");
	sysc(SYS_close, fd);
	ok_eq(sysc(SYS_unlink, "m/big"), 0, "unlink frees the space");
	int made = 0;
	for (int i = 0; i < 20; i++) {
		char name[32];
		snprintf(name, sizeof(name), "m/f%d", i);
		fd = sysc(SYS_open, name, O_CREAT | O_WRONLY, 0644);
		if (fd < 0) {
			ok_eq(fd, -ENOSPC, "running out of inodes: ENOSPC");
			break;
		}
		made++;
		sysc(SYS_close, fd);
	}
	ok(made >= 6 && made <= 8, "after at most nr_inodes files");
	ok_eq(sysc(SYS_mkdir, "m/d", 0755), -ENOSPC, "mkdir with no inodes left: ENOSPC");
	ok_eq(sysc(SYS_rename, "m/f0", "f0"), -EXDEV, "rename across mounts: EXDEV");
	ok_eq(sysc(SYS_link, "m/f0", "f0"), -EXDEV, "link across mounts: EXDEV");
	ok_eq(sysc(SYS_umount2, "m", 0), 0, "umount2");
	struct stat st;
	ok_eq(sysc(SYS_stat, "m/f0", &st), -ENOENT, "the files are gone with it");
}

static void dotdot_and_flags(void)
{
	struct stat a, b;
	char buf[256];

	ok_eq(sysc(SYS_mount, "none", "m", "tmpfs", 0, 0), 0, "mount a tmpfs");
	ok_eq(sysc(SYS_mkdir, "m/sub", 0755), 0, "mkdir in it");
	ok_eq(sysc(SYS_stat, "m/..", &a), 0, "stat m/..");
	ok_eq(sysc(SYS_stat, ".", &b), 0, "stat .");
	ok(a.st_ino == b.st_ino && a.st_dev == b.st_dev, ".. of a mount root is the parent of the mount point");
	ok_eq(sysc(SYS_stat, "m", &a), 0, "stat m");
	ok(a.st_dev != b.st_dev, "the mount has its own st_dev");
	ok_eq(sysc(SYS_chdir, "m/sub"), 0, "chdir into the mount");
	ok(sysc(SYS_getcwd, buf, sizeof(buf)) > 0, "getcwd");
	char want[128];
	snprintf(want, sizeof(want), "%s/m/sub", dir);
	ok(!strcmp(buf, want), "names the path through the mount point");
	char mp[128];
	snprintf(mp, sizeof(mp), "%s/m", dir);
	ok_eq(sysc(SYS_umount2, mp, 0), -EBUSY, "umount2 of a mount in use (our cwd): EBUSY");
	ok_eq(sysc(SYS_chdir, dir), 0, "chdir out");
	ok_eq(sysc(SYS_umount2, "m/sub", 0), -EINVAL, "umount2 of a non-mount: EINVAL");
	ok_eq(sysc(SYS_mount, "none", "m", 0, MS_REMOUNT | MS_RDONLY, 0), 0, "remount read-only");
	ok_eq(sysc(SYS_mkdir, "m/x", 0755), -EROFS, "mkdir on a read-only mount: EROFS");
	ok_eq(sysc(SYS_open, "m/y", O_CREAT | O_WRONLY, 0644), -EROFS, "create: EROFS");
	ok_eq(sysc(SYS_rmdir, "m/sub"), -EROFS, "rmdir: EROFS");
	ok_eq(sysc(SYS_mount, "none", "m", 0, MS_REMOUNT, 0), 0, "remount read-write");
	ok_eq(sysc(SYS_mkdir, "m/x", 0755), 0, "mkdir works again");
	ok_eq(sysc(SYS_mkdir, "bind", 0755), 0, "a directory for a bind mount");
	ok_eq(sysc(SYS_mount, "m/x", "bind", 0, MS_BIND, 0), 0, "bind mount m/x on it");
	long fd = sysc(SYS_open, "bind/file", O_CREAT | O_WRONLY, 0644);
	ok(fd >= 0, "create through the bind mount");
	sysc(SYS_close, fd);
	ok_eq(sysc(SYS_stat, "m/x/file", &a), 0, "the file shows in the source");
	ok_eq(sysc(SYS_umount2, "bind", 0), 0, "umount the bind");
	ok_eq(sysc(SYS_stat, "bind/file", &a), -ENOENT, "the mount point is empty again");
	ok_eq(sysc(SYS_chdir, "m"), 0, "chdir into m again");
	ok_eq(sysc(SYS_umount2, mp, MNT_DETACH), 0, "lazy umount2 (MNT_DETACH) while in use");
	ok_eq(sysc(SYS_stat, "x/file", &a), 0, "the detached tree still works for its user");
	sysc(SYS_chdir, dir);
	ok_eq(sysc(SYS_stat, "m/x", &a), -ENOENT, "but is gone from the namespace");
	ok_eq(sysc(SYS_umount2, "m", 0x100), -EINVAL, "umount2 with a bad flag: EINVAL");
	ok_eq(sysc(SYS_mount, "none", "m", "nosuchfs", 0, 0), -ENODEV, "an unknown fs type: ENODEV");
	ok_eq(sysc(SYS_mount, "none", "nowhere", "tmpfs", 0, 0), -ENOENT, "a missing mount point: ENOENT");
}

static void memfd(void)
{
	char buf[8];
	struct stat st;
	long fd = sysc(SYS_memfd_create, "test", MFD_CLOEXEC);
	ok(fd >= 0, "memfd_create");
	ok_eq(sysc(SYS_fcntl, fd, F_GETFD), FD_CLOEXEC, "MFD_CLOEXEC sets close-on-exec");
	ok_eq(sysc(SYS_write, fd, "memfd", 5), 5, "write to it");
	ok_eq(sysc(SYS_pread64, fd, buf, 5, 0), 5, "read it back");
	ok(!memcmp(buf, "memfd", 5), "the bytes");
	ok_eq(sysc(SYS_fstat, fd, &st), 0, "fstat");
	ok(S_ISREG(st.st_mode) && st.st_size == 5 && st.st_nlink == 0, "a regular file of 5 bytes, no links");
	ok_eq(sysc(SYS_ftruncate, fd, 4096), 0, "ftruncate it");
	sysc(SYS_close, fd);
	ok_eq(sysc(SYS_memfd_create, "x", 0x100), -EINVAL, "memfd_create with a bad flag: EINVAL");
	ok_eq(sysc(SYS_memfd_create, BAD_LOW_PTR, 0), -EFAULT, "memfd_create with a bad name: EFAULT");
}

int main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/fs_mount.%ld", sysc(SYS_getpid));
	if (sysc(SYS_mkdir, dir, 0755) || sysc(SYS_chdir, dir) || sysc(SYS_mkdir, "m", 0755)) {
		tap_diag("cannot make and enter %s", dir);
		return 1;
	}
	devices();
	small_tmpfs();
	dotdot_and_flags();
	memfd();
	sysc(SYS_chdir, "/");
	char path[128];
	snprintf(path, sizeof(path), "%s/m", dir);
	sysc(SYS_rmdir, path);
	snprintf(path, sizeof(path), "%s/bind", dir);
	sysc(SYS_rmdir, path);
	ok_eq(sysc(SYS_rmdir, dir), 0, "the test directory is removed again");
	return tap_done();
}
