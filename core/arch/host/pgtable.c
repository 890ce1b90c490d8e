/*
 * The software page table behind each host-target vm_space: what is
 * mapped where, kept in jinux so that vm_space_query() and the user-copy
 * routines never have to ask the guest process.
 */
#include <jinux/heap.h>

#include "host.h"

#define PT_ENTRIES 512
#define PT_LEVELS 4

struct pt {
	uintptr_t e[PT_ENTRIES];
};

static unsigned pt_index(uintptr_t va, int level)
{
	return (va >> (PAGE_SHIFT + 9 * level)) & (PT_ENTRIES - 1);
}

/**
 * pt_slot() - the leaf entry for @va, creating tables when @create.
 * Return: the entry, or NULL if a table is missing (or cannot be made).
 */
uintptr_t *pt_slot(struct pt **root, uintptr_t va, bool create)
{
	if (!*root) {
		if (!create || !(*root = kzalloc(sizeof(struct pt))))
			return NULL;
	}
	struct pt *t = *root;
	for (int level = PT_LEVELS - 1; level > 0; level--) {
		uintptr_t *e = &t->e[pt_index(va, level)];
		if (!*e) {
			if (!create)
				return NULL;
			struct pt *n = kzalloc(sizeof(*n));
			if (!n)
				return NULL;
			*e = (uintptr_t)n;
		}
		t = (struct pt *)*e;
	}
	return &t->e[pt_index(va, 0)];
}

static void walk(struct pt *t, int level, uintptr_t base, uintptr_t start, uintptr_t end,
		 void (*fn)(uintptr_t *slot, uintptr_t va, void *arg), void *arg)
{
	uintptr_t span = 1UL << (PAGE_SHIFT + 9 * level);
	unsigned i = start > base ? (unsigned)((start - base) / span) : 0;

	for (; i < PT_ENTRIES; i++) {
		uintptr_t va = base + i * span;
		if (va >= end)
			break;
		if (!t->e[i])
			continue;
		if (level == 0)
			fn(&t->e[i], va, arg);
		else
			walk((struct pt *)t->e[i], level - 1, va, start, end, fn, arg);
	}
}

void pt_walk(struct pt *root, uintptr_t start, uintptr_t end,
	     void (*fn)(uintptr_t *slot, uintptr_t va, void *arg), void *arg)
{
	if (root)
		walk(root, PT_LEVELS - 1, 0, start, end, fn, arg);
}

static void free_level(struct pt *t, int level)
{
	if (level > 0)
		for (unsigned i = 0; i < PT_ENTRIES; i++)
			if (t->e[i])
				free_level((struct pt *)t->e[i], level - 1);
	kfree(t);
}

/** pt_free() - free every table (the leaves' frames are the caller's). */
void pt_free(struct pt *root)
{
	if (root)
		free_level(root, PT_LEVELS - 1);
}
