/* Writes a 4 GB file with SIGXFSZ at its default action: the file size
 * limit kills it (or the disk fills first). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>

int
main(void)
{
	static char buf[1 << 20];
	int fd = open("big.bin", O_WRONLY | O_CREAT | O_TRUNC, 0644), i;

	memset(buf, 'x', sizeof buf);
	for (i = 0; i < 4096; i++)
		if (write(fd, buf, sizeof buf) != (ssize_t)sizeof buf) {
			puts("contained: short write");
			return 1;
		}
	puts("42");
	return 0;
}
