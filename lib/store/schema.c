/* schema.c - opening the database, the schema and its migrations. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store-int.h"

/*
 * The views of schema 3, created by step 2 -> 3 and again by step 3 -> 4
 * (which rebuilds the tables they read).  Never edit: add a step.
 */
#define VIEWS_V3 \
	"CREATE VIEW record_parts(rid, id, run_id, record) AS" \
	"  SELECT r.rid, r.id, r.run_id, json_replace(b.rest," \
	"    '$.task', CASE WHEN b.packed & 1 THEN json(coalesce(" \
	"      (SELECT t.json FROM tasks t" \
	"        WHERE t.id = r.task_id AND t.hash = r.task_hash)," \
	"      (SELECT v.json FROM task_versions v WHERE v.hash = r.task_hash)))" \
	"      ELSE b.rest -> '$.task' END," \
	"    '$.config', CASE WHEN b.packed & 2 THEN json_replace(" \
	"      (SELECT c.json FROM configs c WHERE c.hash = r.config_hash)," \
	"      '$.name', r.config_name) ELSE b.rest -> '$.config' END," \
	"    '$.gen.text', CASE WHEN b.packed & 4 THEN b.answer" \
	"      ELSE b.rest -> '$.gen.text' END," \
	"    '$.extract.code', CASE WHEN b.packed & 8 THEN" \
	"      CASE WHEN b.code_off IS NOT NULL" \
	"      THEN substr(b.answer, b.code_off, b.code_len) ELSE b.code_own END" \
	"      ELSE b.rest -> '$.extract.code' END)" \
	"  FROM results r JOIN bodies b ON b.rid = r.rid;" \
	/* The first record of each run carries the run in "store.run", so \
	 * that an export imported elsewhere recreates the run exactly. */ \
	"CREATE VIEW records(id, run_id, record, rid) AS" \
	"  SELECT p.id, p.run_id, CASE WHEN p.rid = (SELECT min(f.rid)" \
	"    FROM results f WHERE f.run_id = p.run_id)" \
	"    THEN json_set(p.record, '$.store', json_object('run'," \
	"      (SELECT json_object('id', u.id, 'started', u.started," \
	"        'finished', u.finished, 'status', u.status, 'notes', u.notes," \
	"        'seed', u.seed, 'command', u.command, 'host', u.host," \
	"        'os', u.os, 'cwd', u.cwd, 'toolchain', json(u.toolchain)," \
	"        'ab_version', u.ab_version, 'git_commit', u.git_commit)" \
	"      FROM runs u WHERE u.id = p.run_id)))" \
	"    ELSE p.record END, p.rid" \
	"  FROM record_parts p;" \
	"CREATE VIEW config_performance AS" \
	"  SELECT config_hash, min(config_name) AS config_name," \
	"    count(*) AS attempts, count(DISTINCT task_id) AS tasks," \
	"    count(DISTINCT run_id) AS runs," \
	"    avg(score) AS avg_score, max(score) AS best_score," \
	"    min(score) AS worst_score, avg(success) AS success_rate," \
	"    avg(verdict = 'ok') AS pass_rate," \
	"    avg(latency_ms) AS avg_gen_ms, avg(ttft_ms) AS avg_ttft_ms," \
	"    avg(wall_ms) AS avg_exec_ms," \
	"    sum(tokens_in) AS tokens_in, sum(tokens_out) AS tokens_out," \
	"    sum(cost_usd) AS cost_usd," \
	"    sum(error_kind IS NOT NULL) AS errors" \
	"  FROM results GROUP BY config_hash;" \
	"CREATE VIEW run_config_performance AS" \
	"  SELECT run_id, config_hash, min(config_name) AS config_name," \
	"    count(*) AS attempts, count(DISTINCT task_id) AS tasks," \
	"    avg(score) AS avg_score, max(score) AS best_score," \
	"    min(score) AS worst_score, avg(success) AS success_rate," \
	"    avg(verdict = 'ok') AS pass_rate," \
	"    avg(latency_ms) AS avg_gen_ms, avg(ttft_ms) AS avg_ttft_ms," \
	"    sum(cost_usd) AS cost_usd, sum(error_kind IS NOT NULL) AS errors" \
	"  FROM results GROUP BY run_id, config_hash;" \
	"CREATE VIEW execution_scores AS" \
	"  SELECT r.id, r.run_id, r.config_hash, r.config_name, r.task_id," \
	"    r.sample," \
	"    b.rest ->> '$.score.dimensions.accuracy.value' AS accuracy," \
	"    b.rest ->> '$.score.dimensions.speed.value' AS speed," \
	"    b.rest ->> '$.score.dimensions.efficiency.value' AS efficiency," \
	"    b.rest ->> '$.score.dimensions.cost.value' AS cost," \
	"    b.rest ->> '$.score.dimensions.reliability.value' AS reliability," \
	"    r.score, r.grade, r.success" \
	"  FROM results r JOIN bodies b ON b.rid = r.rid;" \
	"CREATE VIEW run_scores AS" \
	"  SELECT run_id, config_hash, min(config_name) AS config_name," \
	"    count(*) AS attempts, avg(accuracy) AS accuracy," \
	"    avg(speed) AS speed, avg(efficiency) AS efficiency," \
	"    avg(cost) AS cost, avg(reliability) AS reliability," \
	"    avg(score) AS score" \
	"  FROM execution_scores GROUP BY run_id, config_hash;" \
	"CREATE VIEW verdicts AS" \
	"  SELECT config_hash, min(config_name) AS config_name," \
	"    coalesce(verdict, error_kind, 'none') AS verdict, count(*) AS n" \
	"  FROM results GROUP BY config_hash, 3;"

/*
 * Migrations, keyed on PRAGMA user_version: migration[v] takes a database
 * at version v to v + 1.  Never edit a released step; add one.
 */
static const char *const migration[] = {
	/* 0 -> 1: the tables, their indexes and the cascade triggers. */
	"CREATE TABLE runs ("
	"  id TEXT PRIMARY KEY,"
	"  started TEXT, finished TEXT, status TEXT, notes TEXT, seed,"
	"  command TEXT, host TEXT, os TEXT, cwd TEXT, toolchain TEXT,"
	"  ab_version TEXT, git_commit TEXT);"
	"CREATE TABLE configs ("
	"  hash TEXT PRIMARY KEY, name TEXT NOT NULL, json TEXT NOT NULL);"
	"CREATE TABLE tasks ("
	"  id TEXT PRIMARY KEY, hash TEXT NOT NULL, suite TEXT, language TEXT,"
	"  difficulty TEXT, category TEXT, json TEXT NOT NULL);"
	"CREATE TABLE task_versions ("
	"  hash TEXT PRIMARY KEY, id TEXT NOT NULL, json TEXT NOT NULL);"
	"CREATE TABLE results ("
	"  rid INTEGER PRIMARY KEY,"
	"  id TEXT NOT NULL UNIQUE,"
	"  run_id TEXT NOT NULL, task_id TEXT NOT NULL, task_hash TEXT NOT NULL,"
	"  config_hash TEXT NOT NULL, config_name TEXT NOT NULL,"
	"  sample INTEGER NOT NULL, stage INTEGER NOT NULL,"
	"  language TEXT, difficulty TEXT, category TEXT,"
	"  model TEXT, provider TEXT, cached INTEGER,"
	"  verdict TEXT, passed INTEGER, total INTEGER, score REAL, grade TEXT,"
	"  success INTEGER, tokens_in INTEGER, tokens_out INTEGER,"
	"  cost_usd REAL, latency_ms REAL, ttft_ms REAL, cpu_ms REAL,"
	"  wall_ms REAL, peak_kb INTEGER, error_stage TEXT, error_kind TEXT);"
	/* The bulk of each record apart from its columns, so that scans of
	 * results read small rows. */
	"CREATE TABLE bodies ("
	"  rid INTEGER PRIMARY KEY, packed INTEGER NOT NULL, answer TEXT,"
	"  code_off INTEGER, code_len INTEGER, code_own TEXT,"
	"  rest TEXT NOT NULL);"
	"CREATE INDEX results_run ON results(run_id);"
	"CREATE INDEX results_config ON results(config_hash);"
	"CREATE INDEX results_task ON results(task_id);"
	"CREATE TABLE calls ("
	"  result_id TEXT NOT NULL, idx INTEGER NOT NULL, role TEXT,"
	"  name TEXT, cycle INTEGER, model TEXT, provider TEXT,"
	"  tokens_in INTEGER, tokens_out INTEGER, cost_usd REAL,"
	"  latency_ms REAL, ttft_ms REAL, error_kind TEXT,"
	"  PRIMARY KEY (result_id, idx)) WITHOUT ROWID;"
	"CREATE TABLE tests ("
	"  result_id TEXT NOT NULL, idx INTEGER NOT NULL, name TEXT,"
	"  verdict TEXT, weight NUMERIC, time_ms REAL, error_kind TEXT,"
	"  PRIMARY KEY (result_id, idx)) WITHOUT ROWID;"
	"CREATE TRIGGER results_delete_rows AFTER DELETE ON results BEGIN"
	"  DELETE FROM bodies WHERE rid = old.rid;"
	"  DELETE FROM tests WHERE result_id = old.id;"
	"  DELETE FROM calls WHERE result_id = old.id;"
	"END;",

	/* 1 -> 2: full-text search over answers and code.  External
	 * content: the text is kept once, in results.  The extracted code
	 * is usually a part of the answer, so the answer is indexed without
	 * it (prose) and the code on its own: each word once. */
	"CREATE VIEW result_text(rid, id, answer, code, prose) AS"
	"  SELECT b.rid, r.id, b.answer, CASE WHEN b.code_off IS NOT NULL"
	"    THEN substr(b.answer, b.code_off, b.code_len) ELSE b.code_own END,"
	"    CASE WHEN b.code_off IS NOT NULL"
	"    THEN substr(b.answer, 1, b.code_off - 1) ||"
	"      substr(b.answer, b.code_off + b.code_len) ELSE b.answer END"
	"  FROM bodies b JOIN results r ON r.rid = b.rid;"
	"CREATE VIRTUAL TABLE fts USING fts5(prose, code,"
	"  content='result_text', content_rowid='rid');"
	"CREATE TRIGGER bodies_fts_insert AFTER INSERT ON bodies BEGIN"
	"  INSERT INTO fts(rowid, prose, code) VALUES (new.rid,"
	"    CASE WHEN new.code_off IS NOT NULL"
	"    THEN substr(new.answer, 1, new.code_off - 1) ||"
	"      substr(new.answer, new.code_off + new.code_len)"
	"    ELSE new.answer END,"
	"    CASE WHEN new.code_off IS NOT NULL"
	"    THEN substr(new.answer, new.code_off, new.code_len)"
	"    ELSE new.code_own END);"
	"END;"
	"CREATE TRIGGER bodies_fts_delete AFTER DELETE ON bodies BEGIN"
	"  INSERT INTO fts(fts, rowid, prose, code) VALUES ('delete', old.rid,"
	"    CASE WHEN old.code_off IS NOT NULL"
	"    THEN substr(old.answer, 1, old.code_off - 1) ||"
	"      substr(old.answer, old.code_off + old.code_len)"
	"    ELSE old.answer END,"
	"    CASE WHEN old.code_off IS NOT NULL"
	"    THEN substr(old.answer, old.code_off, old.code_len)"
	"    ELSE old.code_own END);"
	"END;"
	"CREATE TRIGGER bodies_fts_update AFTER UPDATE OF answer, code_off,"
	"  code_len, code_own ON bodies BEGIN"
	"  INSERT INTO fts(fts, rowid, prose, code) VALUES ('delete', old.rid,"
	"    CASE WHEN old.code_off IS NOT NULL"
	"    THEN substr(old.answer, 1, old.code_off - 1) ||"
	"      substr(old.answer, old.code_off + old.code_len)"
	"    ELSE old.answer END,"
	"    CASE WHEN old.code_off IS NOT NULL"
	"    THEN substr(old.answer, old.code_off, old.code_len)"
	"    ELSE old.code_own END);"
	"  INSERT INTO fts(rowid, prose, code) VALUES (new.rid,"
	"    CASE WHEN new.code_off IS NOT NULL"
	"    THEN substr(new.answer, 1, new.code_off - 1) ||"
	"      substr(new.answer, new.code_off + new.code_len)"
	"    ELSE new.answer END,"
	"    CASE WHEN new.code_off IS NOT NULL"
	"    THEN substr(new.answer, new.code_off, new.code_len)"
	"    ELSE new.code_own END);"
	"END;"
	"INSERT INTO fts(fts) VALUES ('rebuild');",

	/* 2 -> 3: the records view and the views for analysis. */
	VIEWS_V3,

	/*
	 * 3 -> 4: a result is a record id within a run.  Record ids name
	 * the task, configuration and sample, not the run, so results were
	 * unique on id and a later run of a configuration took the earlier
	 * run's rows; now they are unique on (id, run_id), and calls and
	 * tests hang on the result's rid instead of its id.  The tables are
	 * rebuilt, keeping every rid (the full-text index's row ids), and
	 * the views that read them dropped first and created again.
	 */
	"DROP VIEW records; DROP VIEW record_parts; DROP VIEW result_text;"
	"DROP VIEW config_performance; DROP VIEW run_config_performance;"
	"DROP VIEW run_scores; DROP VIEW execution_scores; DROP VIEW verdicts;"
	"CREATE TABLE results4 ("
	"  rid INTEGER PRIMARY KEY,"
	"  id TEXT NOT NULL,"
	"  run_id TEXT NOT NULL, task_id TEXT NOT NULL, task_hash TEXT NOT NULL,"
	"  config_hash TEXT NOT NULL, config_name TEXT NOT NULL,"
	"  sample INTEGER NOT NULL, stage INTEGER NOT NULL,"
	"  language TEXT, difficulty TEXT, category TEXT,"
	"  model TEXT, provider TEXT, cached INTEGER,"
	"  verdict TEXT, passed INTEGER, total INTEGER, score REAL, grade TEXT,"
	"  success INTEGER, tokens_in INTEGER, tokens_out INTEGER,"
	"  cost_usd REAL, latency_ms REAL, ttft_ms REAL, cpu_ms REAL,"
	"  wall_ms REAL, peak_kb INTEGER, error_stage TEXT, error_kind TEXT,"
	"  UNIQUE (id, run_id));"
	"INSERT INTO results4 (rid, id, run_id, task_id, task_hash, config_hash,"
	"  config_name, sample, stage, language, difficulty, category, model,"
	"  provider, cached, verdict, passed, total, score, grade, success,"
	"  tokens_in, tokens_out, cost_usd, latency_ms, ttft_ms, cpu_ms,"
	"  wall_ms, peak_kb, error_stage, error_kind)"
	"  SELECT rid, id, run_id, task_id, task_hash, config_hash,"
	"  config_name, sample, stage, language, difficulty, category, model,"
	"  provider, cached, verdict, passed, total, score, grade, success,"
	"  tokens_in, tokens_out, cost_usd, latency_ms, ttft_ms, cpu_ms,"
	"  wall_ms, peak_kb, error_stage, error_kind FROM results ORDER BY rid;"
	"CREATE TABLE calls4 ("
	"  rid INTEGER NOT NULL, idx INTEGER NOT NULL, role TEXT,"
	"  name TEXT, cycle INTEGER, model TEXT, provider TEXT,"
	"  tokens_in INTEGER, tokens_out INTEGER, cost_usd REAL,"
	"  latency_ms REAL, ttft_ms REAL, error_kind TEXT,"
	"  PRIMARY KEY (rid, idx)) WITHOUT ROWID;"
	"INSERT INTO calls4 SELECT r.rid, c.idx, c.role, c.name, c.cycle,"
	"  c.model, c.provider, c.tokens_in, c.tokens_out, c.cost_usd,"
	"  c.latency_ms, c.ttft_ms, c.error_kind"
	"  FROM calls c JOIN results r ON r.id = c.result_id;"
	"CREATE TABLE tests4 ("
	"  rid INTEGER NOT NULL, idx INTEGER NOT NULL, name TEXT,"
	"  verdict TEXT, weight NUMERIC, time_ms REAL, error_kind TEXT,"
	"  PRIMARY KEY (rid, idx)) WITHOUT ROWID;"
	"INSERT INTO tests4 SELECT r.rid, t.idx, t.name, t.verdict, t.weight,"
	"  t.time_ms, t.error_kind"
	"  FROM tests t JOIN results r ON r.id = t.result_id;"
	"DROP TABLE results; DROP TABLE calls; DROP TABLE tests;"
	"ALTER TABLE results4 RENAME TO results;"
	"ALTER TABLE calls4 RENAME TO calls;"
	"ALTER TABLE tests4 RENAME TO tests;"
	"CREATE INDEX results_run ON results(run_id);"
	"CREATE INDEX results_config ON results(config_hash);"
	"CREATE INDEX results_task ON results(task_id);"
	"CREATE TRIGGER results_delete_rows AFTER DELETE ON results BEGIN"
	"  DELETE FROM bodies WHERE rid = old.rid;"
	"  DELETE FROM tests WHERE rid = old.rid;"
	"  DELETE FROM calls WHERE rid = old.rid;"
	"END;"
	"CREATE VIEW result_text(rid, id, run_id, answer, code, prose) AS"
	"  SELECT b.rid, r.id, r.run_id, b.answer,"
	"    CASE WHEN b.code_off IS NOT NULL"
	"    THEN substr(b.answer, b.code_off, b.code_len) ELSE b.code_own END,"
	"    CASE WHEN b.code_off IS NOT NULL"
	"    THEN substr(b.answer, 1, b.code_off - 1) ||"
	"      substr(b.answer, b.code_off + b.code_len) ELSE b.answer END"
	"  FROM bodies b JOIN results r ON r.rid = b.rid;"
	VIEWS_V3,

	/* 4 -> 5: configuration hashes without operational members; done
	 * in C, by rehash() below. */
	"",

	/*
	 * 5 -> 6: what a result is: "attempt" (a task, a configuration, a
	 * sample: what the benchmark views count) or "load" (a request or
	 * the summary of an ab-gen --load run: a record with an object
	 * member load, which only the load view reads).  Existing rows are
	 * classified by their record; the analysis views count attempts.
	 */
	"ALTER TABLE results ADD COLUMN kind TEXT NOT NULL DEFAULT 'attempt';"
	"UPDATE results SET kind = 'load' WHERE rid IN (SELECT rid FROM bodies"
	"  WHERE json_type(rest, '$.load') = 'object');"
	"DROP VIEW config_performance; DROP VIEW run_config_performance;"
	"DROP VIEW run_scores; DROP VIEW execution_scores; DROP VIEW verdicts;"
	"CREATE VIEW config_performance AS"
	"  SELECT config_hash, min(config_name) AS config_name,"
	"    count(*) AS attempts, count(DISTINCT task_id) AS tasks,"
	"    count(DISTINCT run_id) AS runs,"
	"    avg(score) AS avg_score, max(score) AS best_score,"
	"    min(score) AS worst_score, avg(success) AS success_rate,"
	"    avg(verdict = 'ok') AS pass_rate,"
	"    avg(latency_ms) AS avg_gen_ms, avg(ttft_ms) AS avg_ttft_ms,"
	"    avg(wall_ms) AS avg_exec_ms,"
	"    sum(tokens_in) AS tokens_in, sum(tokens_out) AS tokens_out,"
	"    sum(cost_usd) AS cost_usd,"
	"    sum(error_kind IS NOT NULL) AS errors"
	"  FROM results WHERE kind = 'attempt' GROUP BY config_hash;"
	"CREATE VIEW run_config_performance AS"
	"  SELECT run_id, config_hash, min(config_name) AS config_name,"
	"    count(*) AS attempts, count(DISTINCT task_id) AS tasks,"
	"    avg(score) AS avg_score, max(score) AS best_score,"
	"    min(score) AS worst_score, avg(success) AS success_rate,"
	"    avg(verdict = 'ok') AS pass_rate,"
	"    avg(latency_ms) AS avg_gen_ms, avg(ttft_ms) AS avg_ttft_ms,"
	"    sum(cost_usd) AS cost_usd, sum(error_kind IS NOT NULL) AS errors"
	"  FROM results WHERE kind = 'attempt' GROUP BY run_id, config_hash;"
	"CREATE VIEW execution_scores AS"
	"  SELECT r.id, r.run_id, r.config_hash, r.config_name, r.task_id,"
	"    r.sample,"
	"    b.rest ->> '$.score.dimensions.accuracy.value' AS accuracy,"
	"    b.rest ->> '$.score.dimensions.speed.value' AS speed,"
	"    b.rest ->> '$.score.dimensions.efficiency.value' AS efficiency,"
	"    b.rest ->> '$.score.dimensions.cost.value' AS cost,"
	"    b.rest ->> '$.score.dimensions.reliability.value' AS reliability,"
	"    r.score, r.grade, r.success"
	"  FROM results r JOIN bodies b ON b.rid = r.rid"
	"  WHERE r.kind = 'attempt';"
	"CREATE VIEW run_scores AS"
	"  SELECT run_id, config_hash, min(config_name) AS config_name,"
	"    count(*) AS attempts, avg(accuracy) AS accuracy,"
	"    avg(speed) AS speed, avg(efficiency) AS efficiency,"
	"    avg(cost) AS cost, avg(reliability) AS reliability,"
	"    avg(score) AS score"
	"  FROM execution_scores GROUP BY run_id, config_hash;"
	"CREATE VIEW verdicts AS"
	"  SELECT config_hash, min(config_name) AS config_name,"
	"    coalesce(verdict, error_kind, 'none') AS verdict, count(*) AS n"
	"  FROM results WHERE kind = 'attempt' GROUP BY config_hash, 3;",
};

#define NMIGRATION ((int)(sizeof migration / sizeof migration[0]))

int
store_db_error(struct ab_store *s, struct ab_error *err, const char *what)
{
	int code = sqlite3_extended_errcode(s->db);

	if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED)
		return ab_error_set(err, "busy", "%s: database is locked by "
		    "another writer (waited %ld ms)", what, s->o.busy_ms);
	return ab_error_set(err, "db", "%s: %s", what, sqlite3_errmsg(s->db));
}

int
store_exec(struct ab_store *s, const char *sql, struct ab_error *err)
{
	char *msg = NULL;

	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		int code = sqlite3_extended_errcode(s->db) & 0xff;

		if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
			ab_error_set(err, "busy", "database is locked by "
			    "another writer (waited %ld ms)", s->o.busy_ms);
		else
			ab_error_set(err, "db", "%s", msg != NULL ? msg :
			    sqlite3_errmsg(s->db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

void
store_now(char out[32])
{
	struct tm tm;
	time_t t = time(NULL);

	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int
store_bind_str(sqlite3_stmt *st, int i, const char *v)
{
	if (v == NULL)
		return sqlite3_bind_null(st, i);
	return sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
}

int
store_bind_json(sqlite3_stmt *st, int i, const json_t *v)
{
	switch (json_typeof(v != NULL ? v : json_null())) {
	case JSON_INTEGER:
		return sqlite3_bind_int64(st, i, json_integer_value(v));
	case JSON_REAL:
		return sqlite3_bind_double(st, i, json_real_value(v));
	case JSON_TRUE:
		return sqlite3_bind_int(st, i, 1);
	case JSON_FALSE:
		return sqlite3_bind_int(st, i, 0);
	case JSON_STRING:
		/* v outlives the statement's step */
		return sqlite3_bind_text(st, i, json_string_value(v),
		    (int)json_string_length(v), SQLITE_STATIC);
	default:
		return sqlite3_bind_null(st, i);
	}
}


static long
user_version(struct ab_store *s)
{
	sqlite3_stmt *st;
	long v = -1;

	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st,
	    NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/*
 * Journal mode, pragmas and migrations.  When several processes open a new
 * database at once, SQLite can answer SQLITE_BUSY at once instead of
 * calling the busy handler (two connections each waiting for the other's
 * lock to switch to WAL or to upgrade to a write), so retry here, with
 * jittered sleeps, until the busy timeout.
 */
static int migrate(struct ab_store *s, struct ab_error *err);

static int
setup(struct ab_store *s, struct ab_error *err)
{
	double start = ab_now_ms();
	struct timespec ts;
	long waited;
	int rc, n = 0;

	for (;;) {
		/* A new database gets pages of STORE_PAGE_SIZE (this is a
		 * no-op once the file has pages, and in WAL mode). */
		rc = (!s->o.readonly && store_exec(s,
		    "PRAGMA page_size = " STORE_PAGE_SIZE_STR, err) < 0) ||
		    (!s->o.readonly && store_exec(s,
		    "PRAGMA journal_mode = WAL", err) < 0) ||
		    store_exec(s, "PRAGMA synchronous = NORMAL;"
		    "PRAGMA cache_size = -32768; PRAGMA temp_store = MEMORY",
		    err) < 0 || migrate(s, err) < 0 ? -1 : 0;
		if (rc == 0 || err == NULL || strcmp(err->kind, "busy") != 0)
			return rc;
		waited = (long)(ab_now_ms() - start);
		if (waited >= s->o.busy_ms)
			return rc;
		ts.tv_sec = 0;
		ts.tv_nsec = (5 + (long)(n++ % 8) * 7 + (long)(getpid() % 11)) *
		    1000000L;
		nanosleep(&ts, NULL);
	}
}

/* The hash of schema 4 and before: the configuration without name,
 * metadata, hash and secrets, operational members included. */
static void
hash_v4(const json_t *config, char out[65])
{
	json_t *c = ab_strip_secrets(config);
	char *t;

	if (json_is_object(c)) {
		json_object_del(c, "name");
		json_object_del(c, "metadata");
		json_object_del(c, "hash");
	}
	t = ab_canonical(c);
	ab_sha256_hex(t, strlen(t), out);
	free(t);
	json_decref(c);
}

/* Run sql with text parameters ?1.. from a NULL-ended list; 0 or -1. */
static int
exec_args(struct ab_store *s, const char *sql, struct ab_error *err, ...)
{
	sqlite3_stmt *st;
	const char *a;
	va_list ap;
	int i = 1, rc;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_db_error(s, err, "upgrading the hashes");
	va_start(ap, err);
	while ((a = va_arg(ap, const char *)) != NULL)
		sqlite3_bind_text(st, i++, a, -1, SQLITE_TRANSIENT);
	va_end(ap);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_db_error(s, err, "upgrading the hashes");
	return 0;
}

/*
 * Step 4 -> 5: give each stored configuration whose hash is the old
 * formula's the new hash (ab_config_hash: without prices, timeouts,
 * retries...), in configs, results and the records that carry their own
 * configuration.  Configurations that now share a hash become one; the
 * results of those whose row goes keep their own configuration in their
 * body, so no record changes but for its hash.  A hash not made by the
 * old formula (written by another tool) is left alone.
 */
static int
rehash(struct ab_store *s, struct ab_error *err)
{
	sqlite3_stmt *st;
	json_t *pending = json_array(), *t, *cfg;
	char old[65], new[65];
	const char *h, *text;
	size_t i;
	int rc = 0, have;

	if (sqlite3_prepare_v2(s->db, "SELECT hash, json FROM configs "
	    "ORDER BY rowid", -1, &st, NULL) != SQLITE_OK) {
		json_decref(pending);
		return store_db_error(s, err, "upgrading the hashes");
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		h = (const char *)sqlite3_column_text(st, 0);
		text = (const char *)sqlite3_column_text(st, 1);
		if (h == NULL || text == NULL ||
		    (cfg = json_loads(text, 0, NULL)) == NULL)
			continue;
		hash_v4(cfg, old);
		ab_config_hash(cfg, new);
		if (strcmp(old, h) == 0 && strcmp(new, h) != 0) {
			json_object_set_new(cfg, "hash", json_string(new));
			json_array_append_new(pending, json_pack("{s:s, s:s, s:o}",
			    "old", h, "new", new, "json", cfg));
		} else {
			json_decref(cfg);
		}
	}
	sqlite3_finalize(st);
	json_array_foreach(pending, i, t) {
		const char *o = ab_get_str(t, "old"), *n = ab_get_str(t, "new");
		char *js = ab_json_text(json_object_get(t, "json"));

		/* Records with their own configuration: its hash. */
		rc = exec_args(s, "UPDATE bodies SET rest = json_set(rest,"
		    " '$.config.hash', ?2) WHERE packed & 2 = 0"
		    " AND json_type(rest, '$.config') = 'object'"
		    " AND rid IN (SELECT rid FROM results"
		    " WHERE config_hash = ?1)", err, o, n, NULL);
		have = 0;
		if (rc == 0 && sqlite3_prepare_v2(s->db, "SELECT 1 FROM configs"
		    " WHERE hash = ?1", -1, &st, NULL) == SQLITE_OK) {
			sqlite3_bind_text(st, 1, n, -1, SQLITE_STATIC);
			have = sqlite3_step(st) == SQLITE_ROW;
			sqlite3_finalize(st);
		}
		if (rc == 0 && have) {
			/* Another configuration holds the hash: these
			 * records keep theirs in their body. */
			rc = exec_args(s, "UPDATE bodies SET packed = packed"
			    " & ~2, rest = json_set(rest, '$.config',"
			    " json_set(json(?2), '$.name', (SELECT r.config_name"
			    " FROM results r WHERE r.rid = bodies.rid)))"
			    " WHERE packed & 2 <> 0 AND rid IN (SELECT rid"
			    " FROM results WHERE config_hash = ?1)",
			    err, o, js, NULL);
			if (rc == 0)
				rc = exec_args(s, "DELETE FROM configs WHERE"
				    " hash = ?1", err, o, NULL);
		} else if (rc == 0) {
			rc = exec_args(s, "UPDATE configs SET hash = ?2,"
			    " json = ?3 WHERE hash = ?1", err, o, n, js, NULL);
		}
		if (rc == 0)
			rc = exec_args(s, "UPDATE results SET config_hash = ?2"
			    " WHERE config_hash = ?1", err, o, n, NULL);
		free(js);
		if (rc < 0)
			break;
	}
	json_decref(pending);
	return rc;
}

/* Bring the schema to AB_STORE_SCHEMA in one write transaction, so that
 * several processes opening a new database at once create it once. */
static int
migrate(struct ab_store *s, struct ab_error *err)
{
	char sql[64];
	long v;
	int i;

	v = user_version(s);
	if (v == AB_STORE_SCHEMA)
		return 0;
	if (v > AB_STORE_SCHEMA)
		return ab_error_set(err, "db", "database schema version %ld is "
		    "newer than this ab-store's (%d)", v, AB_STORE_SCHEMA);
	if (v < 0)
		return store_db_error(s, err, "reading the schema version");
	if (s->o.readonly)
		return ab_error_set(err, "db", "database schema version %ld "
		    "needs an upgrade, which a read-only open cannot do", v);
	if (store_exec(s, "BEGIN IMMEDIATE", err) < 0)
		return -1;
	v = user_version(s);	/* another process may have done it */
	for (i = (int)v; i >= 0 && i < NMIGRATION; i++) {
		if (store_exec(s, migration[i], err) < 0 ||
		    (i == 4 && rehash(s, err) < 0)) {
			store_exec(s, "ROLLBACK", NULL);
			return -1;
		}
	}
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", AB_STORE_SCHEMA);
	if (v < AB_STORE_SCHEMA && store_exec(s, sql, err) < 0) {
		store_exec(s, "ROLLBACK", NULL);
		return -1;
	}
	return store_exec(s, "COMMIT", err);
}

static const char *const stmt_sql[ST_N] = {
	[ST_BEGIN] = "BEGIN IMMEDIATE",
	[ST_COMMIT] = "COMMIT",
	[ST_ROLLBACK] = "ROLLBACK",
	[ST_RUN_META] = "INSERT OR IGNORE INTO runs (id, started, finished,"
	    " status, notes, seed, command, host, os, cwd, toolchain,"
	    " ab_version, git_commit) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
	    " ?9, ?10, ?11, ?12, ?13)",
	[ST_RUN_ENV] = "INSERT OR IGNORE INTO runs (id, started, status,"
	    " seed, command, host, os, cwd, ab_version, git_commit)"
	    " VALUES (?1, ?2, 'running', ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[ST_RUN_RUNNING] = "UPDATE runs SET status = 'running',"
	    " seed = coalesce(seed, ?2) WHERE id = ?1",
	[ST_TASK_GET] = "SELECT hash FROM tasks WHERE id = ?1",
	[ST_TASK_INS] = "INSERT INTO tasks (id, hash, suite, language,"
	    " difficulty, category, json) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[ST_TASKV_INS] = "INSERT OR IGNORE INTO task_versions (hash, id, json)"
	    " VALUES (?1, ?2, ?3)",
	[ST_CFG_GET] = "SELECT json FROM configs WHERE hash = ?1",
	[ST_CFG_INS] = "INSERT INTO configs (hash, name, json)"
	    " VALUES (?1, ?2, ?3)",
	[ST_RES_GET] = "SELECT stage FROM results WHERE id = ?1 AND run_id = ?2",
	[ST_RES_DEL] = "DELETE FROM results WHERE id = ?1 AND run_id = ?2",
	[ST_RES_INS] = "INSERT INTO results (id, run_id, task_id, task_hash,"
	    " config_hash, config_name, sample, stage, language, difficulty,"
	    " category, model, provider, cached, verdict, passed, total, score,"
	    " grade, success, tokens_in, tokens_out, cost_usd, latency_ms,"
	    " ttft_ms, cpu_ms, wall_ms, peak_kb, error_stage, error_kind, kind)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
	    " ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26,"
	    " ?27, ?28, ?29, ?30, ?31)",
	[ST_BODY_INS] = "INSERT INTO bodies (rid, packed, answer, code_off,"
	    " code_len, code_own, rest) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[ST_TEST_INS] = "INSERT OR REPLACE INTO tests (rid, idx, name,"
	    " verdict, weight, time_ms, error_kind) VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
	    " ?7)",
	[ST_CALL_INS] = "INSERT OR REPLACE INTO calls (rid, idx, role,"
	    " name, cycle, model, provider, tokens_in, tokens_out, cost_usd,"
	    " latency_ms, ttft_ms, error_kind) VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
	    " ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
};

struct ab_store *
ab_store_open(const char *path, const struct ab_store_opts *o,
    struct ab_error *err)
{
	struct ab_store *s = ab_xcalloc(1, sizeof *s);
	struct stat sb;
	int flags, i;

	if (o != NULL)
		s->o = *o;
	if (s->o.busy_ms <= 0)
		s->o.busy_ms = 600000;
	if (s->o.batch <= 0)
		s->o.batch = 1000;
	if (s->o.batch_ms <= 0)
		s->o.batch_ms = 2000;
	if (!s->o.create && stat(path, &sb) < 0) {
		ab_error_set(err, "io", "%s: %s", path, strerror(errno));
		free(s);
		return NULL;
	}
	flags = s->o.readonly ? SQLITE_OPEN_READONLY :
	    SQLITE_OPEN_READWRITE | (s->o.create ? SQLITE_OPEN_CREATE : 0);
	if (sqlite3_open_v2(path, &s->db, flags | SQLITE_OPEN_NOMUTEX,
	    NULL) != SQLITE_OK) {
		ab_error_set(err, "db", "%s: %s", path, s->db != NULL ?
		    sqlite3_errmsg(s->db) : "cannot open");
		ab_store_close(s);
		return NULL;
	}
	sqlite3_busy_timeout(s->db, (int)(s->o.busy_ms > 2000000000 ?
	    2000000000 : s->o.busy_ms));
	sqlite3_extended_result_codes(s->db, 1);
	/* WAL lets readers go on while one writer writes; NORMAL keeps every
	 * committed transaction across a crash of the process, and the
	 * database consistent across a power loss. */
	if (setup(s, err) < 0) {
		if (err != NULL) {
			struct ab_error e = *err;

			ab_error_set(err, e.kind, "%s: %s", path, e.msg);
		}
		ab_store_close(s);
		return NULL;
	}
	for (i = 0; i < ST_N && !s->o.readonly; i++) {
		if (sqlite3_prepare_v3(s->db, stmt_sql[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &s->st[i], NULL) != SQLITE_OK) {
			store_db_error(s, err, path);
			ab_store_close(s);
			return NULL;
		}
	}
	s->tasks = json_object();
	s->configs = json_object();
	s->tx_runs = json_object();
	s->runs = json_object();
	return s;
}

void
ab_store_close(struct ab_store *s)
{
	int i;

	if (s == NULL)
		return;
	if (s->in_tx && s->st[ST_ROLLBACK] != NULL) {
		sqlite3_reset(s->st[ST_ROLLBACK]);
		sqlite3_step(s->st[ST_ROLLBACK]);
	}
	for (i = 0; i < ST_N; i++)
		sqlite3_finalize(s->st[i]);
	if (s->db != NULL)
		sqlite3_close(s->db);
	json_decref(s->tasks);
	json_decref(s->configs);
	json_decref(s->tx_runs);
	json_decref(s->runs);
	ab_store_cache_free(s->cache);
	if (s->have_env)
		ab_store_env_release(&s->env);
	free(s);
}

struct sqlite3 *
ab_store_db(struct ab_store *s)
{
	return s->db;
}
