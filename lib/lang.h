/*
 * lang.h - the languages ab knows by heart: one table of canonical names,
 * aliases, source file extensions and toolchain programs, used by every
 * program (ab-extract's fences and heuristics, ab-exec's descriptor lookup,
 * ab-score's lexers and rubrics, ab-store's toolchain versions).
 *
 * The canonical names are the names of the descriptors in
 * share/ab/lang/NAME.json, and each extension is that of the descriptor's
 * "source" file.  Other languages may still have a descriptor; they are
 * known by their own name only, without the heuristics.  The aliases are
 * documented in ab-task(5).  Library code: nothing here prints or exits.
 */
#ifndef AB_LANG_H
#define AB_LANG_H

#include <stddef.h>

enum ab_lang {
	AB_LANG_UNKNOWN = 0,
	AB_LANG_PYTHON,
	AB_LANG_JAVASCRIPT,
	AB_LANG_C,
	AB_LANG_CPP,
	AB_LANG_BASH,
	AB_LANG_COUNT,		/* not a language: the number of the above */
};

/* The canonical name ("python", "javascript", "c", "cpp", "bash"), or
 * NULL for AB_LANG_UNKNOWN.  Static. */
const char *ab_lang_name(enum ab_lang lang);

/* The extension of the descriptor's source file, without the dot ("py",
 * "js", "c", "cpp", "sh"), or NULL for AB_LANG_UNKNOWN.  Static. */
const char *ab_lang_ext(enum ab_lang lang);

/* The program whose --version identifies the language's toolchain
 * ("python3", "node", "cc", "c++", "bash"), or NULL.  Static. */
const char *ab_lang_tool(enum ab_lang lang);

/* The language of a canonical name or an alias, compared without regard to
 * case, of the n bytes at s (which need not be NUL-terminated):
 *   python      py, python3, py3
 *   javascript  js, node, nodejs, mjs, cjs
 *   c           h
 *   cpp         c++, cc, cxx, hpp, hh, hxx
 *   bash        sh, shell, zsh, ksh
 * AB_LANG_UNKNOWN for anything else. */
enum ab_lang ab_lang_from(const char *s, size_t n);
/* The same for a NUL-terminated name; NULL gives AB_LANG_UNKNOWN. */
enum ab_lang ab_lang_from_name(const char *name);

/* The aliases of lang (not its canonical name), NULL-terminated; an empty
 * list for AB_LANG_UNKNOWN.  Static. */
const char *const *ab_lang_aliases(enum ab_lang lang);

#endif
