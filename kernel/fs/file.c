/*
 * Open-file references and the descriptor table.
 *
 * One CPU and a kernel that is not preempted: nothing here sleeps, so
 * plain counters need no lock.
 */
#include <jinux/errno.h>
#include <jinux/heap.h>
#include <jinux/string.h>
#include <kernel/file.h>
#include <kernel/lock.h>

static unsigned nr_files;

struct file *file_alloc(const struct file_ops *ops, unsigned flags, void *priv)
{
	struct file *f = kzalloc(sizeof(*f));
	if (!f)
		return NULL;
	f->ops = ops;
	f->refcount = 1;
	f->flags = flags;
	f->priv = priv;
	nr_files++;
	return f;
}

void file_get(struct file *f)
{
	f->refcount++;
}

void file_put(struct file *f)
{
	if (!f || --f->refcount)
		return;
	lock_file_release(f);
	if (f->ops->release)
		f->ops->release(f);
	nr_files--;
	kfree(f);
}

unsigned files_alive(void)
{
	return nr_files;
}

struct file *fd_get(struct fd_table *t, int fd)
{
	if (fd < 0 || fd >= FD_MAX)
		return NULL;
	return t->files[fd];
}

void fd_set_cloexec(struct fd_table *t, int fd, bool on)
{
	uint64_t bit = 1ULL << (fd % 64);
	if (on)
		t->cloexec[fd / 64] |= bit;
	else
		t->cloexec[fd / 64] &= ~bit;
}

bool fd_cloexec(const struct fd_table *t, int fd)
{
	return t->cloexec[fd / 64] & (1ULL << (fd % 64));
}

void fd_install_at(struct fd_table *t, int fd, struct file *f)
{
	/* Take the old file out first: its release may look at the table. */
	struct file *old = t->files[fd];
	t->files[fd] = f;
	fd_set_cloexec(t, fd, false);
	if (old)
		lock_posix_close(t, old);
	file_put(old);
}

int fd_alloc(struct fd_table *t, int minfd, int limit, struct file *f, bool cloexec)
{
	limit = MIN(limit, FD_MAX);
	for (int fd = MAX(minfd, 0); fd < limit; fd++) {
		if (!t->files[fd]) {
			t->files[fd] = f;
			fd_set_cloexec(t, fd, cloexec);
			return fd;
		}
	}
	return -EMFILE;
}

int fd_close(struct fd_table *t, int fd)
{
	struct file *f = fd_get(t, fd);
	if (!f)
		return -EBADF;
	t->files[fd] = NULL;
	fd_set_cloexec(t, fd, false);
	lock_posix_close(t, f);
	file_put(f);
	return 0;
}

void fd_close_all(struct fd_table *t)
{
	for (int fd = 0; fd < FD_MAX; fd++)
		if (t->files[fd])
			fd_close(t, fd);
}

unsigned fd_open_count(const struct fd_table *t)
{
	unsigned n = 0;
	for (int fd = 0; fd < FD_MAX; fd++)
		n += t->files[fd] != NULL;
	return n;
}

struct fd_table *fd_table_create(void)
{
	struct fd_table *t = kzalloc(sizeof(*t));
	if (t)
		t->refcount = 1;
	return t;
}

struct fd_table *fd_table_copy(const struct fd_table *old)
{
	struct fd_table *t = fd_table_create();
	if (!t)
		return NULL;
	for (int fd = 0; fd < FD_MAX; fd++) {
		t->files[fd] = old->files[fd];
		if (t->files[fd])
			file_get(t->files[fd]);
	}
	memcpy(t->cloexec, old->cloexec, sizeof(t->cloexec));
	return t;
}

void fd_table_get(struct fd_table *t)
{
	t->refcount++;
}

void fd_table_put(struct fd_table *t)
{
	if (t && --t->refcount == 0) {
		fd_close_all(t);
		kfree(t);
	}
}

void fd_close_on_exec(struct fd_table *t)
{
	for (int fd = 0; fd < FD_MAX; fd++)
		if (fd_cloexec(t, fd))
			fd_close(t, fd);
}
