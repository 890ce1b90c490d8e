/*
 * sig_frame: the signal frame. A SIGSEGV handler sees si_addr, si_code
 * (SEGV_MAPERR / SEGV_ACCERR), and a ucontext whose rip is the faulting
 * instruction and whose trapno/cr2 describe the fault; the handler can
 * change the saved rip and registers and rt_sigreturn resumes there with
 * every other general register and the SSE registers as they were (the
 * handler itself gets a fresh FPU state); SIGILL, SIGFPE and SIGTRAP
 * carry Linux's si_code and si_addr; siglongjmp out of a SIGSEGV handler
 * works repeatedly; sigaltstack runs SA_ONSTACK handlers on the
 * alternate stack and reports SS_ONSTACK there, with its error cases.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include "lib/tap.h"

static volatile int h_sig, h_code;
static volatile uintptr_t h_addr, h_rip, h_trapno, h_cr2, h_err;
static volatile uintptr_t skip_len;
static volatile unsigned h_mxcsr;

static void fault_handler(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	h_sig = sig;
	h_code = si->si_code;
	h_addr = (uintptr_t)si->si_addr;
	h_rip = uc->uc_mcontext.gregs[REG_RIP];
	h_trapno = uc->uc_mcontext.gregs[REG_TRAPNO];
	h_err = uc->uc_mcontext.gregs[REG_ERR];
	h_cr2 = uc->uc_mcontext.gregs[REG_CR2];
	uc->uc_mcontext.gregs[REG_RIP] += skip_len;
}

static void install(int sig, void (*fn)(int, siginfo_t *, void *), int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fn;
	sa.sa_flags = SA_SIGINFO | flags;
	sigaction(sig, &sa, NULL);
}

extern char segv_insn[], ud2_insn[], div_insn[], int3_insn[], int3_after[];

static void test_segv(void)
{
	install(SIGSEGV, fault_handler, 0);
	/* movq (%rax), %rax at a known address: 3 bytes. */
	skip_len = 3;
	__asm__ volatile("segv_insn: movq (%%rax), %%rax" : : "a"(16UL) : "memory");
	ok_eq(h_sig, SIGSEGV, "a load from an unmapped page runs the SIGSEGV handler");
	ok_eq(h_code, SEGV_MAPERR, "si_code is SEGV_MAPERR");
	ok_eq(h_addr, 16, "si_addr is the faulting address");
	ok_eq(h_rip, (uintptr_t)segv_insn, "uc_mcontext rip is the faulting instruction");
	ok_eq(h_trapno, 14, "trapno is 14 (page fault)");
	ok_eq(h_cr2, 16, "cr2 is the faulting address");

	char *ro = mmap(0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	skip_len = 3;
	h_sig = 0;
	__asm__ volatile("movb %%al, (%%rdx); nop" : : "d"(ro), "a"(0) : "memory");
	/* movb %al,(%rdx) is 2 bytes: skipping 3 resumes after the nop. */
	ok_eq(h_code, SEGV_ACCERR, "a write to a read-only page is SEGV_ACCERR");
	ok_eq(h_err & 2, 2, "err has the write bit for a write fault");
	munmap(ro, 4096);
}

static void test_other_faults(void)
{
	install(SIGILL, fault_handler, 0);
	skip_len = 2;
	__asm__ volatile("ud2_insn: ud2");
	ok(h_sig == SIGILL && h_code == ILL_ILLOPN, "ud2 gives SIGILL with ILL_ILLOPN");
	ok_eq(h_addr, (uintptr_t)ud2_insn, "SIGILL si_addr is the instruction");

	install(SIGFPE, fault_handler, 0);
	skip_len = 2;
	__asm__ volatile("xorl %%edx, %%edx; div_insn: divl %%ecx" : : "a"(1), "c"(0) : "rdx");
	ok(h_sig == SIGFPE && h_code == FPE_INTDIV, "divide by zero gives SIGFPE with FPE_INTDIV");
	ok_eq(h_addr, (uintptr_t)div_insn, "SIGFPE si_addr is the instruction");
	ok_eq(h_rip, (uintptr_t)div_insn, "SIGFPE rip is the instruction");

	install(SIGTRAP, fault_handler, 0);
	skip_len = 0;
	__asm__ volatile("int3_insn: int3; int3_after:");
	ok_eq(h_sig, SIGTRAP, "int3 gives SIGTRAP");
	ok_eq(h_code, SI_KERNEL, "int3's si_code is SI_KERNEL, as Linux reports it");
	ok_eq(h_rip, (uintptr_t)int3_after, "after int3, rip is the next instruction");
}

/* The handler clobbers what it can; sigreturn must restore everything. */
static void clobber_handler(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	(void)sig, (void)si;
	unsigned mx = 0;
	__asm__ volatile("stmxcsr %0" : "=m"(mx));
	h_mxcsr = mx;
	__asm__ volatile("pxor %%xmm0, %%xmm0; pcmpeqd %%xmm5, %%xmm5; pcmpeqd %%xmm15, %%xmm15"
			 ::: "xmm0", "xmm5", "xmm15");
	uc->uc_mcontext.gregs[REG_RIP] += 2;      /* skip the ud2 */
	uc->uc_mcontext.gregs[REG_RAX] = 0x4242;  /* a register the handler changed */
}

static uint64_t g_out[16], g_xout[4];
static uint64_t g_xin[4] = { 0x1111222233334444ULL, 0x5555666677778888ULL,
			     0x9999aaaabbbbccccULL, 0xddddeeeeffff0000ULL };
static unsigned g_mx_in = 0x1f80 | 0x6000, g_mx_out;

static void test_restore(void)
{
	unsigned mx_save;
	install(SIGILL, clobber_handler, 0);
	h_mxcsr = 0;
	__asm__ volatile("stmxcsr %0" : "=m"(mx_save));
	__asm__ volatile(
		"push %%rbp\n"
		"push %%rbx\n"
		"ldmxcsr %[mx]\n"
		"movdqu %[xin], %%xmm5\n"
		"movdqu 16+%[xin], %%xmm15\n"
		"lea %[out], %%rax\n push %%rax\n"
		"mov $0x10, %%rax\n mov $0x11, %%rbx\n mov $0x12, %%rcx\n mov $0x13, %%rdx\n"
		"mov $0x14, %%rsi\n mov $0x15, %%rdi\n mov $0x16, %%rbp\n mov $0x18, %%r8\n"
		"mov $0x19, %%r9\n mov $0x1a, %%r10\n mov $0x1b, %%r11\n mov $0x1c, %%r12\n"
		"mov $0x1d, %%r13\n mov $0x1e, %%r14\n mov $0x1f, %%r15\n"
		"ud2\n"
		"xchg (%%rsp), %%r15\n"  /* r15 = g_out, (%rsp) = the r15 to check */
		"mov %%rax, 0(%%r15)\n mov %%rbx, 8(%%r15)\n mov %%rcx, 16(%%r15)\n"
		"mov %%rdx, 24(%%r15)\n mov %%rsi, 32(%%r15)\n mov %%rdi, 40(%%r15)\n"
		"mov %%rbp, 48(%%r15)\n mov %%r8, 56(%%r15)\n mov %%r9, 64(%%r15)\n"
		"mov %%r10, 72(%%r15)\n mov %%r11, 80(%%r15)\n mov %%r12, 88(%%r15)\n"
		"mov %%r13, 96(%%r15)\n mov %%r14, 104(%%r15)\n pop %%rax\n mov %%rax, 112(%%r15)\n"
		"movdqu %%xmm5, %[xout]\n movdqu %%xmm15, 16+%[xout]\n"
		"stmxcsr %[mxo]\n"
		"pop %%rbx\n"
		"pop %%rbp\n"
		: [out] "=m"(g_out), [xout] "=m"(g_xout), [mxo] "=m"(g_mx_out)
		: [xin] "m"(g_xin), [mx] "m"(g_mx_in)
		: "rax", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "r12", "r13",
		  "r14", "r15", "xmm5", "xmm15", "memory");
	__asm__ volatile("ldmxcsr %0" : : "m"(mx_save));
	static const uint64_t want[15] = { 0x4242, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x18,
					   0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f };
	int bad = -1;
	for (int i = 0; i < 15; i++)
		if (g_out[i] != want[i] && bad < 0)
			bad = i;
	ok_why(bad < 0, "rt_sigreturn restores every general register (rax as the handler set it)",
	       "register %d is 0x%lx, want 0x%lx", bad, bad < 0 ? 0 : (unsigned long)g_out[bad],
	       bad < 0 ? 0 : (unsigned long)want[bad]);
	ok(memcmp(g_xout, g_xin, 32) == 0, "rt_sigreturn restores xmm5 and xmm15");
	ok_eq(g_mx_out, g_mx_in, "rt_sigreturn restores MXCSR");
	ok_eq(h_mxcsr, 0x1f80, "the handler starts with the default MXCSR");
}

static sigjmp_buf jb;
static volatile int jumps;
static volatile int *volatile bad_ptr = (int *)8;

static void jump_handler(int sig)
{
	(void)sig;
	jumps++;
	siglongjmp(jb, 1);
}

static void test_longjmp(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = jump_handler;
	sigaction(SIGSEGV, &sa, NULL);
	jumps = 0;
	for (int i = 0; i < 3; i++) {
		if (sigsetjmp(jb, 1) == 0)
			*bad_ptr = 1;
	}
	ok_eq(jumps, 3, "siglongjmp out of a SIGSEGV handler, three times");
	sigset_t cur;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	ok(!sigismember(&cur, SIGSEGV), "sigsetjmp(.., 1) restored the mask: SIGSEGV unblocked");
}

static char altstack[65536] __attribute__((aligned(16)));
static volatile uintptr_t alt_local;
static volatile int alt_flags, alt_eperm;

static void alt_handler(int sig)
{
	volatile char here;
	stack_t now, ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
	(void)sig;
	alt_local = (uintptr_t)&here;
	sigaltstack(NULL, &now);
	alt_flags = now.ss_flags;
	alt_eperm = (int)sysc(SYS_sigaltstack, &ss, 0);
}

static void test_altstack(void)
{
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) }, old;
	ok_eq(sysc(SYS_sigaltstack, 0, &old), 0, "sigaltstack query");
	ok_eq(old.ss_flags, SS_DISABLE, "no alternate stack at first: SS_DISABLE");
	ok_eq(sysc(SYS_sigaltstack, &ss, 0), 0, "sigaltstack installs a stack");
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = alt_handler;
	sa.sa_flags = SA_ONSTACK;
	sigaction(SIGUSR1, &sa, NULL);
	sysc(SYS_kill, getpid(), SIGUSR1);
	ok(alt_local >= (uintptr_t)altstack && alt_local < (uintptr_t)altstack + sizeof(altstack),
	   "an SA_ONSTACK handler runs on the alternate stack");
	ok_eq(alt_flags, SS_ONSTACK, "sigaltstack reports SS_ONSTACK inside it");
	ok_eq(alt_eperm, -EPERM, "changing the stack while on it is EPERM");
	sa.sa_flags = 0;
	sigaction(SIGUSR1, &sa, NULL);
	alt_local = 0;
	sysc(SYS_kill, getpid(), SIGUSR1);
	ok(alt_local && (alt_local < (uintptr_t)altstack ||
			 alt_local >= (uintptr_t)altstack + sizeof(altstack)),
	   "without SA_ONSTACK the handler runs on the normal stack");
	ss.ss_size = 1024;
	ok_eq(sysc(SYS_sigaltstack, &ss, 0), -ENOMEM, "a stack below MINSIGSTKSZ is ENOMEM");
	ss.ss_size = sizeof(altstack);
	ss.ss_flags = 0x10;
	ok_eq(sysc(SYS_sigaltstack, &ss, 0), -EINVAL, "bad ss_flags are EINVAL");
	ok_eq(sysc(SYS_sigaltstack, BAD_LOW_PTR, 0), -EFAULT, "bad ss is EFAULT");
	ok_eq(sysc(SYS_sigaltstack, 0, BAD_LOW_PTR), -EFAULT, "bad old_ss is EFAULT");
	ss.ss_flags = SS_DISABLE;
	ok_eq(sysc(SYS_sigaltstack, &ss, 0), 0, "SS_DISABLE removes it");
	sysc(SYS_sigaltstack, 0, &old);
	ok_eq(old.ss_flags, SS_DISABLE, "and it reads back as SS_DISABLE");
}

/* Stack overflow caught on the alternate stack. */
static sigjmp_buf ovf_jb;
static void ovf_handler(int sig)
{
	(void)sig;
	siglongjmp(ovf_jb, 1);
}

static volatile long depth_limit = 1L << 40;

static int recurse(volatile char *p, long depth)
{
	volatile char buf[4096];
	buf[0] = p ? p[0] : 0;
	if (depth >= depth_limit)
		return 0;
	return recurse(buf, depth + 1) + buf[1];
}

static void test_overflow(void)
{
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
	sysc(SYS_sigaltstack, &ss, 0);
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = ovf_handler;
	sa.sa_flags = SA_ONSTACK | SA_NODEFER;
	sigaction(SIGSEGV, &sa, NULL);
	int caught = sigsetjmp(ovf_jb, 1);
	if (!caught)
		recurse(0, 0);
	ok(caught, "a stack overflow is caught by an SA_ONSTACK SIGSEGV handler");
}

int main(void)
{
	test_segv();
	test_other_faults();
	test_restore();
	test_longjmp();
	test_altstack();
	test_overflow();
	return tap_done();
}
