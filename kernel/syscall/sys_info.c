/*
 * System information: uname, getrandom (the get*id calls are in sys_cred.c).
 */
#include <jinux/errno.h>
#include <jinux/machine.h>
#include <jinux/string.h>
#include <jinux/uaccess.h>
#include <kernel/process.h>
#include <kernel/syscall.h>
#include <uapi/misc.h>

long sys_uname(struct thread *t, const uint64_t a[6])
{
	struct process *p = t->proc;
	struct linux_utsname u;
	memset(&u, 0, sizeof(u));
	/* "Linux" so that programs that check the system name behave. */
	kstrlcpy(u.sysname, "Linux", UTSNAME_LEN);
	kstrlcpy(u.nodename, "jinux", UTSNAME_LEN);
	kstrlcpy(u.release, "6.1.0-jinux", UTSNAME_LEN);
	kstrlcpy(u.version, "#1 Jinux", UTSNAME_LEN);
	kstrlcpy(u.machine, "x86_64", UTSNAME_LEN);
	kstrlcpy(u.domainname, "(none)", UTSNAME_LEN);
	return copy_to_user(p->mm->vs, user_ptr(a[0]), &u, sizeof(u)) ? -EFAULT : 0;
}

#define GETRANDOM_MAX 33554431UL /* Linux's per-call cap */

long sys_getrandom(struct thread *t, const uint64_t a[6])
{
	struct process *p = t->proc;
	uint64_t len = MIN(a[1], GETRANDOM_MAX), flags = a[2];
	char tmp[256];

	if (flags & ~(uint64_t)(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	if ((flags & GRND_INSECURE) && (flags & GRND_RANDOM))
		return -EINVAL;
	for (uint64_t done = 0; done < len;) {
		size_t n = MIN(len - done, sizeof(tmp));
		random_bytes(tmp, n);
		if (copy_to_user(p->mm->vs, user_ptr(a[0] + done), tmp, n))
			return done ? (long)done : -EFAULT;
		done += n;
	}
	return (long)len;
}
