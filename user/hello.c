/* The default first program: proof that a static Linux binary runs. */
#include <stdio.h>
#include <sys/utsname.h>

int main(void)
{
	struct utsname u;

	if (uname(&u) == 0)
		printf("Hello from %s %s on %s!\n", u.sysname, u.release, u.machine);
	else
		printf("Hello from Jinux!\n");
	return 0;
}
