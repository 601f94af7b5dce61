/*
 * run.c - the judge: one record's tests, style by style, in the sandbox.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exec-int.h"

static const char *const verdict_names[] = {
	"internal_error", "compile_error", "time_limit", "memory_limit",
	"output_limit", "signaled", "runtime_error", "wrong_answer", "ok",
	NULL,
};

/* ---- text helpers ------------------------------------------------------- */

/* A JSON string from untrusted bytes: valid UTF-8 kept (newlines too),
 * invalid bytes and NUL as \xNN, cut after max bytes with a note. */
json_t *
ab_ex_show_bytes(const char *s, size_t n, size_t max)
{
	struct ab_buf b = AB_BUF_INIT;
	size_t i = 0, cut = n > max ? max : n;
	json_t *j;

	while (i < cut) {
		unsigned char c = (unsigned char)s[i];
		size_t len = ab_utf8_len(s + i, n - i);
		bool ok = len > 0 && c != 0;

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
char *
ab_ex_subst(const char *s, const char *const *kv)
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

/* argv with @@KEY@@ substituted.  New, NULL-terminated. */
char **
ab_ex_make_argv(char *const *argv, const char *const *kv)
{
	size_t i, k, n;
	char **v;

	if (argv == NULL)
		return NULL;
	for (n = 0; argv[n] != NULL; n++)
		;
	v = ab_xcalloc(n + 1, sizeof *v);
	for (i = 0, k = 0; i < n; i++) {
		v[k] = ab_ex_subst(argv[i], kv);
		/* An optional argument alone, and none. */
		if ((strcmp(argv[i], "@@PCH@@") == 0 ||
		    strcmp(argv[i], "@@LD@@") == 0) && *v[k] == '\0')
			free(v[k]);
		else
			k++;
	}
	v[k] = NULL;
	return v;
}

void
ab_ex_free_argv(char **v)
{
	size_t i;

	for (i = 0; v != NULL && v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

void
ab_ex_warn(struct ab_exec *x, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (x->o.warn == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	x->o.warn(msg, x->o.warn_arg);
}

/* ---- one record --------------------------------------------------------- */

void
ab_ex_set_test(struct test *t, enum verdict v, const char *fmt, ...)
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
char *
ab_ex_err_tail(const struct ab_run_result *r)
{
	size_t n = r->err_len, off = n > 600 ? n - 600 : 0;
	json_t *j = ab_ex_show_bytes(r->err + off, n - off, 600);
	char *s = ab_xstrdup(json_string_value(j));

	json_decref(j);
	return s;
}

static void
fail_from_run(struct test *t, enum verdict v, const struct ab_run_result *r,
    const char *sig, const struct ab_limits *lim)
{
	char *tail = ab_ex_err_tail(r);

	t->signal = sig;
	switch (v) {
	case V_TIME:
		ab_ex_set_test(t, v, "%s time limit (%ld ms) exceeded",
		    r->stop == AB_STOP_WALL ? "wall" : "cpu",
		    r->stop == AB_STOP_WALL ? lim->wall_ms : lim->cpu_ms);
		break;
	case V_MEMORY:
		ab_ex_set_test(t, v, "memory limit (%ld MB) exceeded",
		    lim->memory_mb);
		break;
	case V_OUTPUT:
		ab_ex_set_test(t, v, "output limit exceeded");
		break;
	case V_SIGNALED:
		ab_ex_set_test(t, v, "killed by %s%s%s", sig, *tail ? ": " : "",
		    tail);
		break;
	case V_INTERNAL:
		ab_ex_set_test(t, v, "cannot start the program: %s",
		    strerror(r->exec_errno));
		break;
	default:
		ab_ex_set_test(t, v, "exit status %d%s%s", r->exit_code,
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
 * One compile command (cmd, the descriptor's key), with files, in
 * the work directory (kept from the previous run when keep).  Returns 0
 * when it succeeded, 1 when the compiler failed (*r filled: release it),
 * -1 when every test got its verdict (a sandbox failure, a limit:
 * limit_verdict, or internal_error).
 */
/*
 * argv with "-lNAME" appended for each library of the task's link member
 * (ab-task(5)), for the compilations that link the solution.  The names
 * were checked (link_problem).  Returns the new argv; the old one is
 * freed.
 */
static char **
add_link(const struct job *j, char **argv)
{
	const json_t *libs = json_object_get(j->task, "link"), *l;
	size_t n = 0, k, i;
	char **v;

	if (json_array_size(libs) == 0)
		return argv;
	while (argv[n] != NULL)
		n++;
	v = ab_xcalloc(n + json_array_size(libs) + 1, sizeof *v);
	memcpy(v, argv, n * sizeof *v);
	free(argv);
	k = n;
	json_array_foreach(libs, i, l)
		v[k++] = ab_xasprintf("-l%s", json_string_value(l));
	return v;
}

/* Why the task's link member cannot be used, or NULL. */
static const char *
link_problem(const json_t *task)
{
	const json_t *libs = json_object_get(task, "link"), *l;
	size_t i;

	if (libs == NULL)
		return NULL;
	if (!json_is_array(libs) || json_array_size(libs) > 16)
		return "task.link must be an array of at most 16 library names";
	json_array_foreach(libs, i, l) {
		const char *s = json_string_value(l);

		if (s == NULL || *s == '\0' || strlen(s) > 64 ||
		    strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789_+.-") != strlen(s) || *s == '-' || *s == '.')
			return "task.link: a library name is letters, digits, "
			    "'_', '+', '.' and '-', not beginning with '-' or '.'";
	}
	return NULL;
}

/*
 * Why the task's modules member (ab-task(5)) cannot be met, or NULL: the
 * names are checked, and each must be in the --modules directory dir
 * where the language looks (javascript: dir/node_modules/NAME, what
 * npm install --prefix dir makes; python: dir/python/NAME, a package,
 * or NAME.py, NAME.*.so, what pip install --target dir/python makes).
 * New, or NULL.
 */
static char *
modules_problem(const json_t *task, const char *lang, const char *dir)
{
	const json_t *mods = json_object_get(task, "modules"), *m;
	bool js = strcmp(lang, "javascript") == 0;
	size_t i;

	if (mods == NULL)
		return NULL;
	if (!json_is_array(mods) || json_array_size(mods) > 64)
		return ab_xstrdup("task.modules must be an array of at most "
		    "64 module names");
	if (json_array_size(mods) > 0 && !js && strcmp(lang, "python") != 0)
		return ab_xasprintf("task.modules: the language %s loads no "
		    "modules (javascript and python do)", lang);
	if (json_array_size(mods) > 0 && !js) {
		/* python3 -I, the io style's interpreter, reads no path
		 * from outside: its solution could not import them. */
		json_array_foreach(json_object_get(task, "tests"), i, m)
			if (json_is_object(m) && json_is_string(json_object_get(
			    m, "style")) && strcmp(json_string_value(
			    json_object_get(m, "style")), "io") == 0)
				return ab_xstrdup("task.modules: python's io "
				    "style runs the solution isolated from "
				    "modules (python3 -I); call and assert "
				    "tests load them");
	}
	json_array_foreach(mods, i, m) {
		const char *s = json_string_value(m), *slash;
		char *path = NULL;
		struct stat st;
		bool found = false;

		if (s == NULL || *s == '\0' || strlen(s) > 128 ||
		    strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRS"
		    "TUVWXYZ0123456789_.-@/") != strlen(s) || *s == '.' ||
		    *s == '-' || strstr(s, "..") != NULL ||
		    ((slash = strchr(s, '/')) != NULL && (!js || *s != '@' ||
		    slash == s + 1 || slash[1] == '\0' ||
		    strchr(slash + 1, '/') != NULL)) ||
		    (strchr(s, '@') != NULL && (!js || strrchr(s, '@') != s)))
			return ab_xasprintf("task.modules: bad module name "
			    "\"%.128s\" (letters, digits, '_', '.' and '-'; "
			    "javascript's @scope/name too)", s ? s : "");
		if (dir == NULL)
			return ab_xasprintf("the task needs the module %s: run "
			    "ab-exec with --modules DIR, DIR holding it", s);
		if (js) {
			path = ab_xasprintf("%s/node_modules/%s", dir, s);
			found = stat(path, &st) == 0;
		} else {
			DIR *d;
			struct dirent *de;
			size_t n = strlen(s);

			path = ab_xasprintf("%s/python", dir);
			if ((d = opendir(path)) != NULL) {
				while (!found && (de = readdir(d)) != NULL)
					found = strncmp(de->d_name, s, n) == 0 &&
					    (de->d_name[n] == '\0' ||
					    strcmp(de->d_name + n, ".py") == 0 ||
					    (de->d_name[n] == '.' &&
					    strlen(de->d_name + n) > 3 &&
					    strcmp(de->d_name + strlen(
					    de->d_name) - 3, ".so") == 0));
				closedir(d);
			}
		}
		if (!found) {
			char *msg = ab_xasprintf("the task needs the module %s, "
			    "which the --modules directory lacks (%s%s)", s,
			    path, js ? "" : "/");

			free(path);
			return msg;
		}
		free(path);
	}
	return NULL;
}

int
ab_ex_compile_step(struct job *j, char *const *cmd, const char *key,
    const struct ab_file *files, size_t nfiles, bool keep,
    const char *const *kv, enum verdict limit_verdict,
    struct ab_run_result *r, struct test **ts, size_t n)
{
	struct ab_run_spec spec;
	char **argv;
	const char *sig;
	enum verdict v;
	size_t i;

	memset(&spec, 0, sizeof spec);
	memset(r, 0, sizeof *r);
	if ((argv = ab_ex_make_argv(cmd, kv)) == NULL) {
		for (i = 0; i < n; i++)
			ab_ex_set_test(ts[i], V_INTERNAL, "bad \"%s\" command in "
			    "the language descriptor", key);
		return -1;
	}
	if (strcmp(key, "compile") == 0 || strcmp(key, "compile_alone") == 0)
		argv = add_link(j, argv);
	spec.argv = argv;
	spec.files = files;
	spec.nfiles = nfiles;
	spec.limits = j->clim;
	spec.keep_workdir = keep;
	for (i = 0; ; i++) {
		if (run(j, &spec, r) < 0) {
			for (i = 0; i < n; i++)
				ab_ex_set_test(ts[i], V_INTERNAL,
				    "sandbox failed");
			ab_ex_free_argv(argv);
			return -1;
		}
		/* A compiler stopped by the wall clock having used less
		 * than half its CPU time was starved (a loaded machine),
		 * not slow: once more, with twice the wall time, before
		 * the stop counts. */
		if (i > 0 || r->stop != AB_STOP_WALL ||
		    r->cpu_ms * 2 >= (double)spec.limits.cpu_ms)
			break;
		ab_run_result_release(r);
		memset(r, 0, sizeof *r);
		spec.limits.wall_ms *= 2;
	}
	ab_ex_free_argv(argv);
	v = run_verdict(r, &sig);
	if (v == V_NONE)
		return 0;
	if (v == V_RUNTIME)
		return 1;
	/* The checker of a proxy style (limit_verdict V_INTERNAL) is built
	 * from the solution's declarations: what the solution can push
	 * there (thousands of conflicting typedefs, heavy headers in a
	 * conditional the server's build skips) must not make its verdict
	 * the harness's error, so a limit of CPU, memory or output, or a
	 * crash of the compiler, is the solution's compile_error.  A
	 * wall-clock stop is too, when the build had used more than twice
	 * the CPU of the server's (from the whole solution) and a second:
	 * else it was starved (a loaded machine), the harness's error. */
	if (limit_verdict == V_INTERNAL && v != V_INTERNAL &&
	    (r->stop != AB_STOP_WALL ||
	    r->cpu_ms >= 2 * j->server_cpu_ms + 1000)) {
		for (i = 0; i < n; i++)
			ab_ex_set_test(ts[i], V_COMPILE, "ab-exec cannot call this "
			    "solution from the tests: building the checker "
			    "with the solution's declarations %s%s",
			    v == V_TIME ? "exceeded the compiler's CPU "
			    "time limit" : v == V_MEMORY ? "exceeded the "
			    "compiler's memory limit" : v == V_OUTPUT ?
			    "made more compiler messages than the output "
			    "limit allows" : "crashed the compiler: ",
			    v == V_SIGNALED ? sig : "");
		ab_run_result_release(r);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (v == V_INTERNAL)
			ab_ex_set_test(ts[i], V_INTERNAL, "cannot start the "
			    "compiler: %s", strerror(r->exec_errno));
		else
			ab_ex_set_test(ts[i], limit_verdict, "compiler: %s",
			    v == V_TIME ? "time limit" : v == V_MEMORY ?
			    "memory limit" : v == V_OUTPUT ? "output limit" :
			    sig);
	}
	/* The harness's own program failing to build for its own reasons
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
compile(struct job *j, const struct ab_exec_style *style,
    struct ab_file *files, size_t nfiles, const char *const *kv,
    struct test **ts, size_t n)
{
	struct ab_run_result r;
	size_t i;
	int rc;

	if (style->compile == NULL)
		return 0;
	rc = ab_ex_compile_step(j, style->compile, "compile", files, nfiles,
	    false, kv, V_COMPILE, &r, ts, n);
	if (rc == 1) {
		char *tail = ab_ex_err_tail(&r);

		for (i = 0; i < n; i++)
			ab_ex_set_test(ts[i], V_COMPILE, "%s", tail);
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

	while (p != NULL && ab_ex_next_line(&p, end, &line)) {
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

	t->time_ms = ab_get_num(rec, "time_ms", 0);
	if (st != NULL && strcmp(st, "pass") == 0) {
		ab_ex_set_test(t, V_OK, NULL);
	} else if (st != NULL && strcmp(st, "value") == 0 &&
	    strcmp(t->style, "call") == 0) {
		json_t *val = json_object_get(rec, "value");

		/* Numbers by value unless the test asks for their types,
		 * which a language with one number type cannot keep. */
		bool strict = json_is_true(json_object_get(t->t,
		    "strict_types")) && !j->lang->loose_numbers;
		char *why;

		t->actual = json_incref(val);
		if (ab_same_json(val, t->expected, tol, strict))
			ab_ex_set_test(t, V_OK, NULL);
		else if (strict && (why = ab_json_type_diff(val, t->expected,
		    tol)) != NULL) {
			ab_ex_set_test(t, V_WRONG, "wrong return type: %s", why);
			free(why);
		} else
			ab_ex_set_test(t, V_WRONG, "wrong return value");
	} else if (st != NULL && strcmp(st, "fail") == 0 && kind != NULL &&
	    strcmp(kind, "signaled") == 0) {
		/* The solution's process (C, C++) said it was dying of a
		 * signal: a failure either way, the name is only a help. */
		json_int_t sig = json_integer_value(json_object_get(rec,
		    "signal"));

		ab_ex_set_test(t, V_SIGNALED, "%s", msg ? msg : "killed by a signal");
		t->signal = sig >= 1 && sig <= 64 ?
		    ab_signal_name((int)sig) : "unknown";
	} else if (st != NULL && strcmp(st, "fail") == 0 && kind != NULL &&
	    strcmp(kind, "internal") == 0) {
		/* The checker could not do its job (C, C++: a pointer whose
		 * object it cannot measure, types the two sides disagree
		 * on): the harness's fault, never charged to the subject. */
		ab_ex_set_test(t, V_INTERNAL, "%s", msg ? msg : "checker failure");
		if (j->error == NULL)
			j->error = ab_error_json("checker", "%s", msg ? msg :
			    "checker failure");
	} else if (st != NULL && strcmp(st, "fail") == 0) {
		/* "gone": the solution's process died under the test; the
		 * caller makes it the run's verdict when the supervisor
		 * stopped the run. */
		ab_ex_set_test(t, kind != NULL && (strcmp(kind, "runtime_error") == 0 ||
		    strcmp(kind, "gone") == 0) ? V_RUNTIME : V_WRONG, "%s",
		    msg ? msg : "failed");
		t->gone = kind != NULL && strcmp(kind, "gone") == 0;
	} else {
		ab_ex_set_test(t, V_INTERNAL, "bad completion record");
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

/* The files of a style: the solution, harness files, and a template
 * filled with the tests (its text new in *tbuf).  Returns the count. */
static int
style_files(struct job *j, const struct ab_exec_style *style,
    struct test **ts, size_t n, struct ab_file *files, char **tbuf)
{
	int nf = 0;
	size_t i;

	files[nf].name = j->lang->source;
	files[nf].data = j->code;
	files[nf].len = strlen(j->code);
	files[nf++].mode = 0644;
	for (i = 0; i < style->nfiles; i++) {
		files[nf].name = style->files[i].name;
		files[nf].data = style->files[i].text;
		files[nf].len = style->files[i].len;
		files[nf++].mode = 0644;
	}
	if (style->tpl.name != NULL) {
		struct ab_buf tests = AB_BUF_INIT;
		char idx[32];

		for (i = 0; i < n; i++) {
			const char *code = ab_get_str(ts[i]->t, "code");
			const char *kv[] = { "INDEX", idx, "CODE",
			    code ? code : "", NULL };
			char *one;

			snprintf(idx, sizeof idx, "%zu", i);
			one = ab_ex_subst(style->test, kv);
			ab_buf_adds(&tests, one);
			free(one);
		}
		{
			const char *kv[] = { "SOLUTION", j->code, "TESTS",
			    tests.s ? tests.s : "", "ENTRY",
			    j->entry ? j->entry : "", NULL };

			*tbuf = ab_ex_subst(style->tpl.text, kv);
		}
		ab_buf_release(&tests);
		files[nf].name = style->tpl.name;
		files[nf].data = *tbuf;
		files[nf].len = strlen(*tbuf);
		/* With a peer, the filled template is the checker's alone:
		 * the solution's uid cannot read the tests. */
		files[nf++].mode = style->peer != NULL ? 0600 : 0644;
	}
	return nf;
}

const char *
ab_ex_fast_ld(void)
{
	static int have = -1;	/* unknown, no, yes */
	struct stat st;

	/* GNU gold links the small programs of the tests in half the
	 * time of the default linker; Debian's binutils has it. */
	if (have < 0)
		have = stat("/usr/bin/ld.gold", &st) == 0 &&
		    S_ISREG(st.st_mode) && (st.st_mode & 0111) != 0;
	return have ? "-fuse-ld=gold" : "";
}

/* ---- C and C++ assertion tests by proxy (see cproxy.h) ----------------- */
/* Whether a run of a checker from the cache ended as a checker the
 * cache damaged could end it: not started, a loader's failure (126,
 * 127), an instruction or bus fault. */
static bool
cache_suspect(const struct ab_run_result *r)
{
	if (r->stop != AB_STOP_NONE)
		return false;
	return r->exec_errno != 0 || r->term_signal == SIGILL ||
	    r->term_signal == SIGBUS || (r->term_signal == 0 &&
	    (r->exit_code == 126 || r->exit_code == 127));
}

/* The tests as before their style ran. */
static void
tests_again(struct test **ts, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		ts[i]->v = V_NONE;
		ts[i]->done = false;
		ts[i]->gone = false;
		free(ts[i]->error);
		ts[i]->error = NULL;
		json_decref(ts[i]->actual);
		ts[i]->actual = NULL;
		ts[i]->actual_bytes = 0;
		ts[i]->time_ms = 0;
		ts[i]->signal = NULL;
	}
}

/* Run the tests of one style (ts: n tests of that style). */
static void
run_style(struct job *j, const char *name, struct test **ts, size_t n)
{
	const struct ab_exec_style *style = strcmp(name, "io") == 0 ?
	    &j->lang->io : strcmp(name, "call") == 0 ? &j->lang->call :
	    &j->lang->assert_;
	struct ab_file files[AB_EXEC_MAX_FILES + 2];
	char *tbuf = NULL;
	char nonce_env[64], idx[32];
	const char *kv[] = { "INDEX", idx, "ENTRY", j->entry ? j->entry : "",
	    "LD", ab_ex_fast_ld(), NULL };
	char *env[] = { nonce_env, NULL };
	struct ab_run_spec spec;
	struct ab_run_result r;
	json_t **recs = NULL;
	char **argv = NULL, **pargv = NULL;
	const char *sig;
	enum verdict v;
	struct ab_file kfile;
	bool again;
	int nf;
	size_t i;

	if (!style->present) {
		for (i = 0; i < n; i++)
			ab_ex_set_test(ts[i], V_INTERNAL, "language %s has no "
			    "%s tests", j->lang->language, name);
		return;
	}
	snprintf(idx, sizeof idx, "0");
	if (style->proxy) {
		nf = 0;
		if (ab_ex_proxy_build(j, style, ts, n, kv) < 0)
			goto out;
	} else {
		nf = style_files(j, style, ts, n, files, &tbuf);
		if (compile(j, style, files, (size_t)nf, kv, ts, n) < 0)
			goto out;
	}
	make_nonce(j);
	snprintf(nonce_env, sizeof nonce_env, "AB_NONCE=%s", j->nonce);
	memset(&spec, 0, sizeof spec);
	spec.limits = j->lim;
	spec.keep_workdir = style->compile != NULL;
	if (!spec.keep_workdir) {
		spec.files = files;
		spec.nfiles = (size_t)nf;
	} else if (j->kbin != NULL) {
		/* The checker from the cache, placed as the compiler
		 * would have left it (its uid's, no one else's). */
		kfile.name = style->checker;
		kfile.data = j->kbin;
		kfile.len = j->kbin_len;
		kfile.mode = 0700;
		spec.files = &kfile;
		spec.nfiles = 1;
	}
	if (style->batch) {
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
		if (style->zygote_run != NULL && j->c->o.warm) {
			/* Warm: zygotes fork the checker and the server. */
			argv = ab_ex_make_argv(style->zygote_run, kv);
			pargv = ab_ex_make_argv(style->zygote_peer, kv);
			spec.warm = true;
		} else {
			argv = ab_ex_make_argv(style->run, kv);
			pargv = ab_ex_make_argv(style->peer, kv);
		}
		if (argv == NULL || text == NULL) {
			for (i = 0; i < n; i++)
				ab_ex_set_test(ts[i], V_INTERNAL, "bad run command");
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
				ab_ex_set_test(ts[i], V_INTERNAL, "sandbox failed");
			free(text);
			goto out;
		}
		free(text);
		if (j->kcached && cache_suspect(&r))
			j->ksuspect = true;
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
					char *tail = ab_ex_err_tail(&r);
					char *was = ab_xstrdup(ts[i]->error);

					ab_ex_set_test(ts[i], V_RUNTIME, "%.200s: %s",
					    was, tail);
					free(was);
					free(tail);
				}
			}
			else if (v != V_NONE)
				fail_from_run(ts[i], v, &r, sig, &j->lim);
			else
				ab_ex_set_test(ts[i], V_RUNTIME, "the test did not "
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
		if ((argv = ab_ex_make_argv(style->run, kv)) == NULL) {
			ab_ex_set_test(ts[i], V_INTERNAL, "bad run command");
			continue;
		}
		spec.argv = argv;
		/* The solution apart from the checker, when the style says
		 * so (bash). */
		ab_ex_free_argv(pargv);
		pargv = ab_ex_make_argv(style->peer, kv);
		spec.peer_argv = pargv;
		/* io programs get no channel secret: nothing to report. */
		spec.env = strcmp(ts[i]->style, "io") == 0 ? NULL : env;
		spec.stdin_data = in;
		spec.stdin_len = in ? strlen(in) : 0;
		spec.keep_workdir = style->compile != NULL;
		if (run(j, &spec, &r) < 0) {
			ab_ex_set_test(ts[i], V_INTERNAL, "sandbox failed");
			ab_ex_free_argv(argv);
			argv = NULL;
			continue;
		}
		ab_ex_free_argv(argv);
		argv = NULL;
		if (spec.files == &kfile) {
			/* The cached checker: placed once, kept. */
			spec.files = NULL;
			spec.nfiles = 0;
		}
		if (j->kcached && cache_suspect(&r))
			j->ksuspect = true;
		ts[i]->time_ms = r.cpu_ms;
		v = run_verdict(&r, &sig);
		if (strcmp(ts[i]->style, "io") == 0) {
			const char *want = ab_get_str(t, "stdout");
			const char *cmp = ab_get_str(t, "compare");
			double tol = ab_get_num(t, "tolerance", 1e-6);
			bool same;

			ts[i]->actual = ab_ex_show_bytes(r.out, r.out_len,
			    r.out_len);
			ts[i]->actual_bytes = r.out_len;
			if (v != V_NONE) {
				fail_from_run(ts[i], v, &r, sig, &j->lim);
			} else {
				if (want == NULL)
					want = "";
				if (cmp == NULL || strcmp(cmp, "trailing") == 0)
					same = ab_same_trailing(r.out, r.out_len,
					    want, strlen(want));
				else if (strcmp(cmp, "exact") == 0)
					same = r.out_len == strlen(want) &&
					    memcmp(r.out, want, r.out_len) == 0;
				else
					same = ab_same_tokens(r.out, r.out_len,
					    want, strlen(want),
					    strcmp(cmp, "float") == 0, tol);
				if (same)
					ab_ex_set_test(ts[i], V_OK, NULL);
				else
					ab_ex_set_test(ts[i], V_WRONG, "output differs");
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
				ab_ex_set_test(ts[i], V_WRONG, "assertion failed%s%s",
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
	free(tbuf);
	free(recs);
	ab_ex_free_argv(argv);
	ab_ex_free_argv(pargv);
	ab_sandbox_reset(j->c->sb);
	free(j->kbin);
	j->kbin = NULL;
	again = j->kcached && j->ksuspect;
	j->kcached = false;
	j->ksuspect = false;
	if (again) {
		/* A cached checker never decides a verdict it may have
		 * caused: once more, with the checker built afresh (and
		 * kept in the cache in place of this one). */
		j->kfresh = true;
		tests_again(ts, n);
		run_style(j, name, ts, n);
	}
	j->kfresh = false;
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

/* ---- what a record carries -------------------------------------------- */

struct dump_cut {
	struct ab_buf b;	/* the first max bytes of the text */
	size_t max, len;	/* len: the whole text's */
};

static int
dump_cut_cb(const char *buf, size_t n, void *data)
{
	struct dump_cut *d = data;

	if (d->b.len < d->max)
		ab_buf_add(&d->b, buf, n < d->max - d->b.len ? n :
		    d->max - d->b.len);
	d->len += n;
	return 0;
}

/* The length of a cut at most max bytes into the UTF-8 text s (n bytes),
 * on a character's boundary. */
static size_t
utf8_cut(const char *s, size_t n, size_t max)
{
	if (n <= max)
		return n;
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	return max;
}

/*
 * A value as a record carries it: a string of more than max bytes cut
 * to max with the marker "... [N more bytes]", any other value whose
 * JSON text is longer than max replaced by that text, cut the same way.
 * *bytes gets the whole size (the string's bytes, the JSON text's), or
 * 0 when nothing was cut.  New reference; v borrowed.
 */
static json_t *
cap_value(const json_t *v, size_t max, size_t *bytes)
{
	struct dump_cut d;
	const char *s;
	size_t n, k;
	json_t *o;

	*bytes = 0;
	if (v == NULL)
		return json_null();
	if (json_is_string(v)) {
		s = json_string_value(v);
		n = json_string_length(v);
		if (n <= max)
			return json_incref((json_t *)v);
	} else {
		memset(&d, 0, sizeof d);
		d.max = max + 1;
		json_dump_callback(v, dump_cut_cb, &d, JSON_COMPACT |
		    JSON_ENCODE_ANY | JSON_REAL_PRECISION(17));
		if (d.len <= max) {
			ab_buf_release(&d.b);
			return json_incref((json_t *)v);
		}
		/* JSON text is UTF-8 (non-ASCII may be escaped or not). */
		k = utf8_cut(d.b.s, d.b.len, max);
		o = json_sprintf("%.*s... [%zu more bytes]", (int)k, d.b.s,
		    d.len - k);
		*bytes = d.len;
		ab_buf_release(&d.b);
		return o != NULL ? o : json_string("");
	}
	k = utf8_cut(s, n, max);
	*bytes = n;
	o = json_sprintf("%.*s... [%zu more bytes]", (int)k, s, n - k);
	return o != NULL ? o : json_string("");
}

/* The size of v's compact JSON text. */
static size_t
json_size(const json_t *v)
{
	return json_dumpb(v, NULL, 0, JSON_COMPACT | JSON_REAL_PRECISION(17));
}

/*
 * Fill m's "tests" so that m stays within EXEC_MAX bytes whatever the
 * tests and the solution produced: each test's expected and actual cut
 * to SHOW_MAX bytes, its error to ERR_SHOW, its name to 200 (the sizes
 * cut noted in "truncated"); when that is still too much, tighter cuts,
 * then tests without them, then only the first tests
 * ("tests_omitted": how many are left out; "passed" and "total" count
 * them all).
 */
static void
tests_json(struct job *j, json_t *m)
{
	static const size_t caps[][3] = {	/* value, error, name */
		{ SHOW_MAX, ERR_SHOW, 200 }, { 1024, 500, 100 },
		{ 256, 200, 64 }, { 64, 100, 32 }, { 0, 0, 32 },
	};
	json_t *arr = json_object_get(m, "tests");
	size_t lvl, i, keep = j->ntests, base;

	base = json_size(m);
	for (lvl = 0; ; ) {
		size_t total = base;

		json_array_clear(arr);
		for (i = 0; i < keep && total <= (size_t)EXEC_MAX; i++) {
			struct test *x = &j->tests[i];
			const char *nm = ab_get_str(x->t, "name");
			json_t *w = json_object_get(x->t, "weight");
			json_t *o, *name, *cut = json_object();
			size_t nb, eb, ab;

			name = nm ? json_string(nm) : json_sprintf("test %zu",
			    i);
			o = json_pack("{s:o, s:s, s:o, s:f}", "name",
			    cap_value(name, caps[lvl][2], &nb),
			    "verdict", verdict_names[x->v],
			    "weight", json_is_number(w) ? json_incref(w) :
			    json_integer(1),
			    "time_ms", floor(x->time_ms * 1000 + 0.5) / 1000);
			json_decref(name);
			if (o == NULL) {
				o = json_pack("{s:s, s:s}", "verdict",
				    "internal_error", "error", "cannot "
				    "represent this test's result");
				json_array_append_new(arr, o);
				json_decref(cut);
				continue;
			}
			if (caps[lvl][0] > 0) {
				json_object_set_new(o, "expected",
				    cap_value(x->expected, caps[lvl][0], &eb));
				json_object_set_new(o, "actual",
				    cap_value(x->actual, caps[lvl][0], &ab));
				if (x->actual_bytes > 0 && ab > 0)
					ab = x->actual_bytes;
				if (eb > 0)
					json_object_set_new(cut, "expected",
					    json_integer((json_int_t)eb));
				if (ab > 0)
					json_object_set_new(cut, "actual",
					    json_integer((json_int_t)ab));
			}
			if (caps[lvl][1] > 0 && x->error != NULL) {
				json_t *e = ab_ex_show_bytes(x->error,
				    strlen(x->error), caps[lvl][1]);
				json_t *ce = cap_value(e, caps[lvl][1] + 32,
				    &eb);

				json_object_set_new(o, "error", ce);
				json_decref(e);
			} else if (caps[lvl][1] > 0) {
				json_object_set_new(o, "error", json_null());
			}
			if (nb > 0)
				json_object_set_new(cut, "name",
				    json_integer((json_int_t)nb));
			if (json_object_size(cut) > 0)
				json_object_set(o, "truncated", cut);
			json_decref(cut);
			if (x->signal != NULL)
				json_object_set_new(o, "signal",
				    json_string(x->signal));
			total += json_size(o) + 1;
			json_array_append_new(arr, o);
		}
		if (i == keep && total <= (size_t)EXEC_MAX)
			break;
		if (lvl + 1 < sizeof caps / sizeof caps[0]) {
			lvl++;
			continue;
		}
		/* Even bare, too many: list fewer. */
		if ((keep = i * 3 / 4) == 0) {
			json_array_clear(arr);
			break;
		}
	}
	if (json_array_size(arr) < j->ntests)
		json_object_set_new(m, "tests_omitted", json_integer(
		    (json_int_t)(j->ntests - json_array_size(arr))));
}

json_t *
ab_exec_record(struct ab_exec *c, const json_t *rec)
{
	static const char *const styles[] = { "io", "assert", "call", NULL };
	struct job j;
	struct ab_error e;
	const json_t *tests = ab_get(rec, "task.tests"), *t;
	const char *lang = ab_get_str(rec, "task.language");
	json_t *m;
	enum verdict worst = V_OK;
	size_t i, passed = 0;
	char *mp;
	int s;

	memset(&j, 0, sizeof j);
	j.c = c;
	j.id = ab_get_str(rec, "id");
	j.task = ab_get(rec, "task");
	j.code = ab_task_program(j.task, ab_get_str(rec, "extract.code"));
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
	if ((j.lang = ab_exec_lang_get(c, lang ? lang : "", &e)) == NULL)
		j.error = ab_error_json(e.kind, "%s", e.msg);
	else if (link_problem(j.task) != NULL) {
		ab_error_set(&e, "language", "%s", link_problem(j.task));
		j.error = ab_error_json(e.kind, "%s", e.msg);
		j.lang = NULL;
	} else if ((mp = modules_problem(j.task, lang, c->o.modules_dir)) !=
	    NULL) {
		ab_error_set(&e, "task", "%s", mp);
		j.error = ab_error_json(e.kind, "%s", e.msg);
		free(mp);
		j.lang = NULL;
	} else {
		j.clim = j.lim;
		j.clim.cpu_ms = j.lang->compile_cpu_ms;
		j.clim.wall_ms = j.lang->compile_wall_ms;
		j.clim.memory_mb = j.lang->compile_memory_mb;
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
			ab_ex_set_test(&j.tests[i], V_INTERNAL, "test is not an "
			    "object");
		else if (strcmp(j.tests[i].style, "call") == 0 &&
		    !json_is_array(json_object_get(t, "args")))
			ab_ex_set_test(&j.tests[i], V_INTERNAL, "call test without "
			    "\"args\" array");
		else if (strcmp(j.tests[i].style, "assert") == 0 &&
		    ab_get_str(t, "code") == NULL)
			ab_ex_set_test(&j.tests[i], V_INTERNAL, "assert test without "
			    "\"code\"");
		else if (strcmp(j.tests[i].style, "io") != 0 &&
		    strcmp(j.tests[i].style, "call") != 0 &&
		    strcmp(j.tests[i].style, "assert") != 0)
			ab_ex_set_test(&j.tests[i], V_INTERNAL, "unknown test style "
			    "\"%.40s\"", j.tests[i].style);
		else if (j.lang == NULL)
			ab_ex_set_test(&j.tests[i], V_INTERNAL, "%s", e.msg);
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
	for (i = 0; i < j.ntests; i++) {
		struct test *x = &j.tests[i];

		if (!x->done)
			ab_ex_set_test(x, V_INTERNAL, "not run");
		if (x->v == V_OK)
			passed++;
		if (x->v < worst)
			worst = x->v;
	}
	if (j.error != NULL)
		worst = V_INTERNAL;
	m = json_pack("{s:s, s:I, s:I, s:[], s:f, s:f, s:I, s:o, s:O, s:o}",
	    "verdict", verdict_names[j.ntests == 0 && j.error == NULL ? V_OK :
	    worst], "passed", (json_int_t)passed, "total",
	    (json_int_t)j.ntests, "tests",
	    "cpu_ms", floor(j.cpu_ms * 1000 + 0.5) / 1000,
	    "wall_ms", floor(j.wall_ms * 1000 + 0.5) / 1000,
	    "peak_kb", (json_int_t)j.peak_kb,
	    "limits", limits_json(&j.lim),
	    "isolation", c->isolation,
	    "error", j.error ? j.error : json_null());
	tests_json(&j, m);
	for (i = 0; i < j.ntests; i++) {
		free(j.tests[i].error);
		json_decref(j.tests[i].expected);
		json_decref(j.tests[i].actual);
	}
	free(j.tests);
	free(j.code);
	return m;
}


struct ab_exec *
ab_exec_new(const struct ab_exec_opts *o, struct ab_sandbox *sb)
{
	struct ab_exec *x = ab_xcalloc(1, sizeof *x);

	x->o = *o;
	x->sb = sb;
	/* Rootless, a zygote would share its id with the runs it forks. */
	if (ab_sandbox_rootless(sb))
		x->o.warm = false;
	x->isolation = ab_sandbox_isolation(sb);
	return x;
}

void
ab_exec_free(struct ab_exec *x)
{
	if (x == NULL)
		return;
	ab_ex_free_langs(x);
	ab_ex_pch_free(x);
	json_decref(x->isolation);
	free(x);
}
