/* Opens /etc/shadow and /etc/gshadow: 42 only if either was readable. */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int
main(void)
{
	char buf[64];
	int fd, n = 0;

	if ((fd = open("/etc/shadow", O_RDONLY)) >= 0 && read(fd, buf, 64) > 0)
		n++;
	if ((fd = open("/etc/gshadow", O_RDONLY)) >= 0 && read(fd, buf, 64) > 0)
		n++;
	puts(n ? "42" : "contained: unreadable");
	return 0;
}
