/*
 * mmap: anonymous private mappings, munmap and mprotect. New memory reads
 * zero; MAP_FIXED replaces part of a mapping; a partial munmap leaves the
 * rest usable; invalid arguments give EINVAL and impossible sizes ENOMEM;
 * the kernel's own writes to user memory honour the page protections.
 */
#include <sys/mman.h>

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

static int all_bytes(long addr, size_t n, unsigned char v)
{
	const volatile unsigned char *p = (const unsigned char *)addr;

	for (size_t i = 0; i < n; i++)
		if (p[i] != v)
			return 0;
	return 1;
}

/* A page is mapped and writable iff the kernel can store into it. */
static long kernel_store(long addr)
{
	return sysc(SYS_getrandom, addr, 1, 0);
}

static void check_basic(void)
{
	long p = map(0, PAGE, RW, ANON);

	ok_why(!is_err(p) && p % PAGE == 0, "mmap of one anonymous page returns an aligned address",
	       "got %ld %s", p, tap_errname(p));
	if (is_err(p))
		return;
	ok(all_bytes(p, PAGE, 0), "a new anonymous page reads zero");
	*(volatile char *)(p + 100) = 42;
	ok(*(volatile char *)(p + 100) == 42, "a new anonymous page is writable");
	ok_eq(sysc(SYS_munmap, p, PAGE), 0, "munmap of the page succeeds");
	ok_eq(kernel_store(p), -EFAULT, "an unmapped page is gone (kernel store faults)");
	p = map(0, PAGE, RW, ANON);
	ok(!is_err(p) && all_bytes(p, PAGE, 0), "mmap after munmap gives a zero page again");
	sysc(SYS_munmap, p, PAGE);
}

static void check_many_pages(void)
{
	const size_t n = 512;
	long p = map(0, n * PAGE, RW, ANON);
	int good = 1;

	ok(!is_err(p), "mmap of 2 MiB succeeds");
	if (is_err(p))
		return;
	for (size_t i = 0; i < n; i++) {
		volatile unsigned char *pg = (unsigned char *)(p + i * PAGE);

		good &= pg[0] == 0 && pg[PAGE - 1] == 0;
		pg[i % PAGE] = (unsigned char)(i | 1);
	}
	for (size_t i = 0; i < n; i++)
		good &= ((volatile unsigned char *)(p + i * PAGE))[i % PAGE] == (unsigned char)(i | 1);
	ok(good, "every page of a 512-page mapping reads zero and keeps its writes");
	ok_eq(sysc(SYS_munmap, p, n * PAGE), 0, "munmap of 2 MiB succeeds");
}

static void check_fixed_and_partial(void)
{
	long p = map(0, 4 * PAGE, RW, ANON);
	long q;

	if (!ok(!is_err(p), "mmap of four pages succeeds"))
		return;
	memset((void *)p, 0xaa, 4 * PAGE);
	q = map(p + PAGE, PAGE, RW, ANON | MAP_FIXED);
	ok_eq(q, p + PAGE, "MAP_FIXED over the second page returns exactly that address");
	ok(all_bytes(p + PAGE, PAGE, 0), "the MAP_FIXED page reads zero");
	ok(all_bytes(p, PAGE, 0xaa) && all_bytes(p + 2 * PAGE, 2 * PAGE, 0xaa),
	   "the pages around a MAP_FIXED mapping keep their contents");
	ok_eq(sysc(SYS_munmap, p + 2 * PAGE, PAGE), 0, "munmap of the third page alone succeeds");
	ok_eq(kernel_store(p + 2 * PAGE), -EFAULT, "the unmapped third page faults");
	ok(all_bytes(p, PAGE, 0xaa) && all_bytes(p + 3 * PAGE, PAGE, 0xaa) &&
	   kernel_store(p + 3 * PAGE) == 1, "the pages around a hole stay mapped");
	ok_eq(sysc(SYS_munmap, p, 4 * PAGE), 0, "munmap over a range with a hole succeeds");
	ok_eq(sysc(SYS_munmap, p, 4 * PAGE), 0, "munmap of an already unmapped range succeeds");
}

static void check_mprotect(void)
{
	long p = map(0, 2 * PAGE, RW, ANON);

	if (!ok(!is_err(p), "mmap for mprotect succeeds"))
		return;
	memset((void *)p, 0x5c, 2 * PAGE);
	ok_eq(sysc(SYS_mprotect, p, PAGE, PROT_READ), 0, "mprotect(PROT_READ) of one page succeeds");
	ok(all_bytes(p, 2 * PAGE, 0x5c), "a read-only page still reads its contents");
	ok_eq(kernel_store(p), -EFAULT, "the kernel does not store into a read-only page");
	ok_eq(kernel_store(p + PAGE), 1, "the neighbouring page stays writable");
	ok_eq(sysc(SYS_mprotect, p, PAGE, PROT_NONE), 0, "mprotect(PROT_NONE) succeeds");
	ok_eq(sysc(SYS_write, 1, p, 1), -EFAULT, "the kernel does not read a PROT_NONE page");
	ok_eq(sysc(SYS_mprotect, p, PAGE, RW), 0, "mprotect back to read-write succeeds");
	*(volatile char *)p = 1;
	ok_why(*(volatile char *)p == 1, "the page is writable again", "byte 0 reads %d",
	       *(volatile char *)p);
	ok_why(all_bytes(p + 1, PAGE - 1, 0x5c), "the page kept its contents through PROT_NONE",
	       "byte 1 reads %#x, want 0x5c", *(volatile unsigned char *)(p + 1));
	ok_eq(sysc(SYS_mprotect, p + 1, PAGE, PROT_READ), -EINVAL, "mprotect of an unaligned address is EINVAL");
	ok_eq(sysc(SYS_mprotect, p, 0, PROT_READ), 0, "mprotect of zero bytes succeeds");
	sysc(SYS_munmap, p, 2 * PAGE);
	ok_eq(sysc(SYS_mprotect, p, PAGE, PROT_READ), -ENOMEM, "mprotect of unmapped memory is ENOMEM");
}

/* Code written into an anonymous mapping runs (as a JIT needs). */
static void check_exec(void)
{
	static const unsigned char code[] = { 0xb8, 42, 0, 0, 0, 0xc3 }; /* mov $42,%eax; ret */
	long p = map(0, PAGE, RW, ANON);
	int (*fn)(void);

	if (!ok(!is_err(p), "mmap for code succeeds"))
		return;
	memcpy((void *)p, code, sizeof(code));
	ok_eq(sysc(SYS_mprotect, p, PAGE, PROT_READ | PROT_EXEC), 0, "mprotect(PROT_READ|PROT_EXEC) succeeds");
	fn = (int (*)(void))p;
	ok_eq(fn(), 42, "code in an executable anonymous mapping runs");
	sysc(SYS_munmap, p, PAGE);
}

static void check_shared(void)
{
	long p = map(0, 2 * PAGE, RW, MAP_SHARED | MAP_ANONYMOUS);

	ok(!is_err(p) && all_bytes(p, 2 * PAGE, 0), "a MAP_SHARED anonymous mapping reads zero");
	if (is_err(p))
		return;
	memset((void *)p, 0x33, 2 * PAGE);
	ok(all_bytes(p, 2 * PAGE, 0x33), "a MAP_SHARED anonymous mapping keeps its writes");
	sysc(SYS_munmap, p, 2 * PAGE);
}

static void check_errors(void)
{
	ok_eq(map(0, 0, RW, ANON), -EINVAL, "mmap of length 0 is EINVAL");
	ok_eq(map(0x10000001, PAGE, RW, ANON | MAP_FIXED), -EINVAL,
	      "MAP_FIXED at an unaligned address is EINVAL");
	ok_eq(map(0, PAGE, RW, MAP_ANONYMOUS), -EINVAL,
	      "mmap without MAP_PRIVATE or MAP_SHARED is EINVAL");
	ok_eq(sysc(SYS_mmap, 0, PAGE, RW, ANON, -1, 100), -EINVAL,
	      "mmap with an unaligned offset is EINVAL");
	ok_eq(map(0, 1UL << 50, RW, ANON), -ENOMEM, "mmap of 1 PiB is ENOMEM");
	ok_eq(map(0, (size_t)-1, RW, ANON), -ENOMEM, "mmap of SIZE_MAX bytes is ENOMEM");
	ok_eq(sysc(SYS_munmap, 0x10000001, PAGE), -EINVAL, "munmap of an unaligned address is EINVAL");
	ok_eq(sysc(SYS_munmap, 0x10000000, 0), -EINVAL, "munmap of length 0 is EINVAL");
}

int main(void)
{
	check_basic();
	check_many_pages();
	check_fixed_and_partial();
	check_mprotect();
	check_exec();
	check_shared();
	check_errors();
	return tap_done();
}
