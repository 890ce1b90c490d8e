/*
 * In-kernel copies from a regular file: the perform half of sendfile(2)
 * and copy_file_range(2). Bytes go from the source's pages through a
 * page-sized bounce buffer, so a destination that blocks (a full pipe)
 * never holds a frame of a source file that may shrink meanwhile.
 */
#include <jinux/errno.h>
#include <jinux/string.h>
#include <kernel/pipe.h>
#include <kernel/process.h>
#include <uapi/fcntl.h>
#include "vfs_internal.h"

bool vfs_file_is_regular(const struct file *f)
{
	return f && f->ops == &vfs_reg_ops;
}

int64_t *vfs_file_pos(struct file *f)
{
	return &vfs_file_of(f)->pos;
}

/* Bytes of @in's file at @pos into @buf, at most @len: the count (0 at the end). */
static size_t read_chunk(struct file *in, int64_t pos, void *buf, size_t len)
{
	struct inode *i = vfs_file_of(in)->path.dentry->inode;
	size_t n = vfs_read_kernel(i, (uint64_t)pos, buf, len);
	if (n)
		inode_touch(i, "a");
	return n;
}

/* Write @n bytes to @out: a pipe, or a regular file at *@out_pos (or its offset). */
static ssize_t write_chunk(struct file *out, struct thread *t, const void *buf, size_t n,
			   int64_t *out_pos)
{
	if (file_is_pipe(out))
		return pipe_write_kernel(out, t, buf, n);
	struct vfs_file *vf = vfs_file_of(out);
	int64_t *pos = out_pos ? out_pos : &vf->pos;
	if (!out_pos && (out->flags & O_APPEND))
		vf->pos = (int64_t)vf->path.dentry->inode->size;
	ssize_t w = vfs_reg_write_kernel(out, t, buf, n, *pos);
	if (w > 0)
		*pos += w;
	return w;
}

long vfs_copy_range(struct thread *t, struct file *in, int64_t *in_pos, struct file *out,
		    int64_t *out_pos, size_t len)
{
	char bounce[PAGE_SIZE];
	size_t done = 0;
	while (done < len) {
		size_t n = read_chunk(in, *in_pos, bounce, MIN(len - done, sizeof(bounce)));
		if (!n)
			break;
		ssize_t w = write_chunk(out, t, bounce, n, out_pos);
		if (w < 0)
			return done ? (long)done : w;
		*in_pos += w;
		done += (size_t)w;
		if ((size_t)w < n)
			break;
	}
	return (long)done;
}
