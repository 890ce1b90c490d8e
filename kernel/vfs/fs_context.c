/*
 * The file-system context of a process: its root, its cwd and its umask,
 * shared by CLONE_FS and copied by fork (Linux's struct fs_struct).

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

static struct fs_context kernel_fs;

struct fs_context *process_fs(struct process *p)
{
	if (p)
		return p->fs;
	if (!kernel_fs.refcount && fs_init_root(&kernel_fs))
		return NULL;
	return &kernel_fs;
}
