/*
 * model.c - the accumulators: runs, configurations, tasks and one cell per
 * run x configuration x task.  Memory grows with those, never with the
 * number of records.
 */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

/* ---- an open-addressing table of indexes, keyed by 64-bit hashes ------- */

struct rk_map {
	uint64_t *h;
	int *idx;		/* -1: empty */
	size_t cap, n;
};

typedef bool (*eq_fn)(const void *ctx, int idx, const void *key);

static struct rk_map *
map_new(void)
{
	struct rk_map *m = ab_xcalloc(1, sizeof *m);
	size_t i;

	m->cap = 64;
	m->h = ab_xcalloc(m->cap, sizeof *m->h);
	m->idx = ab_xmalloc(m->cap * sizeof *m->idx);
	for (i = 0; i < m->cap; i++)
		m->idx[i] = -1;
	return m;
}

static void
map_free(struct rk_map *m)
{
	if (m == NULL)
		return;
	free(m->h);
	free(m->idx);
	free(m);
}

static int
map_find(const struct rk_map *m, uint64_t h, eq_fn eq, const void *ctx,
    const void *key)
{
	size_t i = (size_t)h & (m->cap - 1);

	while (m->idx[i] >= 0) {
		if (m->h[i] == h && eq(ctx, m->idx[i], key))
			return m->idx[i];
		i = (i + 1) & (m->cap - 1);
	}
	return -1;
}

static void
map_put(struct rk_map *m, uint64_t h, int idx)
{
	size_t i, j, ocap;
	uint64_t *oh;
	int *oi;

	if ((m->n + 1) * 2 > m->cap) {
		ocap = m->cap;
		oh = m->h;
		oi = m->idx;
		m->cap *= 2;
		m->h = ab_xcalloc(m->cap, sizeof *m->h);
		m->idx = ab_xmalloc(m->cap * sizeof *m->idx);
		for (i = 0; i < m->cap; i++)
			m->idx[i] = -1;
		for (j = 0; j < ocap; j++) {
			if (oi[j] < 0)
				continue;
			i = (size_t)oh[j] & (m->cap - 1);
			while (m->idx[i] >= 0)
				i = (i + 1) & (m->cap - 1);
			m->h[i] = oh[j];
			m->idx[i] = oi[j];
		}
		free(oh);
		free(oi);
	}
	i = (size_t)h & (m->cap - 1);
	while (m->idx[i] >= 0)
		i = (i + 1) & (m->cap - 1);
	m->h[i] = h;
	m->idx[i] = idx;
	m->n++;
}

static uint64_t
hash_str(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h ^ (h >> 29);
}

static uint64_t
hash_cell(int a, int b, int c)
{
	uint64_t h = (uint64_t)(unsigned)a * 0x9e3779b97f4a7c15ULL;

	h ^= (uint64_t)(unsigned)b * 0xc2b2ae3d27d4eb4fULL + (h << 6);
	h ^= (uint64_t)(unsigned)c * 0x165667b19e3779f9ULL + (h >> 2);
	return h ^ (h >> 31);
}

static bool
run_eq(const void *ctx, int i, const void *key)
{
	return strcmp(((const struct rk_model *)ctx)->runs[i].id, key) == 0;
}

static bool
config_eq(const void *ctx, int i, const void *key)
{
	return strcmp(((const struct rk_model *)ctx)->configs[i].hash,
	    key) == 0;
}

static bool
task_eq(const void *ctx, int i, const void *key)
{
	return strcmp(((const struct rk_model *)ctx)->tasks[i].id, key) == 0;
}

static bool
cell_eq(const void *ctx, int i, const void *key)
{
	const struct rk_cell *c = &((const struct rk_model *)ctx)->cells[i];
	const int *k = key;

	return c->run == k[0] && c->config == k[1] && c->task == k[2];
}

/* ---- counters ---------------------------------------------------------- */

static struct rk_count *
count_get(struct rk_counts *l, const char *k1, const char *k2,
    const char *k3)
{
	struct rk_count *c;
	size_t i;

	for (i = 0; i < l->n; i++) {
		c = &l->v[i];
		if (strcmp(c->key, k1) == 0 &&
		    (k2 == NULL || strcmp(c->key2, k2) == 0) &&
		    (k3 == NULL || strcmp(c->key3, k3) == 0))
			return c;
	}
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->v = ab_xrealloc(l->v, l->cap * sizeof *l->v);
	}
	c = &l->v[l->n++];
	memset(c, 0, sizeof *c);
	c->key = ab_xstrdup(k1);
	c->key2 = ab_xstrdup(k2 != NULL ? k2 : "");
	c->key3 = ab_xstrdup(k3 != NULL ? k3 : "");
	return c;
}

static void
count_example(struct rk_count *c, const char *id)
{
	if (id != NULL && c->nex < 3)
		c->ex[c->nex++] = ab_xstrdup(id);
}

static void
counts_release(struct rk_counts *l)
{
	size_t i;
	int k;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].key);
		free(l->v[i].key2);
		free(l->v[i].key3);
		for (k = 0; k < l->v[i].nex; k++)
			free(l->v[i].ex[k]);
	}
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* ---- the model ----------------------------------------------------------- */

void
rk_model_init(struct rk_model *m)
{
	memset(m, 0, sizeof *m);
	m->run_map = map_new();
	m->config_map = map_new();
	m->task_map = map_new();
	m->cell_map = map_new();
	m->last_run = m->last_config = m->last_task = -1;
}

void
rk_model_release(struct rk_model *m)
{
	size_t i;
	int k;

	for (i = 0; i < m->nruns; i++) {
		free(m->runs[i].id);
		free(m->runs[i].started);
		free(m->runs[i].status);
	}
	for (i = 0; i < m->nconfigs; i++) {
		struct rk_config *c = &m->configs[i];

		free(c->hash);
		free(c->name);
		free(c->label);
		counts_release(&c->grades);
		counts_release(&c->verdicts);
		counts_release(&c->errors);
		counts_release(&c->notrun);
		counts_release(&c->dims);
		counts_release(&c->agents);
	}
	for (i = 0; i < m->ntasks; i++) {
		free(m->tasks[i].id);
		free(m->tasks[i].language);
		free(m->tasks[i].difficulty);
		free(m->tasks[i].category);
		free(m->tasks[i].suite);
		free(m->tasks[i].prompt);
	}
	for (i = 0; i < m->ncells; i++) {
		for (k = 0; k < m->cells[i].nkept; k++) {
			free(m->cells[i].kept[k].id);
			free(m->cells[i].kept[k].verdict);
			free(m->cells[i].kept[k].code);
			free(m->cells[i].kept[k].tx);
		}
		free(m->cells[i].kept);
	}
	for (i = 0; i < m->nlatest; i++) {
		free(m->latest_v[i].hash);
		free(m->latest_v[i].run);
	}
	free(m->latest_v);
	rk_trials_free(m->trials);
	free(m->runs);
	free(m->configs);
	free(m->tasks);
	free(m->cells);
	map_free(m->run_map);
	map_free(m->config_map);
	map_free(m->task_map);
	map_free(m->cell_map);
	memset(m, 0, sizeof *m);
}

static void *
grow(void *v, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return v;
	*cap = *cap ? *cap * 2 : 16;
	return ab_xrealloc(v, *cap * size);
}

static int
run_index(struct rk_model *m, const char *id)
{
	uint64_t h;
	int i;

	if (m->last_run >= 0 && strcmp(m->runs[m->last_run].id, id) == 0)
		return m->last_run;
	h = hash_str(id);
	if ((i = map_find(m->run_map, h, run_eq, m, id)) < 0) {
		m->runs = grow(m->runs, &m->runs_cap, m->nruns,
		    sizeof *m->runs);
		i = (int)m->nruns++;
		memset(&m->runs[i], 0, sizeof m->runs[i]);
		m->runs[i].id = ab_xstrdup(id);
		m->runs[i].order = i;
		map_put(m->run_map, h, i);
	}
	return m->last_run = i;
}

static int
config_index(struct rk_model *m, const char *hash, const char *name)
{
	uint64_t h;
	int i;

	if (m->last_config >= 0 &&
	    strcmp(m->configs[m->last_config].hash, hash) == 0)
		return m->last_config;
	h = hash_str(hash);
	if ((i = map_find(m->config_map, h, config_eq, m, hash)) < 0) {
		m->configs = grow(m->configs, &m->configs_cap, m->nconfigs,
		    sizeof *m->configs);
		i = (int)m->nconfigs++;
		memset(&m->configs[i], 0, sizeof m->configs[i]);
		m->configs[i].hash = ab_xstrdup(hash);
		m->configs[i].name = ab_xstrdup(name);
		map_put(m->config_map, h, i);
	}
	return m->last_config = i;
}

static void
set_attr(char **slot, const char *v)
{
	if (*slot == NULL && v != NULL && *v != '\0')
		*slot = ab_xstrdup(v);
}

static int
task_index(struct rk_model *m, const struct rk_attempt *a)
{
	struct rk_task *t;
	uint64_t h;
	int i;

	if (m->last_task >= 0 && strcmp(m->tasks[m->last_task].id,
	    a->task) == 0) {
		i = m->last_task;
	} else {
		h = hash_str(a->task);
		if ((i = map_find(m->task_map, h, task_eq, m, a->task)) < 0) {
			m->tasks = grow(m->tasks, &m->tasks_cap, m->ntasks,
			    sizeof *m->tasks);
			i = (int)m->ntasks++;
			memset(&m->tasks[i], 0, sizeof m->tasks[i]);
			m->tasks[i].id = ab_xstrdup(a->task);
			map_put(m->task_map, h, i);
		}
		m->last_task = i;
	}
	t = &m->tasks[i];
	set_attr(&t->language, a->language);
	set_attr(&t->difficulty, a->difficulty);
	set_attr(&t->category, a->category);
	set_attr(&t->suite, a->suite);
	return i;
}

static int
cell_index(struct rk_model *m, int run, int config, int task)
{
	int key[3] = { run, config, task }, i;
	uint64_t h = hash_cell(run, config, task);
	struct rk_cell *c;

	if ((i = map_find(m->cell_map, h, cell_eq, m, key)) >= 0)
		return i;
	m->cells = grow(m->cells, &m->cells_cap, m->ncells, sizeof *m->cells);
	i = (int)m->ncells++;
	c = &m->cells[i];
	memset(c, 0, sizeof *c);
	c->run = run;
	c->config = config;
	c->task = task;
	map_put(m->cell_map, h, i);
	return i;
}

/* Keep an attempt whole when it is among the RK_KEEP of lowest sample
 * (ties: the first kept). */
static void
keep(struct rk_cell *c, const char *id, const char *verdict,
    const char *code, const char *tx, long sample, double score)
{
	struct rk_kept *k;
	int i, worst = 0;

	if (c->kept == NULL)
		c->kept = ab_xcalloc(RK_KEEP, sizeof *c->kept);
	if (c->nkept < RK_KEEP) {
		k = &c->kept[c->nkept++];
	} else {
		for (i = 1; i < RK_KEEP; i++)
			if (c->kept[i].sample > c->kept[worst].sample)
				worst = i;
		if (sample >= c->kept[worst].sample)
			return;
		k = &c->kept[worst];
		free(k->id);
		free(k->verdict);
		free(k->code);
		free(k->tx);
	}
	k->id = ab_xstrdup(id != NULL ? id : "");
	k->verdict = ab_xstrdup(verdict != NULL ? verdict : "");
	k->code = ab_xstrdup(code != NULL ? code : "");
	k->tx = tx != NULL ? ab_xstrdup(tx) : NULL;
	k->sample = sample;
	k->score = score;
}

static bool
wanted_config(const struct rk_model *m, const char *name, const char *hash)
{
	int i;

	if (m->nwant_configs == 0)
		return true;
	for (i = 0; i < m->nwant_configs; i++) {
		const char *w = m->want_configs[i];

		if (strcmp(w, name) == 0 ||
		    strncmp(w, hash, strlen(w)) == 0)
			return true;
	}
	return false;
}

/* The task attribute filters, on what the record says (the database
 * reader applies them in SQL, where the tasks table completes them). */
static bool
wanted_attrs(const struct rk_model *m, const struct rk_attempt *a)
{
	if (m->attrs_filtered)
		return true;
	return (m->want_language == NULL || (a->language != NULL &&
	    strcmp(a->language, m->want_language) == 0)) &&
	    (m->want_difficulty == NULL || (a->difficulty != NULL &&
	    strcmp(a->difficulty, m->want_difficulty) == 0)) &&
	    (m->want_category == NULL || (a->category != NULL &&
	    strcmp(a->category, m->want_category) == 0));
}

static bool
wanted_run(const struct rk_model *m, const char *run)
{
	int i;

	if (m->nwant_runs == 0)
		return true;
	for (i = 0; i < m->nwant_runs; i++)
		if (strcmp(m->want_runs[i], run) == 0)
			return true;
	return false;
}

static int
latest_cmp(const void *k, const void *e)
{
	return strcmp(k, ((const struct rk_latest *)e)->hash);
}

/* Is run the latest of the configuration hash (rk_model.latest)? */
static bool
latest_run(const struct rk_model *m, const char *hash, const char *run)
{
	const struct rk_latest *l;

	if (m->latest_v == NULL || hash == NULL)
		return true;
	l = bsearch(hash, m->latest_v, m->nlatest, sizeof *l, latest_cmp);
	return l == NULL || strcmp(l->run, run) == 0;
}

int
rk_model_config_runs(const struct rk_model *m, int cf, const char **run)
{
	int first = -1, n = 0;
	size_t i, k;

	*run = NULL;
	for (i = 0; i < m->ncells; i++) {
		if (m->cells[i].config != cf)
			continue;
		if (first < 0) {
			first = m->cells[i].run;
			n = 1;
			continue;
		}
		if (m->cells[i].run == first)
			continue;
		/* Count distinct runs (few per configuration). */
		for (k = 0; k < i; k++)
			if (m->cells[k].config == cf &&
			    m->cells[k].run == m->cells[i].run)
				break;
		if (k == i)
			n++;
	}
	if (first >= 0)
		*run = m->runs[first].id;
	return n;
}

int
rk_model_check_filters(const struct rk_model *m, struct ab_error *err)
{
	size_t k;
	int i;

	for (i = 0; i < m->nwant_runs; i++) {
		for (k = 0; k < m->nruns; k++)
			if (strcmp(m->runs[k].id, m->want_runs[i]) == 0)
				break;
		if (k == m->nruns)
			return ab_error_set(err, "usage", "-r %s: no such run "
			    "in the input", m->want_runs[i]);
	}
	for (i = 0; i < m->nwant_configs; i++) {
		const char *w = m->want_configs[i];

		for (k = 0; k < m->nconfigs; k++)
			if (strcmp(m->configs[k].name, w) == 0 ||
			    strncmp(m->configs[k].hash, w, strlen(w)) == 0)
				break;
		if (k == m->nconfigs)
			return ab_error_set(err, "usage", "-c %s: no such "
			    "configuration in the input%s", w,
			    m->nwant_runs > 0 ? " (within the runs named "
			    "by -r)" : "");
	}
	return 0;
}

static void
add_num(struct ab_moments *mo, double x)
{
	if (!isnan(x))
		ab_moments_add(mo, x);
}

bool
rk_model_add(struct rk_model *m, const struct rk_attempt *a)
{
	const char *run = a->run != NULL ? a->run : "";
	struct rk_config *cf;
	struct rk_count *k;
	struct rk_cell *c;
	const char *tx;
	int ri, ci, ti, b;
	size_t d;

	if (!wanted_config(m, a->config_name, a->config_hash) ||
	    !wanted_run(m, run) || !wanted_attrs(m, a))
		return false;
	if (!latest_run(m, a->config_hash, run)) {
		m->latest_dropped++;
		return false;
	}
	ri = run_index(m, run);
	ci = config_index(m, a->config_hash, a->config_name);
	ti = task_index(m, a);
	b = cell_index(m, ri, ci, ti);	/* may move m->cells */
	c = &m->cells[b];
	cf = &m->configs[ci];
	m->records++;

	k = count_get(&cf->verdicts, a->verdict, NULL, NULL);
	k->n++;
	count_example(k, a->id);
	if (a->error_kind != NULL) {
		k = count_get(&cf->errors, a->error_kind, NULL, NULL);
		k->n++;
		count_example(k, a->id);
	}
	if (a->trial.is)
		rk_trials_add(m, ci, ti, a);
	/* Kept for the report, those not run too: their error shows.  The
	 * first RK_TX_MAX transcripts in input order are kept, with their
	 * task's prompt. */
	tx = a->tx != NULL && m->ntx < RK_TX_MAX ? a->tx : NULL;
	if (tx != NULL) {
		m->ntx++;
		set_attr(&m->tasks[c->task].prompt, a->prompt);
	}
	if (m->keep_code && (a->code != NULL || tx != NULL))
		keep(c, a->id, a->verdict, a->code, tx, a->sample,
		    a->score);
	if (a->excluded) {
		c->excl++;
		count_get(&cf->notrun, a->error_kind != NULL ?
		    a->error_kind : a->verdict, run, NULL)->n++;
		return true;
	}
	c->n++;
	c->c += a->passed;
	c->succ += a->success;
	add_num(&c->score, a->score);
	add_num(&c->lat, a->latency_ms);
	add_num(&c->ttft, a->ttft_ms);
	add_num(&c->cost, a->cost_usd);
	add_num(&c->tin, a->tokens_in);
	add_num(&c->tout, a->tokens_out);
	add_num(&c->wall, a->wall_ms);
	if (a->grade != NULL)
		count_get(&cf->grades, a->grade, NULL, NULL)->n++;
	if (isnan(a->score)) {
		cf->hist[10]++;
	} else {
		b = (int)floor(a->score / 10);
		cf->hist[b < 0 ? 0 : b > 9 ? 9 : b]++;
	}
	for (d = 0; d < a->ndims; d++)
		ab_moments_add(&count_get(&cf->dims, a->dim_name[d], NULL,
		    NULL)->m, a->dim_val[d]);
	return true;
}

void
rk_model_add_call(struct rk_model *m, const struct rk_attempt *a,
    const struct rk_call *call)
{
	struct rk_config *cf;
	struct rk_count *k;
	int ci;

	if (!wanted_config(m, a->config_name, a->config_hash) ||
	    !wanted_run(m, a->run != NULL ? a->run : "") ||
	    !latest_run(m, a->config_hash, a->run != NULL ? a->run : ""))
		return;
	ci = map_find(m->config_map, hash_str(a->config_hash), config_eq, m,
	    a->config_hash);
	if (ci < 0)
		return;
	cf = &m->configs[ci];
	k = count_get(&cf->agents, call->role != NULL ? call->role : "",
	    call->name != NULL ? call->name : "",
	    call->model != NULL ? call->model : "");
	k->n++;
	if (!isnan(call->tokens_in)) {
		k->a += call->tokens_in;
		k->na++;
	}
	if (!isnan(call->tokens_out)) {
		k->b += call->tokens_out;
		k->nb++;
	}
	if (!isnan(call->cost_usd)) {
		k->c += call->cost_usd;
		k->nc++;
	}
	add_num(&k->m, call->latency_ms);
}

static void
counts_merge(struct rk_counts *d, const struct rk_counts *s)
{
	struct rk_count *k;
	size_t i;
	int e;

	for (i = 0; i < s->n; i++) {
		const struct rk_count *x = &s->v[i];

		k = count_get(d, x->key, x->key2, x->key3);
		k->n += x->n;
		for (e = 0; e < x->nex; e++)
			count_example(k, x->ex[e]);
		ab_moments_merge(&k->m, &x->m);
		k->a += x->a;
		k->b += x->b;
		k->c += x->c;
		k->na += x->na;
		k->nb += x->nb;
		k->nc += x->nc;
	}
}

void
rk_model_merge(struct rk_model *d, const struct rk_model *s)
{
	int *rmap, *cmap, *tmap, k;
	size_t i;

	d->latest_dropped += s->latest_dropped;
	rmap = ab_xcalloc(s->nruns + 1, sizeof *rmap);
	cmap = ab_xcalloc(s->nconfigs + 1, sizeof *cmap);
	tmap = ab_xcalloc(s->ntasks + 1, sizeof *tmap);
	for (i = 0; i < s->nruns; i++) {
		rmap[i] = run_index(d, s->runs[i].id);
		if (d->runs[rmap[i]].started == NULL && s->runs[i].started)
			d->runs[rmap[i]].started =
			    ab_xstrdup(s->runs[i].started);
		if (d->runs[rmap[i]].status == NULL && s->runs[i].status)
			d->runs[rmap[i]].status =
			    ab_xstrdup(s->runs[i].status);
	}
	for (i = 0; i < s->nconfigs; i++) {
		const struct rk_config *x = &s->configs[i];
		struct rk_config *y;

		cmap[i] = config_index(d, x->hash, x->name);
		y = &d->configs[cmap[i]];
		counts_merge(&y->grades, &x->grades);
		counts_merge(&y->verdicts, &x->verdicts);
		counts_merge(&y->errors, &x->errors);
		counts_merge(&y->notrun, &x->notrun);
		counts_merge(&y->dims, &x->dims);
		counts_merge(&y->agents, &x->agents);
		for (k = 0; k < 11; k++)
			y->hist[k] += x->hist[k];
	}
	for (i = 0; i < s->ntasks; i++) {
		struct rk_attempt *a = ab_xcalloc(1, sizeof *a);

		a->task = s->tasks[i].id;
		a->language = s->tasks[i].language;
		a->difficulty = s->tasks[i].difficulty;
		a->category = s->tasks[i].category;
		a->suite = s->tasks[i].suite;
		a->prompt = s->tasks[i].prompt;
		tmap[i] = task_index(d, a);
		free(a);
	}
	for (i = 0; i < s->ncells; i++) {
		const struct rk_cell *x = &s->cells[i];
		struct rk_cell *y;

		k = cell_index(d, rmap[x->run], cmap[x->config],
		    tmap[x->task]);
		y = &d->cells[k];
		y->n += x->n;
		y->c += x->c;
		y->excl += x->excl;
		y->succ += x->succ;
		ab_moments_merge(&y->score, &x->score);
		ab_moments_merge(&y->lat, &x->lat);
		ab_moments_merge(&y->ttft, &x->ttft);
		ab_moments_merge(&y->cost, &x->cost);
		ab_moments_merge(&y->tin, &x->tin);
		ab_moments_merge(&y->tout, &x->tout);
		ab_moments_merge(&y->wall, &x->wall);
		for (int e = 0; e < x->nkept; e++)
			keep(y, x->kept[e].id, x->kept[e].verdict,
			    x->kept[e].code, x->kept[e].tx,
			    x->kept[e].sample, x->kept[e].score);
	}
	rk_trials_merge(d, s, cmap, tmap);
	d->records += s->records;
	free(rmap);
	free(cmap);
	free(tmap);
}

void
rk_model_run_started(struct rk_model *m, const char *run,
    const char *started)
{
	int i = map_find(m->run_map, hash_str(run), run_eq, m, run);

	if (i >= 0 && started != NULL) {
		free(m->runs[i].started);
		m->runs[i].started = ab_xstrdup(started);
	}
}

void
rk_model_run_status(struct rk_model *m, const char *run, const char *status)
{
	int i = map_find(m->run_map, hash_str(run), run_eq, m, run);

	if (i >= 0 && status != NULL) {
		free(m->runs[i].status);
		m->runs[i].status = ab_xstrdup(status);
	}
}

void
rk_model_task_attrs(struct rk_model *m, const char *task,
    const char *language, const char *difficulty, const char *category,
    const char *suite)
{
	int i = map_find(m->task_map, hash_str(task), task_eq, m, task);

	if (i < 0)
		return;
	set_attr(&m->tasks[i].language, language);
	set_attr(&m->tasks[i].difficulty, difficulty);
	set_attr(&m->tasks[i].category, category);
	set_attr(&m->tasks[i].suite, suite);
}

static int
run_cmp(const void *a, const void *b)
{
	const struct rk_run *x = a, *y = b;
	int r;

	if (x->started != NULL && y->started != NULL &&
	    (r = strcmp(x->started, y->started)) != 0)
		return r;
	if ((x->started != NULL) != (y->started != NULL))
		return x->started != NULL ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

static int
task_cmp(const void *a, const void *b)
{
	return strcmp(((const struct rk_task *)a)->id,
	    ((const struct rk_task *)b)->id);
}

void
rk_model_finish(struct rk_model *m)
{
	long *newidx;
	size_t i, j;

	/* Tasks in id order, so that results never depend on the order of
	 * the input; renumber the cells. */
	if (m->ntasks > 1) {
		struct rk_task *old = m->tasks;
		size_t *perm = ab_xcalloc(m->ntasks, sizeof *perm);

		m->tasks = ab_xcalloc(m->tasks_cap, sizeof *m->tasks);
		memcpy(m->tasks, old, m->ntasks * sizeof *old);
		qsort(m->tasks, m->ntasks, sizeof *m->tasks, task_cmp);
		map_free(m->task_map);
		m->task_map = map_new();
		for (i = 0; i < m->ntasks; i++)
			map_put(m->task_map, hash_str(m->tasks[i].id), (int)i);
		for (i = 0; i < m->ntasks; i++)
			perm[i] = (size_t)map_find(m->task_map,
			    hash_str(old[i].id), task_eq, m, old[i].id);
		for (i = 0; i < m->ncells; i++)
			m->cells[i].task = (int)perm[m->cells[i].task];
		free(perm);
		free(old);
		m->last_task = -1;
	}

	/* Runs in time order; renumber the cells. */
	if (m->nruns > 1) {
		newidx = ab_xcalloc(m->nruns, sizeof *newidx);
		for (i = 0; i < m->nruns; i++)
			m->runs[i].order = (long)i * 2 + 1;	/* tag */
		/* order holds the old index in a way the comparison can
		 * still use for ties: old index i <-> 2i+1. */
		qsort(m->runs, m->nruns, sizeof *m->runs, run_cmp);
		for (i = 0; i < m->nruns; i++) {
			newidx[(m->runs[i].order - 1) / 2] = (long)i;
			m->runs[i].order = (long)i;
		}
		for (i = 0; i < m->ncells; i++)
			m->cells[i].run = (int)newidx[m->cells[i].run];
		free(newidx);
		m->last_run = -1;
		/* The run map is stale now; rebuild it. */
		map_free(m->run_map);
		m->run_map = map_new();
		for (i = 0; i < m->nruns; i++)
			map_put(m->run_map, hash_str(m->runs[i].id), (int)i);
	}
	map_free(m->cell_map);
	m->cell_map = map_new();
	for (i = 0; i < m->ncells; i++)
		map_put(m->cell_map, hash_cell(m->cells[i].run,
		    m->cells[i].config, m->cells[i].task), (int)i);
	/* Unique labels: the name, with a hash prefix when two
	 * configurations share it. */
	for (i = 0; i < m->nconfigs; i++) {
		bool dup = false;

		for (j = 0; j < m->nconfigs; j++)
			if (j != i && strcmp(m->configs[i].name,
			    m->configs[j].name) == 0)
				dup = true;
		free(m->configs[i].label);
		m->configs[i].label = dup ? ab_xasprintf("%s@%.8s",
		    m->configs[i].name, m->configs[i].hash) :
		    ab_xstrdup(m->configs[i].name);
	}
}

int
rk_model_cell(const struct rk_model *m, int run, int config, int task)
{
	int key[3] = { run, config, task };

	return map_find(m->cell_map, hash_cell(run, config, task), cell_eq, m,
	    key);
}

int
rk_model_find_config(const struct rk_model *m, const char *s)
{
	int found = -1;
	size_t i;

	for (i = 0; i < m->nconfigs; i++)
		if (strcmp(m->configs[i].label, s) == 0)
			return (int)i;
	for (i = 0; i < m->nconfigs; i++) {
		if (strcmp(m->configs[i].name, s) == 0 ||
		    strncmp(m->configs[i].hash, s, strlen(s)) == 0) {
			if (found >= 0)
				return -2;
			found = (int)i;
		}
	}
	return found;
}

int
rk_model_find_run(const struct rk_model *m, const char *s)
{
	long back = 0;
	size_t i;
	char *end;

	if (strncmp(s, "latest", 6) == 0 && (s[6] == '\0' || s[6] == '~')) {
		if (s[6] == '~') {
			back = strtol(s + 7, &end, 10);
			if (*end != '\0' || back < 0)
				return -1;
		}
		if ((size_t)back >= m->nruns)
			return -1;
		return (int)(m->nruns - 1 - (size_t)back);
	}
	for (i = 0; i < m->nruns; i++)
		if (strcmp(m->runs[i].id, s) == 0)
			return (int)i;
	return -1;
}

/* ---- records ------------------------------------------------------------- */

static const char *
str_at(struct rk_json *j, int from, const char *path)
{
	return rk_json_str(j, rk_json_path(j, from, path), NULL);
}

bool
rk_not_run(const char *verdict, const char *error_kind)
{
	static const char *const infra[] = { "gen:network", "gen:timeout",
	    "gen:server", "gen:rate_limit", "gen:quota", "gen:auth",
	    "gen:http", "gen:api", "gen:spawn", "gen:budget",
	    "gen:replay_missing", "gen:harness", "gen:provider",
	    "gen:bad_task", "gen:aborted", "extract:harness", "extract:task",
	    NULL };
	size_t i;

	if (verdict != NULL && (strcmp(verdict, "internal_error") == 0 ||
	    strcmp(verdict, "not_run") == 0))
		return true;
	if (error_kind == NULL)
		return false;
	for (i = 0; infra[i] != NULL; i++)
		if (strcmp(error_kind, infra[i]) == 0)
			return true;
	return false;
}

/* The error kind when an "error" node is a non-null value. */
static bool
stage_error(struct rk_json *j, int e, const char **kind)
{
	*kind = NULL;
	if (e < 0 || j->v[e].type == RK_JNULL)
		return false;
	*kind = str_at(j, e, "kind");
	if (*kind == NULL)
		*kind = "error";
	return true;
}

static double
num_of(const struct rk_json *j, int node)
{
	double v;

	if (!rk_json_num(j, node, &v) || !isfinite(v))
		return NAN;
	return v;
}

enum { R_ID, R_RUN, R_TASK, R_CONFIG, R_SAMPLE, R_GEN, R_EXTRACT, R_EXEC,
	R_SCORE, R_LOAD, R_N };
static const char *const root_names[] = { "id", "run", "task", "config",
	"sample", "gen", "extract", "exec", "score", "load" };
/* Members of each stage: error and skipped first, then its own. */
enum { S_ERROR, S_SKIPPED, S_A, S_B, S_C, S_D, S_E, S_N };
static const char *const stage_names[4][S_N] = {
	{ "error", "skipped", "latency_ms", "ttft_ms", "tokens", "cost_usd",
	    "calls" },
	{ "error", "skipped", "code" },
	{ "error", "skipped", "verdict", "cpu_ms", "wall_ms" },
	{ "error", "skipped", "total", "grade", "dimensions", "success" },
};
static const int stage_count[4] = { 7, 3, 5, 6 };

static void
read_calls(struct rk_json *j, int cl, struct rk_call *calls, size_t max,
    size_t *n)
{
	static const char *const names[] = { "role", "name", "agent", "model",
	    "tokens", "tokens_in", "tokens_out", "cost_usd", "latency_ms" };
	int f[9], t[2], k;
	static const char *const tn[] = { "in", "out" };

	if (cl < 0 || j->v[cl].type != RK_JARR)
		return;
	for (k = j->v[cl].child; k >= 0 && *n < max; k = j->v[k].next) {
		struct rk_call *c = &calls[(*n)++];

		rk_json_pick(j, k, names, f, 9);
		rk_json_pick(j, f[4], tn, t, 2);
		c->role = rk_json_str(j, f[0], NULL);
		c->name = rk_json_str(j, f[1] >= 0 ? f[1] : f[2], NULL);
		c->model = rk_json_str(j, f[3], NULL);
		c->tokens_in = num_of(j, t[0] >= 0 ? t[0] : f[5]);
		c->tokens_out = num_of(j, t[1] >= 0 ? t[1] : f[6]);
		c->cost_usd = num_of(j, f[7]);
		c->latency_ms = num_of(j, f[8]);
	}
}

void
rk_attempt_dims(const struct rk_json *j, int node, struct rk_attempt *a)
{
	double v;
	int k, i;

	if (node < 0 || j->v[node].type != RK_JOBJ)
		return;
	for (k = j->v[node].child; k >= 0 && a->ndims < 32; k = j->v[k].next) {
		const struct rk_jv *jv = &j->v[k];

		/* A number, or {"value": number, ...} as ab-score writes
		 * it. */
		if (!rk_json_num(j, jv->type == RK_JOBJ ?
		    rk_json_get(j, k, "value") : k, &v) ||
		    !isfinite(v) || jv->kesc || jv->klen >= 64)
			continue;
		i = a->ndims++;
		memcpy(a->buf_dim[i], jv->key, jv->klen);
		a->buf_dim[i][jv->klen] = '\0';
		a->dim_name[i] = a->buf_dim[i];
		a->dim_val[i] = v;
	}
}

int
rk_attempt_from_json(struct rk_json *j, struct rk_attempt *a,
    struct rk_call *calls, size_t maxcalls, size_t *ncalls, bool want_code,
    struct ab_error *err)
{
	static const char *const stages[] = { "gen", "extract", "exec",
	    "score" };
	static const char *const task_names[] = { "id", "language",
	    "difficulty", "category", "suite" };
	static const char *const config_names[] = { "name", "hash" };
	static const char *const tok_names[] = { "in", "out" };
	int r[R_N], st[4][S_N], t[5], c[2], tok[2], k, s;
	const char *kind;
	double v;

	memset(a, 0, offsetof(struct rk_attempt, dim_name));
	*ncalls = 0;
	a->score = a->latency_ms = a->ttft_ms = a->tokens_in = NAN;
	a->tokens_out = a->cost_usd = a->cpu_ms = a->wall_ms = NAN;
	rk_json_pick(j, 0, root_names, r, R_N);
	/* A request of ab-gen --load (or its summary): for the load view
	 * alone (as ab-store's results.kind says). */
	if (r[R_LOAD] >= 0 && j->v[r[R_LOAD]].type == RK_JOBJ)
		return 1;
	if ((a->id = rk_json_str(j, r[R_ID], NULL)) == NULL)
		return ab_error_set(err, "record",
		    "record has no string member \"id\"");
	a->run = rk_json_str(j, r[R_RUN], NULL);
	rk_json_pick(j, r[R_TASK], task_names, t, 5);
	rk_json_pick(j, r[R_CONFIG], config_names, c, 2);
	a->task = rk_json_str(j, t[0], NULL);
	a->config_name = rk_json_str(j, c[0], NULL);
	a->config_hash = rk_json_str(j, c[1], NULL);
	if (a->task == NULL || a->config_name == NULL) {
		/* Fall back on the id, "<task>/<config>/<sample>". */
		char *tbuf = a->buf_task, *cbuf = a->buf_config;
		const char *s1 = strchr(a->id, '/'), *s2;

		s2 = s1 != NULL ? strchr(s1 + 1, '/') : NULL;
		if (s1 == NULL || s2 == NULL ||
		    s1 - a->id >= (long)sizeof a->buf_task ||
		    s2 - s1 - 1 >= (long)sizeof a->buf_config)
			return ab_error_set(err, "record", "record %s: no "
			    "task.id and config.name, and the id is not "
			    "task/config/sample", a->id);
		if (a->task == NULL) {
			memcpy(tbuf, a->id, (size_t)(s1 - a->id));
			tbuf[s1 - a->id] = '\0';
			a->task = tbuf;
		}
		if (a->config_name == NULL) {
			memcpy(cbuf, s1 + 1, (size_t)(s2 - s1 - 1));
			cbuf[s2 - s1 - 1] = '\0';
			a->config_name = cbuf;
		}
	}
	if (a->config_hash == NULL)
		a->config_hash = a->config_name;
	a->language = rk_json_str(j, t[1], NULL);
	a->difficulty = rk_json_str(j, t[2], NULL);
	a->category = rk_json_str(j, t[3], NULL);
	a->suite = rk_json_str(j, t[4], NULL);
	if (rk_json_num(j, r[R_SAMPLE], &v) && v >= 0 && v < 1e9)
		a->sample = (long)v;

	a->success = true;
	for (s = 0; s < 4; s++) {
		for (k = stage_count[s]; k < S_N; k++)
			st[s][k] = -1;
		rk_json_pick(j, r[R_GEN + s], stage_names[s], st[s],
		    stage_count[s]);
		if (st[s][S_SKIPPED] >= 0)
			a->success = false;
		if (stage_error(j, st[s][S_ERROR], &kind)) {
			a->success = false;
			if (a->error_kind == NULL) {
				snprintf(a->buf_kind, sizeof a->buf_kind,
				    "%s:%s", stages[s], kind);
				a->error_kind = a->buf_kind;
				if (s < 2)
					a->verdict = s == 0 ? "gen_error" :
					    "extract_error";
			}
		}
	}
	if ((kind = rk_json_str(j, st[2][S_A], NULL)) != NULL)
		a->verdict = kind;
	if (a->verdict == NULL)
		a->verdict = r[R_EXEC] >= 0 ? "exec_error" : "not_run";
	a->passed = strcmp(a->verdict, "ok") == 0;
	a->excluded = rk_not_run(a->verdict, a->error_kind);
	a->cpu_ms = num_of(j, st[2][S_B]);
	a->wall_ms = num_of(j, st[2][S_C]);

	a->latency_ms = num_of(j, st[0][S_A]);
	a->ttft_ms = num_of(j, st[0][S_B]);
	rk_json_pick(j, st[0][S_C], tok_names, tok, 2);
	a->tokens_in = num_of(j, tok[0]);
	a->tokens_out = num_of(j, tok[1]);
	a->cost_usd = num_of(j, st[0][S_D]);
	read_calls(j, st[0][S_E], calls, maxcalls, ncalls);

	/* score.success, the rubric's verdict, when there is one. */
	if ((k = st[3][S_D]) >= 0 && (j->v[k].type == RK_JTRUE ||
	    j->v[k].type == RK_JFALSE))
		a->success = j->v[k].type == RK_JTRUE;
	a->score = num_of(j, st[3][S_A]);
	a->grade = rk_json_str(j, st[3][S_B], NULL);
	rk_attempt_dims(j, st[3][S_C], a);
	if (want_code)
		a->code = rk_json_str(j, st[1][S_A], NULL);
	rk_trial_from_json(j, r[R_GEN], r[R_EXEC], a);
	return 0;
}
