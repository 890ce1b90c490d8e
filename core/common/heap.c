/*
 * Heap helpers shared by both targets; kmalloc and kfree are each
 * target's own (the host's malloc, or the x86_64 kernel heap).
 */
#include <jinux/heap.h>
#include <jinux/string.h>

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);
	if (p)
		memset(p, 0, size);
	return p;
}
