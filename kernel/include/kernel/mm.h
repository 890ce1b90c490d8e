/*
 * A process's memory map: the regions of its user address space and the
 * policy behind them (demand-zero anonymous memory, brk, mmap). The core's
 * vm_space only holds the installed page mappings; everything here is
 * component policy.
 */
#ifndef KERNEL_MM_H
#define KERNEL_MM_H

#include <jinux/types.h>
#include <jinux/vm_space.h>

/* Region flags. */
#define MMR_STACK 0x1u   /* the main thread's stack */
#define MMR_HEAP 0x2u    /* the brk heap */

struct mm_region {
	uintptr_t start, end;    /* page-aligned, [start, end) */
	unsigned prot;           /* VM_READ | VM_WRITE | VM_EXEC */
	unsigned flags;          /* MMR_* */
	struct mm_region *next;  /* sorted by start */
};

struct mm {
	struct vm_space *vs;
	struct mm_region *regions;
	uintptr_t brk_start, brk;  /* heap: [brk_start, brk) in use */
	uintptr_t mmap_base;       /* top-down search starts below this */
};

/** mm_create() - an empty memory map with a fresh vm_space; NULL on ENOMEM. */
struct mm *mm_create(void);
/** mm_destroy() - free the regions, the vm_space and every frame. */
void mm_destroy(struct mm *mm);

/**
 * mm_map() - make [start, start+len) a demand-zero region with @prot,
 * replacing whatever was mapped there. @start and @len page-aligned.
 * Return: 0, -EINVAL, or -ENOMEM.
 */
int mm_map(struct mm *mm, uintptr_t start, size_t len, unsigned prot, unsigned flags);

/** mm_unmap() - remove [start, start+len) (may split regions). 0 or -EINVAL. */
int mm_unmap(struct mm *mm, uintptr_t start, size_t len);

/** mm_protect() - change protection; -ENOMEM if part of the range is unmapped. */
int mm_protect(struct mm *mm, uintptr_t start, size_t len, unsigned prot);

/**
 * mm_find_free() - the highest free, page-aligned gap of @len bytes below
 * mm->mmap_base. Return: its start, or 0 if none.
 */
uintptr_t mm_find_free(struct mm *mm, size_t len);

/** mm_find_region() - the region containing @addr, or NULL. */
struct mm_region *mm_find_region(struct mm *mm, uintptr_t addr);

/**
 * mm_poke() - write @len bytes at user address @addr regardless of the
 * region's protection (for the ELF loader and stack set-up). The range
 * must lie inside regions. Return: 0, -EFAULT or -ENOMEM.
 */
int mm_poke(struct mm *mm, uintptr_t addr, const void *buf, size_t len);

/**
 * mm_handle_fault() - resolve a user page fault at @addr for @access
 * (VM_READ/VM_WRITE/VM_EXEC). Return: 0 if mapped now; -EFAULT if no region
 * covers it (SEGV_MAPERR); -EACCES if the region forbids the access
 * (SEGV_ACCERR); -ENOMEM if no frame was available.
 */
int mm_handle_fault(struct mm *mm, uintptr_t addr, unsigned access);

#endif
