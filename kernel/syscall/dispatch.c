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

void syscall_dispatch(struct thread *t, const struct user_exit *e)
{
	struct user_context *ctx = t->ctx;
	/* Like Linux, the number is the low half of rax. */
	uint64_t nr = (uint32_t)e->syscall_nr;
	long ret;

	t->orig_rax = nr;
	if (nr < SYSCALL_MAX && syscall_table[nr].fn)
		ret = syscall_table[nr].fn(t, e->syscall_args);
	else
		ret = missing(t, nr);
	/* execve replaced the context: its fresh registers stand. */
	if (t->ctx != ctx)
		return;
	user_context_set_return(ctx, (uint64_t)ret);
	if (ret <= -ERESTARTSYS && ret >= -ERESTARTSYS - 16)
		signal_syscall_restart(t, ret);
}
