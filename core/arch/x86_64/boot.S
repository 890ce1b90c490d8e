/*
 * Boot entry: from 32-bit protected mode into the higher-half kernel.
 *
 * Two ways in, both with paging off and flat 32-bit segments:
 *  - PVH (QEMU -kernel): the Xen ELF note gives pvh_start32; %ebx holds
 *    the physical address of struct hvm_start_info.
 *  - Multiboot2 (GRUB): the header below gives mb2_start32; %eax holds
 *    the magic 0x36d76289 and %ebx the information structure.
 * Both build the boot page tables (identity, direct map and kernel image
 * share four 2 MiB-page directories covering the first 4 GiB), enter long
 * mode and jump to high64, which calls x86_main(type, info).
 */
#define KERNEL_VMA 0xffffffff80000000
#define BOOT_PVH 1
#define BOOT_MB2 2
#define PTE_PW 0x3          /* present, writable */
#define PTE_PW_LARGE 0x83   /* present, writable, 2 MiB page */

	.section .multiboot2, "a"
	.balign 8
mb2_header:
	.long 0xe85250d6                    /* magic */
	.long 0                             /* i386 protected mode */
	.long mb2_header_end - mb2_header
	.long -(0xe85250d6 + (mb2_header_end - mb2_header))
	.balign 8                           /* entry address tag */
	.word 3, 0
	.long 12
	.long mb2_start32
	.balign 8                           /* page-align modules */
	.word 6, 0
	.long 8
	.balign 8                           /* end tag */
	.word 0, 0
	.long 8
mb2_header_end:

	.section .note.pvh, "a"
	.balign 4
	.long 4                             /* name size */
	.long 4                             /* descriptor size */
	.long 18                            /* XEN_ELFNOTE_PHYS32_ENTRY */
	.asciz "Xen"
	.long pvh_start32

	.section .boot.text, "ax"
	.code32
	.globl pvh_start32
pvh_start32:
	cli
	cld
	movl $BOOT_PVH, %edi
	jmp common32

	.globl mb2_start32
mb2_start32:
	cli
	cld
	movl $BOOT_MB2, %edi
	cmpl $0x36d76289, %eax
	je common32
	xorl %edi, %edi                     /* unknown loader */

common32:
	movl %edi, boot_type
	movl %ebx, boot_info

	/* Start from empty tables, whatever the loader left in memory. */
	movl $boot_pml4, %edi
	movl $(boot_tables_end - boot_pml4) / 4, %ecx
	xorl %eax, %eax
	rep stosl

	/* Four page directories: 2048 large pages mapping 0..4 GiB. */
	movl $boot_pd, %edi
	xorl %ecx, %ecx
1:	movl %ecx, %eax
	shll $21, %eax
	orl $PTE_PW_LARGE, %eax
	movl %eax, (%edi, %ecx, 8)
	movl $0, 4(%edi, %ecx, 8)
	incl %ecx
	cmpl $2048, %ecx
	jne 1b

	/* PDPT for identity and direct map: 4 x 1 GiB. */
	movl $boot_pdpt, %edi
	movl $boot_pd + PTE_PW, 0(%edi)
	movl $boot_pd + 0x1000 + PTE_PW, 8(%edi)
	movl $boot_pd + 0x2000 + PTE_PW, 16(%edi)
	movl $boot_pd + 0x3000 + PTE_PW, 24(%edi)
	/* Kernel image PDPT: -2 GiB maps physical 0..2 GiB. */
	movl $boot_pdpt_kernel, %edi
	movl $boot_pd + PTE_PW, 510 * 8(%edi)
	movl $boot_pd + 0x1000 + PTE_PW, 511 * 8(%edi)
	/* PML4: 0 identity, 256 direct map, 511 kernel image. */
	movl $boot_pml4, %edi
	movl $boot_pdpt + PTE_PW, 0(%edi)
	movl $boot_pdpt + PTE_PW, 256 * 8(%edi)
	movl $boot_pdpt_kernel + PTE_PW, 511 * 8(%edi)
	movl %edi, %cr3

	movl %cr4, %eax
	orl $0x20, %eax                     /* PAE */
	movl %eax, %cr4

	/* EFER: long mode, plus no-execute when the CPU has it. */
	movl $0x80000001, %eax
	cpuid
	movl $0x100, %esi                   /* LME */
	btl $20, %edx
	jnc 2f
	orl $0x800, %esi                    /* NXE */
2:	movl $0xc0000080, %ecx
	rdmsr
	orl %esi, %eax
	wrmsr

	movl %cr0, %eax
	orl $0x80010001, %eax               /* PG | WP | PE */
	movl %eax, %cr0

	lgdt boot_gdt_ptr
	ljmp $0x08, $long64

	.code64
long64:
	movl $0x10, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	xorl %eax, %eax
	movl %eax, %fs
	movl %eax, %gs
	movabsq $high64, %rax
	jmp *%rax

	.section .boot.data, "aw"
	.balign 8
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff            /* 64-bit code */
	.quad 0x00cf92000000ffff            /* data */
boot_gdt_end:
	.balign 8
boot_gdt_ptr:
	.word boot_gdt_end - boot_gdt - 1
	.long boot_gdt
	.globl boot_type, boot_info
boot_type:
	.long 0
boot_info:
	.long 0

	.section .boot.bss, "aw", @nobits
	.balign 4096
	.globl boot_pml4, boot_pdpt
boot_pml4:
	.skip 4096
boot_pdpt:
	.skip 4096
boot_pdpt_kernel:
	.skip 4096
boot_pd:
	.skip 4 * 4096
boot_tables_end:

	.text
	.code64
high64:
	/* The loaders zero .bss; do it again so nothing depends on that. */
	movabsq $__bss_start, %rdi
	movabsq $__bss_end, %rcx
	subq %rdi, %rcx
	shrq $3, %rcx
	xorl %eax, %eax
	rep stosq
	movabsq $boot_stack_top, %rsp
	xorl %ebp, %ebp
	movl boot_type, %edi
	movl boot_info, %esi
	call x86_main
3:	cli
	hlt
	jmp 3b

	.bss
	.balign 16
boot_stack:
	.skip 65536
	.globl boot_stack_top
boot_stack_top:

	.section .note.GNU-stack, "", @progbits
