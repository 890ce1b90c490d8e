/*
 * A process's memory map as a whole: creation, the users that share it
 * (CLONE_VM) and its destruction. Regions are in region.c, faults in
 * fault.c, fork in fork.c.
 */
#include <jinux/errno.h>
#include <jinux/heap.h>
#include <kernel/exec.h>
#include "mm_internal.h"

/* Top-down mmap search starts below the stack and room for it to grow. */
#define MMAP_TOP (USER_VA_MAX - EXEC_STACK_SIZE - (1UL << 30))

/* Every memory map, so that a shrinking object can be unmapped from all of them. */
static struct mm *all_mms;

static int mm_fault_cb(void *arg, uintptr_t va, unsigned access)
{
	return mm_handle_fault(arg, va, access);
}

struct mm *mm_create(void)
{
	struct mm *mm = kzalloc(sizeof(*mm));
	if (!mm)
		return NULL;
	mm->vs = vm_space_create();
	if (!mm->vs) {
		kfree(mm);
		return NULL;
	}
	mm->refcount = 1;
	mm->mmap_base = MMAP_TOP;
	vm_space_set_fault_handler(mm->vs, mm_fault_cb, mm);
	mm->all_next = all_mms;
	if (all_mms)
		all_mms->all_prev = mm;
	all_mms = mm;
	return mm;
}

void mm_destroy(struct mm *mm)
{
	if (!mm)
		return;
	if (mm->all_prev)
		mm->all_prev->all_next = mm->all_next;
	else
		all_mms = mm->all_next;
	if (mm->all_next)
		mm->all_next->all_prev = mm->all_prev;
	/* The pages first: a shared object may outlive this map. */
	vm_space_destroy(mm->vs);
	while (mm->regions) {
		struct mm_region *r = mm->regions;
		mm->regions = r->next;
		region_free(mm, r);
	}
	kfree(mm);
}

struct mm *mm_get(struct mm *mm)
{
	mm->refcount++;
	return mm;
}

/*
 * There is no reverse map from an object's pages to the maps that show
 * them. A shrinking object (a truncated file) is rare, and the maps and
 * their regions are few, so every region of every map is looked at: the
 * simplest design that cannot miss a mapping (a fork's, a split's, a
 * moved one's). Unmapping is enough: the page is no longer in the object,
 * so the next fault on it finds it beyond the end and gives SIGBUS.
 */
void mm_zap_object(const struct vmo *v, uint64_t from_pg)
{
	for (struct mm *mm = all_mms; mm; mm = mm->all_next) {
		for (struct mm_region *r = mm->regions; r; r = r->next) {
			if (r->obj.obj != v)
				continue;
			uint64_t npages = (r->end - r->start) / PAGE_SIZE;
			if (r->pgoff + npages <= from_pg)
				continue;
			uintptr_t lo = from_pg > r->pgoff ? r->start + (from_pg - r->pgoff) * PAGE_SIZE
							  : r->start;
			vm_space_unmap(mm->vs, lo, r->end - lo);
		}
	}
}

void mm_put(struct mm *mm)
{
	if (mm && --mm->refcount == 0)
		mm_destroy(mm);
}
