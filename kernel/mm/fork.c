/*
 * fork(2) of a memory map. Private pages are shared copy-on-write: the
 * child maps the parent's frame read-only, the parent's own mapping
 * becomes read-only too, and the frame's reference count (one per
 * mapping, plus one if an object holds it) tells the write fault whether
 * to copy. Shared regions share their memory object and fault its pages
 * in again on demand.
 */
#include <jinux/errno.h>
#include "mm_internal.h"

/* Map every present page of @r read-only in @child. */
static int share_private_pages(struct mm *parent, struct mm *child, struct mm_region *r)
{
	for (uintptr_t va = r->start; va < r->end; va += PAGE_SIZE) {
		struct frame *f;
		unsigned hw;
		if (vm_space_query(parent->vs, va, &f, &hw) != 0)
			continue;
		int err = vm_space_map(child->vs, va, f, hw & ~VM_WRITE);
		if (err)
			return err;
	}
	if (r->prot & VM_WRITE)
		vm_space_protect(parent->vs, r->start, r->end - r->start,
				 hw_prot(r->prot & ~VM_WRITE));
	return 0;
}

static int fork_region(struct mm *parent, struct mm *child, struct mm_region *r)
{
	struct mm_region *c = region_alloc();
	if (!c)
		return -ENOMEM;
	*c = *r;
	region_hold(c);
	region_link(child, c);
	if (!region_private(r) || (r->flags & MMR_WIPEONFORK))
		return 0;
	return share_private_pages(parent, child, r);
}

struct mm *mm_fork(struct mm *parent)
{
	struct mm *child = mm_create();
	if (!child)
		return NULL;
	child->brk_start = parent->brk_start;
	child->brk = parent->brk;
	child->mmap_base = parent->mmap_base;
	child->as_limit = parent->as_limit;
	child->stack_limit = parent->stack_limit;
	parent->cow = child->cow = true;
	for (struct mm_region *r = parent->regions; r; r = r->next) {
		if (r->flags & MMR_DONTFORK)
			continue;
		if (fork_region(parent, child, r)) {
			mm_destroy(child);
			return NULL;
		}
	}
	return child;
}
