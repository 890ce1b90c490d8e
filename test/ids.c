/*
 * ids: process and credential identity calls. A single-threaded process
 * has tid == pid; the parent is a different process; the uid/gid calls
 * agree with each other across calls and with what exec put in the
 * auxiliary vector (AT_UID etc.). No particular values are required.
 */
#include <sys/auxv.h>

#include "lib/tap.h"

static void check_cred(int nr, unsigned long at, const char *desc)
{
	long a = sysc(nr), b = sysc(nr);
	unsigned long v = getauxval(at);

	ok_why(a >= 0 && a == b && (unsigned long)a == v, desc,
	       "got %ld then %ld, auxv says %lu", a, b, v);
}

int main(void)
{
	long pid = sysc(SYS_getpid);
	long ppid = sysc(SYS_getppid);

	ok_why(pid > 0, "getpid returns a positive id", "got %ld", pid);
	ok_eq(sysc(SYS_getpid), pid, "getpid is stable");
	ok_eq(sysc(SYS_gettid), pid, "gettid equals getpid in a single-threaded process");
	ok_why(ppid >= 0 && ppid != pid, "getppid returns another process", "pid %ld ppid %ld", pid, ppid);
	check_cred(SYS_getuid, AT_UID, "getuid is stable and matches AT_UID");
	check_cred(SYS_geteuid, AT_EUID, "geteuid is stable and matches AT_EUID");
	check_cred(SYS_getgid, AT_GID, "getgid is stable and matches AT_GID");
	check_cred(SYS_getegid, AT_EGID, "getegid is stable and matches AT_EGID");
	tap_diag("pid %ld ppid %ld uid %ld gid %ld", pid, ppid, sysc(SYS_getuid), sysc(SYS_getgid));
	return tap_done();
}
