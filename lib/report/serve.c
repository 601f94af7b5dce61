/*
 * serve.c - ab-rank --serve: a read-only HTTP server (GNU libmicrohttpd)
 * over an ab-store database that a pipeline may be writing at the same
 * time.  Every view is the command line's: the same model load, the same
 * view code and the same writer, into a memory buffer, so the bytes of
 * /api/VIEW are those of `ab-rank -d DB -f ndjson VIEW` with the same
 * filters.  The database is opened read-only for each request and never
 * written; nothing is started.
 *
 * Requests are bounded: GET only, no body, at most 64 KiB of request
 * (libmicrohttpd answers 414/431 beyond), query parameters from a fixed
 * list with lengths and numbers checked, idle connections dropped after a
 * timeout, at most a few views computed at once (the others wait), and
 * responses cached per database version.
 *
 * libmicrohttpd is loaded when a server starts (mhd_load), not when
 * ab-rank starts: it brings GnuTLS, p11-kit, nettle, GMP and ten more
 * libraries, whose loading would double the start-up time of every other
 * use of ab-rank.
 */
#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <microhttpd.h>
#include <sqlite3.h>

#include "report.h"

#define MAX_PARAMS	64	/* query parameters per request */
#define MAX_VALUE	256	/* bytes of one parameter value */
#define MAX_LIST	16	/* repeated run / config / compare values */
#define NCACHE		16	/* cached responses */
#define CACHE_BYTES	(64u << 20)
#define MAX_WAITERS	16	/* long polls of /api/version at once */

/* The library the build compiled against (the Makefile reads its soname). */
#ifndef AB_MHD_SONAME
#define AB_MHD_SONAME "libmicrohttpd.so.12"
#endif

/* The functions of libmicrohttpd used here, filled once by mhd_load and
 * read-only after. */
static struct {
	__typeof__(MHD_start_daemon) *start_daemon;
	__typeof__(MHD_stop_daemon) *stop_daemon;
	__typeof__(MHD_get_daemon_info) *get_daemon_info;
	__typeof__(MHD_get_connection_values) *get_connection_values;
	__typeof__(MHD_lookup_connection_value) *lookup_connection_value;
	__typeof__(MHD_create_response_from_buffer)
	    *create_response_from_buffer;
	__typeof__(MHD_add_response_header) *add_response_header;
	__typeof__(MHD_queue_response) *queue_response;
	__typeof__(MHD_destroy_response) *destroy_response;
} mhd;
static pthread_once_t mhd_once = PTHREAD_ONCE_INIT;
static char mhd_error[512];	/* why loading failed, or empty */

struct centry {
	char *key;		/* owned */
	char *body;		/* owned */
	size_t len;
	long version;
	int status;
	const char *type;	/* static */
	unsigned long tick;
};

struct rk_server {
	struct MHD_Daemon *d;
	struct rk_serve_opts o;	/* strings borrowed */
	char *page;		/* the dashboard, with its style sheet */
	unsigned port;
	pthread_mutex_t mu;	/* guards everything below */
	pthread_cond_t cv;	/* a computation slot came free */
	struct rk_watch *w;	/* watches for changes, owned */
	long long dv;		/* its last PRAGMA data_version */
	long version;		/* bumped when another connection commits */
	long long max_rid;
	int busy, waiters;
	bool stopping;		/* under mu: rk_serve_stop has begun */
	/* The warmer: a thread that computes the dashboard's first view
	 * (the unfiltered leaderboard) into the cache when the database
	 * changes, so that a page opened then paints from the cache. */
	pthread_t warmer;
	bool warmer_on;
	pthread_cond_t wcv;	/* version checked, warm done, or stopping */
	long warm_version;	/* the version warmed or being warmed */
	bool warming;		/* a warm of warm_version is under way */
	time_t last_request;	/* warm only while someone is looking */
	struct centry cache[NCACHE];
	size_t cache_bytes;
	unsigned long tick;
};

/* One request's parameters, validated. */
struct query {
	char *runs[MAX_LIST], *configs[MAX_LIST], *compare[MAX_LIST];
	int nruns, nconfigs, ncompare, n;
	const char *language, *difficulty, *category, *since, *until;
	struct rk_opts o;
	char *by[4];
	long limit, offset, rid, after, wait;
	bool pool;		/* every run of a configuration (--pool) */
	enum rk_format fmt;
	struct ab_buf key;	/* the normalised query, for the cache */
	char err[512];		/* first problem, or "" */
};

bool
rk_addr_is_loopback(const char *addr)
{
	struct in_addr a4;
	struct in6_addr a6;

	if (inet_pton(AF_INET, addr, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, addr, &a6) == 1)
		return IN6_IS_ADDR_LOOPBACK(&a6) || (IN6_IS_ADDR_V4MAPPED(&a6) &&
		    a6.s6_addr[12] == 127);
	return false;
}

/* ---- the database version: a counter bumped on each outside commit -------- */

/* Called with s->mu held. */
static long
version_locked(struct rk_server *s)
{
	struct rk_watch_state st;
	struct ab_error e;

	if (s->w == NULL && (s->w = rk_watch_open(s->o.db, &e)) == NULL)
		return s->version;
	if (rk_watch_poll(s->w, NULL, 0, &st, &e) < 0)
		return s->version;
	if (st.data_version != s->dv || s->version == 0) {
		s->dv = st.data_version;
		s->version++;
		s->max_rid = st.max_rid;
	}
	return s->version;
}

static long
version(struct rk_server *s, long long *max_rid)
{
	long v;

	pthread_mutex_lock(&s->mu);
	v = version_locked(s);
	if (max_rid != NULL)
		*max_rid = s->max_rid;
	pthread_mutex_unlock(&s->mu);
	return v;
}

/* ---- the cache --------------------------------------------------------------- */

static bool
cache_get(struct rk_server *s, const char *key, long v, char **body,
    size_t *len, int *status, const char **type)
{
	int i;
	bool hit = false;

	if (s->o.no_cache)
		return false;
	pthread_mutex_lock(&s->mu);
	for (i = 0; i < NCACHE; i++) {
		struct centry *c = &s->cache[i];

		if (c->key != NULL && c->version == v &&
		    strcmp(c->key, key) == 0) {
			*body = ab_xmalloc(c->len + 1);
			memcpy(*body, c->body, c->len);
			*len = c->len;
			*status = c->status;
			*type = c->type;
			c->tick = ++s->tick;
			hit = true;
			break;
		}
	}
	pthread_mutex_unlock(&s->mu);
	return hit;
}

static void
centry_free(struct rk_server *s, struct centry *c)
{
	if (c->key != NULL)
		s->cache_bytes -= c->len;
	free(c->key);
	free(c->body);
	memset(c, 0, sizeof *c);
}

/* The least recently used entry (empty and stale ones first), or NULL
 * when none is in use and want_used. */
static struct centry *
cache_victim(struct rk_server *s, bool want_used)
{
	struct centry *c = NULL, *e;
	int i;

	for (i = 0; i < NCACHE; i++) {
		e = &s->cache[i];
		if (e->key == NULL) {
			if (!want_used)
				return e;
			continue;
		}
		if (e->version != s->version)
			return e;
		if (c == NULL || e->tick < c->tick)
			c = e;
	}
	return c;
}

static void
cache_put(struct rk_server *s, const char *key, long v, const char *body,
    size_t len, int status, const char *type)
{
	struct centry *c, *e;

	if (s->o.no_cache || len > CACHE_BYTES / 4)
		return;
	pthread_mutex_lock(&s->mu);
	c = cache_victim(s, false);
	centry_free(s, c);
	while (s->cache_bytes + len > CACHE_BYTES &&
	    (e = cache_victim(s, true)) != NULL)
		centry_free(s, e);
	c->key = ab_xstrdup(key);
	c->body = ab_xmalloc(len + 1);
	memcpy(c->body, body, len);
	c->len = len;
	c->version = v;
	c->status = status;
	c->type = type;
	c->tick = ++s->tick;
	s->cache_bytes += len;
	pthread_mutex_unlock(&s->mu);
}

/* ---- query parameters ------------------------------------------------------ */

static void
qerr(struct query *q, const char *key, const char *what)
{
	if (q->err[0] == '\0')
		snprintf(q->err, sizeof q->err, "parameter %s: %s", key, what);
}

static void
num_list(struct query *q, const char *key, const char *v, double *out,
    int n, double max)
{
	struct ab_error e;
	char buf[MAX_VALUE + 1], *p = buf, *tok;
	int i = 0;

	snprintf(buf, sizeof buf, "%s", v);
	while ((tok = strsep(&p, ",")) != NULL) {
		if (i == n || ab_parse_double(tok, 0, max, &out[i], &e) < 0) {
			qerr(q, key, "expected three numbers, e.g. 2,5,10");
			return;
		}
		i++;
	}
	if (i != n || !(out[0] <= out[1] && out[1] <= out[2]))
		qerr(q, key, "expected three numbers that do not decrease");
}

static enum MHD_Result
param(void *cls, enum MHD_ValueKind kind, const char *key, const char *v)
{
	struct query *q = cls;
	struct ab_error e;
	const unsigned char *c;
	double d;
	long l;

	if (++q->n > MAX_PARAMS) {
		qerr(q, "", "too many parameters");
		return MHD_NO;
	}
	if (v == NULL)
		v = "";
	if (strlen(key) > 32 || strlen(v) > MAX_VALUE) {
		qerr(q, strlen(key) > 32 ? "name" : key, "too long");
		return MHD_NO;
	}
	for (c = (const unsigned char *)v; *c != '\0'; c++)
		if (*c < 0x20 || *c == 0x7f) {
			qerr(q, key, "control character");
			return MHD_NO;
		}
	ab_buf_addf(&q->key, "%s=%s\n", key, v);
	if (strcmp(key, "run") == 0 || strcmp(key, "config") == 0 ||
	    strcmp(key, "compare") == 0) {
		char **list = key[0] == 'r' ? q->runs : key[1] == 'o' &&
		    key[2] == 'n' ? q->configs : q->compare;
		int *n = key[0] == 'r' ? &q->nruns : key[1] == 'o' &&
		    key[2] == 'n' ? &q->nconfigs : &q->ncompare;

		if (*v == '\0')
			qerr(q, key, "empty");
		else if (*n == MAX_LIST)
			qerr(q, key, "repeated too often");
		else
			list[(*n)++] = (char *)v;
	} else if (strcmp(key, "language") == 0) {
		q->language = v;
	} else if (strcmp(key, "difficulty") == 0) {
		q->difficulty = v;
	} else if (strcmp(key, "category") == 0) {
		q->category = v;
	} else if (strcmp(key, "since") == 0) {
		q->since = v;
	} else if (strcmp(key, "until") == 0) {
		q->until = v;
	} else if (strcmp(key, "baseline") == 0) {
		q->o.baseline = v;
	} else if (strcmp(key, "current") == 0) {
		q->o.current = v;
	} else if (strcmp(key, "k") == 0) {
		char buf[MAX_VALUE + 1], *p = buf, *tok;

		snprintf(buf, sizeof buf, "%s", v);
		q->o.nk = 0;
		while ((tok = strsep(&p, ",")) != NULL)
			if (q->o.nk == 8 || ab_parse_long(tok, 1, 100000, &l,
			    &e) < 0) {
				qerr(q, key, "expected up to 8 numbers from 1");
				break;
			} else {
				q->o.ks[q->o.nk++] = l;
			}
	} else if (strcmp(key, "level") == 0) {
		if (ab_parse_double(v, 0.5, 0.999999, &q->o.level, &e) < 0)
			qerr(q, key, e.msg);
	} else if (strcmp(key, "alpha") == 0) {
		if (ab_parse_double(v, 1e-12, 0.5, &q->o.alpha, &e) < 0)
			qerr(q, key, e.msg);
	} else if (strcmp(key, "bootstrap") == 0) {
		/* Tighter than the command line's bound: one request must
		 * not hold a core for minutes. */
		if (ab_parse_long(v, 0, 100000, &l, &e) < 0)
			qerr(q, key, e.msg);
		q->o.reps = (unsigned)l;
	} else if (strcmp(key, "seed") == 0) {
		if (ab_parse_double(v, 0, 1.8e19, &d, &e) < 0 ||
		    d != (double)(uint64_t)d)
			qerr(q, key, "expected a whole number");
		else
			q->o.seed = (uint64_t)d;
	} else if (strcmp(key, "examples") == 0) {
		if (ab_parse_long(v, 0, 3, &l, &e) < 0)
			qerr(q, key, e.msg);
		q->o.max_examples = (int)l;
	} else if (strcmp(key, "max-not-run") == 0) {
		q->o.limit_not_run = true;
		if (ab_parse_double(v, 0, 100, &q->o.max_not_run, &e) < 0)
			qerr(q, key, e.msg);
	} else if (strcmp(key, "thresholds") == 0) {
		num_list(q, key, v, q->o.thr, 3, 100);
	} else if (strcmp(key, "cost-thresholds") == 0) {
		num_list(q, key, v, q->o.cthr, 3, 1e9);
	} else if (strcmp(key, "by") == 0) {
		char buf[MAX_VALUE + 1], *p = buf, *tok;

		snprintf(buf, sizeof buf, "%s", v);
		while ((tok = strsep(&p, ",")) != NULL) {
			if (strcmp(tok, "difficulty") != 0 &&
			    strcmp(tok, "category") != 0 &&
			    strcmp(tok, "language") != 0 &&
			    strcmp(tok, "suite") != 0) {
				qerr(q, key, "expected difficulty, category, "
				    "language or suite");
				break;
			}
			if (q->o.nby == 4) {
				qerr(q, key, "at most four dimensions");
				break;
			}
			q->by[q->o.nby++] = ab_xstrdup(tok);
		}
	} else if (strcmp(key, "format") == 0) {
		if (strcmp(v, "ndjson") == 0 || strcmp(v, "json") == 0)
			q->fmt = RK_FMT_NDJSON;
		else if (strcmp(v, "csv") == 0)
			q->fmt = RK_FMT_CSV;
		else if (strcmp(v, "table") == 0)
			q->fmt = RK_FMT_TABLE;
		else if (strcmp(v, "md") == 0)
			q->fmt = RK_FMT_MD;
		else
			qerr(q, key, "expected ndjson, csv, table or md");
	} else if (strcmp(key, "limit") == 0) {
		if (ab_parse_long(v, 1, 10000, &q->limit, &e) < 0)
			qerr(q, key, e.msg);
	} else if (strcmp(key, "offset") == 0) {
		if (ab_parse_long(v, 0, 1000000000L, &q->offset, &e) < 0)
			qerr(q, key, e.msg);
	} else if (strcmp(key, "rid") == 0) {
		if (ab_parse_long(v, 0, LONG_MAX, &q->rid, &e) < 0)
			qerr(q, key, e.msg);
	} else if (strcmp(key, "after") == 0) {
		if (ab_parse_long(v, 0, LONG_MAX, &q->after, &e) < 0)
			qerr(q, key, e.msg);
	} else if (strcmp(key, "wait") == 0) {
		if (ab_parse_long(v, 0, 25, &q->wait, &e) < 0)
			qerr(q, key, e.msg);
	} else if (strcmp(key, "drops") == 0 || strcmp(key, "samples") == 0) {
		if (rk_parse_plan_list(v, key[0] == 'd', &q->o, &e) < 0)
			qerr(q, key, e.msg);
	} else if (strcmp(key, "wide") == 0) {
		q->o.wide = true;
	} else if (strcmp(key, "pool") == 0) {
		q->pool = true;
	} else {
		qerr(q, key, "unknown");
	}
	return q->err[0] == '\0' ? MHD_YES : MHD_NO;
}

/* The command line's defaults (bin/ab-rank.c). */
static void
query_init(struct query *q)
{
	memset(q, 0, sizeof *q);
	q->o = (struct rk_opts){ .nk = 1, .ks = { 1 }, .level = 0.95,
	    .alpha = 0.05, .reps = 2000, .seed = 1, .thr = { 2, 5, 10 },
	    .cthr = { 10, 25, 50 }, .max_examples = 3 };
	q->o.by = q->by;
	q->o.compare = q->compare;
	q->fmt = RK_FMT_NDJSON;
	q->limit = 100;
	q->rid = -1;
	q->key = (struct ab_buf)AB_BUF_INIT;
}

static void
query_release(struct query *q)
{
	int i;

	for (i = 0; i < q->o.nby; i++)
		free(q->by[i]);
	ab_buf_release(&q->key);
}

/* ---- responses ------------------------------------------------------------ */

static enum MHD_Result
send_buf(struct MHD_Connection *c, int status, const char *type,
    char *body, size_t len, const char *extra)	/* steals body */
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = mhd.create_response_from_buffer(len, body,
	    MHD_RESPMEM_MUST_FREE);
	if (r == NULL) {
		free(body);
		return MHD_NO;
	}
	mhd.add_response_header(r, "Content-Type", type);
	mhd.add_response_header(r, "Cache-Control", "no-store");
	mhd.add_response_header(r, "X-Content-Type-Options", "nosniff");
	if (strncmp(type, "text/html", 9) == 0)
		mhd.add_response_header(r, "Content-Security-Policy",
		    "default-src 'self'; script-src 'unsafe-inline'; "
		    "style-src 'unsafe-inline'; img-src data:; "
		    "frame-ancestors 'self'");
	if (extra != NULL)
		mhd.add_response_header(r, "WWW-Authenticate", extra);
	ret = mhd.queue_response(c, (unsigned)status, r);
	mhd.destroy_response(r);
	return ret;
}

static enum MHD_Result
send_error(struct MHD_Connection *c, int status, const char *msg)
{
	json_t *o = json_pack("{s:{s:i,s:s}}", "error", "status", status,
	    "message", msg);
	char *s = o != NULL ? json_dumps(o, JSON_COMPACT) : NULL;
	struct ab_buf b = AB_BUF_INIT;
	size_t len;

	json_decref(o);
	ab_buf_adds(&b, s != NULL ? s : "{\"error\":{}}");
	ab_buf_addc(&b, '\n');
	free(s);
	len = b.len;
	return send_buf(c, status, "application/json", ab_buf_detach(&b),
	    len, status == 401 ? "Bearer realm=\"ab-rank\"" : NULL);
}

/* ---- the views ---------------------------------------------------------------- */

static const char *const views[] = { "leaderboard", "breakdown", "compare",
	"regress", "cost", "errors", "trends", "trials", "consistency", "power",
	"all", NULL };

/* True once rk_serve_stop has begun: waits end at once. */
static bool
stopping(struct rk_server *s)
{
	bool r;

	pthread_mutex_lock(&s->mu);
	r = s->stopping;
	pthread_mutex_unlock(&s->mu);
	return r;
}

/* Wait for a computation slot (at most 60 s; none once stopping). */
static bool
slot_take(struct rk_server *s)
{
	struct timespec ts;
	bool ok = true;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 60;
	pthread_mutex_lock(&s->mu);
	while (s->busy >= s->o.max_busy && ok && !s->stopping)
		ok = pthread_cond_timedwait(&s->cv, &s->mu, &ts) == 0 ||
		    s->busy < s->o.max_busy;
	ok = ok && !s->stopping;
	if (ok)
		s->busy++;
	pthread_mutex_unlock(&s->mu);
	return ok;
}

static void
slot_give(struct rk_server *s)
{
	pthread_mutex_lock(&s->mu);
	s->busy--;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

static void
model_filters(struct rk_model *m, struct query *q)
{
	m->want_runs = q->runs;
	m->nwant_runs = q->nruns;
	m->want_configs = q->configs;
	m->nwant_configs = q->nconfigs;
	m->want_language = q->language;
	m->want_difficulty = q->difficulty;
	m->want_category = q->category;
	m->since = q->since;
	m->until = q->until;
}

/* What `ab-rank -d DB -f FMT VIEW` does, into a buffer: *status is the HTTP
 * status, the body the output or a JSON error. */
static void
compute(struct rk_server *s, const char *view, struct query *q,
    char **body, size_t *len, int *status)
{
	struct rk_model m, all, *runs_m = NULL;
	struct rk_report rep = { 0 };
	struct ab_error e;
	bool html = strcmp(view, "report") == 0;
	FILE *fp;
	int rc = 0;

	*body = NULL;
	*len = 0;
	*status = 200;
	fp = open_memstream(body, len);
	if (fp == NULL) {
		*status = 503;
		return;
	}
	rk_model_init(&m);
	model_filters(&m, q);
	/* The report needs whole records (code, transcripts); the charts
	 * only the score dimensions, read from the bodies alone. */
	m.keep_code = html;
	m.want_dims = html || strcmp(view, "charts") == 0;
	m.want_examples = html || strcmp(view, "errors") == 0 ||
	    strcmp(view, "all") == 0;
	m.threads = s->o.threads;
	if (strcmp(view, "attempts") == 0) {
		if (rk_db_attempts(s->o.db, &m, q->limit, q->offset, &rep,
		    &e) < 0)
			goto fail;
		rc = rk_write(fp, q->fmt, &rep, q->o.wide);
		goto out;
	}
	m.latest = !q->pool && !rk_view_reads_runs(view);
	if (rk_db_load(&m, s->o.db, &e) < 0)
		goto fail;
	rk_model_finish(&m);
	if (rk_model_check_filters(&m, &e) < 0)
		goto fail;
	/* As the command line: regress, trends and the report's charts of
	 * runs read every run. */
	if (m.latest && m.latest_dropped > 0 && (html ||
	    strcmp(view, "all") == 0 || strcmp(view, "charts") == 0)) {
		rk_model_init(&all);
		model_filters(&all, q);
		all.keep_code = m.keep_code;
		all.want_dims = m.want_dims;
		all.want_examples = m.want_examples;
		all.threads = m.threads;
		runs_m = &all;
		if (rk_db_load(&all, s->o.db, &e) < 0)
			goto fail;
		rk_model_finish(&all);
		m.runs_model = runs_m;
	}
	if (strcmp(view, "charts") == 0) {
		/* The analysis tab: the report's charts alone. */
		rk_view_leaderboard(&m, &q->o, &rep);
		rk_view_breakdown(&m, &q->o, &rep);
		rk_view_cost(&m, &q->o, &rep);
		rk_view_trends(runs_m != NULL ? runs_m : &m, &q->o, &rep);
		rc = rk_write_charts(fp, &m, &rep);
		goto out;
	}
	if (rk_run_views(view, &m, runs_m, &q->o, &rep, &e) < 0)
		goto fail;
	if (html)
		rc = rk_write_html(fp, &m, &q->o, &rep);
	else
		rc = rk_write(fp, q->fmt, &rep, q->o.wide);
	goto out;
fail:
	*status = strcmp(e.kind, "usage") == 0 || strcmp(e.kind, "") == 0 ?
	    400 : 503;
	if (strstr(e.msg, "unknown") != NULL || strstr(e.msg, "no such") !=
	    NULL)
		*status = 404;
	fclose(fp);
	free(*body);
	{
		json_t *o = json_pack("{s:{s:i,s:s}}", "error", "status",
		    *status, "message", e.msg);

		*body = json_dumps(o, JSON_COMPACT);
		json_decref(o);
		*len = strlen(*body);
		*body = ab_xrealloc(*body, *len + 2);
		(*body)[(*len)++] = '\n';
		(*body)[*len] = '\0';
	}
	rk_report_release(&rep);
	rk_model_release(&m);
	if (runs_m != NULL)
		rk_model_release(runs_m);
	return;
out:
	if (fclose(fp) != 0 || rc < 0)
		*status = 503;
	rk_report_release(&rep);
	rk_model_release(&m);
	if (runs_m != NULL)
		rk_model_release(runs_m);
}

/* One record, as the database keeps it (the records view), by rid. */
static void
attempt_record(struct rk_server *s, long rid, char **body, size_t *len,
    int *status)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st;
	int rc;

	*status = 503;
	*body = NULL;
	*len = 0;
	if (sqlite3_open_v2(s->o.db, &db, SQLITE_OPEN_READONLY |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		goto out;
	sqlite3_busy_timeout(db, 10000);
	if (sqlite3_prepare_v2(db, "SELECT record FROM records WHERE rid = ?",
	    -1, &st, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_int64(st, 1, rid);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*len = (size_t)sqlite3_column_bytes(st, 0);
		*body = ab_xmalloc(*len + 2);
		memcpy(*body, sqlite3_column_text(st, 0), *len);
		(*body)[(*len)++] = '\n';
		*status = 200;
	} else if (rc == SQLITE_DONE) {
		*status = 404;
	}
	sqlite3_finalize(st);
out:
	sqlite3_close(db);
}

/* The runs and configurations, as NDJSON. */
static void
runs_list(struct rk_server *s, char **body, size_t *len, int *status)
{
	/* The runs with their attempts and load requests (schema 6), else
	 * with every result counted as an attempt; the configurations. */
	static const char *const sql[] = {
		"SELECT json_object('view', 'runs', 'id', id, 'started', "
		"started, 'finished', finished, 'status', status, 'notes', "
		"notes, 'seed', seed, 'command', command, 'host', host, 'os', "
		"os, 'ab_version', ab_version, 'git_commit', git_commit, "
		"'attempts', (SELECT count(*) FROM results r WHERE r.run_id = "
		"runs.id AND r.kind = 'attempt'), 'load_records', (SELECT "
		"count(*) FROM results r WHERE r.run_id = runs.id AND r.kind = "
		"'load')) FROM runs ORDER BY started, id",
		"SELECT json_object('view', 'runs', 'id', id, 'started', "
		"started, 'finished', finished, 'status', status, 'notes', "
		"notes, 'seed', seed, 'command', command, 'host', host, 'os', "
		"os, 'ab_version', ab_version, 'git_commit', git_commit, "
		"'attempts', (SELECT count(*) FROM results r WHERE r.run_id = "
		"runs.id)) FROM runs ORDER BY started, id",
		"SELECT json_object('view', 'configs', 'hash', hash, 'name', "
		"name, 'config', json(json)) FROM configs ORDER BY name, hash",
	};
	struct ab_buf b = AB_BUF_INIT;
	sqlite3 *db = NULL;
	sqlite3_stmt *st;
	size_t i;

	*status = 503;
	if (sqlite3_open_v2(s->o.db, &db, SQLITE_OPEN_READONLY |
	    SQLITE_OPEN_NOMUTEX, NULL) == SQLITE_OK) {
		sqlite3_busy_timeout(db, 10000);
		sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
		*status = 200;
		for (i = 0; i < 3; i++) {
			if (sqlite3_prepare_v2(db, sql[i], -1, &st, NULL) !=
			    SQLITE_OK)
				continue;	/* an older schema */
			if (i == 0)
				i++;	/* not the older runs query */
			while (sqlite3_step(st) == SQLITE_ROW) {
				ab_buf_adds(&b, (const char *)
				    sqlite3_column_text(st, 0));
				ab_buf_addc(&b, '\n');
			}
			sqlite3_finalize(st);
		}
		sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	}
	sqlite3_close(db);
	*len = b.len;
	*body = ab_buf_detach(&b);
}

/* Constant-time comparison of the Authorization header with the token. */
static bool
authorized(struct rk_server *s, struct MHD_Connection *c)
{
	const char *h = mhd.lookup_connection_value(c, MHD_HEADER_KIND,
	    "Authorization");
	size_t i, n;
	unsigned char d = 0;

	if (s->o.token == NULL)
		return true;
	if (h == NULL || strncmp(h, "Bearer ", 7) != 0)
		return false;
	h += 7;
	n = strlen(s->o.token);
	if (strlen(h) != n)
		return false;
	for (i = 0; i < n; i++)
		d |= (unsigned char)(h[i] ^ s->o.token[i]);
	return d == 0;
}

static void warm_wait(struct rk_server *s, const char *key, long v);

static enum MHD_Result
handle(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *ver, const char *upload,
    size_t *upload_size, void **req)
{
	static int first;
	struct rk_server *s = cls;
	struct query q;
	const char *view = NULL, *type = "application/x-ndjson";
	char *body = NULL, *key;
	size_t len = 0;
	int status = 200, i;
	long v;
	enum MHD_Result ret;

	if (*req == NULL) {
		/* Headers only so far: answer once the request is whole. */
		*req = &first;
		return MHD_YES;
	}
	if (*upload_size != 0) {
		*upload_size = 0;	/* a body is never read */
		return MHD_YES;
	}
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		return send_error(c, 405, "only GET is served");
	if (strcmp(url, "/") == 0 || strcmp(url, "/index.html") == 0) {
		/* The page holds no data: it asks /api with the token. */
		len = strlen(s->page);
		return send_buf(c, 200, "text/html; charset=utf-8",
		    ab_xstrdup(s->page), len, NULL);
	}
	if (!authorized(s, c))
		return send_error(c, 401, "missing or wrong bearer token");
	if (strcmp(url, "/report") == 0 || strcmp(url, "/report.html") == 0)
		view = "report";
	else if (strncmp(url, "/api/", 5) == 0)
		view = url + 5;
	if (view == NULL)
		return send_error(c, 404, "no such page; the API is under "
		    "/api/");
	for (i = 0; views[i] != NULL; i++)
		if (strcmp(view, views[i]) == 0)
			break;
	if (views[i] == NULL && strcmp(view, "report") != 0 &&
	    strcmp(view, "charts") != 0 &&
	    strcmp(view, "attempts") != 0 && strcmp(view, "attempt") != 0 &&
	    strcmp(view, "runs") != 0 && strcmp(view, "version") != 0)
		return send_error(c, 404, "no such view; expected leaderboard, "
		    "breakdown, compare, regress, cost, errors, trends, trials, "
		    "consistency, power, all, "
		    "attempts, attempt, runs, charts or version");
	query_init(&q);
	mhd.get_connection_values(c, MHD_GET_ARGUMENT_KIND, param, &q);
	q.o.ncompare = q.ncompare;
	if (q.err[0] == '\0' && q.ncompare == 1)
		snprintf(q.err, sizeof q.err, "compare: name two or more "
		    "configurations, or none for all");
	if (q.err[0] == '\0' && strcmp(view, "attempt") == 0 && q.rid < 0)
		snprintf(q.err, sizeof q.err, "attempt: parameter rid is "
		    "required");
	if (q.err[0] != '\0') {
		ret = send_error(c, 400, q.err);
		query_release(&q);
		return ret;
	}
	if (strcmp(view, "version") == 0) {
		long long max_rid = 0;
		bool waiting = false;

		v = version(s, &max_rid);
		if (q.wait > 0 && v == q.after) {
			pthread_mutex_lock(&s->mu);
			waiting = s->waiters < MAX_WAITERS;
			s->waiters += waiting;
			pthread_mutex_unlock(&s->mu);
		}
		/* A long poll: answer when the database changes. */
		for (i = 0; waiting && i < q.wait * 5 && v == q.after &&
		    !stopping(s); i++) {
			usleep(200000);
			v = version(s, &max_rid);
		}
		if (waiting) {
			pthread_mutex_lock(&s->mu);
			s->waiters--;
			pthread_mutex_unlock(&s->mu);
		}
		body = ab_xasprintf("{\"version\":%ld,\"max_rid\":%lld}\n", v,
		    max_rid);
		query_release(&q);
		return send_buf(c, 200, "application/json", body,
		    strlen(body), NULL);
	}
	v = version(s, NULL);
	key = ab_xasprintf("%s\n%s", view, q.key.s != NULL ? q.key.s : "");
	if (strcmp(view, "report") == 0 || strcmp(view, "charts") == 0)
		type = "text/html; charset=utf-8";
	else if (strcmp(view, "attempt") == 0)
		type = "application/json";
	else if (q.fmt == RK_FMT_CSV)
		type = "text/csv; charset=utf-8";
	else if (q.fmt == RK_FMT_TABLE || q.fmt == RK_FMT_MD)
		type = "text/plain; charset=utf-8";
	pthread_mutex_lock(&s->mu);
	s->last_request = time(NULL);
	pthread_mutex_unlock(&s->mu);
	if (!cache_get(s, key, v, &body, &len, &status, &type))
		warm_wait(s, key, v);
	if (body == NULL && !cache_get(s, key, v, &body, &len, &status,
	    &type)) {
		if (!slot_take(s)) {
			free(key);
			query_release(&q);
			return send_error(c, 503, "busy: try again");
		}
		if (strcmp(view, "attempt") == 0)
			attempt_record(s, q.rid, &body, &len, &status);
		else if (strcmp(view, "runs") == 0)
			runs_list(s, &body, &len, &status);
		else
			compute(s, view, &q, &body, &len, &status);
		slot_give(s);
		if (status != 200 && status != 404 && status != 400) {
			free(body);
			free(key);
			query_release(&q);
			return send_error(c, status, "the database could not "
			    "be read");
		}
		if (status != 200)
			type = "application/json";
		else if (strcmp(view, "attempt") != 0)
			/* One record is always current; views are cached. */
			cache_put(s, key, v, body, len, status, type);
	}
	free(key);
	query_release(&q);
	if (status == 404 && body == NULL)
		return send_error(c, 404, "no such attempt");
	return send_buf(c, status, type, body != NULL ? body : ab_xstrdup(""),
	    len, NULL);
}

/* ---- the warmer ------------------------------------------------------------ */

#define WARM_KEY	"leaderboard\n"	/* /api/leaderboard, no parameters */
#define WARM_IDLE	60	/* s without requests after which it rests */
#define WARM_EVERY	2	/* s at least between two warms */

static void
timed_wait(struct rk_server *s, int secs)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += secs;
	pthread_cond_timedwait(&s->wcv, &s->mu, &ts);
}

static void *
warmer(void *arg)
{
	struct rk_server *s = arg;
	struct query q;
	char *body;
	size_t len;
	int status;
	long v;

	pthread_mutex_lock(&s->mu);
	while (!s->stopping) {
		v = version_locked(s);
		if (v == s->warm_version || time(NULL) - s->last_request >
		    WARM_IDLE) {
			timed_wait(s, 1);
			continue;
		}
		s->warm_version = v;
		s->warming = true;
		pthread_mutex_unlock(&s->mu);
		if (slot_take(s)) {
			query_init(&q);
			compute(s, "leaderboard", &q, &body, &len, &status);
			slot_give(s);
			if (status == 200)
				cache_put(s, WARM_KEY, v, body, len, status,
				    "application/x-ndjson");
			free(body);
			query_release(&q);
		}
		pthread_mutex_lock(&s->mu);
		s->warming = false;
		pthread_cond_broadcast(&s->wcv);
		if (!s->stopping)
			timed_wait(s, WARM_EVERY);
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

/* A request for the warmed view at version v while the warmer computes
 * it: wait for that rather than compute it twice. */
static void
warm_wait(struct rk_server *s, const char *key, long v)
{
	int i;

	if (!s->warmer_on || strcmp(key, WARM_KEY) != 0)
		return;
	pthread_mutex_lock(&s->mu);
	for (i = 0; i < 60 && s->warming && s->warm_version == v &&
	    !s->stopping; i++)
		timed_wait(s, 1);
	pthread_mutex_unlock(&s->mu);
}

/* ---- start and stop ------------------------------------------------------- */

static void
mhd_load_once(void)
{
	/* The library stays loaded until the process ends: a server stopped
	 * may be started again. */
	void *h = dlopen(AB_MHD_SONAME, RTLD_NOW | RTLD_LOCAL);
	const char *missing = NULL;

	if (h == NULL) {
		const char *e = dlerror();

		snprintf(mhd_error, sizeof mhd_error, "cannot load GNU "
		    "libmicrohttpd, which the server needs: %s",
		    e != NULL ? e : AB_MHD_SONAME);
		return;
	}
	/* A function pointer from dlsym, as POSIX describes it. */
#define MHD_SYM(f) do { \
		if (missing == NULL && \
		    (*(void **)&mhd.f = dlsym(h, "MHD_" #f)) == NULL) \
			missing = "MHD_" #f; \
	} while (0)
	MHD_SYM(start_daemon);
	MHD_SYM(stop_daemon);
	MHD_SYM(get_daemon_info);
	MHD_SYM(get_connection_values);
	MHD_SYM(lookup_connection_value);
	MHD_SYM(create_response_from_buffer);
	MHD_SYM(add_response_header);
	MHD_SYM(queue_response);
	MHD_SYM(destroy_response);
#undef MHD_SYM
	if (missing != NULL) {
		snprintf(mhd_error, sizeof mhd_error, "%s: no %s: not the "
		    "GNU libmicrohttpd ab-rank was built with", AB_MHD_SONAME,
		    missing);
		memset(&mhd, 0, sizeof mhd);
		dlclose(h);
	}
}

/* Load libmicrohttpd once; -1 with err set when it cannot be. */
static int
mhd_load(struct ab_error *err)
{
	pthread_once(&mhd_once, mhd_load_once);
	if (mhd_error[0] != '\0')
		return ab_error_set(err, "io", "%s", mhd_error);
	return 0;
}

static const char css_mark[] = "@CSS@";

struct rk_server *
rk_serve_start(const struct rk_serve_opts *o, struct ab_error *err)
{
	struct rk_server *s = ab_xcalloc(1, sizeof *s);
	struct sockaddr_in a4;
	struct sockaddr_in6 a6;
	struct sockaddr *sa;
	const union MHD_DaemonInfo *info;
	const char *mark = strstr(rk_dashboard_html, css_mark);
	struct ab_buf page = AB_BUF_INIT;
	unsigned flags = MHD_USE_THREAD_PER_CONNECTION |
	    MHD_USE_AUTO_INTERNAL_THREAD;

	if (mhd_load(err) < 0) {
		free(s);
		return NULL;
	}
	s->o = *o;
	if (s->o.max_busy < 1)
		s->o.max_busy = 2;
	if (s->o.threads < 1)
		s->o.threads = 1;
	memset(&a4, 0, sizeof a4);
	memset(&a6, 0, sizeof a6);
	if (inet_pton(AF_INET, o->addr, &a4.sin_addr) == 1) {
		a4.sin_family = AF_INET;
		a4.sin_port = htons((uint16_t)o->port);
		sa = (struct sockaddr *)&a4;
	} else if (inet_pton(AF_INET6, o->addr, &a6.sin6_addr) == 1) {
		a6.sin6_family = AF_INET6;
		a6.sin6_port = htons((uint16_t)o->port);
		sa = (struct sockaddr *)&a6;
		flags |= MHD_USE_IPv6;
	} else {
		free(s);
		ab_error_set(err, "usage", "%s: not a numeric IPv4 or IPv6 "
		    "address", o->addr);
		return NULL;
	}
	ab_buf_add(&page, rk_dashboard_html, mark != NULL ?
	    (size_t)(mark - rk_dashboard_html) : strlen(rk_dashboard_html));
	if (mark != NULL) {
		ab_buf_adds(&page, rk_html_css);
		ab_buf_adds(&page, mark + sizeof css_mark - 1);
	}
	s->page = ab_buf_detach(&page);
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	pthread_cond_init(&s->wcv, NULL);
	version(s, NULL);
	errno = 0;
	s->d = mhd.start_daemon(flags, (uint16_t)o->port, NULL, NULL, handle,
	    s, MHD_OPTION_SOCK_ADDR, sa,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)256,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)15,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)65536,
	    MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)256,
	    MHD_OPTION_END);
	if (s->d == NULL) {
		ab_error_set(err, "io", "cannot listen on %s port %u%s%s",
		    o->addr, o->port, errno ? ": " : "",
		    errno ? strerror(errno) : "");
		rk_watch_close(s->w);
		pthread_mutex_destroy(&s->mu);
		pthread_cond_destroy(&s->cv);
		pthread_cond_destroy(&s->wcv);
		free(s->page);
		free(s);
		return NULL;
	}
	info = mhd.get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
	s->port = info != NULL ? info->port : o->port;
	/* Warm from the start: the first page paints from the cache. */
	s->last_request = time(NULL);
	s->warmer_on = !s->o.no_cache && pthread_create(&s->warmer, NULL,
	    warmer, s) == 0;
	return s;
}

unsigned
rk_serve_port(const struct rk_server *s)
{
	return s->port;
}

void
rk_serve_stop(struct rk_server *s)
{
	int i;

	if (s == NULL)
		return;
	/* Long polls and requests waiting for a slot end now, so that the
	 * daemon's connection threads can be joined at once. */
	pthread_mutex_lock(&s->mu);
	s->stopping = true;
	pthread_cond_broadcast(&s->cv);
	pthread_cond_broadcast(&s->wcv);
	pthread_mutex_unlock(&s->mu);
	if (s->warmer_on)
		pthread_join(s->warmer, NULL);
	mhd.stop_daemon(s->d);
	for (i = 0; i < NCACHE; i++) {
		free(s->cache[i].key);
		free(s->cache[i].body);
	}
	rk_watch_close(s->w);
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->cv);
	pthread_cond_destroy(&s->wcv);
	free(s->page);
	free(s);
}
