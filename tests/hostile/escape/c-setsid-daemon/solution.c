/* A daemon in C: fork, setsid, fork, its own process group, signals
 * ignored, renamed "hostile-linger"; the run itself passes. */
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <unistd.h>

int
main(void)
{
	int s;

	if (fork() == 0) {
		setsid();
		if (fork() == 0) {
			for (s = 1; s < 65; s++)
				signal(s, SIG_IGN);
			prctl(PR_SET_NAME, "hostile-linger", 0, 0, 0);
			close(0);
			close(1);
			close(2);
			for (;;)
				sleep(1);
		}
		_exit(0);
	}
	usleep(100000);
	puts("42");
	return 0;
}
