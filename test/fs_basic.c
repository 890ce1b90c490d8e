/*
 * fs_basic: regular files and directories through raw system calls:
 * open/openat/creat with O_CREAT, O_EXCL, O_TRUNC, O_APPEND; read,
 * write, pread64, pwrite64, readv, writev, preadv, pwritev, lseek;
 * stat/fstat/lstat and
 * newfstatat; ftruncate/truncate; getdents64; mkdir/rmdir; unlink; and
 * their error cases (EEXIST, ENOENT, EISDIR, ENOTDIR, EBADF, EFAULT,
 * ENOTEMPTY, EINVAL). Works in a fresh directory under /tmp.
 */
#include <fcntl.h>
#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "lib/tap.h"

struct dirent64_raw {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

static char dir[64];

static void files(void)
{
	char buf[64] = { 0 };
	struct stat st;

	long fd = sysc(SYS_open, "f", O_CREAT | O_RDWR | O_EXCL, 0640);
	ok(fd >= 3, "open(O_CREAT|O_EXCL) creates a new file");
	ok_eq(sysc(SYS_open, "f", O_CREAT | O_RDWR | O_EXCL, 0640), -EEXIST,
	      "O_CREAT|O_EXCL on an existing file is EEXIST");
	ok_eq(sysc(SYS_write, fd, "hello world", 11), 11, "write 11 bytes");
	ok_eq(sysc(SYS_lseek, fd, 0, SEEK_CUR), 11, "the offset moved to 11");
	ok_eq(sysc(SYS_lseek, fd, 0, SEEK_SET), 0, "lseek SEEK_SET 0");
	ok_eq(sysc(SYS_read, fd, buf, sizeof(buf)), 11, "read gives the 11 bytes");
	ok(!memcmp(buf, "hello world", 11), "the bytes written");
	ok_eq(sysc(SYS_read, fd, buf, sizeof(buf)), 0, "read at the end gives 0");
	ok_eq(sysc(SYS_pwrite64, fd, "W", 1, 6), 1, "pwrite64 at offset 6");
	ok_eq(sysc(SYS_lseek, fd, 0, SEEK_CUR), 11, "pwrite64 leaves the offset");
	ok_eq(sysc(SYS_pread64, fd, buf, 5, 6), 5, "pread64 at offset 6");
	ok(!memcmp(buf, "World", 5), "pread64 sees the pwrite64");
	ok_eq(sysc(SYS_pread64, fd, buf, 5, -1), -EINVAL, "pread64 at a negative offset: EINVAL");
	ok_eq(sysc(SYS_lseek, fd, -1, SEEK_SET), -EINVAL, "lseek to a negative offset: EINVAL");
	ok_eq(sysc(SYS_lseek, fd, 5, SEEK_END), 16, "lseek SEEK_END past the end");
	ok_eq(sysc(SYS_write, fd, "!", 1), 1, "write past the end");
	ok_eq(sysc(SYS_pread64, fd, buf, 6, 11), 6, "the gap reads back");
	ok(!memcmp(buf, "\0\0\0\0\0!", 6), "as zeros");
	ok_eq(sysc(SYS_fstat, fd, &st), 0, "fstat");
	ok(S_ISREG(st.st_mode) && (st.st_mode & 07777) == (0640 & ~022), "mode: regular, 0640 less umask");
	ok_eq(st.st_size, 17, "st_size 17");
	ok_eq(st.st_nlink, 1, "st_nlink 1");
	ok_eq(sysc(SYS_ftruncate, fd, 5), 0, "ftruncate to 5");
	ok_eq(sysc(SYS_stat, "f", &st), 0, "stat by name");
	ok_eq(st.st_size, 5, "the size is 5");
	ok_eq(sysc(SYS_ftruncate, fd, -1), -EINVAL, "ftruncate to -1: EINVAL");
	ok_eq(sysc(SYS_close, fd), 0, "close");
	ok_eq(sysc(SYS_read, fd, buf, 1), -EBADF, "read on a closed descriptor: EBADF");

	fd = sysc(SYS_open, "f", O_WRONLY | O_APPEND);
	ok(fd >= 0, "open O_WRONLY|O_APPEND");
	sysc(SYS_lseek, fd, 0, SEEK_SET);
	ok_eq(sysc(SYS_write, fd, "XY", 2), 2, "append write");
	ok_eq(sysc(SYS_read, fd, buf, 1), -EBADF, "read on an O_WRONLY descriptor: EBADF");
	sysc(SYS_close, fd);
	fd = sysc(SYS_open, "f", O_RDONLY);
	ok_eq(sysc(SYS_read, fd, buf, sizeof(buf)), 7, "the file is 7 bytes");
	ok(!memcmp(buf, "helloXY", 7), "O_APPEND wrote at the end");
	ok_eq(sysc(SYS_write, fd, "z", 1), -EBADF, "write on an O_RDONLY descriptor: EBADF");
	ok_eq(sysc(SYS_write, fd, BAD_LOW_PTR, 1), -EBADF, "EBADF comes before EFAULT");
	sysc(SYS_close, fd);
	fd = sysc(SYS_open, "f", O_RDWR | O_TRUNC);
	ok_eq(sysc(SYS_fstat, fd, &st), 0, "open O_TRUNC");
	ok_eq(st.st_size, 0, "O_TRUNC empties the file");
	ok_eq(sysc(SYS_write, fd, BAD_LOW_PTR, 4), -EFAULT, "write from a bad pointer: EFAULT");
	ok_eq(sysc(SYS_read, fd, BAD_LOW_PTR, 4), 0, "read at the end needs no buffer");
	sysc(SYS_write, fd, "abcd", 4);
	sysc(SYS_lseek, fd, 0, SEEK_SET);
	ok_eq(sysc(SYS_read, fd, BAD_LOW_PTR, 4), -EFAULT, "read into a bad pointer: EFAULT");
	struct iovec iov[2] = { { buf, 2 }, { buf + 10, 2 } };
	ok_eq(sysc(SYS_readv, fd, iov, 2), 4, "readv scatters 4 bytes");
	ok(!memcmp(buf, "ab", 2) && !memcmp(buf + 10, "cd", 2), "into both buffers");
	struct iovec wv[2] = { { "12", 2 }, { "345", 3 } };
	ok_eq(sysc(SYS_writev, fd, wv, 2), 5, "writev gathers 5 bytes");
	ok_eq(sysc(SYS_pread64, fd, buf, 9, 0), 9, "the file is 9 bytes");
	ok(!memcmp(buf, "abcd12345", 9), "writev appended at the offset");
	sysc(SYS_close, fd);

	fd = sysc(SYS_creat, "g", 0600);
	ok(fd >= 0, "creat makes a file");
	ok_eq(sysc(SYS_read, fd, buf, 1), -EBADF, "creat opens write-only");
	sysc(SYS_close, fd);
	ok_eq(sysc(SYS_truncate, "g", 100), 0, "truncate by name grows the file");
	ok_eq(sysc(SYS_stat, "g", &st), 0, "stat g");
	ok_eq(st.st_size, 100, "to 100 bytes");
	ok_eq(sysc(SYS_open, "missing", O_RDONLY), -ENOENT, "open of a missing file: ENOENT");
	ok_eq(sysc(SYS_open, "f/x", O_RDONLY), -ENOTDIR, "a file as a directory: ENOTDIR");
	ok_eq(sysc(SYS_open, "f/", O_RDONLY), -ENOTDIR, "a file with a trailing slash: ENOTDIR");
	ok_eq(sysc(SYS_open, "nodir/x", O_CREAT | O_RDWR, 0600), -ENOENT,
	      "O_CREAT in a missing directory: ENOENT");
	ok_eq(sysc(SYS_open, BAD_LOW_PTR, O_RDONLY), -EFAULT, "open of a bad pointer: EFAULT");
	ok_eq(sysc(SYS_open, "", O_RDONLY), -ENOENT, "open of an empty path: ENOENT");
	ok_eq(sysc(SYS_stat, "f", BAD_LOW_PTR), -EFAULT, "stat into a bad pointer: EFAULT");
	ok_eq(sysc(SYS_unlink, "g"), 0, "unlink g");
	ok_eq(sysc(SYS_stat, "g", &st), -ENOENT, "it is gone");
	ok_eq(sysc(SYS_unlink, "g"), -ENOENT, "unlink again: ENOENT");
}

/* preadv/pwritev: scatter-gather at an offset, leaving the file offset. */
static void vectored_at(void)
{
	char a[4] = { 0 }, b[4] = { 0 };
	struct iovec out[2] = { { "abc", 3 }, { "defg", 4 } };
	struct iovec in[2] = { { a, 2 }, { b, 3 } };
	long fd = sysc(SYS_open, "v", O_CREAT | O_RDWR | O_TRUNC, 0644);
	ok_eq(sysc(SYS_pwritev, fd, out, 2, 10, 0), 7, "pwritev writes 7 bytes at offset 10");
	ok_eq(sysc(SYS_lseek, fd, 0, SEEK_CUR), 0, "pwritev leaves the file offset");
	ok_eq(sysc(SYS_preadv, fd, in, 2, 11, 0), 5, "preadv reads 5 bytes at offset 11");
	ok(!memcmp(a, "bc", 2) && !memcmp(b, "def", 3), "into both buffers in order");
	ok_eq(sysc(SYS_preadv, fd, in, 2, -1, 0), -EINVAL, "preadv at offset -1: EINVAL");
	ok_eq(sysc(SYS_preadv2, fd, in, 1, -1, 0, 0), 2, "preadv2 at -1 uses the file offset");
	ok_eq(sysc(SYS_lseek, fd, 0, SEEK_CUR), 2, "and moves it");
	int p[2];
	sysc(SYS_pipe, p);
	ok_eq(sysc(SYS_preadv, p[0], in, 1, 0, 0), -ESPIPE, "preadv on a pipe: ESPIPE");
	sysc(SYS_close, p[0]);
	sysc(SYS_close, p[1]);
	sysc(SYS_close, fd);
	sysc(SYS_unlink, "v");
}

static void unlinked_open(void)
{
	char buf[8];
	long fd = sysc(SYS_open, "tmp", O_CREAT | O_RDWR, 0600);
	sysc(SYS_write, fd, "keep", 4);
	ok_eq(sysc(SYS_unlink, "tmp"), 0, "unlink an open file");
	struct stat st;
	ok_eq(sysc(SYS_fstat, fd, &st), 0, "fstat still works");
	ok_eq(st.st_nlink, 0, "with st_nlink 0");
	ok_eq(sysc(SYS_pread64, fd, buf, 4, 0), 4, "the data is still readable");
	ok(!memcmp(buf, "keep", 4), "and intact");
	sysc(SYS_close, fd);
}

/* Names in directory @path, concatenated with '/' after each, sorted by caller. */
static int count_entries(const char *path, int *dots)
{
	char buf[512];
	int n = 0;
	long fd = sysc(SYS_open, path, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return -1;
	*dots = 0;
	for (;;) {
		long got = sysc(SYS_getdents64, fd, buf, sizeof(buf));
		if (got <= 0)
			break;
		for (long off = 0; off < got;) {
			struct dirent64_raw *d = (struct dirent64_raw *)(buf + off);
			if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
				(*dots)++;
			else
				n++;
			off += d->d_reclen;
		}
	}
	sysc(SYS_close, fd);
	return n;
}

static void directories(void)
{
	struct stat st;
	int dots = 0;

	ok_eq(sysc(SYS_mkdir, "d", 0755), 0, "mkdir");
	ok_eq(sysc(SYS_mkdir, "d", 0755), -EEXIST, "mkdir of an existing name: EEXIST");
	ok_eq(sysc(SYS_mkdir, "f", 0755), -EEXIST, "mkdir over a file: EEXIST");
	ok_eq(sysc(SYS_mkdir, "no/d", 0755), -ENOENT, "mkdir in a missing directory: ENOENT");
	ok_eq(sysc(SYS_mkdir, "d2/", 0755), 0, "mkdir with a trailing slash");
	ok_eq(sysc(SYS_stat, "d", &st), 0, "stat the directory");
	ok(S_ISDIR(st.st_mode), "it is a directory");
	ok_eq(st.st_nlink, 2, "a new directory has 2 links");
	ok_eq(sysc(SYS_mkdir, "d/sub", 0700), 0, "mkdir d/sub");
	ok_eq(sysc(SYS_stat, "d", &st), 0, "stat d again");
	ok_eq(st.st_nlink, 3, "a subdirectory adds a link");
	for (int i = 0; i < 40; i++) {
		char name[32];
		snprintf(name, sizeof(name), "d/file-with-a-long-name-%02d", i);
		long fd = sysc(SYS_open, name, O_CREAT | O_WRONLY, 0644);
		sysc(SYS_close, fd);
	}
	ok_eq(count_entries("d", &dots), 41, "getdents64 lists all 41 entries (small buffer)");
	ok_eq(dots, 2, "and . and ..");
	long fd = sysc(SYS_open, "d", O_RDONLY | O_DIRECTORY);
	char tiny[16];
	ok_eq(sysc(SYS_getdents64, fd, tiny, sizeof(tiny)), -EINVAL,
	      "getdents64 with a buffer too small for one entry: EINVAL");
	ok_eq(sysc(SYS_read, fd, tiny, 1), -EISDIR, "read on a directory: EISDIR");
	ok_eq(sysc(SYS_write, fd, tiny, 1), -EBADF, "write on a directory: EBADF");
	sysc(SYS_close, fd);
	fd = sysc(SYS_open, "f", O_RDONLY);
	ok_eq(sysc(SYS_getdents64, fd, tiny, sizeof(tiny)), -ENOTDIR, "getdents64 on a file: ENOTDIR");
	sysc(SYS_close, fd);
	ok_eq(sysc(SYS_getdents64, 999, tiny, sizeof(tiny)), -EBADF, "getdents64 on a bad fd: EBADF");

	/* Removing entries while reading must not skip any. */
	fd = sysc(SYS_open, "d", O_RDONLY | O_DIRECTORY);
	int removed = 0;
	char buf[256];
	for (;;) {
		long got = sysc(SYS_getdents64, fd, buf, sizeof(buf));
		if (got <= 0)
			break;
		for (long off = 0; off < got;) {
			struct dirent64_raw *d = (struct dirent64_raw *)(buf + off);
			char name[300];
			snprintf(name, sizeof(name), "d/%s", d->d_name);
			if (d->d_type == DT_REG && sysc(SYS_unlink, name) == 0)
				removed++;
			off += d->d_reclen;
		}
	}
	sysc(SYS_close, fd);
	ok_eq(removed, 40, "unlinking while reading the directory reaches every file");
	ok_eq(sysc(SYS_open, "d", O_WRONLY), -EISDIR, "open a directory for writing: EISDIR");
	ok_eq(sysc(SYS_open, "d", O_CREAT | O_RDWR, 0600), -EISDIR, "O_CREAT on a directory: EISDIR");
	ok_eq(sysc(SYS_open, "f", O_RDONLY | O_DIRECTORY), -ENOTDIR, "O_DIRECTORY on a file: ENOTDIR");
	ok_eq(sysc(SYS_rmdir, "d"), -ENOTEMPTY, "rmdir of a non-empty directory: ENOTEMPTY");
	ok_eq(sysc(SYS_rmdir, "f"), -ENOTDIR, "rmdir of a file: ENOTDIR");
	ok_eq(sysc(SYS_unlink, "d"), -EISDIR, "unlink of a directory: EISDIR");
	ok_eq(sysc(SYS_rmdir, "d/sub/."), -EINVAL, "rmdir of '.': EINVAL");
	ok_eq(sysc(SYS_rmdir, "d/sub"), 0, "rmdir of an empty directory");
	ok_eq(sysc(SYS_stat, "d", &st), 0, "stat d");
	ok_eq(st.st_nlink, 2, "the link count drops back");
	ok_eq(sysc(SYS_rmdir, "d"), 0, "rmdir d");
	ok_eq(sysc(SYS_rmdir, "d2"), 0, "rmdir d2");
	ok_eq(sysc(SYS_rmdir, "d"), -ENOENT, "rmdir again: ENOENT");
}

int main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/fs_basic.%ld", sysc(SYS_getpid));
	sysc(SYS_umask, 022);
	if (sysc(SYS_mkdir, dir, 0755) || sysc(SYS_chdir, dir)) {
		tap_diag("cannot make and enter %s", dir);
		return 1;
	}
	files();
	unlinked_open();
	vectored_at();
	directories();
	sysc(SYS_unlink, "f");
	sysc(SYS_chdir, "/");
	ok_eq(sysc(SYS_rmdir, dir), 0, "the test directory is removed again");
	return tap_done();
}
