/*
 * KTESTs for the initramfs reader and for path resolution over a tree
 * unpacked from hand-made cpio newc archives: metadata, replacement and
 * hard links, concatenated and damaged archives (-EINVAL, never a
 * crash), then lookups: "." and "..", ".." at the root, symlinks (40
 * followed, then ELOOP), ENOTDIR, ENOENT and ENAMETOOLONG. Each test
 * unpacks into a scratch tmpfs on /kt_vfs/cp.
 */
#include <jinux/errno.h>
#include <jinux/heap.h>
#include <jinux/ktest.h>
#include <jinux/log.h>
#include <jinux/string.h>
#include <uapi/fcntl.h>
#include "vfs_ktest.h"

#define CB_SIZE 8192
#define S_DIR (S_IFDIR | 0755)
#define S_REG (S_IFREG | 0644)
#define S_LNK (S_IFLNK | 0777)

/* An archive being written. */
struct cb {
	uint8_t *b;
	size_t len;
	uint32_t ino;
};

/* Do the first @n bytes of regular file @i (read from its pages) equal @want? */
static bool kt_bytes_are(const struct inode *i, const char *want, size_t n)
{
	char buf[64];
	return n <= sizeof(buf) && vfs_read_kernel(i, 0, buf, n) == n && !memcmp(buf, want, n);
}

static bool cb_init(struct cb *c)
{
	c->b = kzalloc(CB_SIZE);
	c->len = 0;
	c->ino = 100;
	return c->b != NULL;
}

static void cb_add(struct cb *c, const char *name, uint32_t mode, const char *data)
{
	c->len = kt_cpio_put(c->b, c->len, name, mode, data, c->ino++, 1);
}

static void cb_trailer(struct cb *c)
{
	c->len = kt_cpio_put(c->b, c->len, "TRAILER!!!", 0, NULL, 0, 1);
}

/* Unpack the finished archive into @m and free it. */
static int cb_unpack(struct mount *m, struct cb *c)
{
	int err = vfs_unpack_cpio(m, c->b, c->len);
	kfree(c->b);
	return err;
}

static int count_entry(const struct cpio_record *e, void *arg)
{
	(void)e;
	(*(int *)arg)++;
	return 0;
}

/* Resolve @path as the kernel (following a final symlink): 0 or -errno. */
static int lookup_err(const char *path)
{
	struct path p;
	int err = vfs_lookup(NULL, AT_FDCWD, path, LOOKUP_FOLLOW, &p);
	if (!err)
		path_put(&p);
	return err;
}

/* The inode @path names, or NULL; no reference is kept (the tree holds it). */
static struct inode *lookup_inode(const char *path)
{
	struct path p;
	if (vfs_lookup(NULL, AT_FDCWD, path, LOOKUP_FOLLOW, &p))
		return NULL;
	struct inode *i = p.dentry->inode;
	path_put(&p);
	return i;
}

/* The sample tree on /kt_vfs/cp most tests use; NULL on failure. */
static struct mount *unpack_sample(void)
{
	struct cb c;
	struct mount *m = kt_scratch_mount("cp", 0, 0);
	if (!m || !cb_init(&c))
		return m;
	cb_add(&c, ".", S_DIR, NULL);
	cb_add(&c, "./etc/passwd", S_REG, "root:x:0:0::/:/bin/sh\n");
	cb_add(&c, "/bin", S_IFDIR | 0700, NULL);
	cb_add(&c, "bin/sh", S_IFREG | 0755, "#!");
	cb_add(&c, "empty", S_REG, NULL);
	cb_add(&c, "lnk_rel", S_LNK, "etc/passwd");
	cb_add(&c, "lnk_abs", S_LNK, "/kt_vfs/cp/etc");
	cb_add(&c, "bin/up", S_LNK, "../etc");
	cb_add(&c, "loop1", S_LNK, "loop2");
	cb_add(&c, "loop2", S_LNK, "loop1");
	cb_add(&c, "self", S_LNK, "self/x");
	cb_add(&c, "dangling", S_LNK, "nowhere");
	cb_trailer(&c);
	if (cb_unpack(m, &c)) {
		kt_scratch_umount(m, "cp");
		return NULL;
	}
	return m;
}

KTEST(vfs_cpio_reader_walks_entries)
{
	struct cb c;
	KASSERT(cb_init(&c));
	cb_add(&c, "a", S_REG, "x");
	cb_add(&c, "b", S_DIR, NULL);
	cb_trailer(&c);
	int count = 0;
	KASSERT_EQ(cpio_for_each(c.b, c.len, count_entry, &count), 0);
	KASSERT_EQ(count, 2);
	KASSERT_EQ(cpio_for_each(c.b, c.len - 10, count_entry, &count), -EINVAL);
	c.b[0] = 'x';
	KASSERT_EQ(cpio_for_each(c.b, c.len, count_entry, &count), -EINVAL);
	kfree(c.b);
}

KTEST(vfs_cpio_unpack_keeps_metadata)
{
	struct mount *m = unpack_sample();
	KASSERT(m != NULL);
	struct inode *i = lookup_inode("/kt_vfs/cp/etc/passwd");
	KASSERT(i != NULL);
	KASSERT_EQ(i->mode, S_REG);
	KASSERT_EQ(i->uid, 1000);
	KASSERT_EQ(i->gid, 100);
	KASSERT_EQ(i->mtime.tv_sec, 1700000000);
	KASSERT_EQ(i->size, 22);
	KASSERT(kt_bytes_are(i, "root:x:0:0::/:/bin/sh\n", 22));
	/* a parent missing from the archive is made 0755 */
	KASSERT((i = lookup_inode("/kt_vfs/cp/etc")) && i->mode == S_DIR);
	KASSERT((i = lookup_inode("/kt_vfs/cp/bin")) && i->mode == (S_IFDIR | 0700));
	KASSERT((i = lookup_inode("/kt_vfs/cp/empty")) && i->size == 0);
	kt_scratch_umount(m, "cp");
}

KTEST(vfs_lookup_dots_slashes_and_root_dotdot)
{
	struct mount *m = unpack_sample();
	KASSERT(m != NULL);
	struct inode *sh = lookup_inode("/kt_vfs/cp/bin/sh");
	KASSERT(sh != NULL);
	KASSERT(lookup_inode("//kt_vfs//cp///bin//sh") == sh);
	KASSERT(lookup_inode("/kt_vfs/cp/./etc/../bin/./sh") == sh);
	/* ".." at the root stays at the root */
	KASSERT(lookup_inode("/../../kt_vfs/cp/bin/sh") == sh);
	KASSERT(lookup_inode("/..") == vfs_root_mount()->root->inode);
	KASSERT(lookup_inode("/kt_vfs/cp/bin/..") == m->root->inode);
	KASSERT_EQ(lookup_err("/kt_vfs/cp/bin/"), 0);
	kt_scratch_umount(m, "cp");
}

KTEST(vfs_lookup_follows_symlinks)
{
	struct mount *m = unpack_sample();
	KASSERT(m != NULL);
	struct inode *passwd = lookup_inode("/kt_vfs/cp/etc/passwd");
	struct inode *etc = lookup_inode("/kt_vfs/cp/etc");
	KASSERT(passwd && etc);
	KASSERT(lookup_inode("/kt_vfs/cp/lnk_rel") == passwd);
	KASSERT(lookup_inode("/kt_vfs/cp/lnk_abs") == etc);
	KASSERT(lookup_inode("/kt_vfs/cp/lnk_abs/passwd") == passwd);
	KASSERT(lookup_inode("/kt_vfs/cp/lnk_abs/") == etc);
	/* relative to the link's own directory */
	KASSERT(lookup_inode("/kt_vfs/cp/bin/up/passwd") == passwd);
	KASSERT(lookup_inode("/kt_vfs/cp/bin/up/../bin/up/passwd") == passwd);
	kt_scratch_umount(m, "cp");
}

KTEST(vfs_lookup_errors)
{
	struct mount *m = unpack_sample();
	KASSERT(m != NULL);
	KASSERT_EQ(lookup_err("/kt_vfs/cp/nope"), -ENOENT);
	KASSERT_EQ(lookup_err(""), -ENOENT);
	KASSERT_EQ(lookup_err("/kt_vfs/cp/dangling"), -ENOENT);
	KASSERT_EQ(lookup_err("/kt_vfs/cp/loop1"), -ELOOP);
	KASSERT_EQ(lookup_err("/kt_vfs/cp/self"), -ELOOP);
	KASSERT_EQ(lookup_err("/kt_vfs/cp/etc/passwd/x"), -ENOTDIR);
	KASSERT_EQ(lookup_err("/kt_vfs/cp/etc/passwd/"), -ENOTDIR);
	KASSERT_EQ(lookup_err("/kt_vfs/cp/etc/passwd/."), -ENOTDIR);
	KASSERT_EQ(lookup_err("/kt_vfs/cp/lnk_rel/"), -ENOTDIR);
	KASSERT_EQ(lookup_err("/kt_vfs/cp/lnk_rel/x"), -ENOTDIR);
	kt_scratch_umount(m, "cp");
}

KTEST(vfs_lookup_name_and_path_limits)
{
	char *p = kmalloc(VFS_PATH_MAX + 8);
	KASSERT(p != NULL);
	size_t i;
	p[0] = '/';
	for (i = 1; i <= VFS_NAME_MAX + 1; i++)
		p[i] = 'a';
	p[i] = '\0';
	KASSERT_EQ(lookup_err(p), -ENAMETOOLONG);
	p[VFS_NAME_MAX + 1] = '\0';   /* 255 bytes is fine: just absent */
	KASSERT_EQ(lookup_err(p), -ENOENT);
	for (i = 0; i < VFS_PATH_MAX; i++)
		p[i] = '/';
	p[VFS_PATH_MAX] = '\0';
	KASSERT_EQ(lookup_err(p), -ENAMETOOLONG);
	p[VFS_PATH_MAX - 1] = '\0';
	KASSERT_EQ(lookup_err(p), 0);
	kfree(p);
}

/* A chain of 41 links: following 40 works, the 41st is ELOOP. */
KTEST(vfs_lookup_link_limit)
{
	struct mount *m = kt_scratch_mount("cp", 0, 0);
	struct cb c;
	KASSERT(m != NULL);
	KASSERT(cb_init(&c));
	cb_add(&c, "end", S_REG, "x");
	for (int i = 0; i <= VFS_MAX_SYMLINKS; i++) {
		char name[16], target[16];
		ksnprintf(name, sizeof(name), "c%d", i);
		if (i == VFS_MAX_SYMLINKS)
			ksnprintf(target, sizeof(target), "end");
		else
			ksnprintf(target, sizeof(target), "c%d", i + 1);
		cb_add(&c, name, S_LNK, target);
	}
	cb_trailer(&c);
	KASSERT_EQ(cb_unpack(m, &c), 0);
	KASSERT(lookup_inode("/kt_vfs/cp/c1") == lookup_inode("/kt_vfs/cp/end"));
	KASSERT_EQ(lookup_err("/kt_vfs/cp/c0"), -ELOOP);
	kt_scratch_umount(m, "cp");
}

KTEST(vfs_cpio_later_entry_replaces)
{
	struct mount *m = kt_scratch_mount("cp", 0, 0);
	struct cb c;
	KASSERT(m != NULL);
	KASSERT(cb_init(&c));
	cb_add(&c, "rep/f", S_REG, "first");
	cb_add(&c, "rep/f", S_REG, "second!");
	cb_add(&c, "rep/l", S_REG, "file");
	cb_add(&c, "rep/l", S_LNK, "f");
	cb_add(&c, "rep", S_IFDIR | 0711, NULL);
	cb_trailer(&c);
	KASSERT_EQ(cb_unpack(m, &c), 0);
	struct inode *f = lookup_inode("/kt_vfs/cp/rep/f");
	KASSERT(f && f->size == 7 && kt_bytes_are(f, "second!", 7));
	KASSERT(lookup_inode("/kt_vfs/cp/rep/l") == f);
	/* a directory entry after its children keeps them */
	struct inode *rep = lookup_inode("/kt_vfs/cp/rep");
	KASSERT(rep && rep->mode == (S_IFDIR | 0711));
	kt_scratch_umount(m, "cp");
}

/* newc stores a hard-link group's data with its last member. */
KTEST(vfs_cpio_hard_links_share_an_inode)
{
	struct mount *m = kt_scratch_mount("cp", 0, 0);
	struct cb c;
	KASSERT(m != NULL);
	KASSERT(cb_init(&c));
	c.len = kt_cpio_put(c.b, c.len, "hl/a", S_REG, NULL, 77, 2);
	c.len = kt_cpio_put(c.b, c.len, "hl/b", S_REG, "shared", 77, 2);
	cb_trailer(&c);
	KASSERT_EQ(cb_unpack(m, &c), 0);
	struct inode *a = lookup_inode("/kt_vfs/cp/hl/a");
	KASSERT(a && a == lookup_inode("/kt_vfs/cp/hl/b"));
	KASSERT_EQ(a->nlink, 2);
	KASSERT(a->size == 6 && kt_bytes_are(a, "shared", 6));
	kt_scratch_umount(m, "cp");
}

KTEST(vfs_cpio_concatenated_archives)
{
	struct mount *m = kt_scratch_mount("cp", 0, 0);
	struct cb c;
	KASSERT(m != NULL);
	KASSERT(cb_init(&c));
	cb_add(&c, "cat/one", S_REG, "1");
	cb_trailer(&c);
	c.len += 512;   /* zero padding, as between concatenated archives */
	cb_add(&c, "cat/two", S_REG, "2");
	cb_trailer(&c);
	KASSERT_EQ(cb_unpack(m, &c), 0);
	KASSERT_EQ(lookup_err("/kt_vfs/cp/cat/one"), 0);
	KASSERT_EQ(lookup_err("/kt_vfs/cp/cat/two"), 0);
	kt_scratch_umount(m, "cp");
}

/* Field @n (0: c_ino ... 11: c_namesize) of the header at @h. */
static void set_field(uint8_t *h, int n, const char *hex8)
{
	memcpy(h + 6 + 8 * n, hex8, 8);
}

/* Each damaged archive gives -EINVAL; entries before the damage stay. */
KTEST(vfs_cpio_damaged_archives_give_einval)
{
	struct mount *m = kt_scratch_mount("cp", 0, 0);
	struct cb c;
	KASSERT(m != NULL);
	KASSERT(cb_init(&c));
	cb_add(&c, "bad/ok", S_REG, "fine");
	size_t good = c.len;
	uint8_t *h = c.b + good;
	cb_add(&c, "bad/victim", S_REG, "0123456789");   /* name 110..121, data 124..134 */
	cb_trailer(&c);
	/* bad magic */
	memcpy(h, "070707", 6);
	KASSERT_EQ(vfs_unpack_cpio(m, c.b, c.len), -EINVAL);
	KASSERT_EQ(lookup_err("/kt_vfs/cp/bad/ok"), 0);
	KASSERT_EQ(lookup_err("/kt_vfs/cp/bad/victim"), -ENOENT);
	memcpy(h, "070701", 6);
	/* a non-hex digit in a field */
	h[6 + 8 * 6] = 'g';
	KASSERT_EQ(vfs_unpack_cpio(m, c.b, c.len), -EINVAL);
	h[6 + 8 * 6] = '0';
	/* truncated header, name, data; missing trailer */
	KASSERT_EQ(vfs_unpack_cpio(m, c.b, good + 50), -EINVAL);
	KASSERT_EQ(vfs_unpack_cpio(m, c.b, good + 115), -EINVAL);
	KASSERT_EQ(vfs_unpack_cpio(m, c.b, good + 128), -EINVAL);
	KASSERT_EQ(vfs_unpack_cpio(m, c.b, good), -EINVAL);
	KASSERT_EQ(lookup_err("/kt_vfs/cp/bad/victim"), -ENOENT);
	/* name and data sizes far beyond the buffer, and a zero name size */
	set_field(h, 11, "7fffffff");
	KASSERT_EQ(vfs_unpack_cpio(m, c.b, c.len), -EINVAL);
	set_field(h, 11, "00000000");
	KASSERT_EQ(vfs_unpack_cpio(m, c.b, c.len), -EINVAL);
	set_field(h, 11, "0000000b");
	set_field(h, 6, "ffffffff");
	KASSERT_EQ(vfs_unpack_cpio(m, c.b, c.len), -EINVAL);
	set_field(h, 6, "0000000a");
	/* a NUL inside the name */
	h[110 + 3] = '\0';
	KASSERT_EQ(vfs_unpack_cpio(m, c.b, c.len), -EINVAL);
	h[110 + 3] = '/';
	/* repaired, it unpacks */
	KASSERT_EQ(vfs_unpack_cpio(m, c.b, c.len), 0);
	KASSERT_EQ(lookup_err("/kt_vfs/cp/bad/victim"), 0);
	kfree(c.b);
	kt_scratch_umount(m, "cp");
}
