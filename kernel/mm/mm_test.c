/*
 * KTESTs for the memory map: region split and merge, demand paging,
 * protection faults and frame accounting.
 */
#include <jinux/errno.h>
#include <jinux/frame.h>
#include <jinux/ktest.h>
#include <jinux/uaccess.h>
#include <kernel/mm.h>

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
