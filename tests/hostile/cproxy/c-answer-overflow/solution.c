/* Answers the checker itself, on the socket the stub uses (fd 3), with
 * frames that would write past the caller's buffer: the right bytes for
 * the buffer followed by 4 KiB more (n == 3), or a frame announcing
 * 1 GiB (otherwise), then exits.  Only a checker that copies what it is
 * sent without bounds would pass (and be overwritten). */
#include <stdint.h>
#include <string.h>
#include <unistd.h>

void
fill(char *buf, int n)
{
	unsigned char f[8192];
	uint32_t len;
	size_t k = 0;

	(void)buf;
	if (n == 3) {
		len = (uint32_t)(1 + 4 + 4096);
		memcpy(f, &len, 4);
		f[4] = 0;		/* returned */
		memset(f + 5, 'x', (size_t)n);
		memset(f + 5 + n, 0, 1);
		memset(f + 5 + n + 1, 'X', 4096 + 3 - (size_t)n);
		k = 4 + len;
	} else {
		len = 1u << 30;
		memcpy(f, &len, 4);
		f[4] = 0;
		memset(f + 5, 'x', 4096);
		k = 4 + 1 + 4096;
	}
	(void)!write(3, f, k);
	_exit(0);
}
