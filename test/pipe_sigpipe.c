/*
 * pipe_sigpipe MODE: writing to a pipe whose read end is closed raises
 * SIGPIPE in the writer.
 *   default  - the default action kills the process (status 141 from a shell)
 *   handler  - a handler runs once and the write fails with EPIPE
 *   blocked  - with SIGPIPE blocked the write fails with EPIPE and the
 *              signal stays pending
 */
#include <signal.h>
#include <string.h>

#include "lib/tap.h"

static volatile int caught;

static void on_sigpipe(int sig)
{
	caught = sig;
}

static int broken_pipe(void)
{
	int p[2];

	if (!ok_eq(sysc(SYS_pipe, p), 0, "pipe succeeds"))
		return -1;
	ok_eq(sysc(SYS_close, p[0]), 0, "close the read end");
	return p[1];
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "default";
	int fd;

	if (!strcmp(mode, "default")) {
		tap_plan(2);
		/* The parent may have left it ignored (Python does), and exec keeps that. */
		signal(SIGPIPE, SIG_DFL);
		fd = broken_pipe();
		sysc(SYS_write, fd, "x", 1);
		tap_diag("still alive after writing to a broken pipe");
		return 1;
	}
	if (!strcmp(mode, "handler")) {
		signal(SIGPIPE, on_sigpipe);
		fd = broken_pipe();
		ok_eq(sysc(SYS_write, fd, "x", 1), -EPIPE, "the write fails with EPIPE");
		ok_eq(caught, SIGPIPE, "the SIGPIPE handler ran");
		return tap_done();
	}
	if (!strcmp(mode, "blocked")) {
		sigset_t set, pending;

		sigemptyset(&set);
		sigaddset(&set, SIGPIPE);
		sigprocmask(SIG_BLOCK, &set, NULL);
		fd = broken_pipe();
		ok_eq(sysc(SYS_write, fd, "x", 1), -EPIPE, "the write fails with EPIPE");
		sigpending(&pending);
		ok(sigismember(&pending, SIGPIPE), "SIGPIPE is pending");
		return tap_done();
	}
	tap_diag("unknown mode %s", mode);
	return 2;
}
