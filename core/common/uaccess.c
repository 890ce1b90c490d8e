/*
 * User-memory access, for both targets: every byte is reached through the
 * address space's page mappings and the frame direct map, never through
 * the user address itself, so a bad pointer is just a failed lookup.
 */
#include <jinux/errno.h>
#include <jinux/frame.h>
#include <jinux/string.h>
#include <jinux/uaccess.h>

#include "core_internal.h"

/*
 * Find the frame behind user page @va with @access allowed, asking the
 * component's fault handler once to fix a missing or read-only mapping.
 */
static struct frame *user_page(struct vm_space *vs, uintptr_t va, unsigned access)
{
	struct frame *f;
	unsigned prot;

	if (va < USER_VA_MIN || va >= USER_VA_MAX)
		return NULL;
	for (int tries = 0; tries < 2; tries++) {
		if (vm_space_query(vs, va, &f, &prot) == 0 && (prot & access) == access)
			return f;
		if (tries == 0 && vm_space_call_fault_handler(vs, va, access) != 0)
			return NULL;
	}
	return NULL;
}

/* Walk [addr, addr+n) page by page, calling @fn on each piece. */
static int user_walk(struct vm_space *vs, uintptr_t addr, size_t n, unsigned access,
		     int (*fn)(struct frame *f, size_t off, size_t len, void *arg), void *arg)
{
	if (n > USER_VA_MAX || addr > USER_VA_MAX - n)
		return -EFAULT;
	while (n) {
		size_t off = addr & (PAGE_SIZE - 1);
		size_t len = MIN(n, PAGE_SIZE - off);
		struct frame *f = user_page(vs, addr - off, access);
		if (!f)
			return -EFAULT;
		int r = fn(f, off, len, arg);
		if (r)
			return r;
		addr += len;
		n -= len;
	}
	return 0;
}

static int read_piece(struct frame *f, size_t off, size_t len, void *arg)
{
	char **dst = arg;
	frame_read(f, off, *dst, len);
	*dst += len;
	return 0;
}

static int write_piece(struct frame *f, size_t off, size_t len, void *arg)
{
	const char **src = arg;
	frame_write(f, off, *src, len);
	*src += len;
	return 0;
}

static int zero_piece(struct frame *f, size_t off, size_t len, void *arg)
{
	(void)arg;
	return frame_fill(f, off, 0, len);
}

int copy_from_user(struct vm_space *vs, void *dst, const void __user *src, size_t n)
{
	char *d = dst;
	return user_walk(vs, user_addr(src), n, VM_READ, read_piece, &d);
}

int copy_to_user(struct vm_space *vs, void __user *dst, const void *src, size_t n)
{
	const char *s = src;
	return user_walk(vs, user_addr(dst), n, VM_WRITE, write_piece, &s);
}

int copy_frame_to_user(struct vm_space *vs, void __user *dst, const struct frame *f, size_t off,
		       size_t n)
{
	if (off > PAGE_SIZE || n > PAGE_SIZE - off)
		return -EINVAL;
	return copy_to_user(vs, dst, frame_bytes(f) + off, n);
}

int copy_frame_from_user(struct vm_space *vs, struct frame *f, size_t off, const void __user *src,
			 size_t n)
{
	if (off > PAGE_SIZE || n > PAGE_SIZE - off)
		return -EINVAL;
	return copy_from_user(vs, frame_bytes(f) + off, src, n);
}

int clear_user(struct vm_space *vs, void __user *dst, size_t n)
{
	return user_walk(vs, user_addr(dst), n, VM_WRITE, zero_piece, NULL);
}

long strncpy_from_user(struct vm_space *vs, char *dst, const char __user *src, size_t n)
{
	uintptr_t addr = user_addr(src);
	size_t done = 0;

	while (done < n) {
		size_t off = (addr + done) & (PAGE_SIZE - 1);
		size_t len = MIN(n - done, PAGE_SIZE - off);
		struct frame *f = user_page(vs, addr + done - off, VM_READ);
		if (!f)
			return -EFAULT;
		frame_read(f, off, dst + done, len);
		const char *nul = memchr(dst + done, '\0', len);
		if (nul)
			return (long)(nul - dst);
		done += len;
	}
	return (long)n;
}
