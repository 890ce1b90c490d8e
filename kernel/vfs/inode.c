/*
 * Inodes: a file's attributes and, for the in-memory file systems, its
 * contents. A regular file's bytes are a memory object of pages (its
 * page cache, kernel/mm/vmo.c): read, write and mmap all use the same
 * frames, a page never written is a hole that reads as zeros, and the
 * super block counts the pages present against tmpfs' size= limit. The
 * size stays here: the object is always ceil(size / PAGE_SIZE) pages
 * long and the bytes past the size in its last page are zero.
 *
 * A symlink's target is one heap buffer (@data, @cap). An inode lives
 * while a dentry or an open file references it (Linux's i_count;
 * st_nlink is only the number of names).
 */
#include <jinux/errno.h>
#include <jinux/frame.h>
#include <jinux/heap.h>
#include <jinux/string.h>
#include <jinux/time.h>
#include <jinux/uaccess.h>
#include <kernel/pipe.h>
#include <kernel/vfs.h>
#include <uapi/stat.h>

/* Linux's limit for tmpfs files is MAX_LFS_FILESIZE; ours keeps the page table small. */
#define INODE_MAX_SIZE (1ULL << 40)

void inode_get(struct inode *i)
{
	i->refcount++;
}

static uint64_t pages_of(uint64_t bytes)
{
	return ALIGN_UP(bytes, PAGE_SIZE);
}

static size_t npages_of(uint64_t bytes)
{
	return (size_t)(pages_of(bytes) / PAGE_SIZE);
}

/* Drop the contiguous copy exec reads (inode_exec_bytes()). */
static void drop_exec_copy(struct inode *i)
{
	if (S_ISREG(i->mode) && i->data) {
		kfree(i->data);
		i->data = NULL;
		i->cap = 0;
	}
}

void inode_put(struct inode *i)
{
	if (!i)
		return;
	/*
	 * Only names (one reference per name) are left: nobody is running
	 * exec from the contiguous copy, so it goes. Every other holder
	 * (exec, the exec image cache, an unlinked but open name) comes on
	 * top of the names, so this cannot free it under one.
	 */
	if (--i->refcount && i->refcount <= i->nlink)
		drop_exec_copy(i);
	if (i->refcount)
		return;
	struct super_block *sb = i->sb;
	if (i->pages.obj) {
		/* Release the frames (uncharged) even if a mapping still held the object. */
		vmo_obj_resize(i->pages.obj, 0);
		vmo_set_charge(i->pages.obj, NULL, NULL);
		vmo_put(i->pages);
	}
	if (!S_ISREG(i->mode))
		sb->used_bytes -= pages_of(i->cap);
	sb->used_inodes--;
	if (i->pipe)
		pipe_put(i->pipe);
	kfree(i->data);
	kfree(i);
}

void inode_touch(struct inode *i, const char *which)
{
	uint64_t ns = clock_realtime_ns();
	struct linux_timespec now = { (int64_t)(ns / NSEC_PER_SEC), (int64_t)(ns % NSEC_PER_SEC) };
	for (; *which; which++) {
		if (*which == 'a')
			i->atime = now;
		else if (*which == 'm')
			i->mtime = now;
		else if (*which == 'c')
			i->ctime = now;
	}
}

/* The super block pays for each page a file's object adds (size=: ENOSPC). */
static int charge_page(void *arg, long pages)
{
	struct inode *i = arg;
	struct super_block *sb = i->sb;
	uint64_t bytes = (uint64_t)(pages < 0 ? -pages : pages) * PAGE_SIZE;

	if (pages < 0) {
		sb->used_bytes -= bytes;
		return 0;
	}
	if (sb->max_bytes && sb->used_bytes + bytes > sb->max_bytes)
		return -ENOSPC;
	sb->used_bytes += bytes;
	return 0;
}

struct vmo *inode_vmo(struct inode *i)
{
	if (!i->pages.obj) {
		vmo_rwx h = vmo_create(npages_of(i->size));
		if (!h.obj)
			return NULL;
		vmo_set_charge(h.obj, charge_page, i);
		i->pages = h;
	}
	return i->pages.obj;
}

/*
 * Zero [from, to) of the file's pages that are present (a hole is zero
 * already). Used for the tail of the last page when the size moves.
 */
static void zero_range(struct vmo *v, uint64_t from, uint64_t to)
{
	while (from < to) {
		size_t in = from % PAGE_SIZE, n = (size_t)MIN(to - from, PAGE_SIZE - in);
		struct frame *f;
		if (vmo_obj_frame(v, from / PAGE_SIZE, false, &f) == 0)
			frame_fill(f, in, 0, n);
		from += n;
	}
}

/* Make the file @size bytes long: the object follows, the tail stays zero. */
static int set_size(struct inode *i, struct vmo *v, uint64_t size)
{
	uint64_t old = i->size;

	if (size == old)
		return 0;
	if (size > old) {
		/* Bytes a shared mapping wrote past the old end are not file data. */
		zero_range(v, old, MIN(size, pages_of(old)));
		int err = vmo_obj_resize(v, npages_of(size));
		if (err)
			return err;
	} else {
		/* Pages past the end leave every mapping first: SIGBUS from now on. */
		int err = vmo_obj_resize(v, npages_of(size));
		if (err)
			return err;
		zero_range(v, size, pages_of(size));
	}
	i->size = size;
	drop_exec_copy(i);
	return 0;
}

int inode_set_size(struct inode *i, uint64_t size)
{
	if (size > INODE_MAX_SIZE)
		return -EFBIG;
	struct vmo *v = inode_vmo(i);
	if (!v)
		return -ENOMEM;
	return set_size(i, v, size);
}

/*
 * The write loop of inode_write() and inode_write_user(): page by page,
 * growing the file first, and @fill copying the bytes of each piece into
 * its frame (@done bytes went before it). @fill returns how many it
 * copied; fewer than asked (a bad user page) ends the write with what
 * went in, as Linux counts a write cut short by a fault.
 */
static ssize_t write_pages(struct inode *i, uint64_t pos, size_t len,
			   size_t (*fill)(struct frame *f, size_t off, size_t n, size_t done, void *arg),
			   void *arg)
{
	size_t done = 0;
	int err = 0;

	if (pos >= INODE_MAX_SIZE)
		return -EFBIG;
	len = (size_t)MIN((uint64_t)len, INODE_MAX_SIZE - pos);
	struct vmo *v = inode_vmo(i);
	if (!v)
		return -ENOMEM;
	uint64_t old = i->size;
	while (done < len) {
		uint64_t at = pos + done;
		size_t n = MIN(len - done, PAGE_SIZE - at % PAGE_SIZE);
		struct frame *f;
		if (at + n > i->size && (err = set_size(i, v, at + n)))
			break;
		if ((err = vmo_obj_frame(v, at / PAGE_SIZE, true, &f)))
			break;
		size_t got = fill(f, at % PAGE_SIZE, n, done, arg);
		done += got;
		if (got < n) {
			err = -EFAULT;
			break;
		}
	}
	/* A page that could not be had or filled: the size grew for nothing. */
	if (err && i->size > MAX(old, pos + done))
		set_size(i, v, MAX(old, pos + done));
	drop_exec_copy(i);
	return done ? (ssize_t)done : err;
}

static size_t fill_kernel(struct frame *f, size_t off, size_t n, size_t done, void *arg)
{
	frame_write(f, off, (const uint8_t *)arg + done, n);
	return n;
}

ssize_t inode_write(struct inode *i, uint64_t pos, const void *buf, size_t len)
{
	return write_pages(i, pos, len, fill_kernel, (void *)buf);
}

/*
 * Copy between a frame and user memory in pieces that do not straddle a
 * user page, so that a bad page stops the copy exactly where it starts.
 * Return: the bytes copied.
 */
static size_t frame_user_copy(struct vm_space *vs, struct frame *f, size_t off, uintptr_t ua,
			      size_t n, bool to_user)
{
	size_t done = 0;
	while (done < n) {
		size_t k = MIN(n - done, PAGE_SIZE - (ua + done) % PAGE_SIZE);
		int err = to_user ? copy_frame_to_user(vs, user_ptr(ua + done), f, off + done, k)
				  : copy_frame_from_user(vs, f, off + done, user_ptr(ua + done), k);
		if (err)
			break;
		done += k;
	}
	return done;
}

struct user_src {
	struct vm_space *vs;
	uintptr_t addr;
};

static size_t fill_user(struct frame *f, size_t off, size_t n, size_t done, void *arg)
{
	const struct user_src *u = arg;
	return frame_user_copy(u->vs, f, off, u->addr + done, n, false);
}

ssize_t inode_write_user(struct inode *i, uint64_t pos, struct vm_space *vs,
			 const void __user *buf, size_t len)
{
	struct user_src u = { vs, user_addr(buf) };
	return write_pages(i, pos, len, fill_user, &u);
}

ssize_t inode_read_user(const struct inode *i, uint64_t pos, struct vm_space *vs,
			void __user *buf, size_t len)
{
	uintptr_t ua = user_addr(buf);
	size_t done = 0;

	while (done < len && pos + done < i->size) {
		uint64_t at = pos + done;
		size_t n = (size_t)MIN((uint64_t)MIN(len - done, PAGE_SIZE - at % PAGE_SIZE),
				       i->size - at);
		struct frame *f;
		size_t got;
		/* A hole (no page yet) reads as zeros. */
		if (!i->pages.obj || vmo_obj_frame(i->pages.obj, at / PAGE_SIZE, false, &f))
			got = clear_user(vs, user_ptr(ua + done), n) ? 0 : n;
		else
			got = frame_user_copy(vs, f, at % PAGE_SIZE, ua + done, n, true);
		done += got;
		if (got < n)
			return done ? (ssize_t)done : -EFAULT;
	}
	return (ssize_t)done;
}

int inode_fallocate(struct inode *i, uint64_t off, uint64_t end, bool keep_size)
{
	if (end > INODE_MAX_SIZE)
		return -EFBIG;
	struct vmo *v = inode_vmo(i);
	if (!v)
		return -ENOMEM;
	uint64_t size = keep_size ? i->size : MAX(i->size, end);
	uint64_t first = off / PAGE_SIZE, last = npages_of(MIN(end, size));
	/* Decode: all the missing pages must fit, or nothing changes. */
	uint64_t missing = 0;
	struct frame *f;
	for (uint64_t pg = first; pg < last; pg++)
		if (pg >= vmo_npages(v) || vmo_obj_frame(v, pg, false, &f) != 0)
			missing++;
	struct super_block *sb = i->sb;
	if (sb->max_bytes && sb->used_bytes + missing * PAGE_SIZE > sb->max_bytes)
		return -ENOSPC;
	uint64_t old = i->size;
	int err = set_size(i, v, size);
	for (uint64_t pg = first; !err && pg < last; pg++)
		err = vmo_obj_frame(v, pg, true, &f);
	if (err)
		set_size(i, v, old);
	return err;
}

int inode_reserve(struct inode *i, uint64_t size)
{
	if (size <= i->cap)
		return 0;
	if (S_ISREG(i->mode))
		return -EINVAL;  /* regular files are pages: inode_write() */
	struct super_block *sb = i->sb;
	uint64_t more = pages_of(size) - pages_of(i->cap);
	if (sb->max_bytes && sb->used_bytes + more > sb->max_bytes)
		return -ENOSPC;
	uint8_t *data = kzalloc(size);
	if (!data)
		return -ENOMEM;
	if (i->cap)
		memcpy(data, i->data, i->cap);
	kfree(i->data);
	i->data = data;
	sb->used_bytes += more;
	i->cap = size;
	return 0;
}

const uint8_t *inode_exec_bytes(struct inode *i)
{
	if (!S_ISREG(i->mode))
		return NULL;
	struct vmo *v = inode_vmo(i);
	if (!v)
		return NULL;
	/* A writable shared mapping may have changed the pages unseen: copy again. */
	if (i->data && !vmo_write_mapped(v))
		return i->data;
	/* The new copy is made before the old one goes, so their addresses differ. */
	uint8_t *copy = kmalloc(MAX(i->size, 1));
	if (!copy)
		return NULL;
	vmo_obj_read(v, 0, copy, i->size);
	kfree(i->data);
	i->data = copy;
	i->cap = i->size;
	return copy;
}
