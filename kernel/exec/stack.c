/*
 * The initial stack of a new program (System V x86-64 ABI, as Linux lays
 * it out in fs/exec.c and binfmt_elf.c's create_elf_tables), from the
 * top of the user address space down:
 *
 *	8 zero bytes (end marker)
 *	execfn string                      <- AT_EXECFN
 *	envp strings, argv strings         (argv[0] lowest)
 *	"x86_64"                           <- AT_PLATFORM
 *	16 random bytes                    <- AT_RANDOM
 *	padding to 16 bytes
 *	auxv pairs ... AT_NULL
 *	envp[] NULL
 *	argv[] NULL
 *	argc                               <- %rsp, 16-byte aligned
 */
#include <jinux/errno.h>
#include <jinux/machine.h>
#include <jinux/string.h>
#include <jinux/types.h>
#include <jinux/vm_space.h>
#include <kernel/exec.h>
#include <kernel/mm.h>
#include <uapi/auxv.h>

/* Linux's MAX_ARG_STRLEN: no single string may be longer. */
#define STACK_MAX_STRLEN (32 * PAGE_SIZE)
/* Like Linux's rule for ARG_MAX: strings and pointers use at most 1/4. */
#define STACK_ARG_LIMIT (EXEC_STACK_SIZE / 4)
#define STACK_PLATFORM "x86_64"
#define STACK_AUXV_PAIRS 19   /* entries stack_push_auxv() writes */

/* Counts and sizes of what goes on the stack, checked before writing. */
struct stack_plan {
	size_t argc, envc;
	size_t strings;      /* bytes of argv, envp and execfn strings */
};

/* Buffers user words so the pointer block is poked in few large writes. */
struct stack_writer {
	struct mm *mm;
	uintptr_t addr;      /* where buf[0] goes */
	uint64_t buf[64];
	size_t n;
	int err;
};

static void sw_flush(struct stack_writer *w)
{
	if (w->n && !w->err)
		w->err = mm_poke(w->mm, w->addr, w->buf, w->n * sizeof(uint64_t));
	w->addr += w->n * sizeof(uint64_t);
	w->n = 0;
}

static void sw_push(struct stack_writer *w, uint64_t v)
{
	if (w->n == ARRAY_SIZE(w->buf))
		sw_flush(w);
	w->buf[w->n++] = v;
}

/* Adds the strings of @vec to @plan; *count gets their number. */
static int stack_count(const char *const vec[], size_t *count, struct stack_plan *plan)
{
	size_t i, len;

	for (i = 0; vec && vec[i]; i++) {
		len = strnlen(vec[i], STACK_MAX_STRLEN);
		if (len >= STACK_MAX_STRLEN)
			return -E2BIG;
		plan->strings += len + 1;
		if (plan->strings > STACK_ARG_LIMIT)
			return -E2BIG;
	}
	*count = i;
	return 0;
}

/* Decode: sizes of everything, and the limit Linux puts on them. */
static int stack_plan(const char *const argv[], const char *const envp[],
		      const char *execfn, struct stack_plan *plan)
{
	size_t len;
	int err;

	plan->strings = 0;
	len = strnlen(execfn, STACK_MAX_STRLEN);
	if (len >= STACK_MAX_STRLEN)
		return -E2BIG;
	plan->strings = len + 1;
	err = stack_count(argv, &plan->argc, plan);
	if (err)
		return err;
	err = stack_count(envp, &plan->envc, plan);
	if (err)
		return err;
	if ((plan->argc + plan->envc) * sizeof(uint64_t) >
	    STACK_ARG_LIMIT - plan->strings)
		return -E2BIG;
	return 0;
}

/*
 * Copy the @n strings of @vec upwards from *@pos and push their user
 * addresses, then a NULL, as the argv[] or envp[] array.
 */
static int stack_put_strings(struct mm *mm, const char *const vec[], size_t n,
			     uintptr_t *pos, struct stack_writer *w)
{
	size_t i, len;
	int err;

	for (i = 0; i < n; i++) {
		len = strlen(vec[i]) + 1;
		err = mm_poke(mm, *pos, vec[i], len);
		if (err)
			return err;
		sw_push(w, *pos);
		*pos += len;
	}
	sw_push(w, 0);
	return 0;
}

static void stack_push_auxv(struct stack_writer *w, const struct exec_image *img,
			    uintptr_t random, uintptr_t platform, uintptr_t execfn)
{
	const uint64_t aux[][2] = {
		{ AT_HWCAP, cpu_hwcap() },
		{ AT_PAGESZ, PAGE_SIZE },
		{ AT_CLKTCK, 100 },
		{ AT_PHDR, img->phdr },
		{ AT_PHENT, img->phent },
		{ AT_PHNUM, img->phnum },
		{ AT_BASE, img->interp_base },
		{ AT_FLAGS, 0 },
		{ AT_ENTRY, img->entry },
		{ AT_UID, img->uid },
		{ AT_EUID, img->euid },
		{ AT_GID, img->gid },
		{ AT_EGID, img->egid },
		{ AT_SECURE, img->secure },
		{ AT_RANDOM, random },
		{ AT_HWCAP2, 0 },
		{ AT_EXECFN, execfn },
		{ AT_PLATFORM, platform },
		{ AT_NULL, 0 },
	};
	size_t i;

	_Static_assert(ARRAY_SIZE(aux) == STACK_AUXV_PAIRS, "auxv size");
	for (i = 0; i < ARRAY_SIZE(aux); i++) {
		sw_push(w, aux[i][0]);
		sw_push(w, aux[i][1]);
	}
}

/*
 * Perform: everything is known to fit. The strings are written bottom-up
 * from @strbase, the pointer block bottom-up from @sp.
 */
static int stack_write(struct mm *mm, const char *const argv[], const char *const envp[],
		       const char *execfn, const struct exec_image *img,
		       const struct stack_plan *plan, uintptr_t strbase,
		       uintptr_t platform, uintptr_t random, uintptr_t sp)
{
	struct stack_writer w = { .mm = mm, .addr = sp };
	uintptr_t pos = strbase, execfn_at;
	uint8_t rnd[16];
	int err;

	random_bytes(rnd, sizeof(rnd));
	err = mm_poke(mm, random, rnd, sizeof(rnd));
	if (!err)
		err = mm_poke(mm, platform, STACK_PLATFORM, sizeof(STACK_PLATFORM));
	if (err)
		return err;
	sw_push(&w, plan->argc);
	err = stack_put_strings(mm, argv, plan->argc, &pos, &w);
	if (!err)
		err = stack_put_strings(mm, envp, plan->envc, &pos, &w);
	if (err)
		return err;
	execfn_at = pos;
	err = mm_poke(mm, execfn_at, execfn, plan->strings - (pos - strbase));
	if (err)
		return err;
	stack_push_auxv(&w, img, random, platform, execfn_at);
	sw_flush(&w);
	return w.err;
}

/**
 * stack_setup() - map the main thread's stack and build the initial
 * argc/argv/envp/auxv image on it (see the layout at the top).
 * @mm:     memory map of the new program
 * @argv:   NULL-terminated kernel array of argument strings (may be NULL)
 * @envp:   NULL-terminated kernel array of environment strings (may be NULL)
 * @execfn: the path the program was executed as (AT_EXECFN)
 * @img:    where elf_load() put the program (AT_PHDR, AT_ENTRY, ...)
 * @sp_out: the initial %rsp, pointing at argc and 16-byte aligned
 *
 * The auxv identity (AT_UID ... AT_SECURE) comes from @img, which the
 * caller fills with the credentials the program will run with.
 *
 * Return: 0; -E2BIG if a string exceeds 128 KiB or strings plus pointers
 * exceed a quarter of the stack (as Linux's ARG_MAX); -ENOMEM.
 */
int stack_setup(struct mm *mm, const char *const argv[], const char *const envp[],
		const char *execfn, const struct exec_image *img, uint64_t *sp_out)
{
	const uintptr_t top = USER_VA_MAX - sizeof(uint64_t);
	struct stack_plan plan;
	uintptr_t strbase, platform, random, sp;
	size_t words;
	int err;

	if (!execfn)
		execfn = "";
	err = stack_plan(argv, envp, execfn, &plan);
	if (err)
		return err;
	strbase = top - plan.strings;
	platform = strbase - sizeof(STACK_PLATFORM);
	random = platform - 16;
	words = 1 + (plan.argc + 1) + (plan.envc + 1) + 2 * STACK_AUXV_PAIRS;
	sp = ALIGN_DOWN(random - words * sizeof(uint64_t), 16);

	err = mm_map(mm, USER_VA_MAX - EXEC_STACK_SIZE, EXEC_STACK_SIZE,
		     VM_READ | VM_WRITE, MMR_STACK);
	if (err)
		return err;
	err = stack_write(mm, argv, envp, execfn, img, &plan, strbase, platform,
			  random, sp);
	if (err)
		return err;
	*sp_out = sp;
	return 0;
}
