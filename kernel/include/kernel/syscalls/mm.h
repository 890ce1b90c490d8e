/*
 * System calls: memory mapping. X(number, name, FULL|PARTIAL, "note").
 * Part of the table in kernel/include/kernel/syscall_list.h.
 */
#ifndef KERNEL_SYSCALLS_MM_H
#define KERNEL_SYSCALLS_MM_H

#define SYSCALLS_MM(X) \
	X(9, mmap, PARTIAL, "anonymous, /dev/zero and MAP_PRIVATE of regular files; MAP_SHARED of a regular file gives ENODEV (no page cache yet); MAP_HUGETLB gives ENOMEM") \
	X(10, mprotect, FULL, "") \
	X(11, munmap, FULL, "") \
	X(12, brk, FULL, "") \
	X(25, mremap, FULL, "") \
	X(27, mincore, FULL, "") \
	X(28, madvise, PARTIAL, "MADV_REMOVE, MADV_COLLAPSE, MADV_HWPOISON, MADV_GUARD_* give EINVAL; reclaim hints have no effect")

#endif
