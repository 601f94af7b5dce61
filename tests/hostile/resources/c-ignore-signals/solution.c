/* Ignores or blocks every catchable signal, tries to lift its CPU
 * rlimit, then spins. */
#include <signal.h>
#include <stddef.h>
#include <sys/resource.h>

int
main(void)
{
	struct rlimit r = { RLIM_INFINITY, RLIM_INFINITY };
	sigset_t all;
	volatile unsigned long n = 0;
	int s;

	for (s = 1; s < 65; s++)
		signal(s, SIG_IGN);
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	setrlimit(RLIMIT_CPU, &r);
	for (;;)
		n++;
}
