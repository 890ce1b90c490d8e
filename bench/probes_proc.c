/*
 * Probes of the process machinery: system call entry, fork, exec, page
 * faults, threads, futexes and signals.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

extern char **environ;

/* From linux/futex.h (musl-gcc does not see the kernel's headers). */
#define FUTEX_WAIT_PRIVATE 128
#define FUTEX_WAKE_PRIVATE 129

/* Wait for pid; 0 if it exited 0, else its status as an errno (or EIO). */
static int reap(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return errno;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	return EIO;
}

/* --- null system call --- */

static int getppid_run(void *st, long n)
{
	(void)st;
	while (n--)
		if (syscall(SYS_getppid) < 0)
			return errno;
	return 0;
}

static int getppid_setup(void **st)
{
	(void)st;
	return syscall(SYS_getppid) < 0 ? errno : 0;
}

/* --- fork + exit + wait --- */

static int fork_exit_run(void *st, long n)
{
	int err;

	(void)st;
	while (n--) {
		pid_t pid = fork();

		if (pid < 0)
			return errno;
		if (pid == 0)
			_exit(0);
		err = reap(pid);
		if (err)
			return err;
	}
	return 0;
}

static int fork_exit_setup(void **st)
{
	return fork_exit_run(*st, 1);
}

/*
 * fork + execve + wait. The small program is this one with --exit (about
 * 75 KB); the big one is BusyBox's "true" applet (about 2 MB), to show how
 * exec scales with the size of the executable.
 */
struct exec_target {
	const char *path;
	char *argv[3];
};

static int fork_exec_run(void *st, long n)
{
	struct exec_target *t = st;
	int err;

	while (n--) {
		pid_t pid = fork();

		if (pid < 0)
			return errno;
		if (pid == 0) {
			execve(t->path, t->argv, environ);
			_exit(errno & 0xff ? errno & 0xff : 127);
		}
		err = reap(pid);
		if (err)
			return err;
	}
	return 0;
}

static int fork_exec_setup(void **st)
{
	static struct exec_target t;

	t = (struct exec_target){ opts.self, { (char *)opts.self, "--exit", NULL } };
	*st = &t;
	return fork_exec_run(*st, 1);
}

static int fork_exec_big_setup(void **st)
{
	static struct exec_target t;

	t = (struct exec_target){ opts.busybox, { "true", NULL, NULL } };
	*st = &t;
	return fork_exec_run(*st, 1);
}

/* --- mmap 16 pages, touch each, munmap: page-fault cost --- */

#define TOUCH_PAGES 16

static int mmap_run(void *st, long n)
{
	long pg = sysconf(_SC_PAGESIZE);

	(void)st;
	while (n--) {
		volatile char *p = mmap(NULL, TOUCH_PAGES * pg, PROT_READ | PROT_WRITE,
					MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		int i;

		if (p == MAP_FAILED)
			return errno;
		for (i = 0; i < TOUCH_PAGES; i++)
			p[i * pg] = 1;
		if (munmap((void *)p, TOUCH_PAGES * pg))
			return errno;
	}
	return 0;
}

static int mmap_setup(void **st)
{
	return mmap_run(*st, 1);
}

/* --- thread create + join --- */

static void *noop_thread(void *arg)
{
	return arg;
}

static int thread_run(void *st, long n)
{
	pthread_t t;
	int err;

	(void)st;
	while (n--) {
		err = pthread_create(&t, NULL, noop_thread, NULL);
		if (err)
			return err;
		err = pthread_join(t, NULL);
		if (err)
			return err;
	}
	return 0;
}

static int thread_setup(void **st)
{
	return thread_run(*st, 1);
}

/* --- futex ping-pong between two threads of one process --- */

/*
 * turn is 1 when the partner thread should answer, 0 when main should
 * go on. Each side waits in the kernel (no spinning) so that a round trip
 * is two wake-ups and two waits.
 */
struct pingpong {
	int turn;
	int stop;
	pthread_t partner;
};

static long futex(int *uaddr, int op, int val)
{
	return syscall(SYS_futex, uaddr, op, val, NULL, NULL, 0);
}

/* Wait until *word == want, sleeping in the kernel. */
static int futex_await(int *word, int want)
{
	int v;

	while ((v = __atomic_load_n(word, __ATOMIC_ACQUIRE)) != want)
		if (futex(word, FUTEX_WAIT_PRIVATE, v) < 0 && errno != EAGAIN &&
		    errno != EINTR)
			return errno;
	return 0;
}

static int futex_set(int *word, int val)
{
	__atomic_store_n(word, val, __ATOMIC_RELEASE);
	return futex(word, FUTEX_WAKE_PRIVATE, 1) < 0 ? errno : 0;
}

static void *partner_main(void *arg)
{
	struct pingpong *pp = arg;

	for (;;) {
		if (futex_await(&pp->turn, 1))
			return NULL;
		if (__atomic_load_n(&pp->stop, __ATOMIC_ACQUIRE)) {
			futex_set(&pp->turn, 0);
			return NULL;
		}
		if (futex_set(&pp->turn, 0))
			return NULL;
	}
}

static int futex_run(void *st, long n)
{
	struct pingpong *pp = st;
	int err;

	while (n--) {
		err = futex_set(&pp->turn, 1);
		if (!err)
			err = futex_await(&pp->turn, 0);
		if (err)
			return err;
	}
	return 0;
}

static int futex_setup(void **st)
{
	static struct pingpong pp;
	int word = 0, err;

	/* A wait on a word that does not match returns EAGAIN if futexes work. */
	if (futex(&word, FUTEX_WAIT_PRIVATE, 1) == 0 || errno != EAGAIN)
		return errno ? errno : EINVAL;
	err = pthread_create(&pp.partner, NULL, partner_main, &pp);
	if (err)
		return err;
	*st = &pp;
	return 0;
}

static void futex_teardown(void *st)
{
	struct pingpong *pp = st;

	__atomic_store_n(&pp->stop, 1, __ATOMIC_RELEASE);
	futex_set(&pp->turn, 1);
	pthread_join(pp->partner, NULL);
}

/* --- signal to self + handler: delivery and sigreturn --- */

static volatile long caught;

static void on_usr1(int sig)
{
	(void)sig;
	caught++;
}

static int signal_run(void *st, long n)
{
	long want = caught + n;
	pid_t self = getpid();

	(void)st;
	while (n--)
		if (kill(self, SIGUSR1))
			return errno;
	return caught == want ? 0 : EIO;
}

static int signal_setup(void **st)
{
	struct sigaction sa = { .sa_handler = on_usr1 };

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGUSR1, &sa, NULL))
		return errno;
	return signal_run(*st, 1);
}

const struct probe probes_proc[] = {
	{ "null_syscall", 0, 0, getppid_setup, getppid_run, NULL },
	{ "fork_exit", 0, 0, fork_exit_setup, fork_exit_run, NULL },
	{ "fork_exec", 0, 0, fork_exec_setup, fork_exec_run, NULL },
	{ "fork_exec_busybox", 0, 0, fork_exec_big_setup, fork_exec_run, NULL },
	{ "mmap_touch16", 0, 0, mmap_setup, mmap_run, NULL },
	{ "thread_create", 0, 0, thread_setup, thread_run, NULL },
	{ "futex_pingpong", 0, 0, futex_setup, futex_run, futex_teardown },
	{ "signal_self", 0, 0, signal_setup, signal_run, NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};
