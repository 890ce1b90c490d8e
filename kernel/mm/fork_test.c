/*
 * KTESTs for copy-on-write fork: frame accounting through fork, writes
 * on both sides and teardown; shared regions stay shared; DONTFORK and
 * WIPEONFORK.
 */
#include <jinux/errno.h>
#include <jinux/frame.h>
#include <jinux/ktest.h>
#include <jinux/uaccess.h>
#include <kernel/mm.h>

#define BASE 0x10000000UL
#define RW (VM_READ | VM_WRITE)

static uint64_t peek(struct mm *mm, uintptr_t va)
{
	uint64_t v = ~0ULL;
	copy_from_user(mm->vs, &v, user_ptr(va), sizeof(v));
	return v;
}

static int poke(struct mm *mm, uintptr_t va, uint64_t v)
{
	return copy_to_user(mm->vs, user_ptr(va), &v, sizeof(v));
}

KTEST(mm_fork_shares_pages_until_written)
{
	size_t before = frames_free();
	struct mm *parent = mm_create();
	KASSERT_EQ(mm_map(parent, BASE, 4 * PAGE_SIZE, RW, 0), 0);
	for (int i = 0; i < 4; i++)
		KASSERT_EQ(poke(parent, BASE + i * PAGE_SIZE, 100 + i), 0);
	struct mm *child = mm_fork(parent);
	KASSERT(child != NULL);
	/* No page was copied: both map the same frames, read-only. */
	struct frame *fp, *fc;
	unsigned prot;
	KASSERT_EQ(vm_space_query(child->vs, BASE, &fc, &prot), 0);
	KASSERT_EQ(prot, VM_READ);
	KASSERT_EQ(vm_space_query(parent->vs, BASE, &fp, &prot), 0);
	KASSERT_EQ(prot, VM_READ);
	KASSERT(fp == fc);
	KASSERT_EQ(frame_refcount(fp), 2);
	KASSERT_EQ(peek(child, BASE + 3 * PAGE_SIZE), 103);
	/* The child writes page 0: it gets a copy; the parent keeps the original. */
	size_t free0 = frames_free();
	KASSERT_EQ(poke(child, BASE, 7), 0);
	KASSERT_EQ(frames_free(), free0 - 1);
	KASSERT_EQ(peek(child, BASE), 7);
	KASSERT_EQ(peek(parent, BASE), 100);
	KASSERT_EQ(frame_refcount(fp), 1);
	/* The parent's write to page 0 now reuses its frame: no copy. */
	KASSERT_EQ(poke(parent, BASE, 8), 0);
	KASSERT_EQ(frames_free(), free0 - 1);
	KASSERT_EQ(vm_space_query(parent->vs, BASE, &fc, NULL), 0);
	KASSERT(fc == fp);
	/* The parent writes page 1 while still shared: a copy. */
	KASSERT_EQ(poke(parent, BASE + PAGE_SIZE, 9), 0);
	KASSERT_EQ(frames_free(), free0 - 2);
	KASSERT_EQ(peek(child, BASE + PAGE_SIZE), 101);
	mm_destroy(child);
	/* Pages 2 and 3 are the parent's alone again. */
	KASSERT_EQ(poke(parent, BASE + 2 * PAGE_SIZE, 10), 0);
	mm_destroy(parent);
	KASSERT_EQ(frames_free(), before);
}

KTEST(mm_fork_then_destroy_parent_first_frees_everything)
{
	size_t before = frames_free();
	struct mm *parent = mm_create();
	KASSERT_EQ(mm_map(parent, BASE, 8 * PAGE_SIZE, RW, 0), 0);
	for (int i = 0; i < 8; i++)
		KASSERT_EQ(poke(parent, BASE + i * PAGE_SIZE, i), 0);
	struct mm *child = mm_fork(parent);
	struct mm *grandchild = mm_fork(child);
	KASSERT(child && grandchild);
	mm_destroy(parent);
	KASSERT_EQ(poke(grandchild, BASE, 42), 0);
	KASSERT_EQ(peek(child, BASE), 0);
	mm_destroy(child);
	KASSERT_EQ(peek(grandchild, BASE + 7 * PAGE_SIZE), 7);
	mm_destroy(grandchild);
	KASSERT_EQ(frames_free(), before);
}

KTEST(mm_fork_keeps_shared_regions_shared)
{
	size_t before = frames_free();
	struct mm *parent = mm_create();
	vmo_rwx h = vmo_create(2);
	struct vmo_cap cap = vmo_cap(h);
	KASSERT_EQ(mm_map_object(parent, BASE, 2 * PAGE_SIZE, RW, MMR_SHARED, &cap, 0), 0);
	vmo_put(cap);
	KASSERT_EQ(poke(parent, BASE, 1), 0);
	struct mm *child = mm_fork(parent);
	KASSERT(child != NULL);
	KASSERT_EQ(peek(child, BASE), 1);
	KASSERT_EQ(poke(child, BASE + PAGE_SIZE, 2), 0);
	KASSERT_EQ(peek(parent, BASE + PAGE_SIZE), 2);
	KASSERT_EQ(poke(parent, BASE, 3), 0);
	KASSERT_EQ(peek(child, BASE), 3);
	mm_destroy(parent);
	KASSERT_EQ(peek(child, BASE), 3);
	mm_destroy(child);
	KASSERT_EQ(frames_free(), before);
}

KTEST(mm_fork_cow_survives_mprotect)
{
	struct mm *parent = mm_create();
	KASSERT_EQ(mm_map(parent, BASE, PAGE_SIZE, RW, 0), 0);
	KASSERT_EQ(poke(parent, BASE, 5), 0);
	struct mm *child = mm_fork(parent);
	KASSERT_EQ(mm_protect(child, BASE, PAGE_SIZE, VM_READ), 0);
	KASSERT_EQ(mm_protect(child, BASE, PAGE_SIZE, RW), 0);
	unsigned prot;
	KASSERT_EQ(vm_space_query(child->vs, BASE, NULL, &prot), 0);
	KASSERT_EQ(prot, VM_READ); /* still shared: still read-only */
	KASSERT_EQ(poke(child, BASE, 6), 0);
	KASSERT_EQ(peek(parent, BASE), 5);
	mm_destroy(child);
	mm_destroy(parent);
}

KTEST(mm_fork_honours_dontfork_and_wipeonfork)
{
	struct mm *parent = mm_create();
	KASSERT_EQ(mm_map(parent, BASE, 3 * PAGE_SIZE, RW, 0), 0);
	for (int i = 0; i < 3; i++)
		KASSERT_EQ(poke(parent, BASE + i * PAGE_SIZE, 50 + i), 0);
	KASSERT_EQ(mm_advise(parent, BASE, PAGE_SIZE, 10 /* MADV_DONTFORK */), 0);
	KASSERT_EQ(mm_advise(parent, BASE + PAGE_SIZE, PAGE_SIZE, 18 /* MADV_WIPEONFORK */), 0);
	struct mm *child = mm_fork(parent);
	KASSERT(mm_find_region(child, BASE) == NULL);
	KASSERT_EQ(peek(child, BASE + PAGE_SIZE), 0);
	KASSERT_EQ(peek(child, BASE + 2 * PAGE_SIZE), 52);
	KASSERT_EQ(peek(parent, BASE + PAGE_SIZE), 51);
	mm_destroy(child);
	mm_destroy(parent);
}

KTEST(mm_get_put_share_one_map)
{
	size_t before = frames_free();
	struct mm *mm = mm_create();
	KASSERT(mm_get(mm) == mm);
	KASSERT_EQ(mm->refcount, 2);
	KASSERT_EQ(mm_map(mm, BASE, PAGE_SIZE, RW, 0), 0);
	KASSERT_EQ(poke(mm, BASE, 1), 0);
	mm_put(mm);
	KASSERT_EQ(peek(mm, BASE), 1);
	mm_put(mm);
	KASSERT_EQ(frames_free(), before);
}
