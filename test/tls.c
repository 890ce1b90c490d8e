/*
 * tls: thread-local storage of the main thread. musl finds the PT_TLS
 * segment through AT_PHDR, builds the TLS block and points FS at it with
 * arch_prctl; this checks the result: initialised __thread data holds its
 * initial values, __thread bss is zero, an over-aligned variable is
 * aligned, %fs:0 is the thread pointer, and the variables are writable.
 */
#include <stdint.h>

#include "lib/tap.h"

static __thread long tdata = 0x5eed5eedL;
static __thread char tstr[16] = "tls works";
static __thread char tbss[8192];
static __thread _Alignas(64) char taligned[64] = { 1 };

static uintptr_t thread_pointer(void)
{
	uintptr_t tp;

	__asm__ volatile("mov %%fs:0, %0" : "=r"(tp));
	return tp;
}

int main(void)
{
	uintptr_t fsbase = 0;
	int zero = 1;

	ok_eq(tdata, 0x5eed5eedL, "an initialised __thread long holds its initial value");
	ok(strcmp(tstr, "tls works") == 0, "an initialised __thread string holds its initial value");
	for (size_t i = 0; i < sizeof(tbss); i++)
		zero &= tbss[i] == 0;
	ok(zero, "8 KiB of __thread bss reads zero");
	ok_eq((uintptr_t)taligned % 64, 0, "a 64-byte aligned __thread variable is aligned");
	ok_eq(taligned[0], 1, "the aligned variable holds its initial value");
	ok_eq(sysc(SYS_arch_prctl, 0x1003 /* ARCH_GET_FS */, &fsbase), 0, "ARCH_GET_FS succeeds");
	ok_why(fsbase != 0 && thread_pointer() == fsbase, "%fs:0 holds the thread pointer (the FS base)",
	       "FS base %#lx, %%fs:0 %#lx", (unsigned long)fsbase, (unsigned long)thread_pointer());
	ok((uintptr_t)&tdata < fsbase && fsbase - (uintptr_t)&tdata < 65536,
	   "TLS variables sit just below the thread pointer (x86-64 variant II)");
	tdata = 7;
	tbss[4000] = 9;
	ok(tdata == 7 && tbss[4000] == 9, "TLS variables are writable");
	return tap_done();
}
