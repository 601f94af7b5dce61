/*
 * views.c - the analyses: leaderboard, breakdowns, per-agent costs, head to
 * head comparisons, regressions, cost efficiency, error patterns, trends.
 * Each view appends tables of typed cells to a report; the writers in
 * format.c and html.c render them.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

/* ---- tables -------------------------------------------------------------- */

static struct rk_table *
table_new(struct rk_report *r, const char *name, const char *title,
    const struct rk_col *cols, int ncol)
{
	struct rk_table *t;
	int i;

	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 8;
		r->t = ab_xrealloc(r->t, r->cap * sizeof *r->t);
	}
	t = &r->t[r->n++];
	memset(t, 0, sizeof *t);
	t->name = ab_xstrdup(name);
	t->title = ab_xstrdup(title);
	t->ncol = ncol;
	t->cols = ab_xcalloc((size_t)ncol, sizeof *t->cols);
	for (i = 0; i < ncol; i++) {
		t->cols[i] = cols[i];
		t->cols[i].key = ab_xstrdup(cols[i].key);
		t->cols[i].head = ab_xstrdup(cols[i].head);
	}
	return t;
}

static struct rk_val *
row_new(struct rk_table *t)
{
	struct rk_val *v;
	int i;

	if (t->nrow == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->vals = ab_xrealloc(t->vals, t->cap * (size_t)t->ncol *
		    sizeof *t->vals);
	}
	v = &t->vals[t->nrow++ * (size_t)t->ncol];
	for (i = 0; i < t->ncol; i++) {
		v[i].null = true;
		v[i].d = 0;
		v[i].s = NULL;
	}
	return v;
}

static void
set_str(struct rk_val *v, const char *s)
{
	free(v->s);
	v->s = NULL;
	v->null = s == NULL;
	if (s != NULL)
		v->s = ab_xstrdup(s);
}

static void
set_strf(struct rk_val *v, char *s)	/* steals s */
{
	free(v->s);
	v->s = s;
	v->null = s == NULL;
}

static void
set_num(struct rk_val *v, double d)
{
	v->null = !isfinite(d);
	v->d = v->null ? 0 : d;
}

static void
set_bool(struct rk_val *v, bool b)
{
	v->null = false;
	v->d = b;
}

void
rk_report_release(struct rk_report *r)
{
	size_t i, k;
	int c;

	for (i = 0; i < r->n; i++) {
		struct rk_table *t = &r->t[i];

		for (k = 0; k < t->nrow * (size_t)t->ncol; k++)
			free(t->vals[k].s);
		for (c = 0; c < t->ncol; c++) {
			free((char *)t->cols[c].key);
			free((char *)t->cols[c].head);
		}
		free(t->cols);
		free(t->vals);
		free(t->name);
		free(t->title);
	}
	free(r->t);
	free(r->health);
	memset(r, 0, sizeof *r);
}

const struct rk_table *
rk_report_find(const struct rk_report *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->t[i].name, name) == 0)
			return &r->t[i];
	return NULL;
}

int
rk_table_col(const struct rk_table *t, const char *key)
{
	int i;

	for (i = 0; i < t->ncol; i++)
		if (strcmp(t->cols[i].key, key) == 0)
			return i;
	return -1;
}

/* ---- per configuration x task aggregates ---------------------------------- */

/* A configuration's results on one task, pooled over the selected runs. */
struct tagg {
	int task;
	long n, c, succ, excl;
	struct ab_moments score, lat, ttft, cost, tin, tout, wall;
};

static const struct rk_model *cmp_model;

static int
cellidx_cmp(const void *a, const void *b)
{
	const struct rk_cell *x = &cmp_model->cells[*(const size_t *)a],
	    *y = &cmp_model->cells[*(const size_t *)b];

	if (x->run != y->run)
		return x->run < y->run ? -1 : 1;
	return x->task < y->task ? -1 : x->task > y->task;
}

/* The tasks of configuration cf in run `run` (-1: every run), in task
 * order; new array.  When runs are pooled, a task's attempts in every run
 * count. */
static struct tagg *
tasks_of(const struct rk_model *m, int cf, int run, size_t *nout)
{
	struct tagg *v;
	size_t *ix, n = 0, i, nt = 0;
	int *slot;

	ix = ab_xcalloc(m->ncells + 1, sizeof *ix);
	for (i = 0; i < m->ncells; i++)
		if (m->cells[i].config == cf &&
		    (run < 0 || m->cells[i].run == run))
			ix[n++] = i;
	cmp_model = m;
	qsort(ix, n, sizeof *ix, cellidx_cmp);
	slot = ab_xmalloc((m->ntasks + 1) * sizeof *slot);
	for (i = 0; i < m->ntasks; i++)
		slot[i] = -1;
	v = ab_xcalloc(n + 1, sizeof *v);
	for (i = 0; i < n; i++) {
		const struct rk_cell *c = &m->cells[ix[i]];
		struct tagg *t;

		if (slot[c->task] < 0) {
			slot[c->task] = (int)nt;
			v[nt].task = c->task;
			nt++;
		}
		t = &v[slot[c->task]];
		t->n += c->n;
		t->c += c->c;
		t->succ += c->succ;
		t->excl += c->excl;
		ab_moments_merge(&t->score, &c->score);
		ab_moments_merge(&t->lat, &c->lat);
		ab_moments_merge(&t->ttft, &c->ttft);
		ab_moments_merge(&t->cost, &c->cost);
		ab_moments_merge(&t->tin, &c->tin);
		ab_moments_merge(&t->tout, &c->tout);
		ab_moments_merge(&t->wall, &c->wall);
	}
	free(ix);
	free(slot);
	*nout = nt;
	return v;
}

/* A configuration's summary over a set of tasks. */
struct cstat {
	int cf;
	long attempts, excl, tasks, solved, c, succ, agree, multi;
	double passk[8];
	double powk[8], powlo[8], powhi[8];	/* pass^k and its interval */
	double rate, lo, hi;	/* mean over tasks of the per-task pass rate */
	double noise;		/* noise floor, points (NaN: no repeats) */
	struct ab_moments score, lat, ttft, cost, tin, tout, wall;
	double cost_total;
	struct tagg *t;
	size_t nt;
};

/* The task is the unit of analysis: the pass rate is the mean over tasks
 * of each task's c / n, so a task weighs the same whatever its number of
 * attempts.  Its interval is Wilson's score interval for that mean with
 * the effective number of trials n_eff = T p (1 - p) / v, v the plug-in
 * variance of the per-task rates over the T tasks (the design effect of
 * attempts clustered in tasks), clamped to [T, attempts]; with one
 * attempt per task n_eff = T and it is Wilson's interval for c of T;
 * with one task, n_eff = attempts.  The noise floor, in points: the
 * smallest difference between two configurations of this one's
 * attempt-to-attempt noise distinguishable at the confidence level,
 * z sqrt(2 V), V = sum r (1 - r) / (n - 1) / T2^2 over the T2 tasks with
 * n >= 2 attempts (unbiased binomial variance of each task's rate). */
static void
task_rate(const struct cstat *s, double z, double *rate, double *lo,
    double *hi, double *noise)
{
	double w = 0, T2 = 0;
	long *c = ab_xcalloc(s->nt + 1, sizeof *c);
	long *n = ab_xcalloc(s->nt + 1, sizeof *n);
	size_t i;

	*noise = NAN;
	for (i = 0; i < s->nt; i++) {
		const struct tagg *t = &s->t[i];
		double r;

		c[i] = t->c;
		n[i] = t->n;
		if (t->n < 2)
			continue;
		r = (double)t->c / (double)t->n;
		w += r * (1 - r) / (double)(t->n - 1);
		T2++;
	}
	if (T2 > 0)
		*noise = 100 * z * sqrt(2 * w) / T2;
	ab_wilson_tasks(c, n, s->nt, z, rate, lo, hi);
	free(c);
	free(n);
}

static void
cstat_fill(struct cstat *s, const struct rk_opts *o)
{
	size_t i;
	int k;
	long have[8] = { 0 };
	double sum[8] = { 0 }, z;
	struct ab_moments pw[8];

	for (k = 0; k < 8; k++)
		pw[k] = (struct ab_moments)AB_MOMENTS_INIT;

	for (i = 0; i < s->nt; i++) {
		const struct tagg *t = &s->t[i];

		s->excl += t->excl;
		if (t->n == 0)
			continue;
		s->attempts += t->n;
		s->c += t->c;
		s->succ += t->succ;
		s->tasks++;
		s->solved += t->c > 0;
		if (t->n >= 2) {
			s->multi++;
			s->agree += t->c == 0 || t->c == t->n;
		}
		for (k = 0; k < o->nk; k++) {
			if (t->n >= o->ks[k]) {
				ab_moments_add(&pw[k], ab_pass_pow_k(t->n,
				    t->c, o->ks[k]));
				have[k]++;
				sum[k] += ab_pass_at_k(t->n, t->c, o->ks[k]);
			}
		}
		ab_moments_merge(&s->score, &t->score);
		ab_moments_merge(&s->lat, &t->lat);
		ab_moments_merge(&s->ttft, &t->ttft);
		ab_moments_merge(&s->cost, &t->cost);
		ab_moments_merge(&s->tin, &t->tin);
		ab_moments_merge(&s->tout, &t->tout);
		ab_moments_merge(&s->wall, &t->wall);
	}
	for (k = 0; k < o->nk; k++)
		s->passk[k] = have[k] == 0 ? NAN : sum[k] / (double)have[k];
	/* pass^k: the mean over tasks of C(c, k) / C(n, k); its interval
	 * the normal one over tasks, mean -/+ z sd / sqrt(tasks), clipped to
	 * [0, 1] (null with fewer than two tasks). */
	z = ab_norm_ppf((1 + o->level) / 2);
	for (k = 0; k < o->nk; k++) {
		double h = pw[k].n >= 2 ? z * sqrt(ab_moments_var(&pw[k]) /
		    pw[k].n) : NAN;

		s->powk[k] = pw[k].n > 0 ? pw[k].mean : NAN;
		s->powlo[k] = isnan(h) ? NAN : fmax(0, pw[k].mean - h);
		s->powhi[k] = isnan(h) ? NAN : fmin(1, pw[k].mean + h);
	}
	task_rate(s, z, &s->rate, &s->lo, &s->hi, &s->noise);
	s->cost_total = ab_moments_sum(&s->cost);
}

static void
cstat_make(const struct rk_model *m, const struct rk_opts *o, int cf,
    int run, struct cstat *s)
{
	memset(s, 0, sizeof *s);
	s->cf = cf;
	s->t = tasks_of(m, cf, run, &s->nt);
	cstat_fill(s, o);
}

static double mean_or_nan(const struct ab_moments *mo);

/* NaN-last descending comparison. */
static int
desc(double a, double b)
{
	if (isnan(a) || isnan(b))
		return isnan(a) - isnan(b);
	return a > b ? -1 : a < b;
}

static const struct rk_model *rank_model;

static int
cstat_cmp(const void *a, const void *b)
{
	const struct cstat *x = a, *y = b;
	int r;

	if ((r = desc(x->passk[0], y->passk[0])) != 0)
		return r;
	if ((r = desc(x->rate, y->rate)) != 0)
		return r;
	if ((r = desc(mean_or_nan(&x->score), mean_or_nan(&y->score))) != 0)
		return r;
	/* Cheaper first: compare negated costs. */
	if ((r = desc(-mean_or_nan(&x->cost), -mean_or_nan(&y->cost))) != 0)
		return r;
	if ((r = strcmp(rank_model->configs[x->cf].label,
	    rank_model->configs[y->cf].label)) != 0)
		return r;
	return strcmp(rank_model->configs[x->cf].hash,
	    rank_model->configs[y->cf].hash);
}

/* Every configuration's summary, in rank order; new array of m->nconfigs. */
static struct cstat *
ranked(const struct rk_model *m, const struct rk_opts *o)
{
	struct cstat *s = ab_xcalloc(m->nconfigs + 1, sizeof *s);
	size_t i;

	for (i = 0; i < m->nconfigs; i++)
		cstat_make(m, o, (int)i, -1, &s[i]);
	rank_model = m;
	qsort(s, m->nconfigs, sizeof *s, cstat_cmp);
	return s;
}

static void
cstats_free(struct cstat *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(s[i].t);
	free(s);
}

static double
mean_or_nan(const struct ab_moments *mo)
{
	/* From the compensated sum: independent of the input order. */
	return mo->n > 0 ? ab_moments_sum(mo) / mo->n : NAN;
}

enum metric { M_PASS, M_SCORE, M_COST, M_LATENCY, M_COUNT };
static const char *const metric_name[] = { "correctness", "score", "cost",
	"latency" };

static double
task_value(const struct tagg *t, enum metric k)
{
	switch (k) {
	case M_PASS:
		return t->n ? (double)t->c / (double)t->n : NAN;
	case M_SCORE:
		return mean_or_nan(&t->score);
	case M_COST:
		return mean_or_nan(&t->cost);
	default:
		return mean_or_nan(&t->lat);
	}
}

/* Per-task differences A - B of metric k on shared tasks where both have
 * a value; new array; the two means over those tasks. */
static double *
paired_diffs(const struct tagg *a, size_t na, const struct tagg *b,
    size_t nb, enum metric k, size_t *n, double *ma, double *mb)
{
	double *d = ab_xcalloc(na + 1, sizeof *d), va, vb, sa = 0, sb = 0;
	size_t i = 0, j = 0;

	*n = 0;
	while (i < na && j < nb) {
		if (a[i].task < b[j].task) {
			i++;
		} else if (a[i].task > b[j].task) {
			j++;
		} else {
			va = task_value(&a[i], k);
			vb = task_value(&b[j], k);
			if (!isnan(va) && !isnan(vb) && a[i].n && b[j].n) {
				d[(*n)++] = va - vb;
				sa += va;
				sb += vb;
			}
			i++;
			j++;
		}
	}
	*ma = *n ? sa / (double)*n : NAN;
	*mb = *n ? sb / (double)*n : NAN;
	return d;
}

/* One comparison of A against B on one metric. */
struct cmp {
	enum metric k;
	size_t n;		/* shared tasks */
	double va, vb, diff, pct, lo, hi, p, q;
	double sumsq;		/* sum of squared per-task differences */
	long b, c;		/* tasks where A is better / B is */
};

/* Compare A and B on metric k over the tasks both have a value for, the
 * task being the unit: values are means over those tasks of per-task
 * means (pass rate: c / n), the difference the mean per-task difference,
 * its interval a paired bootstrap over tasks, its p-value the paired
 * sign-flip test on the per-task differences (exact on a lattice, as
 * differences of pass rates are).  Every attempt of a task enters it, so
 * there is no cap on samples. */
static void
compare_metric(const struct tagg *a, size_t na, const struct tagg *b,
    size_t nb, enum metric k, const struct rk_opts *o, uint64_t seed,
    struct cmp *out)
{
	struct ab_boot bt;
	double *d, ma, mb;
	size_t n, i;

	memset(out, 0, sizeof *out);
	out->k = k;
	d = paired_diffs(a, na, b, nb, k, &n, &ma, &mb);
	ab_paired_bootstrap(d, n, o->reps, seed, o->level, &bt);
	out->n = n;
	out->va = ma;
	out->vb = mb;
	out->diff = n ? bt.mean : NAN;
	out->lo = n ? bt.lo : NAN;
	out->hi = n ? bt.hi : NAN;
	out->p = n ? ab_signflip_p(d, n, o->reps, seed) : NAN;
	for (i = 0; i < n; i++) {
		out->sumsq += d[i] * d[i];
		out->b += d[i] > 0;
		out->c += d[i] < 0;
	}
	free(d);
	/* A percent change needs a baseline other than zero: from $0 to
	 * $0.01 has a difference but no percent. */
	out->pct = !isnan(out->diff) && out->vb != 0 && !isnan(out->vb) ?
	    100 * out->diff / fabs(out->vb) : NAN;
	out->q = out->p;
}

/* +1 when A is better, -1 when B is, 0 for no difference. */
static int
better(const struct cmp *c)
{
	if (isnan(c->diff) || c->diff == 0)
		return 0;
	if (c->k == M_COST || c->k == M_LATENCY)
		return c->diff < 0 ? 1 : -1;
	return c->diff > 0 ? 1 : -1;
}

static char *
fmt_p(double p)
{
	if (isnan(p))
		return ab_xstrdup("n/a");
	if (p < 0.001)
		return ab_xstrdup("p < 0.001");
	return ab_xasprintf("p = %.3f", p);
}

/* ---- leaderboard ------------------------------------------------------- */

static const struct rk_col lb_cols[] = {
	{ "rank", "#", RK_INT, 0, false },
	{ "config", "config", RK_STR, 0, false },
	{ "hash", "hash", RK_STR, 0, true },
	{ "attempts", "attempts", RK_INT, 0, false },
	{ "tasks", "tasks", RK_INT, 0, false },
	{ "solved", "solved", RK_INT, 0, false },
	/* pass@k columns are inserted here */
	{ "pass_rate", "pass rate", RK_NUM, 3, false },
	{ "ci_low", "ci low", RK_NUM, 3, false },
	{ "ci_high", "ci high", RK_NUM, 3, false },
	{ "score", "score", RK_NUM, 1, false },
	{ "score_best", "best", RK_NUM, 1, true },
	{ "score_worst", "worst", RK_NUM, 1, true },
	{ "score_sd", "score sd", RK_NUM, 1, true },
	{ "grades", "grades", RK_STR, 0, true },
	{ "success_rate", "success", RK_NUM, 3, true },
	{ "latency_ms", "gen ms", RK_NUM, 0, false },
	{ "ttft_ms", "ttft ms", RK_NUM, 0, true },
	{ "tokens_in", "tokens in", RK_INT, 0, true },
	{ "tokens_out", "tokens out", RK_INT, 0, true },
	{ "cost_usd", "cost $", RK_NUM, 4, false },
	{ "cost_per_solved", "$/solved", RK_NUM, 4, false },
	{ "consistency", "consistency", RK_NUM, 3, true },
	{ "flip_share", "flips", RK_NUM, 3, false },
	{ "noise_floor", "noise pts", RK_NUM, 1, false },
	{ "excluded", "excluded", RK_INT, 0, true },
	{ "status", "status", RK_STR, 0, false },
	{ "p_vs_leader", "p vs leader", RK_NUM, 4, true },
	{ "p_holm", "p holm", RK_NUM, 4, true },
};
#define LB_FIXED 6

static int
cmp_count_key(const void *a, const void *b)
{
	return strcmp(((const struct rk_count *)a)->key,
	    ((const struct rk_count *)b)->key);
}

static char *
grades_text(const struct rk_counts *g)
{
	struct ab_buf b = AB_BUF_INIT;
	struct rk_count *v;
	size_t i;

	if (g->n == 0)
		return NULL;
	v = ab_xcalloc(g->n, sizeof *v);
	memcpy(v, g->v, g->n * sizeof *v);
	qsort(v, g->n, sizeof *v, cmp_count_key);
	for (i = 0; i < g->n; i++)
		ab_buf_addf(&b, "%s%s:%ld", i ? " " : "", v[i].key, v[i].n);
	free(v);
	return ab_buf_detach(&b);
}

void
rk_view_leaderboard(const struct rk_model *m, const struct rk_opts *o,
    struct rk_report *r)
{
	struct rk_col cols[64];
	struct cstat *s = ranked(m, o);
	struct rk_table *t;
	struct rk_val *v;
	char keys[8][16], heads[8][16], pkeys[8][3][24], pheads[8][3][24];
	int nc = 0, k, i;
	size_t c, ncmp;
	double *lp, *lq;
	char *title;

	for (i = 0; i < LB_FIXED; i++)
		cols[nc++] = lb_cols[i];
	for (k = 0; k < o->nk; k++) {
		snprintf(keys[k], sizeof keys[k], "pass@%ld", o->ks[k]);
		snprintf(heads[k], sizeof heads[k], "pass@%ld", o->ks[k]);
		cols[nc++] = (struct rk_col){ keys[k], heads[k], RK_NUM, 3,
		    false };
	}
	for (k = 0; k < o->nk; k++) {
		static const char *const suf[] = { "", "_low", "_high" };
		static const char *const hsuf[] = { "", " low", " high" };
		int j;

		if (o->ks[k] < 2)
			continue;	/* pass^1 is pass@1 */
		for (j = 0; j < 3; j++) {
			snprintf(pkeys[k][j], sizeof pkeys[k][j], "pass^%ld%s",
			    o->ks[k], suf[j]);
			snprintf(pheads[k][j], sizeof pheads[k][j],
			    "pass^%ld%s", o->ks[k], hsuf[j]);
			cols[nc++] = (struct rk_col){ pkeys[k][j],
			    pheads[k][j], RK_NUM, 3, j > 0 };
		}
	}
	for (i = LB_FIXED; i < (int)(sizeof lb_cols / sizeof lb_cols[0]);
	    i++)
		cols[nc++] = lb_cols[i];
	/* Each configuration against the leader: two-sided paired
	 * sign-flip p on per-task pass rates, Holm over the comparisons. */
	lp = ab_xcalloc(m->nconfigs + 1, sizeof *lp);
	lq = ab_xcalloc(m->nconfigs + 1, sizeof *lq);
	for (c = 1, ncmp = 0; c < m->nconfigs; c++) {
		struct cmp x;

		lp[c] = NAN;
		if (s[c].attempts == 0 || s[0].attempts == 0)
			continue;
		compare_metric(s[0].t, s[0].nt, s[c].t, s[c].nt, M_PASS, o,
		    o->seed, &x);
		if (x.n == 0)
			continue;
		lp[c] = x.p;
		lq[ncmp++] = x.p;
	}
	ab_holm(lq, lq, ncmp);
	for (c = m->nconfigs; c-- > 1;)
		lq[c] = isnan(lp[c]) ? NAN : lq[--ncmp];
	for (c = 1, ncmp = 0; c < m->nconfigs; c++)
		ncmp += !isnan(lp[c]);
	title = ncmp == 0 ? ab_xstrdup("Leaderboard") :
	    ab_xasprintf("Leaderboard (status: paired sign-flip test "
	    "against the leader on shared tasks, Holm over %zu)", ncmp);
	t = table_new(r, "leaderboard", title, cols, nc);
	free(title);
	for (c = 0; c < m->nconfigs; c++) {
		const struct rk_config *cf = &m->configs[s[c].cf];
		int col = 0;

		v = row_new(t);
		set_num(&v[col++], (double)(c + 1));
		set_str(&v[col++], cf->label);
		set_str(&v[col++], cf->hash);
		set_num(&v[col++], (double)s[c].attempts);
		set_num(&v[col++], (double)s[c].tasks);
		set_num(&v[col++], (double)s[c].solved);
		for (k = 0; k < o->nk; k++)
			set_num(&v[col++], s[c].passk[k]);
		for (k = 0; k < o->nk; k++) {
			if (o->ks[k] < 2)
				continue;
			set_num(&v[col++], s[c].powk[k]);
			set_num(&v[col++], s[c].powlo[k]);
			set_num(&v[col++], s[c].powhi[k]);
		}
		set_num(&v[col++], s[c].rate);
		set_num(&v[col++], s[c].attempts ? s[c].lo : NAN);
		set_num(&v[col++], s[c].attempts ? s[c].hi : NAN);
		set_num(&v[col++], mean_or_nan(&s[c].score));
		set_num(&v[col++], s[c].score.n ? s[c].score.max : NAN);
		set_num(&v[col++], s[c].score.n ? s[c].score.min : NAN);
		set_num(&v[col++], s[c].score.n > 1 ?
		    sqrt(ab_moments_var(&s[c].score)) : NAN);
		set_strf(&v[col++], grades_text(&cf->grades));
		set_num(&v[col++], s[c].attempts ? (double)s[c].succ /
		    (double)s[c].attempts : NAN);
		set_num(&v[col++], mean_or_nan(&s[c].lat));
		set_num(&v[col++], mean_or_nan(&s[c].ttft));
		set_num(&v[col++], s[c].tin.n ? ab_moments_sum(&s[c].tin) :
		    NAN);
		set_num(&v[col++], s[c].tout.n ? ab_moments_sum(&s[c].tout) :
		    NAN);
		set_num(&v[col++], s[c].cost.n ? s[c].cost_total : NAN);
		set_num(&v[col++], s[c].cost.n && s[c].solved ?
		    s[c].cost_total / (double)s[c].solved : NAN);
		set_num(&v[col++], s[c].multi ? (double)s[c].agree /
		    (double)s[c].multi : NAN);
		set_num(&v[col++], s[c].multi ? 1 - (double)s[c].agree /
		    (double)s[c].multi : NAN);
		set_num(&v[col++], s[c].noise);
		set_num(&v[col++], (double)s[c].excl);
		if (c == 0) {
			set_str(&v[col++], s[c].attempts ? "leader" :
			    s[c].excl ? "no verdicts" : NULL);
			continue;
		}
		/* Indistinguishable from the leader: the paired sign-flip
		 * test on shared tasks, Holm over the comparisons made, or
		 * overlapping intervals when they share none. */
		if (s[c].attempts == 0 || s[0].attempts == 0) {
			set_str(&v[col++], s[c].attempts == 0 ?
			    "no verdicts" : NULL);
			col += 2;
		} else if (!isnan(lp[c])) {
			set_str(&v[col++], lq[c] >= o->alpha ? "tied" :
			    "behind");
			set_num(&v[col++], lp[c]);
			set_num(&v[col++], lq[c]);
		} else {
			set_str(&v[col++], s[c].hi >= s[0].lo ? "tied" :
			    "behind");
			col += 2;
		}
	}
	free(lp);
	free(lq);
	cstats_free(s, m->nconfigs);
}

/* ---- breakdowns ---------------------------------------------------------- */

static const struct rk_col bd_cols[] = {
	{ "by", "by", RK_STR, 0, true },
	{ "value", "value", RK_STR, 0, false },
	{ "config", "config", RK_STR, 0, false },
	{ "attempts", "attempts", RK_INT, 0, false },
	{ "tasks", "tasks", RK_INT, 0, false },
	{ "solved", "solved", RK_INT, 0, false },
	{ "pass@1", "pass@1", RK_NUM, 3, false },
	{ "pass_rate", "pass rate", RK_NUM, 3, false },
	{ "ci_low", "ci low", RK_NUM, 3, false },
	{ "ci_high", "ci high", RK_NUM, 3, false },
	{ "score", "score", RK_NUM, 1, false },
	{ "cost_usd", "cost $", RK_NUM, 4, true },
	{ "latency_ms", "gen ms", RK_NUM, 0, true },
};

static const char *
task_attr(const struct rk_task *t, const char *by)
{
	const char *v = NULL;

	if (strcmp(by, "difficulty") == 0)
		v = t->difficulty;
	else if (strcmp(by, "category") == 0)
		v = t->category;
	else if (strcmp(by, "language") == 0)
		v = t->language;
	else if (strcmp(by, "suite") == 0)
		v = t->suite;
	return v != NULL ? v : "(none)";
}

static int
difficulty_rank(const char *s)
{
	static const char *const d[] = { "easy", "medium", "hard", "extreme",
	    NULL };
	int i;

	for (i = 0; d[i] != NULL; i++)
		if (strcmp(s, d[i]) == 0)
			return i;
	return 99;
}

static int
value_cmp(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	int dx = difficulty_rank(x), dy = difficulty_rank(y);

	if (dx != dy)
		return dx < dy ? -1 : 1;
	return strcmp(x, y);
}

void
rk_view_breakdown(const struct rk_model *m, const struct rk_opts *o,
    struct rk_report *r)
{
	static const char *const defby[] = { "difficulty", "category",
	    "language" };
	struct cstat *s = ranked(m, o), sub;
	struct rk_opts o1 = *o;
	const char **vals;
	struct rk_table *t;
	struct rk_val *v;
	size_t nv, i, j, c, k;
	int d, nby = o->nby ? o->nby : 3;
	char *title;

	o1.nk = 1;
	o1.ks[0] = 1;
	vals = ab_xcalloc(m->ntasks + 1, sizeof *vals);
	for (d = 0; d < nby; d++) {
		const char *by = o->nby ? o->by[d] : defby[d];

		nv = 0;
		for (i = 0; i < m->ntasks; i++) {
			const char *a = task_attr(&m->tasks[i], by);

			for (j = 0; j < nv && strcmp(vals[j], a) != 0; j++)
				;
			if (j == nv)
				vals[nv++] = a;
		}
		qsort(vals, nv, sizeof *vals, value_cmp);
		title = ab_xasprintf("By %s", by);
		t = table_new(r, "breakdown", title, bd_cols,
		    (int)(sizeof bd_cols / sizeof bd_cols[0]));
		free(title);
		for (j = 0; j < nv; j++) {
			for (c = 0; c < m->nconfigs; c++) {
				memset(&sub, 0, sizeof sub);
				sub.cf = s[c].cf;
				sub.t = ab_xcalloc(s[c].nt + 1, sizeof *sub.t);
				for (k = 0; k < s[c].nt; k++)
					if (strcmp(task_attr(&m->tasks[
					    s[c].t[k].task], by), vals[j]) == 0)
						sub.t[sub.nt++] = s[c].t[k];
				cstat_fill(&sub, &o1);
				free(sub.t);
				if (sub.tasks == 0)
					continue;
				v = row_new(t);
				set_str(&v[0], by);
				set_str(&v[1], vals[j]);
				set_str(&v[2], m->configs[sub.cf].label);
				set_num(&v[3], (double)sub.attempts);
				set_num(&v[4], (double)sub.tasks);
				set_num(&v[5], (double)sub.solved);
				set_num(&v[6], sub.passk[0]);
				set_num(&v[7], sub.rate);
				set_num(&v[8], sub.lo);
				set_num(&v[9], sub.hi);
				set_num(&v[10], mean_or_nan(&sub.score));
				set_num(&v[11], sub.cost.n ? sub.cost_total :
				    NAN);
				set_num(&v[12], mean_or_nan(&sub.lat));
			}
		}
	}
	free(vals);
	cstats_free(s, m->nconfigs);
}

static const struct rk_col ag_cols[] = {
	{ "config", "config", RK_STR, 0, false },
	{ "role", "role", RK_STR, 0, false },
	{ "agent", "agent", RK_STR, 0, false },
	{ "model", "model", RK_STR, 0, false },
	{ "calls", "calls", RK_INT, 0, false },
	{ "tokens_in", "tokens in", RK_INT, 0, false },
	{ "tokens_out", "tokens out", RK_INT, 0, false },
	{ "cost_usd", "cost $", RK_NUM, 4, false },
	{ "cost_share", "cost share", RK_NUM, 3, false },
	{ "latency_ms", "mean ms", RK_NUM, 0, false },
	{ "latency_total_ms", "total ms", RK_NUM, 0, true },
};

void
rk_view_agents(const struct rk_model *m, const struct rk_opts *o,
    struct rk_report *r)
{
	struct cstat *s = ranked(m, o);
	struct rk_table *t;
	struct rk_val *v;
	size_t c, i;
	double total;

	t = table_new(r, "agents", "Per agent (gen.calls)", ag_cols,
	    (int)(sizeof ag_cols / sizeof ag_cols[0]));
	for (c = 0; c < m->nconfigs; c++) {
		const struct rk_counts *a = &m->configs[s[c].cf].agents;

		total = 0;
		for (i = 0; i < a->n; i++)
			total += a->v[i].c;
		for (i = 0; i < a->n; i++) {
			v = row_new(t);
			set_str(&v[0], m->configs[s[c].cf].label);
			set_str(&v[1], a->v[i].key[0] ? a->v[i].key : NULL);
			set_str(&v[2], a->v[i].key2[0] ? a->v[i].key2 : NULL);
			set_str(&v[3], a->v[i].key3[0] ? a->v[i].key3 : NULL);
			set_num(&v[4], (double)a->v[i].n);
			set_num(&v[5], a->v[i].a);
			set_num(&v[6], a->v[i].b);
			set_num(&v[7], a->v[i].c);
			set_num(&v[8], total > 0 ? a->v[i].c / total : NAN);
			set_num(&v[9], mean_or_nan(&a->v[i].m));
			set_num(&v[10], a->v[i].m.n ?
			    ab_moments_sum(&a->v[i].m) : NAN);
		}
	}
	cstats_free(s, m->nconfigs);
}

/* ---- head to head ------------------------------------------------------ */

static const struct rk_col cmp_cols[] = {
	{ "a", "A", RK_STR, 0, false },
	{ "b", "B", RK_STR, 0, false },
	{ "metric", "metric", RK_STR, 0, false },
	{ "n", "tasks", RK_INT, 0, false },
	{ "a_value", "A value", RK_NUM, 4, false },
	{ "b_value", "B value", RK_NUM, 4, false },
	{ "diff", "A-B", RK_NUM, 4, false },
	{ "pct_diff", "% diff", RK_NUM, 1, false },
	{ "ci_low", "ci low", RK_NUM, 4, true },
	{ "ci_high", "ci high", RK_NUM, 4, true },
	{ "test", "test", RK_STR, 0, true },
	{ "discordant", "A/B better", RK_STR, 0, true },
	{ "p_value", "p", RK_NUM, 4, false },
	{ "p_holm", "p holm", RK_NUM, 4, false },
	{ "significant", "sig", RK_BOOL, 0, false },
	{ "winner", "winner", RK_STR, 0, false },
};

static const struct rk_col verdict_cols[] = {
	{ "a", "A", RK_STR, 0, false },
	{ "b", "B", RK_STR, 0, false },
	{ "tasks", "shared tasks", RK_INT, 0, false },
	{ "verdict", "verdict", RK_STR, 0, false },
};

static const char *
metric_phrase(enum metric k, int who, const char *a, const char *b,
    char *buf, size_t n, const char *p)
{
	const char *w = who > 0 ? a : b, *l = who > 0 ? b : a;

	switch (k) {
	case M_PASS:
		snprintf(buf, n, "%s beats %s on correctness, %s", w, l, p);
		break;
	case M_SCORE:
		snprintf(buf, n, "%s beats %s on score, %s", w, l, p);
		break;
	case M_COST:
		snprintf(buf, n, "%s is cheaper, %s", w, p);
		break;
	default:
		snprintf(buf, n, "%s is faster, %s", w, p);
		break;
	}
	return buf;
}

int
rk_view_compare(const struct rk_model *m, const struct rk_opts *o,
    struct rk_report *r, struct ab_error *err)
{
	struct cstat *s = ranked(m, o);
	struct rk_table *t, *tv;
	struct cmp *cm;
	int *sel, nsel = 0, i, j, k, x;
	size_t ncm = 0, row, q, shared;
	double *ps;
	struct rk_val *v;
	char buf[512], *pt;
	struct ab_buf verdict = AB_BUF_INIT;

	sel = ab_xcalloc(m->nconfigs + (size_t)o->ncompare + 1, sizeof *sel);
	if (o->ncompare > 0) {
		for (i = 0; i < o->ncompare; i++) {
			x = rk_model_find_config(m, o->compare[i]);
			if (x < 0) {
				free(sel);
				cstats_free(s, m->nconfigs);
				return ab_error_set(err, "usage", "%s: %s "
				    "configuration", o->compare[i], x == -2 ?
				    "ambiguous" : "no such");
			}
			/* Position in rank order. */
			for (j = 0; j < (int)m->nconfigs; j++)
				if (s[j].cf == x)
					sel[nsel++] = j;
		}
	} else {
		for (j = 0; j < (int)m->nconfigs; j++)
			sel[nsel++] = j;
	}
	cm = ab_xcalloc((size_t)(nsel * nsel / 2 + 1) * M_COUNT, sizeof *cm);
	for (i = 0; i < nsel; i++)
		for (j = i + 1; j < nsel; j++)
			for (k = 0; k < M_COUNT; k++)
				compare_metric(s[sel[i]].t, s[sel[i]].nt,
				    s[sel[j]].t, s[sel[j]].nt, (enum metric)k,
				    o, o->seed + (uint64_t)k, &cm[ncm++]);
	/* Holm over every comparison made: those with shared data. */
	ps = ab_xcalloc(ncm + 1, sizeof *ps);
	for (q = 0, shared = 0; q < ncm; q++)
		if (!isnan(cm[q].p))
			ps[shared++] = cm[q].p;
	ab_holm(ps, ps, shared);
	for (q = 0, shared = 0; q < ncm; q++)
		cm[q].q = isnan(cm[q].p) ? NAN : ps[shared++];
	free(ps);

	t = table_new(r, "compare", "Head to head", cmp_cols,
	    (int)(sizeof cmp_cols / sizeof cmp_cols[0]));
	tv = table_new(r, "verdicts", "Verdicts", verdict_cols,
	    (int)(sizeof verdict_cols / sizeof verdict_cols[0]));
	t = &r->t[r->n - 2];	/* table_new may have moved it */
	row = 0;
	for (i = 0; i < nsel; i++) {
		for (j = i + 1; j < nsel; j++) {
			const char *an = m->configs[s[sel[i]].cf].label,
			    *bn = m->configs[s[sel[j]].cf].label;
			const char *sep = "";

			shared = 0;
			for (k = 0; k < M_COUNT; k++, row++) {
				struct cmp *c = &cm[row];
				bool sig = !isnan(c->q) && c->q < o->alpha;
				int who = better(c);

				if (k == M_SCORE || (k == M_PASS &&
				    shared == 0))
					shared = shared > c->n ? shared : c->n;
				v = row_new(t);
				set_str(&v[0], an);
				set_str(&v[1], bn);
				set_str(&v[2], metric_name[k]);
				set_num(&v[3], (double)c->n);
				set_num(&v[4], c->va);
				set_num(&v[5], c->vb);
				set_num(&v[6], c->diff);
				set_num(&v[7], c->pct);
				set_num(&v[8], c->lo);
				set_num(&v[9], c->hi);
				if (c->n > 0) {
					set_str(&v[10], "sign-flip");
					set_strf(&v[11], ab_xasprintf("%ld/%ld",
					    c->b, c->c));
				}
				set_num(&v[12], c->p);
				set_num(&v[13], c->q);
				if (!isnan(c->p))
					set_bool(&v[14], sig);
				set_str(&v[15], c->n == 0 ? NULL : sig &&
				    who != 0 ? (who > 0 ? an : bn) : "tie");
				pt = fmt_p(c->q);
				if (c->n == 0)
					snprintf(buf, sizeof buf, "%s: no "
					    "shared data", metric_name[k]);
				else if (sig && who != 0)
					metric_phrase((enum metric)k, who, an,
					    bn, buf, sizeof buf, pt);
				else
					snprintf(buf, sizeof buf, "%s is a "
					    "tie (%s)", metric_name[k], pt);
				free(pt);
				ab_buf_addf(&verdict, "%s%s", sep, buf);
				sep = "; ";
			}
			v = row_new(tv);
			set_str(&v[0], an);
			set_str(&v[1], bn);
			set_num(&v[2], 0);
			for (k = 0, shared = 0; k < (int)s[sel[i]].nt; k++) {
				size_t z;

				for (z = 0; z < s[sel[j]].nt; z++)
					if (s[sel[j]].t[z].task ==
					    s[sel[i]].t[k].task &&
					    s[sel[j]].t[z].n &&
					    s[sel[i]].t[k].n)
						shared++;
			}
			set_num(&v[2], (double)shared);
			set_strf(&v[3], ab_buf_detach(&verdict));
		}
	}
	ab_buf_release(&verdict);
	free(cm);
	free(sel);
	cstats_free(s, m->nconfigs);
	return 0;
}

/* ---- regressions ---------------------------------------------------------- */

static const struct rk_col health_cols[] = {
	{ "config", "config", RK_STR, 0, false },
	{ "run", "run", RK_STR, 0, false },
	{ "baseline", "baseline", RK_STR, 0, false },
	{ "health", "health", RK_STR, 0, false },
	{ "regressions", "regressions", RK_INT, 0, false },
	{ "improvements", "improvements", RK_INT, 0, false },
	{ "detectable", "detectable pts", RK_NUM, 1, false },
	{ "not_run", "not run", RK_NUM, 1, false },
	{ "not_run_note", "not run because", RK_STR, 0, false },
};

static const struct rk_col reg_cols[] = {
	{ "config", "config", RK_STR, 0, false },
	{ "metric", "metric", RK_STR, 0, false },
	{ "n", "tasks", RK_INT, 0, false },
	{ "baseline", "baseline", RK_NUM, 4, false },
	{ "current", "current", RK_NUM, 4, false },
	{ "change", "change", RK_NUM, 2, false },
	{ "unit", "unit", RK_STR, 0, false },
	{ "ci_low", "ci low", RK_NUM, 2, true },
	{ "ci_high", "ci high", RK_NUM, 2, true },
	{ "p_value", "p worse", RK_NUM, 4, false },
	{ "p_holm", "p holm", RK_NUM, 4, false },
	{ "significant", "sig", RK_BOOL, 0, false },
	{ "direction", "direction", RK_STR, 0, false },
	{ "severity", "severity", RK_STR, 0, false },
	{ "detectable", "detectable", RK_NUM, 2, false },
	{ "gated", "gated", RK_INT, 0, true },
};

static const struct rk_col regt_cols[] = {
	{ "config", "config", RK_STR, 0, false },
	{ "task", "task", RK_STR, 0, false },
	{ "baseline", "baseline", RK_NUM, 3, false },
	{ "current", "current", RK_NUM, 3, false },
	{ "change", "change pts", RK_NUM, 1, false },
	{ "score_change", "score chg", RK_NUM, 1, true },
	{ "p_value", "p worse", RK_NUM, 4, false },
	{ "p_holm", "p holm", RK_NUM, 4, false },
	{ "significant", "sig", RK_BOOL, 0, false },
	{ "direction", "direction", RK_STR, 0, false },
	{ "severity", "severity", RK_STR, 0, false },
};

static const char *const sev_name[] = { "none", "minor", "major",
	"critical" };
static const char *const health_name[] = { "healthy", "degraded",
	"regressed", "critical" };

static int
severity(double mag, const double *thr)
{
	if (isnan(mag))
		return 0;
	if (mag >= thr[2])
		return 3;
	if (mag >= thr[1])
		return 2;
	if (mag >= thr[0])
		return 1;
	return 0;
}

/* Does configuration cf have attempts in run? */
static bool
has_run(const struct rk_model *m, int cf, int run)
{
	size_t i;

	for (i = 0; i < m->ncells; i++)
		if (m->cells[i].config == cf && m->cells[i].run == run &&
		    m->cells[i].n > 0)
			return true;
	return false;
}

struct regrow {
	int cf, k;
	struct cmp c;
	double base, cur, change, lo, hi;
	double pw, pb;		/* one-sided p: worse, better */
	double qw, qb;		/* their Holm adjustments over the family */
	double sd;		/* per-task differences' sd (sign-flip rows) */
	double mde;		/* detectable adverse change at 80% power */
	double scale;		/* change per unit of the metric's difference */
	bool adverse;
	int sev;
};

struct taskrow {
	int cf, task;
	double base, cur, change, dscore, p;
	int sev;
};

/* Configuration cf's attempts in run `run` that were not run: their
 * percent of all its attempts there (NaN with none), and a note naming
 * the causes ("15.0% of attempts were not run: gen:rate_limit 15.0%"),
 * new, or NULL when every attempt ran. */
static double
not_run_of(const struct rk_model *m, int cf, int run, char **note)
{
	const struct rk_counts *nr = &m->configs[cf].notrun;
	struct ab_buf b = AB_BUF_INIT;
	long excl = 0, all = 0;
	size_t i;
	int k = 0;

	*note = NULL;
	for (i = 0; i < m->ncells; i++)
		if (m->cells[i].config == cf && m->cells[i].run == run) {
			excl += m->cells[i].excl;
			all += m->cells[i].n + m->cells[i].excl;
		}
	if (all == 0)
		return NAN;
	if (excl == 0)
		return 0;
	ab_buf_addf(&b, "%.1f%% of attempts were not run:",
	    100.0 * (double)excl / (double)all);
	for (i = 0; i < nr->n; i++)
		if (nr->v[i].key2 != NULL &&
		    strcmp(nr->v[i].key2, m->runs[run].id) == 0)
			ab_buf_addf(&b, "%s %s %.1f%%", k++ ? "," : "",
			    nr->v[i].key, 100.0 * (double)nr->v[i].n /
			    (double)all);
	*note = ab_buf_detach(&b);
	return 100.0 * (double)excl / (double)all;
}

/* The one-sided p-values of row x (current A against baseline B) and its
 * interval in the unit of its change: for every metric the paired
 * sign-flip test on per-task differences (exact for pass rates, which lie
 * on a lattice; with one attempt per task it is the exact one-sided
 * McNemar test). */
static void
one_sided(struct regrow *x, const struct tagg *a, size_t na,
    const struct tagg *b, size_t nb, const struct rk_opts *o)
{
	const struct cmp *c = &x->c;
	double *d, ma, mb, sign;
	size_t n, i;

	x->pw = x->pb = x->sd = NAN;
	/* Cost and latency change in percent of the baseline; from a zero
	 * baseline, in their own unit (dollars, ms). */
	x->scale = x->k == M_PASS ? 100 : x->k == M_SCORE ? 1 :
	    c->vb != 0 && !isnan(c->vb) ? 100 / fabs(c->vb) : 1;
	x->lo = c->lo * x->scale;
	x->hi = c->hi * x->scale;
	d = paired_diffs(a, na, b, nb, x->k, &n, &ma, &mb);
	if (n > 0) {
		/* Worse is lower for correctness and score, higher for
		 * cost and latency: the test is of mean(sign d) < 0. */
		sign = x->k == M_PASS || x->k == M_SCORE ? 1 : -1;
		for (i = 0; i < n; i++)
			d[i] *= sign;
		x->pw = ab_signflip_p_less(d, n, o->reps, o->seed + 17);
		for (i = 0; i < n; i++)
			d[i] = -d[i];
		x->pb = ab_signflip_p_less(d, n, o->reps, o->seed + 19);
		x->sd = sqrt(ab_variance(d, n));
	}
	free(d);
}

/* The smallest adverse change, in the unit of the row's change, that a
 * one-sided test at level alpha detects with 80% power on the row's
 * pairs. */
static double
detectable(const struct regrow *x, double alpha)
{
	if (x->k == M_PASS)
		return 100 * ab_mde_tasks(x->c.n, x->c.sumsq, alpha, 0.8);
	if (isnan(x->sd))
		return NAN;
	return x->scale * ab_mde_mean(x->sd, x->c.n, alpha, 0.8);
}

int
rk_view_regress(const struct rk_model *m, const struct rk_opts *o,
    struct rk_report *r, struct ab_error *err)
{
	struct regrow *rr;
	struct taskrow *tr;
	struct rk_table *th, *tm, *tt;
	struct rk_val *v;
	int cur, base, cf, k, worst = 0, *cbase;
	size_t nrr = 0, ntr = 0, trcap = 64, i, j, na, nb, q, fam;
	struct tagg *ta, *tb;
	double *ps;

	cur = o->current != NULL ? rk_model_find_run(m, o->current) :
	    (int)m->nruns - 1;
	if (o->current != NULL && cur < 0)
		return ab_error_set(err, "usage", "%s: no such run",
		    o->current);
	base = -1;
	if (o->baseline != NULL &&
	    (base = rk_model_find_run(m, o->baseline)) < 0)
		return ab_error_set(err, "usage", "%s: no such run",
		    o->baseline);
	rr = ab_xcalloc(m->nconfigs * M_COUNT + 1, sizeof *rr);
	tr = ab_xcalloc(trcap, sizeof *tr);
	cbase = ab_xcalloc(m->nconfigs + 1, sizeof *cbase);
	th = table_new(r, "health", "Regression health", health_cols,
	    (int)(sizeof health_cols / sizeof health_cols[0]));
	for (cf = 0; cf < (int)m->nconfigs; cf++) {
		int b = base;

		cbase[cf] = -1;
		if (cur < 0 || !has_run(m, cf, cur))
			continue;
		if (b < 0)
			for (b = cur - 1; b >= 0 && !has_run(m, cf, b); b--)
				;
		if (b < 0 || b == cur || !has_run(m, cf, b))
			continue;
		cbase[cf] = b;
		ta = tasks_of(m, cf, b, &na);
		tb = tasks_of(m, cf, cur, &nb);
		for (k = 0; k < M_COUNT; k++) {
			struct regrow *x = &rr[nrr++];

			x->cf = cf;
			x->k = k;
			/* Current minus baseline: A = current. */
			compare_metric(tb, nb, ta, na, (enum metric)k, o,
			    o->seed + (uint64_t)k, &x->c);
			x->base = x->c.vb;
			x->cur = x->c.va;
			one_sided(x, tb, nb, ta, na, o);
			if (k == M_PASS || k == M_SCORE) {
				x->change = x->c.diff * (k == M_PASS ? 100 :
				    1);
				x->adverse = x->change < 0;
				x->sev = x->adverse ? severity(-x->change,
				    o->thr) : 0;
			} else if (x->c.vb == 0 && !isnan(x->c.diff)) {
				/* From zero: the change in dollars or ms,
				 * and any rise is an infinite percent. */
				x->change = x->c.diff;
				x->adverse = x->change > 0;
				x->sev = x->adverse ? severity(INFINITY,
				    o->cthr) : 0;
			} else {
				x->change = x->c.pct;
				x->adverse = x->change > 0;
				x->sev = x->adverse ? severity(x->change,
				    o->cthr) : 0;
			}
		}
		/* Tasks whose pass rate moved. */
		for (i = 0, j = 0; i < na && j < nb;) {
			if (ta[i].task < tb[j].task) {
				i++;
				continue;
			}
			if (ta[i].task > tb[j].task) {
				j++;
				continue;
			}
			if (ta[i].n && tb[j].n && ta[i].c * tb[j].n !=
			    tb[j].c * ta[i].n) {
				struct taskrow *y;

				if (ntr == trcap) {
					trcap *= 2;
					tr = ab_xrealloc(tr, trcap *
					    sizeof *tr);
				}
				y = &tr[ntr++];
				y->cf = cf;
				y->task = ta[i].task;
				y->base = (double)ta[i].c / (double)ta[i].n;
				y->cur = (double)tb[j].c / (double)tb[j].n;
				y->change = 100 * (y->cur - y->base);
				y->dscore = tb[j].score.n && ta[i].score.n ?
				    mean_or_nan(&tb[j].score) -
				    mean_or_nan(&ta[i].score) : NAN;
				/* One-sided, like the gate: is the current
				 * run's rate lower? */
				y->p = ab_fisher_greater(ta[i].c,
				    ta[i].n - ta[i].c, tb[j].c,
				    tb[j].n - tb[j].c);
				y->sev = y->change < 0 ?
				    severity(-y->change, o->thr) : 0;
			}
			i++;
			j++;
		}
		free(ta);
		free(tb);
	}
	/* Holm over the comparisons gated (the metric rows that have a
	 * p-value: the candidate's configurations against their baselines),
	 * once for "worse" and once for "better"; separately over the task
	 * rows. */
	ps = ab_xcalloc(nrr + ntr + 1, sizeof *ps);
	for (q = 0, fam = 0; q < nrr; q++)
		if (!isnan(rr[q].pw))
			ps[fam++] = rr[q].pw;
	ab_holm(ps, ps, fam);
	for (q = 0, j = 0; q < nrr; q++)
		rr[q].qw = isnan(rr[q].pw) ? NAN : ps[j++];
	for (q = 0, j = 0; q < nrr; q++)
		if (!isnan(rr[q].pb))
			ps[j++] = rr[q].pb;
	ab_holm(ps, ps, j);
	for (q = 0, j = 0; q < nrr; q++)
		rr[q].qb = isnan(rr[q].pb) ? NAN : ps[j++];
	/* The smallest adverse change detectable at 80% power at level
	 * alpha / fam, the first and strictest step of Holm's procedure. */
	for (q = 0; q < nrr; q++)
		rr[q].mde = detectable(&rr[q], fam ? o->alpha / (double)fam :
		    o->alpha);
	for (q = 0; q < ntr; q++)
		ps[q] = tr[q].p;
	ab_holm(ps, ps, ntr);

	tm = table_new(r, "regress", "Regressions by metric", reg_cols,
	    (int)(sizeof reg_cols / sizeof reg_cols[0]));
	tt = table_new(r, "regress_tasks", "Tasks that changed", regt_cols,
	    (int)(sizeof regt_cols / sizeof regt_cols[0]));
	/* table_new may have moved the earlier tables. */
	th = &r->t[r->n - 3];
	tm = &r->t[r->n - 2];
	for (cf = 0; cf < (int)m->nconfigs; cf++) {
		int regs = 0, imps = 0, cw = 0;
		bool any = false;
		double pass_mde = NAN, nr;
		char *note;

		for (q = 0; q < nrr; q++) {
			struct regrow *x = &rr[q];
			bool sig = !isnan(x->qw) && x->qw < o->alpha &&
			    x->adverse;
			bool imp = !isnan(x->qb) && x->qb < o->alpha &&
			    !x->adverse && x->change != 0;

			if (x->cf != cf)
				continue;
			any = true;
			if (x->k == M_PASS)
				pass_mde = x->mde;
			v = row_new(tm);
			set_str(&v[0], m->configs[cf].label);
			set_str(&v[1], metric_name[x->k]);
			set_num(&v[2], (double)x->c.n);
			set_num(&v[3], x->base);
			set_num(&v[4], x->cur);
			set_num(&v[5], x->change);
			set_str(&v[6], x->k == M_PASS ? "points" :
			    x->k == M_SCORE ? "score points" :
			    x->c.vb != 0 || isnan(x->c.diff) ? "percent" :
			    x->k == M_COST ? "usd" : "ms");
			set_num(&v[7], x->lo);
			set_num(&v[8], x->hi);
			set_num(&v[9], x->pw);
			set_num(&v[10], x->qw);
			if (!isnan(x->pw))
				set_bool(&v[11], sig || imp);
			set_str(&v[12], isnan(x->change) ? NULL :
			    x->change == 0 ? "same" : x->adverse ? "worse" :
			    "better");
			set_str(&v[13], sev_name[sig ? x->sev : 0]);
			set_num(&v[14], x->mde);
			set_num(&v[15], (double)fam);
			if (sig && x->sev > 0) {
				regs++;
				cw = cw > x->sev ? cw : x->sev;
			} else if (imp) {
				imps++;
			}
		}
		for (q = 0; q < ntr; q++) {
			struct taskrow *y = &tr[q];
			bool sig = ps[q] < o->alpha;

			if (y->cf != cf)
				continue;
			v = row_new(tt);
			set_str(&v[0], m->configs[cf].label);
			set_str(&v[1], m->tasks[y->task].id);
			set_num(&v[2], y->base);
			set_num(&v[3], y->cur);
			set_num(&v[4], y->change);
			set_num(&v[5], y->dscore);
			set_num(&v[6], y->p);
			set_num(&v[7], ps[q]);
			set_bool(&v[8], sig);
			set_str(&v[9], y->change < 0 ? "worse" : "better");
			set_str(&v[10], sev_name[sig ? y->sev : 0]);
			if (sig && y->sev > 0) {
				regs++;
				cw = cw > y->sev ? cw : y->sev;
			}
		}
		if (!any)
			continue;
		v = row_new(th);
		set_str(&v[0], m->configs[cf].label);
		set_str(&v[1], m->runs[cur].id);
		set_str(&v[2], m->runs[cbase[cf]].id);
		set_str(&v[3], health_name[cw]);
		set_num(&v[4], regs);
		set_num(&v[5], imps);
		set_num(&v[6], regs == 0 ? pass_mde : NAN);
		nr = not_run_of(m, cf, cur, &note);
		set_num(&v[7], nr);
		if (note != NULL)
			set_strf(&v[8], note);
		if (o->limit_not_run && nr > o->max_not_run)
			r->not_run_over = true;
		if (regs > 0)
			r->regression = true;
		worst = worst > cw ? worst : cw;
	}
	if (th->nrow > 0) {
		/* The overall verdict, the worst of all. */
		long regs = 0, imps = 0;
		size_t q2;

		for (q2 = 0; q2 < th->nrow; q2++) {
			regs += (long)th->vals[q2 * (size_t)th->ncol + 4].d;
			imps += (long)th->vals[q2 * (size_t)th->ncol + 5].d;
		}
		v = row_new(th);
		set_str(&v[0], "(overall)");
		set_str(&v[1], m->runs[cur].id);
		set_str(&v[3], health_name[worst]);
		set_num(&v[4], (double)regs);
		set_num(&v[5], (double)imps);
	}
	free(r->health);
	r->health = ab_xstrdup(th->nrow ? health_name[worst] : "no baseline");
	free(ps);
	free(rr);
	free(tr);
	free(cbase);
	return 0;
}

/* ---- cost efficiency ----------------------------------------------------- */

static const struct rk_col cost_cols[] = {
	{ "config", "config", RK_STR, 0, false },
	{ "attempts", "attempts", RK_INT, 0, false },
	{ "solved", "solved", RK_INT, 0, false },
	{ "quality", "quality", RK_NUM, 1, false },
	{ "cost_usd", "cost $", RK_NUM, 4, false },
	{ "cost_per_attempt", "$/attempt", RK_NUM, 5, false },
	{ "cost_per_task", "$/task", RK_NUM, 4, true },
	{ "cost_per_solved", "$/solved", RK_NUM, 4, false },
	{ "cost_per_pass", "$/pass", RK_NUM, 4, true },
	{ "score_per_dollar", "quality/$", RK_NUM, 1, false },
	{ "tokens_per_attempt", "tokens/attempt", RK_NUM, 0, true },
	{ "latency_ms", "gen ms", RK_NUM, 0, false },
	{ "pareto_cost", "front $", RK_BOOL, 0, false },
	{ "pareto_time", "front time", RK_BOOL, 0, false },
};

/* The quality a configuration is judged on: mean score when scored, else
 * the pass rate in percent. */
static double
quality(const struct cstat *s)
{
	if (s->score.n > 0)
		return mean_or_nan(&s->score);
	return isnan(s->rate) ? NAN : 100 * s->rate;
}

void
rk_view_cost(const struct rk_model *m, const struct rk_opts *o,
    struct rk_report *r)
{
	struct cstat *s = ranked(m, o);
	size_t n = m->nconfigs, c;
	double *x = ab_xcalloc(n + 1, sizeof *x), *xt, *y;
	unsigned char *fc = ab_xcalloc(n + 1, 1), *ft = ab_xcalloc(n + 1, 1);
	struct rk_table *t;
	struct rk_val *v;
	double cpa, tok;

	xt = ab_xcalloc(n + 1, sizeof *xt);
	y = ab_xcalloc(n + 1, sizeof *y);
	for (c = 0; c < n; c++) {
		x[c] = mean_or_nan(&s[c].cost);
		xt[c] = mean_or_nan(&s[c].lat);
		y[c] = quality(&s[c]);
	}
	ab_pareto(x, y, n, fc);
	ab_pareto(xt, y, n, ft);
	t = table_new(r, "cost", "Cost efficiency", cost_cols,
	    (int)(sizeof cost_cols / sizeof cost_cols[0]));
	for (c = 0; c < n; c++) {
		v = row_new(t);
		cpa = x[c];
		set_str(&v[0], m->configs[s[c].cf].label);
		set_num(&v[1], (double)s[c].attempts);
		set_num(&v[2], (double)s[c].solved);
		set_num(&v[3], y[c]);
		set_num(&v[4], s[c].cost.n ? s[c].cost_total : NAN);
		set_num(&v[5], cpa);
		set_num(&v[6], s[c].cost.n && s[c].tasks ? s[c].cost_total /
		    (double)s[c].tasks : NAN);
		set_num(&v[7], s[c].cost.n && s[c].solved ? s[c].cost_total /
		    (double)s[c].solved : NAN);
		set_num(&v[8], s[c].cost.n && s[c].c ? s[c].cost_total /
		    (double)s[c].c : NAN);
		set_num(&v[9], cpa > 0 ? y[c] / cpa : NAN);
		tok = (s[c].tin.n ? mean_or_nan(&s[c].tin) : 0) +
		    (s[c].tout.n ? mean_or_nan(&s[c].tout) : 0);
		set_num(&v[10], s[c].tin.n || s[c].tout.n ? tok : NAN);
		set_num(&v[11], xt[c]);
		if (!isnan(x[c]) && !isnan(y[c]))
			set_bool(&v[12], fc[c]);
		if (!isnan(xt[c]) && !isnan(y[c]))
			set_bool(&v[13], ft[c]);
	}
	free(x);
	free(xt);
	free(y);
	free(fc);
	free(ft);
	cstats_free(s, n);
}

/* ---- error patterns ------------------------------------------------------ */

static const struct rk_col err_cols[] = {
	{ "config", "config", RK_STR, 0, false },
	{ "kind", "kind", RK_STR, 0, false },
	{ "value", "value", RK_STR, 0, false },
	{ "count", "count", RK_INT, 0, false },
	{ "share", "share", RK_NUM, 3, false },
	{ "examples", "examples", RK_STR, 0, false },
};

static int
count_desc(const void *a, const void *b)
{
	const struct rk_count *x = a, *y = b;

	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->key, y->key);
}

static void
error_rows(struct rk_table *t, const char *label, const char *kind,
    const struct rk_counts *l, long total, int maxex)
{
	struct rk_count *v;
	struct ab_buf b = AB_BUF_INIT;
	struct rk_val *row;
	size_t i;
	int e;

	if (l->n == 0)
		return;
	v = ab_xcalloc(l->n, sizeof *v);
	memcpy(v, l->v, l->n * sizeof *v);
	qsort(v, l->n, sizeof *v, count_desc);
	for (i = 0; i < l->n; i++) {
		row = row_new(t);
		set_str(&row[0], label);
		set_str(&row[1], kind);
		set_str(&row[2], v[i].key);
		set_num(&row[3], (double)v[i].n);
		set_num(&row[4], total ? (double)v[i].n / (double)total : NAN);
		for (e = 0; e < v[i].nex && e < maxex; e++)
			ab_buf_addf(&b, "%s%s", e ? " " : "", v[i].ex[e]);
		set_strf(&row[5], b.len ? ab_buf_detach(&b) : NULL);
	}
	ab_buf_release(&b);
	free(v);
}

void
rk_view_errors(const struct rk_model *m, const struct rk_opts *o,
    struct rk_report *r)
{
	struct cstat *s = ranked(m, o);
	struct rk_table *t;
	size_t c;
	long total;

	t = table_new(r, "errors", "Error patterns", err_cols,
	    (int)(sizeof err_cols / sizeof err_cols[0]));
	for (c = 0; c < m->nconfigs; c++) {
		const struct rk_config *cf = &m->configs[s[c].cf];

		total = s[c].attempts + s[c].excl;
		error_rows(t, cf->label, "verdict", &cf->verdicts, total,
		    o->max_examples);
		error_rows(t, cf->label, "error", &cf->errors, total,
		    o->max_examples);
	}
	cstats_free(s, m->nconfigs);
}

/* ---- trends ---------------------------------------------------------------- */

static const struct rk_col trend_cols[] = {
	{ "config", "config", RK_STR, 0, false },
	{ "run", "run", RK_STR, 0, false },
	{ "started", "started", RK_STR, 0, true },
	{ "attempts", "attempts", RK_INT, 0, false },
	{ "tasks", "tasks", RK_INT, 0, false },
	{ "pass_rate", "pass rate", RK_NUM, 3, false },
	{ "ci_low", "ci low", RK_NUM, 3, true },
	{ "ci_high", "ci high", RK_NUM, 3, true },
	{ "score", "score", RK_NUM, 1, false },
	{ "cost_usd", "cost $", RK_NUM, 4, false },
	{ "latency_ms", "gen ms", RK_NUM, 0, false },
	{ "matched", "matched tasks", RK_INT, 0, false },
	{ "change", "change pts", RK_NUM, 1, false },
	{ "p_value", "p worse", RK_NUM, 4, false },
	{ "regression", "regression", RK_BOOL, 0, false },
};

void
rk_view_trends(const struct rk_model *m, const struct rk_opts *o,
    struct rk_report *r)
{
	struct cstat *s = ranked(m, o), cur, prev;
	struct rk_table *t;
	struct rk_val *v;
	size_t ci;
	int run, have;

	t = table_new(r, "trends", "Trends across runs", trend_cols,
	    (int)(sizeof trend_cols / sizeof trend_cols[0]));
	for (ci = 0; ci < m->nconfigs; ci++) {
		have = 0;
		memset(&prev, 0, sizeof prev);
		for (run = 0; run < (int)m->nruns; run++) {
			if (!has_run(m, s[ci].cf, run))
				continue;
			cstat_make(m, o, s[ci].cf, run, &cur);
			v = row_new(t);
			set_str(&v[0], m->configs[s[ci].cf].label);
			set_str(&v[1], m->runs[run].id);
			set_str(&v[2], m->runs[run].started);
			set_num(&v[3], (double)cur.attempts);
			set_num(&v[4], (double)cur.tasks);
			set_num(&v[5], cur.rate);
			set_num(&v[6], cur.lo);
			set_num(&v[7], cur.hi);
			set_num(&v[8], mean_or_nan(&cur.score));
			set_num(&v[9], cur.cost.n ? cur.cost_total : NAN);
			set_num(&v[10], mean_or_nan(&cur.lat));
			if (have) {
				/* On the tasks both runs have, like the
				 * gate: the mean per-task change and the
				 * one-sided sign-flip p for "worse". */
				double *d, ma, mb, pw;
				size_t nd;

				d = paired_diffs(cur.t, cur.nt, prev.t,
				    prev.nt, M_PASS, &nd, &ma, &mb);
				pw = nd ? ab_signflip_p_less(d, nd, o->reps,
				    o->seed + 17) : NAN;
				set_num(&v[11], (double)nd);
				set_num(&v[12], nd ? 100 * (ma - mb) : NAN);
				set_num(&v[13], pw);
				if (!isnan(pw))
					set_bool(&v[14], pw < o->alpha &&
					    ma < mb);
				free(d);
				free(prev.t);
			}
			prev = cur;
			have = 1;
		}
		if (have)
			free(prev.t);
	}
	cstats_free(s, m->nconfigs);
}

/* ---- consistency over repeated attempts ---------------------------------- */

static const struct rk_col cons_cols[] = {
	{ "config", "config", RK_STR, 0, false },
	{ "task", "task", RK_STR, 0, false },
	{ "attempts", "attempts", RK_INT, 0, false },
	{ "passed", "passed", RK_INT, 0, false },
	{ "flip_rate", "flip rate", RK_NUM, 3, false },
};

/* A task's flip rate: the probability that two distinct attempts of it
 * disagree, 2 c (n - c) / (n (n - 1)), unbiased from n >= 2 attempts. */
static double
flip_rate(long n, long c)
{
	return n < 2 ? NAN : 2.0 * (double)c * (double)(n - c) /
	    ((double)n * (double)(n - 1));
}

static const struct tagg *flip_tasks;

static int
flip_cmp(const void *a, const void *b)
{
	const struct tagg *x = &flip_tasks[*(const size_t *)a],
	    *y = &flip_tasks[*(const size_t *)b];
	int r = desc(flip_rate(x->n, x->c), flip_rate(y->n, y->c));

	if (r != 0)
		return r;
	return x->task < y->task ? -1 : x->task > y->task;
}

void
rk_view_consistency(const struct rk_model *m, const struct rk_opts *o,
    struct rk_report *r)
{
	struct cstat *s = ranked(m, o);
	struct rk_table *t;
	struct rk_val *v;
	size_t c, i, k, n, *ix;

	t = table_new(r, "consistency", "Tasks whose verdict flips most "
	    "between attempts", cons_cols,
	    (int)(sizeof cons_cols / sizeof cons_cols[0]));
	for (c = 0; c < m->nconfigs; c++) {
		ix = ab_xcalloc(s[c].nt + 1, sizeof *ix);
		for (i = 0, n = 0; i < s[c].nt; i++)
			if (s[c].t[i].n >= 2 && s[c].t[i].c > 0 &&
			    s[c].t[i].c < s[c].t[i].n)
				ix[n++] = i;
		flip_tasks = s[c].t;
		qsort(ix, n, sizeof *ix, flip_cmp);
		for (k = 0; k < n && k < RK_FLIP_ROWS; k++) {
			const struct tagg *x = &s[c].t[ix[k]];

			v = row_new(t);
			set_str(&v[0], m->configs[s[c].cf].label);
			set_str(&v[1], m->tasks[x->task].id);
			set_num(&v[2], (double)x->n);
			set_num(&v[3], (double)x->c);
			set_num(&v[4], flip_rate(x->n, x->c));
		}
		free(ix);
	}
	cstats_free(s, m->nconfigs);
}

/* ---- planning: power -------------------------------------------------------- */

static const struct rk_col pw_cols[] = {
	{ "config", "config", RK_STR, 0, false },
	{ "tasks", "tasks", RK_INT, 0, false },
	{ "samples", "samples/task", RK_NUM, 2, false },
	{ "within_var", "within var", RK_NUM, 4, true },
	{ "repeated", "from repeats", RK_BOOL, 0, true },
	{ "detectable", "detectable pts", RK_NUM, 1, false },
};

static const struct rk_col plan_cols[] = {
	{ "config", "config", RK_STR, 0, false },
	{ "drop", "drop pts", RK_NUM, 0, false },
	{ "samples", "samples/task", RK_INT, 0, false },
	{ "tasks_needed", "tasks needed", RK_INT, 0, false },
	{ "attempts_needed", "attempts", RK_INT, 0, false },
};

/* The planning model.  Two configurations compared on the same T tasks
 * with n attempts each by the paired per-task test: a task's difference
 * of pass rates has the variance 2 w / n, w the mean within-task
 * variance p (1 - p) of one attempt, estimated from the pilot's tasks
 * with n >= 2 attempts as the mean of r (1 - r) n / (n - 1) (unbiased);
 * without repeats, p (1 - p) of the mean rate (every task a coin of the
 * mean rate, the most pessimistic).  A one-sided test at level alpha
 * with 80% power detects D when (z(1 - alpha) + z(0.8))^2 2 w / n <=
 * T D^2; the sign-flip test also needs 2^-T <= alpha. */
static double
within_var(const struct cstat *s, bool *repeated)
{
	double w = 0, k = 0, sr = 0, T = 0, r;
	size_t i;

	for (i = 0; i < s->nt; i++) {
		const struct tagg *t = &s->t[i];

		if (t->n == 0)
			continue;
		r = (double)t->c / (double)t->n;
		sr += r;
		T++;
		if (t->n >= 2) {
			w += r * (1 - r) * (double)t->n / (double)(t->n - 1);
			k++;
		}
	}
	*repeated = k > 0;
	if (k > 0)
		return w / k;
	return T > 0 ? (sr / T) * (1 - sr / T) : NAN;
}

void
rk_view_power(const struct rk_model *m, const struct rk_opts *o,
    struct rk_report *r)
{
	static const double def_drops[] = { 1, 2, 3, 5, 10, 20 };
	static const long def_samples[] = { 1, 3, 5, 10 };
	const double *drops = o->ndrops > 0 ? o->drops : def_drops;
	const long *samples = o->nsamples > 0 ? o->samples : def_samples;
	size_t ndrops = o->ndrops > 0 ? (size_t)o->ndrops :
	    sizeof def_drops / sizeof def_drops[0];
	size_t nsamples = o->nsamples > 0 ? (size_t)o->nsamples :
	    sizeof def_samples / sizeof def_samples[0];
	struct cstat *s = ranked(m, o);
	struct rk_table *t, *tp;
	struct rk_val *v;
	size_t c, i, a, b;
	double zz, w, inv, T, need, tmin;
	bool rep;

	zz = ab_norm_ppf(1 - o->alpha) + ab_norm_ppf(0.8);
	tmin = ceil(-log2(o->alpha) - 1e-12);
	t = table_new(r, "power", "What this run could have detected (80% "
	    "power, one-sided)", pw_cols,
	    (int)(sizeof pw_cols / sizeof pw_cols[0]));
	tp = table_new(r, "power_plan", "Tasks needed for a drop (80% "
	    "power, one-sided)", plan_cols,
	    (int)(sizeof plan_cols / sizeof plan_cols[0]));
	t = &r->t[r->n - 2];	/* table_new may have moved it */
	for (c = 0; c < m->nconfigs; c++) {
		if (s[c].tasks == 0)
			continue;
		w = within_var(&s[c], &rep);
		for (i = 0, inv = 0, T = 0; i < s[c].nt; i++) {
			if (s[c].t[i].n == 0)
				continue;
			inv += 1 / (double)s[c].t[i].n;
			T++;
		}
		v = row_new(t);
		set_str(&v[0], m->configs[s[c].cf].label);
		set_num(&v[1], T);
		set_num(&v[2], T / inv);	/* harmonic mean */
		set_num(&v[3], w);
		set_bool(&v[4], rep);
		set_num(&v[5], T >= tmin ? 100 * zz * sqrt(2 * w * inv) / T :
		    NAN);
		for (a = 0; a < ndrops; a++) {
			for (b = 0; b < nsamples; b++) {
				double d = drops[a] / 100;

				need = ceil(zz * zz * 2 * w /
				    (double)samples[b] / (d * d) - 1e-9);
				need = fmax(need, tmin);
				v = row_new(tp);
				set_str(&v[0], m->configs[s[c].cf].label);
				set_num(&v[1], drops[a]);
				set_num(&v[2], (double)samples[b]);
				set_num(&v[3], need);
				set_num(&v[4], need * (double)samples[b]);
			}
		}
	}
	cstats_free(s, m->nconfigs);
}

int
rk_parse_plan_list(const char *s, bool want_drops, struct rk_opts *o,
    struct ab_error *err)
{
	double d[RK_MAX_PLAN];
	long l[RK_MAX_PLAN];
	struct ab_error e;
	char *copy = ab_xstrdup(s), *p = copy, *tok;
	int n = 0, i;

	while ((tok = strsep(&p, ",")) != NULL) {
		if (n == RK_MAX_PLAN) {
			free(copy);
			return ab_error_set(err, "usage", "at most %d values",
			    RK_MAX_PLAN);
		}
		if (*tok == '\0') {
			free(copy);
			return ab_error_set(err, "usage", "an empty value in "
			    "the list");
		}
		if (want_drops ? ab_parse_double(tok, 0, 100, &d[n], &e) < 0 ||
		    !(d[n] > 0) : ab_parse_long(tok, 1, 100000, &l[n],
		    &e) < 0) {
			ab_error_set(err, "usage", "%s: expected %s", tok,
			    want_drops ? "a drop in points above 0, at most "
			    "100, e.g. 2,5,10" : "attempts per task from 1 "
			    "to 100000, e.g. 1,3,5");
			free(copy);
			return -1;
		}
		if (n > 0 && (want_drops ? d[n] <= d[n - 1] : l[n] <=
		    l[n - 1])) {
			ab_error_set(err, "usage", "%s: values must increase",
			    tok);
			free(copy);
			return -1;
		}
		n++;
	}
	free(copy);
	for (i = 0; i < n; i++)
		if (want_drops)
			o->drops[i] = d[i];
		else
			o->samples[i] = l[i];
	if (want_drops)
		o->ndrops = n;
	else
		o->nsamples = n;
	return 0;
}

/* ---- for views in other files (trials.c) ---------------------------------- */

struct rk_table *
rk_table_add(struct rk_report *r, const char *name, const char *title,
    const struct rk_col *cols, int ncol)
{
	return table_new(r, name, title, cols, ncol);
}

struct rk_val *
rk_table_row(struct rk_table *t)
{
	return row_new(t);
}

void
rk_val_str(struct rk_val *v, const char *s)
{
	set_str(v, s);
}

void
rk_val_num(struct rk_val *v, double d)
{
	set_num(v, d);
}

int *
rk_config_order(const struct rk_model *m, const struct rk_opts *o)
{
	struct cstat *s = ranked(m, o);
	int *order = ab_xcalloc(m->nconfigs + 1, sizeof *order);
	size_t i;

	for (i = 0; i < m->nconfigs; i++)
		order[i] = s[i].cf;
	cstats_free(s, m->nconfigs);
	return order;
}
