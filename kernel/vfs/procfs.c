/*
 * procfs: the "proc" file system, Linux's window on processes and the
 * kernel (proc(5)). Its names live in the dentry tree like tmpfs's, but
 * the kernel makes them up as they are asked for (struct fs_ops): a
 * lookup brings the one name up to date (a /proc/PID directory appears
 * for a live or zombie process and goes when it is reaped, /proc/self
 * points at the caller, fd/N and exe/cwd/root get their targets), a
 * getdents lists what exists now, and an open generates the whole file
 * into a buffer the open file keeps (a snapshot, as Linux's seq_file
 * gives). Users cannot create, remove or write anything.
 *
 * This file holds the file system and its directories; the contents are
 * in procfs_pid.c (per process) and procfs_sys.c (system-wide).
 */
#include <jinux/errno.h>
#include <jinux/heap.h>
#include <jinux/string.h>
#include <jinux/uaccess.h>
#include <kernel/pipe.h>
#include <kernel/process.h>
#include <uapi/fcntl.h>
#include "vfs_internal.h"

struct proc_entry {
	const char *name;
	unsigned kind;
	uint32_t mode;
};

static const struct proc_entry root_entries[] = {
	{ "self", PROC_SELF, S_IFLNK | 0777 },
	{ "thread-self", PROC_THREAD_SELF, S_IFLNK | 0777 },
	{ "mounts", PROC_MOUNTS_LINK, S_IFLNK | 0777 },
	{ "meminfo", PROC_MEMINFO, S_IFREG | 0444 },
	{ "uptime", PROC_UPTIME, S_IFREG | 0444 },
	{ "loadavg", PROC_LOADAVG, S_IFREG | 0444 },
	{ "stat", PROC_STAT, S_IFREG | 0444 },
	{ "version", PROC_VERSION, S_IFREG | 0444 },
	{ "cpuinfo", PROC_CPUINFO, S_IFREG | 0444 },
	{ "filesystems", PROC_FILESYSTEMS, S_IFREG | 0444 },
	{ "sys", PROC_SYS, S_IFDIR | 0555 },
};

static const struct proc_entry sys_entries[] = {
	{ "kernel", PROC_SYS_KERNEL, S_IFDIR | 0555 },
};

/* Linux lets root write hostname and pid_max; here they are read-only. */
static const struct proc_entry kernel_entries[] = {
	{ "hostname", PROC_K_HOSTNAME, S_IFREG | 0444 },
	{ "ostype", PROC_K_OSTYPE, S_IFREG | 0444 },
	{ "osrelease", PROC_K_OSRELEASE, S_IFREG | 0444 },
	{ "pid_max", PROC_K_PIDMAX, S_IFREG | 0444 },
};

/* /proc/PID and /proc/PID/task/TID (which has all but the last, "task"). */
static const struct proc_entry pid_entries[] = {
	{ "stat", PROC_P_STAT, S_IFREG | 0444 },
	{ "status", PROC_P_STATUS, S_IFREG | 0444 },
	{ "cmdline", PROC_P_CMDLINE, S_IFREG | 0444 },
	{ "comm", PROC_P_COMM, S_IFREG | 0444 },
	{ "environ", PROC_P_ENVIRON, S_IFREG | 0400 },
	{ "maps", PROC_P_MAPS, S_IFREG | 0444 },
	{ "statm", PROC_P_STATM, S_IFREG | 0444 },
	{ "mounts", PROC_P_MOUNTS, S_IFREG | 0444 },
	{ "exe", PROC_EXE, S_IFLNK | 0777 },
	{ "cwd", PROC_CWD, S_IFLNK | 0777 },
	{ "root", PROC_ROOTLINK, S_IFLNK | 0777 },
	{ "fd", PROC_FD, S_IFDIR | 0500 },
	{ "task", PROC_TASK, S_IFDIR | 0555 },
};

/* ---- the text buffer generated files are written into ---- */

static bool pb_grow(struct proc_buf *b, size_t more)
{
	if (b->oom)
		return false;
	if (b->len + more + 1 <= b->cap)
		return true;
	size_t cap = MAX(b->cap * 2, b->len + more + 1);
	cap = MAX(cap, (size_t)256);
	char *data = kmalloc(cap);
	if (!data) {
		b->oom = true;
		return false;
	}
	if (b->len)
		memcpy(data, b->data, b->len);
	kfree(b->data);
	b->data = data;
	b->cap = cap;
	return true;
}

void pb_put(struct proc_buf *b, const void *s, size_t len)
{
	if (!pb_grow(b, len))
		return;
	memcpy(b->data + b->len, s, len);
	b->len += len;
}

void pb_printf(struct proc_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = kvsnprintf(b->data ? b->data + b->len : NULL, b->data ? b->cap - b->len : 0,
			   fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (b->data && b->len + (size_t)n < b->cap) {
		b->len += (size_t)n;
		return;
	}
	if (!pb_grow(b, (size_t)n))
		return;
	va_start(ap, fmt);
	kvsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* ---- names ---- */

/* A decimal id without sign or leading zeros (Linux's name_to_int), or -1. */
static int parse_id(const char *name, size_t len)
{
	if (len == 0 || len > 9 || (len > 1 && name[0] == '0'))
		return -1;
	int v = 0;
	for (size_t k = 0; k < len; k++) {
		if (name[k] < '0' || name[k] > '9')
			return -1;
		v = v * 10 + (name[k] - '0');
	}
	return v;
}

/* The live or zombie process an inode was made for, or NULL once it is reaped. */
static struct process *proc_of(const struct inode *i)
{
	struct process *p = process_find(i->synth.pid);
	return p && p->pid == i->synth.pid && p->start_ns == i->synth.gen ? p : NULL;
}

/* The thread of a task/TID inode, or NULL. */
static struct thread *thread_of(const struct inode *i, struct process *p)
{
	struct thread *t = thread_find(i->synth.arg);
	return t && t->proc == p ? t : NULL;
}

static struct process *reader(void)
{
	return current_process();
}

static struct dentry *proc_add(struct dentry *dir, const char *name, unsigned kind,
			       uint32_t mode, const struct process *p, int arg)
{
	int err;
	uint32_t uid = p ? p->cred.euid : 0, gid = p ? p->cred.egid : 0;
	struct inode *i = tmpfs_new_inode(dir->inode->sb, mode, uid, gid, &err);
	if (!i)
		return NULL;
	i->synth.kind = kind;
	i->synth.pid = p ? p->pid : 0;
	i->synth.arg = arg;
	i->synth.gen = p ? p->start_ns : 0;
	struct dentry *d = d_alloc_link(dir, name, strlen(name), i);
	if (!d) {
		inode_put(i);
		return NULL;
	}
	if (S_ISDIR(mode))
		dir->inode->nlink++;
	return d;
}

static void proc_remove(struct dentry *d)
{
	if (S_ISDIR(d->inode->mode)) {
		d_kill_tree(d);
		d->parent->inode->nlink--;
	}
	d_unlink(d);
}

static int add_entries(struct dentry *dir, const struct proc_entry *e, size_t n,
		       const struct process *p, int arg)
{
	for (size_t k = 0; k < n; k++)
		if (!proc_add(dir, e[k].name, e[k].kind, e[k].mode, p, arg))
			return -ENOMEM;
	return 0;
}

static void set_link(struct dentry *d, const char *target)
{
	struct inode *i = d->inode;
	size_t len = strlen(target);
	i->size = 0;
	if (inode_reserve(i, len + 1))
		return;
	memcpy(i->data, target, len + 1);
	i->size = len;
}

/* /proc/PID (@tid 0) or /proc/PID/task/TID, with its entries. */
static void make_pid_dir(struct dentry *dir, const char *name, struct process *p, int tid)
{
	struct dentry *d = proc_add(dir, name, tid ? PROC_TID : PROC_PID, S_IFDIR | 0555, p, tid);
	if (!d)
		return;
	size_t n = ARRAY_SIZE(pid_entries) - (tid ? 1 : 0);
	if (add_entries(d, pid_entries, n, p, tid))
		proc_remove(d);
}

/* Make child @name of @dir match process @p (NULL: none). */
static void pid_refresh(struct dentry *dir, const char *name, size_t len, struct process *p,
			int tid)
{
	struct dentry *d = d_lookup(dir, name, len);
	if (d && (!p || d->inode->synth.gen != p->start_ns)) {
		proc_remove(d);
		d = NULL;
	}
	if (!d && p) {
		char id[16];   /* @name may run on into the rest of a path */
		kstrlcpy(id, name, MIN(len + 1, sizeof(id)));
		make_pid_dir(dir, id, p, tid);
	}
	else if (d) {
		d->inode->uid = p->cred.euid;
		d->inode->gid = p->cred.egid;
	}
}

static int root_lookup(struct dentry *dir, const char *name, size_t len)
{
	char buf[40];
	int id = parse_id(name, len);
	if (id > 0) {
		struct process *p = process_find(id);
		pid_refresh(dir, name, len, p && p->pid == id ? p : NULL, 0);
		return 0;
	}
	struct dentry *d = d_lookup(dir, name, len);
	if (!d)
		return 0;
	struct thread *t = current_thread();
	if (d->inode->synth.kind == PROC_SELF) {
		ksnprintf(buf, sizeof(buf), "%d", t->proc->pid);
		set_link(d, buf);
	} else if (d->inode->synth.kind == PROC_THREAD_SELF) {
		ksnprintf(buf, sizeof(buf), "%d/task/%d", t->proc->pid, t->tid);
		set_link(d, buf);
	}
	return 0;
}

/* The path of @where as the reader sees it, into @buf; "" if it has none. */
static void path_text(const struct path *where, char *buf, size_t size)
{
	struct fs_context *fs = process_fs(reader());
	buf[0] = '\0';
	if (vfs_path_name(where, &fs->root, buf, size) < 0) {
		if (d_is_dead(where->dentry))
			ksnprintf(buf, size, "/%s (deleted)", where->dentry->name);
		else
			buf[0] = '\0';
	}
}

/* What readlink of /proc/PID/fd/N gives for @f. */
static void file_text(struct file *f, char *buf, size_t size)
{
	const struct path *path = vfs_file_path(f);
	if (path) {
		path_text(path, buf, size);
	} else if (file_is_pipe(f)) {
		/* Both ends of a pipe show one number (the pipe's identity). */
		uint64_t id = ((uint64_t)(uintptr_t)f->priv >> 4) * 0x9e3779b1u;
		ksnprintf(buf, size, "pipe:[%u]", (unsigned)(id & 0x7fffffff));
	} else {
		kstrlcpy(buf, "/dev/console", size);
	}
}

static uint32_t fd_mode(const struct file *f)
{
	switch (f->flags & O_ACCMODE) {
	case O_RDONLY: return S_IFLNK | 0500;
	case O_WRONLY: return S_IFLNK | 0300;
	default: return S_IFLNK | 0700;
	}
}

static void add_fd(struct dentry *dir, struct process *p, int fd, char *buf)
{
	struct file *f = p->fds ? fd_get(p->fds, fd) : NULL;
	if (!f)
		return;
	char name[16];
	ksnprintf(name, sizeof(name), "%d", fd);
	struct dentry *d = proc_add(dir, name, PROC_FD_LINK, fd_mode(f), p, fd);
	if (!d)
		return;
	file_text(f, buf, VFS_PATH_MAX);
	set_link(d, buf);
}

/* Refresh fd/@name in place (a listing in progress keeps its offsets). */
static int fd_lookup(struct dentry *dir, struct process *p, const char *name, size_t len)
{
	int fd = parse_id(name, len);
	struct dentry *d = d_lookup(dir, name, len);
	struct file *f = fd >= 0 && fd < FD_MAX && p->fds ? fd_get(p->fds, fd) : NULL;
	if (d && !f)
		proc_remove(d);
	if (!f)
		return 0;
	char *buf = kmalloc(VFS_PATH_MAX);
	if (!buf)
		return -ENOMEM;
	if (d) {
		d->inode->mode = fd_mode(f);
		d->inode->uid = p->cred.euid;
		d->inode->gid = p->cred.egid;
		file_text(f, buf, VFS_PATH_MAX);
		set_link(d, buf);
	} else {
		add_fd(dir, p, fd, buf);
	}
	kfree(buf);
	return 0;
}

static int pid_child_lookup(struct dentry *dir, struct process *p, const char *name,
			    size_t len)
{
	struct dentry *d = d_lookup(dir, name, len);
	if (!d)
		return 0;
	struct inode *i = d->inode;
	i->uid = p->cred.euid;
	i->gid = p->cred.egid;
	unsigned kind = i->synth.kind;
	if (kind != PROC_EXE && kind != PROC_CWD && kind != PROC_ROOTLINK)
		return 0;
	char *buf = kmalloc(VFS_PATH_MAX);
	if (!buf)
		return -ENOMEM;
	buf[0] = '\0';
	if (kind == PROC_EXE && p->exe_path)
		kstrlcpy(buf, p->exe_path, VFS_PATH_MAX);
	else if (kind == PROC_CWD && p->fs)
		path_text(&p->fs->cwd, buf, VFS_PATH_MAX);
	else if (kind == PROC_ROOTLINK && p->fs)
		path_text(&p->fs->root, buf, VFS_PATH_MAX);
	set_link(d, buf);
	kfree(buf);
	return 0;
}

static int proc_lookup(struct dentry *dir, const char *name, size_t len)
{
	struct inode *di = dir->inode;
	if (di->synth.kind == PROC_ROOT)
		return root_lookup(dir, name, len);
	if (di->synth.kind < PROC_PID || di->synth.kind > PROC_FD)
		return 0;
	/* Everything below /proc/PID goes with the process. */
	struct process *p = proc_of(di);
	if (!p || (di->synth.arg && !thread_of(di, p)))
		return -ENOENT;
	switch (di->synth.kind) {
	case PROC_PID:
	case PROC_TID:
		return pid_child_lookup(dir, p, name, len);
	case PROC_FD:
		return fd_lookup(dir, p, name, len);
	case PROC_TASK: {
		int tid = parse_id(name, len);
		struct thread *t = tid > 0 ? thread_find(tid) : NULL;
		if (tid > 0)
			pid_refresh(dir, name, len, t && t->proc == p ? p : NULL, tid);
		return 0;
	}
	default:
		return 0;
	}
}

/* ---- listing ---- */

struct root_fill {
	struct dentry *dir;
};

static void add_process(struct process *p, void *arg)
{
	struct root_fill *rf = arg;
	char name[16];
	int len = ksnprintf(name, sizeof(name), "%d", p->pid);
	pid_refresh(rf->dir, name, (size_t)len, p, 0);
}

static void root_readdir(struct dentry *dir)
{
	for (struct dentry *c = dir->first_child, *next; c; c = next) {
		next = c->next_sib;
		if (c->inode->synth.kind == PROC_PID && !proc_of(c->inode))
			proc_remove(c);
	}
	struct root_fill rf = { dir };
	process_for_each(add_process, &rf);
}

static void task_readdir(struct dentry *dir, struct process *p)
{
	for (struct dentry *c = dir->first_child, *next; c; c = next) {
		next = c->next_sib;
		if (!thread_of(c->inode, p))
			proc_remove(c);
	}
	for (struct thread *t = p->threads; t; t = t->group_next) {
		char name[16];
		int len = ksnprintf(name, sizeof(name), "%d", t->tid);
		pid_refresh(dir, name, (size_t)len, p, t->tid);
	}
}

/*
 * Entries that stay keep their getdents offsets (a listing in several
 * calls must not see them again); closed descriptors go, new ones come.
 */
static void fd_readdir(struct dentry *dir, struct process *p)
{
	for (struct dentry *c = dir->first_child, *next; c; c = next) {
		next = c->next_sib;
		if (!p->fds || !fd_get(p->fds, c->inode->synth.arg))
			proc_remove(c);
	}
	char *buf = kmalloc(VFS_PATH_MAX);
	if (!buf || !p->fds) {
		kfree(buf);
		return;
	}
	for (int fd = 0; fd < FD_MAX; fd++) {
		char name[16];
		int len = ksnprintf(name, sizeof(name), "%d", fd);
		if (fd_get(p->fds, fd) && !d_lookup(dir, name, (size_t)len))
			add_fd(dir, p, fd, buf);
	}
	kfree(buf);
}

static void proc_readdir(struct dentry *dir)
{
	struct inode *di = dir->inode;
	if (di->synth.kind == PROC_ROOT) {
		root_readdir(dir);
		return;
	}
	if (di->synth.kind != PROC_TASK && di->synth.kind != PROC_FD)
		return;
	struct process *p = proc_of(di);
	if (!p || (di->synth.arg && !thread_of(di, p))) {
		while (dir->first_child)
			proc_remove(dir->first_child);
		return;
	}
	if (di->synth.kind == PROC_TASK)
		task_readdir(dir, p);
	else
		fd_readdir(dir, p);
}

/* ---- open files: a snapshot made at open ---- */

struct proc_file {
	struct vfs_file vf;      /* first: vfs_file_release() frees the whole */
	bool per_process;
	size_t len;
	char data[];
};

static ssize_t proc_read(struct file *f, struct thread *t, void __user *buf, size_t len)
{
	struct proc_file *pf = f->priv;
	if (pf->per_process && !proc_of(pf->vf.path.dentry->inode))
		return -ESRCH;
	if (pf->vf.pos < 0 || (uint64_t)pf->vf.pos >= pf->len)
		return 0;
	size_t n = MIN(len, pf->len - (size_t)pf->vf.pos);
	if (copy_to_user(t->proc->mm->vs, buf, pf->data + pf->vf.pos, n))
		return -EFAULT;
	pf->vf.pos += (int64_t)n;
	return (ssize_t)n;
}

/* Linux: no write method gives EINVAL (per-process files), EIO (the others). */
static ssize_t proc_write(struct file *f, struct thread *t, const void __user *buf, size_t len)
{
	struct proc_file *pf = f->priv;
	(void)t, (void)buf, (void)len;
	return pf->per_process ? -EINVAL : -EIO;
}

static int64_t proc_llseek(struct file *f, struct thread *t, int64_t off, int whence)
{
	struct proc_file *pf = f->priv;
	(void)t;
	if (whence == SEEK_CUR)
		off += pf->vf.pos;
	else if (whence == SEEK_END)
		off += (int64_t)pf->len;
	else if (whence != SEEK_SET)
		return -EINVAL;
	if (off < 0)
		return -EINVAL;
	return pf->vf.pos = off;
}

static const struct file_ops proc_file_ops = {
	.read = proc_read,
	.write = proc_write,
	.llseek = proc_llseek,
	.release = vfs_file_release,
};

/* environ: Linux's ptrace_may_access(PTRACE_MODE_READ): the same ids, or CAP_SYS_PTRACE. */
static bool may_read_environ(struct process *r, const struct process *p)
{
	const struct creds *c = vfs_creds(r), *o = &p->cred;
	if (c->fsuid == o->uid && c->fsuid == o->euid && c->fsuid == o->suid &&
	    c->fsgid == o->gid && c->fsgid == o->egid && c->fsgid == o->sgid)
		return true;
	return capable(c, CAP_SYS_PTRACE);
}

static int proc_open(struct process *rp, const struct path *path, unsigned flags,
		     struct file **out)
{
	const struct inode *i = path->dentry->inode;
	unsigned kind = i->synth.kind;
	bool per_process = proc_kind_per_process(kind);
	struct proc_buf b = { 0 };
	int err;
	if (per_process) {
		struct process *p = proc_of(i);
		struct thread *t = NULL;
		if (!p || (i->synth.arg && !(t = thread_of(i, p))))
			return -ENOENT;
		if (kind == PROC_P_ENVIRON && !may_read_environ(rp, p))
			return -EACCES;
		err = procfs_show_process(kind, p, t, rp, &b);
	} else {
		err = procfs_show_system(kind, rp, &b);
	}
	if (!err && b.oom)
		err = -ENOMEM;
	struct proc_file *pf = err ? NULL : kzalloc(sizeof(*pf) + b.len);
	if (!err && !pf)
		err = -ENOMEM;
	if (err) {
		kfree(b.data);
		return err;
	}
	pf->per_process = per_process;
	pf->len = b.len;
	if (b.len)
		memcpy(pf->data, b.data, b.len);
	kfree(b.data);
	pf->vf.path = *path;
	struct file *f = file_alloc(&proc_file_ops, flags, pf);
	if (!f) {
		kfree(pf);
		return -ENOMEM;
	}
	path_get(path);
	*out = f;
	return 0;
}

static const struct fs_ops proc_fs_ops = {
	.lookup = proc_lookup,
	.readdir = proc_readdir,
	.open = proc_open,
};

struct super_block *procfs_create_sb(void)
{
	struct super_block *sb = tmpfs_create_sb("proc", 0, 0, 0555);
	if (!sb)
		return NULL;
	sb->ops = &proc_fs_ops;
	struct dentry *root = sb->root, *sys, *kernel;
	root->inode->synth.kind = PROC_ROOT;
	if (add_entries(root, root_entries, ARRAY_SIZE(root_entries), NULL, 0))
		goto fail;
	set_link(d_lookup(root, "mounts", 6), "self/mounts");
	sys = d_lookup(root, "sys", 3);
	if (add_entries(sys, sys_entries, ARRAY_SIZE(sys_entries), NULL, 0))
		goto fail;
	kernel = d_lookup(sys, "kernel", 6);
	if (add_entries(kernel, kernel_entries, ARRAY_SIZE(kernel_entries), NULL, 0))
		goto fail;
	return sb;
fail:
	sb_put(sb);
	return NULL;
}
