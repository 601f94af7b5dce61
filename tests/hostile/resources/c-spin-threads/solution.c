/* Four threads spinning on two cores: CPU time of the whole process
 * (all threads) must count, so the limit comes in about half the wall
 * time a single thread would take. */
#include <pthread.h>
#include <stdio.h>

static void *
spin(void *arg)
{
	volatile unsigned long n = 0;

	(void)arg;
	for (;;)
		n++;
	return NULL;
}

int
main(void)
{
	pthread_t t[4];
	int i;

	for (i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, spin, NULL);
	for (i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	puts("42");
	return 0;
}
