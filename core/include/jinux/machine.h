/*
 * The machine: boot information, CPU features, entropy, power.
 */
#ifndef JINUX_MACHINE_H
#define JINUX_MACHINE_H

#include <jinux/types.h>

/**
 * kernel_main() - the components' entry point, provided by kernel/.
 * The core calls it once, in the first task, after its own
 * initialisation, unless the command line asks for ktests. It should not
 * return; if it does the machine exits with status 0.
 */
void kernel_main(void);

/**
 * boot_cmdline() - the kernel command line: space-separated words, with
 * bytes outside [!-~] and '%' percent-encoded by the launcher.
 */
const char *boot_cmdline(void);

/**
 * boot_initramfs() - the initramfs archive the boot loader handed over
 * (read-only, kept for the life of the kernel); *len is set to its size.
 * Return: the bytes, or NULL (and *len 0) if there is none.
 */
const void *boot_initramfs(size_t *len);

/** cpu_hwcap() - the AT_HWCAP value: CPUID leaf 1 EDX. */
uint64_t cpu_hwcap(void);

/**
 * random_bytes() - fill @buf with entropy from the machine (host: the
 * host's getrandom; x86_64: RDRAND/RDSEED if present, else TSC jitter).
 */
void random_bytes(void *buf, size_t len);

/**
 * machine_exit() - power off, reporting @status (0..255) to whoever
 * launched the machine: the host process exit status, or on x86_64 the
 * launcher through the QEMU debug devices.
 */
__noreturn void machine_exit(int status);

#endif
