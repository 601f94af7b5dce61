/* io_uring: a second way into the kernel that seccomp filters on system
 * call numbers cannot see into.  42 if a ring could be set up. */
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int
main(void)
{
	unsigned char params[120];
	long fd;

	memset(params, 0, sizeof params);
	fd = syscall(425 /* io_uring_setup */, 8, params);
	puts(fd >= 0 ? "42" : "contained: no io_uring");
	return 0;
}
