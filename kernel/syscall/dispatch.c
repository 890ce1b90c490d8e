/*
 * System-call dispatch: Linux x86-64 numbers index a table built from
 * kernel/syscall_list.h. Missing calls return -ENOSYS and are logged (at
 * LOG_INFO: `--loglevel 6` shows them; a terminal session stays clean)
 * once each, by name.
 */
#include <jinux/errno.h>
#include <jinux/log.h>
#include <kernel/process.h>
#include <kernel/syscall.h>

#define SYSCALL_ENTRY(nr, nm, st, note) [nr] = { #nm, sys_##nm, SC_##st },
static const struct syscall_entry syscall_table[SYSCALL_MAX] = {
	SYSCALL_LIST(SYSCALL_ENTRY)
};

static uint8_t reported_missing[SYSCALL_MAX / 8];

static long missing(struct thread *t, uint64_t nr)
{
	if (nr < SYSCALL_MAX && !(reported_missing[nr / 8] & (1u << (nr % 8)))) {
		reported_missing[nr / 8] |= (uint8_t)(1u << (nr % 8));
		pr_info("%s[%d]: unimplemented system call %s (%lu)", t->proc->comm, t->tid,
			syscall_names[nr] ? syscall_names[nr] : "?", (unsigned long)nr);
	} else if (nr >= SYSCALL_MAX) {
		pr_info("%s[%d]: bad system call number %lu", t->proc->comm, t->tid,
			(unsigned long)nr);
	}
	return -ENOSYS;
}

void syscall_dispatch(struct thread *t, struct user_regs *r)
{
	const uint64_t a[6] = { r->rdi, r->rsi, r->rdx, r->r10, r->r8, r->r9 };
	uint64_t nr = r->rax;
	long ret;

	t->orig_rax = nr;
	if (nr < SYSCALL_MAX && syscall_table[nr].fn)
		ret = syscall_table[nr].fn(t, a);
	else
		ret = missing(t, nr);
	/* execve replaced the context: its fresh registers stand. */
	if (user_context_regs(t->ctx) != r)
		return;
	r->rax = (uint64_t)ret;
	if (ret <= -ERESTARTSYS && ret >= -ERESTARTSYS - 16)
		signal_syscall_restart(t, ret);
}
