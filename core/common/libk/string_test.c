/*
 * KTESTs for the x86_64 kernel's memcpy, memmove and memset (string.c):
 * every length up to a few 64-byte steps, every alignment of source and
 * destination within a word, and every overlap memmove can meet, checked
 * byte by byte against a plain reference (which writes through volatile,
 * so that the compiler cannot turn it into a call of what it checks).
 */
#include <jinux/ktest.h>
#include <jinux/string.h>

#define BUF 512
#define MAX_LEN 200

static unsigned char buf[BUF], ref[BUF];

static void fill_pattern(unsigned char *p, unsigned seed)
{
	volatile unsigned char *v = p;

	for (unsigned i = 0; i < BUF; i++)
		v[i] = (unsigned char)(i * 7 + seed * 13 + 1);
}

static void ref_move(unsigned char *d, const unsigned char *s, size_t n)
{
	volatile unsigned char *vd = d;
	unsigned char tmp[MAX_LEN];
	volatile unsigned char *vt = tmp;

	for (size_t i = 0; i < n; i++)
		vt[i] = s[i];
	for (size_t i = 0; i < n; i++)
		vd[i] = vt[i];
}

static bool same(void)
{
	for (unsigned i = 0; i < BUF; i++)
		if (buf[i] != ref[i])
			return false;
	return true;
}

KTEST(libk_memcpy_every_length_and_alignment)
{
	for (unsigned so = 0; so < 8; so++)
		for (unsigned d = 0; d < 8; d++)
			for (size_t n = 0; n <= MAX_LEN; n++) {
				fill_pattern(buf, (unsigned)n);
				fill_pattern(ref, (unsigned)n);
				unsigned dst = 256 + d;
				KASSERT(memcpy(buf + dst, buf + so, n) == buf + dst);
				ref_move(ref + dst, ref + so, n);
				KASSERT(same());
			}
}

KTEST(libk_memmove_every_overlap)
{
	for (unsigned src = 100; src < 108; src++)
		for (int delta = -80; delta <= 80; delta++)
			for (size_t n = 0; n <= MAX_LEN; n += 3) {
				unsigned dst = (unsigned)((int)src + delta);
				fill_pattern(buf, src);
				fill_pattern(ref, src);
				KASSERT(memmove(buf + dst, buf + src, n) == buf + dst);
				ref_move(ref + dst, ref + src, n);
				KASSERT(same());
			}
}

KTEST(libk_memset_every_length_and_alignment)
{
	for (unsigned d = 0; d < 8; d++)
		for (size_t n = 0; n <= MAX_LEN; n++) {
			fill_pattern(buf, (unsigned)n);
			fill_pattern(ref, (unsigned)n);
			int c = (int)(0x100 + n); /* only the low byte counts */
			KASSERT(memset(buf + 16 + d, c, n) == buf + 16 + d);
			volatile unsigned char *v = ref + 16 + d;
			for (size_t i = 0; i < n; i++)
				v[i] = (unsigned char)c;
			KASSERT(same());
		}
}
