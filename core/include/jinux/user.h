/*
 * Running user mode.
 *
 * A user_context is one user thread's CPU state in one address space. A
 * component runs it with user_run(), which returns when user mode needs
 * the kernel: a system call, a page fault, another CPU exception, or an
 * interrupt that preempted it. All Linux behaviour (syscalls, signals)
 * is the component's business; the core only switches modes.
 */
#ifndef JINUX_USER_H
#define JINUX_USER_H

#include <jinux/types.h>
#include <jinux/vm_space.h>

/* General-purpose registers as user space sees them. */
struct user_regs {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rip, rflags;
	uint64_t fs_base, gs_base;
};

/* The FXSAVE image of the x87/SSE state, 512 bytes. */
struct user_fpu {
	uint8_t bytes[512];
} __attribute__((aligned(16)));

enum user_exit_kind {
	USER_EXIT_SYSCALL,   /* syscall_nr, syscall_args (also in the regs) */
	USER_EXIT_PAGE_FAULT,/* fault_addr, fault_access (VM_READ/WRITE/EXEC) */
	USER_EXIT_EXCEPTION, /* another CPU exception: vector, error_code */
	USER_EXIT_INTERRUPT, /* preempted or kicked (task_kick); just run again */
};

/* x86 exception vectors reported with USER_EXIT_EXCEPTION. */
#define X86_EXC_DE 0  /* divide error */
#define X86_EXC_DB 1  /* debug */
#define X86_EXC_BP 3  /* int3 */
#define X86_EXC_OF 4
#define X86_EXC_BR 5
#define X86_EXC_UD 6  /* invalid opcode */
#define X86_EXC_NM 7
#define X86_EXC_GP 13 /* general protection */
#define X86_EXC_PF 14
#define X86_EXC_MF 16 /* x87 error */
#define X86_EXC_AC 17
#define X86_EXC_XM 19 /* SIMD error */

struct user_exit {
	enum user_exit_kind kind;
	unsigned vector;      /* exception vector */
	uint64_t error_code;  /* exception error code, if the vector has one */
	uint64_t fault_addr;  /* page fault: faulting address */
	unsigned fault_access;/* page fault: VM_READ, VM_WRITE or VM_EXEC */
	bool fault_present;   /* page fault: a mapping existed (protection) */
	uint64_t syscall_nr;  /* system call: rax (Linux uses its low 32 bits) */
	uint64_t syscall_args[6]; /* ... rdi, rsi, rdx, r10, r8, r9 */
};

struct user_context;

/**
 * user_context_create() - a new user thread in @vs, all registers zero,
 * rflags with IF set, default FPU state (FCW 0x37f, MXCSR 0x1f80).
 * Return: the context, or NULL when out of memory (or host resources).
 */
struct user_context *user_context_create(struct vm_space *vs);

/** user_context_destroy() - free @ctx; it must not be running. */
void user_context_destroy(struct user_context *ctx);

/**
 * user_context_regs() - the registers of @ctx, readable and writable
 * between user_run() calls. Writes take effect at the next user_run().
 *
 * After a system call the host target may hold only the call's number,
 * arguments and rip; the first call of this function then stops the host
 * thread to fetch the rest (tens of microseconds). The system-call path
 * therefore uses the exit's syscall fields and user_context_set_return(),
 * and asks for the registers only when it needs them (signal frames,
 * fork, execve, restarts).
 */
struct user_regs *user_context_regs(struct user_context *ctx);

/**
 * user_context_set_return() - set rax of @ctx, the result of the system
 * call it made, without fetching the other registers.
 */
void user_context_set_return(struct user_context *ctx, uint64_t value);

/** user_context_space() - the address space @ctx runs in. */
struct vm_space *user_context_space(struct user_context *ctx);

/** user_fpu_get() - read the FPU/SSE state of @ctx into @out. */
void user_fpu_get(struct user_context *ctx, struct user_fpu *out);

/** user_fpu_set() - replace the FPU/SSE state of @ctx. */
void user_fpu_set(struct user_context *ctx, const struct user_fpu *in);

/**
 * user_run() - run @ctx in user mode on the current task until it needs
 * the kernel, and describe why in @exit. After a syscall the component
 * sets the result (user_context_set_return()) and calls user_run() again,
 * which resumes after the syscall instruction.
 * Return: 0, or a negative errno if the context cannot run at all (host:
 * the guest process was lost).
 */
int user_run(struct user_context *ctx, struct user_exit *exit);

#endif
