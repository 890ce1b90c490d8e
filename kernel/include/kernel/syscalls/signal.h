/*
 * System calls: signals. X(number, name, FULL|PARTIAL, "note").
 * Part of the table in kernel/include/kernel/syscall_list.h.
 */
#ifndef KERNEL_SYSCALLS_SIGNAL_H
#define KERNEL_SYSCALLS_SIGNAL_H

#define SYSCALLS_SIGNAL(X) \
	X(13, rt_sigaction, PARTIAL, "dispositions stored; delivery not yet implemented") \
	X(14, rt_sigprocmask, FULL, "")

#endif
