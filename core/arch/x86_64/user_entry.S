/*
 * Crossing between the kernel and user mode.
 *
 * x86_user_enter(regs, use_sysret) saves the callee-saved registers on
 * the task's kernel stack, records that stack pointer (x86_kernel_rsp and
 * the TSS rsp0, where the CPU puts the frame of an interrupt from user
 * mode) and loads the user registers from @regs (struct user_regs),
 * entering user mode with sysretq or, when rcx/r11 must be restored too,
 * iretq. It "returns" when user mode needs the kernel: from
 * x86_syscall_entry with 0 (X86_LEAVE_SYSCALL), or from x86_user_leave()
 * (called by the trap handler after saving the registers) with its reason.
 */
#define R_RAX 0
#define R_RBX 8
#define R_RCX 16
#define R_RDX 24
#define R_RSI 32
#define R_RDI 40
#define R_RBP 48
#define R_RSP 56
#define R_R8 64
#define R_R9 72
#define R_R10 80
#define R_R11 88
#define R_R12 96
#define R_R13 104
#define R_R14 112
#define R_R15 120
#define R_RIP 128
#define R_RFLAGS 136
#define USER_CS 0x2b
#define USER_DS 0x23

	.text
	.globl x86_user_enter
	.type x86_user_enter, @function
x86_user_enter:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	subq $8, %rsp                      /* keep rsp0 16-byte aligned */
	movq %rsp, x86_kernel_rsp(%rip)
	movq %rsp, x86_tss+4(%rip)
	movq %rdi, x86_user_regs(%rip)
	testl %esi, %esi
	jz 1f

	movq R_RIP(%rdi), %rcx
	movq R_RFLAGS(%rdi), %r11
	movq R_RAX(%rdi), %rax
	movq R_RBX(%rdi), %rbx
	movq R_RDX(%rdi), %rdx
	movq R_RSI(%rdi), %rsi
	movq R_RBP(%rdi), %rbp
	movq R_R8(%rdi), %r8
	movq R_R9(%rdi), %r9
	movq R_R10(%rdi), %r10
	movq R_R12(%rdi), %r12
	movq R_R13(%rdi), %r13
	movq R_R14(%rdi), %r14
	movq R_R15(%rdi), %r15
	movq R_RSP(%rdi), %rsp
	movq R_RDI(%rdi), %rdi
	sysretq

1:	pushq $USER_DS
	pushq R_RSP(%rdi)
	pushq R_RFLAGS(%rdi)
	pushq $USER_CS
	pushq R_RIP(%rdi)
	movq R_RAX(%rdi), %rax
	movq R_RBX(%rdi), %rbx
	movq R_RCX(%rdi), %rcx
	movq R_RDX(%rdi), %rdx
	movq R_RSI(%rdi), %rsi
	movq R_RBP(%rdi), %rbp
	movq R_R8(%rdi), %r8
	movq R_R9(%rdi), %r9
	movq R_R10(%rdi), %r10
	movq R_R11(%rdi), %r11
	movq R_R12(%rdi), %r12
	movq R_R13(%rdi), %r13
	movq R_R14(%rdi), %r14
	movq R_R15(%rdi), %r15
	movq R_RDI(%rdi), %rdi
	iretq
	.size x86_user_enter, . - x86_user_enter

/* SYSCALL lands here with interrupts masked (FMASK), on the user stack. */
	.globl x86_syscall_entry
	.type x86_syscall_entry, @function
x86_syscall_entry:
	movq %rsp, x86_user_rsp(%rip)
	movq x86_user_regs(%rip), %rsp
	movq %rax, R_RAX(%rsp)
	movq %rbx, R_RBX(%rsp)
	movq %rcx, R_RCX(%rsp)
	movq %rdx, R_RDX(%rsp)
	movq %rsi, R_RSI(%rsp)
	movq %rdi, R_RDI(%rsp)
	movq %rbp, R_RBP(%rsp)
	movq %r8, R_R8(%rsp)
	movq %r9, R_R9(%rsp)
	movq %r10, R_R10(%rsp)
	movq %r11, R_R11(%rsp)
	movq %r12, R_R12(%rsp)
	movq %r13, R_R13(%rsp)
	movq %r14, R_R14(%rsp)
	movq %r15, R_R15(%rsp)
	movq %rcx, R_RIP(%rsp)
	movq %r11, R_RFLAGS(%rsp)
	movq x86_user_rsp(%rip), %rax
	movq %rax, R_RSP(%rsp)
	movq x86_kernel_rsp(%rip), %rsp
	xorl %eax, %eax
	/* FMASK has cleared TF DF IF IOPL NT AC already: no popfq, which
	 * would end the translation block under QEMU's TCG. */
	jmp 2f

/* void x86_user_leave(int reason): back into x86_user_enter's caller. */
	.globl x86_user_leave
	.type x86_user_leave, @function
x86_user_leave:
	movq x86_kernel_rsp(%rip), %rsp
	movl %edi, %eax
	pushq $0x2                         /* drop user AC; IF stays off */
	popfq
2:	addq $8, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret
	.size x86_user_leave, . - x86_user_leave

	.bss
	.balign 8
	.globl x86_kernel_rsp, x86_user_regs
x86_kernel_rsp:
	.quad 0
x86_user_regs:
	.quad 0
x86_user_rsp:
	.quad 0

	.section .note.GNU-stack, "", @progbits
