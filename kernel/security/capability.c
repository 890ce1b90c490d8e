/*
 * Capability sets (capabilities(7)): the effect of uid changes on them,
 * capset(2)'s rules, and the prctl(2) options for the bounding set,
 * keep-caps, securebits and the ambient set.
 */
#include <jinux/errno.h>
#include <kernel/cred.h>
#include "security_internal.h"

static bool subset(uint64_t a, uint64_t b)
{
	return !(a & ~b);
}

static bool any_root(uint32_t r, uint32_t e, uint32_t s)
{
	return r == 0 || e == 0 || s == 0;
}

void cap_fix_setuid(struct creds *new, const struct creds *old)
{
	if (old->securebits & SECBIT_NO_SETUID_FIXUP)
		return;
	if (any_root(old->uid, old->euid, old->suid) &&
	    !any_root(new->uid, new->euid, new->suid)) {
		if (!(old->securebits & SECBIT_KEEP_CAPS)) {
			new->cap_permitted = 0;
			new->cap_effective = 0;
		}
		/* setresuid to non-root then exec must drop everything. */
		new->cap_ambient = 0;
	}
	if (old->euid == 0 && new->euid != 0)
		new->cap_effective = 0;
	if (old->euid != 0 && new->euid == 0)
		new->cap_effective = new->cap_permitted;
}

void cap_fix_setfsuid(struct creds *new, const struct creds *old)
{
	if (old->securebits & SECBIT_NO_SETUID_FIXUP)
		return;
	if (old->fsuid == 0 && new->fsuid != 0)
		new->cap_effective &= ~CAP_FS_SET;
	if (old->fsuid != 0 && new->fsuid == 0)
		new->cap_effective |= new->cap_permitted & CAP_FS_SET;
}

int cred_capset(struct creds *c, uint64_t effective, uint64_t permitted, uint64_t inheritable)
{
	effective &= CAP_FULL_SET;
	permitted &= CAP_FULL_SET;
	inheritable &= CAP_FULL_SET;
	/* Without CAP_SETPCAP, inheritable may only gain what is permitted. */
	if (!capable(c, CAP_SETPCAP) &&
	    !subset(inheritable, c->cap_inheritable | c->cap_permitted))
		return -EPERM;
	if (!subset(inheritable, c->cap_inheritable | c->cap_bset))
		return -EPERM;
	if (!subset(permitted, c->cap_permitted) || !subset(effective, permitted))
		return -EPERM;
	c->cap_effective = effective;
	c->cap_permitted = permitted;
	c->cap_inheritable = inheritable;
	c->cap_ambient &= permitted & inheritable;
	return 0;
}

static long set_securebits(struct creds *c, uint64_t bits)
{
	uint32_t locks = c->securebits & SECURE_ALL_LOCKS;

	/* A locked flag cannot change, a lock cannot be released, unknown
	 * bits are refused, and all of it needs CAP_SETPCAP. */
	if (((locks >> 1) & (c->securebits ^ bits)) || (locks & ~bits) ||
	    (bits & ~(uint64_t)(SECURE_ALL_LOCKS | SECURE_ALL_BITS)) || !capable(c, CAP_SETPCAP))
		return -EPERM;
	c->securebits = (uint32_t)bits;
	return 0;
}

static long set_keepcaps(struct creds *c, uint64_t on)
{
	if (on > 1)
		return -EINVAL;
	if (c->securebits & SECBIT_KEEP_CAPS_LOCKED)
		return -EPERM;
	if (on)
		c->securebits |= SECBIT_KEEP_CAPS;
	else
		c->securebits &= ~SECBIT_KEEP_CAPS;
	return 0;
}

static long ambient(struct creds *c, uint64_t op, uint64_t cap, uint64_t a4, uint64_t a5)
{
	if (op == PR_CAP_AMBIENT_CLEAR_ALL) {
		if (cap || a4 || a5)
			return -EINVAL;
		c->cap_ambient = 0;
		return 0;
	}
	if (cap > CAP_LAST_CAP || a4 || a5)
		return -EINVAL;
	uint64_t bit = 1ULL << cap;
	switch (op) {
	case PR_CAP_AMBIENT_IS_SET:
		return !!(c->cap_ambient & bit);
	case PR_CAP_AMBIENT_RAISE:
		if (!(c->cap_permitted & bit) || !(c->cap_inheritable & bit) ||
		    (c->securebits & SECBIT_NO_CAP_AMBIENT_RAISE))
			return -EPERM;
		c->cap_ambient |= bit;
		return 0;
	case PR_CAP_AMBIENT_LOWER:
		c->cap_ambient &= ~bit;
		return 0;
	default:
		return -EINVAL;
	}
}

long cred_cap_prctl(struct creds *c, int option, uint64_t a2, uint64_t a3, uint64_t a4,
		    uint64_t a5)
{
	switch (option) {
	case PR_GET_KEEPCAPS:
		return !!(c->securebits & SECBIT_KEEP_CAPS);
	case PR_SET_KEEPCAPS:
		return set_keepcaps(c, a2);
	case PR_CAPBSET_READ:
		if (a2 > CAP_LAST_CAP)
			return -EINVAL;
		return (c->cap_bset >> a2) & 1;
	case PR_CAPBSET_DROP:
		if (!capable(c, CAP_SETPCAP))
			return -EPERM;
		if (a2 > CAP_LAST_CAP)
			return -EINVAL;
		c->cap_bset &= ~(1ULL << a2);
		return 0;
	case PR_GET_SECUREBITS:
		return c->securebits;
	case PR_SET_SECUREBITS:
		return set_securebits(c, a2);
	case PR_CAP_AMBIENT:
		return ambient(c, a2, a3, a4, a5);
	default:
		return -EINVAL;
	}
}
