/*
 * extract-fn.c - entry points: does code define a function, and the -f
 * trimmer that keeps one function and what it needs (see extract.h).
 *
 * The trimmer cuts the code into top-level units (a statement, a
 * definition, a directive), notes for each the names it defines and the
 * names it mentions, and keeps the closure of the entry point's unit over
 * "mentions a name that unit defines".  It is a scanner, not a parser:
 * definitions are over-approximated (keeping a needless global is cheap,
 * losing a needed helper is not).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "extract.h"

/* ---- does it define the entry point? ------------------------------------ */

static bool
ident_char(int c)
{
	return isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

/* The word before s[i] (skipping blanks), as a pointer and length. */
static size_t
word_before(const char *s, size_t i, const char **w)
{
	size_t e;

	while (i > 0 && (s[i - 1] == ' ' || s[i - 1] == '\t' ||
	    s[i - 1] == '*'))
		i--;
	e = i;
	while (i > 0 && ident_char((unsigned char)s[i - 1]))
		i--;
	*w = s + i;
	return e - i;
}

static bool
word_is(const char *w, size_t n, const char *lit)
{
	return n > 0 && w[0] == lit[0] && strlen(lit) == n &&
	    memcmp(w, lit, n) == 0;
}

/* C family: s[i..] is "name (...)" followed by "{" and preceded by a
 * type, not an operator or a keyword. */
static bool
c_definition(const char *s, size_t n, size_t start, size_t i,
    size_t *budget)
{
	const char *w;
	size_t wl, depth = 0, lim;

	wl = word_before(s, start, &w);
	if (wl == 0) {
		/* "T *name(", "T &name(", "vector<int> name(" */
		size_t k = start;

		while (k > 0 && (s[k - 1] == ' ' || s[k - 1] == '\t'))
			k--;
		if (k == 0 || strchr("*&>:", s[k - 1]) == NULL)
			return false;
	} else if (word_is(w, wl, "return") || word_is(w, wl, "else") ||
	    word_is(w, wl, "case") || word_is(w, wl, "new"))
		return false;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i >= n || s[i] != '(')
		return false;
	/* a budget over all the calls keeps ab_defines linear */
	lim = i + 4096 < n ? i + 4096 : n;
	if (lim - i > *budget)
		lim = i + *budget;
	*budget -= lim - i;
	for (; i < lim; i++) {
		if (s[i] == '(')
			depth++;
		else if (s[i] == ')' && --depth == 0)
			break;
	}
	if (i >= lim)
		return false;
	/* ") {", ") const {", ") noexcept {", K&R declarations aside */
	for (i++; i < lim; i++) {
		if (s[i] == '{')
			return true;
		if (!isspace((unsigned char)s[i]) && !isalpha((unsigned char)s[i]))
			return false;
	}
	return false;
}

bool
ab_defines(enum ab_lang lang, const char *s, size_t n, const char *name)
{
	size_t m = strlen(name), i, j, k, wl, budget = 8 * n + 65536;
	const char *w, *hit;

	if (m == 0 || s == NULL)
		return false;
	for (i = 0; i + m <= n; i = (size_t)(hit - s) + 1) {
		hit = ab_memfind(s + i, n - i, name, m);
		if (hit == NULL)
			return false;
		j = (size_t)(hit - s);
		if ((j > 0 && ident_char((unsigned char)s[j - 1])) ||
		    (j + m < n && ident_char((unsigned char)s[j + m])))
			continue;
		wl = word_before(s, j, &w);
		switch (lang) {
		case AB_LANG_C:
		case AB_LANG_CPP:
			if (c_definition(s, n, j, j + m, &budget))
				return true;
			continue;
		case AB_LANG_BASH:
			if (word_is(w, wl, "function"))
				return true;
			for (k = j + m; k < n && s[k] == ' '; k++)
				;
			if (k + 1 < n && s[k] == '(' && s[k + 1] == ')')
				return true;
			continue;
		default:
			break;
		}
		if (word_is(w, wl, "def") || word_is(w, wl, "class") ||
		    word_is(w, wl, "function") || word_is(w, wl, "const") ||
		    word_is(w, wl, "let") || word_is(w, wl, "var"))
			return true;
		/* exports.NAME = ..., module.exports.NAME = ... */
		if (lang != AB_LANG_PYTHON && j >= 8 &&
		    memcmp(s + j - 8, "exports.", 8) == 0) {
			for (k = j + m; k < n && s[k] == ' '; k++)
				;
			if (k < n && s[k] == '=' && (k + 1 >= n ||
			    s[k + 1] != '='))
				return true;
		}
		/* NAME = ... at the start of a line */
		for (k = j; k > 0 && (s[k - 1] == ' ' || s[k - 1] == '\t'); k--)
			;
		if (k > 0 && s[k - 1] != '\n')
			continue;
		for (k = j + m; k < n && (s[k] == ' ' || s[k] == '\t'); k++)
			;
		if (k < n && s[k] == '=' && (k + 1 >= n || s[k + 1] != '='))
			return true;
		if (lang == AB_LANG_UNKNOWN && c_definition(s, n, j, j + m, &budget))
			return true;
	}
	return false;
}

/* ---- units -------------------------------------------------------------- */

enum ukind {
	U_DROP,		/* runs code: dropped unless it is the entry */
	U_DEF,		/* defines names: kept when one is needed */
	U_KEEP,		/* always kept (#include, __future__, 'use strict') */
};

struct span {
	size_t off, len;
	size_t unit;
};

/* A name a unit refers to (the unit's refs are refs[r0..r1)). */
struct ref {
	size_t off, len;
};

struct unit {
	size_t a, b;		/* text range */
	enum ukind kind;
	bool import;		/* an import or a directive (layout only) */
	bool dec;		/* python: only decorators so far */
	size_t r0, r1;		/* refs[r0..r1) */
	bool sel;
};

struct units {
	const char *s;
	size_t n;
	struct unit *u;
	size_t nu, capu;
	struct span *defs;
	struct ref *refs;
	size_t nd, capd, nr, capr;
};

static struct unit *
unit_new(struct units *t, size_t a, enum ukind kind)
{
	struct unit *u;
	size_t ncap;

	if (t->nu == t->capu) {
		ncap = t->capu ? 2 * t->capu : 16;
		t->u = ab_xrealloc(t->u, ncap * sizeof(*t->u));
		t->capu = ncap;
	}
	u = &t->u[t->nu++];
	memset(u, 0, sizeof(*u));
	u->a = u->b = a;
	u->kind = kind;
	u->r0 = u->r1 = t->nr;
	return u;
}

static void
span_add(struct span **v, size_t *n, size_t *cap, size_t off, size_t len,
    size_t unit)
{
	size_t ncap;

	if (*n == *cap) {
		ncap = *cap ? 2 * *cap : 64;
		*v = ab_xrealloc(*v, ncap * sizeof(**v));
		*cap = ncap;
	}
	(*v)[*n].off = off;
	(*v)[*n].len = len;
	(*v)[*n].unit = unit;
	(*n)++;
}

static void
def_add(struct units *t, size_t off, size_t len)
{
	if (t->nu > 0)
		span_add(&t->defs, &t->nd, &t->capd, off, len, t->nu - 1);
}

static void
ref_add(struct units *t, size_t off, size_t len)
{
	size_t ncap;

	if (t->nu == 0)
		return;
	if (t->nr == t->capr) {
		ncap = t->capr ? 2 * t->capr : 64;
		t->refs = ab_xrealloc(t->refs, ncap * sizeof(*t->refs));
		t->capr = ncap;
	}
	t->refs[t->nr].off = off;
	t->refs[t->nr].len = len;
	t->u[t->nu - 1].r1 = ++t->nr;
}

/* ---- python ------------------------------------------------------------- */

static size_t
skip_blank(const char *s, size_t n, size_t i)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

static size_t
ident_end(const char *s, size_t n, size_t i)
{
	while (i < n && ident_char((unsigned char)s[i]))
		i++;
	return i;
}

/* Python head of a new unit starting at s[i..e) (its first line). */
static void
py_head(struct units *t, struct unit *u, size_t i, size_t e)
{
	const char *s = t->s;
	size_t j, k, depth, lhs_end, colon;

	u->kind = U_DROP;
	if (s[i] == '@') {
		u->dec = true;
		u->kind = U_DEF;
		return;
	}
	u->dec = false;
	j = ident_end(s, e, i);
	if (word_is(s + i, j - i, "async")) {
		i = skip_blank(s, e, j);
		j = ident_end(s, e, i);
	}
	if (word_is(s + i, j - i, "def") || word_is(s + i, j - i, "class")) {
		i = skip_blank(s, e, j);
		j = ident_end(s, e, i);
		if (j > i)
			def_add(t, i, j - i);
		u->kind = U_DEF;
		return;
	}
	if (word_is(s + i, j - i, "import") || word_is(s + i, j - i, "from")) {
		/* py_units makes every name in it a definition */
		u->import = true;
		u->kind = memchr(s + i, '*', e - i) != NULL ||
		    (e - i >= 15 && ab_memfind(s + i, e - i, "__future__", 10)) ?
		    U_KEEP : U_DEF;
		return;
	}
	/* an assignment: NAME = ..., A, B = ..., NAME: T = ... */
	depth = 0;
	lhs_end = 0;
	colon = 0;
	for (k = i; k < e; k++) {
		if (s[k] == '(' || s[k] == '[' || s[k] == '{')
			depth++;
		else if ((s[k] == ')' || s[k] == ']' || s[k] == '}') && depth)
			depth--;
		else if (s[k] == '"' || s[k] == '\'' || s[k] == '#')
			break;
		else if (depth == 0 && s[k] == ':' && colon == 0)
			colon = k;
		else if (depth == 0 && s[k] == '=' && (k + 1 >= e ||
		    s[k + 1] != '=') && (k == i || strchr("=!<>", s[k - 1]) ==
		    NULL)) {
			lhs_end = k;
			break;
		}
	}
	if (lhs_end == 0)
		return;
	if (colon != 0)
		lhs_end = colon;
	for (k = i; k < lhs_end; ) {
		j = ident_end(s, lhs_end, k);
		if (j > k) {
			if (k == i || s[k - 1] != '.')
				def_add(t, k, j - k);
			k = j;
		} else
			k++;
	}
	u->kind = U_DEF;
}

static bool
py_continues(const char *s, size_t i, size_t e)
{
	size_t j = ident_end(s, e, i);

	return word_is(s + i, j - i, "else") || word_is(s + i, j - i, "elif") ||
	    word_is(s + i, j - i, "except") || word_is(s + i, j - i, "finally");
}

static void
py_units(struct units *t)
{
	const char *s = t->s;
	size_t n = t->n, i = 0, e, next, k, j, depth = 0;
	size_t pending = (size_t)-1;	/* comment lines before a unit */
	char q = 0;			/* open string quote */
	bool triple = false, fstr = false, cont = false, dot = false;
	struct unit *u;

	while (i < n) {
		for (e = i; e < n && s[e] != '\n'; e++)
			;
		next = e < n ? e + 1 : n;
		k = skip_blank(s, e, i);
		if (q == 0 && depth == 0 && !cont) {
			if (k == e || (k == e - 1 && s[k] == '\r')) {
				pending = (size_t)-1;
				i = next;
				continue;
			}
			if (k == i && s[i] == '#') {
				if (pending == (size_t)-1)
					pending = i;
				i = next;
				continue;
			}
			if (k == i && !(t->nu > 0 && (t->u[t->nu - 1].dec ||
			    py_continues(s, i, e)))) {
				u = unit_new(t, pending != (size_t)-1 ?
				    pending : i, U_DROP);
				py_head(t, u, i, e);
			} else if (k == i) {
				u = &t->u[t->nu - 1];
				if (u->dec)
					py_head(t, u, i, e);
			} else if (t->nu == 0)
				(void)unit_new(t, i, U_DROP);
			pending = (size_t)-1;
		}
		cont = false;
		/* identifiers, strings, brackets on this line */
		for (j = i; j < e; ) {
			char c = s[j];

			if (q != 0) {
				if (c == '\\') {
					j += 2;
					continue;
				}
				if (fstr && ident_char((unsigned char)c) &&
				    !isdigit((unsigned char)c)) {
					k = ident_end(s, e, j);
					ref_add(t, j, k - j);
					j = k;
					continue;
				}
				if (c == q && (!triple || (j + 2 < e &&
				    s[j + 1] == q && s[j + 2] == q))) {
					j += triple ? 3 : 1;
					q = 0;
					continue;
				}
				j++;
				continue;
			}
			if (c == '#')
				break;
			if (c == '"' || c == '\'') {
				q = c;
				fstr = false;
				triple = j + 2 < e && s[j + 1] == c &&
				    s[j + 2] == c;
				j += triple ? 3 : 1;
				continue;
			}
			if (ident_char((unsigned char)c) &&
			    !isdigit((unsigned char)c)) {
				k = ident_end(s, e, j);
				if (k < e && (s[k] == '"' || s[k] == '\'') &&
				    k - j <= 2 && strspn(s + j, "rRbBuUfF") >=
				    k - j) {
					fstr = memchr(s + j, 'f', k - j) ||
					    memchr(s + j, 'F', k - j);
					q = s[k];
					triple = k + 2 < e && s[k + 1] == q &&
					    s[k + 2] == q;
					j = k + (triple ? 3 : 1);
					continue;
				}
				if (!dot)
					ref_add(t, j, k - j);
				if (t->nu > 0 && t->u[t->nu - 1].import &&
				    !word_is(s + j, k - j, "import") &&
				    !word_is(s + j, k - j, "from") &&
				    !word_is(s + j, k - j, "as"))
					def_add(t, j, k - j);
				dot = false;
				j = k;
				continue;
			}
			if (isdigit((unsigned char)c)) {
				j = ident_end(s, e, j);
				continue;
			}
			if (c == '(' || c == '[' || c == '{')
				depth++;
			else if ((c == ')' || c == ']' || c == '}') && depth)
				depth--;
			if (c != ' ' && c != '\t')
				dot = c == '.';
			j++;
		}
		if (q != 0 && !triple)
			q = 0;	/* an unterminated one-line string */
		if (q == 0 && e > i && (s[e - 1] == '\\' || (e - i >= 2 &&
		    s[e - 1] == '\r' && s[e - 2] == '\\')))
			cont = true;
		if (t->nu > 0)
			t->u[t->nu - 1].b = next;
		i = next;
	}
}

/* ---- javascript --------------------------------------------------------- */

static void
js_head(struct units *t, struct unit *u, size_t i, size_t e, int *mode)
{
	const char *s = t->s;
	size_t j = ident_end(s, e, i);

	*mode = 0;
	u->kind = U_DROP;
	if ((s[i] == '\'' || s[i] == '"') && e - i >= 11 &&
	    memcmp(s + i + 1, "use strict", 10) == 0) {
		u->kind = U_KEEP;
		return;
	}
	if (word_is(s + i, j - i, "export")) {
		i = skip_blank(s, e, j);
		j = ident_end(s, e, i);
		if (word_is(s + i, j - i, "default")) {
			i = skip_blank(s, e, j);
			j = ident_end(s, e, i);
		}
	}
	if (word_is(s + i, j - i, "async")) {
		i = skip_blank(s, e, j);
		j = ident_end(s, e, i);
	}
	if (word_is(s + i, j - i, "function") || word_is(s + i, j - i,
	    "class")) {
		i = skip_blank(s, e, j);
		if (i < e && s[i] == '*')
			i = skip_blank(s, e, i + 1);
		j = ident_end(s, e, i);
		if (j > i)
			def_add(t, i, j - i);
		u->kind = U_DEF;
		return;
	}
	if (word_is(s + i, j - i, "const") || word_is(s + i, j - i, "let") ||
	    word_is(s + i, j - i, "var")) {
		u->kind = U_DEF;
		*mode = 1;	/* declarators: names until '=' */
		return;
	}
	if (word_is(s + i, j - i, "import")) {
		u->kind = U_KEEP;	/* until it binds a name */
		u->import = true;
		*mode = 2;	/* import clause: every name but keywords */
	}
}

static void
js_units(struct units *t)
{
	const char *s = t->s;
	size_t n = t->n, i = 0, e, next, k, j;
	size_t pending = (size_t)-1;
	long depth = 0;
	int q = 0;		/* string quote, or '`' */
	int mode = 0;		/* 1 const/let/var, 2 import */
	bool comment = false, defining = false, dot = false;
	/* template literals nest through ${ }: remember the brace depth at
	 * which each ${ was opened */
	long tstack[32];
	int tn = 0;
	char prev = 0;		/* last significant character (regexes) */
	struct unit *u;

	while (i < n) {
		for (e = i; e < n && s[e] != '\n'; e++)
			;
		next = e < n ? e + 1 : n;
		k = skip_blank(s, e, i);
		if (q == 0 && !comment && depth == 0 && tn == 0) {
			if (k == e || (k == e - 1 && s[k] == '\r')) {
				pending = (size_t)-1;
				i = next;
				continue;
			}
			if (k == i && e - i >= 2 && s[i] == '/' &&
			    s[i + 1] == '/') {
				if (pending == (size_t)-1)
					pending = i;
				i = next;
				continue;
			}
			if (k == i && strchr("})].?:+-*/&|,=>", s[i]) == NULL) {
				u = unit_new(t, pending != (size_t)-1 ?
				    pending : i, U_DROP);
				js_head(t, u, i, e, &mode);
				defining = true;
			} else if (t->nu == 0)
				(void)unit_new(t, i, U_DROP);
			pending = (size_t)-1;
		}
		for (j = i; j < e; ) {
			char c = s[j];

			if (comment) {
				if (c == '*' && j + 1 < e && s[j + 1] == '/') {
					comment = false;
					j += 2;
				} else
					j++;
				continue;
			}
			if (q != 0) {
				if (c == '\\') {
					j += 2;
					continue;
				}
				if (c == q) {
					q = 0;
					prev = 'a';
				} else if (q == '`' && c == '$' && j + 1 < e &&
				    s[j + 1] == '{' && tn < 32) {
					tstack[tn++] = depth;
					depth++;
					q = 0;
					j += 2;
					continue;
				}
				j++;
				continue;
			}
			if (c == '/' && j + 1 < e && s[j + 1] == '/')
				break;
			if (c == '/' && j + 1 < e && s[j + 1] == '*') {
				comment = true;
				j += 2;
				continue;
			}
			if (c == '"' || c == '\'' || c == '`') {
				q = c;
				j++;
				continue;
			}
			if (c == '/' && (prev == 0 || strchr("(,=:[!&|?{};+-*%<>~^",
			    prev) != NULL)) {
				/* a regular expression literal */
				bool cls = false;

				for (j++; j < e; j++) {
					if (s[j] == '\\')
						j++;
					else if (s[j] == '[')
						cls = true;
					else if (s[j] == ']')
						cls = false;
					else if (s[j] == '/' && !cls)
						break;
				}
				j++;
				prev = 'a';
				continue;
			}
			if (ident_char((unsigned char)c) &&
			    !isdigit((unsigned char)c)) {
				k = ident_end(s, e, j);
				if (mode == 2 && !word_is(s + j, k - j,
				    "import") && !word_is(s + j, k - j, "from")
				    && !word_is(s + j, k - j, "as") &&
				    !word_is(s + j, k - j, "type")) {
					def_add(t, j, k - j);
					t->u[t->nu - 1].kind = U_DEF;
				} else if (mode == 1 && defining && !dot &&
				    !word_is(s + j, k - j, "const") &&
				    !word_is(s + j, k - j, "export") &&
				    !word_is(s + j, k - j, "let") &&
				    !word_is(s + j, k - j, "var"))
					def_add(t, j, k - j);
				if (!dot)
					ref_add(t, j, k - j);
				dot = false;
				/* "return /re/" */
				prev = word_is(s + j, k - j, "return") ||
				    word_is(s + j, k - j, "typeof") ? '=' : 'a';
				j = k;
				continue;
			}
			if (c == '{' || c == '(' || c == '[')
				depth++;
			else if (c == '}' && tn > 0 && depth - 1 ==
			    tstack[tn - 1]) {
				depth--;
				tn--;
				q = '`';
				j++;
				continue;
			} else if ((c == '}' || c == ')' || c == ']') && depth)
				depth--;
			else if (c == '=' && depth == 0 && mode == 1 &&
			    (j + 1 >= e || (s[j + 1] != '=' && s[j + 1] != '>')))
				defining = false;
			else if (c == ',' && depth == 0 && mode == 1)
				defining = true;
			else if (c == ';' && depth == 0)
				mode = 0;
			if (c != ' ' && c != '\t' && c != '\r') {
				dot = c == '.';
				prev = c;
			}
			j++;
		}
		if (q != 0 && q != '`')
			q = 0;
		if (t->nu > 0)
			t->u[t->nu - 1].b = next;
		i = next;
	}
}

/* ---- c and c++ ---------------------------------------------------------- */

static const char *const c_words[] = { "auto", "break", "case", "char",
	"const", "continue", "default", "do", "double", "else", "enum",
	"extern", "float", "for", "goto", "if", "inline", "int", "long",
	"register", "restrict", "return", "short", "signed", "sizeof",
	"static", "struct", "switch", "typedef", "union", "unsigned", "void",
	"volatile", "while", "bool", "true", "false", "template", "typename",
	"class", "public", "private", "protected", "virtual", "namespace",
	"using", "constexpr", "noexcept", "override", "operator", "new",
	"delete", "this", "nullptr", NULL };

static bool
c_word(const char *w, size_t n)
{
	const char *const *p;

	for (p = c_words; *p != NULL; p++)
		if (word_is(w, n, *p))
			return true;
	return false;
}

/* Skip white space, comments and line continuations from s[i]. */
static size_t
c_skip(const char *s, size_t n, size_t i, bool *newline)
{
	for (;;) {
		while (i < n && isspace((unsigned char)s[i])) {
			if (s[i] == '\n' && newline != NULL)
				*newline = true;
			i++;
		}
		if (i + 1 < n && s[i] == '/' && s[i + 1] == '/') {
			while (i < n && s[i] != '\n')
				i++;
		} else if (i + 1 < n && s[i] == '/' && s[i + 1] == '*') {
			const char *end = ab_memfind(s + i + 2, n - i - 2,
			    "*/", 2);

			i = end != NULL ? (size_t)(end - s) + 2 : n;
		} else
			return i;
	}
}

/* End of a quoted literal starting at s[i] (the quote). */
static size_t
c_quoted(const char *s, size_t n, size_t i)
{
	char q = s[i];

	for (i++; i < n && s[i] != q && s[i] != '\n'; i++)
		if (s[i] == '\\')
			i++;
	return i < n ? i + 1 : n;
}

/* The start of the comment lines right above the line starting at a (no
 * blank line between), within the gap after the previous unit. */
static size_t
c_comment_before(const struct units *t, size_t a)
{
	const char *s = t->s;
	size_t lim = t->nu > 0 ? t->u[t->nu - 1].b : 0, p, e, k, c;

	while (a > lim && a > 0) {
		e = a - 1;	/* s[e] is the previous line's '\n' */
		for (p = e; p > lim && s[p - 1] != '\n'; p--)
			;
		k = skip_blank(s, e, p);
		while (e > k && isspace((unsigned char)s[e - 1]))
			e--;
		if (e - k >= 2 && s[k] == '/' && s[k + 1] == '/') {
			a = p;
			continue;
		}
		if (e - k >= 2 && s[e - 2] == '*' && s[e - 1] == '/') {
			for (c = e - 2; c > lim; c--)
				if (s[c - 1] == '/' && s[c] == '*')
					break;
			if (c <= lim)
				break;
			for (p = c - 1; p > lim && (s[p - 1] == ' ' ||
			    s[p - 1] == '\t'); p--)
				;
			if (p > 0 && s[p - 1] != '\n')
				break;
			a = p;
			continue;
		}
		break;
	}
	return a;
}

static void
c_units(struct units *t, bool cpp)
{
	const char *s = t->s;
	size_t n = t->n, i, j, k, line_start;
	long depth = 0;
	bool nl = true, in_init = false, head_paren = false, head_eq = false;
	bool func = false, block = false;
	size_t name_off = 0, name_len = 0, last_id = 0, last_len = 0;
	struct unit *u = NULL;
	char prev = 0;

	(void)cpp;	/* the same scanner serves both */
	i = c_skip(s, n, 0, &nl);
	nl = true;
	while (i < n) {
		if (u == NULL) {
			/* a unit starts: from its line's start when only
			 * blanks precede it there */
			for (line_start = i; line_start > 0 &&
			    (s[line_start - 1] == ' ' ||
			    s[line_start - 1] == '\t'); line_start--)
				;
			if (line_start > 0 && s[line_start - 1] != '\n')
				line_start = i;
			else
				line_start = c_comment_before(t, line_start);
			u = unit_new(t, line_start, U_DEF);
			depth = 0;
			in_init = head_paren = head_eq = func = block = false;
			name_len = last_len = 0;
			prev = 0;
			if (s[i] == '#' && nl) {
				/* a directive, to the end of its line */
				for (j = i; j < n && s[j] != '\n'; j++)
					if (s[j] == '\\' && j + 1 < n &&
					    s[j + 1] == '\n')
						j++;
				k = skip_blank(s, j, i + 1);
				u->import = true;
				u->kind = U_KEEP;
				if (j - k >= 6 && memcmp(s + k, "define", 6) == 0) {
					size_t a = skip_blank(s, j, k + 6);
					size_t b = ident_end(s, j, a);

					u->kind = U_DEF;
					def_add(t, a, b - a);
					for (k = b; k < j; ) {
						b = ident_end(s, j, k);
						if (b > k && !isdigit((unsigned char)s[k])) {
							ref_add(t, k, b - k);
							k = b;
						} else
							k++;
					}
				}
				u->b = j < n ? j + 1 : n;
				u = NULL;
				nl = false;
				i = c_skip(s, n, j, &nl);
				continue;
			}
		}
		nl = false;
		if (s[i] == '"' || s[i] == '\'') {
			i = c_quoted(s, n, i);
			prev = 'a';
		} else if (ident_char((unsigned char)s[i]) &&
		    !isdigit((unsigned char)s[i])) {
			j = ident_end(s, n, i);
			if (prev != '.' && !(prev == '>' && i >= 2 &&
			    s[i - 1] == '>' && s[i - 2] == '-'))
				ref_add(t, i, j - i);
			if (!c_word(s + i, j - i)) {
				if (depth == 0 && !head_paren) {
					last_id = i;
					last_len = j - i;
				}
				if (!in_init && !func && prev != '.')
					def_add(t, i, j - i);
			}
			if (depth == 0 && (word_is(s + i, j - i, "namespace") ||
			    (word_is(s + i, j - i, "extern") &&
			    j + 1 < n && s[skip_blank(s, n, j)] == '"')))
				block = true;
			if (depth == 0 && word_is(s + i, j - i, "using"))
				u->kind = U_KEEP;
			prev = 'a';
			i = j;
		} else {
			char c = s[i];

			if (c == '(' && depth == 0 && !head_paren && !head_eq) {
				head_paren = true;
				name_off = last_id;
				name_len = last_len;
			}
			if (c == '=' && depth == 0 && i + 1 < n && s[i + 1] != '=' &&
			    prev != '=' && prev != '!' && prev != '<' && prev != '>') {
				head_eq = true;
				in_init = true;
			}
			if (c == ',' && depth == 0)
				in_init = false;
			if (c == '{' && depth == 0 && head_paren && !head_eq &&
			    prev == ')') {
				/* a function definition: only its name is
				 * defined (drop the parameters noted so far) */
				func = true;
			}
			if (c == '{' && depth == 0 && head_paren && !head_eq &&
			    prev == 'a')
				func = true;	/* ") const {" */
			if (c == '{' || c == '(' || c == '[')
				depth++;
			else if ((c == '}' || c == ')' || c == ']') && depth > 0)
				depth--;
			prev = c;
			i++;
			if ((c == ';' && depth == 0) ||
			    (c == '}' && depth == 0 && (func || block))) {
				if (func) {
					/* drop the defs gathered in the head
					 * (parameters), keep the name */
					while (t->nd > 0 &&
					    t->defs[t->nd - 1].unit == t->nu - 1)
						t->nd--;
					if (name_len > 0)
						def_add(t, name_off, name_len);
					if (word_is(s + name_off, name_len,
					    "main"))
						u->kind = U_DROP;
				}
				/* the rest of the line if it is blank or a
				 * comment */
				k = skip_blank(s, n, i);
				if (k + 1 < n && s[k] == '/' && s[k + 1] == '/')
					while (k < n && s[k] != '\n')
						k++;
				if (k >= n || s[k] == '\n' || s[k] == '\r') {
					while (k < n && s[k] != '\n')
						k++;
					i = k < n ? k + 1 : n;
				}
				u->b = i;
				u = NULL;
				nl = i > 0 && s[i - 1] == '\n';
				i = c_skip(s, n, i, &nl);
				continue;
			}
		}
		if (u != NULL)
			u->b = i;
		i = c_skip(s, n, i, &nl);
	}
	if (u != NULL && func && name_len > 0) {
		while (t->nd > 0 && t->defs[t->nd - 1].unit == t->nu - 1)
			t->nd--;
		def_add(t, name_off, name_len);
	}
}

/* ---- the closure -------------------------------------------------------- */

/* Distinct names -> the chain of defs with that name. */
struct table {
	size_t *slot;		/* index+1 into defs of a chain head, 0 empty */
	size_t *next;		/* per def: index+1 of the next same name */
	bool *done;		/* per def (chain head): units queued */
	size_t mask;
};

static size_t
hash(const char *s, size_t n)
{
	size_t h = 5381, i;

	for (i = 0; i < n; i++)
		h = h * 33 + (unsigned char)s[i];
	return h;
}

static size_t *
table_find(struct table *tb, const struct units *t, const char *w, size_t n)
{
	size_t h = hash(w, n) & tb->mask, d;

	for (;;) {
		d = tb->slot[h];
		if (d == 0)
			return &tb->slot[h];
		if (t->defs[d - 1].len == n && memcmp(t->s + t->defs[d - 1].off,
		    w, n) == 0)
			return &tb->slot[h];
		h = (h + 1) & tb->mask;
	}
}

static void
queue_unit(struct units *t, size_t u, size_t *q, size_t *nq)
{
	if (!t->u[u].sel) {
		t->u[u].sel = true;
		q[(*nq)++] = u;
	}
}

int
ab_only_function(enum ab_lang lang, const char *s, size_t n,
    const char *name, struct ab_buf *out, struct ab_error *err)
{
	struct units t = { .s = s, .n = n };
	struct table tb = { 0 };
	size_t i, size, *slot, *q, nq = 0, qi, d, r, m = strlen(name);
	size_t entry = (size_t)-1;
	bool prev_import = false, first = true;
	int rc = -1;

	switch (lang) {
	case AB_LANG_PYTHON:
		py_units(&t);
		break;
	case AB_LANG_JAVASCRIPT:
		js_units(&t);
		break;
	case AB_LANG_C:
	case AB_LANG_CPP:
		c_units(&t, lang == AB_LANG_CPP);
		break;
	default:
		return ab_error_set(err, "unsupported", "-f does not know %s",
		    ab_lang_name(lang) ? ab_lang_name(lang) : "this language");
	}
	for (size = 16; size < 2 * t.nd + 2; size *= 2)
		;
	tb.slot = ab_xcalloc(size, sizeof(*tb.slot));
	tb.next = ab_xcalloc(t.nd + 1, sizeof(*tb.next));
	tb.done = ab_xcalloc(t.nd + 1, sizeof(*tb.done));
	tb.mask = size - 1;
	for (d = 0; d < t.nd; d++) {
		slot = table_find(&tb, &t, s + t.defs[d].off, t.defs[d].len);
		if (*slot != 0)
			tb.next[d] = *slot;
		*slot = d + 1;
		if (t.defs[d].len == m && memcmp(s + t.defs[d].off, name, m) == 0
		    && t.u[t.defs[d].unit].kind == U_DEF && entry == (size_t)-1)
			entry = t.defs[d].unit;
	}
	if (entry == (size_t)-1) {
		ab_error_set(err, "entry_point_missing", "no top-level "
		    "definition of %s", name);
		goto out;
	}
	q = ab_xcalloc(t.nu + 1, sizeof(*q));
	queue_unit(&t, entry, q, &nq);
	for (i = 0; i < t.nu; i++)
		if (t.u[i].kind == U_KEEP)
			queue_unit(&t, i, q, &nq);
	for (qi = 0; qi < nq; qi++) {
		struct unit *u = &t.u[q[qi]];

		for (r = u->r0; r < u->r1; r++) {
			slot = table_find(&tb, &t, s + t.refs[r].off,
			    t.refs[r].len);
			if (*slot == 0 || tb.done[*slot - 1])
				continue;
			tb.done[*slot - 1] = true;
			for (d = *slot; d != 0; d = tb.next[d - 1])
				if (t.u[t.defs[d - 1].unit].kind != U_DROP)
					queue_unit(&t, t.defs[d - 1].unit, q,
					    &nq);
		}
	}
	free(q);
	/* The units kept, their trailing white space cut (u.b moved), in
	 * order; out grown once to their size. */
	for (i = 0, size = 0; i < t.nu; i++) {
		struct unit *u = &t.u[i];

		if (!u->sel)
			continue;
		while (u->b > u->a && isspace((unsigned char)s[u->b - 1]))
			u->b--;
		size += u->b - u->a + 2;
	}
	ab_buf_reserve(out, size);
	for (i = 0; i < t.nu; i++) {
		size_t a = t.u[i].a, b = t.u[i].b;

		if (!t.u[i].sel)
			continue;
		if (!first && !(prev_import && t.u[i].import))
			ab_buf_addc(out, '\n');
		ab_buf_add(out, s + a, b - a);
		ab_buf_addc(out, '\n');
		prev_import = t.u[i].import;
		first = false;
	}
	rc = 0;
out:
	free(tb.slot);
	free(tb.next);
	free(tb.done);
	free(t.u);
	free(t.defs);
	free(t.refs);
	return rc;
}
