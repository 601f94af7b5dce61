/* Prints the answer, closes stdout and stderr, works a little more and
 * exits 0: this one passes, its output was complete. */
#include <stdio.h>
#include <unistd.h>

int
main(void)
{
	volatile unsigned long n;

	puts("42");
	fclose(stdout);
	close(2);
	for (n = 0; n < 100000000UL; n++)
		;
	return 0;
}
