/*
 * KTESTs for the pure parts of signals: pending-set order (faults first,
 * then lowest number), merging of standard and queueing of real-time
 * signals, flushing, default actions, exec's reset of dispositions,
 * siginfo layouts, and the signal frame layout against the Linux ABI.
 */
#include <jinux/heap.h>
#include <jinux/ktest.h>
#include <jinux/string.h>
#include <kernel/signal.h>

static struct sigpending *new_pending(void)
{
	struct sigpending *sp = kmalloc(sizeof(*sp));
	if (sp)
		sigpending_init(sp);
	return sp;
}

static void add(struct sigpending *sp, int sig, uint64_t value)
{
	struct ksiginfo k = { .signo = sig, .code = SI_QUEUE, .value = value };
	sigpending_add(sp, &k);
}

KTEST(signal_pending_faults_first_then_lowest)
{
	struct sigpending *sp = new_pending();
	struct ksiginfo k;
	KASSERT(sp != NULL);
	add(sp, SIGTERM, 0);
	add(sp, SIGHUP, 0);
	add(sp, SIGSEGV, 0);
	add(sp, SIGRTMIN, 0);
	KASSERT_EQ(sigpending_next(sp, 0), SIGSEGV);
	sigpending_take(sp, SIGSEGV, &k);
	KASSERT_EQ(k.signo, SIGSEGV);
	KASSERT_EQ(sigpending_next(sp, 0), SIGHUP);
	KASSERT_EQ(sigpending_next(sp, SIGBIT(SIGHUP)), SIGTERM);
	KASSERT_EQ(sigpending_next(sp, ~0ULL), 0);
	kfree(sp);
}

KTEST(signal_pending_standard_merge_rt_queue)
{
	struct sigpending *sp = new_pending();
	struct ksiginfo k;
	KASSERT(sp != NULL);
	add(sp, SIGUSR1, 1);
	add(sp, SIGUSR1, 2);
	for (uint64_t v = 1; v <= 3; v++)
		add(sp, SIGRTMIN + 1, v);
	sigpending_take(sp, SIGUSR1, &k);
	KASSERT_EQ(k.value, 1);
	KASSERT_EQ(sp->set & SIGBIT(SIGUSR1), 0);
	for (uint64_t v = 1; v <= 3; v++) {
		KASSERT_EQ(sigpending_next(sp, 0), SIGRTMIN + 1);
		sigpending_take(sp, SIGRTMIN + 1, &k);
		KASSERT_EQ(k.value, v);
	}
	KASSERT_EQ(sp->set, 0);
	kfree(sp);
}

KTEST(signal_pending_queue_limit_and_flush)
{
	struct sigpending *sp = new_pending();
	struct ksiginfo k = { .signo = SIGRTMAX };
	KASSERT(sp != NULL);
	for (int i = 0; i <= SIGQUEUE_EXTRA; i++)
		KASSERT(sigpending_add(sp, &k));
	KASSERT(!sigpending_add(sp, &k));
	add(sp, SIGCONT, 0);
	sigpending_flush(sp, SIGBIT(SIGRTMAX));
	KASSERT_EQ(sp->nr_extra, 0);
	KASSERT_EQ(sp->set, SIGBIT(SIGCONT));
	kfree(sp);
}

KTEST(signal_default_actions)
{
	KASSERT(sig_default_ignored(SIGCHLD) && sig_default_ignored(SIGURG) &&
		sig_default_ignored(SIGWINCH) && sig_default_ignored(SIGCONT));
	KASSERT(!sig_default_ignored(SIGTERM));
	KASSERT(sig_default_stops(SIGSTOP) && sig_default_stops(SIGTSTP) &&
		sig_default_stops(SIGTTIN) && sig_default_stops(SIGTTOU));
	KASSERT(sig_default_core(SIGSEGV) && sig_default_core(SIGABRT) && sig_default_core(SIGQUIT));
	KASSERT(!sig_default_core(SIGTERM) && !sig_default_core(SIGKILL));
}

KTEST(signal_sighand_exec_reset_keeps_ignore)
{
	struct sighand *sh = sighand_create();
	KASSERT(sh != NULL);
	sh->action[SIGINT - 1] = (struct linux_sigaction){ SIG_IGN, SA_RESTART, 0, 1 };
	sh->action[SIGUSR1 - 1] = (struct linux_sigaction){ 0x401000, SA_SIGINFO, 0x402000, 2 };
	struct sighand *copy = sighand_copy(sh);
	KASSERT(copy != NULL);
	sighand_reset_for_exec(sh);
	KASSERT_EQ(sh->action[SIGINT - 1].handler, SIG_IGN);
	KASSERT_EQ(sh->action[SIGINT - 1].flags, 0);
	KASSERT_EQ(sh->action[SIGUSR1 - 1].handler, SIG_DFL);
	KASSERT_EQ(sh->action[SIGUSR1 - 1].mask, 0);
	KASSERT_EQ(copy->action[SIGUSR1 - 1].handler, 0x401000);
	sighand_put(copy);
	sighand_put(sh);
}

KTEST(signal_siginfo_layouts)
{
	struct linux_siginfo u;
	struct ksiginfo k = { .signo = SIGSEGV, .code = SEGV_MAPERR, .addr = 0x1234 };
	ksiginfo_to_user(&k, &u);
	KASSERT_EQ(offsetof(struct linux_siginfo, u), 16);
	KASSERT_EQ(u.u.fault.addr, 0x1234);
	k = (struct ksiginfo){ .signo = SIGCHLD, .code = CLD_EXITED, .pid = 7, .status = 3 };
	ksiginfo_to_user(&k, &u);
	KASSERT(u.u.chld.pid == 7 && u.u.chld.status == 3);
	KASSERT_EQ(offsetof(struct linux_siginfo, u.chld.status), 24);
	k = (struct ksiginfo){ .signo = SIGALRM, .code = SI_TIMER, .pid = 2, .status = 5,
			       .value = 99 };
	ksiginfo_to_user(&k, &u);
	KASSERT(u.u.timer.tid == 2 && u.u.timer.overrun == 5 && u.u.timer.value == 99);
	KASSERT_EQ(offsetof(struct linux_siginfo, u.kill.value), 24);
}

KTEST(signal_frame_layout_matches_linux)
{
	/* Offsets from Linux's arch/x86/include/uapi/asm/sigcontext.h and ucontext.h. */
	KASSERT_EQ(offsetof(struct linux_sigcontext, r8), 0);
	KASSERT_EQ(offsetof(struct linux_sigcontext, rdi), 64);
	KASSERT_EQ(offsetof(struct linux_sigcontext, rax), 104);
	KASSERT_EQ(offsetof(struct linux_sigcontext, rsp), 120);
	KASSERT_EQ(offsetof(struct linux_sigcontext, rip), 128);
	KASSERT_EQ(offsetof(struct linux_sigcontext, eflags), 136);
	KASSERT_EQ(offsetof(struct linux_sigcontext, cs), 144);
	KASSERT_EQ(offsetof(struct linux_sigcontext, err), 152);
	KASSERT_EQ(offsetof(struct linux_sigcontext, trapno), 160);
	KASSERT_EQ(offsetof(struct linux_sigcontext, oldmask), 168);
	KASSERT_EQ(offsetof(struct linux_sigcontext, cr2), 176);
	KASSERT_EQ(offsetof(struct linux_sigcontext, fpstate), 184);
	KASSERT_EQ(sizeof(struct linux_sigcontext), 256);
	KASSERT_EQ(offsetof(struct linux_ucontext, uc_stack), 16);
	KASSERT_EQ(offsetof(struct linux_ucontext, uc_mcontext), 40);
	KASSERT_EQ(offsetof(struct linux_ucontext, uc_sigmask), 296);
	KASSERT_EQ(offsetof(struct linux_rt_sigframe, uc), 8);
	KASSERT_EQ(offsetof(struct linux_rt_sigframe, info), 312);
	KASSERT_EQ(sizeof(struct linux_siginfo), 128);
	KASSERT_EQ(sizeof(struct linux_stack), 24);
	KASSERT_EQ(sizeof(struct linux_sigevent), 64);
	KASSERT_EQ(offsetof(struct linux_sigevent, u.tid), 16);
}
