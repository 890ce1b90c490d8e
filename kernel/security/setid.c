/*
 * The setuid family as Linux has it (credentials(7), setresuid(2)): who
 * may become whom, how the saved and file-system ids follow, and, for
 * uids, the capability side effects. Every function decides first on a
 * copy and stores it only when the whole change is allowed.
 */
#include <jinux/errno.h>
#include <jinux/string.h>
#include <kernel/cred.h>
#include "security_internal.h"

/* An unprivileged process may take only ids it already has. */
static bool one_of(uint32_t id, uint32_t a, uint32_t b, uint32_t c)
{
	return id == a || id == b || id == c;
}

/* setresuid's rule: each id KEEP or one of the current three. */
static bool res_allowed(uint32_t r, uint32_t e, uint32_t s, uint32_t cur_r, uint32_t cur_e,
			uint32_t cur_s)
{
	return (r == CRED_ID_KEEP || one_of(r, cur_r, cur_e, cur_s)) &&
	       (e == CRED_ID_KEEP || one_of(e, cur_r, cur_e, cur_s)) &&
	       (s == CRED_ID_KEEP || one_of(s, cur_r, cur_e, cur_s));
}

/*
 * Linux returns early from setresuid/setresgid calls that change nothing
 * (each id KEEP or equal, a given effective id equal to the fs id too),
 * so they leave an fs id set by setfsuid alone. setreuid has no such
 * shortcut: it may still move the saved id.
 */
static bool no_op(uint32_t r, uint32_t e, uint32_t s, uint32_t cur_r, uint32_t cur_e,
		  uint32_t cur_s, uint32_t cur_fs)
{
	return (r == CRED_ID_KEEP || r == cur_r) &&
	       (e == CRED_ID_KEEP || (e == cur_e && e == cur_fs)) &&
	       (s == CRED_ID_KEEP || s == cur_s);
}

static void commit_uids(struct creds *c, struct creds *new)
{
	new->fsuid = new->euid;
	cap_fix_setuid(new, c);
	*c = *new;
}

int cred_setuid(struct creds *c, uint32_t uid)
{
	struct creds new = *c;

	if (uid == CRED_ID_KEEP)
		return -EINVAL;
	if (capable(c, CAP_SETUID))
		new.uid = new.suid = uid;
	else if (uid != c->uid && uid != c->suid)
		return -EPERM;
	new.euid = uid;
	commit_uids(c, &new);
	return 0;
}

int cred_setreuid(struct creds *c, uint32_t ruid, uint32_t euid)
{
	bool priv = capable(c, CAP_SETUID);
	struct creds new = *c;

	if (ruid != CRED_ID_KEEP) {
		if (!priv && ruid != c->uid && ruid != c->euid)
			return -EPERM;
		new.uid = ruid;
	}
	if (euid != CRED_ID_KEEP) {
		if (!priv && !one_of(euid, c->uid, c->euid, c->suid))
			return -EPERM;
		new.euid = euid;
	}
	/* The saved uid follows when the real uid is set or the effective
	 * one becomes something other than the (old) real uid. */
	if (ruid != CRED_ID_KEEP || (euid != CRED_ID_KEEP && euid != c->uid))
		new.suid = new.euid;
	commit_uids(c, &new);
	return 0;
}

int cred_setresuid(struct creds *c, uint32_t ruid, uint32_t euid, uint32_t suid)
{
	struct creds new = *c;

	if (no_op(ruid, euid, suid, c->uid, c->euid, c->suid, c->fsuid))
		return 0;
	if (!capable(c, CAP_SETUID) && !res_allowed(ruid, euid, suid, c->uid, c->euid, c->suid))
		return -EPERM;
	if (ruid != CRED_ID_KEEP)
		new.uid = ruid;
	if (euid != CRED_ID_KEEP)
		new.euid = euid;
	if (suid != CRED_ID_KEEP)
		new.suid = suid;
	commit_uids(c, &new);
	return 0;
}

uint32_t cred_setfsuid(struct creds *c, uint32_t fsuid)
{
	uint32_t old = c->fsuid;
	struct creds new;

	if (fsuid == CRED_ID_KEEP || fsuid == old)
		return old;
	if (!one_of(fsuid, c->uid, c->euid, c->suid) && !capable(c, CAP_SETUID))
		return old;
	new = *c;
	new.fsuid = fsuid;
	cap_fix_setfsuid(&new, c);
	*c = new;
	return old;
}

/* Group ids: the same rules with CAP_SETGID and no capability effects. */

int cred_setgid(struct creds *c, uint32_t gid)
{
	if (gid == CRED_ID_KEEP)
		return -EINVAL;
	if (capable(c, CAP_SETGID))
		c->gid = c->sgid = gid;
	else if (gid != c->gid && gid != c->sgid)
		return -EPERM;
	c->egid = c->fsgid = gid;
	return 0;
}

int cred_setregid(struct creds *c, uint32_t rgid, uint32_t egid)
{
	bool priv = capable(c, CAP_SETGID);
	uint32_t old_gid = c->gid;

	if (rgid != CRED_ID_KEEP && !priv && rgid != c->gid && rgid != c->egid)
		return -EPERM;
	if (egid != CRED_ID_KEEP && !priv && !one_of(egid, c->gid, c->egid, c->sgid))
		return -EPERM;
	if (rgid != CRED_ID_KEEP)
		c->gid = rgid;
	if (egid != CRED_ID_KEEP)
		c->egid = egid;
	if (rgid != CRED_ID_KEEP || (egid != CRED_ID_KEEP && egid != old_gid))
		c->sgid = c->egid;
	c->fsgid = c->egid;
	return 0;
}

int cred_setresgid(struct creds *c, uint32_t rgid, uint32_t egid, uint32_t sgid)
{
	if (no_op(rgid, egid, sgid, c->gid, c->egid, c->sgid, c->fsgid))
		return 0;
	if (!capable(c, CAP_SETGID) && !res_allowed(rgid, egid, sgid, c->gid, c->egid, c->sgid))
		return -EPERM;
	if (rgid != CRED_ID_KEEP)
		c->gid = rgid;
	if (egid != CRED_ID_KEEP)
		c->egid = egid;
	if (sgid != CRED_ID_KEEP)
		c->sgid = sgid;
	c->fsgid = c->egid;
	return 0;
}

uint32_t cred_setfsgid(struct creds *c, uint32_t fsgid)
{
	uint32_t old = c->fsgid;

	if (fsgid == CRED_ID_KEEP || fsgid == old)
		return old;
	if (one_of(fsgid, c->gid, c->egid, c->sgid) || capable(c, CAP_SETGID))
		c->fsgid = fsgid;
	return old;
}

int cred_setgroups(struct creds *c, const uint32_t *list, size_t n)
{
	if (!capable(c, CAP_SETGID))
		return -EPERM;
	if (n > CRED_NGROUPS)
		return -EINVAL;
	/* Insertion sort: at most CRED_NGROUPS entries. */
	for (size_t i = 0; i < n; i++) {
		uint32_t g = list[i];
		size_t j = i;
		for (; j > 0 && c->groups[j - 1] > g; j--)
			c->groups[j] = c->groups[j - 1];
		c->groups[j] = g;
	}
	c->ngroups = (uint32_t)n;
	return 0;
}
