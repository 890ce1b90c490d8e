/*
 * Minimal stand-ins, as weak symbols, for parts other components are
 * building (kernel/futex). Their real, strong definitions
 * replace these at link time; this file goes when they have all landed.
 */
#include <jinux/heap.h>
#include <jinux/string.h>
#include <jinux/uaccess.h>
#include <kernel/process.h>
#include <kernel/process_internal.h>

__attribute__((weak)) void futex_thread_exit(struct thread *t)
{
	uint32_t zero = 0;
	if (t->clear_child_tid && t->proc->mm)
		copy_to_user(t->proc->mm->vs, user_ptr(t->clear_child_tid), &zero, sizeof(zero));
}
