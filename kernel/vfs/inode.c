/*
 * Inodes: a file's attributes and, for the in-memory file systems, its
 * contents. Regular files keep their bytes in one buffer that grows by
 * doubling; the super block counts the pages of every buffer against
 * tmpfs' size= limit. An inode lives while a dentry or an open file
 * references it (Linux's i_count; st_nlink is only the number of names).
 */
#include <jinux/errno.h>
#include <jinux/heap.h>
#include <jinux/string.h>
#include <jinux/time.h>
#include <kernel/pipe.h>
#include <kernel/vfs.h>

/* Linux's limit for tmpfs files is MAX_LFS_FILESIZE; ours is what a buffer can hold. */
#define INODE_MAX_SIZE (1ULL << 40)

void inode_get(struct inode *i)
{
	i->refcount++;
}

static uint64_t pages_of(uint64_t bytes)
{
	return ALIGN_UP(bytes, PAGE_SIZE);
}

void inode_put(struct inode *i)
{
	if (!i || --i->refcount)
		return;
	struct super_block *sb = i->sb;
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

/*
 * Grow the buffer to hold @size bytes, charging the pages to the super
 * block. The new bytes are zero.
 */
int inode_reserve(struct inode *i, uint64_t size)
{
	if (size <= i->cap)
		return 0;
	if (size > INODE_MAX_SIZE)
		return -EFBIG;
	uint64_t cap = MAX(size, MIN(i->cap * 2, i->cap + (16ULL << 20)));
	cap = MAX(cap, 64);
	struct super_block *sb = i->sb;
	uint64_t more = pages_of(cap) - pages_of(i->cap);
	if (sb->max_bytes && sb->used_bytes + more > sb->max_bytes) {
		/* Not the doubling then: exactly what is needed, if that fits. */
		cap = size;
		more = pages_of(cap) - pages_of(i->cap);
		if (sb->used_bytes + more > sb->max_bytes)
			return -ENOSPC;
	}
	uint8_t *data = kmalloc(cap);
	if (!data)
		return sb->max_bytes ? -ENOSPC : -ENOMEM;
	if (i->size)
		memcpy(data, i->data, i->size);
	memset(data + i->size, 0, cap - i->size);
	kfree(i->data);
	i->data = data;
	sb->used_bytes += more;
	i->cap = cap;
	return 0;
}

int inode_set_size(struct inode *i, uint64_t size)
{
	if (size > i->size) {
		int err = inode_reserve(i, size);
		if (err)
			return err;
	} else if (size < i->size) {
		/* Bytes past the end must read as zero if the file grows again. */
		memset(i->data + size, 0, i->size - size);
		if (size == 0 && i->cap > PAGE_SIZE) {
			i->sb->used_bytes -= pages_of(i->cap);
			kfree(i->data);
			i->data = NULL;
			i->cap = 0;
		}
	}
	i->size = size;
	return 0;
}
