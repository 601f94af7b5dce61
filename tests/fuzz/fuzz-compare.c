/* fuzz-compare.c - the comparators every verdict rests on, on arbitrary
 * bytes.  The first byte picks the tolerance; the rest is two inputs
 * separated by the first NUL (or one input compared with itself).  Each
 * comparator must be reflexive, symmetric where its definition is, and
 * blind to what it promises to ignore; the JSON one, type-strict, must
 * agree with jansson's own equality, and by value only add equalities
 * between numbers (integers exactly, never a boolean). */
#include <stdlib.h>
#include <string.h>

#include "ab.h"
#include "exec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const double tols[] = { 0, 1e-9, 1e-6, 0.5 };

static void
check_text(const char *a, size_t an, const char *b, size_t bn, double tol)
{
	struct ab_buf pad = AB_BUF_INIT;
	bool t, f;

	if (!ab_same_trailing(a, an, a, an) ||
	    !ab_same_tokens(a, an, a, an, false, 0) ||
	    !ab_same_tokens(a, an, a, an, true, tol))
		abort();
	t = ab_same_trailing(a, an, b, bn);
	if (t != ab_same_trailing(b, bn, a, an))
		abort();
	f = ab_same_tokens(a, an, b, bn, false, 0);
	if (f != ab_same_tokens(b, bn, a, an, false, 0))
		abort();
	/* float only adds equalities to tokens; tokens to trailing */
	if (f && !ab_same_tokens(a, an, b, bn, true, tol))
		abort();
	if (t && !f)
		abort();
	/* trailing blanks and empty lines are ignored */
	ab_buf_add(&pad, a, an);
	ab_buf_adds(&pad, " \t\r\n\n \n");
	if (!ab_same_trailing(a, an, pad.s, pad.len) ||
	    !ab_same_tokens(pad.s, pad.len, a, an, false, 0))
		abort();
	ab_buf_release(&pad);
}

static void
check_json(const char *a, size_t an, const char *b, size_t bn, double tol)
{
	json_t *x = json_loadb(a, an, JSON_DECODE_ANY, NULL);
	json_t *y = json_loadb(b, bn, JSON_DECODE_ANY, NULL);
	json_t *x2;
	char *s, *why;

	if (x != NULL) {
		if (!ab_same_json(x, x, 0, true) || !ab_same_json(x, x, tol,
		    false) || ab_json_type_diff(x, x, tol) != NULL)
			abort();
		/* what ab-exec writes reads back the same */
		s = json_dumps(x, JSON_COMPACT | JSON_ENCODE_ANY);
		x2 = s ? json_loads(s, JSON_DECODE_ANY, NULL) : NULL;
		if (x2 == NULL || !ab_same_json(x, x2, 0, true))
			abort();
		free(s);
		json_decref(x2);
	}
	if (x != NULL && y != NULL) {
		bool strict = ab_same_json(x, y, 0, true);
		bool value = ab_same_json(x, y, 0, false);

		/* type-strict equality is jansson's */
		if (strict != ab_same_json(y, x, 0, true) ||
		    strict != (json_equal(x, y) == 1))
			abort();
		/* by value only adds equalities, and is symmetric */
		if ((strict && !value) || value != ab_same_json(y, x, 0, false))
			abort();
		/* two integers: by value is exact, however large */
		if (json_is_integer(x) && json_is_integer(y) &&
		    value != (json_integer_value(x) == json_integer_value(y)))
			abort();
		/* a boolean never equals a number */
		if (json_is_boolean(x) && json_is_number(y) &&
		    ab_same_json(x, y, tol, false))
			abort();
		/* a tolerance only adds equalities */
		if ((strict && !ab_same_json(x, y, tol, true)) ||
		    (value && !ab_same_json(x, y, tol, false)))
			abort();
		/* the type message exactly when only types differ */
		why = ab_json_type_diff(x, y, tol);
		if ((why != NULL) != (ab_same_json(x, y, tol, false) &&
		    !ab_same_json(x, y, tol, true)) ||
		    (why != NULL && strstr(why, "expected ") != why))
			abort();
		free(why);
	}
	json_decref(x);
	json_decref(y);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data + 1, *z;
	size_t n, an, bn;
	double tol;

	if (size == 0)
		return 0;
	tol = tols[data[0] & 3];
	n = size - 1;
	z = memchr(s, '\0', n);
	an = z != NULL ? (size_t)(z - s) : n;
	bn = z != NULL ? n - an - 1 : n;
	check_text(s, an, z != NULL ? z + 1 : s, bn, tol);
	check_json(s, an, z != NULL ? z + 1 : s, bn, tol);
	return 0;
}
