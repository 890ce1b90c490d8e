/*
 * The console on the host target: the jinux process's stdin and stdout.
 * Reads block the calling task (not the host process) until the event
 * loop sees stdin readable. Raw terminal modes are not handled yet.
 */
#include <errno.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <jinux/console.h>
#include <jinux/errno.h>
#include <jinux/sync.h>

#include "host.h"

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
