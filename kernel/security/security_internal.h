/*
 * Shared inside kernel/security: the capability side effects of uid
 * changes (capability.c) used by the setuid family (setid.c), and the
 * mode bits the permission rules look at.
 */
#ifndef SECURITY_INTERNAL_H
#define SECURITY_INTERNAL_H

#include <kernel/cred.h>

/* st_mode bits, as Linux defines them (uapi/stat.h has the full set). */
#define MODE_IFMT 0170000U
#define MODE_IFDIR 0040000U
#define MODE_IFREG 0100000U
#define MODE_ISUID 04000U
#define MODE_ISGID 02000U
#define MODE_ISVTX 01000U
#define MODE_IXGRP 00010U
#define MODE_IXUGO 00111U

/* Capabilities that fsuid 0 historically meant (Linux's CAP_FS_SET). */
#define CAP_FS_SET ((1ULL << CAP_CHOWN) | (1ULL << CAP_MKNOD) | (1ULL << CAP_DAC_OVERRIDE) | \
		    (1ULL << CAP_DAC_READ_SEARCH) | (1ULL << CAP_FOWNER) |                   \
		    (1ULL << CAP_FSETID) | (1ULL << CAP_MAC_OVERRIDE) |                      \
		    (1ULL << CAP_LINUX_IMMUTABLE))

/*
 * cap_fix_setuid() - after a real/effective/saved uid change from @old
 * to @new: drop permitted and effective when no uid is 0 any more (unless
 * keep-caps), clear effective when euid leaves 0, refill it when euid
 * becomes 0 (capabilities(7)). Nothing when SECBIT_NO_SETUID_FIXUP.
 */
void cap_fix_setuid(struct creds *new, const struct creds *old);

/*
 * cap_fix_setfsuid() - after an fsuid change: the file-system
 * capabilities leave the effective set when fsuid leaves 0, and come back
 * (as far as permitted) when it becomes 0.
 */
void cap_fix_setfsuid(struct creds *new, const struct creds *old);

#endif
