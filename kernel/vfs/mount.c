/*
 * Mounts: a file system's tree (or a part of it, for a bind mount) made
 * visible on a dentry of another mount. The root mount has no parent.
 * Attached mounts sit on one list in the order they were made, so that
 * the last one on a dentry is the one on top and parents come before
 * their children (until a pivot_root: nothing here depends on that).
 */
#include <jinux/errno.h>
#include <jinux/heap.h>
#include <jinux/machine.h>
#include <jinux/string.h>
#include "vfs_internal.h"

static struct mount *root_mnt;
static struct mount *mounts, *mounts_tail;

void mnt_get(struct mount *m)
{
	m->refcount++;
}

void mnt_put(struct mount *m)
{
	if (!m || --m->refcount)
		return;
	dput(m->root);
	sb_put(m->sb);
	kfree(m);
}

void path_get(const struct path *p)
{
	mnt_get(p->mnt);
	dget(p->dentry);
}

void path_put(struct path *p)
{
	if (!p->mnt)
		return;
	dput(p->dentry);
	mnt_put(p->mnt);
	p->mnt = NULL;
	p->dentry = NULL;
}

struct mount *mnt_lookup_child(struct mount *parent, struct dentry *d)
{
	struct mount *top = NULL;
	if (!d->mounted)
		return NULL;
	for (struct mount *m = mounts; m; m = m->next)
		if (m->parent == parent && m->mountpoint == d)
			top = m;
	return top;
}

static void list_add(struct mount *m)
{
	m->next = NULL;
	if (mounts_tail)
		mounts_tail->next = m;
	else
		mounts = m;
	mounts_tail = m;
	m->attached = true;
}

static void list_del(struct mount *m)
{
	struct mount **pp = &mounts, *prev = NULL;
	while (*pp != m) {
		prev = *pp;
		pp = &(*pp)->next;
	}
	*pp = m->next;
	if (mounts_tail == m)
		mounts_tail = prev;
	m->attached = false;
}

int mount_attach(struct super_block *sb, struct dentry *root, const struct path *mp,
		 unsigned flags, struct mount **out)
{
	struct mount *m = kzalloc(sizeof(*m));
	if (!m)
		return -ENOMEM;
	sb_get(sb);
	m->sb = sb;
	dget(root);
	m->root = root;
	m->flags = flags & MNT_FLAGS_MASK;
	m->refcount = 1;     /* being attached */
	if (mp) {
		path_get(mp);
		m->parent = mp->mnt;
		m->mountpoint = mp->dentry;
		mp->dentry->mounted++;
	}
	list_add(m);
	if (out)
		*out = m;
	return 0;
}

int mount_internal(struct super_block *sb, struct mount **out)
{
	struct mount *m = kzalloc(sizeof(*m));
	if (!m)
		return -ENOMEM;
	sb_get(sb);
	m->sb = sb;
	dget(sb->root);
	m->root = sb->root;
	m->refcount = 1;
	*out = m;
	return 0;
}

static bool has_children(const struct mount *m)
{
	for (struct mount *c = mounts; c; c = c->next)
		if (c->parent == m)
			return true;
	return false;
}

static void detach_one(struct mount *m)
{
	list_del(m);
	struct path mp = { m->parent, m->mountpoint };
	mp.dentry->mounted--;
	m->parent = NULL;
	m->mountpoint = NULL;
	path_put(&mp);
	mnt_put(m);
}

/* Lazy unmount: the children go too, deepest first. */
static void detach_tree(struct mount *m)
{
	for (;;) {
		struct mount *c = mounts;
		while (c && c->parent != m)
			c = c->next;
		if (!c)
			break;
		detach_tree(c);
	}
	detach_one(m);
}

int mount_detach(struct mount *m, bool lazy)
{
	if (m == root_mnt || !m->attached)
		return -EINVAL;
	if (!lazy && (has_children(m) || m->refcount > 1))
		return -EBUSY;
	detach_tree(m);
	return 0;
}

/*
 * pivot_root's move (checks done by vfs_pivot_root): @new_mnt leaves its
 * mountpoint and takes @old_root's place; @old_root goes on @put_old.
 * The list keeps its order, so after a pivot a parent may follow its child.
 */
void mount_pivot(struct mount *old_root, struct mount *new_mnt, const struct path *put_old)
{
	struct path ex = { new_mnt->parent, new_mnt->mountpoint };
	ex.dentry->mounted--;
	/* @new_mnt inherits @old_root's hold on the place both were mounted. */
	new_mnt->parent = old_root->parent;
	new_mnt->mountpoint = old_root->mountpoint;
	path_get(put_old);
	old_root->parent = put_old->mnt;
	old_root->mountpoint = put_old->dentry;
	put_old->dentry->mounted++;
	path_put(&ex);
}

void mount_for_each(void (*fn)(struct mount *m, void *arg), void *arg)
{
	for (struct mount *m = mounts; m; m = m->next)
		fn(m, arg);
}

/* Called by vfs_mount_root_from_cpio(): the new root goes first on the list. */
int mount_set_root(struct super_block *sb)
{
	if (root_mnt)
		return -EBUSY;
	return mount_attach(sb, sb->root, NULL, 0, &root_mnt);
}

/* Kernel-internal files (memfd): a tmpfs that no path reaches. */
static struct mount *internal_mnt;

struct mount *vfs_internal_mount(void)
{
	vfs_root_mount();
	return internal_mnt;
}

/* Made with the root, so that it counts as boot-time memory. */
int mount_make_internal(void)
{
	struct super_block *sb = tmpfs_create_sb("tmpfs", 0, 0, 01777);
	if (!sb)
		return -ENOMEM;
	int err = mount_internal(sb, &internal_mnt);
	sb_put(sb);
	return err;
}

/*
 * File-system types made by the kernel rather than from mount options:
 * mount(2) asks here before it tries the tmpfs family.
 */
static const struct {
	const char *name;
	struct super_block *(*create)(void);
} synthetic_types[] = {
	{ "proc", procfs_create_sb },
};

struct super_block *mount_synthetic_sb(const char *fstype, bool *known)
{
	for (size_t k = 0; k < ARRAY_SIZE(synthetic_types); k++) {
		if (!strcmp(fstype, synthetic_types[k].name)) {
			*known = true;
			return synthetic_types[k].create();
		}
	}
	*known = false;
	return NULL;
}

bool vfs_root_ready(void)
{
	return root_mnt != NULL;
}

/*
 * The root mount. If kernel_main has not made it yet, it is made here
 * from the boot initramfs, so the VFS works whichever way it is started.
 */
struct mount *vfs_root_mount(void)
{
	if (!root_mnt) {
		size_t len = 0;
		const void *data = boot_initramfs(&len);
		vfs_mount_root_from_cpio(data, data ? len : 0);
	}
	return root_mnt;
}
