/*
 * procfs, system-wide files: meminfo, uptime, loadavg, stat, version,
 * cpuinfo, filesystems, mounts, and sys/kernel/{hostname,ostype,
 * osrelease,pid_max}, in the formats of proc(5).
 *
 * Jinux keeps no load average (loadavg shows 0.00), no idle-time or
 * interrupt accounting (0), no page cache or swap (Buffers, Cached and
 * the swap lines are 0); memory figures come from the core's frame counts.
 */
#include <jinux/frame.h>
#include <jinux/heap.h>
#include <jinux/machine.h>
#include <jinux/string.h>
#include <jinux/time.h>
#include <kernel/pid.h>
#include <kernel/process.h>
#include "vfs_internal.h"

#define USER_HZ 100
#define NS_PER_TICK (1000000000ULL / USER_HZ)

/* What uname(2) reports (kernel/syscall/sys_info.c). */
#define PROC_OSTYPE "Linux"
#define PROC_RELEASE "6.1.0-jinux"
#define PROC_HOSTNAME "jinux"

static void show_meminfo(struct proc_buf *b)
{
	unsigned long total = (unsigned long)frames_total() * (PAGE_SIZE / 1024);
	unsigned long free = (unsigned long)frames_free() * (PAGE_SIZE / 1024);
	pb_printf(b, "MemTotal:       %8lu kB\n", total);
	pb_printf(b, "MemFree:        %8lu kB\n", free);
	pb_printf(b, "MemAvailable:   %8lu kB\n", free);
	static const char *const zero[] = {
		"Buffers", "Cached", "SwapCached", "Active", "Inactive", "Unevictable",
		"Mlocked", "SwapTotal", "SwapFree", "Dirty", "Writeback", "AnonPages",
		"Mapped", "Shmem", "Slab", "SReclaimable", "SUnreclaim", "KernelStack",
		"PageTables", "CommitLimit", "Committed_AS",
	};
	for (size_t k = 0; k < ARRAY_SIZE(zero); k++) {
		size_t len = strlen(zero[k]);
		pb_printf(b, "%s:", zero[k]);
		for (; len < 15; len++)
			pb_put(b, " ", 1);
		pb_printf(b, "%8lu kB\n", 0UL);
	}
}

static void show_uptime(struct proc_buf *b)
{
	uint64_t cs = clock_monotonic_ns() / 10000000ULL;    /* hundredths */
	pb_printf(b, "%llu.%02llu 0.00\n", (unsigned long long)(cs / 100),
		  (unsigned long long)(cs % 100));
}

struct counts {
	unsigned procs, threads, running;
	int last_pid;
	uint64_t last_start, user_ns, sys_ns;
};

static void count_one(struct process *p, void *arg)
{
	struct counts *c = arg;
	c->procs++;
	c->threads += p->nr_threads;
	c->user_ns += p->utime_ns;
	c->sys_ns += p->stime_ns;
	if (p->start_ns >= c->last_start) {
		c->last_start = p->start_ns;
		c->last_pid = p->pid;
	}
}

static void count_all(struct counts *c)
{
	*c = (struct counts){ 0 };
	process_for_each(count_one, c);
	c->running = 1;    /* the reader; see state_of() in procfs_pid.c */
}

static void show_loadavg(struct proc_buf *b)
{
	struct counts c;
	count_all(&c);
	pb_printf(b, "0.00 0.00 0.00 %u/%u %d\n", c.running, c.threads, c.last_pid);
}

static void show_stat(struct proc_buf *b)
{
	struct counts c;
	count_all(&c);
	uint64_t up = clock_monotonic_ns() / NS_PER_TICK;
	uint64_t user = c.user_ns / NS_PER_TICK, sys = c.sys_ns / NS_PER_TICK;
	uint64_t idle = up > user + sys ? up - user - sys : 0;
	for (int k = 0; k < 2; k++)
		pb_printf(b, "cpu%s %llu 0 %llu %llu 0 0 0 0 0 0\n", k ? "0" : " ",
			  (unsigned long long)user, (unsigned long long)sys,
			  (unsigned long long)idle);
	uint64_t btime = (clock_realtime_ns() - clock_monotonic_ns()) / 1000000000ULL;
	pb_printf(b, "intr 0\nctxt 0\nbtime %llu\nprocesses %d\nprocs_running %u\n"
		  "procs_blocked 0\n", (unsigned long long)btime, c.last_pid, c.running);
}

/* CPUID leaf 1 EDX bits, as Linux names them in the flags line. */
static const char *const edx_flags[32] = {
	"fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce", "cx8", "apic", NULL, "sep",
	"mtrr", "pge", "mca", "cmov", "pat", "pse36", "pn", "clflush", NULL, "dts", "acpi",
	"mmx", "fxsr", "sse", "sse2", "ss", "ht", "tm", "ia64", "pbe",
};

static void show_cpuinfo(struct proc_buf *b)
{
	uint64_t hw = cpu_hwcap();
	pb_printf(b, "processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 6\n"
		  "model\t\t: 0\nmodel name\t: Jinux virtual CPU\nstepping\t: 0\n"
		  "cpu MHz\t\t: 1000.000\ncache size\t: 0 KB\nphysical id\t: 0\n"
		  "siblings\t: 1\ncore id\t\t: 0\ncpu cores\t: 1\napicid\t\t: 0\n"
		  "initial apicid\t: 0\nfpu\t\t: %s\nfpu_exception\t: yes\ncpuid level\t: 1\n"
		  "wp\t\t: yes\nflags\t\t:", (hw & 1) ? "yes" : "no");
	for (int k = 0; k < 32; k++)
		if (edx_flags[k] && (hw & (1ULL << k)))
			pb_printf(b, " %s", edx_flags[k]);
	pb_printf(b, "\nbogomips\t: 2000.00\nclflush size\t: 64\ncache_alignment\t: 64\n"
		  "address sizes\t: 48 bits physical, 48 bits virtual\npower management:\n\n");
}

/* A name in /proc/mounts: space, tab, newline and backslash as octal escapes. */
static void put_escaped(struct proc_buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\\')
			pb_printf(b, "\\%03o", (unsigned char)*s);
		else
			pb_put(b, s, 1);
	}
}

struct mounts_arg {
	const struct path *root;
	struct proc_buf *b;
	char *buf;
};

static void show_mount(struct mount *m, void *arg)
{
	struct mounts_arg *a = arg;
	struct path at = { m, m->root };
	if (vfs_path_name(&at, a->root, a->buf, VFS_PATH_MAX) < 0)
		return;
	const char *type = m->sb->fstype;
	put_escaped(a->b, type);
	pb_put(a->b, " ", 1);
	put_escaped(a->b, a->buf);
	pb_printf(a->b, " %s %s%s%s%s 0 0\n", type, (m->flags & MS_RDONLY) ? "ro" : "rw",
		  (m->flags & MS_NOSUID) ? ",nosuid" : "", (m->flags & MS_NODEV) ? ",nodev" : "",
		  (m->flags & MS_NOEXEC) ? ",noexec" : "");
}

void procfs_show_mounts(const struct path *root, struct proc_buf *b)
{
	struct mounts_arg a = { root, b, kmalloc(VFS_PATH_MAX) };
	if (!a.buf) {
		b->oom = true;
		return;
	}
	mount_for_each(show_mount, &a);
	kfree(a.buf);
}

int procfs_show_system(unsigned kind, struct process *reader, struct proc_buf *b)
{
	switch (kind) {
	case PROC_MEMINFO:
		show_meminfo(b);
		break;
	case PROC_UPTIME:
		show_uptime(b);
		break;
	case PROC_LOADAVG:
		show_loadavg(b);
		break;
	case PROC_STAT:
		show_stat(b);
		break;
	case PROC_VERSION:
		pb_printf(b, "Linux version %s (jinux@jinux) (musl-gcc) #1 Jinux\n", PROC_RELEASE);
		break;
	case PROC_CPUINFO:
		show_cpuinfo(b);
		break;
	case PROC_FILESYSTEMS:
		pb_printf(b, "nodev\ttmpfs\nnodev\tdevtmpfs\nnodev\tramfs\nnodev\tproc\n");
		break;
	case PROC_K_HOSTNAME:
		pb_printf(b, "%s\n", PROC_HOSTNAME);
		break;
	case PROC_K_OSTYPE:
		pb_printf(b, "%s\n", PROC_OSTYPE);
		break;
	case PROC_K_OSRELEASE:
		pb_printf(b, "%s\n", PROC_RELEASE);
		break;
	case PROC_K_PIDMAX:
		pb_printf(b, "%d\n", PID_MAX);
		break;
	default:
		(void)reader;
		break;
	}
	return 0;
}
