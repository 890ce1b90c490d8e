/*
 * malloc: musl's allocator on top of brk, mmap, munmap and mprotect. Many
 * small blocks, large blocks that get their own mappings, realloc growth
 * and shrink (musl tries mremap, which may be ENOSYS, and must cope) and
 * calloc zeroing. Contents are checked after every phase.
 */
#include <stdint.h>
#include <stdlib.h>

#include "lib/tap.h"

#define NSMALL 4000

static unsigned char pat(uintptr_t i, size_t j)
{
	return (unsigned char)(i * 31 + j * 7 + 1);
}

static int fill_check(unsigned char *p, size_t n, uintptr_t seed, int fill)
{
	for (size_t j = 0; j < n; j++) {
		if (fill)
			p[j] = pat(seed, j);
		else if (p[j] != pat(seed, j))
			return 0;
	}
	return 1;
}

static void check_small(void)
{
	static unsigned char *blk[NSMALL];
	int good = 1;

	for (int i = 0; i < NSMALL; i++) {
		blk[i] = malloc(1 + i % 300);
		good &= blk[i] != NULL;
		if (blk[i])
			fill_check(blk[i], 1 + i % 300, i, 1);
	}
	ok(good, "4000 small mallocs succeed");
	for (int i = 0; i < NSMALL; i += 2) {
		free(blk[i]);
		blk[i] = NULL;
	}
	for (int i = 1; i < NSMALL; i += 2)
		good &= fill_check(blk[i], 1 + i % 300, i, 0);
	ok(good, "small blocks keep their contents after freeing their neighbours");
	for (int i = 1; i < NSMALL; i += 2)
		free(blk[i]);
}

static void check_large(void)
{
	size_t n = 8UL << 20;
	unsigned char *p = malloc(n), *q;

	if (!ok(p != NULL, "malloc of 8 MiB succeeds"))
		return;
	fill_check(p, n, 3, 1);
	ok(fill_check(p, n, 3, 0), "an 8 MiB block keeps its contents");
	q = realloc(p, 2 * n);
	if (!ok(q != NULL, "realloc to 16 MiB succeeds"))
		return; /* p is still allocated; the process ends soon anyway */
	ok(fill_check(q, n, 3, 0), "realloc to 16 MiB keeps the first 8 MiB");
	p = realloc(q, 4096);
	ok(p != NULL && fill_check(p, 4096, 3, 0), "realloc down to 4 KiB keeps the start");
	free(p);
}

static void check_calloc(void)
{
	size_t n = 3UL << 20;
	unsigned char *p = calloc(1, n);
	volatile size_t huge = SIZE_MAX / 2;
	int zero = 1;

	if (!ok(p != NULL, "calloc of 3 MiB succeeds"))
		return;
	for (size_t j = 0; j < n; j += 61)
		zero &= p[j] == 0;
	ok(zero, "calloc memory reads zero");
	free(p);
	ok(calloc(huge, 4) == NULL, "calloc with an overflowing size fails");
}

int main(void)
{
	check_small();
	check_large();
	check_calloc();
	for (int round = 0; round < 20; round++)
		free(malloc(1UL << 20));
	ok(1, "20 rounds of 1 MiB malloc/free succeed");
	return tap_done();
}
