/*
 * dyn_exec: execve of dynamically linked programs whose interpreter is
 * missing, unusable or badly named, with the errno Linux gives. Each case
 * is a copy of dyn_hello (found next to this program) in /tmp with its
 * PT_INTERP rewritten, or pointing at a damaged copy of musl's dynamic
 * linker; a forked child runs it with its output sent to /dev/null.
 */
#include <elf.h>
#include <stddef.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/proc.h"

#define LDSO "/lib/ld-musl-x86_64.so.1"
#ifndef ELIBBAD
#define ELIBBAD 80
#endif

static char *prog;          /* dyn_hello's bytes */
static size_t prog_len;
static Elf64_Phdr *interp;  /* its PT_INTERP header, inside prog */
static char *ldso;          /* the dynamic linker's bytes */
static size_t ldso_len;
static char tmp[64];        /* "/tmp/dyN": prefix of every file made here */

static char *slurp(const char *path, size_t *len)
{
	struct stat st;
	char *buf;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st) < 0 || !(buf = malloc(st.st_size + 1)))
		return NULL;
	*len = 0;
	while (*len < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + *len, st.st_size - *len);
		if (n <= 0)
			return NULL;
		*len += n;
	}
	close(fd);
	return buf;
}

static char made[32][96];   /* files to remove at the end */
static int nmade;

static int spill(const char *path, const void *buf, size_t len, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	size_t done = 0;

	if (nmade < 32)
		snprintf(made[nmade++], sizeof(made[0]), "%s", path);

	if (fd < 0)
		return -1;
	while (done < len) {
		ssize_t n = write(fd, (const char *)buf + done, len - done);
		if (n <= 0)
			return -1;
		done += n;
	}
	fchmod(fd, mode);
	return close(fd);
}

static Elf64_Phdr *find_interp(char *img)
{
	Elf64_Ehdr *eh = (Elf64_Ehdr *)img;
	Elf64_Phdr *ph = (Elf64_Phdr *)(img + eh->e_phoff);

	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_INTERP)
			return &ph[i];
	return NULL;
}

/* A copy of dyn_hello at @path naming @ipath (if short enough) as interpreter. */
static void make_prog(const char *path, const char *ipath)
{
	size_t room = interp->p_filesz;
	char *name = prog + interp->p_offset;
	char saved[256];

	memcpy(saved, name, room);
	memset(name, 0, room);
	memcpy(name, ipath, strlen(ipath) < room ? strlen(ipath) : room - 1);
	spill(path, prog, prog_len, 0755);
	memcpy(name, saved, room);
}

/*
 * Run @path in a child (cwd @dir if not NULL). Return: execve's error, or
 * 1000 + the exit status if it ran, or 2000 + the signal that killed it.
 */
static char want_interp[96] = "DYN_INTERP=";

static long run(const char *path, const char *dir)
{
	volatile long *res = shared_mem(PAGE);
	char *a[] = { (char *)path, "one", "two words", NULL };
	char *e[] = { want_interp, NULL };
	int st = 0;
	long pid;

	if (!res)
		return -9999;
	pid = raw_fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 1);
		dup2(null, 2);
		if (dir && chdir(dir) < 0)
			child_exit(126);
		res[0] = sysc(SYS_execve, path, a, e);
		child_exit(127);
	}
	reap(pid, &st);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
		return res[0];
	return WIFEXITED(st) ? 1000 + WEXITSTATUS(st) : 2000 + WTERMSIG(st);
}

static void check_run(const char *tag, const char *dir, long want, const char *desc)
{
	char path[96];
	long got;

	snprintf(path, sizeof(path), "%s.%s", tmp, tag);
	got = run(path, dir);
	ok_why(got == want, desc, "got %ld (%s), want %ld", got,
	       got < 0 ? tap_errname(got) : got >= 2000 ? "signal" : "ran", want);
}

/* A copy of the dynamic linker at "<tmp>.<tag>" with one field changed. */
static void make_ldso(const char *tag, size_t off, const void *val, size_t len, mode_t mode)
{
	char path[96], saved[8];

	snprintf(path, sizeof(path), "%s.%s", tmp, tag);
	memcpy(saved, ldso + off, len);
	memcpy(ldso + off, val, len);
	spill(path, ldso, ldso_len, mode);
	memcpy(ldso + off, saved, len);
}

/* Programs whose interpreter is "<tmp>.<itag>", written as "<tmp>.p<itag>". */
static void make_pair(const char *itag)
{
	char p[96], i[96];

	snprintf(p, sizeof(p), "%s.p%s", tmp, itag);
	snprintf(i, sizeof(i), "%s.%s", tmp, itag);
	make_prog(p, i);
}

static void check_good(void)
{
	char p[96], rel[64];

	make_ldso("ld", 0, "\177", 1, 0755);
	make_pair("ld");
	snprintf(want_interp, sizeof(want_interp), "DYN_INTERP=%s.ld", tmp);
	check_run("pld", NULL, 1000, "a copy of the dynamic linker elsewhere works as interpreter");
	/* A relative PT_INTERP is looked up from the cwd, as open(2) would. */
	snprintf(p, sizeof(p), "%s.rel", tmp);
	snprintf(rel, sizeof(rel), "%s.ld", strrchr(tmp, '/') + 1);
	make_prog(p, rel);
	snprintf(want_interp, sizeof(want_interp), "DYN_INTERP=%s", rel);
	check_run("rel", "/tmp", 1000, "a relative PT_INTERP is found from the cwd");
}

static void check_interp_errors(void)
{
	static const char text[] = "#!/bin/sh\n# not an ELF file, but longer than an ELF header\n"
				   "echo this is a shell script, not an interpreter\n";
	char p[96], i[96];
	uint16_t v16;

	make_pair("none");
	check_run("pnone", NULL, -ENOENT, "a missing interpreter is ENOENT");

	make_ldso("noexec", 0, "\177", 1, 0644);
	make_pair("noexec");
	check_run("pnoexec", NULL, -EACCES, "an interpreter without execute permission is EACCES");

	snprintf(p, sizeof(p), "%s.pdir", tmp);
	make_prog(p, "/tmp");
	check_run("pdir", NULL, -EACCES, "a directory as interpreter is EACCES");

	snprintf(i, sizeof(i), "%s.text", tmp);
	spill(i, text, sizeof(text) - 1, 0755);
	make_pair("text");
	check_run("ptext", NULL, -ELIBBAD, "an interpreter that is not ELF is ELIBBAD");

	snprintf(i, sizeof(i), "%s.tiny", tmp);
	spill(i, "\177ELF\2\1\1", 7, 0755);
	make_pair("tiny");
	check_run("ptiny", NULL, -EIO, "an interpreter shorter than an ELF header is EIO");

	v16 = EM_386;
	make_ldso("i386", offsetof(Elf64_Ehdr, e_machine), &v16, 2, 0755);
	make_pair("i386");
	check_run("pi386", NULL, -ELIBBAD, "an interpreter for another machine is ELIBBAD");

	v16 = 32;
	make_ldso("phent", offsetof(Elf64_Ehdr, e_phentsize), &v16, 2, 0755);
	make_pair("phent");
	check_run("pphent", NULL, -ELIBBAD, "an interpreter with a bad e_phentsize is ELIBBAD");

	v16 = 0;
	make_ldso("phnum", offsetof(Elf64_Ehdr, e_phnum), &v16, 2, 0755);
	make_pair("phnum");
	check_run("pphnum", NULL, -ELIBBAD, "an interpreter without program headers is ELIBBAD");
}

/* Damage dyn_hello's own PT_INTERP header. */
static void check_bad_pt_interp(void)
{
	char p[96], *name = prog + interp->p_offset;
	Elf64_Phdr saved = *interp;
	char last = name[interp->p_filesz - 1];

	snprintf(p, sizeof(p), "%s.unterm", tmp);
	name[interp->p_filesz - 1] = 'x';
	spill(p, prog, prog_len, 0755);
	name[interp->p_filesz - 1] = last;
	check_run("unterm", NULL, -ENOEXEC, "a PT_INTERP path without its NUL is ENOEXEC");

	snprintf(p, sizeof(p), "%s.short", tmp);
	interp->p_filesz = 1;
	spill(p, prog, prog_len, 0755);
	*interp = saved;
	check_run("short", NULL, -ENOEXEC, "a PT_INTERP of one byte is ENOEXEC");

	snprintf(p, sizeof(p), "%s.long", tmp);
	interp->p_filesz = 4097;
	spill(p, prog, prog_len, 0755);
	*interp = saved;
	check_run("long", NULL, -ENOEXEC, "a PT_INTERP longer than PATH_MAX is ENOEXEC");

	snprintf(p, sizeof(p), "%s.past", tmp);
	interp->p_offset = prog_len + 4096;
	spill(p, prog, prog_len, 0755);
	*interp = saved;
	check_run("past", NULL, -EIO, "a PT_INTERP beyond the end of the file is EIO");
}

/*
 * An interpreter that itself names an interpreter: Jinux refuses it with
 * ELIBBAD; Linux ignores the inner PT_INTERP, starts the image, and this
 * one (a program, not a loader) dies. Either is accepted.
 */
static void check_nested(void)
{
	char p[96];
	long got;

	snprintf(p, sizeof(p), "%s.nested", tmp);
	spill(p, prog, prog_len, 0755);   /* dyn_hello, unchanged */
	make_pair("nested");
	snprintf(p, sizeof(p), "%s.pnested", tmp);
	got = run(p, NULL);
	ok_why(got == -ELIBBAD || got >= 2000,
	       "an interpreter with its own PT_INTERP is refused (ELIBBAD) or dies",
	       "got %ld", got);
}

int main(int argc, char **argv)
{
	char path[512], dir[512];

	(void)argc;
	snprintf(dir, sizeof(dir), "%s", argv[0]);
	snprintf(path, sizeof(path), "%s/dyn_hello", dirname(dir));
	prog = slurp(path, &prog_len);
	ldso = slurp(LDSO, &ldso_len);
	if (!prog || !ldso || !(interp = find_interp(prog)) || interp->p_filesz > 256) {
		tap_diag("cannot read %s or " LDSO, path);
		ok(0, "dyn_hello and the dynamic linker are readable");
		return tap_done();
	}
	/* Short: every interpreter path must fit in dyn_hello's PT_INTERP. */
	snprintf(tmp, sizeof(tmp), "/tmp/dy%d", (int)getpid() % 10000);
	check_good();
	check_interp_errors();
	check_bad_pt_interp();
	check_nested();
	while (nmade > 0)
		unlink(made[--nmade]);
	return tap_done();
}
