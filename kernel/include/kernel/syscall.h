/*
 * The system-call table. Each entry carries its support status, and
 * docs/abi.md is generated from kernel/syscall/list.h, so the ABI
 * table cannot drift from the code.
 */
#ifndef KERNEL_SYSCALL_H
#define KERNEL_SYSCALL_H

#include <jinux/types.h>

struct thread;
struct process;

#define SYSCALL_MAX 512

enum syscall_status { SC_FULL, SC_PARTIAL };

typedef long (*syscall_fn)(struct thread *t, const uint64_t a[6]);

struct syscall_entry {
	const char *name;
	syscall_fn fn;
	enum syscall_status status;
};

/* Names of every Linux x86-64 system call, for logging missing ones. */
extern const char *const syscall_names[SYSCALL_MAX];

#define SYSCALL_DECLARE(nr, name, status, note) \
	long sys_##name(struct thread *t, const uint64_t a[6]);
#include <kernel/syscall_list.h>
SYSCALL_LIST(SYSCALL_DECLARE)
#undef SYSCALL_DECLARE

#endif
