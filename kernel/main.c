/*
 * kernel_main: the components' entry point. Unpacks the initramfs, starts
 * the first program named on the command line (after "--"), waits for it
 * and powers off with its status, as a shell would report it.
 */
#include <jinux/errno.h>
#include <jinux/heap.h>
#include <jinux/log.h>
#include <jinux/machine.h>
#include <jinux/string.h>
#include <jinux/time.h>
#include <jinux/frame.h>
#include <jinux/task.h>
#include <kernel/console_tty.h>
#include <kernel/exec.h>
#include <kernel/process.h>
#include <kernel/process_internal.h>
#include <kernel/vfs.h>

#define DEFAULT_INIT "/sbin/init"
#define MAX_INIT_ARGS 64

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode %XX escapes in place (the launcher encodes spaces and such). */
static void percent_decode(char *s)
{
	char *d = s;
	for (; *s; s++) {
		if (s[0] == '%' && hexval(s[1]) >= 0 && hexval(s[2]) >= 0) {
			*d++ = (char)(hexval(s[1]) * 16 + hexval(s[2]));
			s += 2;
		} else {
			*d++ = *s;
		}
	}
	*d = '\0';
}

/* Split the words after "--" into @argv; returns argc. */
static int init_args(char *cmdline, const char *argv[], int max)
{
	int argc = 0;
	bool after_dashes = false;
	char *s = cmdline;

	while (*s && argc < max - 1) {
		while (*s == ' ')
			*s++ = '\0';
		if (!*s)
			break;
		char *w = s;
		while (*s && *s != ' ')
			s++;
		if (*s)
			*s++ = '\0';
		if (!after_dashes) {
			after_dashes = !strcmp(w, "--");
			continue;
		}
		percent_decode(w);
		argv[argc++] = w;
	}
	argv[argc] = NULL;
	return argc;
}

static int exec_failure_status(int err)
{
	return err == -ENOENT || err == -ENOTDIR ? 127 : 126;
}

static const char *errname(int err)
{
	switch (err) {
	case -ENOENT: return "No such file or directory";
	case -EACCES: return "Permission denied";
	case -ENOEXEC: return "Exec format error";
	case -E2BIG: return "Argument list too long";
	case -ENOMEM: return "Out of memory";
	case -ENOTDIR: return "Not a directory";
	case -ELOOP: return "Too many levels of symbolic links";
	default: return "Invalid argument";
	}
}

struct usage {
	size_t frames, heap;
	unsigned tasks;
};

static struct usage usage_now(void)
{
	struct usage u = { frames_free(), heap_bytes_in_use(), tasks_alive() };
	return u;
}

static void count_alive(struct process *p, void *arg)
{
	if (p->state == PROC_ALIVE)
		(*(unsigned *)arg)++;
}

static void kill_one(struct process *p, void *arg)
{
	(void)arg;
	if (p->state == PROC_ALIVE)
		process_exit_group(p, W_SIGNALED(SIGKILL, false));
}

static void reap_one(struct process *p, void *arg)
{
	(void)arg;
	process_reap(p);
}

/* After init: kill what is left, wait until all are zombies, reap all. */
static void end_all_processes(void)
{
	for (;;) {
		struct { unsigned alive; } c = { 0 };
		process_for_each(kill_one, NULL);
		process_for_each(count_alive, &c.alive);
		if (!c.alive)
			break;
		task_sleep_ns(NSEC_PER_MSEC);
	}
	process_for_each(reap_one, NULL);
}

void kernel_main(void)
{
	size_t len;
	const void *archive = boot_initramfs(&len);
	int uerr = vfs_mount_root_from_cpio(archive, len);
	if (uerr)
		pr_err("initramfs: corrupt archive (%d); using what was unpacked", uerr);

	size_t cl = strlen(boot_cmdline());
	char *cmdline = kmalloc(cl + 1);
	BUG_ON(!cmdline);
	memcpy(cmdline, boot_cmdline(), cl + 1);
	const char *argv[MAX_INIT_ARGS];
	if (init_args(cmdline, argv, MAX_INIT_ARGS) == 0) {
		argv[0] = DEFAULT_INIT;
		argv[1] = NULL;
	}
	static const char *const envp[] = { "HOME=/", "TERM=linux", NULL };

	console_tty_init();
	if (signal_timers_start())
		pr_err("no signal timer task: alarm and timers will fail");
	struct usage before = usage_now();
	struct process *init;
	int err = process_spawn_init(argv[0], argv, envp, &init);
	if (err) {
		pr_err("cannot execute %s: %s", argv[0], errname(err));
		machine_exit(exec_failure_status(err));
	}
	console_tty_set_controlling(init->sid, init->pgid);
	pr_info("%s started %llu us after boot", argv[0],
		(unsigned long long)(clock_monotonic_ns() / NSEC_PER_USEC));
	int status = process_wait_exit(init);
	end_all_processes();
	exec_cache_flush();
	struct usage after = usage_now();
	/* The leak check: after every process is gone, the kernel holds what
	 * it held before the first one started (tests read this line). */
	pr_info("memory at power-off: %zu free frames (%zu at start), %zu heap bytes (%zu), "
		"%u tasks (%u)", after.frames, before.frames, after.heap, before.heap,
		after.tasks, before.tasks);
	kfree(cmdline);
	/* Report like a shell: exit code, or 128 + the killing signal. */
	machine_exit((status & 0x7f) ? 128 + (status & 0x7f) : (status >> 8) & 0xff);
}
