/*
 * Probes of data movement: pipes between two processes, files on a tmpfs,
 * and a BusyBox shell script that strings processes together with pipes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

#define CHUNK (64 * 1024)       /* bytes per write/read operation */
#define FILE_CHUNKS 16          /* tmpfs file: 16 chunks, 1 MiB */

extern char **environ;

static char chunk[CHUNK];

/* Write all of buf; 0 or errno. */
static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t k = write(fd, buf, len);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return k < 0 ? errno : EIO;
		buf += k;
		len -= (size_t)k;
	}
	return 0;
}

/* Read exactly len bytes; 0, errno, or EPIPE at an early end of file. */
static int read_all(int fd, char *buf, size_t len)
{
	while (len) {
		ssize_t k = read(fd, buf, len);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return k < 0 ? errno : EPIPE;
		buf += k;
		len -= (size_t)k;
	}
	return 0;
}

/*
 * Two processes joined by a data pipe and a command pipe. The child waits
 * for a count on the command pipe and acts on it; a count of 0 (or end of
 * file) ends it.
 */
struct duo {
	pid_t child;
	int cmd;        /* parent writes commands here */
	int data;       /* parent reads (pipe_bw) or ping-pongs here */
	int back;       /* pipe_lat: parent writes the ping here */
};

static int duo_reap(struct duo *d)
{
	int st;

	if (d->cmd >= 0)
		close(d->cmd);
	close(d->data);
	if (d->back >= 0)
		close(d->back);
	while (waitpid(d->child, &st, 0) < 0)
		if (errno != EINTR)
			return errno;
	return 0;
}

/* --- pipe bandwidth: the child writes n chunks, the parent reads them --- */

static void bw_child(int cmd, int out)
{
	long n;

	while (read_all(cmd, (char *)&n, sizeof(n)) == 0 && n > 0)
		while (n--)
			if (write_all(out, chunk, CHUNK))
				_exit(1);
	_exit(0);
}

static int pipe_bw_setup(void **st)
{
	static struct duo d;
	int c[2], p[2];

	if (pipe(c))
		return errno;
	if (pipe(p))
		return errno;
	d.child = fork();
	if (d.child < 0)
		return errno;
	if (d.child == 0) {
		close(c[1]);
		close(p[0]);
		bw_child(c[0], p[1]);
	}
	close(c[0]);
	close(p[1]);
	d.cmd = c[1];
	d.data = p[0];
	d.back = -1;
	*st = &d;
	return 0;
}

static int pipe_bw_run(void *st, long n)
{
	struct duo *d = st;
	static char buf[CHUNK];
	int err = write_all(d->cmd, (char *)&n, sizeof(n));

	while (!err && n--)
		err = read_all(d->data, buf, CHUNK);
	return err;
}

static void duo_teardown(void *st)
{
	duo_reap(st);
}

/* --- pipe latency: one byte there and back between two processes --- */

static void echo_child(int in, int out)
{
	char c;

	while (read(in, &c, 1) == 1)
		if (write(out, &c, 1) != 1)
			_exit(1);
	_exit(0);
}

static int pipe_lat_setup(void **st)
{
	static struct duo d;
	int there[2], back[2];

	if (pipe(there) || pipe(back))
		return errno;
	d.child = fork();
	if (d.child < 0)
		return errno;
	if (d.child == 0) {
		close(there[1]);
		close(back[0]);
		echo_child(there[0], back[1]);
	}
	close(there[0]);
	close(back[1]);
	d.back = there[1];
	d.data = back[0];
	d.cmd = -1;
	*st = &d;
	return 0;
}

static int pipe_lat_run(void *st, long n)
{
	struct duo *d = st;
	char c = 'x';

	while (n--) {
		if (write(d->back, &c, 1) != 1)
			return errno ? errno : EIO;
		if (read(d->data, &c, 1) != 1)
			return errno ? errno : EPIPE;
	}
	return 0;
}

/* --- tmpfs: open + close of an existing file --- */

static char open_path[256];

static int openclose_setup(void **st)
{
	int fd;

	(void)st;
	snprintf(open_path, sizeof(open_path), "%s/jbench.open", opts.dir);
	fd = open(open_path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static int openclose_run(void *st, long n)
{
	(void)st;
	while (n--) {
		int fd = open(open_path, O_RDONLY);

		if (fd < 0)
			return errno;
		if (close(fd))
			return errno;
	}
	return 0;
}

static void openclose_teardown(void *st)
{
	(void)st;
	unlink(open_path);
}

/* --- tmpfs: 64 KiB writes and reads, cycling over a 1 MiB file --- */

static char data_path[256];

struct rw {
	int fd;
	long pos;       /* chunk index in the file */
};

static int rw_open(void **st, int fill)
{
	static struct rw rw;
	int i, err;

	snprintf(data_path, sizeof(data_path), "%s/jbench.data", opts.dir);
	rw.fd = open(data_path, O_CREAT | O_RDWR | O_TRUNC, 0644);
	if (rw.fd < 0)
		return errno;
	for (i = 0; fill && i < FILE_CHUNKS; i++) {
		err = write_all(rw.fd, chunk, CHUNK);
		if (err)
			return err;
	}
	if (lseek(rw.fd, 0, SEEK_SET) < 0)
		return errno;
	rw.pos = 0;
	*st = &rw;
	return 0;
}

/* Back to the start of the file after FILE_CHUNKS operations. */
static int rw_next(struct rw *rw)
{
	if (++rw->pos < FILE_CHUNKS)
		return 0;
	rw->pos = 0;
	return lseek(rw->fd, 0, SEEK_SET) < 0 ? errno : 0;
}

static int fwrite_setup(void **st)
{
	return rw_open(st, 0);
}

static int fread_setup(void **st)
{
	return rw_open(st, 1);
}

static int fwrite_run(void *st, long n)
{
	struct rw *rw = st;
	int err = 0;

	while (!err && n--) {
		err = write_all(rw->fd, chunk, CHUNK);
		if (!err)
			err = rw_next(rw);
	}
	return err;
}

static int fread_run(void *st, long n)
{
	struct rw *rw = st;
	static char buf[CHUNK];
	int err = 0;

	while (!err && n--) {
		err = read_all(rw->fd, buf, CHUNK);
		if (!err)
			err = rw_next(rw);
	}
	return err;
}

static void rw_teardown(void *st)
{
	struct rw *rw = st;

	close(rw->fd);
	unlink(data_path);
}

/* --- BusyBox shell script: a loop of small pipelines, end to end --- */

/*
 * Each pipeline is a command substitution around a three-stage pipeline:
 * a subshell, a pipe pair, and two applets started the way the shell
 * starts them (fork + exec). It needs neither /dev/null nor a file system.
 */
static const char script_fmt[] =
	"i=0; while [ $i -lt %d ]; do "
	"x=$(echo line $i | cat | wc -c); i=$((i + 1)); done; "
	"[ \"$x\" -gt 0 ]";

static char script[256];

static int shell_run(void *st, long n)
{
	char path_env[300];
	char *argv[] = { "sh", "-c", script, NULL };
	char *envp[] = { path_env, NULL };
	int status;

	(void)st;
	snprintf(path_env, sizeof(path_env), "PATH=%s", opts.path);
	while (n--) {
		pid_t pid = fork();

		if (pid < 0)
			return errno;
		if (pid == 0) {
			execve(opts.busybox, argv, envp);
			_exit(errno & 0xff ? errno & 0xff : 127);
		}
		while (waitpid(pid, &status, 0) < 0)
			if (errno != EINTR)
				return errno;
		if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
			return ENOENT;
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "jbench: shell workload ended with status %#x\n",
				status);
			return EIO;
		}
	}
	return 0;
}

static int shell_setup(void **st)
{
	(void)st;
	snprintf(script, sizeof(script), script_fmt, opts.pipelines);
	/* access() itself may be missing; then the run will tell. */
	if (access(opts.busybox, X_OK) && errno != ENOSYS)
		return errno;
	return 0;
}

const struct probe probes_io[] = {
	{ "pipe_bw_64k", CHUNK, 0, pipe_bw_setup, pipe_bw_run, duo_teardown },
	{ "pipe_pingpong", 0, 0, pipe_lat_setup, pipe_lat_run, duo_teardown },
	{ "tmpfs_open_close", 0, 0, openclose_setup, openclose_run, openclose_teardown },
	{ "tmpfs_write_64k", CHUNK, 0, fwrite_setup, fwrite_run, rw_teardown },
	{ "tmpfs_read_64k", CHUNK, 0, fread_setup, fread_run, rw_teardown },
	{ "shell_pipelines", 0, 1, shell_setup, shell_run, NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};
