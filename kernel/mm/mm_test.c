/*
 * KTESTs for the memory map: region split and merge, demand paging,
 * protection faults and frame accounting.
 */
#include <jinux/errno.h>
#include <jinux/frame.h>
#include <jinux/ktest.h>
#include <jinux/uaccess.h>
#include <kernel/mm.h>
#include <kernel/vmo.h>

static unsigned count_regions(struct mm *mm)
{
	unsigned n = 0;
	for (struct mm_region *r = mm->regions; r; r = r->next)
		n++;
	return n;
}

#define BASE 0x10000000UL

KTEST(mm_unmap_in_middle_splits_region)
{
	struct mm *mm = mm_create();
	KASSERT(mm != NULL);
	KASSERT_EQ(mm_map(mm, BASE, 8 * PAGE_SIZE, VM_READ | VM_WRITE, 0), 0);
	KASSERT_EQ(count_regions(mm), 1);
	KASSERT_EQ(mm_unmap(mm, BASE + 2 * PAGE_SIZE, 2 * PAGE_SIZE), 0);
	KASSERT_EQ(count_regions(mm), 2);
	KASSERT(mm_find_region(mm, BASE + PAGE_SIZE) != NULL);
	KASSERT(mm_find_region(mm, BASE + 2 * PAGE_SIZE) == NULL);
	KASSERT(mm_find_region(mm, BASE + 4 * PAGE_SIZE) != NULL);
	mm_destroy(mm);
}

KTEST(mm_protect_splits_and_merges_back)
{
	struct mm *mm = mm_create();
	KASSERT_EQ(mm_map(mm, BASE, 4 * PAGE_SIZE, VM_READ | VM_WRITE, 0), 0);
	KASSERT_EQ(mm_protect(mm, BASE + PAGE_SIZE, PAGE_SIZE, VM_READ), 0);
	KASSERT_EQ(count_regions(mm), 3);
	KASSERT_EQ(mm_find_region(mm, BASE + PAGE_SIZE)->prot, VM_READ);
	KASSERT_EQ(mm_protect(mm, BASE + PAGE_SIZE, PAGE_SIZE, VM_READ | VM_WRITE), 0);
	KASSERT_EQ(count_regions(mm), 1);
	/* A hole in the range is ENOMEM, and nothing changes. */
	KASSERT_EQ(mm_protect(mm, BASE, 8 * PAGE_SIZE, VM_READ), -ENOMEM);
	KASSERT_EQ(mm_find_region(mm, BASE)->prot, VM_READ | VM_WRITE);
	mm_destroy(mm);
}

KTEST(mm_pages_appear_on_first_touch_and_are_freed_at_destroy)
{
	size_t before = frames_free();
	struct mm *mm = mm_create();
	KASSERT_EQ(mm_map(mm, BASE, 16 * PAGE_SIZE, VM_READ | VM_WRITE, 0), 0);
	KASSERT_EQ(vm_space_mapped_pages(mm->vs), 0);
	uint64_t v = 0x1234;
	KASSERT_EQ(copy_to_user(mm->vs, user_ptr(BASE + 3 * PAGE_SIZE + 8), &v, sizeof(v)), 0);
	KASSERT_EQ(vm_space_mapped_pages(mm->vs), 1);
	uint64_t w = 0;
	KASSERT_EQ(copy_from_user(mm->vs, &w, user_ptr(BASE + 3 * PAGE_SIZE + 8), sizeof(w)), 0);
	KASSERT_EQ(w, 0x1234);
	KASSERT_EQ(copy_from_user(mm->vs, &w, user_ptr(BASE + 5 * PAGE_SIZE), sizeof(w)), 0);
	KASSERT_EQ(w, 0);
	KASSERT_EQ(copy_from_user(mm->vs, &w, user_ptr(BASE + 16 * PAGE_SIZE), 1), -EFAULT);
	mm_destroy(mm);
	KASSERT_EQ(frames_free(), before);
}

KTEST(mm_fault_reports_maperr_and_accerr)
{
	struct mm *mm = mm_create();
	KASSERT_EQ(mm_map(mm, BASE, PAGE_SIZE, VM_READ, 0), 0);
	KASSERT_EQ(mm_handle_fault(mm, BASE + 5, VM_READ), 0);
	KASSERT_EQ(mm_handle_fault(mm, BASE + 5, VM_WRITE), -EACCES);
	KASSERT_EQ(mm_handle_fault(mm, BASE + 5, VM_EXEC), -EACCES);
	KASSERT_EQ(mm_handle_fault(mm, BASE + PAGE_SIZE, VM_READ), -EFAULT);
	KASSERT_EQ(copy_to_user(mm->vs, user_ptr(BASE), "x", 1), -EFAULT);
	KASSERT_EQ(mm_poke(mm, BASE, "x", 1), 0); /* the loader may write */
	mm_destroy(mm);
}

KTEST(mm_find_free_skips_used_ranges)
{
	struct mm *mm = mm_create();
	uintptr_t a = mm_find_free(mm, 4 * PAGE_SIZE);
	KASSERT(a != 0);
	KASSERT_EQ(mm_map(mm, a, 4 * PAGE_SIZE, VM_READ, 0), 0);
	uintptr_t b = mm_find_free(mm, 4 * PAGE_SIZE);
	KASSERT(b != 0);
	KASSERT(b + 4 * PAGE_SIZE <= a);
	KASSERT_EQ(mm_find_free(mm, USER_VA_MAX), 0);
	mm_destroy(mm);
}

KTEST(mm_rejects_bad_ranges)
{
	struct mm *mm = mm_create();
	KASSERT_EQ(mm_map(mm, BASE + 1, PAGE_SIZE, VM_READ, 0), -EINVAL);
	KASSERT_EQ(mm_map(mm, BASE, 0, VM_READ, 0), -EINVAL);
	KASSERT_EQ(mm_map(mm, USER_VA_MAX, PAGE_SIZE, VM_READ, 0), -EINVAL);
	KASSERT_EQ(mm_map(mm, USER_VA_MAX - PAGE_SIZE, 2 * PAGE_SIZE, VM_READ, 0), -EINVAL);
	KASSERT_EQ(mm_map(mm, BASE, PAGE_SIZE, 0x80, 0), -EINVAL);
	mm_destroy(mm);
}

KTEST(mm_regions_of_one_object_merge_only_when_contiguous)
{
	struct mm *mm = mm_create();
	vmo_rwx h = vmo_create(8);
	struct vmo_cap cap = vmo_cap(h);
	unsigned rw = VM_READ | VM_WRITE;
	KASSERT_EQ(mm_map_object(mm, BASE, 2 * PAGE_SIZE, rw, MMR_SHARED, &cap, 0), 0);
	KASSERT_EQ(mm_map_object(mm, BASE + 2 * PAGE_SIZE, 2 * PAGE_SIZE, rw, MMR_SHARED, &cap, 2),
		   0);
	KASSERT_EQ(count_regions(mm), 1);
	KASSERT_EQ(mm_map_object(mm, BASE + 4 * PAGE_SIZE, PAGE_SIZE, rw, MMR_SHARED, &cap, 7), 0);
	KASSERT_EQ(count_regions(mm), 2);
	/* Splitting keeps each half's page offset; the object is referenced per region. */
	KASSERT_EQ(mm_protect(mm, BASE + PAGE_SIZE, PAGE_SIZE, VM_READ), 0);
	KASSERT_EQ(count_regions(mm), 4);
	KASSERT_EQ(mm_find_region(mm, BASE + 2 * PAGE_SIZE)->pgoff, 2);
	KASSERT_EQ(vmo_refcount(cap.obj), 5);
	KASSERT_EQ(mm_protect(mm, BASE + PAGE_SIZE, PAGE_SIZE, rw), 0);
	KASSERT_EQ(count_regions(mm), 2);
	KASSERT_EQ(vmo_refcount(cap.obj), 3);
	/* A private anonymous neighbour does not merge with an object region. */
	KASSERT_EQ(mm_map(mm, BASE + 5 * PAGE_SIZE, PAGE_SIZE, rw, 0), 0);
	KASSERT_EQ(count_regions(mm), 3);
	KASSERT_EQ(mm->total_pages, 6);
	mm_destroy(mm);
	KASSERT_EQ(vmo_refcount(cap.obj), 1);
	vmo_put(cap);
}

KTEST(mm_as_limit_refuses_growth_beyond_it)
{
	struct mm *mm = mm_create();
	mm->as_limit = 4 * PAGE_SIZE;
	KASSERT_EQ(mm_map(mm, BASE, 4 * PAGE_SIZE, VM_READ, 0), 0);
	KASSERT_EQ(mm_map(mm, BASE + 8 * PAGE_SIZE, PAGE_SIZE, VM_READ, 0), -ENOMEM);
	/* Replacing mapped pages costs nothing. */
	KASSERT_EQ(mm_map(mm, BASE, 2 * PAGE_SIZE, VM_READ | VM_WRITE, 0), 0);
	KASSERT_EQ(mm_unmap(mm, BASE, PAGE_SIZE), 0);
	KASSERT_EQ(mm->total_pages, 3);
	KASSERT_EQ(mm_map(mm, BASE + 8 * PAGE_SIZE, PAGE_SIZE, VM_READ, 0), 0);
	KASSERT_EQ(mm_remap(mm, BASE + 8 * PAGE_SIZE, PAGE_SIZE, 2 * PAGE_SIZE, MM_REMAP_MAYMOVE, 0),
		   -ENOMEM);
	mm_destroy(mm);
}

#define STACK_TOP 0x40000000UL

KTEST(mm_stack_grows_down_within_limit_and_guard_gap)
{
	struct mm *mm = mm_create();
	mm->stack_limit = 64 * PAGE_SIZE;
	KASSERT_EQ(mm_map(mm, STACK_TOP - 4 * PAGE_SIZE, 4 * PAGE_SIZE, VM_READ | VM_WRITE,
			  MMR_STACK), 0);
	KASSERT_EQ(mm_handle_fault(mm, STACK_TOP - 10 * PAGE_SIZE + 8, VM_WRITE), 0);
	KASSERT_EQ(mm_find_region(mm, STACK_TOP - 5 * PAGE_SIZE)->start, STACK_TOP - 10 * PAGE_SIZE);
	KASSERT_EQ(mm->total_pages, 10);
	/* Beyond RLIMIT_STACK: SEGV_MAPERR. */
	KASSERT_EQ(mm_handle_fault(mm, STACK_TOP - 65 * PAGE_SIZE, VM_READ), -EFAULT);
	KASSERT_EQ(mm_fault_si_code(-EFAULT), MM_SEGV_MAPERR);
	/* A mapping below keeps a guard gap of 256 pages free. */
	mm->stack_limit = 0;
	uintptr_t below = STACK_TOP - 10 * PAGE_SIZE - MM_STACK_GUARD_GAP - 2 * PAGE_SIZE;
	KASSERT_EQ(mm_map(mm, below, PAGE_SIZE, VM_READ, 0), 0);
	KASSERT_EQ(mm_handle_fault(mm, below + 2 * PAGE_SIZE, VM_READ), -EFAULT);
	KASSERT_EQ(mm_handle_fault(mm, below + PAGE_SIZE + MM_STACK_GUARD_GAP, VM_READ), 0);
	/* mmap's search keeps out of the gap too. */
	KASSERT(!mm_range_free(mm, below + 2 * PAGE_SIZE, PAGE_SIZE));
	mm_destroy(mm);
}

KTEST(mm_remap_grows_in_place_or_moves_pages)
{
	size_t before = frames_free();
	struct mm *mm = mm_create();
	KASSERT_EQ(mm_map(mm, BASE, 2 * PAGE_SIZE, VM_READ | VM_WRITE, 0), 0);
	uint64_t v = 77;
	KASSERT_EQ(copy_to_user(mm->vs, user_ptr(BASE + PAGE_SIZE), &v, 8), 0);
	KASSERT_EQ(mm_remap(mm, BASE, 2 * PAGE_SIZE, 4 * PAGE_SIZE, 0, 0), (long)BASE);
	KASSERT_EQ(mm_find_region(mm, BASE)->end, BASE + 4 * PAGE_SIZE);
	KASSERT_EQ(mm_map(mm, BASE + 4 * PAGE_SIZE, PAGE_SIZE, VM_READ, 0), 0);
	KASSERT_EQ(mm_remap(mm, BASE, 4 * PAGE_SIZE, 8 * PAGE_SIZE, 0, 0), -ENOMEM);
	long to = mm_remap(mm, BASE, 4 * PAGE_SIZE, 8 * PAGE_SIZE, MM_REMAP_MAYMOVE, 0);
	KASSERT(to > 0 && (uintptr_t)to != BASE);
	KASSERT(mm_find_region(mm, BASE) == NULL);
	v = 0;
	KASSERT_EQ(copy_from_user(mm->vs, &v, user_ptr(to + PAGE_SIZE), 8), 0);
	KASSERT_EQ(v, 77);
	KASSERT_EQ(mm_remap(mm, to, PAGE_SIZE, PAGE_SIZE, MM_REMAP_FIXED, BASE), -EINVAL);
	KASSERT_EQ(mm_remap(mm, to, 8 * PAGE_SIZE, 8 * PAGE_SIZE,
			    MM_REMAP_FIXED | MM_REMAP_MAYMOVE, to + PAGE_SIZE), -EINVAL);
	KASSERT_EQ(mm_remap(mm, BASE + 64 * PAGE_SIZE, PAGE_SIZE, 2 * PAGE_SIZE, 0, 0), -EFAULT);
	KASSERT_EQ(mm_remap(mm, to, 2 * PAGE_SIZE, PAGE_SIZE, 0, 0), to);
	KASSERT_EQ(mm_find_region(mm, to)->end, (uintptr_t)to + PAGE_SIZE);
	mm_destroy(mm);
	KASSERT_EQ(frames_free(), before);
}

KTEST(mm_madvise_dontneed_zeroes_private_and_keeps_shared)
{
	struct mm *mm = mm_create();
	unsigned rw = VM_READ | VM_WRITE;
	KASSERT_EQ(mm_map(mm, BASE, PAGE_SIZE, rw, 0), 0);
	vmo_rwx h = vmo_create(1);
	struct vmo_cap cap = vmo_cap(h);
	KASSERT_EQ(mm_map_object(mm, BASE + PAGE_SIZE, PAGE_SIZE, rw, MMR_SHARED, &cap, 0), 0);
	vmo_put(cap);
	uint64_t v = 5, w = 0;
	KASSERT_EQ(copy_to_user(mm->vs, user_ptr(BASE), &v, 8), 0);
	KASSERT_EQ(copy_to_user(mm->vs, user_ptr(BASE + PAGE_SIZE), &v, 8), 0);
	KASSERT_EQ(mm_advise(mm, BASE, 2 * PAGE_SIZE, 4 /* MADV_DONTNEED */), 0);
	KASSERT_EQ(vm_space_mapped_pages(mm->vs), 0);
	KASSERT_EQ(copy_from_user(mm->vs, &w, user_ptr(BASE), 8), 0);
	KASSERT_EQ(w, 0);
	KASSERT_EQ(copy_from_user(mm->vs, &w, user_ptr(BASE + PAGE_SIZE), 8), 0);
	KASSERT_EQ(w, 5);
	KASSERT_EQ(mm_advise(mm, BASE, 2 * PAGE_SIZE, 8 /* MADV_FREE */), -EINVAL);
	KASSERT_EQ(mm_advise(mm, BASE, 3 * PAGE_SIZE, 0 /* MADV_NORMAL */), -ENOMEM);
	KASSERT_EQ(mm_advise(mm, BASE, PAGE_SIZE, 12345), -EINVAL);
	mm_destroy(mm);
}
