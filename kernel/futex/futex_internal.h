/*
 * Inside the futex component: keys and the wait table, shared by the
 * wait/wake/requeue code (futex.c), WAKE_OP (wake_op.c) and the robust
 * list walk (robust.c).
 */
#ifndef KERNEL_FUTEX_INTERNAL_H
#define KERNEL_FUTEX_INTERNAL_H

#include <jinux/types.h>

struct mm;

enum futex_key_kind {
	FUTEX_KEY_PRIVATE = 1,  /* (mm, address): FUTEX_PRIVATE_FLAG */
	FUTEX_KEY_MM_SHARED,    /* (mm, address): shared op on private memory */
	FUTEX_KEY_FRAME,        /* (frame, offset): word in a MAP_SHARED page */
};

struct futex_key {
	enum futex_key_kind kind;
	void *obj;        /* the struct mm, or the struct frame */
	uintptr_t off;    /* the user address, or the offset in the frame */
};

/* Highest end of a futex word, as Linux's TASK_SIZE_MAX. */
#define FUTEX_ADDR_END 0x7ffffffff000UL

/**
 * futex_get_key() - the key naming the word at @uaddr. A shared key
 * faults the page in (reading) to find its frame.
 * Return: 0, -EINVAL if unaligned, -EFAULT if out of range or unmapped.
 */
int futex_get_key(struct mm *mm, uintptr_t uaddr, unsigned flags, struct futex_key *key);

/**
 * futex_wake_key() - wake up to @nr (at least one) waiters filed under
 * @key whose bitset meets @bitset. Return: how many.
 */
long futex_wake_key(const struct futex_key *key, int nr, uint32_t bitset);

/** futex_read_word() - read the u32 at @uaddr. Return: 0 or -EFAULT. */
int futex_read_word(struct mm *mm, uintptr_t uaddr, uint32_t *val);

/** futex_write_word() - write the u32 at @uaddr. Return: 0 or -EFAULT. */
int futex_write_word(struct mm *mm, uintptr_t uaddr, uint32_t val);

#endif
