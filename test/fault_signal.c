/*
 * fault_signal: a CPU exception in user mode kills the process (no
 * handlers are installed) with the signal Linux maps it to; the runner
 * checks the status 128 + signal. argv[1] picks the exception:
 *   null-read    load from address 0               SIGSEGV (139)
 *   noncanon     load from a non-canonical address SIGSEGV (139, #GP)
 *   exec-nx      jump into a non-executable page   SIGSEGV (139)
 *   hlt          privileged instruction            SIGSEGV (139, #GP)
 *   port-io      inb from a port (no iopl)         SIGSEGV (139, #GP)
 *   ud2          undefined instruction             SIGILL  (132)
 *   int3         breakpoint                        SIGTRAP (133)
 *   div0         integer divide by zero            SIGFPE  (136)
 * The kernel must survive all of them.
 */
#include "lib/tap.h"

static void fault(const char *mode)
{
	static volatile int zero;
	static char data[16] = { (char)0xc3 }; /* ret, in a non-executable page */
	volatile long sink;

	if (strcmp(mode, "null-read") == 0)
		sink = *(volatile long *)(long)zero;
	else if (strcmp(mode, "noncanon") == 0)
		sink = *(volatile long *)NONCANON_PTR;
	else if (strcmp(mode, "exec-nx") == 0)
		((void (*)(void))(void *)data)();
	else if (strcmp(mode, "hlt") == 0)
		__asm__ volatile("hlt");
	else if (strcmp(mode, "port-io") == 0)
		__asm__ volatile("inb $0x80, %%al" : : : "eax");
	else if (strcmp(mode, "ud2") == 0)
		__asm__ volatile("ud2");
	else if (strcmp(mode, "int3") == 0)
		__asm__ volatile("int3");
	else if (strcmp(mode, "div0") == 0)
		sink = 100 / zero;
	else
		tap_diag("unknown mode %s", mode);
	(void)sink;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "null-read";

	tap_plan(1);
	ok(1, "about to raise a CPU exception");
	tap_diag("mode %s: expecting death by signal", mode);
	fault(mode);
	tap_diag("still alive after %s", mode);
	return 1;
}
