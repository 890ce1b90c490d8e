/*
 * regs_preserved: user registers survive kernel entries. The x86-64 Linux
 * system call ABI clobbers only rax (the result), rcx and r11; every other
 * general register, all xmm registers and MXCSR must come back unchanged,
 * whether the call returns at once, blocks and reschedules, fails, or is
 * unknown. The same holds across a timer interrupt during a busy loop and
 * across a demand-paging fault.
 */
#include "lib/tap.h"

#define PROBE_SPIN -1000L  /* no syscall: spin rsi times (interrupts may hit) */
#define PROBE_TOUCH -1001L /* no syscall: store to the byte at rdi (page fault) */

/*
 * regs_probe(nr, a0, a1) - load patterns into every register the ABI
 * preserves, perform system call @nr with rdi = @a0, rsi = @a1 (or one of
 * the PROBE_* actions), and return a mask of registers that changed: bits
 * 0-11 rbx rbp rdx r8 r9 r10 r12 r13 r14 r15 rdi rsi, bits 16-31 xmm0-15.
 */
long regs_probe(long nr, long a0, long a1);

__asm__(
	".text\n"
	".globl regs_probe\n"
	"regs_probe:\n"
	"	push %rbx; push %rbp; push %r12; push %r13; push %r14; push %r15\n"
	"	mov %rdi, %rax\n"
	"	mov %rsi, %rdi\n"
	"	mov %rdx, %rsi\n"
	"	push %rdi; push %rsi\n"
	"	movabs $0x0101010101010101, %rbx\n"
	"	movabs $0x0202020202020202, %rbp\n"
	"	movabs $0x0303030303030303, %rdx\n"
	"	movabs $0x0404040404040404, %r8\n"
	"	movabs $0x0505050505050505, %r9\n"
	"	movabs $0x0606060606060606, %r10\n"
	"	movabs $0x0707070707070707, %r12\n"
	"	movabs $0x0808080808080808, %r13\n"
	"	movabs $0x0909090909090909, %r14\n"
	"	movabs $0x0a0a0a0a0a0a0a0a, %r15\n"
	"	.irp i,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
	"	movdqa regs_xmm_pat+16*\\i(%rip), %xmm\\i\n"
	"	.endr\n"
	"	cmp $-1000, %rax\n"
	"	je 2f\n"
	"	cmp $-1001, %rax\n"
	"	je 3f\n"
	"	syscall\n"
	"	jmp 4f\n"
	"2:	mov %rsi, %rcx\n"
	"1:	dec %rcx\n"
	"	jnz 1b\n"
	"	jmp 4f\n"
	"3:	mov %rdi, %rcx\n"
	"	movb $1, (%rcx)\n"
	"4:	xor %eax, %eax\n"
	"	.macro chk reg, pat, bit\n"
	"	movabs $\\pat, %r11\n"
	"	cmp %r11, \\reg\n"
	"	je 5f\n"
	"	or $(1 << \\bit), %eax\n"
	"5:\n"
	"	.endm\n"
	"	chk %rbx, 0x0101010101010101, 0\n"
	"	chk %rbp, 0x0202020202020202, 1\n"
	"	chk %rdx, 0x0303030303030303, 2\n"
	"	chk %r8, 0x0404040404040404, 3\n"
	"	chk %r9, 0x0505050505050505, 4\n"
	"	chk %r10, 0x0606060606060606, 5\n"
	"	chk %r12, 0x0707070707070707, 6\n"
	"	chk %r13, 0x0808080808080808, 7\n"
	"	chk %r14, 0x0909090909090909, 8\n"
	"	chk %r15, 0x0a0a0a0a0a0a0a0a, 9\n"
	"	pop %r11\n"
	"	cmp %r11, %rsi\n"
	"	je 5f\n"
	"	or $(1 << 11), %eax\n"
	"5:	pop %r11\n"
	"	cmp %r11, %rdi\n"
	"	je 5f\n"
	"	or $(1 << 10), %eax\n"
	"5:\n"
	"	.irp i,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
	"	pcmpeqb regs_xmm_pat+16*\\i(%rip), %xmm\\i\n"
	"	pmovmskb %xmm\\i, %r11d\n"
	"	cmp $0xffff, %r11d\n"
	"	je 5f\n"
	"	or $(1 << (16 + \\i)), %eax\n"
	"5:\n"
	"	.endr\n"
	"	pop %r15; pop %r14; pop %r13; pop %r12; pop %rbp; pop %rbx\n"
	"	ret\n"
	".section .rodata\n"
	".balign 16\n"
	"regs_xmm_pat:\n"
	"	.irp i,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
	"	.quad 0x1111111111111111 * (\\i + 1) + 0x0f0e0d0c0b0a0908\n"
	"	.quad 0x7766554433221100 + \\i\n"
	"	.endr\n"
	".text\n");

static void probe(const char *desc, long nr, long a0, long a1)
{
	long mask = regs_probe(nr, a0, a1);

	ok_why(mask == 0, desc, "changed register mask %#lx (bits 0-11 rbx rbp rdx r8 r9 r10 "
	       "r12-r15 rdi rsi, 16+ xmm0-15)", mask);
}

static unsigned mxcsr_get(void)
{
	unsigned v;

	__asm__ volatile("stmxcsr %0" : "=m"(v));
	return v;
}

static void mxcsr_set(unsigned v)
{
	__asm__ volatile("ldmxcsr %0" : : "m"(v));
}

static void check_mxcsr(void)
{
	struct timespec { long s, ns; } ts = { 0, 2 * 1000 * 1000 };
	unsigned orig = mxcsr_get(), mine = (orig & ~0x6000u) | 0x6000u; /* round to zero */
	unsigned after_call, after_sleep;

	mxcsr_set(mine);
	sysc(SYS_getpid);
	after_call = mxcsr_get();
	sysc(SYS_nanosleep, &ts, 0);
	after_sleep = mxcsr_get();
	mxcsr_set(orig);
	ok_why(after_call == mine && after_sleep == mine, "MXCSR survives system calls and sleeps",
	       "set %#x, after getpid %#x, after nanosleep %#x", mine, after_call, after_sleep);
}

int main(void)
{
	struct timespec { long s, ns; } ts = { 0, 5 * 1000 * 1000 };
	long page = sysc(SYS_mmap, 0, PAGE, 3, 0x22, -1, 0);

	probe("registers survive getpid", SYS_getpid, 0x1234, 0x5678);
	probe("registers survive sched_yield", SYS_sched_yield, 0, 0);
	probe("registers survive a 5 ms nanosleep", SYS_nanosleep, (long)&ts, 0);
	probe("registers survive a failing call (write from address 1)", SYS_write, 1, 1);
	probe("registers survive an unknown system call", 9999, 7, 8);
	probe("registers survive interrupts during a busy loop", PROBE_SPIN, 0, 50 * 1000 * 1000);
	ok(page > 0, "mmap of a fresh page succeeds");
	if (page > 0)
		probe("registers survive a demand-paging fault", PROBE_TOUCH, page + 100, 0);
	ok(page > 0 && *(volatile char *)(page + 100) == 1, "the faulting store landed");
	check_mxcsr();
	return tap_done();
}
