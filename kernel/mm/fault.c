/*
 * Page faults: demand paging (a page gets its frame on first touch),
 * copy-on-write of private pages, shared pages from their memory object
 * (a file's pages are its object, filemap.c), and stack growth below a growing region. The same paths serve kernel
 * writes into user memory (mm_poke) and MAP_POPULATE.
 */
#include <jinux/errno.h>
#include <jinux/frame.h>
#include <jinux/string.h>
#include "mm_internal.h"

static bool access_allowed(unsigned prot, unsigned access)
{
	if (!prot)
		return false;
	return !(access & ~hw_prot(prot));
}

/*
 * A write to a private page mapped read-only because another map or the
 * object also holds its frame: copy it, unless we are now the only
 * holder, in which case it is simply made writable.
 */
int fault_cow_break(struct mm *mm, struct mm_region *r, uintptr_t page, struct frame *f)
{
	unsigned prot = hw_prot(r->prot);

	if (frame_refcount(f) == 1)
		return vm_space_protect(mm->vs, page, PAGE_SIZE, prot);
	struct frame *copy = frame_alloc();
	if (!copy)
		return -ENOMEM;
	frame_copy(copy, f);
	int err = vm_space_map(mm->vs, page, copy, prot);
	frame_put(copy);
	return err;
}

/* Pages of an object mapped around a read fault (Linux's fault_around_bytes). */
#define FAULT_AROUND_PAGES 16

/*
 * After a read fault in a private view of an object, map the object's
 * pages around @page that are already in memory, read-only as the fault
 * itself maps them: a program's text is read in runs, and each fault
 * avoided saves a trap (most on the host target, where one is a ptrace
 * round trip). Nothing is allocated; failures only mean later faults.
 */
static void fault_around(struct mm *mm, struct mm_region *r, uintptr_t page)
{
	uintptr_t lo = MAX(ALIGN_DOWN(page, FAULT_AROUND_PAGES * PAGE_SIZE), r->start);
	uintptr_t hi = MIN(lo + FAULT_AROUND_PAGES * PAGE_SIZE, r->end);
	unsigned prot = hw_prot(r->prot & ~VM_WRITE);

	for (uintptr_t va = lo; va < hi; va += PAGE_SIZE) {
		struct frame *f;
		if (va == page || vm_space_query(mm->vs, va, NULL, NULL) == 0)
			continue;
		if (vmo_cap_frame(&r->obj, region_pgoff(r, va), VMO_READ, false, &f) != 0)
			continue;
		if (vm_space_map(mm->vs, va, f, prot) != 0)
			return;
	}
}

/*
 * Give a missing page its frame. A private view of an object (a
 * MAP_PRIVATE file mapping among them) maps the object's frame read-only
 * until it is written; @write copies at once.
 */
static int fault_in(struct mm *mm, struct mm_region *r, uintptr_t page, bool write)
{
	struct frame *f;
	int err;

	if (!r->obj.obj) {
		f = frame_alloc();
		if (!f)
			return -ENOMEM;
		err = vm_space_map(mm->vs, page, f, hw_prot(r->prot));
		frame_put(f);
		return err;
	}
	unsigned need = VMO_READ | (!region_private(r) && (r->prot & VM_WRITE) ? VMO_WRITE : 0);
	err = vmo_cap_frame(&r->obj, region_pgoff(r, page), need, true, &f);
	if (err)
		return err == -ENOSPC ? -EIO : err;  /* a full tmpfs: SIGBUS, as Linux */
	if (!region_private(r))
		return vm_space_map(mm->vs, page, f, hw_prot(r->prot));
	err = vm_space_map(mm->vs, page, f, hw_prot(r->prot & ~VM_WRITE));
	if (!err && write)
		err = fault_cow_break(mm, r, page, f);
	else if (!err)
		fault_around(mm, r, page);
	return err;
}

/*
 * A fault below a stack region grows it down to the faulting page, as
 * Linux's expand_stack: not into the guard gap above an accessible
 * mapping below, not past RLIMIT_STACK or RLIMIT_AS.
 */
static struct mm_region *grow_stack(struct mm *mm, uintptr_t addr)
{
	struct mm_region *prev = NULL, *r = mm->regions;
	while (r && r->end <= addr) {
		prev = r;
		r = r->next;
	}
	if (!r || !region_grows_down(r) || !region_anon(r))
		return NULL;
	uintptr_t start = ALIGN_DOWN(addr, PAGE_SIZE);
	uint64_t limit = mm->stack_limit ? mm->stack_limit : MM_STACK_LIMIT_DEFAULT;
	if (start < USER_VA_MIN || r->end - start > limit)
		return NULL;
	if (prev && prev->prot && !region_grows_down(prev) &&
	    start - prev->end < MM_STACK_GUARD_GAP)
		return NULL;
	if (!mm_may_expand(mm, r->start - start))
		return NULL;
	mm->total_pages += (r->start - start) / PAGE_SIZE;
	r->start = start;
	return r;
}

int mm_handle_fault(struct mm *mm, uintptr_t addr, unsigned access)
{
	struct mm_region *r = mm_find_region(mm, addr);
	if (!r)
		r = grow_stack(mm, addr);
	if (!r)
		return -EFAULT;
	if (!access_allowed(r->prot, access))
		return -EACCES;
	uintptr_t page = ALIGN_DOWN(addr, PAGE_SIZE);
	struct frame *f;
	unsigned hw;
	if (vm_space_query(mm->vs, page, &f, &hw) != 0)
		return fault_in(mm, r, page, access & VM_WRITE);
	if (access_allowed(hw, access))
		return 0; /* already there: a spurious fault */
	if ((access & VM_WRITE) && region_private(r))
		return fault_cow_break(mm, r, page, f);
	return vm_space_protect(mm->vs, page, PAGE_SIZE, hw_prot(r->prot));
}

/* The frame at @page, private to this map if the region is private. */
static int frame_for_poke(struct mm *mm, struct mm_region *r, uintptr_t page,
			  struct frame **out)
{
	int err;

	if (vm_space_query(mm->vs, page, out, NULL) != 0) {
		err = fault_in(mm, r, page, true);
		if (err)
			return err;
	} else if (region_private(r) && frame_refcount(*out) > 1) {
		err = fault_cow_break(mm, r, page, *out);
		if (err)
			return err;
	} else {
		return 0;
	}
	return vm_space_query(mm->vs, page, out, NULL) ? -EFAULT : 0;
}

int mm_poke(struct mm *mm, uintptr_t addr, const void *buf, size_t len)
{
	const char *src = buf;

	if (len > USER_VA_MAX || addr > USER_VA_MAX - len)
		return -EFAULT;
	while (len) {
		uintptr_t page = ALIGN_DOWN(addr, PAGE_SIZE);
		size_t off = addr - page, n = MIN(len, PAGE_SIZE - off);
		struct mm_region *r = mm_find_region(mm, addr);
		struct frame *f;
		if (!r)
			return -EFAULT;
		int err = frame_for_poke(mm, r, page, &f);
		if (err)
			return err == -EIO ? -EFAULT : err;
		frame_write(f, off, src, n);
		src += n;
		addr += n;
		len -= n;
	}
	return 0;
}

int mm_populate(struct mm *mm, uintptr_t start, size_t len, unsigned access)
{
	for (uintptr_t va = start; va < start + len; va += PAGE_SIZE) {
		struct mm_region *r = mm_find_region(mm, va);
		if (!r)
			return -ENOMEM;
		if (!r->prot)
			continue;  /* PROT_NONE pages are not populated, as Linux */
		int err = mm_handle_fault(mm, va, access & hw_prot(r->prot));
		if (err)
			return err;
	}
	return 0;
}
