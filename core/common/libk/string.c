/*
 * The C library's memory and string functions, for the x86_64 kernel,
 * which has no C library (the host target takes these from libc). The
 * compiler may also emit calls to memcpy, memmove, memset and memcmp.
 */
#include <jinux/string.h>

/*
 * Bulk work in 8-byte units, eight of them per loop iteration, with plain
 * moves. Under QEMU's software emulation (TCG) a rep movs/stos runs every
 * iteration as a translation block of its own, and each loop iteration
 * here is one block too: a 64-byte step does eight moves per block where
 * rep movsq does one (measured: a 64 KiB memcpy about 4x faster).
 *
 * The compiler must not turn these loops back into calls of themselves:
 * core/arch/x86_64/build.mk builds this file with
 * -fno-tree-loop-distribute-patterns.
 */
typedef uint64_t __attribute__((may_alias, aligned(1))) word_t;

#define W(p, i) (((word_t *)(p))[i])
#define CW(p, i) (((const word_t *)(p))[i])

/*
 * Forward copy, in ascending order within each step too: also correct
 * when @d overlaps @s from below (memmove), since every store lands only
 * on bytes already read.
 */
static void copy_forward(unsigned char *d, const unsigned char *s, size_t n)
{
	for (; n >= 64; n -= 64, d += 64, s += 64) {
		W(d, 0) = CW(s, 0);
		W(d, 1) = CW(s, 1);
		W(d, 2) = CW(s, 2);
		W(d, 3) = CW(s, 3);
		W(d, 4) = CW(s, 4);
		W(d, 5) = CW(s, 5);
		W(d, 6) = CW(s, 6);
		W(d, 7) = CW(s, 7);
	}
	for (; n >= 8; n -= 8, d += 8, s += 8)
		W(d, 0) = CW(s, 0);
	for (; n; n--)
		*d++ = *s++;
}

/* Backward copy, all in descending order: for @d overlapping @s from above. */
static void copy_backward(unsigned char *d, const unsigned char *s, size_t n)
{
	d += n;
	s += n;
	for (; n >= 64; n -= 64) {
		d -= 64;
		s -= 64;
		W(d, 7) = CW(s, 7);
		W(d, 6) = CW(s, 6);
		W(d, 5) = CW(s, 5);
		W(d, 4) = CW(s, 4);
		W(d, 3) = CW(s, 3);
		W(d, 2) = CW(s, 2);
		W(d, 1) = CW(s, 1);
		W(d, 0) = CW(s, 0);
	}
	for (; n >= 8; n -= 8) {
		d -= 8;
		s -= 8;
		W(d, 0) = CW(s, 0);
	}
	while (n--)
		*--d = *--s;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	copy_forward(dst, src, n);
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d <= s || d >= s + n)
		copy_forward(d, s, n);
	else
		copy_backward(d, s, n);
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	uint64_t v = 0x0101010101010101ULL * (unsigned char)c;

	for (; n >= 64; n -= 64, d += 64) {
		W(d, 0) = v;
		W(d, 1) = v;
		W(d, 2) = v;
		W(d, 3) = v;
		W(d, 4) = v;
		W(d, 5) = v;
		W(d, 6) = v;
		W(d, 7) = v;
	}
	for (; n >= 8; n -= 8, d += 8)
		W(d, 0) = v;
	for (; n; n--)
		*d++ = (unsigned char)c;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;

	for (size_t i = 0; i < n; i++)
		if (p[i] != q[i])
			return p[i] - q[i];
	return 0;
}

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (size_t i = 0; i < n; i++)
		if (p[i] == (unsigned char)c)
			return (void *)(p + i);
	return NULL;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b || !*a)
			return (unsigned char)*a - (unsigned char)*b;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}
