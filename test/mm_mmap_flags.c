/*
 * mmap flags beyond the basics: hint addresses, MAP_FIXED_NOREPLACE,
 * MAP_POPULATE (pages resident at once, seen by mincore), MAP_NORESERVE,
 * MAP_GROWSDOWN (the mapping grows on a touch below it), MAP_32BIT,
 * shared anonymous memory, the flag combinations Linux refuses, and
 * RLIMIT_AS (checked last, as it stays lowered).
 */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <sys/resource.h>

#include "lib/tap.h"

#define RW (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)

static long map(long addr, size_t len, int prot, int flags)
{
	return sysc(SYS_mmap, addr, len, prot, flags, -1, 0);
}

static int is_err(long r)
{
	return r < 0 && r > -4096;
}

/* Number of resident pages among @n from @addr, or a negative errno. */
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

/* A free range of @n pages: mapped and unmapped again. */
static long free_range(size_t n)
{
	long p = map(0, n * PAGE, PROT_NONE, ANON);

	if (!is_err(p))
		sysc(SYS_munmap, p, n * PAGE);
	return p;
}

static void check_hint(void)
{
	long base = free_range(64);
	long p = map(base + 8 * PAGE, PAGE, RW, ANON);

	ok_eq(p, base + 8 * PAGE, "a hint address in free space is used as given");
	long q = map(base + 16 * PAGE + 123, PAGE, RW, ANON);
	ok_eq(q, base + 16 * PAGE, "an unaligned hint is rounded down to its page");
	long r = map(base + 8 * PAGE, PAGE, RW, ANON);
	ok(!is_err(r) && r != (long)(base + 8 * PAGE), "a hint over a mapping is ignored, not an error");
	sysc(SYS_munmap, p, PAGE);
	sysc(SYS_munmap, q, PAGE);
	sysc(SYS_munmap, r, PAGE);
}

static void check_noreplace(void)
{
	long base = free_range(8);
	long p = map(base, 4 * PAGE, RW, ANON | MAP_FIXED_NOREPLACE);

	ok_eq(p, base, "MAP_FIXED_NOREPLACE on free space maps exactly there");
	*(volatile char *)base = 9;
	ok_eq(map(base + 2 * PAGE, 4 * PAGE, RW, ANON | MAP_FIXED_NOREPLACE), -EEXIST,
	      "MAP_FIXED_NOREPLACE over part of a mapping is EEXIST");
	ok(*(volatile char *)base == 9, "the existing mapping is untouched after EEXIST");
	ok_eq(map(base + 4 * PAGE, 4 * PAGE, RW, ANON | MAP_FIXED_NOREPLACE), base + 4 * PAGE,
	      "MAP_FIXED_NOREPLACE right after a mapping succeeds");
	ok_eq(map(base + 100, PAGE, RW, ANON | MAP_FIXED_NOREPLACE), -EINVAL,
	      "MAP_FIXED_NOREPLACE at an unaligned address is EINVAL");
	sysc(SYS_munmap, base, 8 * PAGE);
}

static void check_populate(void)
{
	long p = map(0, 16 * PAGE, RW, ANON);

	ok_eq(resident(p, 16), 0, "a fresh anonymous mapping has no resident pages");
	((volatile char *)p)[3 * PAGE] = 1;
	ok_eq(resident(p, 16), 1, "touching one page makes exactly it resident");
	sysc(SYS_munmap, p, 16 * PAGE);
	p = map(0, 16 * PAGE, RW, ANON | MAP_POPULATE);
	ok_eq(resident(p, 16), 16, "MAP_POPULATE makes every page resident at once");
	sysc(SYS_munmap, p, 16 * PAGE);
	p = map(0, 16 * PAGE, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_POPULATE);
	ok_eq(resident(p, 16), 16, "MAP_POPULATE of shared anonymous memory too");
	sysc(SYS_munmap, p, 16 * PAGE);
	p = map(0, 256 * PAGE, RW, ANON | MAP_NORESERVE);
	ok(!is_err(p), "MAP_NORESERVE is accepted");
	((volatile char *)p)[255 * PAGE] = 3;
	ok(((volatile char *)p)[255 * PAGE] == 3 && ((volatile char *)p)[0] == 0,
	   "MAP_NORESERVE memory reads zero and keeps writes");
	sysc(SYS_munmap, p, 256 * PAGE);
}

static void check_growsdown(void)
{
	long base = free_range(1024);
	long top = base + 1000 * PAGE;
	long p = map(top, PAGE, RW, ANON | MAP_GROWSDOWN | MAP_FIXED);

	if (!ok_eq(p, top, "MAP_GROWSDOWN mapping at a fixed address"))
		return;
	ok_eq(resident(top - 4 * PAGE, 5), -ENOMEM, "below a MAP_GROWSDOWN mapping is unmapped at first");
	((volatile char *)(top - 4 * PAGE))[8] = 5;
	ok(((volatile char *)(top - 4 * PAGE))[8] == 5, "a touch below MAP_GROWSDOWN memory grows it");
	ok_eq(resident(top - 4 * PAGE, 5), 1, "the grown mapping covers the touched page (mincore sees it mapped)");
	sysc(SYS_munmap, base, 1024 * PAGE);
	ok_eq(map(0, PAGE, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_GROWSDOWN), -EINVAL,
	      "MAP_GROWSDOWN with MAP_SHARED anonymous memory is EINVAL");
}

static void check_misc_flags(void)
{
	long p = map(0, PAGE, RW, ANON | MAP_32BIT);

	ok(!is_err(p) && p < 0x80000000L, "MAP_32BIT memory lies below 2 GiB");
	sysc(SYS_munmap, p, PAGE);
	ok_eq(map(0, PAGE, RW, MAP_SHARED_VALIDATE | MAP_ANONYMOUS), -EINVAL,
	      "anonymous MAP_SHARED_VALIDATE is EINVAL");
	p = map(0, PAGE, RW, ANON | MAP_STACK);
	ok(!is_err(p), "MAP_STACK is accepted");
	sysc(SYS_munmap, p, PAGE);
	ok_eq(map(0, PAGE, RW, MAP_ANONYMOUS | MAP_TYPE), -EINVAL, "an unknown mapping type is EINVAL");
}

static void check_shared_remap(void)
{
	long p = map(0, 2 * PAGE, RW, MAP_SHARED | MAP_ANONYMOUS);

	if (!ok(!is_err(p), "shared anonymous mapping"))
		return;
	((volatile char *)p)[PAGE] = 7;
	ok_eq(sysc(SYS_mprotect, p, 2 * PAGE, PROT_READ), 0, "shared anonymous memory can be made read-only");
	ok_eq(sysc(SYS_mprotect, p, 2 * PAGE, RW | PROT_EXEC), 0,
	      "and read-write-exec (its object grants every right)");
	ok(((volatile char *)p)[PAGE] == 7, "it keeps its contents through mprotect");
	ok_eq(sysc(SYS_munmap, p, PAGE), 0, "munmap of the first shared page");
	ok(((volatile char *)p)[PAGE] == 7, "the rest of the shared mapping keeps its contents");
	sysc(SYS_munmap, p + PAGE, PAGE);
}

static void check_as_limit(void)
{
	struct rlimit rl = { 64UL << 20, RLIM_INFINITY };

	if (sysc(SYS_getrlimit, RLIMIT_AS, &rl) == 0)
		rl.rlim_cur = 64UL << 20;
	ok_eq(sysc(SYS_setrlimit, RLIMIT_AS, &rl), 0, "RLIMIT_AS can be lowered to 64 MiB");
	ok_eq(map(0, 128UL << 20, RW, ANON), -ENOMEM, "mmap beyond RLIMIT_AS is ENOMEM");
	long p = map(0, 1UL << 20, RW, ANON);
	ok(!is_err(p), "mmap within RLIMIT_AS succeeds");
	ok_eq(sysc(SYS_mremap, p, 1UL << 20, 128UL << 20, MREMAP_MAYMOVE), -ENOMEM,
	      "mremap growth beyond RLIMIT_AS is ENOMEM");
	sysc(SYS_munmap, p, 1UL << 20);
}

int main(void)
{
	check_hint();
	check_noreplace();
	check_populate();
	check_growsdown();
	check_misc_flags();
	check_shared_remap();
	check_as_limit();
	return tap_done();
}
