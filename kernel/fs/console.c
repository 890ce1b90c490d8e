/*
 * The console as a file: what file descriptors 0, 1 and 2 of the first
 * process refer to. Answers the terminal ioctls programs ask at start-up
 * (TCGETS, TIOCGWINSZ) with a fixed cooked-mode termios; the line
 * discipline itself comes with the TTY issue.
 */
#include <jinux/console.h>
#include <jinux/errno.h>
#include <jinux/heap.h>
#include <jinux/string.h>
#include <jinux/uaccess.h>
#include <kernel/file.h>
#include <kernel/process.h>
#include <uapi/termios.h>

#define CHUNK 4096

static ssize_t console_file_read(struct file *f, struct process *p, void __user *buf, size_t len)
{
	char tmp[CHUNK];
	(void)f;
	if (!len)
		return 0;
	ssize_t n = console_read(tmp, MIN(len, sizeof(tmp)), false);
	if (n > 0 && copy_to_user(p->mm->vs, buf, tmp, (size_t)n))
		return -EFAULT;
	return n;
}

static ssize_t console_file_write(struct file *f, struct process *p, const void __user *buf,
				  size_t len)
{
	char tmp[CHUNK];
	size_t done = 0;
	(void)f;
	while (done < len) {
		size_t n = MIN(len - done, sizeof(tmp));
		if (copy_from_user(p->mm->vs, tmp, user_ptr(user_addr(buf) + done), n))
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

static long console_file_ioctl(struct file *f, struct process *p, unsigned cmd, uint64_t arg)
{
	(void)f;
	switch (cmd) {
	case TCGETS: {
		struct linux_termios t;
		default_termios(&t);
		return copy_to_user(p->mm->vs, user_ptr(arg), &t, sizeof(t)) ? -EFAULT : 0;
	}
	case TIOCGWINSZ: {
		struct linux_winsize ws = { 0, 0, 0, 0 };
		console_winsize(&ws.ws_row, &ws.ws_col);
		return copy_to_user(p->mm->vs, user_ptr(arg), &ws, sizeof(ws)) ? -EFAULT : 0;
	}
	default:
		return -ENOTTY;
	}
}

static const struct file_ops console_ops = {
	.read = console_file_read,
	.write = console_file_write,
	.ioctl = console_file_ioctl,
};

struct file *console_file_open(void)
{
	struct file *f = kzalloc(sizeof(*f));
	if (!f)
		return NULL;
	f->ops = &console_ops;
	f->refcount = 1;
	f->flags = 2; /* O_RDWR */
	return f;
}
