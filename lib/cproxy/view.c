/*
 * view.c - the declarations view of a C or C++ solution (cproxy.h).
 *
 * The tokens are cut into top-level items (up to a ";" or a function's
 * body); each item is kept only in one of the shapes of cproxy.h, after
 * check_toks() accepted every token of what will be emitted.  Function
 * definitions become entries of v->fns (their bodies are never looked
 * at); types are analysed for what the proxies can carry.
 */
#include <stdarg.h>
#include <string.h>

#include "ab.h"
#include "cproxy/cp_int.h"

/* Bounds: the view is made in the supervisor, so no input may make it
 * slow (the tables are searched linearly) or deep. */
#define CP_MAX_NAMES 1024	/* functions, records, type names each */
#define CP_MAX_DEPTH 8		/* nested extern "C" { } blocks */

/* ---- keywords ----------------------------------------------------------- */

enum {
	K_TYPE = 1 << 0,	/* type specifier */
	K_CV = 1 << 1,		/* qualifier */
	K_TAG = 1 << 2,		/* struct union enum */
	K_SIZEOF = 1 << 3,	/* may precede "(" in an expression */
	K_LIT = 1 << 4,		/* true false nullptr */
	K_SPEC = 1 << 5,	/* storage or function specifier: removed
				   from a function's header */
	K_BAD = 1 << 6,		/* never kept */
};

struct kw {
	const char *w;
	unsigned f;
};

static const struct kw kws[] = {
	{ "void", K_TYPE }, { "char", K_TYPE }, { "short", K_TYPE },
	{ "int", K_TYPE }, { "long", K_TYPE }, { "float", K_TYPE },
	{ "double", K_TYPE }, { "signed", K_TYPE }, { "unsigned", K_TYPE },
	{ "__signed__", K_TYPE }, { "__signed", K_TYPE }, { "_Bool", K_TYPE },
	{ "bool", K_TYPE }, { "_Complex", K_TYPE }, { "__complex__", K_TYPE },
	{ "__int128", K_TYPE }, { "wchar_t", K_TYPE }, { "char8_t", K_TYPE },
	{ "char16_t", K_TYPE }, { "char32_t", K_TYPE }, { "_Float16", K_TYPE },
	{ "_Float32", K_TYPE }, { "_Float64", K_TYPE }, { "_Float128", K_TYPE },
	{ "_Float32x", K_TYPE }, { "_Float64x", K_TYPE },
	{ "__float128", K_TYPE }, { "__float80", K_TYPE },
	{ "const", K_CV }, { "volatile", K_CV }, { "restrict", K_CV },
	{ "__restrict", K_CV }, { "__restrict__", K_CV }, { "__const", K_CV },
	{ "__volatile__", K_CV }, { "__volatile", K_CV },
	{ "struct", K_TAG }, { "union", K_TAG }, { "enum", K_TAG },
	{ "sizeof", K_SIZEOF }, { "alignof", K_SIZEOF },
	{ "_Alignof", K_SIZEOF }, { "__alignof__", K_SIZEOF },
	{ "__alignof", K_SIZEOF },
	{ "true", K_LIT }, { "false", K_LIT }, { "nullptr", K_LIT },
	{ "static", K_SPEC | K_BAD }, { "inline", K_SPEC | K_BAD },
	{ "__inline", K_SPEC | K_BAD }, { "__inline__", K_SPEC | K_BAD },
	{ "extern", K_SPEC | K_BAD }, { "_Noreturn", K_SPEC | K_BAD },
	{ "constexpr", K_SPEC | K_BAD }, { "consteval", K_SPEC | K_BAD },
	{ "register", K_SPEC | K_BAD },
	{ "asm", K_BAD }, { "__asm", K_BAD }, { "__asm__", K_BAD },
	{ "__attribute__", K_BAD }, { "__attribute", K_BAD },
	{ "__declspec", K_BAD }, { "_Pragma", K_BAD }, { "alignas", K_BAD },
	{ "_Alignas", K_BAD }, { "typeof", K_BAD }, { "__typeof__", K_BAD },
	{ "__typeof", K_BAD }, { "typeof_unqual", K_BAD },
	{ "decltype", K_BAD }, { "__decltype", K_BAD }, { "operator", K_BAD },
	{ "new", K_BAD }, { "delete", K_BAD }, { "throw", K_BAD },
	{ "typeid", K_BAD }, { "co_await", K_BAD }, { "co_yield", K_BAD },
	{ "co_return", K_BAD }, { "requires", K_BAD }, { "concept", K_BAD },
	{ "template", K_BAD }, { "typename", K_BAD },
	{ "static_assert", K_BAD }, { "_Static_assert", K_BAD },
	{ "thread_local", K_BAD }, { "_Thread_local", K_BAD },
	{ "__thread", K_BAD }, { "auto", K_BAD }, { "__auto_type", K_BAD },
	{ "constinit", K_BAD }, { "virtual", K_BAD }, { "friend", K_BAD },
	{ "explicit", K_BAD }, { "mutable", K_BAD }, { "this", K_BAD },
	{ "default", K_BAD }, { "case", K_BAD }, { "goto", K_BAD },
	{ "return", K_BAD }, { "if", K_BAD }, { "else", K_BAD },
	{ "while", K_BAD }, { "for", K_BAD }, { "do", K_BAD },
	{ "switch", K_BAD }, { "break", K_BAD }, { "continue", K_BAD },
	{ "try", K_BAD }, { "catch", K_BAD }, { "public", K_BAD },
	{ "private", K_BAD }, { "protected", K_BAD }, { "namespace", K_BAD },
	{ "using", K_BAD }, { "typedef", K_BAD }, { "class", K_BAD },
	{ "noexcept", K_BAD }, { "__extension__", K_BAD },
	{ "_Generic", K_BAD }, { "_Atomic", K_BAD }, { "noreturn", K_BAD },
	{ "__label__", K_BAD }, { "export", K_BAD }, { "import", K_BAD },
	{ "module", K_BAD }, { "dynamic_cast", K_BAD },
	{ "static_cast", K_BAD }, { "reinterpret_cast", K_BAD },
	{ "const_cast", K_BAD }, { "__builtin_va_list", K_BAD },
	{ "_Imaginary", K_BAD }, { "__imag__", K_BAD }, { "__real__", K_BAD },
	{ "__builtin_offsetof", K_BAD }, { "__func__", K_BAD },
	{ "__FUNCTION__", K_BAD }, { "__PRETTY_FUNCTION__", K_BAD },
	{ NULL, 0 },
};

static unsigned
kwf(const struct cp_tok *t)
{
	size_t i;

	if (t->k != CP_IDENT)
		return 0;
	for (i = 0; kws[i].w != NULL; i++)
		if (strlen(kws[i].w) == t->n &&
		    memcmp(kws[i].w, t->s, t->n) == 0)
			return kws[i].f;
	return 0;
}

static bool
is_plain_ident(const struct cp_tok *t)
{
	return t->k == CP_IDENT && kwf(t) == 0 &&
	    !(t->flags & (CP_F_UNSAFE | CP_F_MACRO));
}

/* Parentheses and square brackets: updates *par and *sq, the depths,
 * and says whether t was one of them. */
static bool
nest(const struct cp_tok *t, int *par, int *sq)
{
	if (cp_is(t, "("))
		++*par;
	else if (cp_is(t, ")"))
		--*par;
	else if (cp_is(t, "["))
		++*sq;
	else if (cp_is(t, "]"))
		--*sq;
	else
		return false;
	return true;
}

/* Template angle brackets at token i of a range starting at a: updates
 * *ang, the depth, and says whether the token was one of them ("<"
 * after a plain name opens one; ">" and ">>" close one and two). */
static bool
angle(const struct cp_view *v, size_t a, size_t i, int *ang)
{
	const struct cp_tok *x = v->t[i];

	if (cp_is(x, "<") && i > a && is_plain_ident(v->t[i - 1]))
		(*ang)++;
	else if (*ang > 0 && cp_is(x, ">"))
		(*ang)--;
	else if (*ang > 0 && cp_is(x, ">>"))
		*ang = *ang >= 2 ? *ang - 2 : 0;
	else
		return false;
	return true;
}

static bool
reserved(const struct cp_tok *t)
{
	return t->n >= 2 && t->s[0] == '_' && (t->s[1] == '_' ||
	    (t->s[1] >= 'A' && t->s[1] <= 'Z'));
}

bool
cp_kw_bad(const struct cp_tok *t)
{
	return (kwf(t) & K_BAD) != 0;
}

bool
cp_kw_any(const struct cp_tok *t)
{
	return kwf(t) != 0;
}

bool
cp_reserved(const struct cp_tok *t)
{
	return reserved(t);
}

/* The reason for a use of a macro the view does not expand (in
 * v->why). */
static const char *
macro_why(struct cp_view *v, const struct cp_tok *t)
{
	const struct cp_macro *m = t->mac >= 0 && (size_t)t->mac <
	    v->tk.nmac ? &v->tk.mac[t->mac] : NULL;

	snprintf(v->why, sizeof v->why, "the macro %.*s, which is not "
	    "expanded: %s", (int)(t->n > 60 ? 60 : t->n), t->s,
	    m != NULL && m->why != NULL ? m->why : "it is not a type");
	return v->why;
}

/* Why [a, b) cannot be kept because it uses a macro the view does not
 * expand (wherever it stands: even a part the view drops, such as an
 * array parameter's bound, may change the shape of the declaration),
 * or NULL. */
static const char *
macro_in(struct cp_view *v, size_t a, size_t b)
{
	for (; a < b; a++)
		if (v->t[a]->flags & CP_F_MACRO)
			return macro_why(v, v->t[a]);
	return NULL;
}

/* ---- small helpers ------------------------------------------------------ */

static void
seq_add(struct cp_seq *q, const struct cp_tok *t)
{
	if (q->n == q->cap) {
		q->cap = q->cap ? 2 * q->cap : 16;
		q->v = ab_xrealloc(q->v, q->cap * sizeof *q->v);
	}
	q->v[q->n++] = t;
}

static void
seq_range(struct cp_seq *q, const struct cp_view *v, size_t a, size_t b)
{
	for (; a < b; a++)
		seq_add(q, v->t[a]);
}

static void
seq_free(struct cp_seq *q)
{
	free(q->v);
	memset(q, 0, sizeof *q);
}

void
cp_emit_tok(struct ab_buf *b, const struct cp_tok *t)
{
	if (t->k == CP_PUNCT)
		ab_buf_adds(b, t->p);
	else
		ab_buf_add(b, t->s, t->n);
}

void
cp_emit_seq(struct ab_buf *b, const struct cp_seq *q)
{
	size_t i;

	for (i = 0; i < q->n; i++) {
		if (i > 0)
			ab_buf_addc(b, ' ');
		cp_emit_tok(b, q->v[i]);
	}
}

void
cp_note(struct cp_view *v, uint32_t line, const char *fmt, ...)
{
	char msg[300];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	v->nnotes++;
	if (v->notes.len > 1500)
		return;
	if (v->notes.len > 0)
		ab_buf_adds(&v->notes, "; ");
	if (line > 0)
		ab_buf_addf(&v->notes, "line %u: %s", (unsigned)line, msg);
	else
		ab_buf_adds(&v->notes, msg);
}

/* Index of the token closing the group opened at i, or end. */
static size_t
match(const struct cp_view *v, size_t i, size_t end, const char *open,
    const char *close)
{
	int d = 0;

	for (; i < end; i++) {
		if (cp_is(v->t[i], open))
			d++;
		else if (cp_is(v->t[i], close) && --d == 0)
			return i;
	}
	return end;
}

static void
add_piece(struct cp_view *v, uint32_t line, int fn, char *text)
{
	if (v->npc == v->cappc) {
		v->cappc = v->cappc ? 2 * v->cappc : 32;
		v->pc = ab_xrealloc(v->pc, v->cappc * sizeof *v->pc);
	}
	v->pc[v->npc].line = line;
	v->pc[v->npc].fn = fn;
	v->pc[v->npc].rec = -1;
	v->pc[v->npc].text = text;
	v->npc++;
}

static char *
name_of(const struct cp_tok *t)
{
	return ab_xstrndup(t->s, t->n);
}

/* ---- the token check ------------------------------------------------------
 *
 * Whatever is kept passes here, on exactly the tokens that will be
 * emitted.  In a type (expr false), "(" is a declarator's parenthesis;
 * inside "[...]", a C++ template's "<...>", or an expression (expr true:
 * an enumerator's value, a bit-field's width), a "(" after a name, ")",
 * "]" or ">" would be a call and is refused.  Returns NULL or why not.
 */
static const char *
check_toks(struct cp_view *v, const struct cp_tok *const *t, size_t n,
    bool expr)
{
	static const char *const ok_punct[] = { "*", "&", "&&", "::", ",",
	    "(", ")", "[", "]", "+", "-", "/", "%", "<<", ">>", "<=", ">=",
	    "==", "!=", "!", "~", "^", "|", "||", "?", ":", ".", "<", ">",
	    NULL };
	int sq = 0, ang = 0, par = 0;
	size_t i, k;

	for (i = 0; i < n; i++) {
		const struct cp_tok *x = t[i], *pv = i > 0 ? t[i - 1] : NULL;
		bool ex = expr || sq > 0 || ang > 0;
		unsigned f;

		switch (x->k) {
		case CP_IDENT:
			f = kwf(x);
			if (x->flags & CP_F_MACRO)
				return macro_why(v, x);
			if (x->flags & CP_F_UNSAFE)
				return "a non-ASCII identifier";
			if (f & K_BAD)
				return "a keyword that is not carried";
			if (f == 0 && reserved(x))
				return "a reserved identifier";
			break;
		case CP_NUM:
			for (k = 0; k < x->n; k++) {
				char c = x->s[k];

				if (!((c >= '0' && c <= '9') ||
				    (c >= 'a' && c <= 'z') ||
				    (c >= 'A' && c <= 'Z') || c == '.' ||
				    c == '+' || c == '-'))
					return "a number with a suffix or a "
					    "digit separator";
			}
			break;
		case CP_CHAR:
			if (!ex)
				return "a character literal";
			break;
		case CP_STR:
			return "a string literal";
		case CP_PUNCT:
			for (k = 0; ok_punct[k] != NULL; k++)
				if (strcmp(ok_punct[k], x->p) == 0)
					break;
			if (ok_punct[k] == NULL)
				return "an operator that is not carried";
			if (cp_is(x, "[")) {
				sq++;
			} else if (cp_is(x, "]")) {
				if (--sq < 0)
					return "unbalanced brackets";
			} else if (cp_is(x, "(")) {
				if (ex && pv != NULL && ((pv->k == CP_IDENT &&
				    !(kwf(pv) & (K_TYPE | K_CV | K_SIZEOF |
				    K_TAG))) || cp_is(pv, ")") ||
				    cp_is(pv, "]") || cp_is(pv, ">") ||
				    pv->k == CP_NUM || pv->k == CP_CHAR))
					return "a call";
				par++;
			} else if (cp_is(x, ")")) {
				if (--par < 0)
					return "unbalanced parentheses";
			} else if (v->cxx && sq == 0 && !expr) {
				if (cp_is(x, "<") && pv != NULL &&
				    is_plain_ident(pv))
					ang++;
				else if (cp_is(x, ">") && ang > 0)
					ang--;
				else if (cp_is(x, ">>") && ang > 0)
					ang = ang >= 2 ? ang - 2 : 0;
			}
			break;
		default:
			return "a stray character";
		}
	}
	if (sq != 0 || par != 0 || ang != 0)
		return "unbalanced brackets";
	return NULL;
}

static const char *
check_seq(struct cp_view *v, const struct cp_seq *q, bool expr)
{
	return check_toks(v, q->v, q->n, expr);
}

/* ---- type names ------------------------------------------------------- */

static const char *const arith_names[] = {
	"int8_t", "int16_t", "int32_t", "int64_t", "uint8_t", "uint16_t",
	"uint32_t", "uint64_t", "int_least8_t", "int_least16_t",
	"int_least32_t", "int_least64_t", "uint_least8_t", "uint_least16_t",
	"uint_least32_t", "uint_least64_t", "int_fast8_t", "int_fast16_t",
	"int_fast32_t", "int_fast64_t", "uint_fast8_t", "uint_fast16_t",
	"uint_fast32_t", "uint_fast64_t", "intmax_t", "uintmax_t", "size_t",
	"ssize_t", "ptrdiff_t", "wchar_t", "char16_t", "char32_t", "wint_t",
	"__int128_t", "__uint128_t", "max_align_t", NULL,
};

static int
find_rec(const struct cp_view *v, const char *key)
{
	size_t i;

	for (i = 0; i < v->nrecs; i++)
		if (strcmp(v->recs[i].key, key) == 0)
			return (int)i;
	return -1;
}

static const struct cp_tname *
find_tname(const struct cp_view *v, const struct cp_tok *t)
{
	size_t i;

	for (i = 0; i < v->ntn; i++)
		if (strlen(v->tn[i].name) == t->n &&
		    memcmp(v->tn[i].name, t->s, t->n) == 0)
			return &v->tn[i];
	return NULL;
}

static void
add_tname(struct cp_view *v, const struct cp_tok *t, enum cp_tkind k,
    int rec)
{
	if (find_tname(v, t) != NULL || v->ntn >= CP_MAX_NAMES)
		return;
	if (v->ntn == v->captn) {
		v->captn = v->captn ? 2 * v->captn : 16;
		v->tn = ab_xrealloc(v->tn, v->captn * sizeof *v->tn);
	}
	v->tn[v->ntn].name = name_of(t);
	v->tn[v->ntn].k = k;
	v->tn[v->ntn].rec = rec;
	v->ntn++;
}

/* What the type specifier tokens q[a..b) are (qualifiers ignored). */
static enum cp_tkind
classify(const struct cp_view *v, const struct cp_tok *const *q, size_t n,
    int *rec)
{
	size_t i, nk = 0, other = 0;
	bool isbool = false;
	const struct cp_tok *name = NULL;

	*rec = -1;
	for (i = 0; i < n; i++) {
		unsigned f = kwf(q[i]);

		if (f & K_CV)
			continue;
		if (f & K_TAG) {
			char key[160];

			if (i + 1 >= n || !is_plain_ident(q[i + 1]) ||
			    i + 2 != n)
				return CP_T_OTHER;
			if (cp_id(q[i], "enum"))
				return CP_T_ARITH;
			if (v->cxx)
				snprintf(key, sizeof key, "%.*s",
				    (int)q[i + 1]->n, q[i + 1]->s);
			else
				snprintf(key, sizeof key, "%.*s %.*s",
				    (int)q[i]->n, q[i]->s, (int)q[i + 1]->n,
				    q[i + 1]->s);
			*rec = find_rec(v, key);
			return *rec >= 0 ? CP_T_REC : CP_T_OTHER;
		}
		if (f & K_TYPE) {
			if (cp_id(q[i], "void"))
				return CP_T_OTHER;
			if (cp_id(q[i], "_Bool") || cp_id(q[i], "bool"))
				isbool = true;
			nk++;
		} else if (q[i]->k == CP_IDENT && f == 0) {
			name = q[i];
			other++;
		} else {
			return CP_T_OTHER;
		}
	}
	if (other == 0 && nk > 0)
		return isbool ? (nk == 1 ? CP_T_BOOL : CP_T_OTHER) : CP_T_ARITH;
	if (other == 1 && nk == 0) {
		const struct cp_tname *tn = find_tname(v, name);

		if (tn != NULL) {
			*rec = tn->rec;
			return tn->k;
		}
		for (i = 0; arith_names[i] != NULL; i++)
			if (strlen(arith_names[i]) == name->n &&
			    memcmp(arith_names[i], name->s, name->n) == 0)
				return CP_T_ARITH;
	}
	return CP_T_OTHER;
}

/* ---- records ----------------------------------------------------------- */

static int
new_rec(struct cp_view *v, const char *key, bool is_union)
{
	struct cp_rec *r;

	if (v->nrecs == v->caprecs) {
		v->caprecs = v->caprecs ? 2 * v->caprecs : 8;
		v->recs = ab_xrealloc(v->recs, v->caprecs * sizeof *v->recs);
	}
	r = &v->recs[v->nrecs];
	memset(r, 0, sizeof *r);
	r->key = ab_xstrdup(key);
	r->is_union = is_union;
	return (int)v->nrecs++;
}

static void
rec_member(struct cp_rec *r, const struct cp_tok *name, enum cp_tkind k,
    int rec, bool bitfield, bool array)
{
	struct cp_member *m;

	r->m = ab_xrealloc(r->m, (r->nm + 1) * sizeof *r->m);
	m = &r->m[r->nm++];
	m->name = name ? name_of(name) : NULL;
	m->k = k;
	m->rec = rec;
	m->bitfield = bitfield;
	m->array = array;
}

static int split_commas(const struct cp_view *v, size_t a, size_t b,
    size_t *cuts, int max);

/* One declarator of a member, tokens [a, b): its name, and what it is. */
static void
member_decl(const struct cp_view *v, size_t a, size_t b, size_t *name,
    bool *ptr, bool *array, bool *bitfield, bool *fnptr)
{
	size_t i;
	int par = 0, sq = 0;

	*name = (size_t)-1;
	*ptr = *array = *bitfield = *fnptr = false;
	for (i = a; i < b; i++) {
		const struct cp_tok *x = v->t[i];

		if (cp_is(x, "(")) {
			par++;
			*fnptr = true;
		} else if (cp_is(x, ")")) {
			par--;
		} else if (cp_is(x, "[")) {
			sq++;
			*array = true;
		} else if (cp_is(x, "]")) {
			sq--;
		} else if (sq == 0 && cp_is(x, ":")) {
			*bitfield = true;
			break;
		} else if (sq == 0 && cp_is(x, "*")) {
			*ptr = true;
		} else if (sq == 0 && is_plain_ident(x)) {
			*name = i;
		}
	}
}

static void
member_kind(struct cp_view *v, struct cp_rec *r, const struct cp_tok *name,
    size_t sa, size_t sb, bool ptr, bool array, bool bitfield, bool fnptr)
{
	int rec = -1;
	enum cp_tkind tk = classify(v, v->t + sa, sb - sa, &rec);
	const struct cp_rec *m = tk == CP_T_REC && rec >= 0 ? &v->recs[rec] :
	    NULL;

	if (ptr || fnptr || tk == CP_T_OTHER || (tk == CP_T_REC &&
	    (m == NULL || !m->plain)))
		r->plain = false;
	if (ptr || fnptr || bitfield || name == NULL ||
	    (m != NULL && !m->cxx_ok))
		r->cxx_ok = false;
	if ((tk == CP_T_BOOL && !bitfield) || (m != NULL && m->has_bool))
		r->has_bool = true;
	rec_member(r, name, tk, rec, bitfield, array);
}

/*
 * Check the body of a struct or union, tokens [a, b) between the
 * braces, appending what is kept to *out, and analyse its members into
 * *r.  Returns NULL or why the body cannot be kept.
 */
static const char *
rec_body(struct cp_view *v, size_t a, size_t b, struct cp_seq *out,
    struct cp_rec *r)
{
	size_t i = a, k, cuts[64];
	const char *why;

	r->plain = true;
	r->cxx_ok = true;
	while (i < b) {
		size_t e = i, spec_end, name, da, db;
		int par = 0, sq = 0, nc;
		struct cp_seq m = { 0 };
		bool ptr, array, bitfield, fnptr;

		while (e < b && !(par == 0 && sq == 0 && cp_is(v->t[e], ";"))) {
			if (nest(v->t[e], &par, &sq))
				;
			else if (cp_is(v->t[e], "{") || cp_is(v->t[e], "}") ||
			    cp_is(v->t[e], "="))
				return "a member with code, an initializer or "
				    "a nested definition";
			e++;
		}
		if (e >= b)
			return "a member without \";\"";
		if (e == i) {
			i = e + 1;
			continue;
		}
		seq_range(&m, v, i, e);
		why = check_seq(v, &m, false);
		seq_free(&m);
		if (why != NULL)
			return why;
		for (k = i; k < e; k++) {
			if (v->cxx && cp_is(v->t[k], "("))
				return "a member function";
			if (v->cxx && (cp_is(v->t[k], "&") ||
			    cp_is(v->t[k], "&&")))
				return "a reference member";
		}
		nc = split_commas(v, i, e, cuts, 63);
		if (nc < 0)
			return "too many declarators";
		/* The first declarator's name ends the specifier (with the
		 * stars and qualifiers before it). */
		db = nc > 0 ? cuts[0] : e;
		member_decl(v, i, db, &name, &ptr, &array, &bitfield, &fnptr);
		if (name == (size_t)-1 && !bitfield) {
			/* "int;" or the like: kept, not carried */
			r->plain = false;
			r->cxx_ok = false;
			seq_range(out, v, i, e + 1);
			i = e + 1;
			continue;
		}
		if (name != (size_t)-1) {
			spec_end = name;
		} else {
			for (spec_end = i; !cp_is(v->t[spec_end], ":");
			    spec_end++)
				;
		}
		while (spec_end > i && (cp_is(v->t[spec_end - 1], "*") ||
		    cp_is(v->t[spec_end - 1], "(") ||
		    (kwf(v->t[spec_end - 1]) & K_CV && spec_end - 1 > i &&
		    cp_is(v->t[spec_end - 2], "*"))))
			spec_end--;
		if (spec_end == i)
			return "a member without a type";
		for (k = 0; k <= (size_t)nc; k++) {
			da = k == 0 ? spec_end : cuts[k - 1] + 1;
			db = k == (size_t)nc ? e : cuts[k];
			member_decl(v, da, db, &name, &ptr, &array, &bitfield,
			    &fnptr);
			member_kind(v, r, name == (size_t)-1 ? NULL :
			    v->t[name], i, spec_end, ptr, array, bitfield,
			    fnptr);
		}
		seq_range(out, v, i, e + 1);
		i = e + 1;
	}
	if (r->is_union && r->has_bool)
		r->plain = false;
	if (r->is_union)
		r->cxx_ok = false;
	return NULL;
}

/* ---- items --------------------------------------------------------------- */

/*
 * A struct, union or enum definition: kw at the keyword, body the "{",
 * close its "}".  Appends the kept definition to *out (with its
 * keyword, name and body) and returns its record index (-1 for an enum
 * or an unregistered anonymous record), or sets *why.  anon_name names
 * an anonymous record (a typedef's), or NULL.
 */
static int
tag_def(struct cp_view *v, size_t kw, size_t body, size_t close,
    struct cp_seq *out, const struct cp_tok *anon_name, const char **why)
{
	const struct cp_tok *k = v->t[kw];
	struct cp_seq head = { 0 };
	struct cp_rec r;
	char key[200];
	size_t i;
	int idx = -1;

	*why = NULL;
	if (close >= v->n || !cp_is(v->t[close], "}")) {
		*why = "an unterminated body";
		return -1;
	}
	if (cp_id(k, "enum")) {
		/* enum [class|struct] [NAME] [: TYPE] { A [= expr], ... } */
		i = kw + 1;
		seq_add(out, k);
		if (v->cxx && i < body && (cp_id(v->t[i], "class") ||
		    cp_id(v->t[i], "struct")))
			seq_add(out, v->t[i++]);
		if (i < body && is_plain_ident(v->t[i]))
			seq_add(out, v->t[i++]);
		if (i < body && cp_is(v->t[i], ":")) {
			seq_range(&head, v, i + 1, body);
			if (!v->cxx || head.n == 0 ||
			    (*why = check_seq(v, &head, false)) != NULL) {
				if (*why == NULL)
					*why = "a bad enum base";
				seq_free(&head);
				return -1;
			}
			seq_range(out, v, i, body);
			i = body;
		}
		seq_free(&head);
		if (i != body) {
			*why = "a bad enum head";
			return -1;
		}
		seq_add(out, v->t[body]);
		i = body + 1;
		while (i < close) {
			size_t e = i;
			int d = 0;

			while (e < close && !(d == 0 && cp_is(v->t[e], ","))) {
				if (cp_is(v->t[e], "(") || cp_is(v->t[e], "["))
					d++;
				else if (cp_is(v->t[e], ")") ||
				    cp_is(v->t[e], "]"))
					d--;
				e++;
			}
			if (!is_plain_ident(v->t[i]) || reserved(v->t[i])) {
				*why = "a bad enumerator";
				return -1;
			}
			seq_add(out, v->t[i]);
			if (i + 1 < e) {
				struct cp_seq ex = { 0 };

				if (!cp_is(v->t[i + 1], "=") || i + 2 >= e) {
					*why = "a bad enumerator";
					return -1;
				}
				seq_range(&ex, v, i + 2, e);
				*why = check_seq(v, &ex, true);
				seq_free(&ex);
				if (*why != NULL)
					return -1;
				seq_range(out, v, i + 1, e);
			}
			if (e < close)
				seq_add(out, v->t[e]);
			i = e + 1;
		}
		seq_add(out, v->t[close]);
		return -1;
	}
	if (!cp_id(k, "struct") && !cp_id(k, "union")) {
		*why = v->cxx ? "a class (only plain structs are carried)" :
		    "a bad type";
		return -1;
	}
	i = kw + 1;
	if (i < body && is_plain_ident(v->t[i]) && !reserved(v->t[i]))
		i++;
	if (i != body) {
		*why = v->cxx ? "a struct with a base or \"final\"" :
		    "a bad struct head";
		return -1;
	}
	memset(&r, 0, sizeof r);
	r.is_union = cp_id(k, "union");
	seq_range(out, v, kw, body + 1);
	if ((*why = rec_body(v, body + 1, close, out, &r)) != NULL) {
		for (i = 0; i < r.nm; i++)
			free(r.m[i].name);
		free(r.m);
		return -1;
	}
	seq_add(out, v->t[close]);
	if (body == kw + 2 && v->cxx)
		snprintf(key, sizeof key, "%.*s", (int)v->t[kw + 1]->n,
		    v->t[kw + 1]->s);
	else if (body == kw + 2)
		snprintf(key, sizeof key, "%.*s %.*s", (int)k->n, k->s,
		    (int)v->t[kw + 1]->n, v->t[kw + 1]->s);
	else if (anon_name != NULL)
		snprintf(key, sizeof key, "%.*s", (int)anon_name->n,
		    anon_name->s);
	else
		key[0] = '\0';
	if (key[0] != '\0' && v->nrecs < CP_MAX_NAMES &&
	    find_rec(v, key) < 0) {
		idx = new_rec(v, key, r.is_union);
		v->recs[idx].plain = r.plain;
		v->recs[idx].has_bool = r.has_bool;
		v->recs[idx].cxx_ok = r.cxx_ok;
		v->recs[idx].m = r.m;
		v->recs[idx].nm = r.nm;
		/* a C++ struct's name is a type name */
		if (v->cxx && body == kw + 2)
			add_tname(v, v->t[kw + 1], CP_T_REC, idx);
	} else {
		for (i = 0; i < r.nm; i++)
			free(r.m[i].name);
		free(r.m);
	}
	return idx;
}

/* First top-level "{" in [a, b) that opens a struct, union or enum body
 * (preceded by the keyword and maybe a name or an enum base), or b. */
static size_t
find_tag_body(const struct cp_view *v, size_t a, size_t b, size_t *kw)
{
	size_t i, j;
	int d = 0;

	for (i = a; i < b; i++) {
		if (cp_is(v->t[i], "(") || cp_is(v->t[i], "["))
			d++;
		else if (cp_is(v->t[i], ")") || cp_is(v->t[i], "]"))
			d--;
		else if (d == 0 && cp_is(v->t[i], "{")) {
			for (j = i; j > a; j--) {
				unsigned f = kwf(v->t[j - 1]);

				if ((f & K_TAG) || cp_id(v->t[j - 1], "class")) {
					*kw = j - 1;
					return i;
				}
				if (cp_is(v->t[j - 1], "=") ||
				    cp_is(v->t[j - 1], ")") ||
				    cp_is(v->t[j - 1], ";"))
					break;
			}
			return b;
		}
	}
	return b;
}

static void
keep_text(struct cp_view *v, uint32_t line, const struct cp_seq *q)
{
	struct ab_buf b = AB_BUF_INIT;

	cp_emit_seq(&b, q);
	ab_buf_adds(&b, " ;");
	add_piece(v, line, -1, ab_buf_detach(&b));
}

/* typedef ... ; tokens [s, e) with s at "typedef". */
static void
typedef_item(struct cp_view *v, size_t s, size_t e)
{
	struct cp_seq out = { 0 }, rest = { 0 };
	size_t kw = 0, body = find_tag_body(v, s + 1, e, &kw), close, i;
	const char *why = NULL;
	int rec = -1;
	uint32_t line = v->t[s]->line;

	seq_add(&out, v->t[s]);
	if (body < e) {
		const struct cp_tok *first = NULL;
		size_t spec_b;
		int d = 0;

		close = match(v, body, e, "{", "}");
		/* the specifier before the keyword: qualifiers only */
		seq_range(&rest, v, s + 1, kw);
		for (i = 0; i < rest.n; i++)
			if (!(kwf(rest.v[i]) & K_CV))
				why = "a bad typedef";
		seq_free(&rest);
		seq_range(&out, v, s + 1, kw);
		/* the first declarator's name names an anonymous record */
		for (i = close + 1; i < e && why == NULL; i++) {
			if (cp_is(v->t[i], "(") || cp_is(v->t[i], "["))
				d++;
			else if (cp_is(v->t[i], ")") || cp_is(v->t[i], "]"))
				d--;
			else if (d == 0 && cp_is(v->t[i], ","))
				break;
		}
		if (close + 2 == i && is_plain_ident(v->t[close + 1]))
			first = v->t[close + 1];
		if (why == NULL)
			rec = tag_def(v, kw, body, close, &out,
			    body == kw + 1 ? first : NULL, &why);
		spec_b = close + 1;
		seq_range(&rest, v, spec_b, e);
		if (why == NULL && (why = check_seq(v, &rest, false)) == NULL &&
		    rest.n == 0)
			why = "a typedef without a name";
		if (why == NULL) {
			seq_range(&out, v, spec_b, e);
			/* plain names for the record */
			d = 0;
			for (i = spec_b; i < e; i++) {
				bool alone = is_plain_ident(v->t[i]) &&
				    (i == spec_b || cp_is(v->t[i - 1], ",")) &&
				    (i + 1 == e || cp_is(v->t[i + 1], ","));

				if (alone && rec >= 0)
					add_tname(v, v->t[i], CP_T_REC, rec);
				else if (alone && cp_id(v->t[kw], "enum"))
					add_tname(v, v->t[i], CP_T_ARITH, -1);
			}
			keep_text(v, line, &out);
		}
	} else {
		/* typedef TYPE declarators; */
		size_t last = e;
		enum cp_tkind tk;

		seq_range(&rest, v, s + 1, e);
		if ((why = check_seq(v, &rest, false)) == NULL && rest.n < 2)
			why = "a bad typedef";
		if (why == NULL) {
			/* "typedef SPEC NAME;" names SPEC */
			if (e - s >= 3 && is_plain_ident(v->t[e - 1])) {
				last = e - 1;
				tk = classify(v, v->t + s + 1, last - s - 1,
				    &rec);
				if (tk != CP_T_OTHER)
					add_tname(v, v->t[last], tk, rec);
			}
			seq_range(&out, v, s + 1, e);
			keep_text(v, line, &out);
		}
	}
	if (why != NULL)
		cp_note(v, line, "a typedef is not carried (%s)", why);
	seq_free(&out);
	seq_free(&rest);
}

/* C++ using: namespace std, std::NAME, or NAME = TYPE. */
static void
using_item(struct cp_view *v, size_t s, size_t e)
{
	struct cp_seq q = { 0 };
	uint32_t line = v->t[s]->line;
	const char *why = NULL;
	enum cp_tkind tk;
	int rec;

	if (e - s == 3 && cp_id(v->t[s + 1], "namespace") &&
	    cp_id(v->t[s + 2], "std")) {
		seq_range(&q, v, s, e);
		keep_text(v, line, &q);
	} else if (e - s == 4 && cp_id(v->t[s + 1], "std") &&
	    cp_is(v->t[s + 2], "::") && is_plain_ident(v->t[s + 3])) {
		seq_range(&q, v, s, e);
		keep_text(v, line, &q);
	} else if (e - s >= 4 && is_plain_ident(v->t[s + 1]) &&
	    !reserved(v->t[s + 1]) && cp_is(v->t[s + 2], "=")) {
		seq_range(&q, v, s + 3, e);
		if ((why = check_seq(v, &q, false)) == NULL) {
			tk = classify(v, q.v, q.n, &rec);
			if (tk != CP_T_OTHER)
				add_tname(v, v->t[s + 1], tk, rec);
			seq_free(&q);
			seq_range(&q, v, s, e);
			keep_text(v, line, &q);
		}
	} else {
		why = "only \"using namespace std\", \"using std::NAME\" and "
		    "type aliases are carried";
	}
	if (why != NULL)
		cp_note(v, line, "a using declaration is not carried (%s)",
		    why);
	seq_free(&q);
}

/* A declaration without a body: types are kept, the rest dropped. */
static const char *held_def(struct cp_view *v, size_t kw, size_t body,
    size_t close);

static void
decl_item(struct cp_view *v, size_t s, size_t e)
{
	const struct cp_tok *f = v->t[s];
	uint32_t line = f->line;
	size_t kw = 0, body, close;
	struct cp_seq out = { 0 };
	const char *why = NULL;

	if ((why = macro_in(v, s, e)) != NULL) {
		/* a type would be kept: say why not; anything else is
		 * dropped anyway */
		if (cp_id(f, "typedef") || (v->cxx && cp_id(f, "using")) ||
		    find_tag_body(v, s, e, &kw) < e || (e - s == 2 &&
		    (cp_id(f, "struct") || cp_id(f, "union"))))
			cp_note(v, line, "a declaration is not carried (%s)",
			    why);
		else if (!cp_id(f, "template"))
			v->ndropped_globals++;
		return;
	}
	if (cp_id(f, "typedef")) {
		typedef_item(v, s, e);
		return;
	}
	if (v->cxx && cp_id(f, "using")) {
		using_item(v, s, e);
		return;
	}
	if (cp_id(f, "template")) {
		v->ndropped_templates++;
		cp_note(v, line, "a template is not carried");
		return;
	}
	if (cp_id(f, "static_assert") || cp_id(f, "_Static_assert"))
		return;
	body = find_tag_body(v, s, e, &kw);
	if (body < e) {
		close = match(v, body, e, "{", "}");
		(void)tag_def(v, kw, body, close, &out, NULL, &why);
		if (why != NULL && v->cxx && cp_id(v->t[kw], "union") &&
		    kw == s && close + 1 == e) {
			const char *hw = held_def(v, kw, body, close);

			if (hw == NULL) {
				seq_free(&out);
				return;
			}
			if (strcmp(hw, "a union without constructors or "
			    "member functions") != 0)
				why = hw;
		}
		if (why == NULL && (body == kw + 1 &&
		    !cp_id(v->t[kw], "enum"))) {
			why = "an anonymous struct";
		}
		if (why == NULL) {
			keep_text(v, line, &out);
			if (close + 1 < e || kw > s)
				v->ndropped_globals++;
		} else {
			cp_note(v, line, "a type is not carried (%s)", why);
		}
		seq_free(&out);
		return;
	}
	/* struct X; union X; enum X : T; (forward declarations) */
	if (e - s == 2 && (cp_id(f, "struct") || cp_id(f, "union")) &&
	    is_plain_ident(v->t[s + 1])) {
		seq_range(&out, v, s, e);
		keep_text(v, line, &out);
		seq_free(&out);
		return;
	}
	/* prototypes go (the definitions make the proxies); variables go */
	{
		size_t i;
		int d = 0;
		bool fn = false;

		for (i = s; i < e; i++) {
			if (cp_is(v->t[i], "(") && d == 0 && i > s &&
			    is_plain_ident(v->t[i - 1]))
				fn = true;
			if (cp_is(v->t[i], "(") || cp_is(v->t[i], "["))
				d++;
			else if (cp_is(v->t[i], ")") || cp_is(v->t[i], "]"))
				d--;
			else if (d == 0 && cp_is(v->t[i], "="))
				break;
		}
		if (!fn) {
			v->ndropped_globals++;
			cp_note(v, line, "a global variable or constant is "
			    "not carried");
		}
	}
}

/* ---- functions ----------------------------------------------------------- */

static void
fn_free(struct cp_fn *f)
{
	size_t i;

	free(f->name);
	free(f->sig);
	seq_free(&f->ret);
	for (i = 0; i < f->np; i++) {
		seq_free(&f->p[i].spec);
		seq_free(&f->p[i].dims);
		seq_free(&f->p[i].deflt);
	}
	free(f->p);
}

/* Top-level split of [a, b) at commas (parentheses, brackets and, in
 * C++, template brackets after a name nest).  Fills cuts (at most max)
 * with the indexes of the commas; returns their count, or -1. */
static int
split_commas(const struct cp_view *v, size_t a, size_t b, size_t *cuts,
    int max)
{
	int n = 0, par = 0, ang = 0;
	size_t i;

	for (i = a; i < b; i++) {
		const struct cp_tok *x = v->t[i];

		if (cp_is(x, "(") || cp_is(x, "["))
			par++;
		else if (cp_is(x, ")") || cp_is(x, "]"))
			par--;
		else if (v->cxx && par == 0 && angle(v, a, i, &ang))
			;
		else if (par == 0 && ang == 0 && cp_is(x, ",")) {
			if (n >= max)
				return -1;
			cuts[n++] = i;
		}
	}
	return n;
}

/* One parameter, tokens [a, b).  Returns NULL or why not. */
static const char *
parse_param(struct cp_view *v, size_t a, size_t b, struct cp_param *p)
{
	size_t i, name = (size_t)-1, first_op = (size_t)-1, pre_end, sq0;
	int par = 0, sq = 0, ang = 0, stars = 0, refs = 0, rrefs = 0;
	int arrays = 0;
	bool seen_type = false;
	const char *why;

	memset(p, 0, sizeof *p);
	for (i = a; i < b; i++)
		if (cp_is(v->t[i], "..."))
			return "variadic";
	/* a default argument (C++): one literal */
	for (i = a; i < b; i++) {
		if (cp_is(v->t[i], "(") || cp_is(v->t[i], "["))
			par++;
		else if (cp_is(v->t[i], ")") || cp_is(v->t[i], "]"))
			par--;
		else if (par == 0 && cp_is(v->t[i], "="))
			break;
	}
	if (i < b) {
		size_t d = i + 1;

		if (!v->cxx)
			return "a default argument";
		if (d < b && cp_is(v->t[d], "-") && d + 2 == b &&
		    v->t[d + 1]->k == CP_NUM)
			d++;
		if (d + 1 != b)
			return "a default argument that is not a literal";
		if (!(v->t[d]->k == CP_NUM || (v->t[d]->k == CP_CHAR) ||
		    (v->t[d]->k == CP_STR && !(v->t[d]->flags &
		    CP_F_UNSAFE)) || (kwf(v->t[d]) & K_LIT) ||
		    cp_id(v->t[d], "NULL")))
			return "a default argument that is not a literal";
		if (v->t[d]->k == CP_NUM) {
			struct cp_seq q = { 0 };

			seq_add(&q, v->t[d]);
			why = check_seq(v, &q, true);
			seq_free(&q);
			if (why != NULL)
				return why;
		}
		if (v->t[d]->k == CP_STR && (v->t[d]->s[0] != '"' ||
		    memmem(v->t[d]->s, v->t[d]->n, "??", 2) != NULL))
			return "a default argument that is not a plain string";
		seq_range(&p->deflt, v, i + 1, b);
		b = i;
	}
	/* strip "register" */
	while (a < b && cp_id(v->t[a], "register"))
		a++;
	/* T (*NAME)[N]...: a pointer to arrays */
	par = 0;
	for (i = a; i < b; i++)
		if (cp_is(v->t[i], "("))
			break;
	if (i < b) {
		size_t o = i, c;

		if (!(o + 2 < b && cp_is(v->t[o + 1], "*")))
			return "a function pointer parameter";
		c = o + 2;
		if (c < b && is_plain_ident(v->t[c]))
			c++;
		if (!(c < b && cp_is(v->t[c], ")")) || c + 1 >= b ||
		    !cp_is(v->t[c + 1], "["))
			return "a function pointer parameter";
		seq_range(&p->spec, v, a, o);
		seq_range(&p->dims, v, c + 1, b);
		for (i = c + 1; i < b; i = match(v, i, b, "[", "]") + 1)
			if (!cp_is(v->t[i], "["))
				return "a bad array parameter";
		p->kind = CP_P_PTR;
		goto check;
	}
	/* the name: the last plain identifier after a type, outside
	 * brackets, not part of a qualified name */
	par = sq = ang = 0;
	for (i = a; i < b; i++) {
		const struct cp_tok *x = v->t[i];

		if (cp_is(x, "["))
			sq++;
		else if (cp_is(x, "]"))
			sq--;
		else if (v->cxx && sq == 0 && cp_is(x, "<") && i > a &&
		    is_plain_ident(v->t[i - 1]))
			ang++;
		else if (ang > 0 && cp_is(x, ">"))
			ang--;
		else if (ang > 0 && cp_is(x, ">>"))
			ang = ang >= 2 ? ang - 2 : 0;
		else if (sq == 0 && ang == 0 && is_plain_ident(x) &&
		    !(i + 1 < b && (cp_is(v->t[i + 1], "::") ||
		    cp_is(v->t[i + 1], "<"))) &&
		    !(i > a && cp_is(v->t[i - 1], "::"))) {
			if (seen_type)
				name = i;
			seen_type = true;
		} else if (sq == 0 && ang == 0 && (is_plain_ident(x) ||
		    (kwf(x) & K_TYPE))) {
			seen_type = true;
		}
		if (ang > 0)
			seen_type = true;
	}
	if (name != (size_t)-1) {
		pre_end = name;
		sq0 = name + 1;
	} else {
		for (i = a; i < b && !cp_is(v->t[i], "["); i++)
			;
		pre_end = sq0 = i;
	}
	/* after the name: array brackets only */
	for (i = sq0; i < b; i = match(v, i, b, "[", "]") + 1) {
		if (!cp_is(v->t[i], "["))
			return "a bad declarator";
		arrays++;
	}
	/* declarator operators at the end of the prefix */
	ang = 0;
	for (i = a; i < pre_end; i++) {
		const struct cp_tok *x = v->t[i];

		if (v->cxx && angle(v, a, i, &ang))
			;
		else if (ang == 0 && (cp_is(x, "*") || cp_is(x, "&") ||
		    cp_is(x, "&&"))) {
			if (first_op == (size_t)-1)
				first_op = i;
		}
		if (first_op != (size_t)-1 && ang == 0) {
			if (cp_is(x, "*"))
				stars++;
			else if (cp_is(x, "&"))
				refs++;
			else if (cp_is(x, "&&"))
				rrefs++;
			else if (!(kwf(x) & K_CV))
				return "a bad declarator";
		}
	}
	if (first_op == (size_t)-1)
		first_op = pre_end;
	if (!v->cxx && (refs || rrefs))
		return "a reference in C";
	if (stars + arrays > 1 || refs + rrefs > 1 ||
	    (stars + arrays > 0 && refs + rrefs > 0))
		return "a pointer to a pointer, a reference to a pointer or an "
		    "array of arrays";
	{
		bool top_cv = stars == 0 && arrays == 0 && refs == 0 &&
		    rrefs == 0;

		ang = 0;
		for (i = a; i < first_op; i++) {
			const struct cp_tok *x = v->t[i];

			if (v->cxx)
				(void)angle(v, a, i, &ang);
			if (ang == 0 && (kwf(x) & K_CV)) {
				if (cp_id(x, "const") || cp_id(x, "__const"))
					p->cpointee = true;
				if (top_cv)
					continue;
			}
			seq_add(&p->spec, x);
		}
	}
	if (p->spec.n == 0)
		return "a parameter without a type";
	if (stars == 1 || arrays == 1) {
		p->kind = CP_P_PTR;
		for (i = 0; i < p->spec.n; i++)
			if (!(kwf(p->spec.v[i]) & K_CV))
				break;
		if (i < p->spec.n && cp_id(p->spec.v[i], "void"))
			return "a void pointer";
	} else if (refs == 1) {
		p->kind = p->cpointee ? CP_P_VAL : CP_P_REF;
		p->cref = p->cpointee;
	} else {
		p->kind = CP_P_VAL;
		p->rref = rrefs == 1;
		if (p->spec.n == 1 && cp_id(p->spec.v[0], "void"))
			return "a void parameter";
	}
	if (p->kind != CP_P_PTR)
		p->cpointee = false;
check:
	if ((why = check_seq(v, &p->spec, false)) != NULL)
		return why;
	if ((why = check_seq(v, &p->dims, false)) != NULL)
		return why;
	for (i = 0; i < p->spec.n; i++)
		if (kwf(p->spec.v[i]) & K_TAG) {
			if (i + 1 >= p->spec.n ||
			    !is_plain_ident(p->spec.v[i + 1]))
				return "an unnamed type in a parameter";
		}
	return NULL;
}

static void
fn_sig(struct cp_fn *f)
{
	struct ab_buf b = AB_BUF_INIT;
	size_t i;

	cp_emit_seq(&b, &f->ret);
	ab_buf_addf(&b, " %s (", f->name);
	for (i = 0; i < f->np; i++) {
		ab_buf_addf(&b, "%s%d%d%d%d ", i ? "," : "", (int)f->p[i].kind,
		    f->p[i].cpointee, f->p[i].rref, f->p[i].cref);
		cp_emit_seq(&b, &f->p[i].spec);
		ab_buf_adds(&b, " | ");
		cp_emit_seq(&b, &f->p[i].dims);
	}
	ab_buf_adds(&b, ")");
	f->sig = ab_buf_detach(&b);
}

#define CP_MAX_PARAMS 32

/*
 * The return type of a function or method, tokens [s, name) with the
 * specifiers removed, into f->ret and f->rk.  Returns NULL or why not.
 */
static const char *
parse_ret(struct cp_view *v, size_t s, size_t name, struct cp_fn *f)
{
	struct cp_seq hdr = { 0 };
	const char *why;
	size_t i, ext_str = (size_t)-1;

	for (i = s; i < name; i++) {
		const struct cp_tok *x = v->t[i];

		if (kwf(x) & K_SPEC) {
			if (cp_id(x, "extern") && i + 1 < name &&
			    v->t[i + 1]->k == CP_STR)
				ext_str = i + 1;
			continue;
		}
		if (i == ext_str)
			continue;
		seq_add(&hdr, x);
	}
	if (hdr.n == 0) {
		why = "no return type";
		goto bad;
	}
	if ((why = check_seq(v, &hdr, false)) != NULL)
		goto bad;
	for (i = 0; i < hdr.n; i++)
		if (cp_is(hdr.v[i], "(") || cp_is(hdr.v[i], "[")) {
			why = "a return type with a declarator";
			goto bad;
		}
	if (cp_is(hdr.v[hdr.n - 1], "&") || cp_is(hdr.v[hdr.n - 1], "&&")) {
		why = "a reference return type";
		goto bad;
	}
	{
		int stars = 0;
		size_t base = 0;
		bool ch = false, other = false;

		for (i = 0; i < hdr.n; i++)
			if (cp_is(hdr.v[i], "*"))
				stars++;
			else if (stars > 0 && !(kwf(hdr.v[i]) & K_CV))
				other = true;
		for (i = 0; i < hdr.n && !cp_is(hdr.v[i], "*"); i++) {
			if (cp_id(hdr.v[i], "char"))
				ch = true;
			else if (!(kwf(hdr.v[i]) & K_CV))
				base++;
		}
		if (stars == 1 && ch && base == 0 && !other)
			f->rk = CP_R_STR;
		else if (stars > 0) {
			why = "a pointer return type (only char * strings are "
			    "carried)";
			goto bad;
		} else if (hdr.n == 1 && cp_id(hdr.v[0], "void"))
			f->rk = CP_R_VOID;
		else
			f->rk = CP_R_VAL;
	}
	f->ret = hdr;
	return NULL;
bad:
	seq_free(&hdr);
	return why;
}

/*
 * The parameters between the parentheses open and close into f->p and
 * f->np.  Returns NULL, or why not and in *k the parameter at fault
 * (from 1; 0 for the list).
 */
static const char *
parse_params(struct cp_view *v, size_t open, size_t close, struct cp_fn *f,
    int *k)
{
	size_t cuts[CP_MAX_PARAMS];
	const char *why;
	int nc, i;

	*k = 0;
	nc = split_commas(v, open + 1, close, cuts, CP_MAX_PARAMS - 1);
	if (nc < 0)
		return "too many parameters";
	if (close == open + 1 || (close == open + 2 &&
	    cp_id(v->t[open + 1], "void"))) {
		f->np = 0;
		return NULL;
	}
	f->p = ab_xcalloc((size_t)nc + 1, sizeof *f->p);
	for (i = 0; i <= nc; i++) {
		size_t a = i == 0 ? open + 1 : cuts[i - 1] + 1;
		size_t b = i == nc ? close : cuts[i];

		f->np = (size_t)i + 1;
		if ((why = parse_param(v, a, b, &f->p[i])) != NULL) {
			*k = i + 1;
			return why;
		}
	}
	return NULL;
}

/* ---- held unions (C++) ------------------------------------------------- */

/* The operators a held union's member function may be. */
static const char *const held_ops[] = { "==", "!=", "<", ">", "<=", ">=",
    NULL };

/* One member function or constructor of a held union: header [i, e),
 * its body at e.  Appends it to *mf; returns NULL or why not. */
static const char *
held_member(struct cp_view *v, const struct cp_tok *un, size_t i, size_t e,
    struct cp_fn **mf, size_t *nmf)
{
	struct cp_fn f;
	size_t open, close, nb, k;
	const char *why;
	int d = 0, bad;

	memset(&f, 0, sizeof f);
	for (open = i; open < e && !cp_is(v->t[open], "("); open++)
		;
	if (open >= e)
		return "a member with code";
	for (close = open; close < e; close++) {
		if (cp_is(v->t[close], "("))
			d++;
		else if (cp_is(v->t[close], ")") && --d == 0)
			break;
	}
	if (close >= e)
		return "unbalanced parentheses";
	/* ~NAME() { ... }: runs in the server only */
	if (cp_is(v->t[i], "~")) {
		if (open == i + 2 && v->t[i + 1]->k == CP_IDENT &&
		    v->t[i + 1]->n == un->n && memcmp(v->t[i + 1]->s, un->s,
		    un->n) == 0 && close == open + 1 && close + 1 == e)
			return NULL;
		return "a bad destructor";
	}
	if (open == i + 1 && v->t[i]->k == CP_IDENT && v->t[i]->n == un->n &&
	    memcmp(v->t[i]->s, un->s, un->n) == 0) {
		/* NAME(params) [: member initializers] { ... } */
		if (close + 1 != e && !cp_is(v->t[close + 1], ":"))
			return "a bad constructor";
		f.ctor = true;
		f.name = name_of(un);
	} else {
		nb = open - 1;
		if (open > i + 1 && cp_id(v->t[open - 2], "operator") &&
		    v->t[open - 1]->k == CP_PUNCT) {
			for (k = 0; held_ops[k] != NULL; k++)
				if (cp_is(v->t[open - 1], held_ops[k]))
					break;
			if (held_ops[k] == NULL)
				return "an operator other than a comparison";
			nb = open - 2;
			f.name = ab_xasprintf("operator%s", held_ops[k]);
		} else if (is_plain_ident(v->t[open - 1]) &&
		    !reserved(v->t[open - 1]) && v->t[open - 1]->s[0] != '_' &&
		    !(v->t[open - 1]->n >= 3 && memcmp(v->t[open - 1]->s,
		    "ab_", 3) == 0)) {
			f.name = name_of(v->t[open - 1]);
		} else {
			return "a member function with an unusual name";
		}
		if (nb <= i) {
			fn_free(&f);
			return "a member function without a return type";
		}
		k = close + 1;
		if (k < e && cp_id(v->t[k], "const")) {
			f.cmeth = true;
			k++;
		}
		if (k != e) {
			fn_free(&f);
			return "something after a member function's parameters";
		}
		for (k = i; k < nb; k++)
			if (kwf(v->t[k]) & K_SPEC) {
				fn_free(&f);
				return "a static or inline member function";
			}
		if ((why = parse_ret(v, i, nb, &f)) != NULL) {
			fn_free(&f);
			return why;
		}
	}
	if ((why = parse_params(v, open, close, &f, &bad)) != NULL) {
		fn_free(&f);
		return why;
	}
	for (k = 0; k < f.np; k++)
		if (f.p[k].kind == CP_P_PTR) {
			fn_free(&f);
			return "a member function with a pointer parameter";
		}
	fn_sig(&f);
	for (k = 0; k < *nmf; k++)
		if (strcmp((*mf)[k].sig, f.sig) == 0 &&
		    (*mf)[k].ctor == f.ctor && (*mf)[k].cmeth == f.cmeth) {
			fn_free(&f);
			return "a member function defined twice";
		}
	if (*nmf >= CP_MAX_PARAMS) {
		fn_free(&f);
		return "too many member functions";
	}
	*mf = ab_xrealloc(*mf, (*nmf + 1) * sizeof **mf);
	(*mf)[(*nmf)++] = f;
	return NULL;
}

/*
 * A C++ union NAME { ... } with constructors and member functions (the
 * tagless unions of MultiPL-E's C++ prompts): kw at "union", body at
 * its "{", close at its "}".  Its data members, constructors, destructor
 * and member functions (defined in the body; comparison operators or
 * plain names) are read; nothing of it is emitted but its name and the
 * checked types of the member functions' parameters and results (gen.c
 * writes the stand-in).  Returns NULL and registers the record, or why
 * not.
 */
/* Whether two tokens read the same. */
static bool
same_tok(const struct cp_tok *a, const struct cp_tok *b)
{
	if (a->k != b->k)
		return false;
	if (a->k == CP_PUNCT)
		return strcmp(a->p, b->p) == 0;
	return a->n == b->n && memcmp(a->s, b->s, a->n) == 0;
}

/*
 * Why the union at [kw, close] may not be held, or NULL: it must be
 * defined with the same tokens in the task's prompt (the solution
 * cannot change what its operator== does), and come first in the
 * solution, after #include lines and "using namespace std;" only (no
 * declaration of the solution before it can change what its member
 * functions' bodies mean, an operator== of std::string for one).
 */
static const char *
held_allowed(struct cp_view *v, size_t kw, size_t close)
{
	size_t i, j, n = close + 1 - kw;

	for (i = v->held_end; i < kw; i++) {
		if (v->t[i]->k == CP_INCLUDE || cp_is(v->t[i], ";"))
			continue;
		if (i + 3 < kw && cp_id(v->t[i], "using") &&
		    cp_id(v->t[i + 1], "namespace") &&
		    cp_id(v->t[i + 2], "std") && cp_is(v->t[i + 3], ";")) {
			i += 3;
			continue;
		}
		return "a union with member functions after other "
		    "declarations (it must come first, as in the task's prompt)";
	}
	if (v->prompt == NULL)
		return "a union with member functions that the task's prompt "
		    "does not define";
	if (!v->ptk_done) {
		cp_lex(v->prompt, strlen(v->prompt), true, &v->ptk);
		v->ptk_done = true;
	}
	for (i = 0; i + n <= v->ptk.n; i++) {
		for (j = 0; j < n; j++)
			if (!same_tok(&v->ptk.v[i + j], v->t[kw + j]) ||
			    (v->t[kw + j]->flags & CP_F_MACRO))
				break;
		if (j == n)
			return NULL;
	}
	return "a union with member functions that the task's prompt does "
	    "not define as the solution does";
}

static const char *
held_def(struct cp_view *v, size_t kw, size_t body, size_t close)
{
	const struct cp_tok *un = v->t[kw + 1];
	struct cp_fn *mf = NULL;
	size_t nmf = 0, i = body + 1, k;
	const char *why = NULL;
	char key[200];
	int idx;

	if (body != kw + 2 || !is_plain_ident(un) || reserved(un) ||
	    un->s[0] == '_')
		return "an anonymous union";
	while (i < close && why == NULL) {
		size_t e = i;
		int par = 0, sq = 0;

		while (e < close && !(par == 0 && sq == 0 &&
		    (cp_is(v->t[e], ";") || cp_is(v->t[e], "{")))) {
			nest(v->t[e], &par, &sq);
			e++;
		}
		if (e >= close) {
			why = "a member without \";\"";
		} else if (cp_is(v->t[e], ";")) {
			/* a data member: read, never emitted */
			struct cp_seq m = { 0 };

			for (k = i; k < e && why == NULL; k++)
				if (cp_is(v->t[k], "(") || cp_is(v->t[k], "=") ||
				    cp_is(v->t[k], "&") || cp_is(v->t[k], "&&") ||
				    (kwf(v->t[k]) & K_SPEC))
					why = "a member declared but not "
					    "defined, a reference, a static "
					    "or an initialized member";
			if (why == NULL && e > i) {
				seq_range(&m, v, i, e);
				why = check_seq(v, &m, false);
				seq_free(&m);
			}
			i = e + 1;
		} else if (e == i) {
			why = "a nested block";
		} else {
			size_t c = match(v, e, close, "{", "}");

			if (c >= close)
				why = "an unterminated member function";
			else
				why = held_member(v, un, i, e, &mf, &nmf);
			i = c + 1;
		}
	}
	snprintf(key, sizeof key, "%.*s", (int)un->n, un->s);
	if (why == NULL && (v->nrecs >= CP_MAX_NAMES || find_rec(v, key) >= 0))
		why = "a union defined twice";
	if (why == NULL && nmf == 0)
		why = "a union without constructors or member functions";
	if (why == NULL)
		why = held_allowed(v, kw, close);
	if (why != NULL) {
		for (k = 0; k < nmf; k++)
			fn_free(&mf[k]);
		free(mf);
		return why;
	}
	idx = new_rec(v, key, true);
	v->recs[idx].held = true;
	v->recs[idx].mf = mf;
	v->recs[idx].nmf = nmf;
	add_piece(v, un->line, -1, NULL);
	v->pc[v->npc - 1].rec = idx;
	v->held_end = close + 1;
	return NULL;
}

/* A function definition: header [s, bo), body at bo. */
static void
fn_item(struct cp_view *v, size_t s, size_t bo)
{
	struct cp_fn f;
	size_t i, e = bo, open, close, name;
	uint32_t line = v->t[s]->line;
	const char *why = NULL;
	int k;

	memset(&f, 0, sizeof f);
	if (v->nfns >= CP_MAX_NAMES) {
		cp_note(v, line, "too many functions: the rest is not carried");
		return;
	}
	if ((why = macro_in(v, s, bo)) != NULL) {
		size_t q;

		/* name it if it can be found */
		for (q = s; q + 1 < bo; q++)
			if (v->t[q]->k == CP_IDENT && cp_is(v->t[q + 1], "(")) {
				f.name = name_of(v->t[q]);
				break;
			}
		goto bad;
	}
	/* trailing noexcept / noexcept(...) / throw() */
	for (;;) {
		if (e > s && cp_id(v->t[e - 1], "noexcept")) {
			e--;
			continue;
		}
		if (e > s && cp_is(v->t[e - 1], ")")) {
			int d = 0;

			for (i = e; i > s; i--) {
				if (cp_is(v->t[i - 1], ")"))
					d++;
				else if (cp_is(v->t[i - 1], "(") && --d == 0)
					break;
			}
			if (i > s + 1 && (cp_id(v->t[i - 2], "noexcept") ||
			    cp_id(v->t[i - 2], "throw"))) {
				e = i - 2;
				continue;
			}
		}
		break;
	}
	if (e <= s || !cp_is(v->t[e - 1], ")")) {
		why = "something after its parameters (a method, a trailing "
		    "return type or a try block)";
		goto bad;
	}
	close = e - 1;
	{
		int d = 0;

		for (i = e; i > s; i--) {
			if (cp_is(v->t[i - 1], ")"))
				d++;
			else if (cp_is(v->t[i - 1], "(") && --d == 0)
				break;
		}
		if (i <= s) {
			why = "unbalanced parentheses";
			goto bad;
		}
		open = i - 1;
	}
	if (open > s && (v->t[open - 1]->flags & CP_F_MACRO)) {
		why = macro_why(v, v->t[open - 1]);
		goto bad;
	}
	if (open == s || !is_plain_ident(v->t[open - 1])) {
		why = "not a plain function (an operator, a method or a "
		    "function returning a function)";
		goto bad;
	}
	name = open - 1;
	if (name > s && (cp_is(v->t[name - 1], "::") ||
	    cp_is(v->t[name - 1], "~") || cp_is(v->t[name - 1], "."))) {
		why = "a method";
		goto bad;
	}
	f.name = name_of(v->t[name]);
	f.line = line;
	if (strcmp(f.name, "main") == 0) {
		fn_free(&f);
		return;
	}
	if (reserved(v->t[name]) || f.name[0] == '_') {
		why = "a reserved name";
		goto bad;
	}
	if ((why = parse_ret(v, s, name, &f)) != NULL)
		goto bad;
	/* parameters */
	if ((why = parse_params(v, open, close, &f, &k)) != NULL) {
		if (k == 0)
			goto bad;
		cp_note(v, line, "%s is not carried (parameter %d: %s)", f.name,
		    k, why);
		fn_free(&f);
		/* remember the name: a second definition must not take its
		 * place */
		goto remember;
	}
	fn_sig(&f);
	for (i = 0; i < v->nfns; i++) {
		if (strcmp(v->fns[i].name, f.name) != 0)
			continue;
		if (v->fns[i].sig == NULL || strcmp(v->fns[i].sig, f.sig) != 0) {
			if (!v->fns[i].bad)
				cp_note(v, line, "%s is defined more than once "
				    "with different parameters (an overload: "
				    "not carried, a test cannot call it)",
				    f.name);
			v->fns[i].bad = true;
		}
		fn_free(&f);
		return;
	}
	if (v->nfns == v->capfns) {
		v->capfns = v->capfns ? 2 * v->capfns : 16;
		v->fns = ab_xrealloc(v->fns, v->capfns * sizeof *v->fns);
	}
	v->fns[v->nfns] = f;
	add_piece(v, line, (int)v->nfns, NULL);
	v->nfns++;
	return;
bad:
	cp_note(v, line, "%s%s%s is not carried (%s)", f.name ? "" :
	    "a function", f.name ? f.name : "", "", why);
	fn_free(&f);
	return;
remember:
	{
		struct cp_fn g;

		memset(&g, 0, sizeof g);
		g.name = name_of(v->t[name]);
		g.bad = true;
		for (i = 0; i < v->nfns; i++)
			if (strcmp(v->fns[i].name, g.name) == 0) {
				v->fns[i].bad = true;
				free(g.name);
				return;
			}
		if (v->nfns == v->capfns) {
			v->capfns = v->capfns ? 2 * v->capfns : 16;
			v->fns = ab_xrealloc(v->fns, v->capfns *
			    sizeof *v->fns);
		}
		v->fns[v->nfns++] = g;
	}
}

/* ---- the top level ---------------------------------------------------- */

/* Whether [s, bo) (before a "{") is a function's header. */
static bool
is_fn_header(const struct cp_view *v, size_t s, size_t bo)
{
	size_t i = bo;

	while (i > s && (cp_id(v->t[i - 1], "noexcept") ||
	    cp_id(v->t[i - 1], "const") || cp_id(v->t[i - 1], "override") ||
	    cp_id(v->t[i - 1], "final") || cp_id(v->t[i - 1], "try") ||
	    cp_id(v->t[i - 1], "volatile") || cp_is(v->t[i - 1], "&") ||
	    cp_is(v->t[i - 1], "&&")))
		i--;
	if (i > s && cp_is(v->t[i - 1], ")"))
		return true;
	/* a trailing return type: "-> T" after the parameters */
	for (i = s; i < bo; i++)
		if (cp_is(v->t[i], "->") && i > s && cp_is(v->t[i - 1], ")"))
			return true;
	return false;
}

static void
top(struct cp_view *v, size_t i, size_t end, int depth)
{
	while (i < end) {
		const struct cp_tok *x = v->t[i];
		size_t s, j;
		int par = 0;
		bool eq = false;

		if (x->k == CP_INCLUDE) {
			char *t = ab_xasprintf("#include <%.*s>", (int)x->n,
			    x->s);

			add_piece(v, x->line, -1, t);
			i++;
			continue;
		}
		if (cp_is(x, ";") || cp_is(x, "}")) {
			i++;
			continue;
		}
		if (cp_is(x, "{")) {
			i = match(v, i, end, "{", "}") + 1;
			continue;
		}
		s = j = i;
		for (;;) {
			if (j >= end) {
				decl_item(v, s, j);
				i = j;
				break;
			}
			x = v->t[j];
			if (x->k == CP_INCLUDE) {
				cp_note(v, x->line, "an #include inside a "
				    "declaration is not carried");
				j++;
				continue;
			}
			if (cp_is(x, "(") || cp_is(x, "["))
				par++;
			else if (cp_is(x, ")") || cp_is(x, "]"))
				par -= par > 0;
			else if (par == 0 && cp_is(x, ";")) {
				decl_item(v, s, j);
				i = j + 1;
				break;
			} else if (par == 0 && cp_is(x, "=")) {
				eq = true;
			} else if (par == 0 && cp_is(x, "{")) {
				size_t c = match(v, j, end, "{", "}");

				if (v->cxx && j == s + 2 &&
				    cp_id(v->t[s], "extern") &&
				    v->t[s + 1]->k == CP_STR) {
					if (depth < CP_MAX_DEPTH)
						top(v, j + 1, c, depth + 1);
					i = c + 1;
					break;
				}
				if (cp_id(v->t[s], "namespace") ||
				    (cp_id(v->t[s], "inline") && j > s + 1 &&
				    cp_id(v->t[s + 1], "namespace"))) {
					cp_note(v, v->t[s]->line, "a namespace "
					    "is not carried");
					i = c + 1;
					break;
				}
				if (!eq && is_fn_header(v, s, j)) {
					if (cp_id(v->t[s], "template")) {
						v->ndropped_templates++;
						cp_note(v, v->t[s]->line, "a "
						    "template is not carried");
					} else {
						fn_item(v, s, j);
					}
					i = c + 1;
					break;
				}
				j = c < end ? c + 1 : end;
				continue;
			}
			j++;
		}
	}
}

/* The index of the token closing the group t[j] opens (open, close), or
 * of the end of the tokens when it is not closed. */
static size_t
skip_group(const struct cp_tok *t, size_t j, size_t n, const char *open,
    const char *close)
{
	int d = 0;

	for (; j < n && t[j].k != CP_EOF; j++) {
		if (cp_is(&t[j], open))
			d++;
		else if (cp_is(&t[j], close) && --d == 0)
			break;
	}
	return j;
}

/* Remove attributes, asm labels, alignas, _Pragma and [[...]] from the
 * token list (they never reach K). */
static void
strip(struct cp_view *v)
{
	struct cp_tok *t = v->tk.v;
	size_t n = v->tk.n, i, o = 0;

	v->t = ab_xcalloc(n + 1, sizeof *v->t);
	for (i = 0; i < n && t[i].k != CP_EOF; i++) {
		const struct cp_tok *x = &t[i];

		if (cp_id(x, "__attribute__") || cp_id(x, "__attribute") ||
		    cp_id(x, "__declspec") || cp_id(x, "_Pragma") ||
		    cp_id(x, "alignas") || cp_id(x, "_Alignas") ||
		    cp_id(x, "asm") || cp_id(x, "__asm") ||
		    cp_id(x, "__asm__")) {
			size_t j = i + 1;

			while (j < n && (cp_id(&t[j], "volatile") ||
			    cp_id(&t[j], "__volatile__") ||
			    cp_id(&t[j], "inline") || cp_id(&t[j], "goto")))
				j++;
			if (j < n && cp_is(&t[j], "("))
				i = skip_group(t, j, n, "(", ")");
			continue;
		}
		if (cp_id(x, "__extension__"))
			continue;
		if (cp_is(x, "[") && i + 1 < n && cp_is(&t[i + 1], "[")) {
			i = skip_group(t, i, n, "[", "]");
			continue;
		}
		v->t[o++] = x;
	}
	v->n = o;
}

void
cp_view_parse(struct cp_view *v, const char *src, size_t len)
{
	v->cxx = v->lang == AB_CP_CXX;
	cp_lex(src, len, v->cxx, &v->tk);
	cp_expand(&v->tk);
	strip(v);
	top(v, 0, v->n, 0);
	if (v->tk.ndefine > 0)
		cp_note(v, 0, "%zu #define%s not carried (the checker sees no "
		    "macro of the solution%s)", v->tk.ndefine,
		    v->tk.ndefine == 1 ? " is" : "s are", v->tk.nexpanded > 0 ?
		    ", only the expansions of its type macros" : "");
	if (v->tk.ninclude_dropped > 0)
		cp_note(v, 0, "%zu #include%s of a file that is not a plain "
		    "system header not carried", v->tk.ninclude_dropped,
		    v->tk.ninclude_dropped == 1 ? "" : "s");
}

void
cp_view_release(struct cp_view *v)
{
	size_t i, k;

	for (i = 0; i < v->npc; i++)
		free(v->pc[i].text);
	free(v->pc);
	for (i = 0; i < v->nfns; i++)
		fn_free(&v->fns[i]);
	free(v->fns);
	for (i = 0; i < v->nrecs; i++) {
		for (k = 0; k < v->recs[i].nm; k++)
			free(v->recs[i].m[k].name);
		free(v->recs[i].m);
		for (k = 0; k < v->recs[i].nmf; k++)
			fn_free(&v->recs[i].mf[k]);
		free(v->recs[i].mf);
		free(v->recs[i].key);
	}
	free(v->recs);
	for (i = 0; i < v->ntn; i++)
		free(v->tn[i].name);
	free(v->tn);
	for (i = 0; i < v->nuses; i++)
		free(v->uses[i]);
	free(v->uses);
	ab_buf_release(&v->notes);
	free(v->t);
	cp_toks_release(&v->tk);
	if (v->ptk_done)
		cp_toks_release(&v->ptk);
}
