/*
 * store-int.h - what the parts of the store library share: the handle and
 * small SQLite helpers.  Not installed; programs use store.h.
 */
#ifndef AB_STORE_INT_H
#define AB_STORE_INT_H

#include <sqlite3.h>

#include "ab.h"
#include "store.h"

/* Bits of bodies.packed: which parts of the record live outside `rest`
 * (where `rest` holds the integer 0 in their place). */
#define PACK_TASK	1	/* task: tasks.json or task_versions.json */
#define PACK_CONFIG	2	/* config: configs.json with name replaced */
#define PACK_ANSWER	4	/* gen.text: results.answer */
#define PACK_CODE	8	/* extract.code: a slice of answer or code_own */

/*
 * The page size of a new database, and the one vacuum gives an older one.
 * Bodies are rows of one to several KB: with 4 KB pages a row of 2.2 KB
 * fills a page alone and wastes almost half of it.  Measured by make bench
 * (b05-store, 20000 records): the database against the NDJSON, small
 * records / large records, was 1.20 / 0.58 with 4 KB pages, 0.98 / 0.69
 * with 8 KB, 0.94 / 0.67 with 16 KB, 0.92 / 0.58 with 32 KB and 0.92 / 0.56
 * with 64 KB (rows of 5 to 7 KB pack badly into 8 and 16 KB pages).
 * SQLite's default is 4096, its maximum 65536.
 */
#define STORE_PAGE_SIZE		32768
#define STORE_PAGE_SIZE_STR	"32768"

enum {
	ST_BEGIN, ST_COMMIT, ST_ROLLBACK,
	ST_RUN_META, ST_RUN_ENV, ST_RUN_RUNNING,
	ST_TASK_GET, ST_TASK_INS, ST_TASKV_INS,
	ST_CFG_GET, ST_CFG_INS,
	ST_RES_GET, ST_RES_DEL, ST_RES_INS, ST_BODY_INS, ST_TEST_INS, ST_CALL_INS,
	ST_N
};

struct ab_store {
	sqlite3 *db;
	struct ab_store_opts o;
	sqlite3_stmt *st[ST_N];
	bool in_tx;
	double tx_start;
	long tx_count;
	long stored, kept;
	long replaced;		/* results deleted to be replaced */
	/* Caches, valid for one transaction (another writer may change the
	 * database between ours): task id -> {hash, task}, config hash ->
	 * {json, exact}, run ids ensured. */
	json_t *tasks, *configs, *tx_runs;
	/* Runs this handle wrote: id -> {"import": bool, "meta": {...},
	 * "langs": {language: true}}. */
	json_t *runs;
	struct ab_store_env env;
	bool have_env;
	struct ab_store_cache *cache;	/* for ab_store_put */
};

struct line_cache;

struct ab_store_cache {
	json_t *tasks;		/* task id -> {hash, task} */
	struct line_cache *lines;	/* see parse.c */
	struct ab_buf rest;	/* make_rest's text, reused */
};

void store_line_cache_free(struct line_cache *lc);

struct ab_store_prep {
	json_t *rec;		/* a reference */
	const char *id, *run, *answer, *code, *estage, *ekind; /* in rec */
	const char *kind;	/* "attempt" or "load" (static) */
	int stage, packed;
	bool found;		/* the code is a slice of the answer */
	long code_off, code_len;
	char thash[65];
	char *rest;
};

/* Fill err from the connection's last error; returns -1. */
int store_db_error(struct ab_store *s, struct ab_error *err, const char *what);
/* Run SQL without results; 0 or -1 with err set. */
int store_exec(struct ab_store *s, const char *sql, struct ab_error *err);
/* Current time as ISO 8601 UTC, "2026-01-02T03:04:05Z". */
void store_now(char out[32]);
/* Bind a JSON scalar: integer, real, true/false (1/0), string (not
 * copied: v must outlive the statement's step); anything else (or NULL)
 * binds NULL. */
int store_bind_json(sqlite3_stmt *st, int i, const json_t *v);
int store_bind_str(sqlite3_stmt *st, int i, const char *v);
/* Delete what no result refers to any more (see manage.c); inside the
 * caller's transaction.  0 or -1 with err set. */
int store_gc(struct ab_store *s, struct ab_error *err);

#endif
