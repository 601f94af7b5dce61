/*
 * run.c - a benchmark run (genrun.h): each attempt through its phases,
 * the records in input order, the budget, the cache and the dry run.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "genrun.h"
#include "trial.h"

/* What a call is for. */
struct cref {
	struct ab_gen *g;
	struct ab_gen_job *job;
	const struct ab_agent *agent;
	int cycle;		/* 0 for the main call */
	int agent_idx;		/* layer agent index, -1 main */
	char key[65];		/* cache key, "" when not cached */
	double reserved;	/* USD reserved in the budget ledger */
};

struct ab_gen_job {
	long seq;
	json_t *task;		/* borrowed reference held */
	struct ab_config *cfg;
	int sample;
	char *prompt;		/* the rendered user prompt */
	char *task_file;	/* cmd: the task file, removed when done */
	int cycle;		/* mixture: current cycle, 1-based */
	int pending;
	char **answers;		/* mixture: this cycle's answers */
	char *helper;		/* mixture: joined answers */
	double *phase_ms;	/* latency of each phase (critical path) */
	json_t *calls;
	json_t *error;		/* first error, or NULL */
	json_t *gen;		/* set when done */
	bool done;
};

static void
warn(struct ab_gen *g, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (g->warn == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	g->warn(g, msg);
}

static bool
stopped(const struct ab_gen *g)
{
	return g->interrupt != NULL && *g->interrupt;
}

/* ---- records ---- */

static double
call_cost(const struct ab_agent *a, long tin, long tout, bool *known)
{
	if (!a->priced || tin < 0 || tout < 0) {
		*known = false;
		return 0;
	}
	return ((double)tin * a->price_in + (double)tout * a->price_out) / 1e6;
}

static json_t *
num_or_null(double v, bool known)
{
	return known ? json_real(round(v * 1000) / 1000) : json_null();
}

struct call_order {
	int cycle, agent;
	size_t seq;
	json_t *call;
};

static int
cmp_call(const void *a, const void *b)
{
	const struct call_order *x = a, *y = b;

	if (x->cycle != y->cycle)
		return x->cycle < y->cycle ? -1 : 1;
	if (x->agent != y->agent)
		return x->agent < y->agent ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Calls in a fixed order whatever order they finished in: cycle by cycle,
 * layer agents in configuration order, the main call last. */
static void
sort_calls(struct ab_gen_job *j)
{
	struct call_order *o;
	size_t n = json_array_size(j->calls), i;
	const char *name;
	int k;

	if (n < 2)
		return;
	o = ab_xcalloc(n, sizeof *o);
	for (i = 0; i < n; i++) {
		o[i].call = json_incref(json_array_get(j->calls, i));
		o[i].cycle = (int)json_integer_value(json_object_get(o[i].call,
		    "cycle"));
		if (o[i].cycle == 0)
			o[i].cycle = 1 << 30;
		name = ab_get_str(o[i].call, "agent");
		o[i].agent = -1;
		for (k = 0; name != NULL && k < j->cfg->nlayers; k++)
			if (strcmp(name, j->cfg->layers[k].name) == 0)
				o[i].agent = k;
		o[i].seq = i;
	}
	qsort(o, n, sizeof *o, cmp_call);
	json_array_clear(j->calls);
	for (i = 0; i < n; i++)
		json_array_append_new(j->calls, o[i].call);
	free(o);
}

/* Sum the calls into the gen member. */
static void
finish_job(struct ab_gen *g, struct ab_gen_job *j, const char *text)
{
	const struct ab_config *c = j->cfg;
	json_t *call, *gen, *v;
	long tin = 0, tout = 0;
	double cost = 0, lat = 0, ttft = -1;
	bool tok_known = true, cost_known = true, cached = true, est = false;
	size_t i;
	int k;

	sort_calls(j);
	json_array_foreach(j->calls, i, call) {
		v = ab_get(call, "tokens.in");
		if (json_is_integer(v))
			tin += (long)json_integer_value(v);
		else
			tok_known = false;
		v = ab_get(call, "tokens.out");
		if (json_is_integer(v))
			tout += (long)json_integer_value(v);
		else
			tok_known = false;
		v = json_object_get(call, "cost_usd");
		if (json_is_number(v))
			cost += json_number_value(v);
		else
			cost_known = false;
		if (!json_is_true(json_object_get(call, "cached")))
			cached = false;
		if (json_is_true(json_object_get(call, "estimated")))
			est = true;
	}
	/* Latency along the critical path: the slowest call of each cycle,
	 * then the main call; time to first token likewise. */
	for (k = 0; k <= c->cycles; k++)
		lat += j->phase_ms[k];
	json_array_foreach(j->calls, i, call) {
		if (json_integer_value(json_object_get(call, "cycle")) == 0 &&
		    json_is_number(json_object_get(call, "ttft_ms")))
			ttft = lat - j->phase_ms[0] + json_number_value(
			    json_object_get(call, "ttft_ms"));
	}
	if (json_array_size(j->calls) == 0)
		cached = false;
	gen = json_object();
	json_object_set_new(gen, "text", text != NULL && j->error == NULL ?
	    json_string(text) : json_null());
	json_object_set_new(gen, "model", c->main.model ?
	    json_string(c->main.model) : json_null());
	json_object_set_new(gen, "provider",
	    json_string(ab_provider_name(c->main.provider)));
	json_object_set_new(gen, "latency_ms", json_array_size(j->calls) ?
	    num_or_null(lat, true) : json_null());
	json_object_set_new(gen, "ttft_ms", num_or_null(ttft, ttft >= 0));
	json_object_set_new(gen, "tokens", json_pack("{s:o, s:o}", "in",
	    tok_known ? json_integer(tin) : json_null(), "out", tok_known ?
	    json_integer(tout) : json_null()));
	json_object_set_new(gen, "cost_usd", cost_known &&
	    json_array_size(j->calls) ? json_real(cost) : json_null());
	json_object_set_new(gen, "cached", json_boolean(cached));
	json_object_set_new(gen, "estimated", json_boolean(est));
	json_object_set(gen, "calls", j->calls);
	json_object_set_new(gen, "error", j->error != NULL ?
	    json_incref(j->error) : json_null());
	j->gen = gen;
	j->done = true;
	if (j->task_file != NULL) {
		unlink(j->task_file);
		free(j->task_file);
		j->task_file = NULL;
	}
}

static void
job_fail(struct ab_gen *g, struct ab_gen_job *j, json_t *error)
{
	if (j->error == NULL)
		j->error = error;
	else
		json_decref(error);
}

static void phase_start(struct ab_gen *g, struct ab_gen_job *j);

/* A call finished (or came from the cache): record it and move on. */
static void
call_result(struct ab_gen *g, struct cref *r, const char *text, long tin,
    long tout, bool estimated, double latency, double ttft, json_t *error,
    bool cached, struct ab_call *c)
{
	struct ab_gen_job *j = r->job;
	const struct ab_agent *a = r->agent;
	struct ab_error err;
	json_t *e;
	double cost, total;
	bool known = true;
	int k;

	cost = call_cost(a, tin, tout, &known);
	e = json_object();
	json_object_set_new(e, "role", json_string(r->cycle == 0 ?
	    "main" : "layer"));
	json_object_set_new(e, "agent", json_string(a->name));
	json_object_set_new(e, "cycle", json_integer(r->cycle));
	json_object_set_new(e, "model", a->model ? json_string(a->model) :
	    json_null());
	json_object_set_new(e, "provider",
	    json_string(ab_provider_name(a->provider)));
	json_object_set_new(e, "tokens", json_pack("{s:o, s:o}", "in",
	    tin >= 0 ? json_integer(tin) : json_null(), "out", tout >= 0 ?
	    json_integer(tout) : json_null()));
	json_object_set_new(e, "estimated", json_boolean(estimated));
	json_object_set_new(e, "cost_usd", known ? json_real(cost) :
	    json_null());
	json_object_set_new(e, "latency_ms", num_or_null(latency,
	    latency >= 0));
	json_object_set_new(e, "ttft_ms", num_or_null(ttft, ttft >= 0));
	json_object_set_new(e, "cached", json_boolean(cached));
	if (c != NULL) {
		json_object_set_new(e, "attempts", json_integer(c->attempts));
		json_object_set_new(e, "wait_ms", num_or_null(c->waited_ms,
		    true));
		if (a->provider == AB_PROV_CMD) {
			json_object_set_new(e, "exit_status", c->exit_status
			    >= 0 ? json_integer(c->exit_status) : json_null());
			json_object_set_new(e, "stderr", json_stringn(
			    c->err_text.s ? c->err_text.s : "",
			    c->err_text.len));
			json_object_set_new(e, "stderr_truncated",
			    json_boolean(c->err_truncated));
		}
	}
	json_object_set_new(e, "error", error != NULL ? json_incref(error) :
	    json_null());
	json_array_append_new(j->calls, e);

	k = r->cycle;
	if (latency >= 0 && latency > j->phase_ms[k])
		j->phase_ms[k] = latency;
	if (!cached && known && cost > 0)
		g->spent += cost;
	else if (!cached && !known && (error == NULL || json_is_null(error)))
		g->unpriced++;
	if (g->budget >= 0 && !cached && ((known && cost > 0) ||
	    r->reserved > 0) && ab_ledger_add(g->cache_dir, g->run,
	    (known ? cost : 0) - r->reserved, &total, &err) < 0)
		warn(g, "%s", err.msg);
	r->reserved = 0;

	if (error != NULL && !json_is_null(error)) {
		if (r->cycle == 0 || !j->cfg->moa)
			job_fail(g, j, json_incref(error));
		else
			job_fail(g, j, ab_moa_layer_error(a->name, r->cycle,
			    error));
	} else if (!cached && r->key[0] != '\0' && g->use_cache) {
		json_t *ent = json_pack("{s:s, s:{s:o, s:o}, s:b, s:o, s:o, "
		    "s:o}", "text", text, "tokens", "in", tin >= 0 ?
		    json_integer(tin) : json_null(), "out", tout >= 0 ?
		    json_integer(tout) : json_null(), "estimated", estimated,
		    "model", a->model ? json_string(a->model) : json_null(),
		    "latency_ms", num_or_null(latency, latency >= 0),
		    "ttft_ms", num_or_null(ttft, ttft >= 0));

		if (ent != NULL && ab_cache_put(g->cache, r->key, ent,
		    &err) < 0)
			warn(g, "%s", err.msg);
		json_decref(ent);
	}

	if (r->cycle == 0) {
		finish_job(g, j, text);
		return;
	}
	free(j->answers[r->agent_idx]);
	j->answers[r->agent_idx] = ab_xstrdup(text != NULL ? text : "");
	if (--j->pending > 0)
		return;
	if (j->error != NULL) {
		finish_job(g, j, NULL);
		return;
	}
	free(j->helper);
	j->helper = ab_moa_helper(j->cfg, j->answers);
	j->cycle++;
	phase_start(g, j);
}

/* Ask agent a with messages (stolen) for job j. */
static void
make_call(struct ab_gen *g, struct ab_gen_job *j, const struct ab_agent *a,
    json_t *messages, int cycle, int agent_idx)
{
	struct cref *r = ab_xcalloc(1, sizeof *r);
	struct ab_call *c;
	json_t *hit, *m;
	size_t i;
	long est = 0;

	r->g = g;
	r->job = j;
	r->agent = a;
	r->cycle = cycle;
	r->agent_idx = agent_idx;
	json_array_foreach(messages, i, m)
		est += ab_estimate_tokens(NULL,
		    strlen(ab_get_str(m, "content")));
	if (g->use_cache)
		ab_cache_key(a, messages, j->sample, r->key);
	if (g->dry_run) {
		long out = a->max_tokens > 0 ? a->max_tokens : 512;
		bool known = true;
		double cost = call_cost(a, est, out, &known);

		g->dry_calls++;
		if (g->read_cache && g->use_cache && cycle <= 1 &&
		    (hit = ab_cache_get(g->cache, r->key)) != NULL) {
			g->dry_cached++;
			json_decref(hit);
		} else {
			g->dry_in += (double)est;
			g->dry_out += (double)out;
			g->dry_cost += cost;
			if (!known)
				g->dry_cost_unknown = true;
		}
		json_decref(messages);
		call_result(g, r, "", est, out, true, -1, -1, NULL, true,
		    NULL);
		free(r);
		return;
	}
	if (g->read_cache && g->use_cache &&
	    (hit = ab_cache_get(g->cache, r->key)) != NULL) {
		json_decref(messages);
		call_result(g, r, ab_get_str(hit, "text"),
		    json_is_integer(ab_get(hit, "tokens.in")) ?
		    (long)json_integer_value(ab_get(hit, "tokens.in")) : -1,
		    json_is_integer(ab_get(hit, "tokens.out")) ?
		    (long)json_integer_value(ab_get(hit, "tokens.out")) : -1,
		    json_is_true(json_object_get(hit, "estimated")),
		    ab_get_num(hit, "latency_ms", -1),
		    ab_get_num(hit, "ttft_ms", -1), NULL, true, NULL);
		json_decref(hit);
		free(r);
		return;
	}
	c = ab_call_new(a);
	c->messages = messages;
	c->udata = r;
	c->est_in = est + (a->max_tokens > 0 ? a->max_tokens : 0);
	ab_engine_submit(g->eng, c);
}

/* The engine asks before a call starts: refuse once the budget of the
 * run (shared through the ledger) is spent. */
static int
admit(struct ab_call *c, void *ctx)
{
	struct ab_gen *g = ctx;
	struct cref *r = c->udata;
	struct ab_error err;
	double total = g->spent, est;
	bool known = true;
	const struct ab_agent *a = c->agent;

	if (g->budget < 0 || a->provider == AB_PROV_CMD)
		return 0;
	/* Reserve what the call may cost (its prompt and max_tokens, or
	 * 512 tokens out), so that calls running at once, here and in
	 * other processes, cannot together overshoot much; the reservation
	 * becomes the real cost when the call ends. */
	est = call_cost(a, c->est_in - a->max_tokens, a->max_tokens > 0 ?
	    a->max_tokens : 512, &known);
	if (ab_ledger_add(g->cache_dir, g->run, 0, &total, &err) < 0)
		warn(g, "%s", err.msg);
	if (total < g->budget) {
		if (known && est > 0 && ab_ledger_add(g->cache_dir, g->run,
		    est, &total, &err) == 0)
			r->reserved = est;
		return 0;
	}
	json_decref(c->error);
	c->error = ab_error_json("budget", "the budget of %g USD is spent "
	    "(%.4f USD)", g->budget, total);
	return -1;
}

/* A subprocess agent: task file, arguments, environment. */
static void
make_cmd_call(struct ab_gen *g, struct ab_gen_job *j)
{
	const struct ab_agent *a = &j->cfg->main;
	struct cref *r = ab_xcalloc(1, sizeof *r);
	struct ab_call *c = ab_call_new(a);
	struct ab_buf b = AB_BUF_INIT, tf = AB_BUF_INIT;
	const char *id = ab_get_str(j->task, "id");
	const char *lang = ab_get_str(j->task, "language");
	const char *ep = ab_get_str(j->task, "entry_point");
	char sample[32];
	json_t *ctx;
	int fd, i, n;

	r->g = g;
	r->job = j;
	r->agent = a;
	r->agent_idx = -1;
	snprintf(sample, sizeof sample, "%d", j->sample);
	ctx = ab_task_context(j->task);
	ab_tmpl_render(g->task_tmpl, ctx, &tf);
	json_decref(ctx);
	j->task_file = ab_xasprintf("%s/%ld-%s.md", g->tmpdir, j->seq, id);
	fd = open(j->task_file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0600);
	if (fd < 0 || write(fd, tf.s, tf.len) != (ssize_t)tf.len) {
		json_t *e = ab_error_json("spawn", "cannot write the task "
		    "file %s: %s", j->task_file, strerror(errno));

		if (fd >= 0)
			close(fd);
		ab_buf_release(&tf);
		ab_call_free(c);
		call_result(g, r, NULL, -1, -1, false, -1, -1, e, false, NULL);
		json_decref(e);
		free(r);
		return;
	}
	close(fd);
	ab_buf_release(&tf);

	for (n = 0; a->command[n] != NULL; n++)
		;
	c->argv = ab_xcalloc((size_t)n + 1, sizeof *c->argv);
	for (i = 0; i < n; i++) {
		const char *p = a->command[i], *q, *val;
		size_t k;
		static const char *const names[] = { "{task_file}",
			"{task_id}", "{language}", "{sample}", "{share}",
			NULL };

		ab_buf_reset(&b);
		while ((q = strchr(p, '{')) != NULL) {
			ab_buf_add(&b, p, (size_t)(q - p));
			for (k = 0; names[k] != NULL; k++)
				if (strncmp(q, names[k], strlen(names[k])) ==
				    0)
					break;
			if (names[k] == NULL) {
				ab_buf_addc(&b, '{');
				p = q + 1;
				continue;
			}
			val = k == 0 ? j->task_file : k == 1 ? id : k == 2 ?
			    (lang ? lang : "") : k == 3 ? sample :
			    ab_share_dir();
			ab_buf_adds(&b, val);
			p = q + strlen(names[k]);
		}
		ab_buf_adds(&b, p);
		c->argv[i] = ab_xstrdup(b.s ? b.s : "");
	}
	ab_buf_release(&b);
	c->env = ab_xcalloc(7, sizeof *c->env);
	c->env[0] = ab_xasprintf("AB_TASK_ID=%s", id);
	c->env[1] = ab_xasprintf("AB_TASK_FILE=%s", j->task_file);
	c->env[2] = ab_xasprintf("AB_LANGUAGE=%s", lang ? lang : "");
	c->env[3] = ab_xasprintf("AB_ENTRY_POINT=%s", ep ? ep : "");
	c->env[4] = ab_xasprintf("AB_SAMPLE=%s", sample);
	c->env[5] = ab_xasprintf("AB_SHARE=%s", ab_share_dir());
	c->stdin_text = ab_xstrdup(j->prompt);
	c->udata = r;
	if (g->dry_run) {
		g->dry_calls++;
		ab_call_free(c);
		call_result(g, r, "", -1, -1, false, -1, -1, NULL, true, NULL);
		free(r);
		return;
	}
	ab_engine_submit(g->eng, c);
}

/* Start the job's next phase (see ab_moa_phase): its calls. */
static void
phase_start(struct ab_gen *g, struct ab_gen_job *j)
{
	const struct ab_config *c = j->cfg;
	struct ab_moa_call *calls;
	int i, n;

	if (c->main.provider == AB_PROV_CMD) {
		make_cmd_call(g, j);
		return;
	}
	calls = ab_xcalloc((size_t)(c->nlayers > 0 ? c->nlayers : 1),
	    sizeof *calls);
	n = ab_moa_phase(c, j->cycle, j->helper, j->prompt, calls);
	if (calls[0].cycle > 0)
		j->pending = n;
	for (i = 0; i < n; i++)
		make_call(g, j, calls[i].agent, calls[i].messages,
		    calls[i].cycle, calls[i].layer);
	free(calls);
}

static void
job_free(struct ab_gen_job *j)
{
	int i;

	if (j == NULL)
		return;
	if (j->task_file != NULL) {
		unlink(j->task_file);
		free(j->task_file);
	}
	json_decref(j->task);
	free(j->prompt);
	for (i = 0; j->answers != NULL && i < j->cfg->nlayers; i++)
		free(j->answers[i]);
	free(j->answers);
	free(j->helper);
	free(j->phase_ms);
	json_decref(j->calls);
	json_decref(j->error);
	json_decref(j->gen);
	free(j);
}

/* An agent trial: run in the pool's threads (lib/trial). */
static void
trial_start(struct ab_gen *g, struct ab_gen_job *j)
{
	const char *kind = ab_get_str(j->task, "kind");

	if (kind == NULL || strcmp(kind, "workspace") != 0) {
		j->error = ab_error_json("bad_task", "configuration %s runs an "
		    "agent: it needs a workspace task", j->cfg->name);
		finish_job(g, j, NULL);
		return;
	}
	if (g->dry_run) {
		g->dry_calls++;
		finish_job(g, j, "");
		return;
	}
	ab_trial_pool_submit(g->pool, j->task, g->tcfg[j->cfg - g->cfgs],
	    j->sample, j);
}

/* Collect finished trials, waiting at most wait_ms. */
static void
trial_collect(struct ab_gen *g, double wait_ms)
{
	struct ab_gen_job *j;
	json_t *gen;

	while (ab_trial_pool_pending(g->pool) > 0 &&
	    (j = ab_trial_pool_next(g->pool, wait_ms, &gen)) != NULL) {
		double cost = ab_get_num(gen, "cost_usd", 0);

		g->spent += cost;
		j->gen = gen;
		j->done = true;
		wait_ms = 0;
	}
}

static void
job_start(struct ab_gen *g, struct ab_gen_job *j)
{
	const struct ab_config *c = j->cfg;
	const char *src = g->replay_path;
	json_t *old;
	char *id;

	if (c->main.provider == AB_PROV_REPLAY || src != NULL) {
		id = ab_xasprintf("%s/%s/%d", ab_get_str(j->task, "id"),
		    c->main.replay_config ? c->main.replay_config : c->name,
		    j->sample);
		old = g->dry_run ? json_object() : ab_replay_find(g->replay,
		    id);
		/* --replay-fill: what the source lacks, or holds only as a
		 * failure of the infrastructure, is made anew. */
		if (g->replay_fill && c->main.provider != AB_PROV_REPLAY &&
		    ab_gen_rerun(old)) {
			json_decref(old);
			free(id);
			goto live;
		}
		if (old == NULL) {
			j->error = ab_error_json("replay_missing", "no record "
			    "%s in %s", id, src ? src : c->main.source);
			finish_job(g, j, NULL);
		} else {
			json_object_set_new(old, "replay", json_pack("{s:s, "
			    "s:s}", "source", src ? src : c->main.source,
			    "id", id));
			j->gen = old;
			j->done = true;
		}
		free(id);
		return;
	}
live:
	j->cycle = 1;
	if (c->main.provider == AB_PROV_AGENT) {
		trial_start(g, j);
		return;
	}
	phase_start(g, j);
}

/* ---- the window of records ---- */

static void
emit_ready(struct ab_gen *g)
{
	struct ab_gen_job *j;
	json_t *rec;
	bool any = false;

	while (g->head < g->tail && (j = g->win[g->head % g->win_cap]) !=
	    NULL && j->done) {
		if (!g->dry_run) {
			char *id = ab_xasprintf("%s/%s/%d",
			    ab_get_str(j->task, "id"), j->cfg->name,
			    j->sample);

			rec = json_object();
			json_object_set_new(rec, "id", json_string(id));
			free(id);
			json_object_set_new(rec, "run", json_string(g->run));
			json_object_set(rec, "task", j->task);
			json_object_set(rec, "config",
			    g->cfg_member[j->cfg - g->cfgs]);
			json_object_set_new(rec, "sample",
			    json_integer(j->sample));
			if (g->seed != NULL)
				json_object_set(rec, "seed", g->seed);
			if (g->planned >= 0)
				json_object_set_new(rec, "planned",
				    json_integer(g->planned));
			json_object_set(rec, "gen", j->gen);
			g->emit(g, rec);
			json_decref(rec);
			any = true;
		}
		if (!json_is_null(json_object_get(j->gen, "error")) &&
		    json_object_get(j->gen, "error") != NULL) {
			g->errors++;
			g->status = AB_EXIT_FAIL;
		}
		g->emitted++;
		g->win[g->head % g->win_cap] = NULL;
		g->head++;
		job_free(j);
	}
	if (any)
		g->emit(g, NULL);
}

void
ab_gen_add_task(struct ab_gen *g, json_t *task)
{
	struct ab_buf b = AB_BUF_INIT;
	json_t *ctx;
	struct ab_gen_job *j;
	int ci, s;

	ctx = ab_task_context(task);
	for (ci = 0; ci < g->ncfg; ci++) {
		ab_buf_reset(&b);
		ab_tmpl_render(g->prompt_tmpl[ci], ctx, &b);
		for (s = 0; s < g->samples; s++) {
			j = ab_xcalloc(1, sizeof *j);
			j->seq = g->tail++;
			j->task = json_incref(task);
			j->cfg = &g->cfgs[ci];
			j->sample = s;
			j->prompt = ab_xstrdup(b.s ? b.s : "");
			j->calls = json_array();
			j->phase_ms = ab_xcalloc((size_t)j->cfg->cycles + 1,
			    sizeof *j->phase_ms);
			if (j->cfg->moa)
				j->answers = ab_xcalloc((size_t)j->cfg->nlayers,
				    sizeof *j->answers);
			g->win[j->seq % g->win_cap] = j;
			job_start(g, j);
		}
	}
	json_decref(ctx);
	ab_buf_release(&b);
}

/* Run calls until the window has room for one more task or, with drain,
 * until everything is done. */
void
ab_gen_pump(struct ab_gen *g, bool drain)
{
	struct ab_call *c;
	struct cref *r;
	long room = (long)g->ncfg * g->samples, tin, tout;
	struct ab_error err;
	bool ok, est;

	emit_ready(g);
	while (g->tail - g->head > (drain ? 0 : g->win_cap - room)) {
		if (stopped(g))
			return;
		/* An open cache transaction is committed within 100 ms,
		 * so that other processes sharing the cache can write. */
		if (ab_trial_pool_pending(g->pool) > 0) {
			trial_collect(g, ab_engine_pending(g->eng) > 0 ? 0 :
			    g->tick != NULL ? 250 : 1000);
			emit_ready(g);
		}
		c = ab_engine_pending(g->eng) == 0 &&
		    ab_trial_pool_pending(g->pool) > 0 ? NULL :
		    ab_engine_next(g->eng, ab_cache_dirty(g->cache) ? 100 :
		    ab_trial_pool_pending(g->pool) > 0 ? 50 :
		    g->tick != NULL ? 250 : -1);
		if (g->tick != NULL)
			g->tick(g);
		if (c == NULL) {
			if (ab_cache_dirty(g->cache) &&
			    ab_cache_flush(g->cache, &err) < 0)
				warn(g, "%s", err.msg);
			if (ab_engine_pending(g->eng) == 0 &&
			    ab_trial_pool_pending(g->pool) == 0 &&
			    g->tail - g->head > 0) {
				emit_ready(g);
				if (g->tail - g->head > 0 &&
				    ab_engine_pending(g->eng) == 0)
					break;	/* cannot happen */
			}
			continue;
		}
		r = c->udata;
		ab_utf8_fix(&c->reply.text);
		ab_utf8_fix(&c->err_text);
		tin = c->reply.tokens_in;
		tout = c->reply.tokens_out;
		ok = json_is_null(c->error);
		est = false;
		/* Tokens the API did not report are estimated (and flagged);
		 * an agent program's are unknown. */
		if (c->agent->provider != AB_PROV_CMD && ok) {
			if (tin < 0) {
				tin = c->est_in - (c->agent->max_tokens > 0 ?
				    c->agent->max_tokens : 0);
				est = true;
			}
			if (tout < 0) {
				tout = ab_estimate_tokens(c->reply.text.s,
				    c->reply.text.len);
				est = true;
			}
		}
		call_result(g, r, c->reply.text.s ? c->reply.text.s : "", tin,
		    tout, est, c->latency_ms, c->ttft_ms, ok ? NULL : c->error,
		    false, c);
		free(r);
		ab_call_free(c);
		emit_ready(g);
	}
}

/* ---- tasks ---- */

static bool
valid_id(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '.' || *s == '_' ||
		    *s == '-'))
			return false;
	return true;
}

int
ab_gen_task_check(const json_t *t, struct ab_error *err)
{
	const char *id = ab_get_str(t, "id");

	if (id == NULL)
		return ab_error_set(err, "task", "task has no string member "
		    "\"id\"");
	if (!valid_id(id))
		return ab_error_set(err, "task", "task %s: id must match "
		    "[A-Za-z0-9._-]+", id);
	if (ab_get_str(t, "prompt") == NULL &&
	    ab_get_str(t, "description") == NULL)
		return ab_error_set(err, "task", "task %s: missing prompt or "
		    "description", id);
	/* Checked before any call: later stages could not judge the
	 * answer, and the call would be spent for nothing. */
	if (ab_get_str(t, "language") == NULL)
		return ab_error_set(err, "task", "task %s: missing language",
		    id);
	if (json_object_get(t, "tests") != NULL &&
	    !json_is_array(json_object_get(t, "tests")))
		return ab_error_set(err, "task", "task %s: tests must be an "
		    "array", id);
	return 0;
}

long
ab_gen_task_count(char **files, int nfiles, long limit)
{
	struct ab_reader r;
	struct ab_error e;
	json_t *seen, *t;
	enum ab_read rc;
	long n = 0;

	if (!ab_inputs_regular(files, nfiles))
		return -1;
	seen = json_object();
	ab_reader_init(&r, files, nfiles, 0);
	while ((rc = ab_reader_next(&r, &t, &e)) != AB_READ_EOF) {
		const char *id = ab_get_str(t, "id");

		if (rc == AB_READ_RECORD && ab_gen_task_check(t, &e) == 0 &&
		    json_object_get(seen, id) == NULL) {
			json_object_set_new(seen, id, json_true());
			n++;
		}
		json_decref(t);
	}
	ab_reader_release(&r);
	json_decref(seen);
	if (limit > 0 && n > limit)
		n = limit;
	return n;
}

static unsigned long long
seed_hash(long long seed, const char *id)
{
	char hex[65], *s = ab_xasprintf("%lld:%s", seed, id);
	unsigned long long h = 0;
	int i;

	ab_sha256_hex(s, strlen(s), hex);
	free(s);
	for (i = 0; i < 16; i++)
		h = h << 4 | (unsigned long long)(hex[i] <= '9' ?
		    hex[i] - '0' : hex[i] - 'a' + 10);
	return h;
}

void
ab_gen_pick_add(struct ab_gen_pick *p, json_t *t)
{
	unsigned long long h = seed_hash(p->seed, ab_get_str(t, "id"));
	long i, worst;

	if (p->n < p->limit) {
		p->v = ab_xrealloc(p->v, (size_t)(p->n + 1) * sizeof *p->v);
		p->v[p->n++] = (struct ab_gen_picked){ h, p->index,
		    json_incref(t) };
	} else {
		for (worst = 0, i = 1; i < p->n; i++)
			if (p->v[i].h > p->v[worst].h)
				worst = i;
		if (p->n > 0 && h < p->v[worst].h) {
			json_decref(p->v[worst].task);
			p->v[worst] = (struct ab_gen_picked){ h, p->index,
			    json_incref(t) };
		}
	}
	p->index++;
}

static int
cmp_pick_index(const void *a, const void *b)
{
	const struct ab_gen_picked *x = a, *y = b;

	return (x->index > y->index) - (x->index < y->index);
}

void
ab_gen_pick_sort(struct ab_gen_pick *p)
{
	if (p->n > 1)
		qsort(p->v, (size_t)p->n, sizeof *p->v, cmp_pick_index);
}

void
ab_gen_pick_release(struct ab_gen_pick *p)
{
	long i;

	for (i = 0; i < p->n; i++)
		json_decref(p->v[i].task);
	free(p->v);
	p->v = NULL;
	p->n = 0;
}

/* ---- the run ---- */

static void
remove_tmpdir(struct ab_gen *g)
{
	struct dirent *d;
	DIR *dp;
	char *p;

	if (g->tmpdir == NULL)
		return;
	if ((dp = opendir(g->tmpdir)) != NULL) {
		while ((d = readdir(dp)) != NULL) {
			if (d->d_name[0] == '.')
				continue;
			p = ab_xasprintf("%s/%s", g->tmpdir, d->d_name);
			unlink(p);
			free(p);
		}
		closedir(dp);
	}
	rmdir(g->tmpdir);
	free(g->tmpdir);
	g->tmpdir = NULL;
}

/* The agent configurations: descriptors, upstream models, programs
 * installed; then one sandbox slot per job (-j). */
static int
start_trials(struct ab_gen *g, struct ab_error *err)
{
	struct ab_trial_opts o;
	char **ro = NULL;
	size_t nro = 0, k;
	int i;

	g->tcfg = ab_xcalloc((size_t)g->ncfg, sizeof *g->tcfg);
	for (i = 0; i < g->ncfg; i++) {
		struct ab_trial_cfg *t;
		json_t *j;

		if (g->cfgs[i].main.provider != AB_PROV_AGENT)
			continue;
		t = ab_xcalloc(1, sizeof *t);
		j = g->cfgs[i].json;
		if (ab_trial_cfg_init(t, j, g->cfgs[i].name, g->pricing,
		    err) < 0) {
			free(t);
			return -1;
		}
		g->tcfg[i] = t;
		if (!g->dry_run && !ab_agent_desc_installed(&t->desc, err))
			return -1;
		if (!g->dry_run && t->upstream != NULL &&
		    t->upstream->api_key_env != NULL &&
		    t->upstream->api_key == NULL)
			return ab_error_set(err, "config", "%s: the key "
			    "variable %s (api_key_env) is not set",
			    g->cfgs[i].file, t->upstream->api_key_env);
		for (k = 0; t->desc.ro_dirs != NULL && t->desc.ro_dirs[k] !=
		    NULL; k++) {
			ro = ab_xrealloc(ro, (nro + 2) * sizeof *ro);
			ro[nro++] = t->desc.ro_dirs[k];
			ro[nro] = NULL;
		}
	}
	for (i = 0; i < g->ncfg && g->tcfg[i] == NULL; i++)
		;
	if (i == g->ncfg || g->dry_run) {
		free(ro);
		return 0;
	}
	memset(&o, 0, sizeof o);
	o.dir = g->tmpdir;
	o.ro_dirs = g->trial_ro = ro;
	o.ledger_dir = g->cache_dir;
	o.run = g->run;
	o.budget = g->budget;
	g->pool = ab_trial_pool_new(g->parallel, &o, err);
	return g->pool == NULL ? -1 : 0;
}

/* A call dropped unfinished gives back what it reserved of the budget. */
static void
free_cref(void *p)
{
	struct cref *r = p;
	struct ab_error err;
	double total;

	if (r->reserved > 0)
		ab_ledger_add(r->g->cache_dir, r->g->run, -r->reserved,
		    &total, &err);
	free(r);
}

void
ab_gen_init(struct ab_gen *g)
{
	memset(g, 0, sizeof *g);
	g->samples = 1;
	g->parallel = 8;
	g->budget = -1;
	g->planned = -1;
	g->use_cache = g->read_cache = true;
}

int
ab_gen_start(struct ab_gen *g, struct ab_error *err)
{
	struct ab_engine_opts eo = { 0 };
	const char *tmp;
	char *p;

	if ((tmp = getenv("TMPDIR")) == NULL || *tmp == '\0')
		tmp = "/tmp";
	p = ab_xasprintf("%s/ab-gen.XXXXXX", tmp);
	if (mkdtemp(p) == NULL) {
		ab_error_set(err, "io", "%s: %s", p, strerror(errno));
		free(p);
		return -1;
	}
	g->tmpdir = p;
	eo.parallel = g->parallel;
	eo.admit = admit;
	eo.admit_ctx = g;
	eo.udata_free = free_cref;
	if ((g->eng = ab_engine_new(&eo, err)) == NULL)
		return -1;
	if (start_trials(g, err) < 0)
		return -1;
	g->win_cap = 4L * g->parallel + 16 + (long)g->ncfg * g->samples;
	g->win = ab_xcalloc((size_t)g->win_cap, sizeof *g->win);
	return 0;
}

void
ab_gen_stop(struct ab_gen *g)
{
	ab_trial_pool_free(g->pool);
	g->pool = NULL;
	ab_engine_free(g->eng);
	g->eng = NULL;
	remove_tmpdir(g);
}

void
ab_gen_release(struct ab_gen *g)
{
	long i;

	ab_gen_stop(g);
	for (i = g->head; i < g->tail && g->win != NULL; i++)
		job_free(g->win[i % g->win_cap]);
	free(g->win);
	g->win = NULL;
	for (i = 0; i < g->ncfg; i++) {
		ab_config_release(&g->cfgs[i]);
		if (g->cfg_member != NULL)
			json_decref(g->cfg_member[i]);
		if (g->tcfg != NULL && g->tcfg[i] != NULL) {
			ab_trial_cfg_release(g->tcfg[i]);
			free(g->tcfg[i]);
		}
	}
	free(g->tcfg);
	free(g->trial_ro);
	free(g->cfgs);
	free(g->cfg_member);
	json_decref(g->pricing);
	json_decref(g->seed);
	ab_replay_close(g->replay);
	ab_cache_close(g->cache);
	free(g->cache_dir);
	free(g->run);
	g->tcfg = NULL;
	g->trial_ro = NULL;
	g->cfgs = NULL;
	g->cfg_member = NULL;
	g->ncfg = 0;
	g->pricing = g->seed = NULL;
	g->replay = NULL;
	g->cache = NULL;
	g->cache_dir = g->run = NULL;
}
