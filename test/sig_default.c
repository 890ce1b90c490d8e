/*
 * sig_default: default actions, seen in the exit status (the runner
 * checks 128 + signal). argv[1] picks the case:
 *   abort       abort()                                     SIGABRT 134
 *   term        kill(self, SIGTERM)                         143
 *   kill        kill(self, SIGKILL)                         137
 *   quit        kill(self, SIGQUIT) (core-dump action)      131
 *   unblock     SIGUSR1 pending while blocked, then unblocked 138
 *   resethand   SIGSEGV with SA_RESETHAND: 2nd fault kills  139
 *   blocked     a fault while SIGSEGV is blocked kills, handler or not 139
 *   ignored     SIGTERM ignored, CHLD/URG/WINCH/CONT default: survives 0
 */
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "lib/tap.h"

static volatile int *volatile bad_ptr = (int *)8;
static volatile int segv_hits;

static void segv_handler(int sig)
{
	(void)sig;
	segv_hits++;
	tap_diag("SIGSEGV handler ran (%d)", segv_hits);
	if (segv_hits > 1)
		_exit(3); /* the handler must not run twice */
	/* Returning re-executes the faulting load: the second fault kills. */
}

static int run(const char *mode)
{
	unsigned long bit = 1UL << (SIGUSR1 - 1);
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));

	if (!strcmp(mode, "abort")) {
		abort();
	} else if (!strcmp(mode, "term")) {
		sysc(SYS_kill, getpid(), SIGTERM);
	} else if (!strcmp(mode, "kill")) {
		sysc(SYS_kill, getpid(), SIGKILL);
	} else if (!strcmp(mode, "quit")) {
		sysc(SYS_kill, getpid(), SIGQUIT);
	} else if (!strcmp(mode, "unblock")) {
		sysc(SYS_rt_sigprocmask, SIG_BLOCK, &bit, 0, 8);
		sysc(SYS_kill, getpid(), SIGUSR1);
		tap_diag("still alive while SIGUSR1 is blocked");
		sysc(SYS_rt_sigprocmask, SIG_UNBLOCK, &bit, 0, 8);
	} else if (!strcmp(mode, "resethand")) {
		sa.sa_handler = segv_handler;
		sa.sa_flags = SA_RESETHAND;
		sigaction(SIGSEGV, &sa, NULL);
		*bad_ptr = 1;
	} else if (!strcmp(mode, "blocked")) {
		unsigned long segv = 1UL << (SIGSEGV - 1);
		sa.sa_handler = segv_handler;
		sigaction(SIGSEGV, &sa, NULL);
		sysc(SYS_rt_sigprocmask, SIG_BLOCK, &segv, 0, 8);
		*bad_ptr = 1;
	} else if (!strcmp(mode, "ignored")) {
		signal(SIGTERM, SIG_IGN);
		sysc(SYS_kill, getpid(), SIGTERM);
		sysc(SYS_kill, getpid(), SIGCHLD);
		sysc(SYS_kill, getpid(), SIGURG);
		sysc(SYS_kill, getpid(), SIGWINCH);
		sysc(SYS_kill, getpid(), SIGCONT);
		tap_diag("survived ignored signals");
		return 0;
	} else {
		tap_diag("unknown mode %s", mode);
		return 2;
	}
	tap_diag("still alive after %s", mode);
	return 1;
}

int main(int argc, char **argv)
{
	tap_plan(1);
	ok(1, "about to test a default action");
	return run(argc > 1 ? argv[1] : "term");
}
