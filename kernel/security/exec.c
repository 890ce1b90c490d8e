/*
 * What execve(2) does to credentials: set-user-ID and set-group-ID
 * programs, root's capabilities, the ambient set, and whether the new
 * program must be told it runs with more privilege than its caller
 * (AT_SECURE). Jinux has no file capabilities, so a program file brings
 * only its mode bits and owner. Follows capabilities(7) "Transformation
 * of capabilities during execve()".
 */
#include <kernel/cred.h>
#include "security_internal.h"

/* Effective ids from the file's set-id bits (Linux's bprm_fill_uid). */
static void apply_setid_bits(struct creds *c, uint32_t mode, uint32_t uid, uint32_t gid)
{
	if (mode & MODE_ISUID)
		c->euid = uid;
	/* Without group execute, S_ISGID means mandatory locking, not setgid. */
	if ((mode & (MODE_ISGID | MODE_IXGRP)) == (MODE_ISGID | MODE_IXGRP))
		c->egid = gid;
}

void cred_exec_transition(struct creds *c, uint32_t file_mode, uint32_t file_uid,
			  uint32_t file_gid, bool nosuid, bool *secure_out)
{
	const uint32_t old_uid = c->uid, old_gid = c->gid;
	const uint64_t old_inheritable = c->cap_inheritable, old_bset = c->cap_bset;
	bool effective = false, is_setid;

	if (!nosuid)
		apply_setid_bits(c, file_mode, file_uid, file_gid);
	/* No file capabilities: the permitted set starts empty ... */
	c->cap_permitted = 0;
	/* ... and root gets every capability it is bounded to. */
	if (!(c->securebits & SECBIT_NOROOT)) {
		if (c->euid == 0 || c->uid == 0)
			c->cap_permitted = old_bset | old_inheritable;
		if (c->euid == 0)
			effective = true;
	}
	is_setid = c->euid != old_uid || c->egid != old_gid;
	c->suid = c->fsuid = c->euid;
	c->sgid = c->fsgid = c->egid;
	if (is_setid)
		c->cap_ambient = 0;
	c->cap_permitted |= c->cap_ambient;
	c->cap_effective = effective ? c->cap_permitted : c->cap_ambient;
	c->securebits &= ~SECBIT_KEEP_CAPS;
	if (secure_out)
		*secure_out = is_setid ||
			      (c->uid != 0 && (effective || (c->cap_permitted & ~c->cap_ambient)));
}
