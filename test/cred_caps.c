/*
 * cred_caps: capabilities(7) through capget/capset and prctl: the version
 * handshake and its EINVAL/EFAULT cases, root's sets, a capset round
 * trip and its EPERM cases, the sets lost on setuid to non-root, keep-
 * caps, the bounding set, the ambient set and securebits; and that root
 * without CAP_SETUID is powerless to change uids. Must start as root;
 * each scenario runs in a forked child.
 */
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/tap.h"

#define V1 0x19980330u
#define V2 0x20071026u
#define V3 0x20080522u
#define NOBODY 65534
#define LAST_CAP 40
#define CAP_KILL 5
#define CAP_SETUID 7
#define CAP_SETPCAP 8
#define CAP_NET_RAW 13
#define CAP_SYS_ADMIN 21
#define BIT(c) (1ULL << (c))

struct hdr {
	unsigned version;
	int pid;
};
struct data {
	unsigned eff, perm, inh;
};
struct sets {
	unsigned long long eff, perm, inh;
};

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

static long get_sets(int pid, struct sets *s)
{
	struct hdr h = { V3, pid };
	struct data d[2] = { 0 };
	long r = sysc(SYS_capget, &h, d);

	s->eff = d[0].eff | (unsigned long long)d[1].eff << 32;
	s->perm = d[0].perm | (unsigned long long)d[1].perm << 32;
	s->inh = d[0].inh | (unsigned long long)d[1].inh << 32;
	return r;
}

static long set_sets(unsigned long long eff, unsigned long long perm, unsigned long long inh)
{
	struct hdr h = { V3, 0 };
	struct data d[2] = { { (unsigned)eff, (unsigned)perm, (unsigned)inh },
			     { (unsigned)(eff >> 32), (unsigned)(perm >> 32), (unsigned)(inh >> 32) } };
	return sysc(SYS_capset, &h, d);
}

static unsigned long long bounding_set(void)
{
	unsigned long long b = 0;
	for (int c = 0; c <= LAST_CAP; c++)
		if (sysc(SYS_prctl, PR_CAPBSET_READ, c, 0, 0, 0) == 1)
			b |= BIT(c);
	return b;
}

static void version_handshake(void)
{
	struct hdr h = { 0x12345678, 0 };
	struct data d[2];

	ok_eq(sysc(SYS_capget, &h, 0), 0, "capget with a bad version and no data returns 0 ...");
	ok_eq(h.version, V3, "... and writes the preferred version back");
	h.version = 1;
	ok_eq(sysc(SYS_capget, &h, d), -EINVAL, "capget with a bad version and data: EINVAL ...");
	ok_eq(h.version, V3, "... and writes the version back");
	h.version = 1;
	ok_eq(sysc(SYS_capset, &h, d), -EINVAL, "capset with a bad version: EINVAL");
	ok_eq(h.version, V3, "capset writes the version back too");
	ok_eq(sysc(SYS_capget, BAD_LOW_PTR, d), -EFAULT, "capget with a bad header: EFAULT");
	ok_eq(sysc(SYS_capget, &h, BAD_LOW_PTR), -EFAULT, "capget with bad data: EFAULT");
	ok_eq(sysc(SYS_capset, &h, BAD_LOW_PTR), -EFAULT, "capset with bad data: EFAULT");
	h.pid = -1;
	ok_eq(sysc(SYS_capget, &h, d), -EINVAL, "capget of pid -1: EINVAL");
	h.pid = 0x3fffffff;
	ok_eq(sysc(SYS_capget, &h, d), -ESRCH, "capget of a missing pid: ESRCH");
	h.pid = (int)sysc(SYS_getpid) + 100000;
	ok_eq(sysc(SYS_capset, &h, d), -EPERM, "capset of another pid: EPERM");
}

static void root_sets(void)
{
	struct sets s, self;
	struct hdr h = { V1, 0 };
	struct data d[2] = { { 0 }, { 7, 7, 7 } };
	unsigned long long bset = bounding_set();

	ok_eq(get_sets(0, &s), 0, "capget of pid 0 (version 3)");
	ok_why(s.perm == bset && s.eff == s.perm, "root holds its whole bounding set",
	       "eff %#llx perm %#llx bset %#llx", s.eff, s.perm, bset);
	ok_why((bset & BIT(CAP_SETUID)) && (bset & BIT(CAP_SYS_ADMIN)) && (bset & BIT(CAP_KILL)),
	       "the bounding set has CAP_SETUID, CAP_KILL, CAP_SYS_ADMIN", "bset %#llx", bset);
	ok_eq(get_sets((int)sysc(SYS_getpid), &self), 0, "capget of one's own pid");
	ok_why(self.eff == s.eff && self.perm == s.perm && self.inh == s.inh,
	       "own pid and pid 0 agree", "%#llx vs %#llx", self.eff, s.eff);
	ok_eq(sysc(SYS_capget, &h, d), 0, "capget version 1");
	ok_why(d[0].eff == (unsigned)s.eff && d[1].eff == 7, "version 1 fills one word only",
	       "d0 %#x d1 %#x", d[0].eff, d[1].eff);
	h.version = V2;
	ok_eq(sysc(SYS_capget, &h, d), 0, "capget version 2");
	ok_eq(sysc(SYS_prctl, PR_CAPBSET_READ, LAST_CAP + 1, 0, 0, 0), -EINVAL,
	      "PR_CAPBSET_READ beyond the last capability: EINVAL");
	ok_eq(sysc(SYS_prctl, PR_GET_SECUREBITS, 0, 0, 0, 0), 0, "no securebits at start");
	ok_eq(sysc(SYS_prctl, PR_GET_KEEPCAPS, 0, 0, 0, 0), 0, "keep-caps off at start");
}

static void capset_round_trip(void)
{
	struct sets s, t;
	get_sets(0, &s);
	unsigned long long p = s.perm & ~BIT(CAP_SYS_ADMIN);

	ok_eq(set_sets(p, p, 0), 0, "capset drops CAP_SYS_ADMIN");
	get_sets(0, &t);
	ok_why(t.eff == p && t.perm == p && t.inh == 0, "capget shows it dropped",
	       "eff %#llx perm %#llx", t.eff, t.perm);
	ok_eq(set_sets(p, s.perm, 0), -EPERM, "capset cannot raise permitted again: EPERM");
	ok_eq(set_sets(s.perm, p, 0), -EPERM, "capset: effective beyond permitted: EPERM");
	ok_eq(set_sets(p & ~BIT(CAP_SETUID), p, 0), 0, "capset drops CAP_SETUID from effective");
	ok_eq(sysc(SYS_setuid, 1000), -EPERM, "uid 0 without CAP_SETUID cannot setuid: EPERM");
	ok_eq(set_sets(p, p, 0), 0, "capset raises it again from permitted");
	ok_eq(sysc(SYS_prctl, PR_CAPBSET_DROP, CAP_NET_RAW, 0, 0, 0), 0, "PR_CAPBSET_DROP");
	ok_eq(sysc(SYS_prctl, PR_CAPBSET_READ, CAP_NET_RAW, 0, 0, 0), 0, "PR_CAPBSET_READ shows it gone");
	ok_eq(set_sets(p, p, BIT(CAP_NET_RAW)), -EPERM,
	      "inheritable outside the bounding set: EPERM");
	ok_eq(set_sets(p, p, BIT(CAP_KILL)), 0, "inheritable within the bounding set");
	ok_eq(set_sets(p & ~BIT(CAP_SETPCAP), p, BIT(CAP_KILL)), 0, "drop CAP_SETPCAP");
	ok_eq(sysc(SYS_prctl, PR_CAPBSET_DROP, CAP_KILL, 0, 0, 0), -EPERM,
	      "PR_CAPBSET_DROP without CAP_SETPCAP: EPERM");
	ok_eq(sysc(SYS_prctl, PR_SET_SECUREBITS, 0x10, 0, 0, 0), -EPERM,
	      "PR_SET_SECUREBITS without CAP_SETPCAP: EPERM");
}

static void setuid_loses_caps(void)
{
	struct sets s;
	ok_eq(sysc(SYS_setresuid, -1, NOBODY, -1), 0, "seteuid(65534) as root");
	get_sets(0, &s);
	ok_why(s.eff == 0 && s.perm != 0, "effective emptied, permitted kept",
	       "eff %#llx perm %#llx", s.eff, s.perm);
	ok_eq(sysc(SYS_setresuid, -1, 0, -1), 0, "seteuid(0) again");
	get_sets(0, &s);
	ok_why(s.eff == s.perm && s.eff != 0, "effective refilled from permitted",
	       "eff %#llx perm %#llx", s.eff, s.perm);
	ok_eq(sysc(SYS_setuid, NOBODY), 0, "setuid(65534) as root");
	get_sets(0, &s);
	ok_why(s.eff == 0 && s.perm == 0 && s.inh == 0, "all capabilities lost",
	       "eff %#llx perm %#llx inh %#llx", s.eff, s.perm, s.inh);
	ok_eq(set_sets(BIT(CAP_KILL), BIT(CAP_KILL), 0), -EPERM, "capset cannot get them back");
	ok_eq(sysc(SYS_prctl, PR_CAPBSET_DROP, CAP_KILL, 0, 0, 0), -EPERM,
	      "PR_CAPBSET_DROP as nobody: EPERM");
}

static void keep_caps(void)
{
	struct sets before, s;
	get_sets(0, &before);
	ok_eq(sysc(SYS_prctl, PR_SET_KEEPCAPS, 2, 0, 0, 0), -EINVAL, "PR_SET_KEEPCAPS 2: EINVAL");
	ok_eq(sysc(SYS_prctl, PR_SET_KEEPCAPS, 1, 0, 0, 0), 0, "PR_SET_KEEPCAPS 1");
	ok_eq(sysc(SYS_prctl, PR_GET_KEEPCAPS, 0, 0, 0, 0), 1, "PR_GET_KEEPCAPS says 1");
	ok_eq(sysc(SYS_prctl, PR_GET_SECUREBITS, 0, 0, 0, 0), 0x10,
	      "keep-caps is SECBIT_KEEP_CAPS in the securebits");
	ok_eq(sysc(SYS_setresuid, NOBODY, NOBODY, NOBODY), 0, "setresuid to 65534");
	get_sets(0, &s);
	ok_why(s.perm == before.perm && s.eff == 0, "permitted kept, effective emptied",
	       "eff %#llx perm %#llx", s.eff, s.perm);
	ok_eq(set_sets(BIT(CAP_SETUID), s.perm, 0), 0, "raise CAP_SETUID into effective");
	ok_eq(sysc(SYS_setresuid, 0, 0, 0), 0, "CAP_SETUID lets nobody become root again");
	get_sets(0, &s);
	ok_why(s.eff == s.perm && s.perm == before.perm, "euid 0 refills the effective set",
	       "eff %#llx perm %#llx", s.eff, s.perm);
}

static void ambient(void)
{
	struct sets s;
	get_sets(0, &s);
	ok_eq(sysc(SYS_prctl, PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_RAW, 0, 0), -EPERM,
	      "ambient raise of a non-inheritable capability: EPERM");
	ok_eq(set_sets(s.eff, s.perm, BIT(CAP_NET_RAW)), 0, "make CAP_NET_RAW inheritable");
	ok_eq(sysc(SYS_prctl, PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_RAW, 0, 0), 0,
	      "ambient raise");
	ok_eq(sysc(SYS_prctl, PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_NET_RAW, 0, 0), 1,
	      "PR_CAP_AMBIENT_IS_SET says 1");
	ok_eq(sysc(SYS_prctl, PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, LAST_CAP + 1, 0, 0), -EINVAL,
	      "PR_CAP_AMBIENT_IS_SET of an unknown capability: EINVAL");
	ok_eq(set_sets(s.eff, s.perm, 0), 0, "clear the inheritable set");
	ok_eq(sysc(SYS_prctl, PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_NET_RAW, 0, 0), 0,
	      "the ambient capability went with it");
	ok_eq(sysc(SYS_prctl, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0), 0,
	      "PR_CAP_AMBIENT_CLEAR_ALL");
}

int main(void)
{
	if (sysc(SYS_geteuid) != 0) {
		tap_diag("cred_caps needs to start as root");
		tap_plan(0);
		return 0;
	}
	version_handshake();
	root_sets();
	in_child("capset round trip", capset_round_trip);
	in_child("setuid to non-root loses the capabilities", setuid_loses_caps);
	in_child("keep-caps across setuid", keep_caps);
	in_child("the ambient set", ambient);
	return tap_done();
}
