/*
 * The kernel heap on the host target: the host's malloc, so that
 * AddressSanitizer and LeakSanitizer see every kernel allocation.
 */
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include <jinux/heap.h>

/* Larger requests are refused: the kernel never needs them. */
#define HEAP_MAX_ALLOC (1UL << 30)

static size_t bytes_in_use;

void *kmalloc(size_t size)
{
	if (size == 0 || size > HEAP_MAX_ALLOC)
		return NULL;
	void *p = malloc(size);
	if (p)
		bytes_in_use += malloc_usable_size(p);
	return p;
}

void kfree(void *ptr)
{
	if (!ptr)
		return;
	bytes_in_use -= malloc_usable_size(ptr);
	free(ptr);
}

size_t heap_bytes_in_use(void)
{
	return bytes_in_use;
}
