/*
 * reboot(2): the error cases, in Linux's order (capability, then magic,
 * then command), safe to run natively as root: every call here either
 * fails or, in Jinux only, only records the Ctrl-Alt-Del setting.
 *
 *   reboot                      the error cases (TAP)
 *   reboot power-off|halt|restart
 *                               Jinux only: that command must power the
 *                               machine off with status 0 (the runner
 *                               checks the status); refuses elsewhere.
 */
#include <stdlib.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/tap.h"

#define MAGIC1 0xfee1deadL
#define MAGIC2 672274793L
#define MAGIC2A 85072278L
#define MAGIC2B 369367448L
#define MAGIC2C 537993216L
#define CMD_RESTART 0x01234567L
#define CMD_HALT 0xcdef0123L
#define CMD_CAD_ON 0x89abcdefL
#define CMD_CAD_OFF 0x00000000L
#define CMD_POWER_OFF 0x4321fedcL
#define CMD_RESTART2 0xa1b2c3d4L
#define CMD_UNKNOWN 0x13572468L /* no such command */
#define CAP_SYS_BOOT_BIT 22
#define CAP_V3 0x20080522u

/* capget/capset's header and per-32-bit data (linux/capability.h). */
struct cap_header {
	unsigned version;
	int pid;
};
struct cap_data {
	unsigned effective, permitted, inheritable;
};

static int on_jinux(void)
{
	struct utsname u;
	return uname(&u) == 0 && strstr(u.release, "jinux") != NULL;
}

static int has_sys_boot(void)
{
	struct cap_header h = { CAP_V3, 0 };
	struct cap_data d[2];

	if (sysc(SYS_capget, &h, d))
		return 0;
	return (d[0].effective >> CAP_SYS_BOOT_BIT) & 1;
}

/* Clear CAP_SYS_BOOT from the effective set; Return: it is gone. */
static int drop_sys_boot(void)
{
	struct cap_header h = { CAP_V3, 0 };
	struct cap_data d[2];

	if (sysc(SYS_capget, &h, d))
		return 0;
	d[0].effective &= ~(1U << CAP_SYS_BOOT_BIT);
	if (sysc(SYS_capset, &h, d))
		return 0;
	return !has_sys_boot();
}

/*
 * Without CAP_SYS_BOOT everything is EPERM, even bad magic. Runs in a
 * child so that the test keeps its capability; the child reports its
 * results as an exit code: bit 0 for each failed check, 0x80 for "could
 * not drop the capability" (then it calls nothing).
 */
static void eperm_without_capability(void)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		int bad = 0;
		if (!drop_sys_boot())
			_exit(0x80);
		if (sysc(SYS_reboot, MAGIC1, MAGIC2, CMD_UNKNOWN, 0) != -EPERM)
			bad |= 1;
		if (sysc(SYS_reboot, 1, 2, CMD_CAD_OFF, 0) != -EPERM)
			bad |= 2;
		_exit(bad);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st)) {
		ok(0, "a child without CAP_SYS_BOOT ran");
		return;
	}
	if (WEXITSTATUS(st) == 0x80) {
		tap_printf("ok %d - without CAP_SYS_BOOT: EPERM # SKIP cannot drop it\n",
			   ++tap_count);
		tap_printf("ok %d - without CAP_SYS_BOOT: EPERM before the magic check "
			   "# SKIP cannot drop it\n", ++tap_count);
		return;
	}
	ok_why(!(WEXITSTATUS(st) & 1), "without CAP_SYS_BOOT: EPERM",
	       "child status %d", WEXITSTATUS(st));
	ok_why(!(WEXITSTATUS(st) & 2), "without CAP_SYS_BOOT: EPERM before the magic check",
	       "child status %d", WEXITSTATUS(st));
}

static void skip(const char *desc, const char *why)
{
	tap_printf("ok %d - %s # SKIP %s\n", ++tap_count, desc, why);
}

static void with_capability(void)
{
	static const long magic2[] = { MAGIC2, MAGIC2A, MAGIC2B, MAGIC2C };

	if (!has_sys_boot()) {
		skip("bad magic1: EINVAL", "no CAP_SYS_BOOT");
		skip("bad magic2: EINVAL", "no CAP_SYS_BOOT");
		skip("unknown command: EINVAL", "no CAP_SYS_BOOT");
		return;
	}
	/* CAD_OFF with bad magic: harmless even if the magic were ignored. */
	ok_eq(sysc(SYS_reboot, 0xfee1deaeL, MAGIC2, CMD_CAD_OFF, 0), -EINVAL,
	      "bad magic1: EINVAL");
	ok_eq(sysc(SYS_reboot, MAGIC1, 12345, CMD_CAD_OFF, 0), -EINVAL,
	      "bad magic2: EINVAL");
	for (size_t i = 0; i < sizeof(magic2) / sizeof(magic2[0]); i++) {
		char desc[80];
		snprintf(desc, sizeof(desc), "unknown command with magic2 %#lx: EINVAL", magic2[i]);
		ok_eq(sysc(SYS_reboot, MAGIC1, magic2[i], CMD_UNKNOWN, 0), -EINVAL, desc);
	}
	/* The upper 32 bits of the arguments are not part of them (int). */
	ok_eq(sysc(SYS_reboot, 0x100000000L | MAGIC1, MAGIC2, 0x100000000L | CMD_UNKNOWN, 0),
	      -EINVAL, "arguments are 32-bit: the unknown command still gives EINVAL");
	if (!on_jinux()) {
		/* These would change the host's Ctrl-Alt-Del or restart it. */
		skip("CAD_ON and CAD_OFF succeed with each magic2", "native: changes the host");
		skip("RESTART2 with a bad string pointer: EFAULT", "native: would restart");
		return;
	}
	int good = 1;
	for (size_t i = 0; i < sizeof(magic2) / sizeof(magic2[0]); i++) {
		good &= sysc(SYS_reboot, MAGIC1, magic2[i], CMD_CAD_OFF, 0) == 0;
		good &= sysc(SYS_reboot, MAGIC1, magic2[i], CMD_CAD_ON, 0) == 0;
	}
	ok(good, "CAD_ON and CAD_OFF succeed with each magic2");
	ok_eq(sysc(SYS_reboot, MAGIC1, MAGIC2, CMD_RESTART2, BAD_LOW_PTR), -EFAULT,
	      "RESTART2 with a bad string pointer: EFAULT");
}

static int power_off_mode(const char *mode)
{
	long cmd = !strcmp(mode, "power-off") ? CMD_POWER_OFF :
		   !strcmp(mode, "halt") ? CMD_HALT :
		   !strcmp(mode, "restart") ? CMD_RESTART : 0;
	if (!cmd || !on_jinux()) {
		tap_printf("reboot: '%s' refused (unknown, or not on Jinux)\n", mode);
		return 2;
	}
	long r = sysc(SYS_reboot, MAGIC1, MAGIC2, cmd, 0);
	tap_printf("reboot: %s returned %ld\n", mode, r);
	return 1;
}

int main(int argc, char **argv)
{
	if (argc > 1)
		return power_off_mode(argv[1]);
	eperm_without_capability();
	with_capability();
	return tap_done();
}
