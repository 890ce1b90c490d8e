/*
 * The file-system context of a process: its root, its cwd and its umask,
 * shared by CLONE_FS and copied by fork (Linux's struct fs_struct).
 *
 * TEMPORARY: struct process does not carry a context pointer yet, so a
 * fixed side table maps each live process to a context of its own; a
 * child gets a copy of its parent's at its first file-system call. The
 * table uses no heap, so the power-off leak check is not disturbed.
 * When the process model adds `struct fs_context *fs` (set by
 * fork/clone/spawn with the functions below), process_fs() becomes
 * `return p->fs` and the table goes.
 */
#include <jinux/heap.h>
#include <kernel/process.h>
#include <kernel/vfs.h>

#define DEFAULT_UMASK 022

/* Point @fs at the root mount; 0 or -ENOMEM. */
static int fs_init_root(struct fs_context *fs)
{
	struct mount *root = vfs_root_mount();
	if (!root)
		return -1;
	fs->refcount = 1;
	fs->root.mnt = root;
	fs->root.dentry = root->root;
	path_get(&fs->root);
	fs->cwd = fs->root;
	path_get(&fs->cwd);
	fs->umask = DEFAULT_UMASK;
	return 0;
}

static void fs_init_copy(struct fs_context *fs, const struct fs_context *old)
{
	fs->refcount = 1;
	fs->root = old->root;
	path_get(&fs->root);
	fs->cwd = old->cwd;
	path_get(&fs->cwd);
	fs->umask = old->umask;
}

struct fs_context *fs_context_create(void)
{
	struct fs_context *fs = kzalloc(sizeof(*fs));
	if (fs && fs_init_root(fs)) {
		kfree(fs);
		return NULL;
	}
	return fs;
}

struct fs_context *fs_context_copy(const struct fs_context *old)
{
	struct fs_context *fs = kzalloc(sizeof(*fs));
	if (fs)
		fs_init_copy(fs, old);
	return fs;
}

void fs_context_get(struct fs_context *fs)
{
	fs->refcount++;
}

static void fs_release(struct fs_context *fs)
{
	path_put(&fs->root);
	path_put(&fs->cwd);
}

void fs_context_put(struct fs_context *fs)
{
	if (!fs || --fs->refcount)
		return;
	fs_release(fs);
	kfree(fs);
}

/* ---- TEMPORARY side table, until struct process has a pointer ---- */

#define FS_SLOTS 256

static struct fs_slot {
	struct process *proc;     /* NULL: free */
	int pid;
	struct fs_context fs;
} slots[FS_SLOTS];

static struct fs_context kernel_fs;

static bool slot_alive(const struct fs_slot *s)
{
	return s->proc && process_find(s->pid) == s->proc && s->proc->state == PROC_ALIVE;
}

static struct fs_slot *slot_find(struct process *p)
{
	for (int i = 0; i < FS_SLOTS; i++)
		if (slots[i].proc == p && slot_alive(&slots[i]))
			return &slots[i];
	return NULL;
}

/* A free slot, releasing those of processes that have gone. */
static struct fs_slot *slot_free(void)
{
	struct fs_slot *free = NULL;
	for (int i = 0; i < FS_SLOTS; i++) {
		struct fs_slot *s = &slots[i];
		if (s->proc && !slot_alive(s)) {
			fs_release(&s->fs);
			s->proc = NULL;
		}
		if (!s->proc && !free)
			free = s;
	}
	return free;
}

struct fs_context *process_fs(struct process *p)
{
	if (!kernel_fs.refcount && fs_init_root(&kernel_fs))
		return NULL;
	if (!p)
		return &kernel_fs;
	struct fs_slot *s = slot_find(p);
	if (s)
		return &s->fs;
	s = slot_free();
	if (!s)
		return &kernel_fs;   /* more live processes than slots: share */
	struct fs_slot *ps = p->parent ? slot_find(p->parent) : NULL;
	fs_init_copy(&s->fs, ps ? &ps->fs : &kernel_fs);
	s->proc = p;
	s->pid = p->pid;
	return &s->fs;
}
