/*
 * The TTY line discipline (Linux's N_TTY): what sits between a terminal
 * device and the processes reading and writing it. It edits input lines
 * (erase, kill, word erase, literal next, reprint), echoes, turns the
 * interrupt, quit and suspend characters into signals, implements the
 * VMIN/VTIME rules of non-canonical reads and post-processes output
 * (ONLCR, tabs ...).
 *
 * The ldisc knows nothing about devices or processes: its owner (the
 * console TTY) feeds it input bytes with ldisc_receive() and supplies two
 * callbacks, one that puts bytes on the device and one that signals the
 * foreground process group. See docs/tty.md.
 */
#ifndef KERNEL_TTY_H
#define KERNEL_TTY_H

#include <jinux/sync.h>
#include <jinux/types.h>
#include <uapi/termios.h>
#include <uapi/termios_flags.h>

/* Job-control signals, until <uapi/signal.h> has them. */
#ifndef SIGTSTP
#define SIGTSTP 20
#endif
#ifndef SIGWINCH
#define SIGWINCH 28
#endif

/* Input buffer size; a canonical line holds at most LDISC_BUF_SIZE - 1. */
#define LDISC_BUF_SIZE 4096

/*
 * What the owner provides. Both callbacks are called with interrupts
 * masked, possibly from the interrupt that delivered the input, and must
 * neither sleep nor call back into the ldisc.
 */
struct ldisc_ops {
	/* Put @n bytes on the device: echo and ldisc_write() output, already
	 * post-processed (ONLCR etc.). */
	void (*output)(void *owner, const char *buf, size_t n);
	/* Send @sig to the terminal's foreground process group. */
	void (*signal)(void *owner, int sig);
};

struct ldisc {
	const struct ldisc_ops *ops;
	void *owner;
	struct linux_termios termios;
	struct linux_winsize winsize;
	struct wait_queue read_wait;	/* readers (and pollers) wanting input */
	struct wait_queue write_wait;	/* writers held by ^S (IXON) */

	/*
	 * Input ring. Indexes run freely and are masked on use. Canonical
	 * mode: [tail, canon_head) holds complete lines, [canon_head, head)
	 * the line being edited. Non-canonical mode: all of [tail, head) is
	 * readable.
	 */
	uint8_t buf[LDISC_BUF_SIZE];
	uint8_t line_end[LDISC_BUF_SIZE / 8];	/* bit: byte ends a line */
	uint8_t eof_mark[LDISC_BUF_SIZE / 8];	/* bit: line end is a ^D, not data */
	size_t head, canon_head, tail;

	unsigned column;	/* output column, for tab expansion and erase */
	unsigned canon_column;	/* column where the edited line started */
	bool lnext;		/* the next input byte is taken literally */
	bool stopped;		/* output stopped by VSTOP (IXON) */
};

/**
 * ldisc_init() - set up @ld with Linux's default termios (cooked mode with
 * echo, ^C ^\ ^Z ^D ^U DEL ^W ^V ^R ^S ^Q), an empty buffer and a 0x0
 * window size (as Linux; the owner sets the real one). @ops and @owner are
 * kept for the callbacks.
 */
void ldisc_init(struct ldisc *ld, const struct ldisc_ops *ops, void *owner);

/**
 * ldisc_receive() - process @n input bytes from the device: input
 * translation, signals, line editing, echo; wakes readers. Any context,
 * including interrupts: never sleeps or allocates. Bytes that do not fit
 * are dropped (in canonical mode everything but line terminators is
 * dropped once the line holds LDISC_BUF_SIZE - 1 bytes, with a bell).
 */
void ldisc_receive(struct ldisc *ld, const char *buf, size_t n);

/**
 * ldisc_read() - read input into the kernel buffer @buf. Canonical mode:
 * at most one line, with its terminator unless it is VEOF; 0 for VEOF at
 * the start of a line. Non-canonical mode: the VMIN/VTIME rules of
 * termios(3). Task context; sleeps interruptibly.
 * Return: bytes read (0 for end of file, or for a VMIN/VTIME read that
 * timed out or polled nothing); -EAGAIN if @nonblock and nothing is ready;
 * -EINTR if the task was kicked before any byte was read.
 */
ssize_t ldisc_read(struct ldisc *ld, char *buf, size_t n, bool nonblock);

/**
 * ldisc_write() - write @n bytes from the kernel buffer @buf to the device
 * through output processing (OPOST). Task context; while output is
 * stopped by VSTOP it sleeps interruptibly (or fails with -EAGAIN if
 * @nonblock).
 * Return: bytes written (@n unless interrupted), -EAGAIN or -EINTR when
 * nothing was written.
 */
ssize_t ldisc_write(struct ldisc *ld, const char *buf, size_t n, bool nonblock);

/** ldisc_get_termios() - copy the current settings (TCGETS) to @t. */
void ldisc_get_termios(struct ldisc *ld, struct linux_termios *t);

/**
 * ldisc_set_termios() - install @t (TCSETS/TCSETSW; TCSETSF with
 * @flush_input). Leaving canonical mode makes the partial line readable;
 * entering it turns buffered bytes into one line. Wakes readers and, if
 * IXON was cleared, stopped writers.
 */
void ldisc_set_termios(struct ldisc *ld, const struct linux_termios *t, bool flush_input);

/** ldisc_flush_input() - discard all buffered input (TCFLSH TCIFLUSH). */
void ldisc_flush_input(struct ldisc *ld);

/**
 * ldisc_inq() - bytes a read could return now, for FIONREAD/TIOCINQ:
 * complete lines in canonical mode (VEOF marks not counted), everything
 * buffered otherwise.
 */
size_t ldisc_inq(struct ldisc *ld);

/**
 * ldisc_readable() - whether poll() reports POLLIN: a complete line (or
 * VEOF) in canonical mode; otherwise at least VMIN bytes when VTIME is 0
 * and VMIN > 0, else at least one byte. Sleep on @ld->read_wait to wait
 * for a change.
 */
bool ldisc_readable(struct ldisc *ld);

/** ldisc_writable() - whether a write would proceed now (not ^S-stopped). */
bool ldisc_writable(struct ldisc *ld);

/** ldisc_get_winsize() - TIOCGWINSZ. */
void ldisc_get_winsize(struct ldisc *ld, struct linux_winsize *ws);

/**
 * ldisc_set_winsize() - TIOCSWINSZ: store @ws and, if it differs from the
 * old size, send SIGWINCH to the foreground process group.
 */
void ldisc_set_winsize(struct ldisc *ld, const struct linux_winsize *ws);

#endif
