/*
 * init: Jinux's default first program (/sbin/init). It plays the part of
 * a minimal System V init for a single console:
 *
 *  - makes sure /dev, /proc and /tmp exist and mounts what the kernel has
 *    not mounted already (devtmpfs on /dev, a tmpfs on /tmp, proc on
 *    /proc where the kernel has one);
 *  - makes the console its controlling terminal;
 *  - runs a login-less shell (/bin/sh, BusyBox ash) in a process group
 *    of its own that owns the terminal, and reaps every child, orphans
 *    included, while it runs;
 *  - when the shell ends (exit, ^D) stops everything else, syncs and
 *    powers off. A shell that ends with status 0 powers off through
 *    reboot(RB_POWER_OFF), as on Linux; any other status (exit N, or
 *    128 + N when signal N killed it) is handed to the kernel by init's
 *    own exit, which Jinux turns into the machine's exit status.
 *  - SIGUSR2, SIGUSR1 and SIGTERM (what BusyBox's poweroff, halt and
 *    reboot send to pid 1) power off with status 0.
 *
 * The shell is not respawned: on a one-console machine the shell's end
 * is the session's end. See docs/init.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define SHELL "/bin/sh"

static volatile sig_atomic_t shutdown_signal;

static void warn(const char *what, const char *arg)
{
	dprintf(2, "init: %s %s: %s\n", what, arg, strerror(errno));
}

/* Is @path the root of a mount (on a different device from its parent)? */
static int is_mount_point(const char *path)
{
	char parent[64];
	struct stat st, pst;

	snprintf(parent, sizeof(parent), "%s/..", path);
	if (stat(path, &st) || stat(parent, &pst))
		return 0;
	return st.st_dev != pst.st_dev || st.st_ino == pst.st_ino;
}

/*
 * mount_if_missing() - mount @type at @dir unless something is mounted
 * there already. @quiet_enodev: the file system may not exist (proc).
 */
static void mount_if_missing(const char *type, const char *dir, unsigned long flags,
			     const char *data, int quiet_enodev)
{
	if (mkdir(dir, 0755) && errno != EEXIST) {
		warn("cannot create", dir);
		return;
	}
	if (is_mount_point(dir))
		return;
	if (mount(type, dir, type, flags, data) == 0)
		return;
	if (!(quiet_enodev && errno == ENODEV))
		warn("cannot mount", dir);
}

static void mount_file_systems(void)
{
	mount_if_missing("devtmpfs", "/dev", MS_NOSUID, "mode=0755", 0);
	mount_if_missing("proc", "/proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, 1);
	mount_if_missing("tmpfs", "/tmp", MS_NOSUID | MS_NODEV, "mode=1777", 0);
}

/*
 * Descriptors 0-2 on the console: the kernel normally hands them over
 * open; if one is missing, open /dev/console for it.
 */
static void open_console(void)
{
	for (int fd = 0; fd < 3; fd++) {
		if (fcntl(fd, F_GETFD) != -1)
			continue;
		int c = open("/dev/console", O_RDWR | O_NOCTTY);
		if (c >= 0 && c != fd) {
			dup2(c, fd);
			close(c);
		}
	}
}

/*
 * Become a session leader with the console as the controlling terminal.
 * Linux starts pid 1 as the leader of session 0's successor already, and
 * setsid() fails with EPERM for a process group leader: only try it when
 * init is not leading its own session. On a console that is not a
 * terminal (a pipe) TIOCSCTTY fails with ENOTTY, which is fine.
 */
static void take_console(void)
{
	if (getsid(0) != getpid())
		setsid();
	if (isatty(0))
		ioctl(0, TIOCSCTTY, 0);
}

static void banner(void)
{
	struct utsname u;

	if (uname(&u))
		strcpy(u.release, "?");
	printf("Jinux init: %s %s %s. Type 'exit' or Ctrl-D to power off.\n",
	       u.sysname, u.release, u.machine);
	fflush(stdout);
}

static void on_shutdown(int sig)
{
	shutdown_signal = sig;
}

/*
 * Init's own signals: the power-off requests are caught; the terminal's
 * job-control signals are ignored so that a ^C or ^Z that reaches init,
 * or a tcsetpgrp() from it, cannot stop or kill it.
 */
static void init_signals(void)
{
	struct sigaction sa = { .sa_handler = on_shutdown };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	signal(SIGTSTP, SIG_IGN);
	signal(SIGTTIN, SIG_IGN);
	signal(SIGTTOU, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
}

static void default_signals(void)
{
	static const int sigs[] = { SIGTERM, SIGUSR1, SIGUSR2, SIGINT, SIGQUIT,
				    SIGTSTP, SIGTTIN, SIGTTOU, SIGHUP };
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		signal(sigs[i], SIG_DFL);
}

/*
 * Start the shell in a new process group that owns the terminal. Both
 * parent and child set the group and the terminal's foreground group, so
 * neither order of running after fork() leaves a window.
 */
static pid_t start_shell(void)
{
	static char *const argv[] = { "-sh", NULL };
	static char *const envp[] = { "HOME=/", "TERM=linux", "SHELL=" SHELL, "USER=root",
				      "LOGNAME=root",
				      "PATH=/sbin:/usr/sbin:/bin:/usr/bin", NULL };
	pid_t pid = fork();

	if (pid < 0) {
		warn("cannot fork for", SHELL);
		return -1;
	}
	if (pid == 0) {
		setpgid(0, 0);
		if (isatty(0))
			tcsetpgrp(0, getpid());
		default_signals();
		chdir("/");
		execve(SHELL, argv, envp);
		warn("cannot execute", SHELL);
		_exit(errno == ENOENT ? 127 : 126);
	}
	setpgid(pid, pid);
	if (isatty(0))
		tcsetpgrp(0, pid);
	return pid;
}

/* Reap children until @shell ends or a power-off signal arrives. */
static int wait_for_shell(pid_t shell)
{
	for (;;) {
		int st;
		pid_t pid = waitpid(-1, &st, 0);

		if (pid == shell)
			return st;
		if (pid < 0 && errno == EINTR && shutdown_signal)
			return 0;
		if (pid < 0 && errno == ECHILD)
			return 0; /* cannot happen while the shell lives */
	}
}

/* Reap what has ended; returns whether any child is left. */
static int reap_all(void)
{
	for (;;) {
		pid_t pid = waitpid(-1, NULL, WNOHANG);

		if (pid > 0)
			continue;
		return pid == 0;
	}
}

/*
 * Stop every other process: SIGTERM (and SIGCONT for stopped jobs), up
 * to a second for them to go, then SIGKILL. kill(-1) never signals init.
 */
static void stop_everything(void)
{
	struct timespec tick = { 0, 20 * 1000 * 1000 };

	kill(-1, SIGTERM);
	kill(-1, SIGCONT);
	for (int i = 0; i < 50 && reap_all(); i++)
		nanosleep(&tick, NULL);
	kill(-1, SIGKILL);
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
}

/* The shell's end as a shell would report it: N, or 128 + signal. */
static int shell_status(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return 0;
}

static void power_off(int status)
{
	stop_everything();
	sync();
	if (status == 0) {
		reboot(RB_POWER_OFF);
		warn("cannot power off", "(reboot)");
	}
	/* Jinux powers off when init exits, reporting its status. */
	exit(status);
}

int main(void)
{
	open_console();
	init_signals();
	mount_file_systems();
	take_console();
	banner();
	pid_t shell = start_shell();
	if (shell < 0)
		power_off(1);
	int st = wait_for_shell(shell);
	power_off(shutdown_signal ? 0 : shell_status(st));
}
