/*
 * Shared between the files of kernel/process (not for other components).
 */
#ifndef KERNEL_PROCESS_INTERNAL_H
#define KERNEL_PROCESS_INTERNAL_H

#include <kernel/process.h>

/* A new program image, built completely before the point of no return. */
struct exec_result {
	struct mm *mm;
	struct user_context *ctx;  /* registers set for the entry point */
	char comm[16];
	struct creds cred;         /* after set-id bits and capability rules */
	bool secure;               /* AT_SECURE: the exec gained privilege */
	char *exe_path;            /* the program's absolute path (kmalloc'd), or NULL */
	uintptr_t arg_start, arg_end, env_start, env_end;  /* strings on the stack */
};

/** exec_record_image() - move @img's exe path and argument ranges into @p. */
void exec_record_image(struct process *p, struct exec_result *img);

/**
 * exec_prepare() - load @path (following "#!" interpreters, at most 4
 * deep) with @argv/@envp into a fresh mm and user context.
 * Return: 0, or -errno with nothing allocated.
 */
int exec_prepare(struct process *p, const char *path, const char *const argv[],
		 const char *const envp[], struct exec_result *out);
void exec_result_drop(struct exec_result *r);

struct process *process_new(int pid);
struct thread *thread_new(struct process *p, struct user_context *ctx, int tid);
void process_link_child(struct process *parent, struct process *child);
void process_reap(struct process *p);
/** process_free_unstarted() - drop what a never-run @p holds, free it. */
void process_free_unstarted(struct process *p);
void process_set_comm(struct process *p, const char *name);
void process_sync_mm_limits(struct process *p);
void thread_release_vfork(struct thread *t);

/*
 * From kernel/futex: at thread exit, clean up the robust list, then
 * clear *clear_child_tid and wake one futex waiter there.
 */
void futex_thread_exit(struct thread *t);

#endif
