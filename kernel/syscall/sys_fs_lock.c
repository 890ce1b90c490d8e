/*
 * flock(2): whole-file advisory locks of an open file description (the
 * lock table is kernel/vfs/lock.c; fcntl's record locks are in sys_fd.c).
 */
#include <jinux/errno.h>
#include <kernel/file.h>
#include <kernel/lock.h>
#include <kernel/process.h>
#include <kernel/syscall.h>
#include <uapi/fcntl.h>

long sys_flock(struct thread *t, const uint64_t a[6])
{
	struct file *f = fd_get(t->proc->fds, (int)a[0]);
	if (!f || (f->flags & O_PATH))
		return -EBADF;
	return lock_flock(f, (unsigned)a[1]);
}
