/*
 * Internal interface of the x86_64 target: CPU instructions, the memory
 * layout, and the functions the files of core/arch/x86_64 share.
 * Nothing outside core/arch/x86_64 includes this file.
 */
#ifndef X86_H
#define X86_H

#include <jinux/types.h>

/* ---- memory layout (see docs/x86_64.md) ---- */
#define KERNEL_VMA 0xffffffff80000000UL /* kernel image, phys 0 at this address */
#define DIRECT_MAP 0xffff800000000000UL /* all physical memory */
#define DIRECT_MAP_MAX (512UL << 30)    /* one PML4 entry's worth */

static inline void *phys_to_virt(uint64_t pa)
{
	return (void *)(uintptr_t)(DIRECT_MAP + pa);
}

static inline uint64_t virt_to_phys(const void *va)
{
	uintptr_t v = (uintptr_t)va;
	return v >= KERNEL_VMA ? v - KERNEL_VMA : v - DIRECT_MAP;
}

/* ---- segments (gdt.c) ---- */
#define KERNEL_CS 0x08
#define KERNEL_DS 0x10
#define USER_CS32 0x1b
#define USER_DS 0x23
#define USER_CS 0x2b
#define TSS_SEL 0x30

/* ---- MSRs ---- */
#define MSR_EFER 0xc0000080
#define MSR_STAR 0xc0000081
#define MSR_LSTAR 0xc0000082
#define MSR_FMASK 0xc0000084
#define MSR_FS_BASE 0xc0000100
#define MSR_GS_BASE 0xc0000101
#define EFER_SCE (1u << 0)
#define EFER_NXE (1u << 11)

/* ---- port I/O and privileged instructions ---- */
static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid"
			 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

static inline uint64_t read_cr2(void)
{
	uint64_t v;
	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline uint64_t read_cr3(void)
{
	uint64_t v;
	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static inline void write_cr3(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline void invlpg(uintptr_t va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

/*
 * Interrupt masking, inline for the user_run() path: each call and
 * return there costs a translation-block lookup under QEMU's TCG.
 * Return: the old IF bit (RFLAGS_IF), for x86_irq_restore().
 */
#define RFLAGS_IF 0x200UL

static inline unsigned long x86_irq_save(void)
{
	unsigned long flags;
	__asm__ volatile("pushfq; popq %0; cli" : "=r"(flags) : : "memory");
	return flags & RFLAGS_IF;
}

/*
 * Not sti: QEMU ends the translation block after sti and runs the next
 * instruction alone (the interrupt shadow), two trips through its main
 * loop; popfq costs one. Nothing here relies on the shadow (the idle
 * loop's "sti; hlt" does, and keeps its sti).
 */
static inline void x86_irq_restore(unsigned long flags)
{
	if (flags & RFLAGS_IF)
		__asm__ volatile("pushfq; orl $0x200, (%%rsp); popfq" : : : "memory", "cc");
}

static inline bool is_canonical(uint64_t va)
{
	return (uint64_t)((int64_t)(va << 16) >> 16) == va;
}

/* ---- boot information (bootinfo.c) ---- */
#define BOOT_PVH 1
#define BOOT_MB2 2

struct mem_range {
	uint64_t base, len;
};

#define MAX_MEM_RANGES 64

struct boot_info {
	const char *loader;
	struct mem_range ram[MAX_MEM_RANGES]; /* usable RAM */
	unsigned nr_ram;
	uint64_t initrd_base, initrd_len;     /* physical; len 0 if none */
};

extern struct boot_info x86_boot;
void bootinfo_parse(uint32_t type, uint32_t info_phys);

/* ---- one-time setup, in boot order ---- */
void serial_init(void);
void gdt_init(void);
void idt_init(void);
void cpu_init(void);
void paging_init(void);
void mem_init(void);
void heap_init(void *base, size_t len);
void syscall_init(void);
void pic_init(void);
void clock_init(void);
void serial_enable_rx_irq(void);

/* ---- interrupts (pic.c, trap.c) ---- */
#define IRQ_BASE 32
#define IRQ_TIMER 0
#define IRQ_COM1 4
void pic_eoi(unsigned irq);
bool pic_spurious(unsigned irq);
void clock_tick_irq(void);
void serial_rx_irq(void);

/* The frame the interrupt stubs in entry.S build; lowest address first. */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error_code;
	uint64_t rip, cs, rflags, rsp, ss;
};

void x86_trap(struct trap_frame *tf);
void user_trap(struct trap_frame *tf);
extern uint64_t x86_isr_table[];

/* ---- paging (paging.c) ---- */
extern uint64_t x86_kernel_cr3;
extern bool x86_nx;
void vm_space_activate_kernel(void);
uint64_t direct_map_limit(void);
struct vm_space;
uint64_t vm_space_root(const struct vm_space *vs);
bool vm_space_prot_none(struct vm_space *vs, uintptr_t va);

/* ---- logging and backtraces (log.c, backtrace.c) ---- */
void serial_write_raw(const char *s, size_t n);
void x86_log_mirror_to_serial(void);
void x86_backtrace_from(uint64_t rsp, uint64_t rbp);

/* ---- linker-script symbols ---- */
extern char _kernel_phys_start[], _kernel_end[], _text[], _etext[];
extern char __init_array_start[], __init_array_end[];

#endif
