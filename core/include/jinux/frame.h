/*
 * Physical page frames.
 *
 * A frame is one 4 KiB page of physical memory, reference counted.
 * Components hold frames by handle and reach their bytes only through the
 * bounds-checked calls below; they never see a physical address.
 */
#ifndef JINUX_FRAME_H
#define JINUX_FRAME_H

#include <jinux/types.h>

struct frame;

/**
 * frame_alloc() - allocate one zeroed frame with a reference count of 1.
 * Any task may call it; it never sleeps.
 * Return: the frame, or NULL when physical memory is exhausted.
 */
struct frame *frame_alloc(void);

/** frame_get() - take another reference to @f. */
void frame_get(struct frame *f);

/** frame_put() - drop a reference; the frame is freed at zero. NULL is ignored. */
void frame_put(struct frame *f);

/** frame_refcount() - current reference count (for COW decisions and tests). */
unsigned frame_refcount(const struct frame *f);

/**
 * frame_read() - copy @len bytes at offset @off of @f into @buf.
 * Return: 0, or -EINVAL if [off, off+len) is not inside the frame.
 */
int frame_read(const struct frame *f, size_t off, void *buf, size_t len);

/**
 * frame_write() - copy @len bytes from @buf to offset @off of @f.
 * Return: 0, or -EINVAL if [off, off+len) is not inside the frame.
 */
int frame_write(struct frame *f, size_t off, const void *buf, size_t len);

/** frame_fill() - set @len bytes at @off to @byte. Return: 0 or -EINVAL. */
int frame_fill(struct frame *f, size_t off, int byte, size_t len);

/** frame_copy() - copy the whole contents of @src into @dst. */
void frame_copy(struct frame *dst, const struct frame *src);

/** frames_free() - number of free frames now. */
size_t frames_free(void);

/** frames_total() - number of frames managed by the allocator. */
size_t frames_total(void);

#endif
