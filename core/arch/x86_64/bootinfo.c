/*
 * Boot information: what the boot loader tells the kernel about the
 * machine (command line, initramfs module, memory map), read from a PVH
 * hvm_start_info (QEMU -kernel) or a Multiboot2 information structure
 * (GRUB) into one loader-independent struct boot_info.
 */
#include <jinux/string.h>
#include <jinux/machine.h>

#include "x86.h"

struct boot_info x86_boot;
static char cmdline[4096];

/* PVH boot ABI (xen/include/public/arch-x86/hvm/start_info.h). */
#define PVH_MAGIC 0x336ec578
struct hvm_start_info {
	uint32_t magic, version, flags, nr_modules;
	uint64_t modlist_paddr, cmdline_paddr, rsdp_paddr;
	uint64_t memmap_paddr;
	uint32_t memmap_entries, reserved;
};
struct hvm_modlist_entry {
	uint64_t paddr, size, cmdline_paddr, reserved;
};
struct hvm_memmap_entry {
	uint64_t addr, size;
	uint32_t type, reserved;
};

/* Multiboot2 tags. */
#define MB2_TAG_END 0
#define MB2_TAG_CMDLINE 1
#define MB2_TAG_MODULE 3
#define MB2_TAG_MMAP 6
struct mb2_tag {
	uint32_t type, size;
};
struct mb2_module {
	struct mb2_tag tag;
	uint32_t mod_start, mod_end;
	char string[];
};
struct mb2_mmap {
	struct mb2_tag tag;
	uint32_t entry_size, entry_version;
};
struct mb2_mmap_entry {
	uint64_t addr, len;
	uint32_t type, reserved;
};

#define E820_RAM 1

static void add_ram(uint64_t base, uint64_t len, uint32_t type)
{
	if (type != E820_RAM || len == 0 || x86_boot.nr_ram == MAX_MEM_RANGES)
		return;
	x86_boot.ram[x86_boot.nr_ram].base = base;
	x86_boot.ram[x86_boot.nr_ram].len = len;
	x86_boot.nr_ram++;
}

static void set_cmdline(uint64_t pa)
{
	if (pa)
		kstrlcpy(cmdline, phys_to_virt(pa), sizeof(cmdline));
}

static void parse_pvh(const struct hvm_start_info *si)
{
	if (si->magic != PVH_MAGIC)
		return;
	x86_boot.loader = "PVH";
	set_cmdline(si->cmdline_paddr);
	if (si->nr_modules > 0 && si->modlist_paddr) {
		const struct hvm_modlist_entry *m = phys_to_virt(si->modlist_paddr);
		x86_boot.initrd_base = m->paddr;
		x86_boot.initrd_len = m->size;
	}
	if (si->version >= 1 && si->memmap_paddr) {
		const struct hvm_memmap_entry *e = phys_to_virt(si->memmap_paddr);
		for (uint32_t i = 0; i < si->memmap_entries; i++)
			add_ram(e[i].addr, e[i].size, e[i].type);
	}
}

static void parse_mb2_mmap(const struct mb2_mmap *t)
{
	const char *p = (const char *)(t + 1);
	const char *end = (const char *)t + t->tag.size;
	for (; p + sizeof(struct mb2_mmap_entry) <= end; p += t->entry_size) {
		const struct mb2_mmap_entry *e = (const void *)p;
		add_ram(e->addr, e->len, e->type);
	}
}

static void parse_mb2(const char *mbi)
{
	uint32_t total = *(const uint32_t *)mbi;
	const char *p = mbi + 8;

	x86_boot.loader = "Multiboot2";
	while (p + sizeof(struct mb2_tag) <= mbi + total) {
		const struct mb2_tag *t = (const void *)p;
		if (t->type == MB2_TAG_END)
			break;
		if (t->type == MB2_TAG_CMDLINE)
			kstrlcpy(cmdline, (const char *)(t + 1), sizeof(cmdline));
		if (t->type == MB2_TAG_MODULE && !x86_boot.initrd_len) {
			const struct mb2_module *m = (const void *)t;
			x86_boot.initrd_base = m->mod_start;
			x86_boot.initrd_len = m->mod_end - m->mod_start;
		}
		if (t->type == MB2_TAG_MMAP)
			parse_mb2_mmap((const void *)t);
		p += ALIGN_UP(t->size, 8);
	}
}

/**
 * bootinfo_parse() - copy what the boot loader handed over into x86_boot.
 * @type: BOOT_PVH or BOOT_MB2 (from the entry point taken)
 * @info_phys: physical address of the loader's structure
 */
void bootinfo_parse(uint32_t type, uint32_t info_phys)
{
	x86_boot.loader = "unknown";
	if (type == BOOT_PVH)
		parse_pvh(phys_to_virt(info_phys));
	else if (type == BOOT_MB2)
		parse_mb2(phys_to_virt(info_phys));
}

const char *boot_cmdline(void)
{
	return cmdline;
}

const void *boot_initramfs(size_t *len)
{
	*len = x86_boot.initrd_len;
	return x86_boot.initrd_len ? phys_to_virt(x86_boot.initrd_base) : NULL;
}
