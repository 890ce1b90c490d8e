/*
 * Private file mappings (MAP_PRIVATE of a regular file): contents and
 * offsets, the zero tail of the last page, SIGBUS past the end of the
 * file, private (copy-on-write) writes, fork, a mapping outliving its
 * descriptor and name, MADV_DONTNEED refilling from the file, mprotect,
 * mremap, MAP_FIXED, MAP_POPULATE/mincore, the errors (EACCES, EBADF,
 * ENODEV, EINVAL), MAP_SHARED of a regular file (more in mm_shared_file)
 * and /dev/zero mappings.
 * Works on files in a fresh directory under /tmp.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/tap.h"

#define FILE_LEN (2 * PAGE + 2048)  /* two and a half pages */
#define RW (PROT_READ | PROT_WRITE)

static char dir[64], path[96];
static unsigned char want[4 * PAGE];

static unsigned char pattern(size_t i)
{
	return (unsigned char)(i * 7 + i / PAGE + 1);
}

static long map(long addr, size_t len, int prot, int flags, long fd, long off)
{
	return sysc(SYS_mmap, addr, len, prot, flags, fd, off);
}

static long open_file(const char *p, int flags)
{
	return sysc(SYS_open, p, flags, 0600);
}

static void make_file(const char *p)
{
	long fd = open_file(p, O_CREAT | O_TRUNC | O_RDWR);
	for (size_t i = 0; i < FILE_LEN; i++)
		want[i] = pattern(i);
	sysc(SYS_write, fd, want, FILE_LEN);
	sysc(SYS_close, fd);
}

static int same(long addr, size_t off, size_t len)
{
	return memcmp((void *)addr, want + off, len) == 0;
}

static int all_zero(long addr, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (((volatile unsigned char *)addr)[i])
			return 0;
	return 1;
}

/* ---- faults caught with a handler ---- */

static sigjmp_buf fault_jmp;
static volatile int fault_sig, fault_code;
static volatile void *fault_addr;

static void on_fault(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	fault_sig = sig;
	fault_code = si->si_code;
	fault_addr = si->si_addr;
	siglongjmp(fault_jmp, 1);
}

/* Touch @addr (a read, or a write of @write), report the signal it raised (0: none). */
static int touch(volatile unsigned char *addr, int write)
{
	struct sigaction sa = { .sa_sigaction = on_fault, .sa_flags = SA_SIGINFO | SA_NODEFER };
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	fault_sig = 0;
	if (sigsetjmp(fault_jmp, 1) == 0) {
		if (write)
			*addr = 1;
		else
			(void)*addr;
	}
	signal(SIGBUS, SIG_DFL);
	signal(SIGSEGV, SIG_DFL);
	return fault_sig;
}

/* ---- checks ---- */

static void check_contents(long fd)
{
	long p = map(0, 3 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
	ok(p > 0, "MAP_PRIVATE of a file opened O_RDONLY succeeds");
	if (p <= 0)
		return;
	ok(same(p, 0, FILE_LEN), "the mapping holds the file's bytes");
	ok(all_zero(p + FILE_LEN, 3 * PAGE - FILE_LEN),
	   "the last page reads zero past the end of the file");
	sysc(SYS_munmap, p, 3 * PAGE);

	p = map(0, PAGE + 100, PROT_READ, MAP_PRIVATE, fd, PAGE);
	ok(p > 0 && same(p, PAGE, PAGE + 2048), "a mapping at file offset one page holds the bytes from there");
	sysc(SYS_munmap, p, 2 * PAGE);
}

static void check_sigbus(long fd)
{
	long p = map(0, 5 * PAGE, RW, MAP_PRIVATE, fd, 0);
	ok_eq(touch((unsigned char *)p + 2 * PAGE + 4000, 0), 0,
	      "the partial last page is readable past the end of the file");
	ok_eq(touch((unsigned char *)p + 3 * PAGE + 8, 0), SIGBUS,
	      "reading a page wholly past the end of the file raises SIGBUS");
	ok_why(fault_code == BUS_ADRERR && fault_addr == (void *)(p + 3 * PAGE + 8),
	       "the SIGBUS is BUS_ADRERR at the faulting address", "si_code %d, si_addr %p",
	       fault_code, (void *)fault_addr);
	ok_eq(touch((unsigned char *)p + 4 * PAGE, 1), SIGBUS,
	      "writing a page wholly past the end of the file raises SIGBUS");
	sysc(SYS_munmap, p, 5 * PAGE);

	p = map(0, PAGE, PROT_READ, MAP_PRIVATE, fd, 8 * PAGE);
	ok(p > 0, "a mapping wholly past the end of the file can be made");
	ok_eq(touch((unsigned char *)p, 0), SIGBUS, "and touching it raises SIGBUS");
	sysc(SYS_munmap, p, PAGE);
}

static void check_private_writes(long fd)
{
	unsigned char buf[16];
	long p = map(0, 3 * PAGE, RW, MAP_PRIVATE, fd, 0);
	long q = map(0, 3 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);

	ok(p > 0 && q > 0, "MAP_PRIVATE with PROT_WRITE of an O_RDONLY file succeeds");
	memset((char *)p + PAGE, 0xee, 16);
	((volatile unsigned char *)p)[FILE_LEN + 10] = 0x77;
	ok(((unsigned char *)p)[PAGE + 15] == 0xee && ((unsigned char *)p)[FILE_LEN + 10] == 0x77,
	   "a private file mapping can be written, also past the end of the file in its last page");
	ok_eq(sysc(SYS_pread64, fd, buf, 16, PAGE), 16, "pread after the write succeeds");
	ok(memcmp(buf, want + PAGE, 16) == 0, "private writes do not reach the file");
	ok(same(q, 0, FILE_LEN) && all_zero(q + FILE_LEN, 3 * PAGE - FILE_LEN),
	   "private writes are not seen by a second mapping of the file");
	ok(same(p, 0, PAGE) && same(p + 2 * PAGE, 2 * PAGE, 2048),
	   "pages not written still hold the file's bytes");
	sysc(SYS_munmap, p, 3 * PAGE);
	sysc(SYS_munmap, q, 3 * PAGE);

	p = map(0, PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
	ok_eq(sysc(SYS_mprotect, p, PAGE, RW), 0,
	      "mprotect adds PROT_WRITE to a private mapping of an O_RDONLY file");
	((volatile unsigned char *)p)[3] = 0x11;
	ok(((unsigned char *)p)[3] == 0x11 && sysc(SYS_pread64, fd, buf, 4, 0) == 4 &&
	   buf[3] == want[3], "and the write stays private");
	sysc(SYS_munmap, p, PAGE);
}

/* The child's view: pre-fork writes yes, the parent's later writes no. */
static int fork_child(long p, long sync_fd)
{
	char c;
	int bad = 0;
	sysc(SYS_read, sync_fd, &c, 1);  /* the parent has written again */
	bad |= ((unsigned char *)p)[0] != 0xa1;
	bad |= ((unsigned char *)p)[PAGE] != want[PAGE] ? 2 : 0;
	bad |= !same(p + 2 * PAGE, 2 * PAGE, 2048) ? 4 : 0;  /* untouched before fork */
	((volatile unsigned char *)p)[1] = 0xc3;  /* the child's own copy */
	return bad;
}

static void check_fork(long fd)
{
	int sync[2], status = -1;
	long p = map(0, 3 * PAGE, RW, MAP_PRIVATE, fd, 0);

	((volatile unsigned char *)p)[0] = 0xa1;
	(void)((volatile unsigned char *)p)[PAGE];  /* read in, not written */
	sysc(SYS_pipe, sync);
	long pid = sysc(SYS_fork);
	if (pid == 0)
		sysc(SYS_exit_group, fork_child(p, sync[0]));
	((volatile unsigned char *)p)[0] = 0xb2;
	((volatile unsigned char *)p)[PAGE] = 0xb2;
	sysc(SYS_write, sync[1], "x", 1);
	sysc(SYS_wait4, pid, &status, 0, 0);
	ok_why(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	       "a child sees the parent's private writes made before fork, not those after",
	       "child status 0x%x", status);
	ok(((unsigned char *)p)[1] == want[1] && ((unsigned char *)p)[0] == 0xb2,
	   "the child's writes do not reach the parent");
	sysc(SYS_close, sync[0]);
	sysc(SYS_close, sync[1]);
	sysc(SYS_munmap, p, 3 * PAGE);
}

static void check_outlives_fd(void)
{
	char other[128];
	snprintf(other, sizeof(other), "%s/gone", dir);
	make_file(other);
	long fd = open_file(other, O_RDONLY);
	long p = map(0, 3 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
	ok_eq(sysc(SYS_close, fd), 0, "close of a mapped file succeeds");
	ok_eq(sysc(SYS_unlink, other), 0, "unlink of a mapped file succeeds");
	ok(p > 0 && same(p, 0, FILE_LEN), "the mapping is still readable after close and unlink");
	sysc(SYS_munmap, p, 3 * PAGE);
}

static void check_errors(long fd)
{
	int pipefd[2];
	long wr = open_file(path, O_WRONLY);
	ok_eq(map(0, PAGE, PROT_READ, MAP_PRIVATE, wr, 0), -EACCES,
	      "MAP_PRIVATE of a file opened O_WRONLY is EACCES");
	sysc(SYS_close, wr);
	ok_eq(map(0, PAGE, RW, MAP_SHARED, fd, 0), -EACCES,
	      "MAP_SHARED with PROT_WRITE of a file opened O_RDONLY is EACCES");
	ok_eq(map(0, PAGE, PROT_READ, MAP_PRIVATE, -1, 0), -EBADF, "fd -1 without MAP_ANONYMOUS is EBADF");
	ok_eq(map(0, PAGE, PROT_READ, MAP_PRIVATE, 999, 0), -EBADF, "a closed descriptor is EBADF");
	sysc(SYS_pipe, pipefd);
	ok_eq(map(0, PAGE, PROT_READ, MAP_PRIVATE, pipefd[0], 0), -ENODEV,
	      "mapping a pipe is ENODEV");
	sysc(SYS_close, pipefd[0]);
	sysc(SYS_close, pipefd[1]);
	long d = open_file(dir, O_RDONLY | O_DIRECTORY);
	ok_eq(map(0, PAGE, PROT_READ, MAP_PRIVATE, d, 0), -ENODEV, "mapping a directory is ENODEV");
	sysc(SYS_close, d);
	ok_eq(map(0, PAGE, PROT_READ, MAP_PRIVATE, fd, 100), -EINVAL, "an unaligned offset is EINVAL");
	ok_eq(map(0, 0, PROT_READ, MAP_PRIVATE, fd, 0), -EINVAL, "length 0 is EINVAL");
	ok_eq(map(0, PAGE, PROT_READ, 0x0f, fd, 0), -EINVAL, "an unknown mapping type is EINVAL");
}

static void check_dontneed(long fd)
{
	long p = map(0, 3 * PAGE, RW, MAP_PRIVATE, fd, 0);
	memset((void *)p, 0x5c, 3 * PAGE);
	ok_eq(sysc(SYS_madvise, p, 3 * PAGE, MADV_DONTNEED), 0, "MADV_DONTNEED on a private file mapping succeeds");
	ok(same(p, 0, FILE_LEN) && all_zero(p + FILE_LEN, 3 * PAGE - FILE_LEN),
	   "after MADV_DONTNEED the pages are read from the file again");
	ok_eq(sysc(SYS_madvise, p, PAGE, MADV_FREE), -EINVAL, "MADV_FREE on a file mapping is EINVAL");
	sysc(SYS_munmap, p, 3 * PAGE);
}

static void check_protect_and_remap(long fd)
{
	long p = map(0, 3 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
	(void)((volatile char *)p)[0];
	ok_eq(sysc(SYS_mprotect, p + PAGE, PAGE, PROT_NONE), 0, "mprotect PROT_NONE of a file page");
	ok_eq(touch((unsigned char *)p + PAGE, 0), SIGSEGV, "reading a PROT_NONE file page raises SIGSEGV");
	ok_eq(fault_code, SEGV_ACCERR, "with SEGV_ACCERR");
	ok(same(p, 0, PAGE) && same(p + 2 * PAGE, 2 * PAGE, 2048), "the other pages still read the file");
	sysc(SYS_mprotect, p + PAGE, PAGE, PROT_READ);
	ok(same(p + PAGE, PAGE, PAGE), "after mprotect PROT_READ the page reads the file again");
	ok_eq(sysc(SYS_munmap, p + PAGE, PAGE), 0, "munmap of the middle page");
	ok(same(p, 0, PAGE) && same(p + 2 * PAGE, 2 * PAGE, 2048), "the pages around it stay");
	long q = sysc(SYS_mremap, p + 2 * PAGE, PAGE, 2 * PAGE, MREMAP_MAYMOVE);
	ok(q > 0 && same(q, 2 * PAGE, 2048) && all_zero(q + 2048, PAGE - 2048),
	   "mremap moves a file page with its contents");
	ok_eq(touch((unsigned char *)q + PAGE, 0), SIGBUS,
	      "the grown part, past the end of the file, raises SIGBUS");
	sysc(SYS_munmap, p, PAGE);
	sysc(SYS_munmap, q, 2 * PAGE);
}

static void check_fixed_populate(long fd)
{
	unsigned char vec[4];
	long a = map(0, 4 * PAGE, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset((void *)a, 0x33, 4 * PAGE);
	long p = map(a + PAGE, 2 * PAGE, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, PAGE);
	ok_eq(p, a + PAGE, "MAP_FIXED of a file over anonymous memory");
	ok(same(p, PAGE, 2 * PAGE - 2048) && ((unsigned char *)a)[0] == 0x33 &&
	   ((unsigned char *)a)[3 * PAGE] == 0x33, "it holds the file's bytes; its neighbours stay");
	sysc(SYS_munmap, a, 4 * PAGE);

	p = map(0, 3 * PAGE, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
	ok(p > 0 && sysc(SYS_mincore, p, 3 * PAGE, vec) == 0 && (vec[0] & vec[1] & vec[2] & 1),
	   "MAP_POPULATE of a file mapping: mincore reports every page in memory");
	ok(p > 0 && same(p, 0, FILE_LEN), "and it holds the file's bytes");
	sysc(SYS_munmap, p, 3 * PAGE);
}

static void check_shared_file(void)
{
	long fd = open_file(path, O_RDWR);
	long p = map(0, PAGE, RW, MAP_SHARED, fd, 0);
	ok(p > 0 && same(p, 0, PAGE), "MAP_SHARED of a tmpfs file holds its bytes");
	if (p > 0)
		sysc(SYS_munmap, p, PAGE);
	sysc(SYS_close, fd);
}

static void check_dev_zero(void)
{
	int status = -1;
	long fd = open_file("/dev/zero", O_RDWR);
	long p = map(0, 2 * PAGE, RW, MAP_PRIVATE, fd, 0);
	ok(p > 0 && all_zero(p, 2 * PAGE), "MAP_PRIVATE of /dev/zero reads zeros");
	((volatile char *)p)[PAGE] = 5;
	ok(p > 0 && ((char *)p)[PAGE] == 5, "and can be written");
	long s = map(0, PAGE, RW, MAP_SHARED, fd, 0);
	ok(s > 0 && all_zero(s, PAGE), "MAP_SHARED of /dev/zero reads zeros");
	long pid = sysc(SYS_fork);
	if (pid == 0) {
		((volatile char *)s)[7] = 42;
		((volatile char *)p)[7] = 42;
		sysc(SYS_exit_group, 0);
	}
	sysc(SYS_wait4, pid, &status, 0, 0);
	ok(((char *)s)[7] == 42 && ((char *)p)[7] == 0,
	   "a child's write reaches a shared /dev/zero mapping, not a private one");
	sysc(SYS_munmap, p, 2 * PAGE);
	sysc(SYS_munmap, s, PAGE);
	sysc(SYS_close, fd);

	fd = open_file("/dev/zero", O_RDONLY);
	ok_eq(map(0, PAGE, RW, MAP_SHARED, fd, 0), -EACCES,
	      "MAP_SHARED with PROT_WRITE of /dev/zero opened O_RDONLY is EACCES");
	s = map(0, PAGE, PROT_READ, MAP_SHARED, fd, 0);
	ok(s > 0 && sysc(SYS_mprotect, s, PAGE, RW) == -EACCES,
	   "its read-only shared mapping cannot be made writable (EACCES)");
	sysc(SYS_munmap, s, PAGE);
	sysc(SYS_close, fd);
	fd = open_file("/dev/null", O_RDONLY);
	ok_eq(map(0, PAGE, PROT_READ, MAP_PRIVATE, fd, 0), -ENODEV, "mapping /dev/null is ENODEV");
	sysc(SYS_close, fd);
}

int main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/mm_file.%ld", sysc(SYS_getpid));
	snprintf(path, sizeof(path), "%s/data", dir);
	sysc(SYS_mkdir, "/tmp", 01777);
	if (sysc(SYS_mkdir, dir, 0700) != 0) {
		tap_diag("cannot make %s", dir);
		return 1;
	}
	make_file(path);
	long fd = open_file(path, O_RDONLY);

	check_contents(fd);
	check_sigbus(fd);
	check_private_writes(fd);
	check_fork(fd);
	check_outlives_fd();
	check_errors(fd);
	check_dontneed(fd);
	check_protect_and_remap(fd);
	check_fixed_populate(fd);
	check_shared_file();
	check_dev_zero();

	sysc(SYS_close, fd);
	sysc(SYS_unlink, path);
	sysc(SYS_rmdir, dir);
	return tap_done();
}
