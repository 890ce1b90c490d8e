/*
 * args: the initial process stack built by execve. The runner starts this
 * program as `args one "two words" three`; it checks argv, envp, the
 * auxiliary vector that follows them, and the alignment Linux guarantees
 * for the stack pointer at _start.
 */
#include <elf.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/auxv.h>

#include "lib/tap.h"

extern const Elf64_Ehdr __ehdr_start;
extern void _start(void);
extern char **environ;

static void check_argv(int argc, char **argv)
{
	static const char *const want[] = { "one", "two words", "three" };

	ok_eq(argc, 4, "argc counts the program and its three arguments");
	ok_eq(*((long *)argv - 1), argc, "argc sits just below argv on the stack");
	ok_eq(((uintptr_t)argv - 8) % 16, 0, "stack pointer at _start is 16-byte aligned");
	ok(argv[0] && argv[0][0], "argv[0] is a non-empty string");
	for (int i = 1; i <= 3; i++) {
		char desc[64];
		const char *got = i < argc ? argv[i] : "(missing)";

		snprintf(desc, sizeof(desc), "argv[%d] is \"%s\"", i, want[i - 1]);
		ok_why(strcmp(got, want[i - 1]) == 0, desc, "got \"%s\"", got);
	}
	ok(argc >= 0 && argv[argc] == NULL, "argv is NULL-terminated");
}

static char **check_envp(char **envp)
{
	int n = 0, bad = -1;

	for (; envp[n] && n < 10000; n++)
		if (bad < 0 && !strchr(envp[n], '='))
			bad = n;
	ok_why(envp[n] == NULL, "envp is NULL-terminated", "over %d entries", n);
	ok_why(bad < 0, "every envp entry has the form NAME=value",
	       "envp[%d] is \"%s\"", bad, bad < 0 ? "" : envp[bad]);
	ok(environ == envp, "environ points at the envp array");
	tap_diag("%d environment entries", n);
	return envp + n + 1;
}

/* Looks @type up in the raw auxv that follows envp. */
static int auxv_find(const Elf64_auxv_t *auxv, unsigned long type, unsigned long *val)
{
	for (int i = 0; i < 1000 && auxv[i].a_type != AT_NULL; i++)
		if (auxv[i].a_type == type) {
			*val = auxv[i].a_un.a_val;
			return 1;
		}
	return 0;
}

static void check_auxv_layout(const Elf64_auxv_t *auxv)
{
	unsigned long v;
	int n = 0, agree = 1;

	while (n < 1000 && auxv[n].a_type != AT_NULL)
		n++;
	ok_why(n < 1000, "auxv follows envp and ends with AT_NULL", "no AT_NULL in 1000 entries");
	ok_eq((uintptr_t)auxv % 8, 0, "auxv is 8-byte aligned");
	for (int i = 0; i < n; i++)
		if (getauxval(auxv[i].a_type) != auxv[i].a_un.a_val && auxv[i].a_type != AT_IGNORE)
			agree = 0;
	ok(agree, "getauxval agrees with the raw auxv");
	ok(auxv_find(auxv, AT_PAGESZ, &v) && v == 4096, "AT_PAGESZ is 4096");
}

static void check_auxv_image(void)
{
	const Elf64_Ehdr *eh = &__ehdr_start;
	uintptr_t phdr = (uintptr_t)eh + eh->e_phoff;

	ok_why(getauxval(AT_PHDR) == phdr, "AT_PHDR is the address of the program headers",
	       "AT_PHDR %#lx, headers at %#lx", getauxval(AT_PHDR), (unsigned long)phdr);
	ok_eq(getauxval(AT_PHNUM), eh->e_phnum, "AT_PHNUM is the header count");
	ok_eq(getauxval(AT_PHENT), sizeof(Elf64_Phdr), "AT_PHENT is sizeof(Elf64_Phdr)");
	ok_why(getauxval(AT_ENTRY) == (uintptr_t)_start, "AT_ENTRY is the address of _start",
	       "AT_ENTRY %#lx, _start %p", getauxval(AT_ENTRY), (void *)_start);
	ok_eq(getauxval(AT_BASE), 0, "AT_BASE is 0 without an interpreter");
}

static void check_auxv_values(const char *argv0)
{
	const unsigned char *rnd = (const unsigned char *)getauxval(AT_RANDOM);
	const char *execfn = (const char *)getauxval(AT_EXECFN);
	const char *plat = (const char *)getauxval(AT_PLATFORM);
	unsigned any = 0;

	ok(rnd != NULL, "AT_RANDOM is present");
	for (int i = 0; rnd && i < 16; i++)
		any |= rnd[i];
	ok(any != 0, "AT_RANDOM points at 16 readable bytes, not all zero");
	ok(getauxval(AT_HWCAP) != 0, "AT_HWCAP is nonzero");
	ok_eq(getauxval(AT_SECURE), 0, "AT_SECURE is 0");
	ok_eq(getauxval(AT_CLKTCK), 100, "AT_CLKTCK is 100 (USER_HZ)");
	ok_why(execfn && strcmp(execfn, argv0) == 0, "AT_EXECFN is the path argv[0] names",
	       "AT_EXECFN \"%s\", argv[0] \"%s\"", execfn ? execfn : "(null)", argv0);
	ok_why(plat && strcmp(plat, "x86_64") == 0, "AT_PLATFORM is x86_64",
	       "AT_PLATFORM \"%s\"", plat ? plat : "(null)");
}

int main(int argc, char **argv, char **envp)
{
	const Elf64_auxv_t *auxv;

	check_argv(argc, argv);
	auxv = (const Elf64_auxv_t *)check_envp(envp);
	check_auxv_layout(auxv);
	check_auxv_image();
	check_auxv_values(argv[0]);
	return tap_done();
}
