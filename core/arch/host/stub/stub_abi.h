/*
 * The contract between jinux (the tracer) and jinux-stub (the program each
 * guest address space runs): where the stub lives, where its control page
 * is mapped and how a batch of host system calls is laid out in it.
 * Included by both the stub's assembly and core/arch/host C code, so it
 * holds only #defines and, for C, one struct.
 */
#ifndef HOST_STUB_ABI_H
#define HOST_STUB_ABI_H

/* The stub's text is linked here (see core/arch/host/build.mk). */
#define STUB_BASE 0x7ff800000000
/* Everything from STUB_BASE to STUB_BASE + STUB_SIZE is kept mapped. */
#define STUB_SIZE 0x10000
/* The control page: one memfd frame, shared with jinux's direct map. */
#define STUB_CTRL_VA 0x7ff700000000
/* The host's highest user address (exclusive): the stub unmaps up to it. */
#define STUB_HOST_TOP 0x7ffffffff000

/* The memfd ("physical memory") is inherited as this descriptor. */
#define STUB_MEMFD 3

/* Entry points, as offsets from STUB_BASE (fixed with .org in stub.S). */
#define STUB_OFF_SYSCALL 0x40 /* syscall; int3 */
#define STUB_OFF_BATCH 0x80   /* rdi = ops, rsi = count; runs them; int3 */

/* One queued host system call: 8 quadwords. */
#define STUB_OP_SIZE 64
#define STUB_OP_NR 0
#define STUB_OP_ARGS 8  /* six arguments */
#define STUB_OP_RET 56
#define STUB_OPS_MAX (4096 / STUB_OP_SIZE)

#ifndef __ASSEMBLER__
#include <stdint.h>

struct stub_op {
	uint64_t nr;
	uint64_t args[6];
	int64_t ret;
};

_Static_assert(sizeof(struct stub_op) == STUB_OP_SIZE, "stub_op layout");
#endif

#endif
