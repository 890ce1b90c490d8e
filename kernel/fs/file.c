/*
 * Open-file references and the descriptor table.
 */
#include <jinux/errno.h>
#include <jinux/heap.h>
#include <kernel/file.h>

void file_get(struct file *f)
{
	f->refcount++;
}

void file_put(struct file *f)
{
	if (f && --f->refcount == 0)
		kfree(f);
}

struct file *fd_get(struct fd_table *t, int fd)
{
	if (fd < 0 || fd >= FD_MAX)
		return NULL;
	return t->files[fd];
}

void fd_install_at(struct fd_table *t, int fd, struct file *f)
{
	file_put(t->files[fd]);
	t->files[fd] = f;
}

int fd_close(struct fd_table *t, int fd)
{
	struct file *f = fd_get(t, fd);
	if (!f)
		return -EBADF;
	t->files[fd] = NULL;
	file_put(f);
	return 0;
}

void fd_close_all(struct fd_table *t)
{
	for (int fd = 0; fd < FD_MAX; fd++)
		if (t->files[fd])
			fd_close(t, fd);
}
