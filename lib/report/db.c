/*
 * db.c - read an ab-store database into the accumulators.  One sequential
 * scan of the results table's indexed columns (no per-record JSON) feeds
 * the same accumulators as records on stdin; the HTML report, which wants
 * score dimensions and code, reads the records view instead.  Columns the
 * database lacks read as NULL, so older or richer schemas work.
 */
#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sqlite3.h>

#include "report.h"
#include "store.h"

static bool
has_table(sqlite3 *db, const char *name)
{
	sqlite3_stmt *st;
	bool yes = false;

	if (sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master WHERE "
	    "type IN ('table','view') AND name = ?", -1, &st, NULL) !=
	    SQLITE_OK)
		return false;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	yes = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return yes;
}

/* Does the tasks table hold the attributes of every task in results? */
static bool
has_tasks_attrs(sqlite3 *db)
{
	sqlite3_stmt *st;
	bool yes = false;

	if (!has_table(db, "tasks"))
		return false;
	/* Every task of results must be there, with its columns. */
	if (sqlite3_prepare_v2(db, "SELECT (SELECT count(*) FROM "
	    "pragma_table_info('tasks') WHERE name IN ('language', "
	    "'difficulty', 'category')) = 3 AND NOT EXISTS (SELECT 1 FROM "
	    "(SELECT DISTINCT task_id FROM results) r WHERE r.task_id NOT IN "
	    "(SELECT id FROM tasks))", -1, &st, NULL) != SQLITE_OK)
		return false;
	yes = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return yes;
}

/* Append "col" or "NULL" to the select list, as the table has it. */
static void
column(sqlite3 *db, struct ab_buf *sql, const char *table, const char *col,
    const char *alias)
{
	bool yes = ab_store_has_column(db, table, col);

	ab_buf_addf(sql, "%s%s%s%s", sql->len && sql->s[sql->len - 1] != ' ' ?
	    ", " : "", yes ? alias : "NULL", yes ? "." : "", yes ? col : "");
}

static const char *
txt(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static double
num(sqlite3_stmt *st, int i)
{
	sqlite3_value *v = sqlite3_column_value(st, i);

	return sqlite3_value_type(v) == SQLITE_NULL ? NAN :
	    sqlite3_value_double(v);
}

static int
db_fail(sqlite3 *db, const char *path, struct ab_error *err)
{
	return ab_error_set(err, "db", "%s: %s", path, sqlite3_errmsg(db));
}

/*
 * Append " AND " and the condition on results r that keeps the rows of
 * one kind: "attempt" (what the benchmark views count) or "load" (records
 * of ab-gen --load).  Schema 6 has the column kind; in an older database
 * (which ab-rank, reading only, does not upgrade) a load record is one
 * whose body has an object member load, as the upgrade classifies it.
 */
static void
kind_sql(sqlite3 *db, const char *kind, struct ab_buf *sql)
{
	bool load = strcmp(kind, "load") == 0;

	if (ab_store_has_column(db, "results", "kind"))
		ab_buf_addf(sql, " AND r.kind = '%s'", load ? "load" :
		    "attempt");
	else if (has_table(db, "bodies") &&
	    ab_store_has_column(db, "bodies", "rest") &&
	    ab_store_has_column(db, "results", "rid"))
		ab_buf_addf(sql, " AND %sEXISTS (SELECT 1 FROM bodies b WHERE "
		    "b.rid = r.rid AND json_type(b.rest, '$.load') = 'object')",
		    load ? "" : "NOT ");
	else if (load)
		ab_buf_adds(sql, " AND 0");
}

/* Append the model's attribute and time filters as SQL conditions on
 * results r, each starting " AND ", after the condition that leaves out
 * the records of ab-gen --load.  A task attribute is the result's own
 * or, when it lacks one, its task's (as rk_model_task_attrs fills it). */
static void
filter_sql(const struct rk_model *m, sqlite3 *db, struct ab_buf *sql)
{
	static const char *const attr[] = { "language", "difficulty",
	    "category" };
	const char *want[3] = { m->want_language, m->want_difficulty,
	    m->want_category };
	bool tasks = has_table(db, "tasks");
	char *q;
	int i;

	kind_sql(db, "attempt", sql);
	for (i = 0; i < 3; i++) {
		if (want[i] == NULL)
			continue;
		q = sqlite3_mprintf("%Q", want[i]);
		if (tasks && ab_store_has_column(db, "tasks", attr[i]))
			ab_buf_addf(sql, " AND coalesce(r.%s, (SELECT t.%s FROM "
			    "tasks t WHERE t.id = r.task_id)) = %s", attr[i],
			    attr[i], q);
		else
			ab_buf_addf(sql, " AND r.%s = %s", attr[i], q);
		sqlite3_free(q);
	}
	if (m->since != NULL || m->until != NULL) {
		ab_buf_adds(sql, " AND r.run_id IN (SELECT id FROM runs WHERE "
		    "started IS NOT NULL");
		if (m->since != NULL) {
			q = sqlite3_mprintf("%Q", m->since);
			ab_buf_addf(sql, " AND started >= %s", q);
			sqlite3_free(q);
		}
		if (m->until != NULL) {
			q = sqlite3_mprintf("%Q", m->until);
			ab_buf_addf(sql, " AND started < %s", q);
			sqlite3_free(q);
		}
		ab_buf_adds(sql, ")");
	}
}

static double
jnum_at(const json_t *arr, size_t i)
{
	const json_t *v = json_array_get(arr, i);

	return json_is_number(v) ? json_number_value(v) : NAN;
}

/* An agent trial's numbers from load_results: the array [outcome,
 * trial wall_ms, error scope, exec setup_ms, exec wall_ms] and the
 * number of calls. */
static void
trial_row(struct rk_attempt *a, const char *text, double calls)
{
	json_t *j = json_loads(text, 0, NULL);
	const char *o, *sc;
	double setup, wall;

	memset(&a->trial, 0, sizeof a->trial);
	if (!json_is_array(j)) {
		json_decref(j);
		return;
	}
	a->trial.is = true;
	o = json_string_value(json_array_get(j, 0));
	snprintf(a->trial.outcome, sizeof a->trial.outcome, "%s", o ? o : "");
	a->trial.agent_ms = jnum_at(j, 1);
	setup = jnum_at(j, 3);
	wall = jnum_at(j, 4);
	a->trial.grade_ms = isnan(setup) ? wall : isnan(wall) ? setup :
	    setup + wall;
	a->trial.calls = isnan(calls) ? 0 : calls;
	sc = json_string_value(json_array_get(j, 2));
	a->trial.run_budget = sc != NULL && strcmp(sc, "run") == 0;
	a->excluded = rk_trial_not_run(a->verdict, a->error_kind, sc);
	json_decref(j);
}

/* The fast path: the indexed columns of results, all rows or those with
 * rowid in [lo, hi] when ranged. */
static int
load_results(struct rk_model *m, sqlite3 *db, const char *path,
    bool tasks_known, bool ranged, sqlite3_int64 lo, sqlite3_int64 hi,
    struct ab_error *err)
{
	static const char *const cols[] = { "id", "run_id", "task_id",
	    "config_hash", "config_name", "sample", "language", "difficulty",
	    "category", "verdict", "score", "grade", "success", "tokens_in",
	    "tokens_out", "cost_usd", "latency_ms", "ttft_ms", "cpu_ms",
	    "wall_ms", "error_kind", "error_stage", NULL };
	struct ab_buf sql = AB_BUF_INIT;
	struct rk_json j = { 0 };
	struct rk_attempt a;
	struct ab_error e;
	sqlite3_stmt *st;
	const char *ek, *dims;
	int i, rc;

	/* Read only what the analyses use: ids only for examples, task
	 * attributes from the tasks table when it has them, never cpu_ms. */
	ab_buf_adds(&sql, "SELECT ");
	for (i = 0; cols[i] != NULL; i++) {
		if ((i == 0 && !m->want_examples) || (i >= 6 && i <= 8 &&
		    tasks_known) || i == 18)
			ab_buf_adds(&sql, i ? ", NULL" : "NULL");
		else
			column(db, &sql, "results", cols[i], "r");
	}
	/* An agent trial's own numbers, from its record (agent rows only,
	 * the record's text parsed once), its calls from the calls table
	 * when it has them. */
	if (ab_store_has_column(db, "results", "provider") &&
	    has_table(db, "bodies")) {
		ab_buf_adds(&sql, ", CASE WHEN r.provider = 'agent' THEN "
		    "(SELECT json_extract(b.rest, '$.gen.trial.outcome', "
		    "'$.gen.trial.wall_ms', '$.gen.error.scope', "
		    "'$.exec.setup_ms', '$.exec.wall_ms') FROM bodies b "
		    "WHERE b.rid = r.rid) END");
		if (ab_store_has_column(db, "calls", "rid") &&
		    ab_store_has_column(db, "calls", "role") &&
		    ab_store_has_column(db, "results", "rid"))
			ab_buf_adds(&sql, ", CASE WHEN r.provider = 'agent' "
			    "THEN (SELECT count(*) FROM calls c WHERE c.rid = "
			    "r.rid AND c.role IS NOT 'aux') END");
		else
			ab_buf_adds(&sql, ", CASE WHEN r.provider = 'agent' "
			    "THEN (SELECT count(*) FROM bodies b, json_each("
			    "b.rest, '$.gen.calls') e WHERE b.rid = r.rid AND "
			    "json_extract(e.value, '$.role') IS NOT 'aux') END");
	} else {
		ab_buf_adds(&sql, ", NULL, NULL");
	}
	/* Score dimensions, for the charts, from the body's rest alone. */
	if (m->want_dims && has_table(db, "bodies"))
		ab_buf_adds(&sql, ", (SELECT json_extract(b.rest, "
		    "'$.score.dimensions') FROM bodies b WHERE b.rid = r.rid)");
	else
		ab_buf_adds(&sql, ", NULL");
	ab_buf_adds(&sql, ranged ? " FROM results r WHERE r.rowid BETWEEN ? "
	    "AND ?" : " FROM results r WHERE 1");
	filter_sql(m, db, &sql);
	rc = sqlite3_prepare_v2(db, sql.s, -1, &st, NULL);
	ab_buf_release(&sql);
	if (rc != SQLITE_OK)
		return db_fail(db, path, err);
	if (ranged) {
		sqlite3_bind_int64(st, 1, lo);
		sqlite3_bind_int64(st, 2, hi);
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&a, 0, offsetof(struct rk_attempt, dim_name));
		a.id = txt(st, 0);
		a.run = txt(st, 1);
		a.task = txt(st, 2);
		a.config_hash = txt(st, 3);
		a.config_name = txt(st, 4);
		if (a.task == NULL ||
		    (a.config_hash == NULL && a.config_name == NULL))
			continue;
		if (a.config_hash == NULL)
			a.config_hash = a.config_name;
		if (a.config_name == NULL)
			a.config_name = a.config_hash;
		a.sample = sqlite3_column_int64(st, 5);
		a.language = txt(st, 6);
		a.difficulty = txt(st, 7);
		a.category = txt(st, 8);
		a.verdict = txt(st, 9);
		a.score = num(st, 10);
		a.grade = txt(st, 11);
		/* "stage:kind", from one column or from two (error_stage
		 * and error_kind, as ab-store keeps them). */
		ek = txt(st, 20);
		if (ek != NULL && *ek != '\0') {
			const char *es = txt(st, 21);

			if (es != NULL && *es != '\0')
				snprintf(a.buf_kind, sizeof a.buf_kind, "%s:%s",
				    es, ek);
			else
				snprintf(a.buf_kind, sizeof a.buf_kind, "%s",
				    ek);
			a.error_kind = a.buf_kind;
		}
		a.success = sqlite3_column_type(st, 12) != SQLITE_NULL ?
		    sqlite3_column_int(st, 12) != 0 : a.error_kind == NULL;
		a.tokens_in = num(st, 13);
		a.tokens_out = num(st, 14);
		a.cost_usd = num(st, 15);
		a.latency_ms = num(st, 16);
		a.ttft_ms = num(st, 17);
		a.cpu_ms = num(st, 18);
		a.wall_ms = num(st, 19);
		if (a.verdict == NULL) {
			if (a.error_kind != NULL &&
			    strncmp(a.error_kind, "gen", 3) == 0)
				a.verdict = "gen_error";
			else if (a.error_kind != NULL &&
			    strncmp(a.error_kind, "extract", 7) == 0)
				a.verdict = "extract_error";
			else
				a.verdict = a.error_kind != NULL ?
				    "exec_error" : "not_run";
		}
		a.passed = strcmp(a.verdict, "ok") == 0;
		a.excluded = rk_not_run(a.verdict, a.error_kind);
		if (txt(st, 22) != NULL)
			trial_row(&a, txt(st, 22), num(st, 23));
		if ((dims = txt(st, 24)) != NULL && rk_json_scan(&j, dims,
		    (size_t)sqlite3_column_bytes(st, 24), NULL, &e) == 0)
			rk_attempt_dims(&j, 0, &a);
		rk_model_add(m, &a);
	}
	sqlite3_finalize(st);
	rk_json_release(&j);
	if (rc != SQLITE_DONE)
		return db_fail(db, path, err);
	return 0;
}

/* The full path: every record through the same reader as stdin. */
static int
load_records(struct rk_model *m, sqlite3 *db, const char *path,
    struct ab_error *err)
{
	struct rk_json j = { 0 };
	struct rk_attempt *a = ab_xmalloc(sizeof *a);
	struct rk_call calls[64];
	struct ab_buf sql = AB_BUF_INIT, cond = AB_BUF_INIT;
	struct ab_buf traj = AB_BUF_INIT, tx = AB_BUF_INIT,
	    prompt = AB_BUF_INIT;
	struct ab_error e;
	sqlite3_stmt *st;
	size_t nc, k;
	const char *text;
	int rc;

	/* The conditions, when there are any (a database without
	 * results.rid has neither load records told apart nor filters). */
	filter_sql(m, db, &cond);
	ab_buf_adds(&sql, "SELECT record FROM records");
	if (cond.len > 0)
		ab_buf_addf(&sql, " WHERE rid IN (SELECT r.rid FROM results r "
		    "WHERE 1%s)", cond.s);
	ab_buf_release(&cond);
	rc = sqlite3_prepare_v2(db, sql.s, -1, &st, NULL);
	ab_buf_release(&sql);
	if (rc != SQLITE_OK) {
		free(a);
		return db_fail(db, path, err);
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		text = txt(st, 0);
		if (text == NULL || rk_json_scan(&j, text,
		    (size_t)sqlite3_column_bytes(st, 0), rk_record_skip, &e) < 0 ||
		    rk_attempt_from_json(&j, a, calls, 64, &nc, m->keep_code,
		    &e) != 0)
			continue;
		if (m->keep_code && a->trial.is) {
			ab_buf_reset(&traj);
			if (rk_trajectory_html(text, (size_t)sqlite3_column_bytes(
			    st, 0), &traj) == 0)
				a->traj = traj.s;
		} else if (m->keep_code && a->sample == 0 &&
		    m->ntx < RK_TX_MAX) {
			ab_buf_reset(&tx);
			ab_buf_reset(&prompt);
			if (rk_transcript_html(text, (size_t)
			    sqlite3_column_bytes(st, 0), &tx, &prompt) == 0) {
				a->tx = tx.s;
				a->prompt = prompt.len > 0 ? prompt.s : NULL;
			}
		}
		if (rk_model_add(m, a))
			for (k = 0; k < nc; k++)
				rk_model_add_call(m, a, &calls[k]);
	}
	sqlite3_finalize(st);
	rk_json_release(&j);
	ab_buf_release(&traj);
	ab_buf_release(&tx);
	ab_buf_release(&prompt);
	free(a);
	if (rc != SQLITE_DONE)
		return db_fail(db, path, err);
	return 0;
}

static int
load_calls(struct rk_model *m, sqlite3 *db, const char *path,
    struct ab_error *err)
{
	static const char *const cols[] = { "role", "name", "model",
	    "tokens_in", "tokens_out", "cost_usd", "latency_ms", NULL };
	struct ab_buf sql = AB_BUF_INIT;
	struct rk_attempt a;
	struct rk_call c;
	sqlite3_stmt *st;
	int i, rc;

	ab_buf_adds(&sql, "SELECT r.run_id, r.config_hash, r.config_name");
	for (i = 0; cols[i] != NULL; i++)
		column(db, &sql, "calls", cols[i], "c");
	/* ab-store from schema 4 hangs calls on the result's rid (record
	 * ids repeat across runs); older and minimal databases on the
	 * record id. */
	ab_buf_adds(&sql, ab_store_has_column(db, "calls", "rid") &&
	    ab_store_has_column(db, "results", "rid") ?
	    " FROM calls c JOIN results r ON r.rid = c.rid WHERE 1" :
	    " FROM calls c JOIN results r ON r.id = c.result_id WHERE 1");
	filter_sql(m, db, &sql);
	rc = sqlite3_prepare_v2(db, sql.s, -1, &st, NULL);
	ab_buf_release(&sql);
	if (rc != SQLITE_OK)
		return db_fail(db, path, err);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&a, 0, sizeof a);
		a.run = txt(st, 0);
		a.config_hash = txt(st, 1);
		a.config_name = txt(st, 2);
		if (a.config_hash == NULL)
			a.config_hash = a.config_name;
		if (a.config_name == NULL)
			a.config_name = a.config_hash;
		if (a.config_hash == NULL)
			continue;
		c.role = txt(st, 3);
		c.name = txt(st, 4);
		c.model = txt(st, 5);
		c.tokens_in = num(st, 6);
		c.tokens_out = num(st, 7);
		c.cost_usd = num(st, 8);
		c.latency_ms = num(st, 9);
		rk_model_add_call(m, &a, &c);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, path, err);
	return 0;
}

static void
load_runs_tasks(struct rk_model *m, sqlite3 *db)
{
	struct ab_buf sql = AB_BUF_INIT;
	sqlite3_stmt *st;

	if (has_table(db, "runs") && sqlite3_prepare_v2(db, "SELECT id, "
	    "started, status FROM runs", -1, &st, NULL) == SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW)
			if (txt(st, 0) != NULL) {
				rk_model_run_started(m, txt(st, 0),
				    txt(st, 1));
				rk_model_run_status(m, txt(st, 0),
				    txt(st, 2));
			}
		sqlite3_finalize(st);
	}
	if (!has_table(db, "tasks"))
		return;
	ab_buf_adds(&sql, "SELECT ");
	column(db, &sql, "tasks", "id", "t");
	column(db, &sql, "tasks", "language", "t");
	column(db, &sql, "tasks", "difficulty", "t");
	column(db, &sql, "tasks", "category", "t");
	column(db, &sql, "tasks", "suite", "t");
	ab_buf_adds(&sql, " FROM tasks t");
	if (sqlite3_prepare_v2(db, sql.s, -1, &st, NULL) == SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW)
			if (txt(st, 0) != NULL)
				rk_model_task_attrs(m, txt(st, 0),
				    txt(st, 1), txt(st, 2), txt(st, 3),
				    txt(st, 4));
		sqlite3_finalize(st);
	}
	ab_buf_release(&sql);
}

static sqlite3 *
open_db(const char *path, struct ab_error *err)
{
	sqlite3 *db = NULL;

	/* One connection per thread: no mutexes. */
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		ab_error_set(err, "db", "%s: %s", path,
		    db != NULL ? sqlite3_errmsg(db) : "cannot open");
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, 10000);
	/* A small page cache: a scan reads each page once (mmap would be no
	 * faster and would count the whole file as resident). */
	sqlite3_exec(db, "PRAGMA cache_size = -8192", NULL, NULL, NULL);
	return db;
}

/* The second half of a large results table, read by a second thread into
 * a model of its own. */
struct half {
	struct rk_model m;
	const char *path;
	bool tasks_known;
	sqlite3_int64 lo, hi;
	int rc;
	struct ab_error err;
};

static void *
half_main(void *arg)
{
	struct half *h = arg;
	sqlite3 *db = open_db(h->path, &h->err);

	h->rc = -1;
	if (db == NULL)
		return NULL;
	sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
	h->rc = load_results(&h->m, db, h->path, h->tasks_known, true, h->lo,
	    h->hi, &h->err);
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	sqlite3_close(db);
	return NULL;
}

/* Scan results, in two threads when it is large (each half into its own
 * model, merged in order). */
static int
scan_results(struct rk_model *m, sqlite3 *db, const char *path,
    struct ab_error *err)
{
	bool tasks_known = has_tasks_attrs(db);
	sqlite3_int64 lo = 0, hi = -1, mid;
	sqlite3_stmt *st;
	struct half *h;
	pthread_t th;
	int rc;

	if (sqlite3_prepare_v2(db, "SELECT min(rowid), max(rowid) FROM "
	    "results", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW &&
		    sqlite3_column_type(st, 0) != SQLITE_NULL) {
			lo = sqlite3_column_int64(st, 0);
			hi = sqlite3_column_int64(st, 1);
		}
		sqlite3_finalize(st);
	}
	if (hi - lo < 200000 || m->threads < 2)
		return load_results(m, db, path, tasks_known, false, 0, 0, err);
	mid = lo + (hi - lo) / 2;
	h = ab_xcalloc(1, sizeof *h);
	rk_model_init(&h->m);
	h->m.want_runs = m->want_runs;
	h->m.nwant_runs = m->nwant_runs;
	h->m.want_configs = m->want_configs;
	h->m.nwant_configs = m->nwant_configs;
	h->m.want_examples = m->want_examples;
	h->m.want_language = m->want_language;
	h->m.want_difficulty = m->want_difficulty;
	h->m.want_category = m->want_category;
	h->m.since = m->since;
	h->m.until = m->until;
	h->m.attrs_filtered = m->attrs_filtered;
	h->m.latest_v = m->latest_v;	/* borrowed */
	h->m.nlatest = m->nlatest;
	h->path = path;
	h->tasks_known = tasks_known;
	h->lo = mid + 1;
	h->hi = hi;
	if (pthread_create(&th, NULL, half_main, h) != 0) {
		rk_model_release(&h->m);
		free(h);
		return load_results(m, db, path, tasks_known, false, 0, 0, err);
	}
	rc = load_results(m, db, path, tasks_known, true, lo, mid, err);
	pthread_join(th, NULL);
	if (rc == 0 && h->rc < 0) {
		*err = h->err;
		rc = -1;
	}
	if (rc == 0)
		rk_model_merge(m, &h->m);
	h->m.latest_v = NULL;
	h->m.nlatest = 0;
	rk_model_release(&h->m);
	free(h);
	return rc;
}

static bool
want_config(const struct rk_model *m, const char *name, const char *hash)
{
	int i;

	for (i = 0; i < m->nwant_configs; i++)
		if ((name != NULL && strcmp(m->want_configs[i], name) == 0) ||
		    strncmp(m->want_configs[i], hash,
		    strlen(m->want_configs[i])) == 0)
			return true;
	return m->nwant_configs == 0;
}

static int
latest_sort(const void *a, const void *b)
{
	return strcmp(((const struct rk_latest *)a)->hash,
	    ((const struct rk_latest *)b)->hash);
}

/*
 * rk_model.latest: each configuration's newest run within the filters,
 * in the order rk_model_finish gives runs (start time, runs without one
 * last, then first appearance), into m->latest_v.
 */
static int
find_latest(struct rk_model *m, sqlite3 *db, const char *path,
    struct ab_error *err)
{
	struct ab_buf sql = AB_BUF_INIT;
	struct rk_latest *v = NULL;
	struct { char *started; sqlite3_int64 first; } *k = NULL;
	sqlite3_stmt *st;
	size_t n = 0, cap = 0, i;
	bool runs = has_table(db, "runs") &&
	    ab_store_has_column(db, "runs", "started");
	const char *h, *run, *name, *started;
	sqlite3_int64 first;
	int rc, newer;

	if (!ab_store_has_column(db, "results", "run_id"))
		return 0;	/* one run */
#define COL(c) (ab_store_has_column(db, "results", c) ? "r." c : "NULL")
	ab_buf_addf(&sql, "SELECT p.h, p.run_id, p.name, %s, f.first FROM ("
	    "SELECT coalesce(%s, %s) AS h, r.run_id, min(%s) AS name"
	    " FROM results r WHERE %s IS NOT NULL", runs ? "u.started" : "NULL",
	    COL("config_hash"), COL("config_name"), COL("config_name"),
	    COL("task_id"));
#undef COL
	filter_sql(m, db, &sql);
	ab_buf_addf(&sql, " GROUP BY 1, 2) p JOIN (SELECT run_id,"
	    " min(rowid) AS first FROM results GROUP BY run_id) f"
	    " ON f.run_id = p.run_id%s ORDER BY p.h",
	    runs ? " LEFT JOIN runs u ON u.id = p.run_id" : "");
	rc = sqlite3_prepare_v2(db, sql.s, -1, &st, NULL);
	ab_buf_release(&sql);
	if (rc != SQLITE_OK)
		return db_fail(db, path, err);
	/* The rows of one configuration come together; keep the newest. */
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		h = txt(st, 0);
		run = txt(st, 1);
		name = txt(st, 2);
		started = txt(st, 3);
		first = sqlite3_column_int64(st, 4);
		if (h == NULL || run == NULL || !want_config(m, name, h))
			continue;
		if (n > 0 && strcmp(v[n - 1].hash, h) == 0) {
			const char *ks = k[n - 1].started;

			if (started != NULL && ks != NULL)
				newer = strcmp(started, ks) > 0 ||
				    (strcmp(started, ks) == 0 &&
				    first > k[n - 1].first);
			else if ((started == NULL) != (ks == NULL))
				newer = started == NULL;
			else
				newer = first > k[n - 1].first;
			if (!newer)
				continue;
			free(v[n - 1].run);
			free(k[n - 1].started);
		} else {
			if (n == cap) {
				cap = cap ? cap * 2 : 16;
				v = ab_xrealloc(v, cap * sizeof *v);
				k = ab_xrealloc(k, cap * sizeof *k);
			}
			v[n++].hash = ab_xstrdup(h);
		}
		v[n - 1].run = ab_xstrdup(run);
		k[n - 1].started = started != NULL ? ab_xstrdup(started) : NULL;
		k[n - 1].first = first;
	}
	sqlite3_finalize(st);
	for (i = 0; i < n; i++)
		free(k[i].started);
	free(k);
	if (rc != SQLITE_DONE) {
		for (i = 0; i < n; i++) {
			free(v[i].hash);
			free(v[i].run);
		}
		free(v);
		return db_fail(db, path, err);
	}
	/* SQLite's order of text may not be strcmp's. */
	if (n > 1)
		qsort(v, n, sizeof *v, latest_sort);
	m->latest_v = v;
	m->nlatest = n;
	return 0;
}

int
rk_db_load(struct rk_model *m, const char *path, struct ab_error *err)
{
	sqlite3 *db = NULL;
	bool whole;
	int rc;

	if ((db = open_db(path, err)) == NULL)
		return -1;
	if (!has_table(db, "results")) {
		/* Distinguish "not a database" from "not ours". */
		if (sqlite3_exec(db, "SELECT 1 FROM sqlite_master", NULL,
		    NULL, NULL) != SQLITE_OK)
			db_fail(db, path, err);
		else
			ab_error_set(err, "db", "%s: not an ab-store "
			    "database (no results table)", path);
		sqlite3_close(db);
		return -1;
	}
	if ((m->since != NULL || m->until != NULL) && !has_table(db, "runs")) {
		ab_error_set(err, "usage", "%s: no runs table: cannot filter "
		    "on start time", path);
		sqlite3_close(db);
		return -1;
	}
	/* The filters are applied in SQL, where the tasks table completes
	 * what results lack; the model does not check them again. */
	m->attrs_filtered = true;
	/* One read transaction: a consistent snapshot while ab-store
	 * writes. */
	sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
	/* Whole records for code and transcripts, or for score dimensions
	 * where no bodies table holds them apart. */
	whole = (m->keep_code || (m->want_dims && !has_table(db, "bodies"))) &&
	    has_table(db, "records");
	rc = m->latest && m->nwant_runs == 0 ? find_latest(m, db, path, err) :
	    0;
	if (rc < 0)
		;
	else if (whole)
		rc = load_records(m, db, path, err);
	else
		rc = scan_results(m, db, path, err);
	if (rc == 0 && !whole && has_table(db, "calls"))
		rc = load_calls(m, db, path, err);
	if (rc == 0)
		load_runs_tasks(m, db);
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	sqlite3_close(db);
	return rc;
}

int
rk_db_load_records(const char *path, char *const *runs, int nruns,
    int (*fn)(const char *text, size_t len, void *ctx), void *ctx,
    struct ab_error *err)
{
	struct ab_buf sql = AB_BUF_INIT;
	sqlite3_stmt *st = NULL;
	sqlite3 *db;
	int i, rc = SQLITE_DONE, r = 0;

	if ((db = open_db(path, err)) == NULL)
		return -1;
	if (!has_table(db, "records") || !has_table(db, "results") ||
	    !ab_store_has_column(db, "results", "rid")) {
		ab_error_set(err, "db", "%s: not an ab-store database of "
		    "schema 4 or later (no records view)", path);
		sqlite3_close(db);
		return -1;
	}
	sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
	/* A run named must be there (a misspelt one is an error). */
	for (i = 0; i < nruns && r == 0; i++) {
		if (sqlite3_prepare_v2(db, "SELECT 1 FROM runs WHERE id = ?1",
		    -1, &st, NULL) != SQLITE_OK) {
			r = db_fail(db, path, err);
			break;
		}
		sqlite3_bind_text(st, 1, runs[i], -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc == SQLITE_DONE)
			r = ab_error_set(err, "not_found", "%s: no such run",
			    runs[i]);
		else if (rc != SQLITE_ROW)
			r = db_fail(db, path, err);
	}
	for (i = 0; i < (nruns > 0 ? nruns : 1) && r == 0; i++) {
		ab_buf_reset(&sql);
		ab_buf_adds(&sql, "SELECT record FROM records WHERE rid IN "
		    "(SELECT r.rid FROM results r WHERE 1");
		kind_sql(db, "load", &sql);
		ab_buf_adds(&sql, nruns > 0 ? " AND r.run_id = ?1) ORDER BY rid" :
		    ") ORDER BY rid");
		if (sqlite3_prepare_v2(db, sql.s, -1, &st, NULL) != SQLITE_OK) {
			r = db_fail(db, path, err);
			break;
		}
		if (nruns > 0)
			sqlite3_bind_text(st, 1, runs[i], -1, SQLITE_STATIC);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW && r == 0)
			r = fn(txt(st, 0), (size_t)sqlite3_column_bytes(st, 0),
			    ctx);
		if (r == 0 && rc != SQLITE_DONE)
			r = db_fail(db, path, err);
		sqlite3_finalize(st);
	}
	ab_buf_release(&sql);
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	sqlite3_close(db);
	return r < 0 ? -1 : 0;
}

/* ---- the attempts table ---------------------------------------------------- */

static void
attempt_cell(struct rk_val *v, sqlite3_stmt *st, int i, enum rk_ctype t)
{
	v->null = sqlite3_column_type(st, i) == SQLITE_NULL;
	v->d = 0;
	v->s = NULL;
	if (v->null)
		return;
	if (t == RK_STR)
		v->s = ab_xstrdup(txt(st, i));
	else
		v->d = sqlite3_column_double(st, i);
	if (t != RK_STR && !isfinite(v->d)) {
		v->null = true;
		v->d = 0;
	}
}

int
rk_db_attempts(const char *path, const struct rk_model *f, long limit,
    long offset, struct rk_report *r, struct ab_error *err)
{
	static const struct rk_col cols[] = {
		{ "rid", "Row", RK_INT, 0, true },
		{ "id", "Attempt", RK_STR, 0, false },
		{ "run", "Run", RK_STR, 0, true },
		{ "config", "Configuration", RK_STR, 0, false },
		{ "task", "Task", RK_STR, 0, true },
		{ "sample", "Sample", RK_INT, 0, true },
		{ "verdict", "Verdict", RK_STR, 0, false },
		{ "score", "Score", RK_NUM, 1, false },
		{ "cost_usd", "Cost, USD", RK_NUM, 6, false },
		{ "latency_ms", "Latency, ms", RK_NUM, 0, false },
		{ "error", "Error", RK_STR, 0, false },
	};
	enum { NCOL = sizeof cols / sizeof cols[0] };
	struct ab_buf sql = AB_BUF_INIT;
	struct rk_table *t;
	struct rk_val *v;
	sqlite3_stmt *st;
	sqlite3 *db;
	char *q;
	int i, rc;

	if ((db = open_db(path, err)) == NULL)
		return -1;
	if (!has_table(db, "results") || !ab_store_has_column(db, "results",
	    "rid")) {
		ab_error_set(err, "db", "%s: not an ab-store database of "
		    "schema 4 or later (no results.rid)", path);
		sqlite3_close(db);
		return -1;
	}
	ab_buf_adds(&sql, "SELECT r.rid, r.id, r.run_id, r.config_name, "
	    "r.task_id, r.sample, coalesce(r.verdict, CASE WHEN r.error_stage "
	    "IS NOT NULL THEN r.error_stage || '_error' END), r.score, "
	    "r.cost_usd, r.latency_ms, CASE WHEN r.error_kind IS NOT NULL THEN "
	    "coalesce(r.error_stage || ':', '') || r.error_kind END "
	    "FROM results r WHERE 1");
	for (i = 0; i < f->nwant_runs; i++) {
		q = sqlite3_mprintf("%Q", f->want_runs[i]);
		ab_buf_addf(&sql, "%s r.run_id = %s", i ? " OR" : " AND (", q);
		sqlite3_free(q);
	}
	if (f->nwant_runs > 0)
		ab_buf_adds(&sql, ")");
	for (i = 0; i < f->nwant_configs; i++) {
		q = sqlite3_mprintf("%Q", f->want_configs[i]);
		ab_buf_addf(&sql, "%s r.config_name = %s OR substr(r.config_hash,"
		    " 1, length(%s)) = %s", i ? " OR" : " AND (", q, q, q);
		sqlite3_free(q);
	}
	if (f->nwant_configs > 0)
		ab_buf_adds(&sql, ")");
	if ((f->since != NULL || f->until != NULL) && !has_table(db, "runs")) {
		ab_buf_release(&sql);
		ab_error_set(err, "usage", "%s: no runs table: cannot filter "
		    "on start time", path);
		sqlite3_close(db);
		return -1;
	}
	filter_sql(f, db, &sql);
	ab_buf_addf(&sql, " ORDER BY r.rid DESC LIMIT %ld OFFSET %ld", limit,
	    offset);
	sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
	rc = sqlite3_prepare_v2(db, sql.s, -1, &st, NULL);
	ab_buf_release(&sql);
	if (rc != SQLITE_OK) {
		db_fail(db, path, err);
		sqlite3_close(db);
		return -1;
	}
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 8;
		r->t = ab_xrealloc(r->t, r->cap * sizeof *r->t);
	}
	t = &r->t[r->n++];
	memset(t, 0, sizeof *t);
	t->name = ab_xstrdup("attempts");
	t->title = ab_xstrdup("Attempts, newest first");
	t->ncol = NCOL;
	t->cols = ab_xcalloc(NCOL, sizeof *t->cols);
	for (i = 0; i < NCOL; i++) {
		t->cols[i] = cols[i];
		t->cols[i].key = ab_xstrdup(cols[i].key);
		t->cols[i].head = ab_xstrdup(cols[i].head);
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (t->nrow == t->cap) {
			t->cap = t->cap ? t->cap * 2 : 64;
			t->vals = ab_xrealloc(t->vals, t->cap * NCOL *
			    sizeof *t->vals);
		}
		v = &t->vals[t->nrow++ * NCOL];
		for (i = 0; i < NCOL; i++)
			attempt_cell(&v[i], st, i, cols[i].type);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		db_fail(db, path, err);
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	sqlite3_close(db);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* ---- watching a database being written ------------------------------------- */

struct rk_watch {
	sqlite3 *db;		/* owned, read only */
	char *path;		/* owned */
};

struct rk_watch *
rk_watch_open(const char *path, struct ab_error *err)
{
	struct rk_watch *w;
	sqlite3 *db;

	if ((db = open_db(path, err)) == NULL)
		return NULL;
	/* Short waits: a poll that cannot read now reads next time. */
	sqlite3_busy_timeout(db, 2000);
	w = ab_xcalloc(1, sizeof *w);
	w->db = db;
	w->path = ab_xstrdup(path);
	return w;
}

static int
watch_fail(struct rk_watch *w, sqlite3_stmt *st, struct ab_error *err)
{
	ab_error_set(err, "db", "%s: %s", w->path, sqlite3_errmsg(w->db));
	sqlite3_finalize(st);
	sqlite3_exec(w->db, "COMMIT", NULL, NULL, NULL);
	return -1;
}

int
rk_watch_poll(struct rk_watch *w, char *const *runs, int nruns,
    struct rk_watch_state *st, struct ab_error *err)
{
	struct rk_watch_state s = { 0 };
	sqlite3_stmt *q = NULL;
	const char *status;
	int i, rc;

	if (sqlite3_prepare_v2(w->db, "PRAGMA data_version", -1, &q, NULL) !=
	    SQLITE_OK || sqlite3_step(q) != SQLITE_ROW)
		return watch_fail(w, q, err);
	s.data_version = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	q = NULL;
	/* One snapshot for the counts. */
	sqlite3_exec(w->db, "BEGIN", NULL, NULL, NULL);
	if (sqlite3_prepare_v2(w->db, "SELECT max(rowid) FROM results", -1,
	    &q, NULL) != SQLITE_OK || sqlite3_step(q) != SQLITE_ROW)
		return watch_fail(w, q, err);
	s.max_rid = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	q = NULL;
	if (runs != NULL && has_table(w->db, "runs")) {
		if (sqlite3_prepare_v2(w->db, "SELECT id, status FROM runs",
		    -1, &q, NULL) != SQLITE_OK)
			return watch_fail(w, q, err);
		while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
			const char *id = (const char *)sqlite3_column_text(q,
			    0);
			bool named = nruns == 0;

			status = (const char *)sqlite3_column_text(q, 1);
			for (i = 0; i < nruns && !named; i++)
				named = id != NULL && strcmp(id, runs[i]) == 0;
			if (!named)
				continue;
			if (status != NULL && strcmp(status, "running") == 0)
				s.running++;
			else if (nruns > 0)
				s.named_done++;
		}
		if (rc != SQLITE_DONE)
			return watch_fail(w, q, err);
		sqlite3_finalize(q);
	}
	sqlite3_exec(w->db, "COMMIT", NULL, NULL, NULL);
	*st = s;
	return 0;
}

void
rk_watch_close(struct rk_watch *w)
{
	if (w == NULL)
		return;
	sqlite3_close(w->db);
	free(w->path);
	free(w);
}
