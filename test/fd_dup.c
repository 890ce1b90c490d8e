/*
 * fd_dup: the descriptor table. dup takes the lowest free descriptor and
 * shares the open file (offset-free here: a pipe) and its status flags;
 * dup2/dup3 replace a target; close-on-exec is per descriptor and
 * round-trips through F_GETFD/F_SETFD, dup3(O_CLOEXEC) and
 * F_DUPFD_CLOEXEC; RLIMIT_NOFILE bounds new descriptors; close and
 * close_range; and the error cases (EBADF, EINVAL, EMFILE).
 */
#include <fcntl.h>
#include <sys/resource.h>

#include "lib/tap.h"

#define CLOSE_RANGE_CLOEXEC (1U << 2)

static int p[2];

static void dup_basics(void)
{
	char c = 0;

	long d = sysc(SYS_dup, p[1]);
	ok_eq(d, p[1] + 1, "dup gives the lowest free descriptor");
	ok_eq(sysc(SYS_write, d, "a", 1), 1, "writing the duplicate feeds the same pipe");
	ok_eq(sysc(SYS_read, p[0], &c, 1), 1, "the byte arrives at the read end");
	ok_eq(c, 'a', "and is the byte written");
	ok_eq(sysc(SYS_fcntl, p[1], F_SETFL, O_NONBLOCK), 0, "set O_NONBLOCK on the original");
	ok_eq(sysc(SYS_fcntl, d, F_GETFL), O_WRONLY | O_NONBLOCK,
	      "the duplicate shares the status flags");
	ok_eq(sysc(SYS_fcntl, p[1], F_SETFL, O_APPEND), 0, "F_SETFL O_APPEND");
	ok_eq(sysc(SYS_fcntl, d, F_GETFL), O_WRONLY | O_APPEND, "O_APPEND set, O_NONBLOCK cleared");
	ok_eq(sysc(SYS_fcntl, p[1], F_SETFL, O_RDWR), 0, "F_SETFL ignores the access mode");
	ok_eq(sysc(SYS_fcntl, p[1], F_GETFL), O_WRONLY, "the access mode is unchanged");
	ok_eq(sysc(SYS_close, p[1]), 0, "close the original write end");
	ok_eq(sysc(SYS_write, d, "b", 1), 1, "the duplicate still writes");
	ok_eq(sysc(SYS_close, d), 0, "close the duplicate, the last writer");
	ok_eq(sysc(SYS_read, p[0], &c, 1), 1, "the byte written through it is there");
	ok_eq(sysc(SYS_read, p[0], &c, 1), 0, "then end of file: no writer is left");
	ok_eq(sysc(SYS_dup, 999), -EBADF, "dup of a closed descriptor is EBADF");
	ok_eq(sysc(SYS_dup, -1), -EBADF, "dup of -1 is EBADF");
	sysc(SYS_close, p[0]);
}

static void dup2_dup3(void)
{
	long r;

	ok_eq(sysc(SYS_dup2, p[0], 50), 50, "dup2 to 50 returns 50");
	ok_eq(sysc(SYS_fcntl, 50, F_GETFL), O_RDONLY, "50 is the read end");
	ok_eq(sysc(SYS_dup2, p[1], 50), 50, "dup2 onto an open descriptor replaces it");
	ok_eq(sysc(SYS_fcntl, 50, F_GETFL), O_WRONLY, "50 is the write end now");
	ok_eq(sysc(SYS_dup2, 50, 50), 50, "dup2 of a descriptor onto itself returns it");
	ok_eq(sysc(SYS_dup2, 77, 77), -EBADF, "dup2 of a closed descriptor onto itself is EBADF");
	ok_eq(sysc(SYS_dup2, 77, 51), -EBADF, "dup2 of a closed descriptor is EBADF");
	ok_eq(sysc(SYS_fcntl, 51, F_GETFD), -EBADF, "and does not create the target");
	ok_eq(sysc(SYS_dup2, p[0], 1 << 20), -EBADF, "dup2 beyond RLIMIT_NOFILE is EBADF");
	ok_eq(sysc(SYS_dup3, 50, 50, 0), -EINVAL, "dup3 onto itself is EINVAL");
	ok_eq(sysc(SYS_dup3, p[0], 51, O_NONBLOCK), -EINVAL, "dup3 with a flag other than O_CLOEXEC is EINVAL");
	ok_eq(sysc(SYS_dup3, p[0], 51, O_CLOEXEC), 51, "dup3 with O_CLOEXEC");
	ok_eq(sysc(SYS_fcntl, 51, F_GETFD), FD_CLOEXEC, "makes the new descriptor close-on-exec");
	ok_eq(sysc(SYS_fcntl, p[0], F_GETFD), 0, "but not the old one");
	ok_eq(sysc(SYS_dup3, p[0], 51, 0), 51, "dup3 without flags onto it");
	ok_eq(sysc(SYS_fcntl, 51, F_GETFD), 0, "clears close-on-exec");
	ok_eq(sysc(SYS_dup3, 77, 52, 0), -EBADF, "dup3 of a closed descriptor is EBADF");
	r = sysc(SYS_dup2, p[0], 1023);
	ok_eq(r, 1023, "dup2 to 1023 (below the default limit) works");
	sysc(SYS_close, 1023);
	sysc(SYS_close, 50);
	sysc(SYS_close, 51);
}

static void cloexec(void)
{
	ok_eq(sysc(SYS_fcntl, p[0], F_GETFD), 0, "a new pipe end is not close-on-exec");
	ok_eq(sysc(SYS_fcntl, p[0], F_SETFD, FD_CLOEXEC), 0, "F_SETFD FD_CLOEXEC");
	ok_eq(sysc(SYS_fcntl, p[0], F_GETFD), FD_CLOEXEC, "F_GETFD reads it back");
	ok_eq(sysc(SYS_fcntl, p[1], F_GETFD), 0, "the other end is unaffected");
	long d = sysc(SYS_dup, p[0]);
	ok_eq(sysc(SYS_fcntl, d, F_GETFD), 0, "dup does not copy close-on-exec");
	ok_eq(sysc(SYS_fcntl, p[0], F_SETFD, 0), 0, "F_SETFD 0");
	ok_eq(sysc(SYS_fcntl, p[0], F_GETFD), 0, "clears it");
	ok_eq(sysc(SYS_fcntl, p[0], F_SETFD, 0xfe), 0, "F_SETFD with only unknown bits");
	ok_eq(sysc(SYS_fcntl, p[0], F_GETFD), 0, "sets nothing");
	long c = sysc(SYS_fcntl, p[0], F_DUPFD_CLOEXEC, 0);
	ok_eq(c, d + 1, "F_DUPFD_CLOEXEC takes the lowest free descriptor");
	ok_eq(sysc(SYS_fcntl, c, F_GETFD), FD_CLOEXEC, "and sets close-on-exec");
	ok_eq(sysc(SYS_close, c), 0, "close it");
	ok_eq(sysc(SYS_fcntl, c, F_GETFD), -EBADF, "F_GETFD of a closed descriptor is EBADF");
	ok_eq(sysc(SYS_fcntl, p[0], F_DUPFD_CLOEXEC, 0), c, "its number is reused");
	ok_eq(sysc(SYS_fcntl, c, F_GETFD), FD_CLOEXEC, "with the new flag, not stale state");
	sysc(SYS_close, c);
	sysc(SYS_close, d);
}

static void fcntl_dupfd(void)
{
	struct rlimit rl;

	ok_eq(sysc(SYS_fcntl, p[0], F_DUPFD, 100), 100, "F_DUPFD 100 gives 100");
	ok_eq(sysc(SYS_fcntl, p[0], F_DUPFD, 100), 101, "again gives 101");
	ok_eq(sysc(SYS_fcntl, 100, F_GETFD), 0, "F_DUPFD does not set close-on-exec");
	ok_eq(sysc(SYS_fcntl, p[0], F_DUPFD, -1), -EINVAL, "F_DUPFD -1 is EINVAL");
	ok_eq(sysc(SYS_fcntl, p[0], F_DUPFD, 1 << 20), -EINVAL, "F_DUPFD beyond RLIMIT_NOFILE is EINVAL");
	ok_eq(sysc(SYS_fcntl, 999, F_DUPFD, 0), -EBADF, "F_DUPFD of a closed descriptor is EBADF");
	ok_eq(sysc(SYS_fcntl, p[0], 12345, 0), -EINVAL, "an unknown fcntl command is EINVAL");
	sysc(SYS_close, 100);
	sysc(SYS_close, 101);

	ok_eq(sysc(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, &rl), 0, "get RLIMIT_NOFILE");
	struct rlimit small = { 8, rl.rlim_max };
	ok_eq(sysc(SYS_prlimit64, 0, RLIMIT_NOFILE, &small, NULL), 0, "lower RLIMIT_NOFILE to 8");
	ok_eq(sysc(SYS_fcntl, p[0], F_DUPFD, 8), -EINVAL, "F_DUPFD at the limit is EINVAL");
	ok_eq(sysc(SYS_fcntl, p[0], F_DUPFD, 7), 7, "F_DUPFD 7 is still allowed");
	ok_eq(sysc(SYS_fcntl, p[0], F_DUPFD, 7), -EMFILE, "with 7 taken it is EMFILE");
	ok_eq(sysc(SYS_dup2, p[0], 8), -EBADF, "dup2 to the limit is EBADF");
	long n = 0, r;
	while ((r = sysc(SYS_dup, p[0])) >= 0)
		n++;
	ok_eq(r, -EMFILE, "dup with every descriptor below the limit taken is EMFILE");
	int q[2];
	ok_eq(sysc(SYS_pipe, q), -EMFILE, "pipe with no descriptor left is EMFILE");
	for (int fd = 5; fd < 8; fd++)
		if (fd != p[0] && fd != p[1])
			sysc(SYS_close, fd);
	ok_eq(sysc(SYS_prlimit64, 0, RLIMIT_NOFILE, &rl, NULL), 0, "restore RLIMIT_NOFILE");
	(void)n;
}

static void closing(void)
{
	long a = sysc(SYS_dup, p[0]), b = sysc(SYS_dup, p[0]), c = sysc(SYS_dup, p[0]);

	ok(a > 0 && b == a + 1 && c == b + 1, "three more duplicates");
	ok_eq(sysc(SYS_close, -1), -EBADF, "close(-1) is EBADF");
	ok_eq(sysc(SYS_close, 1 << 20), -EBADF, "close of a huge descriptor is EBADF");
	ok_eq(sysc(SYS_close_range, c, b, 0), -EINVAL, "close_range with first > last is EINVAL");
	ok_eq(sysc(SYS_close_range, a, c, 0x80), -EINVAL, "close_range with an unknown flag is EINVAL");
	ok_eq(sysc(SYS_close_range, a, b, CLOSE_RANGE_CLOEXEC), 0, "close_range CLOEXEC");
	ok_eq(sysc(SYS_fcntl, a, F_GETFD), FD_CLOEXEC, "marks the first");
	ok_eq(sysc(SYS_fcntl, b, F_GETFD), FD_CLOEXEC, "and the last");
	ok_eq(sysc(SYS_fcntl, c, F_GETFD), 0, "and nothing after it");
	ok_eq(sysc(SYS_close_range, a, ~0U, 0), 0, "close_range to ~0");
	ok_eq(sysc(SYS_fcntl, a, F_GETFD), -EBADF, "closed the first");
	ok_eq(sysc(SYS_fcntl, c, F_GETFD), -EBADF, "and the last");
	ok_eq(sysc(SYS_fcntl, p[0], F_GETFD), 0, "but not what came before");
}

int main(void)
{
	if (!ok_eq(sysc(SYS_pipe, p), 0, "pipe"))
		return tap_done();
	dup_basics();
	ok_eq(sysc(SYS_pipe, p), 0, "a second pipe");
	dup2_dup3();
	cloexec();
	fcntl_dupfd();
	closing();
	return tap_done();
}
