/*
 * fs_path: path resolution and the calls that make and change names:
 * symlink/readlink (ELOOP after 40 links, dangling links, O_NOFOLLOW,
 * AT_SYMLINK_NOFOLLOW, trailing slashes), "." and ".." (at the root
 * too), ENAMETOOLONG, the *at family with directory descriptors,
 * AT_FDCWD and AT_EMPTY_PATH, O_PATH, chdir/fchdir/getcwd, link,
 * rename/renameat2 and their error cases.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/tap.h"

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE 1
#define RENAME_EXCHANGE 2
#endif

static char dir[64];

static void touch(const char *name, const char *text)
{
	long fd = sysc(SYS_open, name, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	sysc(SYS_write, fd, text, strlen(text));
	sysc(SYS_close, fd);
}

static long read_name(const char *name, char *buf, size_t len)
{
	long fd = sysc(SYS_open, name, O_RDONLY);
	if (fd < 0)
		return fd;
	long n = sysc(SYS_read, fd, buf, len - 1);
	sysc(SYS_close, fd);
	buf[n > 0 ? n : 0] = '\0';
	return n;
}

static void symlinks(void)
{
	char buf[256];
	struct stat st;

	touch("target", "T");
	ok_eq(sysc(SYS_symlink, "target", "link"), 0, "symlink");
	ok_eq(sysc(SYS_symlink, "target", "link"), -EEXIST, "symlink over a name: EEXIST");
	ok_eq(sysc(SYS_symlink, "", "empty"), -ENOENT, "symlink to \"\": ENOENT");
	ok_eq(sysc(SYS_readlink, "link", buf, sizeof(buf)), 6, "readlink gives the target length");
	ok(!memcmp(buf, "target", 6), "and the target");
	ok_eq(sysc(SYS_readlink, "link", buf, 3), 3, "readlink truncates to the buffer");
	ok_eq(sysc(SYS_readlink, "target", buf, sizeof(buf)), -EINVAL, "readlink of a file: EINVAL");
	ok_eq(sysc(SYS_readlink, "link", buf, 0), -EINVAL, "readlink with size 0: EINVAL");
	ok_eq(sysc(SYS_lstat, "link", &st), 0, "lstat the link");
	ok(S_ISLNK(st.st_mode) && st.st_size == 6, "lstat sees a symlink of size 6");
	ok_eq(sysc(SYS_stat, "link", &st), 0, "stat follows it");
	ok(S_ISREG(st.st_mode) && st.st_size == 1, "to the file");
	ok_eq(read_name("link", buf, sizeof(buf)), 1, "open follows a symlink");
	ok_eq(sysc(SYS_open, "link", O_RDONLY | O_NOFOLLOW), -ELOOP, "O_NOFOLLOW on a symlink: ELOOP");
	long fd = sysc(SYS_open, "link", O_PATH | O_NOFOLLOW);
	ok(fd >= 0, "O_PATH|O_NOFOLLOW opens the link itself");
	ok_eq(sysc(SYS_fstat, fd, &st), 0, "fstat of it");
	ok(S_ISLNK(st.st_mode), "is the symlink");
	ok_eq(sysc(SYS_read, fd, buf, 1), -EBADF, "read on an O_PATH descriptor: EBADF");
	sysc(SYS_close, fd);
	ok_eq(sysc(SYS_symlink, "nowhere", "dangling"), 0, "a dangling symlink");
	ok_eq(sysc(SYS_stat, "dangling", &st), -ENOENT, "stat through it: ENOENT");
	ok_eq(sysc(SYS_lstat, "dangling", &st), 0, "lstat of it works");
	fd = sysc(SYS_open, "dangling", O_CREAT | O_WRONLY, 0644);
	ok(fd >= 0, "O_CREAT through a dangling link creates its target");
	sysc(SYS_close, fd);
	ok_eq(sysc(SYS_stat, "nowhere", &st), 0, "the target exists now");
	ok_eq(sysc(SYS_open, "dangling", O_CREAT | O_EXCL | O_WRONLY, 0644), -EEXIST,
	      "O_CREAT|O_EXCL on a symlink: EEXIST");
	ok_eq(sysc(SYS_symlink, "loop2", "loop1"), 0, "symlink loop1 -> loop2");
	ok_eq(sysc(SYS_symlink, "loop1", "loop2"), 0, "symlink loop2 -> loop1");
	ok_eq(sysc(SYS_stat, "loop1", &st), -ELOOP, "a symlink loop: ELOOP");
	/* A chain of 40 links resolves; 41 is too many. */
	char name[32], to[32];
	for (int i = 1; i <= 41; i++) {
		snprintf(name, sizeof(name), "c%d", i);
		snprintf(to, sizeof(to), i == 1 ? "target" : "c%d", i - 1);
		sysc(SYS_symlink, to, name);
	}
	ok_eq(sysc(SYS_stat, "c40", &st), 0, "a chain of 40 symlinks resolves");
	ok_eq(sysc(SYS_stat, "c41", &st), -ELOOP, "a chain of 41: ELOOP");
	sysc(SYS_mkdir, "sub", 0755);
	touch("sub/file", "S");
	ok_eq(sysc(SYS_symlink, "sub", "dlink"), 0, "a symlink to a directory");
	ok_eq(read_name("dlink/file", buf, sizeof(buf)), 1, "a path through it");
	ok_eq(sysc(SYS_lstat, "dlink/", &st), 0, "lstat with a trailing slash follows");
	ok(S_ISDIR(st.st_mode), "to the directory");
	ok_eq(sysc(SYS_symlink, "/", "rootlink"), 0, "a symlink to /");
	ok_eq(sysc(SYS_stat, "rootlink/tmp", &st), 0, "an absolute target restarts at /");
	ok_eq(sysc(SYS_lstat, "link/", &st), -ENOTDIR, "a file link with a trailing slash: ENOTDIR");
}

static void dots_and_names(void)
{
	struct stat a, b;
	char longname[300];

	ok_eq(sysc(SYS_stat, "/..", &a), 0, "stat /..");
	ok_eq(sysc(SYS_stat, "/", &b), 0, "stat /");
	ok(a.st_ino == b.st_ino && a.st_dev == b.st_dev, "/.. is /");
	ok_eq(sysc(SYS_stat, "sub/../sub/./file", &a), 0, "a path with . and ..");
	ok_eq(sysc(SYS_stat, "sub//file", &a), 0, "repeated slashes are one");
	ok_eq(sysc(SYS_stat, "target/..", &a), -ENOTDIR, "a file then ..: ENOTDIR");
	memset(longname, 'x', 256);
	longname[256] = '\0';
	ok_eq(sysc(SYS_open, longname, O_CREAT | O_WRONLY, 0644), -ENAMETOOLONG,
	      "a 256-byte name: ENAMETOOLONG");
	longname[255] = '\0';
	long fd = sysc(SYS_open, longname, O_CREAT | O_WRONLY, 0644);
	ok(fd >= 0, "a 255-byte name is fine");
	sysc(SYS_close, fd);
	sysc(SYS_unlink, longname);
	char *huge = malloc(5000);
	memset(huge, 'a', 4999);
	for (int i = 1; i < 4999; i += 2)
		huge[i] = '/';
	huge[4999] = '\0';
	ok_eq(sysc(SYS_stat, huge, &a), -ENAMETOOLONG, "a path of 4096 bytes or more: ENAMETOOLONG");
	free(huge);
}

static void at_calls(void)
{
	struct stat st;
	char buf[64];

	long dfd = sysc(SYS_open, "sub", O_RDONLY | O_DIRECTORY);
	ok(dfd >= 0, "open a directory");
	long fd = sysc(SYS_openat, dfd, "file", O_RDONLY);
	ok(fd >= 0, "openat relative to it");
	sysc(SYS_close, fd);
	ok_eq(sysc(SYS_openat, dfd, "/tmp", O_RDONLY | O_DIRECTORY) >= 0, 1,
	      "openat ignores the dirfd for an absolute path");
	ok_eq(sysc(SYS_newfstatat, AT_FDCWD, "sub/file", &st, 0), 0, "newfstatat AT_FDCWD");
	ok_eq(sysc(SYS_newfstatat, dfd, "", &st, AT_EMPTY_PATH), 0, "AT_EMPTY_PATH stats the dirfd");
	ok(S_ISDIR(st.st_mode), "which is the directory");
	ok_eq(sysc(SYS_newfstatat, dfd, "", &st, 0), -ENOENT, "\"\" without AT_EMPTY_PATH: ENOENT");
	ok_eq(sysc(SYS_newfstatat, dfd, "file", &st, 0x8000), -EINVAL, "an unknown flag: EINVAL");
	fd = sysc(SYS_open, "target", O_RDONLY);
	ok_eq(sysc(SYS_openat, fd, "x", O_RDONLY), -ENOTDIR, "openat with a file as dirfd: ENOTDIR");
	ok_eq(sysc(SYS_openat, 999, "x", O_RDONLY), -EBADF, "openat with a bad dirfd: EBADF");
	sysc(SYS_close, fd);
	ok_eq(sysc(SYS_mkdirat, dfd, "inner", 0755), 0, "mkdirat");
	ok_eq(sysc(SYS_symlinkat, "inner", dfd, "il"), 0, "symlinkat");
	ok_eq(sysc(SYS_readlinkat, dfd, "il", buf, sizeof(buf)), 5, "readlinkat");
	ok_eq(sysc(SYS_newfstatat, dfd, "il", &st, AT_SYMLINK_NOFOLLOW), 0,
	      "newfstatat AT_SYMLINK_NOFOLLOW");
	ok(S_ISLNK(st.st_mode), "sees the link");
	ok_eq(sysc(SYS_unlinkat, dfd, "il", 0), 0, "unlinkat");
	ok_eq(sysc(SYS_unlinkat, dfd, "inner", 0), -EISDIR, "unlinkat of a directory: EISDIR");
	ok_eq(sysc(SYS_unlinkat, dfd, "inner", AT_REMOVEDIR), 0, "unlinkat AT_REMOVEDIR");
	ok_eq(sysc(SYS_unlinkat, dfd, "file", 0x1), -EINVAL, "unlinkat with a bad flag: EINVAL");
	ok_eq(sysc(SYS_faccessat, dfd, "file", R_OK | W_OK), 0, "faccessat");
	ok_eq(sysc(SYS_faccessat, dfd, "none", F_OK), -ENOENT, "faccessat of a missing file: ENOENT");
	ok_eq(sysc(SYS_access, "sub/file", 8), -EINVAL, "access with a bad mode: EINVAL");
	sysc(SYS_close, dfd);
}

static void cwd(void)
{
	char buf[256], want[256];

	ok(sysc(SYS_getcwd, buf, sizeof(buf)) > 0, "getcwd");
	ok(!strcmp(buf, dir), "gives the test directory");
	ok_eq(sysc(SYS_getcwd, buf, 3), -ERANGE, "getcwd into a small buffer: ERANGE");
	ok_eq(sysc(SYS_chdir, "sub"), 0, "chdir sub");
	snprintf(want, sizeof(want), "%s/sub", dir);
	ok_eq(sysc(SYS_getcwd, buf, sizeof(buf)), (long)strlen(want) + 1, "getcwd returns length + 1");
	ok(!strcmp(buf, want), "and the new directory");
	ok_eq(sysc(SYS_chdir, ".."), 0, "chdir ..");
	ok_eq(sysc(SYS_chdir, "target"), -ENOTDIR, "chdir to a file: ENOTDIR");
	ok_eq(sysc(SYS_chdir, "none"), -ENOENT, "chdir to nothing: ENOENT");
	long dfd = sysc(SYS_open, "dlink", O_RDONLY | O_DIRECTORY);
	ok_eq(sysc(SYS_fchdir, dfd), 0, "fchdir through a symlinked directory");
	ok(sysc(SYS_getcwd, buf, sizeof(buf)) > 0 && !strcmp(buf, want), "getcwd names the real one");
	sysc(SYS_close, dfd);
	long fd = sysc(SYS_open, "file", O_RDONLY);
	ok_eq(sysc(SYS_fchdir, fd), -ENOTDIR, "fchdir to a file: ENOTDIR");
	sysc(SYS_close, fd);
	ok_eq(sysc(SYS_fchdir, 999), -EBADF, "fchdir of a bad fd: EBADF");
	ok_eq(sysc(SYS_chdir, dir), 0, "chdir back");
	sysc(SYS_mkdir, "gone", 0755);
	sysc(SYS_chdir, "gone");
	snprintf(want, sizeof(want), "%s/gone", dir);
	ok_eq(sysc(SYS_rmdir, want), 0, "rmdir the cwd");
	ok_eq(sysc(SYS_getcwd, buf, sizeof(buf)), -ENOENT, "getcwd in a removed directory: ENOENT");
	ok_eq(sysc(SYS_open, "new", O_CREAT | O_WRONLY, 0644), -ENOENT,
	      "creating in a removed directory: ENOENT");
	sysc(SYS_chdir, dir);
}

static void links_and_renames(void)
{
	struct stat st;
	char buf[16];

	touch("a", "A");
	ok_eq(sysc(SYS_link, "a", "b"), 0, "link");
	ok_eq(sysc(SYS_stat, "a", &st), 0, "stat a");
	ok_eq(st.st_nlink, 2, "two links");
	ok_eq(sysc(SYS_link, "a", "b"), -EEXIST, "link over a name: EEXIST");
	ok_eq(sysc(SYS_link, "sub", "subl"), -EPERM, "link of a directory: EPERM");
	ok_eq(sysc(SYS_link, "none", "x"), -ENOENT, "link of nothing: ENOENT");
	ok_eq(sysc(SYS_link, "link", "hl"), 0, "link of a symlink links the symlink");
	ok_eq(sysc(SYS_lstat, "hl", &st), 0, "lstat it");
	ok(S_ISLNK(st.st_mode), "it is a symlink");
	ok_eq(sysc(SYS_linkat, AT_FDCWD, "link", AT_FDCWD, "hf", AT_SYMLINK_FOLLOW), 0,
	      "linkat AT_SYMLINK_FOLLOW links the target");
	ok_eq(sysc(SYS_lstat, "hf", &st), 0, "lstat that");
	ok(S_ISREG(st.st_mode), "it is the file");
	ok_eq(sysc(SYS_unlink, "a"), 0, "unlink one name");
	ok_eq(read_name("b", buf, sizeof(buf)), 1, "the other still reads");
	ok_eq(sysc(SYS_stat, "b", &st), 0, "stat b");
	ok_eq(st.st_nlink, 1, "one link left");

	touch("r1", "1");
	touch("r2", "2");
	ok_eq(sysc(SYS_rename, "r1", "r3"), 0, "rename to a new name");
	ok_eq(sysc(SYS_stat, "r1", &st), -ENOENT, "the old name is gone");
	ok_eq(sysc(SYS_rename, "r3", "r2"), 0, "rename over a file");
	ok(read_name("r2", buf, sizeof(buf)) == 1 && buf[0] == '1', "replaces it");
	ok_eq(sysc(SYS_rename, "r2", "r2"), 0, "rename to itself");
	ok_eq(sysc(SYS_rename, "none", "x"), -ENOENT, "rename of nothing: ENOENT");
	ok_eq(sysc(SYS_rename, "r2", "sub"), -EISDIR, "a file over a directory: EISDIR");
	sysc(SYS_mkdir, "e1", 0755);
	sysc(SYS_mkdir, "e2", 0755);
	touch("e2/x", "");
	ok_eq(sysc(SYS_rename, "e1", "r2"), -ENOTDIR, "a directory over a file: ENOTDIR");
	ok_eq(sysc(SYS_rename, "e1", "e2"), -ENOTEMPTY, "over a non-empty directory: ENOTEMPTY");
	ok_eq(sysc(SYS_rename, "e1", "e1/in"), -EINVAL, "into itself: EINVAL");
	ok_eq(sysc(SYS_rename, "e1", "e3"), 0, "rename a directory");
	ok_eq(sysc(SYS_rename, "e3", "sub/e3"), 0, "move it into another directory");
	ok_eq(sysc(SYS_stat, "sub", &st), 0, "stat the new parent");
	ok_eq(st.st_nlink, 3, "its link count grew");
	ok_eq(sysc(SYS_rename, "sub/e3", "e2/x"), -ENOTDIR, "a directory over a file inside: ENOTDIR");
	ok_eq(sysc(SYS_renameat2, AT_FDCWD, "r2", AT_FDCWD, "b", RENAME_NOREPLACE), -EEXIST,
	      "RENAME_NOREPLACE over a name: EEXIST");
	ok_eq(sysc(SYS_renameat2, AT_FDCWD, "r2", AT_FDCWD, "b", RENAME_EXCHANGE), 0,
	      "RENAME_EXCHANGE");
	ok(read_name("b", buf, sizeof(buf)) == 1 && buf[0] == '1', "swaps the files");
	ok_eq(sysc(SYS_renameat2, AT_FDCWD, "b", AT_FDCWD, "zz", RENAME_EXCHANGE), -ENOENT,
	      "RENAME_EXCHANGE with a missing target: ENOENT");
	ok_eq(sysc(SYS_renameat2, AT_FDCWD, "b", AT_FDCWD, "r2", 3), -EINVAL,
	      "NOREPLACE|EXCHANGE: EINVAL");
	ok_eq(sysc(SYS_rename, "sub/.", "x"), -EBUSY, "rename of '.': EBUSY");
	ok_eq(sysc(SYS_rename, "r2/", "x"), -ENOTDIR, "a file with a trailing slash: ENOTDIR");
	ok_eq(sysc(SYS_rename, "r2", "/proc/../dev/null"), -EXDEV, "across mounts: EXDEV");
}

/* rm -r of @path, depth first, with raw calls. */
static void remove_tree(const char *path)
{
	char buf[1024];
	long fd = sysc(SYS_open, path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
	if (fd < 0) {
		sysc(SYS_unlink, path);
		return;
	}
	for (;;) {
		long got = sysc(SYS_getdents64, fd, buf, sizeof(buf));
		if (got <= 0)
			break;
		for (long off = 0; off < got;) {
			char *name = buf + off + 19;
			unsigned short reclen = *(unsigned short *)(buf + off + 16);
			if (strcmp(name, ".") && strcmp(name, "..")) {
				char sub[600];
				snprintf(sub, sizeof(sub), "%s/%s", path, name);
				remove_tree(sub);
			}
			off += reclen;
		}
	}
	sysc(SYS_close, fd);
	sysc(SYS_rmdir, path);
}

int main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/fs_path.%ld", sysc(SYS_getpid));
	sysc(SYS_umask, 022);
	if (sysc(SYS_mkdir, dir, 0755) || sysc(SYS_chdir, dir)) {
		tap_diag("cannot make and enter %s", dir);
		return 1;
	}
	symlinks();
	dots_and_names();
	at_calls();
	cwd();
	links_and_renames();
	sysc(SYS_chdir, "/");
	remove_tree(dir);
	struct stat st;
	ok_eq(sysc(SYS_stat, dir, &st), -ENOENT, "the test directory is removed again");
	return tap_done();
}
