/*
 * A process's memory map: the regions of its user address space and the
 * policy behind them (demand paging, copy-on-write, shared memory
 * objects, brk, mmap, stack growth). The core's vm_space only holds the
 * installed page mappings; everything here is component policy. See
 * docs/vm.md.
 */
#ifndef KERNEL_MM_H
#define KERNEL_MM_H

#include <jinux/errno.h>
#include <jinux/types.h>
#include <jinux/vm_space.h>
#include <kernel/vmo.h>

struct file;

/* Region flags. */
#define MMR_STACK 0x1u       /* the main thread's stack (grows down) */
#define MMR_HEAP 0x2u        /* the brk heap */
#define MMR_SHARED 0x4u      /* MAP_SHARED: writes go to the object */
#define MMR_GROWSDOWN 0x8u   /* MAP_GROWSDOWN: grows down on faults below it */
#define MMR_DONTFORK 0x10u   /* MADV_DONTFORK: not inherited by fork */
#define MMR_WIPEONFORK 0x20u /* MADV_WIPEONFORK: the child gets zero pages */

/* Linux's stack_guard_gap: 256 pages kept free below a growing stack. */
#define MM_STACK_GUARD_GAP (256UL * PAGE_SIZE)
/* RLIMIT_STACK when the process sets none (Linux's default, 8 MiB). */
#define MM_STACK_LIMIT_DEFAULT (8UL << 20)

/*
 * One mapping: [start, end) with one protection, backed by private
 * anonymous memory (obj.obj and file both NULL) or by a memory object
 * seen through the handle @obj, shared or as a private copy-on-write
 * view. A mapping of a regular file is a mapping of the file's page
 * cache (its vmo) that also holds the open file (@file).
 */
struct mm_region {
	uintptr_t start, end;    /* page-aligned, [start, end) */
	unsigned prot;           /* VM_READ | VM_WRITE | VM_EXEC */
	unsigned maxprot;        /* what mprotect may ever grant (from @obj's rights) */
	unsigned flags;          /* MMR_* */
	struct vmo_cap obj;      /* owns a reference when obj.obj != NULL */
	struct file *file;       /* file mapping: owns a reference (Linux's vm_file) */
	uint64_t pgoff;          /* page of @obj or @file mapped at @start */
	struct mm_region *next;  /* sorted by start */
};

struct mm {
	struct vm_space *vs;
	struct mm_region *regions;
	uintptr_t brk_start, brk;  /* heap: [brk_start, brk) in use */
	uintptr_t mmap_base;       /* top-down search starts below this */
	uint64_t as_limit;         /* RLIMIT_AS in bytes; 0 = unlimited (set by process code) */
	uint64_t stack_limit;      /* RLIMIT_STACK in bytes; 0 = MM_STACK_LIMIT_DEFAULT */
	size_t total_pages;        /* pages covered by regions (counted against as_limit) */
	unsigned refcount;         /* mm_get/mm_put references (CLONE_VM sharers) */
	bool cow;                  /* some private page may be shared with another mm */
	struct mm *all_prev, *all_next;  /* every memory map, for mm_zap_object() */
};

/** mm_create() - an empty memory map with a fresh vm_space, one user; NULL on ENOMEM. */
struct mm *mm_create(void);

/**
 * mm_destroy() - free the regions, the vm_space and every frame, whatever
 * the user count (for the sole owner, e.g. a failed exec). Prefer mm_put().
 */
void mm_destroy(struct mm *mm);

/** mm_get() - another user of @mm (a CLONE_VM thread or child). Returns @mm. */
struct mm *mm_get(struct mm *mm);

/** mm_put() - drop a user; the last one destroys the map. NULL is ignored. */
void mm_put(struct mm *mm);

/**
 * mm_fork() - a copy of @parent for fork(2): private pages become
 * copy-on-write (mapped read-only in both; a write fault copies the frame
 * unless no one else maps it any more), shared regions share their memory
 * object, MADV_DONTFORK regions are left out and MADV_WIPEONFORK regions
 * start empty. Limits, brk and mmap_base are inherited.
 * Return: the child map with one user, or NULL when out of memory (the
 * parent is then unchanged but for harmless read-only downgrades).
 */
struct mm *mm_fork(struct mm *parent);

/**
 * mm_map() - make [start, start+len) a demand-zero private region with
 * @prot, replacing whatever was mapped there. @start and @len page-aligned.
 * Return: 0, -EINVAL, or -ENOMEM (also when as_limit would be exceeded).
 */
int mm_map(struct mm *mm, uintptr_t start, size_t len, unsigned prot, unsigned flags);

/**
 * mm_map_object() - map the object behind @cap at [start, start+len) from
 * its page @pgoff, replacing whatever was there. MMR_SHARED in @flags
 * makes writes reach the object; otherwise the mapping is a private
 * copy-on-write view. The region takes its own reference.
 * Return: 0; -EINVAL; -EACCES when @cap lacks READ, or (shared) a right
 * @prot asks for (as Linux for a file opened without it); -ENOMEM.
 */
int mm_map_object(struct mm *mm, uintptr_t start, size_t len, unsigned prot, unsigned flags,
		  const struct vmo_cap *cap, uint64_t pgoff);

/**
 * mm_map_file() - map regular file @f at [start, start+len), file page
 * @pgoff at @start, replacing whatever was there. The pages are the
 * file's own (its page cache, vfs_file_vmo()): with MMR_SHARED in @flags
 * writes reach the file and every other mapping at once; otherwise the
 * file's pages are mapped read-only and copied on the first write. The
 * part of the last page past the end of the file reads zero; pages
 * wholly past it give SIGBUS, also after a truncate.
 * @maxprot: what mprotect may grant later (no VM_EXEC from a noexec
 * mount; no VM_WRITE in a shared mapping of a file opened read-only).
 * The region holds its own reference to @f, so the descriptor may be
 * closed and the file unlinked while it is mapped. The caller checked
 * that @f is a readable regular file.
 * Return: 0, -EINVAL, -EACCES (@prot beyond @maxprot), -ENOMEM.
 */
int mm_map_file(struct mm *mm, uintptr_t start, size_t len, unsigned prot, unsigned maxprot,
		unsigned flags, struct file *f, uint64_t pgoff);

/**
 * mm_zap_object() - remove the mappings of pages @from_pg and beyond of
 * object @v from every memory map (shared mappings and private views,
 * their private copies included, as Linux's truncate does), so that the
 * next touch faults and finds the page gone. For vmo_cap_resize().
 */
void mm_zap_object(const struct vmo *v, uint64_t from_pg);

/**
 * mm_sync() - msync(2) of [start, start+len): nothing to write back (no
 * backing store, as tmpfs). Return: 0; -ENOMEM if part of it is unmapped.
 */
int mm_sync(struct mm *mm, uintptr_t start, size_t len);

/** mm_unmap() - remove [start, start+len) (may split regions). 0, -EINVAL or -ENOMEM. */
int mm_unmap(struct mm *mm, uintptr_t start, size_t len);

/**
 * mm_protect() - change protection. Nothing changes on error.
 * Return: 0; -ENOMEM if part of the range is unmapped; -EACCES if a
 * region's object does not grant a right in @prot; -EINVAL.
 */
int mm_protect(struct mm *mm, uintptr_t start, size_t len, unsigned prot);

/**
 * mm_find_free() - the highest free, page-aligned gap of @len bytes below
 * mm->mmap_base, keeping the guard gap below growing stacks.
 * Return: its start, or 0 if none.
 */
uintptr_t mm_find_free(struct mm *mm, size_t len);

/** mm_find_free_bottom_up() - the lowest free gap of @len in [lo, hi), or 0 (MAP_32BIT). */
uintptr_t mm_find_free_bottom_up(struct mm *mm, size_t len, uintptr_t lo, uintptr_t hi);

/** mm_range_free() - nothing mapped in [start, start+len), guard gaps included? */
bool mm_range_free(struct mm *mm, uintptr_t start, size_t len);

/** mm_mapped_bytes() - how much of [start, start+len) regions cover. */
size_t mm_mapped_bytes(struct mm *mm, uintptr_t start, size_t len);

/** mm_may_expand() - would @bytes more of mappings stay within as_limit? */
bool mm_may_expand(struct mm *mm, size_t bytes);

/** mm_find_region() - the region containing @addr, or NULL. */
struct mm_region *mm_find_region(struct mm *mm, uintptr_t addr);

/**
 * mm_poke() - write @len bytes at user address @addr regardless of the
 * region's protection (for the ELF loader and stack set-up), breaking
 * copy-on-write sharing. The range must lie inside regions.
 * Return: 0, -EFAULT or -ENOMEM.
 */
int mm_poke(struct mm *mm, uintptr_t addr, const void *buf, size_t len);

/**
 * mm_handle_fault() - resolve a user page fault at @addr for @access
 * (VM_READ/VM_WRITE/VM_EXEC), growing a stack region down if @addr lies
 * below one within its limits.
 * Return: 0 if mapped now; -EFAULT if no region covers it (SIGSEGV,
 * SEGV_MAPERR); -EACCES if the region forbids the access (SIGSEGV,
 * SEGV_ACCERR); -EIO past the end of a shared object or wholly past
 * the end of a mapped file (SIGBUS, BUS_ADRERR); -ENOMEM if no frame was available (OOM kill).
 * mm_fault_si_code() maps these to the si_code.
 */
int mm_handle_fault(struct mm *mm, uintptr_t addr, unsigned access);

/* si_code values for the SIGSEGV/SIGBUS a failed fault sends (Linux ABI). */
#define MM_SEGV_MAPERR 1
#define MM_SEGV_ACCERR 2
#define MM_BUS_ADRERR 2

/** mm_fault_si_code() - the si_code for an error from mm_handle_fault(). */
static inline int mm_fault_si_code(int err)
{
	return err == -EACCES ? MM_SEGV_ACCERR : err == -EIO ? MM_BUS_ADRERR : MM_SEGV_MAPERR;
}

/**
 * mm_populate() - fault in every page of [start, start+len) that its
 * region allows (MAP_POPULATE, MADV_POPULATE_*); stops at the first error.
 * Return: 0 or the error of mm_handle_fault().
 */
int mm_populate(struct mm *mm, uintptr_t start, size_t len, unsigned access);

/* mremap(2) flags as mm_remap() takes them (the Linux values). */
#define MM_REMAP_MAYMOVE 1u
#define MM_REMAP_FIXED 2u
#define MM_REMAP_DONTUNMAP 4u

/**
 * mm_remap() - mremap(2): resize [old, old+old_len) to @new_len in place
 * or, with MM_REMAP_MAYMOVE, by moving its pages (to @new_addr with
 * MM_REMAP_FIXED). Lengths are rounded up to pages.
 * Return: the new address, or -EINVAL (bad flags, alignment, overlap),
 * -EFAULT (old range not inside one mapping), -ENOMEM (no room, as_limit).
 */
long mm_remap(struct mm *mm, uintptr_t old, size_t old_len, size_t new_len, unsigned flags,
	      uintptr_t new_addr);

/**
 * mm_advise() - madvise(2) with Linux's MADV_* @advice on a page-aligned
 * range. Return: 0, -EINVAL (unknown advice or one the region does not
 * support), -ENOMEM (part of the range unmapped; the advice is applied
 * to the mapped parts), -EPERM.
 */
int mm_advise(struct mm *mm, uintptr_t start, size_t len, int advice);

/**
 * mm_residency() - mincore(2) for @npages pages from page-aligned @start:
 * byte i of @vec is 1 if page i is in memory. The caller has checked the
 * range is mapped (mm_mapped_bytes).
 */
void mm_residency(struct mm *mm, uintptr_t start, size_t npages, unsigned char *vec);

#endif
