/*
 * b05-floor - the raw SQLite floor for the ab-store benchmark.
 *
 * usage: b05-floor SOURCE.db TARGET.db
 *
 * Reads every row ab-store wrote into SOURCE (untimed), creates TARGET with
 * the same schema (tables, indexes, triggers, the full-text index, views)
 * and the same pragmas, then times inserting the same rows with one
 * prepared statement per table in one transaction.  Prints the seconds it
 * took and the CPU seconds it used.
 * No JSON is parsed or written: this is what SQLite alone costs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

static const char *const tables[] = { "runs", "configs", "tasks",
	"task_versions", "results", "bodies", "tests", "calls", NULL };

struct table {
	int ncol;
	size_t nrow;
	sqlite3_value **v;	/* nrow * ncol */
	char *insert;
	sqlite3_stmt *st;
};

/* tables[RESULTS] is "results", then "bodies" (a row for each result, in
 * the same order), then tests and calls (rows found by the result's rid,
 * their first column and the first of results). */
#define RESULTS 4
#define BODIES 5

static void die(sqlite3 *db, const char *what);

static void
insert(sqlite3 *db, struct table *t, size_t r)
{
	int c;

	for (c = 0; c < t->ncol; c++)
		sqlite3_bind_value(t->st, c + 1, t->v[r * (size_t)t->ncol +
		    (size_t)c]);
	if (sqlite3_step(t->st) != SQLITE_DONE)
		die(db, t->insert);
	sqlite3_reset(t->st);
}

/* The first row of t (sorted on its first column) whose first column is
 * rid, or where it would be. */
static size_t
first_row(struct table *t, sqlite3_int64 rid)
{
	size_t lo = 0, hi = t->nrow, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (sqlite3_value_int64(t->v[mid * (size_t)t->ncol]) < rid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void
die(sqlite3 *db, const char *what)
{
	fprintf(stderr, "b05-floor: %s: %s\n", what, sqlite3_errmsg(db));
	exit(2);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
cpu(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
load(sqlite3 *db, const char *name, struct table *t)
{
	char sql[256], *p;
	sqlite3_stmt *st;
	size_t cap = 0;
	int i;

	snprintf(sql, sizeof sql, "SELECT * FROM %s ORDER BY rowid", name);
	if (strcmp(name, "tests") == 0 || strcmp(name, "calls") == 0)
		/* the order of their primary key */
		snprintf(sql, sizeof sql, "SELECT * FROM %s ORDER BY "
		    "rid, idx", name);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		die(db, sql);
	t->ncol = sqlite3_column_count(st);
	t->nrow = 0;
	t->v = NULL;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (t->nrow == cap) {
			cap = cap ? cap * 2 : 1024;
			t->v = realloc(t->v, cap * (size_t)t->ncol *
			    sizeof *t->v);
			if (t->v == NULL)
				abort();
		}
		for (i = 0; i < t->ncol; i++)
			t->v[t->nrow * (size_t)t->ncol + (size_t)i] =
			    sqlite3_value_dup(sqlite3_column_value(st, i));
		t->nrow++;
	}
	sqlite3_finalize(st);
	t->insert = malloc(64 + 3 * (size_t)t->ncol);
	if (t->insert == NULL)
		abort();
	p = t->insert + snprintf(t->insert, 64, "INSERT INTO %s VALUES (", name);
	for (i = 0; i < t->ncol; i++)
		p += snprintf(p, 4, i ? ",?" : "?");
	snprintf(p, 2, ")");
}

int
main(int argc, char **argv)
{
	struct table t[8];
	sqlite3 *src, *dst;
	sqlite3_stmt *st;
	double t0, t1, c0, c1;
	size_t r;
	int i, version, page_size;

	if (argc != 3) {
		fprintf(stderr, "usage: b05-floor source.db target.db\n");
		return 2;
	}
	if (sqlite3_open_v2(argv[1], &src, SQLITE_OPEN_READONLY, NULL))
		die(src, argv[1]);
	for (i = 0; tables[i] != NULL; i++)
		load(src, tables[i], &t[i]);
	if (sqlite3_prepare_v2(src, "PRAGMA page_size", -1, &st, NULL) ||
	    sqlite3_step(st) != SQLITE_ROW)
		die(src, "page_size");
	page_size = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	remove(argv[2]);
	if (sqlite3_open(argv[2], &dst) != SQLITE_OK)
		die(dst, argv[2]);
	{
		char sql[64];

		snprintf(sql, sizeof sql, "PRAGMA page_size = %d", page_size);
		sqlite3_exec(dst, sql, NULL, NULL, NULL);
	}
	if (sqlite3_exec(dst, "PRAGMA journal_mode = WAL;"
	    "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -32768;"
	    "PRAGMA temp_store = MEMORY", NULL, NULL, NULL) != SQLITE_OK)
		die(dst, "pragmas");
	/* The same schema, in creation order, without what SQLite makes by
	 * itself (automatic indexes, the full-text index's own tables). */
	if (sqlite3_prepare_v2(src, "SELECT sql FROM sqlite_master WHERE sql"
	    " IS NOT NULL AND name NOT LIKE 'fts\\_%' ESCAPE '\\'"
	    " ORDER BY rowid", -1, &st, NULL) != SQLITE_OK)
		die(src, "schema");
	while (sqlite3_step(st) == SQLITE_ROW)
		if (sqlite3_exec(dst, (const char *)sqlite3_column_text(st, 0),
		    NULL, NULL, NULL) != SQLITE_OK)
			die(dst, (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(src, "PRAGMA user_version", -1, &st, NULL) ||
	    sqlite3_step(st) != SQLITE_ROW)
		die(src, "user_version");
	version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	{
		char sql[64];

		snprintf(sql, sizeof sql, "PRAGMA user_version = %d", version);
		sqlite3_exec(dst, sql, NULL, NULL, NULL);
	}

	if (t[BODIES].nrow != t[RESULTS].nrow) {
		fprintf(stderr, "b05-floor: results and bodies differ\n");
		return 2;
	}
	/* As ab-store writes them: runs, configs and tasks, then each result
	 * followed by its tests and calls. */
	t0 = now();
	c0 = cpu();
	if (sqlite3_exec(dst, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		die(dst, "begin");
	for (i = 0; tables[i] != NULL; i++)
		if (sqlite3_prepare_v2(dst, t[i].insert, -1, &t[i].st, NULL))
			die(dst, t[i].insert);
	for (i = 0; i < RESULTS; i++)
		for (r = 0; r < t[i].nrow; r++)
			insert(dst, &t[i], r);
	for (r = 0; r < t[RESULTS].nrow; r++) {
		sqlite3_int64 rid = sqlite3_value_int64(
		    t[RESULTS].v[r * (size_t)t[RESULTS].ncol]);

		insert(dst, &t[RESULTS], r);
		insert(dst, &t[BODIES], r);
		for (i = BODIES + 1; tables[i] != NULL; i++) {
			size_t k = first_row(&t[i], rid);

			for (; k < t[i].nrow && sqlite3_value_int64(
			    t[i].v[k * (size_t)t[i].ncol]) == rid; k++)
				insert(dst, &t[i], k);
		}
	}
	for (i = 0; tables[i] != NULL; i++)
		sqlite3_finalize(t[i].st);
	if (sqlite3_exec(dst, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		die(dst, "commit");
	t1 = now();
	c1 = cpu();
	sqlite3_close(dst);
	printf("%.3f %.3f\n", t1 - t0, c1 - c0);
	for (i = 0; tables[i] != NULL; i++) {
		for (r = 0; r < t[i].nrow * (size_t)t[i].ncol; r++)
			sqlite3_value_free(t[i].v[r]);
		free(t[i].v);
		free(t[i].insert);
	}
	sqlite3_close(src);
	return 0;
}
