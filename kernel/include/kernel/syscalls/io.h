/*
 * System calls: descriptor I/O. X(number, name, FULL|PARTIAL, "note").
 * Part of the table in kernel/include/kernel/syscall_list.h.
 */
#ifndef KERNEL_SYSCALLS_IO_H
#define KERNEL_SYSCALLS_IO_H

#define SYSCALLS_IO(X) \
	X(0, read, PARTIAL, "console descriptors only (no VFS yet)") \
	X(1, write, PARTIAL, "console descriptors only (no VFS yet)") \
	X(3, close, FULL, "") \
	X(16, ioctl, PARTIAL, "TCGETS and TIOCGWINSZ on the console") \
	X(19, readv, PARTIAL, "console descriptors only") \
	X(20, writev, PARTIAL, "console descriptors only")

#endif
