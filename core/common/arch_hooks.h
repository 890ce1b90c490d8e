/*
 * Core-internal interface between target-independent core code
 * (core/common) and each target (core/arch/host, core/arch/x86_64).
 * Components never include this file.
 */
#ifndef CORE_ARCH_HOOKS_H
#define CORE_ARCH_HOOKS_H

#include <jinux/types.h>

struct task;
struct frame;

/* ---- provided by each target ---- */

/* Write to the kernel log channel (host: stderr; x86_64: debugcon 0xe9
 * and, for panics, the serial port too). Any context. */
void arch_log_write(const char *s, size_t n);

/* Print a backtrace of the caller with printk(LOG_ERR, ...). */
void arch_backtrace(void);

/* Stop for good after a panic message; status 255 to the launcher. */
__noreturn void arch_panic_halt(void);

/* Interrupt masking behind irq_save()/irq_restore(). */
unsigned long arch_irq_save(void);
void arch_irq_restore(unsigned long flags);
/* Unmask interrupts (a new task starts with them enabled). */
void arch_irq_enable(void);

/*
 * Idle: called by the scheduler with interrupts masked when no task is
 * runnable. Wait until something may have become runnable (an interrupt
 * was handled, a host event was dispatched), then return with
 * interrupts masked again. core_tick() may run inside.
 */
void arch_wait_for_event(void);

/* Clocks. */
uint64_t arch_monotonic_ns(void);
uint64_t arch_realtime_ns(void);
uint64_t arch_tick_ns(void);

/* Kernel-virtual address of frame number @pfn in the direct map. */
void *arch_frame_va(size_t pfn);

/*
 * Kernel task stacks. The core switches stacks with core_switch_stack()
 * (core/common/switch.S); a new task's first switch "returns" into
 * core_task_trampoline with the stack pointer 16-byte aligned.
 */

/* ---- provided by core/common to the targets ---- */

/* Hand [first_pfn, first_pfn + count) to the frame allocator. */
void frame_pool_add(size_t first_pfn, size_t count);
size_t frame_pfn(const struct frame *f);
struct frame *frame_from_pfn(size_t pfn);   /* NULL if not managed */

/*
 * Finish booting: parse the command line (@cmdline), create the first
 * task (ktests or kernel_main) and enter the scheduler. Call once, with
 * frames, heap, console, log and timer working. Never returns.
 */
__noreturn void core_start(void);

/* Timer tick, from the timer interrupt (interrupts masked) or the host
 * event loop: runs expired timers and accounts the time slice. */
void core_tick(void);

/* True when the running task should give up the CPU (slice used up or a
 * higher-priority event). user_run() implementations check it after an
 * interrupt from user mode and call task_yield(). */
bool sched_need_resched(void);

/* True (and cleared) if task_kick() was called on the current task since
 * the last check; user_run() returns USER_EXIT_INTERRUPT for it. */
bool task_test_and_clear_kick(void);


/* Set by task_kick() so the target can interrupt a task in user mode;
 * the target provides it (x86_64: nothing to do on one CPU; host:
 * stop the guest thread). */
void arch_kick_user(struct task *t);

/*
 * Around every kernel stack switch, so that AddressSanitizer (host
 * target, SANITIZE=1) knows which stack is live; empty elsewhere.
 * @save receives the leaving task's state (NULL if it is exiting);
 * arch_stack_switch_end() gets what was saved for the task now running
 * (NULL on its first run).
 */
void arch_stack_switch_begin(void **save, const void *stack_base, size_t size);
void arch_stack_switch_end(void *save);

/* Stack switching, in core/common/switch.S. */
void core_switch_stack(void **save_sp, void *new_sp);
void core_task_trampoline(void);

#endif
