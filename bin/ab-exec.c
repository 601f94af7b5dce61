/*
 * ab-exec - run each attempt's code against its task's tests in a sandbox
 * and add the member "exec" (see ab-exec(1) and ab-record(5)).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ab.h"
#include "cproxy.h"
#include "sandbox.h"

#define SHOW_MAX 4096		/* bytes of expected/actual kept per test */
#define ERR_SHOW 2000		/* bytes of error text kept per test */

/* Verdicts, most severe first: the record's verdict is the most severe
 * verdict among its tests (documented in ab-exec(1)). */
enum verdict {
	V_INTERNAL, V_COMPILE, V_TIME, V_MEMORY, V_OUTPUT, V_SIGNALED,
	V_RUNTIME, V_WRONG, V_OK, V_NONE,
};
static const char *const verdict_names[] = {
	"internal_error", "compile_error", "time_limit", "memory_limit",
	"output_limit", "signaled", "runtime_error", "wrong_answer", "ok",
	NULL,
};

struct opts {
	long cpu_ms, wall_ms, memory_mb;
	bool allow_degraded;
	bool warm;		/* use the language's zygotes (not --cold) */
	bool pin;		/* a CPU per worker (not --no-pin) */
	int jobs;
	const char *sources;	/* --sources: where to write generated
				   C/C++ checkers and servers, or NULL */
};

struct lang {
	char *name;
	json_t *d;		/* the descriptor */
	struct lang *next;
};

struct ctx {
	struct opts o;
	struct ab_sandbox *sb;
	struct lang *langs;
	json_t *isolation;
	unsigned long nonce_seq;
};

static void
usage(FILE *fp)
{
	fprintf(fp, "usage: %s [-bhV] [-j jobs] [--allow-degraded] [--cold] "
	    "[--no-pin]\n"
	    "               [--cpu-ms ms] [--wall-ms ms] [--memory-mb mb]\n"
	    "               [--max-record size] [--sources dir] [file ...]\n",
	    ab_progname());
}

/* ---- text helpers ------------------------------------------------------- */

/* A JSON string from untrusted bytes: valid UTF-8 kept (newlines too),
 * invalid bytes and NUL as \xNN, cut after max bytes with a note. */
static json_t *
show_bytes(const char *s, size_t n, size_t max)
{
	struct ab_buf b = AB_BUF_INIT;
	size_t i = 0, cut = n > max ? max : n;
	json_t *j;

	while (i < cut) {
		unsigned char c = (unsigned char)s[i];
		size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 :
		    (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
		size_t k;
		bool ok = len > 0 && i + len <= n && c != 0;

		for (k = 1; ok && k < len; k++)
			if (((unsigned char)s[i + k] >> 6) != 2)
				ok = false;
		if (ok && len == 2 && c < 0xc2)
			ok = false;
		if (ok && len == 3) {
			unsigned char c1 = (unsigned char)s[i + 1];

			if ((c == 0xe0 && c1 < 0xa0) ||
			    (c == 0xed && c1 >= 0xa0))
				ok = false;
		}
		if (ok && len == 4) {
			unsigned char c1 = (unsigned char)s[i + 1];

			if ((c == 0xf0 && c1 < 0x90) || c > 0xf4 ||
			    (c == 0xf4 && c1 >= 0x90))
				ok = false;
		}
		if (ok) {
			ab_buf_add(&b, s + i, len);
			i += len;
		} else {
			ab_buf_addf(&b, "\\x%02x", c);
			i++;
		}
	}
	if (n > cut)
		ab_buf_addf(&b, "... [%zu more bytes]", n - cut);
	j = json_stringn(b.s ? b.s : "", b.len);
	ab_buf_release(&b);
	return j != NULL ? j : json_string("");
}

/* Replace every "@@KEY@@" in s by its value (keys and values in pairs). */
static char *
subst(const char *s, const char *const *kv)
{
	struct ab_buf b = AB_BUF_INIT;
	const char *p = s, *q;
	int i;

	while ((q = strstr(p, "@@")) != NULL) {
		bool hit = false;

		ab_buf_add(&b, p, (size_t)(q - p));
		for (i = 0; kv[i] != NULL; i += 2) {
			size_t kl = strlen(kv[i]);

			if (strncmp(q + 2, kv[i], kl) == 0 &&
			    strncmp(q + 2 + kl, "@@", 2) == 0) {
				ab_buf_adds(&b, kv[i + 1]);
				p = q + 4 + kl;
				hit = true;
				break;
			}
		}
		if (!hit) {
			ab_buf_add(&b, q, 2);
			p = q + 2;
		}
	}
	ab_buf_adds(&b, p);
	return ab_buf_detach(&b);
}

/* ---- output comparison ------------------------------------------------- */

struct span {
	const char *s;
	size_t n;
};

/* Next line of text (without its newline); false at the end. */
static bool
next_line(const char **p, const char *end, struct span *line)
{
	const char *nl;

	if (*p >= end)
		return false;
	nl = memchr(*p, '\n', (size_t)(end - *p));
	line->s = *p;
	line->n = (size_t)((nl ? nl : end) - *p);
	*p = nl ? nl + 1 : end;
	return true;
}

static size_t
rtrim(const char *s, size_t n)
{
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
	    s[n - 1] == '\r' || s[n - 1] == '\f' || s[n - 1] == '\v'))
		n--;
	return n;
}

/* Lines with trailing blanks removed and trailing empty lines dropped. */
static bool
same_trailing(const char *a, size_t an, const char *b, size_t bn)
{
	const char *pa = a, *pb = b, *ea = a + an, *eb = b + bn;
	struct span la, lb;
	bool ha, hb;

	for (;;) {
		ha = next_line(&pa, ea, &la);
		hb = next_line(&pb, eb, &lb);
		if (ha)
			la.n = rtrim(la.s, la.n);
		if (hb)
			lb.n = rtrim(lb.s, lb.n);
		if (!ha && !hb)
			return true;
		if (ha && hb) {
			if (la.n != lb.n || memcmp(la.s, lb.s, la.n) != 0)
				return false;
			continue;
		}
		/* One side ended: the rest of the other must be blank. */
		for (;;) {
			struct span *l = ha ? &la : &lb;

			if (rtrim(l->s, l->n) != 0)
				return false;
			if (ha)
				ha = next_line(&pa, ea, &la);
			else
				hb = next_line(&pb, eb, &lb);
			if (!ha && !hb)
				return true;
		}
	}
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	    c == '\v';
}

static bool
next_token(const char **p, const char *end, struct span *t)
{
	while (*p < end && is_space(**p))
		(*p)++;
	if (*p >= end)
		return false;
	t->s = *p;
	while (*p < end && !is_space(**p))
		(*p)++;
	t->n = (size_t)(*p - t->s);
	return true;
}

static bool
token_number(const struct span *t, double *v)
{
	char buf[128], *end;

	if (t->n == 0 || t->n >= sizeof buf)
		return false;
	memcpy(buf, t->s, t->n);
	buf[t->n] = '\0';
	errno = 0;
	*v = strtod(buf, &end);
	return *end == '\0' && errno != ERANGE;
}

static bool
same_tokens(const char *a, size_t an, const char *b, size_t bn, bool fl,
    double tol)
{
	const char *pa = a, *pb = b, *ea = a + an, *eb = b + bn;
	struct span ta, tb;
	bool ha, hb;
	double x, y;

	for (;;) {
		ha = next_token(&pa, ea, &ta);
		hb = next_token(&pb, eb, &tb);
		if (!ha || !hb)
			return ha == hb;
		if (ta.n == tb.n && memcmp(ta.s, tb.s, ta.n) == 0)
			continue;
		if (!fl || !token_number(&ta, &x) || !token_number(&tb, &y))
			return false;
		if (isnan(x) || isnan(y) ? !(isnan(x) && isnan(y)) :
		    !(fabs(x - y) <= tol || fabs(x - y) <= tol * fabs(y)))
			return false;
	}
}

/* Type-strict JSON equality: 1 != 1.0 != true; reals within tol when
 * tol > 0; loose: integers and reals compare by value (javascript). */
static bool
same_json(const json_t *a, const json_t *b, double tol, bool loose)
{
	size_t i;
	const char *k;
	json_t *v;

	if (json_is_number(a) && json_is_number(b) &&
	    (loose || (json_is_real(a) && json_is_real(b)))) {
		double x = json_number_value(a), y = json_number_value(b);

		if (json_is_integer(a) && json_is_integer(b))
			return json_integer_value(a) == json_integer_value(b);
		return x == y || (tol > 0 && (fabs(x - y) <= tol ||
		    fabs(x - y) <= tol * fabs(y)));
	}
	if (json_typeof(a) != json_typeof(b))
		return false;
	switch (json_typeof(a)) {
	case JSON_ARRAY:
		if (json_array_size(a) != json_array_size(b))
			return false;
		for (i = 0; i < json_array_size(a); i++)
			if (!same_json(json_array_get(a, i),
			    json_array_get(b, i), tol, loose))
				return false;
		return true;
	case JSON_OBJECT:
		if (json_object_size(a) != json_object_size(b))
			return false;
		json_object_foreach((json_t *)a, k, v) {
			json_t *w = json_object_get(b, k);

			if (w == NULL || !same_json(v, w, tol, loose))
				return false;
		}
		return true;
	default:
		return json_equal((json_t *)a, (json_t *)b) == 1;
	}
}

/* ---- languages ---------------------------------------------------------- */

static json_t *
lang_get(struct ctx *c, const char *name, struct ab_error *err)
{
	struct lang *l;
	json_error_t je;
	char *rel, *path;
	json_t *d;
	const char *p;

	for (l = c->langs; l != NULL; l = l->next)
		if (strcmp(l->name, name) == 0)
			return l->d;
	for (p = name; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '-' || *p == '_' || *p == '+'))
			break;
	if (*name == '\0' || *p != '\0') {
		ab_error_set(err, "language", "unknown language \"%.60s\"",
		    name);
		return NULL;
	}
	rel = ab_xasprintf("lang/%s.json", name);
	path = ab_share_path(rel);
	free(rel);
	d = json_load_file(path, 0, &je);
	if (d == NULL || !json_is_object(d)) {
		ab_error_set(err, "language", "no usable descriptor for "
		    "language %s: %s: %s", name, path,
		    d == NULL ? je.text : "not an object");
		json_decref(d);
		free(path);
		return NULL;
	}
	free(path);
	l = ab_xcalloc(1, sizeof *l);
	l->name = ab_xstrdup(name);
	l->d = d;
	l->next = c->langs;
	c->langs = l;
	return d;
}

/* A share file (descriptor-relative path), read whole.  New. */
static char *
share_text(const char *rel, size_t *len, struct ab_error *err)
{
	/* Harness files are read once per process: every run of a
	 * language writes the same ones. */
	static struct cached {
		char *rel, *text;
		size_t len;
		struct cached *next;
	} *cache;
	struct cached *c;
	char *path, *s, *r;

	if (strstr(rel, "..") != NULL || rel[0] == '/') {
		ab_error_set(err, "language", "bad harness path %s", rel);
		return NULL;
	}
	for (c = cache; c != NULL; c = c->next)
		if (strcmp(c->rel, rel) == 0)
			break;
	if (c == NULL) {
		r = ab_xasprintf("lang/%s", rel);
		path = ab_share_path(r);
		free(r);
		s = ab_read_file(path, len, err);
		free(path);
		if (s == NULL)
			return NULL;
		c = ab_xcalloc(1, sizeof *c);
		c->rel = ab_xstrdup(rel);
		c->text = s;
		c->len = *len;
		c->next = cache;
		cache = c;
	}
	s = ab_xmalloc(c->len + 1);
	if (c->len > 0)
		memcpy(s, c->text, c->len);
	s[c->len] = '\0';
	*len = c->len;
	return s;
}

/* argv from a JSON array of strings with @@KEY@@ substituted.  New,
 * NULL-terminated; free with free_argv. */
static char **
make_argv(const json_t *a, const char *const *kv)
{
	size_t i, n = json_array_size(a);
	char **v;

	if (!json_is_array(a) || n == 0)
		return NULL;
	v = ab_xcalloc(n + 1, sizeof *v);
	for (i = 0; i < n; i++) {
		const char *s = json_string_value(json_array_get(a, i));

		v[i] = subst(s ? s : "", kv);
	}
	return v;
}

static void
free_argv(char **v)
{
	size_t i;

	for (i = 0; v != NULL && v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

/* ---- one record --------------------------------------------------------- */

struct test {
	const json_t *t;	/* borrowed from the task */
	const char *style;
	enum verdict v;
	json_t *expected, *actual;	/* new or NULL */
	char *error;			/* new or NULL */
	double time_ms;
	const char *signal;
	bool done;
	bool gone;		/* its process died under it */
};

struct job {
	struct ctx *c;
	const char *id;		/* the record's, may be NULL */
	const json_t *task;
	const char *code;
	const json_t *lang;
	const char *entry;
	struct ab_limits lim, clim;
	struct test *tests;
	size_t ntests;
	double cpu_ms, wall_ms;
	long peak_kb;
	json_t *error;		/* exec.error, new or NULL */
	char nonce[33];
};

static void
set_test(struct test *t, enum verdict v, const char *fmt, ...)
    AB_PRINTF(3, 4);

static void
set_test(struct test *t, enum verdict v, const char *fmt, ...)
{
	struct ab_buf b = AB_BUF_INIT;
	va_list ap;

	t->v = v;
	t->done = true;
	free(t->error);
	t->error = NULL;
	if (fmt != NULL) {
		char tmp[ERR_SHOW + 1];

		va_start(ap, fmt);
		vsnprintf(tmp, sizeof tmp, fmt, ap);
		va_end(ap);
		ab_buf_adds(&b, tmp);
		t->error = ab_buf_detach(&b);
	}
}

static void
account(struct job *j, const struct ab_run_result *r)
{
	j->cpu_ms += r->cpu_ms;
	j->wall_ms += r->wall_ms;
	if (r->peak_kb > j->peak_kb)
		j->peak_kb = r->peak_kb;
}

/* The verdict of a run that did not finish cleanly, or V_NONE. */
static enum verdict
run_verdict(const struct ab_run_result *r, const char **sig)
{
	*sig = NULL;
	switch (r->stop) {
	case AB_STOP_CPU:
	case AB_STOP_WALL:
		return V_TIME;
	case AB_STOP_MEMORY:
		return V_MEMORY;
	case AB_STOP_OUTPUT:
		return V_OUTPUT;
	case AB_STOP_NONE:
		break;
	}
	if (r->exec_errno != 0)
		return V_INTERNAL;
	if (r->term_signal != 0) {
		*sig = ab_signal_name(r->term_signal);
		return V_SIGNALED;
	}
	if (r->exit_code != 0)
		return V_RUNTIME;
	return V_NONE;
}

/* Tail of stderr for an error message. */
static char *
err_tail(const struct ab_run_result *r)
{
	size_t n = r->err_len, off = n > 600 ? n - 600 : 0;
	json_t *j = show_bytes(r->err + off, n - off, 600);
	char *s = ab_xstrdup(json_string_value(j));

	json_decref(j);
	return s;
}

static void
fail_from_run(struct test *t, enum verdict v, const struct ab_run_result *r,
    const char *sig, const struct ab_limits *lim)
{
	char *tail = err_tail(r);

	t->signal = sig;
	switch (v) {
	case V_TIME:
		set_test(t, v, "%s time limit (%ld ms) exceeded",
		    r->stop == AB_STOP_WALL ? "wall" : "cpu",
		    r->stop == AB_STOP_WALL ? lim->wall_ms : lim->cpu_ms);
		break;
	case V_MEMORY:
		set_test(t, v, "memory limit (%ld MB) exceeded",
		    lim->memory_mb);
		break;
	case V_OUTPUT:
		set_test(t, v, "output limit exceeded");
		break;
	case V_SIGNALED:
		set_test(t, v, "killed by %s%s%s", sig, *tail ? ": " : "",
		    tail);
		break;
	case V_INTERNAL:
		set_test(t, v, "cannot start the program: %s",
		    strerror(r->exec_errno));
		break;
	default:
		set_test(t, v, "exit status %d%s%s", r->exit_code,
		    *tail ? ": " : "", tail);
		break;
	}
	free(tail);
}

static int
run(struct job *j, const struct ab_run_spec *spec, struct ab_run_result *r)
{
	struct ab_error e;

	if (ab_sandbox_run(j->c->sb, spec, r, &e) < 0) {
		if (j->error == NULL)
			j->error = ab_error_json("sandbox", "%s", e.msg);
		return -1;
	}
	account(j, r);
	return 0;
}

/*
 * One compile command of a style (the descriptor's key), with files, in
 * the work directory (kept from the previous run when keep).  Returns 0
 * when it succeeded, 1 when the compiler failed (*r filled: release it),
 * -1 when every test got its verdict (a sandbox failure, a limit:
 * limit_verdict, or internal_error).
 */
static int
compile_step(struct job *j, const json_t *style, const char *key,
    const struct ab_file *files, size_t nfiles, bool keep,
    const char *const *kv, enum verdict limit_verdict,
    struct ab_run_result *r, struct test **ts, size_t n)
{
	struct ab_run_spec spec;
	const json_t *cmd = json_object_get(style, key);
	char **argv;
	const char *sig;
	enum verdict v;
	size_t i;

	memset(&spec, 0, sizeof spec);
	memset(r, 0, sizeof *r);
	if ((argv = make_argv(cmd, kv)) == NULL) {
		for (i = 0; i < n; i++)
			set_test(ts[i], V_INTERNAL, "bad \"%s\" command in "
			    "the language descriptor", key);
		return -1;
	}
	spec.argv = argv;
	spec.files = files;
	spec.nfiles = nfiles;
	spec.limits = j->clim;
	spec.keep_workdir = keep;
	if (run(j, &spec, r) < 0) {
		for (i = 0; i < n; i++)
			set_test(ts[i], V_INTERNAL, "sandbox failed");
		free_argv(argv);
		return -1;
	}
	free_argv(argv);
	v = run_verdict(r, &sig);
	if (v == V_NONE)
		return 0;
	if (v == V_RUNTIME)
		return 1;
	for (i = 0; i < n; i++) {
		if (v == V_INTERNAL)
			set_test(ts[i], V_INTERNAL, "cannot start the "
			    "compiler: %s", strerror(r->exec_errno));
		else
			set_test(ts[i], limit_verdict, "compiler: %s",
			    v == V_TIME ? "time limit" : v == V_MEMORY ?
			    "memory limit" : v == V_OUTPUT ? "output limit" :
			    sig);
	}
	/* The harness's own program (a C or C++ checker) failing to build
	 * is the harness's failure. */
	if (limit_verdict == V_INTERNAL && j->error == NULL && n > 0)
		j->error = ab_error_json("checker", "%s: %s", key,
		    ts[0]->error ? ts[0]->error : "failed");
	ab_run_result_release(r);
	return -1;
}

/* Compile step, if the style has one.  Returns 0 when the program is
 * ready (files kept in the work directory), -1 when every test of the
 * style got its verdict. */
static int
compile(struct job *j, const json_t *style, struct ab_file *files,
    size_t nfiles, const char *const *kv, struct test **ts, size_t n)
{
	struct ab_run_result r;
	const json_t *cmd = json_object_get(style, "compile");
	size_t i;
	int rc;

	if (cmd == NULL || json_is_null(cmd))
		return 0;
	rc = compile_step(j, style, "compile", files, nfiles, false, kv,
	    V_COMPILE, &r, ts, n);
	if (rc == 1) {
		char *tail = err_tail(&r);

		for (i = 0; i < n; i++)
			set_test(ts[i], V_COMPILE, "%s", tail);
		free(tail);
		ab_run_result_release(&r);
		return -1;
	}
	if (rc == 0)
		ab_run_result_release(&r);
	return rc;
}

/* Parse the channel: "NONCE {json}" lines; records for our tests only. */
static void
read_channel(struct job *j, const struct ab_run_result *r, json_t **recs,
    size_t n)
{
	const char *p = r->chan, *end = r->chan + r->chan_len;
	size_t nl = strlen(j->nonce);
	struct span line;

	while (p != NULL && next_line(&p, end, &line)) {
		json_t *o, *ti;
		json_int_t idx;

		if (line.n <= nl + 1 || memcmp(line.s, j->nonce, nl) != 0 ||
		    line.s[nl] != ' ')
			continue;
		o = json_loadb(line.s + nl + 1, line.n - nl - 1,
		    JSON_REJECT_DUPLICATES, NULL);
		ti = json_object_get(o, "test");
		if (!json_is_integer(ti) || (idx = json_integer_value(ti)) < 0 ||
		    (size_t)idx >= n || recs[idx] != NULL) {
			json_decref(o);
			continue;
		}
		recs[idx] = o;
	}
}

/* A test's verdict from its completion record. */
static void
judge(struct job *j, struct test *t, json_t *rec)
{
	const char *st = ab_get_str(rec, "status");
	const char *kind = ab_get_str(rec, "kind");
	const char *msg = ab_get_str(rec, "error");
	double tol = ab_get_num(t->t, "tolerance", 0);
	const char *numbers = ab_get_str(j->lang, "numbers");

	t->time_ms = ab_get_num(rec, "time_ms", 0);
	if (st != NULL && strcmp(st, "pass") == 0) {
		set_test(t, V_OK, NULL);
	} else if (st != NULL && strcmp(st, "value") == 0 &&
	    strcmp(t->style, "call") == 0) {
		json_t *val = json_object_get(rec, "value");

		t->actual = json_incref(val);
		if (same_json(val, t->expected, tol,
		    numbers != NULL && strcmp(numbers, "loose") == 0))
			set_test(t, V_OK, NULL);
		else
			set_test(t, V_WRONG, "wrong return value");
	} else if (st != NULL && strcmp(st, "fail") == 0 && kind != NULL &&
	    strcmp(kind, "signaled") == 0) {
		/* The solution's process (C, C++) said it was dying of a
		 * signal: a failure either way, the name is only a help. */
		json_int_t sig = json_integer_value(json_object_get(rec,
		    "signal"));

		set_test(t, V_SIGNALED, "%s", msg ? msg : "killed by a signal");
		t->signal = sig >= 1 && sig <= 64 ?
		    ab_signal_name((int)sig) : "unknown";
	} else if (st != NULL && strcmp(st, "fail") == 0 && kind != NULL &&
	    strcmp(kind, "internal") == 0) {
		/* The checker could not do its job (C, C++: a pointer whose
		 * object it cannot measure, types the two sides disagree
		 * on): the harness's fault, never charged to the subject. */
		set_test(t, V_INTERNAL, "%s", msg ? msg : "checker failure");
		if (j->error == NULL)
			j->error = ab_error_json("checker", "%s", msg ? msg :
			    "checker failure");
	} else if (st != NULL && strcmp(st, "fail") == 0) {
		/* "gone": the solution's process died under the test; the
		 * caller makes it the run's verdict when the supervisor
		 * stopped the run. */
		set_test(t, kind != NULL && (strcmp(kind, "runtime_error") == 0 ||
		    strcmp(kind, "gone") == 0) ? V_RUNTIME : V_WRONG, "%s",
		    msg ? msg : "failed");
		t->gone = kind != NULL && strcmp(kind, "gone") == 0;
	} else {
		set_test(t, V_INTERNAL, "bad completion record");
	}
}

static void
make_nonce(struct job *j)
{
	unsigned char r[16];
	char hex[65];
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	size_t i;

	if (fd < 0 || read(fd, r, sizeof r) != (ssize_t)sizeof r) {
		/* Fall back on a hash of time, pid and a counter. */
		char seed[128];

		snprintf(seed, sizeof seed, "%f:%ld:%lu", ab_now_ms(),
		    (long)getpid(), j->c->nonce_seq++);
		ab_sha256_hex(seed, strlen(seed), hex);
		memcpy(j->nonce, hex, 32);
	} else {
		for (i = 0; i < sizeof r; i++)
			snprintf(j->nonce + 2 * i, 3, "%02x", r[i]);
	}
	j->nonce[32] = '\0';
	if (fd >= 0)
		close(fd);
}

/* The files of a style: the solution, harness files from share, and a
 * template filled with the tests.  Returns the count, or -1 with err. */
static int
style_files(struct job *j, const json_t *style, struct test **ts, size_t n,
    struct ab_file *files, char **bufs, struct ab_error *err)
{
	const char *src = ab_get_str(j->lang, "source");
	const json_t *fm = json_object_get(style, "files");
	const json_t *tpl = json_object_get(style, "template");
	const char *key;
	json_t *val;
	int nf = 0;
	size_t len;

	if (src == NULL)
		return ab_error_set(err, "language", "descriptor has no "
		    "\"source\"");
	files[nf].name = src;
	files[nf].data = j->code;
	files[nf].len = strlen(j->code);
	files[nf++].mode = 0644;
	json_object_foreach((json_t *)fm, key, val) {
		if (nf >= 8 || !json_is_string(val))
			return ab_error_set(err, "language", "bad \"files\"");
		if ((bufs[nf] = share_text(json_string_value(val), &len,
		    err)) == NULL)
			return -1;
		files[nf].name = key;
		files[nf].data = bufs[nf];
		files[nf].len = len;
		files[nf++].mode = 0644;
	}
	if (tpl != NULL) {
		const char *tf = ab_get_str(tpl, "file");
		const char *tt = ab_get_str(tpl, "text");
		const char *per = ab_get_str(style, "test");
		struct ab_buf tests = AB_BUF_INIT;
		char *text, idx[32];
		size_t i;

		if (tf == NULL || tt == NULL || per == NULL || nf >= 8)
			return ab_error_set(err, "language", "bad \"template\"");
		if ((text = share_text(tt, &len, err)) == NULL)
			return -1;
		for (i = 0; i < n; i++) {
			const char *code = ab_get_str(ts[i]->t, "code");
			const char *kv[] = { "INDEX", idx, "CODE",
			    code ? code : "", NULL };
			char *one;

			snprintf(idx, sizeof idx, "%zu", i);
			one = subst(per, kv);
			ab_buf_adds(&tests, one);
			free(one);
		}
		{
			const char *kv[] = { "SOLUTION", j->code, "TESTS",
			    tests.s ? tests.s : "", "ENTRY",
			    j->entry ? j->entry : "", NULL };

			bufs[nf] = subst(text, kv);
		}
		free(text);
		ab_buf_release(&tests);
		files[nf].name = tf;
		files[nf].data = bufs[nf];
		files[nf].len = strlen(bufs[nf]);
		/* With a peer, the filled template is the checker's alone:
		 * the solution's uid cannot read the tests. */
		files[nf++].mode = json_object_get(style, "peer") != NULL ?
		    0600 : 0644;
	}
	return nf;
}

/* ---- C and C++ assertion tests by proxy (see cproxy.h) ----------------- */

/* The first line of a compiler's stderr that reports an error, or its
 * tail.  New. */
static char *
first_error(const struct ab_run_result *r)
{
	const char *e = r->err ? r->err : "", *p = e, *nl;
	json_t *j;
	char *s;

	for (; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p);
		if (memmem(p, (size_t)(nl - p), "error", 5) != NULL ||
		    memmem(p, (size_t)(nl - p), "undefined reference", 19) !=
		    NULL) {
			j = show_bytes(p, (size_t)(nl - p), 500);
			s = ab_xstrdup(json_string_value(j));
			json_decref(j);
			return s;
		}
		if (*nl == '\0')
			break;
	}
	return err_tail(r);
}

/* The name a compiler error says is not declared ("implicit declaration
 * of function 'f'", "'x' undeclared", "'f' was not declared in this
 * scope", ...), or NULL.  New. */
static char *
undeclared(const char *line)
{
	static const char *const pats[] = { "implicit declaration of function",
	    "undeclared", "was not declared in this scope", "unknown type name",
	    "does not name a type", "has not been declared", NULL };
	const char *p, *q;
	size_t i, k, n;

	for (i = 0; pats[i] != NULL; i++)
		if (strstr(line, pats[i]) != NULL)
			break;
	if (pats[i] == NULL || (p = strstr(line, "error")) == NULL)
		return NULL;
	/* The first quoted word after "error": 'x' or \u2018x\u2019. */
	for (; *p != '\0'; p++) {
		if (*p == '\'')
			q = p + 1;
		else if (strncmp(p, "\xe2\x80\x98", 3) == 0)
			q = p + 3;
		else
			continue;
		for (n = 0; q[n] != '\0' && q[n] != '\'' && q[n] != '\xe2'; n++)
			;
		if (n == 0 || n > 200)
			return NULL;
		for (k = 0; k < n; k++)
			if (!((q[k] >= 'a' && q[k] <= 'z') ||
			    (q[k] >= 'A' && q[k] <= 'Z') ||
			    (q[k] >= '0' && q[k] <= '9') || q[k] == '_'))
				return NULL;
		return ab_xstrndup(q, n);
	}
	return NULL;
}

/* --sources: keep a copy of a generated file. */
static void
keep_source(struct job *j, const char *name, const char *text)
{
	char *path, *id = ab_xstrdup(j->id ? j->id : "record"), *p;
	FILE *fp;

	for (p = id; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '.' || *p == '-'))
			*p = '_';
	path = ab_xasprintf("%s/%s.%s", j->c->o.sources, id, name);
	if ((fp = fopen(path, "w")) == NULL || fputs(text, fp) == EOF ||
	    fclose(fp) == EOF)
		ab_warn("%s", path);
	free(path);
	free(id);
}

static void
all_tests(struct test **ts, size_t n, enum verdict v, const char *msg)
{
	size_t i;

	for (i = 0; i < n; i++)
		set_test(ts[i], v, "%s", msg);
}

/*
 * Build the two programs of a "proxy" style: the server S (the solution
 * as written and the stub) in one compile run, without the tests; then
 * the checker K (the tests, the declarations view and the proxies) in a
 * second one, readable by the checker's uid only.  When S does not
 * build, a third run (the solution alone, with an empty main) says
 * whether the solution or its stub is at fault.  Returns 0 when both
 * are ready in the work directory, -1 when every test got its verdict.
 */
static int
proxy_build(struct job *j, const json_t *style, struct test **ts, size_t n,
    const char *const *kv)
{
	const char *dialect = ab_get_str(style, "proxy");
	const char *src = ab_get_str(j->lang, "source");
	const json_t *fm = json_object_get(style, "files");
	const json_t *srv = json_object_get(style, "server");
	const json_t *tpl = json_object_get(style, "template");
	const char *per = ab_get_str(style, "test");
	const char *sf = ab_get_str(srv, "file"), *st = ab_get_str(srv, "text");
	const char *kf = ab_get_str(tpl, "file"), *kt = ab_get_str(tpl, "text");
	struct ab_buf uses = AB_BUF_INIT, tests = AB_BUF_INIT;
	struct ab_file files[10];
	char *bufs[10] = { NULL }, *stext = NULL, *ktext = NULL, idx[32];
	struct ab_run_result r, ra;
	struct ab_cp_out o;
	struct ab_error e;
	enum ab_cp_lang lang;
	const char *key;
	json_t *val;
	size_t i, len;
	int nf = 0, nw, rc = -1, k;

	memset(&o, 0, sizeof o);
	if (dialect != NULL && strcmp(dialect, "c") == 0)
		lang = AB_CP_C;
	else if (dialect != NULL && strcmp(dialect, "cpp") == 0)
		lang = AB_CP_CXX;
	else {
		all_tests(ts, n, V_INTERNAL, "bad \"proxy\" in the language "
		    "descriptor (c or cpp)");
		return -1;
	}
	if (src == NULL || sf == NULL || st == NULL || kf == NULL ||
	    kt == NULL || per == NULL || !json_is_array(json_object_get(style,
	    "compile_checker")) || !json_is_array(json_object_get(style,
	    "compile_alone"))) {
		all_tests(ts, n, V_INTERNAL, "a proxy style needs \"server\", "
		    "\"template\", \"test\", \"compile\", \"compile_alone\" "
		    "and \"compile_checker\"");
		return -1;
	}
	for (i = 0; i < n; i++) {
		const char *code = ab_get_str(ts[i]->t, "code");
		const char *tkv[] = { "INDEX", idx, "CODE", code ? code : "",
		    "HIDDEN", json_is_true(json_object_get(ts[i]->t,
		    "hidden")) ? "1" : "0", NULL };
		char *one;

		ab_buf_adds(&uses, code ? code : "");
		ab_buf_addc(&uses, '\n');
		snprintf(idx, sizeof idx, "%zu", i);
		one = subst(per, tkv);
		ab_buf_adds(&tests, one);
		free(one);
	}
	ab_cp_build(lang, j->code, strlen(j->code), src, uses.s ? uses.s : "",
	    uses.len, j->entry, &o);
	/* Run 1: the server, from the solution alone. */
	files[nf].name = src;
	files[nf].data = j->code;
	files[nf].len = strlen(j->code);
	files[nf++].mode = 0644;
	json_object_foreach((json_t *)fm, key, val) {
		if (nf >= 8 || !json_is_string(val) ||
		    (bufs[nf] = share_text(json_string_value(val), &len,
		    &e)) == NULL) {
			all_tests(ts, n, V_INTERNAL, "bad \"files\" in the "
			    "language descriptor");
			goto out;
		}
		files[nf].name = key;
		files[nf].data = bufs[nf];
		files[nf].len = len;
		files[nf++].mode = 0644;
	}
	nw = nf;	/* the harness files, placed again for the checker */
	{
		char *text = share_text(st, &len, &e);
		const char *skv[] = { "SOLUTION", j->code, "SERVER", o.server,
		    "SOURCE", src, NULL };

		if (text == NULL) {
			all_tests(ts, n, V_INTERNAL, e.msg);
			goto out;
		}
		stext = subst(text, skv);
		free(text);
	}
	files[nf].name = sf;
	files[nf].data = stext;
	files[nf].len = strlen(stext);
	files[nf++].mode = 0644;
	{
		char *text = share_text(kt, &len, &e);
		const char *kkv[] = { "DECLS", o.decls, "PROXIES", o.proxies,
		    "TESTS", tests.s ? tests.s : "", "ENTRY",
		    j->entry ? j->entry : "", NULL };

		if (text == NULL) {
			all_tests(ts, n, V_INTERNAL, e.msg);
			goto out;
		}
		ktext = subst(text, kkv);
		free(text);
	}
	if (j->c->o.sources != NULL) {
		keep_source(j, sf, stext);
		keep_source(j, kf, ktext);
	}
	k = compile_step(j, style, "compile", files, (size_t)nf, false, kv,
	    V_COMPILE, &r, ts, n);
	if (k < 0)
		goto out;
	if (k == 1) {
		/* Whose fault: the solution alone (with a main that does
		 * nothing) decides. */
		k = compile_step(j, style, "compile_alone", NULL, 0, true, kv,
		    V_COMPILE, &ra, ts, n);
		if (k == 1) {
			char *tail = err_tail(&ra);

			all_tests(ts, n, V_COMPILE, tail);
			free(tail);
			ab_run_result_release(&ra);
		} else if (k == 0) {
			char *fe = first_error(&r);
			/* The solution's own shape (a macro over a keyword,
			 * say) keeps the stub from calling it: charged to
			 * the solution, so that no solution can take itself
			 * out of the count. */
			char *msg = ab_xasprintf("ab-exec cannot call this "
			    "solution from the tests: it compiles alone, but "
			    "not with the server stub that calls it: %s", fe);

			all_tests(ts, n, V_COMPILE, msg);
			free(msg);
			free(fe);
			ab_run_result_release(&ra);
		}
		ab_run_result_release(&r);
		goto out;
	}
	ab_run_result_release(&r);
	/* Run 2: the checker, readable by its own uid only. */
	files[nw].name = kf;
	files[nw].data = ktext;
	files[nw].len = strlen(ktext);
	files[nw].mode = 0600;
	k = compile_step(j, style, "compile_checker", files + 1,
	    (size_t)nw, true, kv, V_INTERNAL, &r, ts, n);
	if (k < 0)
		goto out;
	if (k == 1) {
		char *fe = first_error(&r), *name = undeclared(fe), *msg;

		if (name != NULL && !ab_cp_mentions(lang, j->code,
		    strlen(j->code), name)) {
			/* The solution lacks what the tests use: it would
			 * not have compiled with them either. */
			msg = ab_xasprintf("the tests use %s, which the "
			    "solution does not define: %s", name, fe);
			all_tests(ts, n, V_COMPILE, msg);
		} else {
			/* What the solution declares is beyond what the
			 * checker carries (a macro in a signature, an
			 * overload, a class with methods): charged to the
			 * solution, as above; a task's reference passing
			 * shows its tests are within reach. */
			msg = ab_xasprintf("ab-exec cannot call this "
			    "solution from the tests: the checker could not "
			    "be built from the solution's declarations: "
			    "%s%s%s%s", fe, *o.notes ? " (left out: " : "",
			    o.notes, *o.notes ? ")" : "");
			all_tests(ts, n, V_COMPILE, msg);
		}
		free(msg);
		free(name);
		free(fe);
		ab_run_result_release(&r);
		goto out;
	}
	ab_run_result_release(&r);
	rc = 0;
out:
	for (i = 0; i < 10; i++)
		free(bufs[i]);
	free(stext);
	free(ktext);
	ab_buf_release(&uses);
	ab_buf_release(&tests);
	ab_cp_out_release(&o);
	return rc;
}

/* Run the tests of one style (ts: n tests of that style). */
static void
run_style(struct job *j, const char *name, struct test **ts, size_t n)
{
	const json_t *style = json_object_get(j->lang, name);
	const char *mode = ab_get_str(style, "mode");
	struct ab_file files[8];
	char *bufs[8] = { NULL };
	struct ab_error e;
	char nonce_env[64], idx[32];
	const char *kv[] = { "INDEX", idx, "ENTRY", j->entry ? j->entry : "",
	    NULL };
	char *env[] = { nonce_env, NULL };
	struct ab_run_spec spec;
	struct ab_run_result r;
	json_t **recs = NULL;
	char **argv = NULL, **pargv = NULL;
	const char *sig;
	enum verdict v;
	int nf;
	size_t i;

	if (!json_is_object(style)) {
		for (i = 0; i < n; i++)
			set_test(ts[i], V_INTERNAL, "language %s has no %s "
			    "tests", ab_get_str(j->lang, "language"), name);
		return;
	}
	snprintf(idx, sizeof idx, "0");
	if (json_object_get(style, "proxy") != NULL) {
		nf = 0;
		if (proxy_build(j, style, ts, n, kv) < 0)
			goto out;
	} else {
		if ((nf = style_files(j, style, ts, n, files, bufs, &e)) < 0) {
			for (i = 0; i < n; i++)
				set_test(ts[i], V_INTERNAL, "%s", e.msg);
			goto out;
		}
		if (compile(j, style, files, (size_t)nf, kv, ts, n) < 0)
			goto out;
	}
	make_nonce(j);
	snprintf(nonce_env, sizeof nonce_env, "AB_NONCE=%s", j->nonce);
	memset(&spec, 0, sizeof spec);
	spec.limits = j->lim;
	spec.keep_workdir = json_object_get(style, "compile") != NULL;
	if (!spec.keep_workdir) {
		spec.files = files;
		spec.nfiles = (size_t)nf;
	}
	if (mode != NULL && strcmp(mode, "batch") == 0) {
		/* One run for all tests; the spec goes on stdin. */
		json_t *sp = json_pack("{s:s, s:s?, s:[]}", "nonce", j->nonce,
		    "entry_point", j->entry, "tests");
		char *text;

		for (i = 0; i < n; i++) {
			json_t *t = json_pack("{s:I, s:s}", "index",
			    (json_int_t)i, "style", ts[i]->style);

			if (strcmp(ts[i]->style, "call") == 0)
				json_object_set(t, "args",
				    json_object_get(ts[i]->t, "args"));
			else
				json_object_set_new(t, "code", json_string(
				    ab_get_str(ts[i]->t, "code")));
			json_array_append_new(json_object_get(sp, "tests"), t);
		}
		text = json_dumps(sp, JSON_COMPACT);
		json_decref(sp);
		const json_t *zy = json_object_get(style, "zygote");

		if (zy != NULL && j->c->o.warm &&
		    json_object_get(zy, "peer") != NULL) {
			/* Warm: zygotes fork the checker and the server. */
			argv = make_argv(json_object_get(zy, "run"), kv);
			pargv = make_argv(json_object_get(zy, "peer"), kv);
			spec.warm = true;
		} else {
			argv = make_argv(json_object_get(style, "run"), kv);
			pargv = json_object_get(style, "peer") ?
			    make_argv(json_object_get(style, "peer"), kv) :
			    NULL;
		}
		if (argv == NULL || text == NULL) {
			for (i = 0; i < n; i++)
				set_test(ts[i], V_INTERNAL, "bad run command");
			free(text);
			goto out;
		}
		spec.argv = argv;
		spec.peer_argv = pargv;
		spec.env = env;
		spec.stdin_data = text;
		spec.stdin_len = strlen(text);
		if (run(j, &spec, &r) < 0) {
			for (i = 0; i < n; i++)
				set_test(ts[i], V_INTERNAL, "sandbox failed");
			free(text);
			goto out;
		}
		free(text);
		recs = ab_xcalloc(n, sizeof *recs);
		read_channel(j, &r, recs, n);
		v = run_verdict(&r, &sig);
		for (i = 0; i < n; i++) {
			if (recs[i] != NULL) {
				judge(j, ts[i], recs[i]);
				/* Killed at a limit, or by a signal: that is
				 * the verdict, not the checker's "gone". */
				if (ts[i]->gone && v != V_NONE &&
				    v != V_RUNTIME) {
					fail_from_run(ts[i], v, &r, sig,
					    &j->lim);
					json_decref(recs[i]);
					continue;
				}
				/* What the solution's process said before it
				 * went away. */
				if (ts[i]->v == V_RUNTIME && r.err_len > 0 &&
				    ts[i]->error != NULL &&
				    strstr(ts[i]->error, "process exited")) {
					char *tail = err_tail(&r);
					char *was = ab_xstrdup(ts[i]->error);

					set_test(ts[i], V_RUNTIME, "%.200s: %s",
					    was, tail);
					free(was);
					free(tail);
				}
			}
			else if (v != V_NONE)
				fail_from_run(ts[i], v, &r, sig, &j->lim);
			else
				set_test(ts[i], V_RUNTIME, "the test did not "
				    "complete%s%s", r.err_len ? ": " : "",
				    r.err_len ? r.err : "");
			json_decref(recs[i]);
		}
		ab_run_result_release(&r);
		goto out;
	}
	/* One run per test. */
	for (i = 0; i < n; i++) {
		const json_t *t = ts[i]->t;
		const char *in = ab_get_str(t, "stdin");
		json_t *rec = NULL;

		snprintf(idx, sizeof idx, "%zu", i);
		if ((argv = make_argv(json_object_get(style, "run"), kv)) ==
		    NULL) {
			set_test(ts[i], V_INTERNAL, "bad run command");
			continue;
		}
		spec.argv = argv;
		/* The solution apart from the checker, when the style says
		 * so (bash). */
		free_argv(pargv);
		pargv = json_object_get(style, "peer") != NULL ?
		    make_argv(json_object_get(style, "peer"), kv) : NULL;
		spec.peer_argv = pargv;
		/* io programs get no channel secret: nothing to report. */
		spec.env = strcmp(ts[i]->style, "io") == 0 ? NULL : env;
		spec.stdin_data = in;
		spec.stdin_len = in ? strlen(in) : 0;
		spec.keep_workdir = json_object_get(style, "compile") != NULL;
		if (run(j, &spec, &r) < 0) {
			set_test(ts[i], V_INTERNAL, "sandbox failed");
			free_argv(argv);
			argv = NULL;
			continue;
		}
		free_argv(argv);
		argv = NULL;
		ts[i]->time_ms = r.cpu_ms;
		v = run_verdict(&r, &sig);
		if (strcmp(ts[i]->style, "io") == 0) {
			const char *want = ab_get_str(t, "stdout");
			const char *cmp = ab_get_str(t, "compare");
			double tol = ab_get_num(t, "tolerance", 1e-6);
			bool same;

			ts[i]->actual = show_bytes(r.out, r.out_len, SHOW_MAX);
			if (v != V_NONE) {
				fail_from_run(ts[i], v, &r, sig, &j->lim);
			} else {
				if (want == NULL)
					want = "";
				if (cmp == NULL || strcmp(cmp, "trailing") == 0)
					same = same_trailing(r.out, r.out_len,
					    want, strlen(want));
				else if (strcmp(cmp, "exact") == 0)
					same = r.out_len == strlen(want) &&
					    memcmp(r.out, want, r.out_len) == 0;
				else
					same = same_tokens(r.out, r.out_len,
					    want, strlen(want),
					    strcmp(cmp, "float") == 0, tol);
				if (same)
					set_test(ts[i], V_OK, NULL);
				else
					set_test(ts[i], V_WRONG, "output differs");
			}
		} else {
			recs = ab_xcalloc(n, sizeof *recs);
			read_channel(j, &r, recs, n);
			rec = recs[i];
			recs[i] = NULL;
			free(recs);
			recs = NULL;
			if (v != V_NONE && v != V_RUNTIME)
				fail_from_run(ts[i], v, &r, sig, &j->lim);
			else if (v == V_NONE && rec != NULL)
				judge(j, ts[i], rec);
			else if (r.exit_code == 1 || v == V_NONE)
				set_test(ts[i], V_WRONG, "assertion failed%s%s",
				    r.err_len ? ": " : "",
				    r.err_len ? r.err : "");
			else
				fail_from_run(ts[i], v, &r, sig, &j->lim);
			if (ts[i]->time_ms <= 0)
				ts[i]->time_ms = r.cpu_ms;
			json_decref(rec);
		}
		ab_run_result_release(&r);
	}
out:
	for (i = 0; i < 8; i++)
		free(bufs[i]);
	free(recs);
	free_argv(argv);
	free_argv(pargv);
	ab_sandbox_reset(j->c->sb);
}

static long
limit_of(long opt, const json_t *task, const char *key, long def)
{
	const json_t *v = json_object_get(task, key);

	if (opt > 0)
		return opt;
	if (json_is_integer(v) && json_integer_value(v) > 0 &&
	    json_integer_value(v) < 1000000)
		return (long)json_integer_value(v);
	if (json_is_real(v) && json_real_value(v) >= 1 &&
	    json_real_value(v) < 1e6)
		return (long)json_real_value(v);
	return def;
}

static json_t *
limits_json(const struct ab_limits *l)
{
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
	    "cpu_ms", (json_int_t)l->cpu_ms, "wall_ms", (json_int_t)l->wall_ms,
	    "memory_mb", (json_int_t)l->memory_mb, "procs",
	    (json_int_t)l->procs, "output_bytes", (json_int_t)l->output_bytes,
	    "file_bytes", (json_int_t)l->file_bytes, "open_files",
	    (json_int_t)l->open_files);
}

static json_t *
exec_task(struct ctx *c, const json_t *rec)
{
	static const char *const styles[] = { "io", "assert", "call", NULL };
	struct job j;
	struct ab_error e;
	const json_t *tests = ab_get(rec, "task.tests"), *t;
	const char *lang = ab_get_str(rec, "task.language");
	json_t *m, *arr;
	enum verdict worst = V_OK;
	size_t i, passed = 0;
	int s;

	memset(&j, 0, sizeof j);
	j.c = c;
	j.id = ab_get_str(rec, "id");
	j.task = ab_get(rec, "task");
	j.code = ab_get_str(rec, "extract.code");
	j.entry = ab_get_str(rec, "task.entry_point");
	j.peak_kb = 0;
	j.lim.cpu_ms = limit_of(c->o.cpu_ms, j.task, "time_limit_ms", 2000);
	j.lim.wall_ms = c->o.wall_ms > 0 ? c->o.wall_ms :
	    2 * j.lim.cpu_ms + 1000;
	j.lim.memory_mb = limit_of(c->o.memory_mb, j.task, "memory_limit_mb",
	    256);
	j.lim.procs = 64;
	j.lim.output_bytes = 8L << 20;
	j.lim.file_bytes = 16L << 20;
	j.lim.open_files = 64;
	j.lim.tmpfs_mb = 64;
	j.ntests = json_array_size(tests);
	j.tests = ab_xcalloc(j.ntests ? j.ntests : 1, sizeof *j.tests);
	if ((j.lang = lang_get(c, lang ? lang : "", &e)) == NULL)
		j.error = ab_error_json(e.kind, "%s", e.msg);
	else {
		const json_t *cl = json_object_get(j.lang, "compile_limits");

		j.clim = j.lim;
		j.clim.cpu_ms = (long)ab_get_num(cl, "cpu_ms", 20000);
		j.clim.wall_ms = (long)ab_get_num(cl, "wall_ms", 40000);
		j.clim.memory_mb = (long)ab_get_num(cl, "memory_mb", 1024);
		j.clim.output_bytes = 1L << 20;
		j.clim.file_bytes = 256L << 20;
		j.clim.tmpfs_mb = 512;
		j.lim.tmpfs_mb = 512;	/* holds the compiled program too */
	}
	for (i = 0; i < j.ntests; i++) {
		t = json_array_get(tests, i);
		j.tests[i].t = t;
		j.tests[i].v = V_NONE;
		j.tests[i].style = ab_get_str(t, "style");
		if (j.tests[i].style == NULL)
			j.tests[i].style = "assert";
		if (strcmp(j.tests[i].style, "call") == 0)
			j.tests[i].expected = json_incref(json_object_get(t,
			    "expected"));
		else if (strcmp(j.tests[i].style, "io") == 0)
			j.tests[i].expected = json_incref(json_object_get(t,
			    "stdout"));
		if (!json_is_object(t))
			set_test(&j.tests[i], V_INTERNAL, "test is not an "
			    "object");
		else if (strcmp(j.tests[i].style, "call") == 0 &&
		    !json_is_array(json_object_get(t, "args")))
			set_test(&j.tests[i], V_INTERNAL, "call test without "
			    "\"args\" array");
		else if (strcmp(j.tests[i].style, "assert") == 0 &&
		    ab_get_str(t, "code") == NULL)
			set_test(&j.tests[i], V_INTERNAL, "assert test without "
			    "\"code\"");
		else if (strcmp(j.tests[i].style, "io") != 0 &&
		    strcmp(j.tests[i].style, "call") != 0 &&
		    strcmp(j.tests[i].style, "assert") != 0)
			set_test(&j.tests[i], V_INTERNAL, "unknown test style "
			    "\"%.40s\"", j.tests[i].style);
		else if (j.lang == NULL)
			set_test(&j.tests[i], V_INTERNAL, "%s", e.msg);
	}
	for (s = 0; j.lang != NULL && styles[s] != NULL; s++) {
		struct test **ts = ab_xcalloc(j.ntests + 1, sizeof *ts);
		size_t n = 0;

		for (i = 0; i < j.ntests; i++)
			if (!j.tests[i].done &&
			    strcmp(j.tests[i].style, styles[s]) == 0)
				ts[n++] = &j.tests[i];
		if (n > 0)
			run_style(&j, styles[s], ts, n);
		free(ts);
	}
	/* The record. */
	arr = json_array();
	for (i = 0; i < j.ntests; i++) {
		struct test *x = &j.tests[i];
		const char *nm = ab_get_str(x->t, "name");
		json_t *w = json_object_get(x->t, "weight");
		json_t *o;

		if (!x->done)
			set_test(x, V_INTERNAL, "not run");
		if (x->v == V_OK)
			passed++;
		if (x->v < worst)
			worst = x->v;
		o = json_pack("{s:o, s:s, s:o, s:f, s:o, s:o, s:o}",
		    "name", nm ? json_string(nm) : json_sprintf("test %zu", i),
		    "verdict", verdict_names[x->v],
		    "weight", json_is_number(w) ? json_incref(w) :
		    json_integer(1),
		    "time_ms", floor(x->time_ms * 1000 + 0.5) / 1000,
		    "expected", x->expected ? x->expected : json_null(),
		    "actual", x->actual ? x->actual : json_null(),
		    "error", x->error ? show_bytes(x->error, strlen(x->error),
		    ERR_SHOW) : json_null());
		if (o == NULL)
			o = json_pack("{s:s, s:s}", "verdict", "internal_error",
			    "error", "cannot represent this test's result");
		if (x->signal != NULL)
			json_object_set_new(o, "signal", json_string(x->signal));
		json_array_append_new(arr, o);
		free(x->error);
	}
	if (j.error != NULL)
		worst = V_INTERNAL;
	m = json_pack("{s:s, s:I, s:I, s:o, s:f, s:f, s:I, s:o, s:O, s:o}",
	    "verdict", verdict_names[j.ntests == 0 && j.error == NULL ? V_OK :
	    worst], "passed", (json_int_t)passed, "total",
	    (json_int_t)j.ntests, "tests", arr,
	    "cpu_ms", floor(j.cpu_ms * 1000 + 0.5) / 1000,
	    "wall_ms", floor(j.wall_ms * 1000 + 0.5) / 1000,
	    "peak_kb", (json_int_t)j.peak_kb,
	    "limits", limits_json(&j.lim),
	    "isolation", c->isolation,
	    "error", j.error ? j.error : json_null());
	free(j.tests);
	return m;
}

/* ---- the record loop and the workers ----------------------------------- */

static void
need_sandbox(struct ctx *c, int slot)
{
	struct ab_sandbox_opts so;
	struct ab_error e;

	if (c->sb != NULL)
		return;
	memset(&so, 0, sizeof so);
	so.allow_degraded = c->o.allow_degraded;
	so.slot = slot;
	if ((c->sb = ab_sandbox_new(&so, &e)) == NULL) {
		if (strcmp(e.kind, "degraded") == 0)
			ab_errx(AB_EXIT_FATAL, "refusing to run: %s (use "
			    "--allow-degraded to run anyway)", e.msg);
		ab_errx(AB_EXIT_FATAL, "sandbox: %s", e.msg);
	}
	c->isolation = ab_sandbox_isolation(c->sb);
}

/* Process one record in place; returns the record's exit status. */
static int
process(struct ctx *c, json_t *rec, int slot)
{
	json_t *m;

	if (ab_upstream_failed(rec, "exec")) {
		ab_set_stage(rec, "exec", ab_skipped_json());
		return AB_EXIT_OK;
	}
	need_sandbox(c, slot);
	m = exec_task(c, rec);
	ab_set_stage(rec, "exec", m);
	return json_is_null(json_object_get(m, "error")) ? AB_EXIT_OK :
	    AB_EXIT_FAIL;
}

static bool
valid(json_t *rec, const char *file, long line)
{
	static const char *const need[] = { "task", NULL };
	static const char *const need_run[] = { "task.language",
	    "task.tests", "extract.code", NULL };

	if (!ab_require(rec, file, line, need))
		return false;
	if (ab_upstream_failed(rec, "exec"))
		return true;
	if (!ab_require(rec, file, line, need_run))
		return false;
	if (!json_is_array(ab_get(rec, "task.tests")) ||
	    ab_get_str(rec, "task.language") == NULL ||
	    ab_get_str(rec, "extract.code") == NULL) {
		ab_warnx_at(file, line, "record %s: task.tests must be an "
		    "array, task.language and extract.code strings",
		    ab_get_str(rec, "id"));
		return false;
	}
	return true;
}

/* Framed messages between the main process and a worker. */
static int
put_frame(int fd, const char *s, size_t n, int status)
{
	unsigned char h[9];
	size_t off;
	ssize_t w;
	int i;

	for (i = 0; i < 8; i++)
		h[i] = (unsigned char)(n >> (56 - 8 * i));
	h[8] = (unsigned char)status;
	for (off = 0; off < sizeof h; off += (size_t)w)
		if ((w = write(fd, h + off, sizeof h - off)) <= 0 &&
		    errno != EINTR)
			return -1;
		else if (w < 0)
			w = 0;
	for (off = 0; off < n; off += (size_t)w)
		if ((w = write(fd, s + off, n - off)) <= 0 && errno != EINTR)
			return -1;
		else if (w < 0)
			w = 0;
	return 0;
}

static int
read_full(int fd, void *p, size_t n)
{
	size_t off;
	ssize_t r;

	for (off = 0; off < n; off += (size_t)r)
		if ((r = read(fd, (char *)p + off, n - off)) <= 0) {
			if (r < 0 && errno == EINTR) {
				r = 0;
				continue;
			}
			return -1;
		}
	return 0;
}

/* A new frame's text (NUL-terminated), or NULL at EOF or error. */
static char *
get_frame(int fd, size_t *n, int *status)
{
	unsigned char h[9];
	uint64_t len = 0;
	char *s;
	int i;

	if (read_full(fd, h, sizeof h) < 0)
		return NULL;
	for (i = 0; i < 8; i++)
		len = len << 8 | h[i];
	if (len > ((uint64_t)1 << 40))
		return NULL;
	*status = h[8];
	s = ab_xmalloc((size_t)len + 1);
	if (read_full(fd, s, (size_t)len) < 0) {
		free(s);
		return NULL;
	}
	s[len] = '\0';
	*n = (size_t)len;
	return s;
}

struct worker {
	pid_t pid;
	int to, from;
	long seq;		/* record being processed, -1 when idle */
};

struct pending {
	char *text;		/* the finished record, new */
	int status;
	bool ready;
};

struct par {
	struct ctx *c;
	struct worker *w;
	int nw;
	struct pending *q;	/* by seq - base */
	long base, next;	/* first unemitted seq, next seq to assign */
	size_t cap;
	int status;
};

/* With no more workers than allowed CPUs, each worker keeps to a CPU of
 * its own, and so do its keeper, zygotes and runs (they inherit it): a
 * run's processes hand the CPU to each other in turn (checker,
 * solution, keeper, worker), and a wake-up on the same CPU costs a
 * fraction of one sent to another.  The CPUs are taken in turn from
 * the one the main process is on, so that several ab-exec processes
 * started side by side spread as the kernel placed them. */
static void
pin_worker(int slot, int nw, int base)
{
	cpu_set_t allowed, one;
	int cpu, k = 0, n, want;

	if (base < 0 || sched_getaffinity(0, sizeof allowed, &allowed) < 0 ||
	    nw > (n = CPU_COUNT(&allowed)))
		return;
	want = (base + slot) % n;
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (!CPU_ISSET(cpu, &allowed) || k++ != want)
			continue;
		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
		(void)sched_setaffinity(0, sizeof one, &one);
		return;
	}
}

/* Where the main process is among its allowed CPUs (pin_worker's base),
 * or -1 not to pin. */
static int
pin_base(bool pin)
{
	cpu_set_t allowed;
	int cpu, me = sched_getcpu(), k = 0;

	if (!pin || me < 0 || sched_getaffinity(0, sizeof allowed,
	    &allowed) < 0)
		return -1;
	for (cpu = 0; cpu < me && cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, &allowed))
			k++;
	return k;
}

static AB_NORETURN void
worker_main(struct ctx *c, int slot, int nw, int base, int in, int out)
{
	char *text;
	size_t n;
	int st;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	pin_worker(slot, nw, base);
	while ((text = get_frame(in, &n, &st)) != NULL) {
		json_t *rec = json_loadb(text, n, 0, NULL);
		char *res;

		free(text);
		if (rec == NULL)
			_exit(AB_EXIT_FATAL);
		st = process(c, rec, slot);
		res = ab_json_text(rec);
		json_decref(rec);
		if (res == NULL || put_frame(out, res, strlen(res), st) < 0)
			_exit(AB_EXIT_FATAL);
		free(res);
	}
	ab_sandbox_free(c->sb);
	_exit(0);
}

static void
emit_text(const char *s)
{
	if (fputs(s, stdout) == EOF || putchar('\n') == EOF ||
	    fflush(stdout) == EOF) {
		ab_warn("stdout");
		exit(AB_EXIT_FATAL);
	}
}

static void
flush_ready(struct par *p)
{
	while (p->base < p->next && p->q[0].ready) {
		if (p->q[0].text != NULL)
			emit_text(p->q[0].text);
		free(p->q[0].text);
		if (p->q[0].status > p->status)
			p->status = p->q[0].status;
		memmove(p->q, p->q + 1, sizeof *p->q *
		    (size_t)(p->next - p->base - 1));
		p->base++;
	}
}

/* Wait for one worker to finish its record. */
static void
collect(struct par *p)
{
	struct pollfd *pf = ab_xcalloc((size_t)p->nw, sizeof *pf);
	int i;

	for (i = 0; i < p->nw; i++) {
		pf[i].fd = p->w[i].seq >= 0 ? p->w[i].from : -1;
		pf[i].events = POLLIN;
	}
	while (poll(pf, (nfds_t)p->nw, -1) < 0)
		if (errno != EINTR)
			ab_err(AB_EXIT_FATAL, "poll");
	for (i = 0; i < p->nw; i++) {
		struct pending *q;
		size_t n;
		int st;

		if (pf[i].fd < 0 || pf[i].revents == 0)
			continue;
		q = &p->q[p->w[i].seq - p->base];
		if ((q->text = get_frame(p->w[i].from, &n, &st)) == NULL)
			ab_errx(AB_EXIT_FATAL, "worker %d died", i);
		q->status = st;
		q->ready = true;
		p->w[i].seq = -1;
	}
	free(pf);
	flush_ready(p);
}

static void
start_workers(struct par *p)
{
	int i, a[2], b[2], base = pin_base(p->c->o.pin);

	fflush(stdout);
	fflush(stderr);
	p->w = ab_xcalloc((size_t)p->nw, sizeof *p->w);
	for (i = 0; i < p->nw; i++) {
		if (pipe2(a, O_CLOEXEC) < 0 || pipe2(b, O_CLOEXEC) < 0)
			ab_err(AB_EXIT_FATAL, "pipe");
		if ((p->w[i].pid = fork()) < 0)
			ab_err(AB_EXIT_FATAL, "fork");
		if (p->w[i].pid == 0) {
			int k;

			close(a[1]);
			close(b[0]);
			for (k = 0; k < i; k++) {
				close(p->w[k].to);
				close(p->w[k].from);
			}
			worker_main(p->c, i, p->nw, base, a[0], b[1]);
		}
		close(a[0]);
		close(b[1]);
		p->w[i].to = a[1];
		p->w[i].from = b[0];
		p->w[i].seq = -1;
	}
}

static int
par_record(json_t *rec, const char *file, long line, void *ctx)
{
	struct par *p = ctx;
	struct pending *q;
	char *text;
	int i;

	if (!valid(rec, file, line))
		return AB_REC_REJECTED;
	if ((size_t)(p->next - p->base) >= p->cap) {
		p->cap = p->cap ? 2 * p->cap : 64;
		p->q = ab_xrealloc(p->q, p->cap * sizeof *p->q);
	}
	q = &p->q[p->next - p->base];
	memset(q, 0, sizeof *q);
	p->next++;
	if (ab_upstream_failed(rec, "exec")) {
		ab_set_stage(rec, "exec", ab_skipped_json());
		q->text = ab_json_text(rec);
		q->ready = true;
		flush_ready(p);
		return AB_EXIT_OK;
	}
	if (p->w == NULL)
		start_workers(p);
	for (;;) {
		for (i = 0; i < p->nw; i++)
			if (p->w[i].seq < 0)
				break;
		if (i < p->nw)
			break;
		collect(p);
	}
	text = ab_json_text(rec);
	p->w[i].seq = p->next - 1;
	if (text == NULL || put_frame(p->w[i].to, text, strlen(text), 0) < 0)
		ab_errx(AB_EXIT_FATAL, "worker %d died", i);
	free(text);
	return AB_EXIT_OK;
}

static int
one_record(json_t *rec, const char *file, long line, void *ctx)
{
	struct ctx *c = ctx;
	int st;

	if (!valid(rec, file, line))
		return AB_REC_REJECTED;
	st = process(c, rec, 0);
	ab_emit(rec, true);
	return st;
}


int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "allow-degraded", no_argument, NULL, 'D' },
		{ "cold", no_argument, NULL, 'c' },
		{ "cpu-ms", required_argument, NULL, 'C' },
		{ "wall-ms", required_argument, NULL, 'W' },
		{ "memory-mb", required_argument, NULL, 'm' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "max-record", required_argument, NULL, 'M' },
		{ "no-pin", no_argument, NULL, 'P' },
		{ "sources", required_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 },
	};
	struct ab_loop_opts o = { 0 };
	struct ctx c;
	struct lang *l;
	int ch, status, i;

	ab_init(argv[0]);
	memset(&c, 0, sizeof c);
	c.o.jobs = 1;
	c.o.warm = true;
	c.o.pin = true;
	while ((ch = getopt_long(argc, argv, "bhj:V", longopts, NULL)) != -1) {
		switch (ch) {
		case 'b':
			o.stop_on_bad = true;
			break;
		case 'c':
			c.o.warm = false;
			break;
		case 'C':
			c.o.cpu_ms = ab_opt_long("--cpu-ms",
			    optarg, 1, 3600000);
			break;
		case 'D':
			c.o.allow_degraded = true;
			break;
		case 'j':
			c.o.jobs = (int)ab_opt_long("-j", optarg, 1, 64);
			break;
		case 'm':
			c.o.memory_mb = ab_opt_long("--memory-mb", optarg, 1,
			    1048576);
			break;
		case 'M':
			o.max_record = ab_opt_size("--max-record",
			    optarg, 1, SIZE_MAX);
			break;
		case 'P':
			c.o.pin = false;
			break;
		case 'S':
			c.o.sources = optarg;
			break;
		case 'W':
			c.o.wall_ms = ab_opt_long("--wall-ms",
			    optarg, 1, 7200000);
			break;
		case 'h':
			usage(stdout);
			ab_exit(AB_EXIT_OK);
		case 'V':
			ab_print_version();
			ab_exit(AB_EXIT_OK);
		default:
			usage(stderr);
			ab_exit(AB_EXIT_FATAL);
		}
	}
	argc -= optind;
	argv += optind;
	if (c.o.jobs == 1) {
		pin_worker(0, 1, pin_base(c.o.pin));
		status = ab_loop(&o, argv, argc, one_record, &c);
	} else {
		struct par p;

		memset(&p, 0, sizeof p);
		p.c = &c;
		p.nw = c.o.jobs;
		status = ab_loop(&o, argv, argc, par_record, &p);
		while (p.base < p.next)
			collect(&p);
		if (p.status > status)
			status = p.status;
		for (i = 0; p.w != NULL && i < p.nw; i++) {
			close(p.w[i].to);
			close(p.w[i].from);
			while (waitpid(p.w[i].pid, NULL, 0) < 0 &&
			    errno == EINTR)
				;
		}
		free(p.w);
		free(p.q);
	}
	ab_sandbox_free(c.sb);
	json_decref(c.isolation);
	while ((l = c.langs) != NULL) {
		c.langs = l->next;
		json_decref(l->d);
		free(l->name);
		free(l);
	}
	ab_exit(status);
}
