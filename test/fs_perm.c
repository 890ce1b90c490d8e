/*
 * fs_perm: permission checks as a user without capabilities. As root
 * the test builds a tree, then a child drops to uid/gid 65534 with
 * setresuid/setresgid and checks: EACCES to read, write or run a file
 * without the mode bit, to create or remove in a directory without
 * write permission, to search a 0700 directory, to make FIFOs or
 * O_TMPFILE files there; EPERM for chmod, chown and explicit times on
 * another's file and for removing another's file from a sticky
 * directory; and the same calls succeed on the user's own files.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/proc.h"
#include "lib/tap.h"

#ifndef O_TMPFILE
#define O_TMPFILE 020200000
#endif

#define NOBODY 65534

static char dir[64];

static void as_nobody(void)
{
	struct timespec ts[2] = { { 1, 0 }, { 1, 0 } };
	char *argv[] = { "public", NULL }, *envp[] = { NULL };
	struct stat st;
	ok_eq(sysc(SYS_open, "secret", O_RDONLY), -EACCES, "read a 0600 file of root's: EACCES");
	ok_eq(sysc(SYS_open, "public", O_WRONLY), -EACCES, "write a 0644 file of root's: EACCES");
	ok_eq(sysc(SYS_open, "public", O_RDONLY | O_TRUNC), -EACCES, "O_TRUNC needs write: EACCES");
	long fd = sysc(SYS_open, "public", O_RDONLY);
	ok(fd >= 0, "read a 0644 file of root's");
	sysc(SYS_close, fd);
	ok_eq(sysc(SYS_access, "public", W_OK), -EACCES, "access(W_OK): EACCES");
	ok_eq(sysc(SYS_execve, "public", argv, envp), -EACCES,
	      "execute a file without x bits: EACCES");
	ok_eq(sysc(SYS_open, "ro/new", O_CREAT | O_WRONLY, 0644), -EACCES,
	      "create in a 0755 directory of root's: EACCES");
	ok_eq(sysc(SYS_mkdir, "ro/newdir", 0755), -EACCES, "mkdir there: EACCES");
	ok_eq(sysc(SYS_mknod, "ro/fifo", S_IFIFO | 0644, 0), -EACCES, "mknod a FIFO there: EACCES");
	ok_eq(sysc(SYS_open, "ro", O_TMPFILE | O_RDWR, 0600), -EACCES, "O_TMPFILE there: EACCES");
	ok_eq(sysc(SYS_unlink, "ro/file"), -EACCES, "unlink there: EACCES");
	ok_eq(sysc(SYS_rename, "ro/file", "ro/file2"), -EACCES, "rename there: EACCES");
	ok_eq(sysc(SYS_symlink, "x", "ro/link"), -EACCES, "symlink there: EACCES");
	ok_eq(sysc(SYS_stat, "private/file", &st), -EACCES,
	      "stat through a 0700 directory of root's: EACCES");
	ok_eq(sysc(SYS_chdir, "private"), -EACCES, "chdir into it: EACCES");
	ok_eq(sysc(SYS_chmod, "public", 0777), -EPERM, "chmod of root's file: EPERM");
	ok_eq(sysc(SYS_chown, "public", NOBODY, NOBODY), -EPERM, "chown of root's file: EPERM");
	ok_eq(sysc(SYS_utimensat, AT_FDCWD, "public", ts, 0), -EPERM,
	      "explicit times on root's file: EPERM");
	ok_eq(sysc(SYS_utimensat, AT_FDCWD, "public", NULL, 0), -EACCES,
	      "times set to now need write permission: EACCES");
	ok_eq(sysc(SYS_unlink, "sticky/roots"), -EPERM,
	      "remove root's file from a sticky 1777 directory: EPERM");
	fd = sysc(SYS_open, "sticky/mine", O_CREAT | O_RDWR, 0600);
	ok(fd >= 0, "create a file in the sticky directory");
	sysc(SYS_close, fd);
	ok_eq(sysc(SYS_chmod, "sticky/mine", 0640), 0, "chmod of one's own file");
	ok_eq(sysc(SYS_utimensat, AT_FDCWD, "sticky/mine", ts, 0), 0, "explicit times on one's own file");
	ok_eq(sysc(SYS_unlink, "sticky/mine"), 0, "and remove it again");
}

int main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/fs_perm.%ld", sysc(SYS_getpid));
	sysc(SYS_umask, 022);
	if (sysc(SYS_mkdir, dir, 0755) || sysc(SYS_chdir, dir)) {
		tap_diag("cannot make and enter %s", dir);
		return 1;
	}
	sysc(SYS_close, sysc(SYS_open, "secret", O_CREAT | O_WRONLY, 0600));
	sysc(SYS_close, sysc(SYS_open, "public", O_CREAT | O_WRONLY, 0644));
	sysc(SYS_mkdir, "ro", 0755);
	sysc(SYS_close, sysc(SYS_open, "ro/file", O_CREAT | O_WRONLY, 0666));
	sysc(SYS_mkdir, "private", 0700);
	sysc(SYS_close, sysc(SYS_open, "private/file", O_CREAT | O_WRONLY, 0644));
	sysc(SYS_mkdir, "sticky", 0755);
	sysc(SYS_chmod, "sticky", 01777);
	sysc(SYS_close, sysc(SYS_open, "sticky/roots", O_CREAT | O_WRONLY, 0666));
	fflush(stdout);
	long pid = raw_fork();
	if (pid == 0) {
		if (sysc(SYS_setresgid, NOBODY, NOBODY, NOBODY) ||
		    sysc(SYS_setresuid, NOBODY, NOBODY, NOBODY)) {
			tap_diag("cannot become uid %d", NOBODY);
			child_exit(99);
		}
		as_nobody();
		/* The parent goes on counting after the child's checks. */
		child_exit(tap_failed ? 200 + tap_failed : tap_count);
	}
	int st;
	reap(pid, &st);
	tap_count = WIFEXITED(st) && WEXITSTATUS(st) < 200 ? WEXITSTATUS(st) : 0;
	ok_why(WIFEXITED(st) && WEXITSTATUS(st) < 200, "every check as uid 65534 passed",
	       "child status 0x%x", st);
	sysc(SYS_unlink, "secret");
	sysc(SYS_unlink, "public");
	sysc(SYS_unlink, "ro/file");
	sysc(SYS_rmdir, "ro");
	sysc(SYS_unlink, "private/file");
	sysc(SYS_rmdir, "private");
	sysc(SYS_unlink, "sticky/roots");
	sysc(SYS_rmdir, "sticky");
	sysc(SYS_chdir, "/");
	ok_eq(sysc(SYS_rmdir, dir), 0, "the test directory is removed again");
	return tap_done();
}
