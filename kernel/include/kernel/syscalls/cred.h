/*
 * System calls: credentials and capabilities. X(number, name, FULL|PARTIAL, "note").
 * Part of the table in kernel/include/kernel/syscall_list.h.
 */
#ifndef KERNEL_SYSCALLS_CRED_H
#define KERNEL_SYSCALLS_CRED_H

#define SYSCALLS_CRED(X) \
	X(102, getuid, FULL, "") \
	X(104, getgid, FULL, "") \
	X(105, setuid, FULL, "") \
	X(106, setgid, FULL, "") \
	X(107, geteuid, FULL, "") \
	X(108, getegid, FULL, "") \
	X(113, setreuid, FULL, "") \
	X(114, setregid, FULL, "") \
	X(115, getgroups, FULL, "") \
	X(116, setgroups, PARTIAL, "at most 64 groups (Linux: 65536); more give EINVAL") \
	X(117, setresuid, FULL, "") \
	X(118, getresuid, FULL, "") \
	X(119, setresgid, FULL, "") \
	X(120, getresgid, FULL, "") \
	X(122, setfsuid, FULL, "") \
	X(123, setfsgid, FULL, "") \
	X(125, capget, FULL, "") \
	X(126, capset, FULL, "")

#endif
