/*
 * Kernel task stack switches, told to AddressSanitizer.
 *
 * core/common switches between task stacks (kmalloc'd) inside the one
 * host thread. Without being told, ASan believes the thread is still on
 * its original stack and warns (and may report false positives) when a
 * noreturn call unpoisons "the stack". In SANITIZE=1 builds these hooks
 * wrap the switch with the sanitizer fiber API; otherwise they are empty.
 *
 * Intended use in schedule() (declarations for arch_hooks.h):
 *
 *	void *fake;
 *	arch_stack_switch_begin(prev dying ? NULL : &fake, next->stack, size);
 *	core_switch_stack(&prev->sp, next->sp);
 *	arch_stack_switch_end(fake);
 *
 * and arch_stack_switch_end(NULL) first thing in a new task's entry.
 */
#include <jinux/types.h>

#include "arch_hooks.h"

#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/common_interface_defs.h>
#endif


/**
 * arch_stack_switch_begin() - about to switch to the stack [stack_base,
 * stack_base + size). @save receives the leaving task's ASan state; pass
 * NULL when the leaving task is exiting and never runs again.
 */
void arch_stack_switch_begin(void **save, const void *stack_base, size_t size)
{
#ifdef __SANITIZE_ADDRESS__
	__sanitizer_start_switch_fiber(save, stack_base, size);
#else
	(void)save, (void)stack_base, (void)size;
#endif
}

/**
 * arch_stack_switch_end() - now running on the new stack; @save is what
 * arch_stack_switch_begin() stored for this task when it was switched
 * out (NULL for a task's first run).
 */
void arch_stack_switch_end(void *save)
{
#ifdef __SANITIZE_ADDRESS__
	__sanitizer_finish_switch_fiber(save, NULL, NULL);
#else
	(void)save;
#endif
}
