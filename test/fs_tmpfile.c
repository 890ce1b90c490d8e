/*
 * fs_tmpfile: open(2) with O_TMPFILE, and utimes/futimesat. An O_TMPFILE
 * file is a regular file with no name and no links that reads and writes
 * like any other, is gone when closed, and can be given a name with
 * linkat(AT_EMPTY_PATH) unless it was opened with O_EXCL. Error cases:
 * EINVAL (read-only, O_CREAT), ENOTDIR, ENOENT. utimes and futimesat
 * set times in microseconds, NULL means now, EINVAL for a bad tv_usec.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "lib/tap.h"

#ifndef O_TMPFILE
#define O_TMPFILE 020200000
#endif

static char dir[64];

static void o_tmpfile(void)
{
	struct stat st;
	char buf[8];
	long fd = sysc(SYS_open, ".", O_TMPFILE | O_RDWR, 0640);
	ok(fd >= 0, "O_TMPFILE|O_RDWR in a directory opens a new file");
	ok_eq(sysc(SYS_fstat, fd, &st), 0, "fstat it");
	ok(S_ISREG(st.st_mode) && (st.st_mode & 0777) == 0640, "a regular file with the mode asked");
	ok_eq(st.st_nlink, 0, "with no links");
	ok_eq(sysc(SYS_write, fd, "temp", 4), 4, "write to it");
	ok_eq(sysc(SYS_pread64, fd, buf, 4, 0), 4, "read it back");
	ok(!memcmp(buf, "temp", 4), "the same bytes");
	ok_eq(sysc(SYS_linkat, fd, "", AT_FDCWD, "named", AT_EMPTY_PATH), 0,
	      "linkat(AT_EMPTY_PATH) gives it a name");
	ok_eq(sysc(SYS_stat, "named", &st), 0, "the name exists");
	ok(st.st_nlink == 1 && st.st_size == 4, "one link, four bytes");
	sysc(SYS_close, fd);
	sysc(SYS_unlink, "named");

	fd = sysc(SYS_open, ".", O_TMPFILE | O_WRONLY | O_EXCL, 0600);
	ok(fd >= 0, "O_TMPFILE|O_EXCL opens");
	ok_eq(sysc(SYS_linkat, fd, "", AT_FDCWD, "never", AT_EMPTY_PATH), -ENOENT,
	      "but can never be linked: ENOENT");
	sysc(SYS_close, fd);
	ok_eq(sysc(SYS_open, ".", O_TMPFILE | O_RDONLY, 0600), -EINVAL, "O_TMPFILE read-only: EINVAL");
	ok_eq(sysc(SYS_open, ".", O_TMPFILE | O_RDWR | O_CREAT, 0600), -EINVAL, "with O_CREAT: EINVAL");
	fd = sysc(SYS_open, "file", O_CREAT | O_WRONLY, 0600);
	sysc(SYS_close, fd);
	ok_eq(sysc(SYS_open, "file", O_TMPFILE | O_RDWR, 0600), -ENOTDIR, "on a file: ENOTDIR");
	ok_eq(sysc(SYS_open, "nodir", O_TMPFILE | O_RDWR, 0600), -ENOENT, "in a missing directory: ENOENT");
}

static void utimes_calls(void)
{
	struct stat st;
	struct timeval tv[2] = { { 1000000000, 250000 }, { 1100000000, 500000 } };
	ok_eq(sysc(SYS_utimes, "file", tv), 0, "utimes sets both times");
	sysc(SYS_stat, "file", &st);
	ok(st.st_atim.tv_sec == 1000000000 && st.st_atim.tv_nsec == 250000000, "atime from microseconds");
	ok(st.st_mtim.tv_sec == 1100000000 && st.st_mtim.tv_nsec == 500000000, "mtime from microseconds");
	long d = sysc(SYS_open, ".", O_RDONLY | O_DIRECTORY);
	tv[1].tv_sec = 1200000000;
	ok_eq(sysc(SYS_futimesat, d, "file", tv), 0, "futimesat relative to a directory");
	sysc(SYS_stat, "file", &st);
	ok_eq(st.st_mtim.tv_sec, 1200000000, "the new mtime");
	ok_eq(sysc(SYS_utimes, "file", NULL), 0, "utimes(NULL) sets now");
	sysc(SYS_stat, "file", &st);
	ok(st.st_mtim.tv_sec > 1600000000, "mtime is now");
	tv[0].tv_usec = 1000000;
	ok_eq(sysc(SYS_utimes, "file", tv), -EINVAL, "tv_usec of a million: EINVAL");
	ok_eq(sysc(SYS_utimes, "file", (void *)8), -EFAULT, "a bad times pointer: EFAULT");
	ok_eq(sysc(SYS_utimes, (void *)8, NULL), -EFAULT, "a bad path pointer: EFAULT");
	ok_eq(sysc(SYS_utimes, "missing", NULL), -ENOENT, "a missing file: ENOENT");
	sysc(SYS_close, d);
}

int main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/fs_tmpfile.%ld", sysc(SYS_getpid));
	sysc(SYS_umask, 022);
	if (sysc(SYS_mkdir, dir, 0755) || sysc(SYS_chdir, dir)) {
		tap_diag("cannot make and enter %s", dir);
		return 1;
	}
	o_tmpfile();
	utimes_calls();
	sysc(SYS_unlink, "file");
	sysc(SYS_chdir, "/");
	ok_eq(sysc(SYS_rmdir, dir), 0, "the test directory is removed again");
	return tap_done();
}
