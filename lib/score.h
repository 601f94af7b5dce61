/*
 * score.h - the scoring engine behind ab-score: rubrics, static analysis of
 * source code, analyser output parsing, reference timings and the score of
 * one record.  Library code: nothing here prints or exits.
 *
 * Parts (lib/score/):
 *   lex.c        per-language lexer and static analysis (functions, their
 *                length and cyclomatic complexity, comments, doc comments,
 *                single-character names, magic numbers, bracket balance)
 *   rubric.c     rubric files: loading, validation, weight overrides
 *   lint.c       analysers (pyflakes, node --check, eslint, gcc, cppcheck,
 *                shellcheck): command lines, output parsers, built-in checks
 *   runner.c     running them: in a sandbox, or replayed from a directory
 *   reference.c  the task's reference solution timing, measured once per
 *                task with ab-exec and cached on disk
 *   dims.c       the dimension computations and the score member
 */
#ifndef AB_SCORE_H
#define AB_SCORE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "ab.h"
#include "lang.h"

/* ---- lex.c: static analysis -------------------------------------------- */

enum ab_tok_kind {
	AB_TOK_IDENT,
	AB_TOK_NUM,
	AB_TOK_STR,
	AB_TOK_OP,
	AB_TOK_COMMENT,
};

struct ab_tok {
	enum ab_tok_kind kind;
	size_t off, len;	/* in the source text */
	int line, end_line;	/* 1-based; end_line for multi-line tokens */
	int depth;		/* bracket depth before the token */
	bool first;		/* first token on its physical line */
	bool logical;		/* starts a logical line (python) */
	bool pp;		/* on a preprocessor line (c, cpp) */
};

struct ab_func {
	char *name;		/* new */
	int line, end_line;	/* header line .. last line */
	int length;		/* end_line - line + 1 */
	int complexity;		/* 1 + decision points inside, nested
				   functions excluded */
	size_t tok0, tok1;	/* token range, inclusive */
};

/* A position in the source and a short excerpt of it. */
struct ab_hit {
	int line;
	char *text;		/* new */
};

struct ab_src {
	enum ab_lang lang;
	const char *text;	/* borrowed from the caller of ab_src_analyse */
	size_t len;
	char *code;		/* new: comments and string contents blanked
				   (newlines kept, so offsets and lines agree) */
	char *nocomment;	/* new: comments blanked */
	struct ab_tok *toks;	/* new */
	size_t ntoks;
	struct ab_func *funcs;	/* new, in source order */
	size_t nfuncs;
	int top_complexity;	/* 1 + decision points outside functions */
	int lines, blank_lines, comment_lines;
	struct ab_hit *docs;	/* doc comments and docstrings */
	size_t ndocs;
	struct ab_hit *names;	/* distinct single-character names, first
				   use of each */
	size_t nnames;
	struct ab_hit *magic;	/* numbers compared against */
	size_t nmagic;
	int syntax_line;	/* first unbalanced bracket or unterminated
				   string/comment, 0 when none */
	char syntax_msg[160];
	size_t *line_off;	/* new: offset of each line's start, lines + 1
				   entries */
};

/* Analyse text (borrowed for the life of s) as language lang.  Never fails:
 * unknown languages get line counts only.  Release with ab_src_release. */
void ab_src_analyse(struct ab_src *s, enum ab_lang lang, const char *text,
    size_t len);
void ab_src_release(struct ab_src *s);
/* Line number (1-based) of byte offset off. */
int ab_src_line_of(const struct ab_src *s, size_t off);
/* The text of line n (1-based), trimmed and cut to at most max bytes, in a
 * new string. */
char *ab_src_excerpt(const struct ab_src *s, int line, size_t max);

/* ---- rubric.c: rubrics --------------------------------------------------- */

/* Dimension kinds: what a dimension computes (see ab-rubric(5)). */
enum ab_dim_kind {
	AB_DIM_PASS_RATE,
	AB_DIM_IDIOM,
	AB_DIM_PRACTICES,
	AB_DIM_QUALITY,
	AB_DIM_RATIO,
	AB_DIM_RELIABILITY,
};

struct ab_dim {
	char *name;		/* new */
	enum ab_dim_kind kind;
	double weight;		/* normalised: all weights sum to 1 */
	json_t *params;		/* new reference: the "params" object */
};

struct ab_rubric {
	char *name;		/* new */
	char *origin;		/* new: the file it came from */
	struct ab_dim *dims;	/* new, in file order */
	size_t ndims;
	struct ab_grade {
		char *grade;	/* new */
		double min;
	} *grades;		/* new, by decreasing min */
	size_t ngrades;
	double success;		/* total at or above which success is true */
	json_t *json;		/* new reference: the whole file */
};

/* Load a rubric: arg is a path when it contains a '/' or ends in ".json",
 * else the name of share/ab/rubrics/NAME.json.  Validates everything
 * (weights sum to 1 within 1e-6, kinds and parameters, patterns compile,
 * grades).  Returns a new rubric or NULL with err set; err->msg names the
 * file and the offending member. */
struct ab_rubric *ab_rubric_load(const char *arg, struct ab_error *err);
/* The same from a parsed object (borrowed); origin names it in errors. */
struct ab_rubric *ab_rubric_from_json(const json_t *j, const char *origin,
    struct ab_error *err);
/* Apply "dim=weight,dim=weight": the named weights replace the rubric's,
 * the others are kept, then all are normalised to sum 1.  An unknown
 * dimension, a malformed item or a total of 0 is an error (err names it);
 * the rubric is unchanged then. */
int ab_rubric_set_weights(struct ab_rubric *r, const char *spec,
    struct ab_error *err);
/* Grade letter for a total, borrowed from r. */
const char *ab_rubric_grade(const struct ab_rubric *r, double total);
void ab_rubric_free(struct ab_rubric *r);

/* ---- lint.c: analysers and built-in checks ------------------------------- */

struct ab_finding {
	char *tool;		/* new: "pyflakes", "builtin", ... */
	int line, col;		/* 0 when unknown */
	char *severity;		/* new: "error", "warning" or "style" */
	char *message;		/* new */
};

struct ab_lint {
	struct ab_finding *f;	/* new */
	size_t n;
	json_t *tools;		/* new: [{"tool", "status", "detail"}] */
	bool syntax_error;	/* an analyser found that the code does not
				   compile or parse */
	int syntax_line;
	char *syntax_msg;	/* new or NULL */
	bool any_ran;		/* at least one analyser ran */
};

/* What an analyser run produced. */
struct ab_tool_out {
	int status;		/* exit status, or -1 when killed/timed out */
	char *out, *err;	/* new, NUL-terminated */
};

/* Runs argv with file `name` (contents code) in its work directory and
 * fills *out.  Returns 0; 1 when the analyser is not installed; or -1
 * with err set when the run could not be made (then the analyser counts
 * as unavailable). */
typedef int (*ab_tool_fn)(void *ctx, char *const argv[], const char *name,
    const char *code, size_t len, struct ab_tool_out *out,
    struct ab_error *err);

/* ---- runner.c: the runners ab-score uses ---------------------------------- */

/* Each analyser in a sandbox of sandbox.h, created at the first run that
 * needs one; a command and its code run once per process, the output
 * remembered.  Zero it, set allow_degraded, pass it as the ctx of
 * ab_tool_run, and release it with ab_tool_sandbox_release. */
struct ab_tool_sandbox {
	bool allow_degraded;	/* set by the caller before the first run */
	struct ab_sandbox *sb;	/* new, NULL until the first run */
	bool failed;		/* no sandbox could be made: every run fails,
				   and the reason is in why */
	char why[sizeof ((struct ab_error *)0)->msg];
	json_t *memo;		/* new: sha256(argv, code) -> [status, out,
				   err] */
};
/* An ab_tool_fn; ctx is a struct ab_tool_sandbox. */
int ab_tool_run(void *ctx, char *const argv[], const char *name,
    const char *code, size_t len, struct ab_tool_out *out,
    struct ab_error *err);
void ab_tool_sandbox_release(struct ab_tool_sandbox *t);

/* An ab_tool_fn that replays outputs recorded in a directory (ctx, a
 * const char *, borrowed) as PROG.out, PROG.err and PROG.status, PROG
 * being argv[0]; an analyser without a PROG.status file counts as not
 * installed. */
int ab_tool_replay(void *ctx, char *const argv[], const char *name,
    const char *code, size_t len, struct ab_tool_out *out,
    struct ab_error *err);

/* A parser of one analyser's output: adds findings to l and sets
 * l->syntax_error when the output says the code does not parse. */
typedef void (*ab_lint_parser)(struct ab_lint *l, const char *tool,
    const struct ab_tool_out *out);

/* The parsers, exported for the tests and the fuzz target. */
void ab_lint_parse_gcc(struct ab_lint *l, const char *tool,
    const struct ab_tool_out *out);	/* gcc, cppcheck, shellcheck -f gcc,
					   eslint -f unix */
void ab_lint_parse_pyflakes(struct ab_lint *l, const char *tool,
    const struct ab_tool_out *out);
void ab_lint_parse_node(struct ab_lint *l, const char *tool,
    const struct ab_tool_out *out);

/* True when prog is an executable in /usr/local/bin, /usr/bin or /bin
 * (the PATH of the sandbox). */
bool ab_lint_installed(const char *prog);

/* Run the analysers for lang through run (NULL: analysers off, each tool
 * recorded with status "off").  Fills l (release with
 * ab_lint_release).  Never fails: a tool that cannot run is recorded with
 * its status ("missing", "unavailable: reason"). */
void ab_lint_run(struct ab_lint *l, enum ab_lang lang, const char *code,
    size_t len, ab_tool_fn run, void *ctx);
/* Add the built-in checks: the bracket balance found by the lexer and the
 * rubric's pattern table for the language (params "builtin" member, an
 * object of language → [{"regex", "severity", "message", "view"}]). */
void ab_lint_builtin(struct ab_lint *l, const struct ab_src *s,
    const json_t *table);
void ab_lint_add(struct ab_lint *l, const char *tool, int line, int col,
    const char *severity, const char *message);
void ab_lint_release(struct ab_lint *l);

/* ---- reference.c: the reference solution's run time ---------------------- */

struct ab_ref_cache {
	char *dir;		/* new: cache directory, NULL for none */
	char *exec_path;	/* new: the ab-exec to run, NULL: never run */
	char **exec_args;	/* new, NULL-terminated: extra arguments */
	json_t *mem;		/* new: task hash → entry, this process */
};

/* One reference timing. */
struct ab_ref_time {
	double cpu_ms, wall_ms, max_test_ms;
	char source[256];	/* how it was obtained, for the evidence */
};

/* The reference timing of task: from the task's "reference_time_ms"
 * member, from this process's memory, from the disk cache
 * (DIR/reference/SHA256-OF-CANONICAL-TASK.json), or by running the task's
 * "reference" through ab-exec (when exec_path is set), storing the result
 * in both caches.  Returns 0, or -1 with err set (no reference, the
 * reference failed its own tests, ab-exec could not run). */
int ab_ref_time(struct ab_ref_cache *c, const json_t *task,
    struct ab_ref_time *t, struct ab_error *err);
void ab_ref_cache_release(struct ab_ref_cache *c);

/* ---- dims.c: scoring ----------------------------------------------------- */

struct ab_score_opts {
	ab_tool_fn run;		/* analyser runner, NULL: analysers off */
	void *run_ctx;
	struct ab_ref_cache *ref;	/* NULL: no reference timings */
	double baseline_ms;	/* > 0: overrides the rubric's speed baseline */
};

/* Score rec (borrowed) with rubric r: returns the new score member
 * {"rubric", "dimensions": {NAME: {"value", "evidence"}}, "weights",
 * "total", "grade", "success", "consistency", "categories", "analysers",
 * "error"}.  Never fails: a problem with the record's data shows in the
 * evidence or in "error". */
json_t *ab_score_record(const struct ab_rubric *r, const json_t *rec,
    const struct ab_score_opts *o);

/* Consistency of one record: tests grouped by category (see ab-score(1)),
 * 100 * (1 - population variance of the per-category weighted pass
 * ratios).  Fills *cats (new object: category → ratio) and returns the
 * value, or -1 when the record has no tests. */
double ab_score_consistency(const json_t *rec, json_t **cats);

/* Round to two decimals, half away from zero (the precision of every
 * number ab-score writes). */
double ab_round2(double x);

#endif
