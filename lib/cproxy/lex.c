/*
 * lex.c - a C and C++ tokenizer for the declarations view (cproxy.h).
 *
 * It follows GCC's translation phases closely enough for honest code:
 * backslash-newline splices (also with blanks between, as GCC accepts),
 * comments, directives (only "#include <name>" survives), NUL bytes as
 * blanks, string, character and raw string literals, pp-numbers,
 * punctuators with digraphs made canonical.  Where it differs from GCC
 * (a splice inside a raw string, trigraphs), only the set of
 * declarations found can change: the view is made of its own tokens and
 * checked on them.
 */
#include <string.h>

#include "ab.h"
#include "cproxy/cp_int.h"

struct lx {
	const char *s;		/* spliced text */
	size_t n, i;
	bool cxx;
	bool bol;		/* at the beginning of a line */
	/* line tracking: splices[] are offsets in s where a splice was */
	size_t *splices, nsplices, si;
	size_t lpos;		/* text offset counted up to */
	uint32_t line;
	struct cp_toks *t;
};

bool
cp_is(const struct cp_tok *t, const char *punct)
{
	return t->k == CP_PUNCT && strcmp(t->p, punct) == 0;
}

bool
cp_id(const struct cp_tok *t, const char *word)
{
	size_t n = strlen(word);

	/* a macro of the solution is not the word it spells */
	return t->k == CP_IDENT && !(t->flags & CP_F_MACRO) && t->n == n &&
	    memcmp(t->s, word, n) == 0;
}

static uint32_t
line_at(struct lx *l, size_t pos)
{
	while (l->lpos < pos) {
		if (l->s[l->lpos] == '\n')
			l->line++;
		l->lpos++;
	}
	while (l->si < l->nsplices && l->splices[l->si] <= pos) {
		l->line++;
		l->si++;
	}
	return l->line;
}

static void
push(struct lx *l, enum cp_kind k, size_t start, size_t n, const char *p,
    unsigned flags)
{
	struct cp_toks *t = l->t;
	struct cp_tok *x;

	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 256;
		t->v = ab_xrealloc(t->v, t->cap * sizeof *t->v);
	}
	x = &t->v[t->n++];
	x->k = k;
	x->flags = flags | (l->bol ? CP_F_BOL : 0);
	x->s = l->s + start;
	x->n = n;
	x->p = p;
	x->line = line_at(l, start);
	l->bol = false;
}

static bool
is_hblank(char c)
{
	return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r' ||
	    c == '\0';
}

static bool
is_idstart(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	    c == '$' || c >= 0x80;
}

static bool
is_idchar(unsigned char c)
{
	return is_idstart(c) || (c >= '0' && c <= '9');
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Skip a block comment starting at l->i ("/ *"). */
static void
skip_block(struct lx *l)
{
	const char *e = NULL;

	if (l->i + 2 <= l->n)
		e = memmem(l->s + l->i + 2, l->n - l->i - 2, "*/", 2);
	if (e == NULL) {
		l->t->unterminated = true;
		l->i = l->n;
	} else {
		l->i = (size_t)(e - l->s) + 2;
	}
}

/* Skip blanks and comments; newlines too unless in a directive.  Returns
 * false at a newline in a directive (not consumed) or at the end. */
static bool
skip_space(struct lx *l, bool directive)
{
	while (l->i < l->n) {
		char c = l->s[l->i];

		if (is_hblank(c)) {
			l->i++;
		} else if (c == '\n') {
			if (directive)
				return false;
			l->bol = true;
			l->i++;
		} else if (c == '/' && l->i + 1 < l->n && l->s[l->i + 1] == '*') {
			skip_block(l);
		} else if (c == '/' && l->i + 1 < l->n && l->s[l->i + 1] == '/') {
			while (l->i < l->n && l->s[l->i] != '\n')
				l->i++;
		} else {
			return true;
		}
	}
	return false;
}

/* A quoted literal from l->i (the opening quote); true if terminated.
 * Escapes make it unsafe. */
static bool
scan_quoted(struct lx *l, char q, unsigned *flags)
{
	l->i++;
	while (l->i < l->n) {
		char c = l->s[l->i];

		if (c == q) {
			l->i++;
			return true;
		}
		if (c == '\n')
			return false;
		if (c == '\\') {
			*flags |= CP_F_UNSAFE;
			l->i++;
			if (l->i < l->n && l->s[l->i] != '\n')
				l->i++;
			continue;
		}
		if ((unsigned char)c < 0x20 || (unsigned char)c >= 0x7f)
			*flags |= CP_F_UNSAFE;
		l->i++;
	}
	return false;
}

/* A raw string from l->i (the quote after the R prefix). */
static bool
scan_raw(struct lx *l)
{
	char end[20];
	size_t d = l->i + 1, k;
	const char *e;

	for (k = 0; k <= 16 && d + k < l->n; k++) {
		char c = l->s[d + k];

		if (c == '(')
			break;
		if (c == ')' || c == '\\' || c == '"' || c == ' ' ||
		    (unsigned char)c < 0x20 || (unsigned char)c >= 0x7f)
			return false;
	}
	if (k > 16 || d + k >= l->n)
		return false;
	end[0] = ')';
	memcpy(end + 1, l->s + d, k);
	end[k + 1] = '"';
	e = memmem(l->s + d + k + 1, l->n - d - k - 1, end, k + 2);
	if (e == NULL) {
		l->t->unterminated = true;
		l->i = l->n;
	} else {
		l->i = (size_t)(e - l->s) + k + 2;
	}
	return true;
}

/* The rest of a directive's line (comments and literals respected). */
static void
skip_line(struct lx *l)
{
	unsigned f = 0;

	while (skip_space(l, true)) {
		char c = l->s[l->i];

		if (c == '"' || c == '\'')
			scan_quoted(l, c, &f);
		else
			l->i++;
	}
}

static bool
header_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '+' ||
	    c == '.' || c == '/';
}

/* The rest of a "#if 0" group: lines are not tokens, only directives
 * (and comments, which may hide them) count.  l->i is at the end of the
 * "#if 0" line. */
static bool
skip_if0(struct lx *l)
{
	int depth = 0;
	bool bol = false;

	l->t->ndirective++;
	while (l->i < l->n) {
		char c = l->s[l->i];

		if (c == '\n') {
			bol = true;
			l->i++;
		} else if (c == '/' && l->i + 1 < l->n && l->s[l->i + 1] == '*') {
			skip_block(l);
		} else if (c == '/' && l->i + 1 < l->n && l->s[l->i + 1] == '/') {
			while (l->i < l->n && l->s[l->i] != '\n')
				l->i++;
		} else if (is_hblank(c)) {
			l->i++;
		} else if (bol && c == '#') {
			size_t a = ++l->i, n;

			while (l->i < l->n && is_hblank(l->s[l->i]))
				l->i++;
			a = l->i;
			while (l->i < l->n && is_idchar((unsigned char)l->s[l->i]))
				l->i++;
			n = l->i - a;
			if ((n == 2 && memcmp(l->s + a, "if", 2) == 0) ||
			    (n == 5 && memcmp(l->s + a, "ifdef", 5) == 0) ||
			    (n == 6 && memcmp(l->s + a, "ifndef", 6) == 0)) {
				depth++;
			} else if (n == 5 && memcmp(l->s + a, "endif", 5) == 0) {
				if (depth-- == 0) {
					skip_line(l);
					return false;
				}
			} else if (depth == 0 && ((n == 4 &&
			    memcmp(l->s + a, "else", 4) == 0) || (n == 4 &&
			    memcmp(l->s + a, "elif", 4) == 0))) {
				skip_line(l);
				return true;
			}
			bol = false;
		} else {
			bol = false;
			l->i++;
		}
	}
	return false;
}

static void lex_one(struct lx *l);

static bool
word_is(struct lx *l, size_t a, const char *w)
{
	size_t n = strlen(w);

	return l->i - a == n && memcmp(l->s + a, w, n) == 0;
}

/* "#define" or "#undef" (undef): l->i is after the directive's name.
 * Records the event in l->t->mac; the body's tokens are lexed as any
 * others and moved there. */
static void
macro_line(struct lx *l, bool undef)
{
	struct cp_toks *t = l->t;
	struct cp_macro *m;
	size_t a, n0, k;
	uint32_t line = line_at(l, l->i);

	if (!skip_space(l, true) || !is_idstart((unsigned char)l->s[l->i]))
		return;
	a = l->i;
	while (l->i < l->n && is_idchar((unsigned char)l->s[l->i]))
		l->i++;
	for (k = a; k < l->i; k++)
		if ((unsigned char)l->s[k] >= 0x80 || l->s[k] == '$')
			return;		/* not a name the view can match */
	if (t->nmac == t->capmac) {
		t->capmac = t->capmac ? 2 * t->capmac : 16;
		t->mac = ab_xrealloc(t->mac, t->capmac * sizeof *t->mac);
	}
	m = &t->mac[t->nmac++];
	memset(m, 0, sizeof *m);
	m->s = l->s + a;
	m->n = l->i - a;
	m->pos = t->n;
	m->line = line;
	m->undef = undef;
	m->cond = t->cond > 0;
	if (undef)
		return;
	if (l->i < l->n && l->s[l->i] == '(') {
		m->fnlike = true;
		return;
	}
	n0 = t->n;
	while (skip_space(l, true))
		lex_one(l);
	m->nbody = t->n - n0 > CP_MAX_BODY ? CP_MAX_BODY : t->n - n0;
	m->longbody = t->n - n0 > CP_MAX_BODY;
	if (m->nbody > 0) {
		m->body = ab_xcalloc(m->nbody, sizeof *m->body);
		memcpy(m->body, t->v + n0, m->nbody * sizeof *m->body);
		for (k = 0; k < m->nbody; k++)
			m->body[k].flags &= ~(unsigned)CP_F_BOL;
	}
	t->n = n0;
	l->bol = true;
}

/* A directive: l->i is just after "#" (or "%:"). */
static void
directive(struct lx *l)
{
	size_t a, b;

	if (!skip_space(l, true))
		return;		/* null directive */
	a = l->i;
	while (l->i < l->n && is_idchar((unsigned char)l->s[l->i]))
		l->i++;
	if (l->i - a == 7 && memcmp(l->s + a, "include", 7) == 0) {
		if (skip_space(l, true) && l->s[l->i] == '<') {
			bool ok = true;

			b = ++l->i;
			while (l->i < l->n && l->s[l->i] != '>' &&
			    l->s[l->i] != '\n') {
				if (!header_char(l->s[l->i]))
					ok = false;
				l->i++;
			}
			if (l->i < l->n && l->s[l->i] == '>' && ok &&
			    l->i > b && l->i - b <= 200 && l->s[b] != '/' &&
			    memmem(l->s + b, l->i - b, "..", 2) == NULL) {
				l->bol = true;
				push(l, CP_INCLUDE, b, l->i - b, NULL, 0);
				l->i++;
				skip_line(l);
				return;
			}
		}
		l->t->ninclude_dropped++;
	} else if (word_is(l, a, "define") || word_is(l, a, "undef")) {
		bool undef = word_is(l, a, "undef");

		if (!undef)
			l->t->ndefine++;
		macro_line(l, undef);
	} else if (l->i - a == 2 && memcmp(l->s + a, "if", 2) == 0 &&
	    skip_space(l, true) && l->s[l->i] == '0' &&
	    (l->i + 1 >= l->n || !is_idchar((unsigned char)l->s[l->i + 1]))) {
		l->i++;
		if (!skip_space(l, true)) {
			/* "#if 0": skipped, as GCC skips it, up to its
			 * #else, #elif or #endif */
			if (skip_if0(l))
				l->t->cond++;
			return;
		}
		l->t->ndirective++;
		l->t->cond++;
	} else {
		if (word_is(l, a, "if") || word_is(l, a, "ifdef") ||
		    word_is(l, a, "ifndef"))
			l->t->cond++;
		else if (word_is(l, a, "endif") && l->t->cond > 0)
			l->t->cond--;
		l->t->ndirective++;
	}
	skip_line(l);
}

static const char *const puncts[] = {
	/* longest first within each leading character */
	"%:%:", "...", "<<=", ">>=", "->*",
	"->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||",
	"*=", "/=", "%=", "+=", "-=", "&=", "^=", "|=", "##", "::", ".*",
	"<:", ":>", "<%", "%>", "%:",
	"[", "]", "(", ")", "{", "}", ".", "&", "*", "+", "-", "~", "!", "/",
	"%", "<", ">", "^", "|", "?", ":", ";", "=", ",", "#",
	NULL,
};

static const char *
canonical(const char *p)
{
	if (strcmp(p, "<:") == 0)
		return "[";
	if (strcmp(p, ":>") == 0)
		return "]";
	if (strcmp(p, "<%") == 0)
		return "{";
	if (strcmp(p, "%>") == 0)
		return "}";
	if (strcmp(p, "%:") == 0)
		return "#";
	if (strcmp(p, "%:%:") == 0)
		return "##";
	return p;
}

static const char *
match_punct(struct lx *l)
{
	size_t rest = l->n - l->i, k;

	for (k = 0; puncts[k] != NULL; k++) {
		size_t pl = strlen(puncts[k]);

		if (pl > rest || memcmp(l->s + l->i, puncts[k], pl) != 0)
			continue;
		if (!l->cxx && (strcmp(puncts[k], "->*") == 0 ||
		    strcmp(puncts[k], ".*") == 0))
			continue;
		/* C++11: "<::" not followed by ":" or ">" is "<" "::". */
		if (l->cxx && strcmp(puncts[k], "<:") == 0 && rest >= 3 &&
		    l->s[l->i + 2] == ':' && (rest == 3 ||
		    (l->s[l->i + 3] != ':' && l->s[l->i + 3] != '>')))
			continue;
		return puncts[k];
	}
	return NULL;
}

static bool
prefix_is(struct lx *l, size_t a, const char *const *set)
{
	size_t n = l->i - a;

	for (; *set != NULL; set++)
		if (strlen(*set) == n && memcmp(l->s + a, *set, n) == 0)
			return true;
	return false;
}

static void
lex_one(struct lx *l)
{
	static const char *const str_pfx[] = { "L", "u", "U", "u8", NULL };
	static const char *const raw_pfx[] = { "R", "LR", "uR", "UR", "u8R",
	    NULL };
	size_t a = l->i;
	unsigned char c = (unsigned char)l->s[a];
	unsigned f = 0;
	const char *p;

	if (is_idstart(c) || (c == '\\' && a + 1 < l->n &&
	    (l->s[a + 1] == 'u' || l->s[a + 1] == 'U'))) {
		while (l->i < l->n) {
			unsigned char d = (unsigned char)l->s[l->i];

			if (d == '\\' && l->i + 1 < l->n &&
			    (l->s[l->i + 1] == 'u' || l->s[l->i + 1] == 'U')) {
				f |= CP_F_UNSAFE;
				l->i += 2;
			} else if (is_idchar(d)) {
				if (d >= 0x80 || d == '$')
					f |= CP_F_UNSAFE;
				l->i++;
			} else {
				break;
			}
		}
		if (l->i < l->n && l->s[l->i] == '"' &&
		    prefix_is(l, a, raw_pfx)) {
			if (scan_raw(l))
				push(l, CP_STR, a, l->i - a, NULL, CP_F_UNSAFE);
			else
				push(l, CP_IDENT, a, l->i - a, NULL, f);
			return;
		}
		if (l->i < l->n && (l->s[l->i] == '"' || l->s[l->i] == '\'') &&
		    prefix_is(l, a, str_pfx)) {
			char q = l->s[l->i];

			f = CP_F_UNSAFE;
			if (scan_quoted(l, q, &f))
				push(l, q == '"' ? CP_STR : CP_CHAR, a,
				    l->i - a, NULL, f);
			else
				push(l, CP_OTHER, a, l->i - a, NULL, f);
			return;
		}
		push(l, CP_IDENT, a, l->i - a, NULL, f);
		return;
	}
	if (is_digit((char)c) || (c == '.' && a + 1 < l->n &&
	    is_digit(l->s[a + 1]))) {
		l->i++;
		while (l->i < l->n) {
			char d = l->s[l->i];

			if ((d == '+' || d == '-') && strchr("eEpP",
			    l->s[l->i - 1]) != NULL) {
				l->i++;
			} else if (is_idchar((unsigned char)d) || d == '.') {
				if ((unsigned char)d >= 0x80 || d == '$')
					f |= CP_F_UNSAFE;
				l->i++;
			} else if (d == '\'' && l->cxx && l->i + 1 < l->n &&
			    is_idchar((unsigned char)l->s[l->i + 1])) {
				f |= CP_F_UNSAFE;
				l->i++;
			} else {
				break;
			}
		}
		push(l, CP_NUM, a, l->i - a, NULL, f);
		return;
	}
	if (c == '"' || c == '\'') {
		if (scan_quoted(l, (char)c, &f))
			push(l, c == '"' ? CP_STR : CP_CHAR, a, l->i - a, NULL,
			    f);
		else
			push(l, CP_OTHER, a, l->i - a, NULL, f);
		return;
	}
	if ((p = match_punct(l)) != NULL) {
		l->i += strlen(p);
		push(l, CP_PUNCT, a, l->i - a, canonical(p), 0);
		return;
	}
	l->i++;
	push(l, CP_OTHER, a, 1, NULL, CP_F_UNSAFE);
}

/* Phase 2: splice lines ending in a backslash (blanks allowed between, as
 * GCC does).  Fills l->s, l->n and the splice offsets. */
static void
splice(struct lx *l, const char *src, size_t len)
{
	char *o = ab_xmalloc(len + 1);
	size_t i = 0, n = 0, cap = 0;

	while (i < len) {
		if (src[i] == '\\') {
			size_t j = i + 1;

			while (j < len && (src[j] == ' ' || src[j] == '\t' ||
			    src[j] == '\f' || src[j] == '\v' ||
			    (src[j] == '\r' && j + 1 < len &&
			    src[j + 1] == '\n')))
				j++;
			if (j < len && src[j] == '\n') {
				if (l->nsplices == cap) {
					cap = cap ? 2 * cap : 16;
					l->splices = ab_xrealloc(l->splices,
					    cap * sizeof *l->splices);
				}
				l->splices[l->nsplices++] = n;
				i = j + 1;
				continue;
			}
		}
		o[n++] = src[i++];
	}
	o[n] = '\0';
	l->s = o;
	l->n = n;
}

void
cp_lex(const char *src, size_t len, bool cxx, struct cp_toks *t)
{
	struct lx l;

	memset(t, 0, sizeof *t);
	memset(&l, 0, sizeof l);
	l.cxx = cxx;
	l.t = t;
	l.line = 1;
	l.bol = true;
	splice(&l, src, len);
	t->text = (char *)l.s;
	while (skip_space(&l, false)) {
		char c = l.s[l.i];

		if (l.bol && (c == '#' || (c == '%' && l.i + 1 < l.n &&
		    l.s[l.i + 1] == ':' && !(l.i + 3 < l.n &&
		    l.s[l.i + 2] == '%' && l.s[l.i + 3] == ':')))) {
			l.i += c == '#' ? 1 : 2;
			directive(&l);
			continue;
		}
		lex_one(&l);
	}
	push(&l, CP_EOF, l.n, 0, NULL, 0);
	free(l.splices);
}

void
cp_toks_release(struct cp_toks *t)
{
	size_t i;

	for (i = 0; i < t->nmac; i++)
		free(t->mac[i].body);
	free(t->mac);
	free(t->defined);
	free(t->v);
	free(t->text);
	memset(t, 0, sizeof *t);
}
