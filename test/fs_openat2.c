/*
 * openat2(2): struct open_how is checked strictly, then it opens like
 * openat; the RESOLVE_* flags limit the path walk (NO_XDEV, NO_SYMLINKS,
 * NO_MAGICLINKS, BENEATH, IN_ROOT, CACHED). The walks run in a tree made
 * in /tmp/fs_openat2.PID, with a tmpfs mounted inside it for NO_XDEV.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/sys.h"
#include "lib/tap.h"

#define NR_openat2 437

#define RESOLVE_NO_XDEV 0x01
#define RESOLVE_NO_MAGICLINKS 0x02
#define RESOLVE_NO_SYMLINKS 0x04
#define RESOLVE_BENEATH 0x08
#define RESOLVE_IN_ROOT 0x10
#define RESOLVE_CACHED 0x20

struct how {
	uint64_t flags, mode, resolve;
};

static char dir[64];  /* the test's tree */
static int dfd;       /* an O_DIRECTORY descriptor of it */

static long openat2(const char *path, const void *how, size_t size)
{
	return sysc(NR_openat2, AT_FDCWD, path, how, size);
}

/* openat2 from @at; the descriptor is closed again. Return: 0 or -errno. */
static long try_open(int at, const char *path, uint64_t flags, uint64_t resolve)
{
	struct how h = { flags, (flags & O_CREAT) ? 0644 : 0, resolve };
	long fd = sysc(NR_openat2, at, path, &h, sizeof(h));
	if (fd < 0)
		return fd;
	sysc(SYS_close, fd);
	return 0;
}

/* Does openat2(@at, @path, O_RDONLY, @resolve) open the file @want names? */
static void opens_as(int at, const char *path, uint64_t resolve, const char *want,
		     const char *desc)
{
	struct how h = { O_RDONLY, 0, resolve };
	struct stat got, exp;
	long fd = sysc(NR_openat2, at, path, &h, sizeof(h));
	if (fd < 0) {
		ok_eq(fd, 0, desc);
		return;
	}
	long err = sysc(SYS_fstat, fd, &got);
	sysc(SYS_close, fd);
	if (!err)
		err = sysc(SYS_newfstatat, dfd, want, &exp, 0);
	ok_why(!err && got.st_dev == exp.st_dev && got.st_ino == exp.st_ino, desc,
	       "fstat %ld, or another file than %s", err, want);
}

static void how_checks(void)
{
	struct how h = { O_RDONLY, 0, 0 };
	long fd = openat2("/", &h, sizeof(h));
	ok(fd >= 0, "openat2 opens / read-only");
	if (fd >= 0)
		close((int)fd);
	ok_eq(openat2("/", &h, 16), -EINVAL, "a size below 24 is EINVAL");
	ok_eq(openat2("/", &h, 8192), -E2BIG, "a size above a page is E2BIG");
	unsigned char big[32];
	memset(big, 0, sizeof(big));
	memcpy(big, &h, sizeof(h));
	fd = openat2("/", big, sizeof(big));
	ok(fd >= 0, "a larger struct with zero tail is accepted");
	if (fd >= 0)
		close((int)fd);
	big[30] = 1;
	ok_eq(openat2("/", big, sizeof(big)), -E2BIG, "a non-zero unknown tail is E2BIG");
	struct how bad = { 1ULL << 40, 0, 0 };
	ok_eq(openat2("/", &bad, sizeof(bad)), -EINVAL, "unknown flag bits are EINVAL");
	struct how mode = { O_RDONLY, 0644, 0 };
	ok_eq(openat2("/", &mode, sizeof(mode)), -EINVAL, "a mode without O_CREAT is EINVAL");
	struct how res = { O_RDONLY, 0, 1ULL << 20 };
	ok_eq(openat2("/", &res, sizeof(res)), -EINVAL, "unknown resolve bits are EINVAL");
	struct how both = { O_RDONLY, 0, RESOLVE_BENEATH | RESOLVE_IN_ROOT };
	ok_eq(openat2("/", &both, sizeof(both)), -EINVAL, "RESOLVE_BENEATH with IN_ROOT is EINVAL");
	struct how opath = { O_PATH | O_RDWR, 0, 0 };
	ok_eq(openat2("/", &opath, sizeof(opath)), -EINVAL, "O_PATH with O_RDWR is EINVAL");
	ok_eq(openat2("/", (void *)8, sizeof(h)), -EFAULT, "a bad how pointer is EFAULT");
	struct how creat = { O_CREAT | O_WRONLY | O_EXCL, 0600, 0 };
	fd = openat2("/tmp/openat2.test", &creat, sizeof(creat));
	ok(fd >= 0, "O_CREAT|O_EXCL with a mode creates");
	if (fd >= 0)
		close((int)fd);
	ok_eq(openat2("/tmp/openat2.test", &creat, sizeof(creat)), -EEXIST, "and again is EEXIST");
	unlink("/tmp/openat2.test");
	ok_eq(openat2("/nonexistent/x", &h, sizeof(h)), -ENOENT, "a missing path is ENOENT");
}

static void no_symlinks(void)
{
	const uint64_t r = RESOLVE_NO_SYMLINKS;
	ok_eq(try_open(dfd, "a/f", O_RDONLY, r), 0, "NO_SYMLINKS: a path without symlinks opens");
	ok_eq(try_open(dfd, "lnk_dir/f", O_RDONLY, r), -ELOOP,
	      "NO_SYMLINKS: an intermediate symlink is ELOOP");
	ok_eq(try_open(dfd, "lnk_f", O_RDONLY, r), -ELOOP, "NO_SYMLINKS: a final symlink is ELOOP");
	ok_eq(try_open(dfd, "lnk_dir/", O_RDONLY, r), -ELOOP,
	      "NO_SYMLINKS: a final symlink with a trailing slash is ELOOP");
	ok_eq(try_open(dfd, "lnk_f", O_RDONLY | O_NOFOLLOW, r), -ELOOP,
	      "NO_SYMLINKS with O_NOFOLLOW: a final symlink is still ELOOP");
	struct how h = { O_PATH | O_NOFOLLOW, 0, r };
	struct stat st;
	long fd = sysc(NR_openat2, dfd, "lnk_f", &h, sizeof(h));
	long err = fd < 0 ? fd : sysc(SYS_fstat, fd, &st);
	ok_why(!err && S_ISLNK(st.st_mode), "NO_SYMLINKS with O_PATH|O_NOFOLLOW opens the link itself",
	       "got %ld %s", err, tap_errname(err));
	if (fd >= 0)
		sysc(SYS_close, fd);
	ok_eq(try_open(dfd, "dangling", O_CREAT | O_WRONLY, r), -ELOOP,
	      "NO_SYMLINKS with O_CREAT: a final symlink is ELOOP");
	ok_eq(sysc(SYS_newfstatat, dfd, "a/new", &st, 0), -ENOENT, "and its target was not created");
	ok_eq(try_open(dfd, "lnk_f", O_RDONLY, RESOLVE_NO_MAGICLINKS), 0,
	      "NO_MAGICLINKS: an ordinary symlink is followed");
}

static void beneath(void)
{
	const uint64_t r = RESOLVE_BENEATH;
	char path[160];
	opens_as(dfd, "a/f", r, "a/f", "BENEATH: a path below the dirfd opens");
	opens_as(dfd, "a/../f", r, "f", "BENEATH: \"..\" that stays below the dirfd is allowed");
	opens_as(dfd, "a/rel", r, "f", "BENEATH: a relative symlink that stays below is followed");
	opens_as(dfd, ".", r, ".", "BENEATH: \".\" is the dirfd");
	ok_eq(try_open(dfd, "..", O_RDONLY, r), -EXDEV, "BENEATH: \"..\" of the dirfd is EXDEV");
	snprintf(path, sizeof(path), "a/../..%s/f", strrchr(dir, '/'));
	ok_eq(try_open(dfd, path, O_RDONLY, r), -EXDEV,
	      "BENEATH: \"..\" out and back in again is EXDEV");
	snprintf(path, sizeof(path), "%s/f", dir);
	ok_eq(try_open(dfd, path, O_RDONLY, r), -EXDEV, "BENEATH: an absolute path is EXDEV");
	ok_eq(try_open(dfd, "/", O_RDONLY, r), -EXDEV, "BENEATH: \"/\" is EXDEV");
	ok_eq(try_open(dfd, "abs", O_RDONLY, r), -EXDEV,
	      "BENEATH: an absolute symlink (even to a file below) is EXDEV");
	ok_eq(try_open(dfd, "up/f", O_RDONLY, r), -EXDEV,
	      "BENEATH: a symlink to \"..\" is EXDEV");
	ok_eq(try_open(dfd, "../beneath.new", O_CREAT | O_WRONLY, r), -EXDEV,
	      "BENEATH with O_CREAT: \"..\" is EXDEV");
	snprintf(path, sizeof(path), "%s.new", dir);
	struct stat st;
	ok_eq(sysc(SYS_stat, path, &st), -ENOENT, "and nothing was created");
	ok_eq(try_open(dfd, "..", O_TMPFILE | O_RDWR, r), -EXDEV,
	      "BENEATH with O_TMPFILE: \"..\" is EXDEV");
}

static void in_root(void)
{
	const uint64_t r = RESOLVE_IN_ROOT;
	opens_as(dfd, "/f", r, "f", "IN_ROOT: an absolute path starts at the dirfd");
	opens_as(dfd, "/", r, ".", "IN_ROOT: \"/\" is the dirfd");
	opens_as(dfd, "..", r, ".", "IN_ROOT: \"..\" of the dirfd stays there");
	opens_as(dfd, "/../../a/f", r, "a/f", "IN_ROOT: \"..\" above the root stays inside");
	opens_as(dfd, "root_abs", r, "a/f", "IN_ROOT: an absolute symlink resolves inside");
	opens_as(dfd, "up/up/f", r, "f", "IN_ROOT: symlinks to \"..\" stay inside");
	ok_eq(try_open(dfd, "abs", O_RDONLY, r), -ENOENT,
	      "IN_ROOT: an absolute symlink to the real path is looked up inside (ENOENT)");
}

static void cached(void)
{
	const uint64_t r = RESOLVE_CACHED;
	long got = try_open(dfd, "a/f", O_RDONLY, r);
	/* Linux may always say EAGAIN; an answer from memory is open's. */
	ok_why(got == 0 || got == -EAGAIN, "CACHED: a plain open succeeds or is EAGAIN",
	       "got %ld %s", got, tap_errname(got));
	ok_eq(try_open(dfd, "cached.new", O_CREAT | O_WRONLY, r), -EAGAIN,
	      "CACHED with O_CREAT is EAGAIN");
	struct stat st;
	ok_eq(sysc(SYS_newfstatat, dfd, "cached.new", &st, 0), -ENOENT, "and nothing was created");
	ok_eq(try_open(dfd, "a/f", O_TRUNC | O_WRONLY, r), -EAGAIN, "CACHED with O_TRUNC is EAGAIN");
	ok_eq(try_open(dfd, ".", O_TMPFILE | O_RDWR, r), -EAGAIN, "CACHED with O_TMPFILE is EAGAIN");
}

static const char *const xdev_checks[] = {
	"NO_XDEV: a path on the dirfd's mount opens",
	"NO_XDEV: a mount point as the last name is EXDEV",
	"NO_XDEV: a path into a mount is EXDEV",
	"NO_XDEV: an absolute path into a mount is EXDEV",
	"NO_XDEV: a symlink into a mount is EXDEV",
	"NO_XDEV with O_CREAT: a path into a mount is EXDEV",
	"NO_XDEV: a path inside the mount, from its root, opens",
	"NO_XDEV: \"..\" out of a mount is EXDEV",
	"NO_XDEV: \"../f\" out of a mount is EXDEV",
	"NO_XDEV: an absolute symlink out of a mount is EXDEV",
};

/* RESOLVE_NO_XDEV across a tmpfs mounted on @dir/m. */
static void no_xdev(void)
{
	const uint64_t r = RESOLVE_NO_XDEV;
	const char *const *c = xdev_checks;
	char path[160];
	snprintf(path, sizeof(path), "%s/m", dir);
	long err = sysc(SYS_mount, "none", path, "tmpfs", 0, 0);
	if (err == -EPERM) {
		for (size_t i = 0; i < sizeof(xdev_checks) / sizeof(*c); i++) {
			snprintf(path, sizeof(path), "%s # SKIP mount is EPERM here", c[i]);
			ok(1, path);
		}
		return;
	}
	ok_eq(err, 0, "a tmpfs mounted in the test directory");
	long fd = sysc(SYS_openat, dfd, "m/g", O_CREAT | O_WRONLY, 0644);
	sysc(SYS_close, fd);
	sysc(SYS_symlinkat, dir, dfd, "m/abs");
	ok_eq(try_open(dfd, "a/f", O_RDONLY, r), 0, *c++);
	ok_eq(try_open(dfd, "m", O_RDONLY, r), -EXDEV, *c++);
	ok_eq(try_open(dfd, "m/g", O_RDONLY, r), -EXDEV, *c++);
	snprintf(path, sizeof(path), "%s/m/g", dir);
	ok_eq(try_open(AT_FDCWD, path, O_RDONLY, r), -EXDEV, *c++);
	ok_eq(try_open(dfd, "lnk_m", O_RDONLY, r), -EXDEV, *c++);
	ok_eq(try_open(dfd, "m/new", O_CREAT | O_WRONLY, r), -EXDEV, *c++);
	long mfd = sysc(SYS_openat, dfd, "m", O_RDONLY | O_DIRECTORY);
	ok_eq(try_open((int)mfd, "g", O_RDONLY, r), 0, *c++);
	ok_eq(try_open((int)mfd, "..", O_RDONLY, r), -EXDEV, *c++);
	ok_eq(try_open((int)mfd, "../f", O_RDONLY, r), -EXDEV, *c++);
	ok_eq(try_open((int)mfd, "abs", O_RDONLY, r), -EXDEV, *c++);
	sysc(SYS_close, mfd);
	snprintf(path, sizeof(path), "%s/m", dir);
	ok_eq(sysc(SYS_umount2, path, 0), 0, "the tmpfs is unmounted again");
}

/* The tree: f, a/f, m/, and symlinks around them. */
static int make_tree(void)
{
	char abs[96];
	snprintf(abs, sizeof(abs), "%s/a/f", dir);
	static const char *const links[][2] = {
		{ "a", "lnk_dir" }, { "a/f", "lnk_f" }, { "/a/f", "root_abs" },
		{ "..", "up" },     { "../f", "a/rel" }, { "a/new", "dangling" },
		{ "m/g", "lnk_m" },
	};
	if (sysc(SYS_mkdir, dir, 0755) < 0)
		return -1;
	dfd = (int)sysc(SYS_open, dir, O_RDONLY | O_DIRECTORY);
	if (dfd < 0 || sysc(SYS_mkdirat, dfd, "a", 0755) || sysc(SYS_mkdirat, dfd, "m", 0755))
		return -1;
	for (int i = 0; i < 2; i++) {
		long fd = sysc(SYS_openat, dfd, i ? "a/f" : "f", O_CREAT | O_WRONLY, 0644);
		if (fd < 0)
			return -1;
		sysc(SYS_close, fd);
	}
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++)
		if (sysc(SYS_symlinkat, links[i][0], dfd, links[i][1]))
			return -1;
	return sysc(SYS_symlinkat, abs, dfd, "abs") ? -1 : 0;
}

static void remove_tree(void)
{
	static const char *const files[] = {
		"f", "a/f", "lnk_dir", "lnk_f", "root_abs", "up", "a/rel", "dangling",
		"lnk_m", "abs",
	};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		sysc(SYS_unlinkat, dfd, files[i], 0);
	sysc(SYS_unlinkat, dfd, "a", AT_REMOVEDIR);
	sysc(SYS_unlinkat, dfd, "m", AT_REMOVEDIR);
	sysc(SYS_close, dfd);
	ok_eq(sysc(SYS_rmdir, dir), 0, "the test directory is removed again");
}

int main(void)
{
	how_checks();
	snprintf(dir, sizeof(dir), "/tmp/fs_openat2.%ld", sysc(SYS_getpid));
	if (make_tree()) {
		tap_diag("cannot make the tree in %s", dir);
		return 1;
	}
	no_symlinks();
	beneath();
	in_root();
	cached();
	no_xdev();
	remove_tree();
	return tap_done();
}
