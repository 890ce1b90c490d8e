/*
 * Helpers for the VFS KTESTs (vfs_ktest.h): scratch mounts and hand-made
 * cpio entries. Compiled in always; only tests call them.
 */
#include <jinux/errno.h>
#include <jinux/log.h>
#include <jinux/string.h>
#include "vfs_ktest.h"

struct dentry *kt_mk(struct mount *mnt, struct dentry *dir, const char *name, uint32_t mode,
		     const char *target)
{
	struct vfs_parent vp = { .dir = { mnt, dir }, .type = LAST_NORM };
	vp.len = strlen(name);
	memcpy(vp.name, name, vp.len + 1);
	struct dentry *d;
	return vfs_make_node(vfs_creds(NULL), &vp, mode, 0, target, &d) ? NULL : d;
}

struct mount *kt_scratch_mount(const char *name, uint64_t bytes, uint64_t inodes)
{
	struct mount *rm = vfs_root_mount();
	struct dentry *top = d_lookup(rm->root, "kt_vfs", 6);
	if (!top)
		top = kt_mk(rm, rm->root, "kt_vfs", S_IFDIR | 0755, NULL);
	struct dentry *mp = top ? kt_mk(rm, top, name, S_IFDIR | 0755, NULL) : NULL;
	struct super_block *sb = tmpfs_create_sb("tmpfs", bytes, inodes, 0755);
	if (!mp || !sb) {
		if (sb)
			sb_put(sb);
		return NULL;
	}
	struct path where = { rm, mp };
	struct mount *m = NULL;
	mount_attach(sb, sb->root, &where, 0, &m);
	sb_put(sb);
	return m;
}

void kt_scratch_umount(struct mount *m, const char *name)
{
	struct dentry *mp = m->mountpoint;
	mount_detach(m, false);
	if (mp && !strcmp(mp->name, name))
		vfs_remove(mp);
}

size_t kt_cpio_put(uint8_t *b, size_t off, const char *name, uint32_t mode, const char *data,
		   uint32_t ino, uint32_t nlink)
{
	size_t nlen = strlen(name) + 1, dlen = data ? strlen(data) : 0;
	char hdr[111];
	ksnprintf(hdr, sizeof(hdr), "070701%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x",
		  ino, mode, 1000u, 100u, nlink, 1700000000u, (unsigned)dlen, 0u, 0u, 0u, 0u,
		  (unsigned)nlen, 0u);
	memcpy(b + off, hdr, 110);
	memcpy(b + off + 110, name, nlen);
	off = ALIGN_UP(off + 110 + nlen, 4);
	if (dlen)
		memcpy(b + off, data, dlen);
	return ALIGN_UP(off + dlen, 4);
}
