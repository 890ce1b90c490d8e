/*
 * execve and execveat: build the new image completely (decode and load),
 * and only then, past the point of no return, replace the old one:
 * other threads die, close-on-exec descriptors close, caught signals
 * revert to their defaults.
 */
#include <jinux/errno.h>
#include <jinux/heap.h>
#include <jinux/string.h>
#include <jinux/uaccess.h>
#include <kernel/exec.h>
#include <kernel/pid.h>
#include <kernel/process.h>
#include <kernel/process_internal.h>
#include <kernel/vfs.h>
#include <uapi/fcntl.h>
#include <kernel/syscall.h>

#define PATH_MAX 4096
#define MAX_ARG_STRLEN (32 * PAGE_SIZE)
#define MAX_ARG_STRINGS 0x7fffffff
#define BINPRM_BUF_SIZE 256
#define MAX_INTERP_DEPTH 4

/* The file to run, resolved for @p (NULL: init, from the root). */
static int lookup_executable(struct process *p, const char *path, struct inode **out,
			     unsigned *mnt_flags)
{
	return vfs_lookup_exec(p, AT_FDCWD, path, 0, out, mnt_flags);
}

static const char *basename_of(const char *path)
{
	const char *base = path;
	for (const char *s = path; *s; s++)
		if (*s == '/' && s[1])
			base = s + 1;
	return base;
}

/*
 * Parse a "#!interpreter [arg]" line into @interp and @arg (kernel
 * buffers of BINPRM_BUF_SIZE). Return: true if @n is such a script.
 */
static bool parse_shebang(const struct inode *n, char *interp, char *arg)
{
	if (n->size < 2 || n->data[0] != '#' || n->data[1] != '!')
		return false;
	size_t len = MIN(n->size, (size_t)BINPRM_BUF_SIZE - 1);
	char line[BINPRM_BUF_SIZE];
	memcpy(line, n->data, len);
	line[len] = '\0';
	char *nl = strchr(line, '\n');
	if (nl)
		*nl = '\0';
	char *s = line + 2;
	while (*s == ' ' || *s == '\t')
		s++;
	char *e = s;
	while (*e && *e != ' ' && *e != '\t')
		e++;
	char *rest = e;
	if (*rest)
		*rest++ = '\0';
	kstrlcpy(interp, s, BINPRM_BUF_SIZE);
	while (*rest == ' ' || *rest == '\t')
		rest++;
	/* Linux passes everything after the interpreter as one argument,
	 * with trailing blanks removed. */
	size_t rl = strlen(rest);
	while (rl && (rest[rl - 1] == ' ' || rest[rl - 1] == '\t'))
		rest[--rl] = '\0';
	kstrlcpy(arg, rest, BINPRM_BUF_SIZE);
	return true;
}

static int count_args(const char *const v[])
{
	int n = 0;
	while (v[n])
		n++;
	return n;
}

/* Bytes of the NUL-terminated strings of @v, their NULs included. */
static uintptr_t strings_bytes(const char *const v[])
{
	uintptr_t n = 0;
	for (size_t k = 0; v && v[k]; k++)
		n += strlen(v[k]) + 1;
	return n;
}

/*
 * For procfs: where the argv and envp strings lie on the new stack (argv's
 * strings first, then envp's, as stack_setup() lays them out; the first
 * one's address is read back from the pointer block at @sp) and the
 * program's absolute path.
 */
static void note_image(struct process *p, const char *path, const char *const argv[],
		       const char *const envp[], uint64_t sp, struct exec_result *out)
{
	size_t argc = argv ? (size_t)count_args(argv) : 0, envc = envp ? (size_t)count_args(envp) : 0;
	uint64_t first = 0;
	if (argc || envc)
		(void)copy_from_user(out->mm->vs, &first, user_ptr(sp + (argc ? 8 : 16)), sizeof(first));
	out->arg_start = (uintptr_t)first;
	out->arg_end = out->arg_start + strings_bytes(argv);
	out->env_start = out->arg_end;
	out->env_end = out->env_start + strings_bytes(envp);
	struct path res;
	if (vfs_lookup(p, AT_FDCWD, path, LOOKUP_FOLLOW, &res))
		return;
	char *buf = kmalloc(VFS_PATH_MAX);
	long len = buf ? vfs_path_name(&res, &process_fs(p)->root, buf, VFS_PATH_MAX) : -ENOMEM;
	path_put(&res);
	if (len > 0 && (out->exe_path = kmalloc((size_t)len)))
		memcpy(out->exe_path, buf, (size_t)len);
	kfree(buf);
}

void exec_record_image(struct process *p, struct exec_result *img)
{
	kfree(p->exe_path);
	p->exe_path = img->exe_path;
	img->exe_path = NULL;
	p->arg_start = img->arg_start;
	p->arg_end = img->arg_end;
	p->env_start = img->env_start;
	p->env_end = img->env_end;
}

static int load_into(struct process *p, struct inode *file, const char *path, const char *const argv[],
		     const char *const envp[], struct exec_result *out)
{
	struct exec_image img = { 0 };
	uint64_t sp;
	int err = -ENOMEM;

	out->mm = mm_create();
	if (!out->mm)
		return -ENOMEM;
	out->ctx = user_context_create(out->mm->vs);
	if (!out->ctx)
		goto fail;
	err = elf_load_program(p, out->mm, file, &img);
	img.uid = out->cred.uid;
	img.euid = out->cred.euid;
	img.gid = out->cred.gid;
	img.egid = out->cred.egid;
	img.secure = out->secure;
	if (!err)
		err = stack_setup(out->mm, argv, envp, path, &img, &sp);
	if (err)
		goto fail;
	out->mm->brk_start = out->mm->brk = img.brk_start;
	note_image(p, path, argv, envp, sp, out);
	struct user_regs *r = user_context_regs(out->ctx);
	r->rip = img.start;
	r->rsp = sp;
	return 0;
fail:
	exec_result_drop(out);
	return err;
}

static int exec_depth(struct process *p, const char *path, const char *const argv[],
		      const char *const envp[], struct exec_result *out, int depth)
{
	struct inode *file;
	unsigned mnt_flags = 0;
	int err = lookup_executable(p, path, &file, &mnt_flags);
	if (err)
		return err;
	char interp[BINPRM_BUF_SIZE], arg[BINPRM_BUF_SIZE];
	bool script = parse_shebang(file, interp, arg);
	if (!script) {
		/* Set-id bits of the binary itself count (a script's do not). */
		out->cred = p ? p->cred : out->cred;
		cred_exec_transition(&out->cred, file->mode, file->uid, file->gid,
				     mnt_flags & MS_NOSUID, &out->secure);
		err = load_into(p, file, path, argv, envp, out);
	}
	inode_put(file);
	if (!script) {
		if (!err)
			kstrlcpy(out->comm, basename_of(path), sizeof(out->comm));
		return err;
	}
	if (depth >= MAX_INTERP_DEPTH)
		return -ELOOP;
	if (!interp[0])
		return -ENOEXEC;
	/* New argv: interpreter, optional argument, script path, argv[1..]. */
	int argc = count_args(argv);
	const char **nargv = kmalloc((size_t)(argc + 3) * sizeof(*nargv));
	if (!nargv)
		return -ENOMEM;
	int n = 0;
	nargv[n++] = interp;
	if (arg[0])
		nargv[n++] = arg;
	nargv[n++] = path;
	for (int i = 1; i < argc; i++)
		nargv[n++] = argv[i];
	nargv[n] = NULL;
	err = exec_depth(p, interp, nargv, envp, out, depth + 1);
	kfree(nargv);
	if (err == -ENOENT && depth == 0)
		err = -ENOENT; /* a missing interpreter reads as ENOENT, as on Linux */
	if (!err)
		kstrlcpy(out->comm, basename_of(path), sizeof(out->comm));
	return err;
}

int exec_prepare(struct process *p, const char *path, const char *const argv[],
		 const char *const envp[], struct exec_result *out)
{
	memset(out, 0, sizeof(*out));
	cred_init_root(&out->cred); /* the kernel's own exec of init */
	return exec_depth(p, path, argv, envp, out, 0);
}

void exec_result_drop(struct exec_result *r)
{
	if (r->ctx)
		user_context_destroy(r->ctx);
	if (r->mm)
		mm_destroy(r->mm);
	kfree(r->exe_path);
	r->ctx = NULL;
	r->mm = NULL;
	r->exe_path = NULL;
}

/* ---- copying the arguments in ---- */

struct strv {
	char **v;
	int n;
	size_t bytes; /* strings + pointers, for the E2BIG rule */
};

static void strv_free(struct strv *s)
{
	for (int i = 0; i < s->n; i++)
		kfree(s->v[i]);
	kfree(s->v);
	s->v = NULL;
	s->n = 0;
}

static int strv_copy(struct thread *t, uint64_t uptr, struct strv *out, size_t limit)
{
	struct vm_space *vs = t->proc->mm->vs;
	int cap = 16;
	out->v = kmalloc((size_t)cap * sizeof(char *));
	out->n = 0;
	if (!out->v)
		return -ENOMEM;
	for (; uptr; uptr += sizeof(uint64_t)) {
		uint64_t sp;
		if (copy_from_user(vs, &sp, user_ptr(uptr), sizeof(sp)))
			return -EFAULT;
		if (!sp)
			break;
		if (out->n + 1 >= cap) {
			char **nv = kmalloc((size_t)cap * 2 * sizeof(char *));
			if (!nv)
				return -ENOMEM;
			memcpy(nv, out->v, (size_t)cap * sizeof(char *));
			kfree(out->v);
			out->v = nv;
			cap *= 2;
		}
		char *buf = kmalloc(PAGE_SIZE);
		if (!buf)
			return -ENOMEM;
		long len = strncpy_from_user(vs, buf, user_ptr(sp), PAGE_SIZE);
		if (len == PAGE_SIZE) {
			/* Long string: fetch it whole, up to MAX_ARG_STRLEN. */
			kfree(buf);
			buf = kmalloc(MAX_ARG_STRLEN);
			if (!buf)
				return -ENOMEM;
			len = strncpy_from_user(vs, buf, user_ptr(sp), MAX_ARG_STRLEN);
			if (len == MAX_ARG_STRLEN) {
				kfree(buf);
				return -E2BIG;
			}
		}
		if (len < 0) {
			kfree(buf);
			return -EFAULT;
		}
		out->v[out->n++] = buf;
		out->bytes += (size_t)len + 1 + sizeof(char *);
		if (out->bytes > limit)
			return -E2BIG;
	}
	out->v[out->n] = NULL;
	return 0;
}

/* Past the point of no return: kill the other threads and wait for them. */
static void de_thread(struct thread *self)
{
	struct process *p = self->proc;
	for (struct thread *t = p->threads; t; t = t->group_next) {
		if (t != self) {
			t->exiting = true;
			task_kick(t->task);
		}
	}
	wait_event(&p->child_wait, p->nr_threads == 1);
	if (self->tid != p->pid) {
		/* The survivor takes over the leader's id, as Linux does. */
		pid_unregister_thread(self);
		self->tid = p->pid;
		pid_register_thread(self);
	}
}

static void exec_commit(struct thread *t, struct exec_result *img)
{
	struct process *p = t->proc;

	de_thread(t);
	/* Linux's exec releases the old mm as an exit would: robust futexes
	 * are cleaned up and clear_child_tid is cleared and woken. */
	futex_thread_exit(t);
	/* A context goes before the address space it runs in. */
	user_context_destroy(t->ctx);
	t->ctx = img->ctx;
	mm_put(p->mm);
	p->mm = img->mm;
	process_sync_mm_limits(p);
	if (p->sighand->refcount > 1) {
		struct sighand *own = sighand_copy(p->sighand);
		if (own) {
			sighand_put(p->sighand);
			p->sighand = own;
		}
	}
	sighand_reset_for_exec(p->sighand);
	if (p->fds->refcount > 1) {
		struct fd_table *own = fd_table_copy(p->fds);
		if (own) {
			fd_table_put(p->fds);
			p->fds = own;
		}
	}
	fd_close_on_exec(p->fds);
	signal_exec(t);
	t->robust_list = t->robust_len = 0;
	t->clear_child_tid = 0;
	process_set_comm(p, img->comm);
	exec_record_image(p, img);
	p->cred = img->cred;
	if (img->secure)
		p->pdeath_signal = 0;
	p->did_exec = true;
	thread_release_vfork(t);
}

static long do_execve(struct thread *t, const char *path, uint64_t uargv, uint64_t uenvp)
{
	struct strv argv = { 0 }, envp = { 0 };
	/* Linux allows a quarter of the stack limit for arguments. */
	size_t limit = MAX(t->proc->rlim[RLIMIT_STACK].rlim_cur / 4, 32 * PAGE_SIZE);
	long err = strv_copy(t, uargv, &argv, limit);
	if (!err)
		err = strv_copy(t, uenvp, &envp, limit - MIN(limit, argv.bytes));
	if (err)
		goto out;
	/* An empty argv gets "" as argv[0], as Linux does since 5.18. */
	static char empty[] = "";
	char *argv0[] = { empty, NULL };
	const char *const *av = argv.n ? (const char *const *)argv.v : (const char *const *)argv0;
	struct exec_result img;
	err = exec_prepare(t->proc, path, av, (const char *const *)envp.v, &img);
	if (!err)
		exec_commit(t, &img);
out:
	strv_free(&argv);
	strv_free(&envp);
	return err;
}

static long copy_path(struct thread *t, uint64_t upath, char *buf)
{
	long len = strncpy_from_user(t->proc->mm->vs, buf, user_ptr(upath), PATH_MAX);
	if (len < 0)
		return len;
	if (len == PATH_MAX)
		return -ENAMETOOLONG;
	if (len == 0)
		return -ENOENT;
	return 0;
}

long sys_execve(struct thread *t, const uint64_t a[6])
{
	char *path = kmalloc(PATH_MAX);
	if (!path)
		return -ENOMEM;
	long err = copy_path(t, a[0], path);
	if (!err)
		err = do_execve(t, path, a[1], a[2]);
	kfree(path);
	return err;
}

#define AT_FDCWD (-100)
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_EMPTY_PATH 0x1000

long sys_execveat(struct thread *t, const uint64_t a[6])
{
	int dirfd = (int)a[0];
	uint64_t flags = a[4];
	if (flags & ~(uint64_t)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	char *path = kmalloc(PATH_MAX + 1);
	if (!path)
		return -ENOMEM;
	long err = copy_path(t, a[1], path + 1);
	if (!err && path[1] != '/') {
		/* No directories to be relative to until the VFS: only the root. */
		if (dirfd != AT_FDCWD)
			err = fd_get(t->proc->fds, dirfd) ? -ENOTDIR : -EBADF;
		else
			path[0] = '/';
	}
	if (!err)
		err = do_execve(t, path[1] == '/' ? path + 1 : path, a[2], a[3]);
	kfree(path);
	return err;
}
