/*
 * Processes and threads, as Linux has them: a thread (Linux's task) runs
 * user code in a user_context on a kernel task; a process is a thread
 * group sharing a pid, a parent, credentials, limits and (usually) one
 * address space, one descriptor table and one set of signal dispositions.
 * Address space, descriptor table and dispositions are reference counted,
 * so clone(2) can share each one independently.
 */
#ifndef KERNEL_PROCESS_H
#define KERNEL_PROCESS_H

#include <jinux/sync.h>
#include <jinux/task.h>
#include <jinux/types.h>
#include <jinux/user.h>
#include <kernel/cred.h>
#include <kernel/file.h>
#include <kernel/mm.h>
#include <kernel/signal.h>
#include <uapi/resource.h>

struct process;
struct fs_context;

/* A one-shot event a task can wait for (vfork's parent). */
struct completion {
	struct wait_queue wq;
	bool done;
};

struct thread {
	int tid;
	struct process *proc;
	struct task *task;
	struct user_context *ctx;
	struct thread_signals sig;
	uint64_t set_child_tid, clear_child_tid;  /* CLONE_*_SETTID/CLEARTID */
	uint64_t robust_list, robust_len;         /* set_robust_list(2) */
	uint64_t orig_rax;                        /* syscall number being run */
	bool exiting;
	struct thread *group_next;                /* threads of proc */
	struct thread *hash_next;                 /* tid table */
	struct completion *vfork_done;            /* CLONE_VFORK parent waits */
};

enum process_state { PROC_ALIVE, PROC_ZOMBIE };

struct process {
	int pid, pgid, sid;
	char comm[16];
	enum process_state state;
	struct process *parent;
	struct process *children, *sibling;
	struct thread *threads;
	unsigned nr_threads;
	struct mm *mm;
	struct fd_table *fds;
	struct sighand *sighand;
	struct fs_context *fs;    /* cwd, root, umask: shared by CLONE_FS */
	struct process_signals sig;
	struct creds cred;
	struct linux_rlimit rlim[RLIM_NLIMITS];
	int exit_signal;          /* sent to the parent at exit (SIGCHLD) */
	int pdeath_signal;        /* prctl(PR_SET_PDEATHSIG) */
	bool group_exiting;
	bool did_exec;            /* setpgid on a child: EACCES after exec */
	int wait_status;          /* as wait(2) encodes it, valid once zombie */
	/* Job control, reported once each by wait with WUNTRACED/WCONTINUED. */
	bool stopped, stop_reported, continued_reported, continued_seen;
	int stop_signal;
	uint64_t start_ns;
	uint64_t utime_ns, stime_ns;           /* own, approximate */
	uint64_t cutime_ns, cstime_ns;         /* reaped children's */
	struct wait_queue child_wait;          /* wait4/waitid sleep here */
	struct process *hash_next;             /* pid table */
	/* What the last execve recorded, for /proc/PID/{exe,cmdline,environ}. */
	char *exe_path;                        /* kmalloc'd absolute path, or NULL */
	uintptr_t arg_start, arg_end;          /* argv strings on the initial stack */
	uintptr_t env_start, env_end;          /* envp strings, just above them */
};

/** current_thread() / current_process() - who is running. */
static inline struct thread *current_thread(void)
{
	return task_data(task_current());
}

static inline struct process *current_process(void)
{
	return current_thread()->proc;
}

/** process_find() / thread_find() - by id, or NULL. */
struct process *process_find(int pid);
struct thread *thread_find(int tid);

/** process_for_each() - call @fn on every live or zombie process. */
void process_for_each(void (*fn)(struct process *p, void *arg), void *arg);

/**
 * pgrp_exists() - does a live process of group @pgid exist in session
 * @sid (any session if @sid is negative)?
 */
bool pgrp_exists(int pgid, int sid);

/**
 * process_spawn_init() - create pid 1 from the executable at @path.
 * Return: 0 and *out, or -errno (ENOENT, EACCES, ENOEXEC, E2BIG, ENOMEM).
 */
int process_spawn_init(const char *path, const char *const argv[], const char *const envp[],
		       struct process **out);

/** process_wait_exit() - kernel_main: sleep until @p is a zombie; its status. */
int process_wait_exit(struct process *p);

/**
 * thread_exit() - end the calling thread (exit(2)); the last thread out
 * makes the process a zombie with @wait_status.
 */
void thread_exit(struct thread *t, int wait_status);

/**
 * process_exit_group() - end every thread of @p (exit_group(2), fatal
 * signals, execve's de-threading leaves the caller). The status is kept
 * from the first call.
 */
void process_exit_group(struct process *p, int wait_status);

/** process_set_stopped() / process_set_continued() - job control state
 * changes from the signal code; notify the parent (SIGCHLD, wait). */
void process_set_stopped(struct process *p, int sig);
void process_set_continued(struct process *p);

/** thread_in_group() - iterate: first thread, then t->group_next. */

/* wait(2) status encodings */
#define W_EXITCODE(code) (((code) & 0xff) << 8)
#define W_SIGNALED(sig, core) ((sig) | ((core) ? 0x80 : 0))
#define W_STOPPED(sig) (((sig) << 8) | 0x7f)
#define W_CONTINUED 0xffff

/** syscall_dispatch() - run the system call @e reports for @t. */
void syscall_dispatch(struct thread *t, const struct user_exit *e);

#endif
