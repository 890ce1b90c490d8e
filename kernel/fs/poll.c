/*
 * poll heads, poll tables and the poll(2) loop. See kernel/poll.h for the
 * design: objects wake their poll_head, pollers sleep on their own table.
 *
 * Locking: one CPU and a kernel that is not preempted; the lists are
 * changed with interrupts masked because poll_wake() may run from an
 * interrupt (console input on x86_64).
 */
#include <jinux/errno.h>
#include <jinux/heap.h>
#include <jinux/time.h>
#include <kernel/file.h>
#include <kernel/poll.h>
#include <kernel/process.h>

void poll_head_init(struct poll_head *h)
{
	wait_queue_init(&h->wq);
	h->pollers = NULL;
}

static void table_wake(struct poll_table *pt)
{
	pt->woken = true;
	wait_queue_wake_all(&pt->wq);
}

void poll_head_destroy(struct poll_head *h)
{
	unsigned long flags = irq_save();
	for (struct poll_entry *e = h->pollers; e; e = e->head_next) {
		e->head = NULL;
		table_wake(e->pt);
	}
	h->pollers = NULL;
	irq_restore(flags);
}

void poll_wake(struct poll_head *h)
{
	unsigned long flags = irq_save();
	wait_queue_wake_all(&h->wq);
	for (struct poll_entry *e = h->pollers; e; e = e->head_next)
		table_wake(e->pt);
	irq_restore(flags);
}

void poll_wait(struct poll_table *pt, struct poll_head *h)
{
	if (!pt || !pt->registering)
		return;
	struct poll_entry *e = kmalloc(sizeof(*e));
	if (!e) {
		pt->error = -ENOMEM;
		return;
	}
	unsigned long flags = irq_save();
	e->pt = pt;
	e->head = h;
	e->head_next = h->pollers;
	h->pollers = e;
	e->table_next = pt->entries;
	pt->entries = e;
	irq_restore(flags);
}

void poll_table_init(struct poll_table *pt)
{
	wait_queue_init(&pt->wq);
	pt->woken = false;
	pt->registering = true;
	pt->error = 0;
	pt->entries = NULL;
}

static void head_unlink(struct poll_entry *e)
{
	struct poll_entry **pp = &e->head->pollers;
	while (*pp && *pp != e)
		pp = &(*pp)->head_next;
	if (*pp)
		*pp = e->head_next;
}

void poll_table_release(struct poll_table *pt)
{
	while (pt->entries) {
		unsigned long flags = irq_save();
		struct poll_entry *e = pt->entries;
		pt->entries = e->table_next;
		if (e->head)
			head_unlink(e);
		irq_restore(flags);
		kfree(e);
	}
}

/*
 * Sleep until a registered head is woken, @deadline (monotonic ns) passes
 * or the task is kicked. Return: 0, -ETIMEDOUT or -EINTR.
 */
static int poll_table_sleep(struct poll_table *pt, uint64_t deadline)
{
	int ret = 0;
	unsigned long flags = irq_save();
	if (!pt->woken) {
		uint64_t now = clock_monotonic_ns();
		if (deadline != POLL_NO_TIMEOUT && now >= deadline)
			ret = -ETIMEDOUT;
		else
			ret = wait_queue_sleep(&pt->wq, flags,
					       deadline == POLL_NO_TIMEOUT ? 0 : deadline - now,
					       true);
	}
	irq_restore(flags);
	return ret;
}

/* One pass over the files: fill in revents, return how many are set. */
static long poll_scan(struct thread *t, struct linux_pollfd *fds, struct file **files,
		      size_t n, struct poll_table *pt)
{
	long count = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned mask;
		if (fds[i].fd < 0) {
			fds[i].revents = 0;
			continue;
		}
		if (!files[i])
			mask = POLLNVAL;
		else if (files[i]->ops->poll)
			mask = files[i]->ops->poll(files[i], t, pt);
		else
			mask = POLL_DEFAULT_MASK;
		mask &= (uint16_t)fds[i].events | POLLERR | POLLHUP | POLLNVAL;
		fds[i].revents = (int16_t)mask;
		count += mask != 0;
	}
	return count;
}

/* The loop itself, on files whose references the caller holds. */
static long poll_loop(struct thread *t, struct linux_pollfd *fds, struct file **files,
		      size_t n, uint64_t timeout_ns)
{
	struct poll_table pt;
	uint64_t deadline = POLL_NO_TIMEOUT;
	bool timed_out = timeout_ns == 0;
	long ret;

	if (timeout_ns != POLL_NO_TIMEOUT)
		deadline = clock_monotonic_ns() + timeout_ns;
	poll_table_init(&pt);
	pt.registering = !timed_out;
	for (;;) {
		pt.woken = false;
		ret = poll_scan(t, fds, files, n, &pt);
		pt.registering = false;
		if (ret || timed_out)
			break;
		if (pt.error) {
			ret = pt.error;
			break;
		}
		if (signal_pending(t)) {
			ret = -ERESTARTNOHAND;
			break;
		}
		int err = poll_table_sleep(&pt, deadline);
		if (err == -EINTR) {
			ret = -ERESTARTNOHAND;
			break;
		}
		/* After a timeout, scan once more: something may have just come. */
		timed_out = err == -ETIMEDOUT;
	}
	poll_table_release(&pt);
	return ret;
}

long poll_files(struct thread *t, struct linux_pollfd *fds, size_t n, uint64_t timeout_ns)
{
	struct file **files = kzalloc(MAX(n, 1) * sizeof(*files));
	if (!files)
		return -ENOMEM;
	/* Hold the files for the whole call, as Linux's poll table does. */
	for (size_t i = 0; i < n; i++) {
		files[i] = fds[i].fd < 0 ? NULL : fd_get(t->proc->fds, fds[i].fd);
		if (files[i])
			file_get(files[i]);
	}
	long ret = poll_loop(t, fds, files, n, timeout_ns);
	for (size_t i = 0; i < n; i++)
		file_put(files[i]);
	kfree(files);
	return ret;
}
