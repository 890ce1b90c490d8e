/*
 * Leak check workload: 200 children are forked, touch some memory, exit
 * and are reaped; with "zombies" the program then leaves 20 unreaped
 * zombies and 5 running children behind when it exits, for the kernel to
 * clean up. test/run.sh runs it with --loglevel 6 and compares the
 * kernel's power-off line (free frames, heap bytes, tasks) with the
 * counts from before the first process started.
 */
#define _GNU_SOURCE
#include <sys/mman.h>

#include "lib/proc.h"

#define CHILDREN 200

int main(int argc, char **argv)
{
	static char data[16 * PAGE];
	int reaped = 0, good = 0, st;

	for (int i = 0; i < CHILDREN; i++) {
		long pid = raw_fork();
		if (pid == 0) {
			/* Copy-on-write faults and a fresh mapping to free. */
			for (unsigned long off = 0; off < sizeof(data); off += PAGE)
				data[off] = (char)i;
			long m = sysc(SYS_mmap, 0, 8 * PAGE, PROT_READ | PROT_WRITE,
				      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (m > 0)
				*(volatile char *)m = 1;
			child_exit(i & 0xff);
		}
		if (pid < 0) {
			tap_diag("fork %d failed: %ld %s", i, pid, tap_errname(pid));
			break;
		}
		if (reap(pid, &st) == pid) {
			reaped++;
			good += st == (i & 0xff) << 8;
		}
	}
	ok_eq(reaped, CHILDREN, "200 children were forked and reaped");
	ok_eq(good, CHILDREN, "each with its own exit status");
	ok_eq(sysc(SYS_wait4, -1, 0, WNOHANG | __WALL, 0), -ECHILD, "none is left");
	if (argc > 1 && !strcmp(argv[1], "zombies")) {
		int made = 0;
		for (int i = 0; i < 25; i++) {
			long pid = raw_fork();
			if (pid == 0) {
				if (i < 20)
					child_exit(0);
				for (;;)
					msleep(50);
			}
			made += pid > 0;
		}
		msleep(50);
		ok_eq(made, 25, "20 zombies and 5 running children are left behind at exit");
	}
	return tap_done();
}
