/*
 * System calls: memory mapping. X(number, name, FULL|PARTIAL, "note").
 * Part of the table in kernel/include/kernel/syscall_list.h.
 */
#ifndef KERNEL_SYSCALLS_MM_H
#define KERNEL_SYSCALLS_MM_H

#define SYSCALLS_MM(X) \
	X(9, mmap, PARTIAL, "anonymous, /dev/zero, and regular files shared (the file's pages) or private (copy-on-write of them); MAP_HUGETLB gives ENOMEM, MAP_SYNC EOPNOTSUPP") \
	X(10, mprotect, FULL, "") \
	X(11, munmap, FULL, "") \
	X(12, brk, FULL, "") \
	X(25, mremap, FULL, "") \
	X(26, msync, FULL, "nothing to write back (tmpfs has no backing store): 0 for mapped ranges, EINVAL/ENOMEM as Linux") \
	X(27, mincore, FULL, "") \
	X(28, madvise, PARTIAL, "MADV_REMOVE, MADV_COLLAPSE, MADV_HWPOISON, MADV_GUARD_* give EINVAL; reclaim hints have no effect")

#endif
