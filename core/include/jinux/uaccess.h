/*
 * Copying to and from user memory.
 *
 * Every access goes through the address space's mappings and their
 * permissions, so a bad user pointer gives -EFAULT and never a kernel
 * fault. These are the only ways a component touches user memory.
 */
#ifndef JINUX_UACCESS_H
#define JINUX_UACCESS_H

#include <jinux/types.h>
#include <jinux/vm_space.h>

/**
 * user_ptr() - turn a raw system-call argument into a user pointer.
 * This is the only integer-to-pointer conversion components may use.
 */
static inline void __user *user_ptr(uint64_t addr)
{
	return (void __user *)(uintptr_t)addr;
}

/** user_addr() - the numeric address of a user pointer. */
static inline uintptr_t user_addr(const void __user *p)
{
	return (__force uintptr_t)p;
}

/**
 * copy_from_user() - copy @n bytes from user address @src in @vs to @dst.
 * Needs VM_READ on every page touched.
 * Return: 0, or -EFAULT if any byte is unmapped or unreadable (a prefix
 * may have been copied).
 */
int copy_from_user(struct vm_space *vs, void *dst, const void __user *src, size_t n);

/**
 * copy_to_user() - copy @n bytes from @src to user address @dst in @vs.
 * Needs VM_WRITE on every page touched.
 * Return: 0, or -EFAULT (a prefix may have been written).
 */
int copy_to_user(struct vm_space *vs, void __user *dst, const void *src, size_t n);

struct frame;

/**
 * copy_frame_to_user() - copy @n bytes at offset @off of frame @f to user
 * address @dst in @vs, with no bounce buffer (a page-cache page to a
 * read(2) buffer). @off + @n must lie in the frame.
 * Return: 0, -EFAULT (a prefix may have been written), or -EINVAL.
 */
int copy_frame_to_user(struct vm_space *vs, void __user *dst, const struct frame *f, size_t off,
		       size_t n);

/**
 * copy_frame_from_user() - copy @n bytes from user address @src in @vs to
 * offset @off of frame @f (write(2) into a page-cache page).
 * Return: 0, -EFAULT (a prefix may have been copied), or -EINVAL.
 */
int copy_frame_from_user(struct vm_space *vs, struct frame *f, size_t off, const void __user *src,
			 size_t n);

/** clear_user() - zero @n user bytes at @dst. Return: 0 or -EFAULT. */
int clear_user(struct vm_space *vs, void __user *dst, size_t n);

/**
 * strncpy_from_user() - copy a NUL-terminated user string of at most @n
 * bytes (including the NUL) into @dst.
 * Return: the string length (excluding the NUL) when a NUL was found within
 * @n bytes; @n if none was (dst is then not terminated); -EFAULT on a bad
 * address.
 */
long strncpy_from_user(struct vm_space *vs, char *dst, const char __user *src, size_t n);

#endif
