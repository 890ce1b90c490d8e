/*
 * The executable image cache: a memory object holding a copy of each
 * recently executed file, so that exec maps the file's pages
 * copy-on-write instead of copying the whole file every time. It plays
 * the part of Linux's page cache for exec until tmpfs keeps file data
 * in frames itself (then the inode's own object replaces this cache).
 *
 * Sharing the frames also matters under QEMU: its translated code is
 * indexed by physical address, so a program whose text stays in the same
 * frames is not translated again by every process that runs it.
 *
 * An entry holds a reference to its inode and is valid while the inode's
 * data buffer, size, mtime and ctime are unchanged: every write,
 * truncation or allocation sets ctime to the current nanosecond, and
 * utimensat cannot set ctime. The cache is small (EXEC_CACHE_SLOTS
 * entries, least recently used evicted) and emptied by
 * exec_cache_flush(). The kernel is not preemptible and runs on one
 * CPU, so no lock is needed.
 */
#include <jinux/errno.h>
#include <jinux/frame.h>
#include <jinux/string.h>
#include <kernel/exec.h>
#include <kernel/vfs.h>
#include <uapi/stat.h>

#define EXEC_CACHE_SLOTS 4
/* Caching never takes more than 1/EXEC_CACHE_SHARE of the free frames. */
#define EXEC_CACHE_SHARE 4

struct cache_entry {
	struct inode *inode;      /* referenced; NULL for a free slot */
	const uint8_t *data;
	uint64_t size;
	struct linux_timespec mtime, ctime;
	struct vmo_cap cap;       /* the file's bytes, page-aligned; READ|EXEC|DUP */
	uint64_t last_use;
};

static struct cache_entry cache[EXEC_CACHE_SLOTS];
static uint64_t use_clock;

static bool ts_equal(struct linux_timespec a, struct linux_timespec b)
{
	return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec;
}

static bool entry_valid(const struct cache_entry *e, const struct inode *i)
{
	return e->inode == i && e->data == i->data && e->size == i->size &&
	       ts_equal(e->mtime, i->mtime) && ts_equal(e->ctime, i->ctime);
}

static void entry_drop(struct cache_entry *e)
{
	if (!e->inode)
		return;
	vmo_put(e->cap);
	inode_put(e->inode);
	memset(e, 0, sizeof(*e));
}

/* The slot for a new entry: a free one, else the least recently used. */
static struct cache_entry *victim(void)
{
	struct cache_entry *v = &cache[0];

	for (unsigned k = 0; k < EXEC_CACHE_SLOTS; k++) {
		if (!cache[k].inode)
			return &cache[k];
		if (cache[k].last_use < v->last_use)
			v = &cache[k];
	}
	return v;
}

/* Copy @i's bytes into a new object; 0 or -ENOMEM. */
static int entry_fill(struct cache_entry *e, struct inode *i)
{
	size_t npages = ALIGN_UP(i->size, PAGE_SIZE) / PAGE_SIZE;

	if (npages > frames_free() / EXEC_CACHE_SHARE)
		return -ENOMEM;
	vmo_rwx obj = vmo_create(npages);
	if (!obj.obj)
		return -ENOMEM;
	if (vmo_write(obj, 0, i->data, i->size)) {
		vmo_put(obj);
		return -ENOMEM;
	}
	e->cap = vmo_cap_restrict(vmo_cap(obj), VMO_READ | VMO_EXEC | VMO_DUP);
	inode_get(i);
	e->inode = i;
	e->data = i->data;
	e->size = i->size;
	e->mtime = i->mtime;
	e->ctime = i->ctime;
	return 0;
}

/**
 * exec_cache_get() - a read/execute handle on a memory object holding the
 * bytes of the regular file @i (zero-padded to whole pages), from the
 * cache or copied into it now.
 * @i:   the executable's inode
 * @out: receives a handle with VMO_READ | VMO_EXEC | VMO_DUP; the caller
 *       drops it with vmo_put()
 *
 * Return: 0; -ENOMEM when the file cannot be cached (too large for the
 * free memory, or out of memory): the caller then copies instead.
 */
int exec_cache_get(struct inode *i, struct vmo_cap *out)
{
	struct cache_entry *e = NULL;

	if (!S_ISREG(i->mode) || !i->size)
		return -ENOMEM;
	for (unsigned k = 0; k < EXEC_CACHE_SLOTS && !e; k++)
		if (cache[k].inode == i)
			e = &cache[k];
	if (e && !entry_valid(e, i))
		entry_drop(e);
	if (!e || !e->inode) {
		e = victim();
		entry_drop(e);
		if (entry_fill(e, i))
			return -ENOMEM;
	}
	e->last_use = ++use_clock;
	return vmo_cap_dup(&e->cap, out) ? -ENOMEM : 0;
}

/**
 * exec_cache_flush() - drop every cached image and its inode reference
 * (before the power-off leak check, or to give memory back).
 */
void exec_cache_flush(void)
{
	for (unsigned k = 0; k < EXEC_CACHE_SLOTS; k++)
		entry_drop(&cache[k]);
}
