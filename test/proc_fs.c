/*
 * proc_fs: procfs as proc(5) describes it. /proc/self/{stat,status,
 * cmdline,exe,cwd,fd,maps}, /proc/{meminfo,uptime,mounts}, a child's
 * /proc/PID appearing and going when it is reaped, task/ listing a second
 * thread, and EACCES for a write open by a non-owner.
 *
 * Mounts /proc itself when /proc/self does not exist (Jinux run without
 * init), and unmounts it again at the end so the leak check sees nothing.
 * Run as "proc_fs one two".
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "lib/proc.h"
#include "lib/tap.h"

static char buf[65536];

/* The whole of @path into buf, NUL-terminated; its length or -errno. */
static long slurp(const char *path)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	size_t n = 0;
	for (;;) {
		ssize_t r = read(fd, buf + n, sizeof(buf) - 1 - n);
		if (r < 0) {
			long e = -errno;
			close(fd);
			return e;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	buf[n] = '\0';
	return (long)n;
}

/* The value after "@key:" in buf (status, meminfo), or NULL. */
static const char *field(const char *key)
{
	size_t len = strlen(key);
	for (const char *l = buf; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		if (!strncmp(l, key, len) && l[len] == ':')
			return l + len + 1;
	return NULL;
}

static long field_num(const char *key)
{
	const char *v = field(key);
	return v ? strtol(v, NULL, 10) : -1;
}

static void check_stat(void)
{
	long n = slurp("/proc/self/stat");
	ok_why(n > 0, "/proc/self/stat reads", "got %ld", n);
	int pid = -1, ppid = -1;
	char comm[64] = "", state = '?';
	int got = sscanf(buf, "%d (%63[^)]) %c %d", &pid, comm, &state, &ppid);
	ok_why(got == 4, "stat starts with pid (comm) state ppid", "sscanf %d of '%.60s'", got, buf);
	ok_eq(pid, getpid(), "stat field 1 is the pid");
	ok_why(!strcmp(comm, "proc_fs"), "stat field 2 is (proc_fs)", "got '%s'", comm);
	ok_why(state == 'R', "stat field 3 of the reader is R", "got '%c'", state);
	ok_eq(ppid, getppid(), "stat field 4 is the ppid");
	/* 52 fields: the comm has no spaces here, so count words. */
	int words = 0;
	for (char *s = buf; *s;) {
		while (*s == ' ' || *s == '\n')
			s++;
		if (!*s)
			break;
		words++;
		while (*s && *s != ' ' && *s != '\n')
			s++;
	}
	ok_why(words >= 52, "stat has at least 52 fields", "got %d", words);
}

static void check_status(void)
{
	long n = slurp("/proc/self/status");
	ok_why(n > 0, "/proc/self/status reads", "got %ld", n);
	char want[128];
	snprintf(want, sizeof(want), "\t%u\t%u\t", getuid(), geteuid());
	const char *v = field("Uid");
	ok_why(v && !strncmp(v, want, strlen(want)), "status Uid: real and effective uid",
	       "got '%.30s'", v ? v : "(none)");
	snprintf(want, sizeof(want), "\t%u\t%u\t", getgid(), getegid());
	v = field("Gid");
	ok_why(v && !strncmp(v, want, strlen(want)), "status Gid: real and effective gid",
	       "got '%.30s'", v ? v : "(none)");
	ok_eq(field_num("Pid"), getpid(), "status Pid: is the pid");
	ok_eq(field_num("PPid"), getppid(), "status PPid: is the ppid");
	ok_eq(field_num("Threads"), 1, "status Threads: is 1");
	v = field("Name");
	ok_why(v && !strncmp(v, "\tproc_fs\n", 9), "status Name: is proc_fs", "got '%.20s'",
	       v ? v : "(none)");
	ok(field("SigBlk") && field("CapEff") && field("VmRSS"), "status has SigBlk, CapEff, VmRSS");
}

static void check_cmdline(int argc, char **argv)
{
	long n = slurp("/proc/self/cmdline");
	char want[4096];
	size_t len = 0;
	for (int k = 0; k < argc; k++) {
		size_t l = strlen(argv[k]) + 1;
		memcpy(want + len, argv[k], l);
		len += l;
	}
	ok_why(n == (long)len && !memcmp(buf, want, len), "cmdline is argv, NUL-separated",
	       "got %ld bytes, want %zu", n, len);
	n = slurp("/proc/self/comm");
	ok_why(n > 0 && !strcmp(buf, "proc_fs\n"), "comm is the name and a newline", "got '%s'", buf);
}

static void check_links(const char *argv0)
{
	char link[4096];
	ssize_t n = readlink("/proc/self/exe", link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = '\0';
	const char *base = strrchr(argv0, '/') ? strrchr(argv0, '/') : argv0;
	size_t bl = strlen(base);
	ok_why(n > 0 && link[0] == '/' && (size_t)n >= bl && !strcmp(link + n - bl, base),
	       "readlink /proc/self/exe is an absolute path ending in the program's name",
	       "got %zd '%s'", n, link);
	char self[32];
	n = readlink("/proc/self", self, sizeof(self) - 1);
	self[n > 0 ? n : 0] = '\0';
	ok_why(n > 0 && atoi(self) == getpid(), "readlink /proc/self is the pid", "got '%s'", self);

	char old[4096];
	ok(getcwd(old, sizeof(old)) != NULL, "getcwd");
	ok_eq(chdir("/dev") ? -errno : 0, 0, "chdir /dev");
	n = readlink("/proc/self/cwd", link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = '\0';
	ok_why(n > 0 && !strcmp(link, "/dev"), "readlink /proc/self/cwd follows chdir",
	       "got '%s'", link);
	ok_eq(chdir(old) ? -errno : 0, 0, "chdir back");
}

static void check_fd(void)
{
	int fd = open("/dev/null", O_RDONLY);
	int p[2];
	ok_eq(pipe(p) ? -errno : 0, 0, "pipe");
	char path[64], link[256];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(path, link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = '\0';
	ok_why(!strcmp(link, "/dev/null"), "fd/N of an open file reads its path", "got '%s'", link);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", p[0]);
	n = readlink(path, link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = '\0';
	ok_why(!strncmp(link, "pipe:[", 6), "fd/N of a pipe reads pipe:[N]", "got '%s'", link);
	DIR *d = opendir("/proc/self/fd");
	int seen_fd = 0, seen_pipe = 0;
	struct dirent *e;
	while (d && (e = readdir(d))) {
		seen_fd |= atoi(e->d_name) == fd && e->d_name[0] != '.';
		seen_pipe |= atoi(e->d_name) == p[1];
	}
	if (d)
		closedir(d);
	ok(d && seen_fd && seen_pipe, "/proc/self/fd lists the open descriptors");
	close(fd);
	close(p[0]);
	close(p[1]);
	ok_eq(access(path, F_OK) ? -errno : 0, -ENOENT, "fd/N of a closed descriptor is gone");
}

static void check_maps(const char *argv0)
{
	long n = slurp("/proc/self/maps");
	ok_why(n > 0, "/proc/self/maps reads", "got %ld", n);
	ok_why(strstr(buf, "[stack]") != NULL, "maps has the [stack] line", "%.200s", buf);
	const char *base = strrchr(argv0, '/') ? strrchr(argv0, '/') : argv0;
	int text = 0;
	for (char *l = buf; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		char perms[8] = "";
		sscanf(l, "%*x-%*x %7s", perms);
		char *eol = strchr(l, '\n');
		size_t len = eol ? (size_t)(eol - l) : strlen(l);
		size_t bl = strlen(base);
		if (perms[2] == 'x' && len > bl && !strncmp(l + len - bl, base, bl))
			text = 1;
	}
	ok_why(text, "maps has an executable line naming the program", "%.300s", buf);
}

static void check_system(void)
{
	long n = slurp("/proc/meminfo");
	long total = field_num("MemTotal"), free_kb = field_num("MemFree");
	ok_why(n > 0 && total > free_kb && free_kb > 0, "meminfo: MemTotal > MemFree > 0",
	       "total %ld free %ld", total, free_kb);
	ok(field("MemAvailable") && field("SwapTotal") && field("Cached"),
	   "meminfo has MemAvailable, Cached, SwapTotal");
	slurp("/proc/uptime");
	double u1 = atof(buf);
	msleep(120);
	slurp("/proc/uptime");
	double u2 = atof(buf);
	ok_why(u2 > u1 && u1 >= 0, "uptime increases", "%.2f then %.2f", u1, u2);
	n = slurp("/proc/mounts");
	ok_why(n > 0 && strstr(buf, "proc /proc proc ") != NULL, "/proc/mounts has proc /proc proc",
	       "%.300s", buf);
	n = slurp("/proc/self/mounts");
	ok_why(n > 0 && strstr(buf, "proc /proc proc ") != NULL, "/proc/self/mounts too", "%ld", n);
	n = slurp("/proc/stat");
	ok(n > 0 && !strncmp(buf, "cpu ", 4) && strstr(buf, "\nbtime "), "/proc/stat: cpu line, btime");
	n = slurp("/proc/sys/kernel/ostype");
	ok_why(n > 0 && !strcmp(buf, "Linux\n"), "/proc/sys/kernel/ostype is Linux", "'%s'", buf);
	n = slurp("/proc/loadavg");
	ok(n > 0 && strchr(buf, '/'), "/proc/loadavg reads");
}

static void check_child(void)
{
	int p[2];
	pipe(p);
	long pid = raw_fork();
	if (pid == 0) {
		char c;
		close(p[1]);
		read(p[0], &c, 1);     /* until the parent closes its end */
		child_exit(0);
	}
	close(p[0]);
	char path[64];
	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	long n = slurp(path);
	int got = 0, ppid = 0;
	sscanf(buf, "%d %*s %*c %d", &got, &ppid);
	ok_why(n > 0 && got == pid && ppid == getpid(), "a child's /proc/PID/stat names it",
	       "n %ld pid %d ppid %d", n, got, ppid);
	snprintf(path, sizeof(path), "%ld", pid);
	DIR *d = opendir("/proc");
	int listed = 0;
	struct dirent *e;
	while (d && (e = readdir(d)))
		listed |= !strcmp(e->d_name, path);
	if (d)
		closedir(d);
	ok(listed, "getdents of /proc lists the child");
	snprintf(path, sizeof(path), "/proc/%ld/status", pid);
	int fd = open(path, O_RDONLY);
	close(p[1]);
	int st;
	reap(pid, &st);
	char tmp[16];
	ok_eq(read(fd, tmp, sizeof(tmp)) < 0 ? -errno : 0, -ESRCH,
	      "reading an open /proc/PID file after the reap is ESRCH");
	close(fd);
	snprintf(path, sizeof(path), "/proc/%ld", pid);
	struct stat sb;
	ok_eq(stat(path, &sb) ? -errno : 0, -ENOENT, "/proc/PID is gone after the reap");
	d = opendir("/proc");
	listed = 0;
	snprintf(path, sizeof(path), "%ld", pid);
	while (d && (e = readdir(d)))
		listed |= !strcmp(e->d_name, path);
	if (d)
		closedir(d);
	ok(!listed, "and no longer listed");
}

static volatile int thread_tid, thread_go;

static void *thread_fn(void *arg)
{
	(void)arg;
	thread_tid = (int)syscall(SYS_gettid);
	while (!thread_go)
		msleep(5);
	return NULL;
}

static void check_task(void)
{
	pthread_t th;
	ok_eq(pthread_create(&th, NULL, thread_fn, NULL), 0, "pthread_create");
	while (!thread_tid)
		msleep(5);
	char name[16];
	snprintf(name, sizeof(name), "%d", thread_tid);
	DIR *d = opendir("/proc/self/task");
	int main_seen = 0, seen = 0;
	struct dirent *e;
	while (d && (e = readdir(d))) {
		seen |= !strcmp(e->d_name, name);
		main_seen |= atoi(e->d_name) == getpid();
	}
	if (d)
		closedir(d);
	ok(seen && main_seen, "task/ lists the main thread and the second thread");
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", thread_tid);
	long n = slurp(path);
	ok_why(n > 0 && atoi(buf) == thread_tid, "task/TID/stat starts with the tid", "n %ld", n);
	slurp("/proc/self/status");
	ok_eq(field_num("Threads"), 2, "status Threads: is 2 while it runs");
	thread_go = 1;
	pthread_join(th, NULL);
}

static void check_write_denied(void)
{
	int *res = shared_mem(sizeof(int));
	long pid = raw_fork();
	if (pid == 0) {
		if (setgid(65534) || setuid(65534))
			child_exit(2);
		int fd = open("/proc/self/stat", O_WRONLY);
		*res = fd < 0 ? -errno : 0;
		child_exit(0);
	}
	int st;
	reap(pid, &st);
	ok_eq(*res, -EACCES, "write open of /proc/self/stat by its (unprivileged) owner is EACCES");
	int fd = open("/proc/self/stat", O_WRONLY);
	ok_eq(fd >= 0 && write(fd, "x", 1) < 0 ? -errno : 0, -EINVAL,
	      "root may open /proc/self/stat for writing, but a write is EINVAL");
	if (fd >= 0)
		close(fd);
	long r = mkdir("/proc/self/x", 0755) ? -errno : 0;
	ok_why(r == -ENOENT || r == -EACCES, "mkdir in /proc/self fails (ENOENT or EACCES)",
	       "got %ld", r);
}

int main(int argc, char **argv)
{
	int mounted = 0;
	struct stat sb;
	if (stat("/proc/self", &sb)) {
		mkdir("/proc", 0555);
		mounted = mount("proc", "/proc", "proc", 0, NULL) == 0;
		ok(mounted, "mount -t proc proc /proc");
	}
	check_stat();
	check_status();
	check_cmdline(argc, argv);
	check_links(argv[0]);
	check_fd();
	check_maps(argv[0]);
	check_system();
	check_child();
	check_task();
	check_write_denied();
	if (mounted)
		ok_eq(umount("/proc") ? -errno : 0, 0, "umount /proc");
	return tap_done();
}
