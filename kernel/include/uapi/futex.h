/* Linux x86-64 ABI: futex(2) operations, WAKE_OP encoding, robust lists. */
#ifndef UAPI_FUTEX_H
#define UAPI_FUTEX_H

#include <stdint.h>

/* Operations (the low bits of futex_op). */
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_FD 2
#define FUTEX_REQUEUE 3
#define FUTEX_CMP_REQUEUE 4
#define FUTEX_WAKE_OP 5
#define FUTEX_LOCK_PI 6
#define FUTEX_UNLOCK_PI 7
#define FUTEX_TRYLOCK_PI 8
#define FUTEX_WAIT_BITSET 9
#define FUTEX_WAKE_BITSET 10
#define FUTEX_WAIT_REQUEUE_PI 11
#define FUTEX_CMP_REQUEUE_PI 12
#define FUTEX_LOCK_PI2 13

/* Option bits OR'ed into futex_op. */
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CLOCK_REALTIME 256
#define FUTEX_CMD_MASK (~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME))

#define FUTEX_BITSET_MATCH_ANY 0xffffffffu

/*
 * FUTEX_WAKE_OP's val3: op (4 bits, bit 3 = shift flag), cmp (4 bits),
 * oparg and cmparg (12 bits each, sign-extended).
 */
#define FUTEX_OP_SET 0
#define FUTEX_OP_ADD 1
#define FUTEX_OP_OR 2
#define FUTEX_OP_ANDN 3
#define FUTEX_OP_XOR 4
#define FUTEX_OP_OPARG_SHIFT 8

#define FUTEX_OP_CMP_EQ 0
#define FUTEX_OP_CMP_NE 1
#define FUTEX_OP_CMP_LT 2
#define FUTEX_OP_CMP_LE 3
#define FUTEX_OP_CMP_GT 4
#define FUTEX_OP_CMP_GE 5

/* The word of a robust (or PI) lock: owner TID plus two state bits. */
#define FUTEX_WAITERS 0x80000000u
#define FUTEX_OWNER_DIED 0x40000000u
#define FUTEX_TID_MASK 0x3fffffffu

/*
 * set_robust_list(2)'s head, in user memory. Each list entry points at the
 * next (bit 0 set marks a PI lock); the lock word of an entry lies at
 * entry + futex_offset.
 */
struct linux_robust_list_head {
	uint64_t next;            /* first entry; the head itself when empty */
	int64_t futex_offset;
	uint64_t list_op_pending; /* entry being locked or unlocked, or 0 */
};

/* Entries walked at most at thread exit, against circular lists. */
#define ROBUST_LIST_LIMIT 2048

#endif
