/*
 * System calls: futexes and robust lists. X(number, name, FULL|PARTIAL, "note").
 * Part of the table in kernel/include/kernel/syscall_list.h.
 */
#ifndef KERNEL_SYSCALLS_FUTEX_H
#define KERNEL_SYSCALLS_FUTEX_H

#define SYSCALLS_FUTEX(X) \
	X(202, futex, PARTIAL, "WAIT, WAKE, REQUEUE, CMP_REQUEUE, WAKE_OP, WAIT/WAKE_BITSET, private and shared; no priority-inheritance ops (ENOSYS)") \
	X(273, set_robust_list, FULL, "") \
	X(274, get_robust_list, FULL, "")

#endif
