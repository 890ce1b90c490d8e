/*
 * The TTY line discipline, modelled on Linux's N_TTY (drivers/tty/n_tty.c):
 * input translation, job-control characters, canonical line editing with
 * echo, VMIN/VTIME reads and output post-processing. See docs/tty.md for
 * the behaviour and where it differs from Linux.
 *
 * Locking: one CPU and a kernel that is not preempted, so masking
 * interrupts (irq_save) is all the exclusion needed against
 * ldisc_receive() arriving from an interrupt. Every access to the state
 * happens with interrupts masked; callbacks run masked too, so the owner's
 * output routine is never re-entered.
 */
#include <jinux/errno.h>
#include <jinux/string.h>
#include <jinux/sync.h>
#include <jinux/time.h>
#include <jinux/types.h>
#include <kernel/tty.h>
#include <uapi/signal.h>

#define NO_DEADLINE UINT64_MAX
#define NSEC_PER_DECISEC (100 * NSEC_PER_MSEC)
/* The most bytes opost_char() emits for one input byte (a tab as spaces). */
#define OPOST_MAX 8

/* --- small helpers ------------------------------------------------------ */

static size_t ring_idx(size_t i)
{
	return i & (LDISC_BUF_SIZE - 1);
}

static void bit_set(uint8_t *map, size_t i)
{
	i = ring_idx(i);
	map[i / 8] |= (uint8_t)(1u << (i % 8));
}

static void bit_clear(uint8_t *map, size_t i)
{
	i = ring_idx(i);
	map[i / 8] &= (uint8_t)~(1u << (i % 8));
}

static bool bit_test(const uint8_t *map, size_t i)
{
	i = ring_idx(i);
	return map[i / 8] & (1u << (i % 8));
}

/* Control characters as the echo sees them (C0 and DEL, not C1: C1 bytes
 * are UTF-8 continuation bytes on every terminal we talk to). */
static bool is_ctrl(uint8_t c)
{
	return c < 0x20 || c == 0x7f;
}

static bool is_word_char(uint8_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       c == '_';
}

/* A UTF-8 continuation byte, when the terminal says it speaks UTF-8. */
static bool is_cont(const struct ldisc *ld, uint8_t c)
{
	return (ld->termios.c_iflag & IUTF8) && (c & 0xc0) == 0x80;
}

/* Whether @c is the special character c_cc[@i]; a disabled entry (0)
 * matches nothing. */
static bool is_cc(const struct ldisc *ld, uint8_t c, int i)
{
	uint8_t v = ld->termios.c_cc[i];
	return v != POSIX_VDISABLE && c == v;
}

static bool lflag(const struct ldisc *ld, uint32_t f)
{
	return ld->termios.c_lflag & f;
}

static bool iflag(const struct ldisc *ld, uint32_t f)
{
	return ld->termios.c_iflag & f;
}

/* --- output: post-processing and echo ------------------------------------ */

/* Bytes on their way to the device, handed over in batches. */
struct obuf {
	struct ldisc *ld;
	size_t n;
	char b[256];
};

static void obuf_flush(struct obuf *o)
{
	if (o->n)
		o->ld->ops->output(o->ld->owner, o->b, o->n);
	o->n = 0;
}

static void obuf_put(struct obuf *o, uint8_t c)
{
	if (o->n == sizeof(o->b))
		obuf_flush(o);
	o->b[o->n++] = (char)c;
}

/* One byte through OPOST processing, keeping the column up to date. */
static void opost_char(struct ldisc *ld, struct obuf *o, uint8_t c)
{
	uint32_t of = ld->termios.c_oflag;
	unsigned spaces;

	if (!(of & OPOST)) {
		obuf_put(o, c);
		return;
	}
	switch (c) {
	case '\n':
		if (of & ONLRET)
			ld->column = 0;
		if (of & ONLCR) {
			ld->column = ld->canon_column = 0;
			obuf_put(o, '\r');
			break;
		}
		ld->canon_column = ld->column;
		break;
	case '\r':
		if ((of & ONOCR) && ld->column == 0)
			return;
		if (of & OCRNL) {
			c = '\n';
			if (of & ONLRET)
				ld->column = ld->canon_column = 0;
			break;
		}
		ld->column = ld->canon_column = 0;
		break;
	case '\t':
		spaces = 8 - (ld->column & 7);
		ld->column += spaces;
		if ((of & TABDLY) == XTABS) {
			while (spaces--)
				obuf_put(o, ' ');
			return;
		}
		break;
	case '\b':
		if (ld->column)
			ld->column--;
		break;
	default:
		if (!is_ctrl(c)) {
			if ((of & OLCUC) && c >= 'a' && c <= 'z')
				c = (uint8_t)(c - 'a' + 'A');
			if (!is_cont(ld, c))
				ld->column++;
		}
		break;
	}
	obuf_put(o, c);
}

static void echo_raw(struct ldisc *ld, struct obuf *o, uint8_t c)
{
	opost_char(ld, o, c);
}

static void echo_str(struct ldisc *ld, struct obuf *o, const char *s)
{
	while (*s)
		echo_raw(ld, o, (uint8_t)*s++);
}

/* Echo an input byte: control characters as ^X under ECHOCTL. */
static void echo_char(struct ldisc *ld, struct obuf *o, uint8_t c)
{
	if (lflag(ld, ECHOCTL) && is_ctrl(c) && c != '\t') {
		obuf_put(o, '^');
		obuf_put(o, c ^ 0100);
		ld->column += 2;
		return;
	}
	echo_raw(ld, o, c);
}

/* --- the input ring ------------------------------------------------------ */

static size_t ring_count(const struct ldisc *ld)
{
	return ld->head - ld->tail;
}

static void ring_put(struct ldisc *ld, uint8_t c)
{
	ld->buf[ring_idx(ld->head)] = c;
	bit_clear(ld->line_end, ld->head);
	bit_clear(ld->eof_mark, ld->head);
	ld->head++;
}

/* Copy @n buffered bytes to @dst and consume them. */
static void ring_take(struct ldisc *ld, char *dst, size_t n)
{
	size_t i = ring_idx(ld->tail), first = MIN(n, LDISC_BUF_SIZE - i);

	memcpy(dst, ld->buf + i, first);
	memcpy(dst + first, ld->buf, n - first);
	ld->tail += n;
}

static void reset_input(struct ldisc *ld)
{
	ld->head = ld->canon_head = ld->tail = 0;
	ld->lnext = false;
	memset(ld->line_end, 0, sizeof(ld->line_end));
	memset(ld->eof_mark, 0, sizeof(ld->eof_mark));
}

static bool canonical(const struct ldisc *ld)
{
	return lflag(ld, ICANON);
}

/*
 * Room for one more byte? Canonical mode keeps the last slot for a line
 * terminator, so that a full line can always be ended (as Linux does).
 */
static bool has_room(const struct ldisc *ld, bool terminator)
{
	size_t limit = LDISC_BUF_SIZE;

	if (canonical(ld) && !terminator)
		limit--;
	return ring_count(ld) < limit;
}

/* Whether a read (or, with @poll, poll()) would find input now. */
static bool input_ready(const struct ldisc *ld, bool poll)
{
	size_t amt = 1;

	if (canonical(ld))
		return ld->canon_head != ld->tail;
	if (poll && !ld->termios.c_cc[VTIME] && ld->termios.c_cc[VMIN])
		amt = ld->termios.c_cc[VMIN];
	return ring_count(ld) >= amt;
}

/* --- receiving: line editing -------------------------------------------- */

static void start_output(struct ldisc *ld)
{
	ld->stopped = false;
	wait_queue_wake_all(&ld->write_wait);
}

/* Complete the edited line with @c (a VEOF mark if @eof). */
static void end_line(struct ldisc *ld, uint8_t c, bool eof)
{
	ring_put(ld, c);
	bit_set(ld->line_end, ld->head - 1);
	if (eof)
		bit_set(ld->eof_mark, ld->head - 1);
	ld->canon_head = ld->head;
}

/* Back up over an erased tab: as many columns as the tab took. */
static void erase_tab(struct ldisc *ld, struct obuf *o)
{
	unsigned cols = 0, n;
	bool after_tab = false;

	for (size_t t = ld->head; t != ld->canon_head;) {
		uint8_t c = ld->buf[ring_idx(--t)];

		if (c == '\t') {
			after_tab = true;
			break;
		}
		if (is_ctrl(c))
			cols += lflag(ld, ECHOCTL) ? 2 : 0;
		else if (!is_cont(ld, c))
			cols++;
	}
	if (!after_tab)
		cols += ld->canon_column;
	for (n = 8 - (cols & 7); n; n--) {
		obuf_put(o, '\b');
		if (ld->column)
			ld->column--;
	}
}

enum erase_kind { ERASE_CHAR, ERASE_WORD, ERASE_LINE };

/* Show that @c (just removed from the line) is gone. */
static void echo_erased(struct ldisc *ld, struct obuf *o, uint8_t c, enum erase_kind kind)
{
	if (kind == ERASE_CHAR && !lflag(ld, ECHOE)) {
		echo_char(ld, o, ld->termios.c_cc[VERASE]);
	} else if (c == '\t') {
		erase_tab(ld, o);
	} else {
		if (is_ctrl(c) && lflag(ld, ECHOCTL))
			echo_str(ld, o, "\b \b");	/* the ^ of ^X */
		if (!is_ctrl(c) || lflag(ld, ECHOCTL))
			echo_str(ld, o, "\b \b");
	}
}

/* VKILL without visual erase: drop the line, echo ^U (and a newline). */
static bool kill_line_plain(struct ldisc *ld, struct obuf *o, uint8_t c)
{
	if (!lflag(ld, ECHO)) {
		ld->head = ld->canon_head;
		return true;
	}
	if (lflag(ld, ECHOK) && lflag(ld, ECHOKE) && lflag(ld, ECHOE))
		return false;
	ld->head = ld->canon_head;
	echo_char(ld, o, c);
	if (lflag(ld, ECHOK))
		echo_raw(ld, o, '\n');
	return true;
}

/* VERASE, VWERASE and VKILL on the line being edited. */
static void erase(struct ldisc *ld, struct obuf *o, uint8_t c)
{
	enum erase_kind kind = ERASE_LINE;
	bool seen_word = false;

	if (ld->head == ld->canon_head)
		return;
	if (is_cc(ld, c, VERASE))
		kind = ERASE_CHAR;
	else if (is_cc(ld, c, VWERASE))
		kind = ERASE_WORD;
	else if (kill_line_plain(ld, o, c))
		return;

	while (ld->head != ld->canon_head) {
		size_t h = ld->head;
		uint8_t ch;

		do /* a whole UTF-8 character at a time */
			ch = ld->buf[ring_idx(--h)];
		while (is_cont(ld, ch) && h != ld->canon_head);
		if (is_cont(ld, ch))
			break;
		if (kind == ERASE_WORD) {
			if (is_word_char(ch))
				seen_word = true;
			else if (seen_word)
				break;
		}
		ld->head = h;
		if (lflag(ld, ECHO))
			echo_erased(ld, o, ch, kind);
		if (kind == ERASE_CHAR)
			break;
	}
}

/* VREPRINT: ^R, a new line, and the line being edited again. */
static void reprint(struct ldisc *ld, struct obuf *o, uint8_t c)
{
	echo_char(ld, o, c);
	echo_raw(ld, o, '\n');
	ld->canon_column = ld->column;
	for (size_t t = ld->canon_head; t != ld->head; t++)
		echo_char(ld, o, ld->buf[ring_idx(t)]);
}

/* A line terminator: '\n', VEOF (@eof) or VEOL/VEOL2. */
static void receive_terminator(struct ldisc *ld, struct obuf *o, uint8_t c, bool eof)
{
	if (!has_room(ld, true)) {
		if (lflag(ld, ECHO))
			echo_raw(ld, o, '\a');
		return;
	}
	if (c == '\n') {
		if (lflag(ld, ECHO) || lflag(ld, ECHONL))
			echo_raw(ld, o, '\n');
	} else if (!eof && lflag(ld, ECHO)) {
		if (ld->canon_head == ld->head)
			ld->canon_column = ld->column;
		echo_char(ld, o, c);
	}
	end_line(ld, eof ? 0 : c, eof);
}

/* The characters with a meaning in canonical mode. Return: consumed. */
static bool receive_canon_special(struct ldisc *ld, struct obuf *o, uint8_t c)
{
	bool iexten = lflag(ld, IEXTEN);

	if (is_cc(ld, c, VERASE) || is_cc(ld, c, VKILL) || (iexten && is_cc(ld, c, VWERASE))) {
		erase(ld, o, c);
	} else if (iexten && is_cc(ld, c, VLNEXT)) {
		ld->lnext = true;
		if (lflag(ld, ECHO) && lflag(ld, ECHOCTL))
			echo_str(ld, o, "^\b");
	} else if (iexten && lflag(ld, ECHO) && is_cc(ld, c, VREPRINT)) {
		reprint(ld, o, c);
	} else if (c == '\n') {
		receive_terminator(ld, o, c, false);
	} else if (is_cc(ld, c, VEOF)) {
		receive_terminator(ld, o, c, true);
	} else if (is_cc(ld, c, VEOL) || (iexten && is_cc(ld, c, VEOL2))) {
		receive_terminator(ld, o, c, false);
	} else {
		return false;
	}
	return true;
}

/* An ordinary byte: echo it and queue it. */
static void receive_plain(struct ldisc *ld, struct obuf *o, uint8_t c)
{
	if (!has_room(ld, false)) {
		if (canonical(ld) && lflag(ld, ECHO))
			echo_raw(ld, o, '\a');
		return;
	}
	if (lflag(ld, ECHO)) {
		if (c == '\n') {
			echo_raw(ld, o, c);
		} else {
			if (ld->canon_head == ld->head)
				ld->canon_column = ld->column;
			echo_char(ld, o, c);
		}
	}
	ring_put(ld, c);
}

/* VINTR, VQUIT, VSUSP under ISIG. Return: consumed. */
static bool receive_signal_char(struct ldisc *ld, struct obuf *o, uint8_t c)
{
	int sig;

	if (is_cc(ld, c, VINTR))
		sig = SIGINT;
	else if (is_cc(ld, c, VQUIT))
		sig = SIGQUIT;
	else if (is_cc(ld, c, VSUSP))
		sig = SIGTSTP;
	else
		return false;
	if (!lflag(ld, NOFLSH))
		reset_input(ld);
	if (iflag(ld, IXON))
		start_output(ld);
	if (lflag(ld, ECHO))
		echo_char(ld, o, c);
	obuf_flush(o);
	ld->ops->signal(ld->owner, sig);
	return true;
}

/* VSTART/VSTOP under IXON. Return: consumed. */
static bool receive_flow_char(struct ldisc *ld, uint8_t c)
{
	if (is_cc(ld, c, VSTART)) {
		start_output(ld);
		return true;
	}
	if (is_cc(ld, c, VSTOP)) {
		ld->stopped = true;
		return true;
	}
	return false;
}

static void receive_char(struct ldisc *ld, struct obuf *o, uint8_t c)
{
	if (iflag(ld, ISTRIP))
		c &= 0x7f;
	if (ld->lnext) {
		ld->lnext = false;
		receive_plain(ld, o, c);
		return;
	}
	if (iflag(ld, IXON) && receive_flow_char(ld, c))
		return;
	if (lflag(ld, ISIG) && receive_signal_char(ld, o, c))
		return;
	if (ld->stopped && iflag(ld, IXON) && iflag(ld, IXANY))
		start_output(ld);
	if (c == '\r') {
		if (iflag(ld, IGNCR))
			return;
		if (iflag(ld, ICRNL))
			c = '\n';
	} else if (c == '\n' && iflag(ld, INLCR)) {
		c = '\r';
	}
	if (canonical(ld) && receive_canon_special(ld, o, c))
		return;
	receive_plain(ld, o, c);
}

/* --- public interface --------------------------------------------------- */

void ldisc_init(struct ldisc *ld, const struct ldisc_ops *ops, void *owner)
{
	static const uint8_t cc[LINUX_NCCS] = {
		[VINTR] = 003, [VQUIT] = 034, [VERASE] = 0177, [VKILL] = 025,
		[VEOF] = 004, [VTIME] = 0, [VMIN] = 1, [VSTART] = 021,
		[VSTOP] = 023, [VSUSP] = 032, [VREPRINT] = 022, [VDISCARD] = 017,
		[VWERASE] = 027, [VLNEXT] = 026,
	};

	memset(ld, 0, sizeof(*ld));
	ld->ops = ops;
	ld->owner = owner;
	ld->termios.c_iflag = ICRNL | IXON;
	ld->termios.c_oflag = OPOST | ONLCR;
	ld->termios.c_cflag = B38400 | CS8 | CREAD | HUPCL;
	ld->termios.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN;
	memcpy(ld->termios.c_cc, cc, sizeof(cc));
	wait_queue_init(&ld->read_wait);
	wait_queue_init(&ld->write_wait);
}

void ldisc_receive(struct ldisc *ld, const char *buf, size_t n)
{
	struct obuf o = { .ld = ld, .n = 0 };
	unsigned long flags = irq_save();

	for (size_t i = 0; i < n; i++)
		receive_char(ld, &o, (uint8_t)buf[i]);
	obuf_flush(&o);
	if (input_ready(ld, false))
		wait_queue_wake_all(&ld->read_wait);
	irq_restore(flags);
}

/* Canonical mode: copy (part of) the first complete line. */
static size_t read_line(struct ldisc *ld, char *buf, size_t n)
{
	size_t end = ld->tail, len, m;
	bool eof = false, whole;

	while (end != ld->canon_head && !bit_test(ld->line_end, end))
		end++;
	len = end - ld->tail;
	if (end != ld->canon_head) {
		eof = bit_test(ld->eof_mark, end);
		if (!eof)
			len++;		/* the terminator is data */
	}
	m = MIN(n, len);
	whole = m == len;
	ring_take(ld, buf, m);
	if (whole && eof)
		ld->tail++;		/* the VEOF mark is never returned */
	if (whole && end != ld->canon_head) {
		bit_clear(ld->line_end, end);
		bit_clear(ld->eof_mark, end);
	}
	return m;
}

/*
 * Sleep until input is ready, @deadline passes or the task is kicked.
 * Return: 0 (check again), -ETIMEDOUT, -EINTR.
 */
static int wait_input(struct ldisc *ld, uint64_t deadline)
{
	unsigned long flags = irq_save();
	uint64_t ns = 0;
	int r = 0;

	if (!input_ready(ld, false)) {
		if (deadline != NO_DEADLINE) {
			uint64_t now = clock_monotonic_ns();
			if (now >= deadline) {
				irq_restore(flags);
				return -ETIMEDOUT;
			}
			ns = deadline - now;
		}
		r = wait_queue_sleep(&ld->read_wait, flags, ns, true);
	}
	irq_restore(flags);
	return r;
}

/*
 * Non-canonical reads follow Linux's n_tty_read(): with VMIN > 0 wait
 * without limit for the first byte, then until VMIN bytes, restarting a
 * VTIME timer (if set) whenever bytes arrive; with VMIN == 0 wait at most
 * VTIME for any byte (VTIME == 0: do not wait at all).
 */
ssize_t ldisc_read(struct ldisc *ld, char *buf, size_t n, bool nonblock)
{
	uint64_t deadline = NO_DEADLINE, inter_byte = 0;
	size_t got = 0, minimum = 0;
	unsigned long flags;
	ssize_t err = 0;

	if (!n)
		return 0;
	flags = irq_save();
	if (!canonical(ld)) {
		uint64_t vtime = ld->termios.c_cc[VTIME] * NSEC_PER_DECISEC;

		minimum = ld->termios.c_cc[VMIN];
		if (minimum) {
			inter_byte = vtime;
		} else {
			minimum = 1;
			deadline = clock_monotonic_ns() + vtime;
		}
	}
	irq_restore(flags);

	while (got < n) {
		bool done;

		flags = irq_save();
		if (!input_ready(ld, false)) {
			irq_restore(flags);
			if (deadline != NO_DEADLINE && clock_monotonic_ns() >= deadline)
				break;
			if (nonblock) {
				err = -EAGAIN;
				break;
			}
			if (wait_input(ld, deadline) == -EINTR) {
				err = -EINTR;
				break;
			}
			continue;
		}
		if (canonical(ld)) {
			got += read_line(ld, buf + got, n - got);
			done = true;
		} else {
			size_t m = MIN(n - got, ring_count(ld));

			ring_take(ld, buf + got, m);
			got += m;
			done = got >= minimum;
		}
		irq_restore(flags);
		if (done)
			break;
		if (inter_byte)
			deadline = clock_monotonic_ns() + inter_byte;
	}
	return got ? (ssize_t)got : err;
}

ssize_t ldisc_write(struct ldisc *ld, const char *buf, size_t n, bool nonblock)
{
	size_t done = 0;

	while (done < n) {
		struct obuf o = { .ld = ld, .n = 0 };
		unsigned long flags = irq_save();

		if (ld->stopped) {
			int r = nonblock ? -EAGAIN :
				wait_queue_sleep(&ld->write_wait, flags, 0, true);

			irq_restore(flags);
			if (r)
				return done ? (ssize_t)done : r;
			continue;
		}
		while (done < n && o.n + OPOST_MAX <= sizeof(o.b))
			opost_char(ld, &o, (uint8_t)buf[done++]);
		obuf_flush(&o);
		irq_restore(flags);
	}
	return (ssize_t)done;
}

void ldisc_get_termios(struct ldisc *ld, struct linux_termios *t)
{
	unsigned long flags = irq_save();

	*t = ld->termios;
	irq_restore(flags);
}

/* After ICANON changed: re-divide the buffer as the new mode sees it. */
static void switch_mode(struct ldisc *ld)
{
	memset(ld->line_end, 0, sizeof(ld->line_end));
	memset(ld->eof_mark, 0, sizeof(ld->eof_mark));
	ld->lnext = false;
	if (canonical(ld) && ring_count(ld))
		bit_set(ld->line_end, ld->head - 1);	/* all of it is one line */
	ld->canon_head = ld->head;
}

void ldisc_set_termios(struct ldisc *ld, const struct linux_termios *t, bool flush_input)
{
	unsigned long flags = irq_save();
	uint32_t old_lflag = ld->termios.c_lflag;

	ld->termios = *t;
	if (flush_input)
		reset_input(ld);
	if ((old_lflag ^ t->c_lflag) & ICANON)
		switch_mode(ld);
	if (ld->stopped && !iflag(ld, IXON))
		start_output(ld);
	wait_queue_wake_all(&ld->read_wait);
	irq_restore(flags);
}

void ldisc_flush_input(struct ldisc *ld)
{
	unsigned long flags = irq_save();

	reset_input(ld);
	irq_restore(flags);
}

size_t ldisc_inq(struct ldisc *ld)
{
	unsigned long flags = irq_save();
	size_t n = ring_count(ld);

	if (canonical(ld)) {
		n = ld->canon_head - ld->tail;
		for (size_t t = ld->tail; t != ld->canon_head; t++)
			if (bit_test(ld->eof_mark, t))
				n--;
	}
	irq_restore(flags);
	return n;
}

bool ldisc_readable(struct ldisc *ld)
{
	unsigned long flags = irq_save();
	bool r = input_ready(ld, true);

	irq_restore(flags);
	return r;
}

bool ldisc_writable(struct ldisc *ld)
{
	return !ld->stopped;
}

void ldisc_get_winsize(struct ldisc *ld, struct linux_winsize *ws)
{
	unsigned long flags = irq_save();

	*ws = ld->winsize;
	irq_restore(flags);
}

void ldisc_set_winsize(struct ldisc *ld, const struct linux_winsize *ws)
{
	unsigned long flags = irq_save();
	bool changed = memcmp(&ld->winsize, ws, sizeof(*ws)) != 0;

	ld->winsize = *ws;
	if (changed)
		ld->ops->signal(ld->owner, SIGWINCH);
	irq_restore(flags);
}
