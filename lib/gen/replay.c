/* replay.c - the answers of an earlier run, from its records or from an
 * ab-store database (which alone knows its schema: lib/store). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "genrun.h"
#include "store.h"

struct ab_replay {
	json_t *map;			/* id -> gen (NDJSON source) */
	struct ab_store_lookup *db;	/* ab-store source */
};

struct ab_replay *
ab_replay_open(const char *path, const char *run, ab_replay_bad_fn bad,
    struct ab_error *err)
{
	struct ab_replay *rp;
	struct ab_reader r;
	struct ab_error e;
	enum ab_read rc;
	char magic[16];
	char *files[1];
	json_t *rec;
	FILE *fp;
	size_t n;
	bool found_run = false;

	if ((fp = fopen(path, "re")) == NULL) {
		ab_error_set(err, "io", "%s: %s", path, strerror(errno));
		return NULL;
	}
	n = fread(magic, 1, sizeof magic, fp);
	fclose(fp);
	rp = ab_xcalloc(1, sizeof *rp);
	if (n == sizeof magic && memcmp(magic, "SQLite format 3", 16) == 0) {
		if ((rp->db = ab_store_lookup_open(path, run, err)) == NULL) {
			free(rp);
			return NULL;
		}
		return rp;
	}
	rp->map = json_object();
	files[0] = (char *)path;
	ab_reader_init(&r, files, 1, 0);
	while ((rc = ab_reader_next(&r, &rec, &e)) != AB_READ_EOF) {
		if (rc == AB_READ_IOERR) {
			ab_error_set(err, "io", "%s: %s", path, e.msg);
			ab_reader_release(&r);
			ab_replay_close(rp);
			return NULL;
		}
		if (rc == AB_READ_BAD) {
			if (bad != NULL)
				bad(rc, r.name, r.line, e.msg);
			continue;
		}
		/* A later record of an id wins, as a later run does in a
		 * database. */
		if (ab_get_str(rec, "id") != NULL &&
		    json_is_object(json_object_get(rec, "gen")) &&
		    (run == NULL || (ab_get_str(rec, "run") != NULL &&
		    strcmp(ab_get_str(rec, "run"), run) == 0))) {
			json_object_set(rp->map, ab_get_str(rec, "id"),
			    json_object_get(rec, "gen"));
			found_run = true;
		}
		json_decref(rec);
	}
	ab_reader_release(&r);
	if (run != NULL && !found_run) {
		ab_error_set(err, "replay", "%s: no records of run %s", path,
		    run);
		ab_replay_close(rp);
		return NULL;
	}
	return rp;
}

json_t *
ab_replay_find(struct ab_replay *r, const char *id)
{
	json_t *rec, *gen;

	if (r->map != NULL)
		return json_deep_copy(json_object_get(r->map, id));
	if ((rec = ab_store_lookup(r->db, id)) == NULL)
		return NULL;
	gen = json_deep_copy(json_object_get(rec, "gen"));
	json_decref(rec);
	return json_is_object(gen) ? gen : (json_decref(gen), NULL);
}

void
ab_replay_close(struct ab_replay *r)
{
	if (r == NULL)
		return;
	json_decref(r->map);
	ab_store_lookup_close(r->db);
	free(r);
}
