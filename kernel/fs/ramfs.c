/*
 * ramfs: the in-memory root file system as a tree of rnodes, with path
 * lookup (symlinks, "." and "..") and the cpio "newc" unpacker that
 * fills it from the initramfs at boot.
 *
 * Used from one task at boot and then read-only, so there is no locking.
 * Archive parsing never trusts a header: every length is checked against
 * the buffer before it is used.
 */
#include <jinux/errno.h>
#include <jinux/heap.h>
#include <jinux/log.h>
#include <jinux/string.h>
#include <jinux/types.h>
#include <jinux/machine.h>
#include <kernel/ramfs.h>
#include <kernel/vfs.h>

#define RAMFS_NAME_MAX 255
#define RAMFS_PATH_MAX 4096      /* including the NUL, like Linux */
#define RAMFS_MAX_LINKS 40

#define CPIO_HDR_LEN 110
#define CPIO_FIELDS 13
#define CPIO_TRAILER "TRAILER!!!"

static struct rnode *root;

static bool rnode_is_mode(uint32_t mode, uint32_t type)
{
	return (mode & RAMFS_S_IFMT) == type;
}

static bool rnode_is(const struct rnode *n, uint32_t type)
{
	return rnode_is_mode(n->mode, type);
}

/**
 * ramfs_root() - the root directory, created (mode 0755) on first use.
 * Return: the root, or NULL if memory ran out creating it.
 */
struct rnode *ramfs_root(void)
{
	if (!root) {
		root = kzalloc(sizeof(*root));
		if (root)
			root->mode = RAMFS_S_IFDIR | 0755;
	}
	return root;
}

/* The child of directory @dir named by the @len bytes at @name. */
static struct rnode *rnode_find(struct rnode *dir, const char *name, size_t len)
{
	struct rnode *c;

	for (c = dir->children; c; c = c->sibling)
		if (strncmp(c->name, name, len) == 0 && c->name[len] == '\0')
			return c;
	return NULL;
}

static struct rnode *rnode_add(struct rnode *dir, const char *name, size_t len,
			       uint32_t mode)
{
	struct rnode *n = kzalloc(sizeof(*n));

	if (!n)
		return NULL;
	memcpy(n->name, name, len);
	n->mode = mode;
	n->parent = dir;
	n->sibling = dir->children;
	dir->children = n;
	return n;
}

/* ---- path walking ---- */

/*
 * The walk state: the path still to resolve lives at the end of @buf so
 * that a symlink target can be put in front of it without a second copy.
 */
struct walk {
	char buf[RAMFS_PATH_MAX];
	size_t pos;              /* the remaining path is buf[pos..] */
	unsigned links;
};

static int walk_init(struct walk *w, const char *path)
{
	size_t len = strnlen(path, RAMFS_PATH_MAX);

	if (len >= RAMFS_PATH_MAX)
		return -ENAMETOOLONG;
	w->pos = RAMFS_PATH_MAX - 1 - len;
	memcpy(w->buf + w->pos, path, len + 1);
	w->links = 0;
	return 0;
}

/*
 * Replace the component just consumed by symlink @link's target. A slash
 * goes between the target and the rest of the path, or after the target
 * if the link was named with a trailing slash (@slash), which then still
 * demands a directory.
 */
static int walk_splice(struct walk *w, const struct rnode *link, bool slash)
{
	size_t tlen = link->size, rest = RAMFS_PATH_MAX - 1 - w->pos;
	size_t sep = rest || slash ? 1 : 0;

	if (++w->links > RAMFS_MAX_LINKS)
		return -ELOOP;
	if (tlen == 0 || !link->data)
		return -ENOENT;
	if (tlen + sep > w->pos)
		return -ENAMETOOLONG;
	w->pos -= tlen + sep;
	memcpy(w->buf + w->pos, link->data, tlen);
	if (sep)
		w->buf[w->pos + tlen] = '/';
	return 0;
}

/*
 * Resolve @w's path from directory @start (or the root for an absolute
 * path), following symlinks. With @follow_last false a final symlink is
 * returned itself. A trailing slash demands a directory.
 */
static int walk_path(struct walk *w, struct rnode *start, bool follow_last,
		     struct rnode **out)
{
	struct rnode *cur = start, *next;
	const char *comp;
	size_t len;
	bool last, slash;
	int err;

	for (;;) {
		if (w->buf[w->pos] == '/') {
			cur = root;
			while (w->buf[w->pos] == '/')
				w->pos++;
		}
		if (w->buf[w->pos] == '\0')
			break;
		comp = w->buf + w->pos;
		for (len = 0; comp[len] && comp[len] != '/'; len++)
			;
		if (len > RAMFS_NAME_MAX)
			return -ENAMETOOLONG;
		w->pos += len;
		slash = w->buf[w->pos] == '/';
		while (w->buf[w->pos] == '/')
			w->pos++;
		last = w->buf[w->pos] == '\0';
		if (!rnode_is(cur, RAMFS_S_IFDIR))
			return -ENOTDIR;
		if (len == 1 && comp[0] == '.')
			continue;
		if (len == 2 && comp[0] == '.' && comp[1] == '.') {
			if (cur->parent)
				cur = cur->parent;
			continue;
		}
		next = rnode_find(cur, comp, len);
		if (!next)
			return -ENOENT;
		if (rnode_is(next, RAMFS_S_IFLNK) && (!last || follow_last || slash)) {
			/* the target resolves relative to the link's directory */
			err = walk_splice(w, next, slash);
			if (err)
				return err;
			continue;
		}
		cur = next;
		if (last && slash && !rnode_is(cur, RAMFS_S_IFDIR))
			return -ENOTDIR;
	}
	*out = cur;
	return 0;
}

/**
 * ramfs_lookup() - resolve @path from the root.
 * @path: absolute path (a relative one is taken from the root too)
 * @out:  the node found
 *
 * "." and ".." are handled (".." of the root is the root), slashes may
 * repeat, and symlinks are followed, the last component's too, up to 40
 * of them. A trailing slash requires a directory.
 *
 * Return: 0; -ENOENT (also for an empty path); -ENOTDIR when a
 * non-final component (or one with a trailing slash) is not a directory;
 * -ELOOP; -ENAMETOOLONG for a component over 255 bytes or a path over
 * 4095; -ENOMEM.
 */
int ramfs_lookup(const char *path, struct rnode **out)
{
	struct walk *w;
	int err;

	if (!ramfs_root())
		return -ENOMEM;
	if (!path || !path[0])
		return -ENOENT;
	w = kmalloc(sizeof(*w));
	if (!w)
		return -ENOMEM;
	err = walk_init(w, path);
	if (!err)
		err = walk_path(w, root, true, out);
	kfree(w);
	return err;
}

/* ---- the cpio "newc" unpacker ---- */

struct cpio_entry {
	uint32_t ino, mode, uid, gid, nlink, mtime, filesize;
	uint32_t devmajor, devminor, namesize;
	const char *name;
	const uint8_t *data;
	size_t next;             /* offset of the following header */
};

/* Members of one hard-link group seen so far (same ino and device). */
struct cpio_link {
	uint32_t ino, devmajor, devminor;
	struct rnode *node;
	struct cpio_link *next;
};

static int cpio_hex8(const char *s, uint32_t *out)
{
	uint32_t v = 0;
	int i, d;

	for (i = 0; i < 8; i++) {
		char c = s[i];

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -EINVAL;
		v = v << 4 | (uint32_t)d;
	}
	*out = v;
	return 0;
}

/* The 110-byte header: magic and 13 hex fields, in archive order. */
static int cpio_parse_header(const char *h, struct cpio_entry *e)
{
	uint32_t f[CPIO_FIELDS];
	int i;

	if (memcmp(h, "07070", 5) != 0 || (h[5] != '1' && h[5] != '2'))
		return -EINVAL;
	for (i = 0; i < CPIO_FIELDS; i++)
		if (cpio_hex8(h + 6 + 8 * i, &f[i]))
			return -EINVAL;
	e->ino = f[0];
	e->mode = f[1];
	e->uid = f[2];
	e->gid = f[3];
	e->nlink = f[4];
	e->mtime = f[5];
	e->filesize = f[6];
	e->devmajor = f[7];
	e->devminor = f[8];
	/* f[9], f[10]: rdev (device nodes keep no number yet) */
	e->namesize = f[11];
	/* f[12]: checksum, only meaningful for 070702; not verified */
	return 0;
}

/* Decode the entry at @off; every length is checked against @len. */
static int cpio_next(const uint8_t *a, size_t len, size_t off, struct cpio_entry *e)
{
	size_t name_off, data_off, end;
	int err;

	if (off > len || len - off < CPIO_HDR_LEN)
		return -EINVAL;
	err = cpio_parse_header((const char *)a + off, e);
	if (err)
		return err;
	name_off = off + CPIO_HDR_LEN;
	if (e->namesize == 0 || e->namesize > len - name_off)
		return -EINVAL;
	e->name = (const char *)a + name_off;
	if (strnlen(e->name, e->namesize) != e->namesize - 1)
		return -EINVAL;          /* no NUL, or one inside the name */
	data_off = ALIGN_UP(name_off + e->namesize, 4);
	if (e->filesize == 0) {
		/* the padding of a final entry may be missing */
		e->data = NULL;
		e->next = MIN(data_off, len);
		return 0;
	}
	if (data_off > len || e->filesize > len - data_off)
		return -EINVAL;
	e->data = a + data_off;
	end = data_off + e->filesize;
	e->next = MIN(ALIGN_UP(end, 4), len);
	return 0;
}

static bool cpio_type_known(uint32_t mode)
{
	switch (mode & RAMFS_S_IFMT) {
	case RAMFS_S_IFDIR:
	case RAMFS_S_IFREG:
	case RAMFS_S_IFLNK:
	case 0020000: /* character device */
	case 0060000: /* block device */
	case 0010000: /* fifo */
	case 0140000: /* socket */
		return true;
	}
	return false;
}

/* Follow symlink @link (in directory @dir) to the directory it names. */
static int cpio_follow_dir(struct rnode *dir, struct rnode *link, struct rnode **out)
{
	struct walk *w = kmalloc(sizeof(*w));
	int err;

	if (!w)
		return -ENOMEM;
	err = walk_init(w, (const char *)link->data);
	if (!err)
		err = walk_path(w, dir, true, out);
	if (!err && !rnode_is(*out, RAMFS_S_IFDIR))
		err = -ENOTDIR;
	kfree(w);
	return err;
}

static bool name_is_dot(const char *s, size_t len)
{
	return len == 1 && s[0] == '.';
}

static bool name_is_dotdot(const char *s, size_t len)
{
	return len == 2 && s[0] == '.' && s[1] == '.';
}

/*
 * Find (creating missing ones as 0755 directories) the directory that
 * holds the last component of the @n bytes at @path, which have no
 * leading or trailing slash; *@last and *@last_len name that component.
 * Return: 0, -ENOMEM, or another errno to skip the entry.
 */
static int cpio_parent(const char *path, size_t n, struct rnode **dirp,
		       const char **last, size_t *last_len)
{
	struct rnode *dir = root, *next;
	size_t i = 0, len;
	int err;

	for (;;) {
		while (path[i] == '/')
			i++;
		for (len = 0; i + len < n && path[i + len] != '/'; len++)
			;
		if (len > RAMFS_NAME_MAX)
			return -ENAMETOOLONG;
		if (name_is_dotdot(path + i, len))
			return -EINVAL;   /* no climbing about in an archive */
		if (i + len == n)
			break;
		if (!name_is_dot(path + i, len)) {
			next = rnode_find(dir, path + i, len);
			if (!next)
				next = rnode_add(dir, path + i, len, RAMFS_S_IFDIR | 0755);
			if (!next)
				return -ENOMEM;
			if (rnode_is(next, RAMFS_S_IFLNK)) {
				err = cpio_follow_dir(dir, next, &next);
				if (err)
					return err;
			}
			if (!rnode_is(next, RAMFS_S_IFDIR))
				return -ENOTDIR;
			dir = next;
		}
		i += len;
	}
	if (len == 0 || name_is_dot(path + i, len))
		return -EINVAL;
	*dirp = dir;
	*last = path + i;
	*last_len = len;
	return 0;
}

/* Drop "./" and "/" prefixes and trailing slashes from an archive name. */
static const char *cpio_clean_name(const char *name, size_t *n)
{
	size_t len = strlen(name);

	for (;;) {
		if (len && name[0] == '/') {
			name++;
			len--;
		} else if (len >= 2 && name[0] == '.' && name[1] == '/') {
			name += 2;
			len -= 2;
		} else {
			break;
		}
	}
	while (len && name[len - 1] == '/')
		len--;
	*n = len;
	return name;
}

/*
 * The new contents of a node for entry @e: a copy of the file data or
 * the NUL-terminated symlink target. Return: 0, -ENOMEM, or -EINVAL for
 * an unusable symlink (the entry is skipped).
 */
static int cpio_entry_data(const struct cpio_entry *e, uint8_t **data, size_t *size)
{
	size_t len = e->filesize;

	*data = NULL;
	*size = 0;
	if (rnode_is_mode(e->mode, RAMFS_S_IFLNK)) {
		len = e->data ? strnlen((const char *)e->data, len) : 0;
		if (len == 0 || len >= RAMFS_PATH_MAX)
			return -EINVAL;
		*data = kmalloc(len + 1);
		if (!*data)
			return -ENOMEM;
		memcpy(*data, e->data, len);
		(*data)[len] = '\0';
		*size = len;
	} else if (rnode_is_mode(e->mode, RAMFS_S_IFREG) && len) {
		*data = kmalloc(len);
		if (!*data)
			return -ENOMEM;
		memcpy(*data, e->data, len);
		*size = len;
	}
	return 0;
}

static void rnode_set_meta(struct rnode *n, const struct cpio_entry *e)
{
	n->mode = e->mode & (RAMFS_S_IFMT | 07777);
	n->uid = e->uid;
	n->gid = e->gid;
	n->mtime = e->mtime;
}

/* Give the regular file @to a copy of @from's contents. */
static int rnode_copy_data(struct rnode *to, const struct rnode *from)
{
	uint8_t *d = kmalloc(from->size);

	if (!d)
		return -ENOMEM;
	memcpy(d, from->data, from->size);
	kfree(to->data);
	to->data = d;
	to->size = from->size;
	return 0;
}

/*
 * Hard links become copies. newc stores a link group's data with one
 * member only (GNU cpio: the last), so whichever member has it shares
 * it with the others seen so far; @n joins the group in *@links.
 */
static int cpio_link(struct cpio_link **links, const struct cpio_entry *e, struct rnode *n)
{
	struct cpio_link *l;
	int err;

	for (l = *links; l; l = l->next) {
		if (l->ino != e->ino || l->devmajor != e->devmajor ||
		    l->devminor != e->devminor || !rnode_is(l->node, RAMFS_S_IFREG))
			continue;
		if (n->size == 0 && l->node->size)
			err = rnode_copy_data(n, l->node);
		else if (n->size && l->node->size == 0)
			err = rnode_copy_data(l->node, n);
		else
			err = 0;
		if (err)
			return err;
	}
	l = kmalloc(sizeof(*l));
	if (!l)
		return -ENOMEM;
	l->ino = e->ino;
	l->devmajor = e->devmajor;
	l->devminor = e->devminor;
	l->node = n;
	l->next = *links;
	*links = l;
	return 0;
}

/*
 * Put entry @e in the tree. A later entry of the same name replaces the
 * earlier one in place (a directory only keeps its children if the new
 * entry is a directory too, and a non-empty one is not replaced by a
 * file). Unusable entries are skipped with a warning: only -ENOMEM
 * stops the unpacking.
 */
static int cpio_add(const struct cpio_entry *e, struct cpio_link **links)
{
	const char *path, *last;
	struct rnode *dir, *n;
	uint8_t *data;
	size_t plen, len, size;
	int err;

	path = cpio_clean_name(e->name, &plen);
	if (plen == 0 || (plen == 1 && path[0] == '.'))
		return 0;
	if (!cpio_type_known(e->mode)) {
		pr_warn("initramfs: %s: unknown file type, skipped\n", e->name);
		return 0;
	}
	err = cpio_parent(path, plen, &dir, &last, &len);
	if (!err)
		err = cpio_entry_data(e, &data, &size);
	if (err == -ENOMEM)
		return err;
	if (err) {
		pr_warn("initramfs: %s: skipped (error %d)\n", e->name, err);
		return 0;
	}
	n = rnode_find(dir, last, len);
	if (n && n->children && !rnode_is_mode(e->mode, RAMFS_S_IFDIR)) {
		pr_warn("initramfs: %s: non-empty directory kept\n", e->name);
		kfree(data);
		return 0;
	}
	if (!n)
		n = rnode_add(dir, last, len, 0);
	if (!n) {
		kfree(data);
		return -ENOMEM;
	}
	kfree(n->data);
	n->data = data;
	n->size = size;
	rnode_set_meta(n, e);
	if (rnode_is(n, RAMFS_S_IFREG) && e->nlink > 1)
		return cpio_link(links, e, n);
	return 0;
}

static bool cpio_is_trailer(const struct cpio_entry *e)
{
	return strcmp(e->name, CPIO_TRAILER) == 0;
}

/**
 * ramfs_unpack_cpio() - add the entries of a cpio newc archive to the tree.
 * @archive: the archive bytes (e.g. from boot_initramfs())
 * @len:     their number
 *
 * Directories, regular files (data copied), symlinks and device, fifo
 * and socket nodes (without data) are created with their mode, uid, gid
 * and mtime; missing parent directories are made 0755. Names lose any
 * leading "./" or "/"; "." is skipped. Archives may be concatenated,
 * each ending in TRAILER!!!, with zero padding between them, as Linux
 * accepts. Compressed archives are not supported.
 *
 * Return: 0; -EINVAL for a bad magic, a non-hex field, a length beyond
 * the buffer or a missing trailer (entries before the damage stay);
 * -ENOMEM.
 */
int ramfs_unpack_cpio(const void *archive, size_t len)
{
	const uint8_t *a = archive;
	struct cpio_link *links = NULL, *l;
	struct cpio_entry e;
	bool inside = false;   /* between a first header and its trailer */
	size_t off = 0;
	int err = 0;

	if (!ramfs_root())
		return -ENOMEM;
	if (!a)
		len = 0;
	while (!err) {
		if (!inside) {
			while (off < len && a[off] == 0)
				off++;
		}
		if (off >= len) {
			err = inside ? -EINVAL : 0;
			break;
		}
		err = cpio_next(a, len, off, &e);
		if (err)
			break;
		off = e.next;
		inside = !cpio_is_trailer(&e);
		if (inside)
			err = cpio_add(&e, &links);
	}
	while ((l = links)) {
		links = l->next;
		kfree(l);
	}
	return err;
}
