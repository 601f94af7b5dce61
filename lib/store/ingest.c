/* ingest.c - records into the database, once each, in batches. */
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "store-int.h"


static int
step_done(struct ab_store *s, sqlite3_stmt *st, struct ab_error *err,
    const char *what)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return store_db_error(s, err, what);
	return 0;
}

static int
begin(struct ab_store *s, struct ab_error *err)
{
	if (s->in_tx)
		return 0;
	if (step_done(s, s->st[ST_BEGIN], err, "begin") < 0)
		return -1;
	s->in_tx = true;
	s->tx_start = ab_now_ms();
	s->tx_count = 0;
	/* Another writer may have changed the database since our last
	 * transaction (deleted a run, added a task version): forget. */
	json_object_clear(s->tasks);
	json_object_clear(s->configs);
	json_object_clear(s->tx_runs);
	return 0;
}

int
ab_store_commit(struct ab_store *s, struct ab_error *err)
{
	if (!s->in_tx)
		return 0;
	if (step_done(s, s->st[ST_COMMIT], err, "commit") < 0) {
		sqlite3_reset(s->st[ST_ROLLBACK]);
		sqlite3_step(s->st[ST_ROLLBACK]);
		sqlite3_reset(s->st[ST_ROLLBACK]);
		s->in_tx = false;
		return -1;
	}
	s->in_tx = false;
	return 0;
}

void
ab_store_counts(const struct ab_store *s, long *stored, long *kept)
{
	if (stored != NULL)
		*stored = s->stored;
	if (kept != NULL)
		*kept = s->kept;
}

/* What a record must have to be an attempt; NULL or the complaint. */
static const char *
invalid(const json_t *rec)
{
	json_t *v;

	if (!json_is_string(json_object_get(rec, "run")) ||
	    json_string_length(json_object_get(rec, "run")) == 0)
		return "missing string member run";
	v = json_object_get(rec, "task");
	if (!json_is_object(v))
		return "missing object member task";
	if (!json_is_string(json_object_get(v, "id")) ||
	    json_string_length(json_object_get(v, "id")) == 0)
		return "missing string member task.id";
	v = json_object_get(rec, "config");
	if (!json_is_object(v))
		return "missing object member config";
	if (!json_is_string(json_object_get(v, "name")))
		return "missing string member config.name";
	if (!json_is_string(json_object_get(v, "hash")) ||
	    json_string_length(json_object_get(v, "hash")) == 0)
		return "missing string member config.hash";
	v = json_object_get(rec, "sample");
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return "member sample is not a non-negative integer";
	return NULL;
}

/* Remember the largest "planned" (the attempts ab-gen meant to make for
 * the record's configuration in its run) seen for each configuration. */
static void
plan(json_t *state, const json_t *rec)
{
	json_t *p = json_object_get(rec, "planned"), *plans;
	const char *hash = ab_get_str(rec, "config.hash");

	if (!json_is_integer(p) || json_integer_value(p) < 0 || hash == NULL)
		return;
	if ((plans = json_object_get(state, "plans")) == NULL) {
		plans = json_object();
		json_object_set_new(state, "plans", plans);
	}
	if (json_integer_value(p) > ab_get_num(plans, hash, -1) ||
	    json_object_get(plans, hash) == NULL)
		json_object_set_new(plans, hash,
		    json_integer(json_integer_value(p)));
}

/* Make sure the run exists; remember how this handle came to it. */
static int
ensure_run(struct ab_store *s, const json_t *rec, const char *run,
    struct ab_error *err)
{
	json_t *state, *meta, *seed, *lang;
	sqlite3_stmt *st;
	char now[32];

	state = json_object_get(s->runs, run);
	if (state == NULL) {
		meta = ab_get(rec, "store.run");
		state = json_pack("{s:b, s:O?, s:{}}", "import",
		    json_is_object(meta), "meta",
		    json_is_object(meta) ? meta : NULL, "langs");
		json_object_set_new(s->runs, run, state);
		if (!json_is_object(meta) && !s->have_env) {
			ab_store_env_get(&s->env);
			s->have_env = true;
		}
		json_object_del(s->tx_runs, run);
	}
	lang = ab_get(rec, "task.language");
	if (json_is_string(lang) && json_object_get(json_object_get(state,
	    "langs"), json_string_value(lang)) == NULL)
		json_object_set_new(json_object_get(state, "langs"),
		    json_string_value(lang), json_true());
	plan(state, rec);
	if (json_object_get(s->tx_runs, run) != NULL)
		return 0;
	seed = json_object_get(rec, "seed");
	if (seed == NULL)
		seed = ab_get(rec, "gen.seed");
	if (json_is_true(json_object_get(state, "import"))) {
		meta = json_object_get(state, "meta");
		st = s->st[ST_RUN_META];
		store_bind_str(st, 1, run);
		store_bind_json(st, 2, json_object_get(meta, "started"));
		store_bind_json(st, 3, json_object_get(meta, "finished"));
		store_bind_json(st, 4, json_object_get(meta, "status"));
		store_bind_json(st, 5, json_object_get(meta, "notes"));
		store_bind_json(st, 6, json_object_get(meta, "seed"));
		store_bind_json(st, 7, json_object_get(meta, "command"));
		store_bind_json(st, 8, json_object_get(meta, "host"));
		store_bind_json(st, 9, json_object_get(meta, "os"));
		store_bind_json(st, 10, json_object_get(meta, "cwd"));
		if (json_is_object(json_object_get(meta, "toolchain"))) {
			char *tc = json_dumps(json_object_get(meta,
			    "toolchain"), JSON_COMPACT);

			sqlite3_bind_text(st, 11, tc, -1, free);
		}
		store_bind_json(st, 12, json_object_get(meta, "ab_version"));
		store_bind_json(st, 13, json_object_get(meta, "git_commit"));
		if (step_done(s, st, err, "adding the run") < 0)
			return -1;
	} else {
		store_now(now);
		st = s->st[ST_RUN_ENV];
		store_bind_str(st, 1, run);
		store_bind_str(st, 2, now);
		store_bind_json(st, 3, seed);
		store_bind_str(st, 4, s->env.command);
		store_bind_str(st, 5, s->env.host);
		store_bind_str(st, 6, s->env.os);
		store_bind_str(st, 7, s->env.cwd);
		store_bind_str(st, 8, AB_VERSION);
		store_bind_str(st, 9, s->env.git_commit);
		if (step_done(s, st, err, "adding the run") < 0)
			return -1;
		if (sqlite3_changes(s->db) == 0) {
			st = s->st[ST_RUN_RUNNING];
			store_bind_str(st, 1, run);
			store_bind_json(st, 2, seed);
			if (step_done(s, st, err, "updating the run") < 0)
				return -1;
		}
	}
	json_object_set_new(s->tx_runs, run, json_true());
	return 0;
}

/* Store the task version with hash `hash` once. */
static int
ensure_task(struct ab_store *s, const json_t *task, const char *hash,
    struct ab_error *err)
{
	const char *id = json_string_value(json_object_get(task, "id"));
	json_t *c = json_object_get(s->tasks, id);
	sqlite3_stmt *st;
	char *text = NULL;
	const char *have;
	int rc;

	if (c != NULL && strcmp(json_string_value(c), hash) == 0)
		return 0;
	st = s->st[ST_TASK_GET];
	store_bind_str(st, 1, id);
	rc = sqlite3_step(st);
	have = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) :
	    NULL;
	if (rc == SQLITE_ROW && have != NULL && strcmp(have, hash) == 0) {
		sqlite3_reset(st);
		rc = 0;
	} else if (rc == SQLITE_ROW) {
		/* A changed task: the first version seen stays in tasks,
		 * later ones go to task_versions. */
		sqlite3_reset(st);
		text = ab_json_text(task);
		st = s->st[ST_TASKV_INS];
		store_bind_str(st, 1, hash);
		store_bind_str(st, 2, id);
		sqlite3_bind_text(st, 3, text, -1, SQLITE_STATIC);
		rc = step_done(s, st, err, "adding a task version");
		s->replaced++;	/* a version may now be unused: collect */
	} else if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		text = ab_json_text(task);
		st = s->st[ST_TASK_INS];
		store_bind_str(st, 1, id);
		store_bind_str(st, 2, hash);
		store_bind_json(st, 3, json_object_get(task, "suite"));
		store_bind_json(st, 4, json_object_get(task, "language"));
		store_bind_json(st, 5, json_object_get(task, "difficulty"));
		store_bind_json(st, 6, json_object_get(task, "category"));
		sqlite3_bind_text(st, 7, text, -1, SQLITE_STATIC);
		rc = step_done(s, st, err, "adding a task");
	} else {
		sqlite3_reset(st);
		rc = store_db_error(s, err, "looking up a task");
	}
	free(text);
	if (rc == 0)
		json_object_set_new(s->tasks, id, json_string(hash));
	return rc;
}

/*
 * Store the configuration once, by hash.  *exact is set when the record's
 * configuration (secrets removed) is the stored one with its name
 * replaced, so that the record can refer to it.
 */
static int
ensure_config(struct ab_store *s, const json_t *config, bool *exact,
    json_t **stripped, struct ab_error *err)
{
	const char *hash = json_string_value(json_object_get(config, "hash"));
	const char *name = json_string_value(json_object_get(config, "name"));
	json_t *c = json_object_get(s->configs, hash), *stored, *want;
	sqlite3_stmt *st;
	char *text;
	int rc;

	*stripped = NULL;
	if (c != NULL && json_equal(json_object_get(c, "last"), config)) {
		*exact = true;
		return 0;
	}
	*stripped = ab_strip_secrets(config);
	if (c == NULL) {
		st = s->st[ST_CFG_GET];
		store_bind_str(st, 1, hash);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			stored = json_loads((const char *)sqlite3_column_text(st,
			    0), 0, NULL);
			sqlite3_reset(st);
			if (stored == NULL)
				return ab_error_set(err, "db", "configuration "
				    "%s: stored JSON is not valid", hash);
		} else if (rc == SQLITE_DONE) {
			sqlite3_reset(st);
			text = ab_json_text(*stripped);
			st = s->st[ST_CFG_INS];
			store_bind_str(st, 1, hash);
			store_bind_str(st, 2, name);
			sqlite3_bind_text(st, 3, text, -1, free);
			if (step_done(s, st, err, "adding a configuration") < 0)
				return -1;
			stored = json_incref(*stripped);
		} else {
			sqlite3_reset(st);
			return store_db_error(s, err, "looking up a configuration");
		}
		c = json_pack("{s:o, s:n}", "stored", stored, "last");
		json_object_set_new(s->configs, hash, c);
	}
	want = json_deep_copy(json_object_get(c, "stored"));
	json_object_set_new(want, "name", json_string(name));
	*exact = json_equal(want, *stripped);
	json_decref(want);
	if (*exact)
		json_object_set(c, "last", (json_t *)config);
	return 0;
}

/* Number of UTF-8 characters in s[0..n). */
static long
utf8_chars(const char *s, size_t n)
{
	long c = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			c++;
	return c;
}

/* A string member usable as SQL text: no NUL inside. */
static const char *
plain_string(const json_t *v)
{
	const char *s = json_string_value(v);

	if (s == NULL || strlen(s) != json_string_length(v))
		return NULL;
	return s;
}

static const char *
error_kind(const json_t *e)
{
	const char *k;

	if (e == NULL || json_is_null(e))
		return NULL;
	k = json_string_value(json_object_get(e, "kind"));
	if (k != NULL)
		return k;
	return json_is_string(e) ? json_string_value(e) : "error";
}

static int
put_tests(struct ab_store *s, sqlite3_int64 rid, const json_t *tests,
    struct ab_error *err)
{
	sqlite3_stmt *st = s->st[ST_TEST_INS];
	json_t *t;
	size_t i;

	json_array_foreach(tests, i, t) {
		if (!json_is_object(t))
			continue;
		sqlite3_bind_int64(st, 1, rid);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
		store_bind_json(st, 3, json_object_get(t, "name"));
		store_bind_json(st, 4, json_object_get(t, "verdict"));
		store_bind_json(st, 5, json_object_get(t, "weight"));
		store_bind_json(st, 6, json_object_get(t, "time_ms"));
		store_bind_str(st, 7, error_kind(json_object_get(t, "error")));
		if (step_done(s, st, err, "adding a test") < 0)
			return -1;
	}
	return 0;
}

static int
put_calls(struct ab_store *s, sqlite3_int64 rid, const json_t *calls,
    struct ab_error *err)
{
	sqlite3_stmt *st = s->st[ST_CALL_INS];
	json_t *c, *v;
	size_t i;

	json_array_foreach(calls, i, c) {
		if (!json_is_object(c))
			continue;
		sqlite3_bind_int64(st, 1, rid);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
		store_bind_json(st, 3, json_object_get(c, "role"));
		v = json_object_get(c, "name");
		store_bind_json(st, 4, v != NULL ? v : json_object_get(c,
		    "agent"));
		store_bind_json(st, 5, json_object_get(c, "cycle"));
		store_bind_json(st, 6, json_object_get(c, "model"));
		store_bind_json(st, 7, json_object_get(c, "provider"));
		v = ab_get(c, "tokens.in");
		store_bind_json(st, 8, v != NULL ? v : json_object_get(c,
		    "tokens_in"));
		v = ab_get(c, "tokens.out");
		store_bind_json(st, 9, v != NULL ? v : json_object_get(c,
		    "tokens_out"));
		store_bind_json(st, 10, json_object_get(c, "cost_usd"));
		store_bind_json(st, 11, json_object_get(c, "latency_ms"));
		store_bind_json(st, 12, json_object_get(c, "ttft_ms"));
		store_bind_str(st, 13, error_kind(json_object_get(c, "error")));
		if (step_done(s, st, err, "adding a call") < 0)
			return -1;
	}
	return 0;
}

/* The object o with the value of its member key written as 0. */
static void
add_zeroed(struct ab_buf *b, const json_t *o, const char *key)
{
	const char *k;
	json_t *m;
	bool first = true;

	ab_buf_addc(b, '{');
	json_object_foreach((json_t *)o, k, m) {
		if (!first)
			ab_buf_addc(b, ',');
		first = false;
		ab_json_add_key(b, k);
		if (strcmp(k, key) == 0)
			ab_buf_addc(b, '0');
		else
			ab_json_add(b, m);
	}
	ab_buf_addc(b, '}');
}

/*
 * The record minus what lives elsewhere (new): its text without "store",
 * with 0 for each member packed apart (task, config, gen.text,
 * extract.code) and config in place of its configuration when given.
 * Written member by member, as ab_json_text would write the record so
 * changed, into b (reused) and copied out once.
 */
static char *
make_rest(const json_t *rec, int packed, const json_t *config,
    struct ab_buf *b)
{
	const char *k;
	json_t *m;
	char *text;
	bool first = true;

	ab_buf_reset(b);
	ab_buf_addc(b, '{');
	json_object_foreach((json_t *)rec, k, m) {
		if (strcmp(k, "store") == 0)
			continue;
		if (!first)
			ab_buf_addc(b, ',');
		first = false;
		ab_json_add_key(b, k);
		if ((strcmp(k, "task") == 0 && (packed & PACK_TASK)) ||
		    (strcmp(k, "config") == 0 && (packed & PACK_CONFIG)))
			ab_buf_addc(b, '0');
		else if (strcmp(k, "config") == 0 && config != NULL)
			ab_json_add(b, config);
		else if (strcmp(k, "gen") == 0 && (packed & PACK_ANSWER))
			add_zeroed(b, m, "text");
		else if (strcmp(k, "extract") == 0 && (packed & PACK_CODE))
			add_zeroed(b, m, "code");
		else
			ab_json_add(b, m);
	}
	ab_buf_addc(b, '}');
	text = ab_xmalloc(b->len + 1);
	memcpy(text, b->s, b->len + 1);
	return text;
}

struct ab_store_cache *
ab_store_cache_new(void)
{
	struct ab_store_cache *c = ab_xcalloc(1, sizeof *c);

	c->tasks = json_object();
	return c;
}

void
ab_store_cache_free(struct ab_store_cache *c)
{
	if (c == NULL)
		return;
	json_decref(c->tasks);
	store_line_cache_free(c->lines);
	ab_buf_release(&c->rest);
	free(c);
}

void
ab_store_prep_free(struct ab_store_prep *p)
{
	if (p == NULL)
		return;
	json_decref(p->rec);
	free(p->rest);
	free(p);
}

struct ab_store_prep *
ab_store_prepare(const json_t *rec, struct ab_store_cache *cache,
    struct ab_error *err)
{
	const char *id = json_string_value(json_object_get(rec, "id"));
	const char *why, *found, *tid;
	struct ab_store_prep *p;
	json_t *task, *m, *c;
	char *canon;
	int i;

	if (id == NULL || *id == '\0') {
		ab_error_set(err, "invalid", "record has no string member id");
		return NULL;
	}
	if ((why = invalid(rec)) != NULL) {
		ab_error_set(err, "invalid", "record %s: %s", id, why);
		return NULL;
	}
	p = ab_xcalloc(1, sizeof *p);
	p->rec = json_incref((json_t *)rec);
	p->id = id;
	p->run = json_string_value(json_object_get(rec, "run"));
	/* A request of ab-gen --load (or its summary), not an attempt. */
	p->kind = json_is_object(json_object_get(rec, "load")) ? "load" :
	    "attempt";
	for (i = 0; ab_stages[i] != NULL; i++) {
		m = json_object_get(rec, ab_stages[i]);
		if (m == NULL)
			continue;
		p->stage = i + 1;
		if (p->estage == NULL && json_is_object(m) &&
		    (p->ekind = error_kind(json_object_get(m, "error"))) !=
		    NULL)
			p->estage = ab_stages[i];
	}

	/* The task's hash, computed once per version of each task. */
	task = json_object_get(rec, "task");
	tid = json_string_value(json_object_get(task, "id"));
	c = json_object_get(cache->tasks, tid);
	if (c != NULL && json_equal(json_object_get(c, "task"), task)) {
		snprintf(p->thash, sizeof p->thash, "%s",
		    json_string_value(json_object_get(c, "hash")));
	} else {
		canon = ab_canonical(task);
		ab_sha256_hex(canon, strlen(canon), p->thash);
		free(canon);
		json_object_set_new(cache->tasks, tid, json_pack("{s:s, s:O}",
		    "hash", p->thash, "task", task));
	}

	p->packed = PACK_TASK | PACK_CONFIG;
	p->answer = plain_string(ab_get(rec, "gen.text"));
	if (p->answer != NULL)
		p->packed |= PACK_ANSWER;
	p->code = plain_string(ab_get(rec, "extract.code"));
	if (p->code != NULL) {
		p->packed |= PACK_CODE;
		if (p->answer != NULL && *p->code != '\0' &&
		    (found = strstr(p->answer, p->code)) != NULL) {
			p->found = true;
			p->code_off = utf8_chars(p->answer, (size_t)(found -
			    p->answer)) + 1;
			p->code_len = utf8_chars(p->code, strlen(p->code));
		}
	}
	/* Assuming the configuration is the stored one; ab_store_put_prep
	 * redoes this in the rare case it is not. */
	p->rest = make_rest(rec, p->packed, NULL, &cache->rest);
	return p;
}

enum ab_store_put
ab_store_put(struct ab_store *s, const json_t *rec, struct ab_error *err)
{
	struct ab_store_prep *p;
	enum ab_store_put r;

	if (s->cache == NULL)
		s->cache = ab_store_cache_new();
	if ((p = ab_store_prepare(rec, s->cache, err)) == NULL)
		return AB_STORE_INVALID;
	r = ab_store_put_prep(s, p, err);
	ab_store_prep_free(p);
	return r;
}

enum ab_store_put
ab_store_put_prep(struct ab_store *s, struct ab_store_prep *p,
    struct ab_error *err)
{
	const json_t *rec = p->rec;
	json_t *task, *config, *gen, *exec, *score, *stripped = NULL;
	sqlite3_stmt *st;
	bool exact = false;
	enum ab_store_put result = AB_STORE_STORED;
	bool replacing = false;
	sqlite3_int64 rid;
	char *rest;
	int rc, stored_stage;

	task = json_object_get(rec, "task");
	config = json_object_get(rec, "config");
	gen = json_object_get(rec, "gen");
	exec = json_object_get(rec, "exec");
	score = json_object_get(rec, "score");
	if (begin(s, err) < 0)
		return AB_STORE_ERROR;

	/* Insert; when the run has the id already, a later stage stored
	 * wins and the same or a later one replaces it.  Another run's
	 * result with the same id is another result. */
	for (;;) {
		st = s->st[ST_RES_INS];
		store_bind_str(st, 1, p->id);
		store_bind_str(st, 2, p->run);
		store_bind_json(st, 3, json_object_get(task, "id"));
		store_bind_str(st, 4, p->thash);
		store_bind_json(st, 5, json_object_get(config, "hash"));
		store_bind_json(st, 6, json_object_get(config, "name"));
		store_bind_json(st, 7, json_object_get(rec, "sample"));
		sqlite3_bind_int(st, 8, p->stage);
		store_bind_json(st, 9, json_object_get(task, "language"));
		store_bind_json(st, 10, json_object_get(task, "difficulty"));
		store_bind_json(st, 11, json_object_get(task, "category"));
		store_bind_json(st, 12, json_object_get(gen, "model"));
		store_bind_json(st, 13, json_object_get(gen, "provider"));
		store_bind_json(st, 14, json_object_get(gen, "cached"));
		store_bind_json(st, 15, json_object_get(exec, "verdict"));
		store_bind_json(st, 16, json_object_get(exec, "passed"));
		store_bind_json(st, 17, json_object_get(exec, "total"));
		store_bind_json(st, 18, json_object_get(score, "total"));
		store_bind_json(st, 19, json_object_get(score, "grade"));
		store_bind_json(st, 20, json_object_get(score, "success"));
		store_bind_json(st, 21, ab_get(gen, "tokens.in"));
		store_bind_json(st, 22, ab_get(gen, "tokens.out"));
		store_bind_json(st, 23, json_object_get(gen, "cost_usd"));
		store_bind_json(st, 24, json_object_get(gen, "latency_ms"));
		store_bind_json(st, 25, json_object_get(gen, "ttft_ms"));
		store_bind_json(st, 26, json_object_get(exec, "cpu_ms"));
		store_bind_json(st, 27, json_object_get(exec, "wall_ms"));
		store_bind_json(st, 28, json_object_get(exec, "peak_kb"));
		store_bind_str(st, 29, p->estage);
		store_bind_str(st, 30, p->ekind);
		sqlite3_bind_text(st, 31, p->kind, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		if (rc == SQLITE_DONE)
			break;
		if (sqlite3_extended_errcode(s->db) !=
		    SQLITE_CONSTRAINT_UNIQUE || replacing)
			return store_db_error(s, err, "adding a result"),
			    AB_STORE_ERROR;
		st = s->st[ST_RES_GET];
		store_bind_str(st, 1, p->id);
		store_bind_str(st, 2, p->run);
		rc = sqlite3_step(st);
		stored_stage = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
		sqlite3_reset(st);
		if (rc != SQLITE_ROW)
			return store_db_error(s, err, "looking up a result"),
			    AB_STORE_ERROR;
		if (stored_stage > p->stage) {
			s->kept++;
			result = AB_STORE_KEPT;
			goto counted;
		}
		st = s->st[ST_RES_DEL];
		store_bind_str(st, 1, p->id);
		store_bind_str(st, 2, p->run);
		if (step_done(s, st, err, "replacing a result") < 0)
			return AB_STORE_ERROR;
		s->replaced++;
		replacing = true;
	}
	rid = sqlite3_last_insert_rowid(s->db);

	if (ensure_run(s, rec, p->run, err) < 0 ||
	    ensure_task(s, task, p->thash, err) < 0 ||
	    ensure_config(s, config, &exact, &stripped, err) < 0) {
		json_decref(stripped);
		return AB_STORE_ERROR;
	}
	rest = p->rest;
	p->rest = NULL;
	if (!exact) {
		struct ab_buf b = AB_BUF_INIT;

		free(rest);
		p->packed &= ~PACK_CONFIG;
		rest = make_rest(rec, p->packed, stripped != NULL ? stripped :
		    config, &b);
		ab_buf_release(&b);
	}
	json_decref(stripped);

	st = s->st[ST_BODY_INS];
	sqlite3_bind_int64(st, 1, rid);
	sqlite3_bind_int(st, 2, p->packed);
	if (p->answer != NULL)
		sqlite3_bind_text(st, 3, p->answer, -1, SQLITE_STATIC);
	if (p->found) {
		sqlite3_bind_int64(st, 4, p->code_off);
		sqlite3_bind_int64(st, 5, p->code_len);
	} else if (p->code != NULL) {
		sqlite3_bind_text(st, 6, p->code, -1, SQLITE_STATIC);
	}
	sqlite3_bind_text(st, 7, rest, -1, free);
	if (step_done(s, st, err, "adding a result") < 0)
		return AB_STORE_ERROR;
	if (put_tests(s, rid, ab_get(exec, "tests"), err) < 0 ||
	    put_calls(s, rid, ab_get(gen, "calls"), err) < 0)
		return AB_STORE_ERROR;
	s->stored++;
counted:
	if (++s->tx_count >= s->o.batch ||
	    ab_now_ms() - s->tx_start >= (double)s->o.batch_ms) {
		if (ab_store_commit(s, err) < 0)
			return AB_STORE_ERROR;
	}
	return result;
}

/* The status of a run: "complete"; "partial D/P" (D of P attempts) when its
 * configurations have fewer attempts stored than ab-gen planned (counted
 * over the whole database, so that a resumed run completes it); "partial"
 * when the ingest itself was cut short (ok false).  New string, or NULL
 * with err set. */
static char *
run_status(struct ab_store *s, const char *run, const json_t *plans, bool ok,
    struct ab_error *err)
{
	sqlite3_stmt *st;
	const char *hash;
	json_t *v;
	long long done = 0, planned = 0, n;

	if (json_object_size(plans) > 0) {
		if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM results "
		    "WHERE run_id = ?1 AND config_hash = ?2", -1, &st,
		    NULL) != SQLITE_OK) {
			store_db_error(s, err, "counting a run");
			return NULL;
		}
		json_object_foreach((json_t *)plans, hash, v) {
			store_bind_str(st, 1, run);
			store_bind_str(st, 2, hash);
			n = sqlite3_step(st) == SQLITE_ROW ?
			    sqlite3_column_int64(st, 0) : 0;
			sqlite3_reset(st);
			/* More than planned: several processes shared the
			 * run id, each with its own plan. */
			done += n < json_integer_value(v) ? n :
			    json_integer_value(v);
			planned += json_integer_value(v);
		}
		sqlite3_finalize(st);
		if (done < planned)
			return ab_xasprintf("partial %lld/%lld",
			    done, planned);
	}
	return ab_xstrdup(ok ? "complete" : "partial");
}

static int
update_run(struct ab_store *s, const char *run, const char *now,
    const char *status, const char *toolchain, struct ab_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db, "UPDATE runs SET finished = ?2,"
	    " status = ?3, toolchain = ?4 WHERE id = ?1", -1, &st,
	    NULL) != SQLITE_OK)
		return store_db_error(s, err, "finishing a run");
	store_bind_str(st, 1, run);
	store_bind_str(st, 2, now);
	store_bind_str(st, 3, status);
	store_bind_str(st, 4, toolchain);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_db_error(s, err, "finishing a run");
	return 0;
}

int
ab_store_finish(struct ab_store *s, bool ok, struct ab_error *err)
{
	const char *run, *lang;
	json_t *state, *tc, *v;
	sqlite3_stmt *st = NULL;
	char now[32], *text, *status;
	int rc = 0;

	if (ab_store_commit(s, err) < 0)
		return -1;
	if (json_object_size(s->runs) == 0)
		return 0;
	if (begin(s, err) < 0)
		return -1;
	if (sqlite3_prepare_v2(s->db, "SELECT toolchain FROM runs WHERE id = ?1",
	    -1, &st, NULL) != SQLITE_OK)
		return store_db_error(s, err, "finishing runs");
	store_now(now);
	json_object_foreach(s->runs, run, state) {
		if (json_is_true(json_object_get(state, "import")))
			continue;
		store_bind_str(st, 1, run);
		tc = NULL;
		if (sqlite3_step(st) == SQLITE_ROW &&
		    sqlite3_column_text(st, 0) != NULL)
			tc = json_loads((const char *)sqlite3_column_text(st, 0),
			    0, NULL);
		sqlite3_reset(st);
		if (!json_is_object(tc)) {
			json_decref(tc);
			tc = json_object();
		}
		json_object_foreach(json_object_get(state, "langs"), lang, v)
			ab_store_toolchain_add(tc, lang);
		text = json_dumps(tc, JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(tc);
		status = run_status(s, run, json_object_get(state, "plans"),
		    ok, err);
		rc = status == NULL ? -1 : update_run(s, run, now, status,
		    text, err);
		free(status);
		free(text);
		if (rc < 0)
			break;
	}
	sqlite3_finalize(st);
	if (rc == 0 && s->replaced > 0)
		rc = store_gc(s, err);
	if (rc < 0)
		return -1;
	return ab_store_commit(s, err);
}

void
ab_store_threads_init(void)
{
	char hash[65];

	/* libcrypto registers its clean-up at exit when first used. */
	ab_sha256_hex("", 0, hash);
}

void
ab_store_thread_end(void)
{
	/* Task hashes use libcrypto, which keeps state for each thread. */
	OPENSSL_thread_stop();
	ab_store_json_pool_drain();
}

/* Blocks of up to POOL_CLASSES * 16 bytes, by 16, at most POOL_KEEP of a
 * size kept by each thread. */
#define POOL_CLASSES	16
#define POOL_KEEP	4096

struct pool_block {
	struct pool_block *next;
};

static __thread struct pool_block *pool_head[POOL_CLASSES];
static __thread unsigned pool_n[POOL_CLASSES];

static void *
pool_malloc(size_t n)
{
	size_t c = n == 0 ? 0 : (n - 1) / 16;
	struct pool_block *b;

	if (c >= POOL_CLASSES)
		return malloc(n);
	if ((b = pool_head[c]) != NULL) {
		pool_head[c] = b->next;
		pool_n[c]--;
		return b;
	}
	return malloc((c + 1) * 16);
}

static void
pool_free(void *p)
{
	size_t c;

	if (p == NULL)
		return;
	/* Any malloc block of usable size u serves requests of up to
	 * u rounded down to 16 bytes. */
	c = malloc_usable_size(p) / 16;
	if (c == 0 || c > POOL_CLASSES || pool_n[c - 1] >= POOL_KEEP) {
		free(p);
		return;
	}
	((struct pool_block *)p)->next = pool_head[c - 1];
	pool_head[c - 1] = p;
	pool_n[c - 1]++;
}

void
ab_store_json_pool(bool on)
{
#ifndef __SANITIZE_ADDRESS__	/* which should see every free */
	json_set_alloc_funcs(on ? pool_malloc : malloc, on ? pool_free : free);
#endif
	if (!on)
		ab_store_json_pool_drain();
}

void
ab_store_json_pool_drain(void)
{
	struct pool_block *b;
	int c;

	for (c = 0; c < POOL_CLASSES; c++) {
		while ((b = pool_head[c]) != NULL) {
			pool_head[c] = b->next;
			free(b);
		}
		pool_n[c] = 0;
	}
}
