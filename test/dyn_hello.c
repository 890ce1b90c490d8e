/*
 * dyn_hello: a dynamically linked program (musl, PT_INTERP
 * /lib/ld-musl-x86_64.so.1, built twice: PIE and -no-pie). The kernel
 * loads the program and its interpreter and starts the interpreter,
 * whose auxv must still describe the program: AT_PHDR/AT_PHNUM/AT_PHENT
 * are the program's headers, AT_ENTRY its _start, AT_BASE where the
 * interpreter was loaded. The runner starts it as
 * `dyn_hello one "two words"` and checks the greeting line. DYN_INTERP in
 * the environment names the expected PT_INTERP (dyn_exec runs copies
 * with other interpreters).
 */
#define _GNU_SOURCE
#include <elf.h>
#include <link.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

#include "lib/tap.h"

#define INTERP "/lib/ld-musl-x86_64.so.1"

extern const Elf64_Ehdr __ehdr_start;
extern void _start(void);
extern char **environ;

static void check_args(int argc, char **argv, char **envp)
{
	int n = 0;

	ok_eq(argc, 3, "argc counts the program and its two arguments");
	ok_why(argc > 2 && strcmp(argv[1], "one") == 0 && strcmp(argv[2], "two words") == 0,
	       "argv[1] and argv[2] arrive intact", "got \"%s\" \"%s\"",
	       argc > 1 ? argv[1] : "", argc > 2 ? argv[2] : "");
	ok(argv[argc] == NULL, "argv is NULL-terminated");
	while (envp[n] && n < 10000)
		n++;
	ok(envp[n] == NULL, "envp is NULL-terminated");
	ok(environ == envp, "environ points at the envp array");
}

static const char *interp_name = "";  /* PT_INTERP, found by check_program() */

/* The program's own headers, as AT_PHDR must show them. */
static void check_program(void)
{
	const Elf64_Ehdr *eh = &__ehdr_start;
	const Elf64_Phdr *ph = (const Elf64_Phdr *)((uintptr_t)eh + eh->e_phoff);
	const char *interp = NULL, *want = getenv("DYN_INTERP");

	tap_diag("program %s at %p, entry %#lx", eh->e_type == ET_DYN ? "ET_DYN" : "ET_EXEC",
		 (const void *)eh, getauxval(AT_ENTRY));
	ok_why(getauxval(AT_PHDR) == (uintptr_t)ph, "AT_PHDR is the address of the program headers",
	       "AT_PHDR %#lx, headers at %p", getauxval(AT_PHDR), (const void *)ph);
	ok_eq(getauxval(AT_PHNUM), eh->e_phnum, "AT_PHNUM is the program's header count");
	ok_eq(getauxval(AT_PHENT), sizeof(Elf64_Phdr), "AT_PHENT is sizeof(Elf64_Phdr)");
	ok_why(getauxval(AT_ENTRY) == (uintptr_t)_start,
	       "AT_ENTRY is the address of the program's _start (not the interpreter's)",
	       "AT_ENTRY %#lx, _start %p", getauxval(AT_ENTRY), (void *)_start);
	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_INTERP)
			interp = (const char *)eh + ph[i].p_offset;
	if (!want)
		want = INTERP;
	if (interp)
		interp_name = interp;
	ok_why(interp && strcmp(interp, want) == 0,
	       "the headers at AT_PHDR name the interpreter in PT_INTERP",
	       "got \"%s\", want \"%s\"", interp ? interp : "(none)", want);
}

static uintptr_t libc_addr = 1;

/* musl names its dynamic linker (which is libc) by the PT_INTERP path. */
static int find_libc(struct dl_phdr_info *info, size_t size, void *arg)
{
	(void)size;
	(void)arg;
	if (info->dlpi_name && (strcmp(info->dlpi_name, interp_name) == 0 ||
				strstr(info->dlpi_name, "libc.so")))
		libc_addr = info->dlpi_addr;
	return 0;
}

/* The interpreter image at AT_BASE. */
static void check_interp(void)
{
	uintptr_t base = getauxval(AT_BASE);
	const Elf64_Ehdr *ih = (const Elf64_Ehdr *)base;
	uintptr_t self = (uintptr_t)&__ehdr_start;

	tap_diag("interpreter at %#lx", (unsigned long)base);
	ok_why(base != 0, "AT_BASE is non-zero for a program with an interpreter", "AT_BASE 0");
	ok_eq(base % 4096, 0, "AT_BASE is page-aligned");
	ok(base != 0 && memcmp(ih->e_ident, ELFMAG, SELFMAG) == 0 && ih->e_type == ET_DYN,
	   "an ET_DYN ELF header is mapped at AT_BASE");
	ok(base != 0 && base != self, "the interpreter is not loaded over the program");
	ok(base != 0 && getauxval(AT_ENTRY) != base + ih->e_entry,
	   "AT_ENTRY is not the interpreter's entry");
	dl_iterate_phdr(find_libc, NULL);
	ok_why(libc_addr == base, "the dynamic linker's own load address is AT_BASE",
	       "dl_iterate_phdr says %#lx", (unsigned long)libc_addr);
}

static void check_misc(const char *argv0)
{
	const char *execfn = (const char *)getauxval(AT_EXECFN);
	char buf[64];
	char *p;

	ok_eq(getauxval(AT_SECURE), 0, "AT_SECURE is 0");
	ok_why(execfn && strcmp(execfn, argv0) == 0, "AT_EXECFN is the path argv[0] names",
	       "AT_EXECFN \"%s\"", execfn ? execfn : "(null)");
	snprintf(buf, sizeof(buf), "%s %d", "relocated", 42);
	ok(strcmp(buf, "relocated 42") == 0, "libc calls through the PLT work (snprintf)");
	p = malloc(100000);
	ok(p != NULL, "malloc of 100000 bytes works");
	if (p) {
		memset(p, 7, 100000);
		ok(p[99999] == 7, "the block is writable");
		free(p);
	} else {
		ok(0, "the block is writable");
	}
}

int main(int argc, char **argv, char **envp)
{
	printf("hello from a dynamic program\n");
	fflush(stdout);
	check_args(argc, argv, envp);
	check_program();
	check_interp();
	check_misc(argv[0]);
	return tap_done();
}
