/*
 * The ELF64 program loader: turns an x86-64 executable image held in
 * kernel memory into regions of a memory map, the way Linux's
 * binfmt_elf does. A program with PT_INTERP (dynamically linked) gets
 * its interpreter (the dynamic linker) loaded next to it by the same
 * code, and starts at the interpreter's entry; the auxiliary vector
 * still describes the program (AT_PHDR, AT_ENTRY), plus AT_BASE, where
 * the interpreter landed.
 *
 * Each image is loaded in two phases (decode, then perform): every
 * header field is checked against the file and the user address range
 * before the memory map is touched, so a malformed file can never leave
 * half an image mapped. Headers are read with memcpy() because the file
 * need not be aligned and e_phoff is arbitrary.
 *
 * Where images go (no randomisation yet; a random page offset added to
 * each base is where ASLR would come in):
 *  - ET_EXEC: at its own addresses;
 *  - ET_DYN program (PIE, static-PIE): its first page at EXEC_PIE_BASE,
 *    Linux's ELF_ET_DYN_BASE (2/3 of the 47-bit user range), far below
 *    the mmap area and the stack and with room above for brk;
 *  - ET_DYN interpreter: where an mmap(NULL) of its whole span would go,
 *    the highest free gap below mm->mmap_base, as Linux places it.
 */
#include <jinux/errno.h>
#include <jinux/heap.h>
#include <jinux/string.h>
#include <jinux/types.h>
#include <jinux/vm_space.h>
#include <kernel/exec.h>
#include <kernel/mm.h>
#include <kernel/vfs.h>
#include <uapi/elf.h>
#include <uapi/fcntl.h>

/*
 * Read-only segments up to this size get their pages mapped at exec (no
 * copy: they are the cache's frames): a small program touches most of
 * them, and a fault costs more than mapping a page, above all on the
 * host target, where each is a ptrace stop plus a mapping round in the
 * stub. Larger segments are faulted in on demand (with fault-around).
 */
#define ELF_PREFAULT_BYTES (32 * PAGE_SIZE)

/* More program headers than any sane linker emits; bounds the work. */
#define ELF_MAX_PHNUM 128

/* Longest PT_INTERP path, NUL included (Linux: PATH_MAX). */
#define ELF_INTERP_MAX 4096

/* Which image is being loaded: the program itself or its interpreter. */
enum elf_role { ELF_PROGRAM, ELF_INTERP };

/* What the decode phase learned about the image. */
struct elf_info {
	Elf64_Ehdr eh;
	uint64_t bias;
	uint64_t lo;           /* page-aligned start of the first PT_LOAD, unbiased */
	uint64_t end;          /* highest segment end, unbiased, not aligned */
	uint64_t phdr;         /* AT_PHDR, unbiased; valid if have_phdr */
	bool have_phdr;
	const char *interp;    /* PT_INTERP path inside the file, or NULL */
	unsigned nloads;
};

static void elf_read_phdr(const void *file, const Elf64_Ehdr *eh, unsigned i,
			  Elf64_Phdr *ph)
{
	const uint8_t *base = file;

	memcpy(ph, base + eh->e_phoff + (uint64_t)i * sizeof(*ph), sizeof(*ph));
}

static unsigned elf_prot(uint32_t p_flags)
{
	unsigned prot = 0;

	if (p_flags & PF_R)
		prot |= VM_READ;
	if (p_flags & PF_W)
		prot |= VM_WRITE;
	if (p_flags & PF_X)
		prot |= VM_EXEC;
	return prot;
}

/* The file header: identity, machine, type and where the phdrs are. */
static int elf_check_ehdr(const Elf64_Ehdr *eh, size_t size)
{
	uint64_t phsize;

	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh->e_ident[EI_VERSION] != EV_CURRENT)
		return -ENOEXEC;
	if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
		return -ENOEXEC;
	if (eh->e_machine != EM_X86_64)
		return -ENOEXEC;
	if (eh->e_phentsize != sizeof(Elf64_Phdr))
		return -ENOEXEC;
	if (eh->e_phnum == 0 || eh->e_phnum > ELF_MAX_PHNUM)
		return -ENOEXEC;
	phsize = (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr);
	if (eh->e_phoff > size || phsize > size - eh->e_phoff)
		return -ENOEXEC;
	return 0;
}

/*
 * One PT_LOAD on its own, before the image has a place: its bytes must
 * lie in the file, its memory image must not wrap, and it must start at
 * or after @prev_end (the ELF spec orders PT_LOAD by p_vaddr; overlap is
 * refused, but two segments may share a page, as linkers arrange for
 * packed layouts). The user range is checked for the whole image once
 * its bias is known (elf_place()).
 */
static int elf_check_load(const Elf64_Phdr *ph, size_t size, uint64_t prev_end)
{
	if (ph->p_filesz > ph->p_memsz)
		return -ENOEXEC;
	if (ph->p_offset > size || ph->p_filesz > size - ph->p_offset)
		return -ENOEXEC;
	if ((ph->p_vaddr & (PAGE_SIZE - 1)) != (ph->p_offset & (PAGE_SIZE - 1)))
		return -ENOEXEC;
	if (ph->p_memsz > ~0ULL - ph->p_vaddr)
		return -EINVAL;
	if (ph->p_vaddr < prev_end)
		return -EINVAL;
	return 0;
}

/*
 * PT_INTERP names the interpreter: a NUL-terminated path of at most
 * ELF_INTERP_MAX bytes inside the file (Linux's rules: -ENOEXEC, or
 * -EIO when the bytes are not in the file). Only the first one counts.
 */
static int elf_check_interp(const void *file, size_t size, const Elf64_Phdr *ph,
			    const char **path)
{
	const char *s;

	if (ph->p_filesz < 2 || ph->p_filesz > ELF_INTERP_MAX)
		return -ENOEXEC;
	/* Linux's read of the path comes up short: EIO. */
	if (ph->p_offset > size || ph->p_filesz > size - ph->p_offset)
		return -EIO;
	s = (const char *)file + ph->p_offset;
	if (s[ph->p_filesz - 1] != '\0')
		return -ENOEXEC;
	*path = s;
	return 0;
}

/* PT_LOAD whose file bytes hold the program headers gives AT_PHDR. */
static bool elf_load_covers_phdrs(const Elf64_Phdr *ph, const Elf64_Ehdr *eh)
{
	uint64_t phsize = (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr);

	return ph->p_offset <= eh->e_phoff &&
	       eh->e_phoff - ph->p_offset <= ph->p_filesz &&
	       phsize <= ph->p_filesz - (eh->e_phoff - ph->p_offset);
}

/*
 * Choose the bias of a checked image and check that all of it, biased,
 * lies in the user range (and, for an interpreter, in a free part of
 * @mm). Reads @mm but changes nothing.
 */
static int elf_place(struct mm *mm, enum elf_role role, struct elf_info *info)
{
	uint64_t span = info->end - info->lo, start;

	if (span > USER_VA_MAX - USER_VA_MIN)
		return -EINVAL;
	span = ALIGN_UP(span, PAGE_SIZE);
	if (info->eh.e_type == ET_EXEC) {
		info->bias = 0;
	} else if (role == ELF_PROGRAM) {
		info->bias = EXEC_PIE_BASE - info->lo;
	} else {
		start = mm_find_free(mm, span);
		if (!start)
			return -ENOMEM;
		info->bias = start - info->lo;
	}
	start = info->lo + info->bias;
	if (start < USER_VA_MIN || span > USER_VA_MAX - start)
		return -EINVAL;
	/* Linux maps ET_EXEC segments with MAP_FIXED_NOREPLACE: a clash with
	 * what is already there (the program, for an interpreter) is EEXIST. */
	if (role == ELF_INTERP && !mm_range_free(mm, start, span))
		return -EEXIST;
	return 0;
}

/* Decode phase: check everything, compute the image's addresses. */
static int elf_decode(struct mm *mm, const void *file, size_t size, enum elf_role role,
		      struct elf_info *info)
{
	Elf64_Ehdr *eh = &info->eh;
	bool have_fallback = false;
	uint64_t prev_end = 0, fallback = 0;
	Elf64_Phdr ph;
	unsigned i;
	int err;

	if (!file || size < sizeof(*eh))
		return -ENOEXEC;
	memcpy(eh, file, sizeof(*eh));
	err = elf_check_ehdr(eh, size);
	if (err)
		return err;
	info->nloads = 0;
	info->have_phdr = false;
	info->interp = NULL;
	for (i = 0; i < eh->e_phnum; i++) {
		elf_read_phdr(file, eh, i, &ph);
		if (ph.p_type == PT_INTERP && role == ELF_INTERP)
			return -ELIBBAD;   /* an interpreter needs none */
		if (ph.p_type == PT_INTERP && !info->interp) {
			err = elf_check_interp(file, size, &ph, &info->interp);
			if (err)
				return err;
		}
		if (ph.p_type == PT_PHDR && !info->have_phdr) {
			info->phdr = ph.p_vaddr;
			info->have_phdr = true;
		}
		if (ph.p_type != PT_LOAD)
			continue;
		err = elf_check_load(&ph, size, prev_end);
		if (err)
			return err;
		if (info->nloads == 0)
			info->lo = ALIGN_DOWN(ph.p_vaddr, PAGE_SIZE);
		prev_end = ph.p_vaddr + ph.p_memsz;
		if (!have_fallback && elf_load_covers_phdrs(&ph, eh)) {
			fallback = eh->e_phoff - ph.p_offset + ph.p_vaddr;
			have_fallback = true;
		}
		info->nloads++;
	}
	if (info->nloads == 0)
		return -ENOEXEC;
	info->end = prev_end;
	err = elf_place(mm, role, info);
	if (err)
		return err;
	if (info->have_phdr)
		info->phdr += info->bias;
	else if (have_fallback)
		info->phdr = fallback + info->bias;
	else
		info->phdr = 0;  /* no segment maps them: 0, as Linux */
	return 0;
}

/*
 * Where one segment's pages come from. With a file object, the pages
 * of a read-only segment wholly made of file bytes, [obj_start, obj_end),
 * map the object copy-on-write; every other byte of the segment is
 * copied, and the rest of its pages is demand-zero. Without an object
 * (or for a writable segment), obj_start == obj_end.
 */
struct elf_seg {
	uint64_t start, end;          /* memory image, biased, unaligned */
	uint64_t obj_start, obj_end;  /* page-aligned */
	uint64_t obj_pgoff;           /* object page mapped at obj_start */
	bool first_page_shared;       /* first page belongs to the previous segment */
	unsigned prot;
};

static void elf_plan_segment(const Elf64_Phdr *ph, uint64_t bias, uint64_t mapped_end,
			     bool have_obj, struct elf_seg *s)
{
	uint64_t ps;

	s->start = ph->p_vaddr + bias;
	s->end = s->start + ph->p_memsz;
	s->prot = elf_prot(ph->p_flags);
	ps = ALIGN_DOWN(s->start, PAGE_SIZE);
	s->first_page_shared = ps < mapped_end;
	if (s->first_page_shared)
		ps += PAGE_SIZE;
	s->obj_start = s->obj_end = ps;
	s->obj_pgoff = 0;
	/* Writable data is copied: it is small, and nearly every page of it
	 * would otherwise take a read fault and then a copy-on-write one. */
	if (!have_obj || (s->prot & VM_WRITE) ||
	    ALIGN_DOWN(s->start + ph->p_filesz, PAGE_SIZE) <= ps)
		return;
	s->obj_end = ALIGN_DOWN(s->start + ph->p_filesz, PAGE_SIZE);
	/* p_vaddr and p_offset agree modulo the page size (elf_check_load). */
	s->obj_pgoff = (ph->p_offset - (s->start - ps)) / PAGE_SIZE;
}

/*
 * Give one segment its pages. @mapped_end is the end of the pages the
 * earlier segments got; a first page shared with them keeps their
 * contents and gets the union of both protections, so neither the code
 * nor the data that live on it become inaccessible.
 */
static int elf_map_segment(struct mm *mm, const struct elf_seg *s,
			   const struct vmo_cap *obj, uint64_t *mapped_end)
{
	uint64_t pe = ALIGN_UP(s->end, PAGE_SIZE);
	struct mm_region *r;
	int err;

	if (s->first_page_shared) {
		uint64_t ps = s->obj_start - PAGE_SIZE;
		r = mm_find_region(mm, ps);
		if (!r)
			return -ENOMEM;
		if ((r->prot | s->prot) != r->prot) {
			err = mm_protect(mm, ps, PAGE_SIZE, r->prot | s->prot);
			if (err)
				return err;
		}
	}
	if (s->obj_end > s->obj_start) {
		uint64_t len = s->obj_end - s->obj_start;
		err = mm_map_object(mm, s->obj_start, len, s->prot, 0, obj, s->obj_pgoff);
		if (!err && len <= ELF_PREFAULT_BYTES)
			err = mm_populate(mm, s->obj_start, len, VM_READ);
		if (err)
			return err;
	}
	if (pe > s->obj_end) {
		err = mm_map(mm, s->obj_end, pe - s->obj_end, s->prot, 0);
		if (err)
			return err;
	}
	if (pe > *mapped_end)
		*mapped_end = pe;
	return 0;
}

/* Copy the file bytes of [va, va+len) clipped to [lo, hi). */
static int elf_copy_part(struct mm *mm, const uint8_t *file, uint64_t va, uint64_t off,
			 uint64_t len, uint64_t lo, uint64_t hi)
{
	uint64_t a = MAX(va, lo), b = MIN(va + len, hi);

	if (a >= b)
		return 0;
	return mm_poke(mm, a, file + off + (a - va), b - a);
}

/*
 * Copy the segment's file bytes that the object does not supply. Like
 * Linux, which maps whole file pages, the bytes in front of p_vaddr on
 * its first page come from the file too, unless that page is shared
 * with the previous segment.
 */
static int elf_fill_segment(struct mm *mm, const void *file, const Elf64_Phdr *ph,
			    const struct elf_seg *s)
{
	uint64_t va = s->start, off = ph->p_offset, len = ph->p_filesz;
	uint64_t lead = va & (PAGE_SIZE - 1);
	int err;

	if (!s->first_page_shared && len) {
		va -= lead;
		off -= lead;     /* off % PAGE_SIZE == lead, so no wrap */
		len += lead;
	}
	if (!len)
		return 0;
	err = elf_copy_part(mm, file, va, off, len, 0, s->obj_start);
	if (!err)
		err = elf_copy_part(mm, file, va, off, len, s->obj_end, ~0ULL);
	return err;
}

/*
 * Perform phase: first create every region, then copy the bytes. @obj,
 * if not NULL, holds the file's bytes and supplies its whole pages.
 */
static int elf_populate(struct mm *mm, const void *file, const struct elf_info *info,
			const struct vmo_cap *obj)
{
	uint64_t mapped_end = 0;
	struct elf_seg s;
	Elf64_Phdr ph;
	unsigned i;
	int err;

	for (i = 0; i < info->eh.e_phnum; i++) {
		elf_read_phdr(file, &info->eh, i, &ph);
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		elf_plan_segment(&ph, info->bias, mapped_end, obj != NULL, &s);
		err = elf_map_segment(mm, &s, obj, &mapped_end);
		if (err)
			return err;
	}
	mapped_end = 0;
	for (i = 0; i < info->eh.e_phnum; i++) {
		elf_read_phdr(file, &info->eh, i, &ph);
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		elf_plan_segment(&ph, info->bias, mapped_end, obj != NULL, &s);
		err = elf_fill_segment(mm, file, &ph, &s);
		if (err)
			return err;
		mapped_end = ALIGN_UP(s.end, PAGE_SIZE);
	}
	return 0;
}

static int elf_load_with(struct mm *mm, const void *file, size_t size,
			 const struct vmo_cap *obj, enum elf_role role, struct exec_image *out)
{
	struct elf_info info;
	int err;

	/* Like Linux: an interpreter too short for its header is EIO (a
	 * short read), one that is not a valid ELF is ELIBBAD. */
	if (role == ELF_INTERP && (!file || size < sizeof(Elf64_Ehdr)))
		return -EIO;
	err = elf_decode(mm, file, size, role, &info);
	if (err == -ENOEXEC && role == ELF_INTERP)
		err = -ELIBBAD;
	if (err)
		return err;
	err = elf_populate(mm, file, &info, obj);
	if (err)
		return err;
	if (role == ELF_INTERP) {
		out->interp_base = info.bias;
		out->start = info.eh.e_entry + info.bias;
		return 0;
	}
	out->entry = info.eh.e_entry + info.bias;
	out->start = out->entry;
	out->interp_base = 0;
	out->interp = info.interp;
	out->phdr = info.phdr;
	out->phent = info.eh.e_phentsize;
	out->phnum = info.eh.e_phnum;
	out->load_bias = info.bias;
	out->brk_start = ALIGN_UP(info.end + info.bias, PAGE_SIZE);
	return 0;
}

/**
 * elf_load() - validate an ELF64 x86-64 executable and map it into @mm.
 * @mm:   the (normally fresh) memory map to load into
 * @file: the whole file, in kernel memory
 * @size: its length in bytes
 * @out:  filled with the entry point, AT_PHDR data, bias, brk start and
 *        the PT_INTERP path (a pointer into @file, or NULL)
 *
 * Nothing is mapped unless the whole file checks out. If mapping then
 * fails (-ENOMEM), part of the image may be in @mm: the caller discards
 * the memory map, as execve does past its point of no return.
 *
 * Return: 0; -ENOEXEC for a malformed, truncated or foreign file or a
 * bad PT_INTERP (-EIO if its bytes are not in the file); -EINVAL for
 * segments out of the user range or overlapping; -ENOMEM.
 */
int elf_load(struct mm *mm, const void *file, size_t size, struct exec_image *out)
{
	return elf_load_with(mm, file, size, NULL, ELF_PROGRAM, out);
}

/**
 * elf_load_interp() - validate the interpreter image @file (@size bytes)
 * and map it into @mm next to the program elf_load() put there.
 * @out:  the program's image; gets interp_base (AT_BASE) and start (the
 *        interpreter's entry)
 *
 * Return: 0; -EIO for a file shorter than an ELF header; -ELIBBAD where
 * elf_load() says -ENOEXEC, and for an interpreter with its own
 * PT_INTERP; -EINVAL for segments out of range or overlapping; -EEXIST
 * when an ET_EXEC interpreter would land on the program; -ENOMEM, also
 * when no gap is large enough.
 */
int elf_load_interp(struct mm *mm, const void *file, size_t size, struct exec_image *out)
{
	return elf_load_with(mm, file, size, NULL, ELF_INTERP, out);
}

/* Load the regular file @i, its whole pages from the image cache. */
static int elf_load_file(struct mm *mm, struct inode *i, enum elf_role role,
			 struct exec_image *out)
{
	struct vmo_cap obj;
	int err;

	if (exec_cache_get(i, &obj))
		return elf_load_with(mm, i->data, i->size, NULL, role, out);
	err = elf_load_with(mm, i->data, i->size, &obj, role, out);
	vmo_put(obj);
	return err;
}

/**
 * elf_load_inode() - elf_load() of the regular file @i, mapping its whole
 * pages copy-on-write from the executable image cache instead of copying
 * them (it copies when the file cannot be cached). out->interp points
 * into @i's data.
 * Return: as elf_load().
 */
int elf_load_inode(struct mm *mm, struct inode *i, struct exec_image *out)
{
	return elf_load_file(mm, i, ELF_PROGRAM, out);
}

/**
 * elf_load_program() - load the ELF program @i into @mm for execve, and
 * its interpreter if it names one, looked up for @p (NULL: the kernel)
 * from its cwd as Linux's open_exec() does.
 *
 * Return: as elf_load(); for the interpreter, the lookup's errors
 * (-ENOENT when it is missing, -EACCES, ...) and elf_load_interp()'s.
 */
int elf_load_program(struct process *p, struct mm *mm, struct inode *i,
		     struct exec_image *out)
{
	struct inode *interp;
	size_t len;
	char *path;
	int err;

	err = elf_load_file(mm, i, ELF_PROGRAM, out);
	if (err || !out->interp)
		return err;
	/* The path lives in @i's bytes: copy it before anything can run. */
	len = strlen(out->interp) + 1;
	path = kmalloc(len);
	if (!path)
		return -ENOMEM;
	memcpy(path, out->interp, len);
	out->interp = NULL;
	err = vfs_lookup_exec(p, AT_FDCWD, path, 0, &interp, NULL);
	kfree(path);
	if (err)
		return err;
	err = elf_load_file(mm, interp, ELF_INTERP, out);
	inode_put(interp);
	return err;
}
