/*
 * Memory across fork: private pages are copied on write (neither side
 * sees the other's later writes), MAP_SHARED anonymous memory is shared,
 * MADV_DONTFORK memory is absent in the child and MADV_WIPEONFORK
 * memory reads zero there.
 */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <sys/wait.h>

#include "lib/tap.h"

#define RW (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)

static long map(size_t len, int flags)
{
	return sysc(SYS_mmap, 0, len, RW, flags, -1, 0);
}

static int mapped(long addr)
{
	unsigned char v;
	return sysc(SYS_mincore, addr, PAGE, &v) == 0;
}

/*
 * In the child: bit 0 = it saw the parent's pre-fork private value,
 * bit 1 = shared memory carried its write back, bit 2 = DONTFORK page
 * absent, bit 3 = WIPEONFORK page zero, bit 4 = heap copy intact.
 */
static int child(volatile char *priv, volatile char *shared, long dontfork, volatile char *wipe,
		 volatile char *heap)
{
	int r = 0;

	r |= priv[0] == 'p' && priv[PAGE] == 'q';
	priv[0] = 'c';                  /* copy-on-write: the parent must not see it */
	shared[0] = 'c';                /* shared: the parent must see it */
	r |= 1 << 1;
	r |= !mapped(dontfork) << 2;
	r |= (wipe[0] == 0) << 3;
	r |= (heap[0] == 'h') << 4;
	heap[0] = 'x';
	return r;
}

int main(void)
{
	volatile char *priv = (char *)map(2 * PAGE, ANON);
	volatile char *shared = (char *)map(PAGE, MAP_SHARED | MAP_ANONYMOUS);
	long dontfork = map(PAGE, ANON);
	volatile char *wipe = (char *)map(PAGE, ANON);
	static volatile char heap[PAGE];
	int status = -1;

	priv[0] = 'p';
	priv[PAGE] = 'q';
	shared[0] = 's';
	*(volatile char *)dontfork = 'd';
	wipe[0] = 'w';
	heap[0] = 'h';
	ok_eq(sysc(SYS_madvise, dontfork, PAGE, MADV_DONTFORK), 0, "MADV_DONTFORK succeeds");
	ok_eq(sysc(SYS_madvise, (long)wipe, PAGE, MADV_WIPEONFORK), 0, "MADV_WIPEONFORK succeeds");
	long pid = sysc(SYS_fork);
	if (pid == 0)
		sysc(SYS_exit_group, child(priv, shared, dontfork, wipe, heap));
	if (!ok(pid > 0, "fork succeeds"))
		return tap_done();
	priv[PAGE] = 'P';               /* the parent's write after fork */
	ok_eq(sysc(SYS_wait4, pid, &status, 0, 0), pid, "wait4 reaps the child");
	int r = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	ok(r >= 0 && (r & 1), "the child sees the private contents from before fork");
	ok(r >= 0 && (r & 4), "MADV_DONTFORK memory is not mapped in the child");
	ok(r >= 0 && (r & 8), "MADV_WIPEONFORK memory reads zero in the child");
	ok(r >= 0 && (r & 16), "the child has a copy of the parent's data segment");
	ok(priv[0] == 'p', "the child's write to private memory stays in the child");
	ok(heap[0] == 'h', "the child's write to the data segment stays in the child");
	ok(shared[0] == 'c', "the child's write to shared memory reaches the parent");
	ok(*(volatile char *)dontfork == 'd' && wipe[0] == 'w',
	   "DONTFORK and WIPEONFORK memory keep their contents in the parent");
	return tap_done();
}
