/*
 * User mode on the host target: user contexts and user_run().
 *
 * Every user context has a host thread of its own in its guest process
 * (guest.c), which acts as its CPU and holds its registers and FPU state.
 * Registers are written back only when the component changed them (or
 * the stub ran on the thread); the FPU state is moved only when a
 * component asks for it.
 *
 * user_run() resumes the thread under PTRACE_SYSEMU and blocks the
 * calling task; the event loop (events.c, guest.c) notices the stop and
 * wakes it. So the threads of one guest, and many guests, run at once
 * (in parallel on the host's CPUs) while kernel tasks go on.
 */
#include <signal.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>

#include <jinux/errno.h>
#include <jinux/heap.h>
#include <jinux/log.h>
#include <jinux/task.h>
#include <jinux/time.h>
#include <jinux/user.h>

#include "arch_hooks.h"
#include "host.h"

#define RFLAGS_IF 0x200
#define RFLAGS_FIXED 0x2
#define FCW_DEFAULT 0x37f
#define MXCSR_DEFAULT 0x1f80
#define MAX_INSN_LEN 15

struct user_context {
	struct vm_space *vs;
	struct gthread *t;        /* its host thread */
	struct user_regs regs;    /* what the component sees and edits */
	struct user_regs shadow;  /* what the thread holds */
	struct user_fpu fpu;      /* valid if fpu_load, else a cached copy */
	bool fpu_load;            /* fpu must be written to the thread */
};

struct user_context *user_context_create(struct vm_space *vs)
{
	struct user_context *ctx = kzalloc(sizeof(*ctx));
	if (!ctx)
		return NULL;
	ctx->t = guest_thread_get(vm_space_guest(vs));
	if (!ctx->t) {
		kfree(ctx);
		return NULL;
	}
	ctx->t->owner = ctx;
	ctx->t->regs_lost = true;
	ctx->vs = vs;
	ctx->regs.rflags = RFLAGS_IF | RFLAGS_FIXED;
	struct user_fpregs_struct *fx = (struct user_fpregs_struct *)&ctx->fpu;
	fx->cwd = FCW_DEFAULT;
	fx->mxcsr = MXCSR_DEFAULT;
	ctx->fpu_load = true;
	return ctx;
}

/* The thread stays in the guest, idle, for the next context. */
void user_context_destroy(struct user_context *ctx)
{
	if (!ctx)
		return;
	if (ctx->t->owner == ctx)
		ctx->t->owner = NULL;
	kfree(ctx);
}

struct user_regs *user_context_regs(struct user_context *ctx)
{
	return &ctx->regs;
}

struct vm_space *user_context_space(struct user_context *ctx)
{
	return ctx->vs;
}

void user_fpu_get(struct user_context *ctx, struct user_fpu *out)
{
	if (!ctx->fpu_load && ctx->t->state == GUEST_STOPPED)
		host_ptrace(PTRACE_GETFPREGS, ctx->t->tid, NULL, &ctx->fpu);
	*out = ctx->fpu;
}

void user_fpu_set(struct user_context *ctx, const struct user_fpu *in)
{
	ctx->fpu = *in;
	ctx->fpu_load = true;
}

static void regs_to_host(struct user_regs_struct *h, const struct user_regs *r)
{
	h->rax = r->rax, h->rbx = r->rbx, h->rcx = r->rcx, h->rdx = r->rdx;
	h->rsi = r->rsi, h->rdi = r->rdi, h->rbp = r->rbp, h->rsp = r->rsp;
	h->r8 = r->r8, h->r9 = r->r9, h->r10 = r->r10, h->r11 = r->r11;
	h->r12 = r->r12, h->r13 = r->r13, h->r14 = r->r14, h->r15 = r->r15;
	h->rip = r->rip, h->eflags = r->rflags;
	h->fs_base = r->fs_base, h->gs_base = r->gs_base;
	/* Never let the host restart a system call behind our back. */
	h->orig_rax = (unsigned long long)-1;
}

static void regs_from_host(struct user_regs *r, const struct user_regs_struct *h)
{
	r->rax = h->rax, r->rbx = h->rbx, r->rcx = h->rcx, r->rdx = h->rdx;
	r->rsi = h->rsi, r->rdi = h->rdi, r->rbp = h->rbp, r->rsp = h->rsp;
	r->r8 = h->r8, r->r9 = h->r9, r->r10 = h->r10, r->r11 = h->r11;
	r->r12 = h->r12, r->r13 = h->r13, r->r14 = h->r14, r->r15 = h->r15;
	r->rip = h->rip, r->rflags = h->eflags;
	r->fs_base = h->fs_base, r->gs_base = h->gs_base;
}

/* Make the thread hold @ctx's state: mappings, FPU, registers. */
static int load_context(struct user_context *ctx)
{
	struct gthread *t = ctx->t;
	int err = vm_space_sync(ctx->vs, t);
	if (err)
		return err;
	if (ctx->fpu_load) {
		err = host_ptrace(PTRACE_SETFPREGS, t->tid, NULL, &ctx->fpu);
		if (err)
			return err;
		ctx->fpu_load = false;
	}
	if (t->regs_lost || memcmp(&ctx->regs, &ctx->shadow, sizeof(ctx->regs))) {
		struct user_regs_struct h = t->g->tmpl;
		regs_to_host(&h, &ctx->regs);
		err = host_ptrace(PTRACE_SETREGS, t->tid, NULL, &h);
		if (err)
			return err;
		ctx->shadow = ctx->regs;
		t->regs_lost = false;
	}
	return 0;
}

#define RUN_KICKED 1

/*
 * Resume the thread and sleep until the event loop reports its stop.
 * Return: the wait status, RUN_KICKED if the task was kicked before the
 * thread could be resumed, or a negative errno.
 */
static int run_until_stop(struct user_context *ctx)
{
	struct gthread *t = ctx->t;
	unsigned long flags = irq_save();

	if (task_test_and_clear_kick()) {
		irq_restore(flags);
		return RUN_KICKED;
	}
	t->state = GUEST_RUNNING;
	t->runner = task_current();
	t->preempted = false;
	t->run_start = clock_monotonic_ns();
	int err = host_ptrace(PTRACE_SYSEMU, t->tid, NULL, NULL);
	if (err)
		t->state = GUEST_STOPPED;
	irq_restore(flags);
	if (err)
		return err;
	wait_event(&t->stop_wq, t->state != GUEST_RUNNING);
	t->runner = NULL;
	return guest_wait_sync(t);
}

/* Read the guest's registers into @ctx (and @h) after a stop. */
static int fetch_regs(struct user_context *ctx, struct user_regs_struct *h)
{
	int err = host_ptrace(PTRACE_GETREGS, ctx->t->tid, NULL, h);
	if (err)
		return err;
	regs_from_host(&ctx->regs, h);
	ctx->shadow = ctx->regs;
	return 0;
}

/* Was the instruction before @rip "int $0x80" (not a 64-bit syscall)? */
static bool after_int80(struct user_context *ctx, uint64_t rip)
{
	struct frame *f;
	uint8_t insn[2];
	uint64_t at = rip - 2;

	if ((at & (PAGE_SIZE - 1)) > PAGE_SIZE - 2)
		return false;
	if (vm_space_query(ctx->vs, at, &f, NULL) || frame_read(f, at & (PAGE_SIZE - 1), insn, 2))
		return false;
	return insn[0] == 0xcd && insn[1] == 0x80;
}

/*
 * The access that faulted at @addr. Signals do not carry the x86 error
 * code, so it is derived: the address where the instruction at rip is
 * fetched (or the page it runs into) means exec; on a mapped page (a
 * protection fault), the right a readable mapping lacks is write;
 * otherwise read. A write to a missing page is thus first reported as a
 * read, and as a write when it faults again on the read-only page.
 */
static unsigned fault_access(struct user_context *ctx, uint64_t addr, bool present)
{
	uint64_t rip = ctx->regs.rip;
	bool fetch = addr == rip ||
		     (IS_ALIGNED(addr, PAGE_SIZE) && addr > rip && addr - rip < MAX_INSN_LEN);
	unsigned prot = 0;

	if (fetch)
		return VM_EXEC;
	if (present && vm_space_query(ctx->vs, addr, NULL, &prot) == 0) {
		if (!(prot & VM_WRITE) && (prot & VM_READ))
			return VM_WRITE;
	}
	return VM_READ;
}

static void decode_sigsegv(struct user_context *ctx, const siginfo_t *si, struct user_exit *e)
{
	if (si->si_code == SI_KERNEL) {
		/* Privileged instruction, non-canonical address, int $n. */
		e->kind = USER_EXIT_EXCEPTION;
		e->vector = X86_EXC_GP;
		return;
	}
	e->kind = USER_EXIT_PAGE_FAULT;
	e->vector = X86_EXC_PF;
	e->fault_addr = (uint64_t)(uintptr_t)si->si_addr;
	e->fault_present = si->si_code == SEGV_ACCERR;
	e->fault_access = fault_access(ctx, e->fault_addr, e->fault_present);
}

static unsigned signal_vector(const siginfo_t *si)
{
	switch (si->si_signo) {
	case SIGILL:
		return X86_EXC_UD;
	case SIGFPE:
		return si->si_code == FPE_INTDIV || si->si_code == FPE_INTOVF ? X86_EXC_DE
									       : X86_EXC_XM;
	case SIGTRAP:
		return si->si_code == SI_KERNEL ? X86_EXC_BP : X86_EXC_DB;
	case SIGBUS:
		return si->si_code == BUS_ADRALN ? X86_EXC_AC : X86_EXC_GP;
	default:
		return X86_EXC_GP;
	}
}

/*
 * A system-call stop. The host left rax = -ENOSYS (kept in the shadow, so
 * any result the component stores is written back); the component sees
 * the number. "int $0x80" is not a 64-bit system call: on x86_64 it
 * raises #GP (the gate is not user-callable), so it is reported as that.
 */
static void decode_syscall(struct user_context *ctx, const struct user_regs_struct *h,
			   struct user_exit *e)
{
	ctx->regs.rax = h->orig_rax;
	if (after_int80(ctx, h->rip)) {
		e->kind = USER_EXIT_EXCEPTION;
		e->vector = X86_EXC_GP;
		e->error_code = (0x80 << 3) | 2;
		ctx->regs.rip -= 2;
		return;
	}
	e->kind = USER_EXIT_SYSCALL;
}

/*
 * Turn a stop into @e. Return: 1 to report it, 0 for a stop that means
 * nothing (resume again), or a negative errno.
 */
static int decode_stop(struct user_context *ctx, int st, struct user_exit *e)
{
	struct gthread *t = ctx->t;
	int sig = WSTOPSIG(st);
	struct user_regs_struct h;
	siginfo_t si;

	memset(e, 0, sizeof(*e));
	if ((st >> 16) == PTRACE_EVENT_STOP) {
		t->interrupt_sent = false;
		bool kicked = task_test_and_clear_kick();
		/* Neither: a sync request (guest_request_sync) or stale. */
		if (!kicked && !t->preempted)
			return 0;
		e->kind = USER_EXIT_INTERRUPT;
		return fetch_regs(ctx, &h) ?: 1;
	}
	int err = fetch_regs(ctx, &h);
	if (err)
		return err;
	if (sig == (SIGTRAP | 0x80)) {
		decode_syscall(ctx, &h, e);
		return 1;
	}
	if (host_ptrace(PTRACE_GETSIGINFO, t->tid, NULL, &si))
		return 0;
	if (sig == SIGSEGV) {
		decode_sigsegv(ctx, &si, e);
		return 1;
	}
	if (sig == SIGILL || sig == SIGFPE || sig == SIGTRAP || sig == SIGBUS) {
		e->kind = USER_EXIT_EXCEPTION;
		e->vector = signal_vector(&si);
		return 1;
	}
	/* Anything else (a stray host signal) is swallowed. */
	return 0;
}

int user_run(struct user_context *ctx, struct user_exit *e)
{
	for (;;) {
		if (ctx->t->state == GUEST_DEAD)
			return -ESRCH;
		int err = load_context(ctx);
		if (err)
			return err;
		int st = run_until_stop(ctx);
		if (st == RUN_KICKED) {
			memset(e, 0, sizeof(*e));
			e->kind = USER_EXIT_INTERRUPT;
			return 0;
		}
		if (st < 0)
			return st;
		int r = decode_stop(ctx, st, e);
		if (r < 0)
			return r;
		if (r == 0)
			continue;
		if (e->kind == USER_EXIT_INTERRUPT && sched_need_resched())
			task_yield();
		return 0;
	}
}
