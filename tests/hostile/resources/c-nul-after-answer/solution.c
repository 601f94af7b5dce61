/* The right answer, then a NUL and more: a comparison that stops at the
 * NUL would pass it. */
#include <stdio.h>

int
main(void)
{
	fwrite("42\n\0and more\n", 1, 13, stdout);
	return 0;
}
