/*
 * stats.h - the statistics ab-rank reports: pass@k, Wilson intervals,
 * exact binomial and McNemar tests, Fisher's exact test, a seeded paired
 * bootstrap, Holm's correction, Pareto fronts and running moments.
 *
 * Every function is pure (no globals, no I/O, no allocation unless said)
 * and total: degenerate input (n = 0, empty samples) gives a documented
 * value, never NaN unless the result is stated to be "undefined (NaN)".
 */
#ifndef AB_STATS_H
#define AB_STATS_H

#include <stddef.h>
#include <stdint.h>

/* ---- moments ----------------------------------------------------------- */

/* Running count, mean, sum of squared deviations (Welford), min, max and
 * a compensated (Neumaier) sum, so that sums of integers stay exact and
 * sums do not depend on the order of the values in practice. */
struct ab_moments {
	double n, mean, m2, min, max, sum, comp;
};
#define AB_MOMENTS_INIT { 0, 0, 0, 0, 0, 0, 0 }

void ab_moments_add(struct ab_moments *m, double x);
/* Merge b into a (Chan et al.'s parallel update). */
void ab_moments_merge(struct ab_moments *a, const struct ab_moments *b);
/* Sample variance (n - 1 in the denominator); 0 when n < 2. */
double ab_moments_var(const struct ab_moments *m);
/* Sum of the values (compensated). */
double ab_moments_sum(const struct ab_moments *m);

/* Mean and sample variance of x[0..n-1] (two-pass); 0 for n = 0 (and
 * variance 0 for n < 2). */
double ab_mean(const double *x, size_t n);
double ab_variance(const double *x, size_t n);

/* ---- binomials ---------------------------------------------------------- */

/* log C(n, k) for 0 <= k <= n (lgamma based); -INFINITY outside. */
double ab_lchoose(double n, double k);

/* The unbiased pass@k estimator of Chen et al. (2021) for one task with n
 * attempts of which c passed: 1 - C(n-c, k) / C(n, k), computed as the
 * product 1 - prod_{i=n-c+1}^{n} (1 - k/i), exact to rounding.  Returns 1
 * when n - c < k, and NaN when k < 1 or n < k (undefined). */
double ab_pass_at_k(long n, long c, long k);

/* pass^k (all k attempts pass), unbiased from n >= k attempts of which c
 * passed: C(c, k) / C(n, k), the product prod_{i<k} (c - i) / (n - i);
 * 0 when c < k, NaN when k < 1, n < k or c outside 0..n. */
double ab_pass_pow_k(long n, long c, long k);

/* ---- intervals ---------------------------------------------------------- */

/* The standard normal quantile (inverse CDF) at p in (0, 1); -inf/+inf at
 * 0/1, NaN outside.  Acklam's rational approximation refined by one Halley
 * step on erfc, accurate to about 1e-15. */
double ab_norm_ppf(double p);

/* Wilson score interval for c successes in n trials at the two-sided
 * confidence level `level` (e.g. 0.95), without continuity correction.
 * For n = 0 the interval is [0, 1]. */
void ab_wilson(long c, long n, double level, double *lo, double *hi);
/* The task as the unit: the mean over tasks of each task's pass rate
 * (r[i] = c[i] / n[i], tasks with n[i] == 0 left out) into *rate, and
 * Wilson's score interval for it at z with the effective number of
 * trials T p (1 - p) / v (v the plug-in variance of the rates), clamped
 * to [T, attempts]: with one attempt per task, Wilson's interval for c
 * of T.  All three NaN when no task has an attempt. */
void ab_wilson_tasks(const long *c, const long *n, size_t ntasks, double z,
    double *rate, double *lo, double *hi);

/* ---- tests -------------------------------------------------------------- */

/* The smallest drop in a paired pass rate (a fraction, 0..1) that the
 * one-sided paired test at level alpha detects with probability `power`,
 * on the task as unit: n per-task differences of pass rates (each in
 * [-1, 1]) whose squares sum to sumsq.  The normal approximation of
 * Connor (1987), delta sqrt(n) = z(1-alpha) sqrt(psi) + z(power)
 * sqrt(psi - delta^2), solved by bisection, with psi = max(sumsq / n,
 * delta) (a drop of delta needs at least that much discordance; with one
 * attempt per task it is the exact McNemar test's discordant share).
 * NaN when n is 0, when alpha or power is outside (0, 1), or when not
 * even a drop of 1 is detectable. */
double ab_mde_tasks(size_t n, double sumsq, double alpha, double power);

/* The smallest shift of a mean a one-sided test at level alpha detects
 * with probability `power` from n paired differences of standard
 * deviation sd: (z(1-alpha) + z(power)) sd / sqrt(n).  NaN when n < 2. */
double ab_mde_mean(double sd, size_t n, double alpha, double power);

/* Fisher's exact test, two-sided, on the 2x2 table [[a, b], [c, d]]: the
 * sum of the probabilities (hypergeometric, margins fixed) of every table
 * no more likely than the observed one (relative tolerance 1e-7, as
 * scipy.stats.fisher_exact).  1 for a table with an empty margin. */
double ab_fisher_exact(long a, long b, long c, long d);

/* Fisher's exact test, one-sided, on [[a, b], [c, d]]: P(X >= a) for
 * the hypergeometric top-left cell, margins fixed (odds ratio greater
 * than 1: the first row passes more often than the second).  Equals
 * scipy.stats.fisher_exact(table, alternative="greater").  1 for a table
 * with an empty margin. */
double ab_fisher_greater(long a, long b, long c, long d);

/* Holm's step-down adjustment of m p-values: q[i] is the adjusted p[i]
 * (monotone, capped at 1).  p and q may be the same array.  Allocates a
 * scratch index array (aborts on out-of-memory, like ab_xmalloc). */
void ab_holm(const double *p, double *q, size_t m);

/* ---- bootstrap ---------------------------------------------------------- */

/* xoshiro256** seeded through splitmix64: a small, fast, reproducible
 * generator (the same seed gives the same stream on every platform). */
struct ab_rng {
	uint64_t s[4];
};
void ab_rng_seed(struct ab_rng *r, uint64_t seed);
uint64_t ab_rng_next(struct ab_rng *r);
/* Uniform integer in [0, n) without modulo bias; n > 0. */
uint64_t ab_rng_below(struct ab_rng *r, uint64_t n);

/* Result of a paired bootstrap on differences d[i] = a[i] - b[i]. */
struct ab_boot {
	double mean;		/* observed mean difference */
	double lo, hi;		/* percentile interval at `level` */
	double p;		/* two-sided p-value for mean 0 */
	size_t n;		/* number of pairs */
};

/* Paired bootstrap of the mean of d[0..n-1]: `reps` resamples of n pairs
 * with replacement drawn from a generator seeded with `seed`.  The
 * interval takes the (1-level)/2 and (1+level)/2 quantiles (linear
 * interpolation between order statistics, like numpy's default) of the
 * resampled means; the p-value is (1 + #{|m* - mean| >= |mean|}) /
 * (reps + 1), the bootstrap distribution shifted to the null.  n = 0
 * gives mean 0, interval [0, 0] and p = 1.  Allocates reps doubles. */
void ab_paired_bootstrap(const double *d, size_t n, unsigned reps,
    uint64_t seed, double level, struct ab_boot *out);

/* Two-sided paired sign-flip (permutation) test of mean(d) = 0: under the
 * null each difference is as likely negative as positive.  Exact (p =
 * #{|sum*| >= |sum|} / 2^n) when the d[i] lie on a lattice k / L, L <=
 * 5040 (differences of per-task pass rates, scores with two decimals):
 * the distribution of the sum is then built by convolution, for any n;
 * exact for n <= 20 (all 2^n sign assignments) otherwise; beyond,
 * `reps` random assignments from a generator seeded with `seed`, p =
 * (1 + #) / (reps + 1).  1 for n = 0 or a zero mean. */
double ab_signflip_p(const double *d, size_t n, unsigned reps, uint64_t seed);
/* The one-sided variant for mean(d) < 0: p = #{sum* <= sum} / 2^n exact
 * on a lattice or for n <= 20, else (1 + #) / (reps + 1); 1 for n = 0. */
double ab_signflip_p_less(const double *d, size_t n, unsigned reps,
    uint64_t seed);

/* Quantile of sorted x[0..n-1] at q in [0, 1] by linear interpolation
 * (numpy's "linear", Hyndman and Fan type 7); 0 for n = 0. */
double ab_quantile_sorted(const double *x, size_t n, double q);

/* ---- Pareto front ------------------------------------------------------- */

/* Mark on_front[i] = 1 for every point not dominated by another, where
 * lower x (cost, time) and higher y (score) are better: j dominates i
 * when x[j] <= x[i] and y[j] >= y[i] with one of them strict.  Points
 * with a NaN coordinate are never on the front and never dominate.
 * Returns the number of points on the front. */
size_t ab_pareto(const double *x, const double *y, size_t n,
    unsigned char *on_front);

#endif
