/*
 * lint.c - the well-known analysers per language, run through a caller's
 * runner (ab-score runs them in ab-exec's sandbox), the parsers of their
 * output, and the built-in checks used when no analyser could run.
 */
#include <ctype.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ab.h"
#include "score.h"

/* Where analysers are looked up, and the PATH of the sandbox. */
static const char *const tool_dirs[] = { "/usr/local/bin", "/usr/bin", "/bin",
    NULL };

struct tool {
	enum ab_lang lang;
	const char *name;	/* as shown in the evidence */
	const char *prog;	/* looked up in tool_dirs */
	const char *file;	/* the file name the code is written to */
	const char *const argv[24];
	ab_lint_parser parse;
};

static const struct tool tools[] = {
	{ AB_LANG_PYTHON, "pyflakes", "pyflakes3", "solution.py",
	    { "pyflakes3", "solution.py", NULL }, ab_lint_parse_pyflakes },
	{ AB_LANG_JAVASCRIPT, "node --check", "node", "solution.js",
	    { "node", "--check", "solution.js", NULL }, ab_lint_parse_node },
	/* eslint 9 (flat configuration): no configuration file, a fixed set
	 * of rules */
	{ AB_LANG_JAVASCRIPT, "eslint", "eslint", "solution.js",
	    { "eslint", "--no-config-lookup", "--format", "unix",
	    "--rule", "no-unused-vars: warn", "--rule", "no-unreachable: warn",
	    "--rule", "no-dupe-keys: error", "--rule", "no-self-compare: warn",
	    "--rule", "eqeqeq: warn", "--rule", "no-var: warn",
	    "--rule", "prefer-const: warn", "solution.js", NULL },
	    ab_lint_parse_gcc },
	{ AB_LANG_C, "gcc", "gcc", "solution.c",
	    { "gcc", "-std=c11", "-Wall", "-Wextra", "-fanalyzer",
	    "-include", "assert.h", "-include", "stdio.h", "-include",
	    "stdlib.h", "-include", "string.h", "-c", "-o", "solution.o",
	    "solution.c", NULL }, ab_lint_parse_gcc },
	{ AB_LANG_C, "cppcheck", "cppcheck", "solution.c",
	    { "cppcheck", "--enable=warning,style,performance,portability",
	    "--quiet", "--language=c",
	    "--template={file}:{line}:{column}: {severity}: {message} [{id}]",
	    "solution.c", NULL }, ab_lint_parse_gcc },
	{ AB_LANG_CPP, "g++", "g++", "solution.cpp",
	    { "g++", "-std=c++17", "-Wall", "-Wextra", "-include",
	    "cassert", "-include", "cstdio", "-include", "cstdlib",
	    "-include", "cstring", "-fsyntax-only", "solution.cpp", NULL },
	    ab_lint_parse_gcc },
	{ AB_LANG_CPP, "cppcheck", "cppcheck", "solution.cpp",
	    { "cppcheck", "--enable=warning,style,performance,portability",
	    "--quiet", "--language=c++",
	    "--template={file}:{line}:{column}: {severity}: {message} [{id}]",
	    "solution.cpp", NULL }, ab_lint_parse_gcc },
	{ AB_LANG_BASH, "shellcheck", "shellcheck", "solution.sh",
	    { "shellcheck", "--shell=bash", "--format=gcc", "solution.sh",
	    NULL }, ab_lint_parse_gcc },
};

void
ab_lint_add(struct ab_lint *l, const char *tool, int line, int col,
    const char *severity, const char *message)
{
	struct ab_finding *f;
	struct ab_buf b = AB_BUF_INIT;
	size_t n = strlen(message);

	l->f = ab_xrealloc(l->f, (l->n + 1) * sizeof *l->f);
	f = &l->f[l->n++];
	f->tool = ab_xstrdup(tool);
	f->line = line;
	f->col = col;
	f->severity = ab_xstrdup(severity);
	ab_buf_add_escaped(&b, message, n > 300 ? 300 : n);
	f->message = ab_buf_detach(&b);
}

static void
set_syntax(struct ab_lint *l, int line, const char *msg)
{
	if (l->syntax_error)
		return;
	l->syntax_error = true;
	l->syntax_line = line;
	l->syntax_msg = ab_xstrdup(msg);
}

/* Severity words of gcc, cppcheck, shellcheck and eslint mapped to ours;
 * NULL: not a finding (notes, information). */
static const char *
map_severity(const char *w, size_t n)
{
	static const struct {
		const char *word, *sev;
	} map[] = {
		{ "error", "error" }, { "fatal error", "error" },
		{ "warning", "warning" }, { "style", "style" },
		{ "performance", "style" }, { "portability", "warning" },
		{ "note", NULL }, { "information", NULL }, { "info", NULL },
	};
	size_t i;

	for (i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strlen(map[i].word) == n && strncmp(map[i].word, w, n) == 0)
			return map[i].sev;
	return "";
}

static int
num(const char **p)
{
	long v = 0;

	if (!isdigit((unsigned char)**p))
		return -1;
	while (isdigit((unsigned char)**p)) {
		if (v < 1000000000)
			v = v * 10 + (**p - '0');
		(*p)++;
	}
	return (int)v;
}

/* The location that starts the line p..e in the output of gcc and its
 * kin: "FILE:LINE:" then "COL:" (where strict, a column must end with
 * ':'; else the ':' is optional), then blanks.  Sets the line, the column
 * (0 when absent) and where the rest starts; false when the line does not
 * start so. */
static bool
location(const char *p, const char *e, bool strict, int *line, int *col,
    const char **rest)
{
	const char *q;

	/* skip the file name: up to ":<digits>:" */
	for (q = p; q < e; q++)
		if (*q == ':' && q + 1 < e && isdigit((unsigned char)q[1]))
			break;
	if (q >= e)
		return false;
	q++;
	*line = num(&q);
	if (*line < 0 || *q != ':')
		return false;
	q++;
	*col = 0;
	if (isdigit((unsigned char)*q)) {
		*col = num(&q);
		if (*q == ':')
			q++;
		else if (strict)
			return false;
	}
	while (*q == ' ')
		q++;
	*rest = q;
	return true;
}

/* "FILE:LINE:COL: SEVERITY: MESSAGE" (gcc, cppcheck with our template,
 * shellcheck -f gcc) or "FILE:LINE:COL: MESSAGE [Severity/rule]" (eslint
 * -f unix).  Both streams are read; other lines are ignored. */
static void
parse_gcc_text(struct ab_lint *l, const char *tool, const char *text)
{
	const char *p = text, *e, *q, *c;
	int line, col;

	for (; p != NULL && *p != '\0'; p = *e ? e + 1 : e) {
		e = strchr(p, '\n');
		if (e == NULL)
			e = p + strlen(p);
		if (!location(p, e, true, &line, &col, &q))
			continue;
		c = q;
		while (c < e && *c != ':')
			c++;
		const char *sev = c < e ? map_severity(q, (size_t)(c - q)) : "";
		char *msg;

		/* shellcheck's "note" is its info level (SC2086 and the
		 * like); gcc's notes only explain an earlier message */
		if (sev == NULL && strcmp(tool, "shellcheck") == 0 &&
		    strncmp(q, "note:", 5) == 0)
			sev = "style";

		if (sev == NULL)
			continue;
		if (*sev != '\0') {
			q = c + 1;
			while (*q == ' ')
				q++;
		} else {
			/* eslint: "message [Error/rule]" */
			const char *br = e;

			while (br > q && br[-1] != '[')
				br--;
			sev = "warning";
			if (br > q && strncmp(br, "Error", 5) == 0)
				sev = "error";
			else if (br <= q)
				continue;
		}
		msg = ab_xstrndup(q, (size_t)(e - q));
		ab_lint_add(l, tool, line, col, sev, msg);
		if (strcmp(sev, "error") == 0 && strcmp(tool, "cppcheck") != 0 &&
		    strcmp(tool, "shellcheck") != 0 && strcmp(tool, "eslint") != 0)
			set_syntax(l, line, msg);
		if (strcmp(tool, "eslint") == 0 && strstr(msg, "Parsing error"))
			set_syntax(l, line, msg);
		free(msg);
	}
}

void
ab_lint_parse_gcc(struct ab_lint *l, const char *tool,
    const struct ab_tool_out *out)
{
	parse_gcc_text(l, tool, out->out);
	parse_gcc_text(l, tool, out->err);
}

/* pyflakes: warnings on stdout "FILE:LINE:COL: message"; a syntax error on
 * stderr in the same form, followed by the source line and a caret. */
void
ab_lint_parse_pyflakes(struct ab_lint *l, const char *tool,
    const struct ab_tool_out *out)
{
	size_t i;

	for (i = 0; i < 2; i++) {
		const char *p = i == 0 ? out->out : out->err, *e, *q;
		int line, col;

		for (; p != NULL && *p != '\0'; p = *e ? e + 1 : e) {
			e = strchr(p, '\n');
			if (e == NULL)
				e = p + strlen(p);
			if (!location(p, e, false, &line, &col, &q))
				continue;
			char *msg = ab_xstrndup(q, (size_t)(e - q));

			ab_lint_add(l, tool, line, col, i == 0 ? "warning" :
			    "error", msg);
			if (i == 1)
				set_syntax(l, line, msg);
			free(msg);
		}
	}
}

/* node --check: on a syntax error, stderr starts "PATH:LINE", and a later
 * line starts "SyntaxError: ". */
void
ab_lint_parse_node(struct ab_lint *l, const char *tool,
    const struct ab_tool_out *out)
{
	const char *p = out->err, *e, *q, *se;
	int line = 0;
	char *msg;

	if (out->status == 0 || p == NULL)
		return;
	e = strchr(p, '\n');
	if (e == NULL)
		e = p + strlen(p);
	for (q = e; q > p && isdigit((unsigned char)q[-1]); q--)
		;
	if (q > p && q < e && q[-1] == ':')
		line = num(&q);
	if (line < 0)
		line = 0;
	se = strstr(p, "SyntaxError: ");
	if (se == NULL) {
		se = strstr(p, "Error: ");
		if (se == NULL)
			return;
	}
	e = strchr(se, '\n');
	msg = ab_xstrndup(se, e ? (size_t)(e - se) : strlen(se));
	ab_lint_add(l, tool, line, 0, "error", msg);
	set_syntax(l, line, msg);
	free(msg);
}

bool
ab_lint_installed(const char *prog)
{
	char path[256];
	size_t i;

	for (i = 0; tool_dirs[i] != NULL; i++) {
		snprintf(path, sizeof path, "%s/%s", tool_dirs[i], prog);
		if (access(path, X_OK) == 0)
			return true;
	}
	return false;
}

static void
tool_status(struct ab_lint *l, const char *tool, const char *status,
    const char *detail)
{
	json_array_append_new(l->tools, json_pack("{s:s, s:s, s:s?}", "tool",
	    tool, "status", status, "detail", detail));
}

void
ab_lint_run(struct ab_lint *l, enum ab_lang lang, const char *code,
    size_t len, ab_tool_fn run, void *ctx)
{
	struct ab_tool_out out;
	struct ab_error err;
	size_t i, before;
	char detail[96];
	int rc;

	if (l->tools == NULL)
		l->tools = json_array();
	for (i = 0; i < sizeof tools / sizeof tools[0]; i++) {
		const struct tool *t = &tools[i];

		if (t->lang != lang)
			continue;
		if (run == NULL) {
			tool_status(l, t->name, "off", NULL);
			continue;
		}
		memset(&out, 0, sizeof out);
		rc = run(ctx, (char *const *)t->argv, t->file, code, len, &out,
		    &err);
		if (rc == 1) {
			tool_status(l, t->name, "missing", NULL);
			continue;
		}
		if (rc < 0) {
			tool_status(l, t->name, "unavailable", err.msg);
			free(out.out);
			free(out.err);
			continue;
		}
		if (out.status < 0) {
			tool_status(l, t->name, "unavailable",
			    "killed at its limits");
			free(out.out);
			free(out.err);
			continue;
		}
		before = l->n;
		t->parse(l, t->name, &out);
		if (l->n == before && out.status != 0) {
			/* failed without a finding: the tool itself broke
			 * (a bad option, a crash); say how, count it as not
			 * run */
			const char *e = *out.err ? out.err : out.out;
			size_t n = strcspn(e, "\n");

			snprintf(detail, sizeof detail, "exit %d: %.*s",
			    out.status, (int)(n > 70 ? 70 : n), e);
			tool_status(l, t->name, "failed", detail);
			free(out.out);
			free(out.err);
			continue;
		}
		snprintf(detail, sizeof detail, "%zu findings, exit %d",
		    l->n - before, out.status);
		tool_status(l, t->name, "ran", detail);
		l->any_ran = true;
		free(out.out);
		free(out.err);
	}
}

void
ab_lint_builtin(struct ab_lint *l, const struct ab_src *s, const json_t *table)
{
	const json_t *list = json_object_get(table, ab_lang_name(s->lang));
	json_t *p;
	size_t i;
	regex_t rx;
	regmatch_t m;
	const char *view, *v;

	if (l->tools == NULL)
		l->tools = json_array();
	tool_status(l, "builtin", "ran", NULL);
	if (s->syntax_line > 0)
		ab_lint_add(l, "builtin", s->syntax_line, 0, "error",
		    s->syntax_msg);
	json_array_foreach(list, i, p) {
		view = ab_get_str(p, "view");
		v = view != NULL && strcmp(view, "text") == 0 ? s->text :
		    view != NULL && strcmp(view, "nocomment") == 0 ?
		    s->nocomment : s->code;
		if (v == NULL || regcomp(&rx, ab_get_str(p, "regex"),
		    REG_EXTENDED | REG_NEWLINE) != 0)
			continue;
		/* every match, one finding per line */
		size_t off = 0;
		int last = 0;

		while (off < s->len && regexec(&rx, v + off, 1, &m,
		    off > 0 && v[off - 1] != '\n' ? REG_NOTBOL : 0) == 0) {
			int line = ab_src_line_of(s, off + (size_t)m.rm_so);

			if (line != last)
				ab_lint_add(l, "builtin", line, 0,
				    ab_get_str(p, "severity"),
				    ab_get_str(p, "message"));
			last = line;
			off += (size_t)(m.rm_eo > 0 ? m.rm_eo : 1);
		}
		regfree(&rx);
	}
}

void
ab_lint_release(struct ab_lint *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->f[i].tool);
		free(l->f[i].severity);
		free(l->f[i].message);
	}
	free(l->f);
	free(l->syntax_msg);
	json_decref(l->tools);
	memset(l, 0, sizeof *l);
}
