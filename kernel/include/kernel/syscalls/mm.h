/*
 * System calls: memory mapping. X(number, name, FULL|PARTIAL, "note").
 * Part of the table in kernel/include/kernel/syscall_list.h.
 */
#ifndef KERNEL_SYSCALLS_MM_H
#define KERNEL_SYSCALLS_MM_H

#define SYSCALLS_MM(X) \
	X(9, mmap, PARTIAL, "anonymous only; MAP_SHARED behaves as private until fork exists") \
	X(10, mprotect, FULL, "") \
	X(11, munmap, FULL, "") \
	X(12, brk, FULL, "")

#endif
