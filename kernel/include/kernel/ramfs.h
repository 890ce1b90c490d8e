/*
 * The in-memory root file system, filled from the initramfs at boot.
 * (A first version: the VFS of a later issue will replace the lookup and
 * keep the cpio unpacker.)
 */
#ifndef KERNEL_RAMFS_H
#define KERNEL_RAMFS_H

#include <jinux/types.h>

/* File types, as in st_mode. */
#define RAMFS_S_IFMT 0170000
#define RAMFS_S_IFDIR 0040000
#define RAMFS_S_IFREG 0100000
#define RAMFS_S_IFLNK 0120000

struct rnode {
	char name[256];
	uint32_t mode;            /* type and permission bits */
	uint32_t uid, gid;
	uint64_t mtime;
	uint8_t *data;            /* regular file contents / symlink target */
	size_t size;
	struct rnode *parent;
	struct rnode *children;   /* directories: first child */
	struct rnode *sibling;
};

/** ramfs_root() - the root directory (created on first use). */
struct rnode *ramfs_root(void);

/**
 * ramfs_unpack_cpio() - add every entry of a cpio "newc" (070701 or
 * 070702) archive to the tree, creating missing parent directories.
 * Stops at TRAILER!!!. Return: 0, -EINVAL for a corrupt or truncated
 * archive (entries before the damage stay), -ENOMEM.
 */
int ramfs_unpack_cpio(const void *archive, size_t len);

/**
 * ramfs_lookup() - resolve an absolute @path, following symlinks (at
 * most 40, then -ELOOP). Return: 0 and *out, or -ENOENT, -ENOTDIR,
 * -ELOOP, -ENAMETOOLONG.
 */
int ramfs_lookup(const char *path, struct rnode **out);

#endif
