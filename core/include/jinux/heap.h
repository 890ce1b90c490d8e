/*
 * The kernel heap. On the host target it is the host's malloc, so that
 * AddressSanitizer and LeakSanitizer see every kernel allocation.
 */
#ifndef JINUX_HEAP_H
#define JINUX_HEAP_H

#include <jinux/types.h>

/**
 * kmalloc() - allocate @size bytes of kernel memory, 16-byte aligned.
 * Any task may call it; it never sleeps.
 * Return: the memory, or NULL when out of memory (or @size is 0 or huge).
 */
void *kmalloc(size_t size);

/** kzalloc() - kmalloc() and zero the memory. */
void *kzalloc(size_t size);

/** kfree() - free memory from kmalloc()/kzalloc(); NULL is ignored. */
void kfree(void *ptr);

/** heap_bytes_in_use() - bytes currently allocated, for leak tests. */
size_t heap_bytes_in_use(void);

#endif
