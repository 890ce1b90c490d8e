/* openat2(2): struct open_how is checked strictly, then it opens like openat. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "lib/sys.h"
#include "lib/tap.h"

#define NR_openat2 437

struct how {
	uint64_t flags, mode, resolve;
};

static long openat2(const char *path, const void *how, size_t size)
{
	return sysc(NR_openat2, AT_FDCWD, path, how, size);
}

int main(void)
{
	struct how h = { O_RDONLY, 0, 0 };
	long fd = openat2("/", &h, sizeof(h));
	ok(fd >= 0, "openat2 opens / read-only");
	if (fd >= 0)
		close((int)fd);
	ok_eq(openat2("/", &h, 16), -EINVAL, "a size below 24 is EINVAL");
	ok_eq(openat2("/", &h, 8192), -E2BIG, "a size above a page is E2BIG");
	unsigned char big[32];
	memset(big, 0, sizeof(big));
	memcpy(big, &h, sizeof(h));
	fd = openat2("/", big, sizeof(big));
	ok(fd >= 0, "a larger struct with zero tail is accepted");
	if (fd >= 0)
		close((int)fd);
	big[30] = 1;
	ok_eq(openat2("/", big, sizeof(big)), -E2BIG, "a non-zero unknown tail is E2BIG");
	struct how bad = { 1ULL << 40, 0, 0 };
	ok_eq(openat2("/", &bad, sizeof(bad)), -EINVAL, "unknown flag bits are EINVAL");
	struct how mode = { O_RDONLY, 0644, 0 };
	ok_eq(openat2("/", &mode, sizeof(mode)), -EINVAL, "a mode without O_CREAT is EINVAL");
	struct how res = { O_RDONLY, 0, 1ULL << 20 };
	ok_eq(openat2("/", &res, sizeof(res)), -EINVAL, "unknown resolve bits are EINVAL");
	struct how both = { O_RDONLY, 0, 0x08 | 0x10 };
	ok_eq(openat2("/", &both, sizeof(both)), -EINVAL, "RESOLVE_BENEATH with IN_ROOT is EINVAL");
	ok_eq(openat2("/", (void *)8, sizeof(h)), -EFAULT, "a bad how pointer is EFAULT");
	struct how creat = { O_CREAT | O_WRONLY | O_EXCL, 0600, 0 };
	fd = openat2("/tmp/openat2.test", &creat, sizeof(creat));
	ok(fd >= 0, "O_CREAT|O_EXCL with a mode creates");
	if (fd >= 0)
		close((int)fd);
	ok_eq(openat2("/tmp/openat2.test", &creat, sizeof(creat)), -EEXIST, "and again is EEXIST");
	unlink("/tmp/openat2.test");
	ok_eq(openat2("/nonexistent/x", &h, sizeof(h)), -ENOENT, "a missing path is ENOENT");
	return tap_done();
}
