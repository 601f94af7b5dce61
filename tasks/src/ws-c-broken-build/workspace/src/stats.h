#ifndef STATS_H
#define STATS_H
#include <stddef.h>

/* The mean of v[0..n), n > 0. */
double stats_mean(const double *v, size_t n);
/* The median of v[0..n), n > 0; v is not changed. */
double stats_median(const double *v, size_t n);
#endif
