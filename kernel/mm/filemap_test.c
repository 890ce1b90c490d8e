/*
 * KTESTs for private file mappings: pages filled from the file with a
 * zero tail, -EIO (SIGBUS) wholly past its end, private writes, and the
 * region's file reference through split, merge, fork and teardown.
 */
#include <jinux/errno.h>
#include <jinux/frame.h>
#include <jinux/ktest.h>
#include <jinux/string.h>
#include <jinux/uaccess.h>
#include <kernel/file.h>
#include <kernel/mm.h>
#include <kernel/vfs.h>
#include <uapi/fcntl.h>

#define BASE 0x10000000UL
#define FLEN (PAGE_SIZE + PAGE_SIZE / 2)

/* A read-only open file of FLEN bytes (byte k = k % 251) on the internal tmpfs. */
static struct file *kt_file(void)
{
	struct mount *m = vfs_internal_mount();
	int err;
	struct inode *i = m ? tmpfs_new_inode(m->sb, S_IFREG | 0600, 0, 0, &err) : NULL;
	if (!i || inode_set_size(i, FLEN))
		return NULL;
	for (size_t k = 0; k < FLEN; k++)
		i->data[k] = (uint8_t)(k % 251);
	struct dentry *d = d_alloc_anon(i, "kt_filemap");
	if (!d)
		return NULL;
	i->nlink = 0;
	struct path p = { m, d };
	struct file *f = NULL;
	vfs_open(NULL, &p, O_RDONLY, true, &f);
	dput(d);
	return f;
}

static uint8_t peek8(struct mm *mm, uintptr_t va)
{
	uint8_t v = 0xff;
	copy_from_user(mm->vs, &v, user_ptr(va), 1);
	return v;
}

KTEST(mm_file_pages_come_from_the_file)
{
	size_t before = frames_free();
	struct file *f = kt_file();
	KASSERT(f != NULL);
	unsigned refs = f->refcount;
	struct mm *mm = mm_create();
	KASSERT_EQ(mm_map_file(mm, BASE, 3 * PAGE_SIZE, VM_READ | VM_WRITE, 7, f, 0), 0);
	KASSERT_EQ(f->refcount, refs + 1);
	KASSERT_EQ(peek8(mm, BASE + 300), 300 % 251);
	KASSERT_EQ(peek8(mm, BASE + PAGE_SIZE + 10), (PAGE_SIZE + 10) % 251);
	KASSERT_EQ(peek8(mm, BASE + FLEN + 1), 0);  /* the tail of the last page */
	KASSERT_EQ(mm_handle_fault(mm, BASE + 2 * PAGE_SIZE, VM_READ), -EIO);
	uint8_t x = 0x5a;
	KASSERT_EQ(copy_to_user(mm->vs, user_ptr(BASE + 5), &x, 1), 0);
	KASSERT_EQ(peek8(mm, BASE + 5), 0x5a);
	KASSERT_EQ(vfs_file_inode(f)->data[5], 5);  /* the write stayed private */
	/* Splitting gives each piece its own reference; merging gives them back. */
	KASSERT_EQ(mm_protect(mm, BASE + PAGE_SIZE, PAGE_SIZE, VM_READ), 0);
	KASSERT_EQ(f->refcount, refs + 3);
	KASSERT_EQ(mm_protect(mm, BASE + PAGE_SIZE, PAGE_SIZE, VM_READ | VM_WRITE), 0);
	KASSERT_EQ(f->refcount, refs + 1);
	struct mm *child = mm_fork(mm);
	KASSERT(child != NULL);
	KASSERT_EQ(f->refcount, refs + 2);
	KASSERT_EQ(peek8(child, BASE + 5), 0x5a);
	mm_destroy(child);
	mm_destroy(mm);
	KASSERT_EQ(f->refcount, refs);
	file_put(f);
	KASSERT_EQ(frames_free(), before);
}

KTEST(mm_file_map_checks_its_arguments)
{
	struct file *f = kt_file();
	KASSERT(f != NULL);
	struct mm *mm = mm_create();
	KASSERT_EQ(mm_map_file(mm, BASE, PAGE_SIZE, VM_EXEC, VM_READ | VM_WRITE, f, 0), -EACCES);
	KASSERT_EQ(mm_map_file(mm, BASE + 1, PAGE_SIZE, VM_READ, 7, f, 0), -EINVAL);
	KASSERT_EQ(mm_map_file(mm, BASE, PAGE_SIZE, VM_READ, 7, NULL, 0), -EINVAL);
	KASSERT_EQ(mm_map_file(mm, BASE, 2 * PAGE_SIZE, VM_READ, 7, f, UINT64_MAX), -EINVAL);
	KASSERT(mm->regions == NULL);
	mm_destroy(mm);
	file_put(f);
}
