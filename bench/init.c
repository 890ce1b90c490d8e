/*
 * The /init of the benchmark initramfs under Linux and User-Mode Linux.
 * (Jinux runs the benchmark directly as its first program.)
 *
 * It prints "init: up" first thing (the boot-time mark), mounts /proc and
 * a tmpfs on /tmp, runs the command given after "--" on the kernel command
 * line (if any), reports its status as "init: exit N", and powers off.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/wait.h>
#include <unistd.h>

static void say(const char *s)
{
	if (write(1, s, strlen(s)) < 0)
		return;
}

/* Without /dev/console in the archive the kernel gives init no stdio. */
static void ensure_console(void)
{
	int fd;

	if (fcntl(1, F_GETFD) >= 0)
		return;
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	fd = open("/dev/console", O_RDWR);
	if (fd < 0)
		return;
	dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	if (fd > 2)
		close(fd);
}

static int run(char **argv)
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		return 255;
	if (pid == 0) {
		execv(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) < 0)
		return 255;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int main(int argc, char **argv)
{
	char line[32];

	ensure_console();
	say("init: up\n");
	if (argc > 1) {
		mount("proc", "/proc", "proc", 0, NULL);
		mount("tmpfs", "/tmp", "tmpfs", 0, "mode=1777");
		snprintf(line, sizeof(line), "init: exit %d\n", run(argv + 1));
		say(line);
	}
	sync();
	reboot(RB_POWER_OFF);
	for (;;)
		pause();
}
