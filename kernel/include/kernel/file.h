/*
 * Open files and the file-descriptor table.
 *
 * A struct file is one open file description (what open(2) or pipe(2)
 * creates): its operations, its status flags (O_NONBLOCK, O_APPEND ...)
 * and the object behind it in @priv. Descriptors in an fd_table point at
 * files; dup(2) and fork(2) share a file, so it is reference counted and
 * the object's release() runs when the last reference goes. The VFS adds
 * its file kinds behind the same struct file_ops.
 */
#ifndef KERNEL_FILE_H
#define KERNEL_FILE_H

#include <jinux/types.h>

struct file;
struct thread;
struct poll_table;

struct file_ops {
	/*
	 * Each reads or writes user memory of @t's process and returns bytes
	 * or -errno. A blocking call interrupted by a signal before it
	 * transferred anything returns -ERESTARTSYS.
	 */
	ssize_t (*read)(struct file *f, struct thread *t, void __user *buf, size_t len);
	ssize_t (*write)(struct file *f, struct thread *t, const void __user *buf, size_t len);
	long (*ioctl)(struct file *f, struct thread *t, unsigned cmd, uint64_t arg);
	/* llseek: the new offset or -errno; NULL means not seekable (ESPIPE). */
	int64_t (*llseek)(struct file *f, struct thread *t, int64_t off, int whence);
	/*
	 * poll: the POLL* events ready now. If @pt is not NULL, also call
	 * poll_wait(pt, head) for every poll_head whose wake-up may change
	 * the answer (see kernel/poll.h). NULL means always readable and
	 * writable, as Linux treats files without a poll method.
	 */
	unsigned (*poll)(struct file *f, struct thread *t, struct poll_table *pt);
	/* release: the last reference is gone; free what @priv holds. */
	void (*release)(struct file *f);
};

struct file {
	const struct file_ops *ops;
	unsigned refcount;
	unsigned flags;    /* access mode and O_* status flags */
	void *priv;        /* the object behind the file (a pipe ...) */
};

/*
 * The most descriptors a table holds; the usable range is the smaller of
 * this and RLIMIT_NOFILE (whose default soft limit is also 1024).
 */
#define FD_MAX 1024

/* A descriptor table, shared by CLONE_FILES threads/processes. */
struct fd_table {
	unsigned refcount;
	struct file *files[FD_MAX];
	uint64_t cloexec[FD_MAX / 64];
};

/** fd_table_create() - an empty table; NULL on ENOMEM. */
struct fd_table *fd_table_create(void);
/** fd_table_copy() - a new table with the same files (fork). */
struct fd_table *fd_table_copy(const struct fd_table *t);
void fd_table_get(struct fd_table *t);
/** fd_table_put() - drop a reference; the last one closes everything. */
void fd_table_put(struct fd_table *t);
/** fd_close_on_exec() - close the descriptors marked close-on-exec. */
void fd_close_on_exec(struct fd_table *t);

/** console_file_open() - a new reference to a console file; NULL on ENOMEM. */
struct file *console_file_open(void);

/**
 * file_alloc() - a new open file with one reference.
 * @ops: its operations
 * @flags: access mode and status flags (O_RDONLY, O_NONBLOCK ...)
 * @priv: the object behind it, handed to @ops->release at the end
 * Return: the file, or NULL on ENOMEM.
 */
struct file *file_alloc(const struct file_ops *ops, unsigned flags, void *priv);

void file_get(struct file *f);
/** file_put() - drop a reference; the last one calls ops->release. */
void file_put(struct file *f);

/** fd_get() - the file at @fd (no reference taken) or NULL. */
struct file *fd_get(struct fd_table *t, int fd);
/** fd_install_at() - put @f (reference donated) at @fd, close-on-exec off. */
void fd_install_at(struct fd_table *t, int fd, struct file *f);
/**
 * fd_alloc() - put @f at the lowest free descriptor >= @minfd and < @limit.
 * The reference to @f is donated on success only.
 * Return: the descriptor, or -EMFILE when none is free.
 */
int fd_alloc(struct fd_table *t, int minfd, int limit, struct file *f, bool cloexec);
/** fd_set_cloexec() / fd_cloexec() - the FD_CLOEXEC flag of @fd. */
void fd_set_cloexec(struct fd_table *t, int fd, bool on);
bool fd_cloexec(const struct fd_table *t, int fd);
/** fd_close() - 0, or -EBADF. */
int fd_close(struct fd_table *t, int fd);
/** fd_close_all() - close every descriptor. */
void fd_close_all(struct fd_table *t);
/** fd_open_count() - descriptors in use (for leak tests). */
unsigned fd_open_count(const struct fd_table *t);

/** files_alive() - open files that exist now, kernel-wide (for leak tests). */
unsigned files_alive(void);

#endif
