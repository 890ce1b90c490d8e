/*
 * Host "interrupts" and the idle loop.
 *
 * The host target has one thread. Host signals model interrupt lines:
 * SIGCHLD says a guest stopped, SIGALRM is the 1 kHz timer tick. Their
 * handlers only set flags; host_events_dispatch() does the work (collect
 * guest stops, core_tick(), console readiness) with interrupts masked,
 * either when irq_restore() unmasks ("pending interrupts are delivered at
 * sti") or in arch_wait_for_event() when the scheduler idles. So kernel
 * data is never touched from a signal handler.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include <jinux/log.h>
#include <jinux/sync.h>
#include <jinux/time.h>

#include "arch_hooks.h"
#include "host.h"

#define ALTSTACK_SIZE (64 * 1024)

struct wait_queue host_console_wq = WAIT_QUEUE_INIT;

static volatile sig_atomic_t chld_pending, tick_pending;
static bool irq_enabled;

static void on_signal(int sig)
{
	if (sig == SIGCHLD)
		chld_pending = 1;
	else
		tick_pending = 1;
}

static bool events_pending(void)
{
	return chld_pending || tick_pending;
}

/* Is stdin readable (or at EOF) right now? Only asked while a task waits. */
static bool console_ready(int timeout_ms)
{
	struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
	return poll(&pfd, 1, timeout_ms) > 0;
}

void host_events_dispatch(void)
{
	if (chld_pending) {
		chld_pending = 0;
		guests_reap();
	}
	if (tick_pending) {
		tick_pending = 0;
		core_tick();
		/* Calls notified while jinux was busy: polled at the tick. */
		guests_poll_now();
		guests_tick(arch_monotonic_ns());
		if (host_console_wq.head && console_ready(0))
			wait_queue_wake_all(&host_console_wq);
	}
}

unsigned long arch_irq_save(void)
{
	unsigned long was = irq_enabled;
	irq_enabled = false;
	return was;
}

void arch_irq_restore(unsigned long flags)
{
	irq_enabled = false;
	if (flags && events_pending())
		host_events_dispatch();
	irq_enabled = flags;
}

void arch_irq_enable(void)
{
	arch_irq_restore(1);
}

/*
 * Sleep in ppoll() until a signal (guest stop, tick), a guest's notified
 * system call or console input. The signals are blocked from the flag
 * check until ppoll() unblocks them atomically, so a stop that arrives in
 * between is not missed for a tick.
 */
void arch_wait_for_event(void)
{
	static struct pollfd pfd[1 + HOST_MAX_GUESTS];
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	sigaddset(&block, SIGALRM);
	sigprocmask(SIG_BLOCK, &block, &old);
	if (!events_pending()) {
		size_t n = 0;
		if (host_console_wq.head)
			pfd[n++] = (struct pollfd){ .fd = STDIN_FILENO, .events = POLLIN };
		size_t first = n;
		n += guests_poll_fill(pfd + first, HOST_MAX_GUESTS);
		if (ppoll(pfd, n, NULL, &old) > 0) {
			if (first && pfd[0].revents)
				wait_queue_wake_all(&host_console_wq);
			guests_poll_done(pfd + first, n - first);
		}
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	host_events_dispatch();
}

static void install(int sig)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART | SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	if (sigaction(sig, &sa, NULL) < 0) {
		perror("jinux: sigaction");
		exit(255);
	}
}

void host_events_init(void)
{
	/* Handlers run on their own stack, never on a kernel task's. */
	static char altstack[ALTSTACK_SIZE];
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
	sigaltstack(&ss, NULL);

	install(SIGCHLD);
	install(SIGALRM);
	struct itimerval it = {
		.it_interval = { 0, HOST_TICK_NS / 1000 },
		.it_value = { 0, HOST_TICK_NS / 1000 },
	};
	if (setitimer(ITIMER_REAL, &it, NULL) < 0) {
		perror("jinux: setitimer");
		exit(255);
	}
}
