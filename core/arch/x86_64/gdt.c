/*
 * Segments: the GDT (flat kernel and user code/data, in the order
 * SYSCALL/SYSRET need) and the TSS, which holds the kernel stack pointer
 * used on entry from user mode (rsp0) and the emergency stacks (IST) for
 * double faults, NMIs and machine checks.
 */
#include "x86.h"

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

struct tss x86_tss __attribute__((aligned(16))); /* rsp0 at offset 4: user_entry.S */
static uint8_t ist_stack[16384] __attribute__((aligned(16)));

static uint64_t gdt[8] = {
	0,
	0x00af9a000000ffff, /* 0x08 kernel code, 64-bit */
	0x00cf92000000ffff, /* 0x10 kernel data */
	0x00cffa000000ffff, /* 0x18 user code, 32-bit (SYSRET base) */
	0x00cff2000000ffff, /* 0x20 user data */
	0x00affa000000ffff, /* 0x28 user code, 64-bit */
	0, 0,               /* 0x30 TSS, filled in at run time */
};

struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

static void set_tss_descriptor(void)
{
	uint64_t base = (uint64_t)&x86_tss;
	uint64_t limit = sizeof(x86_tss) - 1;

	gdt[6] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ULL << 40) |
		 (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	gdt[7] = base >> 32;
}

void gdt_init(void)
{
	struct desc_ptr p = { sizeof(gdt) - 1, (uint64_t)gdt };

	x86_tss.ist[0] = (uint64_t)(ist_stack + sizeof(ist_stack));
	x86_tss.iomap_base = sizeof(x86_tss); /* no I/O bitmap: user mode gets no ports */
	set_tss_descriptor();
	__asm__ volatile("lgdt %0" : : "m"(p));
	__asm__ volatile("pushq %0\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "movl %1, %%eax\n\t"
			 "movl %%eax, %%ds\n\t"
			 "movl %%eax, %%es\n\t"
			 "movl %%eax, %%ss\n\t"
			 : : "i"((uint64_t)KERNEL_CS), "i"(KERNEL_DS) : "rax", "memory");
	__asm__ volatile("ltr %w0" : : "r"(TSS_SEL));
}
