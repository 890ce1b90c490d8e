/*
 * User address spaces on 4-level x86-64 page tables.
 *
 * Each vm_space owns a PML4 whose upper half is a copy of the kernel's
 * (shared kernel page tables) and whose lower half holds user mappings,
 * all 4 KiB pages. Page-table pages are frames from the common allocator.
 * A leaf entry holds a reference to its frame. The permissions asked for
 * are kept in software bits so vm_space_query() returns them exactly;
 * a mapping with no permission at all is kept as a non-present entry
 * marked PTE_NONE.
 */
#include <jinux/errno.h>
#include <jinux/frame.h>
#include <jinux/heap.h>
#include <jinux/log.h>
#include <jinux/vm_space.h>

#include "arch_hooks.h"
#include "core_internal.h"
#include "x86.h"

#define PTE_P (1ULL << 0)
#define PTE_W (1ULL << 1)
#define PTE_U (1ULL << 2)
#define PTE_NONE (1ULL << 9)       /* software: mapped with no access */
#define PTE_PROT_SHIFT 52          /* software: VM_* bits as requested */
#define PTE_PROT_MASK (7ULL << PTE_PROT_SHIFT)
#define PTE_NX (1ULL << 63)
#define PTE_ADDR 0x000ffffffffff000ULL
#define PTE_TABLE (PTE_P | PTE_W | PTE_U)

#define LEVELS 4
#define ENTRIES 512
#define USER_PML4_ENTRIES 256

struct vm_space {
	uint64_t pml4_pa;
	vm_fault_fn fault_fn;
	void *fault_arg;
	size_t mapped;
};

static uint64_t *table(uint64_t entry)
{
	return phys_to_virt(entry & PTE_ADDR);
}

static unsigned index_at(uintptr_t va, int level)
{
	return (va >> (PAGE_SHIFT + 9 * level)) & (ENTRIES - 1);
}

static bool pte_mapped(uint64_t pte)
{
	return pte & (PTE_P | PTE_NONE);
}

static uint64_t alloc_table(void)
{
	struct frame *f = frame_alloc(); /* zeroed */
	return f ? (uint64_t)frame_pfn(f) << PAGE_SHIFT : 0;
}

static void free_table(uint64_t pa)
{
	frame_put(frame_from_pfn(pa >> PAGE_SHIFT));
}

static bool space_active(const struct vm_space *vs)
{
	return (read_cr3() & PTE_ADDR) == vs->pml4_pa;
}

/*
 * The leaf entry for @va, creating missing tables if @create. When the
 * walk stops at a missing table, *skip (if given) is the span it covers.
 */
static uint64_t *walk(struct vm_space *vs, uintptr_t va, bool create, uint64_t *skip)
{
	uint64_t *t = phys_to_virt(vs->pml4_pa);

	for (int level = LEVELS - 1; level > 0; level--) {
		uint64_t *e = &t[index_at(va, level)];
		if (!(*e & PTE_P)) {
			uint64_t pa = create ? alloc_table() : 0;
			if (!pa) {
				if (skip)
					*skip = 1ULL << (PAGE_SHIFT + 9 * level);
				return NULL;
			}
			*e = pa | PTE_TABLE;
		}
		t = table(*e);
	}
	return &t[index_at(va, 0)];
}

static uint64_t make_pte(uint64_t pa, unsigned prot)
{
	uint64_t pte = pa | ((uint64_t)prot << PTE_PROT_SHIFT);

	if (prot == 0)
		return pte | PTE_NONE;
	pte |= PTE_P | PTE_U;
	if (prot & VM_WRITE)
		pte |= PTE_W;
	if (!(prot & VM_EXEC) && x86_nx)
		pte |= PTE_NX;
	return pte;
}

static struct frame *pte_frame(uint64_t pte)
{
	return frame_from_pfn((pte & PTE_ADDR) >> PAGE_SHIFT);
}

static void flush(struct vm_space *vs, uintptr_t va)
{
	if (space_active(vs))
		invlpg(va);
}

static bool range_ok(uintptr_t va, size_t len)
{
	return IS_ALIGNED(va, PAGE_SIZE) && IS_ALIGNED(len, PAGE_SIZE) &&
	       va >= USER_VA_MIN && va <= USER_VA_MAX && len <= USER_VA_MAX - va;
}

static bool prot_ok(unsigned prot)
{
	return !(prot & ~(VM_READ | VM_WRITE | VM_EXEC));
}

struct vm_space *vm_space_create(void)
{
	struct vm_space *vs = kzalloc(sizeof(*vs));

	if (!vs)
		return NULL;
	vs->pml4_pa = alloc_table();
	if (!vs->pml4_pa) {
		kfree(vs);
		return NULL;
	}
	uint64_t *pml4 = phys_to_virt(vs->pml4_pa);
	const uint64_t *kernel = phys_to_virt(x86_kernel_cr3);
	for (unsigned i = USER_PML4_ENTRIES; i < ENTRIES; i++)
		pml4[i] = kernel[i];
	return vs;
}

/* Drop every mapping and table below @t (a table at @level). */
static void free_level(uint64_t *t, int level)
{
	for (unsigned i = 0; i < ENTRIES; i++) {
		uint64_t e = t[i];
		if (level == 0) {
			if (pte_mapped(e))
				frame_put(pte_frame(e));
		} else if (e & PTE_P) {
			free_level(table(e), level - 1);
			free_table(e & PTE_ADDR);
		}
	}
}

void vm_space_destroy(struct vm_space *vs)
{
	if (!vs)
		return;
	if (space_active(vs))
		vm_space_activate_kernel();
	uint64_t *pml4 = phys_to_virt(vs->pml4_pa);
	for (unsigned i = 0; i < USER_PML4_ENTRIES; i++) {
		if (pml4[i] & PTE_P) {
			free_level(table(pml4[i]), LEVELS - 2);
			free_table(pml4[i] & PTE_ADDR);
		}
	}
	free_table(vs->pml4_pa);
	kfree(vs);
}

int vm_space_map(struct vm_space *vs, uintptr_t va, struct frame *f, unsigned prot)
{
	if (!range_ok(va, PAGE_SIZE) || !prot_ok(prot) || !f)
		return -EINVAL;
	uint64_t *pte = walk(vs, va, true, NULL);
	if (!pte)
		return -ENOMEM;
	frame_get(f);
	uint64_t old = *pte;
	*pte = make_pte((uint64_t)frame_pfn(f) << PAGE_SHIFT, prot);
	if (pte_mapped(old)) {
		flush(vs, va);
		frame_put(pte_frame(old));
	} else {
		vs->mapped++;
	}
	return 0;
}

/* Call @fn on every mapped leaf entry in [va, va+len). */
static void for_each_pte(struct vm_space *vs, uintptr_t va, size_t len,
			 void (*fn)(struct vm_space *vs, uintptr_t va, uint64_t *pte, unsigned prot),
			 unsigned prot)
{
	uintptr_t end = va + len;

	while (va < end) {
		uint64_t skip = PAGE_SIZE;
		uint64_t *pte = walk(vs, va, false, &skip);
		if (pte && pte_mapped(*pte))
			fn(vs, va, pte, prot);
		uintptr_t next = ALIGN_DOWN(va, skip) + skip;
		if (next <= va)
			break;
		va = next;
	}
}

static void unmap_one(struct vm_space *vs, uintptr_t va, uint64_t *pte, unsigned prot)
{
	(void)prot;
	uint64_t old = *pte;
	*pte = 0;
	flush(vs, va);
	frame_put(pte_frame(old));
	vs->mapped--;
}

int vm_space_unmap(struct vm_space *vs, uintptr_t va, size_t len)
{
	if (!range_ok(va, len))
		return -EINVAL;
	for_each_pte(vs, va, len, unmap_one, 0);
	return 0;
}

static void protect_one(struct vm_space *vs, uintptr_t va, uint64_t *pte, unsigned prot)
{
	*pte = make_pte(*pte & PTE_ADDR, prot);
	flush(vs, va);
}

int vm_space_protect(struct vm_space *vs, uintptr_t va, size_t len, unsigned prot)
{
	if (!range_ok(va, len) || !prot_ok(prot))
		return -EINVAL;
	for_each_pte(vs, va, len, protect_one, prot);
	return 0;
}

/*
 * The permissions reported include VM_READ whenever the page is
 * accessible at all, as x86 hardware cannot make a page write- or
 * execute-only.
 */
int vm_space_query(struct vm_space *vs, uintptr_t va, struct frame **f, unsigned *prot)
{
	if (va < USER_VA_MIN || va >= USER_VA_MAX)
		return -ENOENT;
	uint64_t *pte = walk(vs, ALIGN_DOWN(va, PAGE_SIZE), false, NULL);
	if (!pte || !pte_mapped(*pte))
		return -ENOENT;
	if (f)
		*f = pte_frame(*pte);
	if (prot) {
		unsigned p = (*pte & PTE_PROT_MASK) >> PTE_PROT_SHIFT;
		*prot = p ? p | VM_READ : 0;
	}
	return 0;
}

void vm_space_set_fault_handler(struct vm_space *vs, vm_fault_fn fn, void *arg)
{
	vs->fault_fn = fn;
	vs->fault_arg = arg;
}

int vm_space_call_fault_handler(struct vm_space *vs, uintptr_t va, unsigned access)
{
	if (!vs->fault_fn)
		return -EFAULT;
	return vs->fault_fn(vs->fault_arg, va, access);
}

size_t vm_space_mapped_pages(const struct vm_space *vs)
{
	return vs->mapped;
}

/**
 * vm_space_root() - the CR3 value that activates @vs, fixed for its
 * lifetime (user_run() loads it unless CR3 holds it already).
 */
uint64_t vm_space_root(const struct vm_space *vs)
{
	return vs->pml4_pa;
}

void vm_space_activate_kernel(void)
{
	if ((read_cr3() & PTE_ADDR) != x86_kernel_cr3)
		write_cr3(x86_kernel_cr3);
}

/** vm_space_prot_none() - true if @va is mapped with no access (for faults). */
bool vm_space_prot_none(struct vm_space *vs, uintptr_t va)
{
	uint64_t *pte = walk(vs, ALIGN_DOWN(va, PAGE_SIZE), false, NULL);
	return pte && (*pte & PTE_NONE);
}
