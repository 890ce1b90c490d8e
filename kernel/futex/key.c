/*
 * Futex keys: which word a user address names. Linux's rules: with
 * FUTEX_PRIVATE_FLAG the word is named by (mm, address) and never
 * touched; a shared operation names a word in a MAP_SHARED mapping by
 * (frame, offset), so every process mapping the page finds the same
 * sleepers, and a word in private memory by (mm, address) again, but as
 * a kind of its own, so private and shared operations never meet.
 */
#include <jinux/errno.h>
#include <jinux/uaccess.h>
#include <jinux/vm_space.h>
#include <kernel/mm.h>

#include "futex_internal.h"
#include <kernel/futex.h>

int futex_read_word(struct mm *mm, uintptr_t uaddr, uint32_t *val)
{
	return copy_from_user(mm->vs, val, user_ptr(uaddr), sizeof(*val)) ? -EFAULT : 0;
}

int futex_write_word(struct mm *mm, uintptr_t uaddr, uint32_t val)
{
	return copy_to_user(mm->vs, user_ptr(uaddr), &val, sizeof(val)) ? -EFAULT : 0;
}

/* Whether @addr lies in a MAP_SHARED mapping (named by frame, not by mm). */
static bool futex_addr_is_shared(struct mm *mm, uintptr_t addr)
{
	struct mm_region *r = mm_find_region(mm, addr);

	return r && (r->flags & MMR_SHARED);
}

int futex_get_key(struct mm *mm, uintptr_t uaddr, unsigned flags, struct futex_key *key)
{
	struct frame *f;
	uint32_t v;

	if (!IS_ALIGNED(uaddr, sizeof(uint32_t)))
		return -EINVAL;
	if (uaddr > FUTEX_ADDR_END - sizeof(uint32_t))
		return -EFAULT;
	key->obj = mm;
	key->off = uaddr;
	if (!(flags & FUTEX_F_SHARED)) {
		key->kind = FUTEX_KEY_PRIVATE;
		return 0;
	}
	/* Linux looks the page up (faulting it in) for every shared key. */
	if (futex_read_word(mm, uaddr, &v))
		return -EFAULT;
	key->kind = FUTEX_KEY_MM_SHARED;
	if (!futex_addr_is_shared(mm, uaddr))
		return 0;
	if (vm_space_query(mm->vs, ALIGN_DOWN(uaddr, PAGE_SIZE), &f, NULL))
		return -EFAULT;
	key->kind = FUTEX_KEY_FRAME;
	key->obj = f;
	key->off = uaddr & (PAGE_SIZE - 1);
	return 0;
}
