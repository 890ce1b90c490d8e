/*
 * KTESTs for the VFS: the dentry cache and getdents offsets, tmpfs
 * limits, path resolution across mounts (bind mounts, ".." out of a
 * mount, the process root), and that a file system torn down gives back
 * every byte. Everything happens on private tmpfs instances mounted
 * under /kt_vfs, removed at the end (cpio_test.c: the archive reader and
 * lookups over unpacked trees).
 */
#include <jinux/errno.h>
#include <jinux/heap.h>
#include <jinux/ktest.h>
#include <jinux/log.h>
#include <jinux/string.h>
#include <uapi/fcntl.h>
#include "vfs_ktest.h"

static const struct creds *root(void)
{
	return vfs_creds(NULL);
}

KTEST(vfs_dcache_lookup_and_stable_offsets)
{
	struct mount *m = kt_scratch_mount("dc", 0, 0);
	KASSERT(m != NULL);
	struct dentry *a = kt_mk(m, m->root, "a", S_IFREG | 0644, NULL);
	struct dentry *b = kt_mk(m, m->root, "b", S_IFREG | 0644, NULL);
	struct dentry *c = kt_mk(m, m->root, "c", S_IFREG | 0644, NULL);
	KASSERT(a && b && c);
	KASSERT(d_lookup(m->root, "b", 1) == b);
	KASSERT(d_lookup(m->root, "bb", 2) == NULL);
	uint64_t cpos = c->dir_pos;
	vfs_remove(b);
	KASSERT(d_lookup(m->root, "b", 1) == NULL);
	/* Offsets of the others do not move when an entry goes. */
	KASSERT_EQ(c->dir_pos, cpos);
	KASSERT(a->dir_pos < c->dir_pos);
	kt_scratch_umount(m, "dc");
}

KTEST(vfs_tmpfs_limits_give_enospc)
{
	struct mount *m = kt_scratch_mount("lim", 2 * PAGE_SIZE, 3);
	KASSERT(m != NULL);
	struct dentry *f = kt_mk(m, m->root, "f", S_IFREG | 0644, NULL);
	KASSERT(f != NULL);
	/* Pages are counted as they are written; a size alone is a hole. */
	static const char byte = 'x';
	KASSERT_EQ(inode_set_size(f->inode, 3 * PAGE_SIZE), 0);
	KASSERT_EQ(m->sb->used_bytes, 0);
	KASSERT_EQ(inode_write(f->inode, 0, &byte, 1), 1);
	KASSERT_EQ(inode_write(f->inode, PAGE_SIZE, &byte, 1), 1);
	KASSERT_EQ(inode_write(f->inode, 2 * PAGE_SIZE, &byte, 1), -ENOSPC);
	KASSERT_EQ(f->inode->size, 3 * PAGE_SIZE);
	KASSERT(kt_mk(m, m->root, "g", S_IFREG | 0644, NULL) != NULL);
	/* root, f, g: the third inode was the last. */
	struct vfs_parent vp = { .dir = { m, m->root }, .name = "h", .len = 1 };
	struct dentry *d;
	KASSERT_EQ(vfs_make_node(root(), &vp, S_IFREG | 0644, 0, NULL, &d), -ENOSPC);
	KASSERT_EQ(inode_set_size(f->inode, 0), 0);
	KASSERT_EQ(m->sb->used_bytes, 0);
	kt_scratch_umount(m, "lim");
}

KTEST(vfs_lookup_crosses_mounts_both_ways)
{
	struct mount *m = kt_scratch_mount("x", 0, 0);
	KASSERT(m != NULL);
	KASSERT(kt_mk(m, m->root, "in", S_IFDIR | 0755, NULL) != NULL);
	KASSERT(kt_mk(m, m->root, "up", S_IFLNK | 0777, "..") != NULL);
	struct path p;
	KASSERT_EQ(vfs_lookup(NULL, AT_FDCWD, "/kt_vfs/x/in", LOOKUP_FOLLOW, &p), 0);
	KASSERT(p.mnt == m);
	path_put(&p);
	KASSERT_EQ(vfs_lookup(NULL, AT_FDCWD, "/kt_vfs/x/in/../..", LOOKUP_FOLLOW, &p), 0);
	KASSERT(p.mnt == vfs_root_mount());
	KASSERT(!strcmp(p.dentry->name, "kt_vfs"));
	path_put(&p);
	KASSERT_EQ(vfs_lookup(NULL, AT_FDCWD, "/kt_vfs/x/up/x/in", LOOKUP_FOLLOW, &p), 0);
	KASSERT(p.mnt == m);
	char name[64];
	struct fs_context *fs = process_fs(NULL);
	KASSERT(vfs_path_name(&p, &fs->root, name, sizeof(name)) > 0);
	KASSERT(!strcmp(name, "/kt_vfs/x/in"));
	path_put(&p);
	KASSERT_EQ(mount_detach(m, false), 0);
	KASSERT_EQ(vfs_lookup(NULL, AT_FDCWD, "/kt_vfs/x/in", LOOKUP_FOLLOW, &p), -ENOENT);
	struct path mp;
	KASSERT_EQ(vfs_lookup(NULL, AT_FDCWD, "/kt_vfs/x", 0, &mp), 0);
	vfs_remove(mp.dentry);
	path_put(&mp);
}

/* openat2's RESOLVE_* limits, from the kernel's cwd (the root). */
KTEST(vfs_lookup_resolve_limits)
{
	struct mount *m = kt_scratch_mount("rs", 0, 0);
	KASSERT(m != NULL);
	KASSERT(kt_mk(m, m->root, "up", S_IFLNK | 0777, "..") != NULL);
	struct path p;
	KASSERT_EQ(vfs_lookup(NULL, AT_FDCWD, "/kt_vfs/rs", LOOKUP_NO_XDEV, &p), -EXDEV);
	KASSERT_EQ(vfs_lookup(NULL, AT_FDCWD, "/kt_vfs/rs/up", LOOKUP_FOLLOW | LOOKUP_NO_SYMLINKS,
			      &p), -ELOOP);
	KASSERT_EQ(vfs_lookup(NULL, AT_FDCWD, "/kt_vfs/rs/up", LOOKUP_NO_SYMLINKS, &p), 0);
	path_put(&p);
	KASSERT_EQ(vfs_lookup(NULL, AT_FDCWD, "kt_vfs/..", LOOKUP_BENEATH, &p), 0);
	path_put(&p);
	KASSERT_EQ(vfs_lookup(NULL, AT_FDCWD, "kt_vfs/../..", LOOKUP_BENEATH, &p), -EXDEV);
	KASSERT_EQ(vfs_lookup(NULL, AT_FDCWD, "/kt_vfs", LOOKUP_BENEATH, &p), -EXDEV);
	KASSERT_EQ(vfs_lookup(NULL, AT_FDCWD, "/../kt_vfs/rs/up/..", LOOKUP_FOLLOW | LOOKUP_IN_ROOT,
			      &p), 0);
	KASSERT(p.mnt == vfs_root_mount() && p.dentry == p.mnt->root);
	path_put(&p);
	kt_scratch_umount(m, "rs");
}

KTEST(vfs_bind_mount_and_busy_umount)
{
	struct mount *m = kt_scratch_mount("b", 0, 0);
	KASSERT(m != NULL);
	struct dentry *sub = kt_mk(m, m->root, "sub", S_IFDIR | 0755, NULL);
	KASSERT(sub && kt_mk(m, sub, "file", S_IFREG | 0644, NULL));
	struct mount *rm = vfs_root_mount();
	struct dentry *top = d_lookup(rm->root, "kt_vfs", 6);
	struct dentry *bp = kt_mk(rm, top, "bind", S_IFDIR | 0755, NULL);
	KASSERT(bp != NULL);
	struct path where = { rm, bp }, p;
	struct mount *bm;
	KASSERT_EQ(mount_attach(m->sb, sub, &where, MS_RDONLY, &bm), 0);
	KASSERT_EQ(vfs_lookup(NULL, AT_FDCWD, "/kt_vfs/bind/file", 0, &p), 0);
	KASSERT(p.mnt == bm && path_rdonly(&p));
	KASSERT_EQ(mount_detach(bm, false), -EBUSY);
	path_put(&p);
	KASSERT_EQ(mount_detach(bm, false), 0);
	vfs_remove(bp);
	kt_scratch_umount(m, "b");
}

KTEST(vfs_fs_context_root_confines_dotdot)
{
	struct mount *m = kt_scratch_mount("jail", 0, 0);
	KASSERT(m != NULL);
	struct fs_context *fs = fs_context_create();
	KASSERT(fs != NULL);
	struct fs_context *copy = fs_context_copy(fs);
	KASSERT(copy != NULL);
	KASSERT_EQ(copy->umask, 022);
	/* chroot into the scratch mount by hand: ".." stops there. */
	path_put(&copy->root);
	copy->root.mnt = m;
	copy->root.dentry = m->root;
	path_get(&copy->root);
	char name[32];
	struct path up = { m, m->root };
	KASSERT(vfs_path_name(&up, &copy->root, name, sizeof(name)) > 0);
	KASSERT(!strcmp(name, "/"));
	fs_context_put(copy);
	fs_context_put(fs);
	kt_scratch_umount(m, "jail");
}

KTEST(vfs_tmpfs_teardown_frees_everything)
{
	size_t before = heap_bytes_in_use();
	struct super_block *sb = tmpfs_create_sb("tmpfs", 0, 0, 0755);
	KASSERT(sb != NULL);
	struct mount *m;
	KASSERT_EQ(mount_internal(sb, &m), 0);
	sb_put(sb);
	struct dentry *d = kt_mk(m, m->root, "d", S_IFDIR | 0755, NULL);
	KASSERT(d && kt_mk(m, d, "f", S_IFREG | 0644, NULL));
	KASSERT(kt_mk(m, d, "l", S_IFLNK | 0777, "f") != NULL);
	KASSERT_EQ(inode_set_size(d_lookup(d, "f", 1)->inode, 10000), 0);
	mnt_put(m);
	KASSERT_EQ(heap_bytes_in_use(), before);
}
