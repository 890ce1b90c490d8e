/*
 * System calls: the machine as a whole. X(number, name, FULL|PARTIAL, "note").
 * Part of the table in kernel/include/kernel/syscall_list.h.
 */
#ifndef KERNEL_SYSCALLS_SYSTEM_H
#define KERNEL_SYSCALLS_SYSTEM_H

#define SYSCALLS_SYSTEM(X) \
	X(169, reboot, PARTIAL, "POWER_OFF, HALT, RESTART, RESTART2 all power off with status 0 (no restart); CAD_ON/OFF recorded only; KEXEC, SW_SUSPEND: EINVAL")

#endif
