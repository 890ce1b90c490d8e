/*
 * Kernel task stack switching (x86-64 System V, both targets).
 *
 * core_switch_stack(void **save_sp, void *new_sp): push the callee-saved
 * registers, store the stack pointer in *save_sp, load new_sp, pop the
 * registers of the task that was switched out there, and return into it.
 */
	.text
	.globl core_switch_stack
	.type core_switch_stack, @function
core_switch_stack:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, (%rdi)
	movq %rsi, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret
	.size core_switch_stack, . - core_switch_stack

/*
 * A new task's first switch returns here (its initial stack holds six
 * zero registers and this address). Clear the frame pointer so that
 * backtraces stop, and enter C.
 */
	.globl core_task_trampoline
	.type core_task_trampoline, @function
core_task_trampoline:
	xorl %ebp, %ebp
	call core_task_entry
	ud2
	.size core_task_trampoline, . - core_task_trampoline

	.section .note.GNU-stack, "", @progbits
