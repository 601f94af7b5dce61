/*
 * lex.c - a small lexer per language and the static analysis built on it:
 * functions with their length and cyclomatic complexity, comments, doc
 * comments, single-character names, numbers compared against, bracket
 * balance.  Heuristic by design (no full parsers), documented in ab-score(1).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "ab.h"
#include "score.h"

struct lexer {
	struct ab_src *s;
	size_t cap;
	size_t i;
	int line;
	int depth;
	bool pp, pp_cont, cont, line_has_tok;
	char stack[256];	/* open brackets */
	int stack_line[256];
	int sp;
	/* bash here-documents waiting for the end of the line */
	char hd_word[64];
	bool hd_pending, hd_strip;
};

static bool
brace_lang(enum ab_lang l)
{
	return l == AB_LANG_JAVASCRIPT || l == AB_LANG_C || l == AB_LANG_CPP;
}

static bool
ident_start(int c, enum ab_lang l)
{
	return isalpha(c) || c == '_' || c >= 0x80 ||
	    (c == '$' && l == AB_LANG_JAVASCRIPT);
}

static bool
ident_char(int c, enum ab_lang l)
{
	return ident_start(c, l) || isdigit(c);
}

static void
set_syntax(struct lexer *x, int line, const char *msg)
{
	if (x->s->syntax_line == 0) {
		x->s->syntax_line = line;
		snprintf(x->s->syntax_msg, sizeof x->s->syntax_msg, "%s", msg);
	}
}

static struct ab_tok *
emit(struct lexer *x, enum ab_tok_kind kind, size_t off, size_t len,
    int line)
{
	struct ab_src *s = x->s;
	struct ab_tok *t;

	if (s->ntoks == x->cap) {
		x->cap = x->cap ? 2 * x->cap : 256;
		s->toks = ab_xrealloc(s->toks, x->cap * sizeof *s->toks);
	}
	t = &s->toks[s->ntoks++];
	t->kind = kind;
	t->off = off;
	t->len = len;
	t->line = line;
	t->end_line = x->line;
	t->depth = x->depth;
	t->first = !x->line_has_tok;
	t->logical = t->first && x->depth == 0 && !x->cont;
	t->pp = x->pp;
	x->line_has_tok = true;
	return t;
}

/* Blank [from, to) in the views: comments in both, string contents in
 * code only.  Newlines stay. */
static void
blank(struct ab_src *s, size_t from, size_t to, bool comment)
{
	size_t i;

	for (i = from; i < to; i++) {
		if (s->text[i] == '\n')
			continue;
		s->code[i] = ' ';
		if (comment)
			s->nocomment[i] = ' ';
	}
}

static void
newline(struct lexer *x)
{
	x->cont = x->i > 0 && x->s->text[x->i - 1] == '\\';
	x->pp = x->pp && x->cont;
	x->line++;
	x->line_has_tok = false;
}

/* Advance over [i, to), counting newlines. */
static void
advance(struct lexer *x, size_t to)
{
	for (; x->i < to; x->i++)
		if (x->s->text[x->i] == '\n') {
			x->line++;
			x->line_has_tok = true;	/* inside a token */
		}
}

static void
lex_comment(struct lexer *x, size_t end)
{
	size_t start = x->i;
	int line = x->line;

	advance(x, end);
	emit(x, AB_TOK_COMMENT, start, end - start, line);
	blank(x->s, start, end, true);
}

static size_t
eol(const struct ab_src *s, size_t i)
{
	const char *p = memchr(s->text + i, '\n', s->len - i);

	return p != NULL ? (size_t)(p - s->text) : s->len;
}

/* A quoted string starting at x->i + plen (the quote), escapes with '\\'
 * unless raw; triple quotes for python. */
static void
lex_string(struct lexer *x, size_t plen, bool escapes, bool multiline)
{
	struct ab_src *s = x->s;
	size_t start = x->i, i = x->i + plen, qlen = 1;
	char q = s->text[i];
	int line = x->line;

	if (x->s->lang == AB_LANG_PYTHON && i + 2 < s->len &&
	    s->text[i + 1] == q && s->text[i + 2] == q) {
		qlen = 3;
		multiline = true;
	}
	i += qlen;
	for (;;) {
		if (i >= s->len) {
			set_syntax(x, line, "unterminated string");
			break;
		}
		if (s->text[i] == '\\' && escapes && i + 1 < s->len) {
			i += 2;
			continue;
		}
		if (s->text[i] == '\n' && !multiline) {
			set_syntax(x, line, "unterminated string");
			break;
		}
		if (s->text[i] == q && (qlen == 1 || (i + 2 < s->len &&
		    s->text[i + 1] == q && s->text[i + 2] == q))) {
			i += qlen;
			blank(s, start + plen + qlen, i - qlen, false);
			advance(x, i);
			emit(x, AB_TOK_STR, start, i - start, line);
			return;
		}
		i++;
	}
	blank(s, start + plen + qlen, i, false);
	advance(x, i);
	emit(x, AB_TOK_STR, start, i - start, line);
}

static const char *const ops[] = {
	";;&", "===", "!==", "**=", "<<=", ">>=", ">>>", "...", "->", "=>",
	"==", "!=", "<=", ">=", "&&", "||", "??", "?.", "::", "++", "--",
	"+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<", ">>", "**",
	"//", ";;", ";&", ":=", NULL,
};

static size_t
op_len(const struct ab_src *s, size_t i)
{
	size_t k, n;

	for (k = 0; ops[k] != NULL; k++) {
		n = strlen(ops[k]);
		if (i + n <= s->len && memcmp(s->text + i, ops[k], n) == 0) {
			if (strcmp(ops[k], "?.") == 0 && i + 2 < s->len &&
			    isdigit((unsigned char)s->text[i + 2]))
				continue;
			if (ops[k][0] == ';' && s->lang != AB_LANG_BASH)
				continue;
			return n;
		}
	}
	return 1;
}

static void
bracket(struct lexer *x, char c)
{
	static const char open[] = "([{", close[] = ")]}";
	const char *p;
	char msg[80];

	if (x->s->lang == AB_LANG_BASH && c != '{' && c != '}')
		return;		/* case patterns leave ')' unmatched */
	if ((p = strchr(open, c)) != NULL) {
		if (x->sp < (int)sizeof x->stack) {
			x->stack[x->sp] = c;
			x->stack_line[x->sp] = x->line;
		}
		x->sp++;
		x->depth++;
	} else if ((p = strchr(close, c)) != NULL) {
		if (x->sp == 0) {
			snprintf(msg, sizeof msg, "unbalanced '%c'", c);
			set_syntax(x, x->line, msg);
			return;
		}
		x->sp--;
		x->depth--;
		if (x->sp < (int)sizeof x->stack &&
		    x->stack[x->sp] != open[p - close]) {
			snprintf(msg, sizeof msg, "'%c' closes '%c' opened at "
			    "line %d", c, x->stack[x->sp],
			    x->stack_line[x->sp]);
			set_syntax(x, x->line, msg);
		}
	}
}

static bool
js_regex_allowed(const struct ab_src *s)
{
	static const char *const kw[] = { "return", "typeof", "case", "do",
	    "else", "in", "of", "new", "delete", "void", "throw", "yield",
	    "await", NULL };
	const struct ab_tok *t;
	size_t k;

	for (k = s->ntoks; k > 0; k--)
		if (s->toks[k - 1].kind != AB_TOK_COMMENT)
			break;
	if (k == 0)
		return true;
	t = &s->toks[k - 1];
	if (t->kind == AB_TOK_OP)
		return !(t->len == 1 && strchr(")]}", s->text[t->off]));
	if (t->kind == AB_TOK_IDENT)
		for (k = 0; kw[k] != NULL; k++)
			if (strlen(kw[k]) == t->len &&
			    memcmp(kw[k], s->text + t->off, t->len) == 0)
				return true;
	return false;
}

/* A JavaScript regular expression literal at x->i; false if it is not
 * one after all (no closing slash on the line). */
static bool
lex_js_regex(struct lexer *x)
{
	struct ab_src *s = x->s;
	size_t i = x->i + 1;
	bool cls = false;

	for (; i < s->len && s->text[i] != '\n'; i++) {
		if (s->text[i] == '\\') {
			i++;
			continue;
		}
		if (s->text[i] == '[')
			cls = true;
		else if (s->text[i] == ']')
			cls = false;
		else if (s->text[i] == '/' && !cls)
			break;
	}
	if (i >= s->len || s->text[i] != '/')
		return false;
	i++;
	while (i < s->len && isalpha((unsigned char)s->text[i]))
		i++;
	blank(s, x->i + 1, i, false);
	emit(x, AB_TOK_STR, x->i, i - x->i, x->line);
	x->i = i;
	return true;
}

/* After the newline that ends a line with "<<WORD": the body up to the
 * WORD line is a string. */
static void
lex_heredoc(struct lexer *x)
{
	struct ab_src *s = x->s;
	size_t start = x->i, i = x->i, e, b;
	size_t wl = strlen(x->hd_word);
	int line = x->line;

	x->hd_pending = false;
	while (i < s->len) {
		e = eol(s, i);
		b = i;
		if (x->hd_strip)
			while (b < e && s->text[b] == '\t')
				b++;
		if (e - b == wl && memcmp(s->text + b, x->hd_word, wl) == 0) {
			blank(s, start, i, false);
			advance(x, i);
			if (i > start)
				emit(x, AB_TOK_STR, start, i - start, line);
			return;
		}
		i = e < s->len ? e + 1 : e;
	}
	set_syntax(x, line, "unterminated here-document");
	blank(s, start, s->len, false);
	advance(x, s->len);
}

static bool
bash_word_start(const struct ab_src *s, size_t i)
{
	return i == 0 || strchr(" \t\n;|&()", s->text[i - 1]) != NULL;
}

static void
lex(struct lexer *x)
{
	struct ab_src *s = x->s;
	enum ab_lang l = s->lang;
	const char *t = s->text;
	size_t n = s->len, j, k;
	unsigned char c;

	while (x->i < n) {
		c = (unsigned char)t[x->i];
		if (c == '\n') {
			x->i++;
			newline(x);
			if (x->hd_pending)
				lex_heredoc(x);
			continue;
		}
		if (isspace(c) || (c == '\\' && x->i + 1 < n &&
		    t[x->i + 1] == '\n')) {
			x->i++;
			continue;
		}
		/* comments */
		if ((l == AB_LANG_PYTHON && c == '#') ||
		    (l == AB_LANG_BASH && c == '#' && bash_word_start(s, x->i))) {
			lex_comment(x, eol(s, x->i));
			continue;
		}
		if (brace_lang(l) && c == '/' && x->i + 1 < n &&
		    t[x->i + 1] == '/') {
			lex_comment(x, eol(s, x->i));
			continue;
		}
		if (brace_lang(l) && c == '/' && x->i + 1 < n &&
		    t[x->i + 1] == '*') {
			const char *e = x->i + 2 < n ? strstr(t + x->i + 2, "*/")
			    : NULL;

			if (e == NULL) {
				set_syntax(x, x->line, "unterminated comment");
				lex_comment(x, n);
			} else {
				lex_comment(x, (size_t)(e - t) + 2);
			}
			continue;
		}
		if ((l == AB_LANG_C || l == AB_LANG_CPP) && c == '#' &&
		    !x->line_has_tok)
			x->pp = true;
		/* strings */
		if (c == '"' || c == '\'' || (c == '`' && l == AB_LANG_JAVASCRIPT)) {
			if (l == AB_LANG_BASH && c == '\'')
				lex_string(x, 0, false, true);
			else
				lex_string(x, 0, true, l != AB_LANG_PYTHON &&
				    !brace_lang(l) ? true : c == '`');
			continue;
		}
		if (l == AB_LANG_BASH && c == '`') {
			emit(x, AB_TOK_OP, x->i, 1, x->line);
			x->i++;
			continue;
		}
		if (l == AB_LANG_JAVASCRIPT && c == '/' && js_regex_allowed(s) &&
		    lex_js_regex(x))
			continue;
		if (l == AB_LANG_BASH && c == '$') {
			j = x->i + 1;
			if (j < n && t[j] == '\'') {
				x->i++;
				lex_string(x, 0, true, true);
				continue;
			}
			if (j < n && t[j] == '{') {
				int d = 1;

				for (k = j + 1; k < n && d > 0; k++)
					d += t[k] == '{' ? 1 : t[k] == '}' ? -1
					    : 0;
				j++;
				while (j < k && (t[j] == '#' || t[j] == '!'))
					j++;
				size_t a = j;
				while (j < k && ident_char((unsigned char)t[j], l))
					j++;
				if (j > a)
					emit(x, AB_TOK_IDENT, a, j - a, x->line);
				advance(x, k);
				continue;
			}
			if (j < n && ident_start((unsigned char)t[j], l)) {
				x->i = j;	/* the name follows */
				continue;
			}
			if (j < n && t[j] != '(') {
				x->i = j + 1;	/* $1 $# $? $@ ... */
				continue;
			}
			x->i++;
			continue;
		}
		if (l == AB_LANG_BASH && c == '<' && x->i + 1 < n &&
		    t[x->i + 1] == '<' && (x->i + 2 >= n || t[x->i + 2] != '<')) {
			j = x->i + 2;
			x->hd_strip = j < n && t[j] == '-';
			j += x->hd_strip;
			while (j < n && (t[j] == ' ' || t[j] == '\t'))
				j++;
			if (j < n && (t[j] == '\'' || t[j] == '"'))
				j++;
			k = j;
			while (k < n && (isalnum((unsigned char)t[k]) ||
			    t[k] == '_'))
				k++;
			if (k > j && k - j < sizeof x->hd_word) {
				memcpy(x->hd_word, t + j, k - j);
				x->hd_word[k - j] = '\0';
				x->hd_pending = true;
				emit(x, AB_TOK_OP, x->i, 2, x->line);
				x->i = k;
				if (k < n && (t[k] == '\'' || t[k] == '"'))
					x->i++;
				continue;
			}
		}
		if (l == AB_LANG_BASH && c == '-' && bash_word_start(s, x->i) &&
		    x->i + 1 < n && isalpha((unsigned char)t[x->i + 1])) {
			j = x->i + 1;
			while (j < n && (isalnum((unsigned char)t[j]) ||
			    t[j] == '-' || t[j] == '_'))
				j++;
			emit(x, AB_TOK_OP, x->i, j - x->i, x->line);
			x->i = j;
			continue;
		}
		/* numbers */
		if (isdigit(c) || (c == '.' && x->i + 1 < n &&
		    isdigit((unsigned char)t[x->i + 1]))) {
			j = x->i + 1;
			while (j < n && (isalnum((unsigned char)t[j]) ||
			    t[j] == '.' || t[j] == '_' || t[j] == '\'' ||
			    ((t[j] == '+' || t[j] == '-') &&
			    (t[j - 1] == 'e' || t[j - 1] == 'E') &&
			    !(x->i + 1 < n && (t[x->i + 1] == 'x' ||
			    t[x->i + 1] == 'X')))))
				j++;
			if (l != AB_LANG_CPP)
				while (j > x->i + 1 && t[j - 1] == '\'')
					j--;
			emit(x, AB_TOK_NUM, x->i, j - x->i, x->line);
			x->i = j;
			continue;
		}
		/* identifiers, and the strings they prefix */
		if (ident_start(c, l)) {
			j = x->i + 1;
			while (j < n && ident_char((unsigned char)t[j], l))
				j++;
			if (j < n && (t[j] == '"' || t[j] == '\'') &&
			    j - x->i <= 3) {
				bool raw = memchr(t + x->i, 'r', j - x->i) ||
				    memchr(t + x->i, 'R', j - x->i);

				if (l == AB_LANG_PYTHON && strspn(t + x->i,
				    "rRbBuUfF") >= j - x->i) {
					lex_string(x, j - x->i, true, false);
					continue;
				}
				if ((l == AB_LANG_C || l == AB_LANG_CPP) &&
				    strspn(t + x->i, "uU8L") >= j - x->i &&
				    !raw) {
					lex_string(x, j - x->i, true, false);
					continue;
				}
				if (l == AB_LANG_CPP && raw && t[j] == '"' &&
				    t[j - 1] == 'R') {
					/* R"delim( ... )delim" */
					size_t d = j + 1, e;
					char close[24];

					while (d < n && t[d] != '(' &&
					    d - j < 17)
						d++;
					snprintf(close, sizeof close, ")%.*s\"",
					    (int)(d - j - 1), t + j + 1);
					const char *q = d < n ?
					    strstr(t + d, close) : NULL;
					e = q != NULL ? (size_t)(q - t) +
					    strlen(close) : n;
					if (q == NULL)
						set_syntax(x, x->line,
						    "unterminated raw string");
					int line = x->line;
					size_t st = x->i;
					blank(s, j + 1, e > j + 1 ? e - 1 : e,
					    false);
					advance(x, e);
					emit(x, AB_TOK_STR, st, e - st, line);
					continue;
				}
			}
			emit(x, AB_TOK_IDENT, x->i, j - x->i, x->line);
			x->i = j;
			continue;
		}
		j = op_len(s, x->i);
		emit(x, AB_TOK_OP, x->i, j, x->line);
		if (j == 1)
			bracket(x, (char)c);
		x->i += j;
	}
	if (x->sp > 0 && x->sp <= (int)sizeof x->stack) {
		char msg[80];

		snprintf(msg, sizeof msg, "'%c' opened at line %d is never "
		    "closed", x->stack[x->sp - 1], x->stack_line[x->sp - 1]);
		set_syntax(x, x->stack_line[x->sp - 1], msg);
	}
}

/* ---- analysis over the tokens ------------------------------------------- */

static bool
tok_is(const struct ab_src *s, size_t k, const char *text)
{
	size_t n = strlen(text);

	return k < s->ntoks && s->toks[k].kind != AB_TOK_STR &&
	    s->toks[k].kind != AB_TOK_COMMENT && s->toks[k].len == n &&
	    memcmp(s->text + s->toks[k].off, text, n) == 0;
}

static bool
tok_in(const struct ab_src *s, size_t k, const char *const *set)
{
	for (; *set != NULL; set++)
		if (tok_is(s, k, *set))
			return true;
	return false;
}

/* Indices of the significant tokens (no comments). */
struct sig {
	size_t *k;
	size_t n;
	size_t *match;		/* per significant index: matching bracket
				   index, or (size_t)-1 */
};

static void
sig_build(const struct ab_src *s, struct sig *g)
{
	size_t i, *stack, sp = 0;

	g->k = ab_xcalloc(s->ntoks + 1, sizeof *g->k);
	g->n = 0;
	for (i = 0; i < s->ntoks; i++)
		if (s->toks[i].kind != AB_TOK_COMMENT)
			g->k[g->n++] = i;
	g->match = ab_xcalloc(g->n + 1, sizeof *g->match);
	stack = ab_xcalloc(g->n + 1, sizeof *stack);
	for (i = 0; i < g->n; i++) {
		g->match[i] = (size_t)-1;
		/* bash: case patterns leave ')' unmatched, match braces only */
		if (s->lang == AB_LANG_BASH && !tok_is(s, g->k[i], "{") &&
		    !tok_is(s, g->k[i], "}"))
			continue;
		if (tok_is(s, g->k[i], "(") || tok_is(s, g->k[i], "[") ||
		    tok_is(s, g->k[i], "{")) {
			stack[sp++] = i;
		} else if ((tok_is(s, g->k[i], ")") || tok_is(s, g->k[i], "]") ||
		    tok_is(s, g->k[i], "}")) && sp > 0) {
			sp--;
			g->match[i] = stack[sp];
			g->match[stack[sp]] = i;
		}
	}
	free(stack);
}

static bool
S(const struct ab_src *s, const struct sig *g, size_t i, const char *text)
{
	return i < g->n && tok_is(s, g->k[i], text);
}

static void
add_func(struct ab_src *s, const struct sig *g, size_t name_i, size_t a,
    size_t b, const char *fallback)
{
	struct ab_func *f;
	const struct ab_tok *nt;

	s->funcs = ab_xrealloc(s->funcs, (s->nfuncs + 1) * sizeof *s->funcs);
	f = &s->funcs[s->nfuncs++];
	memset(f, 0, sizeof *f);
	if (name_i < g->n && s->toks[g->k[name_i]].kind == AB_TOK_IDENT) {
		nt = &s->toks[g->k[name_i]];
		f->name = ab_xstrndup(s->text + nt->off, nt->len);
	} else {
		f->name = ab_xstrdup(fallback);
	}
	f->tok0 = g->k[a];
	f->tok1 = g->k[b];
	f->line = s->toks[f->tok0].line;
	f->end_line = s->toks[f->tok1].end_line;
	f->length = f->end_line - f->line + 1;
	f->complexity = 1;
}

static size_t
line_start(const struct ab_src *s, int line)
{
	if (line < 1)
		return 0;
	if (line > s->lines)
		return s->len;
	return s->line_off[line - 1];
}

static int
indent_of(const struct ab_src *s, int line)
{
	size_t off = line_start(s, line);
	int col = 0;

	for (; off < s->len && (s->text[off] == ' ' || s->text[off] == '\t');
	    off++)
		col = s->text[off] == '\t' ? (col / 8 + 1) * 8 : col + 1;
	return col;
}

static void
find_python(struct ab_src *s, const struct sig *g)
{
	size_t i, j, last;
	int ind;

	for (i = 0; i + 1 < g->n; i++) {
		if (!S(s, g, i, "def") || !s->toks[g->k[i]].logical)
			if (!(S(s, g, i, "def") && i > 0 && S(s, g, i - 1,
			    "async")))
				continue;
		ind = indent_of(s, s->toks[g->k[i]].line);
		last = i + 1;
		for (j = i + 1; j < g->n; j++) {
			const struct ab_tok *t = &s->toks[g->k[j]];

			if (t->logical && t->line > s->toks[g->k[i]].line &&
			    indent_of(s, t->line) <= ind)
				break;
			last = j;
		}
		add_func(s, g, i + 1, i > 0 && S(s, g, i - 1, "async") &&
		    s->toks[g->k[i - 1]].line == s->toks[g->k[i]].line ?
		    i - 1 : i, last, "<def>");
	}
}

static void
find_braces(struct ab_src *s, const struct sig *g)
{
	static const char *const notfn[] = { "if", "for", "while", "switch",
	    "catch", "return", "sizeof", "function", "typeof", "with",
	    "else", "do", "new", "delete", "alignof", "decltype", "_Alignof",
	    "static_assert", "_Static_assert", "defined", NULL };
	size_t i, j, body, start;
	const char *name_fallback;

	for (i = 0; i + 1 < g->n; i++) {
		const struct ab_tok *t = &s->toks[g->k[i]];

		if (t->pp)
			continue;
		/* JavaScript arrow functions with a block body */
		if (s->lang == AB_LANG_JAVASCRIPT && S(s, g, i, "=>") &&
		    S(s, g, i + 1, "{") && g->match[i + 1] != (size_t)-1) {
			size_t name = (size_t)-1;

			start = i;
			if (i > 0 && S(s, g, i - 1, ")") &&
			    g->match[i - 1] != (size_t)-1)
				start = g->match[i - 1];
			else if (i > 0)
				start = i - 1;
			j = start;
			if (j > 0 && S(s, g, j - 1, "async"))
				j--;
			if (j > 1 && (S(s, g, j - 1, "=") || S(s, g, j - 1, ":")))
				name = j - 2;
			add_func(s, g, name, start, g->match[i + 1], "<arrow>");
			continue;
		}
		if (s->lang == AB_LANG_JAVASCRIPT && S(s, g, i, "function")) {
			j = i + 1;
			if (S(s, g, j, "*"))
				j++;
			if (S(s, g, j, "(")) {
				size_t name = (size_t)-1;

				if (i > 1 && S(s, g, i - 1, "="))
					name = i - 2;
				if (g->match[j] != (size_t)-1 &&
				    S(s, g, g->match[j] + 1, "{") &&
				    g->match[g->match[j] + 1] != (size_t)-1)
					add_func(s, g, name, i,
					    g->match[g->match[j] + 1],
					    "<anonymous>");
			}
			continue;
		}
		if (t->kind != AB_TOK_IDENT || !S(s, g, i + 1, "(") ||
		    tok_in(s, g->k[i], notfn) || g->match[i + 1] == (size_t)-1)
			continue;
		/* member calls, and C++ constructor initialisers "x_(x)" */
		if (i > 0 && (S(s, g, i - 1, ".") || S(s, g, i - 1, "->") ||
		    S(s, g, i - 1, "?.") || S(s, g, i - 1, ":") ||
		    S(s, g, i - 1, ",")))
			continue;
		/* qualifiers between ')' and '{' */
		for (j = g->match[i + 1] + 1; j < g->n; j++) {
			if (S(s, g, j, "{") || S(s, g, j, ";") ||
			    S(s, g, j, "}") || S(s, g, j, "=") ||
			    S(s, g, j, "=>"))
				break;
			if (s->lang == AB_LANG_JAVASCRIPT)
				break;
			if (S(s, g, j, "(") && g->match[j] != (size_t)-1)
				j = g->match[j];
		}
		if (!S(s, g, j, "{") || g->match[j] == (size_t)-1)
			continue;
		body = j;
		start = i;
		name_fallback = "<function>";
		/* c, c++: the return type and specifiers belong to the
		 * function ("static int\nhelper(...)") */
		while ((s->lang == AB_LANG_C || s->lang == AB_LANG_CPP) &&
		    start > 0 && !s->toks[g->k[start - 1]].pp &&
		    (s->toks[g->k[start - 1]].kind == AB_TOK_IDENT ||
		    S(s, g, start - 1, "*") || S(s, g, start - 1, "&") ||
		    S(s, g, start - 1, "::") || S(s, g, start - 1, "~")) &&
		    !S(s, g, start - 1, "return") && !S(s, g, start - 1, "else"))
			start--;
		if (s->lang == AB_LANG_JAVASCRIPT && i > 0 && (S(s, g, i - 1,
		    "function") || S(s, g, i - 1, "*"))) {
			start = S(s, g, i - 1, "*") && i > 1 ? i - 2 : i - 1;
		}
		add_func(s, g, i, start, g->match[body], name_fallback);
		(void)name_fallback;
	}
}

static void
find_bash(struct ab_src *s, const struct sig *g)
{
	size_t i, j;

	for (i = 0; i + 1 < g->n; i++) {
		size_t name = (size_t)-1, start = i;

		if (S(s, g, i, "function") &&
		    s->toks[g->k[i + 1]].kind == AB_TOK_IDENT) {
			name = i + 1;
			j = i + 2;
			if (S(s, g, j, "(") && S(s, g, j + 1, ")"))
				j += 2;
		} else if (s->toks[g->k[i]].kind == AB_TOK_IDENT &&
		    S(s, g, i + 1, "(") && S(s, g, i + 2, ")") &&
		    !(i > 0 && S(s, g, i - 1, "function"))) {
			name = i;
			j = i + 3;
		} else {
			continue;
		}
		if (!S(s, g, j, "{") || g->match[j] == (size_t)-1)
			continue;
		add_func(s, g, name, start, g->match[j], "<function>");
	}
}

static bool
decision(const struct ab_src *s, const struct sig *g, size_t i)
{
	static const char *const py[] = { "if", "elif", "for", "while",
	    "except", "and", "or", NULL };
	static const char *const c[] = { "if", "for", "while", "case", "&&",
	    "||", "?", NULL };
	static const char *const cpp[] = { "if", "for", "while", "case",
	    "catch", "&&", "||", "?", "and", "or", NULL };
	static const char *const js[] = { "if", "for", "while", "case",
	    "catch", "&&", "||", "??", "?", NULL };
	static const char *const sh_kw[] = { "if", "elif", "for", "while",
	    "until", NULL };
	static const char *const sh_op[] = { "&&", "||", ";;", ";&", ";;&",
	    NULL };
	static const char *const sh_cmd[] = { ";", "|", "&&", "||", "(",
	    "{", "then", "do", "else", "!", "`", NULL };
	const struct ab_tok *t = &s->toks[g->k[i]];

	if (t->pp)
		return false;
	switch (s->lang) {
	case AB_LANG_PYTHON:
		if (tok_is(s, g->k[i], "case") && t->logical)
			return true;
		return tok_in(s, g->k[i], py);
	case AB_LANG_C:
		return tok_in(s, g->k[i], c);
	case AB_LANG_CPP:
		return tok_in(s, g->k[i], cpp);
	case AB_LANG_JAVASCRIPT:
		return tok_in(s, g->k[i], js);
	case AB_LANG_BASH:
		if (tok_in(s, g->k[i], sh_op))
			return true;
		return tok_in(s, g->k[i], sh_kw) && (t->first || i == 0 ||
		    tok_in(s, g->k[i - 1], sh_cmd));
	default:
		return false;
	}
}

static const struct ab_src *sort_src;

static int
by_start(const void *a, const void *b)
{
	const struct ab_func *fa = &sort_src->funcs[*(const size_t *)a];
	const struct ab_func *fb = &sort_src->funcs[*(const size_t *)b];

	if (fa->tok0 != fb->tok0)
		return fa->tok0 < fb->tok0 ? -1 : 1;
	/* the outer one first */
	return fa->tok1 > fb->tok1 ? -1 : fa->tok1 < fb->tok1;
}

/* Each decision point counts for the innermost function around it: a
 * sweep over the tokens with a stack of the functions open there. */
static void
complexity(struct ab_src *s, const struct sig *g)
{
	size_t i, next = 0, sp = 0, *order, *stack;

	s->top_complexity = 1;
	order = ab_xcalloc(s->nfuncs + 1, sizeof *order);
	stack = ab_xcalloc(s->nfuncs + 1, sizeof *stack);
	for (i = 0; i < s->nfuncs; i++)
		order[i] = i;
	sort_src = s;
	qsort(order, s->nfuncs, sizeof *order, by_start);
	for (i = 0; i < g->n; i++) {
		size_t k = g->k[i];

		while (sp > 0 && s->funcs[stack[sp - 1]].tok1 < k)
			sp--;
		while (next < s->nfuncs && s->funcs[order[next]].tok0 <= k) {
			if (s->funcs[order[next]].tok1 >= k)
				stack[sp++] = order[next];
			next++;
		}
		if (!decision(s, g, i))
			continue;
		if (sp > 0)
			s->funcs[stack[sp - 1]].complexity++;
		else
			s->top_complexity++;
	}
	free(order);
	free(stack);
}

static void
add_hit(struct ab_hit **v, size_t *n, int line, const char *text, size_t len)
{
	*v = ab_xrealloc(*v, (*n + 1) * sizeof **v);
	(*v)[*n].line = line;
	(*v)[*n].text = ab_xstrndup(text, len > 120 ? 120 : len);
	(*n)++;
}

static void
docs(struct ab_src *s, const struct sig *g)
{
	size_t i, j, f;

	if (s->lang == AB_LANG_PYTHON) {
		if (g->n > 0 && s->toks[g->k[0]].kind == AB_TOK_STR)
			add_hit(&s->docs, &s->ndocs, s->toks[g->k[0]].line,
			    "module docstring", 16);
		for (i = 0; i + 1 < g->n; i++) {
			if (!(S(s, g, i, "def") || S(s, g, i, "class")) ||
			    !s->toks[g->k[i]].logical)
				continue;
			/* the ':' that ends the header, outside brackets */
			for (j = i + 1; j < g->n; j++) {
				if (S(s, g, j, ":") && s->toks[g->k[j]].depth ==
				    s->toks[g->k[i]].depth)
					break;
			}
			if (j + 1 < g->n && s->toks[g->k[j + 1]].kind ==
			    AB_TOK_STR) {
				const struct ab_tok *n = &s->toks[g->k[i + 1]];
				char buf[96];

				snprintf(buf, sizeof buf, "docstring of %.*s",
				    (int)(n->len > 60 ? 60 : n->len),
				    s->text + n->off);
				add_hit(&s->docs, &s->ndocs,
				    s->toks[g->k[j + 1]].line, buf, strlen(buf));
			}
		}
		return;
	}
	/* lines just before a function */
	bool *before = ab_xcalloc((size_t)s->lines + 2, sizeof *before);

	for (f = 0; f < s->nfuncs; f++)
		if (s->funcs[f].line >= 2 && s->funcs[f].line <= s->lines + 1)
			before[s->funcs[f].line - 1] = true;
	for (i = 0; i < s->ntoks; i++) {
		const struct ab_tok *t = &s->toks[i];
		const char *p = s->text + t->off;
		bool doc = false;

		if (t->kind != AB_TOK_COMMENT)
			continue;
		if (brace_lang(s->lang) && t->len >= 3 &&
		    (strncmp(p, "/**", 3) == 0 || strncmp(p, "///", 3) == 0 ||
		    strncmp(p, "//!", 3) == 0))
			doc = true;
		if (t->end_line >= 1 && t->end_line <= s->lines && before[t->end_line])
			doc = true;
		if (doc)
			add_hit(&s->docs, &s->ndocs, t->line, p,
			    eol(s, t->off) - t->off);
	}
	free(before);
}

static void
names(struct ab_src *s, const struct sig *g)
{
	size_t i, k;
	char c;

	for (i = 0; i < g->n; i++) {
		const struct ab_tok *t = &s->toks[g->k[i]];

		if (t->kind != AB_TOK_IDENT || t->len != 1 || t->pp)
			continue;
		c = s->text[t->off];
		if (!isalpha((unsigned char)c))
			continue;
		if (i > 0 && (S(s, g, i - 1, ".") || S(s, g, i - 1, "->") ||
		    S(s, g, i - 1, "::")))
			continue;
		/* bash: only names that are set or expanded, not words */
		if (s->lang == AB_LANG_BASH && !(t->off > 0 &&
		    strchr("${#!", s->text[t->off - 1]) != NULL) &&
		    !(t->off + 1 < s->len && s->text[t->off + 1] == '=') &&
		    !(i > 0 && (S(s, g, i - 1, "for") || S(s, g, i - 1,
		    "local") || S(s, g, i - 1, "read") || S(s, g, i - 1,
		    "declare") || S(s, g, i - 1, "export") ||
		    S(s, g, i - 1, "-r"))))
			continue;
		for (k = 0; k < s->nnames; k++)
			if (s->names[k].text[0] == c)
				break;
		if (k == s->nnames)
			add_hit(&s->names, &s->nnames, t->line, &c, 1);
	}
}

static void
magic(struct ab_src *s, const struct sig *g)
{
	static const char *const cmp[] = { "==", "!=", "<", ">", "<=", ">=",
	    "===", "!==", NULL };
	static const char *const sh[] = { "-eq", "-ne", "-lt", "-le", "-gt",
	    "-ge", "==", "!=", NULL };
	size_t i, j;

	for (i = 0; i < g->n; i++) {
		if (s->toks[g->k[i]].pp || !tok_in(s, g->k[i],
		    s->lang == AB_LANG_BASH ? sh : cmp))
			continue;
		for (j = 0; j < 2; j++) {
			size_t k = j == 0 ? i - 1 : i + 1;
			const struct ab_tok *t;

			if ((j == 0 && i == 0) || k >= g->n)
				continue;
			if (j == 1 && S(s, g, k, "-") && k + 1 < g->n)
				k++;
			t = &s->toks[g->k[k]];
			if (t->kind != AB_TOK_NUM)
				continue;
			/* the operator and the number: "> 5", "10 <=" */
			size_t from = g->k[j == 0 ? i - 1 : i];
			size_t to = j == 0 ? g->k[i] : g->k[k];
			const struct ab_tok *a = &s->toks[from];
			const struct ab_tok *b = &s->toks[to];
			char buf[64];

			snprintf(buf, sizeof buf, "%.*s",
			    (int)(b->off + b->len - a->off > 60 ? 60 :
			    b->off + b->len - a->off), s->text + a->off);
			add_hit(&s->magic, &s->nmagic, t->line, buf,
			    strlen(buf));
		}
	}
}

void
ab_src_analyse(struct ab_src *s, enum ab_lang lang, const char *text,
    size_t len)
{
	struct lexer x;
	struct sig g;
	size_t i, start;
	int line;
	bool blankline;

	memset(s, 0, sizeof *s);
	s->lang = lang;
	s->text = text;
	s->len = len;
	s->code = ab_xstrndup(text, len);
	s->nocomment = ab_xstrndup(text, len);
	/* NUL bytes would cut the views short: make them spaces */
	for (i = 0; i < len; i++)
		if (text[i] == '\0')
			s->code[i] = s->nocomment[i] = ' ';
	/* lines */
	for (i = 0, start = 2; i < len; i++)
		start += text[i] == '\n';
	s->line_off = ab_xcalloc(start, sizeof *s->line_off);
	for (i = 0, start = 0, line = 0; i <= len; i++) {
		if (i == len || text[i] == '\n') {
			if (i == len && i == start)
				break;
			s->line_off[line] = start;
			line++;
			blankline = true;
			for (size_t k = start; k < i; k++)
				if (!isspace((unsigned char)text[k]))
					blankline = false;
			s->blank_lines += blankline;
			start = i + 1;
		}
	}
	s->lines = line;
	s->line_off[line] = len;
	if (lang == AB_LANG_UNKNOWN)
		return;
	memset(&x, 0, sizeof x);
	x.s = s;
	x.line = 1;
	lex(&x);
	sig_build(s, &g);
	switch (lang) {
	case AB_LANG_PYTHON:
		find_python(s, &g);
		break;
	case AB_LANG_BASH:
		find_bash(s, &g);
		break;
	default:
		find_braces(s, &g);
		break;
	}
	complexity(s, &g);
	docs(s, &g);
	names(s, &g);
	magic(s, &g);
	/* comment lines, the shebang excluded */
	line = 0;
	for (i = 0; i < s->ntoks; i++) {
		const struct ab_tok *t = &s->toks[i];

		if (t->kind != AB_TOK_COMMENT || (t->line == 1 && t->len >= 2 &&
		    memcmp(text + t->off, "#!", 2) == 0))
			continue;
		if (t->line > line)
			s->comment_lines += t->end_line - t->line + 1;
		line = t->end_line;
	}
	free(g.k);
	free(g.match);
}

static void
hits_free(struct ab_hit *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].text);
	free(v);
}

void
ab_src_release(struct ab_src *s)
{
	size_t i;

	free(s->code);
	free(s->nocomment);
	free(s->line_off);
	free(s->toks);
	for (i = 0; i < s->nfuncs; i++)
		free(s->funcs[i].name);
	free(s->funcs);
	hits_free(s->docs, s->ndocs);
	hits_free(s->names, s->nnames);
	hits_free(s->magic, s->nmagic);
	memset(s, 0, sizeof *s);
}

int
ab_src_line_of(const struct ab_src *s, size_t off)
{
	int lo = 0, hi = s->lines - 1, mid;

	/* the last line starting at or before off */
	if (s->lines == 0)
		return 1;
	while (lo < hi) {
		mid = lo + (hi - lo + 1) / 2;
		if (s->line_off[mid] <= off)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo + 1;
}

char *
ab_src_excerpt(const struct ab_src *s, int line, size_t max)
{
	size_t off = line_start(s, line), e;
	struct ab_buf b = AB_BUF_INIT;

	while (off < s->len && isspace((unsigned char)s->text[off]) &&
	    s->text[off] != '\n')
		off++;
	e = eol(s, off);
	while (e > off && isspace((unsigned char)s->text[e - 1]))
		e--;
	if (e - off > max) {
		ab_buf_add_escaped(&b, s->text + off, max);
		ab_buf_adds(&b, "...");
	} else {
		ab_buf_add_escaped(&b, s->text + off, e - off);
	}
	return ab_buf_detach(&b);
}
