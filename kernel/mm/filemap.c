/*
 * Mappings of regular files. A tmpfs file's bytes are a memory object
 * (its page cache, kernel/vfs/inode.c), so a file mapping is a mapping
 * of that object, seen through a handle whose rights are those of the
 * open file (vfs_file_vmo), with the open file held as Linux's vm_file:
 *
 *  - MAP_SHARED maps the file's own frames, so a store through the
 *    mapping is seen by read(2) and by every other mapping at once, and
 *    write(2) is seen through the mapping. PROT_WRITE needs the handle's
 *    WRITE right, i.e. a descriptor open for writing.
 *  - MAP_PRIVATE maps the same frames read-only; the first write to a
 *    page copies it (fault.c's copy-on-write), so pages not yet written
 *    keep showing changes to the file, as on Linux.
 *
 * The object is ceil(size / PAGE_SIZE) pages long, so a page wholly past
 * the end of the file is past the end of the object: SIGBUS. A truncate
 * that shrinks the file unmaps the pages past the new end from every map
 * (mm_zap_object), so they give SIGBUS from then on too. See docs/vm.md.
 */
#include <jinux/errno.h>
#include <kernel/file.h>
#include <kernel/vfs.h>
#include "mm_internal.h"

int mm_map_file(struct mm *mm, uintptr_t start, size_t len, unsigned prot, unsigned maxprot,
		unsigned flags, struct file *f, uint64_t pgoff)
{
	struct vmo_cap cap;

	if (!f || !vfs_file_inode(f) || pgoff + len / PAGE_SIZE < pgoff || (maxprot & ~VM_RWX))
		return -EINVAL;
	int err = vfs_file_vmo(f, &cap);
	if (err)
		return err == -ENODEV ? -EINVAL : err;
	if (!vmo_cap_has(&cap, VMO_READ)) {
		vmo_put(cap);
		return -EACCES;
	}
	if (flags & MMR_SHARED)
		maxprot &= cap.rights & VM_RWX;
	else
		maxprot &= VM_READ | VM_WRITE | (cap.rights & VM_EXEC);  /* writes are private */
	if (prot & ~maxprot) {
		vmo_put(cap);
		return -EACCES;
	}
	struct mm_region t = { .start = start, .end = start + len, .prot = prot,
			       .maxprot = maxprot, .flags = flags, .obj = cap, .file = f,
			       .pgoff = pgoff };
	err = region_install(mm, &t);
	vmo_put(cap);
	return err;
}

int mm_sync(struct mm *mm, uintptr_t start, size_t len)
{
	/* Nothing to write back: the pages are the file (tmpfs has no backing store). */
	return mm_mapped_bytes(mm, start, len) == len ? 0 : -ENOMEM;
}
