/*
 * CPU exceptions in user mode become signals with Linux's siginfo: page
 * faults SIGSEGV (SEGV_MAPERR/SEGV_ACCERR) or SIGBUS, si_addr the address,
 * #DE SIGFPE (FPE_INTDIV), SIMD/x87 errors SIGFPE by the exception flag,
 * #UD SIGILL (ILL_ILLOPN), int3 SIGTRAP (SI_KERNEL, as Linux reports it),
 * #AC SIGBUS, #GP and the rest SIGSEGV (SI_KERNEL, si_addr 0). The trap
 * number, error code and cr2 go into the signal frame's sigcontext.
 */
#include <jinux/string.h>
#include <jinux/user.h>
#include <kernel/process.h>
#include <kernel/signal.h>

#define FPE_FLTOVF 4
#define FPE_FLTUND 5
#define FPE_FLTRES 6
#define FPE_FLTINV 7

#define PF_PROT 0x1
#define PF_WRITE 0x2
#define PF_USER 0x4
#define PF_INSTR 0x10

/* Linux's fpu__exception_code() for a SIMD error, from MXCSR. */
static int simd_code(struct thread *t)
{
	struct user_fpu fpu;
	uint32_t mxcsr;

	user_fpu_get(t->ctx, &fpu);
	memcpy(&mxcsr, &fpu.bytes[24], sizeof(mxcsr));
	uint32_t err = (mxcsr & 0x3f) & ~((mxcsr >> 7) & 0x3f);
	if (err & 0x01)
		return FPE_FLTINV;
	if (err & 0x04)
		return FPE_FLTDIV;
	if (err & 0x08)
		return FPE_FLTOVF;
	if (err & 0x12)
		return FPE_FLTUND;
	if (err & 0x20)
		return FPE_FLTRES;
	return 0;
}

static uint64_t page_fault_err(const struct user_exit *e)
{
	uint64_t err = PF_USER;
	if (e->fault_present)
		err |= PF_PROT;
	if (e->fault_access & VM_WRITE)
		err |= PF_WRITE;
	if (e->fault_access & VM_EXEC)
		err |= PF_INSTR;
	return err;
}

void signal_trap(struct thread *t, const struct user_exit *e, int sig, int code)
{
	uint64_t rip = user_context_regs(t->ctx)->rip;

	t->sig.fault_pending = true; /* signal_fault() keeps what is set here */
	t->sig.fault_trapno = e->vector;
	t->sig.fault_err = e->error_code;
	t->sig.fault_cr2 = 0;
	if (e->kind == USER_EXIT_PAGE_FAULT) {
		t->sig.fault_trapno = X86_EXC_PF;
		t->sig.fault_err = page_fault_err(e);
		t->sig.fault_cr2 = e->fault_addr;
		signal_fault(t, sig ? sig : SIGSEGV, code, e->fault_addr);
		return;
	}
	switch (e->vector) {
	case X86_EXC_DE:
		signal_fault(t, SIGFPE, FPE_INTDIV, rip);
		break;
	case X86_EXC_MF:
	case X86_EXC_XM:
		signal_fault(t, SIGFPE, simd_code(t), rip);
		break;
	case X86_EXC_UD:
		signal_fault(t, SIGILL, ILL_ILLOPN, rip);
		break;
	case X86_EXC_BP:
		signal_fault(t, SIGTRAP, SI_KERNEL, 0);
		break;
	case X86_EXC_DB:
		signal_fault(t, SIGTRAP, TRAP_TRACE, rip);
		break;
	case X86_EXC_AC:
		signal_fault(t, SIGBUS, BUS_ADRALN, 0);
		break;
	default:
		signal_fault(t, SIGSEGV, SI_KERNEL, 0);
		break;
	}
}
