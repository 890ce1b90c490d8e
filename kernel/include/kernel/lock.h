/*
 * Advisory file locks (kernel/vfs/lock.c): flock(2) locks, owned by an
 * open file description; POSIX record locks (fcntl F_SETLK ...), owned by
 * a process's descriptor table; and OFD record locks (F_OFD_SETLK ...),
 * owned by an open file description. Locks of a file are keyed by its
 * inode (pipes and the console by their object).
 */
#ifndef KERNEL_LOCK_H
#define KERNEL_LOCK_H

#include <jinux/types.h>

struct file;
struct fd_table;
struct thread;

/**
 * lock_flock() - flock(2) on @f.
 * @op: LOCK_SH, LOCK_EX or LOCK_UN, optionally with LOCK_NB
 * Return: 0; -EINVAL; -EWOULDBLOCK (LOCK_NB and a conflict);
 * -ERESTARTSYS when kicked while waiting; -ENOLCK.
 */
int lock_flock(struct file *f, unsigned op);

/**
 * lock_fcntl() - F_GETLK, F_SETLK, F_SETLKW and their F_OFD_ forms on @f
 * for @t, with the struct flock at user address @arg.
 * Return: 0 or -errno (EAGAIN, EDEADLK, EINVAL, EBADF, EFAULT, ENOLCK,
 * ERESTARTSYS).
 */
long lock_fcntl(struct thread *t, struct file *f, unsigned cmd, uint64_t arg);

/** lock_file_release() - @f's last reference goes: drop its flock and OFD locks. */
void lock_file_release(struct file *f);

/** lock_posix_close() - @t's owner closes a descriptor of @f: drop its POSIX locks on the file. */
void lock_posix_close(struct fd_table *t, struct file *f);

#endif
