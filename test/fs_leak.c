/*
 * fs_leak: loops of thousands of file-system operations that must leave
 * nothing behind: open/close, create/write/unlink, mkdir/rmdir,
 * symlink/rename/unlink, FIFOs, O_TMPFILE files, pipes, sendfile and
 * tmpfs mounts. Each loop checks the lowest free descriptor is the same
 * afterwards; on Jinux test/run.sh also compares the kernel's frames,
 * heap and tasks at power-off with their values at start (check_leak).
 */
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/tap.h"

#ifndef O_TMPFILE
#define O_TMPFILE 020200000
#endif

#define N 2000

static char dir[64];

static long lowest_fd(void)
{
	long fd = sysc(SYS_dup, 0);
	sysc(SYS_close, fd);
	return fd;
}

/* Run @fn @n times; it returns 0 on success. One check for the loop. */
static void loop(const char *desc, int n, int (*fn)(int i))
{
	long before = lowest_fd();
	int i, bad = 0;
	for (i = 0; i < n && !bad; i++)
		bad = fn(i);
	ok_why(!bad && lowest_fd() == before, desc, "step %d failed (%d), lowest fd %ld was %ld",
	       i - 1, bad, lowest_fd(), before);
}

static int open_close(int i)
{
	(void)i;
	long fd = sysc(SYS_open, "keep", O_RDONLY);
	return fd < 0 ? 1 : (int)sysc(SYS_close, fd);
}

static int create_unlink(int i)
{
	char name[32], buf[300];
	snprintf(name, sizeof(name), "f%d", i % 7);
	memset(buf, 'a' + i % 26, sizeof(buf));
	long fd = sysc(SYS_open, name, O_CREAT | O_EXCL | O_RDWR, 0644);
	if (fd < 0 || sysc(SYS_write, fd, buf, (i * 37) % sizeof(buf) + 1) <= 0)
		return 1;
	sysc(SYS_close, fd);
	return sysc(SYS_unlink, name) ? 2 : 0;
}

static int unlink_open(int i)
{
	(void)i;
	long fd = sysc(SYS_open, "u", O_CREAT | O_RDWR, 0644);
	if (fd < 0 || sysc(SYS_unlink, "u") || sysc(SYS_write, fd, "data", 4) != 4)
		return 1;
	return (int)sysc(SYS_close, fd);
}

static int dirs(int i)
{
	(void)i;
	if (sysc(SYS_mkdir, "d", 0755) || sysc(SYS_mkdir, "d/e", 0755))
		return 1;
	long fd = sysc(SYS_open, "d", O_RDONLY | O_DIRECTORY);
	char buf[256];
	if (fd < 0 || sysc(SYS_getdents64, fd, buf, sizeof(buf)) <= 0)
		return 2;
	sysc(SYS_close, fd);
	return sysc(SYS_rmdir, "d/e") || sysc(SYS_rmdir, "d") ? 3 : 0;
}

static int links(int i)
{
	(void)i;
	if (sysc(SYS_symlink, "keep", "s") || sysc(SYS_link, "keep", "h") ||
	    sysc(SYS_rename, "h", "h2") || sysc(SYS_rename, "s", "h2"))
		return 1;
	return sysc(SYS_unlink, "h2") ? 2 : 0;
}

static int fifos(int i)
{
	(void)i;
	if (sysc(SYS_mknod, "p", S_IFIFO | 0600, 0))
		return 1;
	long fd = sysc(SYS_open, "p", O_RDWR);
	if (fd < 0 || sysc(SYS_write, fd, "x", 1) != 1)
		return 2;
	sysc(SYS_close, fd);
	return sysc(SYS_unlink, "p") ? 3 : 0;
}

static int tmpfiles(int i)
{
	long fd = sysc(SYS_open, ".", O_TMPFILE | O_RDWR, 0600);
	if (fd < 0 || sysc(SYS_write, fd, "tmp", 3) != 3)
		return 1;
	if (i % 2 == 0 && (sysc(SYS_linkat, fd, "", AT_FDCWD, "t", AT_EMPTY_PATH) ||
			   sysc(SYS_unlink, "t")))
		return 2;
	return (int)sysc(SYS_close, fd);
}

static int pipes_and_copies(int i)
{
	int p[2];
	int64_t off = 0;
	(void)i;
	if (sysc(SYS_pipe2, p, O_CLOEXEC))
		return 1;
	long fd = sysc(SYS_open, "keep", O_RDONLY);
	if (fd < 0 || sysc(SYS_sendfile, p[1], fd, &off, 100) != 100)
		return 2;
	sysc(SYS_close, fd);
	sysc(SYS_close, p[0]);
	return (int)sysc(SYS_close, p[1]);
}

static int mounts(int i)
{
	(void)i;
	if (sysc(SYS_mount, "none", "m", "tmpfs", 0, "size=64k"))
		return 1;
	long fd = sysc(SYS_open, "m/file", O_CREAT | O_RDWR, 0644);
	if (fd < 0 || sysc(SYS_write, fd, "mounted", 7) != 7)
		return 2;
	sysc(SYS_close, fd);
	return sysc(SYS_umount2, "m", 0) ? 3 : 0;
}

int main(void)
{
	char buf[4096];
	snprintf(dir, sizeof(dir), "/tmp/fs_leak.%ld", sysc(SYS_getpid));
	sysc(SYS_umask, 022);
	if (sysc(SYS_mkdir, dir, 0755) || sysc(SYS_chdir, dir)) {
		tap_diag("cannot make and enter %s", dir);
		return 1;
	}
	long fd = sysc(SYS_open, "keep", O_CREAT | O_RDWR, 0644);
	memset(buf, 'k', sizeof(buf));
	sysc(SYS_write, fd, buf, sizeof(buf));
	sysc(SYS_close, fd);
	sysc(SYS_mkdir, "m", 0755);
	loop("2000 open/close of one file", N, open_close);
	loop("2000 create/write/unlink", N, create_unlink);
	loop("2000 open, unlink, write, close", N, unlink_open);
	loop("1000 mkdir/getdents/rmdir of a nested pair", N / 2, dirs);
	loop("1000 symlink, link, rename over, unlink", N / 2, links);
	loop("1000 FIFO mknod, open O_RDWR, write, close, unlink", N / 2, fifos);
	loop("1000 O_TMPFILE files, half of them linked and unlinked", N / 2, tmpfiles);
	loop("1000 pipes fed by sendfile", N / 2, pipes_and_copies);
	loop("200 tmpfs mount, write, umount", 200, mounts);
	sysc(SYS_rmdir, "m");
	sysc(SYS_unlink, "keep");
	sysc(SYS_chdir, "/");
	ok_eq(sysc(SYS_rmdir, dir), 0, "the test directory is removed again (nothing left in it)");
	return tap_done();
}
