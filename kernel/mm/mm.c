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
	return mm;
}

void mm_destroy(struct mm *mm)
{
	if (!mm)
		return;
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

void mm_put(struct mm *mm)
{
	if (mm && --mm->refcount == 0)
		mm_destroy(mm);
}
