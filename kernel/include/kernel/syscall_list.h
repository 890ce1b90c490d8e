/*
 * Every implemented system call, gathered from one file per area in
 * kernel/include/kernel/syscalls/: X(number, name, status, note).
 * FULL means Linux semantics for all arguments; PARTIAL says in the note
 * what is missing. Anything not listed returns -ENOSYS. docs/abi.md is
 * generated from these files (tools/gen/abi-table.sh).
 */
#ifndef KERNEL_SYSCALL_LIST_H
#define KERNEL_SYSCALL_LIST_H

#include <kernel/syscalls/io.h>
#include <kernel/syscalls/mm.h>
#include <kernel/syscalls/signal.h>
#include <kernel/syscalls/time.h>
#include <kernel/syscalls/info.h>
#include <kernel/syscalls/process.h>
#include <kernel/syscalls/fs.h>
#include <kernel/syscalls/cred.h>
#include <kernel/syscalls/futex.h>
#include <kernel/syscalls/system.h>

#define SYSCALL_LIST(X) \
	SYSCALLS_IO(X) \
	SYSCALLS_MM(X) \
	SYSCALLS_SIGNAL(X) \
	SYSCALLS_TIME(X) \
	SYSCALLS_INFO(X) \
	SYSCALLS_PROCESS(X) \
	SYSCALLS_FS(X) \
	SYSCALLS_CRED(X) \
	SYSCALLS_FUTEX(X) \
	SYSCALLS_SYSTEM(X)

#endif
