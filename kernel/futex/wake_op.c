/*
 * FUTEX_WAKE_OP: change a second word and wake on both words in one call
 * (how glibc's condition variables once avoided a thundering herd). The
 * encoded operation names an arithmetic op on the second word and a
 * comparison of its old value that decides the second wake.
 */
#include <jinux/errno.h>
#include <kernel/futex.h>
#include <uapi/futex.h>

#include "futex_internal.h"

/* The 12-bit fields of the encoding are signed. */
static int32_t sign_extend12(uint32_t v)
{
	return (int32_t)(v << 20) >> 20;
}

/* Apply @op with @oparg to @old. Return: 0 and *@res, or -ENOSYS. */
static int wake_op_apply(unsigned op, uint32_t oparg, uint32_t old, uint32_t *res)
{
	switch (op) {
	case FUTEX_OP_SET: *res = oparg; return 0;
	case FUTEX_OP_ADD: *res = old + oparg; return 0;
	case FUTEX_OP_OR: *res = old | oparg; return 0;
	case FUTEX_OP_ANDN: *res = old & ~oparg; return 0;
	case FUTEX_OP_XOR: *res = old ^ oparg; return 0;
	default: return -ENOSYS;
	}
}

/* Compare the old value (signed, as Linux does). Return: 0/1, or -ENOSYS. */
static int wake_op_compare(unsigned cmp, int32_t old, int32_t cmparg)
{
	switch (cmp) {
	case FUTEX_OP_CMP_EQ: return old == cmparg;
	case FUTEX_OP_CMP_NE: return old != cmparg;
	case FUTEX_OP_CMP_LT: return old < cmparg;
	case FUTEX_OP_CMP_LE: return old <= cmparg;
	case FUTEX_OP_CMP_GT: return old > cmparg;
	case FUTEX_OP_CMP_GE: return old >= cmparg;
	default: return -ENOSYS;
	}
}

long futex_wake_op(struct mm *mm, uintptr_t uaddr, uintptr_t uaddr2, unsigned flags,
		   int nr_wake, int nr_wake2, uint32_t encoded_op)
{
	unsigned op = (encoded_op >> 28) & 0x7, cmp = (encoded_op >> 24) & 0xf;
	int32_t oparg = sign_extend12((encoded_op >> 12) & 0xfff);
	int32_t cmparg = sign_extend12(encoded_op & 0xfff);
	struct futex_key key1, key2;
	uint32_t old, res;
	long woken;
	int ret, hit;

	ret = futex_get_key(mm, uaddr, flags, &key1);
	if (!ret)
		ret = futex_get_key(mm, uaddr2, flags, &key2);
	if (ret)
		return ret;
	/* Linux masks an out-of-range shift count (with a warning). */
	if (encoded_op & ((uint32_t)FUTEX_OP_OPARG_SHIFT << 28))
		oparg = (int32_t)(1u << (oparg & 31));
	if (futex_read_word(mm, uaddr2, &old))
		return -EFAULT;
	ret = wake_op_apply(op, (uint32_t)oparg, old, &res);
	if (ret)
		return ret;
	if (futex_write_word(mm, uaddr2, res))
		return -EFAULT;
	/* As on Linux, a bad comparison is found only after the store. */
	hit = wake_op_compare(cmp, (int32_t)old, cmparg);
	if (hit < 0)
		return hit;
	woken = futex_wake_key(&key1, nr_wake, FUTEX_BITSET_MATCH_ANY);
	if (hit)
		woken += futex_wake_key(&key2, nr_wake2, FUTEX_BITSET_MATCH_ANY);
	return woken;
}
