/*
 * System calls: the file system (kernel/syscall/sys_fs*.c over kernel/vfs).
 * X(number, name, FULL|PARTIAL, "note").
 * Part of the table in kernel/include/kernel/syscall_list.h.
 */
#ifndef KERNEL_SYSCALLS_FS_H
#define KERNEL_SYSCALLS_FS_H

#define SYSCALLS_FS(X) \
	X(2, open, FULL, "") \
	X(4, stat, FULL, "") \
	X(5, fstat, PARTIAL, "pipes and the console get a made-up inode") \
	X(6, lstat, FULL, "") \
	X(17, pread64, FULL, "") \
	X(18, pwrite64, FULL, "") \
	X(21, access, FULL, "") \
	X(73, flock, FULL, "") \
	X(74, fsync, FULL, "") \
	X(75, fdatasync, FULL, "") \
	X(76, truncate, FULL, "") \
	X(77, ftruncate, FULL, "") \
	X(79, getcwd, FULL, "") \
	X(80, chdir, FULL, "") \
	X(81, fchdir, FULL, "") \
	X(82, rename, FULL, "") \
	X(83, mkdir, FULL, "") \
	X(84, rmdir, FULL, "") \
	X(85, creat, FULL, "") \
	X(86, link, FULL, "") \
	X(87, unlink, FULL, "") \
	X(88, symlink, FULL, "") \
	X(89, readlink, FULL, "") \
	X(90, chmod, FULL, "") \
	X(91, fchmod, FULL, "") \
	X(92, chown, FULL, "") \
	X(93, fchown, FULL, "") \
	X(94, lchown, FULL, "") \
	X(95, umask, FULL, "") \
	X(133, mknod, PARTIAL, "block devices open with ENXIO") \
	X(137, statfs, FULL, "") \
	X(138, fstatfs, PARTIAL, "pipes and the console report the root tmpfs") \
	X(155, pivot_root, FULL, "") \
	X(161, chroot, FULL, "") \
	X(162, sync, FULL, "") \
	X(165, mount, PARTIAL, "tmpfs, devtmpfs, bind (not recursive) and remount; MS_MOVE gives EINVAL; propagation flags ignored") \
	X(166, umount2, FULL, "") \
	X(217, getdents64, FULL, "") \
	X(257, openat, FULL, "") \
	X(437, openat2, PARTIAL, "all RESOLVE_* flags; NO_MAGICLINKS is accepted but procfs magic links (/proc/PID/fd/N, exe, cwd) are not refused yet; CACHED resolves from memory (EAGAIN only with O_CREAT/O_TRUNC/O_TMPFILE); NO_XDEV refuses an absolute symlink only if it changes mount (Linux nearly always)") \
	X(258, mkdirat, FULL, "") \
	X(259, mknodat, PARTIAL, "as mknod") \
	X(260, fchownat, FULL, "") \
	X(262, newfstatat, FULL, "") \
	X(263, unlinkat, FULL, "") \
	X(264, renameat, FULL, "") \
	X(265, linkat, FULL, "") \
	X(266, symlinkat, FULL, "") \
	X(267, readlinkat, FULL, "") \
	X(268, fchmodat, FULL, "") \
	X(269, faccessat, FULL, "") \
	X(280, utimensat, FULL, "") \
	X(285, fallocate, PARTIAL, "mode 0 and FALLOC_FL_KEEP_SIZE only") \
	X(306, syncfs, FULL, "") \
	X(316, renameat2, PARTIAL, "RENAME_WHITEOUT gives EINVAL") \
	X(319, memfd_create, PARTIAL, "no seals: MFD_ALLOW_SEALING is accepted, F_ADD_SEALS not") \
	X(332, statx, PARTIAL, "basic stats only (no btime, mount id)") \
	X(439, faccessat2, FULL, "") \
	X(23, select, PARTIAL, "files, pipes and the console; at most 1024 descriptors") \
	X(270, pselect6, PARTIAL, "as select") \
	X(40, sendfile, PARTIAL, "from a regular file to a regular file or a pipe; EINVAL for other destinations") \
	X(326, copy_file_range, FULL, "") \
	X(235, utimes, FULL, "") \
	X(261, futimesat, FULL, "") \
	X(295, preadv, FULL, "") \
	X(296, pwritev, FULL, "") \
	X(327, preadv2, PARTIAL, "flags (RWF_*) give EOPNOTSUPP") \
	X(328, pwritev2, PARTIAL, "flags (RWF_*) give EOPNOTSUPP")

#endif
