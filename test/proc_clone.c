/*
 * Raw clone and clone3: a thread on its own stack with CLONE_SETTLS,
 * CLONE_PARENT_SETTID, CLONE_CHILD_SETTID and CLONE_CHILD_CLEARTID (the
 * clear at exit is polled for, so no futex is needed), a CLONE_VM process,
 * CLONE_FILES and CLONE_VFORK,
 * CLONE_CHILD_SETTID in a forked child, clone3 with the flag and size
 * checks Linux makes (EINVAL, E2BIG, EFAULT).
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdint.h>
#include <sys/mman.h>

#include "lib/proc.h"

#ifndef CLONE_ARGS_SIZE_VER0
#define CLONE_ARGS_SIZE_VER0 64
#endif

struct clone_args_v2 {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
	uint64_t set_tid, set_tid_size, cgroup;
};

/*
 * clone_fn(flags, stack, ptid, ctid, tls, fn, arg) - clone(2) with the
 * child running fn(arg) on @stack and ending with exit(2) of its result.
 * Returns what clone returned in the parent.
 */
long clone_fn(unsigned long flags, void *stack, int *ptid, int *ctid, void *tls,
	      int (*fn)(void *), void *arg);
__asm__(".text\n"
	".global clone_fn\n"
	".type clone_fn, @function\n"
	"clone_fn:\n"
	"	mov 8(%rsp), %rax\n"
	"	and $-16, %rsi\n"
	"	sub $16, %rsi\n"
	"	mov %r9, 0(%rsi)\n"
	"	mov %rax, 8(%rsi)\n"
	"	mov %rcx, %r10\n"
	"	mov $56, %eax\n"
	"	syscall\n"
	"	test %rax, %rax\n"
	"	jnz 1f\n"
	"	pop %rax\n"
	"	pop %rdi\n"
	"	call *%rax\n"
	"	mov %eax, %edi\n"
	"	mov $60, %eax\n"
	"	syscall\n"
	"	hlt\n"
	"1:	ret\n");

#define STACK_SIZE (64 * 1024)

struct report {
	volatile int ran, tid, pid, ppid, ctid_seen;
	volatile unsigned long fs, fs0;
};

static struct report rep;
static int ptid = -1;
static volatile int ctid = -1;
static void *tls_block[16] __attribute__((aligned(64)));

static int thread_body(void *arg)
{
	unsigned long fs0;

	__asm__ volatile("mov %%fs:0, %0" : "=r"(fs0));
	rep.fs0 = fs0;
	sysc(SYS_arch_prctl, 0x1003 /* ARCH_GET_FS */, &rep.fs);
	rep.tid = (int)sysc(SYS_gettid);
	rep.pid = (int)sysc(SYS_getpid);
	rep.ppid = (int)sysc(SYS_getppid);
	rep.ctid_seen = ctid;
	rep.ran = (int)(long)arg;
	return 0;
}

static void *new_stack(void)
{
	long p = sysc(SYS_mmap, 0, STACK_SIZE, 3, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return (char *)p + STACK_SIZE;
}

static void thread_clone(void)
{
	unsigned long flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |
			      CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID |
			      CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID;

	tls_block[0] = tls_block;
	long tid = clone_fn(flags, new_stack(), &ptid, (int *)&ctid, tls_block, thread_body,
			    (void *)1L);
	ok(tid > 0, "clone of a thread returns its tid");
	ok_eq(ptid, tid, "CLONE_PARENT_SETTID stored the tid before clone returned");
	ok(poll_until(&rep.ran, 0, 5000), "the thread ran on its own stack");
	ok(poll_until(&ctid, (int)tid, 5000) && ctid == 0,
	   "CLONE_CHILD_CLEARTID zeroes the tid word when the thread exits");
	ok_eq(rep.ctid_seen, tid, "CLONE_CHILD_SETTID stored the tid where the thread sees it");
	ok_eq(rep.tid, tid, "the thread's gettid is what clone returned");
	ok_eq(rep.pid, sysc(SYS_getpid), "the thread's getpid is the process's");
	ok_eq(rep.ppid, sysc(SYS_getppid), "the thread's getppid is the process's parent");
	ok_eq((long)rep.fs, (long)tls_block, "CLONE_SETTLS set the thread's FS base");
	ok_eq((long)rep.fs0, (long)tls_block, "%fs:0 in the thread reads the new TLS block");
	ok_eq(sysc(SYS_wait4, tid, 0, WNOHANG | __WALL, 0), -ECHILD,
	      "a thread of the same group cannot be waited for");
}

static volatile int vm_word;

static int vm_body(void *arg)
{
	vm_word = (int)(long)arg;
	return 17;
}

static void vm_process(void)
{
	int st = -1;
	long pid = clone_fn(CLONE_VM | SIGCHLD, new_stack(), 0, 0, 0, vm_body, (void *)1234L);

	ok(pid > 0, "clone(CLONE_VM | SIGCHLD) on a new stack makes a process");
	ok_eq(reap(pid, &st), pid, "the CLONE_VM process is waited for like a fork child");
	ok_status(st, 17 << 8, "its exit(17) is its status");
	ok_eq(vm_word, 1234, "its write shows in the parent: memory is shared");
}

static volatile long files_fd = -1;

static int files_body(void *arg)
{
	int p[2];

	(void)arg;
	if (sysc(SYS_pipe2, p, 0) == 0)
		files_fd = p[0];
	return 0;
}

static int vfork_body(void *arg)
{
	msleep(50);
	vm_word = (int)(long)arg;
	return 0;
}

/* CLONE_FILES shares the descriptor table; CLONE_VFORK holds the parent. */
static void files_and_vfork(void)
{
	int st = -1;
	long pid = clone_fn(CLONE_VM | CLONE_FILES | SIGCHLD, new_stack(), 0, 0, 0, files_body, 0);

	reap(pid, &st);
	ok(files_fd >= 0 && sysc(SYS_fcntl, files_fd, 1 /* F_GETFD */) == 0,
	   "a pipe made by a CLONE_FILES child is open in the parent");
	if (files_fd >= 0) {
		sysc(SYS_close, files_fd);
		sysc(SYS_close, files_fd + 1);
	}
	files_fd = -1;
	pid = clone_fn(CLONE_VM | SIGCHLD, new_stack(), 0, 0, 0, files_body, 0);
	reap(pid, &st);
	ok(files_fd >= 0 && sysc(SYS_fcntl, files_fd, 1) == -EBADF,
	   "without CLONE_FILES the child's new descriptor is not in the parent");

	vm_word = 0;
	pid = clone_fn(CLONE_VM | CLONE_VFORK | SIGCHLD, new_stack(), 0, 0, 0, vfork_body,
		       (void *)77L);
	ok_eq(vm_word, 77, "CLONE_VFORK: clone returns only after the child has exited");
	reap(pid, &st);
}

static void settid_fork(void)
{
	static volatile int word = -1;
	int st = -1;
	long pid = sysc(SYS_clone, CLONE_CHILD_SETTID | SIGCHLD, 0, 0, &word, 0);

	if (pid == 0)
		child_exit(word == sysc(SYS_getpid) ? 0 : 1);
	reap(pid, &st);
	ok_status(st, 0, "CLONE_CHILD_SETTID without CLONE_VM writes the child's copy");
	ok_eq(word, -1, "and not the parent's");
}

static void clone_errors(void)
{
	ok_eq(sysc(SYS_clone, CLONE_THREAD | CLONE_VM | SIGCHLD, 0, 0, 0, 0), -EINVAL,
	      "CLONE_THREAD without CLONE_SIGHAND is EINVAL");
	ok_eq(sysc(SYS_clone, CLONE_SIGHAND | SIGCHLD, 0, 0, 0, 0), -EINVAL,
	      "CLONE_SIGHAND without CLONE_VM is EINVAL");
	ok_eq(sysc(SYS_clone, CLONE_NEWNS | CLONE_FS | SIGCHLD, 0, 0, 0, 0), -EINVAL,
	      "CLONE_NEWNS with CLONE_FS is EINVAL");
}

static long clone3(struct clone_args_v2 *a, size_t size)
{
	return sysc(SYS_clone3, a, size);
}

static void clone3_basic(void)
{
	struct clone_args_v2 a = { 0 };
	int tid = -1, st = -1;

	a.exit_signal = SIGCHLD;
	a.flags = CLONE_PARENT_SETTID;
	a.parent_tid = (uintptr_t)&tid;
	long pid = clone3(&a, sizeof(a));
	if (pid == 0)
		child_exit(9);
	ok(pid > 0, "clone3 with exit_signal SIGCHLD forks");
	ok_eq(tid, pid, "clone3 CLONE_PARENT_SETTID stores the child's tid");
	ok_eq(reap(pid, &st), pid, "the clone3 child is reaped with wait4");
	ok_status(st, 9 << 8, "its status arrives");

	a.flags = 0;
	pid = clone3(&a, CLONE_ARGS_SIZE_VER0);
	if (pid == 0)
		child_exit(8);
	ok(pid > 0, "clone3 accepts the version-0 size (64)");
	reap(pid, &st);

	/* A bigger struct is fine if the unknown tail is zero. */
	unsigned char big[128] = { 0 };
	memcpy(big, &a, sizeof(a));
	pid = clone3((struct clone_args_v2 *)big, sizeof(big));
	if (pid == 0)
		child_exit(8);
	ok(pid > 0, "clone3 accepts a larger size whose extra bytes are zero");
	if (pid > 0)
		reap(pid, &st);
}

static void clone3_errors(void)
{
	struct clone_args_v2 a = { .exit_signal = SIGCHLD };
	unsigned char big[128] = { 0 };

	ok_eq(clone3(&a, CLONE_ARGS_SIZE_VER0 - 8), -EINVAL, "clone3 with a size below 64 is EINVAL");
	ok_eq(clone3(&a, 0), -EINVAL, "clone3 with size 0 is EINVAL");
	memcpy(big, &a, sizeof(a));
	big[100] = 1;
	ok_eq(clone3((struct clone_args_v2 *)big, sizeof(big)), -E2BIG,
	      "clone3 with nonzero bytes past the known struct is E2BIG");
	ok_eq(clone3(&a, 2 * PAGE), -E2BIG, "clone3 with a size over a page is E2BIG");
	ok_eq(clone3(BAD_LOW_PTR, sizeof(a)), -EFAULT, "clone3 with a bad args pointer is EFAULT");

	a.flags = CLONE_THREAD | CLONE_VM;
	ok_eq(clone3(&a, sizeof(a)), -EINVAL, "clone3 CLONE_THREAD without CLONE_SIGHAND is EINVAL");
	a.flags = SIGCHLD;
	ok_eq(clone3(&a, sizeof(a)), -EINVAL, "clone3 with a signal in the flags' low byte is EINVAL");
	a.flags = 0;
	a.exit_signal = 65;
	ok_eq(clone3(&a, sizeof(a)), -EINVAL, "clone3 with exit_signal 65 is EINVAL");
	a.exit_signal = SIGCHLD;
	a.stack = (uintptr_t)new_stack();
	a.stack_size = 0;
	ok_eq(clone3(&a, sizeof(a)), -EINVAL, "clone3 with a stack but stack_size 0 is EINVAL");
	a.stack = 0;
	a.stack_size = 4096;
	ok_eq(clone3(&a, sizeof(a)), -EINVAL, "clone3 with stack_size but no stack is EINVAL");
}

int main(void)
{
	thread_clone();
	vm_process();
	files_and_vfork();
	settid_fork();
	clone_errors();
	clone3_basic();
	clone3_errors();
	ok_eq(sysc(SYS_wait4, -1, 0, WNOHANG | __WALL, 0), -ECHILD, "no child is left over");
	return tap_done();
}
