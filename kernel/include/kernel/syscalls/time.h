/*
 * System calls: clocks and sleeping. X(number, name, FULL|PARTIAL, "note").
 * Part of the table in kernel/include/kernel/syscall_list.h.
 */
#ifndef KERNEL_SYSCALLS_TIME_H
#define KERNEL_SYSCALLS_TIME_H

#define SYSCALLS_TIME(X) \
	X(35, nanosleep, FULL, "") \
	X(96, gettimeofday, FULL, "") \
	X(201, time, FULL, "") \
	X(228, clock_gettime, PARTIAL, "CPU-time clocks report time since the process started") \
	X(229, clock_getres, FULL, "")

#endif
