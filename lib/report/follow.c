/*
 * follow.c - the live leaderboard of ab-rank --follow: a small table drawn
 * from a model that is still being read (before rk_model_finish), redrawn
 * by the program as attempts arrive.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

struct lrow {
	const char *name;
	long n, c, excl, errors, done;
	long priced;		/* attempts whose cost is known */
	double cost, lo, hi;
};

/* A cost of which `priced` of n attempts are known: "-" when none is (an
 * unknown cost is never zero), a lower bound when some are not. */
static void
cost_text(char *buf, size_t len, double cost, long priced, long n,
    const char *unit)
{
	if (priced == 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%s%s%.4f", priced < n ? ">=" : "", unit,
		    cost);
}

static int
lrow_cmp(const void *a, const void *b)
{
	const struct lrow *x = a, *y = b;
	double px = x->n ? (double)x->c / (double)x->n : -1;
	double py = y->n ? (double)y->c / (double)y->n : -1;

	if (px != py)
		return px < py ? 1 : -1;
	return strcmp(x->name, y->name);
}

void
rk_live_render(struct ab_buf *b, const struct rk_model *m, double level,
    int width)
{
	struct lrow *rows = ab_xcalloc(m->nconfigs + 1, sizeof *rows);
	long samples = 1, expected, priced = 0, counted = 0;
	double total_cost = 0;
	char cost[48];
	size_t i;
	int w;

	for (i = 0; i < m->nconfigs; i++)
		rows[i].name = m->configs[i].name;
	for (i = 0; i < m->ncells; i++) {
		const struct rk_cell *c = &m->cells[i];
		struct lrow *r = &rows[c->config];
		long k = c->n + c->excl;	/* attempts of this task */

		r->n += c->n;
		r->c += c->c;
		r->excl += c->excl;
		r->done += c->n + c->excl;
		r->cost += ab_moments_sum(&c->cost);
		r->priced += c->cost.n;
		if (k > samples)
			samples = k;
	}
	for (i = 0; i < m->nconfigs; i++) {
		struct rk_count *e = m->configs[i].errors.v;
		size_t k;

		for (k = 0; k < m->configs[i].errors.n; k++)
			rows[i].errors += e[k].n;
		ab_wilson(rows[i].c, rows[i].n, level, &rows[i].lo,
		    &rows[i].hi);
		total_cost += rows[i].cost;
		priced += rows[i].priced;
		counted += rows[i].n;
	}
	qsort(rows, m->nconfigs, sizeof *rows, lrow_cmp);
	/* Expected: every task seen so far, as many attempts as any task had. */
	expected = (long)m->ntasks * samples;
	w = width > 40 ? width - 62 : 14;
	if (w < 14)
		w = 14;
	if (w > 40)
		w = 40;
	cost_text(cost, sizeof cost, total_cost, priced, counted, "$");
	ab_buf_addf(b, "ab-rank: %ld attempts, %zu configurations, %zu tasks, "
	    "cost %s so far\n\n", m->records, m->nconfigs, m->ntasks,
	    priced == 0 ? "unknown" : cost);
	ab_buf_addf(b, "%-*s %6s %-17s %13s %10s %6s\n", w, "configuration",
	    "pass", "interval", "done/expected", "cost, USD", "errors");
	for (i = 0; i < m->nconfigs; i++) {
		const struct lrow *r = &rows[i];
		char pass[16], ival[32], done[32];

		if (r->n > 0) {
			snprintf(pass, sizeof pass, "%5.1f%%",
			    100.0 * (double)r->c / (double)r->n);
			snprintf(ival, sizeof ival, "[%.1f, %.1f]",
			    100 * r->lo, 100 * r->hi);
		} else {
			snprintf(pass, sizeof pass, "-");
			snprintf(ival, sizeof ival, "-");
		}
		snprintf(done, sizeof done, "%ld/%ld", r->done, expected);
		cost_text(cost, sizeof cost, r->cost, r->priced, r->n, "");
		ab_buf_addf(b, "%-*.*s %6s %-17s %13s %10s %6ld\n", w, w,
		    r->name, pass, ival, done, cost, r->errors);
	}
	free(rows);
}
