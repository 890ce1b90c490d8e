/*
 * The region list of a memory map: a list of non-overlapping regions
 * sorted by address, split where an operation covers part of a region
 * and merged back when neighbours become identical. Mapping, unmapping
 * and protecting ranges, and finding free address space, live here.
 */
#include <jinux/errno.h>
#include <jinux/heap.h>
#include <kernel/file.h>
#include "mm_internal.h"

struct mm_region *region_alloc(void)
{
	return kzalloc(sizeof(struct mm_region));
}

void region_hold(struct mm_region *r)
{
	if (r->obj.obj)
		vmo_obj_get(r->obj.obj);
	if (r->file)
		file_get(r->file);
}

/* Free a region struct and its object or file reference (no accounting). */
void region_free(struct mm *mm, struct mm_region *r)
{
	(void)mm;
	if (r->obj.obj)
		vmo_obj_put(r->obj.obj);
	if (r->file)
		file_put(r->file);
	kfree(r);
}

/* Insert @r in address order and count its pages. */
void region_link(struct mm *mm, struct mm_region *r)
{
	struct mm_region **pp = &mm->regions;
	while (*pp && (*pp)->start < r->start)
		pp = &(*pp)->next;
	r->next = *pp;
	*pp = r;
	mm->total_pages += (r->end - r->start) / PAGE_SIZE;
}

struct mm_region *mm_find_region(struct mm *mm, uintptr_t addr)
{
	for (struct mm_region *r = mm->regions; r && r->start <= addr; r = r->next)
		if (addr < r->end)
			return r;
	return NULL;
}

/* Split the region containing @addr so that a region boundary falls there. */
int region_split_at(struct mm *mm, uintptr_t addr)
{
	struct mm_region *r = mm_find_region(mm, addr);
	if (!r || r->start == addr)
		return 0;
	struct mm_region *tail = region_alloc();
	if (!tail)
		return -ENOMEM;
	*tail = *r;
	region_hold(tail);
	tail->start = addr;
	tail->pgoff = region_pgoff(r, addr);
	r->end = addr;
	r->next = tail;
	return 0;
}

static bool mergeable(const struct mm_region *a, const struct mm_region *b)
{
	if (a->end != b->start || a->prot != b->prot || a->maxprot != b->maxprot ||
	    a->flags != b->flags || a->obj.obj != b->obj.obj || a->obj.rights != b->obj.rights ||
	    a->file != b->file)
		return false;
	return region_anon(a) || region_pgoff(a, a->end) == b->pgoff;
}

/* Join neighbours that have become identical, keeping the list short. */
void region_merge_all(struct mm *mm)
{
	struct mm_region *r = mm->regions;
	while (r && r->next) {
		struct mm_region *n = r->next;
		if (mergeable(r, n)) {
			r->end = n->end;
			r->next = n->next;
			region_free(mm, n);
		} else {
			r = n;
		}
	}
}

size_t mm_mapped_bytes(struct mm *mm, uintptr_t start, size_t len)
{
	uintptr_t end = start + len;
	size_t n = 0;
	for (struct mm_region *r = mm->regions; r && r->start < end; r = r->next)
		if (r->end > start)
			n += MIN(r->end, end) - MAX(r->start, start);
	return n;
}

bool mm_may_expand(struct mm *mm, size_t bytes)
{
	uint64_t now = (uint64_t)mm->total_pages * PAGE_SIZE;
	return !mm->as_limit || (bytes <= mm->as_limit && now <= mm->as_limit - bytes);
}

int mm_unmap(struct mm *mm, uintptr_t start, size_t len)
{
	if (!mm_range_ok(start, len))
		return -EINVAL;
	uintptr_t end = start + len;
	int err = region_split_at(mm, start);
	if (!err)
		err = region_split_at(mm, end);
	if (err) {
		region_merge_all(mm);
		return err;
	}
	struct mm_region **pp = &mm->regions;
	while (*pp) {
		struct mm_region *r = *pp;
		if (r->start >= start && r->end <= end) {
			*pp = r->next;
			mm->total_pages -= (r->end - r->start) / PAGE_SIZE;
			region_free(mm, r);
		} else {
			pp = &r->next;
		}
	}
	return vm_space_unmap(mm->vs, start, len);
}

/* Decode and allocate, then replace [t->start, t->end) by one new region. */
int region_install(struct mm *mm, const struct mm_region *t)
{
	size_t len = t->end - t->start;

	if (t->end <= t->start || !mm_range_ok(t->start, len) || (t->prot & ~VM_RWX))
		return -EINVAL;
	if (!mm_may_expand(mm, len - mm_mapped_bytes(mm, t->start, len)))
		return -ENOMEM;
	struct mm_region *nr = region_alloc();
	if (!nr)
		return -ENOMEM;
	int err = mm_unmap(mm, t->start, len);
	if (err) {
		kfree(nr);
		return err;
	}
	*nr = *t;
	nr->next = NULL;
	region_hold(nr);
	region_link(mm, nr);
	region_merge_all(mm);
	return 0;
}

int mm_map(struct mm *mm, uintptr_t start, size_t len, unsigned prot, unsigned flags)
{
	struct mm_region t = { .start = start, .end = start + len, .prot = prot,
			       .maxprot = VM_RWX, .flags = flags & ~MMR_SHARED };
	return region_install(mm, &t);
}

int mm_map_object(struct mm *mm, uintptr_t start, size_t len, unsigned prot, unsigned flags,
		  const struct vmo_cap *cap, uint64_t pgoff)
{
	unsigned maxprot;

	if (!cap || !cap->obj || pgoff + len / PAGE_SIZE < pgoff)
		return -EINVAL;
	if (!vmo_cap_has(cap, VMO_READ))
		return -EACCES;
	if (flags & MMR_SHARED)
		maxprot = cap->rights & VM_RWX;
	else
		maxprot = VM_READ | VM_WRITE | (cap->rights & VM_EXEC); /* writes are private */
	if (prot & ~maxprot)
		return -EACCES;
	struct mm_region t = { .start = start, .end = start + len, .prot = prot,
			       .maxprot = maxprot, .flags = flags, .obj = *cap, .pgoff = pgoff };
	return region_install(mm, &t);
}

void region_apply_prot(struct mm *mm, struct mm_region *r)
{
	unsigned hp = hw_prot(r->prot), ro = hw_prot(r->prot & ~VM_WRITE);

	if (!(r->prot & VM_WRITE) || !region_private(r) || (!mm->cow && !r->obj.obj)) {
		vm_space_protect(mm->vs, r->start, r->end - r->start, hp);
		return;
	}
	/* A frame someone else also holds must stay read-only: copy-on-write. */
	for (uintptr_t va = r->start; va < r->end; va += PAGE_SIZE) {
		struct frame *f;
		if (vm_space_query(mm->vs, va, &f, NULL) == 0)
			vm_space_protect(mm->vs, va, PAGE_SIZE, frame_refcount(f) > 1 ? ro : hp);
	}
}

/* Decode for mm_protect: every page mapped (-ENOMEM), every right granted (-EACCES). */
static int protect_check(struct mm *mm, uintptr_t start, uintptr_t end, unsigned prot)
{
	uintptr_t covered = start;
	for (struct mm_region *r = mm->regions; r && covered < end; r = r->next) {
		if (r->end <= covered)
			continue;
		if (r->start > covered)
			return -ENOMEM;
		if (prot & ~r->maxprot)
			return -EACCES;
		covered = r->end;
	}
	return covered < end ? -ENOMEM : 0;
}

int mm_protect(struct mm *mm, uintptr_t start, size_t len, unsigned prot)
{
	if (!mm_range_ok(start, len) || (prot & ~VM_RWX))
		return -EINVAL;
	uintptr_t end = start + len;
	int err = protect_check(mm, start, end, prot);
	if (err)
		return err;
	err = region_split_at(mm, start);
	if (!err)
		err = region_split_at(mm, end);
	if (err) {
		region_merge_all(mm);
		return err;
	}
	for (struct mm_region *r = mm->regions; r && r->start < end; r = r->next) {
		if (r->start >= start) {
			r->prot = prot;
			/* Inaccessible pages stay mapped with no rights, keeping contents. */
			region_apply_prot(mm, r);
		}
	}
	region_merge_all(mm);
	return 0;
}

bool mm_range_free(struct mm *mm, uintptr_t start, size_t len)
{
	for (struct mm_region *r = mm->regions; r; r = r->next)
		if (region_start_gap(r) < start + len && r->end > start)
			return false;
	return true;
}

uintptr_t mm_find_free(struct mm *mm, size_t len)
{
	if (!len || len > mm->mmap_base - USER_VA_MIN)
		return 0;
	uintptr_t top = mm->mmap_base;
	for (;;) {
		uintptr_t cand = top - len;
		struct mm_region *clash = NULL;
		for (struct mm_region *r = mm->regions; r; r = r->next)
			if (region_start_gap(r) < top && r->end > cand)
				clash = r; /* the highest overlapping region */
		if (!clash)
			return cand;
		top = region_start_gap(clash);
		if (top < USER_VA_MIN + len)
			return 0;
	}
}

uintptr_t mm_find_free_bottom_up(struct mm *mm, size_t len, uintptr_t lo, uintptr_t hi)
{
	uintptr_t cand = lo;
	for (struct mm_region *r = mm->regions; r; r = r->next) {
		if (cand + len <= region_start_gap(r))
			break;  /* fits below r */
		if (r->end > cand)
			cand = r->end;
	}
	return len <= hi && cand <= hi - len ? cand : 0;
}
