/*
 * compare.c - the comparators: program output against the expected
 * text, a returned JSON value against the expected one.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec-int.h"

bool
ab_ex_next_line(const char **p, const char *end, struct span *line)
{
	const char *nl;

	if (*p >= end)
		return false;
	nl = memchr(*p, '\n', (size_t)(end - *p));
	line->s = *p;
	line->n = (size_t)((nl ? nl : end) - *p);
	*p = nl ? nl + 1 : end;
	return true;
}
static size_t
rtrim(const char *s, size_t n)
{
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
	    s[n - 1] == '\r' || s[n - 1] == '\f' || s[n - 1] == '\v'))
		n--;
	return n;
}

/* Lines with trailing blanks removed and trailing empty lines dropped. */
bool
ab_same_trailing(const char *a, size_t an, const char *b, size_t bn)
{
	const char *pa = a, *pb = b, *ea = a + an, *eb = b + bn;
	struct span la, lb;
	bool ha, hb;

	for (;;) {
		ha = ab_ex_next_line(&pa, ea, &la);
		hb = ab_ex_next_line(&pb, eb, &lb);
		if (ha)
			la.n = rtrim(la.s, la.n);
		if (hb)
			lb.n = rtrim(lb.s, lb.n);
		if (!ha && !hb)
			return true;
		if (ha && hb) {
			if (la.n != lb.n || memcmp(la.s, lb.s, la.n) != 0)
				return false;
			continue;
		}
		/* One side ended: the rest of the other must be blank. */
		for (;;) {
			struct span *l = ha ? &la : &lb;

			if (rtrim(l->s, l->n) != 0)
				return false;
			if (ha)
				ha = ab_ex_next_line(&pa, ea, &la);
			else
				hb = ab_ex_next_line(&pb, eb, &lb);
			if (!ha && !hb)
				return true;
		}
	}
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	    c == '\v';
}

static bool
next_token(const char **p, const char *end, struct span *t)
{
	while (*p < end && is_space(**p))
		(*p)++;
	if (*p >= end)
		return false;
	t->s = *p;
	while (*p < end && !is_space(**p))
		(*p)++;
	t->n = (size_t)(*p - t->s);
	return true;
}

static bool
token_number(const struct span *t, double *v)
{
	char buf[128], *end;

	if (t->n == 0 || t->n >= sizeof buf)
		return false;
	memcpy(buf, t->s, t->n);
	buf[t->n] = '\0';
	errno = 0;
	*v = strtod(buf, &end);
	return *end == '\0' && errno != ERANGE;
}

bool
ab_same_tokens(const char *a, size_t an, const char *b, size_t bn, bool fl,
    double tol)
{
	const char *pa = a, *pb = b, *ea = a + an, *eb = b + bn;
	struct span ta, tb;
	bool ha, hb;
	double x, y;

	for (;;) {
		ha = next_token(&pa, ea, &ta);
		hb = next_token(&pb, eb, &tb);
		if (!ha || !hb)
			return ha == hb;
		if (ta.n == tb.n && memcmp(ta.s, tb.s, ta.n) == 0)
			continue;
		if (!fl || !token_number(&ta, &x) || !token_number(&tb, &y))
			return false;
		if (isnan(x) || isnan(y) ? !(isnan(x) && isnan(y)) :
		    !(fabs(x - y) <= tol || fabs(x - y) <= tol * fabs(y)))
			return false;
	}
}

/* Two JSON numbers equal by value: two integers exactly, two reals as
 * doubles, an integer and a real exactly (the real integral and equal to
 * the integer, however large); with tol > 0, a real on either side may
 * differ by tol, absolute or relative to b's. */
static bool
same_number(const json_t *a, const json_t *b, double tol)
{
	double x = json_number_value(a), y = json_number_value(b);

	if (json_is_integer(a) && json_is_integer(b))
		return json_integer_value(a) == json_integer_value(b);
	if (json_is_real(a) && json_is_real(b))
		;
	else {
		const json_t *i = json_is_integer(a) ? a : b;
		double r = json_is_integer(a) ? y : x;

		/* 2^63 and beyond are no json_int_t. */
		if (r == trunc(r) && r >= -9223372036854775808.0 &&
		    r < 9223372036854775808.0 &&
		    (json_int_t)r == json_integer_value(i))
			return true;
		if (tol <= 0)
			return false;
	}
	return x == y || (tol > 0 && (fabs(x - y) <= tol ||
	    fabs(x - y) <= tol * fabs(y)));
}

bool
ab_same_json(const json_t *a, const json_t *b, double tol, bool strict)
{
	size_t i;
	const char *k;
	json_t *v;

	if (json_is_number(a) && json_is_number(b) && (!strict ||
	    json_typeof(a) == json_typeof(b)))
		return same_number(a, b, tol);
	if (json_typeof(a) != json_typeof(b))
		return false;
	switch (json_typeof(a)) {
	case JSON_ARRAY:
		if (json_array_size(a) != json_array_size(b))
			return false;
		for (i = 0; i < json_array_size(a); i++)
			if (!ab_same_json(json_array_get(a, i),
			    json_array_get(b, i), tol, strict))
				return false;
		return true;
	case JSON_OBJECT:
		if (json_object_size(a) != json_object_size(b))
			return false;
		json_object_foreach((json_t *)a, k, v) {
			json_t *w = json_object_get(b, k);

			if (w == NULL || !ab_same_json(v, w, tol, strict))
				return false;
		}
		return true;
	default:
		return json_equal((json_t *)a, (json_t *)b) == 1;
	}
}

/* A number as text: an integer's digits, a real's shortest form that
 * reads back the same, with ".0" when it looks like an integer. */
static void
add_number(struct ab_buf *b, const json_t *n)
{
	char s[64];
	double x;
	int p;

	if (json_is_integer(n)) {
		ab_buf_addf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(n));
		return;
	}
	x = json_real_value(n);
	for (p = 1; p <= 17; p++) {
		snprintf(s, sizeof s, "%.*g", p, x);
		if (strtod(s, NULL) == x)
			break;
	}
	ab_buf_adds(b, s);
	if (strpbrk(s, ".eEn") == NULL)
		ab_buf_adds(b, ".0");
}

/* The first pair of numbers of different types in a and b, which are
 * equal by value; path is where (jq's notation). */
static bool
first_type_diff(const json_t *a, const json_t *b, struct ab_buf *path,
    const json_t **x, const json_t **y)
{
	size_t i, len = path->len;
	const char *k;
	json_t *v;

	if (json_is_number(a) && json_is_number(b)) {
		if (json_typeof(a) == json_typeof(b))
			return false;
		*x = a;
		*y = b;
		return true;
	}
	if (json_is_array(a) && json_is_array(b)) {
		for (i = 0; i < json_array_size(a) && i < json_array_size(b);
		    i++) {
			ab_buf_addf(path, "[%zu]", i);
			if (first_type_diff(json_array_get(a, i),
			    json_array_get(b, i), path, x, y))
				return true;
			path->len = len;
		}
	} else if (json_is_object(a) && json_is_object(b)) {
		json_object_foreach((json_t *)a, k, v) {
			json_t *w = json_object_get(b, k), *ks;
			char *q;

			if (w == NULL)
				continue;
			ks = json_string(k);
			q = ks ? json_dumps(ks, JSON_ENCODE_ANY) : NULL;
			ab_buf_addf(path, "[%s]", q ? q : "?");
			free(q);
			json_decref(ks);
			if (first_type_diff(v, w, path, x, y))
				return true;
			path->len = len;
		}
	}
	return false;
}

char *
ab_json_type_diff(const json_t *actual, const json_t *expected, double tol)
{
	struct ab_buf path = AB_BUF_INIT, msg = AB_BUF_INIT;
	const json_t *x, *y;

	if (!ab_same_json(actual, expected, tol, false) ||
	    !first_type_diff(actual, expected, &path, &x, &y)) {
		ab_buf_release(&path);
		return NULL;
	}
	ab_buf_adds(&msg, "expected ");
	add_number(&msg, y);
	ab_buf_adds(&msg, json_is_real(y) ? " (float), got " : " (int), got ");
	add_number(&msg, x);
	ab_buf_adds(&msg, json_is_real(x) ? " (float)" : " (int)");
	if (path.len > 0)
		ab_buf_addf(&msg, " at .%.*s", (int)path.len, path.s);
	ab_buf_release(&path);
	return ab_buf_detach(&msg);
}
