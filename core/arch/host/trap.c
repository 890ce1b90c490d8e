/*
 * How guest system calls reach jinux on the host target.
 *
 * A ptrace stop per call (PTRACE_SYSEMU) costs tens of microseconds, so
 * a guest that makes many calls has its stub install a seccomp filter
 * that turns every system call of the process into a notification
 * (SECCOMP_RET_USER_NOTIF) on a listener jinux holds. The thread waits in
 * the host kernel while jinux handles the call and answers with its
 * result: no ptrace stop, no register transfer. When jinux needs the
 * registers (signal frames, fork, execve) it interrupts the waiting
 * thread into a ptrace stop (guest_thread_stop); the few calls that
 * always need them are traced by the filter instead (SECCOMP_RET_TRACE).
 *
 * The stub's own calls are notified too: jinux lets one run on the host
 * (SECCOMP_USER_NOTIF_FLAG_CONTINUE) only if it comes from the thread
 * jinux is injecting into and is exactly the call jinux asked for, so the
 * guest still cannot make a host system call of its own, even by jumping
 * into the stub or rewriting its control page. If the filter cannot be
 * installed (an old or restricted host), system calls stay trapped by
 * PTRACE_SYSEMU.
 *
 * Notification makes system calls cheaper but every call the stub makes
 * for jinux (page faults, address-space set-up) dearer, so a guest starts
 * with PTRACE_SYSEMU and switches once it has made HOST_NOTIFY_AFTER
 * system calls and HOST_NOTIFY_RATIO times as many as page faults, while
 * it has a single thread: short-lived processes and ones that mostly
 * fault (a shell forking pipelines touches its copy-on-write pages after
 * every fork) stay on the path that is cheaper for them.
 * JINUX_HOST_TRAP=ptrace or =notify in the environment fixes the
 * mechanism, so that both are tested.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <jinux/log.h>

#include "host.h"

/* Linux 6.6 additions, missing from older uapi headers. */
#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, uint64_t)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP 1
#endif

static int notif_send(struct guest *g, uint64_t id, int64_t val, int error, uint32_t flags)
{
	struct seccomp_notif_resp resp = { .id = id, .val = val, .error = error, .flags = flags };
	return ioctl(g->notify_fd, SECCOMP_IOCTL_NOTIF_SEND, &resp) < 0 ? -errno : 0;
}

/*
 * A notification for @t. A running thread is now waiting for its answer:
 * wake its runner. An injection in progress takes it itself. Anything else
 * is a call that was abandoned already (an interrupt raced with it).
 */
static void thread_note_notif(struct gthread *t, const struct host_notif *n)
{
	if (!t->injecting && t->state != GUEST_RUNNING)
		return;
	t->notif = *n;
	t->notif_ready = true;
	if (!t->injecting) {
		t->state = GUEST_NOTIFIED;
		wait_queue_wake_all(&t->stop_wq);
	}
}

/* Take one notification from @g's listener (which must have one). */
void guest_notif_recv(struct guest *g)
{
	struct seccomp_notif req;

	memset(&req, 0, sizeof(req));
	if (ioctl(g->notify_fd, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0)
		return;   /* the caller died meanwhile */
	/* On the system-call path: search this guest's threads only. */
	struct gthread *t = g->threads;
	while (t && t->tid != (pid_t)req.pid)
		t = t->next;
	if (!t)
		return;
	struct host_notif n = {
		.id = req.id,
		.arch = req.data.arch,
		/* Linux takes the number from the low 32 bits of rax. */
		.nr = (uint32_t)req.data.nr,
		.rip = req.data.instruction_pointer,
	};
	memcpy(n.args, req.data.args, sizeof(n.args));
	thread_note_notif(t, &n);
}

size_t guests_poll_fill(struct pollfd *pfd, size_t max)
{
	size_t n = 0;
	for (struct guest *g = guest_first(); g && n < max; g = g->next) {
		if (guest_notifies(g) && !g->dead)
			pfd[n++] = (struct pollfd){ .fd = g->notify_fd, .events = POLLIN };
	}
	return n;
}

void guests_poll_done(const struct pollfd *pfd, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!(pfd[i].revents & POLLIN))
			continue;
		for (struct guest *g = guest_first(); g; g = g->next)
			if (g->notify_fd == pfd[i].fd && !g->dead)
				guest_notif_recv(g);
	}
}

void guests_poll_now(void)
{
	static struct pollfd pfd[HOST_MAX_GUESTS];
	size_t n = guests_poll_fill(pfd, ARRAY_SIZE(pfd));
	if (n && poll(pfd, n, 0) > 0)
		guests_poll_done(pfd, n);
}

int guest_reply(struct gthread *t, uint64_t value)
{
	int err = notif_send(t->g, t->notif.id, (int64_t)value, 0, 0);
	if (err)
		return err;
	t->notif_ready = false;
	t->state = GUEST_RUNNING;
	return 0;
}

int guest_thread_stop(struct gthread *t)
{
	if (t->state == GUEST_DEAD)
		return -ESRCH;
	if (t->state != GUEST_NOTIFIED)
		return 0;
	t->interrupt_sent = true;
	host_ptrace(PTRACE_INTERRUPT, t->tid, NULL, NULL);
	int st = guest_wait_sync(t);
	if (st < 0)
		return st;
	if ((st >> 16) == PTRACE_EVENT_STOP)
		t->interrupt_sent = false;
	t->state = GUEST_STOPPED;
	t->notif_ready = false;
	wait_queue_wake_all(&t->stop_wq);
	return 0;
}

/*
 * Is @n the injected call @want, made by the stub? Only then may it run
 * on the host: the guest could have jumped into the stub or rewritten the
 * control page, but it cannot forge the registers of this thread.
 */
static bool notif_is(const struct host_notif *n, const struct stub_op *want)
{
	return n->arch == AUDIT_ARCH_X86_64 && n->nr == want->nr &&
	       n->rip >= STUB_BASE && n->rip < STUB_BASE + STUB_SIZE &&
	       !memcmp(n->args, want->args, sizeof(n->args));
}

/* Let the next expected stub call of @t run, or refuse a stray one. */
void guest_answer_stub_call(struct gthread *t, const struct stub_op *ops, size_t n, size_t *done)
{
	struct guest *g = t->g;

	t->notif_ready = false;
	if (*done < n && notif_is(&t->notif, &ops[*done])) {
		(*done)++;
		notif_send(g, t->notif.id, 0, 0, SECCOMP_USER_NOTIF_FLAG_CONTINUE);
		return;
	}
	pr_err("host: stub %d made an unexpected system call %lu", t->tid,
	       (unsigned long)t->notif.nr);
	notif_send(g, t->notif.id, 0, -EPERM, 0);
}

/* struct sock_fprog as the stub sees it: the filter's guest address. */
struct guest_fprog {
	uint16_t len;
	uint16_t pad[3];
	uint64_t filter;
};

enum trap_mode { TRAP_ADAPTIVE, TRAP_PTRACE, TRAP_NOTIFY };

static enum trap_mode trap_mode(void)
{
	const char *how = getenv("JINUX_HOST_TRAP");
	if (how && !strcmp(how, "ptrace"))
		return TRAP_PTRACE;
	if (how && !strcmp(how, "notify"))
		return TRAP_NOTIFY;
	return TRAP_ADAPTIVE;
}

/*
 * Have the stub install the seccomp filter that notifies jinux of every
 * system call, and take the listener from it. Return: 0 (with
 * g->notify_fd set, or -1 if the host cannot do this: trap by ptrace),
 * or a negative errno if the guest was left unusable.
 */
/*
 * System calls whose handling needs all the registers (signal frames,
 * fork, execve, fs_base). For them a notification would be followed at
 * once by a stop to fetch the registers, so the filter asks for the stop
 * itself (SECCOMP_RET_TRACE: a PTRACE_EVENT_SECCOMP stop, the call
 * skipped by jinux). Only a matter of speed: either way gives the same
 * result.
 */
static const uint32_t regs_hungry[] = {
	15,  /* rt_sigreturn */   56, /* clone */      57, /* fork */
	58,  /* vfork */          59, /* execve */     62, /* kill */
	129, /* rt_sigqueueinfo */ 131, /* sigaltstack */ 158, /* arch_prctl */
	200, /* tkill */          234, /* tgkill */    297, /* rt_tgsigqueueinfo */
	322, /* execveat */       435, /* clone3 */
};

/*
 * The filter: calls from the stub (its address's high half) and i386
 * calls are notified; so is everything else, except regs_hungry, traced.
 * Return: its length in instructions.
 */
static unsigned filter_build(struct sock_filter *f)
{
	const unsigned n = ARRAY_SIZE(regs_hungry);
	const unsigned notif = 5 + n, trace = notif + 1;
	unsigned k = 0;

	f[k++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					      offsetof(struct seccomp_data, arch));
	f[k] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0,
					    (uint8_t)(notif - k - 1));
	k++;
	f[k++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					      offsetof(struct seccomp_data, instruction_pointer) + 4);
	f[k] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)(STUB_BASE >> 32),
					    (uint8_t)(notif - k - 1), 0);
	k++;
	f[k++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					      offsetof(struct seccomp_data, nr));
	for (unsigned i = 0; i < n; i++, k++)
		f[k] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, regs_hungry[i],
						    (uint8_t)(trace - k - 1), 0);
	f[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF);
	f[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE);
	return k;
}

int guest_install_filter(struct guest *g, struct gthread *t)
{
	struct guest_fprog *prog = (struct guest_fprog *)g->ctrl_ops;
	struct sock_filter *insn = (struct sock_filter *)(prog + 1);

	int pidfd = (int)syscall(SYS_pidfd_open, g->pid, 0);
	if (pidfd < 0)
		return 0;
	unsigned len = filter_build(insn);
	*prog = (struct guest_fprog){ .len = (uint16_t)len, .filter = STUB_CTRL_VA + sizeof(*prog) };
	long fd = guest_stub_syscall(t, NULL, SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0, 0);
	if (fd == 0)
		fd = guest_stub_syscall(t, NULL, SYS_seccomp, SECCOMP_SET_MODE_FILTER,
				   SECCOMP_FILTER_FLAG_NEW_LISTENER, STUB_CTRL_VA, 0, 0, 0);
	if (fd < 0) {
		close(pidfd);
		return 0;
	}
	/* From here on every stub call needs an answer: a listener is a must. */
	g->notify_fd = (int)syscall(SYS_pidfd_getfd, pidfd, (int)fd, 0);
	close(pidfd);
	if (g->notify_fd < 0) {
		pr_err("host: cannot take the seccomp listener of guest %d: %d", g->pid, -errno);
		return -EIO;
	}
	/* Hosts from Linux 6.6 hand the CPU straight between the waiting
	 * thread and jinux on each notification and answer (the flag is the
	 * argument itself); older ones refuse it, which costs only speed. */
	ioctl(g->notify_fd, SECCOMP_IOCTL_NOTIF_SET_FLAGS, (unsigned long)SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP);
	long r = guest_stub_syscall(t, NULL, SYS_close, fd, 0, 0, 0, 0, 0);
	return r < 0 ? (int)r : 0;
}

int guest_syscall_trapped(struct gthread *t)
{
	struct guest *g = t->g;

	g->sysemu_calls++;
	if (guest_notifies(g) || g->sysemu_calls < HOST_NOTIFY_AFTER ||
	    g->sysemu_calls < HOST_NOTIFY_RATIO * g->faults)
		return 0;
	/* The filter binds the thread that installs it and its later clones. */
	if (g->threads != t || t->next || trap_mode() != TRAP_ADAPTIVE)
		return 0;
	return guest_install_filter(g, t);
}

bool guest_trap_notify_always(void)
{
	return trap_mode() == TRAP_NOTIFY;
}
