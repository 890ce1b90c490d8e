/*
 * Credentials: who a process acts as, and root's power expressed as Linux
 * capabilities(7). A process holds one struct creds by value (copied on
 * fork, so there is nothing to reference-count); all its threads share it,
 * which matches what libc makes of Linux's per-thread credentials (musl
 * and glibc run every set*id call on all threads).
 *
 * Other components ask questions through the functions below rather than
 * comparing ids themselves, so that every privilege decision goes through
 * a capability check that container work can later restrict.
 * See docs/security.md.
 */
#ifndef KERNEL_CRED_H
#define KERNEL_CRED_H

#include <jinux/types.h>
#include <uapi/capability.h>

/*
 * Supplementary groups are a fixed array: Linux allows NGROUPS_MAX
 * (65536); Jinux takes up to CRED_NGROUPS and setgroups(2) gives EINVAL
 * beyond that. Kept sorted, as Linux keeps them (getgroups shows that).
 */
#define CRED_NGROUPS 64

/* A uid or gid argument meaning "leave unchanged" ((uid_t)-1). */
#define CRED_ID_KEEP 0xffffffffU

struct creds {
	uint32_t uid, euid, suid, fsuid;
	uint32_t gid, egid, sgid, fsgid;
	uint32_t ngroups;
	uint32_t groups[CRED_NGROUPS];
	/* Capability sets, bit n = capability n (uapi/capability.h). */
	uint64_t cap_effective, cap_permitted, cap_inheritable;
	uint64_t cap_bset;       /* bounding set */
	uint64_t cap_ambient;    /* kept across exec of unprivileged programs */
	uint32_t securebits;     /* SECBIT_*; SECBIT_KEEP_CAPS is PR_SET_KEEPCAPS */
};

/* inode permission masks (Linux's MAY_*) */
#define MAY_EXEC 1
#define MAY_WRITE 2
#define MAY_READ 4

/** CAP_FULL_SET - every capability this kernel knows (0..CAP_LAST_CAP). */
#define CAP_FULL_SET ((1ULL << (CAP_LAST_CAP + 1)) - 1)

/**
 * cred_init_root() - credentials of init: uid/gid 0, no supplementary
 * groups, full effective, permitted and bounding sets, empty inheritable
 * and ambient sets, no securebits (Linux's init_cred).
 */
void cred_init_root(struct creds *c);

/**
 * capable() - does @c hold @cap in its effective set?
 * Return: false also for a @cap outside 0..CAP_LAST_CAP.
 */
bool capable(const struct creds *c, int cap);

/** cred_in_group() - is @gid the fsgid of @c or one of its supplementary groups? */
bool cred_in_group(const struct creds *c, uint32_t gid);

/* ---- the setuid family (kernel/security/setid.c) ----
 * Each takes CRED_ID_KEEP for "unchanged" where Linux takes -1, checks
 * everything first and changes @c only on success; uid changes apply the
 * capability rules of capabilities(7) ("Effect of user ID changes").
 * Return: 0 or -EPERM (-EINVAL for setuid/setgid(-1)).
 */
int cred_setuid(struct creds *c, uint32_t uid);
int cred_setreuid(struct creds *c, uint32_t ruid, uint32_t euid);
int cred_setresuid(struct creds *c, uint32_t ruid, uint32_t euid, uint32_t suid);
int cred_setgid(struct creds *c, uint32_t gid);
int cred_setregid(struct creds *c, uint32_t rgid, uint32_t egid);
int cred_setresgid(struct creds *c, uint32_t rgid, uint32_t egid, uint32_t sgid);
/** cred_setfsuid() / cred_setfsgid() - Return: the previous fsuid/fsgid, always. */
uint32_t cred_setfsuid(struct creds *c, uint32_t fsuid);
uint32_t cred_setfsgid(struct creds *c, uint32_t fsgid);
/**
 * cred_setgroups() - replace the supplementary groups with @list (@n
 * entries, stored sorted).
 * Return: 0; -EPERM without CAP_SETGID; -EINVAL if @n > CRED_NGROUPS.
 */
int cred_setgroups(struct creds *c, const uint32_t *list, size_t n);

/* ---- capability sets (kernel/security/capability.c) ---- */

/**
 * cred_capset() - capset(2) on @c with new 64-bit sets (unknown bits are
 * ignored). Return: 0 or -EPERM when a set would grow beyond what
 * capabilities(7) allows (permitted only shrinks, effective within
 * permitted, inheritable within inheritable|permitted unless CAP_SETPCAP
 * and always within inheritable|bounding). The ambient set shrinks to
 * fit.
 */
int cred_capset(struct creds *c, uint64_t effective, uint64_t permitted, uint64_t inheritable);

/**
 * cred_cap_prctl() - the capability options of prctl(2) on @c:
 * PR_GET/SET_KEEPCAPS, PR_CAPBSET_READ/DROP, PR_GET/SET_SECUREBITS,
 * PR_CAP_AMBIENT. Return: the option's result, or -EINVAL for options
 * it does not handle (as prctl does for unknown ones).
 */
long cred_cap_prctl(struct creds *c, int option, uint64_t a2, uint64_t a3, uint64_t a4,
		    uint64_t a5);

struct thread;
/**
 * cred_prctl() - prctl(2) hook: cred_cap_prctl() on the credentials of
 * @t's process. Called from prctl's default case.
 */
long cred_prctl(struct thread *t, int option, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5);

/**
 * cred_exec_transition() - the credential change of execve(2) for a
 * program file with @file_mode (st_mode), @file_uid and @file_gid: set-
 * user-ID and set-group-ID bits (ignored when @nosuid: a nosuid mount or
 * no_new_privs), root's capabilities (capabilities(7) "Transformation of
 * capabilities during execve()", no file capabilities), saved and fs ids
 * follow the effective ones, keep-caps is cleared.
 * @secure_out: set to the AT_SECURE value for the new program.
 * The caller calls it only past exec's point of no return.
 */
void cred_exec_transition(struct creds *c, uint32_t file_mode, uint32_t file_uid,
			  uint32_t file_gid, bool nosuid, bool *secure_out);

/* ---- decisions for other components (kernel/security/permission.c) ---- */

/**
 * cred_inode_permission() - may @c access a file of @mode (st_mode with
 * the type bits), owner @uid and group @gid for @mask (MAY_READ |
 * MAY_WRITE | MAY_EXEC)? Owner class by fsuid, group class by fsgid and
 * supplementary groups; CAP_DAC_READ_SEARCH overrides read on files and
 * read/search on directories, CAP_DAC_OVERRIDE overrides everything but
 * executing a non-directory that has no x bit at all.
 * Return: 0 or -EACCES.
 */
int cred_inode_permission(const struct creds *c, uint32_t mode, uint32_t uid, uint32_t gid,
			  int mask);

/**
 * cred_owner_or_capable() - does @c own a file of owner @uid (by fsuid),
 * or hold @cap (CAP_FOWNER for chmod, utimes with explicit times, ...)?
 */
bool cred_owner_or_capable(const struct creds *c, uint32_t uid, int cap);

/**
 * cred_chown_ok() - may @c change a file owned by @uid:@gid to
 * @new_uid:@new_gid (CRED_ID_KEEP: unchanged)? The owner may only change
 * the group, to one it is in; anything else needs CAP_CHOWN.
 * Return: 0 or -EPERM.
 */
int cred_chown_ok(const struct creds *c, uint32_t uid, uint32_t gid, uint32_t new_uid,
		  uint32_t new_gid);

/**
 * cred_chown_mode() - the mode after a successful chown of a non-
 * directory: set-user-ID cleared, set-group-ID cleared when group-
 * executable (Linux does this for root too). Directories keep theirs.
 */
uint32_t cred_chown_mode(uint32_t mode);

/**
 * cred_chmod_ok() - chmod(2) of a file owned by @uid:@gid to *@mode:
 * only the owner or CAP_FOWNER; S_ISGID is dropped from *@mode unless
 * @c is in group @gid or holds CAP_FSETID. Return: 0 or -EPERM.
 */
int cred_chmod_ok(const struct creds *c, uint32_t uid, uint32_t gid, uint32_t *mode);

/**
 * cred_write_kill_suid() - the mode after @c writes to or truncates a
 * regular file of @mode: set-user-ID and (group-executable) set-group-ID
 * cleared unless CAP_FSETID. Return: the mode to store (maybe @mode).
 */
uint32_t cred_write_kill_suid(const struct creds *c, uint32_t mode);

/**
 * cred_new_inode_owner() - owner, group and mode of a file @c creates
 * in a directory of @dir_mode and group @dir_gid: fsuid, and fsgid or,
 * in a set-group-ID directory, the directory's group (new directories
 * inherit S_ISGID; a new file's S_ISGID is dropped when @c is not in its
 * group and lacks CAP_FSETID). *@mode holds the requested mode with type.
 */
void cred_new_inode_owner(const struct creds *c, uint32_t dir_mode, uint32_t dir_gid,
			  uint32_t *mode, uint32_t *uid, uint32_t *gid);

/**
 * cred_sticky_may_delete() - in a directory of @dir_mode owned by
 * @dir_uid, may @c unlink or rename away an entry owned by @file_uid?
 * Only the sticky bit restricts (the caller still checks write and
 * search on the directory): file owner, directory owner, or CAP_FOWNER.
 */
bool cred_sticky_may_delete(const struct creds *c, uint32_t dir_mode, uint32_t dir_uid,
			    uint32_t file_uid);

/**
 * cred_access_creds() - turn @c (a copy) into the credentials access(2)
 * and faccessat without AT_EACCESS check with: fsuid/fsgid become the
 * real ids, and the effective set becomes the permitted set for real uid
 * 0 and empty otherwise (unless SECBIT_NO_SETUID_FIXUP), as Linux's
 * access_override_creds.
 */
void cred_access_creds(struct creds *c);

/**
 * cred_may_signal() - kill(2)'s credential rule: the real or effective
 * uid of @sender equals the real or saved uid of @target, or @sender has
 * CAP_KILL. The caller handles the same-thread-group and SIGCONT-in-
 * session exceptions. @sig is for future policy and not used now.
 */
bool cred_may_signal(const struct creds *sender, const struct creds *target, int sig);

/**
 * cred_may_ptrace_read() - Linux's ptrace_may_access with
 * PTRACE_MODE_REALCREDS (get_robust_list, /proc/PID/...): @caller's real
 * uid and gid equal all of @target's uids and gids, or CAP_SYS_PTRACE.
 * The caller lets a thread group inspect itself.
 */
bool cred_may_ptrace_read(const struct creds *caller, const struct creds *target);

/**
 * cred_may_prlimit() - may @caller read or change another process's
 * limits (prlimit64)? Real uid equals all of @target's uids and real gid
 * all of its gids, or CAP_SYS_RESOURCE.
 */
bool cred_may_prlimit(const struct creds *caller, const struct creds *target);

/**
 * cred_nproc_exempt() - is a process of @c exempt from RLIMIT_NPROC in
 * fork/clone? Real uid 0, CAP_SYS_RESOURCE or CAP_SYS_ADMIN, as Linux.
 * (Raising a hard limit in setrlimit needs capable(c, CAP_SYS_RESOURCE).)
 */
bool cred_nproc_exempt(const struct creds *c);

#endif
