/*
 * dims.c - the dimension computations and the score member of a record.
 * Each dimension gives a value 0-10 and the evidence for it: the patterns
 * that matched and where, the analyser messages, the times compared.
 */
#include <math.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "ab.h"
#include "score.h"

#define MAX_EVIDENCE 25		/* findings listed one by one */

/* What every dimension of one record may look at. */
struct ctx {
	const struct ab_rubric *r;
	const struct ab_score_opts *o;
	const json_t *rec, *task, *exec, *gen;
	const char *code;
	enum ab_lang lang;
	struct ab_src src;
	struct ab_lint lint;
	bool linted;
	bool compile_error;	/* exec says compile_error */
};

double
ab_round2(double x)
{
	double r = round(x * 100.0) / 100.0;

	return r == 0 ? 0 : r;	/* no "-0" */
}

static double
param(const struct ab_dim *d, const char *name, double def)
{
	return ab_get_num(d->params, name, def);
}

static double
clamp(double v, double lo, double hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static void
ev(json_t *e, const char *fmt, ...) AB_PRINTF(2, 3);

static void
ev(json_t *e, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	json_array_append_new(e, json_string(buf));
}

/* "%g" with at most two decimals, for the evidence. */
static const char *
n2(char *buf, size_t size, double v)
{
	if (v != 0 && fabs(v) < 0.1) {
		snprintf(buf, size, "%.3g", v);
		return buf;
	}
	snprintf(buf, size, "%.2f", ab_round2(v));
	/* trim "x.50" to "x.5" and "x.00" to "x.0" */
	size_t n = strlen(buf);

	if (n > 3 && buf[n - 1] == '0')
		buf[n - 1] = '\0';
	return buf;
}
#define N2(v) n2((char[32]){ 0 }, 32, (v))

/* ---- tests ---------------------------------------------------------------- */

static bool
test_ok(const json_t *t)
{
	const char *v = ab_get_str(t, "verdict");

	return v != NULL && strcmp(v, "ok") == 0;
}

static double
test_weight(const json_t *t)
{
	double w = ab_get_num(t, "weight", 1);

	return w >= 0 ? w : 0;
}

/* Weighted pass ratio; *n gets the number of tests; -1 when none. */
static double
pass_ratio(const struct ctx *c, bool weighted, double *passed, double *total)
{
	json_t *tests = json_object_get(c->exec, "tests"), *t;
	double p = 0, w = 0;
	size_t i;

	/* A record listing only some of its tests (ab-exec's
	 * tests_omitted): the counts, which cover them all. */
	if (json_array_size(tests) > 0 &&
	    json_object_get(c->exec, "tests_omitted") == NULL) {
		json_array_foreach(tests, i, t) {
			double tw = weighted ? test_weight(t) : 1;

			w += tw;
			if (test_ok(t))
				p += tw;
		}
	} else {
		p = ab_get_num(c->exec, "passed", 0);
		w = ab_get_num(c->exec, "total", 0);
	}
	*passed = p;
	*total = w;
	return w > 0 ? p / w : -1;
}

static bool
does_not_compile(struct ctx *c, json_t *e)
{
	if (c->compile_error) {
		const char *msg = ab_get_str(c->exec, "tests.0.error");

		ev(e, "exec verdict compile_error%s%.200s", msg ? ": " : "",
		    msg ? msg : "");
		return true;
	}
	if (c->linted && c->lint.syntax_error) {
		ev(e, "the code does not parse: line %d: %s", c->lint.syntax_line,
		    c->lint.syntax_msg);
		return true;
	}
	return false;
}

static double
dim_pass_rate(struct ctx *c, const struct ab_dim *d, json_t *e)
{
	double passed, total, ratio, v;
	bool weighted = !json_is_false(json_object_get(d->params, "weighted"));

	if (does_not_compile(c, e))
		return param(d, "no_compile", 0);
	ratio = pass_ratio(c, weighted, &passed, &total);
	if (ratio < 0) {
		ev(e, "no tests ran: %s", N2(param(d, "none", 0)));
		return param(d, "none", 0);
	}
	if (ratio >= 1) {
		v = param(d, "all", 10);
		ev(e, "all tests pass (%s of %s%s): %s", N2(passed), N2(total),
		    weighted ? " by weight" : "", N2(v));
		return v;
	}
	if (ratio <= 0) {
		v = param(d, "none", 0);
		ev(e, "no test passes (0 of %s%s): %s", N2(total),
		    weighted ? " by weight" : "", N2(v));
		return v;
	}
	v = param(d, "partial_scale", 10) * ratio;
	ev(e, "%s of %s tests pass%s: pass rate %.4f x %s = %s", N2(passed),
	    N2(total), weighted ? " by weight" : "", ratio,
	    N2(param(d, "partial_scale", 10)), N2(v));
	if (json_object_get(d->params, "partial_max") != NULL &&
	    v > param(d, "partial_max", 10)) {
		v = param(d, "partial_max", 10);
		ev(e, "capped at %s", N2(v));
	}
	return v;
}

/* ---- patterns ------------------------------------------------------------- */

static const char *
view_of(const struct ctx *c, const json_t *p)
{
	const char *view = ab_get_str(p, "view");

	if (view != NULL && strcmp(view, "text") == 0)
		return c->src.text;
	if (view != NULL && strcmp(view, "nocomment") == 0)
		return c->src.nocomment;
	return c->src.code;
}

/* First match of pattern p: its line, or 0. */
static int
first_match(const struct ctx *c, const json_t *p)
{
	regex_t rx;
	regmatch_t m;
	int line = 0;

	if (regcomp(&rx, ab_get_str(p, "regex"), REG_EXTENDED |
	    REG_NEWLINE) != 0)
		return 0;
	if (regexec(&rx, view_of(c, p), 1, &m, 0) == 0)
		line = ab_src_line_of(&c->src, (size_t)m.rm_so);
	regfree(&rx);
	return line;
}

static double
dim_idiom(struct ctx *c, const struct ab_dim *d, json_t *e)
{
	json_t *table = json_object_get(json_object_get(d->params, "patterns"),
	    ab_lang_name(c->lang)), *p;
	double v = param(d, "base", 7), pts;
	size_t i;
	int line;
	char *x;

	ev(e, "base %s", N2(v));
	if (table == NULL) {
		ev(e, "no idiom table for language %s",
		    ab_lang_name(c->lang) != NULL ? ab_lang_name(c->lang) :
		    "unknown");
		return clamp(v, param(d, "min", 0), param(d, "max", 10));
	}
	json_array_foreach(table, i, p) {
		line = first_match(c, p);
		if (line == 0)
			continue;
		pts = json_number_value(json_object_get(p, "points"));
		v += pts;
		x = ab_src_excerpt(&c->src, line, 60);
		ev(e, "%s%s %s at line %d: %s", pts >= 0 ? "+" : "", N2(pts),
		    ab_get_str(p, "name"), line, x);
		free(x);
	}
	if (v > param(d, "max", 10)) {
		v = param(d, "max", 10);
		ev(e, "capped at %s", N2(v));
	} else if (v < param(d, "min", 0)) {
		v = param(d, "min", 0);
		ev(e, "raised to the minimum %s", N2(v));
	}
	return v;
}

static bool
name_allowed(const json_t *allowed, const char *name)
{
	size_t i;
	json_t *a;

	json_array_foreach(allowed, i, a)
		if (strcmp(json_string_value(a), name) == 0)
			return true;
	return false;
}

static bool
number_allowed(const json_t *allowed, const char *expr)
{
	/* the number is at either end of "x < 5" / "5 > x" */
	const char *p = expr + strlen(expr);
	double v;
	size_t i;
	json_t *a;
	struct ab_error err;
	char num[64];
	size_t n;

	while (p > expr && (p[-1] == '.' || p[-1] == '_' ||
	    (p[-1] >= '0' && p[-1] <= '9') || (p[-1] >= 'a' && p[-1] <= 'z') ||
	    (p[-1] >= 'A' && p[-1] <= 'Z') || p[-1] == '\''))
		p--;
	if (!(*p >= '0' && *p <= '9') && *p != '.') {
		/* number on the left */
		for (n = 0; expr[n] != '\0' && expr[n] != ' ' &&
		    !strchr("<>=!", expr[n]); n++)
			;
		p = expr;
	} else {
		n = strlen(p);
		if (p > expr && p[-1] == '-')
			p--, n++;
	}
	snprintf(num, sizeof num, "%.*s", (int)(n < 60 ? n : 60), p);
	if (ab_parse_double(num, -1e300, 1e300, &v, &err) < 0)
		return false;
	json_array_foreach(allowed, i, a)
		if (json_number_value(a) == v)
			return true;
	return false;
}

static double
dim_practices(struct ctx *c, const struct ab_dim *d, json_t *e)
{
	double v = param(d, "base", 7), pts;
	json_t *allowed_names = json_object_get(d->params, "allowed_names");
	json_t *allowed_nums = json_object_get(d->params, "allowed_numbers");
	struct ab_buf b = AB_BUF_INIT;
	size_t i, count = 0;
	char *x;

	ev(e, "base %s", N2(v));
	if (c->lang == AB_LANG_UNKNOWN) {
		ev(e, "language %s is not analysed",
		    ab_get_str(c->task, "language") ?
		    ab_get_str(c->task, "language") : "unknown");
		return clamp(v, param(d, "min", 0), param(d, "max", 10));
	}
	pts = param(d, "comments", 1);
	if (c->src.comment_lines >= param(d, "min_comment_lines", 1)) {
		v += pts;
		for (i = 0; i < c->src.ntoks; i++)
			if (c->src.toks[i].kind == AB_TOK_COMMENT &&
			    !(c->src.toks[i].line == 1 && c->src.text
			    [c->src.toks[i].off + 1] == '!'))
				break;
		ev(e, "+%s comments: %d comment line%s, the first at line %d",
		    N2(pts), c->src.comment_lines, c->src.comment_lines == 1 ?
		    "" : "s", i < c->src.ntoks ? c->src.toks[i].line : 0);
	} else {
		ev(e, "no points for comments: %d comment lines (at least %g "
		    "needed)", c->src.comment_lines,
		    param(d, "min_comment_lines", 1));
	}
	pts = param(d, "docs", 1);
	if (c->src.ndocs > 0) {
		v += pts;
		x = ab_src_excerpt(&c->src, c->src.docs[0].line, 60);
		ev(e, "+%s %s: %zu, the first at line %d: %s", N2(pts),
		    c->lang == AB_LANG_PYTHON ? "docstrings" : "doc comments",
		    c->src.ndocs, c->src.docs[0].line, x);
		free(x);
	} else {
		ev(e, "no points for %s: none found",
		    c->lang == AB_LANG_PYTHON ? "docstrings" : "doc comments");
	}
	for (i = 0; i < c->src.nnames; i++) {
		if (name_allowed(allowed_names, c->src.names[i].text))
			continue;
		ab_buf_addf(&b, "%s%s (line %d)", count ? ", " : "",
		    c->src.names[i].text, c->src.names[i].line);
		count++;
	}
	pts = param(d, "single_char_names", -1);
	if (count > param(d, "max_single_char_names", 2)) {
		v += pts;
		ev(e, "%s too many single-character names: %zu, more than %g: "
		    "%s", N2(pts), count, param(d, "max_single_char_names", 2),
		    b.s);
	} else if (count > 0) {
		ev(e, "single-character names within the limit of %g: %s",
		    param(d, "max_single_char_names", 2), b.s);
	}
	ab_buf_reset(&b);
	count = 0;
	for (i = 0; i < c->src.nmagic; i++) {
		if (number_allowed(allowed_nums, c->src.magic[i].text))
			continue;
		if (count < 10)
			ab_buf_addf(&b, "%sline %d: %s", count ? "; " : "",
			    c->src.magic[i].line, c->src.magic[i].text);
		count++;
	}
	pts = param(d, "magic_numbers", -0.5);
	if (count > 0) {
		v += pts;
		ev(e, "%s magic numbers in comparisons (%zu): %s", N2(pts), count,
		    b.s);
	}
	ab_buf_release(&b);
	if (v > param(d, "max", 10)) {
		v = param(d, "max", 10);
		ev(e, "capped at %s", N2(v));
	} else if (v < param(d, "min", 0)) {
		v = param(d, "min", 0);
		ev(e, "raised to the minimum %s", N2(v));
	}
	return v;
}

/* ---- quality -------------------------------------------------------------- */

static void
lint_once(struct ctx *c, const json_t *builtin)
{
	size_t i;
	json_t *t;
	bool ran = false;

	if (c->linted && builtin == NULL)
		return;
	if (!c->linted) {
		ab_lint_run(&c->lint, c->lang, c->code, strlen(c->code),
		    c->o->run, c->o->run_ctx);
		c->linted = true;
	}
	if (builtin != NULL && !c->lint.any_ran) {
		json_array_foreach(c->lint.tools, i, t)
			if (strcmp(ab_get_str(t, "tool"), "builtin") == 0)
				ran = true;
		if (!ran)
			ab_lint_builtin(&c->lint, &c->src, builtin);
	}
}

static double
dim_quality(struct ctx *c, const struct ab_dim *d, json_t *e)
{
	json_t *sev = json_object_get(d->params, "severity"), *t;
	double v = param(d, "base", 10), lint = 0, lint_max, st = 0, st_max;
	double style = 0, style_max, p;
	size_t i, shown = 0, k;
	int long_lines = 0, first_long = 0, line = 1, maxcc, maxlen;
	size_t col = 0;
	struct ab_buf tools = AB_BUF_INIT;

	lint_once(c, json_object_get(d->params, "builtin"));
	ev(e, "base %s", N2(v));
	if (does_not_compile(c, e)) {
		ev(e, "code that does not compile or parse: %s",
		    N2(param(d, "no_compile", 0)));
		return param(d, "no_compile", 0);
	}
	json_array_foreach(c->lint.tools, i, t) {
		const char *status = ab_get_str(t, "status");
		const char *detail = ab_get_str(t, "detail");

		ab_buf_addf(&tools, "%s%s: %s%s%s", i ? "; " : "",
		    ab_get_str(t, "tool"), status, detail ? " (" : "",
		    detail ? detail : "");
		if (detail)
			ab_buf_addc(&tools, ')');
	}
	if (!c->lint.any_ran)
		ev(e, "analysers: %s; no analyser ran, so the built-in checks "
		    "were used", tools.s ? tools.s : "none for this language");
	else
		ev(e, "analysers: %s", tools.s);
	ab_buf_release(&tools);
	lint_max = param(d, "max_lint_penalty", 6);
	for (i = 0; i < c->lint.n; i++) {
		const struct ab_finding *f = &c->lint.f[i];

		p = ab_get_num(sev, f->severity, strcmp(f->severity, "error")
		    == 0 ? 2 : strcmp(f->severity, "warning") == 0 ? 1 : 0.5);
		lint += p;
		if (shown++ < MAX_EVIDENCE) {
			char where[48];

			if (f->col > 0)
				snprintf(where, sizeof where, "line %d:%d",
				    f->line, f->col);
			else
				snprintf(where, sizeof where, "line %d",
				    f->line);
			ev(e, "-%s %s %s: %s: %s", N2(p), f->tool, where,
			    f->severity, f->message);
		}
	}
	if (shown > MAX_EVIDENCE)
		ev(e, "... and %zu more findings", shown - MAX_EVIDENCE);
	if (lint > lint_max) {
		ev(e, "analyser penalty %s capped at %s", N2(lint), N2(lint_max));
		lint = lint_max;
	}
	v -= lint;
	/* structure: complexity and function length */
	maxcc = (int)param(d, "max_complexity", 10);
	maxlen = (int)param(d, "max_function_lines", 50);
	st_max = param(d, "max_structure_penalty", 3);
	for (k = 0; k < c->src.nfuncs; k++) {
		const struct ab_func *f = &c->src.funcs[k];

		if (f->complexity > maxcc) {
			p = param(d, "complexity_penalty", 1);
			st += p;
			ev(e, "-%s function %s (lines %d-%d): cyclomatic "
			    "complexity %d, more than %d", N2(p), f->name,
			    f->line, f->end_line, f->complexity, maxcc);
		}
		if (f->length > maxlen) {
			p = param(d, "length_penalty", 0.5);
			st += p;
			ev(e, "-%s function %s (lines %d-%d): %d lines, more "
			    "than %d", N2(p), f->name, f->line, f->end_line,
			    f->length, maxlen);
		}
	}
	if (c->src.top_complexity > maxcc) {
		p = param(d, "complexity_penalty", 1);
		st += p;
		ev(e, "-%s top-level code: cyclomatic complexity %d, more than "
		    "%d", N2(p), c->src.top_complexity, maxcc);
	}
	if (c->src.nfuncs > 0) {
		struct ab_buf b = AB_BUF_INIT;

		for (k = 0; k < c->src.nfuncs && k < 12; k++)
			ab_buf_addf(&b, "%s%s %d-%d cc %d", k ? ", " : "",
			    c->src.funcs[k].name, c->src.funcs[k].line,
			    c->src.funcs[k].end_line, c->src.funcs[k].complexity);
		ev(e, "functions (name, lines, cyclomatic complexity): %s%s; "
		    "top level cc %d", b.s, c->src.nfuncs > 12 ? ", ..." : "",
		    c->src.top_complexity);
		ab_buf_release(&b);
	} else if (c->lang != AB_LANG_UNKNOWN) {
		ev(e, "no functions; top-level cyclomatic complexity %d",
		    c->src.top_complexity);
	}
	if (st > st_max) {
		ev(e, "structure penalty %s capped at %s", N2(st), N2(st_max));
		st = st_max;
	}
	v -= st;
	/* style: long lines */
	for (i = 0; i < c->src.len; i++) {
		if (c->src.text[i] == '\n') {
			line++;
			col = 0;
			continue;
		}
		/* count characters, not UTF-8 continuation bytes */
		if (((unsigned char)c->src.text[i] & 0xC0) != 0x80 &&
		    ++col == (size_t)param(d, "max_line_length", 100) + 1) {
			if (long_lines++ == 0)
				first_long = line;
		}
	}
	style_max = param(d, "max_style_penalty", 1);
	if (long_lines > 0) {
		style = long_lines * param(d, "line_penalty", 0.1);
		if (style > style_max)
			style = style_max;
		ev(e, "-%s %d line%s longer than %g characters, the first at "
		    "line %d", N2(style), long_lines, long_lines == 1 ? "" : "s",
		    param(d, "max_line_length", 100), first_long);
	}
	v -= style;
	return clamp(v, 0, 10);
}

/* ---- ratios against an expectation ---------------------------------------- */

static bool
exec_measure(const char *m)
{
	return strncmp(m, "exec.", 5) == 0;
}

/* The measured value, or -1 when absent; what describes it. */
static double
measure(const struct ctx *c, const char *m, char *what, size_t size)
{
	json_t *t;
	size_t i;
	double v = -1, x;
	const char *name = NULL;

	if (strcmp(m, "exec.max_test_ms") == 0) {
		json_array_foreach(json_object_get(c->exec, "tests"), i, t) {
			x = ab_get_num(t, "time_ms", -1);
			if (x > v) {
				v = x;
				name = ab_get_str(t, "name");
			}
		}
		if (v >= 0) {
			snprintf(what, size, "slowest test%s%s%s: %s ms",
			    name ? " \"" : "", name ? name : "", name ? "\"" : "",
			    N2(v));
			return v;
		}
		v = ab_get_num(c->exec, "cpu_ms", -1);
		snprintf(what, size, "no per-test times; exec.cpu_ms %s ms",
		    N2(v));
		return v;
	}
	if (strcmp(m, "gen.tokens") == 0) {
		double in = ab_get_num(c->gen, "tokens.in", -1);
		double out = ab_get_num(c->gen, "tokens.out", -1);

		if (in < 0 && out < 0)
			return -1;
		v = (in > 0 ? in : 0) + (out > 0 ? out : 0);
		snprintf(what, size, "tokens %s in + %s out = %s",
		    N2(in > 0 ? in : 0), N2(out > 0 ? out : 0), N2(v));
		return v;
	}
	v = ab_get_num(strncmp(m, "gen.", 4) == 0 ? c->gen : c->exec,
	    strchr(m, '.') + 1, -1);
	snprintf(what, size, "%s %s", m, N2(v));
	return v;
}

static double
expected_for(const struct ctx *c, const struct ab_dim *d, char *what,
    size_t size)
{
	const char *diff = ab_get_str(c->task, "difficulty");
	double x;

	x = ab_get_num(json_object_get(d->params, "expected"),
	    diff ? diff : "", -1);
	if (x <= 0) {
		x = ab_get_num(json_object_get(d->params, "expected"),
		    "medium", -1);
		snprintf(what, size, "%s ms expected for difficulty %s "
		    "(unknown, medium assumed)", N2(x), diff ? diff : "(none)");
	} else {
		snprintf(what, size, "%s ms expected for difficulty %s", N2(x),
		    diff);
	}
	return x;
}

static double
dim_ratio(struct ctx *c, const struct ab_dim *d, json_t *e)
{
	const char *m = ab_get_str(d->params, "measure");
	const char *against = ab_get_str(d->params, "against");
	char what[256], base_what[512];
	double v, ref = -1, ratio, value;
	json_t *bands = json_object_get(d->params, "bands"), *b;
	size_t i;
	const char *verdict = ab_get_str(c->exec, "verdict");

	if (exec_measure(m) && (c->compile_error || (verdict != NULL &&
	    strcmp(verdict, "internal_error") == 0) ||
	    (json_array_size(json_object_get(c->exec, "tests")) == 0 &&
	    ab_get_num(c->exec, "total", 0) == 0))) {
		value = param(d, "no_run", 0);
		ev(e, "the code did not run (verdict %s): %s",
		    verdict ? verdict : "none", N2(value));
		return value;
	}
	v = measure(c, m, what, sizeof what);
	if (v < 0) {
		value = param(d, "missing", 0);
		ev(e, "the record has no %s: %s", m, N2(value));
		return value;
	}
	if (strcmp(against, "difficulty") == 0) {
		ref = expected_for(c, d, base_what, sizeof base_what);
	} else if (strcmp(against, "baseline") == 0) {
		if (c->o->baseline_ms > 0) {
			ref = c->o->baseline_ms;
			snprintf(base_what, sizeof base_what, "baseline %s "
			    "(--baseline)", N2(ref));
		} else {
			ref = param(d, "baseline", 1);
			snprintf(base_what, sizeof base_what, "baseline %s "
			    "(rubric)", N2(ref));
		}
	} else if (strcmp(against, "budget") == 0) {
		ref = param(d, "budget", 1);
		snprintf(base_what, sizeof base_what, "budget %s (rubric)",
		    N2(ref));
	} else if (strcmp(against, "memory_limit") == 0) {
		ref = ab_get_num(c->task, "memory_limit_mb", 256) * 1024;
		snprintf(base_what, sizeof base_what, "memory limit %s kB%s",
		    N2(ref), json_object_get(c->task, "memory_limit_mb") ? "" :
		    " (default 256 MB)");
	} else {
		struct ab_ref_time rt;
		struct ab_error err;

		if (c->o->ref != NULL && ab_ref_time(c->o->ref, c->task, &rt,
		    &err) == 0) {
			ref = strcmp(m, "exec.wall_ms") == 0 ? rt.wall_ms :
			    strcmp(m, "exec.max_test_ms") == 0 &&
			    rt.max_test_ms >= 0 ? rt.max_test_ms : rt.cpu_ms;
			snprintf(base_what, sizeof base_what, "reference %s ms "
			    "(%s)", N2(ref), rt.source);
		} else {
			const char *why = c->o->ref == NULL ?
			    "reference timings off" : err.msg;

			if (json_object_get(d->params, "expected") != NULL) {
				char w2[256];

				ref = expected_for(c, d, w2, sizeof w2);
				snprintf(base_what, sizeof base_what, "no "
				    "reference time (%.200s), so %s", why, w2);
			} else {
				value = param(d, "missing", 0);
				ev(e, "no reference time (%s): %s", why,
				    N2(value));
				return value;
			}
		}
	}
	if (!(ref > 0)) {
		value = param(d, "missing", 0);
		ev(e, "%s against %s: nothing to compare with: %s", what,
		    base_what, N2(value));
		return value;
	}
	ratio = v / ref;
	json_array_foreach(bands, i, b)
		if (ratio <= json_number_value(json_object_get(b, "max"))) {
			value = json_number_value(json_object_get(b, "value"));
			ev(e, "%s against %s: ratio %.4f, at most %s: %s", what,
			    base_what, ratio,
			    N2(json_number_value(json_object_get(b, "max"))),
			    N2(value));
			return value;
		}
	value = param(d, "above", 0);
	ev(e, "%s against %s: ratio %.4f, above every band: %s", what,
	    base_what, ratio, N2(value));
	return value;
}

/* ---- reliability ------------------------------------------------------------ */

static double
dim_reliability(struct ctx *c, const struct ab_dim *d, json_t *e)
{
	static const char *const crash[] = { "runtime_error", "time_limit",
	    "memory_limit", "output_limit", "signaled", NULL };
	json_t *tests = json_object_get(c->exec, "tests"), *t;
	size_t i, n = json_array_size(tests), bad = 0, k, calls = 0;
	double v, p;
	struct ab_buf b = AB_BUF_INIT;

	if (c->compile_error) {
		v = param(d, "no_compile", 0);
		ev(e, "exec verdict compile_error: %s", N2(v));
		return v;
	}
	if (n == 0) {
		ev(e, "no tests ran: 0");
		return 0;
	}
	json_array_foreach(tests, i, t) {
		const char *vd = ab_get_str(t, "verdict");

		for (k = 0; vd != NULL && crash[k] != NULL; k++)
			if (strcmp(vd, crash[k]) == 0) {
				if (bad < 8)
					ab_buf_addf(&b, "%s%s: %s", bad ? ", " :
					    "", ab_get_str(t, "name") ?
					    ab_get_str(t, "name") : "?", vd);
				bad++;
			}
	}
	v = param(d, "base", 10) * (double)(n - bad) / (double)n;
	ev(e, "%zu of %zu tests ran to completion (ok or wrong_answer): "
	    "%s x %zu/%zu = %s%s%s", n - bad, n, N2(param(d, "base", 10)),
	    n - bad, n, N2(v), bad ? "; failed: " : "", bad ? b.s : "");
	ab_buf_release(&b);
	json_array_foreach(json_object_get(c->gen, "calls"), i, t) {
		json_t *err = json_object_get(t, "error");

		if (err != NULL && !json_is_null(err))
			calls++;
	}
	if (calls > 0) {
		p = param(d, "call_error_penalty", 1) * (double)calls;
		v -= p;
		ev(e, "-%s %zu model call%s failed (gen.calls[].error)", N2(p),
		    calls, calls == 1 ? "" : "s");
	}
	return clamp(v, 0, 10);
}

/* ---- consistency -------------------------------------------------------------- */

static const char *
category_of(const json_t *task, const json_t *t, size_t i, size_t n)
{
	json_t *tt = json_object_get(task, "tests"), *x;
	const json_t *match = NULL;
	const char *name = ab_get_str(t, "name"), *cat;
	size_t k;

	if ((cat = ab_get_str(t, "category")) != NULL)
		return cat;
	if (json_array_size(tt) == n)
		match = json_array_get(tt, i);
	if (name != NULL)
		json_array_foreach(tt, k, x)
			if (ab_get_str(x, "name") != NULL &&
			    strcmp(ab_get_str(x, "name"), name) == 0) {
				match = x;
				break;
			}
	if (match == NULL)
		return "tests";
	if ((cat = ab_get_str(match, "category")) != NULL)
		return cat;
	if ((cat = ab_get_str(match, "group")) != NULL)
		return cat;
	return json_is_true(json_object_get(match, "hidden")) ? "hidden" :
	    "visible";
}

double
ab_score_consistency(const json_t *rec, json_t **cats)
{
	const json_t *task = json_object_get(rec, "task");
	json_t *tests = ab_get(rec, "exec.tests"), *t, *acc, *c;
	size_t i, n = json_array_size(tests);
	const char *key;
	double mean = 0, var = 0, k = 0, r;

	*cats = json_object();
	if (n == 0)
		return -1;
	acc = json_object();
	json_array_foreach(tests, i, t) {
		const char *cat = category_of(task, t, i, n);
		double w = test_weight(t);

		c = json_object_get(acc, cat);
		if (c == NULL) {
			c = json_pack("[f,f]", 0.0, 0.0);
			json_object_set_new(acc, cat, c);
		}
		json_array_set_new(c, 1, json_real(json_real_value(
		    json_array_get(c, 1)) + w));
		if (test_ok(t))
			json_array_set_new(c, 0, json_real(json_real_value(
			    json_array_get(c, 0)) + w));
	}
	json_object_foreach(acc, key, c) {
		double w = json_real_value(json_array_get(c, 1));

		r = w > 0 ? json_real_value(json_array_get(c, 0)) / w : 0;
		json_object_set_new(*cats, key, json_real(ab_round2(r * 10000)
		    / 10000));
		mean += r;
		k++;
	}
	mean /= k;
	json_object_foreach(acc, key, c) {
		double w = json_real_value(json_array_get(c, 1));

		r = w > 0 ? json_real_value(json_array_get(c, 0)) / w : 0;
		var += (r - mean) * (r - mean);
	}
	var /= k;
	json_decref(acc);
	return ab_round2(100.0 * (1.0 - var));
}

/* ---- the score member ------------------------------------------------------------ */

json_t *
ab_score_record(const struct ab_rubric *r, const json_t *rec,
    const struct ab_score_opts *o)
{
	struct ctx c;
	json_t *score, *dims, *weights, *e, *cats;
	double total = 0, v, cons;
	size_t i;
	const char *verdict, *lang;

	memset(&c, 0, sizeof c);
	c.r = r;
	c.o = o;
	c.rec = rec;
	c.task = json_object_get(rec, "task");
	c.exec = json_object_get(rec, "exec");
	c.gen = json_object_get(rec, "gen");
	c.code = ab_get_str(rec, "extract.code");
	if (c.code == NULL)
		c.code = "";
	lang = ab_get_str(rec, "extract.language");
	if (lang == NULL)
		lang = ab_get_str(c.task, "language");
	c.lang = ab_lang_from_name(lang);
	verdict = ab_get_str(c.exec, "verdict");
	c.compile_error = verdict != NULL && strcmp(verdict,
	    "compile_error") == 0;
	ab_src_analyse(&c.src, c.lang, c.code, strlen(c.code));
	/* analysers first: whether the code parses matters to every
	 * dimension that looks at compilation */
	lint_once(&c, NULL);

	dims = json_object();
	weights = json_object();
	for (i = 0; i < r->ndims; i++) {
		const struct ab_dim *d = &r->dims[i];

		e = json_array();
		switch (d->kind) {
		case AB_DIM_PASS_RATE: v = dim_pass_rate(&c, d, e); break;
		case AB_DIM_IDIOM: v = dim_idiom(&c, d, e); break;
		case AB_DIM_PRACTICES: v = dim_practices(&c, d, e); break;
		case AB_DIM_QUALITY: v = dim_quality(&c, d, e); break;
		case AB_DIM_RATIO: v = dim_ratio(&c, d, e); break;
		case AB_DIM_RELIABILITY: v = dim_reliability(&c, d, e); break;
		default: v = 0; break;
		}
		v = ab_round2(clamp(v, 0, 10));
		total += d->weight * v;
		json_object_set_new(dims, d->name, json_pack("{s:f, s:o}",
		    "value", v, "evidence", e));
		json_object_set_new(weights, d->name,
		    json_real(round(d->weight * 1e6) / 1e6));
	}
	total = ab_round2(10.0 * total);
	cons = ab_score_consistency(rec, &cats);
	score = json_pack("{s:s, s:o, s:o, s:f, s:s, s:b, s:o, s:o, s:O, s:n}",
	    "rubric", r->name, "dimensions", dims, "weights", weights,
	    "total", total, "grade", ab_rubric_grade(r, total),
	    "success", total >= r->success, "consistency",
	    cons >= 0 ? json_real(cons) : json_null(), "categories", cats,
	    "analysers", c.lint.tools, "error");
	ab_lint_release(&c.lint);
	ab_src_release(&c.src);
	return score;
}
