/*
 * cproxy.h - C and C++ assertion tests by proxy (used by ab-exec).
 *
 * A C or C++ assertion test runs as two programs: the checker K (the
 * task's test code, holding the run's nonce) and the server S (the
 * solution as written, plus a stub).  K never contains a byte of the
 * solution's code: it sees a declarations-only view of the solution made
 * here, from the solution's text, by a conservative token-level filter,
 * and calls the solution's functions through proxies with the same
 * signatures that send each call to S as plain bytes and read back the
 * result (see share/ab/lang/c/abwire.h and share/ab/lang/cpp/abwire.hpp
 * for the wire).
 *
 * The view keeps only what cannot run code or rewrite the check:
 *   - "#include <name>" lines whose name is plain (letters, digits, "_",
 *     "-", "+", ".", "/"; not absolute, no ".."), outside declarations;
 *     every other directive is dropped, so no macro of the solution
 *     reaches K;
 *   - typedefs, struct, union and enum definitions (in C++ only plain
 *     data aggregates: data members without initializers, no member
 *     functions, bases, access labels or nested definitions), and in C++
 *     "using namespace std;", "using std::NAME;" and "using NAME = TYPE;";
 *   - in C++, for a held union (see ab_cp_build), a stand-in written
 *     here: the union's name, an index, and the declarations of its
 *     constructors and member functions (checked types, no body), whose
 *     definitions in K are proxies running the solution's own in S;
 *   - the functions the tests name (identifiers of the test code, and the
 *     entry point) that are defined at file scope with a signature the
 *     proxy can carry, as prototypes of their proxies.
 * Everything kept is re-emitted from the filter's own tokens (one space
 * apart), and checked on those tokens: no string literal, no brace but a
 * type's body, no "=" but an enumerator's value or "using X =", no
 * assignment or increment, no call in an array bound, template argument
 * or enumerator value, no attribute, asm label, alignas, _Pragma, typeof,
 * decltype or reserved identifier.  Misreading the source (a raw string,
 * a conditional) can only change what is kept, never make it unsafe.
 * Whatever is dropped that the tests needed makes K fail to compile.
 *
 * Library code: never prints, never exits; allocation failure aborts.
 */
#ifndef AB_CPROXY_H
#define AB_CPROXY_H

#include <stdbool.h>
#include <stddef.h>

enum ab_cp_lang {
	AB_CP_C,
	AB_CP_CXX,
};

struct ab_cp_out {
	char *decls;	/* K: the view (kept #include lines, types and the
			   proxies' prototypes, with #line markers naming
			   the solution's lines); new */
	char *proxies;	/* K: the proxies' definitions and the wire's
			   tables; new */
	char *server;	/* S: the stub's dispatch code, placed after the
			   solution; new */
	char *notes;	/* what was left out that a test may miss, "; "
			   separated, at most about 1500 bytes; new, "" when
			   nothing */
	size_t nfuncs;	/* functions carried */
};

/* A longer solution gets an empty view (and a note). */
#define AB_CP_MAX_SOURCE ((size_t)512 << 10)

/*
 * Build the view, the proxies and the stub for the solution src (len
 * bytes) written in lang.  file is the solution's file name for the
 * #line markers (e.g. "solution.c"; letters, digits, "._-" only, else
 * "solution").  uses is the test code (uses_len bytes): a function is
 * carried when its name is an identifier there or is entry (may be
 * NULL).  prompt is the task's own code (its starter code or prompt;
 * may be NULL): in C++, a union of the solution with constructors and
 * member functions is held (its values stay in S, K gets a stand-in
 * whose constructors and member functions are proxies) only when it is
 * defined with the same tokens in prompt and comes first in src (after
 * #include lines and "using namespace std;" only), as MultiPL-E's
 * prompts define it.  Any input is accepted; what cannot be kept
 * becomes a note.
 * Fills *out (release with ab_cp_out_release).
 */
void ab_cp_build(enum ab_cp_lang lang, const char *src, size_t len,
    const char *file, const char *uses, size_t uses_len, const char *entry,
    const char *prompt, struct ab_cp_out *out);

void ab_cp_out_release(struct ab_cp_out *out);

/*
 * Whether id is an identifier token of src (comments and string literals
 * excluded; preprocessor directives included).  For ab-exec to tell a
 * solution that lacks a name the tests use from one whose declaration
 * the view could not keep.
 */
bool ab_cp_mentions(enum ab_cp_lang lang, const char *src, size_t len,
    const char *id);

#endif
