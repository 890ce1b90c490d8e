/*
 * The IDT and the first-level dispatch of every interrupt and exception.
 *
 * Hardware interrupts go to their device handler. Exceptions from user
 * mode become user_run() exits (user.c). An exception in kernel mode is a
 * kernel bug: the registers and a backtrace go to the log and the serial
 * port, and the machine stops with status 255.
 */
#include <jinux/log.h>

#include "arch_hooks.h"
#include "x86.h"

#define NR_VECTORS 48
#define VEC_DF 8
#define VEC_NMI 2
#define VEC_MC 18
#define VEC_BP 3

struct idt_gate {
	uint16_t offset_lo, selector;
	uint8_t ist, type_attr;
	uint16_t offset_mid;
	uint32_t offset_hi, zero;
} __attribute__((packed));

static struct idt_gate idt[256] __attribute__((aligned(16)));

static void set_gate(unsigned vec, uint64_t handler, unsigned dpl, unsigned ist)
{
	idt[vec] = (struct idt_gate){
		.offset_lo = handler & 0xffff,
		.selector = KERNEL_CS,
		.ist = ist,
		.type_attr = 0x8e | (dpl << 5), /* present, interrupt gate */
		.offset_mid = (handler >> 16) & 0xffff,
		.offset_hi = handler >> 32,
	};
}

void idt_init(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) p = { sizeof(idt) - 1, (uint64_t)idt };

	for (unsigned v = 0; v < NR_VECTORS; v++)
		set_gate(v, x86_isr_table[v], 0, 0);
	/* int3 from user mode is a breakpoint (SIGTRAP), not a #GP. */
	set_gate(VEC_BP, x86_isr_table[VEC_BP], 3, 0);
	/* Fresh stacks where the current one cannot be trusted. */
	set_gate(VEC_DF, x86_isr_table[VEC_DF], 0, 1);
	set_gate(VEC_NMI, x86_isr_table[VEC_NMI], 0, 1);
	set_gate(VEC_MC, x86_isr_table[VEC_MC], 0, 1);
	__asm__ volatile("lidt %0" : : "m"(p));
}

static const char *const exc_names[32] = {
	"divide error", "debug", "NMI", "breakpoint", "overflow",
	"bound range", "invalid opcode", "device not available",
	"double fault", "coprocessor overrun", "invalid TSS",
	"segment not present", "stack fault", "general protection",
	"page fault", "reserved", "x87 error", "alignment check",
	"machine check", "SIMD error", "virtualization", "control protection",
};

static __noreturn void kernel_fault(struct trap_frame *tf)
{
	const char *name = exc_names[tf->vector & 31];

	x86_log_mirror_to_serial();
	pr_err("KERNEL FAULT: vector %lu (%s), error code 0x%lx\n",
	       (unsigned long)tf->vector, name ? name : "reserved",
	       (unsigned long)tf->error_code);
	pr_err("RIP %016lx CS %04lx RFLAGS %016lx\n", (unsigned long)tf->rip,
	       (unsigned long)tf->cs, (unsigned long)tf->rflags);
	pr_err("RSP %016lx SS %04lx CR2 %016lx CR3 %016lx\n", (unsigned long)tf->rsp,
	       (unsigned long)tf->ss, (unsigned long)read_cr2(), (unsigned long)read_cr3());
	pr_err("RAX %016lx RBX %016lx RCX %016lx RDX %016lx\n", (unsigned long)tf->rax,
	       (unsigned long)tf->rbx, (unsigned long)tf->rcx, (unsigned long)tf->rdx);
	pr_err("RSI %016lx RDI %016lx RBP %016lx R8  %016lx\n", (unsigned long)tf->rsi,
	       (unsigned long)tf->rdi, (unsigned long)tf->rbp, (unsigned long)tf->r8);
	pr_err("R9  %016lx R10 %016lx R11 %016lx R12 %016lx\n", (unsigned long)tf->r9,
	       (unsigned long)tf->r10, (unsigned long)tf->r11, (unsigned long)tf->r12);
	pr_err("R13 %016lx R14 %016lx R15 %016lx\n", (unsigned long)tf->r13,
	       (unsigned long)tf->r14, (unsigned long)tf->r15);
	pr_err("backtrace:");
	pr_err("  %016lx", (unsigned long)tf->rip);
	x86_backtrace_from(tf->rsp, tf->rbp);
	arch_panic_halt();
}

static void handle_irq(unsigned irq)
{
	if (pic_spurious(irq))
		return;
	pic_eoi(irq);
	if (irq == IRQ_TIMER)
		clock_tick_irq();
	else if (irq == IRQ_COM1)
		serial_rx_irq();
}

/**
 * x86_trap() - called by isr_common for every vector, interrupts masked.
 * Returns to resume the interrupted code; user-mode exits do not return.
 */
void x86_trap(struct trap_frame *tf)
{
	bool from_user = (tf->cs & 3) == 3;

	if (tf->vector >= IRQ_BASE) {
		handle_irq((unsigned)tf->vector - IRQ_BASE);
		if (from_user)
			user_trap(tf);
		return;
	}
	if (!from_user)
		kernel_fault(tf);
	user_trap(tf);
}
