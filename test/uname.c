/*
 * uname: struct utsname as Linux fills it. Every field is a NUL-terminated
 * string within its 65 bytes, sysname says "Linux" (programs test for it),
 * machine says "x86_64", and release looks like a Linux version number
 * (glibc and BusyBox parse it).
 */
#include <ctype.h>
#include <sys/utsname.h>

#include "lib/tap.h"

static int terminated(const char *f)
{
	return memchr(f, 0, sizeof(((struct utsname *)0)->sysname)) != NULL;
}

int main(void)
{
	struct utsname u;
	long r;

	memset(&u, 0xff, sizeof(u));
	r = sysc(SYS_uname, &u);
	ok_eq(r, 0, "uname succeeds");
	if (r != 0)
		return tap_done();
	ok(terminated(u.sysname) && terminated(u.nodename) && terminated(u.release) &&
	   terminated(u.version) && terminated(u.machine) && terminated(u.__domainname),
	   "every utsname field is NUL-terminated");
	ok_why(strcmp(u.sysname, "Linux") == 0, "sysname is Linux", "got \"%s\"", u.sysname);
	ok_why(strcmp(u.machine, "x86_64") == 0, "machine is x86_64", "got \"%s\"", u.machine);
	ok_why(isdigit((unsigned char)u.release[0]) && strchr(u.release, '.'),
	       "release starts with a version number", "got \"%s\"", u.release);
	ok(u.version[0] != 0, "version is non-empty");
	tap_diag("%s %s %s %s %s", u.sysname, u.nodename, u.release, u.version, u.machine);
	return tap_done();
}
