/*
 * report.h - ab-rank's analysis library: a fast record scanner, the
 * accumulators that hold a benchmark in memory bounded by runs x
 * configurations x tasks (never by records), the database reader, the views
 * (tables of typed cells) and their writers (text, NDJSON, CSV, Markdown,
 * JUnit XML, HTML with inline SVG charts).
 *
 * Files: lib/report/scan.c (the JSON scanner), lib/report/input.c
 * (records read by parser threads, in order), lib/report/model.c
 * (accumulators and attempts), lib/report/db.c (ab-store input, one or two
 * scanning threads),
 * lib/report/views.c (the analyses), lib/report/format.c (writers),
 * lib/report/html.c (the HTML report), lib/report/trials.c (agent
 * trials: their view and their trajectories).
 *
 * Library code never prints and never exits: failures fill struct ab_error.
 */
#ifndef AB_REPORT_H
#define AB_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ab.h"
#include "stats.h"

/* ---- scan.c: a small, fast, validating JSON scanner ---------------------- */

enum rk_jtype { RK_JNULL, RK_JFALSE, RK_JTRUE, RK_JNUM, RK_JSTR, RK_JARR,
	RK_JOBJ,
	RK_JSKIPPED		/* a member in the skip list: checked, not kept */
};

/* One value of a scanned document.  Pointers are borrowed from the text
 * that was scanned and valid while it is. */
struct rk_jv {
	const char *key;	/* member name, raw (escapes kept), or NULL */
	const char *s;		/* string body (raw) or number text */
	uint32_t klen, len;
	int32_t child, next;	/* first child, next sibling (-1: none) */
	uint8_t type;		/* enum rk_jtype */
	uint8_t kesc, esc;	/* the key / string holds escapes */
};

/* A scanned document: nodes in document order, node 0 is the root.  The
 * arrays are reused from one scan to the next. */
struct rk_json {
	struct rk_jv *v;
	size_t n, cap;
	char *scratch;		/* unescaped strings (rk_json_str) */
	size_t slen, scap;
};

/* Scan text[0..len-1] as one JSON value (RFC 8259, nesting at most 512).
 * Members whose name is in skip (NULL-terminated, may be NULL) are
 * checked like the rest but kept as one RK_JSKIPPED node, which saves the
 * time and memory of bulky members nobody reads (exec.tests).  Returns 0,
 * or -1 with err set ("invalid JSON: ... (column N)"). */
int rk_json_scan(struct rk_json *j, const char *text, size_t len,
    const char *const *skip, struct ab_error *err);
/* The skip list for records: tests, mutants, hints. */
extern const char *const rk_record_skip[];
void rk_json_release(struct rk_json *j);
/* The member `key` of object node obj, or -1. */
int rk_json_get(const struct rk_json *j, int obj, const char *key);
/* Find up to 32 members of obj in one pass: out[i] is the node of
 * names[i] or -1. */
void rk_json_pick(const struct rk_json *j, int obj, const char *const *names,
    int *out, int n);
/* Follow a dotted path from node from; -1 when absent. */
int rk_json_path(const struct rk_json *j, int from, const char *path);
/* A string node's value, unescaped and NUL-terminated, with its length;
 * NULL when node is not a string or holds invalid UTF-8 or a NUL.
 * Borrowed until the next rk_json_scan (it lives in j->scratch, sized for
 * every string of the document once, or the whole text twice). */
const char *rk_json_str(struct rk_json *j, int node, size_t *len);
/* A number node's value; false when node is not a number. */
bool rk_json_num(const struct rk_json *j, int node, double *out);

/* ---- model.c: the benchmark in memory ------------------------------------ */

/* An agent trial's own numbers (trials.c), part of struct rk_attempt. */
struct rk_trial {
	bool is;		/* gen.provider is "agent" */
	bool run_budget;	/* stopped by the run's budget (gen.error.scope
				   "run"), not the trial's own */
	char outcome[16];	/* gen.trial.outcome; "" when null */
	double agent_ms;	/* gen.trial.wall_ms, NaN when absent */
	double grade_ms;	/* exec.setup_ms + exec.wall_ms, NaN */
	double calls;		/* model calls (gen.calls of role agent) */
};

/* One attempt as the accumulators need it: strings borrowed (NULL when
 * absent), numbers NaN when absent. */
struct rk_attempt {
	const char *id, *run, *task, *config_name, *config_hash;
	const char *language, *difficulty, *category, *suite;
	const char *verdict;	/* exec.verdict, or "<stage>_error" */
	const char *error_kind;	/* "<stage>:<kind>" of the first error */
	const char *grade;
	const char *code;	/* extract.code (kept only with keep_code) */
	const char *traj;	/* an agent trial's trajectory as an HTML
				   fragment (with keep_code), or NULL */
	const char *tx;		/* any other attempt's transcript (answer,
				   code, tests) as an HTML fragment (with
				   keep_code, sample 0 only), or NULL */
	const char *prompt;	/* task.prompt as escaped HTML (with tx),
				   or NULL */
	struct rk_trial trial;
	long sample;
	bool passed;		/* exec.verdict == "ok" */
	bool success;		/* no stage reported an error */
	bool excluded;		/* not run (rk_not_run): not the subject's
				   fault, kept out of every rate */
	double score, latency_ms, ttft_ms, tokens_in, tokens_out, cost_usd,
	    cpu_ms, wall_ms;
	/* score.dimensions, as parallel arrays. */
	size_t ndims;
	const char *dim_name[32];
	double dim_val[32];
	/* storage for strings rk_attempt_from_json builds */
	char buf_task[256], buf_config[256], buf_kind[96], buf_dim[32][64];
};

/* One provider call of gen.calls, for the per-agent breakdown. */
struct rk_call {
	const char *role, *name, *model;
	double tokens_in, tokens_out, cost_usd, latency_ms;
};

/* A counter with up to three example record ids and a moments block. */
struct rk_count {
	char *key, *key2, *key3;
	long n;
	char *ex[3];
	int nex;
	struct ab_moments m;	/* use depends on the list */
	double a, b, c;		/* sums, use depends on the list */
	long na, nb, nc;	/* how many values each sum has (a value
				   not known is not summed) */
};
struct rk_counts {
	struct rk_count *v;
	size_t n, cap;
};

struct rk_run {
	char *id;
	char *started;		/* ISO 8601 from the database, or NULL */
	char *status;		/* ab-store's ("complete", "partial D/P"),
				   or NULL */
	long order;		/* first appearance in the input */
};

struct rk_config {
	char *hash, *name;
	char *label;		/* name, made unique with a hash prefix */
	struct rk_counts grades, verdicts, errors, dims, agents;
	/* attempts not run: key the error kind ("gen:rate_limit") or the
	 * verdict ("internal_error"), key2 the run id */
	struct rk_counts notrun;
	long hist[11];		/* score.total in 10 bins of 10; [10]: none */
};

struct rk_task {
	char *id, *language, *difficulty, *category, *suite;
	char *prompt;		/* escaped HTML of task.prompt (keep_code) */
};

/* An attempt kept whole for the HTML report. */
#define RK_KEEP 5
struct rk_kept {
	char *id, *verdict, *code;	/* owned */
	char *tx;			/* owned: transcript HTML, or NULL */
	long sample;
	double score;			/* NaN when unscored */
};

/* Accumulators of one run x configuration x task. */
struct rk_cell {
	int run, config, task;
	long n;			/* attempts counted (excluded not included) */
	long c;			/* attempts passed */
	long excl;		/* internal errors, not charged */
	long succ;		/* attempts without a pipeline error */
	struct ab_moments score, lat, ttft, cost, tin, tout, wall;
	struct rk_kept *kept;	/* with keep_code: the attempts of lowest
				   sample, at most RK_KEEP, for HTML */
	int nkept;
};

/* A configuration's latest run (rk_model.latest). */
struct rk_latest {
	char *hash, *run;	/* owned */
};

/* The whole input. */
struct rk_model {
	struct rk_run *runs;
	size_t nruns;
	struct rk_config *configs;
	size_t nconfigs;
	struct rk_task *tasks;
	size_t ntasks;
	struct rk_cell *cells;
	size_t ncells;
	long records;		/* attempts read */
	long ntx;		/* transcripts kept (at most RK_TX_MAX) */
	bool keep_code;		/* keep up to RK_KEEP attempts' code per cell */
	bool want_examples;	/* -d: read record ids for examples */
	bool want_dims;		/* -d: read score dimensions without
				   whole records (the charts) */
	int threads;		/* -d: threads that may scan (1: one) */
	/* filters: only these runs / configurations (names or hash
	 * prefixes); borrowed */
	char **want_runs, **want_configs;
	int nwant_runs, nwant_configs;
	/* filters on task attributes (exact match) and on the start time of
	 * runs (ISO 8601 text, since <= started < until; -d only); borrowed,
	 * NULL: any */
	const char *want_language, *want_difficulty, *want_category;
	const char *since, *until;
	bool attrs_filtered;	/* private: db.c applied them in SQL */
	/* Only each configuration's latest run (the newest run holding it,
	 * within the other filters), when no run is named: asked for by the
	 * caller, done by rk_db_load (records read as given are counted as
	 * given).  latest_v is sorted by hash, owned; latest_dropped counts
	 * the attempts of older runs left out. */
	bool latest;
	struct rk_latest *latest_v;
	size_t nlatest;
	long latest_dropped;
	/* The same input with every run, for the report's chart of runs, or
	 * NULL (this one); borrowed. */
	const struct rk_model *runs_model;
	struct rk_trials *trials;	/* agent trials (trials.c), or NULL */
	/* private: hash tables */
	struct rk_map *run_map, *config_map, *task_map, *cell_map;
	int last_run, last_config, last_task;
	size_t cells_cap, runs_cap, configs_cap, tasks_cap;
};

void rk_model_init(struct rk_model *m);
void rk_model_release(struct rk_model *m);
/* Add one attempt (strings copied as needed).  Returns false when the
 * filters drop it. */
bool rk_model_add(struct rk_model *m, const struct rk_attempt *a);
/* Add a call of attempt a (after rk_model_add of a returned true). */
void rk_model_add_call(struct rk_model *m, const struct rk_attempt *a,
    const struct rk_call *c);
/* Add everything in s (read from input that comes after d's) to d, as if
 * it had been read by d; s is unchanged (both before rk_model_finish). */
void rk_model_merge(struct rk_model *d, const struct rk_model *s);
/* Set a known run's start time (from the database); unknown runs are
 * ignored. */
void rk_model_run_started(struct rk_model *m, const char *run,
    const char *started);
/* Set a known run's status (from the database: "complete", "partial",
 * "partial D/P"); unknown runs are ignored. */
void rk_model_run_status(struct rk_model *m, const char *run,
    const char *status);
/* Fill a known task's missing attributes (any may be NULL). */
void rk_model_task_attrs(struct rk_model *m, const char *task,
    const char *language, const char *difficulty, const char *category,
    const char *suite);
/* After input: order runs by start time (then first appearance), give
 * configurations unique labels. */
void rk_model_finish(struct rk_model *m);
/* After rk_model_finish: -1 with err set (kind "usage") naming the first
 * -r run or -c configuration that matched no attempt, else 0. */
int rk_model_check_filters(const struct rk_model *m, struct ab_error *err);
/* Index of the cell of run x config x task (after rk_model_finish), or
 * -1. */
int rk_model_cell(const struct rk_model *m, int run, int config, int task);
/* Index of a configuration by label, name or hash prefix; -1 none, -2
 * ambiguous. */
int rk_model_find_config(const struct rk_model *m, const char *s);
/* The runs configuration cf's attempts came from: the number, and in
 * *run the id of one of them (borrowed; NULL when none). */
int rk_model_config_runs(const struct rk_model *m, int cf, const char **run);
/* Index of a run by id, or by "latest" / "latest~N"; -1 none. */
int rk_model_find_run(const struct rk_model *m, const char *s);

/* Was the attempt not run, failed before the subject produced an answer
 * or judged by a broken harness?  An exec verdict internal_error, the
 * verdict not_run of a record that never reached ab-exec (no verdict to
 * count: a configuration with only these has "no verdicts"), or a
 * first error (error_kind, "<stage>:<kind>") of gen: network, timeout,
 * server, rate_limit, quota, auth, http, api, spawn, budget,
 * replay_missing, harness, provider, bad_task, or of extract: harness,
 * task.  Such attempts are kept out of every rate and counted apart.
 * Either argument may be NULL.  An agent trial stopped by its own budget
 * is the agent's failure: see rk_trial_from_json. */
bool rk_not_run(const char *verdict, const char *error_kind);

/* Add the score dimensions of object node (score.dimensions: numbers or
 * {"value": number}) to a, up to 32; nothing when node is not an
 * object. */
void rk_attempt_dims(const struct rk_json *j, int node, struct rk_attempt *a);
/* Fill a from the scanned record j (root node 0); record ids and
 * strings are borrowed from j until its next scan.  calls[] receives up
 * to maxcalls gen.calls entries (*ncalls set).  Returns 0; 1 for a record
 * of ab-gen --load (an object member "load"), which is no attempt and
 * which the benchmark views leave out (*a not filled); or -1 with err set
 * when the record is not an attempt (no string "id"). */
int rk_attempt_from_json(struct rk_json *j, struct rk_attempt *a,
    struct rk_call *calls, size_t maxcalls, size_t *ncalls,
    bool want_code, struct ab_error *err);

/* ---- input.c: reading records ---------------------------------------------- */

/* Called for each bad line, in input order: file name, line, message. */
typedef void (*rk_diag_fn)(const char *file, long line, const char *msg,
    void *ctx);

/* Read the NDJSON records of r (borrowed; lib/record.c's reader, whose
 * blocks of lines this parses with the rules of ab_reader_line) into m,
 * parsing with nthreads threads (1: none).  Lines over r's max_record
 * bytes, invalid JSON, non-objects and records without an id are reported
 * through diag and counted in *nbad; with stop_on_bad the read stops at
 * the first.  The result does not depend on nthreads.  Returns 0, or -1
 * with err set ("file: message") when a file cannot be opened or read
 * (what was read so far is kept; the read stops there). */
int rk_read_records(struct rk_model *m, struct ab_reader *r, int nthreads,
    bool stop_on_bad, rk_diag_fn diag, void *ctx, long *nbad,
    struct ab_error *err);

/* ---- db.c: reading an ab-store database ------------------------------------ */

/* Read the database at path into m (read only).  Returns 0, or -1 with
 * err set (cannot open, not an ab-store database). */
int rk_db_load(struct rk_model *m, const char *path, struct ab_error *err);
/* Call fn with the text of each record of ab-gen --load in the database at
 * path (results.kind "load"; in a database older than schema 6, each
 * record with an object member load), in the order stored, of the runs
 * named (runs[0..nruns-1], borrowed; every run when nruns is 0).  Stops
 * when fn returns non-zero.  Returns 0, or -1 with err set (cannot open,
 * not an ab-store database, a run named is not there). */
int rk_db_load_records(const char *path, char *const *runs, int nruns,
    int (*fn)(const char *text, size_t len, void *ctx), void *ctx,
    struct ab_error *err);

/* Watching a database that another process writes: a read-only
 * connection of its own whose PRAGMA data_version changes whenever
 * another connection commits. */
struct rk_watch;

struct rk_watch_state {
	long long data_version;	/* changes on each outside commit */
	long long max_rid;	/* largest rowid of results, 0 if none */
	long running;		/* runs (named ones, or all) with status
				   'running' */
	long named_done;	/* named runs present and not running */
};

/* Open path read-only for watching.  Returns the watch (free with
 * rk_watch_close), or NULL with err set. */
struct rk_watch *rk_watch_open(const char *path, struct ab_error *err);
/* Fill st from the database now; the run counts only when runs is not
 * NULL (runs[0..nruns-1] borrowed: the runs named, or all when nruns is
 * 0).  Returns 0, or -1 with err set (st then unchanged). */
int rk_watch_poll(struct rk_watch *w, char *const *runs, int nruns,
    struct rk_watch_state *st, struct ab_error *err);
void rk_watch_close(struct rk_watch *w);

/* ---- views.c: analyses as tables -------------------------------------- */

enum rk_ctype { RK_STR, RK_INT, RK_NUM, RK_BOOL };

struct rk_col {
	const char *key;	/* machine name (NDJSON, CSV) */
	const char *head;	/* column heading (text, Markdown, HTML) */
	enum rk_ctype type;
	int prec;		/* decimals in text output */
	bool wide;		/* shown in text/Markdown only with --wide */
};

struct rk_val {
	bool null;
	double d;		/* RK_INT, RK_NUM, RK_BOOL */
	char *s;		/* RK_STR, owned */
};

struct rk_table {
	char *name;		/* view name, e.g. "leaderboard" */
	char *title;
	struct rk_col *cols;	/* owned, with owned key and head */
	int ncol;
	struct rk_val *vals;	/* nrow x ncol */
	size_t nrow, cap;
};

#define RK_MAX_PLAN 16

struct rk_opts {
	long ks[8];		/* pass@k values */
	int nk;
	double level;		/* confidence level, 0.95 */
	double alpha;		/* significance level, 0.05 */
	unsigned reps;		/* bootstrap resamples */
	uint64_t seed;
	double thr[3];		/* minor, major, critical: points */
	double cthr[3];		/* the same for cost and time: percent */
	const char *baseline;	/* run id for regress, or NULL */
	const char *current;	/* run id for regress, or NULL (latest) */
	bool limit_not_run;	/* regress: apply max_not_run (false: no
				   limit, so zeroed options set none) */
	double max_not_run;	/* percent of attempts not run above which
				   the gate fails */
	char **by;		/* breakdown dimensions */
	int nby;
	char **compare;		/* configurations to compare (NULL: all) */
	int ncompare;
	bool wide;
	int max_examples;
	double drops[RK_MAX_PLAN];	/* power_plan drops, points; ndrops 0:
					   1, 2, 3, 5, 10, 20 */
	int ndrops;
	long samples[RK_MAX_PLAN];	/* power_plan attempts per task;
					   nsamples 0: 1, 3, 5, 10 */
	int nsamples;
};

/* Parse the power view's --drops (want_drops true: points, 0 < d <= 100)
 * or --samples (1 to 100000 attempts per task) list, comma-separated,
 * increasing, at most RK_MAX_PLAN values, into o.  Returns -1 with err
 * set (a message naming no option) on bad input, o unchanged. */
int rk_parse_plan_list(const char *s, bool want_drops, struct rk_opts *o,
    struct ab_error *err);

/* The views.  Each returns its tables appended to *out (a growable array
 * of *nout tables). */
struct rk_report {
	struct rk_table *t;
	size_t n, cap;
	bool regression;	/* regress found a significant regression */
	bool not_run_over;	/* regress: a configuration's share of attempts
				   not run exceeded rk_opts.max_not_run */
	char *health;		/* regress: overall health, new */
};

void rk_report_release(struct rk_report *r);
void rk_view_leaderboard(const struct rk_model *m, const struct rk_opts *o,
    struct rk_report *r);
void rk_view_breakdown(const struct rk_model *m, const struct rk_opts *o,
    struct rk_report *r);
void rk_view_agents(const struct rk_model *m, const struct rk_opts *o,
    struct rk_report *r);
/* Returns -1 with err set when a named configuration is unknown. */
int rk_view_compare(const struct rk_model *m, const struct rk_opts *o,
    struct rk_report *r, struct ab_error *err);
/* Returns -1 with err set when a named run is unknown. */
int rk_view_regress(const struct rk_model *m, const struct rk_opts *o,
    struct rk_report *r, struct ab_error *err);
void rk_view_cost(const struct rk_model *m, const struct rk_opts *o,
    struct rk_report *r);
void rk_view_errors(const struct rk_model *m, const struct rk_opts *o,
    struct rk_report *r);
void rk_view_trends(const struct rk_model *m, const struct rk_opts *o,
    struct rk_report *r);
/* dispatch.c: the views of `ab-rank VIEW` (leaderboard, breakdown,
 * compare, regress, cost, errors, trends, trials, consistency, power, all,
 * report), appended
 * to r.  regress and trends, which compare runs, read runs_m (every run;
 * NULL: m), the others m (with rk_model.latest, each configuration's
 * latest run).  Returns -1 with err set ("compare: ...") when compare or
 * regress fail. */
int rk_run_views(const char *view, const struct rk_model *m,
    const struct rk_model *runs_m, const struct rk_opts *o,
    struct rk_report *r, struct ab_error *err);
/* Does view compare runs (regress, trends), so that it reads every run? */
bool rk_view_reads_runs(const char *view);
/* Tasks whose verdict flips most between attempts of a configuration
 * (at most RK_FLIP_ROWS a configuration). */
#define RK_FLIP_ROWS 10
void rk_view_consistency(const struct rk_model *m, const struct rk_opts *o,
    struct rk_report *r);
/* Planning: what each configuration's run could have detected, and the
 * tasks x samples a drop of D points needs, at 80% power. */
void rk_view_power(const struct rk_model *m, const struct rk_opts *o,
    struct rk_report *r);
/* The table named name in r, or NULL. */
const struct rk_table *rk_report_find(const struct rk_report *r,
    const char *name);
/* Column index of key in t, or -1. */
int rk_table_col(const struct rk_table *t, const char *key);

/* Helpers for views in other files (views.c): a new table appended to
 * r (cols copied); a new row of t, every value null; a value set to a
 * copy of s (NULL: null) or to d (not finite: null). */
struct rk_table *rk_table_add(struct rk_report *r, const char *name,
    const char *title, const struct rk_col *cols, int ncol);
struct rk_val *rk_table_row(struct rk_table *t);
void rk_val_str(struct rk_val *v, const char *s);
void rk_val_num(struct rk_val *v, double d);
/* Configuration indices in leaderboard order; new array of m->nconfigs. */
int *rk_config_order(const struct rk_model *m, const struct rk_opts *o);

/* ---- trials.c: agent trials ---------------------------------------------- */

/* Fill a->trial from the scanned record j (gen node gen, exec node ex,
 * either -1) and decide a->excluded for an agent trial: a failure of
 * the harness or the provider, a task the agent cannot take (gen:
 * harness, provider, bad_task) or the run's budget is not the agent's;
 * its own budget is. */
void rk_trial_from_json(struct rk_json *j, int gen, int ex,
    struct rk_attempt *a);
/* The excluded rule of rk_trial_from_json for a database row: provider,
 * the first error ("stage:kind"), the budget error's scope (any may be
 * NULL). */
bool rk_trial_not_run(const char *verdict, const char *error_kind,
    const char *scope);
/* The trajectory of the agent trial in text[0..len-1] (one record) as a
 * self-contained, escaped, size-bounded HTML fragment appended to out:
 * the instruction, each model call, each step of the transcript, the
 * final message, the patch and the grading.  Returns 0, or -1 when the
 * text is not a JSON object (out unchanged). */
int rk_trajectory_html(const char *text, size_t len, struct ab_buf *out);
/* The transcript of any other attempt in text[0..len-1] (one record):
 * its stage errors, the answer (gen.text), the extracted code, the
 * tests with expected and actual values, and the score, as an escaped,
 * size-bounded HTML fragment appended to out; task.prompt, escaped and
 * cut, appended to prompt.  Returns 0, or -1 when the text is not a
 * JSON object (both unchanged). */
int rk_transcript_html(const char *text, size_t len, struct ab_buf *out,
    struct ab_buf *prompt);
/* The report's transcripts section: for each task (at most
 * RK_TX_TASKS), the prompt and each configuration's first kept attempt
 * (with its transcript when it is sample 0) side by side, with a line diff of two chosen configurations' answers
 * and code drawn by the page's script. */
#define RK_TX_TASKS 200
#define RK_TX_MAX 2000	/* transcripts a model keeps, in input order */
void rk_html_transcripts(struct ab_buf *b, const struct rk_model *m,
    const struct rk_opts *o);
/* Count the trial a (added to configuration ci and task ti of m) in
 * m->trials; its trajectory a->traj is copied while fewer than
 * RK_TRAJ_MAX are kept. */
#define RK_TRAJ_MAX 100
void rk_trials_add(struct rk_model *m, int ci, int ti,
    const struct rk_attempt *a);
/* Add s's trials to d's (configurations mapped by cmap and tasks by
 * tmap, s's index to d's). */
void rk_trials_merge(struct rk_model *d, const struct rk_model *s,
    const int *cmap, const int *tmap);
void rk_trials_free(struct rk_trials *t);
/* Does m hold agent trials? */
bool rk_model_has_trials(const struct rk_model *m);
/* Table trials: per configuration, trials, passes with their interval,
 * time in the agent and in grading, calls, tokens, cost, agent failures
 * by kind and attempts not run. */
void rk_view_trials(const struct rk_model *m, const struct rk_opts *o,
    struct rk_report *r);
/* The trajectories kept, in leaderboard order, appended to b as HTML. */
void rk_html_trajectories(struct ab_buf *b, const struct rk_model *m,
    const struct rk_opts *o);

/* For HTML pages built elsewhere (html.c): the page's head with its style
 * and a header (title, subtitle), a sortable table, text escaped for HTML,
 * an SVG chart's opening with its title, the palette's colour i, and the
 * page's end with its script. */
void rk_html_head(struct ab_buf *b, const char *title, const char *sub);
void rk_html_table(struct ab_buf *b, const struct rk_table *t,
    const char *id);
void rk_html_esc(struct ab_buf *b, const char *s);
void rk_svg_open(struct ab_buf *b, const char *id, int w, int h,
    const char *title);
const char *rk_html_color(int i);
void rk_html_foot(struct ab_buf *b);

/* ---- load.c: the load view (records of ab-gen --load) ------------------ */

/* Latency targets for goodput, in ms; 0 leaves one out. */
struct rk_slo {
	double ttft, tpot, itl, e2e;
};

struct rk_load;

/* A new, empty collection of load records; only records of the runs
 * and configurations named (borrowed arrays, NULL or empty: all) are
 * kept. */
struct rk_load *rk_load_new(const struct rk_slo *slo, char **runs,
    int nruns, char **configs, int nconfigs);
/* Add a record (borrowed); records without a "load" member are ignored,
 * warm-ups are counted and left out.  Returns true when it was a load
 * record. */
bool rk_load_add(struct rk_load *l, const json_t *rec);
/* The tables: "load" (per configuration and load level: percentiles of
 * TTFT, TPOT, ITL and end-to-end latency, throughput, goodput, errors),
 * "load_errors", "load_runs" (stop reasons, breaking points, scheduler
 * lateness), "load_spike" (resilience). */
void rk_view_load(struct rk_load *l, struct rk_report *r);
/* The load view as a self-contained HTML page: latency percentiles and
 * throughput against load per configuration, the timeline of each spike,
 * then the tables of r (rk_view_load's).  0, or -1 on a write error. */
int rk_load_html(FILE *fp, const struct rk_load *l,
    const struct rk_report *r);
/* Number of load records added (warm-ups included). */
long rk_load_count(const struct rk_load *l);
void rk_load_free(struct rk_load *l);

/* ---- format.c: writers ------------------------------------------------ */

enum rk_format { RK_FMT_TABLE, RK_FMT_NDJSON, RK_FMT_CSV, RK_FMT_MD,
	RK_FMT_HTML, RK_FMT_JUNIT };

/* Write the report's tables to fp.  Returns 0, or -1 on a write error
 * (errno set). */
int rk_write(FILE *fp, enum rk_format f, const struct rk_report *r,
    bool wide);

/* ---- html.c: the self-contained HTML report ---------------------------- */

int rk_write_html(FILE *fp, const struct rk_model *m,
    const struct rk_opts *o, const struct rk_report *r);
/* The report's charts alone (inline SVG in one <div class="charts">), as an
 * HTML fragment for the live dashboard: r needs the leaderboard (for the
 * order), cost, breakdown (category) and trends tables; charts of absent
 * tables are left out or say "no data".  Returns 0, or -1 on a write
 * error. */
int rk_write_charts(FILE *fp, const struct rk_model *m,
    const struct rk_report *r);
/* The report's style sheet (static), for the live dashboard. */
extern const char *const rk_html_css;

/* ---- db.c: the attempts of an ab-store database ------------------------- */

/* The table "attempts" of the database at path: one row per result that
 * passes f's filters (runs, configurations by name or hash prefix, task
 * attributes, start time; f is a model used only for its want_ and
 * since/until fields, borrowed), newest first, rows offset..offset+limit-1.
 * Appended to r.  Returns 0, or -1 with err set. */
int rk_db_attempts(const char *path, const struct rk_model *f, long limit,
    long offset, struct rk_report *r, struct ab_error *err);

/* ---- follow.c: the live leaderboard of --follow ---------------------------- */

/* Append to b the live table of m, which may still be read (before
 * rk_model_finish): per configuration the pass rate with its Wilson
 * interval at level, attempts done against those expected (tasks seen x
 * the most attempts any task had), cost so far and errors; lines fit width
 * columns where they can. */
void rk_live_render(struct ab_buf *b, const struct rk_model *m,
    double level, int width);

/* ---- serve.c: the read-only HTTP server (ab-rank --serve) ---------------- */

struct rk_serve_opts {
	const char *db;		/* database path, borrowed */
	const char *addr;	/* numeric IPv4 or IPv6 address, borrowed */
	unsigned port;		/* 0: any free port (see rk_serve_port) */
	const char *token;	/* bearer token every data request must send,
				   or NULL; borrowed */
	int threads;		/* scanning threads per request (as -j) */
	int max_busy;		/* views computed at once (others wait) */
	bool no_cache;		/* compute every response (benchmarks) */
};

struct rk_server;

/* Start serving in threads of the server's own; the database is opened
 * read-only per request and never written.  Returns the server (free with
 * rk_serve_stop), or NULL with err set (address in use, bad address,
 * libmicrohttpd missing: it is loaded here, at the first start). */
struct rk_server *rk_serve_start(const struct rk_serve_opts *o,
    struct ab_error *err);
/* The port the server listens on. */
unsigned rk_serve_port(const struct rk_server *s);
/* Stop accepting, finish the requests in flight, free s. */
void rk_serve_stop(struct rk_server *s);
/* Is addr a loopback address (127.0.0.0/8, ::1)? */
bool rk_addr_is_loopback(const char *addr);
/* The dashboard page served at / (static, without the style sheet, which
 * goes where the page says @CSS@). */
extern const char rk_dashboard_html[];

#endif
