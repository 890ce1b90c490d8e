/*
 * System calls: processes and threads. X(number, name, FULL|PARTIAL, "note").
 * Part of the table in kernel/include/kernel/syscall_list.h.
 */
#ifndef KERNEL_SYSCALLS_PROCESS_H
#define KERNEL_SYSCALLS_PROCESS_H

#define SYSCALLS_PROCESS(X) \
	X(24, sched_yield, FULL, "") \
	X(39, getpid, FULL, "") \
	X(60, exit, PARTIAL, "single-threaded processes: same as exit_group") \
	X(110, getppid, FULL, "") \
	X(158, arch_prctl, PARTIAL, "ARCH_SET_FS/GET_FS/SET_GS/GET_GS; CPUID faulting not supported") \
	X(186, gettid, FULL, "") \
	X(218, set_tid_address, PARTIAL, "address stored; cleared-and-woken at thread exit once futexes exist") \
	X(231, exit_group, FULL, "")

#endif
