/*
 * Signal dispositions (struct sighand): the table of sigactions that
 * threads share, and that CLONE_SIGHAND processes share, reference
 * counted; and the default action of every signal.
 */
#include <jinux/heap.h>
#include <jinux/string.h>
#include <kernel/signal.h>

#define SIG_DEFAULT_IGNORE (SIGBIT(SIGCHLD) | SIGBIT(SIGCONT) | SIGBIT(SIGURG) | SIGBIT(SIGWINCH))
#define SIG_DEFAULT_CORE                                                        \
	(SIGBIT(SIGQUIT) | SIGBIT(SIGILL) | SIGBIT(SIGTRAP) | SIGBIT(SIGABRT) |  \
	 SIGBIT(SIGBUS) | SIGBIT(SIGFPE) | SIGBIT(SIGSEGV) | SIGBIT(SIGXCPU) |   \
	 SIGBIT(SIGXFSZ) | SIGBIT(SIGSYS))

bool sig_default_ignored(int sig)
{
	return SIGBIT(sig) & SIG_DEFAULT_IGNORE;
}

bool sig_default_stops(int sig)
{
	return SIGBIT(sig) & SIG_STOP_SET;
}

bool sig_default_core(int sig)
{
	return SIGBIT(sig) & SIG_DEFAULT_CORE;
}

struct sighand *sighand_create(void)
{
	struct sighand *sh = kzalloc(sizeof(*sh));
	if (sh)
		sh->refcount = 1; /* all zero: SIG_DFL, no flags, empty masks */
	return sh;
}

struct sighand *sighand_copy(const struct sighand *old)
{
	struct sighand *sh = sighand_create();
	if (sh)
		memcpy(sh->action, old->action, sizeof(sh->action));
	return sh;
}

void sighand_get(struct sighand *sh)
{
	sh->refcount++;
}

void sighand_put(struct sighand *sh)
{
	if (sh && --sh->refcount == 0)
		kfree(sh);
}

/* Like Linux's flush_signal_handlers(): SIG_IGN survives, flags do not. */
void sighand_reset_for_exec(struct sighand *sh)
{
	for (int i = 0; i < NSIG; i++) {
		struct linux_sigaction *a = &sh->action[i];
		if (a->handler != SIG_IGN)
			a->handler = SIG_DFL;
		a->flags = 0;
		a->restorer = 0;
		a->mask = 0;
	}
}
