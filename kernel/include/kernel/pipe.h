/*
 * Pipes: a byte ring of 64 KiB (by default) with a read end and a write
 * end, as Linux's fs/pipe.c. pipe(2) makes both ends at once; the VFS
 * builds FIFOs on the same object (pipe_create() once per FIFO inode,
 * pipe_get()/pipe_put() for the inode's own reference, pipe_open() per
 * open(2)).
 */
#ifndef KERNEL_PIPE_H
#define KERNEL_PIPE_H

#include <jinux/types.h>

struct thread;

struct file;
struct pipe;

#define PIPE_DEF_PAGES 16     /* 64 KiB, Linux's default capacity */
#define PIPE_MAX_SIZE (1024 * 1024)  /* Linux's /proc/sys/fs/pipe-max-size */

/** pipe_create() - an empty pipe with one reference and no ends; NULL on ENOMEM. */
struct pipe *pipe_create(void);
void pipe_get(struct pipe *p);
/** pipe_put() - drop a reference; the last one frees the pipe and its buffer. */
void pipe_put(struct pipe *p);

/**
 * pipe_open() - a new file for one end of @p (which it references).
 * @flags: O_RDONLY for the read end, O_WRONLY for the write end, O_RDWR
 * for both (a FIFO opened for reading and writing), plus
 * status flags (O_NONBLOCK). While a write end is open, readers block
 * instead of seeing end of file; while a read end is open, writers get
 * no EPIPE.
 * Return: the file, or NULL on ENOMEM (or a bad access mode).
 */
struct file *pipe_open(struct pipe *p, unsigned flags);

/**
 * pipe_open_fifo() - open(2) of a FIFO whose pipe is @p, as Linux's
 * fifo_open(): O_RDONLY waits for a writer (unless O_NONBLOCK),
 * O_WRONLY waits for a reader (O_NONBLOCK: -ENXIO if there is none),
 * O_RDWR opens both ends at once and never waits.
 * Return: 0 and *@out; -ENXIO, -ERESTARTSYS (a signal came while
 * waiting), -ENOMEM.
 */
int pipe_open_fifo(struct pipe *p, unsigned flags, struct file **out);

/**
 * pipe_pair() - pipe(2): a new pipe and both its ends with status flags
 * @flags (O_NONBLOCK). Return: 0, or -ENOMEM.
 */
int pipe_pair(unsigned flags, struct file **rd, struct file **wr);

/**
 * pipe_write_kernel() - write(2) to pipe end @f from kernel memory, for
 * sendfile and splice-like copies: blocks, raises SIGPIPE and honours
 * O_NONBLOCK exactly as a write from @t would.
 * Return: bytes written, or -EPIPE, -EAGAIN, -ERESTARTSYS, -ENOMEM.
 */
ssize_t pipe_write_kernel(struct file *f, struct thread *t, const void *buf, size_t len);

/** file_is_pipe() - whether @f is an end of a pipe. */
bool file_is_pipe(const struct file *f);

/** pipe_get_size() - F_GETPIPE_SZ: the capacity in bytes. */
long pipe_get_size(struct file *f);

/**
 * pipe_set_size() - F_SETPIPE_SZ: change the capacity to @size rounded up
 * to a power-of-two number of pages. Return: the new capacity, -EBUSY if
 * the pipe holds more than that, -EPERM above PIPE_MAX_SIZE, -ENOMEM.
 */
long pipe_set_size(struct file *f, unsigned long size);

/** pipes_alive() - pipes that exist now (for leak tests). */
unsigned pipes_alive(void);

#endif
