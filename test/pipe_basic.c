/*
 * pipe_basic: pipes within one process. Round trip, end of file after
 * the write end closes, O_NONBLOCK giving EAGAIN on an empty and on a
 * full pipe, the 64 KiB capacity, readv/writev, wrong-direction EBADF,
 * pipe2 flags (O_CLOEXEC, O_NONBLOCK, EINVAL for others), EFAULT, EPIPE
 * with SIGPIPE ignored, and F_GETPIPE_SZ/F_SETPIPE_SZ.
 */
#include <fcntl.h>
#include <signal.h>
#include <sys/uio.h>

#include "lib/tap.h"

#define CAPACITY 65536

static char big[CAPACITY + 4096];

static void close2(int p[2])
{
	sysc(SYS_close, p[0]);
	sysc(SYS_close, p[1]);
}

static void round_trip(void)
{
	int p[2] = { -1, -1 };
	char buf[16] = { 0 };

	ok_eq(sysc(SYS_pipe, p), 0, "pipe succeeds");
	ok(p[0] >= 3 && p[1] >= 3 && p[0] != p[1], "pipe gives two new descriptors");
	ok_eq(sysc(SYS_write, p[1], "hello", 5), 5, "write 5 bytes to the write end");
	ok_eq(sysc(SYS_write, p[1], " world", 6), 6, "write 6 more bytes");
	ok_eq(sysc(SYS_read, p[0], buf, 3), 3, "a short read takes 3 bytes");
	ok_eq(sysc(SYS_read, p[0], buf + 3, sizeof(buf)), 8, "a long read takes the other 8");
	ok(!memcmp(buf, "hello world", 11), "bytes come out in order");
	ok_eq(sysc(SYS_read, p[0], buf, 0), 0, "a zero-length read returns 0");
	ok_eq(sysc(SYS_write, p[1], buf, 0), 0, "a zero-length write returns 0");
	ok_eq(sysc(SYS_write, p[0], "x", 1), -EBADF, "writing the read end is EBADF");
	ok_eq(sysc(SYS_read, p[1], buf, 1), -EBADF, "reading the write end is EBADF");
	ok_eq(sysc(SYS_fcntl, p[0], F_GETFL), O_RDONLY, "F_GETFL of the read end is O_RDONLY");
	ok_eq(sysc(SYS_fcntl, p[1], F_GETFL), O_WRONLY, "F_GETFL of the write end is O_WRONLY");
	ok_eq(sysc(SYS_lseek, p[0], 0, 0), -ESPIPE, "lseek on a pipe is ESPIPE");
	ok_eq(sysc(SYS_write, p[1], "tail", 4), 4, "write before closing the write end");
	ok_eq(sysc(SYS_close, p[1]), 0, "close the write end");
	ok_eq(sysc(SYS_read, p[0], buf, sizeof(buf)), 4, "data written before close is still read");
	ok_eq(sysc(SYS_read, p[0], buf, sizeof(buf)), 0, "then read gives end of file");
	ok_eq(sysc(SYS_read, p[0], buf, sizeof(buf)), 0, "and keeps giving end of file");
	ok_eq(sysc(SYS_close, p[0]), 0, "close the read end");
	ok_eq(sysc(SYS_close, p[0]), -EBADF, "closing it again is EBADF");
}

static void vectors(void)
{
	int p[2];
	char a[4], b[8];
	struct iovec out[3] = { { "abc", 3 }, { "", 0 }, { "defghij", 7 } };
	struct iovec in[2] = { { a, sizeof(a) }, { b, sizeof(b) } };

	if (!ok_eq(sysc(SYS_pipe, p), 0, "pipe for readv/writev"))
		return;
	ok_eq(sysc(SYS_writev, p[1], out, 3), 10, "writev of three buffers writes 10 bytes");
	ok_eq(sysc(SYS_readv, p[0], in, 2), 10, "readv into two buffers reads 10 bytes");
	ok(!memcmp(a, "abcd", 4) && !memcmp(b, "efghij", 6), "readv fills the buffers in order");
	close2(p);
}

static void nonblocking(void)
{
	int p[2];
	char c;
	long n, total = 0;

	if (!ok_eq(sysc(SYS_pipe2, p, O_NONBLOCK), 0, "pipe2 with O_NONBLOCK"))
		return;
	ok_eq(sysc(SYS_fcntl, p[0], F_GETFL), O_RDONLY | O_NONBLOCK, "the read end has O_NONBLOCK");
	ok_eq(sysc(SYS_fcntl, p[1], F_GETFL), O_WRONLY | O_NONBLOCK, "the write end has O_NONBLOCK");
	ok_eq(sysc(SYS_read, p[0], &c, 1), -EAGAIN, "reading an empty pipe is EAGAIN");
	ok_eq(sysc(SYS_fcntl, p[0], F_GETPIPE_SZ), CAPACITY, "F_GETPIPE_SZ says 65536");
	memset(big, 'x', sizeof(big));
	/* Page-sized writes: Linux counts pages, so smaller ones may fit fewer bytes. */
	while ((n = sysc(SYS_write, p[1], big, 4096)) > 0)
		total += n;
	ok_eq(n, -EAGAIN, "writing a full pipe is EAGAIN");
	ok_eq(total, CAPACITY, "the pipe holds exactly 65536 bytes");
	ok_eq(sysc(SYS_read, p[0], big, 100), 100, "read 100 bytes out of the full pipe");
	ok_eq(sysc(SYS_write, p[1], big, 200), -EAGAIN,
	      "a 200-byte write with 100 bytes free is EAGAIN (atomic up to PIPE_BUF)");
	ok_eq(sysc(SYS_read, p[0], big, sizeof(big)), CAPACITY - 100, "drain the rest");
	ok_eq(sysc(SYS_write, p[1], big, sizeof(big)), CAPACITY,
	      "a non-blocking write larger than the pipe writes what fits");
	ok_eq(sysc(SYS_read, p[0], big, sizeof(big)), CAPACITY, "and all of it reads back");
	ok_eq(sysc(SYS_fcntl, p[0], F_SETFL, 0), 0, "F_SETFL clears O_NONBLOCK");
	ok_eq(sysc(SYS_fcntl, p[0], F_GETFL), O_RDONLY, "F_GETFL shows it cleared");
	close2(p);
}

static void pipe_size(void)
{
	int p[2];

	if (!ok_eq(sysc(SYS_pipe2, p, O_NONBLOCK), 0, "pipe2 for F_SETPIPE_SZ"))
		return;
	ok_eq(sysc(SYS_fcntl, p[1], F_SETPIPE_SZ, 5000), 8192, "F_SETPIPE_SZ 5000 rounds up to 8192");
	ok_eq(sysc(SYS_fcntl, p[0], F_GETPIPE_SZ), 8192, "both ends see the new size");
	ok_eq(sysc(SYS_write, p[1], big, sizeof(big)), 8192, "the pipe now holds 8192 bytes");
	ok_eq(sysc(SYS_fcntl, p[1], F_SETPIPE_SZ, 4096), -EBUSY,
	      "shrinking below the bytes held is EBUSY");
	ok_eq(sysc(SYS_read, p[0], big, 5000), 5000, "read part of it");
	ok_eq(sysc(SYS_fcntl, p[1], F_SETPIPE_SZ, 65536), 65536, "grow it back with data inside");
	ok_eq(sysc(SYS_read, p[0], big, sizeof(big)), 8192 - 5000, "the data survived the resize");
	close2(p);
}

static void flags_and_faults(void)
{
	int p[2];

	ok_eq(sysc(SYS_pipe2, p, O_CLOEXEC), 0, "pipe2 with O_CLOEXEC");
	ok_eq(sysc(SYS_fcntl, p[0], F_GETFD), FD_CLOEXEC, "the read end is close-on-exec");
	ok_eq(sysc(SYS_fcntl, p[1], F_GETFD), FD_CLOEXEC, "the write end is close-on-exec");
	close2(p);
	ok_eq(sysc(SYS_pipe2, p, 0), 0, "pipe2 with no flags");
	ok_eq(sysc(SYS_fcntl, p[0], F_GETFD), 0, "is not close-on-exec");
	close2(p);
	ok_eq(sysc(SYS_pipe2, p, O_APPEND), -EINVAL, "pipe2 with O_APPEND is EINVAL");
	ok_eq(sysc(SYS_pipe2, p, 0x80000000L), -EINVAL, "pipe2 with an unknown flag is EINVAL");
	ok_eq(sysc(SYS_pipe, BAD_LOW_PTR), -EFAULT, "pipe into address 1 is EFAULT");
	ok_eq(sysc(SYS_pipe2, KERNEL_PTR, 0), -EFAULT, "pipe2 into a kernel address is EFAULT");
	ok_eq(sysc(SYS_pipe, p), 0, "pipe after the failures");
	ok_eq(p[0], 3, "the failed calls left no descriptors behind");
	ok_eq(sysc(SYS_write, p[1], BAD_LOW_PTR, 10), -EFAULT, "write from a bad buffer is EFAULT");
	ok_eq(sysc(SYS_write, p[1], "ab", 2), 2, "write 2 bytes");
	ok_eq(sysc(SYS_read, p[0], BAD_LOW_PTR, 2), -EFAULT, "read into a bad buffer is EFAULT");
	ok_eq(sysc(SYS_read, p[0], big, 10), 2, "the bytes are still there after the EFAULT");
	close2(p);
}

static void epipe(void)
{
	int p[2];

	signal(SIGPIPE, SIG_IGN);
	if (!ok_eq(sysc(SYS_pipe, p), 0, "pipe for EPIPE"))
		return;
	ok_eq(sysc(SYS_close, p[0]), 0, "close the read end");
	ok_eq(sysc(SYS_write, p[1], "x", 1), -EPIPE, "writing with no reader is EPIPE (SIGPIPE ignored)");
	ok_eq(sysc(SYS_write, p[1], big, sizeof(big)), -EPIPE, "a large write is EPIPE too");
	ok_eq(sysc(SYS_write, p[1], "", 0), 0, "a zero-length write still returns 0");
	sysc(SYS_close, p[1]);
	signal(SIGPIPE, SIG_DFL);
}

int main(void)
{
	round_trip();
	vectors();
	nonblocking();
	pipe_size();
	flags_and_faults();
	epipe();
	return tap_done();
}
