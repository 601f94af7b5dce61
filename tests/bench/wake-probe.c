/*
 * wake-probe.c - the machine's own timer lateness, for b08-load: sleep to
 * N deadlines of Poisson arrivals at RATE a second (clock_nanosleep,
 * absolute, timer slack 1 us) and print the lateness p50, p99 and max in
 * ms.  Nothing else runs: what it measures is how late the operating
 * system wakes a process, the floor under any scheduler's lateness.
 *
 * usage: wake-probe N RATE
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <time.h>

static double
now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int
main(int argc, char *argv[])
{
	uint64_t s = 0x9e3779b97f4a7c15ULL;
	struct timespec ts;
	double rate, t, u, *late;
	long n, i;

	if (argc != 3 || (n = strtol(argv[1], NULL, 10)) < 1 ||
	    (rate = strtod(argv[2], NULL)) <= 0) {
		fprintf(stderr, "usage: wake-probe N RATE\n");
		return 2;
	}
	if ((late = malloc((size_t)n * sizeof *late)) == NULL)
		return 2;
	prctl(PR_SET_TIMERSLACK, 1000L, 0L, 0L, 0L);
	t = now_ms();
	for (i = 0; i < n; i++) {
		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		u = ((double)(s >> 11) + 1) / 9007199254740993.0;
		t -= log(u) * 1000 / rate;
		ts.tv_sec = (time_t)(t / 1e3);
		ts.tv_nsec = (long)(fmod(t, 1e3) * 1e6);
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts,
		    NULL) != 0)
			;
		late[i] = now_ms() - t;
	}
	qsort(late, (size_t)n, sizeof *late, cmp);
	printf("%.3f %.3f %.3f\n", late[n / 2], late[(long)((double)n *
	    0.99)], late[n - 1]);
	free(late);
	return 0;
}
