/*
 * Credentials: who a process acts as. Root's power is to be expressed as
 * Linux capabilities held here (the credentials work extends this).
 */
#ifndef KERNEL_CRED_H
#define KERNEL_CRED_H

#include <jinux/types.h>

struct creds {
	uint32_t uid, euid, suid, fsuid;
	uint32_t gid, egid, sgid, fsgid;
};

#endif
