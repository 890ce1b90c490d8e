/*
 * cred_ids: the setuid family (setuid, setreuid, setresuid, setfsuid and
 * the gid twins), getresuid/getresgid, and supplementary groups, with
 * their EPERM cases as an unprivileged user. Must start as root; each
 * scenario runs in a forked child that gives up root, and the child's
 * TAP lines continue the parent's numbering.
 */
#include <sys/wait.h>
#include <unistd.h>

#include "lib/tap.h"

#define KEEP -1L
#define NOBODY 65534

/* in_child() - run @fn in a child; its checks count as ours. */
static void in_child(const char *what, void (*fn)(void))
{
	int fds[2], st[2], ws = 0;
	long n = -1;

	if (pipe(fds)) {
		ok(0, what);
		return;
	}
	pid_t pid = fork();
	if (pid == 0) {
		close(fds[0]);
		fn();
		st[0] = tap_count;
		st[1] = tap_failed;
		write(fds[1], st, sizeof(st));
		_exit(0);
	}
	close(fds[1]);
	if (pid > 0) {
		n = read(fds[0], st, sizeof(st));
		waitpid(pid, &ws, 0);
	}
	close(fds[0]);
	if (n == (long)sizeof(st)) {
		tap_count = st[0];
		tap_failed = st[1];
	}
	ok_why(n == (long)sizeof(st) && WIFEXITED(ws) && WEXITSTATUS(ws) == 0, what,
	       "child wrote %ld bytes, wait status %#x", n, ws);
}

/* res() - the three ids of getresuid (@nr) packed for comparison. */
static int res_is(long nr, unsigned r, unsigned e, unsigned s, const char *desc)
{
	unsigned v[3] = { ~0u, ~0u, ~0u };
	long ret = sysc(nr, &v[0], &v[1], &v[2]);

	return ok_why(ret == 0 && v[0] == r && v[1] == e && v[2] == s, desc,
		      "ret %ld, ids %u %u %u, want %u %u %u", ret, v[0], v[1], v[2], r, e, s);
}

static long fsuid_now(void)
{
	return sysc(SYS_setfsuid, KEEP);
}

static long fsgid_now(void)
{
	return sysc(SYS_setfsgid, KEEP);
}

static void root_to_nobody(void)
{
	ok_eq(sysc(SYS_setresuid, KEEP, NOBODY, KEEP), 0, "root may set only the effective uid");
	res_is(SYS_getresuid, 0, NOBODY, 0, "getresuid shows real and saved uid 0 kept");
	ok_eq(fsuid_now(), NOBODY, "the fsuid follows the effective uid");
	ok_eq(sysc(SYS_setresuid, KEEP, 0, KEEP), 0, "saved uid 0 lets the effective uid back");
	ok_eq(sysc(SYS_setuid, NOBODY), 0, "setuid as root sets all uids");
	res_is(SYS_getresuid, NOBODY, NOBODY, NOBODY, "getresuid shows 65534 three times");
	ok_eq(sysc(SYS_setuid, 0), -EPERM, "setuid(0) afterwards fails with EPERM");
	ok_eq(sysc(SYS_setresuid, KEEP, 0, KEEP), -EPERM, "setresuid to euid 0 fails with EPERM");
	ok_eq(sysc(SYS_setreuid, 0, KEEP), -EPERM, "setreuid to ruid 0 fails with EPERM");
	ok_eq(sysc(SYS_setreuid, KEEP, 0), -EPERM, "setreuid to euid 0 fails with EPERM");
	ok_eq(sysc(SYS_setuid, NOBODY), 0, "setuid to one's own uid succeeds");
	ok_eq(sysc(SYS_setresuid, KEEP, KEEP, KEEP), 0, "setresuid(-1, -1, -1) succeeds");
	ok_eq(sysc(SYS_setgid, 1), -EPERM, "setgid to another group fails with EPERM");
	ok_eq(sysc(SYS_setgid, 0), 0, "setgid to one's own gid succeeds");
	ok_eq(sysc(SYS_setresgid, 1, KEEP, KEEP), -EPERM, "setresgid to another gid fails with EPERM");
	ok_eq(sysc(SYS_setregid, KEEP, 1), -EPERM, "setregid to another egid fails with EPERM");
	ok_eq(sysc(SYS_setgroups, 0, 0), -EPERM, "setgroups fails with EPERM");
	ok_eq(sysc(SYS_setfsuid, 0), NOBODY, "setfsuid(0) returns the old fsuid ...");
	ok_eq(fsuid_now(), NOBODY, "... and changes nothing");
	ok_eq(sysc(SYS_setfsgid, 1), 0, "setfsgid(1) returns the old fsgid ...");
	ok_eq(fsgid_now(), 0, "... and changes nothing");
	ok_eq(sysc(SYS_kill, getppid(), 0), -EPERM, "kill of a root process fails with EPERM");
}

/* Three different uids: what an unprivileged process may do with them. */
static void unprivileged_uids(void)
{
	ok_eq(sysc(SYS_setresuid, 1000, 2000, 3000), 0, "root sets three distinct uids");
	ok_eq(sysc(SYS_setresuid, KEEP, 4000, KEEP), -EPERM, "setresuid to a fourth uid fails");
	ok_eq(sysc(SYS_setresuid, 3000, 1000, 2000), 0, "setresuid permutes the three uids");
	res_is(SYS_getresuid, 3000, 1000, 2000, "getresuid shows the permutation");
	ok_eq(sysc(SYS_setreuid, KEEP, 3000), 0, "setreuid: euid to the real uid");
	res_is(SYS_getresuid, 3000, 3000, 2000, "saved uid stays when euid becomes the real uid");
	ok_eq(sysc(SYS_setreuid, KEEP, 2000), 0, "setreuid: euid to the saved uid");
	res_is(SYS_getresuid, 3000, 2000, 2000, "saved uid follows an euid other than the real uid");
	ok_eq(sysc(SYS_setreuid, 2000, KEEP), 0, "setreuid: ruid to the effective uid");
	res_is(SYS_getresuid, 2000, 2000, 2000, "setting the real uid sets saved to effective");
	ok_eq(sysc(SYS_setreuid, 3000, KEEP), -EPERM, "setreuid to a lost uid fails with EPERM");
}

static void unprivileged_setuid(void)
{
	ok_eq(sysc(SYS_setresuid, 1000, 2000, 3000), 0, "root sets three distinct uids");
	ok_eq(sysc(SYS_setuid, 3000), 0, "setuid to the saved uid succeeds");
	res_is(SYS_getresuid, 1000, 3000, 3000, "unprivileged setuid changes only the euid");
	ok_eq(sysc(SYS_setuid, 1000), 0, "setuid to the real uid succeeds");
	res_is(SYS_getresuid, 1000, 1000, 3000, "the saved uid is kept");
	ok_eq(sysc(SYS_setuid, 2000), -EPERM, "setuid to a lost uid fails with EPERM");
	ok_eq(fsuid_now(), 1000, "the fsuid is the effective uid");
	ok_eq(sysc(SYS_setfsuid, 4000), 1000, "setfsuid to a foreign uid returns the fsuid ...");
	ok_eq(fsuid_now(), 1000, "... and does not change it");
	ok_eq(sysc(SYS_setfsuid, 3000), 1000, "setfsuid to the saved uid returns the old fsuid ...");
	ok_eq(fsuid_now(), 3000, "... and changes it");
	res_is(SYS_getresuid, 1000, 1000, 3000, "setfsuid leaves the other uids alone");
	ok_eq(sysc(SYS_setresuid, KEEP, KEEP, KEEP), 0, "a setresuid that changes nothing ...");
	ok_eq(fsuid_now(), 3000, "... leaves the fsuid alone");
	ok_eq(sysc(SYS_setresuid, KEEP, 1000, KEEP), 0, "setting the euid ...");
	ok_eq(fsuid_now(), 1000, "... resets the fsuid to it");
	ok_eq(sysc(SYS_setresuid, 3000, 1000, 3000), 0, "swap the real and saved uids");
	ok_eq(sysc(SYS_setreuid, KEEP, 1000), 0, "setreuid to the unchanged euid ...");
	res_is(SYS_getresuid, 3000, 1000, 1000, "... still sets the saved uid to it");
}

static void gid_calls(void)
{
	ok_eq(sysc(SYS_setresgid, 10, 20, 30), 0, "root sets three distinct gids");
	res_is(SYS_getresgid, 10, 20, 30, "getresgid shows them");
	ok_eq(fsgid_now(), 20, "the fsgid follows the effective gid");
	ok_eq(sysc(SYS_setregid, KEEP, 10), 0, "setregid: egid to the real gid");
	res_is(SYS_getresgid, 10, 10, 30, "saved gid stays when egid becomes the real gid");
	ok_eq(sysc(SYS_setfsgid, 77), 10, "root's setfsgid returns the old fsgid ...");
	ok_eq(fsgid_now(), 77, "... and sets any fsgid");
	ok_eq(sysc(SYS_setgid, 40), 0, "root's setgid ...");
	res_is(SYS_getresgid, 40, 40, 40, "... sets all gids");
	ok_eq(fsgid_now(), 40, "... and the fsgid");
	ok_eq(sysc(SYS_setgid, -1), -EINVAL, "setgid(-1) fails with EINVAL");
	ok_eq(sysc(SYS_setresuid, NOBODY, NOBODY, NOBODY), 0, "drop root");
	ok_eq(sysc(SYS_setgid, 41), -EPERM, "unprivileged setgid to another gid fails");
	ok_eq(sysc(SYS_setresgid, 40, 40, 40), 0, "unprivileged setresgid to own gids succeeds");
}

static void groups(void)
{
	unsigned list[3] = { 30, 10, 20 }, got[4] = { 0 };

	ok_eq(sysc(SYS_setgroups, 3, list), 0, "setgroups with three groups");
	ok_eq(sysc(SYS_getgroups, 0, 0), 3, "getgroups(0) counts them");
	ok_eq(sysc(SYS_getgroups, 4, got), 3, "getgroups returns them");
	ok_why(got[0] == 10 && got[1] == 20 && got[2] == 30, "the groups come back sorted",
	       "got %u %u %u", got[0], got[1], got[2]);
	ok_eq(sysc(SYS_getgroups, 2, got), -EINVAL, "getgroups with too small a size: EINVAL");
	ok_eq(sysc(SYS_getgroups, -1, got), -EINVAL, "getgroups with a negative size: EINVAL");
	ok_eq(sysc(SYS_getgroups, 3, BAD_LOW_PTR), -EFAULT, "getgroups to a bad pointer: EFAULT");
	ok_eq(sysc(SYS_setgroups, 2, BAD_LOW_PTR), -EFAULT, "setgroups from a bad pointer: EFAULT");
	ok_eq(sysc(SYS_setgroups, 65537, list), -EINVAL, "setgroups beyond NGROUPS_MAX: EINVAL");
	ok_eq(sysc(SYS_setgroups, -1, list), -EINVAL, "setgroups with a negative size: EINVAL");
	ok_eq(sysc(SYS_getgroups, 0, 0), 3, "failed calls kept the groups");
	ok_eq(sysc(SYS_setgroups, 0, 0), 0, "setgroups(0, NULL) clears them");
	ok_eq(sysc(SYS_getgroups, 0, 0), 0, "getgroups counts none");
	ok_eq(sysc(SYS_setgroups, 1, list), 0, "setgroups with one group");
	ok_eq(sysc(SYS_setuid, NOBODY), 0, "drop root");
	ok_eq(sysc(SYS_getgroups, 1, got), 1, "an unprivileged getgroups works ...");
	ok_eq(got[0], 30, "... and shows the group");
	ok_eq(sysc(SYS_setgroups, 0, 0), -EPERM, "an unprivileged setgroups fails with EPERM");
}

int main(void)
{
	if (sysc(SYS_geteuid) != 0) {
		tap_diag("cred_ids needs to start as root");
		tap_plan(0);
		return 0;
	}
	res_is(SYS_getresuid, (unsigned)sysc(SYS_getuid), (unsigned)sysc(SYS_geteuid), 0,
	       "getresuid agrees with getuid and geteuid");
	res_is(SYS_getresgid, (unsigned)sysc(SYS_getgid), (unsigned)sysc(SYS_getegid),
	       (unsigned)sysc(SYS_getegid), "getresgid agrees with getgid and getegid");
	unsigned v;
	ok_eq(sysc(SYS_getresuid, &v, BAD_LOW_PTR, &v), -EFAULT, "getresuid to a bad pointer: EFAULT");
	ok_eq(sysc(SYS_getresgid, &v, &v, BAD_LOW_PTR), -EFAULT, "getresgid to a bad pointer: EFAULT");
	ok_eq(sysc(SYS_setuid, -1), -EINVAL, "setuid(-1) fails with EINVAL");
	ok_eq(sysc(SYS_setfsuid, KEEP), 0, "setfsuid(-1) returns the fsuid, 0");
	in_child("root to nobody and the EPERM cases", root_to_nobody);
	in_child("unprivileged setreuid and setresuid", unprivileged_uids);
	in_child("unprivileged setuid and setfsuid", unprivileged_setuid);
	in_child("the gid calls", gid_calls);
	in_child("supplementary groups", groups);
	return tap_done();
}
