/* A 500 MB line without a newline. */
#include <stdio.h>
#include <string.h>

int
main(void)
{
	static char buf[1 << 20];
	int i;

	memset(buf, 'z', sizeof buf);
	for (i = 0; i < 500; i++)
		fwrite(buf, 1, sizeof buf, stdout);
	return 0;
}
