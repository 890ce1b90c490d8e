/*
 * The frame allocator: reference-counted 4 KiB physical pages.
 *
 * Each target hands its usable physical memory to frame_pool_add(); frame
 * metadata lives in one array indexed from the lowest pool frame. Free
 * frames sit on a LIFO free list threaded through their metadata.
 */
#include <jinux/errno.h>
#include <jinux/frame.h>
#include <jinux/heap.h>
#include <jinux/log.h>
#include <jinux/string.h>
#include <jinux/sync.h>

#include "arch_hooks.h"
#include "core_internal.h"

struct frame {
	uint32_t refcount;   /* 0 = free or not managed */
	uint32_t managed;    /* 1 if in a pool */
	struct frame *next_free;
};

#define MAX_POOLS 16

static struct {
	size_t first_pfn, count;
	struct frame *meta;
} pools[MAX_POOLS];
static unsigned npools;
static struct frame *free_list;
static size_t nr_free, nr_total;

void frame_pool_add(size_t first_pfn, size_t count)
{
	BUG_ON(npools == MAX_POOLS);
	struct frame *meta = kzalloc(count * sizeof(*meta));
	BUG_ON(!meta);
	pools[npools].first_pfn = first_pfn;
	pools[npools].count = count;
	pools[npools].meta = meta;
	npools++;
	/* Push in reverse so allocation starts from the lowest frame. */
	for (size_t i = count; i-- > 0;) {
		meta[i].managed = 1;
		meta[i].next_free = free_list;
		free_list = &meta[i];
	}
	nr_free += count;
	nr_total += count;
}

size_t frame_pfn(const struct frame *f)
{
	for (unsigned i = 0; i < npools; i++)
		if (f >= pools[i].meta && f < pools[i].meta + pools[i].count)
			return pools[i].first_pfn + (size_t)(f - pools[i].meta);
	panic("frame_pfn: %p is not a frame", (const void *)f);
}

struct frame *frame_from_pfn(size_t pfn)
{
	for (unsigned i = 0; i < npools; i++)
		if (pfn >= pools[i].first_pfn && pfn - pools[i].first_pfn < pools[i].count)
			return &pools[i].meta[pfn - pools[i].first_pfn];
	return NULL;
}

uint8_t *frame_bytes(const struct frame *f)
{
	return arch_frame_va(frame_pfn(f));
}

struct frame *frame_alloc(void)
{
	unsigned long flags = irq_save();
	struct frame *f = free_list;
	if (f) {
		free_list = f->next_free;
		f->next_free = NULL;
		f->refcount = 1;
		nr_free--;
	}
	irq_restore(flags);
	if (f)
		memset(frame_bytes(f), 0, PAGE_SIZE);
	return f;
}

void frame_get(struct frame *f)
{
	BUG_ON(!f->managed || f->refcount == 0);
	f->refcount++;
}

void frame_put(struct frame *f)
{
	if (!f)
		return;
	BUG_ON(!f->managed || f->refcount == 0);
	unsigned long flags = irq_save();
	if (--f->refcount == 0) {
		f->next_free = free_list;
		free_list = f;
		nr_free++;
	}
	irq_restore(flags);
}

unsigned frame_refcount(const struct frame *f)
{
	return f->refcount;
}

static bool in_frame(size_t off, size_t len)
{
	return off <= PAGE_SIZE && len <= PAGE_SIZE - off;
}

int frame_read(const struct frame *f, size_t off, void *buf, size_t len)
{
	if (!in_frame(off, len))
		return -EINVAL;
	/* memmove: user copies may meet a mapping of this very frame. */
	memmove(buf, frame_bytes(f) + off, len);
	return 0;
}

int frame_write(struct frame *f, size_t off, const void *buf, size_t len)
{
	if (!in_frame(off, len))
		return -EINVAL;
	memmove(frame_bytes(f) + off, buf, len);
	return 0;
}

int frame_fill(struct frame *f, size_t off, int byte, size_t len)
{
	if (!in_frame(off, len))
		return -EINVAL;
	memset(frame_bytes(f) + off, byte, len);
	return 0;
}

void frame_copy(struct frame *dst, const struct frame *src)
{
	memcpy(frame_bytes(dst), frame_bytes(src), PAGE_SIZE);
}

size_t frames_free(void)
{
	return nr_free;
}

size_t frames_total(void)
{
	return nr_total;
}
