/*
 * The host target's machine: a Linux process whose "physical memory" is
 * one memfd, mapped once (MAP_SHARED) as the kernel's direct map. Guest
 * address spaces map the same memfd pages, so a frame written here is
 * seen by the guest at once.
 *
 *   jinux [-m MIB] [-i INITRAMFS] [--] [WORD...]
 *
 * The WORDs, joined by single spaces, are the kernel command line.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jinux/machine.h>

#include "arch_hooks.h"
#include "host.h"

#define DEFAULT_MEM_MIB 256
/* Keep the memfd away from the low descriptors the stub's fd 3 uses. */
#define MEMFD_MIN_FD 100

int host_memfd = -1;
char host_stub_path[4096];
size_t host_ctrl_first_pfn;

static uint8_t *direct_map;
static size_t nr_pages;
static char *cmdline = "";
static void *initramfs;
static size_t initramfs_len;

void *arch_frame_va(size_t pfn)
{
	if (pfn >= nr_pages) {
		fprintf(stderr, "jinux: arch_frame_va: pfn %zu out of range\n", pfn);
		abort();
	}
	return direct_map + pfn * PAGE_SIZE;
}

const char *boot_cmdline(void)
{
	return cmdline;
}

const void *boot_initramfs(size_t *len)
{
	*len = initramfs_len;
	return initramfs;
}

static __noreturn void usage(void)
{
	fprintf(stderr, "usage: jinux [-m MIB] [-i INITRAMFS] [--] [WORD...]\n");
	exit(2);
}

static void die(const char *what)
{
	fprintf(stderr, "jinux: %s: %s\n", what, strerror(errno));
	exit(255);
}

static void read_initramfs(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0)
		die(path);
	initramfs_len = (size_t)st.st_size;
	initramfs = malloc(initramfs_len ? initramfs_len : 1);
	if (!initramfs)
		die("initramfs");
	for (size_t done = 0; done < initramfs_len;) {
		ssize_t n = read(fd, (char *)initramfs + done, initramfs_len - done);
		if (n <= 0)
			die(path);
		done += (size_t)n;
	}
	close(fd);
}

static void make_cmdline(int argc, char **argv)
{
	size_t len = 1;
	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	char *s = malloc(len);
	if (!s)
		die("cmdline");
	s[0] = '\0';
	for (int i = 0; i < argc; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, argv[i]);
	}
	cmdline = s;
}

static void make_memory(size_t mib)
{
	size_t bytes = (mib << 20) + HOST_MAX_GUESTS * PAGE_SIZE;
	int fd = memfd_create("jinux-phys", MFD_CLOEXEC);
	if (fd < 0)
		die("memfd_create");
	if (ftruncate(fd, (off_t)bytes) < 0)
		die("ftruncate");
	host_memfd = fcntl(fd, F_DUPFD_CLOEXEC, MEMFD_MIN_FD);
	if (host_memfd < 0)
		die("fcntl");
	close(fd);
	host_ctrl_first_pfn = (mib << 20) / PAGE_SIZE;
	nr_pages = bytes / PAGE_SIZE;
	direct_map = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, host_memfd, 0);
	if (direct_map == MAP_FAILED)
		die("mmap");
}

static void find_stub(void)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0)
		die("/proc/self/exe");
	exe[n] = '\0';
	snprintf(host_stub_path, sizeof(host_stub_path), "%s/jinux-stub", dirname(exe));
	if (access(host_stub_path, X_OK) < 0)
		die(host_stub_path);
}

int main(int argc, char **argv)
{
	size_t mib = DEFAULT_MEM_MIB;
	int opt;

	while ((opt = getopt(argc, argv, "+m:i:h")) != -1) {
		switch (opt) {
		case 'm':
			mib = strtoul(optarg, NULL, 0);
			if (mib < 4 || mib > (1u << 20))
				usage();
			break;
		case 'i':
			read_initramfs(optarg);
			break;
		default:
			usage();
		}
	}
	make_cmdline(argc - optind, argv + optind);
	find_stub();
	make_memory(mib);
	/* Frame 0 stays unused so that a zero pfn is never a valid frame. */
	frame_pool_add(1, host_ctrl_first_pfn - 1);
	host_events_init();
	guests_init();
	core_start();
}
