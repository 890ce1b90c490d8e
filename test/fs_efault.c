/*
 * fs_efault: every user pointer argument of the file-system calls, given
 * an address that is not mapped, fails with EFAULT (and nothing is
 * created, removed or changed by the failed call). Table-driven: each
 * row is one call with one bad pointer and otherwise valid arguments.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/tap.h"

#define BAD ((long)8)   /* the first page is never mapped */

struct row {
	const char *desc;
	long nr, a[6];
};

static char dir[64];

int main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/fs_efault.%ld", sysc(SYS_getpid));
	if (sysc(SYS_mkdir, dir, 0755) || sysc(SYS_chdir, dir)) {
		tap_diag("cannot make and enter %s", dir);
		return 1;
	}
	long fd = sysc(SYS_open, "f", O_CREAT | O_RDWR, 0644);
	long d = sysc(SYS_open, ".", O_RDONLY | O_DIRECTORY);
	sysc(SYS_write, fd, "0123456789", 10);
	sysc(SYS_symlink, "f", "l");
	int p[2];
	sysc(SYS_pipe, p);
	long f = (long)"f", l = (long)"l", n = (long)"new";
	const struct row rows[] = {
		{ "open path", SYS_open, { BAD, O_RDONLY } },
		{ "openat path", SYS_openat, { AT_FDCWD, BAD, O_RDONLY } },
		{ "creat path", SYS_creat, { BAD, 0644 } },
		{ "stat path", SYS_stat, { BAD, BAD } },
		{ "stat buffer", SYS_stat, { f, BAD } },
		{ "lstat buffer", SYS_lstat, { l, BAD } },
		{ "fstat buffer", SYS_fstat, { fd, BAD } },
		{ "newfstatat path", SYS_newfstatat, { AT_FDCWD, BAD, BAD, 0 } },
		{ "newfstatat buffer", SYS_newfstatat, { AT_FDCWD, f, BAD, 0 } },
		{ "statx path", SYS_statx, { AT_FDCWD, BAD, 0, 0x7ff, BAD } },
		{ "statx buffer", SYS_statx, { AT_FDCWD, f, 0, 0x7ff, BAD } },
		{ "statfs path", SYS_statfs, { BAD, BAD } },
		{ "statfs buffer", SYS_statfs, { f, BAD } },
		{ "fstatfs buffer", SYS_fstatfs, { fd, BAD } },
		{ "access path", SYS_access, { BAD, R_OK } },
		{ "faccessat path", SYS_faccessat, { AT_FDCWD, BAD, R_OK } },
		{ "faccessat2 path", SYS_faccessat2, { AT_FDCWD, BAD, R_OK, 0 } },
		{ "readlink path", SYS_readlink, { BAD, BAD, 10 } },
		{ "readlink buffer", SYS_readlink, { l, BAD, 10 } },
		{ "readlinkat buffer", SYS_readlinkat, { AT_FDCWD, l, BAD, 10 } },
		{ "getdents64 buffer", SYS_getdents64, { d, BAD, 4096 } },
		{ "pread64 buffer", SYS_pread64, { fd, BAD, 4, 0 } },
		{ "pwrite64 buffer", SYS_pwrite64, { fd, BAD, 4, 0 } },
		{ "preadv iovec", SYS_preadv, { fd, BAD, 1, 0 } },
		{ "truncate path", SYS_truncate, { BAD, 0 } },
		{ "chdir path", SYS_chdir, { BAD } },
		{ "chroot path", SYS_chroot, { BAD } },
		{ "getcwd buffer", SYS_getcwd, { BAD, 4096 } },
		{ "mkdir path", SYS_mkdir, { BAD, 0755 } },
		{ "mkdirat path", SYS_mkdirat, { AT_FDCWD, BAD, 0755 } },
		{ "rmdir path", SYS_rmdir, { BAD } },
		{ "mknod path", SYS_mknod, { BAD, S_IFIFO | 0644, 0 } },
		{ "mknodat path", SYS_mknodat, { AT_FDCWD, BAD, S_IFIFO | 0644, 0 } },
		{ "link old path", SYS_link, { BAD, n } },
		{ "link new path", SYS_link, { f, BAD } },
		{ "linkat new path", SYS_linkat, { AT_FDCWD, f, AT_FDCWD, BAD, 0 } },
		{ "unlink path", SYS_unlink, { BAD } },
		{ "unlinkat path", SYS_unlinkat, { AT_FDCWD, BAD, 0 } },
		{ "symlink target", SYS_symlink, { BAD, n } },
		{ "symlink path", SYS_symlink, { f, BAD } },
		{ "symlinkat path", SYS_symlinkat, { f, AT_FDCWD, BAD } },
		{ "rename old path", SYS_rename, { BAD, n } },
		{ "rename new path", SYS_rename, { f, BAD } },
		{ "renameat2 new path", SYS_renameat2, { AT_FDCWD, f, AT_FDCWD, BAD, 0 } },
		{ "chmod path", SYS_chmod, { BAD, 0644 } },
		{ "fchmodat path", SYS_fchmodat, { AT_FDCWD, BAD, 0644 } },
		{ "chown path", SYS_chown, { BAD, 0, 0 } },
		{ "lchown path", SYS_lchown, { BAD, 0, 0 } },
		{ "fchownat path", SYS_fchownat, { AT_FDCWD, BAD, 0, 0, 0 } },
		{ "utimensat path", SYS_utimensat, { AT_FDCWD, BAD, 0, 0 } },
		{ "utimensat times", SYS_utimensat, { AT_FDCWD, f, BAD, 0 } },
		{ "utimes times", SYS_utimes, { f, BAD } },
		{ "futimesat path", SYS_futimesat, { AT_FDCWD, BAD, 0 } },
		{ "mount target", SYS_mount, { (long)"none", BAD, (long)"tmpfs", 0, 0 } },
		{ "mount fstype", SYS_mount, { (long)"none", (long)".", BAD, 0, 0 } },
		{ "umount2 path", SYS_umount2, { BAD, 0 } },
		{ "memfd_create name", SYS_memfd_create, { BAD, 0 } },
		{ "sendfile offset", SYS_sendfile, { p[1], fd, BAD, 1 } },
		{ "copy_file_range offset", SYS_copy_file_range, { fd, BAD, fd, 0, 1, 0 } },
		{ "select fd_set", SYS_select, { 1, BAD, 0, 0, 0 } },
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];
		char desc[96];
		snprintf(desc, sizeof(desc), "%s: EFAULT", r->desc);
		ok_eq(sys6(r->nr, r->a[0], r->a[1], r->a[2], r->a[3], r->a[4], r->a[5]), -EFAULT, desc);
	}
	struct stat st;
	ok_eq(sysc(SYS_stat, "new", &st), -ENOENT, "no failed call created anything");
	ok_eq(sysc(SYS_stat, "f", &st), 0, "or removed anything");
	ok_eq(st.st_size, 10, "or changed the file");
	sysc(SYS_close, fd);
	sysc(SYS_close, d);
	sysc(SYS_unlink, "f");
	sysc(SYS_unlink, "l");
	sysc(SYS_chdir, "/");
	ok_eq(sysc(SYS_rmdir, dir), 0, "the test directory is removed again");
	return tap_done();
}
