/*
 * Auxiliary vector entry types (AT_*), the key/value pairs the kernel
 * passes on a new program's initial stack after envp (Linux values).
 */
#ifndef UAPI_AUXV_H
#define UAPI_AUXV_H

#define AT_NULL 0          /* end of the vector */
#define AT_IGNORE 1
#define AT_EXECFD 2
#define AT_PHDR 3          /* program headers of the program */
#define AT_PHENT 4         /* size of one program header */
#define AT_PHNUM 5         /* number of program headers */
#define AT_PAGESZ 6
#define AT_BASE 7          /* interpreter base address, 0 if none */
#define AT_FLAGS 8
#define AT_ENTRY 9         /* the program's entry point */
#define AT_NOTELF 10
#define AT_UID 11
#define AT_EUID 12
#define AT_GID 13
#define AT_EGID 14
#define AT_PLATFORM 15     /* string identifying the CPU */
#define AT_HWCAP 16        /* CPU capability bits */
#define AT_CLKTCK 17       /* times() frequency */
#define AT_SECURE 23       /* 1 for set-uid style execution */
#define AT_BASE_PLATFORM 24
#define AT_RANDOM 25       /* address of 16 random bytes */
#define AT_HWCAP2 26
#define AT_RSEQ_FEATURE_SIZE 27
#define AT_RSEQ_ALIGN 28
#define AT_EXECFN 31       /* file name of the program */
#define AT_SYSINFO_EHDR 33 /* vDSO base */
#define AT_MINSIGSTKSZ 51

#endif
