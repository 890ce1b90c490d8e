/*
 * Helpers the VFS KTEST files share: scratch tmpfs mounts under /kt_vfs
 * and node creation as the kernel (root).
 */
#ifndef VFS_KTEST_H
#define VFS_KTEST_H

#include "vfs_internal.h"

/** kt_mk() - make @name in (@mnt, @dir): @mode, symlink @target. The dentry or NULL. */
struct dentry *kt_mk(struct mount *mnt, struct dentry *dir, const char *name, uint32_t mode,
		     const char *target);
/** kt_scratch_mount() - a fresh tmpfs on /kt_vfs/@name (made here), or NULL. */
struct mount *kt_scratch_mount(const char *name, uint64_t bytes, uint64_t inodes);
/** kt_scratch_umount() - undo kt_scratch_mount(). */
void kt_scratch_umount(struct mount *m, const char *name);
/** kt_cpio_put() - a newc entry at @off of @b; the offset after it. */
size_t kt_cpio_put(uint8_t *b, size_t off, const char *name, uint32_t mode, const char *data,
		   uint32_t ino, uint32_t nlink);

#endif
