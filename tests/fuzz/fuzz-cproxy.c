/* fuzz-cproxy.c - the declarations view of C and C++ solutions (cproxy.h)
 * on arbitrary text.  The input is the solution; its first line, when it
 * starts with "//uses:", also names what the tests use.  Besides not
 * crashing, what reaches the checker must keep the view's shapes: only
 * #line and plain #include <...> directives, no string literal but the
 * proxies' own asm labels, no attribute or asm of the solution, no brace
 * outside a type's definition, and no "=" outside an enumerator or a
 * using; a violation aborts.  With AB_CPROXY_PRINT=c or cpp in the
 * environment it also prints what it made for that language (the
 * view's unit tests, t3011, read it). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ab.h"
#include "cproxy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char proto_head[] = "static inline __attribute__ ( ( "
    "always_inline , unused ) ) ";
static const char proto_head2[] = "static __attribute__ ( ( unused ) ) ";

static bool
starts(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

static const char *const banned[] = { "asm", "__asm", "__asm__",
    "__attribute__", "__attribute", "__declspec", "_Pragma", "alignas",
    "_Alignas", "typeof", "__typeof__", "__typeof", "decltype", "operator",
    "static_assert", "_Static_assert", "template", "new", "delete",
    "throw", NULL };

static void
check_line(const char *l, bool cxx, bool member)
{
	const char *p, *end, *q;
	bool proto = false, typedef_ok, eq_ok;
	size_t i;

	if (starts(l, "#line ")) {
		for (p = l + 6; *p >= '0' && *p <= '9'; p++)
			;
		if (*p != ' ' || p[1] != '"' || strchr(p + 2, '"') == NULL ||
		    strchr(p + 2, '"')[1] != '\0')
			abort();
		return;
	}
	if (starts(l, "#include <")) {
		for (p = l + 10; *p != '>'; p++)
			if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' &&
			    *p <= 'Z') || (*p >= '0' && *p <= '9') ||
			    strchr("_-+./", *p) != NULL))
				abort();
		if (p[1] != '\0' || l[10] == '/' || strstr(l, "..") != NULL)
			abort();
		return;
	}
	p = l;
	end = l + strlen(l);
	/* the proxies' prototypes: our head and (C) our asm label */
	if (starts(l, proto_head) || starts(l, proto_head2)) {
		proto = true;
		p += strlen(starts(l, proto_head) ? proto_head : proto_head2);
		if (!cxx) {
			q = strstr(p, " ) __asm__ ( \"ab_k_px_");
			if (q == NULL || strcmp(end - 5, "\" ) ;") != 0)
				abort();
			end = q + 2;
		}
	}
	typedef_ok = !proto && (starts(p, "struct ") || starts(p, "union ") ||
	    starts(p, "enum ") || starts(p, "typedef "));
	eq_ok = (cxx && (proto || member)) || starts(p, "using ") ||
	    strstr(l, "enum ") != NULL;
	while (p < end) {
		if (*p == '\'') {
			for (p++; p < end && *p != '\''; p++)
				if (*p == '\\')
					p++;
			if (p >= end)
				abort();
			p++;
			continue;
		}
		if (*p == '"') {
			if (!(cxx && proto))
				abort();
			for (p++; p < end && *p != '"'; p++)
				if (*p == '\\')
					abort();
			if (p >= end)
				abort();
			p++;
			continue;
		}
		if (*p == '#' || ((*p == '{' || *p == '}') && !typedef_ok) ||
		    (p + 1 < end && ((p[0] == '+' && p[1] == '+') ||
		    (p[0] == '-' && p[1] == '-'))))
			abort();
		if (*p == '=' && !eq_ok && !(p + 1 < end && p[1] == '=') &&
		    !(p > l && strchr("=!<>", p[-1]) != NULL))
			abort();
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    *p == '_') {
			q = p;
			while (q < end && ((*q >= 'a' && *q <= 'z') ||
			    (*q >= 'A' && *q <= 'Z') || (*q >= '0' &&
			    *q <= '9') || *q == '_'))
				q++;
			for (i = 0; banned[i] != NULL; i++)
				if (strlen(banned[i]) == (size_t)(q - p) &&
				    memcmp(banned[i], p, (size_t)(q - p)) == 0)
					abort();
			p = q;
			continue;
		}
		if ((unsigned char)*p >= 0x80 || *p == '$' || *p == '@' ||
		    *p == '`' || *p == '\\')
			abort();
		p++;
	}
}

/* A plain identifier, all of s. */
static bool
ident(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' &&
		    s[i] <= 'Z') || s[i] == '_' || (i > 0 && s[i] >= '0' &&
		    s[i] <= '9')))
			return false;
	return n > 0;
}

/* A held union's stand-in (C++), starting at the line *lp: its fixed
 * lines, and member declarations that are checked as a prototype's
 * (an operator's name aside).  Advances *lp past it. */
static void
check_stand_in(char **lp, char **save)
{
	static const char *const ops[] = { "operator==", "operator!=",
	    "operator<=", "operator>=", "operator<", "operator>", NULL };
	char *l = *lp, name[256], want[600], *op;
	size_t n = strlen(l), i;

	if (n < 9 || n - 8 >= sizeof name || !ident(l + 6, n - 8) ||
	    strcmp(l + n - 2, " {") != 0)
		abort();
	memcpy(name, l + 6, n - 8);
	name[n - 8] = '\0';
	l = strtok_r(NULL, "\n", save);
	if (l == NULL || strcmp(l, "\tstd::uint64_t ab_id_;") != 0)
		abort();
	l = strtok_r(NULL, "\n", save);
	snprintf(want, sizeof want, "\texplicit %s(ab_wire::remote_id ab_i) : "
	    "ab_id_(ab_i.id) {}", name);
	if (l == NULL || strcmp(l, want) != 0)
		abort();
	while ((l = strtok_r(NULL, "\n", save)) != NULL && l[0] == '\t') {
		for (i = 0; ops[i] != NULL; i++)
			if ((op = strstr(l, ops[i])) != NULL &&
			    op[strlen(ops[i])] == '(') {
				memset(op, ' ', strlen(ops[i]));
				break;
			}
		n = strlen(l);
		if (n < 2 || strcmp(l + n - 1, ";") != 0)
			abort();
		check_line(l, true, true);
	}
	if (l == NULL || strcmp(l, "};") != 0)
		abort();
	l = strtok_r(NULL, "\n", save);
	snprintf(want, sizeof want, "template<> struct ab_wire::is_held<%s> : "
	    "std::true_type {};", name);
	if (l == NULL || strcmp(l, want) != 0)
		abort();
	*lp = l;
}

static void
check(const char *decls, bool cxx)
{
	char *copy = ab_xstrdup(decls), *l, *save = NULL;

	for (l = strtok_r(copy, "\n", &save); l != NULL;
	    l = strtok_r(NULL, "\n", &save)) {
		if (cxx && starts(l, "union ") && save != NULL &&
		    starts(save, "\tstd::uint64_t ab_id_;\n"))
			check_stand_in(&l, &save);
		else
			check_line(l, cxx, false);
	}
	free(copy);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *src = (const char *)data, *uses = "", *nl, *p;
	char *u = NULL, *s;
	size_t ulen = 0;
	struct ab_cp_out o;
	int lang;

	if (size >= 7 && memcmp(data, "//uses:", 7) == 0 &&
	    (nl = memchr(data, '\n', size)) != NULL) {
		u = ab_xstrndup(src + 7, (size_t)(nl - src) - 7);
		uses = u;
		ulen = strlen(u);
	}
	/* the library takes text: NUL bytes end it, as they end a file
	 * read by ab-exec (a JSON string) */
	s = ab_xstrndup(src, size);
	for (lang = 0; lang < 2; lang++) {
		ab_cp_build(lang ? AB_CP_CXX : AB_CP_C, s, strlen(s),
		    lang ? "solution.cpp" : "solution.c", uses, ulen, "f", s,
		    &o);
		check(o.decls, lang == 1);
		if ((p = getenv("AB_CPROXY_PRINT")) != NULL &&
		    strcmp(p, lang ? "cpp" : "c") == 0)
			printf("==== decls\n%s==== proxies\n%s==== server\n%s"
			    "==== notes\n%s\n", o.decls, o.proxies, o.server,
			    o.notes);
		(void)ab_cp_mentions(lang ? AB_CP_CXX : AB_CP_C, s, strlen(s),
		    "f");
		ab_cp_out_release(&o);
	}
	free(s);
	free(u);
	return 0;
}
