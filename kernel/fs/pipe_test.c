/*
 * KTESTs for pipes and poll tables: a round trip through user memory,
 * capacity, resize across the ring's wrap point, poll registration and
 * wake-ups, POLLHUP/POLLERR when an end goes, and that closing both ends
 * gives back every pipe, file and frame.
 */
#include <jinux/errno.h>
#include <jinux/frame.h>
#include <jinux/heap.h>
#include <jinux/ktest.h>
#include <jinux/string.h>
#include <jinux/uaccess.h>
#include <kernel/file.h>
#include <kernel/mm.h>
#include <kernel/pipe.h>
#include <kernel/poll.h>
#include <kernel/process.h>
#include <uapi/fcntl.h>

#define UBUF 0x10000000UL       /* user buffer the pipe copies from / to */
#define UBUF_LEN (256 * 1024UL)

/* A process with just a memory map: enough for the pipe's user copies. */
struct fake {
	struct process proc;
	struct thread thread;
};

static struct fake *fake_create(void)
{
	struct fake *f = kzalloc(sizeof(*f));
	if (!f)
		return NULL;
	f->proc.mm = mm_create();
	f->thread.proc = &f->proc;
	if (!f->proc.mm || mm_map(f->proc.mm, UBUF, UBUF_LEN, VM_READ | VM_WRITE, 0)) {
		if (f->proc.mm)
			mm_destroy(f->proc.mm);
		kfree(f);
		return NULL;
	}
	return f;
}

static void fake_destroy(struct fake *f)
{
	mm_destroy(f->proc.mm);
	kfree(f);
}

/* Fill user memory at @off with @len bytes of a pattern starting at @seed. */
static int put_pattern(struct fake *f, size_t off, size_t len, unsigned seed)
{
	static uint8_t buf[4096];
	for (size_t done = 0; done < len; done += sizeof(buf)) {
		size_t n = MIN(sizeof(buf), len - done);
		for (size_t i = 0; i < n; i++)
			buf[i] = (uint8_t)(seed + done + i);
		if (copy_to_user(f->proc.mm->vs, user_ptr(UBUF + off + done), buf, n))
			return -EFAULT;
	}
	return 0;
}

/* Whether user memory at @off holds the pattern put_pattern() made. */
static bool has_pattern(struct fake *f, size_t off, size_t len, unsigned seed)
{
	static uint8_t buf[4096];
	for (size_t done = 0; done < len; done += sizeof(buf)) {
		size_t n = MIN(sizeof(buf), len - done);
		if (copy_from_user(f->proc.mm->vs, buf, user_ptr(UBUF + off + done), n))
			return false;
		for (size_t i = 0; i < n; i++)
			if (buf[i] != (uint8_t)(seed + done + i))
				return false;
	}
	return true;
}

static ssize_t pwrite_(struct file *w, struct fake *f, size_t off, size_t len)
{
	return w->ops->write(w, &f->thread, user_ptr(UBUF + off), len);
}

static ssize_t pread_(struct file *r, struct fake *f, size_t off, size_t len)
{
	return r->ops->read(r, &f->thread, user_ptr(UBUF + off), len);
}

KTEST(pipe_round_trip_and_capacity_free_everything)
{
	size_t frames = frames_free();
	unsigned pipes = pipes_alive(), files = files_alive();
	struct fake *f = fake_create();
	struct file *r, *w;
	KASSERT(f != NULL);
	KASSERT_EQ(pipe_pair(O_NONBLOCK, &r, &w), 0);
	KASSERT_EQ(pipes_alive(), pipes + 1);
	KASSERT_EQ(put_pattern(f, 0, 70000, 7), 0);
	KASSERT_EQ(pread_(r, f, 100000, 10), -EAGAIN);
	KASSERT_EQ(pwrite_(w, f, 0, 70000), 65536);
	KASSERT_EQ(pwrite_(w, f, 0, 1), -EAGAIN);
	KASSERT_EQ(pread_(r, f, 100000, 1000), 1000);
	KASSERT_EQ(pread_(r, f, 101000, 100000), 64536);
	KASSERT(has_pattern(f, 100000, 65536, 7));
	file_put(w);
	KASSERT_EQ(pread_(r, f, 100000, 10), 0);    /* end of file */
	file_put(r);
	KASSERT_EQ(pipes_alive(), pipes);
	KASSERT_EQ(files_alive(), files);
	fake_destroy(f);
	KASSERT_EQ(frames_free(), frames);
}

KTEST(pipe_resize_keeps_data_across_the_wrap)
{
	struct fake *f = fake_create();
	struct file *r, *w;
	KASSERT(f != NULL);
	KASSERT_EQ(pipe_pair(O_NONBLOCK, &r, &w), 0);
	KASSERT_EQ(put_pattern(f, 0, 100000, 3), 0);
	KASSERT_EQ(pwrite_(w, f, 0, 60000), 60000);
	KASSERT_EQ(pread_(r, f, 200000, 50000), 50000);
	/* The next write wraps around the end of the 64 KiB ring. */
	KASSERT_EQ(pwrite_(w, f, 60000, 40000), 40000);
	KASSERT_EQ(pipe_set_size(w, 20000), -EBUSY);  /* 32 KiB < 50000 held */
	KASSERT_EQ(pipe_set_size(w, 100000), 131072);
	KASSERT_EQ(pipe_get_size(r), 131072);
	KASSERT_EQ(pread_(r, f, 150000, 100000), 50000);
	KASSERT(has_pattern(f, 150000, 50000, 3 + 50000));
	KASSERT_EQ(pipe_set_size(w, 0), 4096);
	file_put(r);
	file_put(w);
	fake_destroy(f);
}

KTEST(pipe_poll_registers_and_is_woken)
{
	struct fake *f = fake_create();
	struct file *r, *w;
	struct poll_table pt;
	KASSERT(f != NULL);
	KASSERT_EQ(pipe_pair(0, &r, &w), 0);
	poll_table_init(&pt);
	KASSERT_EQ(r->ops->poll(r, &f->thread, &pt), 0);
	KASSERT_EQ(w->ops->poll(w, &f->thread, &pt), POLLOUT | POLLWRNORM);
	KASSERT(pt.entries != NULL && !pt.error);
	pt.registering = false;
	KASSERT(!pt.woken);
	KASSERT_EQ(put_pattern(f, 0, 5, 1), 0);
	KASSERT_EQ(pwrite_(w, f, 0, 5), 5);
	KASSERT(pt.woken);
	KASSERT_EQ(r->ops->poll(r, &f->thread, &pt), POLLIN | POLLRDNORM);
	pt.woken = false;
	file_put(w);
	KASSERT(pt.woken);
	KASSERT_EQ(r->ops->poll(r, &f->thread, NULL), POLLIN | POLLRDNORM | POLLHUP);
	/* The pipe goes while still registered: the table must not touch it. */
	file_put(r);
	poll_table_release(&pt);
	KASSERT(pt.entries == NULL);
	fake_destroy(f);
}

KTEST(pipe_write_end_reports_pollerr_without_readers)
{
	struct file *r, *w;
	KASSERT_EQ(pipe_pair(0, &r, &w), 0);
	KASSERT(file_is_pipe(r) && file_is_pipe(w));
	file_put(r);
	KASSERT_EQ(w->ops->poll(w, NULL, NULL), POLLOUT | POLLWRNORM | POLLERR);
	file_put(w);
}

KTEST(fd_alloc_takes_lowest_and_respects_limit)
{
	struct fd_table *t = fd_table_create();
	struct file *r, *w;
	KASSERT(t != NULL);
	KASSERT_EQ(pipe_pair(0, &r, &w), 0);
	KASSERT_EQ(fd_alloc(t, 0, 3, r, false), 0);
	KASSERT_EQ(fd_alloc(t, 0, 3, w, true), 1);
	KASSERT(fd_cloexec(t, 1) && !fd_cloexec(t, 0));
	file_get(r);
	KASSERT_EQ(fd_alloc(t, 2, 3, r, false), 2);
	file_get(r);
	KASSERT_EQ(fd_alloc(t, 0, 3, r, false), -EMFILE);
	file_put(r);
	struct fd_table *copy = fd_table_copy(t);
	KASSERT(copy != NULL);
	KASSERT_EQ(fd_open_count(copy), 3);
	fd_close_on_exec(copy);
	KASSERT_EQ(fd_open_count(copy), 2);
	fd_table_put(copy);
	KASSERT_EQ(fd_close(t, 1), 0);
	KASSERT_EQ(fd_close(t, 1), -EBADF);
	fd_table_put(t);
}
