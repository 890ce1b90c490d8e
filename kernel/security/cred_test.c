/*
 * KTESTs for credentials: the setuid family's rules and capability side
 * effects, capset and the capability prctls, the execve transition
 * (set-id bits, root, ambient, AT_SECURE) and the permission helpers.
 * They work on struct creds values only; the conformance tests in
 * test/cred_*.c check the same rules through the system calls.
 */
#include <jinux/errno.h>
#include <jinux/ktest.h>
#include <kernel/cred.h>

#define KEEP CRED_ID_KEEP
#define BIT(cap) (1ULL << (cap))

static struct creds user_creds(uint32_t uid, uint32_t gid)
{
	struct creds c;
	cred_init_root(&c);
	c.uid = c.euid = c.suid = c.fsuid = uid;
	c.gid = c.egid = c.sgid = c.fsgid = gid;
	c.cap_effective = c.cap_permitted = 0;
	return c;
}

KTEST(cred_root_has_every_capability)
{
	struct creds c;
	cred_init_root(&c);
	KASSERT(c.uid == 0 && c.euid == 0 && c.fsgid == 0 && c.ngroups == 0);
	for (int cap = 0; cap <= CAP_LAST_CAP; cap++)
		KASSERT(capable(&c, cap));
	KASSERT(!capable(&c, CAP_LAST_CAP + 1));
	KASSERT(!capable(&c, -1));
	KASSERT_EQ(c.cap_inheritable, 0);
	KASSERT_EQ(c.cap_ambient, 0);
	KASSERT_EQ(c.cap_bset, CAP_FULL_SET);
}

KTEST(cred_setuid_by_root_drops_all_capabilities)
{
	struct creds c;
	cred_init_root(&c);
	KASSERT_EQ(cred_setuid(&c, 1000), 0);
	KASSERT(c.uid == 1000 && c.euid == 1000 && c.suid == 1000 && c.fsuid == 1000);
	KASSERT_EQ(c.cap_permitted, 0);
	KASSERT_EQ(c.cap_effective, 0);
	KASSERT_EQ(c.cap_bset, CAP_FULL_SET);
	/* And there is no way back. */
	KASSERT_EQ(cred_setuid(&c, 0), -EPERM);
	KASSERT_EQ(cred_setresuid(&c, KEEP, 0, KEEP), -EPERM);
	KASSERT_EQ(cred_setuid(&c, KEEP), -EINVAL);
}

KTEST(cred_seteuid_away_from_root_and_back)
{
	struct creds c;
	cred_init_root(&c);
	KASSERT_EQ(cred_setresuid(&c, KEEP, 1000, KEEP), 0);
	KASSERT(c.uid == 0 && c.euid == 1000 && c.suid == 0 && c.fsuid == 1000);
	KASSERT_EQ(c.cap_effective, 0);
	KASSERT_EQ(c.cap_permitted, CAP_FULL_SET);
	KASSERT_EQ(cred_setresuid(&c, KEEP, 0, KEEP), 0);
	KASSERT_EQ(c.cap_effective, CAP_FULL_SET);
	KASSERT_EQ(c.fsuid, 0);
}

KTEST(cred_keepcaps_keeps_permitted_but_not_effective)
{
	struct creds c;
	cred_init_root(&c);
	KASSERT_EQ(cred_cap_prctl(&c, PR_SET_KEEPCAPS, 1, 0, 0, 0), 0);
	KASSERT_EQ(cred_cap_prctl(&c, PR_GET_KEEPCAPS, 0, 0, 0, 0), 1);
	KASSERT_EQ(cred_setresuid(&c, 1000, 1000, 1000), 0);
	KASSERT_EQ(c.cap_permitted, CAP_FULL_SET);
	KASSERT_EQ(c.cap_effective, 0);
	/* Effective may be raised again within permitted. */
	KASSERT_EQ(cred_capset(&c, BIT(CAP_SETUID), CAP_FULL_SET, 0), 0);
	KASSERT(capable(&c, CAP_SETUID));
	KASSERT_EQ(cred_cap_prctl(&c, PR_SET_KEEPCAPS, 2, 0, 0, 0), -EINVAL);
}

KTEST(cred_unprivileged_setreuid_rules)
{
	struct creds c = user_creds(1000, 100);
	c.suid = 2000;
	/* ruid may become euid; euid may become any of the three. */
	KASSERT_EQ(cred_setreuid(&c, 3000, KEEP), -EPERM);
	KASSERT_EQ(cred_setreuid(&c, KEEP, 3000), -EPERM);
	KASSERT(c.uid == 1000 && c.euid == 1000 && c.suid == 2000);
	KASSERT_EQ(cred_setreuid(&c, KEEP, 2000), 0);
	/* euid differs from the old ruid: saved follows it. */
	KASSERT(c.uid == 1000 && c.euid == 2000 && c.suid == 2000 && c.fsuid == 2000);
	KASSERT_EQ(cred_setreuid(&c, 2000, 1000), 0);
	KASSERT(c.uid == 2000 && c.euid == 1000 && c.suid == 1000);
	KASSERT_EQ(cred_setreuid(&c, KEEP, 2000), 0);
	/* euid set back to the real uid: saved stays. */
	KASSERT(c.uid == 2000 && c.euid == 2000 && c.suid == 1000);
}

KTEST(cred_unprivileged_setresuid_and_setuid)
{
	struct creds c = user_creds(1000, 100);
	c.euid = c.fsuid = 2000;
	c.suid = 3000;
	KASSERT_EQ(cred_setresuid(&c, 3000, 1000, 2000), 0);
	KASSERT(c.uid == 3000 && c.euid == 1000 && c.suid == 2000 && c.fsuid == 1000);
	KASSERT_EQ(cred_setresuid(&c, KEEP, 4000, KEEP), -EPERM);
	/* setuid without CAP_SETUID changes only the effective uid. */
	KASSERT_EQ(cred_setuid(&c, 2000), 0);
	KASSERT(c.uid == 3000 && c.euid == 2000 && c.suid == 2000);
	KASSERT_EQ(cred_setuid(&c, 1000), -EPERM);
}

KTEST(cred_setfsuid_returns_old_and_moves_fs_capabilities)
{
	struct creds c;
	cred_init_root(&c);
	KASSERT_EQ(cred_setfsuid(&c, 1000), 0);
	KASSERT_EQ(c.fsuid, 1000);
	KASSERT(!capable(&c, CAP_DAC_OVERRIDE) && !capable(&c, CAP_CHOWN));
	KASSERT(capable(&c, CAP_SETUID) && capable(&c, CAP_KILL));
	KASSERT_EQ(cred_setfsuid(&c, KEEP), 1000);
	KASSERT_EQ(cred_setfsuid(&c, 0), 1000);
	KASSERT(capable(&c, CAP_DAC_OVERRIDE) && capable(&c, CAP_CHOWN));
	/* Unprivileged: only one of the other uids, else silently nothing. */
	c = user_creds(1000, 100);
	c.suid = 5;
	KASSERT_EQ(cred_setfsuid(&c, 7), 1000);
	KASSERT_EQ(c.fsuid, 1000);
	KASSERT_EQ(cred_setfsuid(&c, 5), 1000);
	KASSERT_EQ(c.fsuid, 5);
}

KTEST(cred_gid_calls_follow_uid_rules)
{
	struct creds c = user_creds(1000, 100);
	KASSERT_EQ(cred_setgid(&c, 200), -EPERM);
	KASSERT_EQ(cred_setregid(&c, KEEP, 200), -EPERM);
	KASSERT_EQ(cred_setresgid(&c, 200, KEEP, KEEP), -EPERM);
	KASSERT_EQ(cred_setfsgid(&c, 200), 100);
	KASSERT_EQ(c.fsgid, 100);
	KASSERT_EQ(cred_setgroups(&c, NULL, 0), -EPERM);
	cred_init_root(&c);
	KASSERT_EQ(cred_setresgid(&c, 1, 2, 3), 0);
	KASSERT(c.gid == 1 && c.egid == 2 && c.sgid == 3 && c.fsgid == 2);
	KASSERT_EQ(cred_setregid(&c, 5, KEEP), 0);
	KASSERT(c.gid == 5 && c.egid == 2 && c.sgid == 2);
	KASSERT_EQ(cred_setgid(&c, 9), 0);
	KASSERT(c.gid == 9 && c.egid == 9 && c.sgid == 9 && c.fsgid == 9);
	/* Group changes never touch capabilities. */
	KASSERT_EQ(c.cap_effective, CAP_FULL_SET);
}

KTEST(cred_setgroups_sorts_and_limits)
{
	struct creds c;
	const uint32_t g[] = { 30, 10, 20, 10 };
	uint32_t many[CRED_NGROUPS + 1] = { 0 };
	cred_init_root(&c);
	KASSERT_EQ(cred_setgroups(&c, g, 4), 0);
	KASSERT_EQ(c.ngroups, 4);
	KASSERT(c.groups[0] == 10 && c.groups[1] == 10 && c.groups[2] == 20 && c.groups[3] == 30);
	KASSERT(cred_in_group(&c, 20) && cred_in_group(&c, 0) && !cred_in_group(&c, 15));
	KASSERT_EQ(cred_setgroups(&c, many, CRED_NGROUPS + 1), -EINVAL);
	KASSERT_EQ(cred_setgroups(&c, many, CRED_NGROUPS), 0);
	KASSERT_EQ(cred_setgroups(&c, NULL, 0), 0);
	KASSERT_EQ(c.ngroups, 0);
}

KTEST(cred_capset_rules)
{
	struct creds c;
	cred_init_root(&c);
	uint64_t p = CAP_FULL_SET & ~BIT(CAP_SYS_ADMIN);
	KASSERT_EQ(cred_capset(&c, p, p, 0), 0);
	KASSERT_EQ(cred_capset(&c, CAP_FULL_SET, CAP_FULL_SET, 0), -EPERM);
	KASSERT_EQ(cred_capset(&c, CAP_FULL_SET, p, 0), -EPERM);  /* eff > perm */
	KASSERT_EQ(c.cap_effective, p);
	/* Inheritable: with CAP_SETPCAP anything in the bounding set. */
	KASSERT_EQ(cred_capset(&c, p, p, BIT(CAP_SYS_ADMIN)), 0);
	c.cap_bset &= ~BIT(CAP_SYS_BOOT);
	KASSERT_EQ(cred_capset(&c, p, p, BIT(CAP_SYS_BOOT)), -EPERM);
	/* Without CAP_SETPCAP only within inheritable | permitted. */
	uint64_t q = BIT(CAP_KILL);
	KASSERT_EQ(cred_capset(&c, q, q, BIT(CAP_SYS_ADMIN)), 0);
	KASSERT_EQ(cred_capset(&c, q, q, BIT(CAP_SYS_ADMIN) | BIT(CAP_CHOWN)), -EPERM);
	KASSERT_EQ(cred_capset(&c, q, q, BIT(CAP_KILL)), 0);
	/* Bits beyond CAP_LAST_CAP are ignored, not refused. */
	KASSERT_EQ(cred_capset(&c, q | (1ULL << 63), q, 0), 0);
	KASSERT_EQ(c.cap_effective, q);
}

KTEST(cred_bounding_set_prctl)
{
	struct creds c;
	cred_init_root(&c);
	KASSERT_EQ(cred_cap_prctl(&c, PR_CAPBSET_READ, CAP_SYS_ADMIN, 0, 0, 0), 1);
	KASSERT_EQ(cred_cap_prctl(&c, PR_CAPBSET_READ, CAP_LAST_CAP + 1, 0, 0, 0), -EINVAL);
	KASSERT_EQ(cred_cap_prctl(&c, PR_CAPBSET_DROP, CAP_SYS_ADMIN, 0, 0, 0), 0);
	KASSERT_EQ(cred_cap_prctl(&c, PR_CAPBSET_READ, CAP_SYS_ADMIN, 0, 0, 0), 0);
	KASSERT(capable(&c, CAP_SYS_ADMIN)); /* dropping bounds, not removes */
	KASSERT_EQ(cred_cap_prctl(&c, PR_CAPBSET_DROP, 99, 0, 0, 0), -EINVAL);
	c.cap_effective &= ~BIT(CAP_SETPCAP);
	KASSERT_EQ(cred_cap_prctl(&c, PR_CAPBSET_DROP, CAP_KILL, 0, 0, 0), -EPERM);
	KASSERT_EQ(cred_cap_prctl(&c, 12345, 0, 0, 0, 0), -EINVAL);
}

KTEST(cred_securebits_and_locks)
{
	struct creds c;
	cred_init_root(&c);
	KASSERT_EQ(cred_cap_prctl(&c, PR_SET_SECUREBITS,
				  SECBIT_KEEP_CAPS | SECBIT_KEEP_CAPS_LOCKED, 0, 0, 0), 0);
	KASSERT_EQ(cred_cap_prctl(&c, PR_GET_SECUREBITS, 0, 0, 0, 0),
		   SECBIT_KEEP_CAPS | SECBIT_KEEP_CAPS_LOCKED);
	KASSERT_EQ(cred_cap_prctl(&c, PR_SET_KEEPCAPS, 0, 0, 0, 0), -EPERM);
	KASSERT_EQ(cred_cap_prctl(&c, PR_SET_SECUREBITS, SECBIT_KEEP_CAPS_LOCKED, 0, 0, 0),
		   -EPERM);
	KASSERT_EQ(cred_cap_prctl(&c, PR_SET_SECUREBITS, 1U << 20, 0, 0, 0), -EPERM);
	/* NO_SETUID_FIXUP: capabilities survive a uid change untouched. */
	cred_init_root(&c);
	KASSERT_EQ(cred_cap_prctl(&c, PR_SET_SECUREBITS, SECBIT_NO_SETUID_FIXUP, 0, 0, 0), 0);
	KASSERT_EQ(cred_setuid(&c, 1000), 0);
	KASSERT_EQ(c.cap_effective, CAP_FULL_SET);
}

KTEST(cred_ambient_set)
{
	struct creds c;
	cred_init_root(&c);
	KASSERT_EQ(cred_cap_prctl(&c, PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_KILL, 0, 0),
		   -EPERM); /* not inheritable */
	KASSERT_EQ(cred_capset(&c, CAP_FULL_SET, CAP_FULL_SET, BIT(CAP_KILL)), 0);
	KASSERT_EQ(cred_cap_prctl(&c, PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_KILL, 0, 0), 0);
	KASSERT_EQ(cred_cap_prctl(&c, PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_KILL, 0, 0), 1);
	KASSERT_EQ(cred_cap_prctl(&c, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 1, 0, 0), -EINVAL);
	/* Shrinking inheritable shrinks ambient. */
	KASSERT_EQ(cred_capset(&c, CAP_FULL_SET, CAP_FULL_SET, 0), 0);
	KASSERT_EQ(c.cap_ambient, 0);
	KASSERT_EQ(cred_cap_prctl(&c, PR_CAP_AMBIENT, 9, 0, 0, 0), -EINVAL);
}

KTEST(cred_exec_root_and_user)
{
	struct creds c;
	bool secure = true;
	cred_init_root(&c);
	c.cap_bset &= ~BIT(CAP_SYS_MODULE);
	c.cap_effective = 0;
	cred_exec_transition(&c, 0100755, 0, 0, false, &secure);
	KASSERT(!secure);
	KASSERT_EQ(c.cap_permitted, CAP_FULL_SET & ~BIT(CAP_SYS_MODULE));
	KASSERT_EQ(c.cap_effective, c.cap_permitted);
	/* A user with keep-caps loses them on exec. */
	cred_init_root(&c);
	c.securebits = SECBIT_KEEP_CAPS;
	KASSERT_EQ(cred_setuid(&c, 1000), 0);
	KASSERT_EQ(c.cap_permitted, CAP_FULL_SET);
	cred_exec_transition(&c, 0100755, 0, 0, false, &secure);
	KASSERT(!secure);
	KASSERT_EQ(c.cap_permitted, 0);
	KASSERT_EQ(c.securebits, 0);
}

KTEST(cred_exec_ambient_survives)
{
	struct creds c;
	bool secure = true;
	cred_init_root(&c);
	c.securebits = SECBIT_KEEP_CAPS;
	KASSERT_EQ(cred_capset(&c, CAP_FULL_SET, CAP_FULL_SET, BIT(CAP_NET_RAW)), 0);
	KASSERT_EQ(cred_setresuid(&c, 1000, 1000, 1000), 0);
	KASSERT_EQ(cred_cap_prctl(&c, PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_RAW, 0, 0), 0);
	cred_exec_transition(&c, 0100755, 0, 0, false, &secure);
	KASSERT(!secure);
	KASSERT_EQ(c.cap_permitted, BIT(CAP_NET_RAW));
	KASSERT_EQ(c.cap_effective, BIT(CAP_NET_RAW));
}

KTEST(cred_exec_setuid_root_program)
{
	struct creds c = user_creds(1000, 100);
	bool secure = false;
	cred_exec_transition(&c, 0104755, 0, 0, false, &secure);
	KASSERT(secure);
	KASSERT(c.uid == 1000 && c.euid == 0 && c.suid == 0 && c.fsuid == 0);
	KASSERT_EQ(c.cap_effective, CAP_FULL_SET);
	/* nosuid: nothing changes, nothing is secure. */
	c = user_creds(1000, 100);
	cred_exec_transition(&c, 0106755, 0, 0, true, &secure);
	KASSERT(!secure);
	KASSERT(c.euid == 1000 && c.egid == 100 && c.cap_effective == 0);
	/* setgid needs group execute. */
	c = user_creds(1000, 100);
	cred_exec_transition(&c, 0102745, 0, 50, false, &secure);
	KASSERT(!secure && c.egid == 100);
	cred_exec_transition(&c, 0102755, 0, 50, false, &secure);
	KASSERT(secure && c.egid == 50 && c.sgid == 50 && c.gid == 100);
	KASSERT_EQ(c.cap_permitted, 0);
}

KTEST(cred_inode_permission_classes)
{
	struct creds c = user_creds(1000, 100);
	KASSERT_EQ(cred_inode_permission(&c, 0100600, 1000, 0, MAY_READ | MAY_WRITE), 0);
	KASSERT_EQ(cred_inode_permission(&c, 0100600, 1000, 0, MAY_EXEC), -EACCES);
	/* The owner class applies even if "other" would allow more. */
	KASSERT_EQ(cred_inode_permission(&c, 0100007, 1000, 0, MAY_READ), -EACCES);
	KASSERT_EQ(cred_inode_permission(&c, 0100040, 0, 100, MAY_READ), 0);
	KASSERT_EQ(cred_inode_permission(&c, 0100040, 0, 200, MAY_READ), -EACCES);
	const uint32_t g = 200;
	cred_init_root(&c);
	c = user_creds(1000, 100);
	c.cap_effective = c.cap_permitted = BIT(CAP_SETGID);
	KASSERT_EQ(cred_setgroups(&c, &g, 1), 0);
	KASSERT_EQ(cred_inode_permission(&c, 0100040, 0, 200, MAY_READ), 0);
	KASSERT_EQ(cred_inode_permission(&c, 0100004, 0, 300, MAY_READ), 0);
}

KTEST(cred_inode_permission_capabilities)
{
	struct creds c;
	cred_init_root(&c);
	c.fsuid = 1; /* not the owner: only capabilities help */
	KASSERT_EQ(cred_inode_permission(&c, 0100000, 0, 0, MAY_READ | MAY_WRITE), 0);
	KASSERT_EQ(cred_inode_permission(&c, 0100000, 0, 0, MAY_EXEC), -EACCES);
	KASSERT_EQ(cred_inode_permission(&c, 0100001, 0, 0, MAY_EXEC), 0);
	KASSERT_EQ(cred_inode_permission(&c, 0040000, 0, 0, MAY_EXEC | MAY_WRITE), 0);
	c.cap_effective = BIT(CAP_DAC_READ_SEARCH);
	KASSERT_EQ(cred_inode_permission(&c, 0100000, 0, 0, MAY_READ), 0);
	KASSERT_EQ(cred_inode_permission(&c, 0100000, 0, 0, MAY_WRITE), -EACCES);
	KASSERT_EQ(cred_inode_permission(&c, 0040000, 0, 0, MAY_READ | MAY_EXEC), 0);
	KASSERT_EQ(cred_inode_permission(&c, 0040000, 0, 0, MAY_WRITE), -EACCES);
	c.cap_effective = 0;
	KASSERT_EQ(cred_inode_permission(&c, 0100000, 0, 0, MAY_READ), -EACCES);
}

KTEST(cred_ownership_rules)
{
	struct creds c = user_creds(1000, 100);
	const uint32_t g = 200;
	KASSERT_EQ(cred_chown_ok(&c, 1000, 100, KEEP, KEEP), 0);
	KASSERT_EQ(cred_chown_ok(&c, 1000, 100, 1000, 300), -EPERM);
	KASSERT_EQ(cred_chown_ok(&c, 1000, 100, 2000, KEEP), -EPERM);
	KASSERT_EQ(cred_chown_ok(&c, 2000, 100, KEEP, 100), -EPERM);
	c.cap_effective = BIT(CAP_SETGID);
	KASSERT_EQ(cred_setgroups(&c, &g, 1), 0);
	KASSERT_EQ(cred_chown_ok(&c, 1000, 100, 1000, 200), 0);
	c.cap_effective = BIT(CAP_CHOWN);
	KASSERT_EQ(cred_chown_ok(&c, 5, 5, 6, 7), 0);
	KASSERT_EQ(cred_chown_mode(0106755), 0100755);
	KASSERT_EQ(cred_chown_mode(0102745), 0102745);
	KASSERT_EQ(cred_chown_mode(0043755), 0043755);

	uint32_t mode = 02755;
	c = user_creds(1000, 100);
	KASSERT_EQ(cred_chmod_ok(&c, 1000, 300, &mode), 0);
	KASSERT_EQ(mode, 0755);
	KASSERT_EQ(cred_chmod_ok(&c, 2000, 100, &mode), -EPERM);
	KASSERT(cred_owner_or_capable(&c, 1000, CAP_FOWNER));
	KASSERT(!cred_owner_or_capable(&c, 0, CAP_FOWNER));
	KASSERT_EQ(cred_write_kill_suid(&c, 0106755), 0100755);
	KASSERT_EQ(cred_write_kill_suid(&c, 0102745), 0102745);
	cred_init_root(&c);
	KASSERT_EQ(cred_write_kill_suid(&c, 0106755), 0106755);
}

KTEST(cred_new_inode_owner_and_sticky)
{
	struct creds c = user_creds(1000, 100);
	uint32_t mode = 0100644, uid, gid;
	cred_new_inode_owner(&c, 040755, 7, &mode, &uid, &gid);
	KASSERT(uid == 1000 && gid == 100 && mode == 0100644);
	mode = 040755;
	cred_new_inode_owner(&c, 042775, 7, &mode, &uid, &gid);
	KASSERT(gid == 7 && mode == 042755);
	mode = 0102755;
	cred_new_inode_owner(&c, 042775, 7, &mode, &uid, &gid);
	KASSERT(gid == 7 && mode == 0100755);
	KASSERT(cred_sticky_may_delete(&c, 040777, 0, 2000));
	KASSERT(!cred_sticky_may_delete(&c, 041777, 0, 2000));
	KASSERT(cred_sticky_may_delete(&c, 041777, 0, 1000));
	KASSERT(cred_sticky_may_delete(&c, 041777, 1000, 2000));
}

KTEST(cred_signal_and_inspection_rules)
{
	struct creds a = user_creds(1000, 100), b = user_creds(2000, 100);
	KASSERT(!cred_may_signal(&a, &b, 15));
	b.suid = 1000;
	KASSERT(cred_may_signal(&a, &b, 15));
	b.suid = 2000;
	a.euid = 2000;
	KASSERT(cred_may_signal(&a, &b, 15));
	b.uid = b.suid = 3000;
	KASSERT(!cred_may_signal(&a, &b, 15)); /* euid matches only target's euid */
	a.cap_effective = BIT(CAP_KILL);
	KASSERT(cred_may_signal(&a, &b, 15));

	a = user_creds(1000, 100);
	b = user_creds(1000, 100);
	KASSERT(cred_may_ptrace_read(&a, &b) && cred_may_prlimit(&a, &b));
	b.sgid = 5;
	KASSERT(!cred_may_ptrace_read(&a, &b) && !cred_may_prlimit(&a, &b));
	a.cap_effective = BIT(CAP_SYS_RESOURCE);
	KASSERT(!cred_may_ptrace_read(&a, &b) && cred_may_prlimit(&a, &b));
	KASSERT(cred_nproc_exempt(&a));
	a.cap_effective = 0;
	KASSERT(!cred_nproc_exempt(&a));
	a.uid = 0;
	KASSERT(cred_nproc_exempt(&a));
}

KTEST(cred_access_uses_real_ids_and_their_capabilities)
{
	struct creds c;
	cred_init_root(&c);
	KASSERT_EQ(cred_setresuid(&c, 1000, 0, 0), 0);
	cred_access_creds(&c);
	KASSERT(c.fsuid == 1000 && c.fsgid == 0 && c.cap_effective == 0);
	KASSERT_EQ(cred_inode_permission(&c, 0100600, 0, 0, MAY_READ), -EACCES);
	cred_init_root(&c);
	c.euid = c.fsuid = 1000;
	c.cap_effective = 0;
	cred_access_creds(&c);
	KASSERT(c.fsuid == 0 && c.cap_effective == CAP_FULL_SET);
}

KTEST(cred_no_op_calls_change_nothing)
{
	struct creds c = user_creds(1000, 100);
	c.euid = c.fsuid = 2000;
	c.suid = 3000;
	/* A no-op setresuid keeps an fsuid set by setfsuid ... */
	KASSERT_EQ(cred_setfsuid(&c, 3000), 2000);
	KASSERT_EQ(cred_setresuid(&c, KEEP, KEEP, KEEP), 0);
	KASSERT_EQ(c.fsuid, 3000);
	/* ... but not when a given euid differs from the fsuid. */
	KASSERT_EQ(cred_setresuid(&c, KEEP, 2000, KEEP), 0);
	KASSERT_EQ(c.fsuid, 2000);
	/* setreuid has no shortcut: an unchanged euid still moves suid. */
	KASSERT_EQ(cred_setreuid(&c, KEEP, 2000), 0);
	KASSERT_EQ(c.suid, 2000);
	c.sgid = 300;
	KASSERT_EQ(cred_setfsgid(&c, 300), 100);
	KASSERT_EQ(cred_setresgid(&c, 100, KEEP, 300), 0);
	KASSERT_EQ(c.fsgid, 300);
	KASSERT_EQ(cred_setregid(&c, KEEP, 100), 0);
	KASSERT(c.sgid == 300 && c.fsgid == 100);
}
