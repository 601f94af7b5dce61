/* cache.c - the content-addressed answer cache and the spending ledger. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "gen.h"

void
ab_cache_key(const struct ab_agent *a, const json_t *messages, int sample,
    char out[65])
{
	json_t *body, *k;
	char *s;

	/* The request as sent, minus the way it travels (streamed or not):
	 * a streamed answer serves a later unstreamed request. */
	body = ab_wire_request(a, messages, false);
	json_object_del(body, "stream");
	k = json_pack("{s:i, s:s, s:s, s:o, s:i}", "v", 1, "provider",
	    ab_provider_name(a->provider), "url", a->url ? a->url : "",
	    "request", body, "sample", sample);
	s = ab_canonical(k);
	ab_sha256_hex(s, strlen(s), out);
	free(s);
	json_decref(k);
}

/* mkdir -p for the directories of path (not the last component). */
static int
make_dirs(char *path)
{
	char *p;

	for (p = path + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0700) < 0 && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	return 0;
}

struct ab_cache {
	sqlite3 *db;
	sqlite3_stmt *get, *put;
	int pending;		/* entries in the open transaction */
	double since;		/* when it began */
};

bool
ab_cache_dirty(const struct ab_cache *c)
{
	return c != NULL && c->pending > 0;
}

int
ab_cache_flush(struct ab_cache *c, struct ab_error *err)
{
	if (c == NULL || c->pending == 0)
		return 0;
	if (sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		return ab_error_set(err, "cache", "cannot store answers: %s",
		    sqlite3_errmsg(c->db));
	c->pending = 0;
	return 0;
}

void
ab_cache_close(struct ab_cache *c)
{
	if (c == NULL)
		return;
	ab_cache_flush(c, NULL);
	sqlite3_finalize(c->get);
	sqlite3_finalize(c->put);
	sqlite3_close(c->db);
	free(c);
}

struct ab_cache *
ab_cache_open(const char *dir, struct ab_error *err)
{
	struct ab_cache *c = ab_xcalloc(1, sizeof *c);
	char *path = ab_xasprintf("%s/gen.sqlite", dir);

	if (make_dirs(path) < 0) {
		ab_error_set(err, "cache", "%s: %s", dir, strerror(errno));
		goto fail;
	}
	if (sqlite3_open_v2(path, &c->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		goto dberr;
	sqlite3_busy_timeout(c->db, 30000);
	/* WAL: readers and writers of several processes at once; NORMAL:
	 * a commit is a write, not an fsync (a crash of the machine may lose
	 * the last answers, which are then asked again). */
	if (sqlite3_exec(c->db, "PRAGMA journal_mode=WAL; "
	    "PRAGMA synchronous=NORMAL; "
	    "CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, "
	    "entry TEXT NOT NULL, created TEXT NOT NULL DEFAULT "
	    "(strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))", NULL, NULL, NULL) !=
	    SQLITE_OK)
		goto dberr;
	if (sqlite3_prepare_v2(c->db, "SELECT entry FROM answers WHERE key = "
	    "?1", -1, &c->get, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(c->db, "INSERT OR REPLACE INTO answers (key, "
	    "entry) VALUES (?1, ?2)", -1, &c->put, NULL) != SQLITE_OK)
		goto dberr;
	free(path);
	return c;
dberr:
	ab_error_set(err, "cache", "%s: %s", path, c->db != NULL ?
	    sqlite3_errmsg(c->db) : "cannot open");
fail:
	free(path);
	ab_cache_close(c);
	return NULL;
}

json_t *
ab_cache_get(struct ab_cache *c, const char *key)
{
	const unsigned char *txt;
	json_t *j = NULL;

	sqlite3_reset(c->get);
	sqlite3_bind_text(c->get, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(c->get) == SQLITE_ROW &&
	    (txt = sqlite3_column_text(c->get, 0)) != NULL)
		j = json_loads((const char *)txt, 0, NULL);
	sqlite3_reset(c->get);
	if (j != NULL && !json_is_string(json_object_get(j, "text"))) {
		json_decref(j);
		return NULL;
	}
	return j;
}

int
ab_cache_put(struct ab_cache *c, const char *key, const json_t *entry,
    struct ab_error *err)
{
	char *s = json_dumps(entry, JSON_COMPACT);
	int rc;

	if (s == NULL)
		return ab_error_set(err, "cache", "cannot encode an entry");
	if (c->pending == 0) {
		if (sqlite3_exec(c->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
		    SQLITE_OK) {
			free(s);
			return ab_error_set(err, "cache", "cannot store an "
			    "answer: %s", sqlite3_errmsg(c->db));
		}
		c->since = ab_now_ms();
	}
	sqlite3_reset(c->put);
	sqlite3_bind_text(c->put, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(c->put, 2, s, -1, SQLITE_STATIC);
	rc = sqlite3_step(c->put);
	sqlite3_reset(c->put);
	free(s);
	c->pending++;
	if (rc != SQLITE_DONE) {
		ab_error_set(err, "cache", "cannot store an answer: %s",
		    sqlite3_errmsg(c->db));
		ab_cache_flush(c, NULL);
		return -1;
	}
	if (c->pending >= 256 || ab_now_ms() - c->since >= 100)
		return ab_cache_flush(c, err);
	return 0;
}

int
ab_ledger_add(const char *dir, const char *run, double usd, double *total,
    struct ab_error *err)
{
	char *p, buf[64], *end;
	ssize_t n;
	double v = 0;
	int fd, rc = 0;

	if (strchr(run, '/') != NULL || strcmp(run, "..") == 0 ||
	    strcmp(run, ".") == 0)
		return ab_error_set(err, "budget", "run id %s cannot name a "
		    "ledger file", run);
	p = ab_xasprintf("%s/budget/%s", dir, run);
	fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0 && errno == ENOENT && make_dirs(p) == 0)
		fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		rc = ab_error_set(err, "budget", "%s: %s", p, strerror(errno));
		free(p);
		return rc;
	}
	if (flock(fd, LOCK_EX) < 0) {
		rc = ab_error_set(err, "budget", "%s: lock: %s", p,
		    strerror(errno));
		goto out;
	}
	n = pread(fd, buf, sizeof buf - 1, 0);
	if (n > 0) {
		buf[n] = '\0';
		v = strtod(buf, &end);
		if (end == buf || v < 0)
			v = 0;
	}
	if (usd != 0) {
		v += usd;
		if (v < 1e-12)
			v = 0;	/* rounding after a reservation is released */
		n = snprintf(buf, sizeof buf, "%.10f\n", v);
		if (pwrite(fd, buf, (size_t)n, 0) != n ||
		    ftruncate(fd, n) < 0)
			rc = ab_error_set(err, "budget", "%s: %s", p,
			    strerror(errno));
	}
	*total = v;
out:
	close(fd);	/* releases the lock */
	free(p);
	return rc;
}
