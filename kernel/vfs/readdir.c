/*
 * Directories as open files: getdents64 and lseek. The position is the
 * getdents offset of the next entry: 0 is ".", 1 is "..", and each child
 * keeps the offset its directory gave it when it was linked, so removing
 * entries while reading never skips the others.
 */
#include <jinux/errno.h>
#include <jinux/heap.h>
#include <jinux/string.h>
#include <jinux/uaccess.h>
#include <kernel/process.h>
#include <uapi/fcntl.h>
#include "vfs_internal.h"

#define DIRENT_HDR offsetof(struct linux_dirent64, d_name)
#define GETDENTS_BUF 65536

static uint8_t dtype(uint32_t mode)
{
	return (uint8_t)((mode & S_IFMT) >> 12);   /* DT_* are the type bits */
}

struct dirbuf {
	uint8_t *buf;
	size_t len, used;
};

/* Append one record; false when it does not fit. */
static bool emit(struct dirbuf *db, uint64_t ino, int64_t next, uint32_t mode,
		 const char *name, size_t nlen)
{
	size_t reclen = ALIGN_UP(DIRENT_HDR + nlen + 1, 8);
	if (db->used + reclen > db->len)
		return false;
	struct linux_dirent64 *de = (struct linux_dirent64 *)(db->buf + db->used);
	memset(de, 0, reclen);
	de->d_ino = ino;
	de->d_off = next;
	de->d_reclen = (uint16_t)reclen;
	de->d_type = dtype(mode);
	memcpy(de->d_name, name, nlen);
	db->used += reclen;
	return true;
}

/*
 * Fill @db from position *@pos on, advancing it past what was emitted.
 * Return: false when an entry did not fit.
 */
static bool fill(struct dentry *dir, struct dirbuf *db, int64_t *pos)
{
	if (*pos == 0) {
		if (!emit(db, dir->inode->ino, 1, S_IFDIR, ".", 1))
			return false;
		*pos = 1;
	}
	if (*pos == 1) {
		if (!emit(db, dir->parent->inode->ino, 2, S_IFDIR, "..", 2))
			return false;
		*pos = 2;
	}
	for (struct dentry *c = dir->first_child; c; c = c->next_sib) {
		if ((int64_t)c->dir_pos < *pos)
			continue;
		int64_t next = (int64_t)c->dir_pos + 1;
		if (!emit(db, c->inode->ino, next, c->inode->mode, c->name, c->len))
			return false;
		*pos = next;
	}
	return true;
}

long vfs_file_getdents(struct file *f, struct thread *t, void __user *buf, size_t len)
{
	struct vfs_file *vf = vfs_file_of(f);
	if (!vf || f->ops != &vfs_dir_ops)
		return vf && f->ops != &vfs_dir_ops ? -ENOTDIR : -EBADF;
	struct dentry *dir = vf->path.dentry;
	/* A removed directory has no entries, not even "." and "..". */
	if (d_is_dead(dir))
		return 0;
	d_synth_readdir(dir);
	struct dirbuf db = { NULL, MIN(len, (size_t)GETDENTS_BUF), 0 };
	db.buf = kmalloc(MAX(db.len, 1));
	if (!db.buf)
		return -ENOMEM;
	int64_t pos = vf->pos;
	bool all = fill(dir, &db, &pos);
	long ret;
	if (!all && !db.used)
		ret = -EINVAL;        /* the next entry does not fit at all */
	else if (copy_to_user(t->proc->mm->vs, buf, db.buf, db.used))
		ret = -EFAULT;
	else {
		ret = (long)db.used;
		vf->pos = pos;
	}
	kfree(db.buf);
	inode_touch(dir->inode, "a");
	return ret;
}

static ssize_t dir_read(struct file *f, struct thread *t, void __user *buf, size_t len)
{
	(void)f, (void)t, (void)buf, (void)len;
	return -EISDIR;
}

static int64_t dir_llseek(struct file *f, struct thread *t, int64_t off, int whence)
{
	struct vfs_file *vf = f->priv;
	(void)t;
	if (whence == SEEK_CUR)
		off += vf->pos;
	else if (whence != SEEK_SET)
		return -EINVAL;
	if (off < 0)
		return -EINVAL;
	return vf->pos = off;
}

const struct file_ops vfs_dir_ops = {
	.read = dir_read,
	.llseek = dir_llseek,
	.release = vfs_file_release,
};
