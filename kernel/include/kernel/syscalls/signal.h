/*
 * System calls: signals and signal-sending timers. X(number, name,
 * FULL|PARTIAL, "note"). Part of the table in kernel/include/kernel/syscall_list.h.
 */
#ifndef KERNEL_SYSCALLS_SIGNAL_H
#define KERNEL_SYSCALLS_SIGNAL_H

#define SYSCALLS_SIGNAL(X) \
	X(13, rt_sigaction, FULL, "") \
	X(14, rt_sigprocmask, FULL, "") \
	X(15, rt_sigreturn, PARTIAL, "FXSAVE-format fpstate only (no XSAVE extended state); uc_stack is not restored") \
	X(34, pause, FULL, "") \
	X(36, getitimer, PARTIAL, "ITIMER_VIRTUAL and ITIMER_PROF count wall time, not CPU time") \
	X(37, alarm, FULL, "") \
	X(38, setitimer, PARTIAL, "ITIMER_VIRTUAL and ITIMER_PROF count wall time, not CPU time") \
	X(62, kill, FULL, "") \
	X(127, rt_sigpending, FULL, "") \
	X(128, rt_sigtimedwait, FULL, "") \
	X(129, rt_sigqueueinfo, PARTIAL, "at most 32 extra queued real-time signals per pending set; more are dropped, not EAGAIN") \
	X(130, rt_sigsuspend, FULL, "") \
	X(131, sigaltstack, PARTIAL, "SS_AUTODISARM is accepted and reported but does not disarm") \
	X(200, tkill, FULL, "") \
	X(219, restart_syscall, FULL, "") \
	X(222, timer_create, PARTIAL, "SIGEV_SIGNAL, SIGEV_NONE, SIGEV_THREAD_ID; CPU-time clocks count wall time; 64 timers per process") \
	X(223, timer_settime, FULL, "") \
	X(224, timer_gettime, FULL, "") \
	X(225, timer_getoverrun, FULL, "") \
	X(226, timer_delete, FULL, "") \
	X(230, clock_nanosleep, PARTIAL, "CLOCK_PROCESS_CPUTIME_ID counts wall time") \
	X(234, tgkill, FULL, "") \
	X(297, rt_tgsigqueueinfo, PARTIAL, "at most 32 extra queued real-time signals per pending set")

#endif
