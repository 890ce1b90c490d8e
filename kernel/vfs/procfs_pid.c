/*
 * procfs, per-process files: /proc/PID/{stat,status,statm,cmdline,comm,
 * environ,maps,mounts} (and the same under task/TID), in the formats of
 * proc(5). Values Jinux does not keep are 0, as Linux shows them for a
 * kernel without the feature.
 */
#include <jinux/heap.h>
#include <jinux/string.h>
#include <jinux/uaccess.h>
#include <jinux/vm_space.h>
#include <kernel/process.h>
#include <uapi/signal.h>
#include "vfs_internal.h"

#define USER_HZ 100                       /* AT_CLKTCK */
#define NS_PER_TICK (1000000000ULL / USER_HZ)
#define RLIM_INF_TEXT 0xffffffffffffffffULL

/*
 * The state letter. The core does not say whether another task is
 * runnable or asleep, so only the caller is "R"; the others are "S".
 */
static char state_of(struct process *p, struct thread *t)
{
	if (p->state == PROC_ZOMBIE)
		return 'Z';
	if (p->stopped)
		return 'T';
	struct thread *me = current_thread();
	if (t ? t == me : me->proc == p)
		return 'R';
	return 'S';
}

static const char *state_name(char c)
{
	switch (c) {
	case 'R': return "R (running)";
	case 'Z': return "Z (zombie)";
	case 'T': return "T (stopped)";
	case 'D': return "D (disk sleep)";
	default: return "S (sleeping)";
	}
}

static uint64_t vm_bytes(const struct process *p)
{
	return p->mm ? (uint64_t)p->mm->total_pages * PAGE_SIZE : 0;
}

static uint64_t rss_pages(const struct process *p)
{
	return p->mm ? vm_space_mapped_pages(p->mm->vs) : 0;
}

static uint64_t stack_bytes(const struct process *p)
{
	uint64_t n = 0;
	for (const struct mm_region *r = p->mm ? p->mm->regions : NULL; r; r = r->next)
		if (r->flags & MMR_STACK)
			n += r->end - r->start;
	return n;
}

static uint64_t ticks(uint64_t ns)
{
	return ns / NS_PER_TICK;
}

/* Signals with handler SIG_IGN (@ign) or a function (!@ign). */
static uint64_t sig_disposition_set(const struct process *p, bool ign)
{
	uint64_t set = 0;
	if (!p->sighand)
		return 0;
	for (int s = 1; s <= NSIG; s++) {
		uint64_t h = p->sighand->action[s - 1].handler;
		if (ign ? h == SIG_IGN : h > SIG_IGN)
			set |= 1ULL << (s - 1);
	}
	return set;
}

static struct thread *main_thread(struct process *p, struct thread *t)
{
	return t ? t : p->threads;
}

static int parent_pid(const struct process *p)
{
	return p->parent ? p->parent->pid : 0;
}

static void show_stat(struct process *p, struct thread *t, struct proc_buf *b)
{
	struct thread *th = main_thread(p, t);
	uint64_t blocked = th ? th->sig.blocked : 0;
	uint64_t pending = p->sig.shared_pending.set | (th ? th->sig.pending.set : 0);
	uint64_t boot_ns = p->start_ns;
	const struct mm *mm = p->mm;
	int code = p->state == PROC_ZOMBIE ? p->wait_status : 0;
	/* 1-13: pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt */
	pb_printf(b, "%d (%s) %c %d %d %d 0 -1 4194304 0 0 0 0 ", t ? t->tid : p->pid, p->comm,
		  state_of(p, t), parent_pid(p), p->pgid, p->sid);
	/* 14-24: utime stime cutime cstime priority nice num_threads itrealvalue starttime vsize rss */
	pb_printf(b, "%llu %llu %llu %llu 20 0 %u 0 %llu %llu %llu ",
		  (unsigned long long)ticks(p->utime_ns), (unsigned long long)ticks(p->stime_ns),
		  (unsigned long long)ticks(p->cutime_ns), (unsigned long long)ticks(p->cstime_ns),
		  p->nr_threads, (unsigned long long)ticks(boot_ns),
		  (unsigned long long)vm_bytes(p), (unsigned long long)rss_pages(p));
	/* 25-37: rsslim startcode endcode startstack kstkesp kstkeip signal blocked sigignore sigcatch wchan nswap cnswap */
	pb_printf(b, "%llu 0 0 0 0 0 %llu %llu %llu %llu 0 0 0 ", RLIM_INF_TEXT,
		  (unsigned long long)(pending & 0x7fffffff), (unsigned long long)(blocked & 0x7fffffff),
		  (unsigned long long)(sig_disposition_set(p, true) & 0x7fffffff),
		  (unsigned long long)(sig_disposition_set(p, false) & 0x7fffffff));
	/* 38-52: exit_signal processor rt_priority policy delayacct guest cguest start_data end_data start_brk arg_start arg_end env_start env_end exit_code */
	pb_printf(b, "%d 0 0 0 0 0 0 0 0 %lu %lu %lu %lu %lu %d\n", p->exit_signal,
		  (unsigned long)(mm ? mm->brk_start : 0), (unsigned long)p->arg_start,
		  (unsigned long)p->arg_end, (unsigned long)p->env_start,
		  (unsigned long)p->env_end, code);
}

static void show_status(struct process *p, struct thread *t, struct proc_buf *b)
{
	const struct creds *c = &p->cred;
	struct thread *th = main_thread(p, t);
	char st = state_of(p, t);
	pb_printf(b, "Name:\t%s\n", p->comm);
	pb_printf(b, "Umask:\t%04o\n", p->fs ? p->fs->umask : 022);
	pb_printf(b, "State:\t%s\n", state_name(st));
	pb_printf(b, "Tgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\nTracerPid:\t0\n", p->pid,
		  t ? t->tid : p->pid, parent_pid(p));
	pb_printf(b, "Uid:\t%u\t%u\t%u\t%u\n", c->uid, c->euid, c->suid, c->fsuid);
	pb_printf(b, "Gid:\t%u\t%u\t%u\t%u\n", c->gid, c->egid, c->sgid, c->fsgid);
	pb_printf(b, "FDSize:\t%d\nGroups:\t", p->fds ? FD_MAX : 0);
	for (uint32_t k = 0; k < c->ngroups; k++)
		pb_printf(b, "%u ", c->groups[k]);
	pb_printf(b, "\n");
	if (p->mm) {
		unsigned long kb = (unsigned long)(vm_bytes(p) / 1024);
		unsigned long rss = (unsigned long)(rss_pages(p) * PAGE_SIZE / 1024);
		pb_printf(b, "VmPeak:\t%8lu kB\nVmSize:\t%8lu kB\nVmLck:\t%8lu kB\nVmPin:\t%8lu kB\n",
			  kb, kb, 0UL, 0UL);
		pb_printf(b, "VmHWM:\t%8lu kB\nVmRSS:\t%8lu kB\nRssAnon:\t%8lu kB\n"
			  "RssFile:\t%8lu kB\nRssShmem:\t%8lu kB\n", rss, rss, rss, 0UL, 0UL);
		pb_printf(b, "VmData:\t%8lu kB\nVmStk:\t%8lu kB\nVmExe:\t%8lu kB\nVmLib:\t%8lu kB\n"
			  "VmPTE:\t%8lu kB\nVmSwap:\t%8lu kB\n",
			  (unsigned long)((p->mm->brk - p->mm->brk_start) / 1024),
			  (unsigned long)(stack_bytes(p) / 1024), 0UL, 0UL, 0UL, 0UL);
	}
	pb_printf(b, "Threads:\t%u\n", p->nr_threads);
	pb_printf(b, "SigQ:\t0/%llu\n", (unsigned long long)p->rlim[RLIMIT_SIGPENDING].rlim_cur);
	pb_printf(b, "SigPnd:\t%016llx\nShdPnd:\t%016llx\n",
		  (unsigned long long)(th ? th->sig.pending.set : 0),
		  (unsigned long long)p->sig.shared_pending.set);
	pb_printf(b, "SigBlk:\t%016llx\nSigIgn:\t%016llx\nSigCgt:\t%016llx\n",
		  (unsigned long long)(th ? th->sig.blocked : 0),
		  (unsigned long long)sig_disposition_set(p, true),
		  (unsigned long long)sig_disposition_set(p, false));
	pb_printf(b, "CapInh:\t%016llx\nCapPrm:\t%016llx\nCapEff:\t%016llx\n"
		  "CapBnd:\t%016llx\nCapAmb:\t%016llx\n",
		  (unsigned long long)c->cap_inheritable, (unsigned long long)c->cap_permitted,
		  (unsigned long long)c->cap_effective, (unsigned long long)c->cap_bset,
		  (unsigned long long)c->cap_ambient);
	pb_printf(b, "NoNewPrivs:\t0\nSeccomp:\t0\n");
	pb_printf(b, "voluntary_ctxt_switches:\t0\nnonvoluntary_ctxt_switches:\t0\n");
}

static void show_statm(struct process *p, struct proc_buf *b)
{
	uint64_t data = p->mm ? (p->mm->brk - p->mm->brk_start) / PAGE_SIZE : 0;
	pb_printf(b, "%llu %llu 0 0 0 %llu 0\n", (unsigned long long)(vm_bytes(p) / PAGE_SIZE),
		  (unsigned long long)rss_pages(p), (unsigned long long)data);
}

/* Bytes [start, end) of @p's memory (cmdline, environ); nothing for a zombie. */
static void show_user_range(struct process *p, uintptr_t start, uintptr_t end,
			    struct proc_buf *b)
{
	char chunk[256];
	if (!p->mm || !start || end <= start)
		return;
	for (uintptr_t a = start; a < end;) {
		size_t n = MIN(sizeof(chunk), end - a);
		if (copy_from_user(p->mm->vs, chunk, user_ptr(a), n))
			return;
		pb_put(b, chunk, n);
		a += n;
	}
}

/*
 * The name of a region: a mapped file's path, [heap], [stack], or the
 * program's path for its image (exec maps the ELF's segments from a
 * cached memory object, not from the file, so the image is recognised
 * as the object of the lowest object-backed private mapping).
 */
static void region_name(struct process *p, const struct mm_region *r, const struct vmo *image,
			char *buf, size_t size, struct process *reader)
{
	buf[0] = '\0';
	if (r->file) {
		const struct path *path = vfs_file_path(r->file);
		if (path)
			vfs_path_name(path, &process_fs(reader)->root, buf, size);
	} else if (r->flags & MMR_HEAP) {
		kstrlcpy(buf, "[heap]", size);
	} else if (r->flags & MMR_STACK) {
		kstrlcpy(buf, "[stack]", size);
	} else if (r->obj.obj && r->obj.obj == image && p->exe_path) {
		kstrlcpy(buf, p->exe_path, size);
	}
}

static void show_maps(struct process *p, struct process *reader, struct proc_buf *b)
{
	if (!p->mm)
		return;
	const struct vmo *image = NULL;
	for (const struct mm_region *r = p->mm->regions; r && !image; r = r->next)
		if (r->obj.obj && !(r->flags & MMR_SHARED))
			image = r->obj.obj;
	char *name = kmalloc(VFS_PATH_MAX);
	if (!name) {
		b->oom = true;
		return;
	}
	for (const struct mm_region *r = p->mm->regions; r; r = r->next) {
		region_name(p, r, image, name, VFS_PATH_MAX, reader);
		size_t before = b->len;
		pb_printf(b, "%08lx-%08lx %c%c%c%c %08llx 00:00 0 ", (unsigned long)r->start,
			  (unsigned long)r->end, (r->prot & VM_READ) ? 'r' : '-',
			  (r->prot & VM_WRITE) ? 'w' : '-', (r->prot & VM_EXEC) ? 'x' : '-',
			  (r->flags & MMR_SHARED) ? 's' : 'p',
			  (unsigned long long)((r->file || r->obj.obj) ? r->pgoff * PAGE_SIZE : 0));
		if (name[0]) {
			/* Linux pads the name to column 74. */
			size_t col = b->len - before;
			for (; col < 73; col++)
				pb_put(b, " ", 1);
			pb_printf(b, "%s", name);
		}
		pb_put(b, "\n", 1);
	}
	kfree(name);
}

int procfs_show_process(unsigned kind, struct process *p, struct thread *t,
			struct process *reader, struct proc_buf *b)
{
	switch (kind) {
	case PROC_P_STAT:
		show_stat(p, t, b);
		break;
	case PROC_P_STATUS:
		show_status(p, t, b);
		break;
	case PROC_P_STATM:
		show_statm(p, b);
		break;
	case PROC_P_CMDLINE:
		show_user_range(p, p->arg_start, p->arg_end, b);
		break;
	case PROC_P_ENVIRON:
		show_user_range(p, p->env_start, p->env_end, b);
		break;
	case PROC_P_COMM:
		pb_printf(b, "%s\n", p->comm);
		break;
	case PROC_P_MAPS:
		show_maps(p, reader, b);
		break;
	case PROC_P_MOUNTS:
		if (p->fs)
			procfs_show_mounts(&p->fs->root, b);
		break;
	default:
		break;
	}
	return 0;
}
