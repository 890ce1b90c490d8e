/*
 * Dentries: names. For the in-memory file systems the dentry tree is the
 * directory contents (as Linux's ramfs and tmpfs), and a hash on
 * (parent, name) makes a lookup one probe. Each directory keeps its
 * children in creation order and gives each a getdents offset that never
 * changes, so that entries removed during a readdir do not make it skip
 * the ones after them.
 */
#include <jinux/errno.h>
#include <jinux/heap.h>
#include <jinux/string.h>
#include <kernel/vfs.h>

#define D_HASH_SIZE 1024

static struct dentry *d_hash[D_HASH_SIZE];
static unsigned nr_dentries;

/* First getdents offset of a child: 0 and 1 are "." and "..". */
#define D_FIRST_POS 2

static uint32_t name_hash(const struct dentry *parent, const char *name, size_t len)
{
	uint32_t h = 2166136261u ^ (uint32_t)((uintptr_t)parent >> 4);
	for (size_t i = 0; i < len; i++)
		h = (h ^ (uint8_t)name[i]) * 16777619u;
	return h;
}

static struct dentry **bucket(uint32_t hash)
{
	return &d_hash[hash % D_HASH_SIZE];
}

void dget(struct dentry *d)
{
	d->refcount++;
}

static void d_free(struct dentry *d)
{
	struct dentry *parent = d->parent;
	inode_put(d->inode);
	kfree(d->name);
	kfree(d);
	nr_dentries--;
	if (parent != d)
		dput(parent);
}

void dput(struct dentry *d)
{
	/* Freeing a child drops its parent, which may free that in turn. */
	if (d && --d->refcount == 0)
		d_free(d);
}

unsigned dentries_alive(void)
{
	return nr_dentries;
}

struct dentry *d_lookup(struct dentry *dir, const char *name, size_t len)
{
	uint32_t h = name_hash(dir, name, len);
	for (struct dentry *d = *bucket(h); d; d = d->hash_next)
		if (d->hash == h && d->parent == dir && d->len == len &&
		    !memcmp(d->name, name, len))
			return d;
	return NULL;
}

static struct dentry *d_alloc(struct inode *inode, const char *name, size_t len)
{
	struct dentry *d = kzalloc(sizeof(*d));
	char *copy = kmalloc(len + 1);
	if (!d || !copy) {
		kfree(d);
		kfree(copy);
		return NULL;
	}
	memcpy(copy, name, len);
	copy[len] = '\0';
	d->name = copy;
	d->len = len;
	d->inode = inode;
	d->refcount = 1;
	d->next_pos = D_FIRST_POS;
	nr_dentries++;
	return d;
}

struct dentry *d_alloc_anon(struct inode *inode, const char *name)
{
	struct dentry *d = d_alloc(inode, name, strlen(name));
	if (d)
		d->parent = d;
	return d;
}

/* Put @d into @dir's child list and the hash. */
static void d_attach(struct dentry *d, struct dentry *dir)
{
	d->parent = dir;
	d->hash = name_hash(dir, d->name, d->len);
	d->hash_next = *bucket(d->hash);
	*bucket(d->hash) = d;
	d->dir_pos = dir->next_pos++;
	d->prev_sib = dir->last_child;
	d->next_sib = NULL;
	if (dir->last_child)
		dir->last_child->next_sib = d;
	else
		dir->first_child = d;
	dir->last_child = d;
	d->linked = true;
}

/* Take @d out of its parent's list and the hash (the parent ref stays). */
static void d_detach(struct dentry *d)
{
	struct dentry *dir = d->parent;
	struct dentry **pp = bucket(d->hash);
	while (*pp != d)
		pp = &(*pp)->hash_next;
	*pp = d->hash_next;
	if (d->prev_sib)
		d->prev_sib->next_sib = d->next_sib;
	else
		dir->first_child = d->next_sib;
	if (d->next_sib)
		d->next_sib->prev_sib = d->prev_sib;
	else
		dir->last_child = d->prev_sib;
	d->next_sib = d->prev_sib = NULL;
	d->linked = false;
}

struct dentry *d_alloc_link(struct dentry *dir, const char *name, size_t len,
			    struct inode *inode)
{
	struct dentry *d = d_alloc(inode, name, len);
	if (!d)
		return NULL;
	dget(dir);
	d_attach(d, dir);
	/* The tree's reference is the one d_alloc() gave. */
	return d;
}

void d_unlink(struct dentry *d)
{
	if (!d->linked)
		return;
	d_detach(d);
	dput(d);
}

int d_move(struct dentry *d, struct dentry *dir, const char *name, size_t len)
{
	char *copy = kmalloc(len + 1);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, name, len);
	copy[len] = '\0';
	struct dentry *old_parent = d->parent;
	d_detach(d);
	kfree(d->name);
	d->name = copy;
	d->len = len;
	dget(dir);
	d_attach(d, dir);
	dput(old_parent);
	return 0;
}

void d_kill_tree(struct dentry *dir)
{
	while (dir->first_child) {
		struct dentry *c = dir->first_child;
		d_kill_tree(c);
		d_unlink(c);
	}
}
