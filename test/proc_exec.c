/*
 * execve and execveat: argv and envp reach the new image, pid and parent
 * stay, handlers reset while ignored signals and the mask stay,
 * close-on-exec descriptors close; "#!" scripts (with an interpreter
 * argument, and /bin/sh reading the script), and the errors Linux gives:
 * ENOENT, ENOTDIR, EACCES (not executable, a directory), ENOEXEC, E2BIG,
 * EFAULT, EBADF, EINVAL. Exec from a second thread of a threaded process.
 *
 * Data files sit next to the program (build/test natively, /test in
 * Jinux), made by test/build.mk: proc_exec_arg.sh ("#!/bin/busybox
 * echo"), proc_exec_sh.sh ("#!/bin/sh" script), proc_exec_badinterp.sh,
 * proc_exec_noexec (mode 0644), proc_exec_garbage (0755, not a program).
 * The program re-executes itself with a mode in argv[1] for the checks
 * made inside the new image; those exit 0 when all is as expected.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <libgen.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "lib/proc.h"

static char self[256], dir[256];

static void data_path(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", dir, name);
}

/* exec_status() - fork, execve(@path, @argv, @envp) in the child; its status. */
static int exec_status(const char *path, char *const argv[], char *const envp[], long *err)
{
	volatile long *res = shared_mem(PAGE);
	int st = -1;
	long pid = raw_fork();

	if (pid == 0) {
		res[0] = sysc(SYS_execve, path, argv, envp);
		child_exit(127);
	}
	reap(pid, &st);
	if (err)
		*err = res[0];
	return st;
}

/*
 * capture() - run @path with stdout to a pipe; collect up to @len-1 bytes
 * of output into @out. Return: the wait status.
 */
static int capture(const char *path, char *const argv[], char *out, size_t len)
{
	int p[2], st = -1;
	size_t got = 0;
	long n;

	if (sysc(SYS_pipe2, p, 0) < 0) {
		snprintf(out, len, "(no pipe)");
		return -1;
	}
	long pid = raw_fork();
	if (pid == 0) {
		char *envp[] = { "PATH=/bin:/usr/bin", NULL };
		sysc(SYS_dup2, p[1], 1);
		sysc(SYS_close, p[0]);
		sysc(SYS_execve, path, argv, envp);
		child_exit(127);
	}
	sysc(SYS_close, p[1]);
	while (got < len - 1 && (n = sysc(SYS_read, p[0], out + got, len - 1 - got)) > 0)
		got += n;
	out[got] = 0;
	sysc(SYS_close, p[0]);
	reap(pid, &st);
	return st;
}

static void args_and_env(void)
{
	char *argv[] = { self, "show", "a", "b c", "", NULL };
	char *envp[] = { "X=1", "Y=two words", NULL };
	char *noenv[] = { NULL };
	char pids[64];

	ok_status(exec_status(self, argv, envp, 0), 0,
		  "argv and envp arrive in the new image unchanged");
	char *argv2[] = { self, "noenv", NULL };
	ok_status(exec_status(self, argv2, noenv, 0), 0, "an empty envp gives an empty environment");

	/* The pid and parent survive exec. */
	long pid = raw_fork();
	if (pid == 0) {
		snprintf(pids, sizeof(pids), "%ld:%ld", sysc(SYS_getpid), sysc(SYS_getppid));
		char *a[] = { self, "ids", pids, NULL };
		sysc(SYS_execve, self, a, noenv);
		child_exit(127);
	}
	int st = -1;
	reap(pid, &st);
	ok_status(st, 0, "getpid and getppid are the same after execve");
}

static void handler(int sig)
{
	(void)sig;
}

static void signal_state(void)
{
	long pid = raw_fork();
	int st = -1;

	if (pid == 0) {
		sigset_t set;
		signal(SIGUSR1, handler);
		signal(SIGUSR2, SIG_IGN);
		sigemptyset(&set);
		sigaddset(&set, SIGHUP);
		sigprocmask(SIG_BLOCK, &set, 0);
		char *a[] = { self, "sigstate", NULL };
		char *e[] = { NULL };
		sysc(SYS_execve, self, a, e);
		child_exit(127);
	}
	reap(pid, &st);
	ok_status(st, 0, "exec resets caught signals, keeps ignored ones and the mask");
}

static void cloexec(void)
{
	int p[2], q[2];
	char fds[64];

	sysc(SYS_pipe2, p, O_CLOEXEC);
	sysc(SYS_pipe2, q, 0);
	snprintf(fds, sizeof(fds), "%d:%d", p[0], q[0]);
	char *a[] = { self, "fds", fds, NULL };
	char *e[] = { NULL };
	ok_status(exec_status(self, a, e, 0), 0,
		  "an O_CLOEXEC descriptor is closed by exec, a plain one stays");
	sysc(SYS_close, p[0]);
	sysc(SYS_close, p[1]);
	sysc(SYS_close, q[0]);
	sysc(SYS_close, q[1]);
}

static void scripts(void)
{
	char path[300], want[400], out[512];

	data_path(path, sizeof(path), "proc_exec_arg.sh");
	char *a[] = { path, "one", "two", NULL };
	int st = capture(path, a, out, sizeof(out));
	snprintf(want, sizeof(want), "%s one two\n", path);
	ok_status(st, 0, "a \"#!/bin/busybox echo\" script runs");
	ok_why(!strcmp(out, want), "#! passes the interpreter argument, the script path, then argv[1..]",
	       "output '%s'", out);

	data_path(path, sizeof(path), "proc_exec_sh.sh");
	char *b[] = { path, "x", "y z", NULL };
	st = capture(path, b, out, sizeof(out));
	snprintf(want, sizeof(want), "sh-script %s x|y z\n", path);
	ok_status(st, 7 << 8, "a \"#!/bin/sh\" script run by path exits with its status (7)");
	ok_why(!strcmp(out, want), "the #!/bin/sh script reads its $0 and arguments",
	       "output '%s'", out);

	long err = 0;
	data_path(path, sizeof(path), "proc_exec_badinterp.sh");
	char *c[] = { path, NULL };
	exec_status(path, c, c + 1, &err);
	ok_eq(err, -ENOENT, "a script whose interpreter is missing is ENOENT");
}

static void errors(void)
{
	char path[300];
	char *e[] = { NULL };
	long err = 0;

	char *a[] = { "x", NULL };
	data_path(path, sizeof(path), "no-such-file");
	ok_eq(sysc(SYS_execve, path, a, e), -ENOENT, "exec of a missing file is ENOENT");
	ok_eq(sysc(SYS_execve, "", a, e), -ENOENT, "exec of the empty path is ENOENT");
	snprintf(path, sizeof(path), "%s/x", self);
	ok_eq(sysc(SYS_execve, path, a, e), -ENOTDIR, "exec through a file as a directory is ENOTDIR");
	data_path(path, sizeof(path), "proc_exec_noexec");
	ok_eq(sysc(SYS_execve, path, a, e), -EACCES, "exec of a file without x permission is EACCES");
	ok_eq(sysc(SYS_execve, dir, a, e), -EACCES, "exec of a directory is EACCES");
	data_path(path, sizeof(path), "proc_exec_garbage");
	ok_eq(sysc(SYS_execve, path, a, e), -ENOEXEC,
	      "exec of an executable file that is no program is ENOEXEC");

	ok_eq(sysc(SYS_execve, BAD_LOW_PTR, a, e), -EFAULT, "a bad path pointer is EFAULT");
	ok_eq(sysc(SYS_execve, self, BAD_LOW_PTR, e), -EFAULT, "a bad argv pointer is EFAULT");
	char *badarg[] = { self, BAD_LOW_PTR, NULL };
	ok_eq(sysc(SYS_execve, self, badarg, e), -EFAULT, "a bad argv[1] string is EFAULT");
	ok_eq(sysc(SYS_execve, self, a, KERNEL_PTR), -EFAULT, "a bad envp pointer is EFAULT");
	char *badenv[] = { NONCANON_PTR, NULL };
	ok_eq(sysc(SYS_execve, self, a, badenv), -EFAULT, "a bad envp[0] string is EFAULT");

	/* One string longer than MAX_ARG_STRLEN (32 pages). */
	size_t big = 33 * PAGE;
	char *s = malloc(big);
	memset(s, 'a', big - 1);
	s[big - 1] = 0;
	char *huge1[] = { self, s, NULL };
	ok_eq(sysc(SYS_execve, self, huge1, e), -E2BIG, "an argument over 128 KiB is E2BIG");
	/* 64 strings of 120 KiB: 7.5 MiB, over a quarter of any stack limit we run with. */
	s[120 * 1024] = 0;
	char *many[66];
	many[0] = self;
	for (int i = 1; i < 65; i++)
		many[i] = s;
	many[65] = NULL;
	ok_eq(sysc(SYS_execve, self, many, e), -E2BIG, "7.5 MiB of arguments is E2BIG");
	ok_eq(sysc(SYS_execve, self, a, many), -E2BIG, "7.5 MiB of environment is E2BIG");
	free(s);
	(void)err;
	ok(1, "the process carries on after the failed execs");
}

static void execveat_cases(void)
{
	char *a[] = { self, "show-at", NULL };
	char *e[] = { NULL };
	volatile long *res = shared_mem(PAGE);
	int st = -1;

	long pid = raw_fork();
	if (pid == 0) {
		res[0] = sysc(SYS_execveat, AT_FDCWD, self, a, e, 0);
		child_exit(127);
	}
	reap(pid, &st);
	ok_status(st, 0, "execveat(AT_FDCWD, absolute path) runs the program");
	ok_eq(sysc(SYS_execveat, 999, "relative", a, e, 0), -EBADF,
	      "execveat with a bad dirfd and a relative path is EBADF");
	ok_eq(sysc(SYS_execveat, AT_FDCWD, self, a, e, 0x4000000), -EINVAL,
	      "execveat with an unknown flag is EINVAL");
}

static char *thread_argv[4];

static void *exec_thread(void *arg)
{
	char *e[] = { NULL };
	(void)arg;
	sysc(SYS_execve, self, thread_argv, e);
	return NULL;
}

static void spin_forever(void)
{
	for (;;)
		msleep(10);
}

static void *sleeper(void *arg)
{
	(void)arg;
	spin_forever();
	return NULL;
}

static void threaded_exec(void)
{
	char pidbuf[32];
	int st = -1;
	long pid = raw_fork();

	if (pid == 0) {
		pthread_t t1, t2;
		snprintf(pidbuf, sizeof(pidbuf), "%ld", sysc(SYS_getpid));
		thread_argv[0] = self;
		thread_argv[1] = "mt";
		thread_argv[2] = pidbuf;
		if (pthread_create(&t1, 0, sleeper, 0) || pthread_create(&t2, 0, exec_thread, 0))
			child_exit(120);
		spin_forever();
	}
	reap(pid, &st);
	ok_status(st, 0, "exec from a second thread: the other threads die, the image has the pid");
}

/* The checks made in the new image; Return: exit status. */
static int in_new_image(int argc, char **argv, char **envp)
{
	const char *m = argv[1];

	if (!strcmp(m, "show"))
		return !(argc == 5 && !strcmp(argv[2], "a") && !strcmp(argv[3], "b c") &&
			 !strcmp(argv[4], "") && envp[0] && !strcmp(envp[0], "X=1") && envp[1] &&
			 !strcmp(envp[1], "Y=two words") && !envp[2]);
	if (!strcmp(m, "show-at"))
		return argc != 2;
	if (!strcmp(m, "noenv"))
		return envp[0] != NULL;
	if (!strcmp(m, "ids")) {
		char now[64];
		snprintf(now, sizeof(now), "%ld:%ld", sysc(SYS_getpid), sysc(SYS_getppid));
		return strcmp(now, argv[2]) != 0;
	}
	if (!strcmp(m, "sigstate")) {
		struct sigaction sa;
		sigset_t set;
		int bad = 0;
		sigaction(SIGUSR1, 0, &sa);
		bad |= sa.sa_handler != SIG_DFL;
		sigaction(SIGUSR2, 0, &sa);
		bad |= (sa.sa_handler != SIG_IGN) << 1;
		sigprocmask(SIG_BLOCK, 0, &set);
		bad |= !sigismember(&set, SIGHUP) << 2;
		return bad;
	}
	if (!strcmp(m, "fds")) {
		int a = atoi(argv[2]), b = atoi(strchr(argv[2], ':') + 1);
		return (sysc(SYS_fcntl, a, F_GETFD) != -EBADF) | (sysc(SYS_fcntl, b, F_GETFD) != 0) << 1;
	}
	if (!strcmp(m, "mt"))
		return (sysc(SYS_getpid) != atol(argv[2])) | (sysc(SYS_gettid) != atol(argv[2])) << 1;
	return 99;
}

int main(int argc, char **argv, char **envp)
{
	if (argc > 1)
		return in_new_image(argc, argv, envp);
	snprintf(self, sizeof(self), "%s", argv[0]);
	char tmp[256];
	snprintf(tmp, sizeof(tmp), "%s", argv[0]);
	snprintf(dir, sizeof(dir), "%s", dirname(tmp));
	args_and_env();
	signal_state();
	cloexec();
	scripts();
	errors();
	execveat_cases();
	threaded_exec();
	return tap_done();
}
