/*
 * Linux x86-64 ABI: capabilities(7) numbers, the capget/capset header
 * and data structures, the capability prctl options and the securebits.
 */
#ifndef UAPI_CAPABILITY_H
#define UAPI_CAPABILITY_H

#include <stdint.h>

#define CAP_CHOWN 0
#define CAP_DAC_OVERRIDE 1
#define CAP_DAC_READ_SEARCH 2
#define CAP_FOWNER 3
#define CAP_FSETID 4
#define CAP_KILL 5
#define CAP_SETGID 6
#define CAP_SETUID 7
#define CAP_SETPCAP 8
#define CAP_LINUX_IMMUTABLE 9
#define CAP_NET_BIND_SERVICE 10
#define CAP_NET_BROADCAST 11
#define CAP_NET_ADMIN 12
#define CAP_NET_RAW 13
#define CAP_IPC_LOCK 14
#define CAP_IPC_OWNER 15
#define CAP_SYS_MODULE 16
#define CAP_SYS_RAWIO 17
#define CAP_SYS_CHROOT 18
#define CAP_SYS_PTRACE 19
#define CAP_SYS_PACCT 20
#define CAP_SYS_ADMIN 21
#define CAP_SYS_BOOT 22
#define CAP_SYS_NICE 23
#define CAP_SYS_RESOURCE 24
#define CAP_SYS_TIME 25
#define CAP_SYS_TTY_CONFIG 26
#define CAP_MKNOD 27
#define CAP_LEASE 28
#define CAP_AUDIT_WRITE 29
#define CAP_AUDIT_CONTROL 30
#define CAP_SETFCAP 31
#define CAP_MAC_OVERRIDE 32
#define CAP_MAC_ADMIN 33
#define CAP_SYSLOG 34
#define CAP_WAKE_ALARM 35
#define CAP_BLOCK_SUSPEND 36
#define CAP_AUDIT_READ 37
#define CAP_PERFMON 38
#define CAP_BPF 39
#define CAP_CHECKPOINT_RESTORE 40
#define CAP_LAST_CAP CAP_CHECKPOINT_RESTORE

#define cap_valid(x) ((x) >= 0 && (x) <= CAP_LAST_CAP)

/* capget/capset: version 1 carries 32 bits per set, versions 2 and 3 64. */
#define LINUX_CAPABILITY_VERSION_1 0x19980330U
#define LINUX_CAPABILITY_VERSION_2 0x20071026U
#define LINUX_CAPABILITY_VERSION_3 0x20080522U
#define LINUX_CAPABILITY_U32S_1 1
#define LINUX_CAPABILITY_U32S_3 2

struct linux_cap_header {
	uint32_t version;
	int32_t pid;
};

struct linux_cap_data {
	uint32_t effective;
	uint32_t permitted;
	uint32_t inheritable;
};

/* prctl(2) options that concern credentials. */
#define PR_GET_KEEPCAPS 7
#define PR_SET_KEEPCAPS 8
#define PR_CAPBSET_READ 23
#define PR_CAPBSET_DROP 24
#define PR_GET_SECUREBITS 27
#define PR_SET_SECUREBITS 28
#define PR_CAP_AMBIENT 47
#define PR_CAP_AMBIENT_IS_SET 1
#define PR_CAP_AMBIENT_RAISE 2
#define PR_CAP_AMBIENT_LOWER 3
#define PR_CAP_AMBIENT_CLEAR_ALL 4

/* securebits: each flag bit is followed by its lock bit. */
#define SECURE_NOROOT 0
#define SECURE_NO_SETUID_FIXUP 2
#define SECURE_KEEP_CAPS 4
#define SECURE_NO_CAP_AMBIENT_RAISE 6
#define SECBIT_NOROOT (1U << SECURE_NOROOT)
#define SECBIT_NOROOT_LOCKED (1U << (SECURE_NOROOT + 1))
#define SECBIT_NO_SETUID_FIXUP (1U << SECURE_NO_SETUID_FIXUP)
#define SECBIT_NO_SETUID_FIXUP_LOCKED (1U << (SECURE_NO_SETUID_FIXUP + 1))
#define SECBIT_KEEP_CAPS (1U << SECURE_KEEP_CAPS)
#define SECBIT_KEEP_CAPS_LOCKED (1U << (SECURE_KEEP_CAPS + 1))
#define SECBIT_NO_CAP_AMBIENT_RAISE (1U << SECURE_NO_CAP_AMBIENT_RAISE)
#define SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED (1U << (SECURE_NO_CAP_AMBIENT_RAISE + 1))
#define SECURE_ALL_BITS (SECBIT_NOROOT | SECBIT_NO_SETUID_FIXUP | SECBIT_KEEP_CAPS | \
			 SECBIT_NO_CAP_AMBIENT_RAISE)
#define SECURE_ALL_LOCKS (SECURE_ALL_BITS << 1)

/* setgroups(2) accepts at most this many groups (Linux's NGROUPS_MAX). */
#define NGROUPS_MAX 65536

#endif
