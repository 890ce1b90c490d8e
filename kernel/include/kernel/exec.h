/*
 * Program loading: ELF64 executables and the System V initial stack.
 */
#ifndef KERNEL_EXEC_H
#define KERNEL_EXEC_H

#include <jinux/types.h>
#include <kernel/mm.h>

/* Where a loaded image landed, for the auxiliary vector and brk. */
struct exec_image {
	uint64_t entry;      /* AT_ENTRY: entry point after relocation */
	uint64_t phdr;       /* AT_PHDR: user address of the program headers */
	uint64_t phent;      /* AT_PHENT */
	uint64_t phnum;      /* AT_PHNUM */
	uint64_t load_bias;  /* 0 for ET_EXEC; chosen base for ET_DYN */
	uint64_t brk_start;  /* page-aligned end of the highest segment */
	/* Set by the caller before stack_setup(): the auxv identity. */
	uint32_t uid, euid, gid, egid;  /* AT_UID, AT_EUID, AT_GID, AT_EGID */
	bool secure;                    /* AT_SECURE: set-id or capability gain */
};

/* Base at which static-PIE (ET_DYN without PT_INTERP) images are loaded. */
#define EXEC_PIE_BASE 0x555555554000UL

/**
 * elf_load() - validate the ELF64 x86-64 executable in @file (@size bytes)
 * and map its PT_LOAD segments into @mm (file bytes copied, .bss zero).
 * ET_EXEC and static-PIE ET_DYN are accepted; PT_INTERP is refused.
 * Never trusts a header field: every offset and size is bounds-checked.
 * Return: 0; -ENOEXEC for anything malformed, truncated, not x86-64, or
 * with PT_INTERP; -EINVAL for overlapping or out-of-range segments;
 * -ENOMEM when memory runs out.
 */
int elf_load(struct mm *mm, const void *file, size_t size, struct exec_image *out);

struct inode;

/**
 * elf_load_inode() - elf_load() of the regular file @i, its whole pages
 * mapped copy-on-write from the executable image cache (copied only when
 * the file cannot be cached). Return: as elf_load().
 */
int elf_load_inode(struct mm *mm, struct inode *i, struct exec_image *out);

/**
 * exec_cache_get() - a READ|EXEC|DUP handle on a memory object holding the
 * bytes of regular file @i, zero-padded to whole pages: cached, or copied
 * into the cache now. The caller drops it with vmo_put().
 * Return: 0; -ENOMEM if the file cannot be cached.
 */
int exec_cache_get(struct inode *i, struct vmo_cap *out);

/** exec_cache_flush() - drop every cached image (before the leak check). */
void exec_cache_flush(void);

/*
 * stack_setup() - create the main-thread stack region just below
 * USER_VA_MAX (EXEC_STACK_SIZE bytes, read/write) and lay out on it, as
 * Linux does: strings, 16 bytes of AT_RANDOM data, a 16-byte aligned
 * auxv (AT_PHDR, AT_PHENT, AT_PHNUM, AT_PAGESZ, AT_BASE, AT_FLAGS,
 * AT_ENTRY, AT_UID, AT_EUID, AT_GID, AT_EGID, AT_SECURE, AT_RANDOM,
 * AT_HWCAP, AT_HWCAP2, AT_CLKTCK, AT_PLATFORM, AT_EXECFN, AT_NULL), envp,
 * argv, argc. @argv and @envp are NULL-terminated kernel arrays.
 * Return: 0 with *sp_out the initial %rsp (pointing at argc); -E2BIG if
 * the strings do not fit; -ENOMEM.
 */
#define EXEC_STACK_SIZE (8UL << 20)
int stack_setup(struct mm *mm, const char *const argv[], const char *const envp[],
		const char *execfn, const struct exec_image *img, uint64_t *sp_out);

#endif
