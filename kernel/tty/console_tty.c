/*
 * The console as a terminal: the file behind descriptors 0-2 of init and
 * behind /dev/console and /dev/tty.
 *
 * When the person at the other end is a terminal (the launcher passes
 * "console=tty" on the command line when its standard input is one), the
 * console is a TTY: input goes through the line discipline (editing,
 * echo, ^C/^Z/^\ to the foreground process group), and the terminal has a
 * session and a foreground process group with Linux's job-control rules
 * (SIGTTIN/SIGTTOU for background groups). Otherwise the console is a
 * plain byte stream, as a pipe would be: no echo, and the terminal ioctls
 * fail with ENOTTY, like a Linux program whose stdin is a pipe sees.
 *
 * A reader task moves input from the core console into the line
 * discipline (or the stream buffer) and wakes pollers. It never exits,
 * so the task count the leak check compares stays constant.
 */
#include <jinux/console.h>
#include <jinux/errno.h>
#include <jinux/heap.h>
#include <jinux/machine.h>
#include <jinux/string.h>
#include <jinux/task.h>
#include <jinux/uaccess.h>
#include <kernel/console_tty.h>
#include <kernel/file.h>
#include <kernel/poll.h>
#include <kernel/process.h>
#include <kernel/signal.h>
#include <kernel/tty.h>
#include <uapi/fcntl.h>
#include <uapi/termios.h>
#include <uapi/termios_flags.h>

#define CHUNK 4096
#define STREAM_BUF 4096 /* a power of two */

static struct {
	bool is_tty;
	bool started;
	bool eof;                 /* the core console reported end of input */
	struct ldisc ld;          /* is_tty: the line discipline */
	int session, pgrp;        /* is_tty: controlling session, foreground group */
	struct poll_head ph;      /* readers, pollers and the reader task */
	size_t head, tail;        /* stream mode: free-running ring indexes */
	char buf[STREAM_BUF];
	struct wait_queue parked; /* where the reader task rests after EOF */
} con = { .ph = POLL_HEAD_INIT, .parked = WAIT_QUEUE_INIT };

static void tty_output(void *owner, const char *buf, size_t n)
{
	(void)owner;
	console_write(buf, n);
}

static void tty_signal(void *owner, int sig)
{
	(void)owner;
	if (con.pgrp > 0) {
		struct ksiginfo info = { .signo = sig, .code = 0x80 /* SI_KERNEL */ };
		signal_send_pgrp(con.pgrp, &info);
	}
}

static const struct ldisc_ops tty_ops = { tty_output, tty_signal };

static void stream_put(const char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++)
		con.buf[con.head++ % STREAM_BUF] = buf[i];
}

static void console_reader(void *arg)
{
	char tmp[256];
	(void)arg;
	for (;;) {
		if (!con.is_tty)
			wait_event(&con.ph.wq, con.head - con.tail < STREAM_BUF);
		size_t room = con.is_tty ? sizeof(tmp)
					 : MIN(sizeof(tmp), STREAM_BUF - (con.head - con.tail));
		ssize_t n = console_read(tmp, room, false);
		if (n == -EINTR || n == -EAGAIN)
			continue;
		unsigned long flags = irq_save();
		if (n <= 0) {
			con.eof = true;
			if (con.is_tty) {
				/* The terminal went away: readers see end of file. */
				char eof = (char)con.ld.termios.c_cc[VEOF];
				ldisc_receive(&con.ld, &eof, 1);
			}
		} else if (con.is_tty) {
			ldisc_receive(&con.ld, tmp, (size_t)n);
		} else {
			stream_put(tmp, (size_t)n);
		}
		irq_restore(flags);
		poll_wake(&con.ph);
		if (n <= 0)
			wait_event(&con.parked, false);
	}
}

static bool cmdline_says_tty(void)
{
	const char *s = boot_cmdline();
	for (const char *w = s; (w = strchr(w, 'c')) != NULL; w++) {
		if ((w == s || w[-1] == ' ') && !strncmp(w, "console=tty", 11) &&
		    (w[11] == ' ' || w[11] == '\0'))
			return true;
		if (!strncmp(w, "-- ", 3))
			break;
	}
	return false;
}

void console_tty_init(void)
{
	if (con.started)
		return;
	con.is_tty = cmdline_says_tty();
	ldisc_init(&con.ld, &tty_ops, NULL);
	struct linux_winsize ws = { 24, 80, 0, 0 };
	console_winsize(&ws.ws_row, &ws.ws_col);
	ldisc_set_winsize(&con.ld, &ws);
	con.started = task_create("console-in", console_reader, NULL) != NULL;
}

void console_tty_set_controlling(int sid, int pgrp)
{
	if (con.is_tty && !con.session) {
		con.session = sid;
		con.pgrp = pgrp;
	}
}

/* ---- job control ---- */

static bool sig_ignored_or_blocked(struct thread *t, int sig)
{
	return t->proc->sighand->action[sig - 1].handler == 1 /* SIG_IGN */ ||
	       (t->sig.blocked & SIGBIT(sig));
}

/*
 * A background process group touching its controlling terminal gets
 * @sig (SIGTTIN for reads, SIGTTOU for writes with TOSTOP and for
 * changing the terminal); if it ignores or blocks it, -EIO for reads
 * and permission for the rest.
 */
static long job_control_check(struct thread *t, int sig)
{
	struct process *p = t->proc;
	if (!con.is_tty || p->sid != con.session || p->pgid == con.pgrp)
		return 0;
	if (sig_ignored_or_blocked(t, sig))
		return sig == SIGTTIN ? -EIO : 0;
	struct ksiginfo info = { .signo = sig, .code = 0x80 };
	signal_send_pgrp(p->pgid, &info);
	return -ERESTARTSYS;
}

/* ---- the file ---- */

static ssize_t stream_read(char *buf, size_t len, bool nonblock)
{
	for (;;) {
		size_t n = 0;
		while (n < len && con.tail != con.head)
			buf[n++] = con.buf[con.tail++ % STREAM_BUF];
		if (n) {
			poll_wake(&con.ph); /* room for the reader task */
			return (ssize_t)n;
		}
		if (con.eof)
			return 0;
		if (nonblock)
			return -EAGAIN;
		if (wait_event_interruptible(&con.ph.wq, con.head != con.tail || con.eof))
			return -ERESTARTSYS;
	}
}

static ssize_t console_file_read(struct file *f, struct thread *t, void __user *buf, size_t len)
{
	char tmp[CHUNK];
	bool nonblock = f->flags & O_NONBLOCK;
	if (!len)
		return 0;
	long err = job_control_check(t, SIGTTIN);
	if (err)
		return err;
	ssize_t n;
	if (con.is_tty) {
		n = ldisc_read(&con.ld, tmp, MIN(len, sizeof(tmp)), nonblock);
		if (n == -EINTR)
			return -ERESTARTSYS;
	} else {
		n = stream_read(tmp, MIN(len, sizeof(tmp)), nonblock);
	}
	if (n > 0 && copy_to_user(t->proc->mm->vs, buf, tmp, (size_t)n))
		return -EFAULT;
	return n;
}

static ssize_t console_file_write(struct file *f, struct thread *t, const void __user *buf,
				  size_t len)
{
	char tmp[CHUNK];
	size_t done = 0;
	if (con.is_tty && (con.ld.termios.c_lflag & TOSTOP)) {
		long err = job_control_check(t, SIGTTOU);
		if (err)
			return err;
	}
	while (done < len) {
		size_t n = MIN(len - done, sizeof(tmp));
		if (copy_from_user(t->proc->mm->vs, tmp, user_ptr(user_addr(buf) + done), n))
			return done ? (ssize_t)done : -EFAULT;
		if (con.is_tty) {
			ssize_t w = ldisc_write(&con.ld, tmp, n, f->flags & O_NONBLOCK);
			if (w < 0)
				return done ? (ssize_t)done : (w == -EINTR ? -ERESTARTSYS : w);
		} else {
			console_write(tmp, n);
		}
		done += n;
	}
	return (ssize_t)done;
}

static unsigned console_file_poll(struct file *f, struct thread *t, struct poll_table *pt)
{
	(void)f, (void)t;
	poll_wait(pt, &con.ph);
	unsigned mask = 0;
	if (con.is_tty) {
		if (ldisc_readable(&con.ld) || con.eof)
			mask |= POLLIN | POLLRDNORM;
		if (ldisc_writable(&con.ld))
			mask |= POLLOUT | POLLWRNORM;
	} else {
		mask |= POLLOUT | POLLWRNORM;
		if (con.head != con.tail || con.eof)
			mask |= POLLIN | POLLRDNORM;
	}
	return mask;
}

static long put_int(struct thread *t, uint64_t uaddr, int v)
{
	return copy_to_user(t->proc->mm->vs, user_ptr(uaddr), &v, sizeof(v)) ? -EFAULT : 0;
}

static long tty_ioctl_jobs(struct thread *t, unsigned cmd, uint64_t arg)
{
	struct process *p = t->proc;
	int v;
	switch (cmd) {
	case TIOCGPGRP:
		if (p->sid != con.session)
			return -ENOTTY;
		return put_int(t, arg, con.pgrp);
	case TIOCGSID:
		if (p->sid != con.session)
			return -ENOTTY;
		return put_int(t, arg, con.session);
	case TIOCSPGRP: {
		if (p->sid != con.session)
			return -ENOTTY;
		long err = job_control_check(t, SIGTTOU);
		if (err)
			return err;
		if (copy_from_user(p->mm->vs, &v, user_ptr(arg), sizeof(v)))
			return -EFAULT;
		if (v < 0)
			return -EINVAL;
		if (!pgrp_exists(v, p->sid))
			return -EPERM;
		con.pgrp = v;
		return 0;
	}
	case TIOCSCTTY:
		if (p->sid != p->pid)
			return -EPERM; /* only a session leader */
		if (con.session == p->sid)
			return 0;
		if (con.session && !(arg == 1 && p->cred.euid == 0))
			return -EPERM;
		con.session = p->sid;
		con.pgrp = p->pgid;
		return 0;
	case TIOCNOTTY:
		if (p->sid != con.session)
			return -ENOTTY;
		if (p->sid == p->pid)
			con.session = con.pgrp = 0;
		return 0;
	default:
		return -ENOTTY;
	}
}

static long console_file_ioctl(struct file *f, struct thread *t, unsigned cmd, uint64_t arg)
{
	(void)f;
	struct vm_space *vs = t->proc->mm->vs;
	if (!con.is_tty)
		return -ENOTTY;
	switch (cmd) {
	case TCGETS: {
		struct linux_termios tio;
		ldisc_get_termios(&con.ld, &tio);
		return copy_to_user(vs, user_ptr(arg), &tio, sizeof(tio)) ? -EFAULT : 0;
	}
	case TCSETS:
	case TCSETSW:
	case TCSETSF: {
		struct linux_termios tio;
		if (copy_from_user(vs, &tio, user_ptr(arg), sizeof(tio)))
			return -EFAULT;
		long err = job_control_check(t, SIGTTOU);
		if (err)
			return err;
		ldisc_set_termios(&con.ld, &tio, cmd == TCSETSF);
		return 0;
	}
	case TIOCGWINSZ: {
		struct linux_winsize ws;
		ldisc_get_winsize(&con.ld, &ws);
		return copy_to_user(vs, user_ptr(arg), &ws, sizeof(ws)) ? -EFAULT : 0;
	}
	case TIOCSWINSZ: {
		struct linux_winsize ws;
		if (copy_from_user(vs, &ws, user_ptr(arg), sizeof(ws)))
			return -EFAULT;
		ldisc_set_winsize(&con.ld, &ws);
		return 0;
	}
	case FIONREAD:
		return put_int(t, arg, (int)ldisc_inq(&con.ld));
	case TCFLSH:
		if (arg > 2)
			return -EINVAL;
		if (arg != 1 /* TCOFLUSH: no output queue to drop */)
			ldisc_flush_input(&con.ld);
		return 0;
	case TCXONC:
		return arg > 3 ? -EINVAL : 0;
	default:
		return tty_ioctl_jobs(t, cmd, arg);
	}
}

static const struct file_ops console_ops = {
	.read = console_file_read,
	.write = console_file_write,
	.ioctl = console_file_ioctl,
	.poll = console_file_poll,
};

struct file *console_file_open(void)
{
	console_tty_init();
	return file_alloc(&console_ops, O_RDWR, NULL);
}
