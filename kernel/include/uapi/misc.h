/* Linux x86-64 ABI: small structures of uname, writev, arch_prctl, getrandom. */
#ifndef UAPI_MISC_H
#define UAPI_MISC_H

#include <stdint.h>

#define UTSNAME_LEN 65
struct linux_utsname {
	char sysname[UTSNAME_LEN];
	char nodename[UTSNAME_LEN];
	char release[UTSNAME_LEN];
	char version[UTSNAME_LEN];
	char machine[UTSNAME_LEN];
	char domainname[UTSNAME_LEN];
};

struct linux_iovec {
	uint64_t iov_base;
	uint64_t iov_len;
};
#define UIO_MAXIOV 1024

#define ARCH_SET_GS 0x1001
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define ARCH_GET_GS 0x1004

#define GRND_NONBLOCK 0x1
#define GRND_RANDOM 0x2
#define GRND_INSECURE 0x4

#endif
