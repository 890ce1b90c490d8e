/*
 * Physical memory at boot: carve the kernel heap out of the largest free
 * RAM range, then hand every other free page of RAM to the common frame
 * allocator. Never handed out: the first 1 MiB (firmware, BIOS data), the
 * kernel image (with the boot page tables) and the initramfs module.
 */
#include <jinux/log.h>

#include "arch_hooks.h"
#include "x86.h"

#define LOW_MEMORY (1ULL << 20)
#define HEAP_MIN (8ULL << 20)
#define HEAP_MAX (128ULL << 20)

static struct mem_range reserved[4];
static unsigned nr_reserved;

static void reserve(uint64_t base, uint64_t len)
{
	if (len == 0)
		return;
	reserved[nr_reserved].base = ALIGN_DOWN(base, PAGE_SIZE);
	reserved[nr_reserved].len = ALIGN_UP(base + len, PAGE_SIZE) - reserved[nr_reserved].base;
	nr_reserved++;
}

/*
 * Call @fn on each piece of [lo, hi) not covered by reserved[first...],
 * clipped to the direct map and page aligned.
 */
static void for_each_free(uint64_t lo, uint64_t hi, unsigned first,
			  void (*fn)(uint64_t lo, uint64_t hi))
{
	lo = ALIGN_UP(lo, PAGE_SIZE);
	hi = ALIGN_DOWN(MIN(hi, direct_map_limit()), PAGE_SIZE);
	if (lo >= hi)
		return;
	for (unsigned i = first; i < nr_reserved; i++) {
		uint64_t rlo = reserved[i].base, rhi = rlo + reserved[i].len;
		if (rhi <= lo || rlo >= hi)
			continue;
		for_each_free(lo, rlo, i + 1, fn);
		for_each_free(rhi, hi, i + 1, fn);
		return;
	}
	fn(lo, hi);
}

static struct mem_range largest;

static void note_largest(uint64_t lo, uint64_t hi)
{
	if (hi - lo > largest.len) {
		largest.base = lo;
		largest.len = hi - lo;
	}
}

static void give_frames(uint64_t lo, uint64_t hi)
{
	frame_pool_add(lo >> PAGE_SHIFT, (hi - lo) >> PAGE_SHIFT);
}

static void for_each_free_ram(void (*fn)(uint64_t lo, uint64_t hi))
{
	for (unsigned i = 0; i < x86_boot.nr_ram; i++)
		for_each_free(x86_boot.ram[i].base,
			      x86_boot.ram[i].base + x86_boot.ram[i].len, 0, fn);
}

/**
 * mem_init() - set up the heap, then the frame allocator.
 * The heap takes an eighth of the largest free range (8..128 MiB).
 */
void mem_init(void)
{
	uint64_t kernel_pa = (uint64_t)(uintptr_t)_kernel_phys_start;
	uint64_t total = 0;

	reserve(0, LOW_MEMORY);
	reserve(kernel_pa, (uint64_t)(uintptr_t)_kernel_end - KERNEL_VMA - kernel_pa);
	reserve(x86_boot.initrd_base, x86_boot.initrd_len);

	for_each_free_ram(note_largest);
	for (unsigned i = 0; i < x86_boot.nr_ram; i++)
		total += x86_boot.ram[i].len;
	uint64_t heap = ALIGN_DOWN(MIN(MAX(total / 8, HEAP_MIN), HEAP_MAX), PAGE_SIZE);
	if (heap > largest.len / 2)
		heap = ALIGN_DOWN(largest.len / 2, PAGE_SIZE);
	if (heap == 0)
		panic("x86: no usable memory (loader %s)", x86_boot.loader);
	heap_init(phys_to_virt(largest.base), heap);
	reserve(largest.base, heap);

	for_each_free_ram(give_frames);
	pr_info("x86: %lu MiB RAM, heap %lu MiB at 0x%lx\n", (unsigned long)(total >> 20),
		(unsigned long)(heap >> 20), (unsigned long)largest.base);
}
