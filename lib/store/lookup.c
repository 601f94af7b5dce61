/* lookup.c - records read back by id (ab-gen --replay), and the column
 * test readers of older schemas use. */
#include <stdlib.h>
#include <string.h>

#include "store-int.h"

struct ab_store_lookup {
	sqlite3 *db;
	sqlite3_stmt *st;
	char *run;		/* new, or NULL */
};

bool
ab_store_has_column(struct sqlite3 *db, const char *table, const char *col)
{
	sqlite3_stmt *st;
	bool yes;

	if (sqlite3_prepare_v2(db, "SELECT 1 FROM pragma_table_info(?1) "
	    "WHERE name = ?2", -1, &st, NULL) != SQLITE_OK)
		return false;
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, col, -1, SQLITE_STATIC);
	yes = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return yes;
}

/*
 * The records view.  Record ids do not name the run, so several runs may
 * hold an id: the chosen run's record, else the latest run's (by
 * runs.started, then by the order stored), as far as the database tells
 * them apart.
 */
struct ab_store_lookup *
ab_store_lookup_open(const char *path, const char *run, struct ab_error *err)
{
	struct ab_store_lookup *l = ab_xcalloc(1, sizeof *l);
	struct ab_buf sql = AB_BUF_INIT;
	sqlite3_stmt *st;
	bool runs, rid;
	int rc;

	if (sqlite3_open_v2(path, &l->db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK) {
		ab_error_set(err, "db", "%s: %s", path, sqlite3_errmsg(l->db));
		goto fail;
	}
	runs = ab_store_has_column(l->db, "runs", "started");
	rid = ab_store_has_column(l->db, "records", "rid");
	ab_buf_adds(&sql, "SELECT r.record FROM records r");
	if (runs && run == NULL)
		ab_buf_adds(&sql, " LEFT JOIN runs u ON u.id = r.run_id");
	ab_buf_adds(&sql, " WHERE r.id = ?1");
	if (run != NULL)
		ab_buf_adds(&sql, " AND r.run_id = ?2");
	else if (runs || rid)
		ab_buf_addf(&sql, " ORDER BY %s%s%s", runs ? "u.started DESC" :
		    "", runs && rid ? ", " : "", rid ? "r.rid DESC" : "");
	ab_buf_adds(&sql, " LIMIT 1");
	rc = sqlite3_prepare_v2(l->db, sql.s, -1, &l->st, NULL);
	ab_buf_release(&sql);
	if (rc != SQLITE_OK) {
		ab_error_set(err, "db", "%s: cannot read records (%s): "
		    "not an ab-store database?", path, sqlite3_errmsg(l->db));
		goto fail;
	}
	if (run == NULL)
		return l;
	l->run = ab_xstrdup(run);
	if (sqlite3_prepare_v2(l->db, "SELECT 1 FROM records WHERE "
	    "run_id = ?1 LIMIT 1", -1, &st, NULL) != SQLITE_OK) {
		ab_error_set(err, "db", "%s: %s", path, sqlite3_errmsg(l->db));
		goto fail;
	}
	sqlite3_bind_text(st, 1, run, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW) {
		ab_error_set(err, "db", "%s: no records of run %s", path, run);
		goto fail;
	}
	return l;
fail:
	ab_store_lookup_close(l);
	return NULL;
}

json_t *
ab_store_lookup(struct ab_store_lookup *l, const char *id)
{
	const unsigned char *txt;
	json_t *rec = NULL;

	sqlite3_reset(l->st);
	sqlite3_bind_text(l->st, 1, id, -1, SQLITE_TRANSIENT);
	if (l->run != NULL)
		sqlite3_bind_text(l->st, 2, l->run, -1, SQLITE_STATIC);
	if (sqlite3_step(l->st) == SQLITE_ROW &&
	    (txt = sqlite3_column_text(l->st, 0)) != NULL)
		rec = json_loads((const char *)txt, 0, NULL);
	sqlite3_reset(l->st);
	return rec;
}

void
ab_store_lookup_close(struct ab_store_lookup *l)
{
	if (l == NULL)
		return;
	sqlite3_finalize(l->st);
	sqlite3_close(l->db);
	free(l->run);
	free(l);
}
