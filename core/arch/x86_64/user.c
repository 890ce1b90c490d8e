/*
 * User mode: user contexts and user_run().
 *
 * user_run() enters user mode through x86_user_enter() (user_entry.S)
 * and comes back when the program makes a system call, takes an
 * exception, or is interrupted with a reason to stop (its time slice is
 * used up, or its task was kicked). Other interrupts from user mode are
 * handled and user mode resumes directly from the trap frame.
 *
 * The kernel never touches the FPU/SSE registers (-mgeneral-regs-only),
 * so the user state stays live in the CPU across kernel work; it is only
 * saved when another context needs the registers (fpu_owner).
 */
#include <jinux/heap.h>
#include <jinux/string.h>
#include <jinux/task.h>
#include <jinux/user.h>

#include "arch_hooks.h"
#include "core_internal.h"
#include "x86.h"

#define X86_LEAVE_SYSCALL 0
#define X86_LEAVE_TRAP 1    /* exit filled in by user_trap() */
#define X86_LEAVE_RESCHED 2
#define X86_LEAVE_KICK 3

#define RFLAGS_USER_MASK 0x240dd5UL /* CF PF AF ZF SF TF DF OF AC ID */
#define RFLAGS_FIXED 0x202UL        /* IF and the always-one bit */

#define PF_PRESENT 0x01
#define PF_WRITE 0x02
#define PF_FETCH 0x10

struct user_context {
	struct user_regs regs; /* x86_user_regs points here while running */
	struct user_fpu fpu;
	struct vm_space *vs;
	uint64_t cr3;          /* vm_space_root(vs) */
};

int x86_user_enter(struct user_regs *regs, int use_sysret);
__noreturn void x86_user_leave(int reason);
void x86_syscall_entry(void);

static struct user_context *running;   /* in user mode now */
static struct user_exit *running_exit;
static struct user_context *fpu_owner; /* whose state is in the FPU */
static uint32_t mxcsr_mask = 0xffbf;

static struct user_fpu default_fpu;

/*
 * What MSR_FS_BASE and MSR_GS_BASE hold now, as last written or read
 * back: the kernel itself never uses them, so user_run() writes them only
 * when they change (each wrmsr ends a translation block under QEMU).
 */
static uint64_t cur_fs_base, cur_gs_base;

/** syscall_init() - program the SYSCALL MSRs and the default FPU image. */
void syscall_init(void)
{
	struct user_fpu probe = { { 0 } };
	uint32_t mask;

	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	wrmsr(MSR_STAR, ((uint64_t)(USER_CS32 & ~3) << 48) | ((uint64_t)KERNEL_CS << 32));
	wrmsr(MSR_LSTAR, (uint64_t)x86_syscall_entry);
	wrmsr(MSR_FMASK, 0x47700); /* TF DF IF IOPL NT AC */

	__asm__ volatile("fninit; fxsave64 %0" : "=m"(probe));
	memcpy(&mask, &probe.bytes[28], sizeof(mask));
	if (mask)
		mxcsr_mask = mask;

	uint16_t fcw = 0x37f;
	uint32_t mxcsr = 0x1f80;
	memcpy(&default_fpu.bytes[0], &fcw, sizeof(fcw));
	memcpy(&default_fpu.bytes[24], &mxcsr, sizeof(mxcsr));
}

struct user_context *user_context_create(struct vm_space *vs)
{
	struct user_context *ctx = kzalloc(sizeof(*ctx));

	if (!ctx)
		return NULL;
	ctx->vs = vs;
	ctx->cr3 = vm_space_root(vs);
	ctx->regs.rflags = RFLAGS_FIXED;
	ctx->fpu = default_fpu;
	return ctx;
}

void user_context_destroy(struct user_context *ctx)
{
	if (!ctx)
		return;
	if (fpu_owner == ctx)
		fpu_owner = NULL;
	kfree(ctx);
}

struct user_regs *user_context_regs(struct user_context *ctx)
{
	return &ctx->regs;
}

void user_context_set_return(struct user_context *ctx, uint64_t value)
{
	ctx->regs.rax = value;
}

struct vm_space *user_context_space(struct user_context *ctx)
{
	return ctx->vs;
}

void user_fpu_get(struct user_context *ctx, struct user_fpu *out)
{
	if (fpu_owner == ctx)
		__asm__ volatile("fxsave64 %0" : "=m"(ctx->fpu));
	*out = ctx->fpu;
}

void user_fpu_set(struct user_context *ctx, const struct user_fpu *in)
{
	uint32_t mxcsr;

	ctx->fpu = *in;
	/* Reserved MXCSR bits would make fxrstor fault in the kernel. */
	memcpy(&mxcsr, &ctx->fpu.bytes[24], sizeof(mxcsr));
	mxcsr &= mxcsr_mask;
	memcpy(&ctx->fpu.bytes[24], &mxcsr, sizeof(mxcsr));
	if (fpu_owner == ctx)
		fpu_owner = NULL;
}

static void fpu_load(struct user_context *ctx)
{
	if (fpu_owner == ctx)
		return;
	if (fpu_owner)
		__asm__ volatile("fxsave64 %0" : "=m"(fpu_owner->fpu));
	__asm__ volatile("fxrstor64 %0" : : "m"(ctx->fpu));
	fpu_owner = ctx;
}

static void save_frame(const struct trap_frame *tf, struct user_regs *r)
{
	r->rax = tf->rax;
	r->rbx = tf->rbx;
	r->rcx = tf->rcx;
	r->rdx = tf->rdx;
	r->rsi = tf->rsi;
	r->rdi = tf->rdi;
	r->rbp = tf->rbp;
	r->rsp = tf->rsp;
	r->r8 = tf->r8;
	r->r9 = tf->r9;
	r->r10 = tf->r10;
	r->r11 = tf->r11;
	r->r12 = tf->r12;
	r->r13 = tf->r13;
	r->r14 = tf->r14;
	r->r15 = tf->r15;
	r->rip = tf->rip;
	r->rflags = tf->rflags;
}

static __noreturn void leave(const struct trap_frame *tf, int reason)
{
	save_frame(tf, &running->regs);
	x86_user_leave(reason);
}

static void describe_fault(const struct trap_frame *tf, struct user_exit *e)
{
	e->kind = USER_EXIT_PAGE_FAULT;
	e->fault_addr = read_cr2();
	if (tf->error_code & PF_FETCH)
		e->fault_access = VM_EXEC;
	else if (tf->error_code & PF_WRITE)
		e->fault_access = VM_WRITE;
	else
		e->fault_access = VM_READ;
	e->fault_present = (tf->error_code & PF_PRESENT) ||
			   vm_space_prot_none(running->vs, e->fault_addr);
}

/**
 * user_trap() - an interrupt or exception arrived from user mode.
 * Returns (to resume user mode) only after an interrupt that gives no
 * reason to stop.
 */
void user_trap(struct trap_frame *tf)
{
	struct user_exit *e = running_exit;

	if (tf->vector >= IRQ_BASE) {
		if (sched_need_resched())
			leave(tf, X86_LEAVE_RESCHED);
		if (task_test_and_clear_kick())
			leave(tf, X86_LEAVE_KICK);
		return;
	}
	e->vector = (unsigned)tf->vector;
	e->error_code = tf->error_code;
	if (tf->vector == X86_EXC_PF)
		describe_fault(tf, e);
	else
		e->kind = USER_EXIT_EXCEPTION;
	leave(tf, X86_LEAVE_TRAP);
}

/* Make the registers safe to load: no privileged flags, and bases the
 * MSRs accept. Returns false if rip cannot be returned to at all. */
static bool sanitize(struct user_regs *r)
{
	r->rflags = (r->rflags & RFLAGS_USER_MASK) | RFLAGS_FIXED;
	if (!is_canonical(r->fs_base))
		r->fs_base = 0;
	if (!is_canonical(r->gs_base))
		r->gs_base = 0;
	return is_canonical(r->rip);
}

int user_run(struct user_context *ctx, struct user_exit *exit)
{
	struct user_regs *r = &ctx->regs;
	unsigned long flags = x86_irq_save();
	int reason = X86_LEAVE_KICK;

	/*
	 * This is the path of every system call, and under QEMU's TCG every
	 * call and return costs a translation-block lookup: interrupt
	 * masking and the CR3 check are inline, and the builtin memset is
	 * plain stores (X86_STRINGOPS in build.mk), not a call or a rep stos,
	 * whose every iteration QEMU runs as a translation block of its own.
	 */
	__builtin_memset(exit, 0, sizeof(*exit));
	if (task_test_and_clear_kick())
		goto out;
	if (!sanitize(r)) {
		/* Where the jump to a non-canonical address would fault. */
		exit->kind = USER_EXIT_EXCEPTION;
		exit->vector = X86_EXC_GP;
		reason = X86_LEAVE_TRAP;
		goto out;
	}
	if (read_cr3() != ctx->cr3)
		write_cr3(ctx->cr3);
	fpu_load(ctx);
	if (r->fs_base != cur_fs_base) {
		wrmsr(MSR_FS_BASE, r->fs_base);
		cur_fs_base = r->fs_base;
	}
	if (r->gs_base != cur_gs_base) {
		wrmsr(MSR_GS_BASE, r->gs_base);
		cur_gs_base = r->gs_base;
	}
	running = ctx;
	running_exit = exit;
	reason = x86_user_enter(r, r->rcx == r->rip && r->r11 == r->rflags);
	running = NULL;
	/* User code can change its bases by loading segment registers. */
	r->fs_base = cur_fs_base = rdmsr(MSR_FS_BASE);
	r->gs_base = cur_gs_base = rdmsr(MSR_GS_BASE);
	if (reason == X86_LEAVE_SYSCALL)
		user_exit_syscall(exit, r);
out:
	if (reason == X86_LEAVE_RESCHED || reason == X86_LEAVE_KICK)
		exit->kind = USER_EXIT_INTERRUPT;
	x86_irq_restore(flags);
	if (reason == X86_LEAVE_RESCHED)
		task_yield();
	return 0;
}
