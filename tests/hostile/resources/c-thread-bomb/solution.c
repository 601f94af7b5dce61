/* Starts threads with small stacks until it cannot; 42 only if nothing
 * stopped it before 20000. */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static void *
park(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

int
main(void)
{
	pthread_attr_t a;
	pthread_t t;
	int n, e = 0;

	pthread_attr_init(&a);
	pthread_attr_setstacksize(&a, 65536);
	for (n = 0; n < 20000; n++)
		if ((e = pthread_create(&t, &a, park, NULL)) != 0)
			break;
	if (n < 20000)
		printf("contained after %d threads (error %d)\n", n, e);
	else
		puts("42");
	fflush(stdout);
	_exit(0);
}
