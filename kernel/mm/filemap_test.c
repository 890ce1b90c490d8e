/*
 * KTESTs for file mappings: private pages from the file's page cache
 * with a zero tail, -EIO (SIGBUS) wholly past its end, private
 * (copy-on-write) writes, the region's file reference through split,
 * merge, fork and teardown; shared mappings writing through to the file
 * and losing their pages when it is truncated.
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

/* An open file of FLEN bytes (byte k = k % 251) on the internal tmpfs. */
static struct file *kt_file_mode(unsigned oflags)
{
	struct mount *m = vfs_internal_mount();
	int err;
	struct inode *i = m ? tmpfs_new_inode(m->sb, S_IFREG | 0600, 0, 0, &err) : NULL;
	uint8_t buf[FLEN];
	for (size_t k = 0; k < FLEN; k++)
		buf[k] = (uint8_t)(k % 251);
	if (!i || inode_write(i, 0, buf, FLEN) != FLEN)
		return NULL;
	struct dentry *d = d_alloc_anon(i, "kt_filemap");
	if (!d)
		return NULL;
	i->nlink = 0;
	struct path p = { m, d };
	struct file *f = NULL;
	vfs_open(NULL, &p, oflags, true, &f);
	dput(d);
	return f;
}

static struct file *kt_file(void)
{
	return kt_file_mode(O_RDONLY);
}

static uint8_t file_byte(struct file *f, uint64_t off)
{
	uint8_t v = 0xff;
	vfs_read_kernel(vfs_file_inode(f), off, &v, 1);
	return v;
}

static uint8_t peek8(struct mm *mm, uintptr_t va)
{
	uint8_t v = 0xff;
	copy_from_user(mm->vs, &v, user_ptr(va), 1);
	return v;
}

KTEST(mm_file_pages_come_from_the_file)
{
	vfs_internal_mount();  /* the root tmpfs, made from the initramfs on first use */
	size_t before = frames_free();
	struct file *f = kt_file();
	KASSERT(f != NULL);
	unsigned refs = f->refcount;
	struct mm *mm = mm_create();
	KASSERT_EQ(mm_map_file(mm, BASE, 3 * PAGE_SIZE, VM_READ | VM_WRITE, 7, 0, f, 0), 0);
	KASSERT_EQ(f->refcount, refs + 1);
	KASSERT_EQ(peek8(mm, BASE + 300), 300 % 251);
	KASSERT_EQ(peek8(mm, BASE + PAGE_SIZE + 10), (PAGE_SIZE + 10) % 251);
	KASSERT_EQ(peek8(mm, BASE + FLEN + 1), 0);  /* the tail of the last page */
	KASSERT_EQ(mm_handle_fault(mm, BASE + 2 * PAGE_SIZE, VM_READ), -EIO);
	uint8_t x = 0x5a;
	KASSERT_EQ(copy_to_user(mm->vs, user_ptr(BASE + 5), &x, 1), 0);
	KASSERT_EQ(peek8(mm, BASE + 5), 0x5a);
	KASSERT_EQ(file_byte(f, 5), 5);  /* the write stayed private */
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
	KASSERT_EQ(mm_map_file(mm, BASE, PAGE_SIZE, VM_EXEC, VM_READ | VM_WRITE, 0, f, 0), -EACCES);
	KASSERT_EQ(mm_map_file(mm, BASE + 1, PAGE_SIZE, VM_READ, 7, 0, f, 0), -EINVAL);
	KASSERT_EQ(mm_map_file(mm, BASE, PAGE_SIZE, VM_READ, 7, 0, NULL, 0), -EINVAL);
	KASSERT_EQ(mm_map_file(mm, BASE, 2 * PAGE_SIZE, VM_READ, 7, 0, f, UINT64_MAX), -EINVAL);
	/* A shared writable mapping needs the file open for writing. */
	KASSERT_EQ(mm_map_file(mm, BASE, PAGE_SIZE, VM_READ | VM_WRITE, 7, MMR_SHARED, f, 0),
		   -EACCES);
	KASSERT(mm->regions == NULL);
	mm_destroy(mm);
	file_put(f);
}

KTEST(mm_file_shared_pages_are_the_file)
{
	vfs_internal_mount();
	size_t before = frames_free();
	struct file *f = kt_file_mode(O_RDWR);
	KASSERT(f != NULL);
	struct inode *i = vfs_file_inode(f);
	struct mm *a = mm_create(), *b = mm_create();
	KASSERT_EQ(mm_map_file(a, BASE, 2 * PAGE_SIZE, VM_READ | VM_WRITE, 7, MMR_SHARED, f, 0), 0);
	KASSERT_EQ(mm_map_file(b, BASE, 2 * PAGE_SIZE, VM_READ, 7, 0, f, 0), 0);
	KASSERT_EQ(peek8(b, BASE + 7), 7);
	uint8_t x = 0xa5;
	KASSERT_EQ(copy_to_user(a->vs, user_ptr(BASE + 7), &x, 1), 0);
	KASSERT_EQ(file_byte(f, 7), 0xa5);      /* the store reached the file */
	KASSERT_EQ(peek8(b, BASE + 7), 0xa5);   /* and the private view's unwritten page */
	x = 0x3c;
	KASSERT_EQ(inode_write(i, 8, &x, 1), 1);
	KASSERT_EQ(peek8(a, BASE + 8), 0x3c);   /* write(2) is seen through the mapping */
	/* Truncating to one page takes the second away from both maps. */
	KASSERT_EQ(peek8(a, BASE + PAGE_SIZE), PAGE_SIZE % 251);
	KASSERT_EQ(inode_set_size(i, PAGE_SIZE), 0);
	KASSERT(vm_space_query(a->vs, BASE + PAGE_SIZE, NULL, NULL) != 0);
	KASSERT_EQ(mm_handle_fault(a, BASE + PAGE_SIZE, VM_READ), -EIO);
	KASSERT_EQ(mm_handle_fault(b, BASE + PAGE_SIZE, VM_READ), -EIO);
	/* Growing it again gives a page of zeros. */
	KASSERT_EQ(inode_set_size(i, 2 * PAGE_SIZE), 0);
	KASSERT_EQ(peek8(a, BASE + PAGE_SIZE), 0);
	mm_destroy(a);
	mm_destroy(b);
	file_put(f);
	KASSERT_EQ(frames_free(), before);
}
