/*
 * load.c - ab-rank's load view: the records of ab-gen --load grouped by
 * run, configuration and load level, with latency percentiles, throughput,
 * goodput under a latency target, errors by kind, stop reasons, breaking
 * points and the resilience of an endpoint after a spike.
 *
 * Records are few enough (one per request of a bounded run) to be held
 * as numbers in memory: a few doubles a request, and the gaps between
 * tokens.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "stats.h"

struct vec {
	double *v;
	size_t n, cap;
};

struct point {
	double sched, e2e;
	bool ok;
};

struct lgroup {
	char *run, *config, *phase, *unit, *profile;
	long step;
	double level;
	long n, ok, errors, good, tok_out;
	struct vec ttft, tpot, itl, e2e, late;
	double t_first, t_last;
	json_t *kinds;		/* kind -> count */
	struct point *pts;	/* spike resilience */
	size_t npts, cappts;
};

struct rk_load {
	struct rk_slo slo;
	char **runs, **configs;
	int nruns, nconfigs;
	struct lgroup *g;
	size_t ng, capg;
	json_t *summaries;	/* [{"run", "config", "load"}] */
	long count, warmups;
};

static void
vpush(struct vec *x, double d)
{
	if (!isfinite(d))
		return;
	if (x->n == x->cap) {
		x->cap = x->cap ? x->cap * 2 : 64;
		x->v = ab_xrealloc(x->v, x->cap * sizeof *x->v);
	}
	x->v[x->n++] = d;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void
vsort(struct vec *x)
{
	if (x->n > 1)
		qsort(x->v, x->n, sizeof *x->v, cmp_double);
}

static double
vq(const struct vec *x, double q)
{
	return x->n > 0 ? ab_quantile_sorted(x->v, x->n, q) : NAN;
}

struct rk_load *
rk_load_new(const struct rk_slo *slo, char **runs, int nruns,
    char **configs, int nconfigs)
{
	struct rk_load *l = ab_xcalloc(1, sizeof *l);

	if (slo != NULL)
		l->slo = *slo;
	l->runs = runs;
	l->nruns = nruns;
	l->configs = configs;
	l->nconfigs = nconfigs;
	l->summaries = json_array();
	return l;
}

static bool
wanted(char **list, int n, const char *s)
{
	int i;

	if (n == 0)
		return true;
	for (i = 0; i < n; i++)
		if (s != NULL && strcmp(list[i], s) == 0)
			return true;
	return false;
}

static double
num(const json_t *j, const char *path)
{
	json_t *v = ab_get(j, path);

	return json_is_number(v) ? json_number_value(v) : NAN;
}

static struct lgroup *
group_of(struct rk_load *l, const char *run, const char *config,
    const json_t *ld)
{
	const char *phase = ab_get_str(ld, "phase");
	long step = (long)num(ld, "step");
	struct lgroup *g;
	size_t i;

	for (i = 0; i < l->ng; i++) {
		g = &l->g[i];
		if (g->step == step && strcmp(g->run, run) == 0 &&
		    strcmp(g->config, config) == 0)
			return g;
	}
	if (l->ng == l->capg) {
		l->capg = l->capg ? l->capg * 2 : 16;
		l->g = ab_xrealloc(l->g, l->capg * sizeof *l->g);
	}
	g = &l->g[l->ng++];
	memset(g, 0, sizeof *g);
	g->run = ab_xstrdup(run);
	g->config = ab_xstrdup(config);
	g->phase = ab_xstrdup(phase != NULL ? phase : "");
	g->unit = ab_xstrdup(ab_get_str(ld, "unit") != NULL ?
	    ab_get_str(ld, "unit") : "");
	g->profile = ab_xstrdup(ab_get_str(ld, "profile") != NULL ?
	    ab_get_str(ld, "profile") : "");
	g->step = step;
	g->level = num(ld, "level");
	g->t_first = INFINITY;
	g->t_last = -INFINITY;
	g->kinds = json_object();
	return g;
}

bool
rk_load_add(struct rk_load *l, const json_t *rec)
{
	const json_t *ld = json_object_get(rec, "load"), *v;
	const char *run = ab_get_str(rec, "run");
	const char *config = ab_get_str(rec, "config.name");
	const char *kind;
	struct lgroup *g;
	double ttft, tpot, e2e, sched, end, itl_max;
	bool ok, good;
	size_t i;

	if (!json_is_object(ld) || run == NULL || config == NULL)
		return false;
	if (!wanted(l->runs, l->nruns, run) ||
	    !wanted(l->configs, l->nconfigs, config))
		return true;
	l->count++;
	if (json_is_true(json_object_get(ld, "summary"))) {
		json_array_append_new(l->summaries, json_pack("{s:s, s:s, "
		    "s:O}", "run", run, "config", config, "load", ld));
		return true;
	}
	if (json_is_true(json_object_get(ld, "warmup"))) {
		l->warmups++;
		return true;
	}
	g = group_of(l, run, config, ld);
	g->n++;
	ok = json_is_string(json_object_get(ld, "status")) &&
	    strcmp(ab_get_str(ld, "status"), "ok") == 0;
	ttft = num(ld, "ttft_ms");
	tpot = num(ld, "tpot_ms");
	e2e = num(ld, "e2e_ms");
	sched = num(ld, "scheduled_ms");
	end = num(ld, "end_ms");
	if (isfinite(sched))
		g->t_first = fmin(g->t_first, sched);
	if (isfinite(end))
		g->t_last = fmax(g->t_last, end);
	vpush(&g->late, num(ld, "lateness_ms"));
	if (g->npts == g->cappts) {
		g->cappts = g->cappts ? g->cappts * 2 : 64;
		g->pts = ab_xrealloc(g->pts, g->cappts * sizeof *g->pts);
	}
	g->pts[g->npts++] = (struct point){ sched, e2e, ok };
	if (!ok) {
		json_t *c;

		g->errors++;
		kind = ab_get_str(ld, "error.kind");
		kind = kind != NULL ? kind : "unknown";
		c = json_object_get(g->kinds, kind);
		json_object_set_new(g->kinds, kind, json_integer(c != NULL ?
		    json_integer_value(c) + 1 : 1));
		return true;
	}
	g->ok++;
	g->tok_out += (long)num(ld, "tokens.out");
	vpush(&g->ttft, ttft);
	vpush(&g->tpot, tpot);
	vpush(&g->e2e, e2e);
	itl_max = num(ld, "itl.max_ms");
	json_array_foreach(json_object_get(ld, "itl_ms"), i, v)
		if (json_is_number(v))
			vpush(&g->itl, json_number_value(v));
	good = (l->slo.ttft <= 0 || (isfinite(ttft) && ttft <= l->slo.ttft)) &&
	    (l->slo.tpot <= 0 || !isfinite(tpot) || tpot <= l->slo.tpot) &&
	    (l->slo.itl <= 0 || !isfinite(itl_max) || itl_max <= l->slo.itl) &&
	    (l->slo.e2e <= 0 || (isfinite(e2e) && e2e <= l->slo.e2e));
	if (good)
		g->good++;
	return true;
}

long
rk_load_count(const struct rk_load *l)
{
	return l->count;
}

static int
cmp_group(const void *a, const void *b)
{
	const struct lgroup *x = a, *y = b;
	int c;

	if ((c = strcmp(x->run, y->run)) != 0)
		return c;
	if ((c = strcmp(x->config, y->config)) != 0)
		return c;
	return x->step < y->step ? -1 : x->step > y->step;
}

static int
cmp_point(const void *a, const void *b)
{
	const struct point *x = a, *y = b;

	return x->sched < y->sched ? -1 : x->sched > y->sched;
}

#define PCTS 5
static const double pct_q[PCTS] = { 0.5, 0.9, 0.95, 0.99, 0.999 };
static const char *const pct_key[PCTS] = { "p50", "p90", "p95", "p99",
	"p99.9" };
static const char *const metrics[4] = { "ttft", "tpot", "itl", "e2e" };

static void
main_table(struct rk_load *l, struct rk_report *r)
{
	struct rk_col cols[13 + 4 * PCTS + 1];
	char keys[4 * PCTS][24], heads[4 * PCTS][24];
	struct rk_table *t;
	struct rk_val *v;
	struct vec *mv[4];
	double span;
	size_t i;
	int n = 0, k, q, c;

	cols[n++] = (struct rk_col){ "config", "configuration", RK_STR, 0,
	    false };
	cols[n++] = (struct rk_col){ "run", "run", RK_STR, 0, true };
	cols[n++] = (struct rk_col){ "profile", "profile", RK_STR, 0, true };
	cols[n++] = (struct rk_col){ "phase", "phase", RK_STR, 0, false };
	cols[n++] = (struct rk_col){ "level", "level", RK_NUM, 1, false };
	cols[n++] = (struct rk_col){ "unit", "unit", RK_STR, 0, false };
	cols[n++] = (struct rk_col){ "requests", "n", RK_INT, 0, false };
	cols[n++] = (struct rk_col){ "errors", "err", RK_INT, 0, false };
	cols[n++] = (struct rk_col){ "error_rate", "err%", RK_NUM, 1, true };
	cols[n++] = (struct rk_col){ "req_s", "req/s", RK_NUM, 1, false };
	cols[n++] = (struct rk_col){ "tok_s", "tok/s", RK_NUM, 0, false };
	cols[n++] = (struct rk_col){ "goodput_req_s", "good/s", RK_NUM, 1,
	    false };
	cols[n++] = (struct rk_col){ "goodput_pct", "good%", RK_NUM, 1,
	    false };
	for (k = 0; k < 4; k++)
		for (q = 0; q < PCTS; q++) {
			c = k * PCTS + q;
			snprintf(keys[c], sizeof keys[c], "%s_%s_ms",
			    metrics[k], pct_key[q]);
			snprintf(heads[c], sizeof heads[c], "%s %s",
			    metrics[k], pct_key[q]);
			cols[n++] = (struct rk_col){ keys[c], heads[c], RK_NUM,
			    1, q == 2 || q == 4 || k == 2 };
		}
	cols[n++] = (struct rk_col){ "lateness_p99_ms", "late p99", RK_NUM, 3,
	    true };
	t = rk_table_add(r, "load", "Load: latency (ms) and throughput per "
	    "configuration and load level", cols, n);
	for (i = 0; i < l->ng; i++) {
		struct lgroup *g = &l->g[i];

		v = rk_table_row(t);
		rk_val_str(&v[0], g->config);
		rk_val_str(&v[1], g->run);
		rk_val_str(&v[2], g->profile);
		rk_val_str(&v[3], g->phase);
		rk_val_num(&v[4], g->level);
		rk_val_str(&v[5], g->unit);
		rk_val_num(&v[6], (double)g->n);
		rk_val_num(&v[7], (double)g->errors);
		rk_val_num(&v[8], g->n > 0 ? 100.0 * (double)g->errors /
		    (double)g->n : NAN);
		span = (g->t_last - g->t_first) / 1000;
		rk_val_num(&v[9], span > 0 ? (double)g->ok / span : NAN);
		rk_val_num(&v[10], span > 0 ? (double)g->tok_out / span :
		    NAN);
		rk_val_num(&v[11], span > 0 ? (double)g->good / span : NAN);
		rk_val_num(&v[12], g->n > 0 ? 100.0 * (double)g->good /
		    (double)g->n : NAN);
		mv[0] = &g->ttft;
		mv[1] = &g->tpot;
		mv[2] = &g->itl;
		mv[3] = &g->e2e;
		for (k = 0; k < 4; k++) {
			vsort(mv[k]);
			for (q = 0; q < PCTS; q++)
				rk_val_num(&v[13 + k * PCTS + q],
				    vq(mv[k], pct_q[q]));
		}
		vsort(&g->late);
		rk_val_num(&v[13 + 4 * PCTS], vq(&g->late, 0.99));
	}
}

static void
errors_table(struct rk_load *l, struct rk_report *r)
{
	static const struct rk_col cols[] = {
		{ "config", "configuration", RK_STR, 0, false },
		{ "run", "run", RK_STR, 0, true },
		{ "phase", "phase", RK_STR, 0, false },
		{ "level", "level", RK_NUM, 1, false },
		{ "kind", "error", RK_STR, 0, false },
		{ "n", "n", RK_INT, 0, false },
		{ "rate", "rate%", RK_NUM, 1, false },
	};
	struct rk_table *t;
	struct rk_val *v;
	const char *k;
	json_t *c;
	size_t i;

	t = rk_table_add(r, "load_errors", "Load: errors by kind", cols,
	    (int)(sizeof cols / sizeof *cols));
	for (i = 0; i < l->ng; i++) {
		struct lgroup *g = &l->g[i];

		json_object_foreach(g->kinds, k, c) {
			v = rk_table_row(t);
			rk_val_str(&v[0], g->config);
			rk_val_str(&v[1], g->run);
			rk_val_str(&v[2], g->phase);
			rk_val_num(&v[3], g->level);
			rk_val_str(&v[4], k);
			rk_val_num(&v[5], (double)json_integer_value(c));
			rk_val_num(&v[6], 100.0 *
			    (double)json_integer_value(c) / (double)g->n);
		}
	}
}

static void
runs_table(struct rk_load *l, struct rk_report *r)
{
	static const struct rk_col cols[] = {
		{ "config", "configuration", RK_STR, 0, false },
		{ "run", "run", RK_STR, 0, true },
		{ "profile", "profile", RK_STR, 0, false },
		{ "requests", "n", RK_INT, 0, false },
		{ "warmups", "warm-up", RK_INT, 0, false },
		{ "errors", "err", RK_INT, 0, false },
		{ "stopped", "stopped", RK_STR, 0, false },
		{ "breaking_level", "breaks at", RK_NUM, 1, false },
		{ "last_good_level", "last good", RK_NUM, 1, false },
		{ "unit", "unit", RK_STR, 0, false },
		{ "why", "why", RK_STR, 0, false },
		{ "lateness_p50_ms", "late p50", RK_NUM, 3, true },
		{ "lateness_p99_ms", "late p99", RK_NUM, 3, false },
		{ "lateness_max_ms", "late max", RK_NUM, 3, true },
	};
	struct rk_table *t;
	struct rk_val *v;
	json_t *s, *ld, *st, *bp;
	size_t i;

	t = rk_table_add(r, "load_runs", "Load: runs, stops and breaking "
	    "points", cols, (int)(sizeof cols / sizeof *cols));
	json_array_foreach(l->summaries, i, s) {
		ld = json_object_get(s, "load");
		st = json_object_get(ld, "stopped");
		bp = json_object_get(ld, "breaking_point");
		v = rk_table_row(t);
		rk_val_str(&v[0], ab_get_str(s, "config"));
		rk_val_str(&v[1], ab_get_str(s, "run"));
		rk_val_str(&v[2], ab_get_str(ld, "profile"));
		rk_val_num(&v[3], num(ld, "requests"));
		rk_val_num(&v[4], num(ld, "warmups"));
		rk_val_num(&v[5], num(ld, "errors"));
		if (json_is_object(st)) {
			char *m = ab_xasprintf("%s: %s",
			    ab_get_str(st, "reason") ? ab_get_str(st,
			    "reason") : "?", ab_get_str(st, "message") ?
			    ab_get_str(st, "message") : "");

			rk_val_str(&v[6], m);
			free(m);
		}
		if (json_is_object(bp)) {
			rk_val_num(&v[7], num(bp, "level"));
			rk_val_num(&v[8], num(bp, "last_good"));
			rk_val_str(&v[9], ab_get_str(bp, "unit"));
			rk_val_str(&v[10], ab_get_str(bp, "why"));
		}
		rk_val_num(&v[11], num(ld, "lateness_ms.p50"));
		rk_val_num(&v[12], num(ld, "lateness_ms.p99"));
		rk_val_num(&v[13], num(ld, "lateness_ms.max"));
	}
}

/* After a spike: how many requests failed, and how long after it ended
 * latency came back (every later request of the recovery phase succeeded
 * within twice the base phase's p90 end-to-end latency). */
static void
spike_table(struct rk_load *l, struct rk_report *r)
{
	static const struct rk_col cols[] = {
		{ "config", "configuration", RK_STR, 0, false },
		{ "run", "run", RK_STR, 0, true },
		{ "base_e2e_p90_ms", "base p90", RK_NUM, 1, false },
		{ "spike_e2e_p99_ms", "spike p99", RK_NUM, 1, false },
		{ "spike_errors", "spike err", RK_INT, 0, false },
		{ "recovery_errors", "after err", RK_INT, 0, false },
		{ "recovered", "recovered", RK_BOOL, 0, false },
		{ "recovery_ms", "recovery ms", RK_NUM, 0, false },
	};
	struct rk_table *t = NULL;
	struct rk_val *v;
	struct lgroup *base, *spike, *rec;
	double lim, start;
	size_t i, k, last_bad;
	bool any_bad;

	for (i = 0; i + 2 < l->ng; i++) {
		base = &l->g[i];
		spike = &l->g[i + 1];
		rec = &l->g[i + 2];
		if (strcmp(base->phase, "base") != 0 ||
		    strcmp(spike->phase, "spike") != 0 ||
		    strcmp(rec->phase, "recovery") != 0 ||
		    strcmp(base->run, rec->run) != 0 ||
		    strcmp(base->config, rec->config) != 0)
			continue;
		if (t == NULL)
			t = rk_table_add(r, "load_spike", "Load: resilience "
			    "after a spike", cols,
			    (int)(sizeof cols / sizeof *cols));
		v = rk_table_row(t);
		rk_val_str(&v[0], base->config);
		rk_val_str(&v[1], base->run);
		rk_val_num(&v[2], vq(&base->e2e, 0.9));
		rk_val_num(&v[3], vq(&spike->e2e, 0.99));
		rk_val_num(&v[4], (double)spike->errors);
		rk_val_num(&v[5], (double)rec->errors);
		lim = 2 * vq(&base->e2e, 0.9);
		if (rec->npts > 1)
			qsort(rec->pts, rec->npts, sizeof *rec->pts,
			    cmp_point);
		start = spike->t_first;
		for (k = 0; k < spike->npts; k++)
			start = fmax(start, spike->pts[k].sched);
		any_bad = false;
		last_bad = 0;
		for (k = 0; k < rec->npts; k++)
			if (!rec->pts[k].ok || !(rec->pts[k].e2e <= lim)) {
				any_bad = true;
				last_bad = k;
			}
		if (rec->npts == 0 || !isfinite(lim) ||
		    (any_bad && last_bad + 1 >= rec->npts)) {
			rk_val_num(&v[6], 0);
			v[6].null = false;
			continue;
		}
		v[6].null = false;
		v[6].d = 1;
		rk_val_num(&v[7], fmax(0, (any_bad ?
		    rec->pts[last_bad + 1].sched : rec->pts[0].sched) -
		    start));
	}
}

void
rk_view_load(struct rk_load *l, struct rk_report *r)
{
	if (l->ng > 1)
		qsort(l->g, l->ng, sizeof *l->g, cmp_group);
	main_table(l, r);
	errors_table(l, r);
	runs_table(l, r);
	spike_table(l, r);
}

void
rk_load_free(struct rk_load *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->ng; i++) {
		struct lgroup *g = &l->g[i];

		free(g->run);
		free(g->config);
		free(g->phase);
		free(g->unit);
		free(g->profile);
		free(g->ttft.v);
		free(g->tpot.v);
		free(g->itl.v);
		free(g->e2e.v);
		free(g->late.v);
		free(g->pts);
		json_decref(g->kinds);
	}
	free(l->g);
	json_decref(l->summaries);
	free(l);
}

/* ---- HTML ---------------------------------------------------------------- */

#define CW 460
#define CH 260
#define ML 52
#define MR 12
#define MT 28
#define MB 34

struct series {
	const char *name;
	double x[64], y[64];
	int n;
};

static double
nice_max(double v)
{
	double p, m;

	if (!(v > 0))
		return 1;
	p = pow(10, floor(log10(v)));
	m = v / p;
	return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

/* Axes from 0 to xmax and ymax, with their labels. */
static void
axes(struct ab_buf *b, double xmax, double ymax, const char *xl,
    const char *yl)
{
	int i;

	ab_buf_addf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
	    "stroke=\"#888\"/><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
	    "stroke=\"#888\"/>", ML, CH - MB, CW - MR, CH - MB, ML, MT, ML,
	    CH - MB);
	for (i = 0; i <= 4; i++) {
		ab_buf_addf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">"
		    "%g</text>", ML - 4, CH - MB - i * (CH - MT - MB) / 4 + 4,
		    ymax * i / 4);
		ab_buf_addf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">"
		    "%g</text>", ML + i * (CW - ML - MR) / 4, CH - MB + 14,
		    xmax * i / 4);
	}
	ab_buf_addf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">",
	    (ML + CW - MR) / 2, CH - 4);
	rk_html_esc(b, xl);
	ab_buf_addf(b, "</text><text x=\"12\" y=\"%d\" transform=\"rotate(-90 "
	    "12 %d)\" text-anchor=\"middle\">", (MT + CH - MB) / 2,
	    (MT + CH - MB) / 2);
	rk_html_esc(b, yl);
	ab_buf_adds(b, "</text>");
}

static double
px(double x, double xmax)
{
	return ML + x / xmax * (CW - ML - MR);
}

static double
py(double y, double ymax)
{
	return CH - MB - fmin(y, ymax) / ymax * (CH - MT - MB);
}

static void
line_chart(struct ab_buf *b, const char *id, const char *title,
    const char *xl, const char *yl, const struct series *s, int ns)
{
	double xmax = 0, ymax = 0;
	int i, k;

	for (k = 0; k < ns; k++)
		for (i = 0; i < s[k].n; i++) {
			xmax = fmax(xmax, s[k].x[i]);
			ymax = fmax(ymax, s[k].y[i]);
		}
	xmax = nice_max(xmax);
	ymax = nice_max(ymax);
	rk_svg_open(b, id, CW, CH, title);
	axes(b, xmax, ymax, xl, yl);
	for (k = 0; k < ns; k++) {
		if (s[k].n == 0)
			continue;
		ab_buf_addf(b, "<polyline class=\"mark\" fill=\"none\" "
		    "stroke=\"%s\" stroke-width=\"2\" points=\"",
		    rk_html_color(k));
		for (i = 0; i < s[k].n; i++)
			ab_buf_addf(b, "%s%.1f,%.1f", i ? " " : "",
			    px(s[k].x[i], xmax), py(s[k].y[i], ymax));
		ab_buf_adds(b, "\"/>");
		for (i = 0; i < s[k].n; i++)
			ab_buf_addf(b, "<circle class=\"mark\" cx=\"%.1f\" "
			    "cy=\"%.1f\" r=\"3\" fill=\"%s\"><title>%g: %.1f"
			    "</title></circle>", px(s[k].x[i], xmax),
			    py(s[k].y[i], ymax), rk_html_color(k), s[k].x[i],
			    s[k].y[i]);
		ab_buf_addf(b, "<text x=\"%d\" y=\"%d\" fill=\"%s\">", ML + 8,
		    MT + 12 + 13 * k, rk_html_color(k));
		rk_html_esc(b, s[k].name);
		ab_buf_adds(b, "</text>");
	}
	ab_buf_adds(b, "</svg>");
}

/* Latency and throughput against load for one run and configuration. */
static void
level_charts(struct ab_buf *b, const struct rk_load *l, size_t from,
    size_t to, int idn)
{
	static const char *const keys[4] = { "ttft p50", "ttft p99",
		"e2e p50", "e2e p99" };
	struct series s[4], thr[1];
	const struct lgroup *g;
	char id[32], *title;
	size_t i;
	int k;

	memset(s, 0, sizeof s);
	memset(thr, 0, sizeof thr);
	for (k = 0; k < 4; k++)
		s[k].name = keys[k];
	thr[0].name = "successful requests/s";
	for (i = from; i < to && s[0].n < 64; i++) {
		g = &l->g[i];
		if (strcmp(g->phase, "measure") != 0 &&
		    strcmp(g->phase, "soak") != 0)
			continue;
		for (k = 0; k < 4; k++) {
			const struct vec *v = k < 2 ? &g->ttft : &g->e2e;

			s[k].x[s[k].n] = g->level;
			s[k].y[s[k].n] = vq(v, k % 2 ? 0.99 : 0.5);
			if (isfinite(s[k].y[s[k].n]))
				s[k].n++;
		}
		thr[0].x[thr[0].n] = g->level;
		thr[0].y[thr[0].n++] = g->t_last > g->t_first ?
		    (double)g->ok / ((g->t_last - g->t_first) / 1000) : 0;
	}
	if (thr[0].n == 0)
		return;
	title = ab_xasprintf("%s (%s): latency against load", l->g[from].config,
	    l->g[from].run);
	snprintf(id, sizeof id, "load-lat-%d", idn);
	line_chart(b, id, title, l->g[from].unit, "ms", s, 4);
	free(title);
	title = ab_xasprintf("%s (%s): throughput against load",
	    l->g[from].config, l->g[from].run);
	snprintf(id, sizeof id, "load-thr-%d", idn);
	line_chart(b, id, title, l->g[from].unit, "requests/s", thr, 1);
	free(title);
}

/* A spike's timeline: each request's end-to-end latency at its scheduled
 * time, by phase; errors as crosses. */
static void
spike_chart(struct ab_buf *b, const struct rk_load *l, size_t from,
    size_t to, int idn)
{
	double xmax = 0, ymax = 0, x, y;
	char id[32], *title;
	size_t i, k;
	int ph = 0;

	for (i = from; i < to; i++)
		for (k = 0; k < l->g[i].npts; k++) {
			xmax = fmax(xmax, l->g[i].pts[k].sched);
			if (isfinite(l->g[i].pts[k].e2e))
				ymax = fmax(ymax, l->g[i].pts[k].e2e);
		}
	xmax = nice_max(xmax);
	ymax = nice_max(ymax);
	title = ab_xasprintf("%s (%s): the spike's timeline",
	    l->g[from].config, l->g[from].run);
	snprintf(id, sizeof id, "load-spike-%d", idn);
	rk_svg_open(b, id, CW, CH, title);
	free(title);
	axes(b, xmax, ymax, "scheduled (ms)", "end-to-end (ms)");
	for (i = from; i < to; i++, ph++) {
		for (k = 0; k < l->g[i].npts; k++) {
			x = px(l->g[i].pts[k].sched, xmax);
			y = isfinite(l->g[i].pts[k].e2e) ?
			    py(l->g[i].pts[k].e2e, ymax) : MT;
			if (l->g[i].pts[k].ok)
				ab_buf_addf(b, "<circle class=\"mark\" "
				    "cx=\"%.1f\" cy=\"%.1f\" r=\"2\" "
				    "fill=\"%s\"/>", x, y, rk_html_color(ph));
			else
				ab_buf_addf(b, "<path class=\"mark\" d=\"M%.1f "
				    "%.1fl6 6m0 -6l-6 6\" stroke=\"#c62828\"/>",
				    x - 3, y - 3);
		}
		ab_buf_addf(b, "<text x=\"%d\" y=\"%d\" fill=\"%s\">", ML + 8,
		    MT + 12 + 13 * ph, rk_html_color(ph));
		rk_html_esc(b, l->g[i].phase);
		ab_buf_adds(b, "</text>");
	}
	ab_buf_adds(b, "</svg>");
}

int
rk_load_html(FILE *fp, const struct rk_load *l, const struct rk_report *r)
{
	struct ab_buf b = AB_BUF_INIT;
	size_t i, j, k;
	char id[32], *sub;
	int n = 0;

	sub = ab_xasprintf("%ld load records, %ld warm-ups left out",
	    l->count, l->warmups);
	rk_html_head(&b, "ab-rank load", sub);
	free(sub);
	ab_buf_adds(&b, "<section id=\"charts\"><h2>Charts</h2>"
	    "<div class=\"charts\">");
	/* The groups are sorted by run, configuration and step. */
	for (i = 0; i < l->ng; i = j) {
		for (j = i; j < l->ng && strcmp(l->g[j].run, l->g[i].run) ==
		    0 && strcmp(l->g[j].config, l->g[i].config) == 0; j++)
			;
		level_charts(&b, l, i, j, n);
		for (k = i; k + 2 < j; k++)
			if (strcmp(l->g[k].phase, "base") == 0 &&
			    strcmp(l->g[k + 1].phase, "spike") == 0)
				spike_chart(&b, l, k, k + 3, n);
		n++;
	}
	ab_buf_adds(&b, "</div></section>");
	for (i = 0; i < r->n; i++) {
		ab_buf_addf(&b, "<section id=\"%s\"><h2>", r->t[i].name);
		rk_html_esc(&b, r->t[i].title);
		ab_buf_adds(&b, "</h2>");
		snprintf(id, sizeof id, "t%zu", i);
		rk_html_table(&b, &r->t[i], id);
		ab_buf_adds(&b, "</section>");
	}
	rk_html_foot(&b);
	k = fwrite(b.s, 1, b.len, fp);
	i = b.len;
	ab_buf_release(&b);
	return k == i ? 0 : -1;
}
