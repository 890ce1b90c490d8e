/*
 * User mode on the host target: user contexts and user_run().
 *
 * Every user context has a host thread of its own in its guest process
 * (guest.c), which acts as its CPU and holds its registers and FPU state.
 * Registers are written back only when the component changed them (or
 * the stub ran on the thread); the FPU state is moved only when a
 * component asks for it.
 *
 * user_run() resumes the thread (answering its notified system call, or
 * with PTRACE_CONT, or PTRACE_SYSEMU where the host cannot notify) and
 * blocks the calling task; the event loop (events.c, guest.c) notices the
 * next notification or stop and wakes it. So the threads of one guest,
 * and many guests, run at once (in parallel on the host's CPUs) while
 * kernel tasks go on.
 *
 * After a notified system call only the number, arguments and rip are
 * known (the context is "partial"); the other registers stay in the host
 * thread, which waits in the call. Answering it with rax is the fast
 * path. Whoever needs more (user_context_regs(), the FPU state, mapping
 * changes, a new context on the thread) first stops the thread and
 * fetches its registers (host_context_save()).
 */
#include <linux/audit.h>
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
#include "core_internal.h"
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
	bool partial;             /* regs hold only a notified call's rax, args, rip */
	bool ret_set;             /* ... and rax is the result set since */
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

static void regs_from_host(struct user_regs *r, const struct user_regs_struct *h);

static int fetch_regs(struct user_context *ctx, struct user_regs_struct *h);

int host_context_save(struct user_context *ctx)
{
	struct gthread *t = ctx->t;
	struct user_regs_struct h;
	bool notified = t->state == GUEST_NOTIFIED;
	/* Waiting in the call its runner took (and may have answered). */
	bool in_taken_call = notified && !t->notif_ready;

	int err = guest_thread_stop(t);
	if (err)
		return err;
	/* The context is about to replace the registers anyway. */
	if (t->regs_lost)
		return 0;
	/*
	 * Anything but the call the runner took: a call not taken yet (now
	 * abandoned) or a stop after a plain answer; the registers are all
	 * new to the context.
	 */
	if (!in_taken_call)
		return ctx->partial || notified ? fetch_regs(ctx, &h) : 0;
	if (!ctx->partial)
		return 0;
	err = host_ptrace(PTRACE_GETREGS, t->tid, NULL, &h);
	if (err)
		return err;
	/* rax is the result set since, or else the call's whole number (the
	 * notification had its low half). The shadow holds the host's rax
	 * (-ERESTARTSYS), so it is written back. */
	uint64_t rax = ctx->ret_set ? ctx->regs.rax : h.orig_rax;
	regs_from_host(&ctx->regs, &h);
	ctx->shadow = ctx->regs;
	ctx->regs.rax = rax;
	ctx->partial = false;
	return 0;
}

struct user_regs *user_context_regs(struct user_context *ctx)
{
	/* On failure the guest is gone; user_run() will say so. */
	if (ctx->partial)
		host_context_save(ctx);
	return &ctx->regs;
}

void user_context_set_return(struct user_context *ctx, uint64_t value)
{
	ctx->regs.rax = value;
	ctx->ret_set = true;
}

struct vm_space *user_context_space(struct user_context *ctx)
{
	return ctx->vs;
}

void user_fpu_get(struct user_context *ctx, struct user_fpu *out)
{
	if (!ctx->fpu_load && ctx->t->state == GUEST_NOTIFIED)
		host_context_save(ctx);
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

/* Can the thread go on by answering its notified call with rax alone? */
static bool answer_suffices(struct user_context *ctx)
{
	return ctx->t->state == GUEST_NOTIFIED && ctx->partial && !ctx->t->regs_lost &&
	       !ctx->fpu_load && !vm_space_sync_needs_stop(ctx->vs);
}

/* Make the thread hold @ctx's state: mappings, FPU, registers. */
static int load_context(struct user_context *ctx)
{
	struct gthread *t = ctx->t;
	if (answer_suffices(ctx))
		return vm_space_sync(ctx->vs, t);
	int err = host_context_save(ctx);
	if (!err)
		err = vm_space_sync(ctx->vs, t);
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

/* Non-status results of run_until_stop() (wait statuses are larger). */
#define RUN_KICKED 1
#define RUN_NOTIFIED 2
#define RUN_ABANDONED 3

/* Let the thread go on: answer its call, or resume it from its stop. */
static int resume(struct user_context *ctx)
{
	struct gthread *t = ctx->t;

	if (t->state == GUEST_NOTIFIED)
		return guest_reply(t, ctx->regs.rax);
	t->state = GUEST_RUNNING;
	int req = guest_notifies(t->g) ? PTRACE_CONT : PTRACE_SYSEMU;
	int err = host_ptrace(req, t->tid, NULL, NULL);
	if (err)
		t->state = GUEST_STOPPED;
	return err;
}

/*
 * Resume the thread and sleep until the event loop reports its next
 * notified call (RUN_NOTIFIED) or stop (its wait status).
 * Return: that, RUN_KICKED if the task was kicked before the thread could
 * be resumed, RUN_ABANDONED if its call was abandoned before the answer
 * or taken (an interrupt raced with it, or another task stopped the
 * thread: it is in a ptrace stop now, with the registers fetched), or a
 * negative errno.
 */
static int run_until_stop(struct user_context *ctx)
{
	struct gthread *t = ctx->t;
	unsigned long flags = irq_save();

	if (task_test_and_clear_kick()) {
		irq_restore(flags);
		return RUN_KICKED;
	}
	t->runner = task_current();
	t->preempted = false;
	t->run_start = clock_monotonic_ns();
	int err = resume(ctx);
	irq_restore(flags);
	if (err == -ENOENT)
		return host_context_save(ctx) ?: RUN_ABANDONED;
	if (err)
		return err;
	wait_event(&t->stop_wq, t->state != GUEST_RUNNING);
	t->runner = NULL;
	if (t->state == GUEST_NOTIFIED)
		return RUN_NOTIFIED;
	/* Stopped by another task meanwhile, which fetched the registers. */
	if (t->state == GUEST_STOPPED && !t->status_ready)
		return RUN_ABANDONED;
	return guest_wait_sync(t);
}

/* Read the guest's registers into @ctx (and @h) after a stop. */
#define HOST_ERESTARTSYS 512

static int fetch_regs(struct user_context *ctx, struct user_regs_struct *h)
{
	int err = host_ptrace(PTRACE_GETREGS, ctx->t->tid, NULL, h);
	if (err)
		return err;
	regs_from_host(&ctx->regs, h);
	ctx->shadow = ctx->regs;
	ctx->partial = false;
	/*
	 * Stopped in a notified call jinux never took (an interrupt came
	 * first): the host abandoned it. Rewind to the syscall instruction,
	 * as Linux restarts a call, so that the component sees the thread
	 * before the call and the call is made again when it resumes.
	 */
	if (h->orig_rax != (unsigned long long)-1 && h->rax == (unsigned long long)-HOST_ERESTARTSYS) {
		ctx->regs.rax = h->orig_rax;
		ctx->regs.rip -= 2;
	}
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

/* "int $0x80" raises #GP on x86_64 (the gate is not user-callable). */
static void exit_int80(struct user_context *ctx, struct user_exit *e)
{
	e->kind = USER_EXIT_EXCEPTION;
	e->vector = X86_EXC_GP;
	e->error_code = (0x80 << 3) | 2;
	ctx->regs.rip -= 2;
}

/*
 * A notified call: only its number, arguments and rip are known. An
 * i386 call (int $0x80) is reported as the #GP it is; that needs the
 * registers.
 */
static int decode_notif(struct user_context *ctx, struct user_exit *e)
{
	const struct host_notif *n = &ctx->t->notif;
	struct user_regs *r = &ctx->regs;

	memset(e, 0, sizeof(*e));
	ctx->t->notif_ready = false;
	r->rax = n->nr;
	r->rdi = n->args[0], r->rsi = n->args[1], r->rdx = n->args[2];
	r->r10 = n->args[3], r->r8 = n->args[4], r->r9 = n->args[5];
	r->rip = n->rip;
	r->rcx = n->rip;          /* as the syscall instruction left it */
	ctx->partial = true;
	ctx->ret_set = false;
	if (n->arch == AUDIT_ARCH_X86_64) {
		user_exit_syscall(e, &ctx->regs);
		return 0;
	}
	int err = host_context_save(ctx);
	if (err)
		return err;
	exit_int80(ctx, e);
	return 0;
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
		exit_int80(ctx, e);
		return;
	}
	user_exit_syscall(e, &ctx->regs);
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
		/* Neither: a sync request (guest_request_sync) or stale. The
		 * registers are needed only if the last answer left them
		 * unknown. */
		if (!kicked && !t->preempted)
			return ctx->partial ? fetch_regs(ctx, &h) : 0;
		e->kind = USER_EXIT_INTERRUPT;
		return fetch_regs(ctx, &h) ?: 1;
	}
	int err = fetch_regs(ctx, &h);
	if (err)
		return err;
	if (sig == (SIGTRAP | 0x80)) {
		decode_syscall(ctx, &h, e);
		return guest_syscall_trapped(t) ?: 1;
	}
	if ((st >> 16) == PTRACE_EVENT_SECCOMP) {
		/* A call the filter traced: the registers are written back
		 * (orig_rax -1) whatever the component does, which skips it. */
		decode_syscall(ctx, &h, e);
		t->regs_lost = true;
		return 1;
	}
	if (host_ptrace(PTRACE_GETSIGINFO, t->tid, NULL, &si))
		return 0;
	if (sig == SIGSEGV) {
		t->g->faults++;
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
		if (st == RUN_ABANDONED)
			continue;
		if (st == RUN_NOTIFIED)
			return decode_notif(ctx, e);
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
