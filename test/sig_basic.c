/*
 * sig_basic: handlers and masks. A caught signal runs its handler with
 * the right signal number and siginfo (SI_USER from kill, SI_TKILL from
 * tgkill, SI_QUEUE with the value from rt_sigqueueinfo); the signal and
 * sa_mask are blocked inside the handler unless SA_NODEFER; SA_RESETHAND
 * reverts to SIG_DFL; a blocked signal stays pending (rt_sigpending)
 * until rt_sigprocmask unblocks it; real-time signals queue every
 * occurrence in order, standard ones merge; setting SIG_IGN discards a
 * pending signal; and the argument errors of rt_sigaction,
 * rt_sigprocmask and rt_sigpending.
 */
#include <signal.h>
#include <unistd.h>

#include "lib/tap.h"

struct ksa {
	void *handler;
	unsigned long flags;
	void *restorer;
	unsigned long mask;
};

static volatile int got_sig, got_code, got_pid, got_count, after_kill;
static volatile long got_value;
static volatile unsigned long mask_in_handler;
static volatile int order[8], norder;

static unsigned long cur_mask(void)
{
	unsigned long m = 0;
	sysc(SYS_rt_sigprocmask, SIG_BLOCK, 0, &m, 8);
	return m;
}

static void info_handler(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got_sig = sig;
	got_code = si->si_code;
	got_pid = si->si_pid;
	got_value = (long)si->si_value.sival_ptr;
	got_count++;
	mask_in_handler = cur_mask();
}

static void order_handler(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (norder < 8)
		order[norder++] = sig * 100 + si->si_value.sival_int;
}

static void nodefer_handler(int sig)
{
	got_count++;
	if (got_count == 1) {
		sysc(SYS_kill, getpid(), sig); /* runs nested at once with SA_NODEFER */
		after_kill = got_count;
	}
}

static int install(int sig, void (*fn)(int, siginfo_t *, void *), int flags, unsigned long mask)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fn;
	sa.sa_flags = SA_SIGINFO | flags;
	sigemptyset(&sa.sa_mask);
	for (int s = 1; s < 64; s++)
		if (mask & (1UL << (s - 1)))
			sigaddset(&sa.sa_mask, s);
	return sigaction(sig, &sa, NULL);
}

#define BIT(s) (1UL << ((s) - 1))

static void test_handlers(void)
{
	install(SIGUSR1, info_handler, 0, BIT(SIGUSR2));
	got_sig = 0;
	ok_eq(sysc(SYS_kill, getpid(), SIGUSR1), 0, "kill(self, SIGUSR1) succeeds");
	ok_eq(got_sig, SIGUSR1, "the handler ran before kill returned, with signo SIGUSR1");
	ok_eq(got_code, SI_USER, "si_code is SI_USER for kill");
	ok_eq(got_pid, getpid(), "si_pid is the sender");
	ok(mask_in_handler & BIT(SIGUSR1), "the caught signal is blocked in its handler");
	ok(mask_in_handler & BIT(SIGUSR2), "sa_mask is blocked in the handler");
	ok_eq(cur_mask() & (BIT(SIGUSR1) | BIT(SIGUSR2)), 0, "the mask is restored after the handler");

	got_sig = 0;
	ok_eq(sysc(SYS_tgkill, getpid(), sysc(SYS_gettid), SIGUSR1), 0, "tgkill(self) succeeds");
	ok_eq(got_code, SI_TKILL, "si_code is SI_TKILL for tgkill");
	got_sig = 0;
	ok_eq(sysc(SYS_tkill, sysc(SYS_gettid), SIGUSR1), 0, "tkill(self) succeeds");
	ok_eq(got_sig, SIGUSR1, "tkill delivers");

	siginfo_t si;
	memset(&si, 0, sizeof(si));
	si.si_code = SI_QUEUE;
	si.si_pid = getpid();
	si.si_value.sival_ptr = (void *)0x1234;
	got_sig = 0;
	ok_eq(sysc(SYS_rt_sigqueueinfo, getpid(), SIGUSR1, &si), 0, "rt_sigqueueinfo to self");
	ok(got_sig == SIGUSR1 && got_code == SI_QUEUE && got_value == 0x1234,
	   "rt_sigqueueinfo delivers si_code SI_QUEUE and si_value");
	got_sig = 0;
	ok_eq(sysc(SYS_rt_tgsigqueueinfo, getpid(), sysc(SYS_gettid), SIGUSR1, &si), 0,
	      "rt_tgsigqueueinfo to self");
	ok_eq(got_value, 0x1234, "rt_tgsigqueueinfo delivers si_value");
}

static void test_resethand_nodefer(void)
{
	struct sigaction sa, old;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = nodefer_handler;
	/* SIGURG: its default action is to ignore, so SIG_DFL is harmless. */
	sa.sa_flags = SA_NODEFER;
	sigaction(SIGURG, &sa, NULL);
	sigaction(SIGURG, NULL, &old);
	ok(old.sa_handler == nodefer_handler, "sigaction reads back the handler");
	got_count = after_kill = 0;
	sysc(SYS_kill, getpid(), SIGURG);
	ok(after_kill == 2 && got_count == 2, "SA_NODEFER: a re-raise inside the handler nests at once");
	sa.sa_flags = 0;
	sigaction(SIGURG, &sa, NULL);
	got_count = after_kill = 0;
	sysc(SYS_kill, getpid(), SIGURG);
	ok_why(after_kill == 1 && got_count == 2,
	       "without SA_NODEFER the re-raise runs after the handler returns",
	       "after_kill %d count %d", after_kill, got_count);
	sa.sa_flags = SA_RESETHAND;
	sigaction(SIGURG, &sa, NULL);
	got_count = after_kill = 0;
	sysc(SYS_kill, getpid(), SIGURG);
	ok_eq(got_count, 1, "SA_RESETHAND: the re-raise goes to SIG_DFL (ignored for SIGURG)");
	sigaction(SIGURG, NULL, &old);
	ok(old.sa_handler == SIG_DFL, "SA_RESETHAND: the disposition reads back as SIG_DFL");
}

static void test_pending(void)
{
	unsigned long set = BIT(SIGUSR1), pend = 0;
	install(SIGUSR1, info_handler, 0, 0);
	sysc(SYS_rt_sigprocmask, SIG_BLOCK, &set, 0, 8);
	got_sig = 0;
	sysc(SYS_kill, getpid(), SIGUSR1);
	ok_eq(got_sig, 0, "a blocked signal is not delivered");
	ok_eq(sysc(SYS_rt_sigpending, &pend, 8), 0, "rt_sigpending succeeds");
	ok(pend & BIT(SIGUSR1), "the blocked signal is pending");
	sysc(SYS_rt_sigprocmask, SIG_UNBLOCK, &set, 0, 8);
	ok_eq(got_sig, SIGUSR1, "unblocking delivers it before rt_sigprocmask returns");
	pend = 1;
	sysc(SYS_rt_sigpending, &pend, 8);
	ok_eq(pend, 0, "nothing pending afterwards");

	/* Standard signals merge; real-time signals queue in order. */
	set = BIT(SIGUSR1) | BIT(SIGRTMIN + 2) | BIT(SIGRTMIN + 3);
	sysc(SYS_rt_sigprocmask, SIG_BLOCK, &set, 0, 8);
	got_count = 0;
	sysc(SYS_kill, getpid(), SIGUSR1);
	sysc(SYS_kill, getpid(), SIGUSR1);
	install(SIGRTMIN + 2, order_handler, 0, ~0UL);
	install(SIGRTMIN + 3, order_handler, 0, ~0UL);
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	si.si_code = SI_QUEUE;
	for (int i = 1; i <= 3; i++) {
		si.si_value.sival_int = i;
		sysc(SYS_rt_sigqueueinfo, getpid(), SIGRTMIN + 3, &si);
	}
	si.si_value.sival_int = 9;
	sysc(SYS_rt_sigqueueinfo, getpid(), SIGRTMIN + 2, &si);
	norder = 0;
	sysc(SYS_rt_sigprocmask, SIG_UNBLOCK, &set, 0, 8);
	ok_eq(got_count, 1, "two kills of a blocked standard signal deliver once");
	int want[4] = { (SIGRTMIN + 2) * 100 + 9, (SIGRTMIN + 3) * 100 + 1,
			(SIGRTMIN + 3) * 100 + 2, (SIGRTMIN + 3) * 100 + 3 };
	int same = norder == 4;
	for (int i = 0; i < 4 && same; i++)
		same = order[i] == want[i];
	ok_why(same, "real-time signals queue every occurrence, lowest number first, FIFO",
	       "got %d deliveries: %d %d %d %d", norder, order[0], order[1], order[2], order[3]);

	/* SIG_IGN discards what is pending. */
	set = BIT(SIGUSR2);
	sysc(SYS_rt_sigprocmask, SIG_BLOCK, &set, 0, 8);
	sysc(SYS_kill, getpid(), SIGUSR2);
	signal(SIGUSR2, SIG_IGN);
	pend = 0;
	sysc(SYS_rt_sigpending, &pend, 8);
	ok_eq(pend & BIT(SIGUSR2), 0, "setting SIG_IGN discards a pending signal");
	sysc(SYS_rt_sigprocmask, SIG_UNBLOCK, &set, 0, 8);
	signal(SIGUSR2, SIG_DFL);
}

static void test_errors(void)
{
	struct ksa ka = { (void *)SIG_IGN, 0x04000000, 0, 0 }, old;
	unsigned long set = 0;
	ok_eq(sysc(SYS_rt_sigaction, 0, &ka, 0, 8), -EINVAL, "rt_sigaction(0) is EINVAL");
	ok_eq(sysc(SYS_rt_sigaction, 65, &ka, 0, 8), -EINVAL, "rt_sigaction(65) is EINVAL");
	ok_eq(sysc(SYS_rt_sigaction, SIGKILL, &ka, 0, 8), -EINVAL, "rt_sigaction(SIGKILL, act) is EINVAL");
	ok_eq(sysc(SYS_rt_sigaction, SIGSTOP, &ka, 0, 8), -EINVAL, "rt_sigaction(SIGSTOP, act) is EINVAL");
	ok_eq(sysc(SYS_rt_sigaction, SIGKILL, 0, &old, 8), 0, "rt_sigaction(SIGKILL) may be read");
	ok_eq(sysc(SYS_rt_sigaction, SIGUSR1, &ka, 0, 4), -EINVAL, "rt_sigaction with sigsetsize 4 is EINVAL");
	ok_eq(sysc(SYS_rt_sigaction, SIGUSR1, BAD_LOW_PTR, 0, 8), -EFAULT, "rt_sigaction bad act is EFAULT");
	ok_eq(sysc(SYS_rt_sigaction, SIGUSR1, 0, BAD_LOW_PTR, 8), -EFAULT, "rt_sigaction bad oldact is EFAULT");
	ka.flags = 0x04000000 | 0x400; /* SA_UNSUPPORTED reads back clear */
	sysc(SYS_rt_sigaction, SIGUSR2, &ka, 0, 8);
	sysc(SYS_rt_sigaction, SIGUSR2, 0, &old, 8);
	ok_eq(old.flags & 0x400, 0, "unknown sa_flags bits read back clear");
	ka.handler = SIG_DFL;
	sysc(SYS_rt_sigaction, SIGUSR2, &ka, 0, 8);
	ok_eq(sysc(SYS_rt_sigprocmask, 3, &set, 0, 8), -EINVAL, "rt_sigprocmask bad how is EINVAL");
	ok_eq(sysc(SYS_rt_sigprocmask, 3, 0, &set, 8), 0, "rt_sigprocmask bad how without set is fine");
	ok_eq(sysc(SYS_rt_sigprocmask, SIG_BLOCK, &set, 0, 16), -EINVAL, "rt_sigprocmask sigsetsize 16 is EINVAL");
	ok_eq(sysc(SYS_rt_sigprocmask, SIG_BLOCK, BAD_LOW_PTR, 0, 8), -EFAULT, "rt_sigprocmask bad set is EFAULT");
	ok_eq(sysc(SYS_rt_sigprocmask, SIG_BLOCK, 0, BAD_LOW_PTR, 8), -EFAULT, "rt_sigprocmask bad oldset is EFAULT");
	set = ~0UL;
	sysc(SYS_rt_sigprocmask, SIG_SETMASK, &set, 0, 8);
	sysc(SYS_rt_sigprocmask, SIG_SETMASK, 0, &set, 8);
	ok_eq(set & (BIT(SIGKILL) | BIT(SIGSTOP)), 0, "SIGKILL and SIGSTOP cannot be blocked");
	set = 0;
	sysc(SYS_rt_sigprocmask, SIG_SETMASK, &set, 0, 8);
	ok_eq(sysc(SYS_rt_sigpending, &set, 16), -EINVAL, "rt_sigpending sigsetsize 16 is EINVAL");
	ok_eq(sysc(SYS_rt_sigpending, BAD_LOW_PTR, 8), -EFAULT, "rt_sigpending bad set is EFAULT");
}

int main(void)
{
	test_handlers();
	test_resethand_nodefer();
	test_pending();
	test_errors();
	return tap_done();
}
