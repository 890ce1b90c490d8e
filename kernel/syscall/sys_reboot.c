/*
 * reboot(2): power the machine off. Jinux has no restart, so every
 * command that would leave the running kernel (power off, halt, restart)
 * powers off and reports status 0 to whoever launched the machine, as a
 * clean shutdown. Ctrl-Alt-Del has no meaning on a console without that
 * key chord, so CAD_ON/CAD_OFF are only recorded.
 */
#include <jinux/errno.h>
#include <jinux/log.h>
#include <jinux/machine.h>
#include <jinux/uaccess.h>
#include <kernel/cred.h>
#include <kernel/process.h>
#include <kernel/syscall.h>
#include <uapi/capability.h>
#include <uapi/reboot.h>

/* What Ctrl-Alt-Del would do: 1 reboot at once, 0 signal init (Linux's C_A_D). */
static bool cad_reboots = true;

static bool magic_ok(uint32_t magic1, uint32_t magic2)
{
	return magic1 == LINUX_REBOOT_MAGIC1 &&
	       (magic2 == LINUX_REBOOT_MAGIC2 || magic2 == LINUX_REBOOT_MAGIC2A ||
		magic2 == LINUX_REBOOT_MAGIC2B || magic2 == LINUX_REBOOT_MAGIC2C);
}

static __noreturn void power_off(const char *why)
{
	pr_info("reboot: %s", why);
	machine_exit(0);
}

/* RESTART2 carries a command string; Linux copies it in (EFAULT) before acting. */
static long check_restart2_arg(struct thread *t, uint64_t arg)
{
	char cmd[256];
	long n = strncpy_from_user(t->proc->mm->vs, cmd, user_ptr(arg), sizeof(cmd));
	return n < 0 ? -EFAULT : 0;
}

long sys_reboot(struct thread *t, const uint64_t a[6])
{
	uint32_t magic1 = (uint32_t)a[0], magic2 = (uint32_t)a[1], cmd = (uint32_t)a[2];

	/* Linux's order: the capability first, then the magic, then the command. */
	if (!capable(&t->proc->cred, CAP_SYS_BOOT))
		return -EPERM;
	if (!magic_ok(magic1, magic2))
		return -EINVAL;
	switch (cmd) {
	case LINUX_REBOOT_CMD_CAD_ON:
		cad_reboots = true;
		return 0;
	case LINUX_REBOOT_CMD_CAD_OFF:
		cad_reboots = false;
		return 0;
	case LINUX_REBOOT_CMD_POWER_OFF:
		power_off("power down");
	case LINUX_REBOOT_CMD_HALT:
		power_off("system halted");
	case LINUX_REBOOT_CMD_RESTART:
		power_off("restart requested; Jinux cannot restart, powering off");
	case LINUX_REBOOT_CMD_RESTART2: {
		long err = check_restart2_arg(t, a[3]);
		if (err)
			return err;
		power_off("restart requested; Jinux cannot restart, powering off");
	}
	default:
		/* Includes KEXEC and SW_SUSPEND, as on a Linux built without them. */
		return -EINVAL;
	}
}
