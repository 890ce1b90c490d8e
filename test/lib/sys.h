/*
 * Raw Linux x86-64 system calls for conformance tests.
 *
 * Tests talk to the kernel directly so that what they check is the
 * kernel's behaviour, not libc's: sysc() returns the raw result, a
 * negative errno on failure, and never touches errno (so it is also safe
 * while the FS base, which musl uses for TLS, points somewhere else).
 */
#ifndef TEST_SYS_H
#define TEST_SYS_H

#include <stdint.h>
#include <sys/syscall.h>

static inline long sys6(long n, long a, long b, long c, long d, long e, long f)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

#define SYSC_(n, a, b, c, d, e, f, ...)                                       \
	sys6((long)(n), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), \
	     (long)(f))
/* sysc(nr, args...) - raw system call with up to six arguments. */
#define sysc(...) SYSC_(__VA_ARGS__, 0, 0, 0, 0, 0, 0, 0)

/* Addresses no user pointer may reach. */
#define BAD_LOW_PTR ((void *)1UL)                      /* first page, never mapped */
#define NONCANON_PTR ((void *)0x0000800000000000UL)    /* first non-canonical address */
#define KERNEL_PTR ((void *)0xffffffff80000000UL)      /* where kernels live */

#define PAGE 4096UL

/*
 * unmapped_page() - the address of a page that was mapped a moment ago
 * and is unmapped now: a pointer that looks plausible but faults.
 */
static inline void *unmapped_page(void)
{
	long p = sysc(SYS_mmap, 0, PAGE, 3 /* RW */, 0x22 /* PRIVATE|ANON */, -1, 0);

	if (p < 0 && p > -4096)
		return BAD_LOW_PTR;
	sysc(SYS_munmap, p, PAGE);
	return (void *)p;
}

#endif
