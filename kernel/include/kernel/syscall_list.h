/*
 * Every implemented system call: X(number, name, status, note).
 * FULL means Linux semantics for all arguments; PARTIAL says what is
 * missing. Anything not listed returns -ENOSYS. docs/abi.md is
 * generated from this list (tools/gen/abi-table.sh).
 */
#ifndef KERNEL_SYSCALL_LIST_H
#define KERNEL_SYSCALL_LIST_H

#define SYSCALL_LIST(X)                                                        \
	X(0, read, PARTIAL, "console descriptors only (no VFS yet)")           \
	X(1, write, PARTIAL, "console descriptors only (no VFS yet)")          \
	X(3, close, FULL, "")                                                  \
	X(9, mmap, PARTIAL, "anonymous only; MAP_SHARED behaves as private until fork exists") \
	X(10, mprotect, FULL, "")                                              \
	X(11, munmap, FULL, "")                                                \
	X(12, brk, FULL, "")                                                   \
	X(13, rt_sigaction, PARTIAL, "dispositions stored; delivery not yet implemented") \
	X(14, rt_sigprocmask, FULL, "")                                        \
	X(16, ioctl, PARTIAL, "TCGETS and TIOCGWINSZ on the console")          \
	X(19, readv, PARTIAL, "console descriptors only")                      \
	X(20, writev, PARTIAL, "console descriptors only")                     \
	X(24, sched_yield, FULL, "")                                           \
	X(35, nanosleep, FULL, "")                                             \
	X(39, getpid, FULL, "")                                                \
	X(60, exit, PARTIAL, "single-threaded processes: same as exit_group")  \
	X(63, uname, FULL, "")                                                 \
	X(96, gettimeofday, FULL, "")                                          \
	X(102, getuid, FULL, "")                                               \
	X(104, getgid, FULL, "")                                               \
	X(107, geteuid, FULL, "")                                              \
	X(108, getegid, FULL, "")                                              \
	X(110, getppid, FULL, "")                                              \
	X(158, arch_prctl, PARTIAL, "ARCH_SET_FS/GET_FS/SET_GS/GET_GS; CPUID faulting not supported") \
	X(186, gettid, FULL, "")                                               \
	X(201, time, FULL, "")                                                 \
	X(218, set_tid_address, PARTIAL, "address stored; cleared-and-woken at thread exit once futexes exist") \
	X(228, clock_gettime, PARTIAL, "CPU-time clocks report time since the process started") \
	X(229, clock_getres, FULL, "")                                         \
	X(231, exit_group, FULL, "")                                           \
	X(318, getrandom, FULL, "")

#endif
