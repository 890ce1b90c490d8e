/*
 * The x86-64 signal frame, laid out as Linux lays it out so that libc
 * and debuggers can read it: struct rt_sigframe (return address of the
 * SA_RESTORER trampoline, ucontext with the saved registers and mask,
 * siginfo) on the user stack, with the FXSAVE image of the FPU/SSE state
 * 64-byte aligned above it. rt_sigreturn reads it back.
 */
#include <jinux/errno.h>
#include <jinux/string.h>
#include <jinux/uaccess.h>
#include <jinux/user.h>
#include <kernel/process.h>
#include <kernel/signal.h>
#include "signal_internal.h"

#define REDZONE 128
#define RFLAGS_DF 0x400UL
#define RFLAGS_TF 0x100UL
#define RFLAGS_RF 0x10000UL
/* Flags a frame may restore (Linux's FIX_EFLAGS); the core masks the rest. */
#define RFLAGS_RESTORABLE 0x50dd5UL /* CF PF AF ZF SF TF DF OF RF AC */

_Static_assert(sizeof(struct linux_siginfo) == 128, "siginfo_t is 128 bytes");
_Static_assert(sizeof(struct linux_sigcontext) == 256, "sigcontext is 256 bytes");
_Static_assert(sizeof(struct linux_ucontext) == 304, "kernel ucontext is 304 bytes");
_Static_assert(offsetof(struct linux_rt_sigframe, info) == 312, "siginfo follows uc");
_Static_assert(sizeof(struct user_fpu) == FPSTATE_SIZE, "FXSAVE image");

bool on_altstack(const struct thread *t, uint64_t sp)
{
	return t->sig.altstack_size && sp > t->sig.altstack_sp &&
	       sp - t->sig.altstack_sp <= t->sig.altstack_size;
}

/* sas_ss_flags(): how the alternate stack looks from @sp. */
int altstack_flags(const struct thread *t, uint64_t sp)
{
	if (!t->sig.altstack_size)
		return SS_DISABLE;
	return (on_altstack(t, sp) ? SS_ONSTACK : 0) | (t->sig.altstack_flags & (int)SS_AUTODISARM);
}

/* The FPU state a handler starts with (Linux resets it: fpu__clear_user_states). */
static void fpu_init_state(struct user_fpu *f)
{
	uint16_t fcw = 0x37f;
	uint32_t mxcsr = 0x1f80;
	memset(f, 0, sizeof(*f));
	memcpy(&f->bytes[0], &fcw, sizeof(fcw));
	memcpy(&f->bytes[24], &mxcsr, sizeof(mxcsr));
}

static void save_regs(struct linux_sigcontext *sc, const struct user_regs *r)
{
	sc->r8 = r->r8, sc->r9 = r->r9, sc->r10 = r->r10, sc->r11 = r->r11;
	sc->r12 = r->r12, sc->r13 = r->r13, sc->r14 = r->r14, sc->r15 = r->r15;
	sc->rdi = r->rdi, sc->rsi = r->rsi, sc->rbp = r->rbp, sc->rbx = r->rbx;
	sc->rdx = r->rdx, sc->rax = r->rax, sc->rcx = r->rcx, sc->rsp = r->rsp;
	sc->rip = r->rip, sc->eflags = r->rflags;
	sc->cs = USER_CS_SELECTOR;
	sc->ss = USER_DS_SELECTOR;
}

static void restore_regs(struct user_regs *r, const struct linux_sigcontext *sc)
{
	r->r8 = sc->r8, r->r9 = sc->r9, r->r10 = sc->r10, r->r11 = sc->r11;
	r->r12 = sc->r12, r->r13 = sc->r13, r->r14 = sc->r14, r->r15 = sc->r15;
	r->rdi = sc->rdi, r->rsi = sc->rsi, r->rbp = sc->rbp, r->rbx = sc->rbx;
	r->rdx = sc->rdx, r->rax = sc->rax, r->rcx = sc->rcx, r->rsp = sc->rsp;
	r->rip = sc->rip;
	r->rflags = (r->rflags & ~RFLAGS_RESTORABLE) | (sc->eflags & RFLAGS_RESTORABLE);
}

/* Where the frame goes: Linux's get_sigframe(). 0 when it cannot fit. */
static uint64_t frame_sp(const struct thread *t, const struct linux_sigaction *ka,
			 uint64_t *fp_out)
{
	uint64_t sp = user_context_regs(t->ctx)->rsp;
	bool was_on = on_altstack(t, sp);

	if ((ka->flags & SA_ONSTACK) && t->sig.altstack_size && !was_on)
		sp = t->sig.altstack_sp + t->sig.altstack_size;
	else
		sp -= REDZONE;
	sp = ALIGN_DOWN(sp - FPSTATE_SIZE, 64);
	*fp_out = sp;
	sp = ALIGN_DOWN(sp - sizeof(struct linux_rt_sigframe), 16) - 8;
	/* Overflowing the alternate stack we were already on is fatal. */
	if (was_on && !on_altstack(t, sp))
		return 0;
	return sp;
}

int signal_setup_frame(struct thread *t, int sig, const struct ksiginfo *info,
		       const struct linux_sigaction *ka, uint64_t oldmask)
{
	struct user_regs *r = user_context_regs(t->ctx);
	struct vm_space *vs = user_context_space(t->ctx);
	struct linux_rt_sigframe f;
	struct user_fpu fpu;
	uint64_t fp, sp;

	if (!(ka->flags & SA_RESTORER)) /* x86-64 has no kernel trampoline */
		return -EFAULT;
	sp = frame_sp(t, ka, &fp);
	if (!sp)
		return -EFAULT;
	memset(&f, 0, sizeof(f));
	f.pretcode = ka->restorer;
	f.uc.uc_flags = UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS;
	f.uc.uc_stack.ss_sp = t->sig.altstack_sp;
	f.uc.uc_stack.ss_flags = altstack_flags(t, r->rsp);
	f.uc.uc_stack.ss_size = t->sig.altstack_size;
	save_regs(&f.uc.uc_mcontext, r);
	f.uc.uc_mcontext.err = t->sig.fault_err;
	f.uc.uc_mcontext.trapno = t->sig.fault_trapno;
	f.uc.uc_mcontext.cr2 = t->sig.fault_cr2;
	f.uc.uc_mcontext.oldmask = oldmask;
	f.uc.uc_mcontext.fpstate = fp;
	f.uc.uc_sigmask = oldmask;
	ksiginfo_to_user(info, &f.info);

	user_fpu_get(t->ctx, &fpu);
	memset(&fpu.bytes[FPSTATE_SW_OFFSET], 0, FPSTATE_SIZE - FPSTATE_SW_OFFSET);
	if (copy_to_user(vs, user_ptr(fp), &fpu, sizeof(fpu)) ||
	    copy_to_user(vs, user_ptr(sp), &f, sizeof(f)))
		return -EFAULT;

	r->rdi = (uint64_t)sig;
	r->rsi = sp + offsetof(struct linux_rt_sigframe, info);
	r->rdx = sp + offsetof(struct linux_rt_sigframe, uc);
	r->rax = 0;
	r->rsp = sp;
	r->rip = ka->handler;
	r->rflags &= ~(RFLAGS_DF | RFLAGS_TF | RFLAGS_RF);
	fpu_init_state(&fpu);
	user_fpu_set(t->ctx, &fpu);
	return 0;
}

/* Restore the FPU state from the frame's fpstate pointer (0: initial state). */
static int restore_fpu(struct thread *t, uint64_t fp)
{
	struct user_fpu fpu;

	if (!fp) {
		fpu_init_state(&fpu);
	} else {
		if (!IS_ALIGNED(fp, 16))
			return -EFAULT;
		if (copy_from_user(user_context_space(t->ctx), &fpu, user_ptr(fp), sizeof(fpu)))
			return -EFAULT;
	}
	user_fpu_set(t->ctx, &fpu);
	return 0;
}

long signal_sigreturn(struct thread *t)
{
	struct user_regs *r = user_context_regs(t->ctx);
	uint64_t frame = r->rsp - 8; /* the handler's ret popped pretcode */
	struct linux_ucontext uc;

	t->sig.sigreturned = true;
	t->sig.restart_ret = 0;
	if (copy_from_user(user_context_space(t->ctx), &uc,
			   user_ptr(frame + offsetof(struct linux_rt_sigframe, uc)), sizeof(uc)) ||
	    restore_fpu(t, uc.uc_mcontext.fpstate)) {
		signal_force_segv(t);
		return (long)r->rax;
	}
	t->sig.blocked = uc.uc_sigmask & ~SIG_UNBLOCKABLE;
	restore_regs(r, &uc.uc_mcontext);
	return (long)r->rax;
}
