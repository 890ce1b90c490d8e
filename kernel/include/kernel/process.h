/*
 * Processes: one address space, one thread (threads and fork come with
 * the process-model issue), its files and signal dispositions.
 */
#ifndef KERNEL_PROCESS_H
#define KERNEL_PROCESS_H

#include <jinux/sync.h>
#include <jinux/task.h>
#include <jinux/types.h>
#include <jinux/user.h>
#include <kernel/file.h>
#include <kernel/mm.h>
#include <uapi/signal.h>

struct process {
	int pid, ppid;
	char comm[16];
	struct mm *mm;
	struct user_context *ctx;
	struct task *task;
	struct fd_table fds;
	struct linux_sigaction sigactions[NSIG];
	uint64_t sigmask;
	uint64_t clear_child_tid;
	uint64_t start_ns;
	uint32_t uid, gid;
	bool exited;
	int wait_status;          /* as wait(2) encodes it */
	struct wait_queue exit_wq;
};

/** current_process() - the process whose thread is running. */
static inline struct process *current_process(void)
{
	return task_data(task_current());
}

/**
 * process_spawn() - create a process running the executable at @path with
 * @argv and @envp (kernel arrays). Return: 0 and *out, or -errno (ENOENT,
 * EACCES, ENOEXEC, E2BIG, ENOMEM) with nothing left behind.
 */
int process_spawn(const char *path, const char *const argv[], const char *const envp[],
		  struct process **out);

/** process_wait() - sleep until @p has exited; returns its wait status. */
int process_wait(struct process *p);

/** process_free() - release an exited process. */
void process_free(struct process *p);

/** process_exit() - end the current process with @wait_status. */
void process_exit(struct process *p, int wait_status);

/** process_kill_by_fault() - terminate with @sig as a fault's default action. */
void process_kill_by_signal(struct process *p, int sig);

/* wait(2) status encodings */
#define W_EXITCODE(code) (((code) & 0xff) << 8)
#define W_SIGNALED(sig, core) ((sig) | ((core) ? 0x80 : 0))

/* Runs one system call for @p; called from the thread loop. */
void syscall_dispatch(struct process *p, struct user_regs *regs);

#endif
