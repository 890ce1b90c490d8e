/*
 * KTESTs for the TTY line discipline. No device is involved: the echo and
 * the signals the ldisc produces are captured in buffers and compared with
 * what Linux's N_TTY produces for the same input (byte for byte).
 */
#include <jinux/errno.h>
#include <jinux/ktest.h>
#include <jinux/log.h>
#include <jinux/string.h>
#include <jinux/sync.h>
#include <jinux/task.h>
#include <jinux/time.h>
#include <jinux/types.h>
#include <kernel/tty.h>
#include <uapi/signal.h>

/* What the ldisc sent to the "device" and to the "process group". */
struct capture {
	char out[8192];
	size_t nout;
	int sigs[16];
	int nsigs;
};

static struct capture cap;
static struct ldisc tld;

static void cap_output(void *owner, const char *buf, size_t n)
{
	struct capture *c = owner;
	size_t m = MIN(n, sizeof(c->out) - c->nout);

	memcpy(c->out + c->nout, buf, m);
	c->nout += m;
}

static void cap_signal(void *owner, int sig)
{
	struct capture *c = owner;

	if (c->nsigs < (int)ARRAY_SIZE(c->sigs))
		c->sigs[c->nsigs++] = sig;
}

static const struct ldisc_ops cap_ops = { .output = cap_output, .signal = cap_signal };

/* A freshly initialised ldisc with empty captures. */
static struct ldisc *fresh(void)
{
	memset(&cap, 0, sizeof(cap));
	ldisc_init(&tld, &cap_ops, &cap);
	return &tld;
}

static void feed(struct ldisc *ld, const char *s)
{
	ldisc_receive(ld, s, strlen(s));
}

static void out_clear(void)
{
	cap.nout = 0;
}

/* Whether the captured output is exactly @want; logs it when not. */
static bool out_is(const char *want)
{
	char shown[256];
	size_t k = 0;

	if (cap.nout == strlen(want) && !memcmp(cap.out, want, cap.nout))
		return true;
	for (size_t i = 0; i < cap.nout && k + 5 < sizeof(shown); i++) {
		uint8_t c = (uint8_t)cap.out[i];

		if (c >= 0x20 && c < 0x7f)
			shown[k++] = (char)c;
		else
			k += (size_t)ksnprintf(shown + k, sizeof(shown) - k, "\\x%02x", c);
	}
	shown[k] = '\0';
	pr_err("tty test: output was \"%s\" (%zu bytes)\n", shown, cap.nout);
	return false;
}

/* Read into @buf (NUL-terminated) without blocking. */
static ssize_t read_nb(struct ldisc *ld, char *buf, size_t n)
{
	ssize_t r = ldisc_read(ld, buf, n - 1, true);

	buf[r > 0 ? r : 0] = '\0';
	return r;
}

static void set_lflag(struct ldisc *ld, uint32_t set, uint32_t clear)
{
	struct linux_termios t;

	ldisc_get_termios(ld, &t);
	t.c_lflag = (t.c_lflag | set) & ~clear;
	ldisc_set_termios(ld, &t, false);
}

/* Non-canonical, no echo, with the given VMIN and VTIME. */
static void set_raw(struct ldisc *ld, uint8_t vmin, uint8_t vtime)
{
	struct linux_termios t;

	ldisc_get_termios(ld, &t);
	t.c_lflag &= ~(ICANON | ECHO);
	t.c_cc[VMIN] = vmin;
	t.c_cc[VTIME] = vtime;
	ldisc_set_termios(ld, &t, false);
}

/* --- defaults and cooked lines ------------------------------------------ */

KTEST(tty_defaults_match_linux)
{
	struct ldisc *ld = fresh();
	struct linux_termios t;
	static const uint8_t cc[17] = "\003\034\177\025\004\0\1\0\021\023\032\0\022\017\027\026\0";

	ldisc_get_termios(ld, &t);
	KASSERT_EQ(t.c_iflag, ICRNL | IXON);
	KASSERT_EQ(t.c_oflag, OPOST | ONLCR);
	KASSERT_EQ(t.c_cflag, B38400 | CS8 | CREAD | HUPCL);
	KASSERT_EQ(t.c_lflag, ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN);
	KASSERT(!memcmp(t.c_cc, cc, sizeof(cc)));
	KASSERT_EQ(sizeof(struct linux_termios), 36);
}

KTEST(tty_cooked_line_is_echoed_and_read_whole)
{
	struct ldisc *ld = fresh();
	char buf[64];

	feed(ld, "hello");
	KASSERT(out_is("hello"));
	KASSERT_EQ(read_nb(ld, buf, sizeof(buf)), -EAGAIN);
	KASSERT(!ldisc_readable(ld));
	feed(ld, "\n");
	KASSERT(out_is("hello\r\n"));
	KASSERT(ldisc_readable(ld));
	KASSERT_EQ(ldisc_inq(ld), 6);
	KASSERT_EQ(read_nb(ld, buf, sizeof(buf)), 6);
	KASSERT(!strcmp(buf, "hello\n"));
	KASSERT_EQ(cap.nsigs, 0);
}

KTEST(tty_canonical_read_returns_one_line_at_a_time)
{
	struct ldisc *ld = fresh();
	char buf[64];

	feed(ld, "a\nbc\nde");
	KASSERT_EQ(read_nb(ld, buf, sizeof(buf)), 2);
	KASSERT(!strcmp(buf, "a\n"));
	KASSERT_EQ(read_nb(ld, buf, sizeof(buf)), 3);
	KASSERT(!strcmp(buf, "bc\n"));
	KASSERT_EQ(read_nb(ld, buf, sizeof(buf)), -EAGAIN);
}

KTEST(tty_short_read_leaves_rest_of_line)
{
	struct ldisc *ld = fresh();
	char buf[64];

	feed(ld, "hello\n");
	KASSERT_EQ(read_nb(ld, buf, 4), 3);
	KASSERT(!strcmp(buf, "hel"));
	KASSERT_EQ(ldisc_inq(ld), 3);
	KASSERT_EQ(read_nb(ld, buf, sizeof(buf)), 3);
	KASSERT(!strcmp(buf, "lo\n"));
}

KTEST(tty_echo_off_echoes_nothing_but_echonl_echoes_newline)
{
	struct ldisc *ld = fresh();
	char buf[64];

	set_lflag(ld, 0, ECHO);
	feed(ld, "secret\n");
	KASSERT(out_is(""));
	KASSERT_EQ(read_nb(ld, buf, sizeof(buf)), 7);
	set_lflag(ld, ECHONL, 0);
	feed(ld, "pw\n");
	KASSERT(out_is("\r\n"));
}

/* --- erase, word erase, kill, reprint ------------------------------------ */

KTEST(tty_erase_echoes_backspace_space_backspace)
{
	struct ldisc *ld = fresh();
	char buf[64];

	feed(ld, "\x7f");		/* nothing to erase: no echo */
	KASSERT(out_is(""));
	feed(ld, "ab\x7f");
	KASSERT(out_is("ab\b \b"));
	feed(ld, "c\n");
	KASSERT_EQ(read_nb(ld, buf, sizeof(buf)), 3);
	KASSERT(!strcmp(buf, "ac\n"));
}

KTEST(tty_erase_without_echoe_echoes_the_erase_char)
{
	struct ldisc *ld = fresh();

	set_lflag(ld, 0, ECHOE);
	feed(ld, "ab\x7f");
	KASSERT(out_is("ab^?"));
}

KTEST(tty_erase_of_control_char_removes_two_columns)
{
	struct ldisc *ld = fresh();

	feed(ld, "a\x01\x7f");
	KASSERT(out_is("a^A\b \b\b \b"));
}

KTEST(tty_erase_of_tab_backs_up_to_where_it_started)
{
	struct ldisc *ld = fresh();

	feed(ld, "ab\t\x7f");
	KASSERT(out_is("ab\t\b\b\b\b\b\b"));	/* column 8 back to 2 */

	/* After a prompt: the line starts at column 2. */
	ld = fresh();
	KASSERT_EQ(ldisc_write(ld, "$ ", 2, false), 2);
	feed(ld, "ab\t\x7f");
	KASSERT(out_is("$ ab\t\b\b\b\b"));	/* column 8 back to 4 */

	/* A tab after a tab takes a full 8 columns. */
	ld = fresh();
	feed(ld, "\t\t\x7f");
	KASSERT(out_is("\t\t\b\b\b\b\b\b\b\b"));
}

KTEST(tty_utf8_erase_removes_whole_character)
{
	struct ldisc *ld = fresh();
	struct linux_termios t;
	char buf[64];

	ldisc_get_termios(ld, &t);
	t.c_iflag |= IUTF8;
	ldisc_set_termios(ld, &t, false);
	feed(ld, "a\xc3\xa9\x7f\n");	/* a, e-acute, erase */
	KASSERT(out_is("a\xc3\xa9\b \b\r\n"));
	KASSERT_EQ(read_nb(ld, buf, sizeof(buf)), 2);
	KASSERT(!strcmp(buf, "a\n"));
}

KTEST(tty_kill_erases_the_line_visually)
{
	struct ldisc *ld = fresh();
	char buf[64];

	feed(ld, "abc\x15");
	KASSERT(out_is("abc\b \b\b \b\b \b"));
	feed(ld, "x\n");
	KASSERT_EQ(read_nb(ld, buf, sizeof(buf)), 2);
	KASSERT(!strcmp(buf, "x\n"));
}

KTEST(tty_kill_without_echoke_echoes_caret_u_and_newline)
{
	struct ldisc *ld = fresh();
	char buf[64];

	set_lflag(ld, 0, ECHOKE);
	feed(ld, "abc\x15");
	KASSERT(out_is("abc^U\r\n"));
	feed(ld, "d\n");
	KASSERT_EQ(read_nb(ld, buf, sizeof(buf)), 2);
	KASSERT(!strcmp(buf, "d\n"));
}

KTEST(tty_werase_removes_the_last_word)
{
	struct ldisc *ld = fresh();
	char buf[64];

	feed(ld, "foo bar  \x17");
	KASSERT(out_is("foo bar  \b \b\b \b\b \b\b \b\b \b"));
	feed(ld, "\n");
	KASSERT_EQ(read_nb(ld, buf, sizeof(buf)), 5);
	KASSERT(!strcmp(buf, "foo \n"));
}

KTEST(tty_reprint_shows_the_line_again)
{
	struct ldisc *ld = fresh();

	feed(ld, "ab\x12");
	KASSERT(out_is("ab^R\r\nab"));
}

KTEST(tty_erase_does_not_cross_a_completed_line)
{
	struct ldisc *ld = fresh();
	char buf[64];

	feed(ld, "a\n\x7f\x15");
	KASSERT(out_is("a\r\n"));
	KASSERT_EQ(read_nb(ld, buf, sizeof(buf)), 2);
}

/* --- signals ------------------------------------------------------------- */

KTEST(tty_ctrl_c_sends_sigint_and_flushes_input)
{
	struct ldisc *ld = fresh();
	char buf[64];

	feed(ld, "done\nabc\x03");
	KASSERT(out_is("done\r\nabc^C"));
	KASSERT_EQ(cap.nsigs, 1);
	KASSERT_EQ(cap.sigs[0], SIGINT);
	KASSERT_EQ(ldisc_inq(ld), 0);
	KASSERT_EQ(read_nb(ld, buf, sizeof(buf)), -EAGAIN);
	feed(ld, "x\n");
	KASSERT_EQ(read_nb(ld, buf, sizeof(buf)), 2);
	KASSERT(!strcmp(buf, "x\n"));
}

KTEST(tty_ctrl_z_sends_sigtstp)
{
	struct ldisc *ld = fresh();

	feed(ld, "\x1a");
	KASSERT(out_is("^Z"));
	KASSERT_EQ(cap.nsigs, 1);
	KASSERT_EQ(cap.sigs[0], SIGTSTP);
}

KTEST(tty_ctrl_backslash_sends_sigquit)
{
	struct ldisc *ld = fresh();

	feed(ld, "\x1c");
	KASSERT(out_is("^\\"));
	KASSERT_EQ(cap.nsigs, 1);
	KASSERT_EQ(cap.sigs[0], SIGQUIT);
}

KTEST(tty_noflsh_keeps_input_on_signal)
{
	struct ldisc *ld = fresh();
	char buf[64];

	set_lflag(ld, NOFLSH, 0);
	feed(ld, "ab\x03" "c\n");
	KASSERT_EQ(cap.nsigs, 1);
	KASSERT_EQ(read_nb(ld, buf, sizeof(buf)), 4);
	KASSERT(!strcmp(buf, "abc\n"));
}

KTEST(tty_signals_work_in_raw_mode_too)
{
	struct ldisc *ld = fresh();

	set_raw(ld, 1, 0);
	feed(ld, "\x03");
	KASSERT_EQ(cap.nsigs, 1);
	KASSERT_EQ(cap.sigs[0], SIGINT);
}

KTEST(tty_isig_off_makes_ctrl_c_a_normal_byte)
{
	struct ldisc *ld = fresh();
	char buf[64];

	set_lflag(ld, 0, ISIG);
	feed(ld, "a\x03\n");
	KASSERT_EQ(cap.nsigs, 0);
	KASSERT(out_is("a^C\r\n"));
	KASSERT_EQ(read_nb(ld, buf, sizeof(buf)), 3);
	KASSERT(!memcmp(buf, "a\x03\n", 3));
}

KTEST(tty_winsize_change_sends_sigwinch)
{
	struct ldisc *ld = fresh();
	struct linux_winsize ws = { 24, 80, 0, 0 }, got;

	ldisc_set_winsize(ld, &ws);
	ldisc_get_winsize(ld, &got);
	KASSERT_EQ(got.ws_row, 24);
	KASSERT_EQ(got.ws_col, 80);
	KASSERT_EQ(cap.nsigs, 1);
	KASSERT_EQ(cap.sigs[0], SIGWINCH);
	ldisc_set_winsize(ld, &ws);		/* unchanged: no signal */
	KASSERT_EQ(cap.nsigs, 1);
}

/* --- end of file and input translation ----------------------------------- */

KTEST(tty_eof_at_line_start_reads_zero)
{
	struct ldisc *ld = fresh();
	char buf[64];

	feed(ld, "\x04");
	KASSERT(out_is(""));
	KASSERT(ldisc_readable(ld));
	KASSERT_EQ(ldisc_inq(ld), 0);
	KASSERT_EQ(read_nb(ld, buf, sizeof(buf)), 0);
	KASSERT_EQ(read_nb(ld, buf, sizeof(buf)), -EAGAIN);
	feed(ld, "x\n");
	KASSERT_EQ(read_nb(ld, buf, sizeof(buf)), 2);
	KASSERT(!strcmp(buf, "x\n"));
}

KTEST(tty_eof_mid_line_returns_the_partial_line)
{
	struct ldisc *ld = fresh();
	char buf[64];

	feed(ld, "ab\x04");
	KASSERT(out_is("ab"));
	KASSERT_EQ(ldisc_inq(ld), 2);
	KASSERT_EQ(read_nb(ld, buf, sizeof(buf)), 2);
	KASSERT(!strcmp(buf, "ab"));
	KASSERT_EQ(read_nb(ld, buf, sizeof(buf)), -EAGAIN);
	/* A buffer of exactly the line's size also consumes the mark. */
	feed(ld, "cd\x04");
	KASSERT_EQ(read_nb(ld, buf, 3), 2);
	KASSERT_EQ(read_nb(ld, buf, sizeof(buf)), -EAGAIN);
}

KTEST(tty_veol_ends_a_line_and_is_returned)
{
	struct ldisc *ld = fresh();
	struct linux_termios t;
	char buf[64];

	ldisc_get_termios(ld, &t);
	t.c_cc[VEOL] = ';';
	ldisc_set_termios(ld, &t, false);
	feed(ld, "ab;");
	KASSERT(out_is("ab;"));
	KASSERT_EQ(read_nb(ld, buf, sizeof(buf)), 3);
	KASSERT(!strcmp(buf, "ab;"));
}

KTEST(tty_icrnl_turns_cr_into_nl)
{
	struct ldisc *ld = fresh();
	struct linux_termios t;
	char buf[64];

	feed(ld, "hi\r");
	KASSERT(out_is("hi\r\n"));
	KASSERT_EQ(read_nb(ld, buf, sizeof(buf)), 3);
	KASSERT(!strcmp(buf, "hi\n"));

	/* Without ICRNL a CR is data and does not end the line. */
	ldisc_get_termios(ld, &t);
	t.c_iflag &= ~ICRNL;
	ldisc_set_termios(ld, &t, false);
	feed(ld, "x\r");
	KASSERT_EQ(read_nb(ld, buf, sizeof(buf)), -EAGAIN);
	feed(ld, "\n");
	KASSERT_EQ(read_nb(ld, buf, sizeof(buf)), 3);
	KASSERT(!strcmp(buf, "x\r\n"));

	/* IGNCR drops it. */
	t.c_iflag |= IGNCR;
	ldisc_set_termios(ld, &t, false);
	feed(ld, "y\r\n");
	KASSERT_EQ(read_nb(ld, buf, sizeof(buf)), 2);
	KASSERT(!strcmp(buf, "y\n"));
}

KTEST(tty_echoctl_shows_control_chars_as_caret)
{
	struct ldisc *ld = fresh();

	feed(ld, "\x01");
	KASSERT(out_is("^A"));
	out_clear();
	set_lflag(ld, 0, ECHOCTL);
	feed(ld, "\x01");
	KASSERT(out_is("\x01"));
}

KTEST(tty_lnext_makes_the_next_char_literal)
{
	struct ldisc *ld = fresh();
	char buf[64];

	feed(ld, "\x16\x03\x16\x7f\n");
	KASSERT_EQ(cap.nsigs, 0);
	KASSERT(out_is("^\b^C^\b^?\r\n"));
	KASSERT_EQ(read_nb(ld, buf, sizeof(buf)), 3);
	KASSERT(!memcmp(buf, "\x03\x7f\n", 3));
}

/* --- output processing --------------------------------------------------- */

KTEST(tty_onlcr_turns_nl_into_crnl_on_output)
{
	struct ldisc *ld = fresh();
	struct linux_termios t;

	KASSERT_EQ(ldisc_write(ld, "a\nb\n", 4, false), 4);
	KASSERT(out_is("a\r\nb\r\n"));
	out_clear();
	ldisc_get_termios(ld, &t);
	t.c_oflag &= ~OPOST;
	ldisc_set_termios(ld, &t, false);
	KASSERT_EQ(ldisc_write(ld, "a\n", 2, false), 2);
	KASSERT(out_is("a\n"));
}

KTEST(tty_output_flags_ocrnl_onocr_xtabs)
{
	struct ldisc *ld = fresh();
	struct linux_termios t;

	ldisc_get_termios(ld, &t);
	t.c_oflag = OPOST | ONOCR | XTABS;
	ldisc_set_termios(ld, &t, false);
	ldisc_write(ld, "\rab\tc\r", 6, false);
	KASSERT(out_is("ab      c\r"));	/* CR at column 0 dropped */
	out_clear();
	t.c_oflag = OPOST | OCRNL;
	ldisc_set_termios(ld, &t, false);
	ldisc_write(ld, "x\r", 2, false);
	KASSERT(out_is("x\n"));
}

KTEST(tty_long_write_is_passed_through_whole)
{
	static char big[3000];
	struct ldisc *ld = fresh();

	memset(big, 'z', sizeof(big));
	big[sizeof(big) - 1] = '\n';
	KASSERT_EQ(ldisc_write(ld, big, sizeof(big), false), sizeof(big));
	KASSERT_EQ(cap.nout, sizeof(big) + 1);
	KASSERT(!memcmp(cap.out + sizeof(big) - 1, "\r\n", 2));
}

KTEST(tty_ixon_ctrl_s_stops_output_and_ctrl_q_restarts_it)
{
	struct ldisc *ld = fresh();
	char buf[64];

	feed(ld, "\x13");
	KASSERT(!ldisc_writable(ld));
	KASSERT_EQ(ldisc_write(ld, "x", 1, true), -EAGAIN);
	feed(ld, "\x11");
	KASSERT(ldisc_writable(ld));
	KASSERT_EQ(ldisc_write(ld, "x", 1, true), 1);
	KASSERT(out_is("x"));
	feed(ld, "\n");
	KASSERT_EQ(read_nb(ld, buf, sizeof(buf)), 1);	/* ^S ^Q are not data */
}

/* --- raw mode: VMIN and VTIME --------------------------------------------- */

KTEST(tty_raw_vmin1_returns_available_bytes_at_once)
{
	struct ldisc *ld = fresh();
	char buf[64];

	set_raw(ld, 1, 0);
	feed(ld, "x");
	KASSERT(out_is(""));
	KASSERT_EQ(ldisc_read(ld, buf, sizeof(buf), false), 1);
	KASSERT_EQ(buf[0], 'x');
	feed(ld, "\x7f\x15\n");		/* editing characters are plain data */
	KASSERT_EQ(ldisc_read(ld, buf, sizeof(buf), false), 3);
	KASSERT(!memcmp(buf, "\x7f\x15\n", 3));
}

KTEST(tty_raw_vmin0_vtime0_polls_and_returns_zero)
{
	struct ldisc *ld = fresh();
	char buf[64];

	set_raw(ld, 0, 0);
	KASSERT_EQ(ldisc_read(ld, buf, sizeof(buf), false), 0);
	KASSERT_EQ(ldisc_read(ld, buf, sizeof(buf), true), 0);
	feed(ld, "ab");
	KASSERT_EQ(ldisc_read(ld, buf, sizeof(buf), false), 2);
}

KTEST(tty_raw_vtime_times_out_with_zero)
{
	struct ldisc *ld = fresh();
	char buf[64];
	uint64_t t0, dt;

	set_raw(ld, 0, 1);	/* 100 ms */
	t0 = clock_monotonic_ns();
	KASSERT_EQ(ldisc_read(ld, buf, sizeof(buf), false), 0);
	dt = clock_monotonic_ns() - t0;
	KASSERT(dt >= 100 * NSEC_PER_MSEC);
	KASSERT(dt < 2 * NSEC_PER_SEC);
	feed(ld, "q");		/* data already there: no wait */
	KASSERT_EQ(ldisc_read(ld, buf, sizeof(buf), false), 1);
}

KTEST(tty_raw_vmin_vtime_interbyte_timer_returns_what_came)
{
	struct ldisc *ld = fresh();
	char buf[64];
	uint64_t t0, dt;

	set_raw(ld, 5, 1);
	feed(ld, "ab");
	t0 = clock_monotonic_ns();
	KASSERT_EQ(ldisc_read(ld, buf, sizeof(buf), false), 2);
	dt = clock_monotonic_ns() - t0;
	KASSERT(dt >= 100 * NSEC_PER_MSEC);
	KASSERT(dt < 2 * NSEC_PER_SEC);
	/* Nonblocking with fewer than VMIN bytes returns what is there. */
	feed(ld, "cd");
	KASSERT_EQ(ldisc_read(ld, buf, sizeof(buf), true), 2);
}

KTEST(tty_raw_mode_echoes_when_echo_is_set)
{
	struct ldisc *ld = fresh();

	set_raw(ld, 1, 0);
	set_lflag(ld, ECHO, 0);
	feed(ld, "a\x01\n");
	KASSERT(out_is("a^A\r\n"));
}

KTEST(tty_nonblocking_read_gives_eagain)
{
	struct ldisc *ld = fresh();
	char buf[64];

	KASSERT_EQ(ldisc_read(ld, buf, sizeof(buf), true), -EAGAIN);
	feed(ld, "partial");
	KASSERT_EQ(ldisc_read(ld, buf, sizeof(buf), true), -EAGAIN);
	set_raw(ld, 1, 0);	/* the partial line becomes readable */
	KASSERT_EQ(ldisc_read(ld, buf, sizeof(buf), true), 7);
	KASSERT_EQ(ldisc_read(ld, buf, sizeof(buf), true), -EAGAIN);
}

/* --- buffer limits and mode switches ------------------------------------- */

KTEST(tty_full_canonical_line_still_takes_newline)
{
	static char big[5000], got[LDISC_BUF_SIZE + 16];
	struct ldisc *ld = fresh();

	set_lflag(ld, 0, ECHO);
	memset(big, 'a', sizeof(big));
	ldisc_receive(ld, big, sizeof(big));
	KASSERT_EQ(ldisc_read(ld, got, sizeof(got), true), -EAGAIN);
	feed(ld, "\n");
	KASSERT_EQ(ldisc_read(ld, got, sizeof(got), true), LDISC_BUF_SIZE);
	KASSERT_EQ(got[LDISC_BUF_SIZE - 2], 'a');
	KASSERT_EQ(got[LDISC_BUF_SIZE - 1], '\n');
	/* With echo, dropped bytes ring the bell. */
	set_lflag(ld, ECHO, 0);
	ldisc_receive(ld, big, sizeof(big));
	KASSERT_EQ(cap.out[cap.nout - 1], '\a');
}

KTEST(tty_raw_mode_keeps_at_most_the_buffer_size)
{
	static char big[5000], got[LDISC_BUF_SIZE + 16];
	struct ldisc *ld = fresh();

	set_raw(ld, 1, 0);
	memset(big, 'b', sizeof(big));
	ldisc_receive(ld, big, sizeof(big));
	KASSERT_EQ(ldisc_inq(ld), LDISC_BUF_SIZE);
	KASSERT_EQ(ldisc_read(ld, got, sizeof(got), true), LDISC_BUF_SIZE);
}

KTEST(tty_ring_wraps_around)
{
	struct ldisc *ld = fresh();
	char line[101], buf[128];

	set_lflag(ld, 0, ECHO);
	memset(line, 'w', 99);
	line[99] = '\n';
	line[100] = '\0';
	for (int i = 0; i < 100; i++) {	/* 10000 bytes through a 4096 ring */
		line[0] = (char)('A' + i % 26);
		feed(ld, line);
		KASSERT_EQ(read_nb(ld, buf, sizeof(buf)), 100);
		KASSERT(!strcmp(buf, line));
	}
}

KTEST(tty_entering_canonical_mode_makes_buffered_bytes_a_line)
{
	struct ldisc *ld = fresh();
	char buf[64];

	set_raw(ld, 1, 0);
	feed(ld, "xy");
	set_lflag(ld, ICANON, 0);
	KASSERT_EQ(read_nb(ld, buf, sizeof(buf)), 2);
	KASSERT(!strcmp(buf, "xy"));
	KASSERT_EQ(read_nb(ld, buf, sizeof(buf)), -EAGAIN);
}

KTEST(tty_tcsetsf_flushes_input)
{
	struct ldisc *ld = fresh();
	struct linux_termios t;
	char buf[64];

	feed(ld, "line\npart");
	ldisc_get_termios(ld, &t);
	ldisc_set_termios(ld, &t, true);
	KASSERT_EQ(ldisc_inq(ld), 0);
	KASSERT_EQ(read_nb(ld, buf, sizeof(buf)), -EAGAIN);
	feed(ld, "more\n");
	ldisc_flush_input(ld);
	KASSERT_EQ(read_nb(ld, buf, sizeof(buf)), -EAGAIN);
}

KTEST(tty_poll_readiness_follows_vmin_when_vtime_is_zero)
{
	struct ldisc *ld = fresh();

	set_raw(ld, 3, 0);
	feed(ld, "ab");
	KASSERT(!ldisc_readable(ld));
	feed(ld, "c");
	KASSERT(ldisc_readable(ld));
}

/* --- blocking --------------------------------------------------------------- */

struct reader {
	struct ldisc *ld;
	char buf[64];
	ssize_t ret;
	volatile bool done;
};

static void reader_task(void *arg)
{
	struct reader *r = arg;

	r->ret = ldisc_read(r->ld, r->buf, sizeof(r->buf) - 1, false);
	r->done = true;
}

/* Give other tasks time to run until @r is done (at most ~2 s). */
static bool wait_done(struct reader *r)
{
	for (int i = 0; i < 2000 && !r->done; i++)
		task_sleep_ns(NSEC_PER_MSEC);
	task_yield();	/* let the finished task be reaped */
	return r->done;
}

KTEST(tty_blocked_reader_is_woken_by_input)
{
	static struct reader r;
	struct ldisc *ld = fresh();

	memset(&r, 0, sizeof(r));
	r.ld = ld;
	KASSERT(task_create("tty_reader", reader_task, &r) != NULL);
	task_sleep_ns(5 * NSEC_PER_MSEC);
	KASSERT(!r.done);		/* blocked: no line yet */
	feed(ld, "hi");
	task_sleep_ns(5 * NSEC_PER_MSEC);
	KASSERT(!r.done);		/* still no complete line */
	feed(ld, "\n");
	KASSERT(wait_done(&r));
	KASSERT_EQ(r.ret, 3);
	KASSERT(!memcmp(r.buf, "hi\n", 3));
}

KTEST(tty_blocked_raw_reader_waits_for_vmin_bytes)
{
	static struct reader r;
	struct ldisc *ld = fresh();

	set_raw(ld, 3, 0);
	memset(&r, 0, sizeof(r));
	r.ld = ld;
	KASSERT(task_create("tty_reader", reader_task, &r) != NULL);
	task_sleep_ns(5 * NSEC_PER_MSEC);
	feed(ld, "a");
	task_sleep_ns(5 * NSEC_PER_MSEC);
	KASSERT(!r.done);		/* 1 of 3 */
	feed(ld, "bc");
	KASSERT(wait_done(&r));
	KASSERT_EQ(r.ret, 3);
	KASSERT(!memcmp(r.buf, "abc", 3));
}

KTEST(tty_eof_wakes_a_blocked_reader_with_zero)
{
	static struct reader r;
	struct ldisc *ld = fresh();

	memset(&r, 0, sizeof(r));
	r.ld = ld;
	r.ret = -1;
	KASSERT(task_create("tty_reader", reader_task, &r) != NULL);
	task_sleep_ns(2 * NSEC_PER_MSEC);
	feed(ld, "\x04");
	KASSERT(wait_done(&r));
	KASSERT_EQ(r.ret, 0);
}

static void kicker(void *arg)
{
	task_kick(arg);
}

KTEST(tty_kicked_reader_gets_eintr)
{
	struct ldisc *ld = fresh();
	char buf[16];

	KASSERT(task_create("tty_kicker", kicker, task_current()) != NULL);
	KASSERT_EQ(ldisc_read(ld, buf, sizeof(buf), false), -EINTR);
	task_test_and_clear_kick_for_tests();
}

struct writer {
	struct ldisc *ld;
	ssize_t ret;
	volatile bool done;
};

static void writer_task(void *arg)
{
	struct writer *w = arg;

	w->ret = ldisc_write(w->ld, "out", 3, false);
	w->done = true;
}

KTEST(tty_stopped_writer_resumes_on_ctrl_q)
{
	static struct writer w;
	struct ldisc *ld = fresh();

	memset(&w, 0, sizeof(w));
	w.ld = ld;
	feed(ld, "\x13");
	KASSERT(task_create("tty_writer", writer_task, &w) != NULL);
	task_sleep_ns(5 * NSEC_PER_MSEC);
	KASSERT(!w.done);
	KASSERT(out_is(""));
	feed(ld, "\x11");
	for (int i = 0; i < 2000 && !w.done; i++)
		task_sleep_ns(NSEC_PER_MSEC);
	task_yield();
	KASSERT(w.done);
	KASSERT_EQ(w.ret, 3);
	KASSERT(out_is("out"));
}
