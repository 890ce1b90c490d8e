/*
 * efault: system calls given pointers the process cannot use fail with
 * EFAULT instead of crashing the process or the kernel. Covers low
 * addresses, a just-unmapped page, the first non-canonical address and a
 * kernel-half address, for calls that read user memory (write, writev)
 * and calls that write it (uname, clock_gettime, getrandom, time).
 */
#include <sys/uio.h>
#include <time.h>

#include "lib/tap.h"

static void check_reads(void *unmapped)
{
	struct iovec bad_base = { BAD_LOW_PTR, 10 };

	ok_eq(sysc(SYS_write, 1, BAD_LOW_PTR, 10), -EFAULT, "write from address 1 is EFAULT");
	ok_eq(sysc(SYS_write, 1, unmapped, 10), -EFAULT, "write from an unmapped page is EFAULT");
	ok_eq(sysc(SYS_write, 1, NONCANON_PTR, 10), -EFAULT,
	      "write from a non-canonical address is EFAULT");
	ok_eq(sysc(SYS_write, 1, KERNEL_PTR, 10), -EFAULT, "write from a kernel address is EFAULT");
	ok_eq(sysc(SYS_writev, 1, BAD_LOW_PTR, 1), -EFAULT, "writev with a bad iovec pointer is EFAULT");
	ok_eq(sysc(SYS_writev, 1, unmapped, 1), -EFAULT, "writev with an unmapped iovec array is EFAULT");
	ok_eq(sysc(SYS_writev, 1, &bad_base, 1), -EFAULT, "writev of a bad buffer is EFAULT");
	bad_base.iov_base = KERNEL_PTR;
	ok_eq(sysc(SYS_writev, 1, &bad_base, 1), -EFAULT, "writev of a kernel buffer is EFAULT");
}

static void check_writes(void *unmapped)
{
	ok_eq(sysc(SYS_uname, BAD_LOW_PTR), -EFAULT, "uname into address 1 is EFAULT");
	ok_eq(sysc(SYS_uname, unmapped), -EFAULT, "uname into an unmapped page is EFAULT");
	ok_eq(sysc(SYS_uname, KERNEL_PTR), -EFAULT, "uname into a kernel address is EFAULT");
	ok_eq(sysc(SYS_clock_gettime, CLOCK_REALTIME, BAD_LOW_PTR), -EFAULT,
	      "clock_gettime into address 1 is EFAULT");
	ok_eq(sysc(SYS_clock_gettime, CLOCK_REALTIME, NONCANON_PTR), -EFAULT,
	      "clock_gettime into a non-canonical address is EFAULT");
	ok_eq(sysc(SYS_getrandom, BAD_LOW_PTR, 16, 0), -EFAULT, "getrandom into address 1 is EFAULT");
	ok_eq(sysc(SYS_getrandom, KERNEL_PTR, 16, 0), -EFAULT, "getrandom into a kernel address is EFAULT");
	ok_eq(sysc(SYS_time, unmapped), -EFAULT, "time into an unmapped page is EFAULT");
}

/* A buffer that ends exactly where an unmapped page begins. */
static void check_straddle(void)
{
	long p = sysc(SYS_mmap, 0, 2 * PAGE, 3, 0x22, -1, 0);
	struct timespec *ts;

	if (!ok(p > 0, "mmap of two pages succeeds"))
		return;
	sysc(SYS_munmap, p + PAGE, PAGE);
	ts = (struct timespec *)(p + PAGE - 8);
	ok_eq(sysc(SYS_clock_gettime, CLOCK_REALTIME, ts), -EFAULT,
	      "clock_gettime into a struct straddling an unmapped page is EFAULT");
	ok_eq(sysc(SYS_write, 1, p + PAGE, 1), -EFAULT, "write from the byte after a mapping is EFAULT");
	sysc(SYS_munmap, p, PAGE);
}

int main(void)
{
	void *unmapped = unmapped_page();

	check_reads(unmapped);
	check_writes(unmapped);
	check_straddle();
	ok(1, "the process survived every bad pointer");
	return tap_done();
}
