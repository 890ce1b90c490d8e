/*
 * The kernel heap: a first-fit allocator with boundary tags over one
 * contiguous region of the direct map reserved at boot.
 *
 * Every block starts with a 16-byte header (magic, flags, size), so
 * payloads stay 16-byte aligned. A free block also holds free-list links
 * after its header and its size in its last 8 bytes, so that freeing the
 * block after it can find it and merge. The magic catches double frees
 * and wild pointers.
 */
#include <jinux/heap.h>
#include <jinux/log.h>
#include <jinux/string.h>
#include <jinux/sync.h>

#include "x86.h"

#define MAGIC_USED 0x4a6e5553u /* "SUnJ" */
#define MAGIC_FREE 0x4a6e4652u
#define PREV_FREE 0x1u
#define HDR 16
#define MIN_BLOCK 48 /* header + links + footer, rounded to 16 */

struct block {
	uint32_t magic;
	uint32_t flags;
	size_t size;                /* whole block, header included */
	struct block *next, *prev;  /* free blocks only */
};

static struct block *free_head;
static char *heap_start, *heap_end;
static size_t in_use;

static struct block *next_block(struct block *b)
{
	return (struct block *)((char *)b + b->size);
}

static void set_footer(struct block *b)
{
	*(size_t *)((char *)b + b->size - sizeof(size_t)) = b->size;
}

static void list_add(struct block *b)
{
	b->magic = MAGIC_FREE;
	b->prev = NULL;
	b->next = free_head;
	if (free_head)
		free_head->prev = b;
	free_head = b;
	set_footer(b);
	next_block(b)->flags |= PREV_FREE;
}

static void list_del(struct block *b)
{
	if (b->prev)
		b->prev->next = b->next;
	else
		free_head = b->next;
	if (b->next)
		b->next->prev = b->prev;
	next_block(b)->flags &= ~PREV_FREE;
}

/**
 * heap_init() - manage [@base, @base+@len) as the heap. The last header's
 * worth is a permanent used block that ends every walk.
 */
void heap_init(void *base, size_t len)
{
	struct block *first = base;
	struct block *end;

	heap_start = base;
	heap_end = (char *)base + ALIGN_DOWN(len, 16) - HDR;
	end = (struct block *)heap_end;
	end->magic = MAGIC_USED;
	end->flags = 0;
	end->size = HDR;
	first->flags = 0;
	first->size = (size_t)(heap_end - heap_start);
	list_add(first);
}

static struct block *find_fit(size_t need)
{
	for (struct block *b = free_head; b; b = b->next)
		if (b->size >= need)
			return b;
	return NULL;
}

void *kmalloc(size_t size)
{
	if (size == 0 || size > (size_t)(heap_end - heap_start))
		return NULL;
	size_t need = MAX(ALIGN_UP(size + HDR, 16), (size_t)MIN_BLOCK);
	unsigned long flags = irq_save();
	struct block *b = find_fit(need);
	if (!b) {
		irq_restore(flags);
		return NULL;
	}
	list_del(b);
	if (b->size - need >= MIN_BLOCK) {
		struct block *rest = (struct block *)((char *)b + need);
		rest->flags = 0;
		rest->size = b->size - need;
		b->size = need;
		list_add(rest);
	}
	b->magic = MAGIC_USED;
	in_use += b->size;
	irq_restore(flags);
	return (char *)b + HDR;
}

void kfree(void *ptr)
{
	if (!ptr)
		return;
	struct block *b = (struct block *)((char *)ptr - HDR);
	if ((char *)b < heap_start || (char *)b >= heap_end || b->magic != MAGIC_USED)
		panic("kfree: %p is not an allocated block (double free?)", ptr);
	unsigned long flags = irq_save();
	in_use -= b->size;
	struct block *n = next_block(b);
	if (n->magic == MAGIC_FREE) {
		list_del(n);
		n->magic = 0;
		b->size += n->size;
	}
	if (b->flags & PREV_FREE) {
		size_t prev_size = *(size_t *)((char *)b - sizeof(size_t));
		struct block *p = (struct block *)((char *)b - prev_size);
		list_del(p);
		p->size += b->size;
		b->magic = 0;
		b = p;
	}
	list_add(b);
	irq_restore(flags);
}

size_t heap_bytes_in_use(void)
{
	return in_use;
}
