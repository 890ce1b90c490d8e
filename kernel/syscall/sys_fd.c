/*
 * The descriptor table from user space: pipe, pipe2, dup, dup2, dup3,
 * fcntl (record locks in kernel/vfs/lock.c), close, close_range. Descriptors are limited by RLIMIT_NOFILE
 * (and by FD_MAX, the table's size).
 */
#include <jinux/errno.h>
#include <jinux/uaccess.h>
#include <kernel/file.h>
#include <kernel/lock.h>
#include <kernel/pipe.h>
#include <kernel/process.h>
#include <kernel/syscall.h>
#include <uapi/fcntl.h>

/* Descriptors below this may be used by @t's process. */
static int fd_limit(struct thread *t)
{
	uint64_t cur = t->proc->rlim[RLIMIT_NOFILE].rlim_cur;
	return (int)MIN(cur, (uint64_t)FD_MAX);
}

/* Empty a slot fd_alloc() filled, without dropping the file's reference. */
static void unpublish(struct fd_table *fdt, int fd)
{
	fdt->files[fd] = NULL;
	fd_set_cloexec(fdt, fd, false);
}

static long do_pipe2(struct thread *t, uint64_t ufds, uint64_t flags)
{
	struct fd_table *fdt = t->proc->fds;
	struct file *rd, *wr;
	int fds[2];

	/* O_DIRECT (packet mode) is accepted but gives a byte-stream pipe. */
	if (flags & ~(uint64_t)(O_CLOEXEC | O_NONBLOCK | O_DIRECT))
		return -EINVAL;
	int err = pipe_pair((unsigned)flags & (O_NONBLOCK | O_DIRECT), &rd, &wr);
	if (err)
		return err;
	bool cloexec = flags & O_CLOEXEC;
	fds[0] = fd_alloc(fdt, 0, fd_limit(t), rd, cloexec);
	fds[1] = fds[0] < 0 ? -EMFILE : fd_alloc(fdt, 0, fd_limit(t), wr, cloexec);
	if (fds[1] < 0) {
		err = -EMFILE;
		goto out_files;
	}
	if (copy_to_user(t->proc->mm->vs, user_ptr(ufds), fds, sizeof(fds))) {
		err = -EFAULT;
		goto out_fds;
	}
	return 0;

out_fds:
	unpublish(fdt, fds[1]);
out_files:
	if (fds[0] >= 0)
		unpublish(fdt, fds[0]);
	file_put(wr);
	file_put(rd);
	return err;
}

long sys_pipe(struct thread *t, const uint64_t a[6])
{
	return do_pipe2(t, a[0], 0);
}

long sys_pipe2(struct thread *t, const uint64_t a[6])
{
	return do_pipe2(t, a[0], a[1]);
}

/* A new descriptor >= @minfd for the file at @oldfd. */
static long dup_from(struct thread *t, int oldfd, int minfd, bool cloexec)
{
	struct fd_table *fdt = t->proc->fds;
	struct file *f = fd_get(fdt, oldfd);
	if (!f)
		return -EBADF;
	file_get(f);
	int fd = fd_alloc(fdt, minfd, fd_limit(t), f, cloexec);
	if (fd < 0)
		file_put(f);
	return fd;
}

long sys_dup(struct thread *t, const uint64_t a[6])
{
	return dup_from(t, (int)a[0], 0, false);
}

/* dup2/dup3 after their own checks: make @newfd refer to @oldfd's file. */
static long dup_to(struct thread *t, int oldfd, uint64_t newfd, bool cloexec)
{
	struct fd_table *fdt = t->proc->fds;
	if (newfd >= (uint64_t)fd_limit(t))
		return -EBADF;
	struct file *f = fd_get(fdt, oldfd);
	if (!f)
		return -EBADF;
	file_get(f);
	fd_install_at(fdt, (int)newfd, f);
	fd_set_cloexec(fdt, (int)newfd, cloexec);
	return (long)newfd;
}

long sys_dup2(struct thread *t, const uint64_t a[6])
{
	int oldfd = (int)a[0];
	if ((uint32_t)a[0] == (uint32_t)a[1])
		return fd_get(t->proc->fds, oldfd) ? oldfd : -EBADF;
	return dup_to(t, oldfd, (uint32_t)a[1], false);
}

long sys_dup3(struct thread *t, const uint64_t a[6])
{
	if (a[2] & ~(uint64_t)O_CLOEXEC)
		return -EINVAL;
	if ((uint32_t)a[0] == (uint32_t)a[1])
		return -EINVAL;
	return dup_to(t, (int)a[0], (uint32_t)a[1], a[2] & O_CLOEXEC);
}

/* Status flags F_SETFL may change (O_ASYNC is not kept: no SIGIO yet). */
#define SETFL_MASK (O_APPEND | O_NONBLOCK)

static long fcntl_dupfd(struct thread *t, int fd, uint64_t arg, bool cloexec)
{
	if (arg >= t->proc->rlim[RLIMIT_NOFILE].rlim_cur)
		return -EINVAL;
	return dup_from(t, fd, (int)MIN(arg, (uint64_t)FD_MAX), cloexec);
}

long sys_fcntl(struct thread *t, const uint64_t a[6])
{
	struct fd_table *fdt = t->proc->fds;
	int fd = (int)a[0];
	struct file *f = fd_get(fdt, fd);
	if (!f)
		return -EBADF;
	switch ((unsigned)a[1]) {
	case F_DUPFD:
		return fcntl_dupfd(t, fd, a[2], false);
	case F_DUPFD_CLOEXEC:
		return fcntl_dupfd(t, fd, a[2], true);
	case F_GETFD:
		return fd_cloexec(fdt, fd) ? FD_CLOEXEC : 0;
	case F_SETFD:
		fd_set_cloexec(fdt, fd, a[2] & FD_CLOEXEC);
		return 0;
	case F_GETFL:
		return f->flags;
	case F_SETFL:
		f->flags = (f->flags & ~SETFL_MASK) | ((unsigned)a[2] & SETFL_MASK);
		return 0;
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
	case F_OFD_GETLK:
	case F_OFD_SETLK:
	case F_OFD_SETLKW:
		return (f->flags & O_PATH) ? -EBADF : lock_fcntl(t, f, (unsigned)a[1], a[2]);
	case F_GETPIPE_SZ:
		return file_is_pipe(f) ? pipe_get_size(f) : -EBADF;
	case F_SETPIPE_SZ:
		return file_is_pipe(f) ? pipe_set_size(f, (unsigned)a[2]) : -EBADF;
	default:
		return -EINVAL;
	}
}

long sys_close(struct thread *t, const uint64_t a[6])
{
	return fd_close(t->proc->fds, (int)a[0]);
}

/* CLOSE_RANGE_UNSHARE: give the process a table of its own first. */
static int unshare_fds(struct process *p)
{
	if (p->fds->refcount == 1)
		return 0;
	struct fd_table *copy = fd_table_copy(p->fds);
	if (!copy)
		return -ENOMEM;
	fd_table_put(p->fds);
	p->fds = copy;
	return 0;
}

long sys_close_range(struct thread *t, const uint64_t a[6])
{
	uint32_t first = (uint32_t)a[0], last = (uint32_t)a[1];
	unsigned flags = (unsigned)a[2];

	if (flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC) || first > last)
		return -EINVAL;
	if (flags & CLOSE_RANGE_UNSHARE) {
		int err = unshare_fds(t->proc);
		if (err)
			return err;
	}
	struct fd_table *fdt = t->proc->fds;
	for (uint32_t fd = first; fd <= last && fd < FD_MAX; fd++) {
		if (!fdt->files[fd])
			continue;
		if (flags & CLOSE_RANGE_CLOEXEC)
			fd_set_cloexec(fdt, (int)fd, true);
		else
			fd_close(fdt, (int)fd);
	}
	return 0;
}
