/*
 * proxy.c - C and C++ assertion tests by proxy (see cproxy.h): building
 * the server and the checker, and deciding whose fault a failed build
 * is.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec-int.h"
#include "sandbox.h"

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
			j = ab_ex_show_bytes(p, (size_t)(nl - p), 500);
			s = ab_xstrdup(json_string_value(j));
			json_decref(j);
			return s;
		}
		if (*nl == '\0')
			break;
	}
	return ab_ex_err_tail(r);
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
		ab_ex_warn(j->c, "%s: %s", path, strerror(errno));
	free(path);
	free(id);
}

/* kv and "PCH", pch.  New array (the strings borrowed). */
static const char **
with_pch(const char *const *kv, const char *pch)
{
	size_t n = 0;
	const char **v;

	while (kv[n] != NULL)
		n++;
	v = ab_xcalloc(n + 3, sizeof *v);
	memcpy(v, kv, n * sizeof *v);
	v[n] = "PCH";
	v[n + 1] = pch;
	return v;
}

/* A compile step (see ab_ex_compile_step) with the style's precompiled
 * header pch (ab_ex_pch_arg's, or NULL to get it here); when the
 * compiler failed naming the cache (an entry replaced under it, say),
 * once more without, and *without set: what the cache holds never
 * decides a verdict. */
static int
compile_pch(struct job *j, const struct ab_exec_style *style,
    char *const *cmd, const char *key, const char *pch,
    const struct ab_file *files, size_t nfiles, bool keep,
    const char *const *kv, enum verdict lv, struct ab_run_result *r,
    struct test **ts, size_t n, bool *without)
{
	char *own = pch == NULL ? ab_ex_pch_arg(j, style, key) : NULL;
	const char **pkv;
	int k;

	if (own != NULL)
		pch = own;
	pkv = with_pch(kv, pch);
	*without = false;
	k = ab_ex_compile_step(j, cmd, key, files, nfiles, keep, pkv, lv, r,
	    ts, n);
	if (k == 1 && *pch != '\0' && r->err != NULL &&
	    strstr(r->err, AB_SANDBOX_CACHE "/") != NULL) {
		ab_run_result_release(r);
		free(pkv);
		pkv = with_pch(kv, "");
		*without = true;
		k = ab_ex_compile_step(j, cmd, key, files, nfiles, keep, pkv,
		    lv, r, ts, n);
	}
	free(pkv);
	free(own);
	return k;
}

/*
 * Run 2, the checker: from the checker cache when a build with the
 * same inputs is there (j->kbin, placed by the first run), else built,
 * then kept there.  Returns as ab_ex_compile_step.
 */
static int
checker_step(struct job *j, const struct ab_exec_style *style,
    const struct ab_file *files, size_t nfiles, const char *const *kv,
    struct ab_run_result *r, struct test **ts, size_t n)
{
	char *pch = ab_ex_pch_arg(j, style, "compile_checker");
	char *key = NULL, **argv, wp[96], *bin;
	const char **pkv;
	bool without;
	int k;

	if (style->checker != NULL && j->c->o.checker_dir != NULL) {
		pkv = with_pch(kv, pch);
		if ((argv = ab_ex_make_argv(style->compile_checker, pkv)) !=
		    NULL)
			key = ab_ex_kcache_key(j, argv, pch, files, nfiles);
		ab_ex_free_argv(argv);
		free(pkv);
	}
	if (key != NULL && !j->kfresh &&
	    (j->kbin = ab_ex_kcache_get(j->c, key, &j->kbin_len)) != NULL) {
		j->kcached = true;
		memset(r, 0, sizeof *r);
		free(key);
		free(pch);
		return 0;
	}
	k = compile_pch(j, style, style->compile_checker, "compile_checker",
	    pch, files, nfiles, true, kv, V_INTERNAL, r, ts, n, &without);
	if (k == 0 && key != NULL && !without) {
		ab_sandbox_work_path(j->c->sb, wp, sizeof wp);
		bin = ab_xasprintf("%s/%s", wp, style->checker);
		ab_ex_kcache_put(j->c, key, bin);
		free(bin);
	}
	free(key);
	free(pch);
	return k;
}

static void
all_tests(struct test **ts, size_t n, enum verdict v, const char *msg)
{
	size_t i;

	for (i = 0; i < n; i++)
		ab_ex_set_test(ts[i], v, "%s", msg);
}

/* The task's own code, which may define the unions a C++ solution's
 * values are held as (cproxy.h): the completion's prompt, else the
 * starter code, else the prompt; or NULL. */
static const char *
task_code(const json_t *task)
{
	const char *p = ab_get_str(json_object_get(task, "completion"),
	    "prompt");

	if (p == NULL)
		p = ab_get_str(task, "starter_code");
	if (p == NULL)
		p = ab_get_str(task, "prompt");
	return p;
}

/*
 * Build the two programs of a "proxy" style: the server S (the solution
 * as written and the stub) in one compile run, without the tests; then
 * the checker K (the tests, the declarations view and the proxies) in a
 * second one, readable by the checker's uid only, or from the checker
 * cache (kcache.c: K depends on the tests and the declarations, not on
 * the solution's code), then placed by the first test's run.  When S
 * does not build, a third run (the solution alone, with an empty main)
 * says whether the solution or its stub is at fault.  Returns 0 when
 * both are ready, -1 when every test got its verdict.
 */
int
ab_ex_proxy_build(struct job *j, const struct ab_exec_style *style,
    struct test **ts, size_t n, const char *const *kv)
{
	const char *src = j->lang->source;
	const char *sf = style->server.name, *kf = style->tpl.name;
	struct ab_buf uses = AB_BUF_INIT, tests = AB_BUF_INIT;
	struct ab_file files[AB_EXEC_MAX_FILES + 2];
	char *stext = NULL, *ktext = NULL, idx[32];
	struct ab_run_result r, ra;
	struct ab_cp_out o;
	enum ab_cp_lang lang = style->proxy_lang;
	size_t i;
	int nf = 0, nw, rc = -1, k;
	bool without;

	memset(&o, 0, sizeof o);
	for (i = 0; i < n; i++) {
		const char *code = ab_get_str(ts[i]->t, "code");
		const char *tkv[] = { "INDEX", idx, "CODE", code ? code : "",
		    "HIDDEN", json_is_true(json_object_get(ts[i]->t,
		    "hidden")) ? "1" : "0", NULL };
		char *one;

		ab_buf_adds(&uses, code ? code : "");
		ab_buf_addc(&uses, '\n');
		snprintf(idx, sizeof idx, "%zu", i);
		one = ab_ex_subst(style->test, tkv);
		ab_buf_adds(&tests, one);
		free(one);
	}
	ab_cp_build(lang, j->code, strlen(j->code), src, uses.s ? uses.s : "",
	    uses.len, j->entry, task_code(j->task), &o);
	/* Run 1: the server, from the solution alone. */
	files[nf].name = src;
	files[nf].data = j->code;
	files[nf].len = strlen(j->code);
	files[nf++].mode = 0644;
	for (i = 0; i < style->nfiles; i++) {
		files[nf].name = style->files[i].name;
		files[nf].data = style->files[i].text;
		files[nf].len = style->files[i].len;
		files[nf++].mode = 0644;
	}
	nw = nf;	/* the harness files, placed again for the checker */
	{
		const char *skv[] = { "SOLUTION", j->code, "SERVER", o.server,
		    "SOURCE", src, NULL };

		stext = ab_ex_subst(style->server.text, skv);
	}
	files[nf].name = sf;
	files[nf].data = stext;
	files[nf].len = strlen(stext);
	files[nf++].mode = 0644;
	{
		const char *kkv[] = { "DECLS", o.decls, "PROXIES", o.proxies,
		    "TESTS", tests.s ? tests.s : "", "ENTRY",
		    j->entry ? j->entry : "", NULL };

		ktext = ab_ex_subst(style->tpl.text, kkv);
	}
	if (j->c->o.sources != NULL) {
		keep_source(j, sf, stext);
		keep_source(j, kf, ktext);
	}
	k = compile_pch(j, style, style->compile, "compile", NULL, files,
	    (size_t)nf, false, kv, V_COMPILE, &r, ts, n, &without);
	if (k < 0)
		goto out;
	if (k == 1) {
		/* Whose fault: the solution alone (with a main that does
		 * nothing) decides. */
		k = ab_ex_compile_step(j, style->compile_alone, "compile_alone", NULL, 0, true, kv,
		    V_COMPILE, &ra, ts, n);
		if (k == 1) {
			char *tail = ab_ex_err_tail(&ra);

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
			    "not with the server stub that calls it: %s%s%s%s",
			    fe, *o.notes ? " (left out: " : "", o.notes,
			    *o.notes ? ")" : "");

			all_tests(ts, n, V_COMPILE, msg);
			free(msg);
			free(fe);
			ab_run_result_release(&ra);
		}
		ab_run_result_release(&r);
		goto out;
	}
	j->server_cpu_ms = r.cpu_ms;
	ab_run_result_release(&r);
	/* Run 2: the checker, readable by its own uid only. */
	files[nw].name = kf;
	files[nw].data = ktext;
	files[nw].len = strlen(ktext);
	files[nw].mode = 0600;
	k = checker_step(j, style, files + 1, (size_t)nw, kv, &r, ts, n);
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
	free(stext);
	free(ktext);
	ab_buf_release(&uses);
	ab_buf_release(&tests);
	ab_cp_out_release(&o);
	return rc;
}

