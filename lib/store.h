/*
 * store.h - the ab-store database: records kept in SQLite, once each, with
 * the run, configuration and task that produced them.
 *
 * The schema is documented in ab-store(1); ab-rank reads it with plain
 * SQL, ab-gen's replay through ab_store_lookup.  Every function here follows libab's rules: no
 * printing, no exiting, errors through a caller-supplied struct ab_error
 * (kind "db" for SQLite failures, "busy" when another writer held the
 * database longer than the busy timeout, "invalid" for a record that is
 * not an attempt, "io" for files).
 */
#ifndef AB_STORE_H
#define AB_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "ab.h"

/* The schema version this library writes (PRAGMA user_version). */
#define AB_STORE_SCHEMA 6

struct ab_store;	/* an open database */

struct ab_store_opts {
	bool create;		/* create the file when it does not exist */
	bool readonly;		/* no migrations, no writes */
	long busy_ms;		/* wait this long for another writer; 0: 600000 */
	long batch;		/* records per transaction; 0: 1000 */
	long batch_ms;		/* and commit a transaction older than this;
				   0: 2000 */
};

/* Open (and create or upgrade) the database at path.  Returns a new
 * handle, or NULL with err set. */
struct ab_store *ab_store_open(const char *path,
    const struct ab_store_opts *o, struct ab_error *err);
/* Close the handle, rolling back an open transaction (call
 * ab_store_finish first to keep it).  NULL is allowed. */
void ab_store_close(struct ab_store *s);
/* The underlying connection, borrowed for the life of s (tests, tools). */
struct sqlite3 *ab_store_db(struct ab_store *s);

/* ---- ingest.c ------------------------------------------------------- */

enum ab_store_put {
	AB_STORE_STORED = 0,	/* the record is in the current transaction */
	AB_STORE_KEPT = 1,	/* a later stage of this id in this run is
				   already stored */
	AB_STORE_INVALID = -1,	/* not an attempt (err says why); nothing
				   written, ingest may go on */
	AB_STORE_ERROR = -2,	/* the database failed (err); stop */
};

/* Store one record (borrowed).  Records are written in batched
 * transactions: a transaction opened by the first record is committed
 * after o->batch records or o->batch_ms milliseconds, by ab_store_commit,
 * or by ab_store_finish. */
enum ab_store_put ab_store_put(struct ab_store *s, const json_t *rec,
    struct ab_error *err);
/*
 * Storing in two steps, so that the first can run in another thread (it
 * needs no database): ab_store_prepare checks the record and computes what
 * is stored apart from the database (hashes, the rest of the record);
 * ab_store_put_prep writes it, as ab_store_put does.  A cache (one per
 * thread) keeps task hashes between records.
 */
struct ab_store_cache;
struct ab_store_prep;
struct ab_store_cache *ab_store_cache_new(void);
void ab_store_cache_free(struct ab_store_cache *c);
/* A new prepared record holding a reference to rec, or NULL with err set
 * (kind "invalid") when rec is not an attempt. */
struct ab_store_prep *ab_store_prepare(const json_t *rec,
    struct ab_store_cache *c, struct ab_error *err);
/* ab_parse_record (see ab.h) for a line of input, faster: a "task" member
 * whose text is the same as one this cache parsed before is not parsed
 * again, the record gets that task object (shared: do not modify it). */
enum ab_read ab_store_parse(struct ab_store_cache *c, const char *line,
    size_t len, json_t **out, struct ab_error *err);
enum ab_store_put ab_store_put_prep(struct ab_store *s,
    struct ab_store_prep *p, struct ab_error *err);
void ab_store_prep_free(struct ab_store_prep *p);
/* A program that parses or prepares in a second thread calls
 * ab_store_threads_init in its main thread before it starts that thread
 * and before it registers an at-exit handler that stops it (the
 * library's own clean-up at exit, libcrypto's for the hashes, then runs
 * after that handler), and ab_store_thread_end at the end of the thread
 * (frees what the library keeps for the thread). */
void ab_store_threads_init(void);
void ab_store_thread_end(void);
/*
 * Route jansson's allocations through per-thread lists of freed small
 * blocks, reused before malloc is asked (a record's values are many small
 * blocks, allocated and freed by the thousand).  The blocks are malloc's:
 * memory jansson hands out may still be given to free().  Call with true
 * before other threads start, with false (malloc and free again, and the
 * calling thread's blocks given back) when done; ab_store_json_pool_drain
 * gives the calling thread's blocks back to malloc (ab_store_thread_end
 * calls it).  Under AddressSanitizer jansson keeps malloc and free.
 */
void ab_store_json_pool(bool on);
void ab_store_json_pool_drain(void);

/* Commit the open transaction, if any (before blocking on slow input, so
 * that other writers are not kept waiting).  0 or -1 with err set. */
int ab_store_commit(struct ab_store *s, struct ab_error *err);
/* End an ingest: commit, then mark the runs this handle wrote as finished
 * (status "complete", or "partial" when ok is false) with the toolchain
 * versions of the languages seen.  0 or -1 with err set. */
int ab_store_finish(struct ab_store *s, bool ok, struct ab_error *err);
/* Counts of this handle's ingest so far. */
void ab_store_counts(const struct ab_store *s, long *stored, long *kept);

/* ---- env.c ---------------------------------------------------------- */

/* The environment of this process, as stored in a new run.  Every string
 * is new (freed by ab_store_env_release); missing values are NULL. */
struct ab_store_env {
	char *host, *os, *command, *cwd, *git_commit;
};
void ab_store_env_get(struct ab_store_env *e);
void ab_store_env_release(struct ab_store_env *e);
/* Version of the toolchain that runs `language` (a name or alias of
 * lang.h; its ab_lang_tool), e.g. {"python3": "Python 3.11.2"}: adds to obj (borrowed)
 * the members for that language that it lacks.  Unknown languages and
 * missing tools add nothing.  Runs each tool at most once per process. */
void ab_store_toolchain_add(json_t *obj, const char *language);

/* ---- lookup.c: records read back ---------------------------------------- */

/* The records of a database (read only) looked up by id, for ab-gen's
 * replay: of run `run` when it is not NULL (copied), else of the latest
 * run that holds the id.  NULL with err set when the file cannot be
 * opened, is not an ab-store database, or has no records of run. */
struct ab_store_lookup;
struct ab_store_lookup *ab_store_lookup_open(const char *path,
    const char *run, struct ab_error *err);
/* The record stored under id (new), or NULL when there is none. */
json_t *ab_store_lookup(struct ab_store_lookup *l, const char *id);
void ab_store_lookup_close(struct ab_store_lookup *l);

/* Whether table (or view) of db has the column: for readers of the
 * older schemas (ab-rank's). */
struct sqlite3;
bool ab_store_has_column(struct sqlite3 *db, const char *table,
    const char *col);

/* ---- manage.c ------------------------------------------------------- */

/* Called with each line of a command's output (a record for export, a
 * NUL-terminated text line otherwise; borrowed for the call).  A nonzero
 * return stops the command, which then returns that value. */
typedef int (*ab_store_line_fn)(const char *line, size_t len, void *ctx);

/* Records as NDJSON, oldest first: all, or those of one run (run may be
 * NULL).  Returns 0, the callback's nonzero value, or -1 with err set
 * (kind "not_found" for an unknown run). */
int ab_store_export(struct ab_store *s, const char *run, ab_store_line_fn fn,
    void *ctx, struct ab_error *err);
/* The run list as a table (header first), newest first. */
int ab_store_list(struct ab_store *s, ab_store_line_fn fn, void *ctx,
    struct ab_error *err);
/* One run: its environment, configurations and a summary, as text. */
int ab_store_show(struct ab_store *s, const char *run, ab_store_line_fn fn,
    void *ctx, struct ab_error *err);
/* Counts, size, oldest and newest run, as "name: value" lines. */
int ab_store_stats(struct ab_store *s, ab_store_line_fn fn, void *ctx,
    struct ab_error *err);
/* Full-text search of answers and code (an FTS5 query): one line per hit,
 * "id<TAB>run<TAB>snippet", best first, at most limit hits. */
int ab_store_search(struct ab_store *s, const char *query, long limit,
    ab_store_line_fn fn, void *ctx, struct ab_error *err);
/* Replace a run's notes (text may be NULL to clear). */
int ab_store_note(struct ab_store *s, const char *run, const char *text,
    struct ab_error *err);
/* A run's notes: a new string, or NULL for none; -1 with err set for an
 * unknown run. */
int ab_store_get_note(struct ab_store *s, const char *run, char **out,
    struct ab_error *err);
/* Delete a run, its results and whatever only they referenced.  *nresults
 * gets the number of results deleted. */
int ab_store_rm(struct ab_store *s, const char *run, long *nresults,
    struct ab_error *err);
/* Checkpoint the WAL, optimise the full-text index and VACUUM. */
int ab_store_vacuum(struct ab_store *s, struct ab_error *err);
/* Write the configurations of a run into dir (created if missing) as
 * DIR/NAME.json, as given to ab-gen (without "hash"); fn gets each path
 * written.  A name that would leave dir is refused (err kind "invalid"). */
int ab_store_restore(struct ab_store *s, const char *run, const char *dir,
    ab_store_line_fn fn, void *ctx, struct ab_error *err);

#endif
