/*
 * fs_copy: sendfile(2) and copy_file_range(2). Copies between regular
 * files and into a pipe, with and without an offset argument (which
 * moves instead of the file offset), end of file, and the error cases:
 * EBADF for the wrong access mode, EINVAL (a pipe source, O_APPEND
 * destination of sendfile, flags, overlapping ranges), EISDIR, EFAULT.
 */
#include <fcntl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/tap.h"

#define SIZE 10000

static char dir[64];
static char pattern[SIZE], buf[SIZE];

static long make_src(void)
{
	for (int i = 0; i < SIZE; i++)
		pattern[i] = (char)('a' + i * 7 % 26);
	long fd = sysc(SYS_open, "src", O_CREAT | O_RDWR | O_TRUNC, 0644);
	sysc(SYS_write, fd, pattern, SIZE);
	sysc(SYS_lseek, fd, 0, SEEK_SET);
	return fd;
}

static void sendfile_files(long src)
{
	long dst = sysc(SYS_open, "dst", O_CREAT | O_RDWR | O_TRUNC, 0644);
	ok_eq(sysc(SYS_sendfile, dst, src, NULL, SIZE + 100), SIZE, "sendfile copies the whole file");
	ok_eq(sysc(SYS_lseek, src, 0, SEEK_CUR), SIZE, "the source offset moved");
	ok_eq(sysc(SYS_lseek, dst, 0, SEEK_CUR), SIZE, "the destination offset moved");
	ok_eq(sysc(SYS_pread64, dst, buf, SIZE, 0), SIZE, "read the copy");
	ok(!memcmp(buf, pattern, SIZE), "the copy has the same bytes");
	ok_eq(sysc(SYS_sendfile, dst, src, NULL, 10), 0, "at the end of the source: 0");
	int64_t off = 100;
	ok_eq(sysc(SYS_sendfile, dst, src, &off, 50), 50, "sendfile with an offset");
	ok_eq(off, 150, "the offset argument moved");
	ok_eq(sysc(SYS_lseek, src, 0, SEEK_CUR), SIZE, "the file offset did not");
	ok_eq(sysc(SYS_pread64, dst, buf, 50, SIZE), 50, "the bytes went after the first copy");
	ok(!memcmp(buf, pattern + 100, 50), "from offset 100");
	off = -1;
	ok_eq(sysc(SYS_sendfile, dst, src, &off, 1), -EINVAL, "a negative offset: EINVAL");
	ok_eq(sysc(SYS_sendfile, dst, src, (void *)8, 1), -EFAULT, "a bad offset pointer: EFAULT");
	sysc(SYS_close, dst);
}

static void sendfile_pipe(long src)
{
	int p[2];
	int64_t off = 0;
	sysc(SYS_pipe, p);
	ok_eq(sysc(SYS_sendfile, p[1], src, &off, 3000), 3000, "sendfile into a pipe");
	ok_eq(sysc(SYS_read, p[0], buf, sizeof(buf)), 3000, "the pipe holds the bytes");
	ok(!memcmp(buf, pattern, 3000), "the right ones");
	ok_eq(sysc(SYS_sendfile, src, p[0], NULL, 1), -EINVAL, "a pipe as the source: EINVAL");
	sysc(SYS_close, p[0]);
	sysc(SYS_close, p[1]);
}

static void sendfile_errors(long src)
{
	int p[2];
	sysc(SYS_pipe, p);
	long wo = sysc(SYS_open, "src", O_WRONLY);
	long ro = sysc(SYS_open, "src", O_RDONLY);
	long app = sysc(SYS_open, "dst", O_WRONLY | O_APPEND);
	ok_eq(sysc(SYS_sendfile, ro, wo, NULL, 1), -EBADF, "source open write-only: EBADF");
	ok_eq(sysc(SYS_sendfile, ro, src, NULL, 1), -EBADF, "destination open read-only: EBADF");
	ok_eq(sysc(SYS_sendfile, 99, src, NULL, 1), -EBADF, "a closed destination: EBADF");
	ok_eq(sysc(SYS_sendfile, app, src, NULL, 1), -EINVAL, "an O_APPEND destination: EINVAL");
	sysc(SYS_close, wo);
	sysc(SYS_close, ro);
	sysc(SYS_close, app);
	sysc(SYS_close, p[0]);
	sysc(SYS_close, p[1]);
}

static void copy_range(long src)
{
	long dst = sysc(SYS_open, "dst2", O_CREAT | O_RDWR | O_TRUNC, 0644);
	int64_t in = 10, out = 0;
	ok_eq(sysc(SYS_copy_file_range, src, &in, dst, &out, 5000, 0), 5000, "copy_file_range 5000 bytes");
	ok(in == 5010 && out == 5000, "both offset arguments moved");
	ok_eq(sysc(SYS_pread64, dst, buf, SIZE, 0), 5000, "the destination has 5000 bytes");
	ok(!memcmp(buf, pattern + 10, 5000), "from source offset 10");
	sysc(SYS_lseek, src, SIZE - 4, SEEK_SET);
	ok_eq(sysc(SYS_copy_file_range, src, NULL, dst, NULL, 100, 0), 4,
	      "without offsets the file offsets are used, up to the end");
	ok_eq(sysc(SYS_lseek, dst, 0, SEEK_CUR), 4, "the destination's file offset moved");
	ok_eq(sysc(SYS_copy_file_range, src, NULL, dst, NULL, 100, 0), 0, "at the end: 0");
	in = 0;
	out = 100;
	ok_eq(sysc(SYS_copy_file_range, src, &in, src, &out, 200, 0), -EINVAL,
	      "overlapping ranges of one file: EINVAL");
	ok_eq(sysc(SYS_copy_file_range, src, &in, dst, &out, 1, 1), -EINVAL, "flags: EINVAL");
	ok_eq(sysc(SYS_copy_file_range, src, (void *)8, dst, NULL, 1, 0), -EFAULT,
	      "a bad offset pointer: EFAULT");
	long d = sysc(SYS_open, ".", O_RDONLY | O_DIRECTORY);
	ok_eq(sysc(SYS_copy_file_range, d, NULL, dst, NULL, 1, 0), -EISDIR, "a directory: EISDIR");
	int p[2];
	sysc(SYS_pipe, p);
	ok_eq(sysc(SYS_copy_file_range, p[0], NULL, dst, NULL, 1, 0), -EINVAL, "a pipe: EINVAL");
	long app = sysc(SYS_open, "dst2", O_WRONLY | O_APPEND);
	ok_eq(sysc(SYS_copy_file_range, src, NULL, app, NULL, 1, 0), -EBADF,
	      "an O_APPEND destination: EBADF");
	long ro = sysc(SYS_open, "dst2", O_RDONLY);
	ok_eq(sysc(SYS_copy_file_range, src, NULL, ro, NULL, 1, 0), -EBADF,
	      "a read-only destination: EBADF");
	sysc(SYS_close, ro);
	sysc(SYS_close, app);
	sysc(SYS_close, p[0]);
	sysc(SYS_close, p[1]);
	sysc(SYS_close, d);
	sysc(SYS_close, dst);
}

int main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/fs_copy.%ld", sysc(SYS_getpid));
	sysc(SYS_umask, 022);
	if (sysc(SYS_mkdir, dir, 0755) || sysc(SYS_chdir, dir)) {
		tap_diag("cannot make and enter %s", dir);
		return 1;
	}
	long src = make_src();
	sendfile_files(src);
	sendfile_pipe(src);
	sendfile_errors(src);
	copy_range(src);
	sysc(SYS_close, src);
	sysc(SYS_unlink, "src");
	sysc(SYS_unlink, "dst");
	sysc(SYS_unlink, "dst2");
	sysc(SYS_chdir, "/");
	ok_eq(sysc(SYS_rmdir, dir), 0, "the test directory is removed again");
	return tap_done();
}
