/*
 * madvise(2) and mincore(2): advice about a range of the memory map, and
 * which of its pages are in memory. Advice that only tunes Linux's
 * reclaim or huge pages is accepted and has no effect here; advice with
 * a visible meaning (DONTNEED, DONTFORK, WIPEONFORK, POPULATE_*) is done.
 */
#include <jinux/errno.h>
#include <uapi/mman.h>
#include "mm_internal.h"

/* Does @r accept @advice? (Linux: EINVAL for advice a mapping cannot take.) */
static bool advice_fits(const struct mm_region *r, int advice)
{
	switch (advice) {
	case MADV_FREE:
	case MADV_WIPEONFORK:
		return region_private(r) && region_anon(r);  /* anonymous private only */
	default:
		return true;
	}
}

static unsigned flags_set(int advice)
{
	return advice == MADV_DONTFORK ? MMR_DONTFORK : advice == MADV_WIPEONFORK ? MMR_WIPEONFORK : 0;
}

static unsigned flags_clear(int advice)
{
	return advice == MADV_DOFORK ? MMR_DONTFORK : advice == MADV_KEEPONFORK ? MMR_WIPEONFORK : 0;
}

/* Set or clear region flags on exactly [start, end), splitting as needed. */
static int change_flags(struct mm *mm, uintptr_t start, uintptr_t end, unsigned set,
			unsigned clear)
{
	int err = region_split_at(mm, start);
	if (!err)
		err = region_split_at(mm, end);
	if (!err)
		for (struct mm_region *r = mm->regions; r && r->start < end; r = r->next)
			if (r->start >= start)
				r->flags = (r->flags | set) & ~clear;
	region_merge_all(mm);
	return err;
}

/* Apply @advice to [s, e), which lies inside one region @r. */
static int advise_part(struct mm *mm, struct mm_region *r, uintptr_t s, uintptr_t e, int advice)
{
	(void)r;
	switch (advice) {
	case MADV_DONTNEED:
	case MADV_DONTNEED_LOCKED:
		/*
		 * Private anonymous pages read zero again; others come back from
		 * their object, private file pages from the file (as Linux).
		 */
		return vm_space_unmap(mm->vs, s, e - s);
	case MADV_POPULATE_READ:
	case MADV_POPULATE_WRITE: {
		int err = mm_populate(mm, s, e - s,
				      advice == MADV_POPULATE_WRITE ? VM_WRITE : VM_READ);
		return err == -ENOMEM ? -ENOMEM : err ? -EFAULT : 0;
	}
	default:
		if (flags_set(advice) || flags_clear(advice))
			return change_flags(mm, s, e, flags_set(advice), flags_clear(advice));
		return 0;  /* a hint: MADV_FREE keeps the data, which Linux allows */
	}
}

static bool advice_known(int advice)
{
	switch (advice) {
	case MADV_NORMAL: case MADV_RANDOM: case MADV_SEQUENTIAL: case MADV_WILLNEED:
	case MADV_DONTNEED: case MADV_FREE: case MADV_DONTFORK: case MADV_DOFORK:
	case MADV_MERGEABLE: case MADV_UNMERGEABLE: case MADV_HUGEPAGE: case MADV_NOHUGEPAGE:
	case MADV_DONTDUMP: case MADV_DODUMP: case MADV_WIPEONFORK: case MADV_KEEPONFORK:
	case MADV_COLD: case MADV_PAGEOUT: case MADV_POPULATE_READ: case MADV_POPULATE_WRITE:
	case MADV_DONTNEED_LOCKED:
		return true;
	default:
		return false;  /* MADV_REMOVE, HWPOISON, COLLAPSE, GUARD_*: not supported */
	}
}

int mm_advise(struct mm *mm, uintptr_t start, size_t len, int advice)
{
	uintptr_t end = start + len;
	bool hole = false;

	if (!advice_known(advice))
		return -EINVAL;
	/* Decode: every region in the range must take the advice. */
	for (struct mm_region *r = mm->regions; r && r->start < end; r = r->next)
		if (r->end > start && !advice_fits(r, advice))
			return -EINVAL;
	uintptr_t at = start;
	while (at < end) {
		struct mm_region *r = mm_find_region(mm, at);
		if (!r) {
			/* Skip the hole up to the next region, and report it. */
			hole = true;
			struct mm_region *n = mm->regions;
			while (n && n->start <= at)
				n = n->next;
			if (!n || n->start >= end)
				break;
			at = n->start;
			continue;
		}
		uintptr_t e = MIN(r->end, end);
		int err = advise_part(mm, r, at, e, advice);
		if (err)
			return err;
		at = e;
	}
	return hole ? -ENOMEM : 0;
}

void mm_residency(struct mm *mm, uintptr_t start, size_t npages, unsigned char *vec)
{
	for (size_t i = 0; i < npages; i++) {
		uintptr_t va = start + i * PAGE_SIZE;
		struct mm_region *r = mm_find_region(mm, va);
		struct frame *f;
		vec[i] = vm_space_query(mm->vs, va, NULL, NULL) == 0;
		if (!vec[i] && r && r->obj.obj)
			vec[i] = vmo_cap_frame(&r->obj, region_pgoff(r, va), VMO_READ, false,
					       &f) == 0;
	}
}
