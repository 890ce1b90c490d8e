/*
 * User address spaces.
 *
 * A vm_space is the hardware view of one user address space: which frame is
 * mapped at which page with which permissions. Policy (regions, demand
 * paging, copy-on-write, mmap, brk) belongs to components; the core only
 * installs and removes mappings. A mapping holds a reference to its frame.
 */
#ifndef JINUX_VM_SPACE_H
#define JINUX_VM_SPACE_H

#include <jinux/frame.h>
#include <jinux/types.h>

/* Page permissions; user-accessible always. VM_READ is implied by the others
 * on x86-64 hardware, but components should state what they mean. */
#define VM_READ 0x1u
#define VM_WRITE 0x2u
#define VM_EXEC 0x4u

/*
 * The user virtual range a component may map: [USER_VA_MIN, USER_VA_MAX).
 * The host target keeps its guest stub above USER_VA_MAX.
 */
#define USER_VA_MIN 0x10000UL
#define USER_VA_MAX 0x7ff000000000UL

struct vm_space;

/**
 * vm_space_create() - create an empty user address space.
 * Return: the space, or NULL when out of memory (host: when the guest
 * process cannot be started).
 */
struct vm_space *vm_space_create(void);

/**
 * vm_space_destroy() - unmap everything, drop every frame reference and
 * free @vs. No user context may be running in it any more.
 */
void vm_space_destroy(struct vm_space *vs);

/**
 * vm_space_map() - map @f at page-aligned @va with @prot (VM_*), replacing
 * any existing mapping there. Takes a reference on @f.
 * Return: 0; -EINVAL if @va is unaligned or outside the user range or @prot
 * has unknown bits; -ENOMEM if page tables cannot be allocated.
 */
int vm_space_map(struct vm_space *vs, uintptr_t va, struct frame *f, unsigned prot);

/**
 * vm_space_unmap() - remove all mappings in [va, va+len), dropping their
 * frame references. Pages not mapped are skipped.
 * Return: 0, or -EINVAL for an unaligned or out-of-range span.
 */
int vm_space_unmap(struct vm_space *vs, uintptr_t va, size_t len);

/**
 * vm_space_protect() - set the permissions of every mapped page in
 * [va, va+len) to @prot. Pages not mapped are skipped.
 * Return: 0, or -EINVAL for an unaligned or out-of-range span or bad @prot.
 */
int vm_space_protect(struct vm_space *vs, uintptr_t va, size_t len, unsigned prot);

/**
 * vm_space_query() - look up the mapping of the page containing @va.
 * Either output pointer may be NULL. No reference is taken on the frame.
 * Return: 0, or -ENOENT when nothing is mapped there.
 */
int vm_space_query(struct vm_space *vs, uintptr_t va, struct frame **f, unsigned *prot);

/*
 * A component's page-fault resolver for the user-copy routines: when
 * copy_to_user() and friends find a page missing or lacking the access
 * they need (VM_READ or VM_WRITE), they call it once per page and retry.
 * It returns 0 if it fixed the mapping, or a negative errno (the copy
 * then fails with -EFAULT).
 */
typedef int (*vm_fault_fn)(void *arg, uintptr_t va, unsigned access);

/** vm_space_set_fault_handler() - install @fn (NULL to remove) for @vs. */
void vm_space_set_fault_handler(struct vm_space *vs, vm_fault_fn fn, void *arg);

/** vm_space_mapped_pages() - number of pages mapped now (for tests). */
size_t vm_space_mapped_pages(const struct vm_space *vs);

#endif
