/*
 * Pipes, as Linux's fs/pipe.c: a ring of page frames (16 by default, so
 * 64 KiB), allocated as the ring first fills them and freed with the pipe.
 *
 * Semantics kept from Linux: reads return what is there (blocking only
 * while the pipe is empty and a writer exists; end of file once no writer
 * is left); writes of at most PIPE_BUF bytes go in whole or wait; larger
 * writes may be split; writing with no reader left raises SIGPIPE in the
 * writer and fails with EPIPE; O_NONBLOCK turns waits into EAGAIN; a
 * signal ends a wait with -ERESTARTSYS, or the partial count.
 *
 * Readers, writers and pollers all wait on the pipe's one poll_head and
 * every change wakes them all: simple, and pipes rarely have many
 * waiters. One CPU and a kernel that is not preempted, so the ring needs
 * no lock: nothing sleeps between a check and the change it guards.
 */
#include <jinux/errno.h>
#include <jinux/frame.h>
#include <jinux/heap.h>
#include <jinux/uaccess.h>
#include <kernel/file.h>
#include <kernel/pipe.h>
#include <kernel/poll.h>
#include <kernel/process.h>
#include <kernel/signal.h>
#include <uapi/fcntl.h>

struct pipe {
	unsigned refs;           /* one per open end, plus owners' (FIFO inode) */
	unsigned readers, writers;
	unsigned r_opens, w_opens;  /* ends ever opened: a FIFO open waits for a change */
	struct frame **pages;    /* npages slots, NULL until first used */
	unsigned npages;
	size_t head, tail;       /* free-running byte counts written / read */
	struct poll_head ph;
};

static unsigned nr_pipes;

static size_t pipe_cap(const struct pipe *p)
{
	return (size_t)p->npages * PAGE_SIZE;
}

static size_t pipe_used(const struct pipe *p)
{
	return p->head - p->tail;
}

static size_t pipe_room(const struct pipe *p)
{
	return pipe_cap(p) - pipe_used(p);
}

unsigned pipes_alive(void)
{
	return nr_pipes;
}

struct pipe *pipe_create(void)
{
	struct pipe *p = kzalloc(sizeof(*p));
	if (!p)
		return NULL;
	p->pages = kzalloc(PIPE_DEF_PAGES * sizeof(*p->pages));
	if (!p->pages) {
		kfree(p);
		return NULL;
	}
	p->npages = PIPE_DEF_PAGES;
	p->refs = 1;
	poll_head_init(&p->ph);
	nr_pipes++;
	return p;
}

void pipe_get(struct pipe *p)
{
	p->refs++;
}

static void free_pages(struct frame **pages, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		frame_put(pages[i]);
	kfree(pages);
}

void pipe_put(struct pipe *p)
{
	if (--p->refs)
		return;
	poll_head_destroy(&p->ph);
	free_pages(p->pages, p->npages);
	nr_pipes--;
	kfree(p);
}

/*
 * The frame holding byte @pos of the ring, allocated on first use; the
 * offset in it goes to *off and the bytes left in that page to *left.
 */
static struct frame *ring_page(struct pipe *p, size_t pos, size_t *off, size_t *left)
{
	size_t at = pos % pipe_cap(p);
	struct frame **slot = &p->pages[at / PAGE_SIZE];
	if (!*slot)
		*slot = frame_alloc();
	*off = at % PAGE_SIZE;
	*left = PAGE_SIZE - *off;
	return *slot;
}

/* Where a write's bytes come from: user memory (@vs, @uaddr) or @kbuf. */
struct wsrc {
	struct vm_space *vs;
	uintptr_t uaddr;
	const uint8_t *kbuf;
};

/*
 * Append up to @len bytes from @src, starting @at bytes into it. Return:
 * bytes appended (short if a later page faults), or -EFAULT / -ENOMEM if
 * the first byte could not be.
 */
static ssize_t ring_fill(struct pipe *p, const struct wsrc *src, size_t at, size_t len)
{
	char bounce[PAGE_SIZE];
	size_t done = 0;
	while (done < len) {
		size_t off, left;
		struct frame *f = ring_page(p, p->head, &off, &left);
		size_t n = MIN(len - done, left);
		const void *from = bounce;
		int err = f ? 0 : -ENOMEM;
		if (!err && src->kbuf)
			from = src->kbuf + at + done;
		else if (!err)
			err = copy_from_user(src->vs, bounce, user_ptr(src->uaddr + at + done), n);
		if (err)
			return done ? (ssize_t)done : err;
		frame_write(f, off, from, n);
		p->head += n;
		done += n;
	}
	return (ssize_t)done;
}

/* Take up to @len bytes out to user memory at @dst; as ring_fill(). */
static ssize_t ring_drain(struct pipe *p, struct vm_space *vs, uintptr_t dst, size_t len)
{
	char bounce[PAGE_SIZE];
	size_t done = 0;
	len = MIN(len, pipe_used(p));
	while (done < len) {
		size_t off, left;
		struct frame *f = ring_page(p, p->tail, &off, &left);
		size_t n = MIN(len - done, left);
		frame_read(f, off, bounce, n);
		if (copy_to_user(vs, user_ptr(dst + done), bounce, n))
			return done ? (ssize_t)done : -EFAULT;
		p->tail += n;
		done += n;
	}
	return (ssize_t)done;
}

static ssize_t pipe_read(struct file *f, struct thread *t, void __user *buf, size_t len)
{
	struct pipe *p = f->priv;
	if (!len)
		return 0;
	for (;;) {
		if (pipe_used(p)) {
			ssize_t n = ring_drain(p, t->proc->mm->vs, user_addr(buf), len);
			if (n > 0)
				poll_wake(&p->ph);
			return n;
		}
		if (!p->writers)
			return 0;
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		if (wait_event_interruptible(&p->ph.wq, pipe_used(p) || !p->writers))
			return -ERESTARTSYS;
	}
}

static void send_sigpipe(struct thread *t)
{
	struct ksiginfo info = {
		.signo = SIGPIPE,
		.code = SI_USER,
		.pid = t->proc->pid,
		.uid = t->proc->cred.uid,
	};
	signal_send_thread(t, &info);
}

/* Can a write with @want bytes still to go make progress now? */
static bool write_can_go(const struct pipe *p, size_t want, bool atomic)
{
	return !p->readers || (atomic ? pipe_room(p) >= want : pipe_room(p) > 0);
}

static ssize_t pipe_write_from(struct file *f, struct thread *t, const struct wsrc *src,
			       size_t len)
{
	struct pipe *p = f->priv;
	bool atomic = len <= PIPE_BUF;
	size_t done = 0;

	if (!len)
		return 0;
	for (;;) {
		if (!p->readers) {
			send_sigpipe(t);
			return done ? (ssize_t)done : -EPIPE;
		}
		if (write_can_go(p, len - done, atomic)) {
			size_t n = MIN(len - done, pipe_room(p));
			ssize_t got = ring_fill(p, src, done, n);
			if (got < 0)
				return done ? (ssize_t)done : got;
			done += (size_t)got;
			poll_wake(&p->ph);
			if (done == len)
				return (ssize_t)done;
			continue;
		}
		if (f->flags & O_NONBLOCK)
			return done ? (ssize_t)done : -EAGAIN;
		if (wait_event_interruptible(&p->ph.wq, write_can_go(p, len - done, atomic)))
			return done ? (ssize_t)done : -ERESTARTSYS;
	}
}

/* Which ends a file is: a FIFO opened O_RDWR is both. */
static bool is_reader(const struct file *f)
{
	return (f->flags & O_ACCMODE) != O_WRONLY;
}

static bool is_writer(const struct file *f)
{
	return (f->flags & O_ACCMODE) != O_RDONLY;
}

static ssize_t pipe_write(struct file *f, struct thread *t, const void __user *buf, size_t len)
{
	struct wsrc src = { t->proc->mm->vs, user_addr(buf), NULL };
	return pipe_write_from(f, t, &src, len);
}

ssize_t pipe_write_kernel(struct file *f, struct thread *t, const void *buf, size_t len)
{
	struct wsrc src = { NULL, 0, buf };
	return pipe_write_from(f, t, &src, len);
}

static unsigned pipe_poll(struct file *f, struct thread *t, struct poll_table *pt)
{
	struct pipe *p = f->priv;
	unsigned mask = 0;
	(void)t;
	poll_wait(pt, &p->ph);
	if (is_reader(f)) {
		if (pipe_used(p))
			mask |= POLLIN | POLLRDNORM;
		if (!p->writers)
			mask |= POLLHUP;
	}
	if (is_writer(f)) {
		/* Writable when a PIPE_BUF write would not block, as POSIX asks. */
		if (pipe_room(p) >= PIPE_BUF)
			mask |= POLLOUT | POLLWRNORM;
		if (!p->readers)
			mask |= POLLERR;
	}
	return mask;
}

static void pipe_release(struct file *f)
{
	struct pipe *p = f->priv;
	if (is_reader(f))
		p->readers--;
	if (is_writer(f))
		p->writers--;
	poll_wake(&p->ph);
	pipe_put(p);
}

static const struct file_ops pipe_read_ops = {
	.read = pipe_read,
	.poll = pipe_poll,
	.release = pipe_release,
};

static const struct file_ops pipe_write_ops = {
	.write = pipe_write,
	.poll = pipe_poll,
	.release = pipe_release,
};

static const struct file_ops pipe_rdwr_ops = {
	.read = pipe_read,
	.write = pipe_write,
	.poll = pipe_poll,
	.release = pipe_release,
};

bool file_is_pipe(const struct file *f)
{
	return f->ops == &pipe_read_ops || f->ops == &pipe_write_ops || f->ops == &pipe_rdwr_ops;
}

struct file *pipe_open(struct pipe *p, unsigned flags)
{
	static const struct file_ops *const ops[] = {
		[O_RDONLY] = &pipe_read_ops, [O_WRONLY] = &pipe_write_ops, [O_RDWR] = &pipe_rdwr_ops,
	};
	if ((flags & O_ACCMODE) > O_RDWR)
		return NULL;
	struct file *f = file_alloc(ops[flags & O_ACCMODE], flags, p);
	if (!f)
		return NULL;
	pipe_get(p);
	if (is_reader(f)) {
		p->readers++;
		p->r_opens++;
	}
	if (is_writer(f)) {
		p->writers++;
		p->w_opens++;
	}
	poll_wake(&p->ph);
	return f;
}

int pipe_open_fifo(struct pipe *p, unsigned flags, struct file **out)
{
	unsigned mode = flags & O_ACCMODE;
	bool nonblock = flags & O_NONBLOCK;
	if (mode == O_WRONLY && nonblock && !p->readers)
		return -ENXIO;
	struct file *f = pipe_open(p, flags);
	if (!f)
		return -ENOMEM;
	/* Wait for the other end; one that came and went already counts. */
	int err = 0;
	if (mode == O_RDONLY && !nonblock && !p->writers) {
		unsigned seen = p->w_opens;
		err = wait_event_interruptible(&p->ph.wq, p->w_opens != seen);
	} else if (mode == O_WRONLY && !p->readers) {
		unsigned seen = p->r_opens;
		err = wait_event_interruptible(&p->ph.wq, p->r_opens != seen);
	}
	if (err) {
		file_put(f);
		return -ERESTARTSYS;
	}
	*out = f;
	return 0;
}

int pipe_pair(unsigned flags, struct file **rd, struct file **wr)
{
	struct pipe *p = pipe_create();
	if (!p)
		return -ENOMEM;
	*rd = pipe_open(p, O_RDONLY | flags);
	*wr = *rd ? pipe_open(p, O_WRONLY | flags) : NULL;
	pipe_put(p);    /* the ends hold it now */
	if (!*wr) {
		file_put(*rd);
		return -ENOMEM;
	}
	return 0;
}

long pipe_get_size(struct file *f)
{
	return (long)pipe_cap(f->priv);
}

/* Copy the contents of @p into @pages (@n slots) from offset 0. */
static int ring_copy_out(struct pipe *p, struct frame **pages)
{
	char bounce[PAGE_SIZE];
	size_t used = pipe_used(p);
	for (size_t done = 0; done < used;) {
		size_t off, left;
		struct frame *src = ring_page(p, p->tail + done, &off, &left);
		size_t n = MIN(MIN(used - done, left), PAGE_SIZE - done % PAGE_SIZE);
		struct frame **dst = &pages[done / PAGE_SIZE];
		if (!*dst && !(*dst = frame_alloc()))
			return -ENOMEM;
		frame_read(src, off, bounce, n);
		frame_write(*dst, done % PAGE_SIZE, bounce, n);
		done += n;
	}
	return 0;
}

long pipe_set_size(struct file *f, unsigned long size)
{
	struct pipe *p = f->priv;
	unsigned long npages = 1;

	if (size > (1UL << 31))
		return -EINVAL;
	/* Linux lets CAP_SYS_RESOURCE go beyond; there is no such check yet. */
	if (size > PIPE_MAX_SIZE)
		return -EPERM;
	while (npages * PAGE_SIZE < size)
		npages *= 2;
	if (npages * PAGE_SIZE < pipe_used(p))
		return -EBUSY;
	struct frame **pages = kzalloc(npages * sizeof(*pages));
	if (!pages)
		return -ENOMEM;
	if (ring_copy_out(p, pages)) {
		free_pages(pages, (unsigned)npages);
		return -ENOMEM;
	}
	free_pages(p->pages, p->npages);
	p->head = pipe_used(p);
	p->tail = 0;
	p->pages = pages;
	p->npages = (unsigned)npages;
	poll_wake(&p->ph);
	return (long)pipe_cap(p);
}
