/*
 * misc: the small per-process calls. arch_prctl FS round trip (and that
 * the new FS base is really used for %fs accesses), set_tid_address,
 * sched_yield, getrandom, rt_sigaction and rt_sigprocmask state, console
 * ioctls, bad file descriptors and unknown system call numbers.
 */
#include <signal.h>

#include "lib/tap.h"

#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define TCGETS 0x5401
#define TIOCGWINSZ 0x5413
#define KSA_RESTORER 0x04000000UL
#define BIT(sig) (1UL << ((sig) - 1))

/* The kernel's struct sigaction on x86-64 (not libc's). */
struct ksigaction {
	void (*handler)(int);
	unsigned long flags;
	void (*restorer)(void);
	unsigned long mask;
};

static unsigned long fs_word0(void)
{
	unsigned long v;

	__asm__ volatile("mov %%fs:0, %0" : "=r"(v));
	return v;
}

/*
 * While FS points at our buffer, musl's TLS (errno, thread pointer) is
 * gone: only raw syscalls and asm until the original base is restored.
 */
static void check_arch_prctl(void)
{
	static unsigned long fake_tcb[8];
	unsigned long orig = 0, got = 0, seen, after = 0;
	long r_get, r_set, r_get2, r_bad, r_restore;

	fake_tcb[0] = 0x1234567890abcdefUL;
	r_get = sysc(SYS_arch_prctl, ARCH_GET_FS, &orig);
	r_set = sysc(SYS_arch_prctl, ARCH_SET_FS, fake_tcb);
	seen = fs_word0();
	r_get2 = sysc(SYS_arch_prctl, ARCH_GET_FS, &got);
	r_bad = sysc(SYS_arch_prctl, ARCH_SET_FS, KERNEL_PTR);
	r_restore = sysc(SYS_arch_prctl, ARCH_SET_FS, orig);
	sysc(SYS_arch_prctl, ARCH_GET_FS, &after);

	ok_eq(r_get, 0, "arch_prctl(ARCH_GET_FS) succeeds");
	ok_why(orig != 0 && orig == fs_word0(), "the FS base is musl's thread pointer",
	       "FS base %#lx, %%fs:0 %#lx", orig, fs_word0());
	ok_eq(r_set, 0, "arch_prctl(ARCH_SET_FS) succeeds");
	ok_why(seen == fake_tcb[0], "%fs accesses use the new FS base", "read %#lx", seen);
	ok_eq(r_get2, 0, "arch_prctl(ARCH_GET_FS) after a set succeeds");
	ok_why(got == (unsigned long)fake_tcb, "ARCH_GET_FS returns what ARCH_SET_FS set",
	       "got %#lx, set %p", got, (void *)fake_tcb);
	ok_eq(r_bad, -EPERM, "ARCH_SET_FS to a kernel address is EPERM");
	ok_why(r_restore == 0 && after == orig, "ARCH_SET_FS restores the original base",
	       "result %ld, base %#lx", r_restore, after);
	ok_eq(sysc(SYS_arch_prctl, ARCH_GET_FS, BAD_LOW_PTR), -EFAULT, "ARCH_GET_FS into a bad pointer is EFAULT");
	ok_eq(sysc(SYS_arch_prctl, 0x9999, 0), -EINVAL, "an unknown arch_prctl code is EINVAL");
}

static void check_small_calls(void)
{
	static int tid_word;

	ok_eq(sysc(SYS_set_tid_address, &tid_word), sysc(SYS_gettid), "set_tid_address returns the tid");
	ok_eq(sysc(SYS_sched_yield), 0, "sched_yield returns 0");
	ok_eq(sysc(SYS_write, 1000, "x", 1), -EBADF, "write to an unopened fd is EBADF");
	ok_eq(sysc(SYS_write, -1, "x", 1), -EBADF, "write to fd -1 is EBADF");
	ok_eq(sysc(9999), -ENOSYS, "system call 9999 is ENOSYS");
	ok_eq(sysc(-1), -ENOSYS, "system call -1 is ENOSYS");
}

static void check_getrandom(void)
{
	unsigned char a[64] = { 0 }, b[64] = { 0 };
	unsigned any = 0;

	ok_eq(sysc(SYS_getrandom, a, sizeof(a), 0), 64, "getrandom fills 64 bytes");
	ok_eq(sysc(SYS_getrandom, b, sizeof(b), 1 /* GRND_NONBLOCK */), 64,
	      "getrandom with GRND_NONBLOCK fills 64 bytes");
	for (size_t i = 0; i < sizeof(a); i++)
		any |= a[i];
	ok(any != 0, "64 random bytes are not all zero");
	ok(memcmp(a, b, sizeof(a)) != 0, "two getrandom calls give different bytes");
	ok_eq(sysc(SYS_getrandom, a, 0, 0), 0, "getrandom of 0 bytes returns 0");
	ok_eq(sysc(SYS_getrandom, a, 16, 0x100), -EINVAL, "getrandom with unknown flags is EINVAL");
}

static void handler(int sig)
{
	(void)sig;
}

static void restorer(void)
{
}

static void check_sigaction(void)
{
	struct ksigaction act = { handler, SA_SIGINFO | KSA_RESTORER, restorer,
				  BIT(SIGUSR2) | BIT(SIGKILL) | BIT(SIGSTOP) };
	struct ksigaction old, cur;
	long r;

	memset(&old, 0xff, sizeof(old));
	r = sysc(SYS_rt_sigaction, SIGUSR1, &act, &old, 8);
	ok_eq(r, 0, "rt_sigaction installs a SIGUSR1 handler");
	ok(old.handler == SIG_DFL, "the previous SIGUSR1 action was SIG_DFL");
	memset(&cur, 0, sizeof(cur));
	ok_eq(sysc(SYS_rt_sigaction, SIGUSR1, 0, &cur, 8), 0, "rt_sigaction queries SIGUSR1");
	ok(cur.handler == handler && cur.restorer == restorer, "the handler and restorer read back");
	ok_why(cur.flags == (SA_SIGINFO | KSA_RESTORER), "the flags read back", "got %#lx", cur.flags);
	ok_why(cur.mask == BIT(SIGUSR2), "the mask reads back without SIGKILL and SIGSTOP",
	       "got %#lx", cur.mask);
	ok_eq(sysc(SYS_rt_sigaction, SIGKILL, &act, 0, 8), -EINVAL, "a SIGKILL handler is EINVAL");
	ok_eq(sysc(SYS_rt_sigaction, SIGSTOP, &act, 0, 8), -EINVAL, "a SIGSTOP handler is EINVAL");
	ok_eq(sysc(SYS_rt_sigaction, SIGKILL, 0, &cur, 8), 0, "querying SIGKILL's action succeeds");
	ok_eq(sysc(SYS_rt_sigaction, 0, &act, 0, 8), -EINVAL, "signal 0 is EINVAL");
	ok_eq(sysc(SYS_rt_sigaction, 65, &act, 0, 8), -EINVAL, "signal 65 is EINVAL");
	ok_eq(sysc(SYS_rt_sigaction, SIGUSR1, &act, 0, 4), -EINVAL, "a sigsetsize other than 8 is EINVAL");
	ok_eq(sysc(SYS_rt_sigaction, SIGUSR1, BAD_LOW_PTR, 0, 8), -EFAULT, "a bad act pointer is EFAULT");
	act.handler = SIG_DFL;
	act.mask = 0;
	ok_eq(sysc(SYS_rt_sigaction, SIGUSR1, &act, 0, 8), 0, "SIGUSR1 goes back to SIG_DFL");
}

static void check_sigprocmask(void)
{
	unsigned long orig = ~0UL, set, cur = 0;

	ok_eq(sysc(SYS_rt_sigprocmask, SIG_BLOCK, 0, &orig, 8), 0, "rt_sigprocmask queries the mask");
	set = BIT(SIGUSR1) | BIT(SIGKILL) | BIT(SIGSTOP);
	ok_eq(sysc(SYS_rt_sigprocmask, SIG_BLOCK, &set, 0, 8), 0, "SIG_BLOCK of SIGUSR1 succeeds");
	sysc(SYS_rt_sigprocmask, SIG_BLOCK, 0, &cur, 8);
	ok_why(cur == (orig | BIT(SIGUSR1)), "SIGUSR1 is blocked, SIGKILL and SIGSTOP silently are not",
	       "mask %#lx, was %#lx", cur, orig);
	set = BIT(SIGUSR1);
	ok_eq(sysc(SYS_rt_sigprocmask, SIG_UNBLOCK, &set, &cur, 8), 0, "SIG_UNBLOCK succeeds");
	ok(cur & BIT(SIGUSR1), "SIG_UNBLOCK reports the old mask");
	sysc(SYS_rt_sigprocmask, SIG_BLOCK, 0, &cur, 8);
	ok_why(cur == orig, "SIGUSR1 is unblocked again", "mask %#lx", cur);
	set = BIT(SIGUSR2);
	sysc(SYS_rt_sigprocmask, SIG_SETMASK, &set, 0, 8);
	sysc(SYS_rt_sigprocmask, SIG_SETMASK, &orig, &cur, 8);
	ok_why(cur == BIT(SIGUSR2), "SIG_SETMASK replaces the mask", "mask %#lx", cur);
	ok_eq(sysc(SYS_rt_sigprocmask, 3, &set, 0, 8), -EINVAL, "an unknown 'how' is EINVAL");
	ok_eq(sysc(SYS_rt_sigprocmask, SIG_BLOCK, &set, 0, 4), -EINVAL, "a sigsetsize other than 8 is EINVAL");
	ok_eq(sysc(SYS_rt_sigprocmask, SIG_BLOCK, BAD_LOW_PTR, 0, 8), -EFAULT, "a bad set pointer is EFAULT");
}

static void check_console_ioctl(void)
{
	unsigned char termios[64], winsz[8];
	long tc = sysc(SYS_ioctl, 1, TCGETS, termios);
	long ws = sysc(SYS_ioctl, 1, TIOCGWINSZ, winsz);
	long unk = sysc(SYS_ioctl, 1, 0x54ff, termios);

	tap_diag("stdout %s a terminal", tc == 0 ? "is" : "is not");
	ok_why(tc == 0 || tc == -ENOTTY, "TCGETS on stdout succeeds or is ENOTTY", "got %ld %s", tc, tap_errname(tc));
	ok_why((tc == 0) == (ws == 0), "TIOCGWINSZ and TCGETS agree on whether stdout is a terminal",
	       "TCGETS %ld, TIOCGWINSZ %ld", tc, ws);
	ok_why(unk == -ENOTTY || unk == -EINVAL, "an unknown ioctl is ENOTTY or EINVAL",
	       "got %ld %s", unk, tap_errname(unk));
	ok_eq(sysc(SYS_ioctl, 1, TCGETS, BAD_LOW_PTR), tc == 0 ? -EFAULT : -ENOTTY,
	      "TCGETS into a bad pointer is EFAULT (ENOTTY if not a terminal)");
	ok_eq(sysc(SYS_ioctl, 1000, TCGETS, termios), -EBADF, "ioctl on an unopened fd is EBADF");
}

int main(void)
{
	check_arch_prctl();
	check_small_calls();
	check_getrandom();
	check_sigaction();
	check_sigprocmask();
	check_console_ioctl();
	return tap_done();
}
