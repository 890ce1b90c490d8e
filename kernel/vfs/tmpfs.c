/*
 * tmpfs: a file system that is only its dentries and inodes in memory
 * (Linux's shmem without swap). The super block keeps the size= and
 * nr_inodes= limits and what is used of them; running out gives ENOSPC.
 * devtmpfs is a tmpfs with device nodes in it.
 */
#include <jinux/errno.h>
#include <jinux/heap.h>
#include <jinux/string.h>
#include <kernel/vfs.h>

static uint32_t next_dev = 1;  /* anonymous devices 0:N, as Linux's tmpfs */

void sb_get(struct super_block *sb)
{
	sb->refcount++;
}

/*
 * The last mount (or other user) is gone: the tree goes, and with it
 * every inode (none is open: open files hold a mount). Inodes do not
 * reference their super block, or the root would keep it forever.
 */
void sb_put(struct super_block *sb)
{
	if (!sb || --sb->refcount)
		return;
	d_kill_tree(sb->root);
	dput(sb->root);
	kfree(sb);
}

struct inode *tmpfs_new_inode(struct super_block *sb, uint32_t mode, uint32_t uid,
			      uint32_t gid, int *err)
{
	if (sb->max_inodes && sb->used_inodes >= sb->max_inodes) {
		*err = -ENOSPC;
		return NULL;
	}
	struct inode *i = kzalloc(sizeof(*i));
	if (!i) {
		*err = -ENOMEM;
		return NULL;
	}
	i->ino = sb->next_ino++;
	i->mode = mode;
	i->uid = uid;
	i->gid = gid;
	i->nlink = S_ISDIR(mode) ? 2 : 1;
	i->refcount = 1;
	i->sb = sb;
	inode_touch(i, "amc");
	i->btime = i->mtime;
	sb->used_inodes++;
	return i;
}

struct super_block *tmpfs_create_sb(const char *fstype, uint64_t max_bytes,
				    uint64_t max_inodes, uint32_t mode)
{
	struct super_block *sb = kzalloc(sizeof(*sb));
	if (!sb)
		return NULL;
	sb->fstype = fstype;
	uint32_t minor = next_dev++;
	sb->dev = LINUX_MKDEV(0, minor);
	sb->max_bytes = max_bytes;
	sb->max_inodes = max_inodes;
	sb->next_ino = 1;
	sb->refcount = 1;
	int err;
	struct inode *root = tmpfs_new_inode(sb, S_IFDIR | (mode & 07777), 0, 0, &err);
	if (root)
		sb->root = d_alloc_anon(root, "/");
	if (!sb->root) {
		if (root)
			inode_put(root);
		kfree(sb);
		return NULL;
	}
	return sb;
}

/* A number with an optional k, m or g suffix (or % of nothing: refused). */
static int parse_size(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	size_t i = 0;
	if (!len)
		return -EINVAL;
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
		v = v * 10 + (uint64_t)(s[i] - '0');
	if (i == 0)
		return -EINVAL;
	if (i < len) {
		if (i + 1 != len)
			return -EINVAL;
		switch (s[i] | 0x20) {
		case 'k': v <<= 10; break;
		case 'm': v <<= 20; break;
		case 'g': v <<= 30; break;
		default: return -EINVAL;
		}
	}
	*out = v;
	return 0;
}

static int parse_octal(const char *s, size_t len, uint32_t *out)
{
	uint32_t v = 0;
	if (!len)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '7')
			return -EINVAL;
		v = v * 8 + (uint32_t)(s[i] - '0');
	}
	*out = v & 07777;
	return 0;
}

static bool opt_is(const char *s, size_t len, const char *name)
{
	size_t n = strlen(name);
	return len > n && s[n] == '=' && !memcmp(s, name, n);
}

/* One "key=value" option; unknown ones are ignored, as the mount helper's are. */
static int parse_option(const char *s, size_t len, uint64_t *max_bytes, uint64_t *max_inodes,
			uint32_t *mode)
{
	if (opt_is(s, len, "size")) {
		int err = parse_size(s + 5, len - 5, max_bytes);
		*max_bytes = ALIGN_UP(*max_bytes, PAGE_SIZE);
		return err;
	}
	if (opt_is(s, len, "nr_inodes"))
		return parse_size(s + 10, len - 10, max_inodes);
	if (opt_is(s, len, "mode"))
		return parse_octal(s + 5, len - 5, mode);
	return 0;
}

int tmpfs_parse_options(const char *opts, uint64_t *max_bytes, uint64_t *max_inodes,
			uint32_t *mode)
{
	while (opts && *opts) {
		size_t len = 0;
		while (opts[len] && opts[len] != ',')
			len++;
		int err = parse_option(opts, len, max_bytes, max_inodes, mode);
		if (err)
			return err;
		opts += len;
		if (*opts == ',')
			opts++;
	}
	return 0;
}
