/*
 * System calls: system information. X(number, name, FULL|PARTIAL, "note").
 * Part of the table in kernel/include/kernel/syscall_list.h.
 */
#ifndef KERNEL_SYSCALLS_INFO_H
#define KERNEL_SYSCALLS_INFO_H

#define SYSCALLS_INFO(X) \
	X(63, uname, FULL, "") \
	X(318, getrandom, FULL, "")

#endif
