/*
 * mount(2) and umount2(2): new tmpfs/devtmpfs instances (with size=,
 * nr_inodes= and mode= options), bind mounts, remounts that change the
 * per-mount flags (MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC); lazy and
 * plain unmounts; pivot_root (kernel/vfs/pivot.c). Propagation flags are accepted and ignored: there is
 * one mount namespace and nothing to propagate to. memfd_create lives
 * here too: a file on an internal tmpfs that no path reaches.
 */
#include <jinux/errno.h>
#include <jinux/heap.h>
#include <jinux/log.h>
#include <jinux/string.h>
#include <jinux/uaccess.h>
#include <kernel/syscall.h>
#include <uapi/fcntl.h>
#include "sys_fs.h"

#define MOUNT_DATA_MAX PAGE_SIZE
#define FSTYPE_MAX 64
#define PROPAGATION (MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_REC | (1 << 17) /* UNBINDABLE */)

static long get_string(struct thread *t, uint64_t uaddr, size_t max, char **out)
{
	*out = NULL;
	if (!uaddr)
		return 0;
	char *buf = kmalloc(max);
	if (!buf)
		return -ENOMEM;
	long len = strncpy_from_user(t->proc->mm->vs, buf, user_ptr(uaddr), max);
	if (len < 0 || (size_t)len == max) {
		kfree(buf);
		return len < 0 ? len : -EINVAL;
	}
	*out = buf;
	return 0;
}

static long lookup(struct thread *t, uint64_t upath, unsigned flags, struct path *out)
{
	char *name;
	long err = fs_getname(t, upath, &name);
	if (err)
		return err;
	err = vfs_lookup(t->proc, AT_FDCWD, name, flags, out);
	kfree(name);
	return err;
}

static long do_remount(struct path *target, unsigned long flags, const char *data)
{
	struct mount *m = target->mnt;
	if (target->dentry != m->root)
		return -EINVAL;
	if (!(flags & MS_BIND) && data) {
		uint64_t bytes = m->sb->max_bytes, inodes = m->sb->max_inodes;
		uint32_t mode = 0;
		long err = tmpfs_parse_options(data, &bytes, &inodes, &mode);
		if (err)
			return err;
		if ((bytes && bytes < m->sb->used_bytes) || (inodes && inodes < m->sb->used_inodes))
			return -EINVAL;
		m->sb->max_bytes = bytes;
		m->sb->max_inodes = inodes;
	}
	m->flags = (unsigned)flags & MNT_FLAGS_MASK;
	return 0;
}

static long do_bind(struct thread *t, uint64_t usource, struct path *target, unsigned long flags)
{
	struct path src;
	long err = lookup(t, usource, LOOKUP_FOLLOW, &src);
	if (err)
		return err;
	if (S_ISDIR(src.dentry->inode->mode) != S_ISDIR(target->dentry->inode->mode))
		err = -ENOTDIR;
	else
		err = mount_attach(src.mnt->sb, src.dentry, target,
				   src.mnt->flags | ((unsigned)flags & MNT_FLAGS_MASK), NULL);
	path_put(&src);
	return err;
}

static long do_new_mount(struct path *target, const char *fstype, unsigned long flags,
			 const char *data)
{
	if (!fstype)
		return -EINVAL;
	bool synthetic;
	struct super_block *ssb = mount_synthetic_sb(fstype, &synthetic);
	if (synthetic) {
		if (!ssb)
			return -ENOMEM;
		long serr = S_ISDIR(target->dentry->inode->mode) ?
			mount_attach(ssb, ssb->root, target, (unsigned)flags, NULL) : -ENOTDIR;
		sb_put(ssb);
		return serr;
	}
	if (strcmp(fstype, "tmpfs") && strcmp(fstype, "devtmpfs") && strcmp(fstype, "ramfs"))
		return -ENODEV;
	if (!S_ISDIR(target->dentry->inode->mode))
		return -ENOTDIR;
	uint64_t bytes = 0, inodes = 0;
	uint32_t mode = 01777;
	bool devfs = !strcmp(fstype, "devtmpfs");
	if (devfs)
		mode = 0755;
	long err = tmpfs_parse_options(data, &bytes, &inodes, &mode);
	if (err)
		return err;
	struct super_block *sb = tmpfs_create_sb(devfs ? "devtmpfs" : "tmpfs", bytes, inodes, mode);
	if (!sb)
		return -ENOMEM;
	struct mount *m;
	err = mount_attach(sb, sb->root, target, (unsigned)flags, &m);
	sb_put(sb);
	if (!err && devfs) {
		struct path root = { m, m->root };
		err = devfs_populate(&root);
	}
	return err;
}

long sys_mount(struct thread *t, const uint64_t a[6])
{
	unsigned long flags = a[3];
	if (!vfs_capable(fs_cred(t), CAP_SYS_ADMIN))
		return -EPERM;
	if ((flags & MS_MGC_MSK) == MS_MGC_VAL)
		flags &= ~MS_MGC_MSK;
	char *fstype, *data;
	long err = get_string(t, a[2], FSTYPE_MAX, &fstype);
	if (!err && (err = get_string(t, a[4], MOUNT_DATA_MAX, &data)))
		kfree(fstype);
	if (err)
		return err;
	struct path target;
	err = lookup(t, a[1], LOOKUP_FOLLOW, &target);
	if (err)
		goto out;
	if (flags & MS_REMOUNT)
		err = do_remount(&target, flags, data);
	else if (flags & MS_BIND)
		err = do_bind(t, a[0], &target, flags);
	else if (flags & MS_MOVE)
		err = -EINVAL;   /* not yet */
	else if (flags & PROPAGATION)
		err = 0;         /* one namespace: nothing to propagate */
	else
		err = do_new_mount(&target, fstype, flags, data);
	path_put(&target);
out:
	kfree(fstype);
	kfree(data);
	return err;
}

long sys_umount2(struct thread *t, const uint64_t a[6])
{
	unsigned flags = (unsigned)a[1];
	if (flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW))
		return -EINVAL;
	if ((flags & MNT_EXPIRE) && (flags & (MNT_FORCE | MNT_DETACH)))
		return -EINVAL;
	if (!vfs_capable(fs_cred(t), CAP_SYS_ADMIN))
		return -EPERM;
	struct path p;
	long err = lookup(t, a[0], (flags & UMOUNT_NOFOLLOW) ? 0 : LOOKUP_FOLLOW, &p);
	if (err)
		return err;
	struct mount *m = p.mnt;
	bool is_root = p.dentry == m->root;
	/* The lookup's own reference must not count as a user. */
	path_put(&p);
	if (!is_root)
		return -EINVAL;
	return mount_detach(m, flags & MNT_DETACH);
}

long sys_pivot_root(struct thread *t, const uint64_t a[6])
{
	if (!vfs_capable(fs_cred(t), CAP_SYS_ADMIN))
		return -EPERM;
	struct path new_root, put_old;
	long err = lookup(t, a[0], LOOKUP_FOLLOW, &new_root);
	if (err)
		return err;
	err = lookup(t, a[1], LOOKUP_FOLLOW, &put_old);
	if (!err) {
		err = vfs_pivot_root(t->proc, &new_root, &put_old);
		path_put(&put_old);
	}
	path_put(&new_root);
	return err;
}

/* ---- memfd_create ---- */

#define MFD_NAME_MAX 249

long sys_memfd_create(struct thread *t, const uint64_t a[6])
{
	unsigned flags = (unsigned)a[1];
	if (flags & ~(MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_HUGETLB))
		return -EINVAL;
	if (flags & MFD_HUGETLB)
		return -EINVAL;
	char *name, full[MFD_NAME_MAX + 8];
	long err = get_string(t, a[0], MFD_NAME_MAX + 1, &name);
	if (err)
		return err;
	if (!name)
		return -EFAULT;
	ksnprintf(full, sizeof(full), "memfd:%s", name);
	kfree(name);
	struct mount *m = vfs_internal_mount();
	if (!m || !fs_fd_free(t))
		return m ? -EMFILE : -ENOMEM;
	int ierr;
	struct inode *i = tmpfs_new_inode(m->sb, S_IFREG | 0777, fs_cred(t)->fsuid,
					  fs_cred(t)->fsgid, &ierr);
	if (!i)
		return ierr;
	struct dentry *d = d_alloc_anon(i, full);
	if (!d) {
		inode_put(i);
		return -ENOMEM;
	}
	i->nlink = 0;
	struct path p = { m, d };
	struct file *f;
	err = vfs_open(t->proc, &p, O_RDWR | O_LARGEFILE, true, &f);
	dput(d);
	if (err)
		return err;
	return fs_install(t, f, flags & MFD_CLOEXEC);
}
