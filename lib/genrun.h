/*
 * genrun.h - a benchmark run of ab-gen (lib/gen/run.c, lib/gen/replay.c):
 * tasks x configurations x samples, each attempt run through its phases
 * (one call, a mixture's cycles, an agent program, an agent trial, or an
 * answer replayed from an earlier run), the records put back in input
 * order, the budget, the answer cache and the dry run's counts.  Used by
 * ab-gen.
 *
 * Library code: nothing here prints or exits; records, warnings and
 * progress go to the caller's hooks, failures fill a struct ab_error.
 * Ownership follows ab.h.
 */
#ifndef AB_GENRUN_H
#define AB_GENRUN_H

#include <signal.h>

#include "gen.h"

struct ab_store_lookup;
struct ab_trial_cfg;
struct ab_trial_pool;

/* ---- replay.c: answers of an earlier run --------------------------------- */

/* The gen members of an earlier run's records: an NDJSON file or an
 * ab-store database. */
struct ab_replay;

/* Called for each bad line of an NDJSON source (rc AB_READ_BAD; the line
 * is skipped).  Borrowed strings. */
typedef void (*ab_replay_bad_fn)(enum ab_read rc, const char *file,
    long line, const char *msg);

/*
 * Open path (borrowed): an ab-store database (told by its magic) or
 * NDJSON records, of which a later record of an id wins.  run (borrowed,
 * NULL: any): only that run's records.  bad (may be NULL) hears of bad
 * lines.  New source, or NULL with err set (the file cannot be read, the
 * database cannot be opened, no record of run).
 */
struct ab_replay *ab_replay_open(const char *path, const char *run,
    ab_replay_bad_fn bad, struct ab_error *err);
/* The gen member recorded under id (a record id, borrowed): new object,
 * or NULL when the source has none. */
json_t *ab_replay_find(struct ab_replay *r, const char *id);
void ab_replay_close(struct ab_replay *r);

/* ---- run.c: tasks ------------------------------------------------------ */

/* Check that t (borrowed) is a task ab-gen can send: an id of
 * [A-Za-z0-9._-]+, a prompt or description, a language, tests (when
 * given) an array.  0, or -1 with err set ("task" kind) saying why. */
int ab_gen_task_check(const json_t *t, struct ab_error *err);
/* The tasks of files that ab_gen_task_check takes, each id once, at most
 * limit (0: no limit), when every file is a regular file (which is then
 * read once more); else -1. */
long ab_gen_task_count(char **files, int nfiles, long limit);

/* Picking limit tasks out of a stream, the same ones whatever their
 * order: those of smallest hash of seed and id. */
struct ab_gen_pick {
	long limit, n;
	long long seed;
	long index;		/* tasks offered so far */
	struct ab_gen_picked {
		unsigned long long h;
		long index;
		json_t *task;	/* owned */
	} *v;
};
/* Offer t (a reference is taken when it is kept). */
void ab_gen_pick_add(struct ab_gen_pick *p, json_t *t);
/* Put the picked tasks back in input order. */
void ab_gen_pick_sort(struct ab_gen_pick *p);
void ab_gen_pick_release(struct ab_gen_pick *p);

/* ---- run.c: the run ---------------------------------------------------- */

struct ab_gen_job;

struct ab_gen {
	/* Set by the caller before ab_gen_start (zero, then ab_gen_init). */
	struct ab_config *cfgs;	/* owned (released by ab_gen_release) */
	int ncfg;
	json_t **cfg_member;	/* the record's config member per config
				   (owned) */
	int samples;		/* -n */
	int parallel;		/* -j */
	char *run;		/* the run id (owned) */
	json_t *pricing;	/* owned, or NULL */
	struct ab_tmpl **prompt_tmpl;	/* per configuration (borrowed) */
	struct ab_tmpl *task_tmpl;	/* the task file's (borrowed) */
	char *cache_dir;	/* owned */
	struct ab_cache *cache;	/* owned; NULL: no cache */
	bool use_cache, read_cache, dry_run;
	double budget;		/* USD, < 0 none */
	json_t *seed;		/* -s when sampling (owned), else NULL */
	long planned;		/* attempts per configuration, or -1 */
	const char *replay_path;	/* --replay (borrowed) */
	bool replay_fill;	/* --replay-fill */
	struct ab_replay *replay;	/* --replay or the replay
					   configurations' source (owned) */
	const volatile sig_atomic_t *interrupt;	/* non-zero: stop */

	/* Hooks (the caller's; ctx is theirs). */
	void *ctx;
	/* A finished record (borrowed), in input order; NULL after each
	 * batch (time to flush). */
	void (*emit)(struct ab_gen *g, const json_t *rec);
	/* A warning: something went wrong that does not stop the run. */
	void (*warn)(struct ab_gen *g, const char *msg);
	/* Called as calls finish and while waiting (the progress line). */
	void (*tick)(struct ab_gen *g);

	/* The run's state, read by the caller. */
	struct ab_engine *eng;
	struct ab_trial_pool *pool;	/* NULL when no agent config */
	long emitted, errors, total_known;
	long tail, head;	/* attempts queued, and written: [head, tail) */
	double spent;		/* USD this process spent */
	long unpriced;		/* calls made whose cost is unknown */
	int status;		/* AB_EXIT_OK, or AB_EXIT_FAIL once a record
				   holds an error */
	long dry_calls, dry_cached;	/* dry run totals */
	double dry_in, dry_out, dry_cost;
	bool dry_cost_unknown;

	/* Private. */
	char *tmpdir;
	struct ab_gen_job **win;
	long win_cap;
	struct ab_trial_cfg **tcfg;
	char **trial_ro;
};

/* Defaults: one sample, 8 calls at once, no budget, the cache used. */
void ab_gen_init(struct ab_gen *g);
/* Start the run: a scratch directory under TMPDIR, the call engine, the
 * agent trials' configurations and sandbox slots.  0, or -1 with err set
 * (ab_gen_release still to be called). */
int ab_gen_start(struct ab_gen *g, struct ab_error *err);
/* Queue every attempt of task (borrowed: a reference is kept) and start
 * what may start.  Call ab_gen_pump(g, false) first to make room. */
void ab_gen_add_task(struct ab_gen *g, json_t *task);
/* Run calls, emitting records as they complete in order, until the
 * window has room for one more task or, with drain, until every attempt
 * is written.  Returns early when *g->interrupt is set. */
void ab_gen_pump(struct ab_gen *g, bool drain);
/* Stop at once: running agent programs and trials are killed, transfers
 * aborted, the scratch directory removed.  May be called more than once
 * (from an exit handler, too). */
void ab_gen_stop(struct ab_gen *g);
/* ab_gen_stop, then free everything the run owns. */
void ab_gen_release(struct ab_gen *g);

#endif
