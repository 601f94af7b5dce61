/* stats.c - statistics for ab-rank; see stats.h for the definitions. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"
#include "ab.h"

/* ---- moments ----------------------------------------------------------- */

/* Neumaier's compensated addition of x to *sum. */
static void
kahan_add(double *sum, double *comp, double x)
{
	double t = *sum + x;

	if (fabs(*sum) >= fabs(x))
		*comp += (*sum - t) + x;
	else
		*comp += (x - t) + *sum;
	*sum = t;
}

void
ab_moments_add(struct ab_moments *m, double x)
{
	double d;

	kahan_add(&m->sum, &m->comp, x);
	if (m->n == 0) {
		m->min = m->max = x;
	} else {
		if (x < m->min)
			m->min = x;
		if (x > m->max)
			m->max = x;
	}
	m->n += 1;
	d = x - m->mean;
	m->mean += d / m->n;
	m->m2 += d * (x - m->mean);
}

void
ab_moments_merge(struct ab_moments *a, const struct ab_moments *b)
{
	double n, d;

	if (b->n == 0)
		return;
	if (a->n == 0) {
		*a = *b;
		return;
	}
	kahan_add(&a->sum, &a->comp, b->sum);
	kahan_add(&a->sum, &a->comp, b->comp);
	n = a->n + b->n;
	d = b->mean - a->mean;
	a->m2 += b->m2 + d * d * a->n * b->n / n;
	a->mean += d * b->n / n;
	a->n = n;
	if (b->min < a->min)
		a->min = b->min;
	if (b->max > a->max)
		a->max = b->max;
}

double
ab_moments_var(const struct ab_moments *m)
{
	return m->n < 2 ? 0 : m->m2 / (m->n - 1);
}

double
ab_moments_sum(const struct ab_moments *m)
{
	return m->sum + m->comp;
}

double
ab_mean(const double *x, size_t n)
{
	double s = 0, c = 0, y, t;
	size_t i;

	if (n == 0)
		return 0;
	/* Kahan summation keeps the mean of many small values exact. */
	for (i = 0; i < n; i++) {
		y = x[i] - c;
		t = s + y;
		c = (t - s) - y;
		s = t;
	}
	return s / (double)n;
}

double
ab_variance(const double *x, size_t n)
{
	double m, s = 0, comp = 0, d;
	size_t i;

	if (n < 2)
		return 0;
	m = ab_mean(x, n);
	for (i = 0; i < n; i++) {
		d = x[i] - m;
		s += d * d;
		comp += d;
	}
	/* The corrected two-pass formula (Chan, Golub, LeVeque). */
	return (s - comp * comp / (double)n) / (double)(n - 1);
}

/* ---- binomials ---------------------------------------------------------- */

double
ab_lchoose(double n, double k)
{
	if (k < 0 || k > n || n < 0)
		return -INFINITY;
	if (k == 0 || k == n)
		return 0;
	return lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1);
}

double
ab_pass_at_k(long n, long c, long k)
{
	double prod = 1;
	long i;

	if (k < 1 || n < k || c < 0 || c > n)
		return NAN;
	if (n - c < k)
		return 1;
	for (i = n - c + 1; i <= n; i++)
		prod *= 1 - (double)k / (double)i;
	return 1 - prod;
}

double
ab_pass_pow_k(long n, long c, long k)
{
	double p = 1;
	long i;

	if (k < 1 || n < k || c < 0 || c > n)
		return NAN;
	if (c < k)
		return 0;
	for (i = 0; i < k; i++)
		p *= (double)(c - i) / (double)(n - i);
	return p;
}

/* ---- intervals ---------------------------------------------------------- */

double
ab_norm_ppf(double p)
{
	static const double a[] = { -3.969683028665376e+01,
	    2.209460984245205e+02, -2.759285104469687e+02,
	    1.383577518672690e+02, -3.066479806614716e+01,
	    2.506628277459239e+00 };
	static const double b[] = { -5.447609879822406e+01,
	    1.615858368580409e+02, -1.556989798598866e+02,
	    6.680131188771972e+01, -1.328068155288572e+01 };
	static const double c[] = { -7.784894002430293e-03,
	    -3.223964580411365e-01, -2.400758277161838e+00,
	    -2.549732539343734e+00, 4.374664141464968e+00,
	    2.938163982698783e+00 };
	static const double d[] = { 7.784695709041462e-03,
	    3.224671290700398e-01, 2.445134137142996e+00,
	    3.754408661907416e+00 };
	double q, r, x, e, u;

	if (isnan(p) || p < 0 || p > 1)
		return NAN;
	if (p == 0)
		return -INFINITY;
	if (p == 1)
		return INFINITY;
	if (p < 0.02425) {
		q = sqrt(-2 * log(p));
		x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q +
		    c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) *
		    q + d[3]) * q + 1);
	} else if (p <= 1 - 0.02425) {
		q = p - 0.5;
		r = q * q;
		x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r +
		    a[4]) * r + a[5]) * q / (((((b[0] * r + b[1]) * r +
		    b[2]) * r + b[3]) * r + b[4]) * r + 1);
	} else {
		q = sqrt(-2 * log1p(-p));
		x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q +
		    c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) *
		    q + d[3]) * q + 1);
	}
	/* Halley steps on the exact CDF 0.5 erfc(-x / sqrt 2). */
	for (int i = 0; i < 2; i++) {
		e = 0.5 * erfc(-x / M_SQRT2) - p;
		u = e * sqrt(2 * M_PI) * exp(x * x / 2);
		x = x - u / (1 + x * u / 2);
	}
	return x;
}

void
ab_wilson(long c, long n, double level, double *lo, double *hi)
{
	double z, z2, p, den, centre, half;

	if (n <= 0 || c < 0 || c > n) {
		*lo = 0;
		*hi = 1;
		return;
	}
	z = ab_norm_ppf(0.5 + level / 2);
	z2 = z * z;
	p = (double)c / (double)n;
	den = 1 + z2 / (double)n;
	centre = (p + z2 / (2.0 * (double)n)) / den;
	half = z / den * sqrt(p * (1 - p) / (double)n +
	    z2 / (4.0 * (double)n * (double)n));
	*lo = centre - half;
	*hi = centre + half;
	/* Exact at the ends: rounding must not leave 0 or 1 outside. */
	if (c == 0 || *lo < 0)
		*lo = 0;
	if (c == n || *hi > 1)
		*hi = 1;
}

void
ab_wilson_tasks(const long *c, const long *n, size_t ntasks, double z,
    double *rate, double *lo, double *hi)
{
	double sr = 0, sr2 = 0, T = 0, att = 0, p, v, ne, z2, ce, h;
	size_t i;

	*rate = *lo = *hi = NAN;
	for (i = 0; i < ntasks; i++) {
		double r;

		if (n[i] <= 0)
			continue;
		r = (double)c[i] / (double)n[i];
		sr += r;
		sr2 += r * r;
		T++;
		att += (double)n[i];
	}
	if (T == 0)
		return;
	p = sr / T;
	v = sr2 / T - p * p;
	if (T == 1)
		ne = att;
	else if (p * (1 - p) <= 0)
		ne = T;
	else if (v <= 0)
		ne = att;
	else
		ne = fmin(fmax(T * p * (1 - p) / v, T), att);
	*rate = p;
	z2 = z * z;
	ce = (p + z2 / (2 * ne)) / (1 + z2 / ne);
	h = z / (1 + z2 / ne) * sqrt(p * (1 - p) / ne + z2 / (4 * ne * ne));
	*lo = p == 0 ? 0 : fmax(0, ce - h);
	*hi = p == 1 ? 1 : fmin(1, ce + h);
}

/* ---- tests and their power ------------------------------------------- */

double
ab_mde_tasks(size_t n, double sumsq, double alpha, double power)
{
	double za, zb, lo = 0, hi = 1, mid, psi, f;
	int i;

	if (n == 0 || !(sumsq >= 0) || !(alpha > 0 && alpha < 1) ||
	    !(power > 0 && power < 1))
		return NAN;
	za = ab_norm_ppf(1 - alpha);
	zb = ab_norm_ppf(power);
	if (za - sqrt((double)n) > 0)
		return NAN;	/* not even a total drop */
	for (i = 0; i < 200; i++) {
		mid = (lo + hi) / 2;
		psi = sumsq / (double)n;
		if (psi < mid)
			psi = mid;
		f = za * sqrt(psi) + zb * sqrt(fmax(psi - mid * mid, 0)) -
		    mid * sqrt((double)n);
		if (f > 0)
			lo = mid;
		else
			hi = mid;
	}
	return hi;
}

double
ab_mde_mean(double sd, size_t n, double alpha, double power)
{
	if (n < 2 || !(sd >= 0) || !(alpha > 0 && alpha < 1) ||
	    !(power > 0 && power < 1))
		return NAN;
	return (ab_norm_ppf(1 - alpha) + ab_norm_ppf(power)) * sd /
	    sqrt((double)n);
}

/* log P(X = x) for the hypergeometric law of the top-left cell. */
static double
hyper_lpmf(long x, long r1, long c1, long n)
{
	return ab_lchoose((double)c1, (double)x) +
	    ab_lchoose((double)(n - c1), (double)(r1 - x)) -
	    ab_lchoose((double)n, (double)r1);
}

double
ab_fisher_exact(long a, long b, long c, long d)
{
	long r1 = a + b, c1 = a + c, n = a + b + c + d, lo, hi, x;
	double lobs, lx, sum = 0;

	if (a < 0 || b < 0 || c < 0 || d < 0)
		return NAN;
	if (r1 == 0 || c1 == 0 || r1 == n || c1 == n)
		return 1;
	lo = r1 + c1 - n > 0 ? r1 + c1 - n : 0;
	hi = r1 < c1 ? r1 : c1;
	lobs = hyper_lpmf(a, r1, c1, n);
	for (x = lo; x <= hi; x++) {
		lx = hyper_lpmf(x, r1, c1, n);
		/* The same relative tolerance as SciPy for ties in
		 * probability. */
		if (lx <= lobs + 1e-7)
			sum += exp(lx);
	}
	return sum > 1 ? 1 : sum;
}

double
ab_fisher_greater(long a, long b, long c, long d)
{
	long r1 = a + b, c1 = a + c, n = a + b + c + d, hi, x;
	double sum = 0;

	if (a < 0 || b < 0 || c < 0 || d < 0)
		return NAN;
	if (r1 == 0 || c1 == 0 || r1 == n || c1 == n)
		return 1;
	hi = r1 < c1 ? r1 : c1;
	for (x = a; x <= hi; x++)
		sum += exp(hyper_lpmf(x, r1, c1, n));
	return sum > 1 ? 1 : sum;
}

struct holm_item {
	double p;
	size_t i;
};

static int
holm_cmp(const void *a, const void *b)
{
	const struct holm_item *x = a, *y = b;

	if (x->p < y->p)
		return -1;
	if (x->p > y->p)
		return 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

void
ab_holm(const double *p, double *q, size_t m)
{
	struct holm_item *it;
	double run = 0, v;
	size_t k;

	if (m == 0)
		return;
	it = ab_xcalloc(m, sizeof *it);
	for (k = 0; k < m; k++) {
		it[k].p = isnan(p[k]) ? 1 : p[k];
		it[k].i = k;
	}
	qsort(it, m, sizeof *it, holm_cmp);
	for (k = 0; k < m; k++) {
		v = (double)(m - k) * it[k].p;
		if (v > 1)
			v = 1;
		if (v > run)
			run = v;
		q[it[k].i] = run;
	}
	free(it);
}

/* ---- bootstrap ---------------------------------------------------------- */

static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void
ab_rng_seed(struct ab_rng *r, uint64_t seed)
{
	int i;

	for (i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

static uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t
ab_rng_next(struct ab_rng *r)
{
	uint64_t *s = r->s, res = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return res;
}

uint64_t
ab_rng_below(struct ab_rng *r, uint64_t n)
{
	uint64_t x, lim = -n % n;	/* 2^64 mod n */

	/* Reject the low values that would make some results likelier. */
	do
		x = ab_rng_next(r);
	while (x < lim);
	return x % n;
}

static int
dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double
ab_quantile_sorted(const double *x, size_t n, double q)
{
	double h, f;
	size_t i;

	if (n == 0)
		return 0;
	if (q <= 0)
		return x[0];
	if (q >= 1)
		return x[n - 1];
	h = q * (double)(n - 1);
	i = (size_t)h;
	f = h - (double)i;
	if (i + 1 >= n)
		return x[n - 1];
	return x[i] + f * (x[i + 1] - x[i]);
}

void
ab_paired_bootstrap(const double *d, size_t n, unsigned reps, uint64_t seed,
    double level, struct ab_boot *out)
{
	struct ab_rng rng;
	double *m, s, dev, obs;
	unsigned r, extreme = 0;
	size_t i;

	memset(out, 0, sizeof *out);
	out->n = n;
	out->p = 1;
	if (n == 0 || reps == 0) {
		out->mean = ab_mean(d, n);
		out->lo = out->hi = out->mean;
		return;
	}
	obs = ab_mean(d, n);
	out->mean = obs;
	ab_rng_seed(&rng, seed);
	m = ab_xmalloc(reps * sizeof *m);
	for (r = 0; r < reps; r++) {
		s = 0;
		for (i = 0; i < n; i++)
			s += d[ab_rng_below(&rng, n)];
		m[r] = s / (double)n;
		dev = fabs(m[r] - obs);
		/* A relative tolerance, so that a constant difference
		 * (every resample equal to the mean) counts as extreme
		 * only when the mean itself is 0. */
		if (dev >= fabs(obs) - 1e-12 * (fabs(obs) + 1e-300))
			extreme++;
	}
	qsort(m, reps, sizeof *m, dbl_cmp);
	out->lo = ab_quantile_sorted(m, reps, (1 - level) / 2);
	out->hi = ab_quantile_sorted(m, reps, (1 + level) / 2);
	out->p = (1.0 + extreme) / (1.0 + reps);
	if (obs == 0)
		out->p = 1;
	free(m);
}

/* side 0: two-sided, |sum*| >= |sum|; side -1: one-sided, sum* <= sum. */
/* The exact sign-flip p-value when every d[i] is a multiple of 1/L for
 * some L <= 5040 (differences of per-task rates with up to a few dozen
 * attempts, scores with two decimals) and the distribution of sums fits
 * in memory: the distribution of sum(+-v[i]), v[i] = d[i] L integers,
 * built by convolution, one difference at a time.  -1 when the values
 * are not on such a lattice. */
static double
lattice(const double *d, size_t n, int side)
{
	long L, *v, obs = 0, R = 0, cum = 0, a, amax = 0, j;
	double *p, *q, *t, x, sum = 0;
	size_t i;
	int fit;

	if (n == 0)
		return -1;
	v = ab_xcalloc(n, sizeof *v);
	for (L = 1, fit = 0; L <= 5040 && !fit; L++) {
		R = 0;
		fit = 1;
		for (i = 0; i < n && fit; i++) {
			x = d[i] * (double)L;
			if (!(fabs(x) < 1e12) || fabs(x - nearbyint(x)) >
			    1e-7 * fmax(1, fabs(x)))
				fit = 0;
			else
				R += labs(v[i] = (long)nearbyint(x));
		}
		if (fit && (R > 1000000 || (double)R * (double)n > 3e7))
			fit = -1;	/* on a lattice, but too wide */
	}
	if (fit != 1) {
		free(v);
		return -1;
	}
	/* The distribution is symmetric (exactly: each step adds the same
	 * two terms at j and -j), so p[j] holds P(sum = j) = P(sum = -j)
	 * for j >= 0 only.  Past the support [0, cum] both arrays hold
	 * zeros (each step writes a wider range than the one before), for
	 * amax more places, so that the step has no bounds to test. */
	for (i = 0; i < n; i++)
		if (labs(v[i]) > amax)
			amax = labs(v[i]);
	p = ab_xcalloc((size_t)(R + amax + 1), sizeof *p);
	q = ab_xcalloc((size_t)(R + amax + 1), sizeof *q);
	p[0] = 1;
	for (i = 0; i < n; i++) {
		obs += v[i];
		if ((a = labs(v[i])) == 0)
			continue;
		/* P(j) = (P(j - a) + P(j + a)) / 2, with P(-k) = P(k). */
		for (j = 0; j < a && j <= cum + a; j++)
			q[j] = 0.5 * (p[a - j] + p[j + a]);
		for (; j <= cum + a; j++)
			q[j] = 0.5 * (p[j - a] + p[j + a]);
		cum += a;
		t = p;
		p = q;
		q = t;
	}
	/* Summed from -cum up, as over the whole distribution. */
	for (j = -cum; j <= cum; j++)
		if (side == 0 ? labs(j) >= labs(obs) : j <= obs)
			sum += p[labs(j)];
	free(p);
	free(q);
	free(v);
	return sum > 1 ? 1 : sum;
}

static double
signflip(const double *d, size_t n, unsigned reps, uint64_t seed, int side)
{
	struct ab_rng rng;
	double obs = 0, sum, tol, scale = 0, lp;
	uint64_t count = 0, k, total, gray, prev, bit;
	unsigned char *neg;
	size_t i, j;
	unsigned r;

	for (i = 0; i < n; i++) {
		obs += d[i];
		scale += fabs(d[i]);
	}
	if (n == 0 || (side == 0 && obs == 0))
		return 1;
	/* Sums equal to the observed one up to rounding count as extreme. */
	tol = 1e-9 * scale;
	if (side == 0)
		obs = fabs(obs);
	if ((lp = lattice(d, n, side)) >= 0)
		return lp;
	if (n <= 20) {
		/* Gray code: one sign changes from one assignment to the
		 * next. */
		neg = ab_xcalloc(n, 1);
		total = (uint64_t)1 << n;
		sum = 0;
		for (i = 0; i < n; i++)
			sum += d[i];
		prev = 0;
		for (k = 0; k < total; k++) {
			gray = k ^ (k >> 1);
			if (k > 0) {
				bit = gray ^ prev;
				j = (size_t)__builtin_ctzll(bit);
				sum += neg[j] ? 2 * d[j] : -2 * d[j];
				neg[j] ^= 1;
			}
			prev = gray;
			if (side == 0 ? fabs(sum) >= obs - tol :
			    sum <= obs + tol)
				count++;
		}
		free(neg);
		return (double)count / (double)total;
	}
	ab_rng_seed(&rng, seed);
	for (r = 0; r < reps; r++) {
		uint64_t bits = 0;

		sum = 0;
		for (i = 0; i < n; i++) {
			uint64_t u;
			double x;

			if (i % 64 == 0)
				bits = ab_rng_next(&rng);
			/* -d[i] or d[i] without a branch on a random bit (a
			 * mispredicted branch every other task): the sign bit
			 * flipped, which is exactly the negation. */
			memcpy(&u, &d[i], sizeof u);
			u ^= (bits & 1) << 63;
			memcpy(&x, &u, sizeof x);
			sum += x;
			bits >>= 1;
		}
		if (side == 0 ? fabs(sum) >= obs - tol : sum <= obs + tol)
			count++;
	}
	return (1.0 + (double)count) / (1.0 + reps);
}

double
ab_signflip_p(const double *d, size_t n, unsigned reps, uint64_t seed)
{
	return signflip(d, n, reps, seed, 0);
}

double
ab_signflip_p_less(const double *d, size_t n, unsigned reps, uint64_t seed)
{
	return signflip(d, n, reps, seed, -1);
}

/* ---- Pareto front ------------------------------------------------------- */

size_t
ab_pareto(const double *x, const double *y, size_t n,
    unsigned char *on_front)
{
	size_t i, j, count = 0;

	for (i = 0; i < n; i++) {
		on_front[i] = !isnan(x[i]) && !isnan(y[i]);
		for (j = 0; j < n && on_front[i]; j++) {
			if (j == i || isnan(x[j]) || isnan(y[j]))
				continue;
			if (x[j] <= x[i] && y[j] >= y[i] &&
			    (x[j] < x[i] || y[j] > y[i]))
				on_front[i] = 0;
		}
		count += on_front[i];
	}
	return count;
}
