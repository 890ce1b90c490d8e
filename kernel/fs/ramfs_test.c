/*
 * KTESTs for ramfs: unpacking hand-made cpio newc archives and path
 * lookup (symlinks, "." and "..", loops, errors). Everything lives under
 * /kt_ramfs so the tests never disturb a real initramfs.
 */
#include <jinux/errno.h>
#include <jinux/heap.h>
#include <jinux/ktest.h>
#include <jinux/log.h>
#include <jinux/string.h>
#include <jinux/types.h>
#include <kernel/ramfs.h>

#define S_DIR (RAMFS_S_IFDIR | 0755)
#define S_REG (RAMFS_S_IFREG | 0644)
#define S_LNK (RAMFS_S_IFLNK | 0777)

/* An archive being written into a fixed buffer. */
struct cpio_buf {
	uint8_t b[8192];
	size_t len;
};

static void cb_pad(struct cpio_buf *c)
{
	while (c->len % 4)
		c->b[c->len++] = 0;
}

/* Append one newc entry (ino @ino, @nlink links); @data may be NULL. */
static void cb_entry_ino(struct cpio_buf *c, const char *name, uint32_t mode,
			 const char *data, uint32_t ino, uint32_t nlink)
{
	size_t nlen = strlen(name) + 1, dlen = data ? strlen(data) : 0;
	char hdr[111];

	ksnprintf(hdr, sizeof(hdr),
		  "070701%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x",
		  ino, mode, 1000u, 100u, nlink, 1700000000u, (unsigned)dlen, 0u, 1u, 0u,
		  0u, (unsigned)nlen, 0u);
	memcpy(c->b + c->len, hdr, 110);
	c->len += 110;
	memcpy(c->b + c->len, name, nlen);
	c->len += nlen;
	cb_pad(c);
	if (dlen)
		memcpy(c->b + c->len, data, dlen);
	c->len += dlen;
	cb_pad(c);
}

static void cb_entry(struct cpio_buf *c, const char *name, uint32_t mode, const char *data)
{
	static uint32_t ino = 100;

	cb_entry_ino(c, name, mode, data, ino++, 1);
}

static void cb_trailer(struct cpio_buf *c)
{
	cb_entry_ino(c, "TRAILER!!!", 0, NULL, 0, 1);
}

static struct cpio_buf *cb_new(void)
{
	return kzalloc(sizeof(struct cpio_buf));
}

/* The sample tree most tests use. */
static int unpack_sample(void)
{
	struct cpio_buf *c = cb_new();
	int err;

	if (!c)
		return -ENOMEM;
	cb_entry(c, ".", S_DIR, NULL);
	cb_entry(c, "kt_ramfs", S_DIR, NULL);
	cb_entry(c, "./kt_ramfs/etc/passwd", S_REG, "root:x:0:0::/:/bin/sh\n");
	cb_entry(c, "/kt_ramfs/bin", RAMFS_S_IFDIR | 0700, NULL);
	cb_entry(c, "kt_ramfs/bin/sh", RAMFS_S_IFREG | 0755, "#!");
	cb_entry(c, "kt_ramfs/empty", S_REG, NULL);
	cb_entry(c, "kt_ramfs/lnk_rel", S_LNK, "etc/passwd");
	cb_entry(c, "kt_ramfs/lnk_abs", S_LNK, "/kt_ramfs/etc");
	cb_entry(c, "kt_ramfs/bin/up", S_LNK, "../etc");
	cb_entry(c, "kt_ramfs/loop1", S_LNK, "loop2");
	cb_entry(c, "kt_ramfs/loop2", S_LNK, "loop1");
	cb_entry(c, "kt_ramfs/self", S_LNK, "self/x");
	cb_entry(c, "kt_ramfs/dangling", S_LNK, "nowhere");
	cb_trailer(c);
	err = ramfs_unpack_cpio(c->b, c->len);
	kfree(c);
	return err;
}

static int lookup_err(const char *path)
{
	struct rnode *n;

	return ramfs_lookup(path, &n);
}

KTEST(ramfs_cpio_creates_tree)
{
	struct rnode *n;

	KASSERT_EQ(unpack_sample(), 0);
	KASSERT_EQ(ramfs_lookup("/kt_ramfs/etc/passwd", &n), 0);
	KASSERT_EQ(n->mode, S_REG);
	KASSERT_EQ(n->uid, 1000);
	KASSERT_EQ(n->gid, 100);
	KASSERT_EQ(n->mtime, 1700000000);
	KASSERT_EQ(n->size, 22);
	KASSERT(memcmp(n->data, "root:x:0:0::/:/bin/sh\n", 22) == 0);
	/* a parent missing from the archive is made 0755 */
	KASSERT_EQ(ramfs_lookup("/kt_ramfs/etc", &n), 0);
	KASSERT_EQ(n->mode, S_DIR);
	KASSERT_EQ(ramfs_lookup("/kt_ramfs/bin", &n), 0);
	KASSERT_EQ(n->mode, RAMFS_S_IFDIR | 0700);
	KASSERT_EQ(ramfs_lookup("/kt_ramfs/empty", &n), 0);
	KASSERT_EQ(n->size, 0);
	KASSERT_EQ(ramfs_lookup("/", &n), 0);
	KASSERT(n == ramfs_root());
}

KTEST(ramfs_lookup_dots_and_slashes)
{
	struct rnode *sh, *n;

	KASSERT_EQ(unpack_sample(), 0);
	KASSERT_EQ(ramfs_lookup("/kt_ramfs/bin/sh", &sh), 0);
	KASSERT_EQ(ramfs_lookup("//kt_ramfs///bin//sh", &n), 0);
	KASSERT(n == sh);
	KASSERT_EQ(ramfs_lookup("/kt_ramfs/./etc/../bin/./sh", &n), 0);
	KASSERT(n == sh);
	KASSERT_EQ(ramfs_lookup("/../../kt_ramfs/bin/sh", &n), 0);
	KASSERT(n == sh);
	KASSERT_EQ(ramfs_lookup("/kt_ramfs/bin/", &n), 0);
	KASSERT_EQ(ramfs_lookup("/kt_ramfs/bin/..", &n), 0);
	KASSERT_EQ(strcmp(n->name, "kt_ramfs"), 0);
}

KTEST(ramfs_lookup_follows_symlinks)
{
	struct rnode *passwd, *etc, *n;

	KASSERT_EQ(unpack_sample(), 0);
	KASSERT_EQ(ramfs_lookup("/kt_ramfs/etc/passwd", &passwd), 0);
	KASSERT_EQ(ramfs_lookup("/kt_ramfs/etc", &etc), 0);
	KASSERT_EQ(ramfs_lookup("/kt_ramfs/lnk_rel", &n), 0);
	KASSERT(n == passwd);
	KASSERT_EQ(ramfs_lookup("/kt_ramfs/lnk_abs", &n), 0);
	KASSERT(n == etc);
	KASSERT_EQ(ramfs_lookup("/kt_ramfs/lnk_abs/passwd", &n), 0);
	KASSERT(n == passwd);
	KASSERT_EQ(ramfs_lookup("/kt_ramfs/lnk_abs/", &n), 0);
	KASSERT(n == etc);
	/* relative to the link's own directory */
	KASSERT_EQ(ramfs_lookup("/kt_ramfs/bin/up/passwd", &n), 0);
	KASSERT(n == passwd);
	KASSERT_EQ(ramfs_lookup("/kt_ramfs/bin/up/../bin/up/passwd", &n), 0);
	KASSERT(n == passwd);
}

KTEST(ramfs_lookup_errors)
{
	char *p;
	size_t i;

	KASSERT_EQ(unpack_sample(), 0);
	KASSERT_EQ(lookup_err("/kt_ramfs/nope"), -ENOENT);
	KASSERT_EQ(lookup_err(""), -ENOENT);
	KASSERT_EQ(lookup_err("/kt_ramfs/dangling"), -ENOENT);
	KASSERT_EQ(lookup_err("/kt_ramfs/loop1"), -ELOOP);
	KASSERT_EQ(lookup_err("/kt_ramfs/self"), -ELOOP);
	KASSERT_EQ(lookup_err("/kt_ramfs/etc/passwd/x"), -ENOTDIR);
	KASSERT_EQ(lookup_err("/kt_ramfs/etc/passwd/"), -ENOTDIR);
	KASSERT_EQ(lookup_err("/kt_ramfs/etc/passwd/."), -ENOTDIR);
	KASSERT_EQ(lookup_err("/kt_ramfs/lnk_rel/"), -ENOTDIR);
	KASSERT_EQ(lookup_err("/kt_ramfs/lnk_rel/x"), -ENOTDIR);

	p = kmalloc(4200);
	KASSERT(p != NULL);
	p[0] = '/';
	for (i = 1; i <= 256; i++)
		p[i] = 'a';
	p[i] = '\0';
	KASSERT_EQ(lookup_err(p), -ENAMETOOLONG);
	p[256] = '\0';   /* 255 bytes is fine: just absent */
	KASSERT_EQ(lookup_err(p), -ENOENT);
	for (i = 0; i < 4096; i++)
		p[i] = '/';
	p[4096] = '\0';
	KASSERT_EQ(lookup_err(p), -ENAMETOOLONG);
	p[4095] = '\0';
	KASSERT_EQ(lookup_err(p), 0);
	kfree(p);
}

/* A chain of 41 links: following 40 works, the 41st is ELOOP. */
KTEST(ramfs_lookup_link_limit)
{
	struct cpio_buf *c = cb_new();
	char name[40], target[40];
	struct rnode *n;
	int i;

	KASSERT(c != NULL);
	cb_entry(c, "kt_ramfs/chain/end", S_REG, "x");
	for (i = 0; i <= 40; i++) {
		ksnprintf(name, sizeof(name), "kt_ramfs/chain/c%d", i);
		if (i == 40)
			ksnprintf(target, sizeof(target), "end");
		else
			ksnprintf(target, sizeof(target), "c%d", i + 1);
		cb_entry(c, name, S_LNK, target);
	}
	cb_trailer(c);
	i = ramfs_unpack_cpio(c->b, c->len);
	kfree(c);
	KASSERT_EQ(i, 0);
	KASSERT_EQ(ramfs_lookup("/kt_ramfs/chain/c1", &n), 0);
	KASSERT_EQ(strcmp(n->name, "end"), 0);
	KASSERT_EQ(lookup_err("/kt_ramfs/chain/c0"), -ELOOP);
}

KTEST(ramfs_cpio_later_entry_replaces)
{
	struct cpio_buf *c = cb_new();
	struct rnode *n;
	int err;

	KASSERT(c != NULL);
	cb_entry(c, "kt_ramfs/rep/f", S_REG, "first");
	cb_entry(c, "kt_ramfs/rep/f", S_REG, "second!");
	cb_entry(c, "kt_ramfs/rep/l", S_REG, "file");
	cb_entry(c, "kt_ramfs/rep/l", S_LNK, "f");
	cb_entry(c, "kt_ramfs/rep", RAMFS_S_IFDIR | 0711, NULL);
	cb_trailer(c);
	err = ramfs_unpack_cpio(c->b, c->len);
	kfree(c);
	KASSERT_EQ(err, 0);
	KASSERT_EQ(ramfs_lookup("/kt_ramfs/rep/f", &n), 0);
	KASSERT_EQ(n->size, 7);
	KASSERT(memcmp(n->data, "second!", 7) == 0);
	KASSERT_EQ(ramfs_lookup("/kt_ramfs/rep/l", &n), 0);
	KASSERT_EQ(strcmp(n->name, "f"), 0);
	/* a directory entry after its children keeps them */
	KASSERT_EQ(ramfs_lookup("/kt_ramfs/rep", &n), 0);
	KASSERT_EQ(n->mode, RAMFS_S_IFDIR | 0711);
	KASSERT(n->children != NULL);
}

/* newc stores a hard-link group's data with its last member only. */
KTEST(ramfs_cpio_hard_links_are_copies)
{
	struct cpio_buf *c = cb_new();
	struct rnode *a, *b;
	int err;

	KASSERT(c != NULL);
	cb_entry_ino(c, "kt_ramfs/hl/a", S_REG, NULL, 77, 2);
	cb_entry_ino(c, "kt_ramfs/hl/b", S_REG, "shared", 77, 2);
	cb_trailer(c);
	err = ramfs_unpack_cpio(c->b, c->len);
	kfree(c);
	KASSERT_EQ(err, 0);
	KASSERT_EQ(ramfs_lookup("/kt_ramfs/hl/a", &a), 0);
	KASSERT_EQ(ramfs_lookup("/kt_ramfs/hl/b", &b), 0);
	KASSERT_EQ(a->size, 6);
	KASSERT_EQ(b->size, 6);
	KASSERT(memcmp(a->data, "shared", 6) == 0);
	KASSERT(a->data != b->data);
}

KTEST(ramfs_cpio_concatenated_archives)
{
	struct cpio_buf *c = cb_new();
	size_t first;
	int err;

	KASSERT(c != NULL);
	cb_entry(c, "kt_ramfs/cat/one", S_REG, "1");
	cb_trailer(c);
	first = c->len;
	c->len += 512;   /* zero padding, as between concatenated archives */
	cb_entry(c, "kt_ramfs/cat/two", S_REG, "2");
	cb_trailer(c);
	err = ramfs_unpack_cpio(c->b, c->len);
	kfree(c);
	KASSERT(first > 0);
	KASSERT_EQ(err, 0);
	KASSERT_EQ(lookup_err("/kt_ramfs/cat/one"), 0);
	KASSERT_EQ(lookup_err("/kt_ramfs/cat/two"), 0);
}

/* Each damaged archive gives -EINVAL; entries before the damage stay. */
KTEST(ramfs_cpio_corrupt_archives)
{
	struct cpio_buf *c = cb_new();
	size_t good;

	KASSERT(c != NULL);
	cb_entry(c, "kt_ramfs/bad/ok", S_REG, "fine");
	good = c->len;
	cb_entry(c, "kt_ramfs/bad/victim", S_REG, "0123456789");
	cb_trailer(c);

	/* bad magic */
	memcpy(c->b + good, "070707", 6);
	KASSERT_EQ(ramfs_unpack_cpio(c->b, c->len), -EINVAL);
	KASSERT_EQ(lookup_err("/kt_ramfs/bad/ok"), 0);
	KASSERT_EQ(lookup_err("/kt_ramfs/bad/victim"), -ENOENT);
	memcpy(c->b + good, "070701", 6);
	/* a non-hex digit in a field */
	c->b[good + 6 + 8 * 6] = 'g';
	KASSERT_EQ(ramfs_unpack_cpio(c->b, c->len), -EINVAL);
	c->b[good + 6 + 8 * 6] = '0';
	/* truncated header, name, data; missing trailer */
	KASSERT_EQ(ramfs_unpack_cpio(c->b, good + 50), -EINVAL);
	KASSERT_EQ(ramfs_unpack_cpio(c->b, good + 115), -EINVAL);
	KASSERT_EQ(ramfs_unpack_cpio(c->b, good + 140), -EINVAL);
	KASSERT_EQ(ramfs_unpack_cpio(c->b, good), -EINVAL);
	KASSERT_EQ(lookup_err("/kt_ramfs/bad/victim"), -ENOENT);
	/* namesize and filesize far beyond the buffer */
	memcpy(c->b + good + 6 + 8 * 11, "7fffffff", 8);
	KASSERT_EQ(ramfs_unpack_cpio(c->b, c->len), -EINVAL);
	memcpy(c->b + good + 6 + 8 * 11, "00000000", 8);
	KASSERT_EQ(ramfs_unpack_cpio(c->b, c->len), -EINVAL);
	memcpy(c->b + good + 6 + 8 * 11, "00000014", 8);
	memcpy(c->b + good + 6 + 8 * 6, "ffffffff", 8);
	KASSERT_EQ(ramfs_unpack_cpio(c->b, c->len), -EINVAL);
	memcpy(c->b + good + 6 + 8 * 6, "0000000a", 8);
	/* repaired, it unpacks */
	KASSERT_EQ(ramfs_unpack_cpio(c->b, c->len), 0);
	KASSERT_EQ(lookup_err("/kt_ramfs/bad/victim"), 0);
	kfree(c);
}
