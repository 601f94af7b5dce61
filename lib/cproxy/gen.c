/*
 * gen.c - the proxies (K) and the stub (S) from a parsed view
 * (cproxy.h).  The runtime they call lives in share/ab/lang/c/ and
 * share/ab/lang/cpp/: checker.c, server.c and abwire.h for C; checker.cpp,
 * server.cpp and abwire.hpp for C++.
 */
#include <stdlib.h>
#include <string.h>

#include "ab.h"
#include "cproxy/cp_int.h"

/* ---- parameter and type text ------------------------------------------- */

/* The parameter's declaration with the name ab_pJ (NULL: abstract). */
static void
param_decl(struct ab_buf *b, const struct cp_param *p, size_t j,
    bool named, bool deflt)
{
	char nm[32];

	snprintf(nm, sizeof nm, named ? " ab_p%zu" : "", j);
	cp_emit_seq(b, &p->spec);
	switch (p->kind) {
	case CP_P_PTR:
		if (p->dims.n > 0) {
			ab_buf_addf(b, " ( *%s ) ", nm);
			cp_emit_seq(b, &p->dims);
		} else {
			ab_buf_addf(b, " *%s", nm);
		}
		break;
	case CP_P_REF:
		ab_buf_addf(b, " &%s", nm);
		break;
	case CP_P_VAL:
		if (p->rref)
			ab_buf_addf(b, " &&%s", nm);
		else if (p->cref)
			ab_buf_addf(b, " &%s", nm);
		else
			ab_buf_adds(b, nm);
		break;
	}
	if (deflt && p->deflt.n > 0) {
		ab_buf_adds(b, " = ");
		cp_emit_seq(b, &p->deflt);
	}
}

static void
params(struct ab_buf *b, const struct cp_fn *f, bool named, bool deflt)
{
	size_t j;

	if (f->np == 0)
		ab_buf_adds(b, "void");
	for (j = 0; j < f->np; j++) {
		if (j > 0)
			ab_buf_adds(b, ", ");
		param_decl(b, &f->p[j], j, named, deflt);
	}
}

/* The return type without its top-level qualifiers (for a local). */
static void
ret_nocv(struct ab_buf *b, const struct cp_fn *f)
{
	struct cp_seq q = { 0 };
	size_t i;

	for (i = 0; i < f->ret.n; i++) {
		const struct cp_tok *t = f->ret.v[i];

		if (f->rk != CP_R_STR && (cp_id(t, "const") ||
		    cp_id(t, "volatile") || cp_id(t, "__const")))
			continue;
		q.v = ab_xrealloc(q.v, (q.n + 1) * sizeof *q.v);
		q.v[q.n++] = t;
	}
	cp_emit_seq(b, &q);
	free(q.v);
}

/* What a pointer parameter points to, as an expression of ab_pJ. */
static void
elem_expr(struct ab_buf *b, const struct cp_param *p, size_t j)
{
	size_t d, i;

	for (d = 0, i = 0; i < p->dims.n; i++)
		if (cp_is(p->dims.v[i], "["))
			d++;
	ab_buf_adds(b, "(");
	for (i = 0; i <= d; i++)
		ab_buf_addc(b, '*');
	ab_buf_addf(b, "ab_p%zu)", j);
}

/* ---- the view ------------------------------------------------------------ */

/* A proxy with a pointer parameter is inlined wherever it is called:
 * __builtin_dynamic_object_size then sees the caller's object.  The
 * others stay out of line (less for the compiler to do). */
static const char *
proxy_head(const struct cp_fn *f, bool spaced)
{
	size_t j;

	for (j = 0; j < f->np; j++)
		if (f->p[j].kind == CP_P_PTR)
			return spaced ? "static inline __attribute__ ( ( "
			    "always_inline , unused ) ) " : "static inline "
			    "__attribute__((always_inline, unused)) ";
	return spaced ? "static __attribute__ ( ( unused ) ) " :
	    "static __attribute__((unused)) ";
}

static void
proto_c(struct ab_buf *b, const struct cp_fn *f)
{
	ab_buf_adds(b, proxy_head(f, true));
	cp_emit_seq(b, &f->ret);
	ab_buf_addf(b, " %s ( ", f->name);
	params(b, f, true, true);
	ab_buf_addf(b, " ) __asm__ ( \"ab_k_px_%s\" ) ;", f->name);
}

static void
proto_cxx(struct ab_buf *b, const struct cp_fn *f)
{
	ab_buf_adds(b, proxy_head(f, true));
	cp_emit_seq(b, &f->ret);
	ab_buf_addf(b, " %s ( ", f->name);
	params(b, f, true, true);
	ab_buf_adds(b, " ) ;");
}

/* A member's parameter list, named ab_pJ, with default arguments
 * (declaration) or without (definition). */
static void
member_params(struct ab_buf *b, const struct cp_fn *f, bool deflt)
{
	size_t j;

	for (j = 0; j < f->np; j++) {
		if (j > 0)
			ab_buf_adds(b, ", ");
		param_decl(b, &f->p[j], j, true, deflt);
	}
}

/* The checker's stand-in of a held union: the object's index in the
 * server, and its constructors and member functions as proxies (their
 * definitions: held_proxies). */
static void
stand_in(struct ab_buf *b, const struct cp_rec *r)
{
	size_t k;

	ab_buf_addf(b, "union %s {\n\tstd::uint64_t ab_id_;\n\texplicit "
	    "%s(ab_wire::remote_id ab_i) : ab_id_(ab_i.id) {}\n", r->key,
	    r->key);
	for (k = 0; k < r->nmf; k++) {
		const struct cp_fn *f = &r->mf[k];

		ab_buf_addc(b, '\t');
		if (!f->ctor) {
			cp_emit_seq(b, &f->ret);
			ab_buf_addc(b, ' ');
		}
		ab_buf_addf(b, "%s(", f->name);
		member_params(b, f, true);
		ab_buf_addf(b, ")%s;\n", f->cmeth ? " const" : "");
	}
	ab_buf_addf(b, "};\ntemplate<> struct ab_wire::is_held<%s> : "
	    "std::true_type {};", r->key);
}

static void
decls(const struct cp_view *v, struct ab_buf *b)
{
	size_t i;

	for (i = 0; i < v->npc; i++) {
		const struct cp_piece *pc = &v->pc[i];

		if (pc->rec >= 0) {
			ab_buf_addf(b, "#line %u \"%s\"\n", (unsigned)pc->line,
			    v->file);
			stand_in(b, &v->recs[pc->rec]);
			ab_buf_addc(b, '\n');
			continue;
		}

		if (pc->fn >= 0 && (!v->fns[pc->fn].used || v->fns[pc->fn].bad))
			continue;
		ab_buf_addf(b, "#line %u \"%s\"\n", (unsigned)pc->line,
		    v->file);
		if (pc->fn >= 0 && v->cxx)
			proto_cxx(b, &v->fns[pc->fn]);
		else if (pc->fn >= 0)
			proto_c(b, &v->fns[pc->fn]);
		else
			ab_buf_adds(b, pc->text);
		ab_buf_addc(b, '\n');
	}
}

static bool
carried(const struct cp_fn *f)
{
	return f->used && !f->bad;
}

/* ---- C ------------------------------------------------------------------ */

/* The layout table, the same text for K and S: what each side thinks
 * the types are; the checker compares them at the start. */
static void
layout_c(const struct cp_view *v, struct ab_buf *vals, struct ab_buf *what)
{
	size_t i, j, k;

	for (i = 0; i < v->nrecs; i++) {
		const struct cp_rec *r = &v->recs[i];

		if (!r->plain)
			continue;
		ab_buf_addf(vals, "\t(unsigned long long)sizeof(%s),\n", r->key);
		ab_buf_addf(what, "\t\"the size of %s\",\n", r->key);
		for (k = 0; k < r->nm; k++) {
			if (r->m[k].name == NULL || r->m[k].bitfield)
				continue;
			ab_buf_addf(vals, "\t(unsigned long long)"
			    "__builtin_offsetof(%s, %s),\n", r->key,
			    r->m[k].name);
			ab_buf_addf(what, "\t\"the offset of %s in %s\",\n",
			    r->m[k].name, r->key);
		}
	}
	for (i = 0; i < v->nfns; i++) {
		const struct cp_fn *f = &v->fns[i];

		if (!carried(f))
			continue;
		if (f->rk == CP_R_VAL) {
			ab_buf_adds(vals, "\t(unsigned long long)sizeof(");
			ret_nocv(vals, f);
			ab_buf_adds(vals, "),\n\t(unsigned long long)"
			    "__builtin_classify_type(*(");
			ret_nocv(vals, f);
			ab_buf_adds(vals, " *)0),\n");
			ab_buf_addf(what, "\t\"the size of what %s returns\",\n"
			    "\t\"the kind of what %s returns\",\n", f->name,
			    f->name);
		}
		for (j = 0; j < f->np; j++) {
			const struct cp_param *p = &f->p[j];

			ab_buf_adds(vals, "\t(unsigned long long)sizeof(");
			cp_emit_seq(vals, &p->spec);
			ab_buf_adds(vals, " ");
			cp_emit_seq(vals, &p->dims);
			ab_buf_adds(vals, "),\n\t(unsigned long long)"
			    "__builtin_classify_type(*(");
			cp_emit_seq(vals, &p->spec);
			ab_buf_adds(vals, " *)0),\n");
			ab_buf_addf(what, "\t\"the size of %s's parameter "
			    "%zu\",\n\t\"the kind of %s's parameter %zu\",\n",
			    f->name, j + 1, f->name, j + 1);
		}
	}
	ab_buf_adds(vals, "\t0\n");
	ab_buf_adds(what, "\tNULL\n");
}

static void
validators_c(const struct cp_view *v, struct ab_buf *b)
{
	size_t i, k;

	/* prototypes first: records may nest */
	for (i = 0; i < v->nrecs; i++)
		if (v->recs[i].plain && v->recs[i].has_bool)
			ab_buf_addf(b, "static int ab_k_ok_r%zu(const void *, "
			    "size_t);\n", i);
	for (i = 0; i < v->nrecs; i++) {
		const struct cp_rec *r = &v->recs[i];

		if (!r->plain || !r->has_bool)
			continue;
		ab_buf_addf(b, "static int\nab_k_ok_r%zu(const void *ab_v, "
		    "size_t ab_n)\n{\n\tconst unsigned char *ab_p = ab_v;\n"
		    "\tsize_t ab_i;\n\n\tfor (ab_i = 0; ab_i < ab_n; ab_i++, "
		    "ab_p += sizeof(%s)) {\n", i, r->key);
		for (k = 0; k < r->nm; k++) {
			const struct cp_member *m = &r->m[k];

			if (m->name == NULL || m->bitfield)
				continue;
			if (m->k == CP_T_BOOL)
				ab_buf_addf(b, "\t\tif (!ab_k_ok_bool(ab_p + "
				    "__builtin_offsetof(%s, %s), sizeof(((%s "
				    "*)0)->%s)))\n\t\t\treturn 0;\n", r->key,
				    m->name, r->key, m->name);
			else if (m->k == CP_T_REC && m->rec >= 0 &&
			    v->recs[m->rec].has_bool)
				ab_buf_addf(b, "\t\tif (!ab_k_ok_r%d(ab_p + "
				    "__builtin_offsetof(%s, %s), sizeof(((%s "
				    "*)0)->%s) / sizeof(%s)))\n\t\t\treturn "
				    "0;\n", m->rec, r->key, m->name, r->key,
				    m->name, v->recs[m->rec].key);
		}
		ab_buf_adds(b, "\t}\n\treturn 1;\n}\n");
	}
	ab_buf_adds(b, "#define AB_K_PLAIN(x) _Generic((x), ");
	for (i = 0; i < v->nrecs; i++)
		if (v->recs[i].plain)
			ab_buf_addf(b, "%s: 1, ", v->recs[i].key);
	ab_buf_adds(b, "default: 0)\n");
	ab_buf_adds(b, "#define AB_K_VALID(x) _Generic((x), _Bool: "
	    "ab_k_ok_bool, ");
	for (i = 0; i < v->nrecs; i++)
		if (v->recs[i].plain && v->recs[i].has_bool)
			ab_buf_addf(b, "%s: ab_k_ok_r%zu, ", v->recs[i].key, i);
	ab_buf_adds(b, "default: ab_k_ok_any)\n");
}

static void
proxy_c(struct ab_buf *b, const struct cp_fn *f, size_t idx)
{
	size_t j;

	ab_buf_adds(b, proxy_head(f, false));
	cp_emit_seq(b, &f->ret);
	ab_buf_addf(b, "\n%s(", f->name);
	params(b, f, true, false);
	ab_buf_addf(b, ")\n{\n\tstruct ab_k_call ab_c;\n\n"
	    "\tab_k_begin(&ab_c, %zu, \"%s\");\n", idx, f->name);
	for (j = 0; j < f->np; j++) {
		const struct cp_param *p = &f->p[j];

		if (p->kind == CP_P_PTR) {
			ab_buf_addf(b, "\tAB_K_PTR(&ab_c, ab_p%zu, ", j);
			elem_expr(b, p, j);
			ab_buf_addf(b, ", %zu, %d, \"%s: parameter %zu\");\n",
			    j, !p->cpointee, f->name, j + 1);
		} else {
			ab_buf_addf(b, "\tAB_K_VAL(&ab_c, ab_p%zu, \"%s: "
			    "parameter %zu\");\n", j, f->name, j + 1);
		}
	}
	ab_buf_adds(b, "\tab_k_send(&ab_c);\n\t{\n");
	if (f->rk == CP_R_VAL) {
		ab_buf_adds(b, "\t\t");
		ret_nocv(b, f);
		ab_buf_addf(b, " ab_r;\n\n\t\tAB_K_RET(&ab_c, ab_r, \"what %s "
		    "returns\");\n", f->name);
	} else if (f->rk == CP_R_STR) {
		ab_buf_adds(b, "\t\t");
		cp_emit_seq(b, &f->ret);
		ab_buf_addf(b, " ab_r = ab_k_get_str(&ab_c, \"what %s "
		    "returns\");\n\n", f->name);
	}
	for (j = 0; j < f->np; j++) {
		const struct cp_param *p = &f->p[j];

		if (p->kind != CP_P_PTR || p->cpointee)
			continue;
		ab_buf_addf(b, "\t\tAB_K_BACK(&ab_c, ab_p%zu, ", j);
		elem_expr(b, p, j);
		ab_buf_addf(b, ", %zu, \"%s: parameter %zu\");\n", j, f->name,
		    j + 1);
	}
	ab_buf_adds(b, "\t\tab_k_end(&ab_c);\n");
	if (f->rk != CP_R_VOID)
		ab_buf_adds(b, "\t\treturn ab_r;\n");
	ab_buf_adds(b, "\t}\n}\n\n");
}

static void
server_c(const struct cp_view *v, struct ab_buf *b, const char *layout)
{
	size_t i, j, n = 0;

	for (i = 0; i < v->nfns; i++) {
		const struct cp_fn *f = &v->fns[i];

		if (!carried(f))
			continue;
		ab_buf_adds(b, "typedef ");
		cp_emit_seq(b, &f->ret);
		ab_buf_addf(b, " (*ab_s_t%zu)(", n);
		params(b, f, false, false);
		ab_buf_addf(b, ");\n_Static_assert(__builtin_types_compatible_p("
		    "__typeof__(&%s), ab_s_t%zu), \"ab-exec: the solution's "
		    "%s does not have the type its text declares (a macro "
		    "changes it?)\");\n", f->name, n, f->name);
		ab_buf_addf(b, "static void\nab_s_call%zu(struct ab_s_in *ab_in, "
		    "struct ab_w_buf *ab_out)\n{\n\tab_s_t%zu ab_f = &%s;\n",
		    n, n, f->name);
		for (j = 0; j < f->np; j++) {
			const struct cp_param *p = &f->p[j];

			ab_buf_adds(b, "\t");
			param_decl(b, p, j, true, false);
			ab_buf_adds(b, ";\n");
			if (p->kind == CP_P_PTR)
				ab_buf_addf(b, "\tsize_t ab_n%zu;\n", j);
		}
		for (j = 0; j < f->np; j++) {
			if (f->p[j].kind == CP_P_PTR)
				ab_buf_addf(b, "\tab_p%zu = ab_s_get_ptr(ab_in, "
				    "&ab_n%zu);\n", j, j);
			else
				ab_buf_addf(b, "\tab_s_get(ab_in, &ab_p%zu, "
				    "sizeof ab_p%zu);\n", j, j);
		}
		ab_buf_adds(b, "\tab_s_called(ab_in);\n\t{\n\t\t");
		if (f->rk == CP_R_VAL) {
			ret_nocv(b, f);
			ab_buf_adds(b, " ab_r = ");
		} else if (f->rk == CP_R_STR) {
			ab_buf_adds(b, "const char *ab_r = ");
		}
		ab_buf_adds(b, "ab_f(");
		for (j = 0; j < f->np; j++)
			ab_buf_addf(b, "%sab_p%zu", j ? ", " : "", j);
		ab_buf_adds(b, ");\n\n\t\tab_s_answer(ab_out);\n");
		if (f->rk == CP_R_VAL)
			ab_buf_adds(b, "\t\tab_w_add(ab_out, &ab_r, sizeof ab_r);\n");
		else if (f->rk == CP_R_STR)
			ab_buf_adds(b, "\t\tab_s_put_str(ab_out, ab_r);\n");
		ab_buf_adds(b, "\t}\n");
		for (j = 0; j < f->np; j++)
			if (f->p[j].kind == CP_P_PTR && !f->p[j].cpointee)
				ab_buf_addf(b, "\tab_s_back(ab_out, ab_p%zu, "
				    "ab_n%zu);\n", j, j);
		ab_buf_adds(b, "}\n\n");
		n++;
	}
	ab_buf_adds(b, "static void (*const ab_s_fns[])(struct ab_s_in *, "
	    "struct ab_w_buf *) = {\n");
	for (i = 0; i < n; i++)
		ab_buf_addf(b, "\tab_s_call%zu,\n", i);
	ab_buf_adds(b, "\tNULL\n};\n");
	ab_buf_addf(b, "static const unsigned long long ab_s_layout[] = {\n%s};\n",
	    layout);
	ab_buf_addf(b, "\nint\nmain(void)\n{\n\treturn ab_s_main(ab_s_fns, %zu, "
	    "ab_s_layout, sizeof ab_s_layout / sizeof ab_s_layout[0] - 1);\n}\n",
	    n);
}

/*
 * The stub follows the solution in S, where its macros are still
 * defined, but is written with the view's tokens, whose macros are
 * already expanded: every name the solution #defines is #undefined
 * first, so the stub means what the checker's view means (and, with
 * "#define int long long", its types are the expanded ones).  Not the
 * names the stub's template handles or may not touch.
 */
static void
undef_all(const struct cp_view *v, struct ab_buf *b)
{
	const struct cp_toks *t = &v->tk;
	size_t i, k;

	for (i = 0; i < t->ndefined; i++) {
		const struct cp_macro *m = &t->mac[t->defined[i]];
		bool builtin = m->n >= 2 && m->s[0] == '_' && m->s[1] == '_';

		for (k = 2; builtin && k < m->n; k++)
			if (m->s[k] >= 'a' && m->s[k] <= 'z')
				builtin = false;
		if (builtin || (m->n == 4 && memcmp(m->s, "NULL", 4) == 0) ||
		    (m->n == 7 && memcmp(m->s, "defined", 7) == 0) ||
		    (m->n == 11 && memcmp(m->s, "__cplusplus", 11) == 0))
			continue;
		ab_buf_addf(b, "#undef %.*s\n", (int)m->n, m->s);
	}
}

static void
build_c(const struct cp_view *v, struct ab_cp_out *out)
{
	struct ab_buf k = AB_BUF_INIT, s = AB_BUF_INIT, vals = AB_BUF_INIT,
	    what = AB_BUF_INIT;
	size_t i, n = 0;

	layout_c(v, &vals, &what);
	ab_buf_adds(&k, "#line 1 \"ab-exec proxies\"\n");
	validators_c(v, &k);
	ab_buf_addf(&k, "static const unsigned long long ab_k_layout[] = {\n"
	    "%s};\nstatic const char *const ab_k_layout_what[] = {\n%s};\n",
	    vals.s ? vals.s : "", what.s ? what.s : "");
	for (i = 0; i < v->nfns; i++)
		if (carried(&v->fns[i]))
			proxy_c(&k, &v->fns[i], n++);
	undef_all(v, &s);
	ab_buf_adds(&s, "#line 1 \"ab-exec server\"\n");
	server_c(v, &s, vals.s ? vals.s : "0");
	out->proxies = ab_buf_detach(&k);
	out->server = ab_buf_detach(&s);
	out->nfuncs = n;
	ab_buf_release(&vals);
	ab_buf_release(&what);
}

/* ---- C++ ---------------------------------------------------------------- */

/* Member-wise carriers of the plain structs, the same text in K and S. */
static void
records_cxx(const struct cp_view *v, struct ab_buf *b)
{
	size_t i, k;

	for (i = 0; i < v->nrecs; i++) {
		const struct cp_rec *r = &v->recs[i];

		if (!r->cxx_ok)
			continue;
		ab_buf_addf(b, "template<> struct ab_wire::io<%s, void> {\n"
		    "\tstatic constexpr std::size_t min() { return 0", r->key);
		for (k = 0; k < r->nm; k++)
			ab_buf_addf(b, " + ab_wire::min_of<decltype(%s::%s)>()",
			    r->key, r->m[k].name);
		ab_buf_adds(b, "; }\n\ttemplate<class W> static void put(W "
		    "&ab_w, const ");
		ab_buf_addf(b, "%s &ab_v) {\n", r->key);
		for (k = 0; k < r->nm; k++)
			ab_buf_addf(b, "\t\tab_wire::put(ab_w, ab_v.%s);\n",
			    r->m[k].name);
		ab_buf_addf(b, "\t\t(void)ab_w; (void)ab_v;\n\t}\n\ttemplate<class "
		    "R> static void get(R &ab_r, %s &ab_v) {\n", r->key);
		for (k = 0; k < r->nm; k++)
			ab_buf_addf(b, "\t\tab_wire::get(ab_r, ab_v.%s);\n",
			    r->m[k].name);
		ab_buf_adds(b, "\t\t(void)ab_r; (void)ab_v;\n\t}\n};\n");
	}
}

/* The function's type as text (for typeid). */
static void
fn_type(struct ab_buf *b, const struct cp_fn *f)
{
	cp_emit_seq(b, &f->ret);
	ab_buf_adds(b, " (*)(");
	if (f->np > 0)
		params(b, f, false, false);
	ab_buf_adds(b, ")");
}

static void
proxy_cxx(struct ab_buf *b, const struct cp_fn *f, size_t idx)
{
	size_t j;

	ab_buf_adds(b, proxy_head(f, false));
	cp_emit_seq(b, &f->ret);
	ab_buf_addf(b, "\n%s(", f->name);
	params(b, f, true, false);
	ab_buf_addf(b, ")\n{\n\tab_k::call ab_c(%zu, \"%s\");\n\n", idx,
	    f->name);
	for (j = 0; j < f->np; j++) {
		const struct cp_param *p = &f->p[j];

		if (p->kind == CP_P_PTR) {
			ab_buf_addf(b, "\tab_k::arg_ptr<decltype(ab_p%zu)>(ab_c, "
			    "ab_p%zu, __builtin_dynamic_object_size(ab_p%zu, "
			    "0), __builtin_dynamic_object_size(ab_p%zu, 2), "
			    "%zu);\n", j, j, j, j, j);
		} else {
			ab_buf_addf(b, "\tab_k::arg<decltype(ab_p%zu)>(ab_c, "
			    "ab_p%zu, %zu);\n", j, j, j);
		}
	}
	ab_buf_adds(b, "\tab_c.send();\n");
	if (f->rk == CP_R_VOID) {
		ab_buf_adds(b, "\tab_c.ret_void();\n");
	} else {
		ab_buf_adds(b, "\tauto ab_r = ab_k::ret<");
		cp_emit_seq(b, &f->ret);
		ab_buf_adds(b, ">(ab_c);\n");
	}
	for (j = 0; j < f->np; j++) {
		const struct cp_param *p = &f->p[j];

		if (p->kind == CP_P_PTR && !p->cpointee)
			ab_buf_addf(b, "\tab_k::back_ptr<decltype(ab_p%zu)>(ab_c, "
			    "ab_p%zu, %zu);\n", j, j, j);
		else if (p->kind == CP_P_REF)
			ab_buf_addf(b, "\tab_k::back<decltype(ab_p%zu)>(ab_c, "
			    "ab_p%zu, %zu);\n", j, j, j);
	}
	ab_buf_adds(b, "\tab_c.end();\n");
	if (f->rk != CP_R_VOID)
		ab_buf_adds(b, "\treturn ab_r;\n");
	ab_buf_adds(b, "}\n\n");
}

/* A member's type as text, for typeid: a constructor as a function
 * returning the union, a member function as one taking it first. */
static void
member_type(struct ab_buf *b, const struct cp_rec *r, const struct cp_fn *f)
{
	size_t j;

	if (f->ctor)
		ab_buf_adds(b, r->key);
	else
		cp_emit_seq(b, &f->ret);
	ab_buf_adds(b, " (*)(");
	if (!f->ctor)
		ab_buf_addf(b, "%s%s", r->key, f->np > 0 ? ", " : "");
	for (j = 0; j < f->np; j++) {
		if (j > 0)
			ab_buf_adds(b, ", ");
		param_decl(b, &f->p[j], j, false, false);
	}
	if (f->ctor && f->np == 0)
		ab_buf_adds(b, "void");
	ab_buf_adds(b, ")");
}

/* The checker's definition of a stand-in's member: one call. */
static void
held_proxy(struct ab_buf *b, const struct cp_rec *r, const struct cp_fn *f,
    size_t idx)
{
	size_t j;

	if (f->ctor) {
		ab_buf_addf(b, "%s::%s(", r->key, r->key);
	} else {
		ret_nocv(b, f);
		ab_buf_addf(b, "\n%s::%s(", r->key, f->name);
	}
	member_params(b, f, false);
	ab_buf_addf(b, ")%s%s\n{\n\tab_k::call ab_c(%zu, \"%s::%s\");\n\n",
	    f->cmeth ? " const" : "", f->ctor ? " : ab_id_(ab_wire::no_object)"
	    : "", idx, r->key, f->name);
	if (!f->ctor)
		ab_buf_adds(b, "\tab_wire::put(ab_c.w, *this);\n");
	for (j = 0; j < f->np; j++)
		ab_buf_addf(b, "\tab_k::arg<decltype(ab_p%zu)>(ab_c, ab_p%zu, "
		    "%zu);\n", j, j, j);
	ab_buf_adds(b, "\tab_c.send();\n");
	if (f->ctor) {
		ab_buf_addf(b, "\tab_id_ = ab_k::ret<%s>(ab_c).ab_id_;\n",
		    r->key);
	} else if (f->rk == CP_R_VOID) {
		ab_buf_adds(b, "\tab_c.ret_void();\n");
	} else {
		ab_buf_adds(b, "\tauto ab_r = ab_k::ret<");
		cp_emit_seq(b, &f->ret);
		ab_buf_adds(b, ">(ab_c);\n");
	}
	for (j = 0; j < f->np; j++)
		if (f->p[j].kind == CP_P_REF)
			ab_buf_addf(b, "\tab_k::back<decltype(ab_p%zu)>(ab_c, "
			    "ab_p%zu, %zu);\n", j, j, j);
	ab_buf_adds(b, "\tab_c.end();\n");
	if (!f->ctor && f->rk != CP_R_VOID)
		ab_buf_adds(b, "\treturn ab_r;\n");
	ab_buf_adds(b, "}\n\n");
}

/* The server's function for a member: the solution's constructor or
 * member function, called on the object the checker names. */
static void
held_member(struct ab_buf *b, const struct cp_rec *r, const struct cp_fn *f,
    size_t idx)
{
	size_t j;

	ab_buf_adds(b, "static ");
	if (f->ctor)
		ab_buf_adds(b, r->key);
	else
		ret_nocv(b, f);
	ab_buf_addf(b, "\nab_s_m%zu(", idx);
	if (!f->ctor)
		ab_buf_addf(b, "ab_s::self<%s> ab_o%s", r->key, f->np > 0 ?
		    ", " : "");
	member_params(b, f, false);
	ab_buf_adds(b, ")\n{\n\treturn ");
	if (f->ctor)
		ab_buf_addf(b, "%s(", r->key);
	else
		ab_buf_addf(b, "ab_o.p->%s(", f->name);
	for (j = 0; j < f->np; j++)
		ab_buf_addf(b, "%sstatic_cast<decltype(ab_p%zu) &&>(ab_p%zu)",
		    j > 0 ? ", " : "", j, j);
	ab_buf_adds(b, ");\n}\n\n");
}

static void
build_cxx(const struct cp_view *v, struct ab_cp_out *out)
{
	struct ab_buf k = AB_BUF_INIT, s = AB_BUF_INIT, recs = AB_BUF_INIT,
	    types = AB_BUF_INIT;
	size_t i, m, m2, nfree, n = 0;

	records_cxx(v, &recs);
	ab_buf_adds(&types, "static const char *const ab_types[] = {\n");
	for (i = 0; i < v->nfns; i++) {
		if (!carried(&v->fns[i]))
			continue;
		ab_buf_adds(&types, "\ttypeid(");
		fn_type(&types, &v->fns[i]);
		ab_buf_adds(&types, ").name(),\n");
	}
	for (i = 0; i < v->nrecs; i++)
		for (m = 0; v->recs[i].held && m < v->recs[i].nmf; m++) {
			ab_buf_adds(&types, "\ttypeid(");
			member_type(&types, &v->recs[i], &v->recs[i].mf[m]);
			ab_buf_adds(&types, ").name(),\n");
		}
	ab_buf_adds(&types, "\tnullptr\n};\n");
	ab_buf_adds(&k, "#line 1 \"ab-exec proxies\"\n");
	ab_buf_adds(&k, recs.s ? recs.s : "");
	ab_buf_adds(&k, types.s);
	ab_buf_adds(&k, "static const char *const ab_k_names[] = {\n");
	for (i = 0; i < v->nfns; i++)
		if (carried(&v->fns[i]))
			ab_buf_addf(&k, "\t\"%s\",\n", v->fns[i].name);
	for (i = 0; i < v->nrecs; i++)
		for (m = 0; v->recs[i].held && m < v->recs[i].nmf; m++)
			ab_buf_addf(&k, "\t\"%s::%s\",\n", v->recs[i].key,
			    v->recs[i].mf[m].name);
	ab_buf_adds(&k, "\tnullptr\n};\n\n");
	for (i = 0; i < v->nfns; i++)
		if (carried(&v->fns[i]))
			proxy_cxx(&k, &v->fns[i], n++);
	nfree = n;
	for (i = 0; i < v->nrecs; i++)
		for (m = 0; v->recs[i].held && m < v->recs[i].nmf; m++)
			held_proxy(&k, &v->recs[i], &v->recs[i].mf[m], n++);
	undef_all(v, &s);
	ab_buf_adds(&s, "#line 1 \"ab-exec server\"\n");
	for (i = 0; i < v->nrecs; i++)
		if (v->recs[i].held)
			ab_buf_addf(&s, "template<> struct ab_wire::is_held<%s> "
			    ": std::true_type {};\n", v->recs[i].key);
	ab_buf_adds(&s, recs.s ? recs.s : "");
	ab_buf_adds(&s, types.s);
	for (i = 0, m2 = nfree; i < v->nrecs; i++)
		for (m = 0; v->recs[i].held && m < v->recs[i].nmf; m++)
			held_member(&s, &v->recs[i], &v->recs[i].mf[m], m2++);
	ab_buf_adds(&s, "static const ab_s::fn ab_s_fns[] = {\n");
	for (i = 0; i < v->nfns; i++) {
		if (!carried(&v->fns[i]))
			continue;
		ab_buf_adds(&s, "\tab_s::make(static_cast<");
		fn_type(&s, &v->fns[i]);
		ab_buf_addf(&s, ">(&%s)),\n", v->fns[i].name);
	}
	for (m2 = nfree; m2 < n; m2++)
		ab_buf_addf(&s, "\tab_s::make(&ab_s_m%zu),\n", m2);
	ab_buf_adds(&s, "\t{ nullptr, nullptr }\n};\n");
	ab_buf_addf(&s, "\nint\nmain()\n{\n\treturn ab_s::serve(ab_s_fns, %zu, "
	    "ab_types);\n}\n", n);
	out->proxies = ab_buf_detach(&k);
	out->server = ab_buf_detach(&s);
	out->nfuncs = n;
	ab_buf_release(&recs);
	ab_buf_release(&types);
}

/* ---- the interface ------------------------------------------------------- */

/* Functions of the C library (and of the POSIX headers the checker
 * includes), sorted: a solution's function of that name is not carried
 * (the tests call the library's), unless it is the entry point (then
 * the checker cannot be built: the two cannot be told apart). */
static const char *const libc_names[] = {
	"_exit", "abort", "abs", "access", "acos", "acosf", "acosh",
	"acoshf", "acoshl", "acosl", "alarm", "aligned_alloc", "asctime",
	"asin", "asinf", "asinh", "asinhf", "asinhl", "asinl", "assert",
	"at_quick_exit", "atan", "atan2", "atan2f", "atan2l", "atanf",
	"atanh", "atanhf", "atanhl", "atanl", "atexit", "atof", "atoi",
	"atol", "atoll", "bcmp", "bcopy", "bsearch", "btowc", "bzero",
	"cabs", "cacos", "cacosh", "calloc", "carg", "casin", "casinh",
	"catan", "catanh", "cbrt", "cbrtf", "cbrtl", "ccos", "ccosh", "ceil",
	"ceilf", "ceill", "cexp", "chdir", "cimag", "clearerr", "clock",
	"clog", "close", "conj", "copysign", "copysignf", "copysignl", "cos",
	"cosf", "cosh", "coshf", "coshl", "cosl", "cpow", "cproj", "creal",
	"csin", "csinh", "csqrt", "ctan", "ctanh", "ctime", "difftime",
	"div", "dprintf", "dup", "dup2", "erf", "erfc", "erfcf", "erfcl",
	"erff", "erfl", "execl", "execv", "execve", "execvp", "exit", "exp",
	"exp2", "exp2f", "exp2l", "expf", "expl", "expm1", "expm1f",
	"expm1l", "fabs", "fabsf", "fabsl", "fclose", "fdim", "fdimf",
	"fdiml", "feof", "ferror", "fflush", "fgetc", "fgetpos", "fgets",
	"fgetwc", "fgetws", "floor", "floorf", "floorl", "fma", "fmaf",
	"fmal", "fmax", "fmaxf", "fmaxl", "fmin", "fminf", "fminl", "fmod",
	"fmodf", "fmodl", "fopen", "fork", "fprintf", "fputc", "fputs",
	"fputwc", "fputws", "fread", "free", "freopen", "frexp", "frexpf",
	"frexpl", "fscanf", "fseek", "fsetpos", "ftell", "fwide", "fwprintf",
	"fwrite", "fwscanf", "getc", "getchar", "getenv", "getpid",
	"getppid", "gets", "getwc", "getwchar", "gmtime", "hypot", "hypotf",
	"hypotl", "ilogb", "ilogbf", "ilogbl", "imaxabs", "imaxdiv", "index",
	"isalnum", "isalpha", "isatty", "isblank", "iscntrl", "isdigit",
	"isgraph", "isinf", "islower", "isnan", "isprint", "ispunct",
	"isspace", "isupper", "iswalnum", "iswalpha", "iswblank", "iswcntrl",
	"iswdigit", "iswgraph", "iswlower", "iswprint", "iswpunct",
	"iswspace", "iswupper", "iswxdigit", "isxdigit", "labs", "ldexp",
	"ldexpf", "ldexpl", "ldiv", "lgamma", "lgammaf", "lgammal", "llabs",
	"lldiv", "llrint", "llround", "localeconv", "localtime", "log",
	"log10", "log10f", "log10l", "log1p", "log1pf", "log1pl", "log2",
	"log2f", "log2l", "logb", "logbf", "logbl", "logf", "logl",
	"longjmp", "lrint", "lround", "lseek", "malloc", "mblen", "mbrlen",
	"mbrtowc", "mbsinit", "mbsrtowcs", "mbstowcs", "mbtowc", "memchr",
	"memcmp", "memcpy", "memmem", "memmove", "mempcpy", "memrchr",
	"memset", "mktime", "modf", "modff", "modfl", "nan", "nanf", "nanl",
	"nearbyint", "nextafter", "nexttoward", "perror", "pipe", "pow",
	"powf", "powl", "printf", "putc", "putchar", "puts", "putwc",
	"putwchar", "qsort", "quick_exit", "raise", "rand", "read",
	"realloc", "remainder", "remove", "remquo", "rename", "rewind",
	"rindex", "rint", "round", "roundf", "roundl", "scalbln", "scalbn",
	"scanf", "setbuf", "setjmp", "setlocale", "setvbuf", "signal", "sin",
	"sinf", "sinh", "sinhf", "sinhl", "sinl", "sleep", "snprintf",
	"sprintf", "sqrt", "sqrtf", "sqrtl", "srand", "sscanf", "stpcpy",
	"stpncpy", "strcasecmp", "strcasestr", "strcat", "strchr",
	"strchrnul", "strcmp", "strcoll", "strcpy", "strcspn", "strdup",
	"strerror", "strftime", "strlen", "strncasecmp", "strncat",
	"strncmp", "strncpy", "strndup", "strnlen", "strpbrk", "strrchr",
	"strsep", "strspn", "strstr", "strtod", "strtof", "strtoimax",
	"strtok", "strtok_r", "strtol", "strtold", "strtoll", "strtoul",
	"strtoull", "strtoumax", "strxfrm", "swprintf", "swscanf", "sysconf",
	"system", "tan", "tanf", "tanh", "tanhf", "tanhl", "tanl", "tgamma",
	"tgammaf", "tgammal", "time", "tmpfile", "tmpnam", "tolower",
	"toupper", "towlower", "towupper", "trunc", "truncf", "truncl",
	"ungetc", "ungetwc", "unlink", "usleep", "vfprintf", "vfscanf",
	"vfwprintf", "vprintf", "vscanf", "vsnprintf", "vsprintf", "vsscanf",
	"vswprintf", "vwprintf", "wcrtomb", "wcscat", "wcschr", "wcscmp",
	"wcscpy", "wcscspn", "wcslen", "wcsncat", "wcsncmp", "wcsncpy",
	"wcspbrk", "wcsrchr", "wcsspn", "wcsstr", "wcstod", "wcstok",
	"wcstol", "wcstombs", "wcstoul", "wctomb", "wmemchr", "wmemcmp",
	"wmemcpy", "wmemmove", "wmemset", "wprintf", "write", "wscanf",
};

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool
used(struct cp_view *v, const struct cp_fn *f, const char *entry)
{
	const char *key = f->name;

	if (entry != NULL && strcmp(entry, f->name) == 0) {
		if (bsearch(&key, libc_names, sizeof libc_names /
		    sizeof libc_names[0], sizeof *libc_names, cmp_str) != NULL)
			cp_note(v, f->line, "the entry point %s is named like a "
			    "function of the C library", f->name);
		return true;
	}
	if (v->nuses == 0 || bsearch(&key, v->uses, v->nuses,
	    sizeof *v->uses, cmp_str) == NULL)
		return false;
	if (bsearch(&key, libc_names, sizeof libc_names /
	    sizeof libc_names[0], sizeof *libc_names, cmp_str) != NULL) {
		cp_note(v, f->line, "%s is named like a function of the C "
		    "library: the tests call the library's", f->name);
		return false;
	}
	return true;
}

static void
collect_uses(struct cp_view *v, const char *uses, size_t len)
{
	struct cp_toks t;
	size_t i, n = 0;

	cp_lex(uses ? uses : "", uses ? len : 0, v->cxx, &t);
	v->uses = ab_xcalloc(t.n + 1, sizeof *v->uses);
	for (i = 0; i < t.n; i++)
		if (t.v[i].k == CP_IDENT && !(t.v[i].flags & CP_F_UNSAFE))
			v->uses[n++] = ab_xstrndup(t.v[i].s, t.v[i].n);
	qsort(v->uses, n, sizeof *v->uses, cmp_str);
	v->nuses = 0;
	for (i = 0; i < n; i++) {
		if (v->nuses > 0 && strcmp(v->uses[v->nuses - 1],
		    v->uses[i]) == 0)
			free(v->uses[i]);
		else
			v->uses[v->nuses++] = v->uses[i];
	}
	cp_toks_release(&t);
}

static const char *
safe_file(const char *file)
{
	const char *p;

	if (file == NULL || *file == '\0' || strlen(file) > 100)
		return "solution";
	for (p = file; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' ||
		    *p == '-'))
			return "solution";
	return file;
}

void
ab_cp_build(enum ab_cp_lang lang, const char *src, size_t len,
    const char *file, const char *uses, size_t uses_len, const char *entry,
    const char *prompt, struct ab_cp_out *out)
{
	struct cp_view v;
	struct ab_buf d = AB_BUF_INIT;
	size_t i;
	bool found = false;

	memset(out, 0, sizeof *out);
	memset(&v, 0, sizeof v);
	v.lang = lang;
	v.cxx = lang == AB_CP_CXX;
	v.file = safe_file(file);
	v.prompt = prompt;
	collect_uses(&v, uses, uses_len);
	if (len > AB_CP_MAX_SOURCE) {
		/* No view: the checker cannot be built, and says why. */
		cp_note(&v, 0, "the solution is too long for the declarations "
		    "view (more than %zu bytes)", (size_t)AB_CP_MAX_SOURCE);
		len = 0;
	}
	cp_view_parse(&v, src ? src : "", src ? len : 0);
	for (i = 0; i < v.nfns; i++) {
		v.fns[i].used = used(&v, &v.fns[i], entry);
		if (entry != NULL && strcmp(v.fns[i].name, entry) == 0)
			found = true;
	}
	if (entry != NULL && *entry != '\0' && !found)
		cp_note(&v, 0, "no function %.100s is defined at file scope",
		    entry);
	decls(&v, &d);
	out->decls = ab_buf_detach(&d);
	if (out->decls == NULL)
		out->decls = ab_xstrdup("");
	if (v.cxx)
		build_cxx(&v, out);
	else
		build_c(&v, out);
	out->notes = ab_buf_detach(&v.notes);
	if (out->notes == NULL)
		out->notes = ab_xstrdup("");
	cp_view_release(&v);
}

void
ab_cp_out_release(struct ab_cp_out *out)
{
	free(out->decls);
	free(out->proxies);
	free(out->server);
	free(out->notes);
	memset(out, 0, sizeof *out);
}

bool
ab_cp_mentions(enum ab_cp_lang lang, const char *src, size_t len,
    const char *id)
{
	struct cp_toks t;
	size_t i, n = strlen(id);
	bool hit = false;
	const char *p, *e;

	cp_lex(src ? src : "", src ? len : 0, lang == AB_CP_CXX, &t);
	for (i = 0; i < t.n && !hit; i++)
		if (t.v[i].k == CP_IDENT && t.v[i].n == n &&
		    memcmp(t.v[i].s, id, n) == 0)
			hit = true;
	/* directives are not tokens: look at the raw text of lines
	 * starting with "#" for the name as a whole word */
	for (p = t.text; !hit && p != NULL && *p != '\0'; p = e) {
		const char *q = p;

		e = strchr(p, '\n');
		e = e ? e + 1 : p + strlen(p);
		while (q < e && (*q == ' ' || *q == '\t'))
			q++;
		if (q < e && *q == '#') {
			const char *w = q;

			while ((w = memmem(w, (size_t)(e - w), id, n)) != NULL) {
				bool l = w == q || !((w[-1] >= 'a' &&
				    w[-1] <= 'z') || (w[-1] >= 'A' &&
				    w[-1] <= 'Z') || (w[-1] >= '0' &&
				    w[-1] <= '9') || w[-1] == '_');
				bool r = w + n >= e || !((w[n] >= 'a' &&
				    w[n] <= 'z') || (w[n] >= 'A' &&
				    w[n] <= 'Z') || (w[n] >= '0' &&
				    w[n] <= '9') || w[n] == '_');

				if (l && r) {
					hit = true;
					break;
				}
				w += n;
			}
		}
	}
	cp_toks_release(&t);
	return hit;
}
