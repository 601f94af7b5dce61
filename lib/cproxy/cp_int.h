/*
 * cp_int.h - internals of lib/cproxy: the lexer's tokens.
 */
#ifndef AB_CP_INT_H
#define AB_CP_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ab.h"
#include "cproxy.h"

enum cp_kind {
	CP_IDENT,	/* identifier or keyword */
	CP_NUM,		/* pp-number */
	CP_CHAR,	/* character literal */
	CP_STR,		/* string literal (also raw) */
	CP_PUNCT,	/* punctuator, canonical spelling in p */
	CP_OTHER,	/* anything else (stray byte, unterminated literal) */
	CP_INCLUDE,	/* a kept "#include <name>": name in s, n */
	CP_EOF,
};

/* Token flags. */
enum {
	CP_F_UNSAFE = 1 << 0,	/* identifier with a UCN or non-ASCII
				   byte, literal with escapes or prefixes,
				   number with a digit separator */
	CP_F_BOL = 1 << 1,	/* first token of its line */
	CP_F_MACRO = 1 << 2,	/* an identifier naming a macro of the
				   solution that the view does not expand
				   here (mac says which): never kept */
};

struct cp_tok {
	enum cp_kind k;
	unsigned flags;
	const char *s;		/* text in the spliced source (or p) */
	size_t n;
	const char *p;		/* CP_PUNCT: canonical spelling */
	uint32_t line;		/* line in the original source */
	int mac;		/* CP_F_MACRO: index in cp_toks.mac */
};

/* Bounds of the expansion of object-like macros (macro.c). */
#define CP_MAX_BODY 32		/* tokens of an expandable body */
#define CP_MAX_XDEPTH 16	/* nested expansions */
#define CP_MAX_XTOKENS 512	/* steps (body tokens read) of one use */
#define CP_MAX_XTOTAL 262144	/* steps of all uses */

/* A #define or #undef of the solution, in source order. */
struct cp_macro {
	const char *s;		/* the name, in the spliced text */
	size_t n;
	size_t pos;		/* takes effect before token pos */
	uint32_t line;
	bool undef;		/* #undef (body unused) */
	bool fnlike;		/* has parameters */
	bool cond;		/* inside a preprocessor conditional */
	bool longbody;		/* more than CP_MAX_BODY tokens */
	struct cp_tok *body;	/* the replacement list (at most
				   CP_MAX_BODY tokens kept), owned */
	size_t nbody;
	const char *why;	/* set by cp_expand: why it is not
				   expanded, NULL when it is */
};

struct cp_toks {
	struct cp_tok *v;
	size_t n, cap;
	char *text;		/* the spliced source, owned */
	size_t ndefine, ndirective, ninclude_dropped;
	bool unterminated;	/* a comment or literal never ended */
	struct cp_macro *mac;	/* #define and #undef lines, owned */
	size_t nmac, capmac;
	int cond;		/* conditional nesting while lexing */
	size_t nexpanded;	/* uses of macros expanded */
	size_t *defined;	/* one #define (index in mac) per name
				   #defined, sorted by name; owned */
	size_t ndefined;
};

/* Tokenise src: lines spliced, comments and directives removed (kept
 * includes become CP_INCLUDE tokens), digraphs canonical.  Never fails.
 * Release with cp_toks_release. */
void cp_lex(const char *src, size_t len, bool cxx, struct cp_toks *t);
void cp_toks_release(struct cp_toks *t);

/* macro.c: expand the object-like macros of t in place, as the
 * preprocessor would, within the bounds above and only those whose
 * replacement can only spell a type or an array bound; a use of any
 * other macro is left as it is, flagged CP_F_MACRO.  Never fails. */
void cp_expand(struct cp_toks *t);

/* view.c: keyword classes, for macro.c. */
bool cp_kw_bad(const struct cp_tok *t);	/* never kept */
bool cp_kw_any(const struct cp_tok *t);	/* any keyword the view knows */
bool cp_reserved(const struct cp_tok *t);

/* Token helpers. */
bool cp_is(const struct cp_tok *t, const char *punct);
bool cp_id(const struct cp_tok *t, const char *word);

/* A sequence of tokens to emit (pointers to lexed or static tokens). */
struct cp_seq {
	const struct cp_tok **v;
	size_t n, cap;
};

/* How a parameter is carried. */
enum cp_pkind {
	CP_P_VAL,	/* by value (also const T & and T && in C++) */
	CP_P_PTR,	/* pointer (or array, adjusted): the object from the
			   pointer to its end, written back unless const */
	CP_P_REF,	/* C++ T &: the value, written back */
};

struct cp_param {
	enum cp_pkind kind;
	bool cpointee;		/* PTR: points to const */
	bool rref;		/* VAL from T && */
	bool cref;		/* VAL from const T & */
	struct cp_seq spec;	/* base type (pointee for PTR) */
	struct cp_seq dims;	/* PTR: array dimensions after the first */
	struct cp_seq deflt;	/* C++ default argument (a literal) */
};

enum cp_rkind {
	CP_R_VOID,
	CP_R_VAL,
	CP_R_STR,		/* char * or const char *: a string */
};

struct cp_fn {
	char *name;
	uint32_t line;
	enum cp_rkind rk;
	struct cp_seq ret;	/* return type (top-level cv kept) */
	struct cp_param *p;
	size_t np;
	char *sig;		/* canonical signature, to compare */
	bool bad;		/* overloaded: not carried */
	bool used;		/* named by the tests */
	bool ctor;		/* a member of a held union (cp_rec.mf): a
				   constructor (ret empty) */
	bool cmeth;		/* a member: a const member function */
};

/* What a type name stands for, for the plain-data analysis. */
enum cp_tkind {
	CP_T_OTHER,		/* unknown: not plain */
	CP_T_ARITH,		/* a number or an enum */
	CP_T_BOOL,
	CP_T_REC,		/* a record, see rec */
};

struct cp_member {
	char *name;		/* NULL for an unnamed bit-field */
	enum cp_tkind k;
	int rec;		/* CP_T_REC: index in recs */
	bool bitfield;
	bool array;
};

struct cp_rec {
	char *key;		/* "struct x", "union x" or a typedef name */
	bool is_union;
	bool plain;		/* C: raw bytes carry it (no pointer) */
	bool has_bool;		/* C: needs a validator */
	bool cxx_ok;		/* C++: members can be carried one by one */
	struct cp_member *m;
	size_t nm;
	bool held;		/* C++: a union with constructors and member
				   functions (MultiPL-E's tagless unions):
				   its values stay in the server, the
				   checker has a stand-in of the same name
				   whose constructors and member functions
				   (mf) are proxies */
	struct cp_fn *mf;	/* held: the constructors and member
				   functions, owned (name: the member's,
				   "operator==" for an operator) */
	size_t nmf;
};

struct cp_tname {
	char *name;
	enum cp_tkind k;
	int rec;
};

/* One piece of the view, in source order. */
struct cp_piece {
	uint32_t line;
	int fn;			/* >= 0: the prototype of fns[fn] */
	int rec;		/* >= 0: the stand-in of recs[rec] (held) */
	char *text;		/* else the text (new) */
};

struct cp_view {
	enum ab_cp_lang lang;
	bool cxx;
	const char *file;
	struct cp_toks tk;
	const struct cp_tok **t;	/* tokens, attributes removed */
	size_t n;
	struct cp_piece *pc;
	size_t npc, cappc;
	struct cp_fn *fns;
	size_t nfns, capfns;
	struct cp_rec *recs;
	size_t nrecs, caprecs;
	struct cp_tname *tn;
	size_t ntn, captn;
	struct ab_buf notes;
	size_t nnotes;
	char why[200];			/* a reason check_toks made up */
	size_t ndropped_globals, ndropped_templates;
	char **uses;			/* sorted identifiers of the tests */
	size_t nuses;
	const char *prompt;		/* the task's code (may be NULL),
					   not owned */
	struct cp_toks ptk;		/* prompt's tokens, once lexed */
	bool ptk_done;
	size_t held_end;		/* tokens before this index are
					   checked for a held union's place */
};

/* view.c: parse src into v (v->lang and v->file set by the caller). */
void cp_view_parse(struct cp_view *v, const char *src, size_t len);
void cp_view_release(struct cp_view *v);
void cp_note(struct cp_view *v, uint32_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Emitting tokens: one space apart. */
void cp_emit_seq(struct ab_buf *b, const struct cp_seq *q);
void cp_emit_tok(struct ab_buf *b, const struct cp_tok *t);

#endif
