/*
 * trials.c - agent trials in ab-rank: what each trial did (its outcome, its
 * time in the agent and in grading, its calls), the trials view (agent
 * failures apart from attempts not run), and the trajectory of a trial as
 * an HTML fragment for the report: the instruction, each model call, each
 * step of the agent's transcript, the patch and the grading; and the
 * transcript of any other attempt (its answer, code and tests) in the
 * same style.
 *
 * Everything in a trajectory comes from the agent or its model and is
 * hostile: every string is escaped, cut to a bound with a marker, and
 * never placed inside a script or an attribute without escaping.
 */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "report.h"

/* Agent failures, in the table's order. */
enum { F_TIMEOUT, F_FAILED, F_BUDGET, F_NOCHANGE, F_PATCH, F_TESTS,
	F_OTHER, F_N };

struct tcfg {
	long trials;		/* counted: not run excluded */
	long not_run;
	long passed;
	long fail[F_N];
	struct ab_moments calls, tin, tout, cost;
	struct tsamp *s;	/* each counted trial's times and calls, by
				   task, for the per-task means */
	size_t ns, cs;
};

/* One counted trial: its task (the model's index) and what is averaged
 * per task (NAN when unknown). */
struct tsamp {
	int task;
	double agent, grade, calls;
};

struct traj {
	int cfg;
	long sample;
	char *run, *task, *html;	/* owned */
};

struct rk_trials {
	struct tcfg *c;		/* by configuration index */
	size_t nc;
	struct traj *t;
	size_t nt;
	long seen;		/* trials with a trajectory offered */
};

/* ---- reading a record ----------------------------------------------------- */

static double
jnum(const struct rk_json *j, int node)
{
	double v;

	if (node < 0 || !rk_json_num(j, node, &v) || !isfinite(v))
		return NAN;
	return v;
}

void
rk_trial_from_json(struct rk_json *j, int gen, int ex, struct rk_attempt *a)
{
	struct rk_trial *t = &a->trial;
	const char *s;
	double setup, wall;
	int k, tr;

	memset(t, 0, sizeof *t);
	if (gen < 0 || j->v[gen].type != RK_JOBJ)
		return;
	s = rk_json_str(j, rk_json_get(j, gen, "provider"), NULL);
	if (s == NULL || strcmp(s, "agent") != 0)
		return;
	t->is = true;
	tr = rk_json_get(j, gen, "trial");
	s = rk_json_str(j, rk_json_path(j, gen, "trial.outcome"), NULL);
	if (s != NULL)
		snprintf(t->outcome, sizeof t->outcome, "%s", s);
	t->agent_ms = tr >= 0 ? jnum(j, rk_json_get(j, tr, "wall_ms")) : NAN;
	setup = ex >= 0 ? jnum(j, rk_json_get(j, ex, "setup_ms")) : NAN;
	wall = ex >= 0 ? jnum(j, rk_json_get(j, ex, "wall_ms")) : NAN;
	t->grade_ms = isnan(setup) ? wall : isnan(wall) ? setup : setup + wall;
	k = rk_json_get(j, gen, "calls");
	if (k >= 0 && j->v[k].type == RK_JARR)
		for (k = j->v[k].child; k >= 0; k = j->v[k].next) {
			s = rk_json_str(j, rk_json_get(j, k, "role"), NULL);
			if (s == NULL || strcmp(s, "aux") != 0)
				t->calls++;
		}
	s = rk_json_str(j, rk_json_path(j, gen, "error.scope"), NULL);
	t->run_budget = s != NULL && strcmp(s, "run") == 0;
	a->excluded = rk_trial_not_run(a->verdict, a->error_kind,
	    t->run_budget ? "run" : "trial");
}

bool
rk_trial_not_run(const char *verdict, const char *error_kind,
    const char *scope)
{
	/* A trial stopped by its own budget spent it: the agent's doing.
	 * The run's budget (--budget) is the operator's. */
	if (error_kind != NULL && strcmp(error_kind, "gen:budget") == 0)
		return scope != NULL && strcmp(scope, "run") == 0;
	return rk_not_run(verdict, error_kind);
}

/* ---- accumulating ----------------------------------------------------------- */

static void
push(struct tcfg *c, int task, double agent, double grade, double calls)
{
	if (c->ns == c->cs) {
		c->cs = c->cs ? c->cs * 2 : 16;
		c->s = ab_xrealloc(c->s, c->cs * sizeof *c->s);
	}
	c->s[c->ns].task = task;
	c->s[c->ns].agent = agent;
	c->s[c->ns].grade = grade;
	c->s[c->ns].calls = calls;
	c->ns++;
}

static struct tcfg *
tcfg_of(struct rk_model *m, int ci)
{
	struct rk_trials *t;

	if (m->trials == NULL)
		m->trials = ab_xcalloc(1, sizeof *m->trials);
	t = m->trials;
	if ((size_t)ci >= t->nc) {
		size_t n = (size_t)ci + 8;

		t->c = ab_xrealloc(t->c, n * sizeof *t->c);
		memset(t->c + t->nc, 0, (n - t->nc) * sizeof *t->c);
		t->nc = n;
	}
	return &t->c[ci];
}

static int
failure(const struct rk_attempt *a)
{
	const char *o = a->trial.outcome, *ek = a->error_kind;

	if (strcmp(o, "agent_timeout") == 0)
		return F_TIMEOUT;
	if (strcmp(o, "agent_failed") == 0)
		return F_FAILED;
	if (strcmp(o, "budget") == 0 ||
	    (ek != NULL && strcmp(ek, "gen:budget") == 0))
		return F_BUDGET;
	if (strcmp(o, "no_change") == 0 ||
	    (ek != NULL && strcmp(ek, "extract:no_change") == 0))
		return F_NOCHANGE;
	if (ek != NULL && strcmp(ek, "extract:patch_failed") == 0)
		return F_PATCH;
	if (a->passed)
		return -1;
	if (strcmp(a->verdict, "gen_error") != 0 &&
	    strcmp(a->verdict, "extract_error") != 0 &&
	    strcmp(a->verdict, "exec_error") != 0 &&
	    strcmp(a->verdict, "not_run") != 0)
		return F_TESTS;
	return F_OTHER;
}

void
rk_trials_add(struct rk_model *m, int ci, int ti, const struct rk_attempt *a)
{
	struct tcfg *c = tcfg_of(m, ci);
	struct rk_trials *t = m->trials;
	int f;

	if (a->traj != NULL) {
		t->seen++;
		if (t->nt < RK_TRAJ_MAX) {
			if (t->t == NULL)
				t->t = ab_xcalloc(RK_TRAJ_MAX, sizeof *t->t);
			t->t[t->nt].cfg = ci;
			t->t[t->nt].sample = a->sample;
			t->t[t->nt].run = ab_xstrdup(a->run ? a->run : "");
			t->t[t->nt].task = ab_xstrdup(a->task);
			t->t[t->nt].html = ab_xstrdup(a->traj);
			t->nt++;
		}
	}
	if (a->excluded) {
		c->not_run++;
		return;
	}
	c->trials++;
	c->passed += a->passed;
	if ((f = failure(a)) >= 0)
		c->fail[f]++;
	if (!isnan(a->trial.calls))
		ab_moments_add(&c->calls, a->trial.calls);
	if (!isnan(a->tokens_in))
		ab_moments_add(&c->tin, a->tokens_in);
	if (!isnan(a->tokens_out))
		ab_moments_add(&c->tout, a->tokens_out);
	if (!isnan(a->cost_usd))
		ab_moments_add(&c->cost, a->cost_usd);
	push(c, ti, a->trial.agent_ms, a->trial.grade_ms, a->trial.calls);
}

void
rk_trials_merge(struct rk_model *d, const struct rk_model *s,
    const int *cmap, const int *tmap)
{
	const struct rk_trials *st = s->trials;
	struct rk_trials *dt;
	size_t i, k;
	int f;

	if (st == NULL)
		return;
	for (i = 0; i < st->nc; i++) {
		const struct tcfg *x = &st->c[i];
		struct tcfg *y;

		if (i >= s->nconfigs || x->trials + x->not_run == 0)
			continue;
		y = tcfg_of(d, cmap[i]);
		y->trials += x->trials;
		y->not_run += x->not_run;
		y->passed += x->passed;
		for (f = 0; f < F_N; f++)
			y->fail[f] += x->fail[f];
		ab_moments_merge(&y->calls, &x->calls);
		ab_moments_merge(&y->tin, &x->tin);
		ab_moments_merge(&y->tout, &x->tout);
		ab_moments_merge(&y->cost, &x->cost);
		for (k = 0; k < x->ns; k++)
			push(y, tmap[x->s[k].task], x->s[k].agent,
			    x->s[k].grade, x->s[k].calls);
	}
	if (st->seen == 0)
		return;
	if (d->trials == NULL)
		d->trials = ab_xcalloc(1, sizeof *d->trials);
	dt = d->trials;
	dt->seen += st->seen;
	for (i = 0; i < st->nt && dt->nt < RK_TRAJ_MAX; i++) {
		if (dt->t == NULL)
			dt->t = ab_xcalloc(RK_TRAJ_MAX, sizeof *dt->t);
		dt->t[dt->nt] = st->t[i];
		dt->t[dt->nt].cfg = cmap[st->t[i].cfg];
		dt->t[dt->nt].run = ab_xstrdup(st->t[i].run);
		dt->t[dt->nt].task = ab_xstrdup(st->t[i].task);
		dt->t[dt->nt].html = ab_xstrdup(st->t[i].html);
		dt->nt++;
	}
}

void
rk_trials_free(struct rk_trials *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nc; i++)
		free(t->c[i].s);
	for (i = 0; i < t->nt; i++) {
		free(t->t[i].run);
		free(t->t[i].task);
		free(t->t[i].html);
	}
	free(t->t);
	free(t->c);
	free(t);
}

bool
rk_model_has_trials(const struct rk_model *m)
{
	size_t i;

	if (m->trials == NULL)
		return false;
	for (i = 0; i < m->trials->nc; i++)
		if (m->trials->c[i].trials + m->trials->c[i].not_run > 0)
			return true;
	return false;
}

/* ---- the view ------------------------------------------------------------- */

static const struct rk_col tr_cols[] = {
	{ "config", "config", RK_STR, 0, false },
	{ "trials", "trials", RK_INT, 0, false },
	{ "not_run", "not run", RK_INT, 0, false },
	{ "tasks", "tasks", RK_INT, 0, true },
	{ "solved", "solved", RK_INT, 0, false },
	{ "passed", "passed", RK_INT, 0, false },
	{ "pass_rate", "pass rate", RK_NUM, 3, false },
	{ "ci_low", "ci low", RK_NUM, 3, false },
	{ "ci_high", "ci high", RK_NUM, 3, false },
	{ "agent_ms", "agent ms", RK_NUM, 0, false },
	{ "grading_ms", "grading ms", RK_NUM, 0, false },
	{ "calls", "calls", RK_INT, 0, false },
	{ "calls_per_trial", "calls/trial", RK_NUM, 1, true },
	{ "tokens_in", "tokens in", RK_INT, 0, false },
	{ "tokens_out", "tokens out", RK_INT, 0, false },
	{ "cost_usd", "cost $", RK_NUM, 4, false },
	{ "cost_per_solved", "$/solved", RK_NUM, 4, false },
	{ "agent_timeout", "timeout", RK_INT, 0, false },
	{ "agent_failed", "failed", RK_INT, 0, false },
	{ "budget", "budget", RK_INT, 0, false },
	{ "no_change", "no change", RK_INT, 0, false },
	{ "patch_failed", "patch failed", RK_INT, 0, false },
	{ "tests_failed", "tests failed", RK_INT, 0, false },
	{ "other_failed", "other", RK_INT, 0, true },
};

/* The task is the unit: the mean over tasks of each task's mean of the
 * member at offset off in struct tsamp, over the trials that know it;
 * NAN when none does.  sum and n are scratch arrays of ntasks. */
static double
task_mean(const struct tcfg *c, size_t off, double *sum, long *n,
    size_t ntasks)
{
	double tot = 0, v;
	long tasks = 0;
	size_t k;

	memset(sum, 0, ntasks * sizeof *sum);
	memset(n, 0, ntasks * sizeof *n);
	for (k = 0; k < c->ns; k++) {
		memcpy(&v, (const char *)&c->s[k] + off, sizeof v);
		if (isnan(v) || c->s[k].task < 0 ||
		    (size_t)c->s[k].task >= ntasks)
			continue;
		sum[c->s[k].task] += v;
		n[c->s[k].task]++;
	}
	for (k = 0; k < ntasks; k++)
		if (n[k] > 0) {
			tot += sum[k] / (double)n[k];
			tasks++;
		}
	return tasks > 0 ? tot / (double)tasks : NAN;
}

static double
sum_or_nan(const struct ab_moments *mo)
{
	return mo->n > 0 ? ab_moments_sum(mo) : NAN;
}

void
rk_view_trials(const struct rk_model *m, const struct rk_opts *o,
    struct rk_report *r)
{
	struct rk_table *t;
	struct rk_val *v;
	int *order = rk_config_order(m, o), cf, f;
	bool *seen, *won;
	long tasks, solved, *tc, *tn;
	size_t i, k;
	double rate, lo, hi, cost, *sum;

	t = rk_table_add(r, "trials", "Agent trials", tr_cols,
	    (int)(sizeof tr_cols / sizeof tr_cols[0]));
	seen = ab_xcalloc(m->ntasks + 1, sizeof *seen);
	won = ab_xcalloc(m->ntasks + 1, sizeof *won);
	tc = ab_xcalloc(m->ntasks + 1, sizeof *tc);
	tn = ab_xcalloc(m->ntasks + 1, sizeof *tn);
	sum = ab_xcalloc(m->ntasks + 1, sizeof *sum);
	for (i = 0; m->trials != NULL && i < m->nconfigs; i++) {
		const struct tcfg *c;

		cf = order[i];
		if ((size_t)cf >= m->trials->nc)
			continue;
		c = &m->trials->c[cf];
		if (c->trials + c->not_run == 0)
			continue;
		/* Tasks and solved tasks as the leaderboard counts them. */
		memset(seen, 0, m->ntasks * sizeof *seen);
		memset(won, 0, m->ntasks * sizeof *won);
		memset(tc, 0, m->ntasks * sizeof *tc);
		memset(tn, 0, m->ntasks * sizeof *tn);
		tasks = solved = 0;
		for (k = 0; k < m->ncells; k++) {
			const struct rk_cell *x = &m->cells[k];

			if (x->config != cf || x->n == 0)
				continue;
			tc[x->task] += x->c;
			tn[x->task] += x->n;
			if (!seen[x->task]) {
				seen[x->task] = true;
				tasks++;
			}
			if (x->c > 0 && !won[x->task]) {
				won[x->task] = true;
				solved++;
			}
		}
		v = rk_table_row(t);
		rk_val_str(&v[0], m->configs[cf].label);
		rk_val_num(&v[1], (double)c->trials);
		rk_val_num(&v[2], (double)c->not_run);
		rk_val_num(&v[3], (double)tasks);
		rk_val_num(&v[4], (double)solved);
		rk_val_num(&v[5], (double)c->passed);
		/* The task is the unit, as on the leaderboard: the mean of
		 * the per-task rates, and its clustered Wilson interval. */
		ab_wilson_tasks(tc, tn, m->ntasks, ab_norm_ppf((1 +
		    o->level) / 2), &rate, &lo, &hi);
		if (!isnan(rate)) {
			rk_val_num(&v[6], rate);
			rk_val_num(&v[7], lo);
			rk_val_num(&v[8], hi);
		}
		/* Times and calls per trial: the mean over tasks of each
		 * task's mean, as every other per-attempt figure. */
		rk_val_num(&v[9], task_mean(c, offsetof(struct tsamp, agent),
		    sum, tn, m->ntasks));
		rk_val_num(&v[10], task_mean(c, offsetof(struct tsamp, grade),
		    sum, tn, m->ntasks));
		rk_val_num(&v[11], sum_or_nan(&c->calls));
		rk_val_num(&v[12], task_mean(c, offsetof(struct tsamp, calls),
		    sum, tn, m->ntasks));
		rk_val_num(&v[13], sum_or_nan(&c->tin));
		rk_val_num(&v[14], sum_or_nan(&c->tout));
		cost = sum_or_nan(&c->cost);
		rk_val_num(&v[15], cost);
		rk_val_num(&v[16], solved > 0 ? cost / (double)solved : NAN);
		for (f = 0; f < F_N; f++)
			rk_val_num(&v[17 + f], (double)c->fail[f]);
	}
	free(seen);
	free(won);
	free(tc);
	free(tn);
	free(sum);
	free(order);
}

/* ---- trajectories ---------------------------------------------------------- */

/* Bounds, in bytes of the text shown (a cut is marked). */
#define CUT_INSTRUCTION 8192
#define CUT_STEP 2048
#define CUT_TEXT 4096
#define CUT_PATCH 32768
#define CUT_OUTPUT 8192
#define CUT_STDERR 2048
#define MAX_STEPS 200
#define MAX_STEPS_BYTES 98304	/* the steps' HTML, all told */
#define MAX_CALLS 100
#define MAX_TESTS 100
#define CUT_ANSWER 16384
#define CUT_CODE 16384
#define CUT_VALUE 512
#define CUT_PROMPT 8192

/* Escape s[0..n-1] for HTML text or a quoted attribute: markup
 * characters as entities, control characters and invalid UTF-8 as
 * visible \xNN. */
static void
hesc(struct ab_buf *b, const char *s, size_t n)
{
	size_t i = 0, l;
	unsigned char c;

	while (i < n) {
		c = (unsigned char)s[i];
		switch (c) {
		case '<': ab_buf_adds(b, "&lt;"); i++; continue;
		case '>': ab_buf_adds(b, "&gt;"); i++; continue;
		case '&': ab_buf_adds(b, "&amp;"); i++; continue;
		case '"': ab_buf_adds(b, "&quot;"); i++; continue;
		case '\'': ab_buf_adds(b, "&#39;"); i++; continue;
		case '\n': case '\t': case '\r': ab_buf_addc(b, c); i++;
			continue;
		default: break;
		}
		if (c < 0x20 || c == 0x7f) {
			ab_buf_addf(b, "\\x%02x", c);
			i++;
			continue;
		}
		l = ab_utf8_len(s + i, n - i);
		if (l == 0) {
			ab_buf_addf(b, "\\x%02x", c);
			i++;
			continue;
		}
		ab_buf_add(b, s + i, l);
		i += l;
	}
}

static void
hescs(struct ab_buf *b, const char *s)
{
	if (s != NULL)
		hesc(b, s, strlen(s));
}

/* s[0..n-1] escaped, its first max bytes (at a character boundary) and a
 * marker saying how much was left out. */
static void
hcut(struct ab_buf *b, const char *s, size_t n, size_t max)
{
	size_t k = n;

	if (n > max) {
		k = max;
		while (k > 0 && ((unsigned char)s[k] & 0xc0) == 0x80)
			k--;
	}
	hesc(b, s, k);
	if (k < n)
		ab_buf_addf(b, "<span class=\"cut\">\xe2\x80\xa6 [%zu more "
		    "bytes]</span>", n - k);
}

/* A JSON value as text: a string as it is, anything else compact. */
static void
hval(struct ab_buf *b, const json_t *v, size_t max)
{
	char *s;

	if (v == NULL || json_is_null(v))
		return;
	if (json_is_string(v)) {
		hcut(b, json_string_value(v), json_string_length(v), max);
		return;
	}
	s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	if (s != NULL)
		hcut(b, s, strlen(s), max);
	free(s);
}

static const char *
jstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static double
jdbl(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	return json_is_number(v) ? json_number_value(v) : NAN;
}

/* A number cell: "-" when unknown. */
static void
ncell(struct ab_buf *b, double d, int prec)
{
	if (isnan(d))
		ab_buf_adds(b, "<td class=\"n null\">-</td>");
	else
		ab_buf_addf(b, "<td class=\"n\">%.*f</td>", prec, d);
}

static void
step_open(struct ab_buf *b, const char *cls, const char *label,
    const char *name)
{
	ab_buf_addf(b, "<li class=\"step step-%s\"><span class=\"sk\">", cls);
	hescs(b, label);
	if (name != NULL) {
		ab_buf_addc(b, ' ');
		hescs(b, name);
	}
	ab_buf_adds(b, "</span>");
}

/* A tool's input: the members one a line (strings as they are). */
static void
tool_input(struct ab_buf *b, const json_t *in)
{
	struct ab_buf t = AB_BUF_INIT;
	const char *k;
	json_t *v;
	char *s;

	if (!json_is_object(in)) {
		ab_buf_adds(b, "<pre class=\"in\">");
		hval(b, in, CUT_STEP);
		ab_buf_adds(b, "</pre>");
		return;
	}
	json_object_foreach((json_t *)in, k, v) {
		ab_buf_addf(&t, "%s%s: ", t.len ? "\n" : "", k);
		if (json_is_string(v)) {
			ab_buf_add(&t, json_string_value(v),
			    json_string_length(v));
		} else if ((s = json_dumps(v, JSON_COMPACT |
		    JSON_ENCODE_ANY)) != NULL) {
			ab_buf_adds(&t, s);
			free(s);
		}
		if (t.len > 4 * CUT_STEP)
			break;
	}
	ab_buf_adds(b, "<pre class=\"in\">");
	hcut(b, t.s ? t.s : "", t.len, CUT_STEP);
	ab_buf_adds(b, "</pre>");
	ab_buf_release(&t);
}

/* The text of a tool result's content: a string or text blocks. */
static void
result_text(struct ab_buf *b, const json_t *c)
{
	struct ab_buf t = AB_BUF_INIT;
	size_t i;

	if (json_is_array(c)) {
		for (i = 0; i < json_array_size(c) && t.len < 4 * CUT_STEP;
		    i++) {
			const char *s = jstr(json_array_get(c, i), "text");

			if (s != NULL)
				ab_buf_addf(&t, "%s%s", t.len ? "\n" : "", s);
		}
		ab_buf_adds(b, "<pre class=\"out\">");
		hcut(b, t.s ? t.s : "", t.len, CUT_STEP);
		ab_buf_adds(b, "</pre>");
	} else {
		ab_buf_adds(b, "<pre class=\"out\">");
		hval(b, c, CUT_STEP);
		ab_buf_adds(b, "</pre>");
	}
	ab_buf_release(&t);
}

static void
text_step(struct ab_buf *b, const char *cls, const char *label,
    const json_t *text)
{
	step_open(b, cls, label, NULL);
	ab_buf_adds(b, "<pre class=\"tx\">");
	hval(b, text, CUT_STEP);
	ab_buf_adds(b, "</pre></li>");
}

/* Claude Code's stream-json events; the number of steps written. */
static int
claude_step(struct ab_buf *b, const json_t *e, const char *type)
{
	const json_t *content = json_object_get(json_object_get(e,
	    "message"), "content"), *blk;
	struct ab_buf t = AB_BUF_INIT;
	size_t i;
	int n = 0;

	if (strcmp(type, "system") == 0) {
		ab_buf_addf(&t, "%s", jstr(e, "subtype") ? jstr(e, "subtype") :
		    "system");
		if (jstr(e, "model") != NULL)
			ab_buf_addf(&t, ", model %s", jstr(e, "model"));
		if (json_is_array(json_object_get(e, "tools")))
			ab_buf_addf(&t, ", %zu tools", json_array_size(
			    json_object_get(e, "tools")));
		if (jstr(e, "cwd") != NULL)
			ab_buf_addf(&t, ", in %s", jstr(e, "cwd"));
		step_open(b, "sys", "session", NULL);
		ab_buf_adds(b, "<pre class=\"tx\">");
		hcut(b, t.s ? t.s : "", t.len, CUT_STEP);
		ab_buf_adds(b, "</pre></li>");
		ab_buf_release(&t);
		return 1;
	}
	if (strcmp(type, "result") == 0) {
		step_open(b, "end", "result", jstr(e, "subtype"));
		ab_buf_adds(b, "<pre class=\"tx\">");
		hval(b, json_object_get(e, "result"), CUT_STEP);
		ab_buf_adds(b, "</pre>");
		if (json_is_number(json_object_get(e, "num_turns")))
			ab_buf_addf(b, "<small>%.0f turns</small>", jdbl(e,
			    "num_turns"));
		ab_buf_adds(b, "</li>");
		return 1;
	}
	if (!json_is_array(content)) {
		if (json_is_string(content)) {
			text_step(b, "text", type, content);
			return 1;
		}
		return 0;
	}
	json_array_foreach(content, i, blk) {
		const char *bt = jstr(blk, "type");

		if (bt == NULL)
			continue;
		if (strcmp(bt, "text") == 0) {
			text_step(b, "text", strcmp(type, "user") == 0 ?
			    "user" : "assistant", json_object_get(blk, "text"));
		} else if (strcmp(bt, "thinking") == 0) {
			text_step(b, "think", "thinking", json_object_get(blk,
			    "thinking"));
		} else if (strcmp(bt, "tool_use") == 0) {
			step_open(b, "tool", "tool", jstr(blk, "name"));
			tool_input(b, json_object_get(blk, "input"));
			ab_buf_adds(b, "</li>");
		} else if (strcmp(bt, "tool_result") == 0) {
			step_open(b, "result", json_is_true(json_object_get(
			    blk, "is_error")) ? "tool error" : "tool result",
			    NULL);
			result_text(b, json_object_get(blk, "content"));
			ab_buf_adds(b, "</li>");
		} else {
			continue;
		}
		n++;
	}
	return n;
}

/* Codex CLI's --json events. */
static int
codex_step(struct ab_buf *b, const json_t *e, const char *type)
{
	const json_t *it = json_object_get(e, "item");
	const char *it_type = jstr(it, "type");
	struct ab_buf t = AB_BUF_INIT;
	size_t i;
	json_t *c;

	if (strcmp(type, "error") == 0 || strcmp(type, "turn.failed") == 0) {
		text_step(b, "err", "error", json_object_get(e, "message") ?
		    json_object_get(e, "message") : json_object_get(e,
		    "error"));
		return 1;
	}
	if (strcmp(type, "item.completed") != 0 || it_type == NULL)
		return 0;
	if (strcmp(it_type, "agent_message") == 0) {
		text_step(b, "text", "assistant", json_object_get(it, "text"));
	} else if (strcmp(it_type, "reasoning") == 0) {
		text_step(b, "think", "thinking", json_object_get(it, "text"));
	} else if (strcmp(it_type, "command_execution") == 0) {
		step_open(b, "tool", "tool", "shell");
		ab_buf_adds(b, "<pre class=\"in\">");
		hval(b, json_object_get(it, "command"), CUT_STEP);
		ab_buf_adds(b, "</pre><pre class=\"out\">");
		hval(b, json_object_get(it, "aggregated_output"), CUT_STEP);
		ab_buf_adds(b, "</pre>");
		if (json_is_number(json_object_get(it, "exit_code")))
			ab_buf_addf(b, "<small>exit %.0f</small>", jdbl(it,
			    "exit_code"));
		ab_buf_adds(b, "</li>");
	} else if (strcmp(it_type, "file_change") == 0) {
		json_array_foreach(json_object_get(it, "changes"), i, c)
			ab_buf_addf(&t, "%s%s %s", t.len ? "\n" : "",
			    jstr(c, "kind") ? jstr(c, "kind") : "change",
			    jstr(c, "path") ? jstr(c, "path") : "?");
		step_open(b, "tool", "tool", "edit");
		ab_buf_adds(b, "<pre class=\"in\">");
		hcut(b, t.s ? t.s : "", t.len, CUT_STEP);
		ab_buf_adds(b, "</pre></li>");
	} else {
		step_open(b, "tool", "tool", it_type);
		tool_input(b, it);
		ab_buf_adds(b, "</li>");
	}
	ab_buf_release(&t);
	return 1;
}

/* Any other JSON line: a tool action, a message, or the line itself. */
static int
generic_step(struct ab_buf *b, const json_t *e, const char *type)
{
	const char *tool = jstr(e, "tool") ? jstr(e, "tool") : jstr(e, "name");
	const json_t *in = json_object_get(e, "input"),
	    *out = json_object_get(e, "output");

	if (tool != NULL && (in != NULL || out != NULL)) {
		step_open(b, "tool", "tool", tool);
		tool_input(b, in);
		if (out != NULL) {
			ab_buf_adds(b, "<pre class=\"out\">");
			hval(b, out, CUT_STEP);
			ab_buf_adds(b, "</pre>");
		}
		ab_buf_adds(b, "</li>");
	} else if (json_object_get(e, "text") != NULL) {
		text_step(b, type != NULL && strcmp(type, "error") == 0 ?
		    "err" : "text", type != NULL ? type : "message",
		    json_object_get(e, "text"));
	} else {
		text_step(b, "other", type != NULL ? type : "event", e);
	}
	return 1;
}

/* A model call as a step of the timeline. */
static void
call_step(struct ab_buf *b, const json_t *c, size_t k)
{
	const json_t *tok = json_object_get(c, "tokens");
	const char *kind = jstr(json_object_get(c, "error"), "kind");
	double d;

	ab_buf_addf(b, "<li class=\"step step-call\"><span class=\"sk\">"
	    "model call %zu</span> ", k + 1);
	hval(b, json_object_get(c, "model"), 128);
	if (!isnan(d = jdbl(tok, "in")))
		ab_buf_addf(b, " \xc2\xb7 %.0f tokens in", d);
	if (!isnan(d = jdbl(tok, "out")))
		ab_buf_addf(b, ", %.0f out", d);
	if (!isnan(d = jdbl(c, "latency_ms")))
		ab_buf_addf(b, " \xc2\xb7 %.0f ms", d);
	if (json_is_true(json_object_get(c, "cached")))
		ab_buf_adds(b, " \xc2\xb7 cached");
	if (kind != NULL) {
		ab_buf_adds(b, " \xc2\xb7 <b>");
		hescs(b, kind);
		ab_buf_adds(b, "</b>");
	}
	ab_buf_adds(b, "</li>");
}

static void
time_mark(struct ab_buf *b, double ms)
{
	ab_buf_addf(b, "<li class=\"tm\">+%.3f s</li>", ms / 1000);
}

static const json_t *tl_calls;	/* for cmp_call_at (rendering is one
				   thread) */

static int
cmp_call_at(const void *a, const void *b)
{
	double x = jdbl(json_array_get(tl_calls, *(const size_t *)a), "t_ms");
	double y = jdbl(json_array_get(tl_calls, *(const size_t *)b), "t_ms");

	return x < y ? -1 : x > y ? 1 : *(const size_t *)a <
	    *(const size_t *)b ? -1 : 1;
}

/*
 * The agent's transcript tr, step by step.  With the times ab-gen read
 * its lines (times, gen.transcript_ms) and the calls' (cl, their t_ms),
 * one timeline: the model calls among the steps, in the order they
 * happened, each event under its time since the trial started.
 */
static void
steps(struct ab_buf *b, const json_t *tr, const json_t *times,
    const json_t *cl)
{
	size_t i, n = json_array_size(tr), start, *ord = NULL, nc = 0, c = 0;
	int shown = 0;
	bool timed;
	json_t *e;

	if (!json_is_array(tr) || n == 0) {
		ab_buf_adds(b, "<h4>Steps</h4><p class=\"none\">No transcript "
		    "(the agent's descriptor reads its output as text).</p>");
		return;
	}
	timed = json_array_size(times) == n;
	if (timed && json_is_array(cl)) {
		ord = ab_xcalloc(json_array_size(cl) + 1, sizeof *ord);
		json_array_foreach(cl, i, e)
			if (!isnan(jdbl(e, "t_ms")))
				ord[nc++] = i;
		tl_calls = cl;
		qsort(ord, nc, sizeof *ord, cmp_call_at);
	}
	if (nc > 0)
		ab_buf_addf(b, "<h4>Timeline (%zu events, %zu model call%s)"
		    "</h4><ol class=\"steps\">", n, nc, nc == 1 ? "" : "s");
	else
		ab_buf_addf(b, "<h4>Steps (%zu events)</h4><ol class=\"steps\">",
		    n);
	start = b->len;
	json_array_foreach(tr, i, e) {
		const char *type = jstr(e, "type");
		const json_t *tv = timed ? json_array_get(times, i) : NULL;
		double at = json_is_number(tv) ? json_number_value(tv) : NAN;
		size_t before;
		int k = 0;

		if (shown >= MAX_STEPS || b->len - start > MAX_STEPS_BYTES) {
			ab_buf_addf(b, "<li class=\"cut\">%zu more events not "
			    "shown</li>", n - i);
			break;
		}
		/* The calls that began before the agent printed this. */
		for (; c < nc && !(jdbl(json_array_get(cl, ord[c]), "t_ms") >
		    at); c++, shown++) {
			time_mark(b, jdbl(json_array_get(cl, ord[c]), "t_ms"));
			call_step(b, json_array_get(cl, ord[c]), ord[c]);
		}
		if (!json_is_object(e))
			continue;
		before = b->len;
		if (!isnan(at))
			time_mark(b, at);
		if (type != NULL && (strcmp(type, "assistant") == 0 ||
		    strcmp(type, "user") == 0 || strcmp(type, "system") == 0 ||
		    strcmp(type, "result") == 0) &&
		    (json_object_get(e, "message") != NULL ||
		    strcmp(type, "system") == 0 || strcmp(type, "result") == 0))
			k = claude_step(b, e, type);
		else if (type != NULL && (strncmp(type, "item.", 5) == 0 ||
		    strncmp(type, "turn.", 5) == 0 ||
		    strncmp(type, "thread.", 7) == 0))
			k = codex_step(b, e, type);
		else
			k = generic_step(b, e, type);
		if (k == 0)
			b->len = before;	/* no step: no time either */
		shown += k;
	}
	/* Calls after the last line (when none was cut). */
	for (; c < nc && i == n && shown < MAX_STEPS; c++, shown++) {
		time_mark(b, jdbl(json_array_get(cl, ord[c]), "t_ms"));
		call_step(b, json_array_get(cl, ord[c]), ord[c]);
	}
	ab_buf_adds(b, "</ol>");
	free(ord);
}

static void
calls(struct ab_buf *b, const json_t *cl)
{
	size_t i, n = json_array_size(cl);
	json_t *c;

	if (n == 0) {
		ab_buf_adds(b, "<h4>Model calls</h4><p class=\"none\">No model "
		    "call.</p>");
		return;
	}
	ab_buf_addf(b, "<h4>Model calls (%zu)</h4><div class=\"tw\"><table "
	    "class=\"calls\"><thead><tr><th>#</th><th>role</th><th>model</th>"
	    "<th>endpoint</th><th>status</th><th>tokens in</th>"
	    "<th>tokens out</th><th>latency ms</th><th>ttft ms</th>"
	    "<th>cost $</th><th>error</th></tr></thead><tbody>", n);
	json_array_foreach(cl, i, c) {
		const json_t *tok = json_object_get(c, "tokens");

		if (i == MAX_CALLS) {
			ab_buf_addf(b, "<tr><td colspan=\"11\" class=\"cut\">"
			    "%zu more calls not shown</td></tr>", n - i);
			break;
		}
		ab_buf_addf(b, "<tr class=\"call\"><td class=\"n\">%zu</td><td>",
		    i + 1);
		hval(b, json_object_get(c, "role"), 64);
		ab_buf_adds(b, "</td><td>");
		hval(b, json_object_get(c, "model"), 128);
		ab_buf_adds(b, "</td><td>");
		hval(b, json_object_get(c, "endpoint"), 128);
		ab_buf_adds(b, "</td>");
		ncell(b, jdbl(c, "status"), 0);
		ncell(b, jdbl(tok, "in"), 0);
		ncell(b, jdbl(tok, "out"), 0);
		ncell(b, jdbl(c, "latency_ms"), 0);
		ncell(b, jdbl(c, "ttft_ms"), 0);
		ncell(b, jdbl(c, "cost_usd"), 6);
		ab_buf_adds(b, "<td>");
		hval(b, json_object_get(json_object_get(c, "error"), "kind"),
		    64);
		ab_buf_adds(b, "</td></tr>");
	}
	ab_buf_adds(b, "</tbody></table></div>");
}

/* The patch, a class a line: file headers, hunks, additions, deletions. */
static void
patch(struct ab_buf *b, const json_t *p)
{
	const char *s = json_string_value(p), *e, *nl;
	size_t n = json_string_length(p), k = n;

	if (s == NULL) {
		ab_buf_adds(b, "<h4>Patch</h4><p class=\"none\">No patch.</p>");
		return;
	}
	if (n == 0) {
		ab_buf_adds(b, "<h4>Patch</h4><p class=\"none\">No change.</p>");
		return;
	}
	if (k > CUT_PATCH) {
		/* At the end of a line, or of a character in a line too
		 * long for that. */
		k = CUT_PATCH;
		while (k > 0 && s[k - 1] != '\n')
			k--;
		if (k == 0)
			for (k = CUT_PATCH; k > 0 &&
			    ((unsigned char)s[k] & 0xc0) == 0x80; k--)
				;
	}
	ab_buf_addf(b, "<h4>Patch (%zu bytes)</h4><pre class=\"diff\">", n);
	for (e = s + k; s < e; s = nl + 1) {
		const char *cls = NULL;

		nl = memchr(s, '\n', (size_t)(e - s));
		if (nl == NULL)
			nl = e;
		if (strncmp(s, "diff --git", 10) == 0 ||
		    strncmp(s, "+++", 3) == 0 || strncmp(s, "---", 3) == 0 ||
		    strncmp(s, "index ", 6) == 0)
			cls = "dh";
		else if (*s == '@')
			cls = "dk";
		else if (*s == '+')
			cls = "da";
		else if (*s == '-')
			cls = "dd";
		if (cls != NULL)
			ab_buf_addf(b, "<span class=\"%s\">", cls);
		hesc(b, s, (size_t)(nl - s));
		ab_buf_adds(b, cls != NULL ? "</span>\n" : "\n");
		if (nl == e)
			break;
	}
	if (k < n)
		ab_buf_addf(b, "<span class=\"cut\">\xe2\x80\xa6 [%zu more "
		    "bytes]</span>", n - k);
	ab_buf_adds(b, "</pre>");
}

/* A heading, then exec's verdict with its tests passed, exit status, time
 * and peak memory; false (with none) when it did not run. */
static bool
verdict_line(struct ab_buf *b, const json_t *ex, const char *heading,
    const char *none)
{
	ab_buf_addf(b, "<h4>%s</h4>", heading);
	if (!json_is_object(ex) || json_object_get(ex, "skipped") != NULL) {
		ab_buf_addf(b, "<p class=\"none\">%s</p>", none);
		return false;
	}
	ab_buf_adds(b, "<p class=\"grade\">verdict <b>");
	hval(b, json_object_get(ex, "verdict"), 64);
	ab_buf_adds(b, "</b>");
	if (json_is_number(json_object_get(ex, "total")))
		ab_buf_addf(b, ", %.0f of %.0f tests passed", jdbl(ex,
		    "passed"), jdbl(ex, "total"));
	if (json_is_number(json_object_get(ex, "exit")))
		ab_buf_addf(b, ", exit %.0f", jdbl(ex, "exit"));
	if (json_is_number(json_object_get(ex, "wall_ms")))
		ab_buf_addf(b, ", %.0f ms", jdbl(ex, "wall_ms"));
	if (json_is_number(json_object_get(ex, "cpu_ms")))
		ab_buf_addf(b, " (cpu %.0f ms)", jdbl(ex, "cpu_ms"));
	if (json_is_number(json_object_get(ex, "peak_kb")))
		ab_buf_addf(b, ", peak %.0f KiB", jdbl(ex, "peak_kb"));
	ab_buf_adds(b, "</p>");
	return true;
}

static void
exec_notes(struct ab_buf *b, const json_t *ex)
{
	if (json_array_size(json_object_get(ex, "notes")) > 0) {
		ab_buf_adds(b, "<p class=\"notes\">");
		hval(b, json_object_get(ex, "notes"), CUT_STEP);
		ab_buf_adds(b, "</p>");
	}
}

/* A table of the tests: name, verdict and time, or with detail their
 * expected and actual values and error instead of the time. */
static void
tests_table(struct ab_buf *b, const json_t *tests, bool detail)
{
	const json_t *t;
	size_t i, n = json_array_size(tests);

	if (n == 0)
		return;
	ab_buf_addf(b, "<table class=\"tests\"><thead><tr><th>test</th>"
	    "<th>verdict</th>%s</tr></thead><tbody>", detail ?
	    "<th>expected</th><th>actual</th><th>error</th>" : "<th>ms</th>");
	json_array_foreach(tests, i, t) {
		const char *v = jstr(t, "verdict");

		if (i == MAX_TESTS) {
			ab_buf_addf(b, "<tr><td colspan=\"%d\" class=\"cut\">"
			    "%zu more tests not shown</td></tr>", detail ? 5 :
			    3, n - i);
			break;
		}
		ab_buf_adds(b, "<tr class=\"test\"><td>");
		hval(b, json_object_get(t, "name"), 256);
		ab_buf_addf(b, "</td><td class=\"%s\">", v != NULL &&
		    strcmp(v, "ok") == 0 ? "ok" : "ko");
		hescs(b, v);
		ab_buf_adds(b, "</td>");
		if (!detail) {
			ncell(b, jdbl(t, "time_ms"), 0);
			ab_buf_adds(b, "</tr>");
			continue;
		}
		ab_buf_adds(b, "<td><code>");
		hval(b, json_object_get(t, "expected"), CUT_VALUE);
		ab_buf_adds(b, "</code></td><td><code>");
		hval(b, json_object_get(t, "actual"), CUT_VALUE);
		ab_buf_adds(b, "</code></td><td>");
		hval(b, json_object_get(t, "error"), CUT_VALUE);
		if (jstr(t, "signal") != NULL) {
			ab_buf_adds(b, " ");
			hescs(b, jstr(t, "signal"));
		}
		ab_buf_adds(b, "</td></tr>");
	}
	ab_buf_adds(b, "</tbody></table>");
}

static void
grading(struct ab_buf *b, const json_t *ex)
{
	if (!verdict_line(b, ex, "Grading", "Not graded."))
		return;
	tests_table(b, json_object_get(ex, "tests"), false);
	if (json_string_length(json_object_get(ex, "stdout")) > 0) {
		ab_buf_adds(b, "<p>The hidden tests' output:</p>"
		    "<pre class=\"test-out\">");
		hval(b, json_object_get(ex, "stdout"), CUT_OUTPUT);
		ab_buf_adds(b, "</pre>");
	}
	if (json_string_length(json_object_get(ex, "stderr")) > 0) {
		ab_buf_adds(b, "<p>Their standard error:</p>"
		    "<pre class=\"test-out\">");
		hval(b, json_object_get(ex, "stderr"), CUT_OUTPUT);
		ab_buf_adds(b, "</pre>");
	}
	exec_notes(b, ex);
}

static void
stage_errors(struct ab_buf *b, const json_t *r)
{
	static const char *const stages[] = { "gen", "extract", "exec" };
	const json_t *e;
	size_t i;

	for (i = 0; i < 3; i++) {
		e = json_object_get(json_object_get(r, stages[i]), "error");
		if (!json_is_object(e))
			continue;
		ab_buf_addf(b, "<p class=\"err\">%s error <b>", stages[i]);
		hval(b, json_object_get(e, "kind"), 64);
		ab_buf_adds(b, "</b>: ");
		hval(b, json_object_get(e, "message"), CUT_STEP);
		ab_buf_adds(b, "</p>");
	}
}

int
rk_trajectory_html(const char *text, size_t len, struct ab_buf *out)
{
	json_t *r = json_loadb(text, len, 0, NULL), *gen, *ex, *xt, *tr;
	const char *verdict;
	double d;

	if (!json_is_object(r)) {
		json_decref(r);
		return -1;
	}
	gen = json_object_get(r, "gen");
	ex = json_object_get(r, "exec");
	xt = json_object_get(r, "extract");
	tr = json_object_get(gen, "trial");
	verdict = jstr(ex, "verdict");
	if (verdict == NULL)
		verdict = json_is_object(json_object_get(gen, "error")) ?
		    "gen_error" : json_is_object(json_object_get(xt,
		    "error")) ? "extract_error" : "not_run";
	ab_buf_addf(out, "<details class=\"trial\"><summary><span class=\"%s\">",
	    strcmp(verdict, "ok") == 0 ? "ok" : "ko");
	hescs(out, verdict);
	ab_buf_adds(out, "</span> <code>");
	hval(out, json_object_get(r, "id"), 256);
	ab_buf_adds(out, "</code> \xc2\xb7 ");
	hval(out, json_object_get(tr, "outcome"), 32);
	if (!json_is_object(tr))
		ab_buf_adds(out, "no trial");
	ab_buf_addf(out, " \xc2\xb7 %zu calls", json_array_size(
	    json_object_get(gen, "calls")));
	if (!isnan(d = jdbl(gen, "cost_usd")))
		ab_buf_addf(out, " \xc2\xb7 $%.4f", d);
	if (!isnan(d = jdbl(tr, "wall_ms")))
		ab_buf_addf(out, " \xc2\xb7 agent %.1f s", d / 1000);
	if (!isnan(d = jdbl(ex, "wall_ms")))
		ab_buf_addf(out, " \xc2\xb7 grading %.1f s", d / 1000);
	ab_buf_adds(out, "</summary><div class=\"traj\">");
	stage_errors(out, r);
	ab_buf_adds(out, "<h4>Instruction</h4><pre class=\"instr\">");
	hval(out, json_object_get(json_object_get(r, "task"), "prompt"),
	    CUT_INSTRUCTION);
	ab_buf_adds(out, "</pre>");
	calls(out, json_object_get(gen, "calls"));
	steps(out, json_object_get(gen, "transcript"), json_object_get(gen,
	    "transcript_ms"), json_object_get(gen, "calls"));
	ab_buf_adds(out, "<h4>Final message</h4><pre class=\"final\">");
	hval(out, json_object_get(gen, "text"), CUT_TEXT);
	ab_buf_adds(out, "</pre>");
	if (json_string_length(json_object_get(gen, "stderr")) > 0) {
		ab_buf_adds(out, "<details><summary>the agent's standard error"
		    "</summary><pre class=\"stderr\">");
		hval(out, json_object_get(gen, "stderr"), CUT_STDERR);
		ab_buf_adds(out, "</pre></details>");
	}
	patch(out, json_object_get(gen, "patch"));
	grading(out, ex);
	ab_buf_adds(out, "</div></details>");
	json_decref(r);
	return 0;
}

static const int *tj_rank;

static int
traj_cmp(const void *a, const void *b)
{
	const struct traj *x = a, *y = b;
	int r;

	if (tj_rank[x->cfg] != tj_rank[y->cfg])
		return tj_rank[x->cfg] - tj_rank[y->cfg];
	if ((r = strcmp(x->task, y->task)) != 0)
		return r;
	if ((r = strcmp(x->run, y->run)) != 0)
		return r;
	return x->sample < y->sample ? -1 : x->sample > y->sample;
}

/* ---- transcripts of other attempts ---------------------------------------- */

/* Each test with its expected and actual value and its error. */
static void
tests_detail(struct ab_buf *b, const json_t *ex)
{
	if (!verdict_line(b, ex, "Tests", "Not run."))
		return;
	tests_table(b, json_object_get(ex, "tests"), true);
	exec_notes(b, ex);
}

int
rk_transcript_html(const char *text, size_t len, struct ab_buf *out,
    struct ab_buf *prompt)
{
	json_t *r = json_loadb(text, len, 0, NULL), *gen, *sc;
	double d;

	if (!json_is_object(r)) {
		json_decref(r);
		return -1;
	}
	gen = json_object_get(r, "gen");
	sc = json_object_get(r, "score");
	ab_buf_adds(out, "<div class=\"tx\">");
	stage_errors(out, r);
	ab_buf_adds(out, "<h4>Answer</h4><pre class=\"ans\">");
	hval(out, json_object_get(gen, "text"), CUT_ANSWER);
	ab_buf_adds(out, "</pre><h4>Code</h4><pre class=\"code\">");
	hval(out, json_object_get(json_object_get(r, "extract"), "code"),
	    CUT_CODE);
	ab_buf_adds(out, "</pre>");
	tests_detail(out, json_object_get(r, "exec"));
	if (json_is_object(sc) && json_object_get(sc, "skipped") == NULL) {
		ab_buf_adds(out, "<p class=\"score\">score");
		if (!isnan(d = jdbl(sc, "total")))
			ab_buf_addf(out, " <b>%.1f</b>", d);
		if (jstr(sc, "grade") != NULL) {
			ab_buf_adds(out, ", grade ");
			hescs(out, jstr(sc, "grade"));
		}
		if (json_object_size(json_object_get(sc, "dimensions")) > 0) {
			ab_buf_adds(out, ", ");
			hval(out, json_object_get(sc, "dimensions"),
			    CUT_STEP);
		}
		ab_buf_adds(out, "</p>");
	}
	ab_buf_adds(out, "</div>");
	if (json_string_length(json_object_get(json_object_get(r, "task"),
	    "prompt")) > 0)
		hval(prompt, json_object_get(json_object_get(r, "task"),
		    "prompt"), CUT_PROMPT);
	json_decref(r);
	return 0;
}

static const char traj_css[] =
	"<style>"
	".trial{margin:6px 0;border-left:3px solid #d5dae3;padding-left:8px}"
	".trial>summary{font-size:13px}.traj h4{margin:10px 0 4px;"
	"font-size:13px}.steps{padding-left:22px}.step{margin:4px 0}"
	".sk{font-weight:600;color:#2b4f8a}.step-tool .sk{color:#8a5a00}"
	".step-result .sk{color:#555}.step-err .sk,.err b{color:#c62828}"
	".step pre,.traj pre{max-height:260px;white-space:pre-wrap;"
	"word-break:break-word;margin:3px 0}.cut{color:#e0a030;"
	"font-style:italic}.diff .da{color:#9be29b}.diff .dd{color:#ff9d9d}"
	".diff .dh{color:#9fc3ff;font-weight:600}.diff .dk{color:#d6b4ff}"
	".none{color:#888}.tm{list-style:none;color:#888;font-size:11px;"
	"margin-top:6px}.step-call .sk{color:#2e7d32}"
	"</style>";

void
rk_html_trajectories(struct ab_buf *b, const struct rk_model *m,
    const struct rk_opts *o)
{
	const struct rk_trials *t = m->trials;
	int *order, *rank;
	size_t i;

	if (t == NULL || t->nt == 0)
		return;
	order = rk_config_order(m, o);
	rank = ab_xcalloc(m->nconfigs + 1, sizeof *rank);
	for (i = 0; i < m->nconfigs; i++)
		rank[order[i]] = (int)i;
	tj_rank = rank;
	qsort(t->t, t->nt, sizeof *t->t, traj_cmp);
	ab_buf_adds(b, traj_css);
	ab_buf_addf(b, "<h3 id=\"trajectories\">Trajectories</h3><p>Each trial "
	    "step by step: the instruction, the model calls as the relay "
	    "metered them, the agent's transcript, its patch and the hidden "
	    "tests' verdict.</p>");
	if (t->seen > (long)t->nt)
		ab_buf_addf(b, "<p class=\"cut\">The first %zu of %ld trials "
		    "are shown.</p>", t->nt, t->seen);
	for (i = 0; i < t->nt; i++) {
		ab_buf_addf(b, "<div class=\"trajectory\" id=\"trajectory-%zu\">"
		    "<div class=\"cfg\">", i + 1);
		hescs(b, m->configs[t->t[i].cfg].label);
		ab_buf_adds(b, "</div>");
		ab_buf_adds(b, t->t[i].html);
		ab_buf_adds(b, "</div>\n");
	}
	free(rank);
	free(order);
}
