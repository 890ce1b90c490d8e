/*
 * The virtual file system: inodes, dentries (the name cache, which for
 * the in-memory file systems is also the directory contents), mounts,
 * path resolution and the per-process file-system context (cwd, root,
 * umask).
 *
 * A name is a struct path: a mount and a dentry in it. Reference counts
 * keep every object alive while a process, an open file or a mount holds
 * it: a linked dentry is held by the tree, an unlinked one lives on while
 * someone uses it, and an inode goes when its last dentry and its last
 * open file do. The kernel runs one CPU and is not preempted, and nothing
 * here sleeps, so there are no locks.
 */
#ifndef KERNEL_VFS_H
#define KERNEL_VFS_H

#include <jinux/types.h>
#include <kernel/cred.h>
#include <kernel/vmo.h>
#include <uapi/stat.h>
#include <uapi/time.h>

struct file;
struct thread;
struct process;
struct pipe;
struct dentry;
struct path;
struct fs_ops;

#define VFS_NAME_MAX 255
#define VFS_PATH_MAX 4096         /* including the NUL, as Linux */
#define VFS_MAX_SYMLINKS 40

/* One mounted instance of a file system. */
struct super_block {
	const char *fstype;       /* "tmpfs", "devtmpfs" */
	uint64_t dev;             /* st_dev (a minor of major 0) */
	uint64_t max_bytes;       /* size=, 0 for no limit */
	uint64_t max_inodes;      /* nr_inodes=, 0 for no limit */
	uint64_t used_bytes;      /* file data, in whole pages */
	uint64_t used_inodes;
	uint64_t next_ino;
	unsigned refcount;        /* mounts and other users; not inodes */
	struct dentry *root;
	const struct fs_ops *ops; /* synthetic file systems (procfs); NULL for tmpfs */
};

/*
 * A synthetic file system (procfs) keeps its names in the dentry tree like
 * tmpfs, but makes them up as they are asked for: the VFS calls these
 * before it looks a name up, lists a directory or opens a regular file.
 */
struct fs_ops {
	/* Bring child @name of @dir up to date (made, refreshed or removed). 0 or -ENOENT. */
	int (*lookup)(struct dentry *dir, const char *name, size_t len);
	/* Bring every child of @dir up to date before getdents. */
	void (*readdir)(struct dentry *dir);
	/* Open regular file @path for @p (may_open's checks passed). 0 or -errno. */
	int (*open)(struct process *p, const struct path *path, unsigned flags,
		    struct file **out);
};

/* What an inode of a synthetic file system stands for (its fs_ops read it). */
struct synth_id {
	unsigned kind;
	int pid, arg;             /* a process, and a thread id or a descriptor */
	uint64_t gen;             /* the process's start time: a reused pid is another */
};

struct inode {
	uint64_t ino;
	uint32_t mode;            /* type and permission bits */
	uint32_t uid, gid;
	uint32_t nlink;
	uint64_t rdev;            /* device nodes: LINUX_MKDEV() */
	uint64_t size;
	struct linux_timespec atime, mtime, ctime, btime;
	uint8_t *data;            /* symlink: target; regular: exec's copy (inode_exec_bytes) or NULL */
	size_t cap;               /* bytes allocated at @data */
	vmo_rwx pages;            /* regular: the bytes, as pages (page cache); made on first use */
	struct pipe *pipe;        /* FIFOs: made at the first open */
	bool linkable;            /* O_TMPFILE without O_EXCL: linkat may name it */
	struct super_block *sb;
	unsigned refcount;        /* dentries, open files, exec */
	struct synth_id synth;    /* synthetic file systems only */
};

struct dentry {
	struct dentry *parent;    /* referenced; the root points at itself */
	struct inode *inode;      /* referenced; never NULL */
	char *name;
	size_t len;
	uint32_t hash;
	struct dentry *hash_next;
	/* Directories: children in creation order, for getdents. */
	struct dentry *first_child, *last_child;
	struct dentry *next_sib, *prev_sib;
	uint64_t dir_pos;         /* this entry's getdents offset in its parent */
	uint64_t next_pos;        /* directories: the next offset to give out */
	unsigned refcount;
	unsigned mounted;         /* mounts on this dentry */
	bool linked;              /* in the tree (the tree holds a reference) */
};

/* Per-mount flags (MS_* values). */
#define MNT_FLAGS_MASK (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC)

struct mount {
	struct super_block *sb;
	struct dentry *root;      /* the file system's root, or a bind's source */
	struct mount *parent;     /* NULL for the root mount */
	struct dentry *mountpoint;
	unsigned flags;           /* MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC */
	unsigned refcount;        /* paths that hold it, children included */
	bool attached;
	struct mount *next;       /* all attached mounts */
};

struct path {
	struct mount *mnt;
	struct dentry *dentry;
};

/* cwd, root and umask: shared by CLONE_FS, copied by fork. */
struct fs_context {
	unsigned refcount;
	struct path root, cwd;
	uint32_t umask;
};

/* ---- objects ---- */

void inode_get(struct inode *i);
/** inode_put() - drop a reference; the last frees the inode and its data. */
void inode_put(struct inode *i);
/** inode_touch() - set the times named by @which ('a', 'm', 'c' letters) to now. */
void inode_touch(struct inode *i, const char *which);
/**
 * inode_set_size() - grow a regular file (a hole that reads as zeros; no
 * page is allocated) or shrink it (pages past the end are released and
 * unmapped from every mapping). 0, -EFBIG, -ENOMEM.
 */
int inode_set_size(struct inode *i, uint64_t size);
/**
 * inode_write() - copy @len bytes of kernel memory to @pos of regular file
 * @i, growing it. Return: bytes written (short when the tmpfs fills up),
 * -ENOSPC, -EFBIG, -ENOMEM.
 */
ssize_t inode_write(struct inode *i, uint64_t pos, const void *buf, size_t len);

/**
 * inode_write_user() - inode_write() from user memory at @buf in @vs,
 * straight into the file's pages. Return: bytes written (short on a full
 * tmpfs or a bad user page after some went in), or -errno (-EFAULT).
 */
ssize_t inode_write_user(struct inode *i, uint64_t pos, struct vm_space *vs,
			 const void __user *buf, size_t len);

/**
 * inode_read_user() - copy up to @len bytes of regular file @i from @pos
 * to user memory at @buf in @vs, straight from its pages (holes read as
 * zeros). Return: bytes copied (0 at or past the end), or -EFAULT if none.
 */
ssize_t inode_read_user(const struct inode *i, uint64_t pos, struct vm_space *vs,
			void __user *buf, size_t len);
/**
 * inode_fallocate() - allocate the pages of [off, end) of regular file @i,
 * growing it to @end unless @keep_size. All or nothing: 0, -ENOSPC, -EFBIG.
 */
int inode_fallocate(struct inode *i, uint64_t off, uint64_t end, bool keep_size);
/** inode_reserve() - room for a symlink target of @size bytes. 0, -ENOSPC, -ENOMEM. */
int inode_reserve(struct inode *i, uint64_t size);
/** inode_vmo() - regular file @i's pages (made on first use), or NULL when out of memory. */
struct vmo *inode_vmo(struct inode *i);
/**
 * inode_exec_bytes() - regular file @i's bytes in one kernel buffer, for
 * exec (which reads the image contiguously), also left in @i->data. It
 * is dropped when the file changes or only names hold the inode.
 * Return: the bytes (@i->size of them), or NULL when out of memory.
 */
const uint8_t *inode_exec_bytes(struct inode *i);

void dget(struct dentry *d);
void dput(struct dentry *d);
/** d_lookup() - the child of @dir named by @len bytes at @name, or NULL (no reference). */
struct dentry *d_lookup(struct dentry *dir, const char *name, size_t len);
/** d_alloc_link() - a new child of @dir for @inode (reference donated); NULL on ENOMEM. */
struct dentry *d_alloc_link(struct dentry *dir, const char *name, size_t len,
			    struct inode *inode);
/** d_alloc_anon() - an unlinked dentry for @inode (reference donated), for memfd. */
struct dentry *d_alloc_anon(struct inode *inode, const char *name);
/** d_unlink() - take @d out of the tree, dropping the tree's reference. */
void d_unlink(struct dentry *d);
/** d_move() - move linked @d into @dir under a new name. 0 or -ENOMEM. */
int d_move(struct dentry *d, struct dentry *dir, const char *name, size_t len);
/** d_kill_tree() - unlink everything below @dir (a file system going away). */
void d_kill_tree(struct dentry *dir);
/** dentries_alive() - for leak tests. */
unsigned dentries_alive(void);

void mnt_get(struct mount *m);
void mnt_put(struct mount *m);
/** mnt_lookup_child() - the topmost mount on @d in @parent, or NULL. */
struct mount *mnt_lookup_child(struct mount *parent, struct dentry *d);

void path_get(const struct path *p);
void path_put(struct path *p);
static inline bool path_equal(const struct path *a, const struct path *b)
{
	return a->mnt == b->mnt && a->dentry == b->dentry;
}

/* ---- tmpfs ---- */

/**
 * tmpfs_create_sb() - a new empty tmpfs with a root directory of @mode.
 * @fstype: the name statfs and /proc/mounts show
 * @max_bytes, @max_inodes: the size= and nr_inodes= limits, 0 for none
 * Return: the super block (one reference), or NULL on ENOMEM.
 */
struct super_block *tmpfs_create_sb(const char *fstype, uint64_t max_bytes,
				    uint64_t max_inodes, uint32_t mode);
void sb_get(struct super_block *sb);
void sb_put(struct super_block *sb);
/**
 * tmpfs_new_inode() - a new inode on @sb with @mode, owned by @uid:@gid.
 * Return: the inode (one reference), or NULL: -ENOSPC when nr_inodes is
 * used up (*@err), -ENOMEM.
 */
struct inode *tmpfs_new_inode(struct super_block *sb, uint32_t mode, uint32_t uid,
			      uint32_t gid, int *err);
/** tmpfs_parse_options() - size=, nr_inodes=, mode=, uid=, gid= from mount data. */
int tmpfs_parse_options(const char *opts, uint64_t *max_bytes, uint64_t *max_inodes,
			uint32_t *mode);

/* ---- mounts ---- */

/** vfs_internal_mount() - a tmpfs no path reaches, for memfd; NULL on ENOMEM. */
struct mount *vfs_internal_mount(void);
/** vfs_root_ready() - has the root been mounted yet? */
bool vfs_root_ready(void);
/** vfs_root_mount() - the root mount, set up on first use. */
struct mount *vfs_root_mount(void);
/** mount_attach() - a new mount of @sb (root @root) on @mp. 0 or -ENOMEM. */
int mount_attach(struct super_block *sb, struct dentry *root, const struct path *mp,
		 unsigned flags, struct mount **out);
/**
 * mount_internal() - a mount of @sb that is attached nowhere (memfd and
 * other kernel-internal files), with one reference. 0 or -ENOMEM.
 */
int mount_internal(struct super_block *sb, struct mount **out);
/** mount_detach() - unmount @m. 0, -EBUSY (in use, or has mounts on it), -EINVAL. */
int mount_detach(struct mount *m, bool lazy);
/**
 * vfs_pivot_root() - pivot_root(2) for @p after the permission check: the
 * mount at @new_root takes the place of @p's root mount, which goes on
 * @put_old; processes whose root or cwd was the old root move along.
 * Return: 0; -ENOTDIR, -ENOENT, -EINVAL (new_root not a mount point,
 * put_old not under it, the root not a mount or the absolute root),
 * -EBUSY (new_root or put_old on the root's mount).
 */
int vfs_pivot_root(struct process *p, const struct path *new_root, const struct path *put_old);
/** mount_for_each() - each attached mount, parents before children. */
void mount_for_each(void (*fn)(struct mount *m, void *arg), void *arg);

/**
 * vfs_mount_root_from_cpio() - make the root tmpfs, unpack the cpio
 * "newc" archive (@data, @len) into it and mount devtmpfs on /dev.
 * Return: 0; -EINVAL for a corrupt archive (what came before stays);
 * -ENOMEM.
 */
int vfs_mount_root_from_cpio(const void *data, size_t len);

/* ---- the per-process context ---- */

/** fs_context_create() - cwd and root at the root mount, umask 022; NULL on ENOMEM. */
struct fs_context *fs_context_create(void);
/** fs_context_copy() - fork without CLONE_FS; NULL on ENOMEM. */
struct fs_context *fs_context_copy(const struct fs_context *fs);
void fs_context_get(struct fs_context *fs);
void fs_context_put(struct fs_context *fs);
/**
 * process_fs() - @p's context (NULL @p: the kernel's, at the root).
 * Until struct process carries its own pointer, a side table keeps one per
 * process (see fs_context.c).
 */
struct fs_context *process_fs(struct process *p);

/* ---- path resolution ---- */

#define LOOKUP_FOLLOW 0x1        /* follow a final symlink */
#define LOOKUP_DIRECTORY 0x2     /* the result must be a directory */
#define LOOKUP_EMPTY 0x4         /* "" names the starting directory (AT_EMPTY_PATH) */
/* openat2(2)'s RESOLVE_* restrictions on the walk (docs/vfs.md). */
#define LOOKUP_NO_XDEV 0x10      /* no mount crossed, either way: EXDEV */
#define LOOKUP_NO_MAGICLINKS 0x20 /* no procfs magic link (accepted, not yet refused) */
#define LOOKUP_NO_SYMLINKS 0x40  /* no symlink followed: ELOOP */
#define LOOKUP_BENEATH 0x80      /* never leave the start: EXDEV */
#define LOOKUP_IN_ROOT 0x100     /* the start is "/" for this walk */
#define LOOKUP_SCOPED (LOOKUP_BENEATH | LOOKUP_IN_ROOT)
#define LOOKUP_RESOLVE (LOOKUP_NO_XDEV | LOOKUP_NO_MAGICLINKS | LOOKUP_NO_SYMLINKS | LOOKUP_SCOPED)

/* What the last component of a path is, for calls that create or remove. */
enum last_type { LAST_NORM, LAST_DOT, LAST_DOTDOT, LAST_ROOT };

/* A resolved parent directory and the name in it, from vfs_lookup_parent(). */
struct vfs_parent {
	struct path dir;
	char name[VFS_NAME_MAX + 1];
	size_t len;
	enum last_type type;
	bool slash;              /* the path ended in '/' */
};

/**
 * vfs_lookup() - resolve @path for process @p (NULL: the kernel, as root).
 * @dirfd: where a relative path starts (AT_FDCWD: the cwd)
 * @flags: LOOKUP_*
 * Return: 0 and a referenced *@out; -ENOENT, -ENOTDIR, -ELOOP,
 * -ENAMETOOLONG, -EACCES (search permission), -EBADF, -ENOMEM; -EXDEV
 * and -ELOOP for what LOOKUP_RESOLVE bits forbid.
 */
int vfs_lookup(struct process *p, int dirfd, const char *path, unsigned flags,
	       struct path *out);

/**
 * vfs_lookup_parent() - resolve all of @path but its last component.
 * Return: 0 and @out (release with vfs_parent_put()); errors as vfs_lookup().
 */
int vfs_lookup_parent(struct process *p, int dirfd, const char *path, struct vfs_parent *out);
void vfs_parent_put(struct vfs_parent *vp);

/**
 * vfs_open_lookup() - open(2)'s resolution: follows a final symlink unless
 * O_NOFOLLOW, creates a regular file for O_CREAT (mode after umask) and
 * fails with EEXIST for O_CREAT|O_EXCL.
 * @resolve: LOOKUP_RESOLVE bits (openat2's RESOLVE_*), 0 for open/openat
 * Return: 0 and *@out, with *@created telling whether it was made;
 * -EXDEV, -ELOOP when @resolve forbids the walk.
 */
int vfs_open_lookup(struct process *p, int dirfd, const char *path, unsigned oflags,
		    uint32_t mode, unsigned resolve, struct path *out, bool *created);

/**
 * vfs_lookup_exec() - the file execve(2) runs: a regular file with
 * execute permission for @p (NULL: the kernel) on a mount without
 * MS_NOEXEC. execveat passes its @dirfd and AT_* @at_flags.
 * @mnt_flags: if not NULL, gets the mount's MS_* flags (MS_NOSUID for
 * cred_exec_transition())
 * Return: 0 and a referenced inode (bytes in ->data, ->size, made by
 * inode_exec_bytes(); release with inode_put()); -ENOENT, -EACCES, -ENOTDIR, -ELOOP, -ENAMETOOLONG.
 */
int vfs_lookup_exec(struct process *p, int dirfd, const char *path, unsigned at_flags,
		    struct inode **out, unsigned *mnt_flags);

/**
 * vfs_permission() - may @c access @i as @mask (MAY_* of kernel/cred.h)? 0 or -EACCES.
 * Write access on a read-only mount is the caller's check (path_rdonly()).
 */
int vfs_permission(const struct creds *c, const struct inode *i, int mask);
/** vfs_capable() - does @c hold capability @cap (CAP_*, uapi/capability.h)? */
bool vfs_capable(const struct creds *c, int cap);
/** vfs_is_owner() - is @c the owner of @i, or holds CAP_FOWNER? */
bool vfs_is_owner(const struct creds *c, const struct inode *i);
/** vfs_may_delete() - may @c remove @victim from @dir (write, search, sticky)? */
int vfs_may_delete(const struct creds *c, const struct inode *dir, const struct inode *victim);
/** vfs_creds() - @p's credentials (NULL @p: the kernel's, root). */
const struct creds *vfs_creds(struct process *p);

static inline bool path_rdonly(const struct path *p)
{
	return p->mnt->flags & MS_RDONLY;
}

/**
 * vfs_getcwd() - the path of @where as seen from @root, into @buf.
 * Return: the length including the NUL; -ERANGE if @size is too small;
 * -ENOENT if @where was unlinked.
 */
long vfs_path_name(const struct path *where, const struct path *root, char *buf, size_t size);

/* ---- open files ---- */

/**
 * vfs_open() - an open file for @path (the reference is taken here).
 * @p: the opener (NULL: the kernel), for permission checks
 * @oflags: the O_* flags of open(2); devices and FIFOs get their own files
 * @created: the file was just made by this open (no permission check)
 * Return: 0 and *@out, or -errno (EACCES, EISDIR, EROFS, ENXIO, ENOMEM).
 */
int vfs_open(struct process *p, const struct path *path, unsigned oflags, bool created,
	     struct file **out);
/**
 * vfs_open_tmpfile() - open(2) with O_TMPFILE: a new unnamed regular
 * file in the directory @path names (@mode less the umask), found with
 * the LOOKUP_RESOLVE restrictions @resolve.
 * Return: 0 and *@out; -EINVAL (no write access asked, or O_CREAT),
 * -ENOTDIR, -EACCES, -EROFS, -ENOSPC, lookup errors.
 */
int vfs_open_tmpfile(struct process *p, int dirfd, const char *path, unsigned oflags,
		     uint32_t mode, unsigned resolve, struct file **out);

/** vfs_file_path() - the name behind a VFS file, or NULL for pipes and the console. */
const struct path *vfs_file_path(const struct file *f);
/** vfs_file_pread() / vfs_file_pwrite() - pread64/pwrite64 at @pos. */
ssize_t vfs_file_pread(struct file *f, struct thread *t, void __user *buf, size_t len,
		       int64_t pos);
ssize_t vfs_file_pwrite(struct file *f, struct thread *t, const void __user *buf, size_t len,
			int64_t pos);
/** vfs_file_getdents() - getdents64 into @buf. Bytes, or -EINVAL, -ENOTDIR. */
long vfs_file_getdents(struct file *f, struct thread *t, void __user *buf, size_t len);

/** vfs_file_is_regular() - is @f an open regular file of the VFS? */
bool vfs_file_is_regular(const struct file *f);

/** vfs_file_pos() - the file offset of VFS file @f (lseek's). */
int64_t *vfs_file_pos(struct file *f);

/**
 * vfs_copy_range() - copy up to @len bytes from regular file @in at
 * *@in_pos to @out, as @t: a regular file at *@out_pos (NULL: at its
 * file offset, honouring O_APPEND) or a pipe. The positions advance by
 * what was copied. The caller checked the access modes.
 * Return: bytes copied (0 at the end of @in), or the first write's
 * error (-ENOSPC, -EPIPE, -EAGAIN, -ERESTARTSYS ...).
 */
long vfs_copy_range(struct thread *t, struct file *in, int64_t *in_pos, struct file *out,
		    int64_t *out_pos, size_t len);

/* ---- kernel-side access for the memory system (kread.c) ---- */

/* What mmap(2) can make of an open file. */
enum vfs_map_kind {
	VFS_MAP_NONE,     /* cannot be mapped (pipes, directories, most devices): ENODEV */
	VFS_MAP_REGULAR,  /* a regular file: its pages (vfs_file_vmo), shared or private */
	VFS_MAP_ZERO,     /* /dev/zero: anonymous memory, private or shared */
};

/** vfs_file_map_kind() - how open file @f can be mapped. */
enum vfs_map_kind vfs_file_map_kind(const struct file *f);

/** vfs_file_inode() - the inode behind VFS file @f, or NULL (pipes, the console). */
struct inode *vfs_file_inode(const struct file *f);

/**
 * vfs_read_kernel() - copy up to @len bytes of regular file @i from byte
 * @off into kernel memory at @buf, without touching the file's times.
 * Return: the bytes copied; 0 at or past the end of the file.
 */
size_t vfs_read_kernel(const struct inode *i, uint64_t off, void *buf, size_t len);

/**
 * vfs_file_vmo() - a handle on the pages of regular file @f for mmap,
 * with the rights the open file gives: READ if opened for reading, WRITE
 * if for writing, EXEC unless its mount is noexec, and DUP.
 * Return: 0 and *@out (drop it with vmo_put()); -ENODEV if @f is not a
 * regular file; -ENOMEM.
 */
int vfs_file_vmo(const struct file *f, struct vmo_cap *out);

/** vfs_fill_stat() - struct stat of @i on @mnt. */
void vfs_fill_stat(const struct inode *i, struct linux_stat *st);

/* ---- devices ---- */

/** devfs_populate() - the standard nodes (null, zero, tty ...) in @dir. */
int devfs_populate(const struct path *dir);

/* ---- procfs ---- */

/**
 * mount_synthetic_sb() - a new super block of synthetic type @fstype
 * ("proc"), *@known telling whether the type is one. NULL on ENOMEM or
 * for an unknown type.
 */
struct super_block *mount_synthetic_sb(const char *fstype, bool *known);
/** procfs_create_sb() - a new instance of "proc" (one reference); NULL on ENOMEM. */
struct super_block *procfs_create_sb(void);

/* ---- cpio ---- */

struct cpio_record {
	uint32_t ino, mode, uid, gid, nlink, mtime, filesize;
	uint32_t devmajor, devminor, rdevmajor, rdevminor, namesize;
	const char *name;
	const uint8_t *data;
	size_t next;             /* offset of the following header */
};

/**
 * cpio_for_each() - call @fn on each entry of the newc (070701/070702)
 * archive at @a; concatenated archives and zero padding between them
 * are accepted. A non-zero return from @fn stops the walk.
 * Return: 0, @fn's value, or -EINVAL for a damaged archive.
 */
int cpio_for_each(const uint8_t *a, size_t len, int (*fn)(const struct cpio_record *e, void *arg),
		  void *arg);

#endif
