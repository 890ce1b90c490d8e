/*
 * Open files and the file-descriptor table. A first version: the only
 * file kind is the console; the VFS issue adds the rest behind the same
 * struct file_ops.
 */
#ifndef KERNEL_FILE_H
#define KERNEL_FILE_H

#include <jinux/types.h>

struct file;
struct process;

struct file_ops {
	/* Each reads or writes user memory of @p and returns bytes or -errno. */
	ssize_t (*read)(struct file *f, struct process *p, void __user *buf, size_t len);
	ssize_t (*write)(struct file *f, struct process *p, const void __user *buf, size_t len);
	long (*ioctl)(struct file *f, struct process *p, unsigned cmd, uint64_t arg);
};

struct file {
	const struct file_ops *ops;
	unsigned refcount;
	unsigned flags;    /* O_* status flags */
};

#define FD_MAX 256

struct fd_table {
	struct file *files[FD_MAX];
};

/** console_file_open() - a new reference to a console file; NULL on ENOMEM. */
struct file *console_file_open(void);

void file_get(struct file *f);
void file_put(struct file *f);

/** fd_get() - the file at @fd (no reference taken) or NULL. */
struct file *fd_get(struct fd_table *t, int fd);
/** fd_install_at() - put @f (reference donated) at @fd. */
void fd_install_at(struct fd_table *t, int fd, struct file *f);
/** fd_close() - 0, or -EBADF. */
int fd_close(struct fd_table *t, int fd);
/** fd_close_all() - close every descriptor. */
void fd_close_all(struct fd_table *t);

#endif
