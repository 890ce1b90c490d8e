/*
 * Declarations shared between core/common files (not part of the API).
 */
#ifndef CORE_INTERNAL_H
#define CORE_INTERNAL_H

#include <jinux/console.h>
#include <jinux/types.h>

struct vm_space;

void ktest_run_all(const char *prefix);
void timers_run_expired(uint64_t now);
uint64_t timers_next_deadline(void);

/* Implemented by each target: call the component's fault resolver for
 * @vs, or return -EFAULT if none is installed. */
int vm_space_call_fault_handler(struct vm_space *vs, uintptr_t va, unsigned access);

#endif
