/*
 * macro.c - the solution's object-like macros, expanded in its tokens
 * for the declarations view (cproxy.h).
 *
 * Solutions in the competitive style spell their types with macros
 * ("#define vi vector<int>", "#define int long long", "int a[MAXN]").
 * The checker never sees a macro of the solution: the view expands them
 * itself, as the preprocessor would (a use is replaced by the macro's
 * body, which is rescanned with the macro disabled; #define and #undef
 * take effect in source order), but only a macro whose body can do no
 * more than spell a type or an array bound: no parameters, at most
 * CP_MAX_BODY tokens of identifiers and keywords the view keeps, integer
 * literals and the punctuators of types and bounds, parentheses and
 * brackets balanced, defined outside any conditional group (which the
 * view does not evaluate).  A use of any other macro stays as it is,
 * flagged CP_F_MACRO: the view never keeps it, and says which macro.
 * The expansion only changes which tokens the view reads; what it keeps
 * is checked on its own tokens afterwards, as always.
 */
#include <stdlib.h>
#include <string.h>

#include "ab.h"
#include "cproxy/cp_int.h"

struct xp {
	struct cp_toks *t;
	const struct cp_tok *src;	/* the lexed tokens */
	size_t nsrc;
	struct cp_tok *o;		/* the expanded tokens */
	size_t n, cap;
	size_t total;			/* tokens added by expansions */
	/* the names #defined or #undefined, sorted, and per name: the
	 * macro in effect (index in t->mac, or -1) and whether it is
	 * being expanded */
	size_t *names;			/* indexes in t->mac */
	size_t nnames;
	int *state;
	bool *busy;
};

static int
cmp_name(const char *a, size_t an, const char *b, size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);

	if (c != 0)
		return c;
	return an < bn ? -1 : an > bn;
}

static const struct cp_toks *sort_t;

static int
cmp_mac(const void *a, const void *b)
{
	const struct cp_macro *x = &sort_t->mac[*(const size_t *)a];
	const struct cp_macro *y = &sort_t->mac[*(const size_t *)b];

	int c = cmp_name(x->s, x->n, y->s, y->n);

	/* a #define before the #undefs of its name */
	return c != 0 ? c : (int)x->undef - (int)y->undef;
}

/* The name's index in x->names, or -1. */
static long
find(const struct xp *x, const char *s, size_t n)
{
	size_t lo = 0, hi = x->nnames;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct cp_macro *m = &x->t->mac[x->names[mid]];
		int c = cmp_name(s, n, m->s, m->n);

		if (c == 0)
			return (long)mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

static bool
int_literal(const struct cp_tok *t)
{
	const char *s = t->s, *e = t->s + t->n;
	bool hex = false;

	if (t->n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		hex = true;
		s += 2;
	} else if (t->n >= 2 && s[0] == '0' && (s[1] == 'b' || s[1] == 'B')) {
		s += 2;
	}
	if (s == e)
		return false;
	for (; s < e; s++)
		if (!((*s >= '0' && *s <= '9') || (hex && ((*s >= 'a' &&
		    *s <= 'f') || (*s >= 'A' && *s <= 'F')))))
			break;
	for (; s < e; s++)
		if (strchr("uUlL", *s) == NULL)
			return false;
	return true;
}

/* Why a #define's body is not expanded, or NULL. */
static const char *
not_typeish(const struct cp_macro *m)
{
	static const char *const ok[] = { "*", "&", "&&", "::", "<", ">",
	    "<<", ">>", ",", "[", "]", "(", ")", "+", "-", NULL };
	int par = 0, sq = 0;
	size_t i, k;

	if (m->fnlike)
		return "it has parameters";
	if (m->cond)
		return "it is defined in a conditional group";
	if (m->longbody)
		return "its body is longer than 32 tokens";
	if (m->n >= 2 && m->s[0] == '_' && (m->s[1] == '_' ||
	    (m->s[1] >= 'A' && m->s[1] <= 'Z')))
		return "its name is reserved";
	for (i = 0; i < m->nbody; i++) {
		const struct cp_tok *b = &m->body[i];

		switch (b->k) {
		case CP_IDENT:
			if ((b->flags & CP_F_UNSAFE) || cp_kw_bad(b) ||
			    (!cp_kw_any(b) && cp_reserved(b)))
				return "its body has a word that is not kept";
			break;
		case CP_NUM:
			if (!int_literal(b))
				return "its body has a number that is not an "
				    "integer";
			break;
		case CP_PUNCT:
			for (k = 0; ok[k] != NULL; k++)
				if (strcmp(ok[k], b->p) == 0)
					break;
			if (ok[k] == NULL)
				return "its body has an operator or a "
				    "punctuator that is not kept";
			break;
		default:
			return "its body has a literal that is not an integer";
		}
	}
	for (i = 0; i < m->nbody; i++) {
		const struct cp_tok *b = &m->body[i];

		if (cp_is(b, "("))
			par++;
		else if (cp_is(b, ")") && --par < 0)
			break;
		else if (cp_is(b, "["))
			sq++;
		else if (cp_is(b, "]") && --sq < 0)
			break;
	}
	if (par != 0 || sq != 0)
		return "its body has unbalanced parentheses or brackets";
	return NULL;
}

static void
out(struct xp *x, const struct cp_tok *t)
{
	if (x->n == x->cap) {
		x->cap = x->cap ? 2 * x->cap : 256;
		x->o = ab_xrealloc(x->o, x->cap * sizeof *x->o);
	}
	x->o[x->n++] = *t;
}

static void
out_flagged(struct xp *x, const struct cp_tok *t, int mac)
{
	out(x, t);
	x->o[x->n - 1].flags |= CP_F_MACRO;
	x->o[x->n - 1].mac = mac;
}

/* The macro in effect for identifier t, or -1; *id its name's index. */
static int
macro_of(const struct xp *x, const struct cp_tok *t, long *id)
{
	if (t->k != CP_IDENT || (t->flags & CP_F_UNSAFE))
		return -1;
	*id = find(x, t->s, t->n);
	return *id < 0 ? -1 : x->state[*id];
}

/*
 * Append the expansion of macro d (named id) used at line to x->o; a
 * use of a macro inside it that is not expanded is flagged.  False when
 * a bound is passed (then x->o is left to the caller to cut).
 */
static bool
expand(struct xp *x, int d, long id, uint32_t line, int depth, size_t *used)
{
	const struct cp_macro *m = &x->t->mac[d];
	size_t i;
	bool ok = true;

	if (depth > CP_MAX_XDEPTH)
		return false;
	x->busy[id] = true;
	for (i = 0; i < m->nbody && ok; i++) {
		struct cp_tok b = m->body[i];
		long bid;
		int bd = macro_of(x, &b, &bid);

		b.line = line;
		/* every step counts, so that empty bodies cannot make
		 * the work grow unseen */
		if (++*used > CP_MAX_XTOKENS ||
		    x->total + *used > CP_MAX_XTOTAL) {
			ok = false;
			break;
		}
		if (bd >= 0 && !x->busy[bid] && x->t->mac[bd].why == NULL) {
			ok = expand(x, bd, bid, line, depth + 1, used);
			continue;
		}
		/* a function-like macro's name may meet a "(" after the
		 * expansion: flagged wherever it stands */
		if (bd >= 0 && !x->busy[bid])
			out_flagged(x, &b, bd);
		else
			out(x, &b);
	}
	x->busy[id] = false;
	return ok;
}

void
cp_expand(struct cp_toks *t)
{
	struct xp x;
	size_t i, j, ev = 0;

	if (t->nmac == 0)
		return;
	memset(&x, 0, sizeof x);
	x.t = t;
	x.src = t->v;
	x.nsrc = t->n;
	x.names = ab_xcalloc(t->nmac, sizeof *x.names);
	for (i = 0; i < t->nmac; i++) {
		x.names[i] = i;
		if (!t->mac[i].undef)
			t->mac[i].why = not_typeish(&t->mac[i]);
	}
	sort_t = t;
	qsort(x.names, t->nmac, sizeof *x.names, cmp_mac);
	sort_t = NULL;
	for (i = j = 0; i < t->nmac; i++) {
		const struct cp_macro *a = &t->mac[x.names[i]];
		const struct cp_macro *b = j > 0 ? &t->mac[x.names[j - 1]] :
		    NULL;

		if (b == NULL || cmp_name(a->s, a->n, b->s, b->n) != 0)
			x.names[j++] = x.names[i];
	}
	x.nnames = j;
	x.state = ab_xcalloc(x.nnames, sizeof *x.state);
	x.busy = ab_xcalloc(x.nnames, sizeof *x.busy);
	for (i = 0; i < x.nnames; i++)
		x.state[i] = -1;
	for (i = 0; i < t->n; i++) {
		const struct cp_tok *s = &t->v[i];
		long id;
		int d;

		/* the #define and #undef lines before this token */
		for (; ev < t->nmac && t->mac[ev].pos <= i; ev++) {
			struct cp_macro *m = &t->mac[ev];
			long k = find(&x, m->s, m->n);

			if (m->undef && m->cond) {
				/* defined or not after it: unknown */
				m->why = "it is #undefined in a conditional "
				    "group";
				x.state[k] = (int)ev;
			} else {
				x.state[k] = m->undef ? -1 : (int)ev;
			}
		}
		d = macro_of(&x, s, &id);
		if (d < 0) {
			out(&x, s);
		} else if (t->mac[d].fnlike) {
			if (i + 1 < t->n && cp_is(&t->v[i + 1], "("))
				out_flagged(&x, s, d);
			else
				out(&x, s);
		} else if (t->mac[d].why != NULL) {
			out_flagged(&x, s, d);
		} else {
			size_t mark = x.n, used = 0;

			if (expand(&x, d, id, s->line, 0, &used)) {
				x.total += used;
				t->nexpanded++;
				/* the first token stands where the use did */
				if (x.n > mark)
					x.o[mark].flags |= s->flags & CP_F_BOL;
			} else {
				x.n = mark;
				t->mac[d].why = "its expansion is too deep or "
				    "too long";
				out_flagged(&x, s, d);
			}
		}
	}
	free(t->v);
	t->v = x.o;
	t->n = x.n;
	t->cap = x.cap;
	for (i = j = 0; i < x.nnames; i++)
		if (!t->mac[x.names[i]].undef)
			x.names[j++] = x.names[i];
	t->defined = x.names;
	t->ndefined = j;
	free(x.state);
	free(x.busy);
}
