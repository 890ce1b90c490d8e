/*
 * Kernel page tables: the boot tables built by boot.S become the kernel's
 * for good. This file drops the boot identity map and extends the direct
 * map beyond 4 GiB when the machine has more memory. Kernel mappings never
 * change after that, so user address spaces (vm_space.c) can share the
 * kernel half of the PML4 by copying its entries once.
 */
#include <jinux/log.h>

#include "x86.h"

#define PTE_P 0x1ULL
#define PTE_W 0x2ULL
#define PTE_PS 0x80ULL

extern uint64_t boot_pml4[], boot_pdpt[]; /* physical addresses (boot.S) */

uint64_t x86_kernel_cr3;
bool x86_nx;

static bool has_1g_pages(void)
{
	uint32_t r[4];
	cpuid(0x80000001, 0, r);
	return r[3] & (1u << 26);
}

/* Map [4 GiB, top) into the direct map with 1 GiB pages. */
static void extend_direct_map(uint64_t top)
{
	uint64_t *pdpt = phys_to_virt((uint64_t)(uintptr_t)boot_pdpt);

	if (top > DIRECT_MAP_MAX)
		top = DIRECT_MAP_MAX;
	if (!has_1g_pages()) {
		pr_warn("x86: no 1 GiB pages; memory above 4 GiB is not used\n");
		return;
	}
	for (uint64_t gb = 4; gb << 30 < top; gb++)
		pdpt[gb] = (gb << 30) | PTE_P | PTE_W | PTE_PS;
}

/**
 * paging_init() - finish the kernel page tables.
 * Returns the highest physical address the direct map covers.
 */
void paging_init(void)
{
	uint64_t *pml4 = phys_to_virt((uint64_t)(uintptr_t)boot_pml4);
	uint64_t top = 0;

	x86_kernel_cr3 = (uint64_t)(uintptr_t)boot_pml4;
	x86_nx = rdmsr(MSR_EFER) & EFER_NXE;
	for (unsigned i = 0; i < x86_boot.nr_ram; i++)
		top = MAX(top, x86_boot.ram[i].base + x86_boot.ram[i].len);
	if (top > (4ULL << 30))
		extend_direct_map(top);
	pml4[0] = 0; /* the identity map was only for the jump to the high half */
	write_cr3(x86_kernel_cr3);
}

/** direct_map_limit() - physical memory below this is reachable. */
uint64_t direct_map_limit(void)
{
	return has_1g_pages() ? DIRECT_MAP_MAX : 4ULL << 30;
}
