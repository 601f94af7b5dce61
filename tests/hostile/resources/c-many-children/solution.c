/* Twelve children of 40 MB each: every one is under any per-process cap,
 * together they are far over the 256 MB of the run.  42 only if all of
 * them lived. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int
main(void)
{
	int i, j, st, alive = 0;
	volatile char *p;

	for (i = 0; i < 12; i++) {
		if (fork() == 0) {
			if ((p = malloc(40 << 20)) == NULL)
				_exit(1);
			for (j = 0; j < 40 << 20; j += 4096)
				p[j] = 1;
			sleep(2);
			_exit(0);
		}
	}
	while (wait(&st) > 0)
		if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
			alive++;
	if (alive == 12)
		puts("42");
	else
		printf("contained: %d of 12 children lived\n", alive);
	return 0;
}
