/*
 * madvise and mincore: MADV_DONTNEED gives private anonymous pages back
 * as zero pages and keeps shared memory's contents, MADV_FREE is a hint
 * for private anonymous memory only, reclaim hints are accepted,
 * MADV_POPULATE_* fault pages in; mincore reports residency; and the
 * EINVAL/ENOMEM/EFAULT cases of both.
 */
#define _GNU_SOURCE
#include <sys/mman.h>

#include "lib/tap.h"

#define RW (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_READ 22
#define MADV_POPULATE_WRITE 23
#endif

static long map(long addr, size_t len, int prot, int flags)
{
	return sysc(SYS_mmap, addr, len, prot, flags, -1, 0);
}

static long advise(long addr, size_t len, int advice)
{
	return sysc(SYS_madvise, addr, len, advice);
}

static long resident(long addr, size_t n)
{
	unsigned char vec[64];
	long r = sysc(SYS_mincore, addr, n * PAGE, vec);
	long count = 0;

	if (r)
		return r;
	for (size_t i = 0; i < n; i++)
		count += vec[i] & 1;
	return count;
}

static void check_dontneed(void)
{
	long p = map(0, 4 * PAGE, RW, ANON);
	long s = map(0, 2 * PAGE, RW, MAP_SHARED | MAP_ANONYMOUS);

	memset((void *)p, 0x5a, 4 * PAGE);
	memset((void *)s, 0x6b, 2 * PAGE);
	ok_eq(resident(p, 4), 4, "written pages are resident");
	ok_eq(advise(p + PAGE, 2 * PAGE, MADV_DONTNEED), 0, "MADV_DONTNEED on private memory succeeds");
	ok_eq(resident(p, 4), 2, "MADV_DONTNEED drops the pages");
	ok(((volatile char *)p)[PAGE] == 0 && ((volatile char *)p)[3 * PAGE - 1] == 0,
	   "private anonymous pages read zero after MADV_DONTNEED");
	ok(((volatile unsigned char *)p)[0] == 0x5a && ((volatile unsigned char *)p)[3 * PAGE] == 0x5a,
	   "pages outside the advised range keep their contents");
	ok_eq(advise(s, 2 * PAGE, MADV_DONTNEED), 0, "MADV_DONTNEED on shared memory succeeds");
	ok(((volatile unsigned char *)s)[PAGE + 5] == 0x6b, "shared memory keeps its contents after MADV_DONTNEED");
	ok_eq(advise(s, PAGE, MADV_FREE), -EINVAL, "MADV_FREE on shared memory is EINVAL");
	ok_eq(advise(p, 4 * PAGE, MADV_FREE), 0, "MADV_FREE on private anonymous memory succeeds");
	((volatile char *)p)[2] = 9;
	ok(((volatile char *)p)[2] == 9, "memory is writable after MADV_FREE");
	sysc(SYS_munmap, p, 4 * PAGE);
	sysc(SYS_munmap, s, 2 * PAGE);
}

static void check_hints_and_errors(void)
{
	static const int hints[] = { MADV_NORMAL, MADV_RANDOM, MADV_SEQUENTIAL, MADV_WILLNEED,
				     MADV_DONTFORK, MADV_DOFORK, MADV_DONTDUMP, MADV_DODUMP };
	long p = map(0, 4 * PAGE, RW, ANON);
	int good = 1;

	for (size_t i = 0; i < sizeof(hints) / sizeof(hints[0]); i++)
		good &= advise(p, 4 * PAGE, hints[i]) == 0;
	ok(good, "NORMAL, RANDOM, SEQUENTIAL, WILLNEED, DONTFORK, DOFORK, DONTDUMP, DODUMP succeed");
	ok_eq(advise(p, 4 * PAGE, 12345), -EINVAL, "an unknown advice is EINVAL");
	ok_eq(advise(p, 0, 12345), -EINVAL, "an unknown advice is EINVAL even for length 0");
	ok_eq(advise(p + 1, PAGE, MADV_NORMAL), -EINVAL, "an unaligned start is EINVAL");
	ok_eq(advise(p, 0, MADV_DONTNEED), 0, "length 0 succeeds");
	sysc(SYS_munmap, p + PAGE, PAGE);
	ok_eq(advise(p, 4 * PAGE, MADV_NORMAL), -ENOMEM, "a range with a hole is ENOMEM");
	((volatile char *)p)[3 * PAGE] = 1;
	ok_eq(advise(p, 4 * PAGE, MADV_DONTNEED), -ENOMEM, "MADV_DONTNEED over a hole is ENOMEM");
	ok_eq(resident(p + 3 * PAGE, 1), 0, "but the mapped parts were still advised");
	sysc(SYS_munmap, p, 4 * PAGE);
}

static void check_populate(void)
{
	long p = map(0, 8 * PAGE, RW, ANON);

	ok_eq(advise(p, 4 * PAGE, MADV_POPULATE_READ), 0, "MADV_POPULATE_READ succeeds");
	ok_eq(advise(p + 4 * PAGE, 4 * PAGE, MADV_POPULATE_WRITE), 0, "MADV_POPULATE_WRITE succeeds");
	ok_eq(resident(p + 4 * PAGE, 4), 4, "MADV_POPULATE_WRITE makes the pages resident");
	sysc(SYS_munmap, p, 8 * PAGE);
}

static void check_mincore_errors(void)
{
	long p = map(0, 2 * PAGE, RW, ANON);
	unsigned char vec[2];

	ok_eq(sysc(SYS_mincore, p + 1, PAGE, vec), -EINVAL, "mincore of an unaligned address is EINVAL");
	ok_eq(sysc(SYS_mincore, p, 2 * PAGE, BAD_LOW_PTR), -EFAULT, "mincore into a bad vector is EFAULT");
	ok_eq(sysc(SYS_mincore, p, PAGE + 1, vec), 0, "mincore rounds a partial page up");
	ok_eq(sysc(SYS_mincore, p, 0, BAD_LOW_PTR), 0, "mincore of length 0 succeeds");
	sysc(SYS_munmap, p, 2 * PAGE);
	ok_eq(sysc(SYS_mincore, p, PAGE, vec), -ENOMEM, "mincore of unmapped memory is ENOMEM");
	ok_eq(sysc(SYS_mincore, 0x7ffffffff000L, 2 * PAGE, vec), -ENOMEM,
	      "mincore past the user address range is ENOMEM");
}

int main(void)
{
	check_dontneed();
	check_hints_and_errors();
	check_populate();
	check_mincore_errors();
	return tap_done();
}
