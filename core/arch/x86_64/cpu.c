/*
 * The processor: control-register setup (SSE for user programs, kernel
 * protection from user pages), CPU identification, entropy, interrupt
 * masking and idling.
 */
#include <jinux/machine.h>
#include <jinux/string.h>

#include "arch_hooks.h"
#include "x86.h"

#define CR0_MP (1UL << 1)
#define CR0_EM (1UL << 2)
#define CR0_TS (1UL << 3)
#define CR4_OSFXSR (1UL << 9)
#define CR4_OSXMMEXCPT (1UL << 10)
#define CR4_SMEP (1UL << 20)
#define CR4_SMAP (1UL << 21)

static uint32_t leaf1_ecx, leaf1_edx;

void cpu_init(void)
{
	uint32_t r[4];
	uint64_t cr0, cr4;

	cpuid(1, 0, r);
	leaf1_ecx = r[2];
	leaf1_edx = r[3];

	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	cr0 = (cr0 & ~(CR0_EM | CR0_TS)) | CR0_MP;
	__asm__ volatile("mov %0, %%cr0" : : "r"(cr0));

	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	cr4 |= CR4_OSFXSR | CR4_OSXMMEXCPT;
	/* The kernel reaches user memory only through the direct map, so it
	 * may forbid itself from touching user pages at all. */
	cpuid(0, 0, r);
	if (r[0] >= 7) {
		cpuid(7, 0, r);
		if (r[1] & (1u << 7))
			cr4 |= CR4_SMEP;
		if (r[1] & (1u << 20))
			cr4 |= CR4_SMAP;
	}
	__asm__ volatile("mov %0, %%cr4" : : "r"(cr4));
}

uint64_t cpu_hwcap(void)
{
	return leaf1_edx;
}

static bool rdrand64(uint64_t *v)
{
	for (int i = 0; i < 10; i++) {
		uint8_t ok;
		__asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok));
		if (ok)
			return true;
	}
	return false;
}

/* Without RDRAND: TSC readings mixed through a 64-bit finaliser. */
static uint64_t tsc_mix(void)
{
	static uint64_t state = 0x9e3779b97f4a7c15ULL;
	uint64_t z = (state += 0x9e3779b97f4a7c15ULL ^ rdtsc());

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void random_bytes(void *buf, size_t len)
{
	bool have_rdrand = leaf1_ecx & (1u << 30);
	char *p = buf;

	while (len) {
		uint64_t v;
		if (!have_rdrand || !rdrand64(&v))
			v = tsc_mix();
		size_t n = MIN(len, sizeof(v));
		memcpy(p, &v, n);
		p += n;
		len -= n;
	}
}

unsigned long arch_irq_save(void)
{
	return x86_irq_save();
}

void arch_irq_restore(unsigned long flags)
{
	x86_irq_restore(flags);
}

/* sti takes effect after hlt has started, so no wake-up is lost. */
void arch_wait_for_event(void)
{
	__asm__ volatile("sti; hlt; cli" : : : "memory");
}

/* One CPU: a task in user mode is the running task, and the timer tick
 * checks its kick flag, so there is nothing to interrupt. */
void arch_kick_user(struct task *t)
{
	(void)t;
}

void *arch_frame_va(size_t pfn)
{
	return phys_to_virt((uint64_t)pfn << PAGE_SHIFT);
}

void arch_irq_enable(void)
{
	__asm__ volatile("sti" : : : "memory");
}

/* No sanitizer runs on bare metal: stack switches need no bookkeeping. */
void arch_stack_switch_begin(void **save, const void *stack_base, size_t size)
{
	(void)save, (void)stack_base, (void)size;
}

void arch_stack_switch_end(void *save)
{
	(void)save;
}
