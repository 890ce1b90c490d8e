/*
 * Shared file mappings (MAP_SHARED of a regular tmpfs file or a memfd)
 * and the page cache behind them: stores through a mapping are seen by
 * read(2) and by every other mapping (in this process, across fork, and
 * in a process that opens the file by name), write(2) is seen through
 * mappings, memfd_create + ftruncate, a POSIX-shm-style file in a tmpfs
 * directory, SIGBUS after ftruncate shrinks the file and access again
 * after it grows, EACCES for PROT_WRITE on a read-only descriptor,
 * msync, MAP_SHARED_VALIDATE, and MAP_PRIVATE seeing file changes in
 * pages it has not written. Works on files in a fresh directory under
 * /tmp and a tmpfs mounted inside it.
 *
 * Mode "child PATH OFF": the unrelated process (exec'd, so it shares no
 * mapping with the parent) maps PATH shared, checks the parent's byte
 * 0x5a at OFF and stores 0xa5 at OFF + 1; its exit status reports.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/tap.h"

#define RW (PROT_READ | PROT_WRITE)
#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE 0x03
#endif
#ifndef MFD_CLOEXEC
#define MFD_CLOEXEC 1U
#endif

static char dir[64], path[96], self[256];

static long map(long addr, size_t len, int prot, int flags, long fd, long off)
{
	return sysc(SYS_mmap, addr, len, prot, flags, fd, off);
}

static long open_file(const char *p, int flags)
{
	return sysc(SYS_open, p, flags, 0600);
}

static volatile unsigned char *at(long p, size_t off)
{
	return (volatile unsigned char *)p + off;
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

/* A fresh file of @len bytes, byte i = i % 251 + 1 (none zero). */
static long make_file(const char *p, size_t len)
{
	static unsigned char buf[4 * PAGE];
	long fd = open_file(p, O_CREAT | O_TRUNC | O_RDWR);
	for (size_t i = 0; i < len && i < sizeof(buf); i++)
		buf[i] = (unsigned char)(i % 251 + 1);
	sysc(SYS_write, fd, buf, len);
	return fd;
}

static int wait_status(long pid)
{
	int status = -1;
	sysc(SYS_wait4, pid, &status, 0, 0);
	return status;
}

/* ---- checks ---- */

static void check_write_read(void)
{
	unsigned char b[4] = { 0 };
	long fd = make_file(path, 2 * PAGE);
	long p = map(0, 2 * PAGE, RW, MAP_SHARED, fd, 0);

	ok(p > 0, "MAP_SHARED of a tmpfs file opened O_RDWR succeeds");
	if (p <= 0)
		return;
	ok(*at(p, 10) == 11 && *at(p, PAGE + 3) == (PAGE + 3) % 251 + 1,
	   "the mapping holds the file's bytes");
	*at(p, 100) = 0xab;
	*at(p, PAGE + 1) = 0xcd;
	ok(sysc(SYS_pread64, fd, b, 1, 100) == 1 && b[0] == 0xab,
	   "a store through the mapping is seen by pread at once");
	long rfd = open_file(path, O_RDONLY);
	sysc(SYS_lseek, rfd, PAGE + 1, SEEK_SET);
	ok(sysc(SYS_read, rfd, b, 1) == 1 && b[0] == 0xcd,
	   "and by read(2) through another descriptor");
	sysc(SYS_close, rfd);
	ok_eq(sysc(SYS_pwrite64, fd, "\x11\x22", 2, 200), 2, "pwrite to the mapped file");
	ok(*at(p, 200) == 0x11 && *at(p, 201) == 0x22, "write(2) is seen through the mapping");

	long q = map(0, 2 * PAGE, RW, MAP_SHARED, fd, 0);
	ok(q > 0 && q != p, "a second MAP_SHARED mapping of the file");
	*at(q, 300) = 0x31;
	*at(p, 301) = 0x32;
	ok(*at(p, 300) == 0x31 && *at(q, 301) == 0x32,
	   "two mappings of one file see each other's stores");
	long r = map(0, PAGE, PROT_READ, MAP_SHARED, fd, PAGE);
	ok(r > 0 && *at(r, 1) == 0xcd, "a mapping at a file offset shows the page from there");

	struct stat st;
	ok(sysc(SYS_fstat, fd, &st) == 0 && st.st_size == 2 * PAGE,
	   "stores through a mapping do not change the size");
	sysc(SYS_munmap, p, 2 * PAGE);
	sysc(SYS_munmap, q, 2 * PAGE);
	sysc(SYS_munmap, r, PAGE);
	sysc(SYS_close, fd);
}

static void check_fork(void)
{
	int sync[2];
	long fd = make_file(path, PAGE);
	long p = map(0, PAGE, RW, MAP_SHARED, fd, 0);

	sysc(SYS_pipe, sync);
	long pid = sysc(SYS_fork);
	if (pid == 0) {
		char c;
		*at(p, 5) = 0x55;  /* the parent must see this */
		sysc(SYS_read, sync[0], &c, 1);
		sysc(SYS_exit_group, *at(p, 6) == 0x66 ? 0 : 1);
	}
	while (*at(p, 5) != 0x55)
		sysc(SYS_sched_yield);
	ok(1, "the parent sees a store of the child through an inherited MAP_SHARED mapping");
	*at(p, 6) = 0x66;
	sysc(SYS_write, sync[1], "x", 1);
	int status = wait_status(pid);
	ok_why(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	       "the child sees the parent's store made after fork", "child status 0x%x", status);
	unsigned char b = 0;
	ok(sysc(SYS_pread64, fd, &b, 1, 5) == 1 && b == 0x55, "and the child's store is in the file");
	sysc(SYS_close, sync[0]);
	sysc(SYS_close, sync[1]);
	sysc(SYS_munmap, p, PAGE);
	sysc(SYS_close, fd);
}

/* The exec'd child: map @p by name, check 0x5a at @off, store 0xa5 at @off + 1. */
static int child_main(const char *p, long off)
{
	long fd = open_file(p, O_RDWR);
	long m = map(0, PAGE, RW, MAP_SHARED, fd, off & ~(long)(PAGE - 1));
	if (m <= 0)
		return 2;
	size_t in = (size_t)(off & (PAGE - 1));
	if (*at(m, in) != 0x5a)
		return 3;
	*at(m, in + 1) = 0xa5;
	return 0;
}

static void check_unrelated(const char *p, const char *what)
{
	long fd = open_file(p, O_RDWR);
	long m = map(0, 2 * PAGE, RW, MAP_SHARED, fd, 0);
	*at(m, PAGE + 40) = 0x5a;
	long pid = sysc(SYS_fork);
	if (pid == 0) {
		char off[16];
		snprintf(off, sizeof(off), "%ld", (long)PAGE + 40);
		char *argv[] = { self, "child", (char *)p, off, NULL };
		char *envp[] = { NULL };
		sysc(SYS_execve, self, argv, envp);
		sysc(SYS_exit_group, 9);
	}
	int status = wait_status(pid);
	ok_why(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	       "a process that opens the file by name and maps it sees a store made before",
	       "%s: child status 0x%x", what, status);
	ok_why(*at(m, PAGE + 41) == 0xa5, "its store is seen through this process's mapping",
	       "%s: got 0x%x", what, *at(m, PAGE + 41));
	sysc(SYS_munmap, m, 2 * PAGE);
	sysc(SYS_close, fd);
}

static void check_memfd(void)
{
	long fd = sysc(SYS_memfd_create, "mm_shared", MFD_CLOEXEC);
	ok(fd >= 0, "memfd_create");
	ok_eq(sysc(SYS_ftruncate, fd, 3 * PAGE), 0, "ftruncate the memfd to three pages");
	long p = map(0, 3 * PAGE, RW, MAP_SHARED, fd, 0);
	ok(p > 0 && *at(p, 0) == 0 && *at(p, 3 * PAGE - 1) == 0,
	   "MAP_SHARED of the memfd reads zeros");
	long pid = sysc(SYS_fork);
	if (pid == 0) {
		*at(p, 2 * PAGE + 7) = 0x77;
		sysc(SYS_exit_group, 0);
	}
	wait_status(pid);
	unsigned char b = 0;
	ok(*at(p, 2 * PAGE + 7) == 0x77 && sysc(SYS_pread64, fd, &b, 1, 2 * PAGE + 7) == 1 &&
	   b == 0x77, "a child's store to the memfd mapping reaches the parent and the file");
	long q = map(0, PAGE, PROT_READ, MAP_SHARED, fd, 2 * PAGE);
	ok(q > 0 && *at(q, 7) == 0x77, "a second mapping of the memfd shows it");
	sysc(SYS_munmap, p, 3 * PAGE);
	sysc(SYS_munmap, q, PAGE);
	sysc(SYS_close, fd);
}

/* shm_open's way: a file in a tmpfs directory, ftruncate, MAP_SHARED. */
static void check_shm_dir(void)
{
	char shm[96], obj[128];
	snprintf(shm, sizeof(shm), "%s/shm", dir);
	snprintf(obj, sizeof(obj), "%s/obj", shm);
	sysc(SYS_mkdir, shm, 01777);
	ok_eq(sysc(SYS_mount, "shm", shm, "tmpfs", 0, "size=1m"), 0, "mount a tmpfs for shm");
	long fd = sysc(SYS_open, obj, O_CREAT | O_EXCL | O_RDWR | O_NOFOLLOW | O_CLOEXEC, 0600);
	ok(fd >= 0, "create a shm object in it");
	ok_eq(sysc(SYS_ftruncate, fd, 2 * PAGE), 0, "ftruncate it to two pages");
	sysc(SYS_close, fd);
	check_unrelated(obj, "shm");
	ok_eq(sysc(SYS_unlink, obj), 0, "unlink the shm object (shm_unlink)");
	ok_eq(sysc(SYS_umount2, shm, 0), 0, "umount the shm tmpfs");
	sysc(SYS_rmdir, shm);
}

static void check_truncate(void)
{
	long fd = make_file(path, 3 * PAGE);
	long p = map(0, 3 * PAGE, RW, MAP_SHARED, fd, 0);
	long q = map(0, 3 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
	ok(*at(p, 2 * PAGE + 1) == (2 * PAGE + 1) % 251 + 1 && *at(q, 2 * PAGE + 1) != 0,
	   "all three pages are readable before the truncate");
	ok_eq(sysc(SYS_ftruncate, fd, PAGE + 100), 0, "ftruncate shrinks the mapped file");
	ok_eq(touch(at(p, 2 * PAGE + 1), 0), SIGBUS,
	      "a page now wholly past the end raises SIGBUS in a shared mapping");
	ok_why(fault_code == BUS_ADRERR && fault_addr == (void *)at(p, 2 * PAGE + 1),
	       "BUS_ADRERR at the faulting address", "si_code %d, si_addr %p", fault_code,
	       (void *)fault_addr);
	ok_eq(touch(at(p, 2 * PAGE + 1), 1), SIGBUS, "and so does a store there");
	ok_eq(touch(at(q, 2 * PAGE + 1), 0), SIGBUS, "and a read in a private mapping");
	ok(*at(p, PAGE + 99) == (PAGE + 99) % 251 + 1 && *at(p, PAGE + 100) == 0 &&
	   *at(p, 2 * PAGE - 1) == 0, "the new last page keeps its bytes and reads zero past the end");
	ok(*at(p, 50) == 51, "the first page is untouched");
	ok_eq(sysc(SYS_ftruncate, fd, 3 * PAGE), 0, "ftruncate grows the file again");
	ok_eq(touch(at(p, 2 * PAGE + 1), 0), 0, "the grown page is accessible again");
	ok(*at(p, 2 * PAGE + 1) == 0 && *at(q, 2 * PAGE + 1) == 0 && *at(p, PAGE + 100) == 0,
	   "and reads zeros");
	*at(p, 2 * PAGE + 2) = 0x42;
	unsigned char b = 0;
	ok(sysc(SYS_pread64, fd, &b, 1, 2 * PAGE + 2) == 1 && b == 0x42,
	   "a store to the grown page reaches the file");
	sysc(SYS_munmap, p, 3 * PAGE);
	sysc(SYS_munmap, q, 3 * PAGE);
	sysc(SYS_close, fd);
}

static void check_access(void)
{
	long fd = make_file(path, PAGE);
	sysc(SYS_close, fd);
	fd = open_file(path, O_RDONLY);
	ok_eq(map(0, PAGE, RW, MAP_SHARED, fd, 0), -EACCES,
	      "MAP_SHARED with PROT_WRITE of a file opened O_RDONLY is EACCES");
	ok_eq(map(0, PAGE, RW, MAP_SHARED_VALIDATE, fd, 0), -EACCES,
	      "so is MAP_SHARED_VALIDATE");
	long p = map(0, PAGE, PROT_READ, MAP_SHARED, fd, 0);
	ok(p > 0 && *at(p, 1) == 2, "MAP_SHARED PROT_READ of it works");
	ok_eq(sysc(SYS_mprotect, p, PAGE, RW), -EACCES, "and mprotect cannot make it writable");
	ok_eq(touch(at(p, 1), 1), SIGSEGV, "a store to it raises SIGSEGV");
	sysc(SYS_munmap, p, PAGE);
	sysc(SYS_close, fd);
	fd = open_file(path, O_WRONLY);
	ok_eq(map(0, PAGE, PROT_WRITE, MAP_SHARED, fd, 0), -EACCES,
	      "MAP_SHARED of a file opened O_WRONLY is EACCES");
	sysc(SYS_close, fd);
	fd = open_file(path, O_RDWR);
	p = map(0, PAGE, RW, MAP_SHARED_VALIDATE, fd, 0);
	ok(p > 0, "MAP_SHARED_VALIDATE of a file opened O_RDWR works");
	*at(p, 9) = 0x99;
	unsigned char b = 0;
	ok(sysc(SYS_pread64, fd, &b, 1, 9) == 1 && b == 0x99, "and writes through to the file");
	ok_eq(map(0, PAGE, RW, MAP_SHARED_VALIDATE | 0x80000, fd, 0), -EOPNOTSUPP,
	      "MAP_SHARED_VALIDATE with MAP_SYNC on tmpfs is EOPNOTSUPP");

	ok_eq(sysc(SYS_msync, p, PAGE, MS_SYNC), 0, "msync MS_SYNC of a shared file mapping");
	ok_eq(sysc(SYS_msync, p, 100, MS_ASYNC | MS_INVALIDATE), 0, "msync MS_ASYNC|MS_INVALIDATE");
	ok_eq(sysc(SYS_msync, p, 0, MS_SYNC), 0, "msync of length 0");
	ok_eq(sysc(SYS_msync, p + 1, PAGE, MS_SYNC), -EINVAL, "msync of an unaligned address: EINVAL");
	ok_eq(sysc(SYS_msync, p, PAGE, MS_SYNC | MS_ASYNC), -EINVAL,
	      "msync MS_SYNC|MS_ASYNC: EINVAL");
	ok_eq(sysc(SYS_msync, p, PAGE, 0x100), -EINVAL, "msync with an unknown flag: EINVAL");
	sysc(SYS_munmap, p, PAGE);
	ok_eq(sysc(SYS_msync, p, PAGE, MS_SYNC), -ENOMEM, "msync of an unmapped range: ENOMEM");
	sysc(SYS_close, fd);
}

static void check_private_view(void)
{
	long fd = make_file(path, 2 * PAGE);
	long p = map(0, 2 * PAGE, RW, MAP_PRIVATE, fd, 0);
	(void)*at(p, 0);
	(void)*at(p, PAGE);
	*at(p, PAGE) = 0xee;  /* this page is now the mapping's own copy */
	ok_eq(sysc(SYS_pwrite64, fd, "\x44", 1, 3), 1, "pwrite to a privately mapped file");
	ok_eq(sysc(SYS_pwrite64, fd, "\x45", 1, PAGE + 3), 1, "and to a page it wrote");
	ok(*at(p, 3) == 0x44, "MAP_PRIVATE shows file changes in a page it has not written");
	ok(*at(p, PAGE + 3) == (PAGE + 3) % 251 + 1 && *at(p, PAGE) == 0xee,
	   "but not in a page it has written");
	unsigned char b = 0;
	ok(sysc(SYS_pread64, fd, &b, 1, PAGE) == 1 && b == (PAGE % 251 + 1),
	   "and its write is not in the file");
	sysc(SYS_munmap, p, 2 * PAGE);
	sysc(SYS_close, fd);
}

static void check_holes(void)
{
	long fd = open_file(path, O_CREAT | O_TRUNC | O_RDWR);
	ok_eq(sysc(SYS_ftruncate, fd, 4 * PAGE), 0, "ftruncate a new file to four pages");
	long p = map(0, 4 * PAGE, RW, MAP_SHARED, fd, 0);
	ok(p > 0 && *at(p, 3 * PAGE) == 0, "a hole reads zero through the mapping");
	*at(p, 2 * PAGE + 5) = 0x25;
	unsigned char b[8];
	ok(sysc(SYS_pread64, fd, b, 8, 2 * PAGE) == 8 && b[5] == 0x25 && b[0] == 0,
	   "a store into a hole reaches the file");
	ok(sysc(SYS_pread64, fd, b, 8, PAGE) == 8 && !b[0] && !b[7], "another hole reads zero");
	sysc(SYS_munmap, p, 4 * PAGE);
	sysc(SYS_close, fd);
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "child"))
		return child_main(argv[2], atol(argv[3]));
	snprintf(self, sizeof(self), "%s", argv[0]);
	snprintf(dir, sizeof(dir), "/tmp/mm_shared_file.%ld", sysc(SYS_getpid));
	snprintf(path, sizeof(path), "%s/data", dir);
	sysc(SYS_mkdir, "/tmp", 01777);
	if (sysc(SYS_mkdir, dir, 0700) != 0) {
		tap_diag("cannot make %s", dir);
		return 1;
	}

	check_write_read();
	check_fork();
	long fd = make_file(path, 2 * PAGE);
	sysc(SYS_close, fd);
	check_unrelated(path, "tmp");
	check_memfd();
	check_shm_dir();
	check_truncate();
	check_access();
	check_private_view();
	check_holes();

	sysc(SYS_unlink, path);
	sysc(SYS_rmdir, dir);
	return tap_done();
}
