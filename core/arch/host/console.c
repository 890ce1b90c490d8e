/*
 * The console on the host target: the jinux process's stdin and stdout.
 * Reads block the calling task (not the host process) until the event
 * loop sees stdin readable.
 *
 * When stdin is a terminal it is put into raw mode for the life of the
 * process, because Jinux's own line discipline does the editing, echo and
 * ^C handling; the saved mode is restored on every way out: exit, panic
 * (which exits) and the fatal signals a crash raises.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <jinux/console.h>
#include <jinux/errno.h>
#include <jinux/sync.h>

#include "host.h"

static struct termios saved_termios;
static volatile sig_atomic_t termios_saved;

static void restore_terminal(void)
{
	if (termios_saved)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_termios);
}

static void restore_and_die(int sig)
{
	restore_terminal();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Runs before main(): nothing can leave the terminal raw behind it. */
__attribute__((constructor)) static void raw_terminal(void)
{
	static const int fatal[] = { SIGHUP, SIGINT, SIGQUIT, SIGILL, SIGABRT, SIGBUS,
				     SIGFPE, SIGSEGV, SIGTERM };
	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved_termios) != 0)
		return;
	struct termios raw = saved_termios;
	cfmakeraw(&raw);
	termios_saved = 1;
	atexit(restore_terminal);
	for (size_t i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++) {
		struct sigaction sa = { .sa_handler = restore_and_die, .sa_flags = SA_RESETHAND };
		sigemptyset(&sa.sa_mask);
		sigaction(fatal[i], &sa, NULL);
	}
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw);
}

void console_write(const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(STDOUT_FILENO, buf, len);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			return;     /* stdout gone: nothing sensible to do */
		buf += n;
		len -= (size_t)n;
	}
}

static bool stdin_ready(void)
{
	struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
	int n;
	while ((n = poll(&pfd, 1, 0)) < 0 && errno == EINTR)
		;
	return n != 0;
}

ssize_t console_read(char *buf, size_t len, bool nonblock)
{
	if (len == 0)
		return 0;
	for (;;) {
		if (stdin_ready()) {
			ssize_t n = read(STDIN_FILENO, buf, len);
			if (n >= 0)
				return n;
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return 0;   /* stdin closed or broken: end of input */
		}
		if (nonblock)
			return -EAGAIN;
		int err = wait_event_interruptible(&host_console_wq, stdin_ready());
		if (err)
			return err;
	}
}

void console_winsize(unsigned short *rows, unsigned short *cols)
{
	struct winsize ws;
	if ((ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 ||
	     ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0) && ws.ws_row && ws.ws_col) {
		*rows = ws.ws_row;
		*cols = ws.ws_col;
		return;
	}
	*rows = 24;
	*cols = 80;
}
