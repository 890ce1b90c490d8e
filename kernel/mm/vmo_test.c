/*
 * KTESTs for memory objects and their rights: static handles lose rights
 * by conversion only, dynamic handles are checked at run time, and a
 * mapping never gets more than its object grants.
 */
#include <jinux/errno.h>
#include <jinux/frame.h>
#include <jinux/ktest.h>
#include <jinux/uaccess.h>
#include <kernel/mm.h>
#include <kernel/vmo.h>

#define BASE 0x10000000UL

KTEST(vmo_holes_read_zero_and_writes_stick)
{
	vmo_rwx h = vmo_create(4);
	KASSERT(h.obj != NULL);
	uint64_t v = 0;
	KASSERT_EQ(vmo_read(h, 2 * PAGE_SIZE + 8, &v, sizeof(v)), 0);
	KASSERT_EQ(v, 0);
	KASSERT_EQ(vmo_resident(h.obj), 0);
	v = 0xfeed;
	KASSERT_EQ(vmo_write(h, 2 * PAGE_SIZE + 8, &v, sizeof(v)), 0);
	KASSERT_EQ(vmo_resident(h.obj), 1);
	v = 0;
	KASSERT_EQ(vmo_read(h, 2 * PAGE_SIZE + 8, &v, sizeof(v)), 0);
	KASSERT_EQ(v, 0xfeed);
	KASSERT_EQ(vmo_read(h, 4 * PAGE_SIZE - 4, &v, sizeof(v)), -EINVAL);
	vmo_put(h);
}

KTEST(vmo_restrict_keeps_only_fewer_rights)
{
	size_t before = frames_free();
	vmo_rwx h = vmo_create(1);
	vmo_rw rw = vmo_restrict_rw(h);
	KASSERT_EQ(vmo_write(rw, 0, "a", 1), 0);
	vmo_r r = vmo_restrict_r(rw);
	char c = 0;
	KASSERT_EQ(vmo_read(r, 0, &c, 1), 0);
	KASSERT_EQ(c, 'a');
	/* vmo_write(r, ...) does not compile: see test/mm_rights_compile.sh. */
	struct vmo_cap cap = vmo_cap(r);
	KASSERT_EQ(cap.rights, VMO_READ | VMO_DUP);
	KASSERT_EQ(vmo_write(cap, 0, "b", 1), -EACCES);
	struct vmo_cap ro = vmo_cap_restrict(cap, VMO_READ);
	struct vmo_cap dup;
	KASSERT_EQ(vmo_cap_dup(&ro, &dup), -EPERM);
	KASSERT_EQ(vmo_read(ro, 0, &c, 1), 0);
	vmo_put(ro);
	KASSERT_EQ(frames_free(), before);
}

KTEST(vmo_cap_checks_every_right)
{
	vmo_rwx h = vmo_create(2);
	struct vmo_cap all = vmo_cap(h), dup, wo;
	struct frame *f;
	KASSERT_EQ(vmo_cap_dup(&all, &dup), 0);
	KASSERT_EQ(vmo_refcount(all.obj), 2);
	wo = vmo_cap_restrict(dup, VMO_WRITE);
	char c;
	KASSERT_EQ(vmo_read(wo, 0, &c, 1), -EACCES);
	KASSERT_EQ(vmo_cap_frame(&wo, 0, VMO_READ, true, &f), -EACCES);
	KASSERT_EQ(vmo_cap_frame(&all, 5, VMO_READ, true, &f), -EIO);
	KASSERT_EQ(vmo_cap_frame(&all, 1, VMO_READ, false, &f), -ENOENT);
	KASSERT_EQ(vmo_cap_frame(&all, 1, VMO_READ | VMO_WRITE, true, &f), 0);
	KASSERT_EQ(frame_refcount(f), 1);
	KASSERT_EQ(vmo_cap_resize(&wo, 1), 0);
	KASSERT_EQ(vmo_npages(all.obj), 1);
	KASSERT_EQ(vmo_resident(all.obj), 0);
	vmo_put(wo);
	KASSERT_EQ(vmo_refcount(all.obj), 1);
	vmo_put(all);
}

KTEST(vmo_large_sparse_object_costs_only_touched_chunks)
{
	size_t before = frames_free();
	vmo_rwx h = vmo_create(1UL << 20); /* 4 GiB */
	KASSERT(h.obj != NULL);
	KASSERT_EQ(vmo_write(h, (1UL << 32) - 1, "z", 1), 0);
	KASSERT_EQ(vmo_resident(h.obj), 1);
	vmo_put(h);
	KASSERT_EQ(frames_free(), before);
}

KTEST(mm_shared_mapping_of_read_only_object_cannot_become_writable)
{
	struct mm *mm = mm_create();
	vmo_rwx h = vmo_create(2);
	KASSERT_EQ(vmo_write(h, 0, "hi", 2), 0);
	struct vmo_cap ro = vmo_cap(vmo_restrict_r(h));
	KASSERT_EQ(mm_map_object(mm, BASE, 2 * PAGE_SIZE, VM_READ | VM_WRITE, MMR_SHARED, &ro, 0),
		   -EACCES);
	KASSERT_EQ(mm_map_object(mm, BASE, 2 * PAGE_SIZE, VM_READ, MMR_SHARED, &ro, 0), 0);
	KASSERT_EQ(mm_protect(mm, BASE, PAGE_SIZE, VM_READ | VM_WRITE), -EACCES);
	KASSERT_EQ(mm_protect(mm, BASE, PAGE_SIZE, VM_READ | VM_EXEC), -EACCES);
	KASSERT_EQ(mm_find_region(mm, BASE)->prot, VM_READ);
	char buf[2];
	KASSERT_EQ(copy_from_user(mm->vs, buf, user_ptr(BASE), 2), 0);
	KASSERT(buf[0] == 'h' && buf[1] == 'i');
	KASSERT_EQ(copy_to_user(mm->vs, user_ptr(BASE), "x", 1), -EFAULT);
	KASSERT_EQ(mm_handle_fault(mm, BASE, VM_WRITE), -EACCES);
	/* A private view may be written: the writes stay private. */
	KASSERT_EQ(mm_map_object(mm, BASE, 2 * PAGE_SIZE, VM_READ | VM_WRITE, 0, &ro, 0), 0);
	KASSERT_EQ(copy_to_user(mm->vs, user_ptr(BASE), "X", 1), 0);
	KASSERT_EQ(copy_from_user(mm->vs, buf, user_ptr(BASE), 2), 0);
	KASSERT(buf[0] == 'X' && buf[1] == 'i');
	KASSERT_EQ(vmo_read(ro, 0, buf, 2), 0);
	KASSERT(buf[0] == 'h' && buf[1] == 'i');
	/* Without READ nothing can be mapped. */
	struct vmo_cap none = vmo_cap_restrict(ro, VMO_WRITE);
	KASSERT_EQ(mm_map_object(mm, BASE, PAGE_SIZE, VM_READ, 0, &none, 0), -EACCES);
	mm_destroy(mm);
	vmo_put(none);
}

KTEST(mm_shared_mapping_writes_reach_the_object)
{
	size_t before = frames_free();
	struct mm *mm = mm_create();
	vmo_rwx h = vmo_create(1);
	struct vmo_cap cap = vmo_cap(h);
	KASSERT_EQ(mm_map_object(mm, BASE, PAGE_SIZE, VM_READ | VM_WRITE, MMR_SHARED, &cap, 0),
		   0);
	KASSERT_EQ(mm_map_object(mm, BASE + 4 * PAGE_SIZE, PAGE_SIZE, VM_READ, MMR_SHARED, &cap,
				 0), 0);
	KASSERT_EQ(copy_to_user(mm->vs, user_ptr(BASE + 10), "shared", 6), 0);
	char buf[6];
	KASSERT_EQ(vmo_read(cap, 10, buf, 6), 0);
	KASSERT(buf[0] == 's' && buf[5] == 'd');
	KASSERT_EQ(copy_from_user(mm->vs, buf, user_ptr(BASE + 4 * PAGE_SIZE + 10), 6), 0);
	KASSERT(buf[0] == 's' && buf[5] == 'd');
	/* Past the object's end: SIGBUS. */
	KASSERT_EQ(mm_map_object(mm, BASE + PAGE_SIZE, PAGE_SIZE, VM_READ, MMR_SHARED, &cap, 1),
		   0);
	KASSERT_EQ(mm_handle_fault(mm, BASE + PAGE_SIZE, VM_READ), -EIO);
	KASSERT_EQ(mm_fault_si_code(-EIO), MM_BUS_ADRERR);
	vmo_put(cap);
	mm_destroy(mm);
	KASSERT_EQ(frames_free(), before);
}
