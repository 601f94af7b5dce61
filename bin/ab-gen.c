/*
 * ab-gen - ask each subject to solve each task: tasks x configurations x
 * samples in, one record per attempt out, with the answer in "gen".
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "gen.h"
#include "load.h"
#include "store.h"
#include "trial.h"
#include "workspace.h"

struct job;

/* What a call is for. */
struct cref {
	struct job *job;
	const struct ab_agent *agent;
	int cycle;		/* 0 for the main call */
	int agent_idx;		/* layer agent index, -1 main */
	char key[65];		/* cache key, "" when not cached */
	double reserved;	/* USD reserved in the budget ledger */
};

struct job {
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

struct tmpl_entry {
	char *path;
	struct ab_tmpl *t;
};

struct gen {
	struct ab_config *cfgs;
	int ncfg;
	struct ab_sweep sweep;	/* --set: every configuration's grid */
	json_t **cfg_member;	/* the record's config member per config */
	int samples;
	char *run;
	json_t *pricing;
	const char *tmpl_path;	/* -t */
	struct tmpl_entry *tmpls;
	int ntmpls;
	struct ab_tmpl *task_tmpl;
	char *cache_dir;
	struct ab_cache *cache;	/* NULL: no cache */
	bool use_cache, read_cache, dry_run, quiet, progress;
	double budget;		/* < 0 none */
	struct ab_engine *eng;
	int parallel;
	char *tmpdir;		/* $TMPDIR/ab-gen.XXXXXX: task files, the
				   trials' slots */
	int tmpdir_lock;	/* held while we live (a later start
				   removes it when we die), or -1 */
	json_t *seed;		/* -s when sampling, else NULL */
	/* replay */
	const char *replay_path;	/* --replay */
	const char *replay_run;		/* --replay-run: only this run's */
	bool replay_fill;		/* --replay-fill: make anew what the
					   source lacks */
	json_t *replay_map;	/* id -> gen (NDJSON source) */
	struct ab_store_lookup *replay_db;	/* ab-store source */
	/* the window of records in flight, in output order */
	struct job **win;
	long win_cap, head, tail;	/* seq numbers: [head, tail) */
	long emitted, errors, total_known;
	long planned;		/* tasks x samples per configuration, or
				   -1 when not known before the first record */
	double spent, t0, last_progress;
	long unpriced;		/* calls made whose cost is unknown */
	int status;
	/* dry run totals */
	long dry_calls, dry_cached;
	double dry_in, dry_out, dry_cost;
	bool dry_cost_unknown;
	json_t *seen;		/* task ids seen */
	/* agent trials */
	struct ab_trial_cfg **tcfg;	/* per configuration, NULL unless
					   its provider is agent */
	struct ab_trial_pool *pool;	/* NULL when no agent config */
	char **trial_ro;	/* the agents' read-only directories */
};

static volatile sig_atomic_t interrupted;

static const char help_text[] =
	    "Ask each configuration to solve each task; write one record per attempt.\n"
	    "  -c config   a configuration file or a directory of them (repeatable)\n"
	    "  -m provider:model  a model without a file: openai, anthropic or ollama\n"
	    "              (repeatable; --base-url, --key-env, or their variables)\n"
	    "  --set key=v1,v2  one configuration per value, the cross product of\n"
	    "              every --set (repeatable)\n"
	    "  -n samples  attempts per task and configuration (default 1)\n"
	    "  -j jobs     calls at once (default 8)\n"
	    "  -r run      the run's name (default: a timestamp)\n"
	    "  --dry-run   call nobody: count calls, tokens and cost\n"
	    "  --budget usd  stop starting calls once this much is spent\n"
	    "  --load profile  load test: drive a load profile (file or JSON), one record per request\n"
	    "Example:\n"
	    "  ab-gen -c configs/offline/oracle.json -n 2 tasks/starter.ndjson >gen.ndjson\n"
	    "  ab-gen --dry-run -m openai:gpt-4o-mini --set temperature=0,0.7 tasks/starter.ndjson\n";

static void
usage(FILE *fp)
{
	fprintf(fp, "usage: %s [-bhqV] [-c config] [-j jobs] "
	    "[-m provider:model] [-n samples]\n"
	    "              [-r run] [-S count] [-s seed] [-t template] "
	    "[--base-url url]\n"
	    "              [--budget usd] [--cache-dir dir] [--dry-run] "
	    "[--key-env var]\n"
	    "              [--load profile] [--max-record size] [--name name] "
	    "[--no-cache]\n"
	    "              [--pricing file] [--refresh] [--replay file] "
	    "[--replay-fill]\n"
	    "              [--replay-run run] [--set key=value,...] "
	    "[file ...]\n",
	    ab_progname());
}

/* A run id when -r gave none: PREFIX, the UTC time and 16 bits of the
 * process id and clock, e.g. 20261207T012813Z-3f2a.  New. */
static char *
new_run_id(const char *prefix)
{
	time_t now = time(NULL);
	struct tm tm;
	char ts[32];

	gmtime_r(&now, &tm);
	strftime(ts, sizeof ts, "%Y%m%dT%H%M%SZ", &tm);
	return ab_xasprintf("%s%s-%04x", prefix, ts, (unsigned)(getpid() ^
	    (unsigned)ab_now_ms()) & 0xffff);
}

/* A signal asks for a clean stop (the main loop reads the flag).  A
 * second one changes nothing: dying at once would leave a command
 * subject's call in flight running, orphaned. */
static void
on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

/* Installed before anything else, so that a signal during set-up (the
 * input's pre-count, the trial slots) is a clean stop too, and replaces
 * an ignored SIGINT of a background job: ab-gen is stopped by kill -INT
 * whichever way it was started. */
static void
catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

/* ---- configurations ---- */

/*
 * Add the configuration j (borrowed) from file, named name when it has no
 * name of its own (force: whatever it has), expanded into the --set grid:
 * one configuration per combination, named NAME[k=v,...].  Exits on what
 * it refuses.
 */
static void
add_one(struct gen *g, const json_t *j, const char *name, bool force,
    const char *file)
{
	const struct ab_sweep_axis *a;
	struct ab_config probe, *c;
	struct ab_error err;
	char *suffix = NULL, *nm;
	json_t *x, *v;
	size_t i, k, n = ab_sweep_size(&g->sweep);
	int first = g->ncfg, p, q, rc;

	/* Each value of each --set alone first, so that a refusal names the
	 * option and the reason a file would get. */
	for (k = 0; k < g->sweep.naxes; k++) {
		a = &g->sweep.axes[k];
		json_array_foreach(a->vals, i, v) {
			x = json_deep_copy(j);
			if (ab_sweep_set(x, a->key, v, &err) < 0 ||
			    ab_config_parse(&probe, x, name, file, g->pricing,
			    &err) < 0) {
				json_decref(x);
				ab_errx(AB_EXIT_FATAL, "--set %s: %s: %s",
				    a->arg, file, err.msg);
			}
			ab_config_release(&probe);
			json_decref(x);
		}
	}
	for (i = 0; i < n; i++) {
		if (g->sweep.naxes == 0)
			x = json_incref((json_t *)j);
		else if ((x = ab_sweep_apply(&g->sweep, i, j, &suffix,
		    &err)) == NULL)
			ab_errx(AB_EXIT_FATAL, "--set: %s: %s", file, err.msg);
		g->cfgs = ab_xrealloc(g->cfgs, (size_t)(g->ncfg + 1) *
		    sizeof *g->cfgs);
		c = &g->cfgs[g->ncfg];
		rc = ab_config_parse(c, x, name, file, g->pricing, &err);
		json_decref(x);
		if (rc < 0)
			ab_errx(AB_EXIT_FATAL, "%s%s: %s", suffix != NULL ?
			    "--set: " : "", file, err.msg);
		if (force) {
			free(c->name);
			c->name = ab_xstrdup(name);
		}
		if (suffix != NULL) {
			nm = ab_xasprintf("%s%s", c->name, suffix);
			free(c->name);
			c->name = nm;
			free(suffix);
			suffix = NULL;
		}
		g->ncfg++;
	}
	/* A grid point the hash cannot tell from another would pool two
	 * subjects' results under one identity. */
	for (p = first; p < g->ncfg; p++)
		for (q = first; q < p; q++)
			if (strcmp(g->cfgs[p].hash, g->cfgs[q].hash) == 0)
				ab_errx(AB_EXIT_FATAL, "--set: %s: %s and %s have "
				    "the same hash: a member that does not "
				    "change what is benchmarked cannot be swept",
				    file, g->cfgs[q].name, g->cfgs[p].name);
}

static void
add_config(struct gen *g, const char *path, const char *force_name)
{
	json_error_t jerr;
	json_t *j, *one;
	size_t i, n;
	char *base, *dot, *name;

	j = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (j == NULL)
		ab_errx(AB_EXIT_FATAL, "%s:%d: %s", path, jerr.line,
		    jerr.text);
	n = json_is_array(j) ? json_array_size(j) : 1;
	base = ab_xstrdup(strrchr(path, '/') ? strrchr(path, '/') + 1 : path);
	if ((dot = strrchr(base, '.')) != NULL && strcmp(dot, ".json") == 0)
		*dot = '\0';
	for (i = 0; i < n; i++) {
		one = json_is_array(j) ? json_array_get(j, i) : j;
		name = force_name != NULL && n == 1 ? ab_xstrdup(force_name) :
		    json_is_array(j) ? NULL : ab_xstrdup(base);
		add_one(g, one, name, force_name != NULL && n == 1, path);
		free(name);
	}
	free(base);
	json_decref(j);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every *.json below dir, named by its path relative to top. */
static void
add_config_dir(struct gen *g, const char *top, const char *rel)
{
	char *dir = *rel ? ab_xasprintf("%s/%s", top, rel) : ab_xstrdup(top);
	char **names = NULL, *p, *r;
	struct dirent *d;
	struct stat st;
	size_t n = 0, i, len;
	DIR *dp;

	if ((dp = opendir(dir)) == NULL)
		ab_err(AB_EXIT_FATAL, "%s", dir);
	while ((d = readdir(dp)) != NULL) {
		if (d->d_name[0] == '.')
			continue;
		names = ab_xrealloc(names, (n + 1) * sizeof *names);
		names[n++] = ab_xstrdup(d->d_name);
	}
	closedir(dp);
	if (n > 0)
		qsort(names, n, sizeof *names, cmp_str);
	for (i = 0; i < n; i++) {
		p = ab_xasprintf("%s/%s", dir, names[i]);
		r = *rel ? ab_xasprintf("%s/%s", rel, names[i]) :
		    ab_xstrdup(names[i]);
		len = strlen(r);
		if (stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
			add_config_dir(g, top, r);
		} else if (len > 5 && strcmp(r + len - 5, ".json") == 0) {
			r[len - 5] = '\0';
			add_config(g, p, r);
		}
		free(p);
		free(r);
		free(names[i]);
	}
	free(names);
	free(dir);
}

/* The subjects named on the command line. */
struct subjects {
	char **cfg_args;	/* -c (strings borrowed from argv, array
				   owned) */
	int ncfg_args;
	char **models;		/* -m, likewise */
	int nmodels;
	const char *base_url;	/* --base-url for -m, or NULL */
	const char *key_env;	/* --key-env for -m, or NULL */
	const char *name;	/* --name for the one -m, or NULL */
};

/* Every configuration of -c and -m, each expanded by --set, into g, in
 * the order given (files first); frees the argument arrays. */
static void
load_subjects(struct gen *g, struct subjects *s)
{
	struct ab_error err;
	struct stat st;
	json_t *j;
	char *file;
	int i;

	for (i = 0; i < s->ncfg_args; i++) {
		if (stat(s->cfg_args[i], &st) < 0)
			ab_err(AB_EXIT_FATAL, "%s", s->cfg_args[i]);
		if (S_ISDIR(st.st_mode))
			add_config_dir(g, s->cfg_args[i], "");
		else
			add_config(g, s->cfg_args[i], NULL);
	}
	for (i = 0; i < s->nmodels; i++) {
		if ((j = ab_config_from_model(s->models[i], s->base_url,
		    s->key_env, &err)) == NULL)
			ab_errx(AB_EXIT_FATAL, "-m %s: %s", s->models[i],
			    err.msg);
		if (s->name != NULL)
			json_object_set_new(j, "name", json_string(s->name));
		file = ab_xasprintf("-m %s", s->models[i]);
		add_one(g, j, NULL, false, file);
		free(file);
		json_decref(j);
	}
	free(s->cfg_args);
	free(s->models);
	s->cfg_args = s->models = NULL;
}

/* A dry run shows what it would run: each configuration, its hash and
 * its parameters, on the standard error. */
static void
describe_configs(const struct gen *g)
{
	const struct ab_config *c;
	char *params;
	int i;

	for (i = 0; i < g->ncfg; i++) {
		c = &g->cfgs[i];
		/* 15 digits: 0.7 shows as 0.7, as it was written. */
		params = c->main.params != NULL ? json_dumps(c->main.params,
		    JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(15)) :
		    NULL;
		if (params == NULL)
			params = ab_xstrdup("{}");
		if (c->moa)
			fprintf(stderr, "%s: dry run: configuration %s (hash "
			    "%.12s): a mixture of %d agents, %d cycles, main "
			    "%s %s %s\n", ab_progname(), c->name, c->hash,
			    c->nlayers, c->cycles,
			    ab_provider_name(c->main.provider),
			    c->main.model != NULL ? c->main.model : "-",
			    params);
		else
			fprintf(stderr, "%s: dry run: configuration %s (hash "
			    "%.12s): %s %s %s%s%s\n", ab_progname(), c->name,
			    c->hash, ab_provider_name(c->main.provider),
			    c->main.model != NULL ? c->main.model : "-",
			    params, c->main.url != NULL ? " at " : "",
			    c->main.url != NULL ? c->main.url : "");
		free(params);
	}
}

static struct ab_tmpl *
load_tmpl(struct gen *g, const char *path)
{
	struct ab_error err;
	struct ab_tmpl *t;
	size_t len;
	char *text;
	int i;

	for (i = 0; i < g->ntmpls; i++)
		if (strcmp(g->tmpls[i].path, path) == 0)
			return g->tmpls[i].t;
	if ((text = ab_read_file(path, &len, &err)) == NULL)
		ab_errx(AB_EXIT_FATAL, "%s", err.msg);
	t = ab_tmpl_parse(text, len, ab_task_vars, &err);
	free(text);
	if (t == NULL)
		ab_errx(AB_EXIT_FATAL, "%s: %s", path, err.msg);
	g->tmpls = ab_xrealloc(g->tmpls, (size_t)(g->ntmpls + 1) *
	    sizeof *g->tmpls);
	g->tmpls[g->ntmpls].path = ab_xstrdup(path);
	g->tmpls[g->ntmpls].t = t;
	g->ntmpls++;
	return t;
}

static struct ab_tmpl *
prompt_tmpl(struct gen *g, const struct ab_config *c)
{
	char *p;
	struct ab_tmpl *t;

	if (g->tmpl_path != NULL)
		return load_tmpl(g, g->tmpl_path);
	if (c->template != NULL)
		return load_tmpl(g, c->template);
	p = ab_share_path("prompts/default.md");
	t = load_tmpl(g, p);
	free(p);
	return t;
}

/* ---- replay ---- */

static void
replay_open(struct gen *g, const char *path)
{
	struct ab_reader r;
	struct ab_error err;
	enum ab_read rc;
	char magic[16];
	char *files[1];
	json_t *rec;
	FILE *fp;
	size_t n = 0;
	bool found_run = false;

	if ((fp = fopen(path, "re")) == NULL)
		ab_err(AB_EXIT_FATAL, "%s", path);
	n = fread(magic, 1, sizeof magic, fp);
	fclose(fp);
	if (n == sizeof magic && memcmp(magic, "SQLite format 3", 16) == 0) {
		g->replay_db = ab_store_lookup_open(path, g->replay_run,
		    &err);
		if (g->replay_db == NULL)
			ab_errx(AB_EXIT_FATAL, "%s", err.msg);
		return;
	}
	g->replay_map = json_object();
	files[0] = (char *)path;
	ab_reader_init(&r, files, 1, 0);
	while ((rc = ab_reader_next(&r, &rec, &err)) != AB_READ_EOF) {
		if (rc == AB_READ_IOERR)
			ab_errx(AB_EXIT_FATAL, "%s: %s", path, err.msg);
		if (rc == AB_READ_BAD) {
			ab_warn_read(rc, r.name, r.line, err.msg);
			continue;
		}
		/* A later record of an id wins, as a later run does in a
		 * database. */
		if (ab_get_str(rec, "id") != NULL &&
		    json_is_object(json_object_get(rec, "gen")) &&
		    (g->replay_run == NULL || (ab_get_str(rec, "run") != NULL &&
		    strcmp(ab_get_str(rec, "run"), g->replay_run) == 0))) {
			json_object_set(g->replay_map, ab_get_str(rec, "id"),
			    json_object_get(rec, "gen"));
			found_run = true;
		}
		json_decref(rec);
	}
	ab_reader_release(&r);
	if (g->replay_run != NULL && !found_run)
		ab_errx(AB_EXIT_FATAL, "%s: no records of run %s", path,
		    g->replay_run);
}

/* The gen member recorded under id, new, or NULL. */
static json_t *
replay_find(struct gen *g, const char *path, const char *id)
{
	json_t *rec, *gen;

	(void)path;
	if (g->replay_map != NULL)
		return json_deep_copy(json_object_get(g->replay_map, id));
	if ((rec = ab_store_lookup(g->replay_db, id)) == NULL)
		return NULL;
	gen = json_deep_copy(json_object_get(rec, "gen"));
	json_decref(rec);
	return json_is_object(gen) ? gen : (json_decref(gen), NULL);
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
sort_calls(struct job *j)
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
finish_job(struct gen *g, struct job *j, const char *text)
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
job_fail(struct gen *g, struct job *j, json_t *error)
{
	if (j->error == NULL)
		j->error = error;
	else
		json_decref(error);
}

static void phase_start(struct gen *g, struct job *j);

/* A call finished (or came from the cache): record it and move on. */
static void
call_result(struct gen *g, struct cref *r, const char *text, long tin,
    long tout, bool estimated, double latency, double ttft, json_t *error,
    bool cached, struct ab_call *c)
{
	struct job *j = r->job;
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
		ab_warnx("%s", err.msg);
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
			ab_warnx("%s", err.msg);
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
make_call(struct gen *g, struct job *j, const struct ab_agent *a,
    json_t *messages, int cycle, int agent_idx)
{
	struct cref *r = ab_xcalloc(1, sizeof *r);
	struct ab_call *c;
	json_t *hit, *m;
	size_t i;
	long est = 0;

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
	struct gen *g = ctx;
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
		ab_warnx("%s", err.msg);
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
make_cmd_call(struct gen *g, struct job *j)
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
phase_start(struct gen *g, struct job *j)
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
job_free(struct job *j)
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
trial_start(struct gen *g, struct job *j)
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
trial_collect(struct gen *g, double wait_ms)
{
	struct job *j;
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
job_start(struct gen *g, struct job *j)
{
	const struct ab_config *c = j->cfg;
	const char *src = g->replay_path;
	json_t *old;
	char *id;

	if (c->main.provider == AB_PROV_REPLAY || src != NULL) {
		id = ab_xasprintf("%s/%s/%d", ab_get_str(j->task, "id"),
		    c->main.replay_config ? c->main.replay_config : c->name,
		    j->sample);
		old = g->dry_run ? json_object() : replay_find(g, src, id);
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

/* Write a record: every number as it reads back (lib/jsonw.c). */
static void
emit(const json_t *rec)
{
	ab_emit(rec, false);
}

static void
emit_ready(struct gen *g)
{
	struct job *j;
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
			emit(rec);
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
	if (any && fflush(stdout) == EOF)
		ab_emit(json_null(), true);	/* reports and exits */
}

static void
progress(struct gen *g, bool final)
{
	long retries = 0, running = 0;
	double now = ab_now_ms(), rate;
	char cost[48];

	if (!g->progress || (!final && now - g->last_progress < 250))
		return;
	g->last_progress = now;
	if (g->eng != NULL)
		ab_engine_stats(g->eng, &retries, &running);
	rate = g->emitted / fmax((now - g->t0) / 1000, 1e-3);
	/* Unknown is never zero: calls without a price make the total a
	 * lower bound, or unknown when nothing had one. */
	if (g->unpriced == 0)
		snprintf(cost, sizeof cost, "$%.4f", g->spent);
	else if (g->spent > 0)
		snprintf(cost, sizeof cost, ">=$%.4f", g->spent);
	else
		snprintf(cost, sizeof cost, "cost unknown");
	if (g->total_known > 0)
		fprintf(stderr, "\r%s: %ld/%ld done  %.1f/s  %ld running  "
		    "%ld retries  %ld errors  %s \033[K", ab_progname(),
		    g->emitted, g->total_known, rate, running, retries,
		    g->errors, cost);
	else
		fprintf(stderr, "\r%s: %ld done  %.1f/s  %ld running  "
		    "%ld retries  %ld errors  %s \033[K", ab_progname(),
		    g->emitted, rate, running, retries, g->errors, cost);
	if (final)
		fputc('\n', stderr);
	fflush(stderr);
}

/* Queue the records of one task. */
static void
add_task(struct gen *g, json_t *task)
{
	struct ab_buf b = AB_BUF_INIT;
	json_t *ctx;
	struct job *j;
	int ci, s;

	ctx = ab_task_context(task);
	for (ci = 0; ci < g->ncfg; ci++) {
		ab_buf_reset(&b);
		ab_tmpl_render(prompt_tmpl(g, &g->cfgs[ci]), ctx, &b);
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
static void
pump(struct gen *g, bool drain)
{
	struct ab_call *c;
	struct cref *r;
	long room = (long)g->ncfg * g->samples, tin, tout;
	struct ab_error err;
	bool ok, est;

	emit_ready(g);
	while (g->tail - g->head > (drain ? 0 : g->win_cap - room)) {
		if (interrupted)
			return;
		/* An open cache transaction is committed within 100 ms,
		 * so that other processes sharing the cache can write. */
		if (ab_trial_pool_pending(g->pool) > 0) {
			trial_collect(g, ab_engine_pending(g->eng) > 0 ? 0 :
			    g->progress ? 250 : 1000);
			emit_ready(g);
		}
		c = ab_engine_pending(g->eng) == 0 &&
		    ab_trial_pool_pending(g->pool) > 0 ? NULL :
		    ab_engine_next(g->eng, ab_cache_dirty(g->cache) ? 100 :
		    ab_trial_pool_pending(g->pool) > 0 ? 50 :
		    g->progress ? 250 : -1);
		progress(g, false);
		if (c == NULL) {
			if (ab_cache_dirty(g->cache) &&
			    ab_cache_flush(g->cache, &err) < 0)
				ab_warnx("%s", err.msg);
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

/* ---- task input ---- */

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

/* Check a task; false after a diagnostic. */
static bool
check_task(struct gen *g, json_t *t, const char *file, long line)
{
	const char *id = ab_get_str(t, "id");

	if (id == NULL) {
		ab_warnx_at(file, line, "task has no string member \"id\"");
		return false;
	}
	if (!valid_id(id)) {
		ab_warnx_at(file, line, "task %s: id must match "
		    "[A-Za-z0-9._-]+", id);
		return false;
	}
	if (ab_get_str(t, "prompt") == NULL &&
	    ab_get_str(t, "description") == NULL) {
		ab_warnx_at(file, line, "task %s: missing prompt or "
		    "description", id);
		return false;
	}
	if (ab_get_str(t, "language") == NULL) {
		/* Checked before any call: later stages could not judge the
		 * answer, and the call would be spent for nothing. */
		ab_warnx_at(file, line, "task %s: missing language", id);
		return false;
	}
	if (json_object_get(t, "tests") != NULL &&
	    !json_is_array(json_object_get(t, "tests"))) {
		ab_warnx_at(file, line, "task %s: tests must be an array", id);
		return false;
	}
	if (json_object_get(g->seen, id) != NULL) {
		ab_warnx_at(file, line, "task %s: duplicate id", id);
		return false;
	}
	json_object_set_new(g->seen, id, json_true());
	return true;
}

struct pick {
	unsigned long long h;
	long index;
	json_t *task;
};

static int
cmp_pick_index(const void *a, const void *b)
{
	const struct pick *x = a, *y = b;

	return (x->index > y->index) - (x->index < y->index);
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

/* The attempts of each configuration this run will make (the tasks that
 * check_task will take, times the samples), when every input is a regular
 * file, which is then read twice; else -1.  Written into each record as
 * "planned", so that ab-store can tell a run whose input ended early. */
static long
count_planned(struct gen *g, char **files, int nfiles, long sample_n)
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

		if (rc == AB_READ_RECORD && id != NULL && valid_id(id) &&
		    (ab_get_str(t, "prompt") != NULL ||
		    ab_get_str(t, "description") != NULL) &&
		    ab_get_str(t, "language") != NULL &&
		    (json_object_get(t, "tests") == NULL ||
		    json_is_array(json_object_get(t, "tests"))) &&
		    json_object_get(seen, id) == NULL) {
			json_object_set_new(seen, id, json_true());
			n++;
		}
		json_decref(t);
	}
	ab_reader_release(&r);
	json_decref(seen);
	if (sample_n > 0 && n > sample_n)
		n = sample_n;
	return n * g->samples;
}

static void
run_tasks(struct gen *g, struct ab_loop_opts *lo, char **files, int nfiles,
    long sample_n, long long seed)
{
	struct ab_input in;
	struct ab_error err;
	struct pick *picks = NULL;
	long npicks = 0, index = 0, i, worst;
	json_t *t;

	g->planned = lo->stop_on_bad ? -1 : count_planned(g, files, nfiles,
	    sample_n);
	ab_input_init(&in, lo, files, nfiles);
	for (;;) {
		/* Reading a pipe may block for long: commit first. */
		if (ab_cache_dirty(g->cache) && !ab_reader_ready(&in.r) &&
		    ab_cache_flush(g->cache, &err) < 0)
			ab_warnx("%s", err.msg);
		if (interrupted || !ab_input_next(&in, &t))
			break;
		if (!check_task(g, t, in.r.name, in.r.line)) {
			json_decref(t);
			ab_input_reject(&in);
			continue;
		}
		if (sample_n > 0) {
			/* Keep the sample_n tasks of smallest hash: the same
			 * seed picks the same tasks whatever their order. */
			unsigned long long h = seed_hash(seed,
			    ab_get_str(t, "id"));

			if (npicks < sample_n) {
				picks = ab_xrealloc(picks, (size_t)(npicks + 1) *
				    sizeof *picks);
				picks[npicks++] = (struct pick){ h, index, t };
			} else {
				for (worst = 0, i = 1; i < npicks; i++)
					if (picks[i].h > picks[worst].h)
						worst = i;
				if (h < picks[worst].h) {
					json_decref(picks[worst].task);
					picks[worst] = (struct pick){ h, index,
					    t };
				} else {
					json_decref(t);
				}
			}
			index++;
			continue;
		}
		pump(g, false);
		/* pump returns early on a signal, without room in the
		 * window: adding now would wrap onto live jobs. */
		if (!interrupted)
			add_task(g, t);
		json_decref(t);
	}
	if (ab_input_release(&in) != AB_EXIT_OK)
		g->status = AB_EXIT_FAIL;
	if (sample_n > 0) {
		qsort(picks, (size_t)npicks, sizeof *picks, cmp_pick_index);
		g->total_known = npicks * g->ncfg * g->samples;
		for (i = 0; i < npicks; i++) {
			if (!interrupted)
				pump(g, false);
			if (!interrupted)
				add_task(g, picks[i].task);
			json_decref(picks[i].task);
		}
		free(picks);
	}
	/* Interrupted, the window holds only what was read so far: the
	 * plan (when the input was counted) is the run's true size. */
	if (!interrupted)
		g->total_known = g->tail;
	else if (g->planned >= 0)
		g->total_known = g->planned * g->ncfg;
	pump(g, true);
}

static void
remove_tmpdir(struct gen *g)
{
	struct dirent *d;
	DIR *dp;
	char *p;

	if (g->tmpdir == NULL)
		return;
	if ((dp = opendir(g->tmpdir)) != NULL) {
		while ((d = readdir(dp)) != NULL) {
			if (strcmp(d->d_name, ".") == 0 ||
			    strcmp(d->d_name, "..") == 0)
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
	if (g->tmpdir_lock >= 0)
		close(g->tmpdir_lock);
	g->tmpdir_lock = -1;
}

/* The agent configurations: descriptors, upstream models, programs
 * installed; then one sandbox slot per job (-j). */
static int
start_trials(struct gen *g, struct ab_error *err)
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
	/* The relays' calls are cached as other calls are. */
	o.cache_dir = g->use_cache ? g->cache_dir : NULL;
	o.read_cache = g->read_cache;
	g->pool = ab_trial_pool_new(g->parallel, &o, err);
	return g->pool == NULL ? -1 : 0;
}

/* On any exit (a closed stdout, a fatal error): no agent program left
 * running, no task file left behind. */
static struct gen *exiting;

/* A call dropped unfinished gives back what it reserved of the budget. */
static void
free_cref(void *p)
{
	struct cref *r = p;
	struct ab_error err;
	double total;

	if (r->reserved > 0 && exiting != NULL)
		ab_ledger_add(exiting->cache_dir, exiting->run, -r->reserved,
		    &total, &err);
	free(r);
}

static void
cleanup(void)
{
	struct gen *g = exiting;

	if (g == NULL)
		return;
	ab_trial_pool_free(g->pool);
	g->pool = NULL;
	ab_engine_free(g->eng);
	g->eng = NULL;
	exiting = NULL;
	remove_tmpdir(g);
}

/*
 * Everything between the options and the first task: pricing, the
 * configurations and their templates, replay sources, the cache, the run
 * id, the sampling seed (*seed, unless have_seed), the scratch directory,
 * the engine and the signal handlers.  Exits on what it refuses.
 */
static void
setup(struct gen *g, const char *pricing_path, struct subjects *subj,
    long sample_n, long long *seed, bool have_seed)
{
	struct ab_engine_opts eo = { 0 };
	struct ab_error e;
	const char *tmp;
	char *p;
	long n;
	int i;

	/* Everything that can be refused is refused before any call. */
	p = pricing_path != NULL ? ab_xstrdup(pricing_path) :
	    ab_share_path("pricing.json");
	if (pricing_path != NULL || access(p, R_OK) == 0) {
		if ((g->pricing = ab_pricing_load(p, &e)) == NULL)
			ab_errx(AB_EXIT_FATAL, "%s", e.msg);
	}
	free(p);
	if (subj->ncfg_args + subj->nmodels == 0)
		ab_warnx("no configuration (-c, -m): checking the tasks only");
	n = subj->ncfg_args;
	load_subjects(g, subj);
	if (g->ncfg == 0 && n > 0)
		ab_errx(AB_EXIT_FATAL, "no configuration found");
	g->cfg_member = ab_xcalloc((size_t)g->ncfg, sizeof *g->cfg_member);
	for (i = 0; i < g->ncfg; i++) {
		int k;

		for (k = 0; k < i; k++)
			if (strcmp(g->cfgs[k].name, g->cfgs[i].name) == 0)
				ab_errx(AB_EXIT_FATAL, "%s: configuration name "
				    "%s is also used by %s", g->cfgs[i].file,
				    g->cfgs[i].name, g->cfgs[k].file);
		g->cfg_member[i] = json_pack("{s:s, s:s}", "name",
		    g->cfgs[i].name, "hash", g->cfgs[i].hash);
		json_object_update_missing(g->cfg_member[i], g->cfgs[i].json);
		prompt_tmpl(g, &g->cfgs[i]);	/* refuse bad templates now */
		if (g->cfgs[i].main.provider == AB_PROV_REPLAY &&
		    g->replay_path == NULL && g->replay_db == NULL &&
		    g->replay_map == NULL)
			replay_open(g, g->cfgs[i].main.source);
	}
	if (g->dry_run)
		describe_configs(g);
	if (g->replay_path != NULL)
		replay_open(g, g->replay_path);
	if (g->replay_run != NULL && g->replay_db == NULL &&
	    g->replay_map == NULL)
		ab_errx(AB_EXIT_FATAL, "--replay-run needs --replay or a "
		    "replay configuration");
	if (g->replay_fill && g->replay_path == NULL)
		ab_errx(AB_EXIT_FATAL, "--replay-fill needs --replay");
	p = ab_share_path("prompts/task.md");
	g->task_tmpl = load_tmpl(g, g->tmpl_path != NULL ? g->tmpl_path : p);
	free(p);
	if (g->cache_dir == NULL)
		g->cache_dir = ab_cache_default_dir();
	/* Only model calls are cached: no cache to open for agent programs
	 * and replays alone. */
	for (i = 0, n = 0; i < g->ncfg && (g->replay_path == NULL ||
	    g->replay_fill); i++)
		if (g->cfgs[i].main.provider != AB_PROV_CMD &&
		    g->cfgs[i].main.provider != AB_PROV_REPLAY)
			n++;
	if (n == 0)
		g->use_cache = false;
	if (g->use_cache && (g->cache = ab_cache_open(g->cache_dir, &e)) ==
	    NULL) {
		ab_warnx("%s; going on without the cache", e.msg);
		g->use_cache = false;
	}
	if (g->run == NULL)
		g->run = new_run_id("");
	if (sample_n > 0) {
		if (!have_seed)
			*seed = (long long)time(NULL) ^ (long long)getpid();
		g->seed = json_integer(*seed);
	}
	/* Keys: a real run refuses a configuration whose key variable is
	 * unset; a dry run calls nobody, so it names them and estimates. */
	for (i = 0; i < g->ncfg; i++) {
		const char *k = ab_config_missing_key(&g->cfgs[i]);

		if (k == NULL)
			continue;
		if (!g->dry_run)
			ab_errx(AB_EXIT_FATAL, "%s: the key variable %s "
			    "(api_key_env) is not set", g->cfgs[i].file, k);
		ab_warnx("dry run: %s: the key variable %s (api_key_env) is "
		    "not set; a real run would refuse", g->cfgs[i].name, k);
	}
	if ((tmp = getenv("TMPDIR")) == NULL || *tmp == '\0')
		tmp = "/tmp";
	/* What earlier runs killed on the spot (SIGKILL) left here: their
	 * task files and the trials' slots with their bases.  Only
	 * directories whose owner's lock died with it are removed. */
	ab_ws_clean_stale(tmp, "ab-gen");
	if ((g->tmpdir_lock = ab_ws_tempdir_locked(tmp, "ab-gen", &p,
	    &e)) < 0)
		ab_errx(AB_EXIT_FATAL, "%s", e.msg);
	g->tmpdir = p;
	exiting = g;
	atexit(cleanup);

	eo.parallel = g->parallel;
	eo.admit = admit;
	eo.admit_ctx = g;
	eo.udata_free = free_cref;
	if ((g->eng = ab_engine_new(&eo, &e)) == NULL) {
		remove_tmpdir(g);
		ab_errx(AB_EXIT_FATAL, "%s", e.msg);
	}
	if (start_trials(g, &e) < 0) {
		remove_tmpdir(g);
		ab_errx(AB_EXIT_FATAL, "%s", e.msg);
	}
	g->win_cap = 4L * g->parallel + 16 + (long)g->ncfg * g->samples;
	g->win = ab_xcalloc((size_t)g->win_cap, sizeof *g->win);
	g->seen = json_object();
	g->progress = !g->quiet && !g->dry_run && isatty(STDERR_FILENO);
	g->t0 = ab_now_ms();
}

/* After the last task: the dry-run summary, then everything setup made
 * is released.  Returns the exit status. */
static int
teardown(struct gen *g)
{
	long i;

	progress(g, true);
	if (g->dry_run) {
		fprintf(stderr, "%s: dry run: %ld records, %ld calls (%ld "
		    "cached), about %.0f tokens in and %.0f out, cost %s"
		    "%.4f USD\n", ab_progname(), g->emitted, g->dry_calls,
		    g->dry_cached, g->dry_in, g->dry_out,
		    g->dry_cost_unknown ? "at least " : "", g->dry_cost);
		if (g->dry_cost_unknown)
			fprintf(stderr, "%s: dry run: some models have no "
			    "price (see --pricing)\n", ab_progname());
	}
	cleanup();
	for (i = g->head; i < g->tail; i++)
		job_free(g->win[i % g->win_cap]);
	free(g->win);
	if (interrupted) {
		/* Say how much of the run this is: records written, the
		 * attempts that were started and dropped, and whether the
		 * rest of the input was never read. */
		if (g->total_known > 0)
			ab_warnx("interrupted: %ld of %ld records written, %ld "
			    "started and dropped", g->emitted, g->total_known,
			    g->tail - g->emitted);
		else
			ab_warnx("interrupted: %ld records written, %ld started "
			    "and dropped, the rest of the input not read",
			    g->emitted, g->tail - g->emitted);
		g->status = AB_EXIT_FATAL;
	}
	for (i = 0; i < g->ncfg; i++) {
		ab_config_release(&g->cfgs[i]);
		json_decref(g->cfg_member[i]);
		if (g->tcfg != NULL && g->tcfg[i] != NULL) {
			ab_trial_cfg_release(g->tcfg[i]);
			free(g->tcfg[i]);
		}
	}
	free(g->tcfg);
	free(g->trial_ro);
	free(g->cfgs);
	ab_sweep_release(&g->sweep);
	free(g->cfg_member);
	for (i = 0; i < g->ntmpls; i++) {
		free(g->tmpls[i].path);
		ab_tmpl_free(g->tmpls[i].t);
	}
	free(g->tmpls);
	json_decref(g->pricing);
	json_decref(g->replay_map);
	json_decref(g->seen);
	json_decref(g->seed);
	ab_store_lookup_close(g->replay_db);
	ab_cache_close(g->cache);
	free(g->cache_dir);
	free(g->run);
	return g->status;
}

/* ---- load mode (the scheduler is lib/gen/load.c) ---- */

struct load_out {
	struct gen *g;
	int ci;
	json_t *tasks;		/* task id -> task, or NULL (synthetic) */
	json_t *synthetic;	/* the synthetic prompt's task member */
};

static void
load_emit(const json_t *gen, const json_t *load,
    const struct ab_load_prompt *pr, long seq, void *ctx)
{
	struct load_out *L = ctx;
	struct ab_config *c = &L->g->cfgs[L->ci];
	json_t *task = L->tasks != NULL ? json_object_get(L->tasks, pr->id) :
	    L->synthetic, *rec;
	char *id = ab_xasprintf("%s/%s/%ld", pr->id, c->name, seq);

	rec = json_pack("{s:s, s:s, s:O, s:O, s:I, s:O, s:O}", "id", id,
	    "run", L->g->run, "task", task, "config", L->g->cfg_member[L->ci],
	    "sample", (json_int_t)seq, "gen", gen, "load", load);
	free(id);
	if (rec == NULL)
		abort();
	emit(rec);
	json_decref(rec);
}

/* ab-gen --load: every configuration in turn through the profile; one
 * record per request, then one summary record per configuration. */
static int
run_load(struct gen *g, const char *arg, const char *pricing_path,
    struct subjects *subj, struct ab_loop_opts *lo, char **files,
    int nfiles)
{
	struct ab_load_profile p;
	struct ab_load_prompt *pr = NULL;
	struct load_out L = { .g = g };
	struct ab_error e;
	struct ab_input in;
	struct ab_buf b = AB_BUF_INIT;
	json_error_t jerr;
	json_t *pj, *t, *sum, *rec, *bp, *st;
	const char *k;
	char *text = NULL, *id;
	size_t n = 0, i;
	int ci, status = AB_EXIT_OK;

	pj = arg[0] == '{' ? json_loads(arg, JSON_REJECT_DUPLICATES, &jerr) :
	    json_load_file(arg, JSON_REJECT_DUPLICATES, &jerr);
	if (pj == NULL)
		ab_errx(AB_EXIT_FATAL, "--load: %s:%d: %s", arg[0] == '{' ?
		    "(argument)" : arg, jerr.line, jerr.text);
	if (ab_load_profile_parse(&p, pj, &e) < 0) {
		json_decref(pj);
		ab_errx(AB_EXIT_FATAL, "--load: %s: %s", arg[0] == '{' ?
		    "(argument)" : arg, e.msg);
	}
	json_decref(pj);
	if (g->budget >= 0)
		p.budget_usd = g->budget;
	if (pricing_path != NULL && (g->pricing = ab_pricing_load(pricing_path,
	    &e)) == NULL)
		ab_errx(AB_EXIT_FATAL, "%s", e.msg);
	if (subj->ncfg_args + subj->nmodels == 0)
		ab_errx(AB_EXIT_FATAL, "--load: no configuration (-c, -m)");
	load_subjects(g, subj);
	g->cfg_member = ab_xcalloc((size_t)g->ncfg, sizeof *g->cfg_member);
	for (ci = 0; ci < g->ncfg; ci++) {
		if ((k = ab_config_missing_key(&g->cfgs[ci])) != NULL)
			ab_errx(AB_EXIT_FATAL, "%s: the key variable %s "
			    "(api_key_env) is not set", g->cfgs[ci].file, k);
		g->cfg_member[ci] = json_pack("{s:s, s:s}", "name",
		    g->cfgs[ci].name, "hash", g->cfgs[ci].hash);
		json_object_update_missing(g->cfg_member[ci],
		    g->cfgs[ci].json);
	}
	if (g->run == NULL)
		g->run = new_run_id("load-");
	g->seen = json_object();
	if (p.in_tokens > 0) {
		text = ab_load_synthetic(p.in_tokens, p.seed);
		L.synthetic = json_pack("{s:s, s:I, s:I}", "id", "synthetic",
		    "input_tokens", (json_int_t)p.in_tokens, "output_tokens",
		    (json_int_t)p.out_tokens);
		pr = ab_xcalloc(1, sizeof *pr);
		pr[0].id = "synthetic";
		pr[0].text = text;
		n = 1;
	} else {
		/* The tasks, in input order, sent in turn. */
		L.tasks = json_object();
		ab_input_init(&in, lo, files, nfiles);
		while (ab_input_next(&in, &t)) {
			if (check_task(g, t, in.r.name, in.r.line))
				json_object_set(L.tasks, ab_get_str(t, "id"),
				    t);
			else
				ab_input_reject(&in);
			json_decref(t);
		}
		if (ab_input_release(&in) != AB_EXIT_OK)
			status = AB_EXIT_FAIL;
		if (json_object_size(L.tasks) == 0)
			ab_errx(AB_EXIT_FATAL, "--load: no task to send (give "
			    "tasks, or a synthetic \"prompt\" in the profile)");
		n = json_object_size(L.tasks);
		pr = ab_xcalloc(n, sizeof *pr);
	}
	for (ci = 0; ci < g->ncfg && !interrupted; ci++) {
		L.ci = ci;
		if (L.tasks != NULL) {
			/* The prompts as this configuration's template
			 * renders them (strings kept in the task map). */
			i = 0;
			json_object_foreach(L.tasks, k, t) {
				json_t *ctx = ab_task_context(t);

				ab_buf_reset(&b);
				ab_tmpl_render(prompt_tmpl(g, &g->cfgs[ci]),
				    ctx, &b);
				json_decref(ctx);
				json_object_set_new(g->seen, k,
				    json_string(b.s != NULL ? b.s : ""));
				pr[i].id = k;
				pr[i].text = json_string_value(
				    json_object_get(g->seen, k));
				i++;
			}
		}
		sum = ab_load_run(&p, &g->cfgs[ci], pr, n, load_emit, &L,
		    &interrupted, &e);
		if (sum == NULL) {
			ab_warnx("%s", e.msg);
			status = AB_EXIT_FATAL;
			continue;
		}
		json_object_set_new(sum, "summary", json_true());
		id = ab_xasprintf("load-summary/%s/0", g->cfgs[ci].name);
		rec = json_pack("{s:s, s:s, s:{s:s}, s:O, s:i, s:O}", "id", id,
		    "run", g->run, "task", "id", "load-summary", "config",
		    g->cfg_member[ci], "sample", 0, "load", sum);
		free(id);
		emit(rec);
		json_decref(rec);
		st = json_object_get(sum, "stopped");
		bp = json_object_get(sum, "breaking_point");
		if (json_is_object(st)) {
			ab_warnx("load: %s: stopped early (%s): %s",
			    g->cfgs[ci].name, ab_get_str(st, "reason"),
			    ab_get_str(st, "message"));
			status = status == AB_EXIT_FATAL ? status :
			    AB_EXIT_FAIL;
		}
		if (json_is_object(bp))
			ab_warnx("load: %s: breaking point at %g %s: %s",
			    g->cfgs[ci].name, ab_get_num(bp, "level", 0),
			    ab_get_str(bp, "unit"), ab_get_str(bp, "why"));
		else if (ab_get_str(sum, "note") != NULL && !g->quiet)
			ab_warnx("load: %s: %s", g->cfgs[ci].name,
			    ab_get_str(sum, "note"));
		if (!g->quiet)
			ab_warnx("load: %s: %lld requests, %lld errors, "
			    "%lld warm-ups; scheduler lateness p99 %g ms",
			    g->cfgs[ci].name, (long long)json_integer_value(
			    json_object_get(sum, "requests")),
			    (long long)json_integer_value(json_object_get(sum,
			    "errors")), (long long)json_integer_value(
			    json_object_get(sum, "warmups")),
			    ab_get_num(sum, "lateness_ms.p99", 0));
		json_decref(sum);
	}
	if (interrupted)
		status = status == AB_EXIT_FATAL ? status : AB_EXIT_FAIL;
	ab_buf_release(&b);
	free(pr);
	free(text);
	json_decref(L.tasks);
	json_decref(L.synthetic);
	ab_load_profile_release(&p);
	for (ci = 0; ci < g->ncfg; ci++) {
		json_decref(g->cfg_member[ci]);
		ab_config_release(&g->cfgs[ci]);
	}
	free(g->cfg_member);
	free(g->cfgs);
	ab_sweep_release(&g->sweep);
	for (ci = 0; ci < g->ntmpls; ci++) {
		free(g->tmpls[ci].path);
		ab_tmpl_free(g->tmpls[ci].t);
	}
	free(g->tmpls);
	json_decref(g->pricing);
	json_decref(g->seen);
	free(g->run);
	return status;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "budget", required_argument, NULL, 'B' },
		{ "load", required_argument, NULL, 'L' },
		{ "cache-dir", required_argument, NULL, 'C' },
		{ "dry-run", no_argument, NULL, 'D' },
		{ "max-record", required_argument, NULL, 'M' },
		{ "no-cache", no_argument, NULL, 'N' },
		{ "pricing", required_argument, NULL, 'P' },
		{ "refresh", no_argument, NULL, 'R' },
		{ "replay", required_argument, NULL, 'Y' },
		{ "replay-run", required_argument, NULL, 'U' },
		{ "replay-fill", no_argument, NULL, 'F' },
		{ "model", required_argument, NULL, 'm' },
		{ "set", required_argument, NULL, 'X' },
		{ "base-url", required_argument, NULL, 'H' },
		{ "key-env", required_argument, NULL, 'K' },
		{ "name", required_argument, NULL, 'A' },
		{ NULL, 0, NULL, 0 },
	};
	struct ab_loop_opts lo = { 0 };
	struct subjects subj = { 0 };
	struct ab_error err;
	struct gen g;
	char *pricing_path = NULL, *load_arg = NULL;
	int ch;
	long n, sample_n = 0;
	long long seed = -1;
	bool have_seed = false;
	double d;

	ab_init(argv[0]);
	catch_signals();
	memset(&g, 0, sizeof g);
	g.samples = 1;
	g.parallel = 8;
	g.budget = -1;
	g.tmpdir_lock = -1;
	g.use_cache = g.read_cache = true;
	while ((ch = getopt_long(argc, argv, "bc:hj:m:n:qr:S:s:t:V", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'b':
			lo.stop_on_bad = true;
			break;
		case 'c':
			subj.cfg_args = ab_xrealloc(subj.cfg_args,
			    (size_t)(subj.ncfg_args + 1) *
			    sizeof *subj.cfg_args);
			subj.cfg_args[subj.ncfg_args++] = optarg;
			break;
		case 'm':
			subj.models = ab_xrealloc(subj.models,
			    (size_t)(subj.nmodels + 1) * sizeof *subj.models);
			subj.models[subj.nmodels++] = optarg;
			break;
		case 'X':
			if (ab_sweep_add(&g.sweep, optarg, &err) < 0)
				ab_errx(AB_EXIT_FATAL, "--set %s: %s", optarg,
				    err.msg);
			break;
		case 'H':
			subj.base_url = optarg;
			break;
		case 'K':
			subj.key_env = optarg;
			break;
		case 'A':
			subj.name = optarg;
			break;
		case 'j':
			n = ab_opt_long("-j", optarg, 1, 1024);
			g.parallel = (int)n;
			break;
		case 'n':
			n = ab_opt_long("-n", optarg, 1, 100000);
			g.samples = (int)n;
			break;
		case 'q':
			g.quiet = true;
			break;
		case 'r':
			if (*optarg == '\0' || strchr(optarg, '/') != NULL ||
			    strpbrk(optarg, "\n\r\t") != NULL)
				ab_errx(AB_EXIT_FATAL, "-r: a run id must be "
				    "non-empty, without / or control "
				    "characters");
			g.run = ab_xstrdup(optarg);
			break;
		case 'S':
			sample_n = ab_opt_long("-S", optarg, 1, 100000000);
			break;
		case 's':
			n = ab_opt_long("-s", optarg, 0, 0x7fffffffffffL);
			seed = n;
			have_seed = true;
			break;
		case 't':
			g.tmpl_path = optarg;
			break;
		case 'B':
			d = ab_opt_double("--budget", optarg, 0, 1e9);
			g.budget = d;
			break;
		case 'C':
			g.cache_dir = ab_xstrdup(optarg);
			break;
		case 'D':
			g.dry_run = true;
			break;
		case 'L':
			load_arg = optarg;
			break;
		case 'M':
			lo.max_record = ab_opt_size("--max-record",
			    optarg, 1, SIZE_MAX);
			break;
		case 'N':
			g.use_cache = false;
			break;
		case 'P':
			pricing_path = optarg;
			break;
		case 'R':
			g.read_cache = false;
			break;
		case 'Y':
			g.replay_path = optarg;
			break;
		case 'U':
			g.replay_run = optarg;
			break;
		case 'F':
			g.replay_fill = true;
			break;
		case 'h':
			usage(stdout);
			ab_print_help(help_text);
			ab_exit(AB_EXIT_OK);
		case 'V':
			ab_print_version();
			ab_exit(AB_EXIT_OK);
		default:
			usage(stderr);
			ab_exit(AB_EXIT_FATAL);
		}
	}
	argc -= optind;
	argv += optind;
	if (subj.nmodels == 0 && (subj.base_url != NULL ||
	    subj.key_env != NULL || subj.name != NULL))
		ab_errx(AB_EXIT_FATAL, "%s applies to -m, and there is none",
		    subj.base_url != NULL ? "--base-url" : subj.key_env !=
		    NULL ? "--key-env" : "--name");
	if (subj.name != NULL && subj.nmodels > 1)
		ab_errx(AB_EXIT_FATAL, "--name names one -m configuration; "
		    "there are %d", subj.nmodels);
	if (g.sweep.naxes > 0 && subj.nmodels + subj.ncfg_args == 0)
		ab_errx(AB_EXIT_FATAL, "--set needs a configuration (-c or "
		    "-m)");

	if (load_arg != NULL)
		ab_exit(run_load(&g, load_arg, pricing_path, &subj, &lo, argv,
		    argc));
	setup(&g, pricing_path, &subj, sample_n, &seed, have_seed);
	run_tasks(&g, &lo, argv, argc, sample_n, seed);
	ab_exit(teardown(&g));
}
