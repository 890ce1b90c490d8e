/*
 * Helpers shared by the files of kernel/mm (region list, faults, fork,
 * mremap, madvise). Not part of the component's interface.
 */
#ifndef KERNEL_MM_INTERNAL_H
#define KERNEL_MM_INTERNAL_H

#include <kernel/mm.h>

#define VM_RWX (VM_READ | VM_WRITE | VM_EXEC)

/* x86-64 pages that can be written or executed can also be read. */
static inline unsigned hw_prot(unsigned prot)
{
	return prot ? (prot | VM_READ) : 0;
}

static inline bool mm_range_ok(uintptr_t start, size_t len)
{
	return IS_ALIGNED(start, PAGE_SIZE) && IS_ALIGNED(len, PAGE_SIZE) && len &&
	       start >= USER_VA_MIN && start < USER_VA_MAX && len <= USER_VA_MAX - start;
}

static inline bool region_private(const struct mm_region *r)
{
	return !(r->flags & MMR_SHARED);
}

static inline bool region_grows_down(const struct mm_region *r)
{
	return r->flags & (MMR_STACK | MMR_GROWSDOWN);
}

/* Page index in the region's object of the page at @va. */
static inline uint64_t region_pgoff(const struct mm_region *r, uintptr_t va)
{
	return r->pgoff + (va - r->start) / PAGE_SIZE;
}

/* The lowest address a region lets a neighbour below reach (vm_start_gap). */
static inline uintptr_t region_start_gap(const struct mm_region *r)
{
	if (!region_grows_down(r))
		return r->start;
	return r->start > MM_STACK_GUARD_GAP ? r->start - MM_STACK_GUARD_GAP : 0;
}

/* Private anonymous memory: neither an object nor a file behind it. */
static inline bool region_anon(const struct mm_region *r)
{
	return !r->obj.obj && !r->file;
}

/* region.c */
struct mm_region *region_alloc(void);
/* Take the references a copy of a region needs (its object, its file). */
void region_hold(struct mm_region *r);
/* Replace [t->start, t->end) by a new region like @t, with its own references. */
int region_install(struct mm *mm, const struct mm_region *t);
void region_free(struct mm *mm, struct mm_region *r);
void region_link(struct mm *mm, struct mm_region *r);
int region_split_at(struct mm *mm, uintptr_t addr);
void region_merge_all(struct mm *mm);
/* The region's protection installed on its pages, keeping shared frames read-only. */
void region_apply_prot(struct mm *mm, struct mm_region *r);

/* fault.c */
int fault_cow_break(struct mm *mm, struct mm_region *r, uintptr_t page, struct frame *f);

#endif
