/*
 * extract.c - the fence scanner, reasoning sections, the "looks like code"
 * heuristic and the choice of a block (see extract.h).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "extract.h"

/* ---- the fence scanner -------------------------------------------------- */

void
ab_fences_init(struct ab_fences *f)
{
	memset(f, 0, sizeof(*f));
}

void
ab_fences_release(struct ab_fences *f)
{
	free(f->v);
	ab_buf_release(&f->text);
	ab_buf_release(&f->prose);
	ab_fences_init(f);
}

const char *
ab_memfind(const char *s, size_t n, const char *pat, size_t m)
{
	const char *p, *end = s + n;

	if (m == 0)
		return s;
	while ((size_t)(end - s) >= m &&
	    (p = memchr(s, pat[0], (size_t)(end - s) - m + 1)) != NULL) {
		if (memcmp(p, pat, m) == 0)
			return p;
		s = p + 1;
	}
	return NULL;
}

static bool
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\f' || c == '\v';
}

/* First case-insensitive occurrence of pat (plain ASCII) in s[0..n), or
 * NULL.  Linear: pat is a short tag. */
static const char *
find_ci(const char *s, size_t n, const char *pat)
{
	size_t m = strlen(pat), i;

	if (m > n)
		return NULL;
	for (i = 0; i + m <= n; i++)
		if (tolower((unsigned char)s[i]) == pat[0] &&
		    strncasecmp(s + i, pat, m) == 0)
			return s + i;
	return NULL;
}

static const char *const reasoning_tags[] = { "think", "thinking",
	"reasoning", NULL };

/* If s[0..n) starts with an opening reasoning tag, return its index in
 * reasoning_tags and set *len to its length; else -1. */
static int
reasoning_open(const char *s, size_t n, size_t *len)
{
	size_t m;
	int i;

	if (n < 3 || s[0] != '<')
		return -1;
	for (i = 0; reasoning_tags[i] != NULL; i++) {
		m = strlen(reasoning_tags[i]);
		if (n >= m + 2 && strncasecmp(s + 1, reasoning_tags[i], m) == 0
		    && s[m + 1] == '>') {
			*len = m + 2;
			return i;
		}
	}
	return -1;
}

/* Columns of a run of spaces and tabs (tab stops every 4), as CommonMark
 * counts them. */
static size_t
advance_col(size_t col, int c)
{
	return c == '\t' ? (col / 4 + 1) * 4 : col + 1;
}

/* Length of a list marker ("-", "*", "+", "1.", "12)") and the spaces
 * after it at s[0..n), or 0. */
static size_t
list_marker(const char *s, size_t n)
{
	size_t i = 0;

	if (n >= 2 && (s[0] == '-' || s[0] == '*' || s[0] == '+'))
		i = 1;
	else {
		while (i < n && i < 9 && isdigit((unsigned char)s[i]))
			i++;
		if (i == 0 || i >= n || (s[i] != '.' && s[i] != ')'))
			return 0;
		i++;
	}
	if (i >= n || !is_space(s[i]))
		return 0;
	while (i < n && is_space(s[i]))
		i++;
	return i;
}

/* Fill tag/lang from an info string. */
static void
info_tag(struct ab_fence *b, const char *s, size_t n)
{
	size_t i = 0, j, k, dot;

	b->tag[0] = '\0';
	b->lang = AB_LANG_UNKNOWN;
	if (n > 0 && s[0] == '{') {
		/* {.python}, {.py .numberLines}, {python} */
		i = 1;
		while (i < n && is_space(s[i]))
			i++;
		for (k = i; k < n && s[k] != '}'; k++)
			if (s[k] == '.' && (k == i || is_space(s[k - 1]))) {
				i = k + 1;
				break;
			}
	}
	if (n - i > 9 && strncasecmp(s + i, "language-", 9) == 0)
		i += 9;
	for (j = i; j < n && !is_space(s[j]) && s[j] != '{' && s[j] != '}' &&
	    s[j] != ',' && s[j] != ';' && s[j] != '"' && s[j] != '\''; j++)
		;
	/* "python:main.py" names a file after the language */
	for (k = i; k < j; k++)
		if (s[k] == ':' && k > i) {
			j = k;
			break;
		}
	if (j - i >= sizeof(b->tag))
		j = i + sizeof(b->tag) - 1;
	for (k = i; k < j; k++)
		b->tag[k - i] = (char)tolower((unsigned char)s[k]);
	b->tag[j - i] = '\0';
	b->lang = ab_lang_from(b->tag, j - i);
	if (b->lang == AB_LANG_UNKNOWN) {
		/* a version: python3.11, c++17, c99 */
		k = strlen(b->tag);
		while (k > 0 && (isdigit((unsigned char)b->tag[k - 1]) ||
		    b->tag[k - 1] == '.'))
			k--;
		if (k > 0 && k < strlen(b->tag))
			b->lang = ab_lang_from(b->tag, k);
	}
	if (b->lang == AB_LANG_UNKNOWN) {
		/* a file name: "solution.py" */
		dot = 0;
		for (k = 0; b->tag[k] != '\0'; k++)
			if (b->tag[k] == '.')
				dot = k + 1;
		if (dot > 1)
			b->lang = ab_lang_from(b->tag + dot,
			    strlen(b->tag + dot));
	}
}

/* A fence run at s[0..n): its character and length, or 0. */
static size_t
fence_run(const char *s, size_t n, char *ch)
{
	size_t i = 0;

	if (n < 3 || (s[0] != '`' && s[0] != '~'))
		return 0;
	while (i < n && s[i] == s[0])
		i++;
	if (i < 3)
		return 0;
	*ch = s[0];
	return i;
}

struct scan {
	struct ab_fences *f;
	struct ab_fence *cur;	/* the open block, or NULL */
	char ch;		/* its fence character */
	size_t flen;		/* its fence length */
	size_t indent;		/* its opening indentation in columns */
	size_t line;
	size_t ps, pe;		/* prose not added yet: s[ps..pe), whole
				   lines that end in '\n' */
};

static void
add_block(struct scan *sc, const char *info, size_t ilen)
{
	struct ab_fences *f = sc->f;
	struct ab_fence *b;
	size_t ncap;

	if (f->n == f->cap) {
		ncap = f->cap ? 2 * f->cap : 8;
		f->v = ab_xrealloc(f->v, ncap * sizeof(*f->v));
		f->cap = ncap;
	}
	b = &f->v[f->n++];
	memset(b, 0, sizeof(*b));
	b->line = sc->line;
	b->off = f->text.len;
	info_tag(b, info, ilen);
	sc->cur = b;
}

/* A content line s[0..n) of the open block, with up to sc->indent
 * columns of indentation removed; lf: s[n] is its line end, '\n' (added
 * with the line, in one copy). */
static void
content_line(struct scan *sc, const char *s, size_t n, bool lf)
{
	struct ab_buf *t = &sc->f->text;
	size_t i = 0, col = 0, ncol;

	while (i < n && col < sc->indent && (s[i] == ' ' || s[i] == '\t')) {
		ncol = advance_col(col, s[i]);
		i++;
		if (ncol > sc->indent) {
			/* a tab straddles the indentation: keep the rest */
			for (; ncol > sc->indent; ncol--)
				ab_buf_addc(t, ' ');
			break;
		}
		col = ncol;
	}
	if (lf)
		ab_buf_add(t, s + i, n - i + 1);
	else {
		ab_buf_add(t, s + i, n - i);
		ab_buf_addc(t, '\n');
	}
	sc->cur->len = t->len - sc->cur->off;
}

/* True when s[0..n) closes the open block. */
static bool
closes(const struct scan *sc, const char *s, size_t n)
{
	size_t i = 0, col = 0, run;
	char ch;

	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		col = advance_col(col, s[i++]);
	if (col > sc->indent + 3)
		return false;
	run = fence_run(s + i, n - i, &ch);
	if (run == 0 || ch != sc->ch || run < sc->flen)
		return false;
	for (i += run; i < n; i++)
		if (!is_space(s[i]))
			return false;
	return true;
}

/* Outside a block: an opening fence at s[0..n)?  Opens it if so. */
static bool
opens(struct scan *sc, const char *s, size_t n)
{
	size_t i = 0, col = 0, m, run, a, b;
	char ch;

	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		col = advance_col(col, s[i++]);
	run = fence_run(s + i, n - i, &ch);
	if (run == 0) {
		m = list_marker(s + i, n - i);
		if (m == 0)
			return false;
		col += m;	/* markers and their spaces are ASCII */
		i += m;
		run = fence_run(s + i, n - i, &ch);
		if (run == 0)
			return false;
	}
	a = i + run;
	b = n;
	while (a < b && is_space(s[a]))
		a++;
	while (b > a && is_space(s[b - 1]))
		b--;
	if (ch == '`' && memchr(s + a, '`', b - a) != NULL)
		return false;	/* inline code such as ```x``` */
	sc->ch = ch;
	sc->flen = run;
	sc->indent = col;
	add_block(sc, s + a, b - a);
	return true;
}

/* The prose pending in sc, added to f. */
static void
prose_flush(struct scan *sc, const char *s)
{
	if (sc->pe > sc->ps)
		ab_buf_add(&sc->f->prose, s + sc->ps, sc->pe - sc->ps);
	sc->ps = sc->pe;
}

/* The line s[i..eol), which ends where the next one starts at s[next], is
 * prose: added with a '\n' line end.  Lines that end in '\n' are kept in
 * one run, added at once (prose_flush). */
static void
prose_add(struct scan *sc, const char *s, size_t i, size_t eol, size_t next)
{
	if (next == eol + 1 && s[eol] == '\n') {
		if (sc->pe != i) {
			prose_flush(sc, s);
			sc->ps = i;
		}
		sc->pe = next;
		return;
	}
	prose_flush(sc, s);
	ab_buf_add(&sc->f->prose, s + i, eol - i);
	ab_buf_addc(&sc->f->prose, '\n');
}

/* End of the line starting at s[i]: *eol is where it ends (before LF,
 * CRLF or CR), the return value where the next one starts. */
static size_t
line_end(const char *s, size_t n, size_t i, size_t *eol)
{
	size_t j = i;

	while (j < n && s[j] != '\n' && s[j] != '\r')
		j++;
	*eol = j;
	if (j + 1 < n && s[j] == '\r' && s[j + 1] == '\n')
		return j + 2;
	return j < n ? j + 1 : n;
}

void
ab_fence_scan(struct ab_fences *f, const char *s, size_t n)
{
	struct scan sc = { .f = f };
	const char *close, *open;
	size_t i = 0, next, eol, k, tl, m;
	int tag;
	char pat[16];

	/* The prose is at most the text and a '\n'; the blocks' contents
	 * are at most what follows the first fence (but for tabs cut in
	 * spaces).  Grown once, never copied along the way. */
	ab_buf_reserve(&f->prose, n + 1);

	/* A </think> ending a line with no opening tag before it: what
	 * precedes it is reasoning whose opening tag the server swallowed.
	 * (Ending a line: code that mentions "</think>" is not cut.) */
	open = find_ci(s, n, "<think>");
	m = open != NULL ? (size_t)(open - s) : n;
	for (k = 0; k <= m && (close = find_ci(s + k, m - k, "</think>")) !=
	    NULL; ) {
		k = (size_t)(close - s) + 8;
		while (k < n && is_space(s[k]))
			k++;
		if (k == n || s[k] == '\n' || s[k] == '\r') {
			i = (size_t)(close - s) + 8;
			f->reasoning++;
			break;
		}
	}
	while (i < n) {
		next = line_end(s, n, i, &eol);
		sc.line++;
		if (sc.cur != NULL) {
			if (closes(&sc, s + i, eol - i)) {
				sc.cur->closed = true;
				sc.cur = NULL;
			} else
				content_line(&sc, s + i, eol - i,
				    next == eol + 1 && s[eol] == '\n');
			prose_add(&sc, s, i, eol, next);
			i = next;
			continue;
		}
		for (k = i; k < eol && is_space(s[k]); k++)
			;
		tag = reasoning_open(s + k, eol - k, &tl);
		if (tag >= 0) {
			f->reasoning++;
			snprintf(pat, sizeof(pat), "</%s>", reasoning_tags[tag]);
			close = find_ci(s + k + tl, n - k - tl, pat);
			if (close == NULL) {
				f->unclosed_reasoning = true;
				break;
			}
			/* count the lines skipped, then go on right after
			 * the close tag as if a line started there */
			for (m = i; m < (size_t)(close - s); m++)
				if (s[m] == '\n' || (s[m] == '\r' &&
				    (m + 1 >= n || s[m + 1] != '\n')))
					sc.line++;
			sc.line--;
			i = (size_t)(close - s) + strlen(pat);
			continue;
		}
		if (opens(&sc, s + i, eol - i) && f->text.cap == 0)
			ab_buf_reserve(&f->text, n - next + 1);
		prose_add(&sc, s, i, eol, next);
		i = next;
	}
	prose_flush(&sc, s);
	if (sc.cur != NULL && sc.cur->len == 0)
		sc.cur->len = f->text.len - sc.cur->off;
	if (f->text.s == NULL)
		ab_buf_add(&f->text, "", 0);
	if (f->prose.s == NULL)
		ab_buf_add(&f->prose, "", 0);
}

/* ---- does it look like code? -------------------------------------------- */

enum cls { CLS_BLANK, CLS_NEUTRAL, CLS_CODE, CLS_PROSE, CLS_FOREIGN };

static bool
is_ident(int c)
{
	return isalnum(c) || c == '_';
}

/* Is the word w[0..n) in the NULL-terminated list? */
static bool
in_list(const char *const *list, const char *w, size_t n)
{
	for (; *list != NULL; list++)
		if ((*list)[0] == (n > 0 ? w[0] : '\0') && strlen(*list) == n &&
		    memcmp(*list, w, n) == 0)
			return true;
	return false;
}

static const char *const py_kw[] = { "def", "class", "import", "from",
	"return", "if", "elif", "else", "for", "while", "try", "except",
	"finally", "with", "assert", "raise", "yield", "pass", "break",
	"continue", "lambda", "async", "await", "global", "nonlocal",
	"print", "del", NULL };
static const char *const py_strong[] = { "def", "class", "import", "from",
	"return", "print", "lambda", "yield", NULL };
static const char *const js_kw[] = { "function", "const", "let", "var",
	"return", "if", "else", "for", "while", "do", "switch", "case",
	"default", "break", "continue", "class", "import", "export", "try",
	"catch", "finally", "throw", "new", "async", "await", "yield",
	"module", "exports", "require", "console", "process", "typeof",
	"delete", NULL };
static const char *const js_strong[] = { "function", "const", "let", "var",
	"return", "class", "module", "exports", "console", "require", NULL };
static const char *const c_kw[] = { "int", "void", "char", "long", "short",
	"unsigned", "signed", "double", "float", "bool", "size_t", "static",
	"const", "struct", "enum", "union", "typedef", "return", "if", "else",
	"for", "while", "do", "switch", "case", "default", "break", "continue",
	"goto", "extern", "inline", "printf", "scanf", "free", "memset",
	"memcpy", "puts", NULL };
static const char *const c_strong[] = { "int", "void", "char", "long",
	"short", "unsigned", "double", "float", "bool", "size_t", "static",
	"struct", "typedef", "return", "enum", NULL };
static const char *const cpp_kw[] = { "std", "template", "namespace",
	"using", "class", "auto", "public", "private", "protected", "vector",
	"string", "cout", "cin", "constexpr", "virtual", "friend", "operator",
	"new", "delete", "try", "catch", "throw", NULL };
static const char *const sh_kw[] = { "echo", "printf", "if", "then", "else",
	"elif", "fi", "for", "while", "until", "do", "done", "case", "esac",
	"function", "local", "export", "read", "return", "exit", "set",
	"shift", "declare", "readonly", "source", "cd", "test", "true",
	"false", "let", "trap", "eval", "exec", "unset", "mapfile", "seq",
	"cat", "grep", "sed", "awk", "tr", "sort", "wc", "cut", "head", "tail",
	NULL };
static const char *const sh_strong[] = { "echo", "printf", "fi", "done",
	"esac", "function", "local", "declare", "read", "then", NULL };

/* Prose: mostly plain words, a capital first letter or a full stop at
 * the end, and none of the characters that carry code. */
static bool
prose_line(const char *s, size_t n)
{
	size_t i = 0, words = 0, tokens = 0, j, letters;
	bool plain;

	if (memchr(s, '=', n) || memchr(s, ';', n) || memchr(s, '{', n) ||
	    memchr(s, '}', n) || memchr(s, '[', n))
		return false;
	if (!isupper((unsigned char)s[0]) && strchr(".!?", s[n - 1]) == NULL)
		return false;
	while (i < n) {
		while (i < n && s[i] == ' ')
			i++;
		if (i == n)
			break;
		j = i;
		while (j < n && s[j] != ' ')
			j++;
		tokens++;
		plain = true;
		letters = 0;
		for (size_t k = i; k < j; k++) {
			unsigned char c = (unsigned char)s[k];

			if (isalpha(c) || c >= 0x80)
				letters++;
			else if ((c == '(' && k > i) || c == '_')
				return false;	/* make_rational(long, a_b */
			else if (!((c == '\'' || c == '-') && k > i) &&
			    !(strchr(",.:;!?)", c) && k == j - 1) &&
			    !(c == '(' && k == i))
				plain = false;
		}
		if (plain && letters > 0)
			words++;
		i = j;
	}
	if (words >= 2 && words == tokens && isupper((unsigned char)s[0]) &&
	    strchr(".!?:", s[n - 1]) != NULL)
		return true;	/* "This works." */
	return words >= 4 && words * 10 >= tokens * 8;
}

static enum cls
classify(enum ab_lang lang, const char *s, size_t n, bool *strong)
{
	size_t i, w, e;
	char last;
	const char *word;
	bool assign = false, kw, sk;

	while (n > 0 && isspace((unsigned char)s[0]))
		s++, n--;
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	if (n == 0)
		return CLS_BLANK;
	last = s[n - 1];
	for (w = 0; w < n && is_ident((unsigned char)s[w]); w++)
		;
	word = s;
	/* NAME = ..., NAME += ..., a.b[c] = ... (not ==) */
	for (i = w; i < n && (is_ident((unsigned char)s[i]) || s[i] == '.' ||
	    s[i] == '[' || s[i] == ']' || s[i] == ' ' || s[i] == ','); i++)
		;
	if (w > 0 && i < n) {
		e = i;
		if (e + 1 < n && strchr("+-*/%|&^", s[e]) && s[e + 1] == '=')
			e++;
		if (s[e] == '=' && (e + 1 >= n || s[e + 1] != '='))
			assign = true;
	}
	switch (lang) {
	case AB_LANG_PYTHON:
		if (n >= 8 && memcmp(s, "#include", 8) == 0)
			return CLS_FOREIGN;
		if (s[0] == '#')
			return CLS_NEUTRAL;
		if (last == ';')
			return CLS_FOREIGN;	/* "return {" opens a dict */
		if (w > 0 && (in_list((const char *const[]){ "function",
		    "const", "let", "var", "int", "void", NULL }, word, w)) &&
		    w < n && s[w] == ' ')
			return CLS_FOREIGN;
		if (prose_line(s, n))
			return CLS_PROSE;
		kw = w > 0 && in_list(py_kw, word, w) && (w == n ||
		    !is_ident((unsigned char)s[w]));
		sk = w > 0 && in_list(py_strong, word, w);
		if (sk || assign || (kw && last == ':'))
			*strong = true;
		if (kw || assign || s[0] == '@' || strchr(":)]},", last) ||
		    strchr(")]}", s[0]) || (n >= 3 && (!memcmp(s, "\"\"\"", 3)
		    || !memcmp(s, "'''", 3))))
			return CLS_CODE;
		return CLS_NEUTRAL;
	case AB_LANG_JAVASCRIPT:
		if (s[0] == '/' || s[0] == '*')
			return CLS_NEUTRAL;
		if (s[0] == '#' || (w > 0 && in_list((const char *const[]){
		    "def", "elif", "except", NULL }, word, w)))
			return CLS_FOREIGN;
		if (prose_line(s, n))
			return CLS_PROSE;
		kw = w > 0 && in_list(js_kw, word, w);
		if ((w > 0 && in_list(js_strong, word, w)) ||
		    find_ci(s, n, "=>") != NULL)
			*strong = true;
		if (last == ':' && !kw && s[0] != '}' && !assign)
			return CLS_NEUTRAL;
		if (kw || assign || strchr(";{}),([]", last) ||
		    strchr("})].", s[0]) || find_ci(s, n, "=>") != NULL)
			return CLS_CODE;
		return CLS_NEUTRAL;
	case AB_LANG_C:
	case AB_LANG_CPP:
		if ((n >= 2 && s[0] == '/' && (s[1] == '/' || s[1] == '*')) ||
		    s[0] == '*')
			return CLS_NEUTRAL;
		if (s[0] == '#') {
			if (n >= 8 && !memcmp(s, "#include", 8))
				*strong = true;
			return n >= 2 && isalpha((unsigned char)s[1]) ?
			    CLS_CODE : CLS_NEUTRAL;
		}
		if (w > 0 && in_list((const char *const[]){ "def", "elif",
		    "function", "let", "var", "import", "from", NULL },
		    word, w) && w < n && s[w] == ' ')
			return CLS_FOREIGN;
		if (last == ':' && w > 0 && in_list((const char *const[]){
		    "if", "for", "while", "else", "class", "try", NULL },
		    word, w))
			return CLS_FOREIGN;
		if (prose_line(s, n))
			return CLS_PROSE;
		kw = w > 0 && (in_list(c_kw, word, w) || (lang == AB_LANG_CPP
		    && in_list(cpp_kw, word, w)) || (w > 2 &&
		    word[w - 2] == '_' && word[w - 1] == 't'));
		if ((w > 0 && (in_list(c_strong, word, w) ||
		    (lang == AB_LANG_CPP && in_list(cpp_kw, word, w)))) &&
		    (strchr(";{})", last) != NULL))
			*strong = true;
		if (kw || strchr(";{}),", last) || strchr("})", s[0]))
			return CLS_CODE;
		return CLS_NEUTRAL;
	case AB_LANG_BASH:
		if (n >= 2 && s[0] == '#' && s[1] == '!') {
			*strong = true;
			return CLS_CODE;
		}
		if (s[0] == '#')
			return CLS_NEUTRAL;
		if (w > 0 && in_list((const char *const[]){ "def", "import",
		    "const", "let", "var", "int", "void", NULL }, word, w) &&
		    w < n && s[w] == ' ')
			return CLS_FOREIGN;
		if (prose_line(s, n))
			return CLS_PROSE;
		kw = w > 0 && in_list(sh_kw, word, w) &&
		    (w == n || !is_ident((unsigned char)s[w]));
		/* NAME=value, NAME() {, $x, pipes */
		if (w > 0 && w < n && s[w] == '=')
			assign = true;
		if (w > 0 && w + 1 < n && s[w] == '(' && s[w + 1] == ')')
			assign = true;
		if ((w > 0 && in_list(sh_strong, word, w)) || assign ||
		    memchr(s, '$', n) != NULL || (kw && memchr(s, '|', n)))
			*strong = true;	/* ... or a pipeline of known commands */
		if (kw || assign || memchr(s, '$', n) != NULL ||
		    memchr(s, '|', n) != NULL || strchr(";{}\\", last) ||
		    s[0] == '[' || s[0] == '}')
			return CLS_CODE;
		return CLS_NEUTRAL;
	default:
		return CLS_NEUTRAL;
	}
}

bool
ab_code_plausible(enum ab_lang lang, const char *s, size_t n,
    size_t *first, size_t *last)
{
	size_t i = 0, next, eol, code = 0, prose = 0, foreign = 0, neutral = 0;
	size_t lo = n, hi = 0, pending_prose = 0;
	bool strong = false, st;
	enum cls c;

	if (lang == AB_LANG_UNKNOWN)
		return false;
	/* Prose before the first code line and after the last one is
	 * dropped (an answer's "Here is the code:"); prose in between
	 * counts against. */
	while (i < n) {
		next = line_end(s, n, i, &eol);
		st = false;
		c = classify(lang, s + i, eol - i, &st);
		if (c == CLS_PROSE) {
			if (lo != n)
				pending_prose++;
		} else if (c != CLS_BLANK) {
			if (lo == n)
				lo = i;
			hi = eol;
			prose += pending_prose;
			pending_prose = 0;
			if (st)
				strong = true;
			if (c == CLS_CODE)
				code++;
			else if (c == CLS_FOREIGN)
				foreign++;
			else
				neutral++;
		}
		i = next;
	}
	if (!strong || code == 0)
		return false;
	if (prose * 10 > code + neutral || foreign * 10 > code ||
	    code * 2 < code + neutral)
		return false;
	if (first != NULL)
		*first = lo;
	if (last != NULL)
		*last = hi;
	return true;
}

/* ---- choosing the code -------------------------------------------------- */

/* A candidate block: its content lives in one of two scans. */
struct cand {
	const struct ab_fence *b;
	const char *s;		/* content */
	size_t n;
	int tier;		/* 1 target, 2 plausible untagged, 3 compatible,
				   4 other untagged; 0 not a candidate */
};

static const char *const generic_tags[] = { "", "code", "text", "txt",
	"plaintext", "plain", "none", "source", "program", "solution", NULL };

static const char *const tier_method[] = { NULL, "fence+lang", "fence",
	"fence+compat", "fence" };

static bool
blank(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isspace((unsigned char)s[i]))
			return false;
	return true;
}

static bool
binary(const char *s, size_t n)
{
	size_t i, bad = 0;
	unsigned char c;

	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c == 0)
			return true;
		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' &&
		    c != '\f' && c != '\v' && c != 0x1b) || c == 0x7f)
			bad++;
		else if (c == 0xef && i + 2 < n && (unsigned char)s[i + 1] ==
		    0xbf && (unsigned char)s[i + 2] == 0xbd)
			bad++;	/* U+FFFD, the trace of a lossy decoding */
	}
	return bad > 0 && bad * 20 > n;
}

static int
tier_of(const struct ab_fence *b, enum ab_lang target, const char *name,
    const char *s, size_t n)
{
	if (blank(s, n))
		return 0;
	if (target != AB_LANG_UNKNOWN ? b->lang == target :
	    name[0] == '\0' || strcmp(b->tag, name) == 0)
		return 1;
	if (in_list(generic_tags, b->tag, strlen(b->tag)))
		return target == AB_LANG_UNKNOWN ||
		    ab_code_plausible(target, s, n, NULL, NULL) ? 2 : 4;
	if ((target == AB_LANG_C && b->lang == AB_LANG_CPP) ||
	    (target == AB_LANG_CPP && b->lang == AB_LANG_C))
		return 3;
	return 0;
}

/* Pick among the candidates c[0..n) that have use[i] set; append the
 * code to out.  Returns the number taken. */
static size_t
pick(const struct cand *c, size_t n, const bool *use, enum ab_pick how,
    struct ab_buf *out)
{
	size_t i, best = n, taken = 0;

	for (i = 0; i < n; i++) {
		if (!use[i])
			continue;
		if (how == AB_PICK_ALL) {
			if (taken++ > 0)
				ab_buf_addc(out, '\n');
			ab_buf_add(out, c[i].s, c[i].n);
			continue;
		}
		if (best == n || how == AB_PICK_LAST ||
		    (how == AB_PICK_LONGEST && c[i].n > c[best].n))
			best = i;
	}
	if (how != AB_PICK_ALL && best < n) {
		ab_buf_add(out, c[best].s, c[best].n);
		taken = 1;
	}
	return taken;
}

void
ab_extract_release(struct ab_extract *x)
{
	free(x->code);
	x->code = NULL;
}

/* The raw answer: the text outside reasoning, when it looks like code. */
static int
take_raw(const struct ab_fences *f, enum ab_lang *target,
    struct ab_extract *x, struct ab_buf *code, struct ab_error *err)
{
	static const enum ab_lang all[] = { AB_LANG_PYTHON, AB_LANG_C,
		AB_LANG_JAVASCRIPT, AB_LANG_BASH, AB_LANG_UNKNOWN };
	static const char *const cpp_marks[] = { "std::", "using namespace",
		"template", "cout", "#include <iostream>", "#include <vector>",
		"#include <bits/", "#include <string>", "class ", NULL };
	size_t lo, hi, k;

	if (blank(f->prose.s, f->prose.len)) {
		if (f->reasoning > 0)
			return ab_error_set(err, "reasoning_only",
			    f->unclosed_reasoning ? "the answer is an unclosed "
			    "reasoning section" : "the answer holds only "
			    "reasoning");
		return ab_error_set(err, "empty", "the answer is empty");
	}
	if (*target == AB_LANG_UNKNOWN && x->language[0] == '\0') {
		for (k = 0; all[k] != AB_LANG_UNKNOWN; k++)
			if (ab_code_plausible(all[k], f->prose.s, f->prose.len,
			    &lo, &hi))
				break;
		*target = all[k];
		for (k = 0; *target == AB_LANG_C && cpp_marks[k] != NULL; k++)
			if (ab_memfind(f->prose.s, f->prose.len, cpp_marks[k],
			    strlen(cpp_marks[k])) != NULL)
				*target = AB_LANG_CPP;
		if (*target != AB_LANG_UNKNOWN)
			snprintf(x->language, sizeof(x->language), "%s",
			    ab_lang_name(*target));
	}
	if (!ab_code_plausible(*target, f->prose.s, f->prose.len, &lo, &hi))
		return ab_error_set(err, "no_code", "no fenced code block, "
		    "and the answer does not look like %s code",
		    x->language[0] ? x->language : "any known");
	ab_buf_add(code, f->prose.s + lo, hi - lo);
	ab_buf_addc(code, '\n');
	x->method = "raw";
	return 0;
}

int
ab_extract(const char *text, size_t n, const struct ab_extract_opts *o,
    struct ab_extract *x, struct ab_error *err)
{
	struct ab_fences f, inner;
	struct ab_buf code = AB_BUF_INIT;
	struct cand *c = NULL;
	bool *use = NULL;
	size_t *md = NULL;
	enum ab_lang target = AB_LANG_UNKNOWN;
	const char *name, *ep = o->entry_point;
	size_t i, k, nc = 0;
	int rc = -1, tier, best;

	memset(x, 0, sizeof(*x));
	ab_fences_init(&f);
	ab_fences_init(&inner);
	if (o->language != NULL && o->language[0] != '\0') {
		target = ab_lang_from(o->language, strlen(o->language));
		name = target != AB_LANG_UNKNOWN ? ab_lang_name(target) :
		    o->language;
		for (i = 0; name[i] != '\0' && i + 1 < sizeof(x->language);
		    i++)
			x->language[i] = (char)tolower((unsigned char)name[i]);
		/* never cut a UTF-8 sequence */
		if (name[i] != '\0')
			while (i > 0 && ((unsigned char)name[i] & 0xc0) == 0x80)
				i--;
		x->language[i] = '\0';
	}
	if (ep != NULL && ep[0] == '\0')
		ep = NULL;
	if (blank(text, n)) {
		ab_error_set(err, "empty", "the answer is empty");
		goto out;
	}
	if (binary(text, n)) {
		ab_error_set(err, "binary", "the answer is not text");
		goto out;
	}
	ab_fence_scan(&f, text, n);
	x->blocks = f.n;

	/* Candidates, with the blocks of a markdown block in its place
	 * (one level deep: the scan stays linear). */
	md = ab_xcalloc(f.n + 1, sizeof(*md));
	for (i = 0; i < f.n; i++) {
		md[i] = inner.n;
		if (strcmp(f.v[i].tag, "markdown") == 0 ||
		    strcmp(f.v[i].tag, "md") == 0)
			ab_fence_scan(&inner, f.text.s + f.v[i].off,
			    f.v[i].len);
	}
	md[f.n] = inner.n;
	c = ab_xcalloc(f.n + inner.n + 1, sizeof(*c));
	use = ab_xcalloc(f.n + inner.n + 1, sizeof(*use));
	for (i = 0; i < f.n; i++) {
		if (md[i + 1] > md[i]) {
			for (k = md[i]; k < md[i + 1]; k++) {
				c[nc].b = &inner.v[k];
				c[nc].s = inner.text.s + inner.v[k].off;
				c[nc++].n = inner.v[k].len;
			}
			continue;
		}
		c[nc].b = &f.v[i];
		c[nc].s = f.text.s + f.v[i].off;
		c[nc++].n = f.v[i].len;
	}
	best = 0;
	for (i = 0; i < nc; i++) {
		c[i].tier = tier_of(c[i].b, target, x->language, c[i].s,
		    c[i].n);
		if (c[i].tier > 0 && (best == 0 || c[i].tier < best))
			best = c[i].tier;
	}
	if (best == 0) {
		if (f.n == 0) {
			if (take_raw(&f, &target, x, &code, err) < 0)
				goto out;
		} else {
			for (i = 0; i < nc; i++)
				if (!blank(c[i].s, c[i].n))
					break;
			if (i == nc)
				ab_error_set(err, "empty_block",
				    "the code blocks are empty");
			else
				ab_error_set(err, "wrong_language", "%zu fenced "
				    "block%s, none in %s or untagged", f.n,
				    f.n == 1 ? "" : "s", x->language);
			goto out;
		}
	} else {
		for (i = 0; i < nc; i++)
			use[i] = c[i].tier == best;
		pick(c, nc, use, o->pick, &code);
		x->method = tier_method[best];
		if (target == AB_LANG_UNKNOWN && x->language[0] == '\0')
			for (i = 0; i < nc; i++)
				if (use[i] && c[i].b->lang != AB_LANG_UNKNOWN) {
					target = c[i].b->lang;
					snprintf(x->language,
					    sizeof(x->language), "%s",
					    ab_lang_name(target));
					break;
				}
		/* The chosen code lacks the entry point and another
		 * acceptable block defines it: take that one. */
		if (ep != NULL && !ab_defines(target, code.s, code.len, ep)) {
			for (tier = 1; tier <= 4; tier++) {
				for (i = 0, k = 0; i < nc; i++) {
					use[i] = c[i].tier == tier &&
					    ab_defines(target, c[i].s, c[i].n,
					    ep);
					k += use[i];
				}
				if (k > 0)
					break;
			}
			if (k > 0) {
				ab_buf_reset(&code);
				pick(c, nc, use, o->pick, &code);
				x->method = "entry_point";
			}
		}
	}
	/* -f trims when it can: an io-style task (no entry point) or a
	 * language without a trimmer keeps its whole program. */
	if (o->only_function && ep != NULL && (target == AB_LANG_PYTHON ||
	    target == AB_LANG_JAVASCRIPT || target == AB_LANG_C ||
	    target == AB_LANG_CPP)) {
		struct ab_buf fn = AB_BUF_INIT;

		if (ab_only_function(target, code.s, code.len, ep, &fn,
		    err) < 0) {
			ab_buf_release(&fn);
			goto out;
		}
		ab_buf_release(&code);
		code = fn;
	}
	x->code = ab_buf_detach(&code);
	rc = 0;
out:
	if (rc < 0)
		x->method = NULL;
	ab_buf_release(&code);
	free(c);
	free(use);
	free(md);
	ab_fences_release(&f);
	ab_fences_release(&inner);
	return rc;
}
