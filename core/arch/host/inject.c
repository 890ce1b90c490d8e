/*
 * Running the stub on a stopped guest thread: host system calls jinux
 * makes in a guest process (mappings, clones, the filter), one at a time
 * (`syscall; int3`) or as a batch of struct stub_op in the control page
 * (a loop ending in int3). The thread's registers are set, it is resumed
 * with PTRACE_CONT, and its int3 stop is waited for; where the guest's
 * calls are notified (trap.c), the stub's are too, and each is let run
 * only if it is the call asked for.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

#include <jinux/log.h>

#include "host.h"

/*
 * Wait for the next stop of @t, which runs the stub, answering the
 * notifications of the calls it makes on the way (@ops, in order). SIGCHLD
 * is blocked except inside ppoll(), so a stop cannot slip in between the
 * check and the sleep.
 */
static int wait_stub_stop(struct gthread *t, const struct stub_op *ops, size_t n, size_t *done)
{
	struct guest *g = t->g;
	sigset_t block, old, during;
	int st = -ESRCH;

	if (!guest_notifies(g))
		return guest_wait_sync(t);
	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	sigprocmask(SIG_BLOCK, &block, &old);
	during = old;
	sigdelset(&during, SIGCHLD);
	for (;;) {
		if (t->state == GUEST_DEAD)
			break;
		pid_t pid = t->status_ready ? t->tid : waitpid(t->tid, &st, WNOHANG | __WALL);
		if (pid == t->tid) {
			st = guest_wait_sync_status(t, t->status_ready ? t->status : st);
			break;
		}
		if (pid < 0 && errno != EINTR) {
			st = guest_wait_sync_status(t, -1);
			break;
		}
		if (t->notif_ready) {
			guest_answer_stub_call(t, ops, n, done);
			continue;
		}
		struct pollfd pfd = { .fd = g->notify_fd, .events = POLLIN };
		if (ppoll(&pfd, 1, NULL, &during) > 0)
			guest_notif_recv(g);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	return st;
}

/*
 * Run the stub on @t from the registers in @r until its int3, passing
 * over the stop of a PTRACE_INTERRUPT that was still in flight. It is to
 * make the host calls @ops (@n of them). If @want_regs, @r then holds the
 * registers at the int3. If the call was a clone, *@new_tid receives the
 * new thread's id.
 */
static int guest_inject(struct gthread *t, struct user_regs_struct *r, const struct stub_op *ops,
			size_t n, bool want_regs, pid_t *new_tid)
{
	size_t done = 0;

	t->regs_lost = true;
	int err = host_ptrace(PTRACE_SETREGS, t->tid, NULL, r);
	if (err)
		return err;
	t->injecting = true;
	for (;;) {
		err = host_ptrace(PTRACE_CONT, t->tid, NULL, NULL);
		if (err)
			break;
		int st = wait_stub_stop(t, ops, n, &done);
		if (st < 0) {
			err = st;
			break;
		}
		if (host_event_stop(st)) {
			t->interrupt_sent = false;
			continue;
		}
		if (host_clone_stop(st)) {
			unsigned long msg = 0;
			host_ptrace(PTRACE_GETEVENTMSG, t->tid, NULL, &msg);
			if (new_tid)
				*new_tid = (pid_t)msg;
			continue;
		}
		if (!WIFSTOPPED(st) || WSTOPSIG(st) != SIGTRAP) {
			pr_err("host: stub %d stopped with status %#x", t->tid, st);
			err = -EIO;
			break;
		}
		err = want_regs ? host_ptrace(PTRACE_GETREGS, t->tid, NULL, r) : 0;
		break;
	}
	t->injecting = false;
	t->notif_ready = false;
	return err;
}

static struct user_regs_struct stub_regs(struct guest *g, unsigned long entry)
{
	struct user_regs_struct r = g->tmpl;
	r.rip = STUB_BASE + entry;
	r.orig_rax = (unsigned long)-1;
	return r;
}

/* One host system call made by the stub on @t. Return: its result. */
long guest_stub_syscall(struct gthread *t, pid_t *new_tid, long nr, long a0, long a1, long a2, long a3,
			  long a4, long a5)
{
	struct user_regs_struct r = stub_regs(t->g, STUB_OFF_SYSCALL);
	r.rax = (unsigned long)nr;
	r.rdi = (unsigned long)a0;
	r.rsi = (unsigned long)a1;
	r.rdx = (unsigned long)a2;
	r.r10 = (unsigned long)a3;
	r.r8 = (unsigned long)a4;
	r.r9 = (unsigned long)a5;
	const struct stub_op op = { (uint64_t)nr, { (uint64_t)a0, (uint64_t)a1, (uint64_t)a2,
						    (uint64_t)a3, (uint64_t)a4, (uint64_t)a5 }, 0 };
	int err = guest_inject(t, &r, &op, 1, true, new_tid);
	return err ? err : (long)r.rax;
}

int guest_run_ops(struct gthread *t, const struct stub_op *ops, size_t n)
{
	struct guest *g = t->g;

	while (n) {
		size_t k = n < STUB_OPS_MAX ? n : STUB_OPS_MAX;
		memcpy(g->ctrl_ops, ops, k * sizeof(*ops));
		struct user_regs_struct r = stub_regs(g, STUB_OFF_BATCH);
		r.rdi = STUB_CTRL_VA;
		r.rsi = k;
		int err = guest_inject(t, &r, ops, k, false, NULL);
		if (err)
			return err;
		for (size_t i = 0; i < k; i++) {
			int64_t ret = g->ctrl_ops[i].ret;
			if (ret < 0 && ret > -4096) {
				pr_err("host: stub %d: syscall %lu failed: %ld", t->tid,
				       (unsigned long)ops[i].nr, (long)ret);
				return (int)ret;
			}
		}
		ops += k;
		n -= k;
	}
	return 0;
}
