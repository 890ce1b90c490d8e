/*
 * Credential system calls: the get/set*id family, supplementary groups,
 * capget/capset, and the capability options of prctl. Each copies and
 * checks its arguments here and leaves the rules to kernel/security.
 */
#include <jinux/errno.h>
#include <jinux/uaccess.h>
#include <kernel/cred.h>
#include <kernel/process.h>
#include <kernel/syscall.h>

/* uid_t and gid_t are 32 bits: Linux truncates wider arguments. */
static uint32_t id_arg(uint64_t a)
{
	return (uint32_t)a;
}

long sys_getuid(struct thread *t, const uint64_t a[6])
{
	(void)a;
	return t->proc->cred.uid;
}

long sys_geteuid(struct thread *t, const uint64_t a[6])
{
	(void)a;
	return t->proc->cred.euid;
}

long sys_getgid(struct thread *t, const uint64_t a[6])
{
	(void)a;
	return t->proc->cred.gid;
}

long sys_getegid(struct thread *t, const uint64_t a[6])
{
	(void)a;
	return t->proc->cred.egid;
}

long sys_setuid(struct thread *t, const uint64_t a[6])
{
	return cred_setuid(&t->proc->cred, id_arg(a[0]));
}

long sys_setgid(struct thread *t, const uint64_t a[6])
{
	return cred_setgid(&t->proc->cred, id_arg(a[0]));
}

long sys_setreuid(struct thread *t, const uint64_t a[6])
{
	return cred_setreuid(&t->proc->cred, id_arg(a[0]), id_arg(a[1]));
}

long sys_setregid(struct thread *t, const uint64_t a[6])
{
	return cred_setregid(&t->proc->cred, id_arg(a[0]), id_arg(a[1]));
}

long sys_setresuid(struct thread *t, const uint64_t a[6])
{
	return cred_setresuid(&t->proc->cred, id_arg(a[0]), id_arg(a[1]), id_arg(a[2]));
}

long sys_setresgid(struct thread *t, const uint64_t a[6])
{
	return cred_setresgid(&t->proc->cred, id_arg(a[0]), id_arg(a[1]), id_arg(a[2]));
}

long sys_setfsuid(struct thread *t, const uint64_t a[6])
{
	return cred_setfsuid(&t->proc->cred, id_arg(a[0]));
}

long sys_setfsgid(struct thread *t, const uint64_t a[6])
{
	return cred_setfsgid(&t->proc->cred, id_arg(a[0]));
}

/* Store three ids at three user addresses, in order, as Linux does. */
static long put_three(struct thread *t, const uint64_t a[6], uint32_t r, uint32_t e, uint32_t s)
{
	const uint32_t v[3] = { r, e, s };
	for (int i = 0; i < 3; i++)
		if (copy_to_user(t->proc->mm->vs, user_ptr(a[i]), &v[i], sizeof(v[i])))
			return -EFAULT;
	return 0;
}

long sys_getresuid(struct thread *t, const uint64_t a[6])
{
	const struct creds *c = &t->proc->cred;
	return put_three(t, a, c->uid, c->euid, c->suid);
}

long sys_getresgid(struct thread *t, const uint64_t a[6])
{
	const struct creds *c = &t->proc->cred;
	return put_three(t, a, c->gid, c->egid, c->sgid);
}

long sys_getgroups(struct thread *t, const uint64_t a[6])
{
	const struct creds *c = &t->proc->cred;
	int size = (int)a[0];

	if (size < 0)
		return -EINVAL;
	if (size) {
		if (c->ngroups > (uint32_t)size)
			return -EINVAL;
		if (copy_to_user(t->proc->mm->vs, user_ptr(a[1]), c->groups,
				 c->ngroups * sizeof(c->groups[0])))
			return -EFAULT;
	}
	return c->ngroups;
}

long sys_setgroups(struct thread *t, const uint64_t a[6])
{
	struct creds *c = &t->proc->cred;
	uint32_t size = (uint32_t)a[0], list[CRED_NGROUPS];

	if (!capable(c, CAP_SETGID))
		return -EPERM;
	if (size > NGROUPS_MAX || size > CRED_NGROUPS)
		return -EINVAL;
	if (size && copy_from_user(t->proc->mm->vs, list, user_ptr(a[1]), size * sizeof(list[0])))
		return -EFAULT;
	return cred_setgroups(c, list, size);
}

/* ---- capget / capset ---- */

/*
 * Check the header's version; an unknown one is answered with the
 * preferred version written back. Return: 0 and the number of 32-bit
 * words per set in *@u32s, -EINVAL or -EFAULT.
 */
static int cap_header_version(struct thread *t, uint64_t hdr, int *u32s)
{
	struct vm_space *vs = t->proc->mm->vs;
	uint32_t version;

	if (copy_from_user(vs, &version, user_ptr(hdr), sizeof(version)))
		return -EFAULT;
	switch (version) {
	case LINUX_CAPABILITY_VERSION_1:
		*u32s = LINUX_CAPABILITY_U32S_1;
		return 0;
	case LINUX_CAPABILITY_VERSION_2:
	case LINUX_CAPABILITY_VERSION_3:
		*u32s = LINUX_CAPABILITY_U32S_3;
		return 0;
	default:
		version = LINUX_CAPABILITY_VERSION_3;
		if (copy_to_user(vs, user_ptr(hdr), &version, sizeof(version)))
			return -EFAULT;
		return -EINVAL;
	}
}

static int cap_header_pid(struct thread *t, uint64_t hdr, int32_t *pid)
{
	return copy_from_user(t->proc->mm->vs, pid, user_ptr(hdr + sizeof(uint32_t)),
			      sizeof(*pid)) ? -EFAULT : 0;
}

long sys_capget(struct thread *t, const uint64_t a[6])
{
	const struct creds *c = &t->proc->cred;
	struct linux_cap_data d[LINUX_CAPABILITY_U32S_3];
	int u32s = 0, err = cap_header_version(t, a[0], &u32s);
	int32_t pid;

	/* A NULL data pointer only asks which version the kernel wants. */
	if (!a[1])
		return err == -EINVAL ? 0 : err;
	if (err)
		return err;
	if (cap_header_pid(t, a[0], &pid))
		return -EFAULT;
	if (pid < 0)
		return -EINVAL;
	if (pid && pid != t->tid) {
		struct thread *target = thread_find(pid);
		if (!target)
			return -ESRCH;
		c = &target->proc->cred;
	}
	for (int i = 0; i < u32s; i++) {
		d[i].effective = (uint32_t)(c->cap_effective >> (32 * i));
		d[i].permitted = (uint32_t)(c->cap_permitted >> (32 * i));
		d[i].inheritable = (uint32_t)(c->cap_inheritable >> (32 * i));
	}
	return copy_to_user(t->proc->mm->vs, user_ptr(a[1]), d, (size_t)u32s * sizeof(d[0])) ?
		       -EFAULT : 0;
}

long sys_capset(struct thread *t, const uint64_t a[6])
{
	struct linux_cap_data d[LINUX_CAPABILITY_U32S_3] = { 0 };
	uint64_t eff = 0, perm = 0, inh = 0;
	int u32s = 0, err = cap_header_version(t, a[0], &u32s);
	int32_t pid;

	if (err)
		return err;
	if (cap_header_pid(t, a[0], &pid))
		return -EFAULT;
	/* Only the calling thread's own sets may change. */
	if (pid && pid != t->tid)
		return -EPERM;
	if (copy_from_user(t->proc->mm->vs, d, user_ptr(a[1]), (size_t)u32s * sizeof(d[0])))
		return -EFAULT;
	for (int i = 0; i < u32s; i++) {
		eff |= (uint64_t)d[i].effective << (32 * i);
		perm |= (uint64_t)d[i].permitted << (32 * i);
		inh |= (uint64_t)d[i].inheritable << (32 * i);
	}
	return cred_capset(&t->proc->cred, eff, perm, inh);
}

long cred_prctl(struct thread *t, int option, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	return cred_cap_prctl(&t->proc->cred, option, a2, a3, a4, a5);
}
