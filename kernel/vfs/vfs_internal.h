/*
 * What the VFS files share among themselves: the namespace operations
 * (the "perform" halves of the file-system calls, run after all their
 * checks passed) and a few helpers.
 */
#ifndef VFS_INTERNAL_H
#define VFS_INTERNAL_H

#include <kernel/file.h>
#include <kernel/vfs.h>

/** mount_set_root() - make @sb's root the root mount (once, at boot). */
int mount_set_root(struct super_block *sb);

/** mount_pivot() - pivot_root's move of the mounts, checks done. */
void mount_pivot(struct mount *old_root, struct mount *new_mnt, const struct path *put_old);

/** mount_make_internal() - make the internal tmpfs of vfs_internal_mount(). */
int mount_make_internal(void);

/**
 * vfs_unpack_cpio() - add the entries of the newc archive (@data, @len) to
 * the file system of @mnt, as at boot (symlinked directories in entry
 * names are resolved from the kernel's root).
 * Return: 0; -EINVAL for a damaged archive (the entries before the damage
 * stay); -ENOMEM.
 */
int vfs_unpack_cpio(struct mount *mnt, const void *data, size_t len);

/** d_is_dead() - @d was unlinked (an anonymous root is not dead). */
static inline bool d_is_dead(const struct dentry *d)
{
	return !d->linked && d->parent != d;
}

/** d_is_empty_dir() - a directory without entries. */
static inline bool d_is_empty_dir(const struct dentry *d)
{
	return d->first_child == NULL;
}

/**
 * vfs_may_create() - the checks every creating call shares: EEXIST for
 * an existing name or "."/".."/"/", ENOENT in a removed directory, EROFS,
 * EACCES without write and search permission on the directory.
 */
int vfs_may_create(const struct creds *c, const struct vfs_parent *vp);

/**
 * vfs_make_node() - create @vp's name as a new inode of @mode (type and
 * permission bits, umask already applied) with device @rdev or symlink
 * @target. Return: 0 and *@out (the linked dentry, no extra reference);
 * -ENOSPC, -ENOMEM.
 */
int vfs_make_node(const struct creds *c, const struct vfs_parent *vp, uint32_t mode,
		  uint64_t rdev, const char *target, struct dentry **out);

/** vfs_remove() - unlink or rmdir @victim (checks done) from its parent. */
void vfs_remove(struct dentry *victim);

/** vfs_add_link() - a new name @vp for @inode. 0, -ENOMEM. */
int vfs_add_link(const struct vfs_parent *vp, struct inode *inode);

/** fd_path() - the VFS path behind descriptor @fd of @p: 0, -EBADF, -ENOTDIR. */
int fd_path(struct process *p, int fd, const struct path **out);

/* What a VFS file's struct file priv points at. */
struct vfs_file {
	struct path path;
	int64_t pos;
};

static inline struct vfs_file *vfs_file_of(const struct file *f)
{
	return vfs_file_path(f) ? f->priv : NULL;
}

extern const struct file_ops vfs_reg_ops, vfs_dir_ops;

/**
 * vfs_reg_write_kernel() - write @len bytes of kernel memory at @pos of
 * regular file @f (open for writing: the caller checked), as @t.
 * Return: bytes written (short on a full tmpfs), -ENOSPC, -EINVAL.
 */
ssize_t vfs_reg_write_kernel(struct file *f, struct thread *t, const void *buf, size_t len,
			     int64_t pos);

/** memdev_ops() - the operations of mem device @rdev (1:3 null ...), or NULL. */
const struct file_ops *memdev_ops(uint64_t rdev);
/** vfs_file_ops_known() - are these the operations of a VFS file? */
bool vfs_file_ops_known(const struct file_ops *ops);
/** vfs_file_release() - the release of every VFS file. */
void vfs_file_release(struct file *f);

#endif
