/*
 * extract.h - finding the code in a model's answer: the markdown fence
 * scanner, reasoning sections, a "looks like
 * code" heuristic, entry point detection and the -f function trimmer.
 * Used by ab-extract; library code (never prints, never exits).
 *
 * Everything here takes text as (pointer, length): the text may hold any
 * bytes, NUL included, and every function runs in time linear in its
 * length (the trimmer: linear in the code plus its number of top-level
 * units times their references).
 */
#ifndef AB_EXTRACT_H
#define AB_EXTRACT_H

#include <stdbool.h>
#include <stddef.h>

#include "ab.h"
#include "lang.h"

/* One fenced block found by ab_fence_scan. */
struct ab_fence {
	size_t line;		/* 1-based line of the opening fence */
	size_t off, len;	/* content in ab_fences.text ('\n' line ends) */
	char tag[32];		/* language word of the info string, lowercased,
				   "" when untagged */
	enum ab_lang lang;	/* ab_lang_from(tag), or by file extension */
	bool closed;		/* false: the fence ran to the end of the text */
};

/* The result of a scan.  Zero it (or ab_fences_init) before the first
 * scan; ab_fences_release frees it. */
struct ab_fences {
	struct ab_fence *v;	/* the blocks, in order */
	size_t n, cap;
	struct ab_buf text;	/* block contents, back to back */
	struct ab_buf prose;	/* the text outside reasoning sections, with
				   '\n' line ends (fences included) */
	size_t reasoning;	/* reasoning sections dropped */
	bool unclosed_reasoning; /* the last one ran to the end */
};

void ab_fences_init(struct ab_fences *f);
void ab_fences_release(struct ab_fences *f);

/*
 * Scan markdown text s[0..n) for fenced code blocks, CommonMark style:
 * an opening fence is a run of at least three ` or ~ (backtick fences
 * take no ` in their info string), indented by any amount or after a
 * list marker ("- ", "1. "); a closing fence is a run of the same
 * character at least as long, followed only by whitespace, indented at
 * most three columns more than the opening one; content lines lose up to
 * the opening fence's indentation.  A fence never closed runs to the end.
 * Line ends may be LF, CRLF or CR.  Reasoning sections (a line starting
 * with <think>, <thinking> or <reasoning> outside a fence, up to the
 * matching close tag, or to the end when there is none; and everything
 * before a </think> that ends a line and has no opening tag before it)
 * are skipped.
 * Appends to f (which must be initialised); cannot fail.
 */
void ab_fence_scan(struct ab_fences *f, const char *s, size_t n);

/* True when s[0..n) plausibly is a whole program or module in lang,
 * rather than prose: at least one defining construct of the language
 * (def/import, function/const, #include or a function definition, a
 * command or assignment), most lines code-like, almost no prose
 * sentences or constructs of another language.  When true and first/last
 * are not NULL, they get the byte range of the code once leading and
 * trailing prose lines are dropped. */
bool ab_code_plausible(enum ab_lang lang, const char *s, size_t n,
    size_t *first, size_t *last);

/* True when code s[0..n) in lang defines a function (or, for python and
 * javascript, a top-level name) called name. */
bool ab_defines(enum ab_lang lang, const char *s, size_t n,
    const char *name);

/*
 * Keep only the top-level definition of name and what it needs: the
 * imports, includes and directives it relies on, and the helpers,
 * classes, types, globals and constants it refers to, transitively, in
 * their original order.  Statements that only run code (a main guard,
 * prints, tests, a C main) are dropped.  python, javascript, c and cpp.
 * Appends the result to out.  Returns 0, or -1 with err set:
 * "entry_point_missing" (no top-level definition of name), "unsupported"
 * (another language).
 */
int ab_only_function(enum ab_lang lang, const char *s, size_t n,
    const char *name, struct ab_buf *out, struct ab_error *err);

/* First occurrence of pat[0..m) in s[0..n), or NULL (memmem, but linear
 * under the sanitizers too, whose memmem checks the whole haystack). */
const char *ab_memfind(const char *s, size_t n, const char *pat, size_t m);

/* How to choose among several candidate blocks. */
enum ab_pick {
	AB_PICK_LONGEST = 0,	/* the longest (the first among equals) */
	AB_PICK_FIRST,
	AB_PICK_LAST,
	AB_PICK_ALL,		/* all of them, in order, a blank line apart */
};

struct ab_extract_opts {
	const char *language;	/* target language name or alias; NULL or ""
				   for none (borrowed) */
	const char *entry_point; /* NULL or "" for none (borrowed) */
	enum ab_pick pick;
	bool only_function;	/* -f: ab_only_function on the result when
				   an entry point is known and the language
				   is python, javascript, c or cpp */
};

/* What ab_extract found.  Release with ab_extract_release. */
struct ab_extract {
	char *code;		/* new; NULL on error */
	char language[32];	/* canonical target language; "" unknown */
	const char *method;	/* static: "fence+lang", "fence", "fence+compat",
				   "entry_point", "raw"; NULL on error */
	size_t blocks;		/* fenced blocks found outside reasoning */
};

/*
 * Find the code in the answer text[0..n).  Returns 0 with x->code set,
 * or -1 with x->code NULL and err->kind one of:
 *   empty               the text is empty or only white space
 *   binary              the text is not text (NUL bytes, control
 *                       characters)
 *   reasoning_only      nothing is left once reasoning is dropped
 *   no_code             no fenced block and the text is not code
 *   wrong_language      fenced blocks, none in the target language or
 *                       untagged
 *   empty_block         the chosen blocks are empty
 *   entry_point_missing -f: the code has no top-level definition of
 *                       the entry point
 * The other members of x are filled in either case.
 */
int ab_extract(const char *text, size_t n, const struct ab_extract_opts *o,
    struct ab_extract *x, struct ab_error *err);
void ab_extract_release(struct ab_extract *x);

#endif
