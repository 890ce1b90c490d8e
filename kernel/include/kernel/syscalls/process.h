/*
 * System calls: processes and threads. X(number, name, FULL|PARTIAL, "note").
 * Part of the table in kernel/include/kernel/syscall_list.h.
 */
#ifndef KERNEL_SYSCALLS_PROCESS_H
#define KERNEL_SYSCALLS_PROCESS_H

#define SYSCALLS_PROCESS(X) \
	X(24, sched_yield, FULL, "") \
	X(39, getpid, FULL, "") \
	X(56, clone, PARTIAL, "namespaces, CLONE_PIDFD and CLONE_PTRACE give EINVAL") \
	X(57, fork, FULL, "") \
	X(58, vfork, FULL, "") \
	X(59, execve, PARTIAL, "ELF64 x86-64 (static, PIE, dynamic with PT_INTERP) and #! scripts; no ASLR, no binfmt_misc") \
	X(60, exit, FULL, "") \
	X(61, wait4, FULL, "") \
	X(97, getrlimit, FULL, "") \
	X(98, getrusage, PARTIAL, "times are wall time in user mode and in the kernel; counters zero") \
	X(100, times, PARTIAL, "as getrusage") \
	X(109, setpgid, FULL, "") \
	X(110, getppid, FULL, "") \
	X(111, getpgrp, FULL, "") \
	X(112, setsid, FULL, "") \
	X(121, getpgid, FULL, "") \
	X(124, getsid, FULL, "") \
	X(157, prctl, PARTIAL, "PR_SET/GET_NAME, PR_SET/GET_PDEATHSIG") \
	X(158, arch_prctl, PARTIAL, "ARCH_SET_FS/GET_FS/SET_GS/GET_GS; CPUID faulting not supported") \
	X(160, setrlimit, FULL, "") \
	X(186, gettid, FULL, "") \
	X(218, set_tid_address, FULL, "") \
	X(231, exit_group, FULL, "") \
	X(247, waitid, PARTIAL, "P_PIDFD not supported") \
	X(302, prlimit64, FULL, "") \
	X(322, execveat, PARTIAL, "relative paths resolve against / until the VFS") \
	X(435, clone3, PARTIAL, "set_tid, cgroup, CLONE_CLEAR_SIGHAND and namespaces give EINVAL")

#endif
