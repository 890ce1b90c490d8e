/*
 * mprotect_segv: a user access that the page protections forbid kills the
 * process with SIGSEGV (default action, no handler installed). This test
 * is expected to die: the runner checks for a signal death by SIGSEGV
 * (status 139 = 128 + 11). argv[1] picks the faulting access:
 *   write-readonly  (default) store to a page made PROT_READ by mprotect
 *   read-none       load from a PROT_NONE page
 *   read-unmapped   load from a page after munmap
 */
#include <sys/mman.h>

#include "lib/tap.h"

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "write-readonly";
	long p = sysc(SYS_mmap, 0, PAGE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	volatile char *c = (volatile char *)p;
	long r;

	tap_plan(3);
	if (!ok(p > 0 && p % PAGE == 0, "mmap of a read-write page succeeds"))
		return 1;
	*c = 7;
	ok(*c == 7, "the page is writable before mprotect");
	if (strcmp(mode, "write-readonly") == 0) {
		r = sysc(SYS_mprotect, p, PAGE, PROT_READ);
		ok_eq(r, 0, "mprotect(PROT_READ) succeeds");
		tap_diag("storing to the read-only page: SIGSEGV expected");
		*c = 8;
	} else if (strcmp(mode, "read-none") == 0) {
		r = sysc(SYS_mprotect, p, PAGE, PROT_NONE);
		ok_eq(r, 0, "mprotect(PROT_NONE) succeeds");
		tap_diag("loading from the PROT_NONE page: SIGSEGV expected");
		r = *c;
	} else if (strcmp(mode, "read-unmapped") == 0) {
		r = sysc(SYS_munmap, p, PAGE);
		ok_eq(r, 0, "munmap succeeds");
		tap_diag("loading from the unmapped page: SIGSEGV expected");
		r = *c;
	} else {
		tap_diag("unknown mode %s", mode);
		return 2;
	}
	tap_diag("still alive after the access (value %ld): no SIGSEGV", r);
	return 1;
}
