/*
 * A process's memory map: a sorted list of regions over the core's
 * vm_space. Regions are demand-zero: a page gets a frame on its first
 * touch (a user page fault or a kernel copy), never before.
 */
#include <jinux/errno.h>
#include <jinux/frame.h>
#include <jinux/heap.h>
#include <jinux/string.h>
#include <kernel/exec.h>
#include <kernel/mm.h>

/* Top-down mmap search starts below the stack and a guard gap. */
#define MMAP_TOP (USER_VA_MAX - EXEC_STACK_SIZE - (1UL << 30))

static unsigned hw_prot(unsigned prot)
{
	/* x86-64 pages that can be written or executed can also be read. */
	return prot ? (prot | VM_READ) : 0;
}

static bool range_ok(uintptr_t start, size_t len)
{
	return IS_ALIGNED(start, PAGE_SIZE) && IS_ALIGNED(len, PAGE_SIZE) && len &&
	       start >= USER_VA_MIN && start < USER_VA_MAX && len <= USER_VA_MAX - start;
}

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
	mm->mmap_base = MMAP_TOP;
	vm_space_set_fault_handler(mm->vs, mm_fault_cb, mm);
	return mm;
}

void mm_destroy(struct mm *mm)
{
	if (!mm)
		return;
	while (mm->regions) {
		struct mm_region *r = mm->regions;
		mm->regions = r->next;
		kfree(r);
	}
	vm_space_destroy(mm->vs);
	kfree(mm);
}

struct mm_region *mm_find_region(struct mm *mm, uintptr_t addr)
{
	for (struct mm_region *r = mm->regions; r && r->start <= addr; r = r->next)
		if (addr < r->end)
			return r;
	return NULL;
}

/* Split the region containing @addr so that a region boundary falls there. */
static int split_at(struct mm *mm, uintptr_t addr)
{
	struct mm_region *r = mm_find_region(mm, addr);
	if (!r || r->start == addr)
		return 0;
	struct mm_region *tail = kmalloc(sizeof(*tail));
	if (!tail)
		return -ENOMEM;
	*tail = *r;
	tail->start = addr;
	r->end = addr;
	r->next = tail;
	return 0;
}

/* Join neighbours that have become identical, keeping the list short. */
static void merge_adjacent(struct mm *mm)
{
	struct mm_region *r = mm->regions;
	while (r && r->next) {
		struct mm_region *n = r->next;
		if (r->end == n->start && r->prot == n->prot && r->flags == n->flags) {
			r->end = n->end;
			r->next = n->next;
			kfree(n);
		} else {
			r = n;
		}
	}
}

int mm_unmap(struct mm *mm, uintptr_t start, size_t len)
{
	if (!range_ok(start, len))
		return -EINVAL;
	uintptr_t end = start + len;
	int err = split_at(mm, start);
	if (!err)
		err = split_at(mm, end);
	if (err)
		return err;
	struct mm_region **pp = &mm->regions;
	while (*pp) {
		struct mm_region *r = *pp;
		if (r->start >= start && r->end <= end) {
			*pp = r->next;
			kfree(r);
		} else {
			pp = &r->next;
		}
	}
	return vm_space_unmap(mm->vs, start, len);
}

int mm_map(struct mm *mm, uintptr_t start, size_t len, unsigned prot, unsigned flags)
{
	if (!range_ok(start, len) || (prot & ~(VM_READ | VM_WRITE | VM_EXEC)))
		return -EINVAL;
	struct mm_region *nr = kmalloc(sizeof(*nr));
	if (!nr)
		return -ENOMEM;
	int err = mm_unmap(mm, start, len);
	if (err) {
		kfree(nr);
		return err;
	}
	nr->start = start;
	nr->end = start + len;
	nr->prot = prot;
	nr->flags = flags;
	struct mm_region **pp = &mm->regions;
	while (*pp && (*pp)->start < start)
		pp = &(*pp)->next;
	nr->next = *pp;
	*pp = nr;
	merge_adjacent(mm);
	return 0;
}

int mm_protect(struct mm *mm, uintptr_t start, size_t len, unsigned prot)
{
	if (!range_ok(start, len) || (prot & ~(VM_READ | VM_WRITE | VM_EXEC)))
		return -EINVAL;
	uintptr_t end = start + len;
	/* Decode first: every page must be mapped (else ENOMEM, as Linux). */
	uintptr_t covered = start;
	for (struct mm_region *r = mm->regions; r && covered < end; r = r->next)
		if (r->start <= covered && r->end > covered)
			covered = r->end;
	if (covered < end)
		return -ENOMEM;
	int err = split_at(mm, start);
	if (!err)
		err = split_at(mm, end);
	if (err)
		return err;
	for (struct mm_region *r = mm->regions; r; r = r->next)
		if (r->start >= start && r->end <= end)
			r->prot = prot;
	merge_adjacent(mm);
	/* Inaccessible pages stay mapped with no rights, keeping contents. */
	return vm_space_protect(mm->vs, start, len, hw_prot(prot));
}

uintptr_t mm_find_free(struct mm *mm, size_t len)
{
	if (!len || len > mm->mmap_base - USER_VA_MIN)
		return 0;
	uintptr_t top = mm->mmap_base;
	/* Walk gaps from the top: collect regions below top in reverse. */
	for (;;) {
		uintptr_t cand = top - len;
		struct mm_region *clash = NULL;
		for (struct mm_region *r = mm->regions; r; r = r->next)
			if (r->start < top && r->end > cand)
				clash = r; /* the highest overlapping region */
		if (!clash)
			return cand;
		if (clash->start < USER_VA_MIN + len)
			return 0;
		top = clash->start;
	}
}

static int populate(struct mm *mm, struct mm_region *r, uintptr_t page)
{
	struct frame *f = frame_alloc();
	if (!f)
		return -ENOMEM;
	int err = vm_space_map(mm->vs, page, f, hw_prot(r->prot));
	frame_put(f);
	return err;
}

int mm_handle_fault(struct mm *mm, uintptr_t addr, unsigned access)
{
	struct mm_region *r = mm_find_region(mm, addr);
	if (!r)
		return -EFAULT;
	if ((access & VM_WRITE && !(r->prot & VM_WRITE)) ||
	    (access & VM_EXEC && !(r->prot & VM_EXEC)) || !r->prot)
		return -EACCES;
	uintptr_t page = ALIGN_DOWN(addr, PAGE_SIZE);
	if (vm_space_query(mm->vs, page, NULL, NULL) == 0)
		return 0; /* already there: a spurious fault */
	return populate(mm, r, page);
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
		if (vm_space_query(mm->vs, page, &f, NULL) != 0) {
			int err = populate(mm, r, page);
			if (err)
				return err;
			vm_space_query(mm->vs, page, &f, NULL);
		}
		frame_write(f, off, src, n);
		src += n;
		addr += n;
		len -= n;
	}
	return 0;
}
