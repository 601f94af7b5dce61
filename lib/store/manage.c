/* manage.c - managing stored experiments: list, show, export, stats,
 * search, notes, delete, vacuum, restore. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store-int.h"

static int
prepare(struct ab_store *s, const char *sql, sqlite3_stmt **st,
    struct ab_error *err)
{
	if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK)
		return store_db_error(s, err, "query");
	return 0;
}

static int
run_exists(struct ab_store *s, const char *run, struct ab_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (prepare(s, "SELECT 1 FROM runs WHERE id = ?1", &st, err) < 0)
		return -1;
	store_bind_str(st, 1, run);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc == SQLITE_DONE)
		return ab_error_set(err, "not_found", "%s: no such run", run);
	return store_db_error(s, err, "looking up the run");
}

/* Call fn with a formatted line. */
static int
linef(ab_store_line_fn fn, void *ctx, const char *fmt, ...) AB_PRINTF(3, 4);

static int
linef(ab_store_line_fn fn, void *ctx, const char *fmt, ...)
{
	struct ab_buf b = AB_BUF_INIT;
	char tmp[1024];
	va_list ap;
	int n, rc;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n < sizeof tmp) {
		return fn(tmp, (size_t)n, ctx);
	}
	b.s = ab_xmalloc((size_t)n + 1);
	b.cap = (size_t)n + 1;
	va_start(ap, fmt);
	vsnprintf(b.s, b.cap, fmt, ap);
	va_end(ap);
	rc = fn(b.s, (size_t)n, ctx);
	ab_buf_release(&b);
	return rc;
}

static const char *
col(sqlite3_stmt *st, int i)
{
	const char *s = (const char *)sqlite3_column_text(st, i);

	return s != NULL ? s : "-";
}

int
ab_store_export(struct ab_store *s, const char *run, ab_store_line_fn fn,
    void *ctx, struct ab_error *err)
{
	sqlite3_stmt *st;
	int rc, r = 0;

	if (run != NULL && run_exists(s, run, err) < 0)
		return -1;
	if (prepare(s, run != NULL ?
	    "SELECT record FROM records WHERE run_id = ?1 ORDER BY rid" :
	    "SELECT record FROM records ORDER BY rid", &st, err) < 0)
		return -1;
	if (run != NULL)
		store_bind_str(st, 1, run);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		r = fn((const char *)sqlite3_column_text(st, 0),
		    (size_t)sqlite3_column_bytes(st, 0), ctx);
		if (r != 0)
			break;
	}
	if (r == 0 && rc != SQLITE_DONE)
		r = store_db_error(s, err, "export");
	sqlite3_finalize(st);
	return r;
}

int
ab_store_list(struct ab_store *s, ab_store_line_fn fn, void *ctx,
    struct ab_error *err)
{
	sqlite3_stmt *st;
	int rc, r;

	if (prepare(s, "SELECT u.id, u.started, u.finished, u.status,"
	    " (SELECT count(*) FROM results r WHERE r.run_id = u.id),"
	    " (SELECT count(DISTINCT config_hash) FROM results r"
	    "   WHERE r.run_id = u.id),"
	    " (SELECT round(avg(score), 1) FROM results r"
	    "   WHERE r.run_id = u.id),"
	    " replace(replace(u.notes, char(10), ' '), char(9), ' ')"
	    " FROM runs u ORDER BY u.started DESC, u.id", &st, err) < 0)
		return -1;
	r = linef(fn, ctx, "%-24s  %-20s  %-20s  %-16s  %7s  %7s  %5s  %s",
	    "RUN", "STARTED", "FINISHED", "STATUS", "RESULTS", "CONFIGS",
	    "SCORE", "NOTES");
	while (r == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW)
		r = linef(fn, ctx, "%-24s  %-20s  %-20s  %-16s  %7s  %7s  %5s  %s",
		    col(st, 0), col(st, 1), col(st, 2), col(st, 3), col(st, 4),
		    col(st, 5), col(st, 6), sqlite3_column_text(st, 7) != NULL ?
		    col(st, 7) : "");
	if (r == 0 && rc != SQLITE_DONE)
		r = store_db_error(s, err, "listing runs");
	sqlite3_finalize(st);
	return r;
}

int
ab_store_show(struct ab_store *s, const char *run, ab_store_line_fn fn,
    void *ctx, struct ab_error *err)
{
	static const char *const names[] = { "run", "started", "finished",
	    "status", "seed", "command", "host", "os", "cwd", "toolchain",
	    "ab_version", "git_commit", "notes" };
	sqlite3_stmt *st;
	int rc, r = 0, i;

	if (run_exists(s, run, err) < 0)
		return -1;
	if (prepare(s, "SELECT id, started, finished, status, seed, command,"
	    " host, os, cwd, toolchain, ab_version, git_commit, notes"
	    " FROM runs WHERE id = ?1", &st, err) < 0)
		return -1;
	store_bind_str(st, 1, run);
	if (sqlite3_step(st) == SQLITE_ROW)
		for (i = 0; i < 13 && r == 0; i++)
			r = linef(fn, ctx, "%-11s %s", names[i], col(st, i));
	sqlite3_finalize(st);
	if (r != 0)
		return r;

	if (prepare(s, "SELECT count(*), count(DISTINCT task_id),"
	    " round(avg(score), 1), round(100.0 * avg(success), 1),"
	    " round(100.0 * avg(verdict = 'ok'), 1),"
	    " sum(error_kind IS NOT NULL), sum(tokens_in), sum(tokens_out),"
	    " round(sum(cost_usd), 4), round(avg(latency_ms))"
	    " FROM results WHERE run_id = ?1", &st, err) < 0)
		return -1;
	store_bind_str(st, 1, run);
	if (sqlite3_step(st) == SQLITE_ROW)
		r = linef(fn, ctx, "\nsummary     results %s, tasks %s, "
		    "avg score %s, success %s%%, passed %s%%, errors %s, "
		    "tokens in %s out %s, cost $%s, avg gen %s ms",
		    col(st, 0), col(st, 1), col(st, 2), col(st, 3), col(st, 4),
		    col(st, 5), col(st, 6), col(st, 7), col(st, 8), col(st, 9));
	sqlite3_finalize(st);
	if (r != 0)
		return r;

	if (prepare(s, "SELECT config_name, substr(config_hash, 1, 12),"
	    " attempts, tasks, round(avg_score, 1),"
	    " round(best_score, 1), round(worst_score, 1),"
	    " round(100.0 * success_rate, 1),"
	    " round(avg_gen_ms), round(cost_usd, 4), errors"
	    " FROM run_config_performance WHERE run_id = ?1"
	    " ORDER BY avg_score DESC, config_name", &st, err) < 0)
		return -1;
	store_bind_str(st, 1, run);
	r = linef(fn, ctx, "\n%-28s  %-12s  %8s  %5s  %5s  %5s  %5s  %8s  "
	    "%8s  %9s  %6s", "CONFIG", "HASH", "ATTEMPTS", "TASKS", "AVG",
	    "BEST", "WORST", "SUCCESS%", "GEN_MS", "COST_USD", "ERRORS");
	while (r == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW)
		r = linef(fn, ctx, "%-28s  %-12s  %8s  %5s  %5s  %5s  %5s  %8s"
		    "  %8s  %9s  %6s", col(st, 0), col(st, 1), col(st, 2),
		    col(st, 3), col(st, 4), col(st, 5), col(st, 6), col(st, 7),
		    col(st, 8), col(st, 9), col(st, 10));
	sqlite3_finalize(st);
	return r;
}

static long long
scalar(struct ab_store *s, const char *sql)
{
	sqlite3_stmt *st;
	long long v = -1;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

int
ab_store_stats(struct ab_store *s, ab_store_line_fn fn, void *ctx,
    struct ab_error *err)
{
	static const char *const tables[] = { "runs", "configs", "tasks",
	    "task_versions", "results", "calls", "tests", NULL };
	const char *file = sqlite3_db_filename(s->db, "main");
	sqlite3_stmt *st;
	struct stat sb;
	char sql[128];
	long long size = 0, wal = 0;
	int i, r = 0;

	for (i = 0; tables[i] != NULL && r == 0; i++) {
		snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", tables[i]);
		r = linef(fn, ctx, "%-14s %lld", tables[i], scalar(s, sql));
	}
	if (r != 0)
		return r;
	if (file != NULL && stat(file, &sb) == 0)
		size = (long long)sb.st_size;
	snprintf(sql, sizeof sql, "%s-wal", file != NULL ? file : "");
	if (file != NULL && stat(sql, &sb) == 0)
		wal = (long long)sb.st_size;
	if ((r = linef(fn, ctx, "%-14s %lld", "size_bytes", size)) != 0 ||
	    (r = linef(fn, ctx, "%-14s %lld", "wal_bytes", wal)) != 0 ||
	    (r = linef(fn, ctx, "%-14s %lld", "schema",
	    scalar(s, "PRAGMA user_version"))) != 0)
		return r;
	if (prepare(s, "SELECT (SELECT id || ' ' || started FROM runs"
	    " ORDER BY started, id LIMIT 1), (SELECT id || ' ' || started"
	    " FROM runs ORDER BY started DESC, id DESC LIMIT 1)", &st,
	    err) < 0)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW &&
	    (r = linef(fn, ctx, "%-14s %s", "oldest", col(st, 0))) == 0)
		r = linef(fn, ctx, "%-14s %s", "newest", col(st, 1));
	sqlite3_finalize(st);
	return r;
}

int
ab_store_search(struct ab_store *s, const char *query, long limit,
    ab_store_line_fn fn, void *ctx, struct ab_error *err)
{
	sqlite3_stmt *st;
	int rc, r = 0;

	if (prepare(s, "SELECT r.id, r.run_id, replace(replace(snippet(fts,"
	    " -1, '[', ']', '...', 12), char(10), ' '), char(9), ' ')"
	    " FROM fts JOIN results r ON r.rid = fts.rowid"
	    " WHERE fts MATCH ?1 ORDER BY rank, r.rid LIMIT ?2", &st,
	    err) < 0)
		return -1;
	store_bind_str(st, 1, query);
	sqlite3_bind_int64(st, 2, limit > 0 ? limit : -1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		r = linef(fn, ctx, "%s\t%s\t%s", col(st, 0), col(st, 1),
		    col(st, 2));
		if (r != 0)
			break;
	}
	if (r == 0 && rc != SQLITE_DONE)
		r = ab_error_set(err, "invalid", "search: %s",
		    sqlite3_errmsg(s->db));
	sqlite3_finalize(st);
	return r;
}

int
ab_store_note(struct ab_store *s, const char *run, const char *text,
    struct ab_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (run_exists(s, run, err) < 0 ||
	    prepare(s, "UPDATE runs SET notes = ?2 WHERE id = ?1", &st,
	    err) < 0)
		return -1;
	store_bind_str(st, 1, run);
	store_bind_str(st, 2, text != NULL && *text != '\0' ? text : NULL);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_db_error(s, err, "note");
	return 0;
}

int
ab_store_get_note(struct ab_store *s, const char *run, char **out,
    struct ab_error *err)
{
	sqlite3_stmt *st;

	*out = NULL;
	if (run_exists(s, run, err) < 0 ||
	    prepare(s, "SELECT notes FROM runs WHERE id = ?1", &st, err) < 0)
		return -1;
	store_bind_str(st, 1, run);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		*out = ab_xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return 0;
}

/* What only deleted or replaced results referred to goes too (runs left
 * without results, configurations, task versions); the first version
 * still used of a changed task becomes its tasks row again. */
static const char gc_sql[] =
	"DELETE FROM runs WHERE NOT EXISTS (SELECT 1 FROM results r"
	"  WHERE r.run_id = runs.id);"
	"DELETE FROM configs WHERE NOT EXISTS (SELECT 1 FROM results r"
	"  WHERE r.config_hash = configs.hash);"
	"DELETE FROM task_versions WHERE NOT EXISTS (SELECT 1 FROM results r"
	"  WHERE r.task_id = task_versions.id"
	"  AND r.task_hash = task_versions.hash);"
	"DELETE FROM tasks WHERE NOT EXISTS (SELECT 1 FROM results r"
	"  WHERE r.task_id = tasks.id);"
	"CREATE TEMP TABLE IF NOT EXISTS promote(id TEXT, hash TEXT);"
	"DELETE FROM promote;"
	"INSERT INTO promote SELECT t.id, (SELECT r.task_hash FROM results r"
	"  WHERE r.task_id = t.id ORDER BY r.rid LIMIT 1)"
	"  FROM tasks t WHERE NOT EXISTS (SELECT 1 FROM results r"
	"  WHERE r.task_id = t.id AND r.task_hash = t.hash);"
	"DELETE FROM tasks WHERE id IN (SELECT id FROM promote);"
	"INSERT INTO tasks (id, hash, suite, language, difficulty, category,"
	"  json) SELECT v.id, v.hash, v.json ->> '$.suite',"
	"  v.json ->> '$.language', v.json ->> '$.difficulty',"
	"  v.json ->> '$.category', v.json"
	"  FROM promote p JOIN task_versions v ON v.hash = p.hash;"
	"DELETE FROM task_versions WHERE hash IN (SELECT hash FROM promote);"
	"DELETE FROM promote;";

int
store_gc(struct ab_store *s, struct ab_error *err)
{
	return store_exec(s, gc_sql, err);
}

int
ab_store_rm(struct ab_store *s, const char *run, long *nresults,
    struct ab_error *err)
{
	sqlite3_stmt *st;
	int rc;

	*nresults = 0;
	if (store_exec(s, "BEGIN IMMEDIATE", err) < 0)
		return -1;
	if (run_exists(s, run, err) < 0)
		goto fail;
	if (prepare(s, "DELETE FROM results WHERE run_id = ?1", &st, err) < 0)
		goto fail;
	store_bind_str(st, 1, run);
	rc = sqlite3_step(st);
	*nresults = (long)sqlite3_changes(s->db);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		store_db_error(s, err, "deleting results");
		goto fail;
	}
	if (prepare(s, "DELETE FROM runs WHERE id = ?1", &st, err) < 0)
		goto fail;
	store_bind_str(st, 1, run);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		store_db_error(s, err, "deleting the run");
		goto fail;
	}
	if (store_gc(s, err) < 0)
		goto fail;
	return store_exec(s, "COMMIT", err);
fail:
	store_exec(s, "ROLLBACK", NULL);
	return -1;
}

static long
page_size(struct ab_store *s)
{
	sqlite3_stmt *st;
	long n = -1;

	if (sqlite3_prepare_v2(s->db, "PRAGMA page_size", -1, &st, NULL) !=
	    SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

int
ab_store_vacuum(struct ab_store *s, struct ab_error *err)
{
	if (store_exec(s, "BEGIN IMMEDIATE", err) < 0)
		return -1;
	if (store_gc(s, err) < 0 ||
	    store_exec(s, "INSERT INTO fts(fts) VALUES ('optimize')", err) < 0) {
		store_exec(s, "ROLLBACK", NULL);
		return -1;
	}
	if (store_exec(s, "COMMIT", err) < 0)
		return -1;
	if (page_size(s) == STORE_PAGE_SIZE)
		return store_exec(s, "VACUUM; PRAGMA wal_checkpoint(TRUNCATE)",
		    err);
	/* A database made with other pages (4096, SQLite's default, by an
	 * earlier ab-store) gets STORE_PAGE_SIZE now: a WAL database keeps
	 * its page size, so vacuum it with a rollback journal (atomic as
	 * well), then go back to WAL.  Another process with the database
	 * open keeps it in WAL mode: then it is vacuumed as it is. */
	if (store_exec(s, "PRAGMA wal_checkpoint(TRUNCATE);"
	    "PRAGMA journal_mode = DELETE;"
	    "PRAGMA page_size = " STORE_PAGE_SIZE_STR "; VACUUM", err) < 0) {
		struct ab_error e;

		store_exec(s, "PRAGMA journal_mode = WAL", &e);
		return -1;
	}
	/* (The new WAL is empty: a checkpoint now would only say busy.) */
	return store_exec(s, "PRAGMA journal_mode = WAL", err);
}

/* A configuration name that stays inside the directory it is restored to:
 * relative, no empty, "." or ".." components. */
static bool
safe_name(const char *name)
{
	const char *p = name, *slash;
	size_t n;

	if (*name == '\0' || *name == '/')
		return false;
	for (;;) {
		slash = strchr(p, '/');
		n = slash != NULL ? (size_t)(slash - p) : strlen(p);
		if (n == 0 || (n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		if (slash == NULL)
			return true;
		p = slash + 1;
	}
}

/* mkdir -p for the directories of path (not the last component). */
static int
make_dirs(char *path, struct ab_error *err)
{
	char *p;

	for (p = path + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0777) < 0 && errno != EEXIST) {
			ab_error_set(err, "io", "%s: %s", path, strerror(errno));
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	return 0;
}

static int
write_file(const char *path, const char *text, struct ab_error *err)
{
	size_t n = strlen(text);
	FILE *fp;

	if ((fp = fopen(path, "we")) == NULL)
		return ab_error_set(err, "io", "%s: %s", path, strerror(errno));
	if (fwrite(text, 1, n, fp) != n || fputc('\n', fp) == EOF) {
		ab_error_set(err, "io", "%s: %s", path, strerror(errno));
		fclose(fp);
		return -1;
	}
	if (fclose(fp) == EOF)
		return ab_error_set(err, "io", "%s: %s", path, strerror(errno));
	return 0;
}

int
ab_store_restore(struct ab_store *s, const char *run, const char *dir,
    ab_store_line_fn fn, void *ctx, struct ab_error *err)
{
	sqlite3_stmt *st;
	json_t *cfg, *seen = NULL;
	const char *name;
	char *path, *text;
	int rc = SQLITE_DONE, r = 0;

	if (run_exists(s, run, err) < 0)
		return -1;
	/* One record per configuration name, its configuration rebuilt as
	 * the records view does. */
	if (prepare(s, "SELECT p.record -> '$.config' FROM record_parts p"
	    " WHERE p.rid IN (SELECT min(rid) FROM results WHERE run_id = ?1"
	    "   GROUP BY config_name, config_hash)"
	    " ORDER BY p.rid", &st, err) < 0)
		return -1;
	store_bind_str(st, 1, run);
	if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
		sqlite3_finalize(st);
		return ab_error_set(err, "io", "%s: %s", dir, strerror(errno));
	}
	seen = json_object();
	while (r == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		cfg = json_loads((const char *)sqlite3_column_text(st, 0), 0,
		    NULL);
		name = json_string_value(json_object_get(cfg, "name"));
		if (name == NULL || !safe_name(name)) {
			r = ab_error_set(err, "invalid", "configuration name "
			    "\"%s\" would leave %s", name ? name : "", dir);
		} else if (json_object_get(seen, name) != NULL) {
			r = ab_error_set(err, "invalid", "two configurations "
			    "of run %s are named %s", run, name);
		} else {
			json_object_set_new(seen, name, json_true());
			json_object_del(cfg, "hash");
			path = ab_xasprintf("%s/%s.json", dir, name);
			text = json_dumps(cfg, JSON_INDENT(2));
			if (make_dirs(path, err) < 0 ||
			    write_file(path, text, err) < 0)
				r = -1;
			else
				r = fn(path, strlen(path), ctx);
			free(text);
			free(path);
		}
		json_decref(cfg);
	}
	if (r == 0 && rc != SQLITE_DONE)
		r = store_db_error(s, err, "restore");
	sqlite3_finalize(st);
	json_decref(seen);
	return r;
}
