/*
 * Private mappings of regular files (MAP_PRIVATE, what ld.so and most
 * programs map). There is no page cache yet: tmpfs keeps a file's bytes
 * in one buffer per inode (kernel/vfs/regfile.c), so a page of a private
 * file mapping is filled on its first touch with a copy of the file's
 * bytes at that offset, and from then on behaves as a private anonymous
 * page (copy-on-write across fork, dropped by MADV_DONTNEED, which makes
 * the next touch read the file again). Changes to the file after mmap
 * show in pages not yet touched, as on Linux, but never in pages already
 * filled. See docs/vm.md.
 */
#include <jinux/errno.h>
#include <jinux/frame.h>
#include <kernel/file.h>
#include <kernel/vfs.h>
#include "mm_internal.h"

/* Bytes copied per step: the fault path may be deep in a system call. */
#define FILL_CHUNK 512

/* The file offset of the page at @va; false when it cannot be one (overflow). */
static bool file_offset(const struct mm_region *r, uintptr_t va, uint64_t *off)
{
	uint64_t pg = region_pgoff(r, va);
	if (pg > UINT64_MAX / PAGE_SIZE)
		return false;
	*off = pg * PAGE_SIZE;
	return true;
}

/* Copy the file's page at @off into @f (zeroed); -EIO if it lies wholly past the end. */
static int fill_page(const struct inode *i, uint64_t off, struct frame *f)
{
	unsigned char buf[FILL_CHUNK];
	size_t done = 0;

	while (done < PAGE_SIZE) {
		size_t n = vfs_read_kernel(i, off + done, buf, sizeof(buf));
		if (!n)
			break;
		frame_write(f, done, buf, n);
		done += n;
	}
	return done ? 0 : -EIO;
}

int filemap_fault(struct mm *mm, struct mm_region *r, uintptr_t page)
{
	const struct inode *i = vfs_file_inode(r->file);
	uint64_t off;

	if (!i || !file_offset(r, page, &off) || off >= i->size)
		return -EIO;  /* SIGBUS (BUS_ADRERR), as Linux past the end of a file */
	struct frame *f = frame_alloc();
	if (!f)
		return -ENOMEM;
	int err = fill_page(i, off, f);
	if (!err)
		err = vm_space_map(mm->vs, page, f, hw_prot(r->prot));
	frame_put(f);
	return err;
}

bool filemap_resident(const struct mm_region *r, uintptr_t va)
{
	const struct inode *i = vfs_file_inode(r->file);
	uint64_t off;
	/* The whole file is in memory (tmpfs), as Linux's page cache would show it. */
	return i && file_offset(r, va, &off) && off < i->size;
}

int mm_map_file(struct mm *mm, uintptr_t start, size_t len, unsigned prot, unsigned maxprot,
		struct file *f, uint64_t pgoff)
{
	if (!f || !vfs_file_inode(f) || pgoff + len / PAGE_SIZE < pgoff || (maxprot & ~VM_RWX))
		return -EINVAL;
	if (prot & ~maxprot)
		return -EACCES;
	struct mm_region t = { .start = start, .end = start + len, .prot = prot,
			       .maxprot = maxprot, .file = f, .pgoff = pgoff };
	return region_install(mm, &t);
}
