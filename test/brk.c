/*
 * brk: the program break. Queries with brk(0), grows and shrinks it,
 * checks that new memory reads zero (also after shrink and regrow) and is
 * writable, and that impossible requests leave the break where it was
 * (brk reports failure by returning the old break, not an errno).
 */
#include "lib/tap.h"

static uintptr_t page_up(uintptr_t a)
{
	return (a + PAGE - 1) & ~(PAGE - 1);
}

static int all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

static void check_grow(uintptr_t b0)
{
	const size_t grow = 64 * 1024;
	unsigned char *p = (unsigned char *)b0;
	int pattern_ok = 1;

	ok_eq(sysc(SYS_brk, b0 + grow), b0 + grow, "brk grows by 64 KiB");
	ok_eq(sysc(SYS_brk, 0), b0 + grow, "brk(0) reports the new break");
	ok(all_zero(p, grow), "grown memory reads zero");
	for (size_t i = 0; i < grow; i++)
		p[i] = (unsigned char)(i * 7 + 1);
	for (size_t i = 0; i < grow; i++)
		pattern_ok &= p[i] == (unsigned char)(i * 7 + 1);
	ok(pattern_ok, "grown memory keeps what was written");
}

static void check_shrink_regrow(uintptr_t b0)
{
	const size_t grow = 64 * 1024;
	uintptr_t keep = b0 + PAGE;
	uintptr_t freed = page_up(keep);
	unsigned char *p = (unsigned char *)b0;

	ok_eq(sysc(SYS_brk, keep), keep, "brk shrinks");
	ok_eq(sysc(SYS_brk, 0), keep, "brk(0) reports the shrunk break");
	ok(p[0] == 1 && p[1] == 8, "memory below the shrunk break is kept");
	ok_eq(sysc(SYS_brk, b0 + grow), b0 + grow, "brk grows again");
	ok(all_zero((unsigned char *)freed, b0 + grow - freed),
	   "pages given back by a shrink read zero after regrowing");
}

static void check_refused(uintptr_t cur)
{
	ok_eq(sysc(SYS_brk, 1), cur, "brk below the start of the heap returns the old break");
	ok_eq(sysc(SYS_brk, cur + (1UL << 47)), cur,
	      "brk beyond the user address space returns the old break");
	ok_eq(sysc(SYS_brk, 0), cur, "a refused brk leaves the break unchanged");
}

int main(void)
{
	long b0 = sysc(SYS_brk, 0);

	ok_why(b0 > 0, "brk(0) returns the current break", "got %ld", b0);
	if (b0 <= 0)
		return tap_done();
	ok_eq(sysc(SYS_brk, 0), b0, "brk(0) is stable");
	ok_eq(sysc(SYS_brk, b0), b0, "brk to the current break is a no-op");
	check_grow(b0);
	check_shrink_regrow(b0);
	check_refused(b0 + 64 * 1024);
	ok_eq(sysc(SYS_brk, b0), b0, "brk shrinks back to where it started");
	return tap_done();
}
