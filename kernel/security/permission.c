/*
 * Permission decisions other components ask for: file access by mode
 * bits (Linux's generic_permission), ownership changes, the sticky bit,
 * set-id bits on create, write and chown, and the credential rules for
 * signals, tracing-style inspection and resource limits. Root's power
 * is always a capability in the effective set, never "uid 0".
 */
#include <jinux/errno.h>
#include <kernel/cred.h>
#include "security_internal.h"

/* The three mode bits that apply to @c: owner, group or other. */
static uint32_t class_bits(const struct creds *c, uint32_t mode, uint32_t uid, uint32_t gid)
{
	if (c->fsuid == uid)
		return (mode >> 6) & 7;
	if (cred_in_group(c, gid))
		return (mode >> 3) & 7;
	return mode & 7;
}

int cred_inode_permission(const struct creds *c, uint32_t mode, uint32_t uid, uint32_t gid,
			  int mask)
{
	mask &= MAY_READ | MAY_WRITE | MAY_EXEC;
	if (!(mask & ~(int)class_bits(c, mode, uid, gid)))
		return 0;
	if ((mode & MODE_IFMT) == MODE_IFDIR) {
		/* Directories: reading and searching, or everything. */
		if (!(mask & MAY_WRITE) && capable(c, CAP_DAC_READ_SEARCH))
			return 0;
		return capable(c, CAP_DAC_OVERRIDE) ? 0 : -EACCES;
	}
	if (mask == MAY_READ && capable(c, CAP_DAC_READ_SEARCH))
		return 0;
	/* Execute is overridable only if someone may execute the file. */
	if ((!(mask & MAY_EXEC) || (mode & MODE_IXUGO)) && capable(c, CAP_DAC_OVERRIDE))
		return 0;
	return -EACCES;
}

bool cred_owner_or_capable(const struct creds *c, uint32_t uid, int cap)
{
	return c->fsuid == uid || capable(c, cap);
}

int cred_chown_ok(const struct creds *c, uint32_t uid, uint32_t gid, uint32_t new_uid,
		  uint32_t new_gid)
{
	if (capable(c, CAP_CHOWN))
		return 0;
	if (new_uid != CRED_ID_KEEP && !(c->fsuid == uid && new_uid == uid))
		return -EPERM;
	if (new_gid != CRED_ID_KEEP &&
	    !(c->fsuid == uid && (new_gid == gid || cred_in_group(c, new_gid))))
		return -EPERM;
	return 0;
}

uint32_t cred_chown_mode(uint32_t mode)
{
	if ((mode & MODE_IFMT) == MODE_IFDIR)
		return mode;
	mode &= ~MODE_ISUID;
	if (mode & MODE_IXGRP)
		mode &= ~MODE_ISGID;
	return mode;
}

int cred_chmod_ok(const struct creds *c, uint32_t uid, uint32_t gid, uint32_t *mode)
{
	if (!cred_owner_or_capable(c, uid, CAP_FOWNER))
		return -EPERM;
	if (!cred_in_group(c, gid) && !capable(c, CAP_FSETID))
		*mode &= ~MODE_ISGID;
	return 0;
}

uint32_t cred_write_kill_suid(const struct creds *c, uint32_t mode)
{
	uint32_t kill = 0;

	if ((mode & MODE_IFMT) != MODE_IFREG)
		return mode;
	if (mode & MODE_ISUID)
		kill |= MODE_ISUID;
	if ((mode & (MODE_ISGID | MODE_IXGRP)) == (MODE_ISGID | MODE_IXGRP))
		kill |= MODE_ISGID;
	if (kill && !capable(c, CAP_FSETID))
		mode &= ~kill;
	return mode;
}

void cred_new_inode_owner(const struct creds *c, uint32_t dir_mode, uint32_t dir_gid,
			  uint32_t *mode, uint32_t *uid, uint32_t *gid)
{
	*uid = c->fsuid;
	if (!(dir_mode & MODE_ISGID)) {
		*gid = c->fsgid;
		return;
	}
	*gid = dir_gid;
	if ((*mode & MODE_IFMT) == MODE_IFDIR)
		*mode |= MODE_ISGID;
	else if ((*mode & (MODE_ISGID | MODE_IXGRP)) == (MODE_ISGID | MODE_IXGRP) &&
		 !cred_in_group(c, dir_gid) && !capable(c, CAP_FSETID))
		*mode &= ~MODE_ISGID;
}

bool cred_sticky_may_delete(const struct creds *c, uint32_t dir_mode, uint32_t dir_uid,
			    uint32_t file_uid)
{
	if (!(dir_mode & MODE_ISVTX))
		return true;
	return c->fsuid == file_uid || c->fsuid == dir_uid || capable(c, CAP_FOWNER);
}

void cred_access_creds(struct creds *c)
{
	c->fsuid = c->uid;
	c->fsgid = c->gid;
	if (c->securebits & SECBIT_NO_SETUID_FIXUP)
		return;
	c->cap_effective = c->uid == 0 ? c->cap_permitted : 0;
}

bool cred_may_signal(const struct creds *sender, const struct creds *target, int sig)
{
	(void)sig;
	if (sender->euid == target->suid || sender->euid == target->uid ||
	    sender->uid == target->suid || sender->uid == target->uid)
		return true;
	return capable(sender, CAP_KILL);
}

/* Real ids of @a match every id of @b (ptrace and prlimit's rule). */
static bool real_ids_own(const struct creds *a, const struct creds *b)
{
	return a->uid == b->uid && a->uid == b->euid && a->uid == b->suid &&
	       a->gid == b->gid && a->gid == b->egid && a->gid == b->sgid;
}

bool cred_may_ptrace_read(const struct creds *caller, const struct creds *target)
{
	return real_ids_own(caller, target) || capable(caller, CAP_SYS_PTRACE);
}

bool cred_may_prlimit(const struct creds *caller, const struct creds *target)
{
	return real_ids_own(caller, target) || capable(caller, CAP_SYS_RESOURCE);
}

bool cred_nproc_exempt(const struct creds *c)
{
	return c->uid == 0 || capable(c, CAP_SYS_RESOURCE) || capable(c, CAP_SYS_ADMIN);
}
