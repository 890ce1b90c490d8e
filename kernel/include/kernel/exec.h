/*
 * Program loading: ELF64 executables and the System V initial stack.
 */
#ifndef KERNEL_EXEC_H
#define KERNEL_EXEC_H

#include <jinux/types.h>
#include <kernel/mm.h>

/* Where a loaded image landed, for the auxiliary vector and brk. */
struct exec_image {
	uint64_t entry;      /* AT_ENTRY: the program's entry point after relocation */
	uint64_t phdr;       /* AT_PHDR: user address of the program's headers */
	uint64_t phent;      /* AT_PHENT */
	uint64_t phnum;      /* AT_PHNUM */
	uint64_t load_bias;  /* 0 for ET_EXEC; chosen base for ET_DYN */
	uint64_t brk_start;  /* page-aligned end of the program's highest segment */
	uint64_t interp_base; /* AT_BASE: the interpreter's load bias; 0 without one */
	uint64_t start;      /* initial %rip: the interpreter's entry, else entry */
	const char *interp;  /* PT_INTERP path, inside the program's bytes; or NULL */
	/* Set by the caller before stack_setup(): the auxv identity. */
	uint32_t uid, euid, gid, egid;  /* AT_UID, AT_EUID, AT_GID, AT_EGID */
	bool secure;                    /* AT_SECURE: set-id or capability gain */
};

/*
 * Where an ET_DYN program (PIE or static-PIE) has its first page: Linux's
 * ELF_ET_DYN_BASE without randomisation (2/3 of the 47-bit user range,
 * page-aligned), well below the mmap area (kernel/mm/mm.c) and the stack,
 * with room above for brk. Interpreters go at the top of the mmap area.
 */
#define EXEC_PIE_BASE 0x555555554000UL

/**
 * elf_load() - validate the ELF64 x86-64 executable in @file (@size bytes)
 * and map its PT_LOAD segments into @mm (file bytes copied, .bss zero).
 * ET_EXEC and ET_DYN (PIE, static-PIE) are accepted; a PT_INTERP path is
 * checked and returned in out->interp (pointing into @file), not loaded.
 * Never trusts a header field: every offset and size is bounds-checked.
 * Return: 0; -ENOEXEC for anything malformed, truncated, not x86-64, or
 * with a bad PT_INTERP (-EIO: its path lies outside the file); -EINVAL
 * for overlapping or out-of-range segments; -ENOMEM when memory runs out.
 */
int elf_load(struct mm *mm, const void *file, size_t size, struct exec_image *out);

/**
 * elf_load_interp() - validate the ELF interpreter in @file and map it
 * into @mm beside the program already there (ET_DYN: top of the mmap
 * area; ET_EXEC: its own addresses), with the same segment code.
 * Sets out->interp_base (AT_BASE) and out->start (its entry).
 * Return: 0; -EIO for a file shorter than an ELF header; -ELIBBAD for a
 * file elf_load() would call -ENOEXEC and for one with its own
 * PT_INTERP; -EINVAL for bad segments; -EEXIST when an ET_EXEC
 * interpreter clashes with the program; -ENOMEM.
 */
int elf_load_interp(struct mm *mm, const void *file, size_t size, struct exec_image *out);

struct inode;
struct process;

/**
 * elf_load_inode() - elf_load() of the regular file @i, its whole pages
 * mapped copy-on-write from the executable image cache (copied only when
 * the file cannot be cached). Return: as elf_load().
 */
int elf_load_inode(struct mm *mm, struct inode *i, struct exec_image *out);

/**
 * elf_load_program() - execve's ELF loader: elf_load_inode() of @i, then,
 * if it has PT_INTERP, the interpreter looked up for @p (NULL: the kernel)
 * as execve looks up a program, and loaded with elf_load_interp() (also
 * from the image cache). Return: as those; -ENOENT for a missing
 * interpreter, -EACCES for one that may not be executed.
 */
int elf_load_program(struct process *p, struct mm *mm, struct inode *i,
		     struct exec_image *out);

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
