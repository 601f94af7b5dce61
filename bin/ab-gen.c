/*
 * ab-gen - ask each subject to solve each task: tasks x configurations x
 * samples in, one record per attempt out, with the answer in "gen".  The
 * run itself is lib/gen/run.c (genrun.h); load mode is lib/gen/load.c.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gen.h"
#include "genrun.h"
#include "load.h"

struct tmpl_entry {
	char *path;
	struct ab_tmpl *t;
};

/* The options that are not the run's own (struct ab_gen holds those). */
struct opts {
	struct ab_subjects subj;	/* -c, -m, --set and friends */
	struct ab_sweep sweep;	/* --set */
	struct ab_loop_opts lo;	/* -b, --max-record */
	const char *pricing_path;	/* --pricing */
	const char *load_arg;	/* --load */
	const char *tmpl_path;	/* -t */
	const char *replay_run;	/* --replay-run */
	long sample_n;		/* -S */
	long long seed;		/* -s */
	bool have_seed, quiet;
};

struct gen {
	struct ab_gen r;	/* the run (lib/gen/run.c) */
	const struct opts *o;
	struct tmpl_entry *tmpls;	/* templates by path */
	int ntmpls;
	json_t *seen;		/* task ids seen */
	bool progress;
	double t0, last_progress;
	int status;		/* load mode */
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

/* A dry run shows what it would run: each configuration, its hash and
 * its parameters, on the standard error. */
static void
describe_configs(const struct gen *g)
{
	const struct ab_config *c;
	char *params;
	int i;

	for (i = 0; i < g->r.ncfg; i++) {
		c = &g->r.cfgs[i];
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

	if (g->o->tmpl_path != NULL)
		return load_tmpl(g, g->o->tmpl_path);
	if (c->template != NULL)
		return load_tmpl(g, c->template);
	p = ab_share_path("prompts/default.md");
	t = load_tmpl(g, p);
	free(p);
	return t;
}

/* ---- the benchmark run ---- */

static void
emit(struct ab_gen *r, const json_t *rec)
{
	(void)r;
	/* Every number as it reads back (lib/jsonw.c); flushed per batch. */
	if (rec != NULL)
		ab_emit(rec, false);
	else if (fflush(stdout) == EOF)
		ab_emit(json_null(), true);	/* reports and exits */
}

static void
warn(struct ab_gen *r, const char *msg)
{
	(void)r;
	ab_warnx("%s", msg);
}

static void
progress(struct gen *g, bool final)
{
	const struct ab_gen *r = &g->r;
	long retries = 0, running = 0;
	double now = ab_now_ms(), rate;
	char cost[48];

	if (!g->progress || (!final && now - g->last_progress < 250))
		return;
	g->last_progress = now;
	if (r->eng != NULL)
		ab_engine_stats(r->eng, &retries, &running);
	rate = r->emitted / fmax((now - g->t0) / 1000, 1e-3);
	/* Unknown is never zero: calls without a price make the total a
	 * lower bound, or unknown when nothing had one. */
	if (r->unpriced == 0)
		snprintf(cost, sizeof cost, "$%.4f", r->spent);
	else if (r->spent > 0)
		snprintf(cost, sizeof cost, ">=$%.4f", r->spent);
	else
		snprintf(cost, sizeof cost, "cost unknown");
	if (r->total_known > 0)
		fprintf(stderr, "\r%s: %ld/%ld done  %.1f/s  %ld running  "
		    "%ld retries  %ld errors  %s \033[K", ab_progname(),
		    r->emitted, r->total_known, rate, running, retries,
		    r->errors, cost);
	else
		fprintf(stderr, "\r%s: %ld done  %.1f/s  %ld running  "
		    "%ld retries  %ld errors  %s \033[K", ab_progname(),
		    r->emitted, rate, running, retries, r->errors, cost);
	if (final)
		fputc('\n', stderr);
	fflush(stderr);
}

static void
tick(struct ab_gen *r)
{
	progress(r->ctx, false);
}

/* Check a task; false after a diagnostic. */
static bool
check_task(struct gen *g, json_t *t, const char *file, long line)
{
	struct ab_error e;
	const char *id;

	if (ab_gen_task_check(t, &e) < 0) {
		ab_warnx_at(file, line, "%s", e.msg);
		return false;
	}
	id = ab_get_str(t, "id");
	if (json_object_get(g->seen, id) != NULL) {
		ab_warnx_at(file, line, "task %s: duplicate id", id);
		return false;
	}
	json_object_set_new(g->seen, id, json_true());
	return true;
}

static void
run_tasks(struct gen *g, char **files, int nfiles)
{
	const struct opts *o = g->o;
	struct ab_gen *r = &g->r;
	struct ab_gen_pick pick = { .limit = o->sample_n, .seed = o->seed };
	struct ab_input in;
	struct ab_error err;
	long i, n;
	json_t *t;

	/* The attempts of each configuration, when the input can be read
	 * twice: ab-store tells by it a run whose input ended early. */
	n = o->lo.stop_on_bad ? -1 : ab_gen_task_count(files, nfiles,
	    o->sample_n);
	r->planned = n >= 0 ? n * r->samples : -1;
	ab_input_init(&in, &o->lo, files, nfiles);
	for (;;) {
		/* Reading a pipe may block for long: commit first. */
		if (ab_cache_dirty(r->cache) && !ab_reader_ready(&in.r) &&
		    ab_cache_flush(r->cache, &err) < 0)
			ab_warnx("%s", err.msg);
		if (interrupted || !ab_input_next(&in, &t))
			break;
		if (!check_task(g, t, in.r.name, in.r.line))
			ab_input_reject(&in);
		else if (o->sample_n > 0)
			ab_gen_pick_add(&pick, t);
		else {
			ab_gen_pump(r, false);
			/* pump returns early on a signal, without room in
			 * the window: adding now would wrap onto live jobs. */
			if (!interrupted)
				ab_gen_add_task(r, t);
		}
		json_decref(t);
	}
	if (ab_input_release(&in) != AB_EXIT_OK)
		r->status = AB_EXIT_FAIL;
	if (o->sample_n > 0) {
		ab_gen_pick_sort(&pick);
		r->total_known = pick.n * r->ncfg * r->samples;
		for (i = 0; i < pick.n && !interrupted; i++) {
			ab_gen_pump(r, false);
			if (!interrupted)
				ab_gen_add_task(r, pick.v[i].task);
		}
		ab_gen_pick_release(&pick);
	}
	/* Interrupted, the window holds only what was read so far: the
	 * plan (when the input was counted) is the run's true size. */
	if (!interrupted)
		r->total_known = r->tail;
	else if (r->planned >= 0)
		r->total_known = r->planned * r->ncfg;
	ab_gen_pump(r, true);
}

/* ---- load mode (the scheduler is lib/gen/load.c) ---- */

struct load_out {
	struct gen *g;
	int ci;
	struct ab_load_prompts *lp;
};

static void
load_emit(const json_t *gen, const json_t *load,
    const struct ab_load_prompt *pr, long seq, void *ctx)
{
	struct load_out *L = ctx;
	struct ab_gen *r = &L->g->r;
	json_t *rec = ab_load_record(L->lp, r->run, r->cfg_member[L->ci],
	    r->cfgs[L->ci].name, gen, load, pr, seq);

	ab_emit(rec, false);
	json_decref(rec);
}

/* What a configuration's load run says on the standard error; the status
 * it makes. */
static int
load_report(struct gen *g, const char *name, const json_t *sum, int status)
{
	const json_t *st = json_object_get(sum, "stopped"),
	    *bp = json_object_get(sum, "breaking_point");

	if (json_is_object(st)) {
		ab_warnx("load: %s: stopped early (%s): %s", name,
		    ab_get_str(st, "reason"), ab_get_str(st, "message"));
		status = status == AB_EXIT_FATAL ? status : AB_EXIT_FAIL;
	}
	if (json_is_object(bp))
		ab_warnx("load: %s: breaking point at %g %s: %s", name,
		    ab_get_num(bp, "level", 0), ab_get_str(bp, "unit"),
		    ab_get_str(bp, "why"));
	else if (ab_get_str(sum, "note") != NULL && !g->o->quiet)
		ab_warnx("load: %s: %s", name, ab_get_str(sum, "note"));
	if (!g->o->quiet)
		ab_warnx("load: %s: %lld requests, %lld errors, %lld warm-ups; "
		    "scheduler lateness p99 %g ms", name,
		    (long long)json_integer_value(json_object_get(sum,
		    "requests")), (long long)json_integer_value(
		    json_object_get(sum, "errors")),
		    (long long)json_integer_value(json_object_get(sum,
		    "warmups")), ab_get_num(sum, "lateness_ms.p99", 0));
	return status;
}

/* ab-gen --load: every configuration in turn through the profile p; one
 * record per request, then one summary record per configuration. */
static void
run_load(struct gen *g, struct ab_load_profile *p, char **files, int nfiles)
{
	struct ab_gen *r = &g->r;
	struct ab_load_prompts lp = { 0 };
	struct load_out L = { .g = g, .lp = &lp };
	struct ab_error e;
	struct ab_input in;
	json_t *t, *sum, *rec;
	int ci;

	if (p->in_tokens > 0)
		ab_load_prompts_synthetic(&lp, p);
	else {
		/* The tasks, in input order, sent in turn. */
		ab_input_init(&in, &g->o->lo, files, nfiles);
		while (ab_input_next(&in, &t)) {
			if (check_task(g, t, in.r.name, in.r.line))
				ab_load_prompts_add(&lp, t);
			else
				ab_input_reject(&in);
			json_decref(t);
		}
		if (ab_input_release(&in) != AB_EXIT_OK)
			g->status = AB_EXIT_FAIL;
		if (lp.tasks == NULL)
			ab_errx(AB_EXIT_FATAL, "--load: no task to send (give "
			    "tasks, or a synthetic \"prompt\" in the profile)");
	}
	for (ci = 0; ci < r->ncfg && !interrupted; ci++) {
		L.ci = ci;
		ab_load_prompts_render(&lp, r->prompt_tmpl[ci]);
		sum = ab_load_run(p, &r->cfgs[ci], lp.v, lp.n, load_emit, &L,
		    &interrupted, &e);
		if (sum == NULL) {
			ab_warnx("%s", e.msg);
			g->status = AB_EXIT_FATAL;
			continue;
		}
		rec = ab_load_summary_record(sum, r->run, r->cfg_member[ci],
		    r->cfgs[ci].name);
		ab_emit(rec, false);
		json_decref(rec);
		g->status = load_report(g, r->cfgs[ci].name, sum, g->status);
		json_decref(sum);
	}
	if (interrupted)
		g->status = g->status == AB_EXIT_FATAL ? g->status :
		    AB_EXIT_FAIL;
	ab_load_prompts_release(&lp);
}

/* ---- set-up and tear-down ---- */

/* On any exit (a closed stdout, a fatal error): no agent program left
 * running, no task file left behind. */
static struct ab_gen *exiting;

static void
cleanup(void)
{
	if (exiting != NULL)
		ab_gen_stop(exiting);
}

static void
bad_replay_line(enum ab_read rc, const char *file, long line,
    const char *msg)
{
	ab_warn_read(rc, file, line, msg);
}

static void
open_replay(struct gen *g, const char *path)
{
	struct ab_error e;

	if ((g->r.replay = ab_replay_open(path, g->o->replay_run,
	    bad_replay_line, &e)) == NULL)
		ab_errx(AB_EXIT_FATAL, "%s", e.msg);
}

/* The benchmark run's own set-up: replay sources, the task file's
 * template, the cache, the sampling seed, the keys, the run's engine. */
static void
setup_run(struct gen *g)
{
	const struct opts *o = g->o;
	struct ab_gen *r = &g->r;
	struct ab_error e;
	char *p;
	long n;
	int i;

	if (r->dry_run)
		describe_configs(g);
	if (r->replay_path != NULL)
		open_replay(g, r->replay_path);
	if (o->replay_run != NULL && r->replay == NULL)
		ab_errx(AB_EXIT_FATAL, "--replay-run needs --replay or a "
		    "replay configuration");
	if (r->replay_fill && r->replay_path == NULL)
		ab_errx(AB_EXIT_FATAL, "--replay-fill needs --replay");
	p = ab_share_path("prompts/task.md");
	r->task_tmpl = load_tmpl(g, o->tmpl_path != NULL ? o->tmpl_path : p);
	free(p);
	if (r->cache_dir == NULL)
		r->cache_dir = ab_cache_default_dir();
	/* Only model calls are cached: no cache to open for agent programs
	 * and replays alone. */
	for (i = 0, n = 0; i < r->ncfg && (r->replay_path == NULL ||
	    r->replay_fill); i++)
		if (r->cfgs[i].main.provider != AB_PROV_CMD &&
		    r->cfgs[i].main.provider != AB_PROV_REPLAY)
			n++;
	if (n == 0)
		r->use_cache = false;
	if (r->use_cache && (r->cache = ab_cache_open(r->cache_dir, &e)) ==
	    NULL) {
		ab_warnx("%s; going on without the cache", e.msg);
		r->use_cache = false;
	}
	if (o->sample_n > 0)
		r->seed = json_integer(o->have_seed ? o->seed :
		    (long long)time(NULL) ^ (long long)getpid());
	/* Keys: a real run refuses a configuration whose key variable is
	 * unset; a dry run calls nobody, so it names them and estimates. */
	for (i = 0; i < r->ncfg; i++) {
		const char *k = ab_config_missing_key(&r->cfgs[i]);

		if (k == NULL)
			continue;
		if (!r->dry_run)
			ab_errx(AB_EXIT_FATAL, "%s: the key variable %s "
			    "(api_key_env) is not set", r->cfgs[i].file, k);
		ab_warnx("dry run: %s: the key variable %s (api_key_env) is "
		    "not set; a real run would refuse", r->cfgs[i].name, k);
	}
	r->ctx = g;
	r->emit = emit;
	r->warn = warn;
	g->progress = !o->quiet && !r->dry_run && isatty(STDERR_FILENO);
	r->tick = g->progress ? tick : NULL;
	r->interrupt = &interrupted;
	if (ab_gen_start(r, &e) < 0)
		ab_errx(AB_EXIT_FATAL, "%s", e.msg);
	g->t0 = ab_now_ms();
}

/*
 * Everything between the options and the first task, for a benchmark run
 * and a load run (load: its profile, parsed into p) alike: pricing, the
 * configurations, their record members and templates, the run id; then
 * the benchmark run's own (setup_run).  Exits on what it refuses: all of
 * it is refused before any call.
 */
static void
setup(struct gen *g, const struct opts *o, struct ab_load_profile *load)
{
	struct ab_gen *r = &g->r;
	struct ab_error e;
	char *p;
	int i, k;

	g->o = o;
	g->seen = json_object();
	if (load != NULL) {
		if (ab_load_profile_arg(load, o->load_arg, &e) < 0)
			ab_errx(AB_EXIT_FATAL, "%s", e.msg);
		if (r->budget >= 0)
			load->budget_usd = r->budget;
	}
	/* The default prices are a benchmark run's; a load run's budget
	 * counts only with prices given. */
	p = o->pricing_path != NULL ? ab_xstrdup(o->pricing_path) :
	    ab_share_path("pricing.json");
	if (o->pricing_path != NULL || (load == NULL && access(p, R_OK) == 0))
		if ((r->pricing = ab_pricing_load(p, &e)) == NULL)
			ab_errx(AB_EXIT_FATAL, "%s", e.msg);
	free(p);
	if (o->subj.ncfg_args + o->subj.nmodels == 0) {
		if (load != NULL)
			ab_errx(AB_EXIT_FATAL, "--load: no configuration (-c, "
			    "-m)");
		ab_warnx("no configuration (-c, -m): checking the tasks only");
	}
	if (ab_subjects_load(&o->subj, r->pricing, &r->cfgs, &r->ncfg,
	    &e) < 0)
		ab_errx(AB_EXIT_FATAL, "%s", e.msg);
	if (r->ncfg == 0 && o->subj.ncfg_args > 0)
		ab_errx(AB_EXIT_FATAL, "no configuration found");
	r->cfg_member = ab_xcalloc((size_t)r->ncfg, sizeof *r->cfg_member);
	r->prompt_tmpl = ab_xcalloc((size_t)r->ncfg, sizeof *r->prompt_tmpl);
	for (i = 0; i < r->ncfg; i++) {
		const struct ab_config *c = &r->cfgs[i];
		const char *key;

		for (k = 0; k < i && load == NULL; k++)
			if (strcmp(r->cfgs[k].name, c->name) == 0)
				ab_errx(AB_EXIT_FATAL, "%s: configuration name "
				    "%s is also used by %s", c->file, c->name,
				    r->cfgs[k].file);
		if (load != NULL && (key = ab_config_missing_key(c)) != NULL)
			ab_errx(AB_EXIT_FATAL, "%s: the key variable %s "
			    "(api_key_env) is not set", c->file, key);
		r->cfg_member[i] = json_pack("{s:s, s:s}", "name", c->name,
		    "hash", c->hash);
		json_object_update_missing(r->cfg_member[i], c->json);
		r->prompt_tmpl[i] = prompt_tmpl(g, c);	/* refused now */
		if (load == NULL && c->main.provider == AB_PROV_REPLAY &&
		    r->replay_path == NULL && r->replay == NULL)
			open_replay(g, c->main.source);
	}
	if (r->run == NULL)
		r->run = new_run_id(load != NULL ? "load-" : "");
	exiting = r;
	atexit(cleanup);
	if (load == NULL)
		setup_run(g);
}

/* After the last task: the benchmark run's progress line, dry-run
 * summary and interruption notice; then everything setup made is
 * released.  Returns the exit status. */
static int
teardown(struct gen *g, bool load)
{
	struct ab_gen *r = &g->r;
	int i, status = load ? g->status : r->status;

	if (!load) {
		progress(g, true);
		if (r->dry_run) {
			fprintf(stderr, "%s: dry run: %ld records, %ld calls "
			    "(%ld cached), about %.0f tokens in and %.0f out, "
			    "cost %s%.4f USD\n", ab_progname(), r->emitted,
			    r->dry_calls, r->dry_cached, r->dry_in, r->dry_out,
			    r->dry_cost_unknown ? "at least " : "",
			    r->dry_cost);
			if (r->dry_cost_unknown)
				fprintf(stderr, "%s: dry run: some models have "
				    "no price (see --pricing)\n",
				    ab_progname());
		}
		ab_gen_stop(r);
	}
	if (!load && interrupted) {
		/* Say how much of the run this is: records written, the
		 * attempts that were started and dropped, and whether the
		 * rest of the input was never read. */
		if (r->total_known > 0)
			ab_warnx("interrupted: %ld of %ld records written, %ld "
			    "started and dropped", r->emitted, r->total_known,
			    r->tail - r->emitted);
		else
			ab_warnx("interrupted: %ld records written, %ld started "
			    "and dropped, the rest of the input not read",
			    r->emitted, r->tail - r->emitted);
		status = AB_EXIT_FATAL;
	}
	exiting = NULL;
	free(r->prompt_tmpl);
	ab_gen_release(r);
	for (i = 0; i < g->ntmpls; i++) {
		free(g->tmpls[i].path);
		ab_tmpl_free(g->tmpls[i].t);
	}
	free(g->tmpls);
	json_decref(g->seen);
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
	struct ab_load_profile profile;
	struct ab_error err;
	struct opts o;
	struct gen g;
	int ch;

	ab_init(argv[0]);
	catch_signals();
	memset(&o, 0, sizeof o);
	memset(&g, 0, sizeof g);
	ab_gen_init(&g.r);
	o.subj.sweep = &o.sweep;
	while ((ch = getopt_long(argc, argv, "bc:hj:m:n:qr:S:s:t:V", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'b':
			o.lo.stop_on_bad = true;
			break;
		case 'c':
			o.subj.cfg_args = ab_xrealloc(o.subj.cfg_args,
			    (size_t)(o.subj.ncfg_args + 1) *
			    sizeof *o.subj.cfg_args);
			o.subj.cfg_args[o.subj.ncfg_args++] = optarg;
			break;
		case 'm':
			o.subj.models = ab_xrealloc(o.subj.models,
			    (size_t)(o.subj.nmodels + 1) *
			    sizeof *o.subj.models);
			o.subj.models[o.subj.nmodels++] = optarg;
			break;
		case 'X':
			if (ab_sweep_add(&o.sweep, optarg, &err) < 0)
				ab_errx(AB_EXIT_FATAL, "--set %s: %s", optarg,
				    err.msg);
			break;
		case 'H':
			o.subj.base_url = optarg;
			break;
		case 'K':
			o.subj.key_env = optarg;
			break;
		case 'A':
			o.subj.name = optarg;
			break;
		case 'j':
			g.r.parallel = (int)ab_opt_long("-j", optarg, 1, 1024);
			break;
		case 'n':
			g.r.samples = (int)ab_opt_long("-n", optarg, 1,
			    100000);
			break;
		case 'q':
			o.quiet = true;
			break;
		case 'r':
			if (*optarg == '\0' || strchr(optarg, '/') != NULL ||
			    strpbrk(optarg, "\n\r\t") != NULL)
				ab_errx(AB_EXIT_FATAL, "-r: a run id must be "
				    "non-empty, without / or control "
				    "characters");
			g.r.run = ab_xstrdup(optarg);
			break;
		case 'S':
			o.sample_n = ab_opt_long("-S", optarg, 1, 100000000);
			break;
		case 's':
			o.seed = ab_opt_long("-s", optarg, 0, 0x7fffffffffffL);
			o.have_seed = true;
			break;
		case 't':
			o.tmpl_path = optarg;
			break;
		case 'B':
			g.r.budget = ab_opt_double("--budget", optarg, 0, 1e9);
			break;
		case 'C':
			g.r.cache_dir = ab_xstrdup(optarg);
			break;
		case 'D':
			g.r.dry_run = true;
			break;
		case 'L':
			o.load_arg = optarg;
			break;
		case 'M':
			o.lo.max_record = ab_opt_size("--max-record",
			    optarg, 1, SIZE_MAX);
			break;
		case 'N':
			g.r.use_cache = false;
			break;
		case 'P':
			o.pricing_path = optarg;
			break;
		case 'R':
			g.r.read_cache = false;
			break;
		case 'Y':
			g.r.replay_path = optarg;
			break;
		case 'U':
			o.replay_run = optarg;
			break;
		case 'F':
			g.r.replay_fill = true;
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
	if (ab_subjects_check(&o.subj, &err) < 0)
		ab_errx(AB_EXIT_FATAL, "%s", err.msg);
	setup(&g, &o, o.load_arg != NULL ? &profile : NULL);
	if (o.load_arg != NULL)
		run_load(&g, &profile, argv, argc);
	else
		run_tasks(&g, argv, argc);
	if (o.load_arg != NULL)
		ab_load_profile_release(&profile);
	free(o.subj.cfg_args);
	free(o.subj.models);
	ab_sweep_release(&o.sweep);
	ab_exit(teardown(&g, o.load_arg != NULL));
}
