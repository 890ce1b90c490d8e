/*
 * jinux-stub: the program a guest address space runs on the host target.
 *
 * It holds no state and uses no stack: jinux (its tracer) drives it by
 * setting registers and pointing RIP at one of the entry points below,
 * each ending in int3 so that the tracer regains control. Guest code runs
 * in the same process under PTRACE_SYSEMU, so a guest that jumps here can
 * never make a real host system call.
 */
#include "stub_abi.h"

#define SYS_getpid 39
#define SYS_pause 34
#define SYS_prctl 157
#define PR_SET_PDEATHSIG 1
#define SIGKILL 9

	.text
	.globl _start
_start:
	/* Die with jinux even before it has seized us. */
	movl $SYS_prctl, %eax
	movl $PR_SET_PDEATHSIG, %edi
	movl $SIGKILL, %esi
	syscall
	/* Wait to be seized and interrupted; jinux then takes over RIP. */
1:	movl $SYS_pause, %eax
	syscall
	jmp 1b

	/* A single injected system call: registers set by the tracer. */
	.org STUB_OFF_SYSCALL
	.globl stub_syscall
stub_syscall:
	syscall
	int3

	/*
	 * Run @rsi system calls described by struct stub_op at @rdi in
	 * order, storing each result. Used to apply a batch of mmap,
	 * munmap and mprotect requests in one stop.
	 */
	.org STUB_OFF_BATCH
	.globl stub_batch
stub_batch:
	movq %rdi, %r12
	movq %rsi, %r13
2:	testq %r13, %r13
	jz 3f
	movq STUB_OP_NR(%r12), %rax
	movq STUB_OP_ARGS + 0(%r12), %rdi
	movq STUB_OP_ARGS + 8(%r12), %rsi
	movq STUB_OP_ARGS + 16(%r12), %rdx
	movq STUB_OP_ARGS + 24(%r12), %r10
	movq STUB_OP_ARGS + 32(%r12), %r8
	movq STUB_OP_ARGS + 40(%r12), %r9
	syscall
	movq %rax, STUB_OP_RET(%r12)
	addq $STUB_OP_SIZE, %r12
	decq %r13
	jmp 2b
3:	int3

	.section .note.GNU-stack, "", @progbits
