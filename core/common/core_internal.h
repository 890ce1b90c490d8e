/*
 * Declarations shared between core/common files (not part of the API).
 */
#ifndef CORE_INTERNAL_H
#define CORE_INTERNAL_H

#include <jinux/console.h>
#include <jinux/types.h>
#include <jinux/user.h>

struct vm_space;
struct frame;

/* The bytes of frame @f through the direct map (frame.c). */
uint8_t *frame_bytes(const struct frame *f);

void ktest_run_all(const char *prefix);
void timers_run_expired(uint64_t now);
uint64_t timers_next_deadline(void);

/* Implemented by each target: call the component's fault resolver for
 * @vs, or return -EFAULT if none is installed. */
int vm_space_call_fault_handler(struct vm_space *vs, uintptr_t va, unsigned access);

/* Report the system call whose number and arguments are in @r (both targets). */
static inline void user_exit_syscall(struct user_exit *e, const struct user_regs *r)
{
	e->kind = USER_EXIT_SYSCALL;
	e->syscall_nr = r->rax;
	e->syscall_args[0] = r->rdi;
	e->syscall_args[1] = r->rsi;
	e->syscall_args[2] = r->rdx;
	e->syscall_args[3] = r->r10;
	e->syscall_args[4] = r->r8;
	e->syscall_args[5] = r->r9;
}

#endif
