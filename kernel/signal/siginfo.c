/*
 * siginfo_t as user space sees it: which member of the union carries the
 * fields depends on the code (and, for kernel codes, on the signal).
 */
#include <jinux/string.h>
#include <kernel/signal.h>

static bool is_fault_signal(int sig)
{
	return sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE ||
	       sig == SIGTRAP;
}

void ksiginfo_to_user(const struct ksiginfo *k, struct linux_siginfo *u)
{
	memset(u, 0, sizeof(*u));
	u->si_signo = k->signo;
	u->si_errno = k->errno_val;
	u->si_code = k->code;
	if (k->code == SI_TIMER) {
		u->u.timer.tid = k->pid;
		u->u.timer.overrun = k->status;
		u->u.timer.value = k->value;
	} else if (k->code <= 0) {
		/* kill, tkill, sigqueue and other user-generated codes */
		u->u.kill.pid = k->pid;
		u->u.kill.uid = k->uid;
		u->u.kill.value = k->value;
	} else if (k->code == SI_KERNEL) {
		u->u.fault.addr = k->addr; /* zero for #GP, as Linux */
	} else if (k->signo == SIGCHLD) {
		u->u.chld.pid = k->pid;
		u->u.chld.uid = k->uid;
		u->u.chld.status = k->status;
	} else if (is_fault_signal(k->signo)) {
		u->u.fault.addr = k->addr;
	} else {
		u->u.kill.pid = k->pid;
		u->u.kill.uid = k->uid;
		u->u.kill.value = k->value;
	}
}
