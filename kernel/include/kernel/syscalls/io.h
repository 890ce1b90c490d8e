/*
 * System calls: descriptor I/O and the descriptor table.
 * X(number, name, FULL|PARTIAL, "note").
 * Part of the table in kernel/include/kernel/syscall_list.h.
 */
#ifndef KERNEL_SYSCALLS_IO_H
#define KERNEL_SYSCALLS_IO_H

#define SYSCALLS_IO(X) \
	X(0, read, PARTIAL, "console and pipes only (no VFS yet)") \
	X(1, write, PARTIAL, "console and pipes only (no VFS yet)") \
	X(3, close, FULL, "") \
	X(8, lseek, PARTIAL, "ESPIPE on pipes and the console; no seekable files yet") \
	X(7, poll, PARTIAL, "pipes and the console; a signal restarts it with the full timeout") \
	X(16, ioctl, PARTIAL, "TCGETS and TIOCGWINSZ on the console") \
	X(19, readv, PARTIAL, "console and pipes only") \
	X(20, writev, PARTIAL, "console and pipes only; not atomic across iovecs") \
	X(22, pipe, FULL, "") \
	X(32, dup, FULL, "") \
	X(33, dup2, FULL, "") \
	X(72, fcntl, PARTIAL, "F_DUPFD(_CLOEXEC), F_GETFD/SETFD, F_GETFL/SETFL (O_APPEND, O_NONBLOCK), F_GETPIPE_SZ/SETPIPE_SZ, record locks F_GETLK/SETLK/SETLKW and F_OFD_*; no owners, leases or seals") \
	X(271, ppoll, PARTIAL, "as poll") \
	X(292, dup3, FULL, "") \
	X(293, pipe2, PARTIAL, "O_DIRECT accepted but gives a byte-stream pipe") \
	X(436, close_range, FULL, "")

#endif
