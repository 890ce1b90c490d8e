/*
 * Thread state and lifetime: arch_prctl, set_tid_address, sched_yield,
 * exit, exit_group.
 */
#include <jinux/errno.h>
#include <jinux/task.h>
#include <jinux/uaccess.h>
#include <jinux/user.h>
#include <kernel/process.h>
#include <kernel/syscall.h>
#include <uapi/misc.h>

/* Bases must be canonical user addresses, as Linux insists. */
#define USER_CANONICAL_END 0x800000000000ULL

long sys_arch_prctl(struct process *p, const uint64_t a[6])
{
	struct user_regs *r = user_context_regs(p->ctx);
	uint64_t code = a[0], addr = a[1];

	switch (code) {
	case ARCH_SET_FS:
	case ARCH_SET_GS:
		if (addr >= USER_CANONICAL_END)
			return -EPERM;
		*(code == ARCH_SET_FS ? &r->fs_base : &r->gs_base) = addr;
		return 0;
	case ARCH_GET_FS:
	case ARCH_GET_GS: {
		uint64_t v = code == ARCH_GET_FS ? r->fs_base : r->gs_base;
		return copy_to_user(p->mm->vs, user_ptr(addr), &v, sizeof(v)) ? -EFAULT : 0;
	}
	default:
		return -EINVAL;
	}
}

long sys_set_tid_address(struct process *p, const uint64_t a[6])
{
	p->clear_child_tid = a[0];
	return p->pid;
}

long sys_sched_yield(struct process *p, const uint64_t a[6])
{
	(void)p;
	(void)a;
	task_yield();
	return 0;
}

long sys_exit_group(struct process *p, const uint64_t a[6])
{
	process_exit(p, W_EXITCODE((int)a[0]));
	return 0;
}

long sys_exit(struct process *p, const uint64_t a[6])
{
	return sys_exit_group(p, a);
}
