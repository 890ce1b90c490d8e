/*
 * mremap(2): shrink a mapping, grow it in place, or move its pages to a
 * new address (frames move with their protections, so copy-on-write
 * sharing survives the move). Arguments are decoded and checked first,
 * as Linux's mremap checks them, then the change is made.
 */
#include <jinux/errno.h>
#include "mm_internal.h"

/* Move the mappings of [from, from+len) to @to; on failure undo. */
static int move_pages(struct mm *mm, uintptr_t from, uintptr_t to, size_t len)
{
	for (size_t off = 0; off < len; off += PAGE_SIZE) {
		struct frame *f;
		unsigned hw;
		if (vm_space_query(mm->vs, from + off, &f, &hw) != 0)
			continue;
		if (vm_space_map(mm->vs, to + off, f, hw)) {
			if (off)
				vm_space_unmap(mm->vs, to, off);
			return -ENOMEM;
		}
	}
	return vm_space_unmap(mm->vs, from, len);
}

/*
 * Move the region @r = [old, old+old_len) (already split out) to a new
 * region [to, to+new_len): its pages follow it. With @keep_old (old_len 0
 * of a shared mapping, or MREMAP_DONTUNMAP) the old region stays.
 */
static long move_region(struct mm *mm, struct mm_region *r, size_t old_len, uintptr_t to,
			size_t new_len, bool keep_old)
{
	struct mm_region *nr = region_alloc();
	if (!nr)
		return -ENOMEM;
	int err = old_len ? move_pages(mm, r->start, to, MIN(old_len, new_len)) : 0;
	if (err) {
		region_free(mm, nr);
		region_merge_all(mm);
		return err;
	}
	*nr = *r;
	region_hold(nr);
	nr->start = to;
	nr->end = to + new_len;
	nr->flags &= ~MMR_STACK;
	if (!keep_old)
		mm_unmap(mm, r->start, old_len);
	region_link(mm, nr);
	region_merge_all(mm);
	return (long)to;
}

/* Linux's vma_to_resize(): the old range must lie in one region. */
static long old_region(struct mm *mm, uintptr_t old, size_t old_len, size_t new_len,
		       struct mm_region **out)
{
	struct mm_region *r = mm_find_region(mm, old);
	if (!r)
		return -EFAULT;
	if (!old_len && region_private(r))
		return -EINVAL;
	if (old_len > r->end - old)
		return -EFAULT;
	if (new_len > old_len && !mm_may_expand(mm, new_len - old_len))
		return -ENOMEM;
	*out = r;
	return 0;
}

/* Split so that [old, old+len) is a region of its own, and return it. */
static struct mm_region *isolate(struct mm *mm, uintptr_t old, size_t len, long *err)
{
	*err = region_split_at(mm, old);
	if (!*err && len)
		*err = region_split_at(mm, old + len);
	if (*err) {
		region_merge_all(mm);
		return NULL;
	}
	return mm_find_region(mm, old);
}

static long remap_fixed(struct mm *mm, uintptr_t old, size_t old_len, size_t new_len,
			unsigned flags, uintptr_t new_addr)
{
	struct mm_region *r;
	long err;

	if (!IS_ALIGNED(new_addr, PAGE_SIZE) || new_addr < USER_VA_MIN ||
	    new_len > USER_VA_MAX || new_addr > USER_VA_MAX - new_len)
		return -EINVAL;
	if (new_addr < old + old_len && old < new_addr + new_len)
		return -EINVAL;  /* the ranges overlap */
	err = old_region(mm, old, old_len, new_len, &r);
	if (err)
		return err;
	err = mm_unmap(mm, new_addr, new_len);
	if (!err && old_len > new_len) {
		err = mm_unmap(mm, old + new_len, old_len - new_len);
		old_len = new_len;
	}
	if (err || !(r = isolate(mm, old, old_len, &err)))
		return err;
	return move_region(mm, r, old_len, new_addr, new_len,
			   !old_len || (flags & MM_REMAP_DONTUNMAP));
}

/* Grow [old, old+old_len), the end of region @r, in place if the space is free. */
static bool grow_in_place(struct mm *mm, struct mm_region *r, uintptr_t old, size_t old_len,
			  size_t new_len)
{
	uintptr_t end = old + old_len;
	size_t more = new_len - old_len;
	if (!old_len || end != r->end || more > USER_VA_MAX - end ||
	    !mm_range_free(mm, end, more))
		return false;
	r->end += more;
	mm->total_pages += more / PAGE_SIZE;
	region_merge_all(mm);
	return true;
}

long mm_remap(struct mm *mm, uintptr_t old, size_t old_len, size_t new_len, unsigned flags,
	      uintptr_t new_addr)
{
	struct mm_region *r;
	long err;

	if (!IS_ALIGNED(old, PAGE_SIZE))
		return -EINVAL;
	if (flags & ~(MM_REMAP_MAYMOVE | MM_REMAP_FIXED | MM_REMAP_DONTUNMAP))
		return -EINVAL;
	if ((flags & (MM_REMAP_FIXED | MM_REMAP_DONTUNMAP)) && !(flags & MM_REMAP_MAYMOVE))
		return -EINVAL;
	if ((flags & MM_REMAP_DONTUNMAP) && old_len != new_len)
		return -EINVAL;
	if (old_len > USER_VA_MAX || new_len > USER_VA_MAX)
		return -EINVAL;
	old_len = ALIGN_UP(old_len, PAGE_SIZE);
	new_len = ALIGN_UP(new_len, PAGE_SIZE);
	if (!new_len)
		return -EINVAL;
	if (old < USER_VA_MIN || old_len > USER_VA_MAX - old)
		return -EFAULT;
	if (flags & MM_REMAP_FIXED)
		return remap_fixed(mm, old, old_len, new_len, flags, new_addr);
	if (old_len >= new_len && !(flags & MM_REMAP_DONTUNMAP)) {
		if (old_len > new_len) {
			err = mm_unmap(mm, old + new_len, old_len - new_len);
			if (err)
				return err;
		}
		return (long)old;
	}
	err = old_region(mm, old, old_len, new_len, &r);
	if (err)
		return err;
	if (!(flags & MM_REMAP_DONTUNMAP) && grow_in_place(mm, r, old, old_len, new_len))
		return (long)old;
	if (!(flags & MM_REMAP_MAYMOVE))
		return -ENOMEM;
	uintptr_t to = mm_find_free(mm, new_len);
	if (!to)
		return -ENOMEM;
	if (!(r = isolate(mm, old, old_len, &err)))
		return err;
	return move_region(mm, r, old_len, to, new_len, !old_len || (flags & MM_REMAP_DONTUNMAP));
}
