/*
 * KTESTs for the x86_64 page-table implementation of vm_space: mappings,
 * permissions, replacement, range operations and frame reference counts.
 */
#include <jinux/errno.h>
#include <jinux/frame.h>
#include <jinux/heap.h>
#include <jinux/ktest.h>
#include <jinux/vm_space.h>

#include "core_internal.h"

#define VA1 0x400000UL
#define VA2 0x7fe000000000UL /* far away: its own page tables */

KTEST(x86_vm_map_query_protect_unmap_keeps_refcounts)
{
	size_t frames0 = frames_free(), heap0 = heap_bytes_in_use();
	struct vm_space *vs = vm_space_create();
	struct frame *f = frame_alloc(), *g = frame_alloc(), *q;
	unsigned prot;

	KASSERT(vs && f && g);
	KASSERT_EQ(vm_space_map(vs, VA1, f, VM_READ | VM_WRITE), 0);
	KASSERT_EQ(vm_space_map(vs, VA2, f, VM_READ | VM_EXEC), 0);
	KASSERT_EQ(frame_refcount(f), 3);
	KASSERT_EQ(vm_space_mapped_pages(vs), 2);
	KASSERT_EQ(vm_space_query(vs, VA1 + 123, &q, &prot), 0);
	KASSERT(q == f);
	KASSERT_EQ(prot, VM_READ | VM_WRITE);
	KASSERT_EQ(vm_space_query(vs, VA2, NULL, &prot), 0);
	KASSERT_EQ(prot, VM_READ | VM_EXEC);
	KASSERT_EQ(vm_space_query(vs, VA1 + PAGE_SIZE, NULL, NULL), -ENOENT);

	KASSERT_EQ(vm_space_protect(vs, VA1, PAGE_SIZE, VM_READ), 0);
	KASSERT_EQ(vm_space_query(vs, VA1, NULL, &prot), 0);
	KASSERT_EQ(prot, VM_READ);
	KASSERT_EQ(vm_space_protect(vs, VA1, PAGE_SIZE, 0), 0); /* PROT_NONE stays mapped */
	KASSERT_EQ(vm_space_query(vs, VA1, &q, &prot), 0);
	KASSERT(q == f);
	KASSERT_EQ(prot, 0);

	KASSERT_EQ(vm_space_map(vs, VA1, g, VM_WRITE), 0); /* replaces f */
	KASSERT_EQ(frame_refcount(f), 2);
	KASSERT_EQ(frame_refcount(g), 2);
	KASSERT_EQ(vm_space_mapped_pages(vs), 2);

	KASSERT_EQ(vm_space_unmap(vs, USER_VA_MIN, USER_VA_MAX - USER_VA_MIN), 0);
	KASSERT_EQ(vm_space_mapped_pages(vs), 0);
	KASSERT_EQ(frame_refcount(f), 1);
	KASSERT_EQ(frame_refcount(g), 1);
	KASSERT_EQ(vm_space_query(vs, VA2, NULL, NULL), -ENOENT);

	vm_space_destroy(vs);
	frame_put(f);
	frame_put(g);
	KASSERT_EQ(frames_free(), frames0);
	KASSERT_EQ(heap_bytes_in_use(), heap0);
}

KTEST(x86_vm_rejects_bad_arguments)
{
	struct vm_space *vs = vm_space_create();
	struct frame *f = frame_alloc();

	KASSERT(vs && f);
	KASSERT_EQ(vm_space_map(vs, VA1 + 1, f, VM_READ), -EINVAL);
	KASSERT_EQ(vm_space_map(vs, 0, f, VM_READ), -EINVAL);
	KASSERT_EQ(vm_space_map(vs, USER_VA_MAX, f, VM_READ), -EINVAL);
	KASSERT_EQ(vm_space_map(vs, 0xffff800000000000UL, f, VM_READ), -EINVAL);
	KASSERT_EQ(vm_space_map(vs, VA1, f, 0x8), -EINVAL);
	KASSERT_EQ(vm_space_unmap(vs, VA1, 1), -EINVAL);
	KASSERT_EQ(vm_space_protect(vs, VA1, PAGE_SIZE, 0x10), -EINVAL);
	KASSERT_EQ(vm_space_unmap(vs, USER_VA_MAX - PAGE_SIZE, 2 * PAGE_SIZE), -EINVAL);
	KASSERT_EQ(frame_refcount(f), 1);
	vm_space_destroy(vs);
	frame_put(f);
}

static int fault_calls;
static int count_fault(void *arg, uintptr_t va, unsigned access)
{
	(void)arg;
	(void)va;
	(void)access;
	fault_calls++;
	return -EFAULT;
}

KTEST(x86_vm_fault_handler_is_called_by_uaccess_path)
{
	struct vm_space *vs = vm_space_create();

	KASSERT(vs);
	KASSERT_EQ(vm_space_call_fault_handler(vs, VA1, VM_READ), -EFAULT);
	fault_calls = 0;
	vm_space_set_fault_handler(vs, count_fault, NULL);
	KASSERT_EQ(vm_space_call_fault_handler(vs, VA1, VM_READ), -EFAULT);
	KASSERT_EQ(fault_calls, 1);
	vm_space_destroy(vs);
}
