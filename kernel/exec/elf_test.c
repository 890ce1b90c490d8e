/*
 * KTESTs for the ELF loader and the initial stack: a tiny hand-built
 * executable (ET_EXEC and static-PIE), one malformed variant per rule
 * the loader enforces, the same image as the interpreter of a dynamic
 * program (and its malformed variants), and the argc/argv/envp/auxv
 * image read back through the address space. Every test checks that
 * destroying the memory map returns every frame.
 */
#include <jinux/errno.h>
#include <jinux/frame.h>
#include <jinux/heap.h>
#include <jinux/ktest.h>
#include <jinux/machine.h>
#include <jinux/string.h>
#include <jinux/types.h>
#include <jinux/uaccess.h>
#include <jinux/vm_space.h>
#include <kernel/exec.h>
#include <kernel/mm.h>
#include <uapi/auxv.h>
#include <uapi/elf.h>

/*
 * The tiny image: headers and code on the first page of a read/exec
 * segment [0x400000, 0x401100) whose data segment starts on the same page
 * (0x401100) and runs into two pages of .bss, like packed linker output.
 */
#define T_BASE 0x400000UL
#define T_CODE_OFF 0x1000UL
#define T_DATA_OFF 0x1100UL
#define T_FILE_LEN 0x1180UL
#define T_DATA_MEMSZ 0x2000UL
#define T_NPHDR 3

static const uint8_t t_code[] = { 0x0f, 0x05, 0xeb, 0xfc };   /* syscall; jmp */
static const char t_data[] = "initialised data";

static Elf64_Phdr *t_phdr(uint8_t *img, unsigned i)
{
	return (Elf64_Phdr *)(img + sizeof(Elf64_Ehdr)) + i;
}

/* A valid image of type @type whose segments start at @base. */
static uint8_t *tiny_elf(uint16_t type, uint64_t base)
{
	uint8_t *img = kzalloc(T_FILE_LEN);
	Elf64_Ehdr *eh = (Elf64_Ehdr *)img;
	Elf64_Phdr *ph;

	if (!img)
		return NULL;
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = type;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_entry = base + T_CODE_OFF;
	eh->e_phoff = sizeof(Elf64_Ehdr);
	eh->e_ehsize = sizeof(Elf64_Ehdr);
	eh->e_phentsize = sizeof(Elf64_Phdr);
	eh->e_phnum = T_NPHDR;

	ph = t_phdr(img, 0);
	ph->p_type = PT_LOAD;
	ph->p_flags = PF_R | PF_X;
	ph->p_vaddr = base;
	ph->p_filesz = ph->p_memsz = T_DATA_OFF;
	ph->p_align = PAGE_SIZE;
	ph = t_phdr(img, 1);
	ph->p_type = PT_LOAD;
	ph->p_flags = PF_R | PF_W;
	ph->p_offset = T_DATA_OFF;
	ph->p_vaddr = base + T_DATA_OFF;
	ph->p_filesz = T_FILE_LEN - T_DATA_OFF;
	ph->p_memsz = T_DATA_MEMSZ;
	ph->p_align = PAGE_SIZE;
	t_phdr(img, 2)->p_type = PT_GNU_STACK;
	t_phdr(img, 2)->p_flags = PF_R | PF_W;

	memcpy(img + T_CODE_OFF, t_code, sizeof(t_code));
	memcpy(img + T_DATA_OFF, t_data, sizeof(t_data));
	return img;
}

static unsigned region_prot(struct mm *mm, uintptr_t va)
{
	struct mm_region *r = mm_find_region(mm, va);

	return r ? r->prot : 0xdead;
}

/* Load a valid image and check what landed where. */
static void check_tiny_load(uint16_t type, uint64_t base, uint64_t bias)
{
	size_t free_before = frames_free();
	uint8_t *img = tiny_elf(type, base);
	struct exec_image ei;
	struct mm *mm;
	uint8_t buf[64];
	uint64_t at = base + bias;

	KASSERT(img != NULL);
	mm = mm_create();
	KASSERT(mm != NULL);
	KASSERT_EQ(elf_load(mm, img, T_FILE_LEN, &ei), 0);
	KASSERT_EQ(ei.entry, at + T_CODE_OFF);
	KASSERT_EQ(ei.phdr, at + sizeof(Elf64_Ehdr));
	KASSERT_EQ(ei.phent, sizeof(Elf64_Phdr));
	KASSERT_EQ(ei.phnum, T_NPHDR);
	KASSERT_EQ(ei.load_bias, bias);
	KASSERT_EQ(ei.brk_start, at + 0x4000);

	KASSERT_EQ(copy_from_user(mm->vs, buf, user_ptr(at), SELFMAG), 0);
	KASSERT(memcmp(buf, ELFMAG, SELFMAG) == 0);
	KASSERT_EQ(copy_from_user(mm->vs, buf, user_ptr(ei.phdr), sizeof(Elf64_Phdr)), 0);
	KASSERT(memcmp(buf, t_phdr(img, 0), sizeof(Elf64_Phdr)) == 0);
	KASSERT_EQ(copy_from_user(mm->vs, buf, user_ptr(ei.entry), sizeof(t_code)), 0);
	KASSERT(memcmp(buf, t_code, sizeof(t_code)) == 0);
	KASSERT_EQ(copy_from_user(mm->vs, buf, user_ptr(at + T_DATA_OFF), sizeof(t_data)), 0);
	KASSERT(memcmp(buf, t_data, sizeof(t_data)) == 0);
	KASSERT_EQ(copy_from_user(mm->vs, buf, user_ptr(at + 0x30f0), 16), 0);
	KASSERT(buf[0] == 0 && buf[15] == 0);   /* .bss */

	KASSERT_EQ(region_prot(mm, at), VM_READ | VM_EXEC);
	/* the shared page has both segments' rights */
	KASSERT_EQ(region_prot(mm, at + 0x1000), VM_READ | VM_WRITE | VM_EXEC);
	KASSERT_EQ(region_prot(mm, at + 0x2000), VM_READ | VM_WRITE);
	KASSERT_EQ(region_prot(mm, at + 0x3000), VM_READ | VM_WRITE);
	KASSERT(mm_find_region(mm, at + 0x4000) == NULL);

	mm_destroy(mm);
	kfree(img);
	KASSERT_EQ(frames_free(), free_before);
}

KTEST(elf_load_tiny_exec)
{
	check_tiny_load(ET_EXEC, T_BASE, 0);
}

KTEST(elf_load_tiny_static_pie)
{
	check_tiny_load(ET_DYN, 0, EXEC_PIE_BASE);
}

/* Expect @want from loading the tiny image after @mutate changed it. */
static int load_mutated(void (*mutate)(uint8_t *img, size_t *len))
{
	size_t free_before = frames_free(), len = T_FILE_LEN;
	uint8_t *img = tiny_elf(ET_EXEC, T_BASE);
	struct exec_image ei;
	struct mm *mm;
	int err;

	if (!img)
		return -ENOMEM;
	mutate(img, &len);
	mm = mm_create();
	if (!mm) {
		kfree(img);
		return -ENOMEM;
	}
	err = elf_load(mm, img, len, &ei);
	/* decode before perform: a refused file maps nothing */
	if (err && (mm->regions || vm_space_mapped_pages(mm->vs)))
		err = 1000;
	mm_destroy(mm);
	kfree(img);
	if (frames_free() != free_before)
		err = 1001;
	return err;
}

#define EH(img) ((Elf64_Ehdr *)(img))
#define MUTATION(name, body)                                          \
	static void name(uint8_t *img, size_t *len)                   \
	{                                                             \
		(void)img;                                            \
		(void)len;                                            \
		body;                                                 \
	}

MUTATION(m_none, )
MUTATION(m_trunc_ehdr, *len = sizeof(Elf64_Ehdr) - 1)
MUTATION(m_trunc_phdrs, *len = sizeof(Elf64_Ehdr) + 2 * sizeof(Elf64_Phdr) + 8)
MUTATION(m_trunc_data, *len = T_FILE_LEN - 1)
MUTATION(m_magic, img[EI_MAG1] = 'e')
MUTATION(m_class32, img[EI_CLASS] = ELFCLASS32)
MUTATION(m_msb, img[EI_DATA] = ELFDATA2MSB)
MUTATION(m_version, img[EI_VERSION] = EV_NONE)
MUTATION(m_machine, EH(img)->e_machine = EM_386)
MUTATION(m_type_rel, EH(img)->e_type = ET_REL)
MUTATION(m_phentsize, EH(img)->e_phentsize = 32)
MUTATION(m_phnum_zero, EH(img)->e_phnum = 0)
MUTATION(m_phnum_huge, EH(img)->e_phnum = 0xffff)
MUTATION(m_phoff_beyond, EH(img)->e_phoff = T_FILE_LEN + 8)
MUTATION(m_phoff_wrap, EH(img)->e_phoff = ~0ULL - 16)
MUTATION(m_off_wrap, t_phdr(img, 1)->p_offset = ~0ULL - 0xff)
MUTATION(m_filesz_beyond, t_phdr(img, 1)->p_filesz = T_FILE_LEN)
MUTATION(m_filesz_wrap, t_phdr(img, 1)->p_filesz = ~0ULL - 0x80;
	 t_phdr(img, 1)->p_memsz = ~0ULL)
MUTATION(m_filesz_gt_memsz, t_phdr(img, 1)->p_memsz = 0x10)
MUTATION(m_misaligned, t_phdr(img, 1)->p_vaddr += 8)
MUTATION(m_kernel_half, t_phdr(img, 1)->p_vaddr = 0xffff800000001100ULL)
MUTATION(m_above_user, t_phdr(img, 1)->p_vaddr = USER_VA_MAX - 0x1f00)
MUTATION(m_memsz_wrap, t_phdr(img, 1)->p_memsz = ~0ULL - 0x1000)
MUTATION(m_page_zero, t_phdr(img, 0)->p_vaddr = 0;
	 t_phdr(img, 1)->p_vaddr = T_DATA_OFF)
MUTATION(m_overlap, t_phdr(img, 1)->p_vaddr = T_BASE + 0x100;
	 t_phdr(img, 1)->p_offset = 0x100)
MUTATION(m_interp, t_phdr(img, 2)->p_type = PT_INTERP)
MUTATION(m_no_load, t_phdr(img, 0)->p_type = PT_NOTE;
	 t_phdr(img, 1)->p_type = PT_NOTE)

KTEST(elf_load_refuses_malformed)
{
	static const struct {
		void (*fn)(uint8_t *img, size_t *len);
		int want;
	} cases[] = {
		{ m_none, 0 },
		{ m_trunc_ehdr, -ENOEXEC },
		{ m_trunc_phdrs, -ENOEXEC },
		{ m_trunc_data, -ENOEXEC },
		{ m_magic, -ENOEXEC },
		{ m_class32, -ENOEXEC },
		{ m_msb, -ENOEXEC },
		{ m_version, -ENOEXEC },
		{ m_machine, -ENOEXEC },
		{ m_type_rel, -ENOEXEC },
		{ m_phentsize, -ENOEXEC },
		{ m_phnum_zero, -ENOEXEC },
		{ m_phnum_huge, -ENOEXEC },
		{ m_phoff_beyond, -ENOEXEC },
		{ m_phoff_wrap, -ENOEXEC },
		{ m_off_wrap, -ENOEXEC },
		{ m_filesz_beyond, -ENOEXEC },
		{ m_filesz_wrap, -ENOEXEC },
		{ m_filesz_gt_memsz, -ENOEXEC },
		{ m_misaligned, -ENOEXEC },
		{ m_kernel_half, -EINVAL },
		{ m_above_user, -EINVAL },
		{ m_memsz_wrap, -EINVAL },
		{ m_page_zero, -EINVAL },
		{ m_overlap, -EINVAL },
		{ m_interp, -ENOEXEC },
		{ m_no_load, -ENOEXEC },
	};
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		int got = load_mutated(cases[i].fn);

		if (got != cases[i].want) {
			ktest_fail_eq(__FILE__, __LINE__, "mutation case (index below)",
				      got, cases[i].want);
			KASSERT_EQ(i, ARRAY_SIZE(cases));
		}
	}
}

/* ---- PT_INTERP in the program ---- */

/* Where the tiny image can hold an interpreter path (first segment). */
#define T_INTERP_OFF 0x1040UL
#define T_INTERP "/lib/ld.so"

/* Turn the PT_GNU_STACK header into a PT_INTERP naming T_INTERP. */
static void set_interp(uint8_t *img)
{
	Elf64_Phdr *ph = t_phdr(img, 2);

	memcpy(img + T_INTERP_OFF, T_INTERP, sizeof(T_INTERP));
	ph->p_type = PT_INTERP;
	ph->p_flags = PF_R;
	ph->p_offset = T_INTERP_OFF;
	ph->p_vaddr = T_BASE + T_INTERP_OFF;
	ph->p_filesz = ph->p_memsz = sizeof(T_INTERP);
}

MUTATION(m_pi_ok, set_interp(img))
MUTATION(m_pi_unterminated, set_interp(img); img[T_INTERP_OFF + sizeof(T_INTERP) - 1] = 'x')
MUTATION(m_pi_one_byte, set_interp(img); t_phdr(img, 2)->p_filesz = 1)
MUTATION(m_pi_too_long, set_interp(img); t_phdr(img, 2)->p_filesz = 4097)
MUTATION(m_pi_beyond, set_interp(img); t_phdr(img, 2)->p_offset = T_FILE_LEN - 4)
MUTATION(m_pi_offset_wrap, set_interp(img); t_phdr(img, 2)->p_offset = ~0ULL - 4)

KTEST(elf_load_pt_interp)
{
	static const struct {
		void (*fn)(uint8_t *img, size_t *len);
		int want;
	} cases[] = {
		{ m_pi_ok, 0 },
		{ m_pi_unterminated, -ENOEXEC },
		{ m_pi_one_byte, -ENOEXEC },
		{ m_pi_too_long, -ENOEXEC },
		{ m_pi_beyond, -EIO },
		{ m_pi_offset_wrap, -EIO },
	};
	size_t free_before = frames_free(), len = T_FILE_LEN;
	uint8_t *img = tiny_elf(ET_EXEC, T_BASE);
	struct exec_image ei;
	struct mm *mm;
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		int got = load_mutated(cases[i].fn);

		if (got != cases[i].want) {
			ktest_fail_eq(__FILE__, __LINE__, "PT_INTERP case (index below)",
				      got, cases[i].want);
			KASSERT_EQ(i, ARRAY_SIZE(cases));
		}
	}
	/* The path comes back, pointing into the file; nothing else changes. */
	KASSERT(img != NULL);
	m_pi_ok(img, &len);
	mm = mm_create();
	KASSERT(mm != NULL);
	KASSERT_EQ(elf_load(mm, img, len, &ei), 0);
	KASSERT(ei.interp == (const char *)img + T_INTERP_OFF);
	KASSERT_EQ(ei.entry, T_BASE + T_CODE_OFF);
	KASSERT_EQ(ei.start, ei.entry);
	KASSERT_EQ(ei.interp_base, 0);
	mm_destroy(mm);
	kfree(img);
	KASSERT_EQ(frames_free(), free_before);
}

/* ---- the interpreter ---- */

/*
 * Load the tiny ET_EXEC program (with PT_INTERP), then the tiny ET_DYN
 * image changed by @mutate as its interpreter. A refused interpreter must
 * map nothing beyond what the program has. *@ei gets the result.
 */
static int load_interp_mutated(void (*mutate)(uint8_t *img, size_t *len),
			       struct exec_image *ei)
{
	size_t free_before = frames_free(), len = T_FILE_LEN, plen = T_FILE_LEN;
	uint8_t *prog = tiny_elf(ET_EXEC, T_BASE), *img = tiny_elf(ET_DYN, 0);
	size_t pages;
	struct mm_region *regions;
	struct mm *mm = NULL;
	int err = -ENOMEM;

	if (!prog || !img)
		goto out;
	m_pi_ok(prog, &plen);
	mutate(img, &len);
	mm = mm_create();
	if (!mm)
		goto out;
	err = elf_load(mm, prog, plen, ei);
	if (err) {
		err = 2000;
		goto out;
	}
	pages = vm_space_mapped_pages(mm->vs);
	regions = mm->regions;
	err = elf_load_interp(mm, img, len, ei);
	if (err && (vm_space_mapped_pages(mm->vs) != pages || mm->regions != regions))
		err = 1000;
	/* the program's description is left alone */
	if (ei->entry != T_BASE + T_CODE_OFF || ei->phdr != T_BASE + sizeof(Elf64_Ehdr) ||
	    ei->phnum != T_NPHDR || ei->brk_start != T_BASE + 0x4000)
		err = 1002;
out:
	mm_destroy(mm);
	kfree(img);
	kfree(prog);
	if (frames_free() != free_before)
		err = 1001;
	return err;
}

KTEST(elf_load_interp_places_and_starts)
{
	size_t free_before = frames_free(), len = T_FILE_LEN, plen = T_FILE_LEN;
	uint8_t *prog = tiny_elf(ET_EXEC, T_BASE), *img = tiny_elf(ET_DYN, 0);
	struct exec_image ei;
	uint8_t buf[8];
	struct mm *mm;
	uint64_t base;

	KASSERT(prog != NULL && img != NULL);
	m_pi_ok(prog, &plen);
	mm = mm_create();
	KASSERT(mm != NULL);
	KASSERT_EQ(elf_load(mm, prog, plen, &ei), 0);
	KASSERT_EQ(elf_load_interp(mm, img, len, &ei), 0);
	/* the top of the mmap area, as an mmap(NULL) of its 4 pages */
	base = mm->mmap_base - 0x4000;
	KASSERT_EQ(ei.interp_base, base);
	KASSERT_EQ(ei.start, base + T_CODE_OFF);
	KASSERT_EQ(ei.entry, T_BASE + T_CODE_OFF);
	KASSERT_EQ(ei.phdr, T_BASE + sizeof(Elf64_Ehdr));
	KASSERT_EQ(ei.brk_start, T_BASE + 0x4000);
	KASSERT_EQ(copy_from_user(mm->vs, buf, user_ptr(base), SELFMAG), 0);
	KASSERT(memcmp(buf, ELFMAG, SELFMAG) == 0);
	KASSERT_EQ(copy_from_user(mm->vs, buf, user_ptr(ei.start), sizeof(t_code)), 0);
	KASSERT(memcmp(buf, t_code, sizeof(t_code)) == 0);
	KASSERT_EQ(region_prot(mm, base), VM_READ | VM_EXEC);
	KASSERT_EQ(region_prot(mm, base + 0x3000), VM_READ | VM_WRITE);
	/* mmap(NULL) now goes below both */
	KASSERT_EQ(mm_find_free(mm, PAGE_SIZE), base - PAGE_SIZE);
	mm_destroy(mm);
	kfree(img);
	kfree(prog);
	KASSERT_EQ(frames_free(), free_before);
}

MUTATION(m_i_exec_clash, EH(img)->e_type = ET_EXEC;
	 t_phdr(img, 0)->p_vaddr = T_BASE; t_phdr(img, 1)->p_vaddr = T_BASE + T_DATA_OFF;
	 EH(img)->e_entry = T_BASE + T_CODE_OFF)
MUTATION(m_i_exec_apart, EH(img)->e_type = ET_EXEC;
	 t_phdr(img, 0)->p_vaddr = 0x10000000; t_phdr(img, 1)->p_vaddr = 0x10000000 + T_DATA_OFF;
	 EH(img)->e_entry = 0x10000000 + T_CODE_OFF)
MUTATION(m_i_own_interp, set_interp(img))
/* inside the user range, but larger than any gap beside the program */
MUTATION(m_i_huge, t_phdr(img, 1)->p_memsz = USER_VA_MAX - 0x20000)
MUTATION(m_i_beyond_user, t_phdr(img, 1)->p_memsz = USER_VA_MAX)
MUTATION(m_i_type_core, EH(img)->e_type = ET_CORE)
MUTATION(m_i_overlap, t_phdr(img, 1)->p_vaddr = 0x100; t_phdr(img, 1)->p_offset = 0x100)

KTEST(elf_load_interp_refuses_malformed)
{
	static const struct {
		void (*fn)(uint8_t *img, size_t *len);
		int want;
	} cases[] = {
		{ m_none, 0 },
		{ m_i_exec_apart, 0 },
		{ m_trunc_ehdr, -EIO },
		{ m_trunc_phdrs, -ELIBBAD },
		{ m_trunc_data, -ELIBBAD },
		{ m_magic, -ELIBBAD },
		{ m_class32, -ELIBBAD },
		{ m_machine, -ELIBBAD },
		{ m_i_type_core, -ELIBBAD },
		{ m_phentsize, -ELIBBAD },
		{ m_phnum_zero, -ELIBBAD },
		{ m_phnum_huge, -ELIBBAD },
		{ m_phoff_wrap, -ELIBBAD },
		{ m_off_wrap, -ELIBBAD },
		{ m_filesz_gt_memsz, -ELIBBAD },
		{ m_misaligned, -ELIBBAD },
		{ m_no_load, -ELIBBAD },
		{ m_interp, -ELIBBAD },
		{ m_i_own_interp, -ELIBBAD },
		{ m_i_overlap, -EINVAL },
		{ m_memsz_wrap, -EINVAL },
		{ m_i_beyond_user, -EINVAL },
		{ m_i_huge, -ENOMEM },
		{ m_i_exec_clash, -EEXIST },
	};
	struct exec_image ei;
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		int got = load_interp_mutated(cases[i].fn, &ei);

		if (got != cases[i].want) {
			ktest_fail_eq(__FILE__, __LINE__, "interpreter case (index below)",
				      got, cases[i].want);
			KASSERT_EQ(i, ARRAY_SIZE(cases));
		}
	}
	KASSERT_EQ(load_interp_mutated(m_i_exec_apart, &ei), 0);
	KASSERT_EQ(ei.interp_base, 0);   /* an ET_EXEC interpreter has no bias */
	KASSERT_EQ(ei.start, 0x10000000 + T_CODE_OFF);
}

/* A PIE whose first segment is not at 0 still has its first page at the base. */
KTEST(elf_load_tiny_pie_high_vaddr)
{
	check_tiny_load(ET_DYN, 0x200000, EXEC_PIE_BASE - 0x200000);
}

KTEST(elf_load_refuses_null_and_empty)
{
	struct mm *mm = mm_create();
	struct exec_image ei;

	KASSERT(mm != NULL);
	KASSERT_EQ(elf_load(mm, NULL, 0, &ei), -ENOEXEC);
	KASSERT_EQ(elf_load(mm, "", 0, &ei), -ENOEXEC);
	mm_destroy(mm);
}

/* ---- stack_setup ---- */

static uint64_t peek64(struct mm *mm, uint64_t addr)
{
	uint64_t v = 0xbadbadbadULL;

	copy_from_user(mm->vs, &v, user_ptr(addr), sizeof(v));
	return v;
}

static bool user_str_is(struct mm *mm, uint64_t addr, const char *want)
{
	char buf[64];
	long n = strncpy_from_user(mm->vs, buf, user_ptr(addr), sizeof(buf));

	return n >= 0 && (size_t)n < sizeof(buf) && strcmp(buf, want) == 0;
}

/* The auxv value for @type, searching from @p; ~0 if absent. */
static uint64_t auxv_get(struct mm *mm, uint64_t p, uint64_t type)
{
	unsigned i;

	for (i = 0; i < 64; i++, p += 16) {
		uint64_t t = peek64(mm, p);

		if (t == type)
			return peek64(mm, p + 8);
		if (t == AT_NULL)
			break;
	}
	return ~0ULL;
}

KTEST(stack_setup_layout)
{
	static const char *const argv[] = { "/bin/prog", "-x", "", NULL };
	static const char *const envp[] = { "HOME=/", "TERM=vt100", NULL };
	const struct exec_image img = {
		.entry = 0x401000, .phdr = 0x400040, .phent = 56, .phnum = 7,
	};
	size_t free_before = frames_free();
	struct mm *mm = mm_create();
	uint64_t sp, p, rnd;
	struct mm_region *r;
	uint8_t bytes[16];
	unsigned i;

	KASSERT(mm != NULL);
	KASSERT_EQ(stack_setup(mm, argv, envp, "/bin/prog", &img, &sp), 0);
	KASSERT_EQ(sp % 16, 0);
	r = mm_find_region(mm, sp);
	KASSERT(r != NULL);
	KASSERT_EQ(r->end, USER_VA_MAX);
	KASSERT_EQ(r->end - r->start, EXEC_STACK_SIZE);
	KASSERT(r->flags & MMR_STACK);

	KASSERT_EQ(peek64(mm, sp), 3);
	for (i = 0; i < 3; i++)
		KASSERT(user_str_is(mm, peek64(mm, sp + 8 + 8 * i), argv[i]));
	KASSERT_EQ(peek64(mm, sp + 32), 0);
	for (i = 0; i < 2; i++)
		KASSERT(user_str_is(mm, peek64(mm, sp + 40 + 8 * i), envp[i]));
	KASSERT_EQ(peek64(mm, sp + 56), 0);
	p = sp + 64;   /* auxv */
	KASSERT_EQ(p % 16, 0);
	KASSERT_EQ(auxv_get(mm, p, AT_PHDR), 0x400040);
	KASSERT_EQ(auxv_get(mm, p, AT_PHENT), 56);
	KASSERT_EQ(auxv_get(mm, p, AT_PHNUM), 7);
	KASSERT_EQ(auxv_get(mm, p, AT_ENTRY), 0x401000);
	KASSERT_EQ(auxv_get(mm, p, AT_PAGESZ), 4096);
	KASSERT_EQ(auxv_get(mm, p, AT_CLKTCK), 100);
	KASSERT_EQ(auxv_get(mm, p, AT_BASE), 0);
	KASSERT_EQ(auxv_get(mm, p, AT_UID), 0);
	KASSERT_EQ(auxv_get(mm, p, AT_SECURE), 0);
	KASSERT_EQ(auxv_get(mm, p, AT_HWCAP), cpu_hwcap());
	KASSERT(user_str_is(mm, auxv_get(mm, p, AT_PLATFORM), "x86_64"));
	KASSERT(user_str_is(mm, auxv_get(mm, p, AT_EXECFN), "/bin/prog"));
	rnd = auxv_get(mm, p, AT_RANDOM);
	KASSERT_EQ(copy_from_user(mm->vs, bytes, user_ptr(rnd), 16), 0);
	KASSERT(rnd > sp && rnd < USER_VA_MAX);
	/* the execfn string ends just below the 8-byte end marker */
	KASSERT_EQ(auxv_get(mm, p, AT_EXECFN) + sizeof("/bin/prog"), USER_VA_MAX - 8);
	KASSERT_EQ(peek64(mm, USER_VA_MAX - 8), 0);

	mm_destroy(mm);
	KASSERT_EQ(frames_free(), free_before);
}

KTEST(stack_setup_aligned_for_every_count)
{
	static const char *const strs[] = { "a", "bb", "ccc", "dddd", "eeeee", NULL };
	const struct exec_image img = { .entry = 0x401000 };
	unsigned na, ne;
	uint64_t sp;

	for (na = 0; na < 5; na++) {
		for (ne = 0; ne < 5; ne++) {
			struct mm *mm = mm_create();

			KASSERT(mm != NULL);
			KASSERT_EQ(stack_setup(mm, strs + 5 - na, strs + 5 - ne, "/x",
					       &img, &sp), 0);
			KASSERT_EQ(sp % 16, 0);
			KASSERT_EQ(peek64(mm, sp), na);
			mm_destroy(mm);
		}
	}
}

KTEST(stack_setup_e2big)
{
	const struct exec_image img = { .entry = 0x401000 };
	const size_t chunk = 100000;
	size_t free_before = frames_free();
	const char **argv;
	char *s;
	struct mm *mm;
	uint64_t sp;
	unsigned i;

	s = kmalloc(200001);
	argv = kzalloc(30 * sizeof(*argv));
	KASSERT(s != NULL && argv != NULL);
	memset(s, 'a', 200000);
	s[200000] = '\0';
	argv[0] = s;   /* longer than one argument may be */
	mm = mm_create();
	KASSERT(mm != NULL);
	KASSERT_EQ(stack_setup(mm, argv, NULL, "/x", &img, &sp), -E2BIG);
	mm_destroy(mm);

	s[chunk] = '\0';
	for (i = 0; i < 20; i++)   /* 2 MB of 8 MB: fits */
		argv[i] = s;
	mm = mm_create();
	KASSERT(mm != NULL);
	KASSERT_EQ(stack_setup(mm, argv, NULL, "/x", &img, &sp), 0);
	KASSERT_EQ(peek64(mm, sp), 20);
	mm_destroy(mm);

	for (i = 20; i < 22; i++)  /* over a quarter of the stack */
		argv[i] = s;
	mm = mm_create();
	KASSERT(mm != NULL);
	KASSERT_EQ(stack_setup(mm, NULL, argv, "/x", &img, &sp), -E2BIG);
	mm_destroy(mm);
	kfree(argv);
	kfree(s);
	KASSERT_EQ(frames_free(), free_before);
}

KTEST(stack_setup_at_base_and_start)
{
	const struct exec_image img = {
		.entry = 0x555555555040, .start = 0x7fefbf751123, .interp_base = 0x7fefbf750000,
		.phdr = 0x555555554040, .phent = 56, .phnum = 9,
	};
	static const char *const argv[] = { "/x", NULL };
	struct mm *mm = mm_create();
	uint64_t sp, p;

	KASSERT(mm != NULL);
	KASSERT_EQ(stack_setup(mm, argv, NULL, "/x", &img, &sp), 0);
	p = sp + 8 * 4;   /* argc, argv[0], NULL, envp NULL */
	KASSERT_EQ(auxv_get(mm, p, AT_BASE), 0x7fefbf750000);
	KASSERT_EQ(auxv_get(mm, p, AT_ENTRY), 0x555555555040);   /* the program's */
	KASSERT_EQ(auxv_get(mm, p, AT_PHDR), 0x555555554040);
	mm_destroy(mm);
}
