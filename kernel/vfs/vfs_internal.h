/*
 * What the VFS files share among themselves: the namespace operations
 * (the "perform" halves of the file-system calls, run after all their
 * checks passed) and a few helpers.
 */
#ifndef VFS_INTERNAL_H
#define VFS_INTERNAL_H

#include <jinux/log.h>
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

/** d_synth_lookup() - let a synthetic file system make child @name of @dir. */
static inline int d_synth_lookup(struct dentry *dir, const char *name, size_t len)
{
	const struct fs_ops *ops = dir->inode->sb->ops;
	return ops && ops->lookup ? ops->lookup(dir, name, len) : 0;
}

/** d_synth_readdir() - let a synthetic file system list @dir. */
static inline void d_synth_readdir(struct dentry *dir)
{
	const struct fs_ops *ops = dir->inode->sb->ops;
	if (ops && ops->readdir)
		ops->readdir(dir);
}

/** sb_is_synthetic() - names on @sb are made by the file system, not by users. */
static inline bool sb_is_synthetic(const struct super_block *sb)
{
	return sb->ops != NULL;
}

/* procfs (procfs*.c): the generated files and what they share. */
struct proc_buf {
	char *data;
	size_t len, cap;
	bool oom;
};
void pb_printf(struct proc_buf *b, const char *fmt, ...) __printf(2, 3);
void pb_put(struct proc_buf *b, const void *s, size_t len);

/* Kinds of procfs inodes (struct synth_id.kind). */
enum proc_kind {
	PROC_ROOT = 1, PROC_SELF, PROC_THREAD_SELF, PROC_SYS, PROC_SYS_KERNEL,
	PROC_PID, PROC_TASK, PROC_TID, PROC_FD, PROC_FD_LINK,
	PROC_EXE, PROC_CWD, PROC_ROOTLINK, PROC_MOUNTS_LINK,
	/* per-process files */
	PROC_P_STAT, PROC_P_STATUS, PROC_P_CMDLINE, PROC_P_COMM, PROC_P_ENVIRON,
	PROC_P_MAPS, PROC_P_STATM, PROC_P_MOUNTS,
	/* system-wide files */
	PROC_MEMINFO, PROC_UPTIME, PROC_LOADAVG, PROC_STAT, PROC_VERSION,
	PROC_CPUINFO, PROC_FILESYSTEMS,
	PROC_K_HOSTNAME, PROC_K_OSTYPE, PROC_K_OSRELEASE, PROC_K_PIDMAX,
};

static inline bool proc_kind_per_process(unsigned kind)
{
	return kind >= PROC_P_STAT && kind <= PROC_P_MOUNTS;
}

/**
 * procfs_show_process() - a per-process file of @p (thread @t for task/TID
 * files, else NULL) as read by @reader. 0, -ENOMEM.
 */
int procfs_show_process(unsigned kind, struct process *p, struct thread *t,
			struct process *reader, struct proc_buf *b);
/** procfs_show_system() - a system-wide file as read by @reader. */
int procfs_show_system(unsigned kind, struct process *reader, struct proc_buf *b);
/** procfs_show_mounts() - the mount table as seen from @root, in /proc/mounts' format. */
void procfs_show_mounts(const struct path *root, struct proc_buf *b);

#endif
