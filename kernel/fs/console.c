/*
 * The console as a file: what file descriptors 0, 1 and 2 of the first
 * process refer to. Answers the terminal ioctls programs ask at start-up
 * (TCGETS, TIOCGWINSZ) with a fixed cooked-mode termios; the line
 * discipline itself comes with the TTY issue.
 *
 * poll(2): the core's console API has no readiness query, so the first
 * poll of a console file starts a reader task that moves input into a
 * buffer here (console_read() blocks that task, not the poller) and
 * wakes the console's poll_head. From then on reads take from that
 * buffer. The TTY work will replace this with its line discipline's
 * input buffer, fed the same way.
 */
#include <jinux/console.h>
#include <jinux/errno.h>
#include <jinux/heap.h>
#include <jinux/string.h>
#include <jinux/uaccess.h>
#include <jinux/task.h>
#include <kernel/file.h>
#include <kernel/poll.h>
#include <kernel/process.h>
#include <uapi/fcntl.h>
#include <uapi/termios.h>

#define CHUNK 4096

#define INBUF 4096  /* a power of two */

/* Input moved by the reader task, once something polled the console. */
static struct {
	bool started;
	bool eof;             /* console_read() said end of input */
	size_t head, tail;    /* free-running */
	char buf[INBUF];
	struct poll_head ph;  /* readers, pollers and the reader task */
} in = { .ph = POLL_HEAD_INIT };

static size_t in_take(char *buf, size_t len)
{
	size_t n = 0;
	while (n < len && in.tail != in.head)
		buf[n++] = in.buf[in.tail++ % INBUF];
	return n;
}

static void console_reader(void *arg)
{
	char tmp[256];
	(void)arg;
	for (;;) {
		wait_event(&in.ph.wq, in.head - in.tail < INBUF);
		size_t room = INBUF - (in.head - in.tail);
		ssize_t n = console_read(tmp, MIN(room, sizeof(tmp)), false);
		if (n == -EINTR || n == -EAGAIN)
			continue;
		if (n <= 0) {
			in.eof = true;
			poll_wake(&in.ph);
			return;
		}
		for (ssize_t i = 0; i < n; i++)
			in.buf[in.head++ % INBUF] = tmp[i];
		poll_wake(&in.ph);
	}
}

/* Read from the reader task's buffer (after the first poll). */
static ssize_t buffered_read(char *buf, size_t len, bool nonblock)
{
	for (;;) {
		size_t n = in_take(buf, len);
		if (n) {
			poll_wake(&in.ph);  /* room for the reader task */
			return (ssize_t)n;
		}
		if (in.eof)
			return 0;
		if (nonblock)
			return -EAGAIN;
		if (wait_event_interruptible(&in.ph.wq, in.head != in.tail || in.eof))
			return -ERESTARTSYS;
	}
}

static ssize_t console_file_read(struct file *f, struct thread *t, void __user *buf, size_t len)
{
	char tmp[CHUNK];
	bool nonblock = f->flags & O_NONBLOCK;
	ssize_t n;
	if (!len)
		return 0;
	if (in.started)
		n = buffered_read(tmp, MIN(len, sizeof(tmp)), nonblock);
	else
		n = console_read(tmp, MIN(len, sizeof(tmp)), nonblock);
	if (n == -EINTR)
		return -ERESTARTSYS;
	if (n > 0 && copy_to_user(t->proc->mm->vs, buf, tmp, (size_t)n))
		return -EFAULT;
	return n;
}

static unsigned console_file_poll(struct file *f, struct thread *t, struct poll_table *pt)
{
	(void)f, (void)t;
	if (!in.started) {
		/* If the task cannot be made, input just never looks ready. */
		in.started = task_create("console-in", console_reader, NULL) != NULL;
	}
	poll_wait(pt, &in.ph);
	unsigned mask = POLLOUT | POLLWRNORM;
	if (in.head != in.tail || in.eof)
		mask |= POLLIN | POLLRDNORM;
	return mask;
}

static ssize_t console_file_write(struct file *f, struct thread *t, const void __user *buf,
				  size_t len)
{
	char tmp[CHUNK];
	size_t done = 0;
	(void)f;
	while (done < len) {
		size_t n = MIN(len - done, sizeof(tmp));
		if (copy_from_user(t->proc->mm->vs, tmp, user_ptr(user_addr(buf) + done), n))
			return done ? (ssize_t)done : -EFAULT;
		console_write(tmp, n);
		done += n;
	}
	return (ssize_t)done;
}

static void default_termios(struct linux_termios *t)
{
	memset(t, 0, sizeof(*t));
	t->c_iflag = 0x0500;  /* ICRNL | IXON */
	t->c_oflag = 0x0005;  /* OPOST | ONLCR */
	t->c_cflag = 0x00bf;  /* B38400 | CS8 | CREAD */
	t->c_lflag = 0x8a3b;  /* ISIG ICANON ECHO ECHOE ECHOK ECHOCTL ECHOKE IEXTEN */
	static const uint8_t cc[] = { 3, 0x1c, 0x7f, 0x15, 4, 0, 1, 0, 0x11, 0x13,
				      0x1a, 0, 0x12, 0x0f, 0x17, 0x16, 0 };
	memcpy(t->c_cc, cc, sizeof(cc));
}

static long console_file_ioctl(struct file *f, struct thread *t, unsigned cmd, uint64_t arg)
{
	(void)f;
	switch (cmd) {
	case TCGETS: {
		struct linux_termios tio;
		default_termios(&tio);
		return copy_to_user(t->proc->mm->vs, user_ptr(arg), &tio, sizeof(tio)) ? -EFAULT : 0;
	}
	case TIOCGWINSZ: {
		struct linux_winsize ws = { 0, 0, 0, 0 };
		console_winsize(&ws.ws_row, &ws.ws_col);
		return copy_to_user(t->proc->mm->vs, user_ptr(arg), &ws, sizeof(ws)) ? -EFAULT : 0;
	}
	default:
		return -ENOTTY;
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
	return file_alloc(&console_ops, O_RDWR, NULL);
}
