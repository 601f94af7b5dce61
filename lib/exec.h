/*
 * exec.h - the judge: running an attempt's code against its task's tests
 * in a sandbox and deciding each test's verdict (used by ab-exec).
 *
 * Three parts, each in its own file under lib/exec/:
 *   - compare.c: the comparators every verdict rests on (program output
 *     against the expected text, a returned JSON value against the
 *     expected one);
 *   - lang.c: the language descriptors (share/ab/lang/NAME.json, see
 *     ab-lang(5)), parsed once into a struct ab_exec_lang when first
 *     needed, with the harness files they name read with them;
 *   - run.c and proxy.c: compiling, running each style of test, reading
 *     the harness's completion records, and building the two programs of
 *     a C or C++ assertion test (see cproxy.h).
 *
 * A struct ab_exec is one slot's judge: a borrowed sandbox, the
 * descriptors loaded so far, and the options.  One per thread or
 * process, like the sandbox it uses.
 *
 * Library code: never prints, never exits; allocation failure aborts.
 */
#ifndef AB_EXEC_H
#define AB_EXEC_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "ab.h"
#include "cproxy.h"
#include "sandbox.h"

/* ---- compare.c: the comparators ---------------------------------------- */

/* io "trailing": equal line by line once trailing blanks (space, tab,
 * CR, FF, VT) are removed from each line and trailing empty lines
 * dropped.  a and b are borrowed, need not be NUL-terminated. */
bool ab_same_trailing(const char *a, size_t an, const char *b, size_t bn);

/* io "tokens" (fl false) and "float" (fl true): equal as sequences of
 * whitespace-separated tokens; with fl, two tokens that both read as
 * numbers (strtod, whole token) are equal within tol, absolute or
 * relative to b's (NaN equals NaN only).  Borrowed arguments. */
bool ab_same_tokens(const char *a, size_t an, const char *b, size_t bn,
    bool fl, double tol);

/* JSON equality of a returned value a with the expected value b (both
 * borrowed).  JSON has one number type, so numbers compare by value:
 * 1 == 1.0; two integers exactly, however large; an integer and a real
 * exactly (2^53 + 1 != 9007199254740992.0); reals within tol, absolute
 * or relative to b's, when tol > 0 (an integer against a real too).
 * strict: numbers must also be of the same type, integer or real, as a
 * test's "strict_types" asks.  Booleans never equal numbers; arrays in
 * order, objects whatever their member order. */
bool ab_same_json(const json_t *a, const json_t *b, double tol, bool strict);

/* When a and b are equal by value but not type-strictly, what tells them
 * apart: "expected 2.0 (float), got 2 (int)" for the first pair of
 * numbers of different types, with " at .[1]["k"]" (jq's path) when
 * it is inside; NULL when they are equal type-strictly or differ in
 * value.  a is the returned value, b the expected one, both borrowed.
 * New. */
char *ab_json_type_diff(const json_t *a, const json_t *b, double tol);

/* ---- lang.c: language descriptors (ab-lang(5)) ------------------------- */

#define AB_EXEC_MAX_FILES 6	/* harness files of one style */

/* A file placed in the work directory: its name there and its text,
 * read from share/ab/lang/PATH when the descriptor loaded. */
struct ab_exec_file {
	char *name;		/* owned by the descriptor */
	char *path;		/* share/ab/lang-relative, owned */
	const char *text;	/* borrowed from the descriptor's cache */
	size_t len;
};

/* "pch" of a proxy style: precompiled standard headers (pch.c). */
struct ab_exec_pch {
	char *file;		/* the header's name ("ab-pch.hpp"); owned */
	char **headers;		/* always in it; owned, NULL-terminated */
	char **allow;		/* the solution's first #include <NAME>
				   lines that join it; owned */
	char **compile;		/* compiler and flags building it for
				   "compile" (NULL: none); owned */
	char **compile_checker;	/* the same for "compile_checker" */
};

/* One style of test ("io", "assert", "call"): how its programs are
 * built and run.  Every argv is NULL or a NULL-terminated, non-empty
 * array of strings owned by the descriptor, its "@@KEY@@" markers still
 * to be filled (INDEX, ENTRY). */
struct ab_exec_style {
	bool present;		/* the descriptor has this style */
	bool batch;		/* "mode": "batch" (one run for all tests);
				   else "each" (one run per test) */
	struct ab_exec_file files[AB_EXEC_MAX_FILES];
	size_t nfiles;
	struct ab_exec_file tpl;	/* "template": tpl.name NULL if none;
					   filled with SOLUTION, TESTS,
					   ENTRY (proxy: DECLS, PROXIES,
					   TESTS, ENTRY) */
	char *test;		/* "test": one test's text in the template,
				   with INDEX, CODE (proxy: HIDDEN); owned */
	char **compile;		/* NULL: nothing to compile */
	char **run;		/* never NULL */
	char **peer;		/* NULL: no second program */
	char **zygote_run;	/* "zygote": both or neither */
	char **zygote_peer;
	bool proxy;		/* "proxy": a C or C++ proxy style */
	enum ab_cp_lang proxy_lang;
	struct ab_exec_file server;	/* proxy: the server's template,
					   filled with SOLUTION, SERVER,
					   SOURCE */
	char **compile_alone;	/* proxy: the solution alone */
	char **compile_checker;	/* proxy: the checker */
	struct ab_exec_pch *pch;	/* proxy: NULL or owned */
	char *checker;		/* proxy: "checker", the file
				   compile_checker makes, kept in the
				   checker cache; NULL: never cached;
				   owned */
};

/* A language descriptor, parsed.  Owned by the struct ab_exec that
 * loaded it. */
struct ab_exec_lang {
	char *name;		/* the file's base name; owned */
	char *language;		/* "language", default name; owned */
	char *source;		/* the solution's file name; owned */
	bool loose_numbers;	/* "numbers": "loose" (else "strict") */
	long compile_cpu_ms, compile_wall_ms, compile_memory_mb;
	struct ab_exec_style io, assert_, call;
};

/* ---- run.c: the judge ---------------------------------------------------- */

struct ab_exec_opts {
	long cpu_ms, wall_ms, memory_mb;	/* > 0: override the task's
						   limits */
	bool warm;		/* use the language's zygotes */
	const char *pch_dir;	/* borrowed; NULL or the directory of
				   precompiled headers, bound read-only in
				   the sandbox (see ab_exec_pch_dir) */
	const char *checker_dir;	/* borrowed; NULL or a directory of
				   built checkers of proxy styles that
				   only ab-exec reads (never bound in the
				   sandbox) */
	const char *modules_dir;	/* borrowed; NULL or the host
				   directory the sandbox shows at
				   AB_SANDBOX_MODULES (ab-exec --modules):
				   where a task's "modules" are looked
				   for */
	const char *sources;	/* borrowed; a directory to keep the
				   generated C/C++ checkers and servers
				   in, or NULL */
	/* Called with a message (borrowed, lowercase, no program name) for
	 * what is not a record's verdict: a source file that could not be
	 * kept, a descriptor that does not load; may be NULL. */
	void (*warn)(const char *msg, void *arg);
	void *warn_arg;
};

struct ab_exec;

/* A judge running in sb (borrowed: it must outlive the judge), with the
 * options copied (sources stays borrowed).  New; free with
 * ab_exec_free. */
struct ab_exec *ab_exec_new(const struct ab_exec_opts *o,
    struct ab_sandbox *sb);

/* The descriptor of language name, loaded and parsed on first use (a
 * failure too is remembered: the file is read once).  Borrowed from x,
 * or NULL with err set: kind "language", naming the file and what is
 * wrong with it. */
const struct ab_exec_lang *ab_exec_lang_get(struct ab_exec *x,
    const char *name, struct ab_error *err);

/* Run rec's extract.code against rec's task.tests and return the new
 * "exec" member (ab-record(5)): every failure, the harness's too, is in
 * it (verdict internal_error and an "error" object).  rec borrowed; it
 * must have task.tests (array), task.language and extract.code
 * (strings). */
json_t *ab_exec_record(struct ab_exec *x, const json_t *rec);

void ab_exec_free(struct ab_exec *x);

/* Whether dir can be ab_exec_opts.pch_dir: an absolute path of letters,
 * digits and "_./+-", without "..", short enough to bind. */
bool ab_exec_pch_dir_ok(const char *dir);

#endif
