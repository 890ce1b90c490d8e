/*
 * x86_main: the first C code, called by boot.S in long mode on the boot
 * stack with interrupts masked. Brings up the machine in dependency order
 * and hands over to core_start().
 */
#include <jinux/log.h>
#include <jinux/machine.h>

#include "arch_hooks.h"
#include "x86.h"

void x86_main(uint32_t boot_type, uint32_t boot_info);

/* KTEST registration and any other constructors. */
static void run_constructors(void)
{
	typedef void (*ctor_fn)(void);
	for (ctor_fn *f = (ctor_fn *)__init_array_start; f < (ctor_fn *)__init_array_end; f++)
		(*f)();
}

void x86_main(uint32_t boot_type, uint32_t boot_info)
{
	serial_init();
	gdt_init();
	idt_init();
	bootinfo_parse(boot_type, boot_info);
	paging_init();
	cpu_init();
	mem_init();
	run_constructors();
	syscall_init();
	pic_init();
	clock_init();
	serial_enable_rx_irq();
	pr_info("x86: booted by %s, command line \"%s\"\n", x86_boot.loader, boot_cmdline());
	arch_irq_enable();
	core_start();
}
