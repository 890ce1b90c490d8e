/*
 * mremap: shrinking, growing in place, moving (MREMAP_MAYMOVE) with the
 * contents following, MREMAP_FIXED, MREMAP_DONTUNMAP, duplicating a
 * shared mapping with old_size 0, and the EINVAL/EFAULT/ENOMEM cases.
 */
#define _GNU_SOURCE
#include <sys/mman.h>

#include "lib/tap.h"

#define RW (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)
#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif

static long map(long addr, size_t len, int prot, int flags)
{
	return sysc(SYS_mmap, addr, len, prot, flags, -1, 0);
}

static long remap(long old, size_t old_len, size_t new_len, long flags, long new_addr)
{
	return sysc(SYS_mremap, old, old_len, new_len, flags, new_addr);
}

static int is_err(long r)
{
	return r < 0 && r > -4096;
}

static int mapped(long addr)
{
	unsigned char v;
	return sysc(SYS_mincore, addr, PAGE, &v) == 0;
}

static void fill(long p, size_t pages)
{
	for (size_t i = 0; i < pages; i++)
		((volatile char *)p)[i * PAGE] = (char)(i + 1);
}

static int holds(long p, size_t pages)
{
	for (size_t i = 0; i < pages; i++)
		if (((volatile char *)p)[i * PAGE] != (char)(i + 1))
			return 0;
	return 1;
}

/* A free range of @n pages: mapped and unmapped again. */
static long free_range(size_t n)
{
	long p = map(0, n * PAGE, PROT_NONE, ANON);

	if (!is_err(p))
		sysc(SYS_munmap, p, n * PAGE);
	return p;
}

static void check_shrink_and_grow_in_place(void)
{
	/* In the middle of free space, so nothing (like the vDSO) sits right after it. */
	long p = map(free_range(32) + 8 * PAGE, 4 * PAGE, RW, ANON | MAP_FIXED);

	fill(p, 4);
	ok_eq(remap(p, 4 * PAGE, 2 * PAGE, 0, 0), p, "shrinking returns the same address");
	ok(mapped(p + PAGE) && !mapped(p + 2 * PAGE), "shrinking unmaps the tail");
	ok_eq(remap(p, 2 * PAGE, 4 * PAGE, 0, 0), p, "growing into free space stays in place");
	ok(holds(p, 2) && ((volatile char *)p)[3 * PAGE] == 0,
	   "grown memory keeps the old contents and reads zero after them");
	long block = map(p + 4 * PAGE, PAGE, PROT_READ, ANON | MAP_FIXED);
	ok_eq(block, p + 4 * PAGE, "a mapping right after blocks growth");
	ok_eq(remap(p, 4 * PAGE, 8 * PAGE, 0, 0), -ENOMEM, "growth that cannot stay in place without MREMAP_MAYMOVE is ENOMEM");
	long q = remap(p, 4 * PAGE, 8 * PAGE, MREMAP_MAYMOVE, 0);
	ok(!is_err(q) && q != p, "MREMAP_MAYMOVE moves the mapping");
	ok(!is_err(q) && holds(q, 2), "moved memory keeps its contents");
	ok(!mapped(p), "the old range is unmapped after a move");
	sysc(SYS_munmap, q, 8 * PAGE);
	sysc(SYS_munmap, block, PAGE);
}

static void check_fixed(void)
{
	long p = map(0, 4 * PAGE, RW, ANON);
	long dst = map(0, 8 * PAGE, PROT_READ, ANON);

	fill(p, 4);
	ok_eq(remap(p, 4 * PAGE, 4 * PAGE, MREMAP_FIXED, dst), -EINVAL,
	      "MREMAP_FIXED without MREMAP_MAYMOVE is EINVAL");
	ok_eq(remap(p, 4 * PAGE, 4 * PAGE, MREMAP_FIXED | MREMAP_MAYMOVE, p + PAGE), -EINVAL,
	      "MREMAP_FIXED onto an overlapping range is EINVAL");
	ok_eq(remap(p, 4 * PAGE, 4 * PAGE, MREMAP_FIXED | MREMAP_MAYMOVE, dst + 1), -EINVAL,
	      "MREMAP_FIXED to an unaligned address is EINVAL");
	ok_eq(remap(p, 4 * PAGE, 2 * PAGE, MREMAP_FIXED | MREMAP_MAYMOVE, dst + 2 * PAGE), dst + 2 * PAGE,
	      "MREMAP_FIXED moves to exactly the given address, replacing what was there");
	ok(holds(dst + 2 * PAGE, 2), "the moved pages keep their contents");
	ok(!mapped(p) && !mapped(p + 3 * PAGE), "the whole old range is gone, the cut tail too");
	ok(mapped(dst) && mapped(dst + 4 * PAGE), "the rest of the replaced mapping stays");
	sysc(SYS_munmap, dst, 8 * PAGE);
}

static void check_errors(void)
{
	long p = map(0, 2 * PAGE, RW, ANON);

	ok_eq(remap(p + 1, PAGE, 2 * PAGE, MREMAP_MAYMOVE, 0), -EINVAL, "an unaligned old address is EINVAL");
	ok_eq(remap(p, PAGE, 0, MREMAP_MAYMOVE, 0), -EINVAL, "a new size of 0 is EINVAL");
	ok_eq(remap(p, PAGE, 2 * PAGE, 0x80, 0), -EINVAL, "unknown flags are EINVAL");
	ok_eq(remap(p, 4 * PAGE, 8 * PAGE, MREMAP_MAYMOVE, 0), -EFAULT,
	      "an old range running past its mapping is EFAULT");
	sysc(SYS_munmap, p, 2 * PAGE);
	ok_eq(remap(p, PAGE, 2 * PAGE, MREMAP_MAYMOVE, 0), -EFAULT, "an unmapped old address is EFAULT");
	p = map(0, PAGE, RW, ANON);
	ok_eq(remap(p, 0, PAGE, MREMAP_MAYMOVE, 0), -EINVAL,
	      "old size 0 of a private mapping is EINVAL");
	ok_eq(remap(p, PAGE, 2 * PAGE, MREMAP_DONTUNMAP | MREMAP_MAYMOVE, 0), -EINVAL,
	      "MREMAP_DONTUNMAP with a size change is EINVAL");
	sysc(SYS_munmap, p, PAGE);
}

static void check_shared_and_dontunmap(void)
{
	long s = map(0, PAGE, RW, MAP_SHARED | MAP_ANONYMOUS);
	long d = remap(s, 0, PAGE, MREMAP_MAYMOVE, 0);

	ok(!is_err(d) && d != s, "old size 0 duplicates a shared mapping elsewhere");
	if (!is_err(d)) {
		*(volatile char *)s = 'x';
		ok(*(volatile char *)d == 'x', "both views of the duplicated mapping see one memory");
		sysc(SYS_munmap, d, PAGE);
	}
	sysc(SYS_munmap, s, PAGE);

	long p = map(0, 2 * PAGE, RW, ANON);
	fill(p, 2);
	long q = remap(p, 2 * PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0);
	ok(!is_err(q) && q != p && holds(q, 2), "MREMAP_DONTUNMAP moves the pages");
	ok(mapped(p) && ((volatile char *)p)[0] == 0,
	   "MREMAP_DONTUNMAP leaves the old range mapped and empty");
	sysc(SYS_munmap, p, 2 * PAGE);
	sysc(SYS_munmap, q, 2 * PAGE);
}

int main(void)
{
	check_shrink_and_grow_in_place();
	check_fixed();
	check_errors();
	check_shared_and_dontunmap();
	return tap_done();
}
