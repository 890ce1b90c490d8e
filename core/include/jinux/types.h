/*
 * Basic types and annotations shared by the core and every component.
 *
 * Components are built freestanding on both targets: they get only the
 * compiler's own headers (stdint, stddef, stdbool, stdarg) and the core API.
 */
#ifndef JINUX_TYPES_H
#define JINUX_TYPES_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A pointer into a user address space. Sparse (make lint) rejects any
 * dereference of a __user pointer: user memory is reached only through
 * copy_from_user() and friends in <jinux/uaccess.h>.
 */
#ifdef __CHECKER__
#define __user __attribute__((noderef, address_space(__user)))
#define __force __attribute__((force))
#else
#define __user
#define __force
#endif

#define __noreturn __attribute__((noreturn))
#define __unused __attribute__((unused))
#define __printf(a, b) __attribute__((format(printf, a, b)))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define ALIGN_UP(x, a) ALIGN_DOWN((x) + (a) - 1, (a))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)

/* Linux-style signed size, for byte counts that may carry a -errno. */
typedef long ssize_t;

#endif
