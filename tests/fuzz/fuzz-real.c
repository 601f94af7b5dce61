/* fuzz-real.c - the record writer's reals (lib/jsonw.c) read back
 * bit-exact: each 8 bytes of the input are a double's bits; its text
 * must strtod back to the same bits, stay a real (a '.' or an 'e'), use
 * no more digits than needed (%.15g when that reads back), and, in a
 * record, jansson must read the same real back.  Each 8 bytes also give
 * a short decimal (k / 10^p), which must come out as short as %.15g.
 * tests/t0002-fuzz.sh also feeds it a million random doubles. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ab.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Significant digits of a number's text: its mantissa without sign,
 * point, leading and trailing zeros. */
static size_t
digits(const char *s)
{
	char m[64];
	size_t i, n = 0, first = 0;

	for (i = 0; s[i] != '\0' && s[i] != 'e' && n < sizeof m - 1; i++)
		if (s[i] >= '0' && s[i] <= '9')
			m[n++] = s[i];
	while (first < n && m[first] == '0')
		first++;
	while (n > first && m[n - 1] == '0')
		n--;
	return n - first;
}

static void
check(double d, bool record)
{
	char text[AB_JSON_REAL_MAX], g15[64], *end, *rec;
	size_t n;
	double back;
	json_t *v, *r;

	if (!isfinite(d))
		return;
	n = ab_json_real(d, text);
	if (n != strlen(text) || strpbrk(text, ".e") == NULL)
		abort();
	back = strtod(text, &end);
	if (*end != '\0' || memcmp(&back, &d, sizeof d) != 0)
		abort();
	snprintf(g15, sizeof g15, "%.15g", d);
	if (digits(text) > (strtod(g15, NULL) == d ? digits(g15) : 17))
		abort();
	if (!record)
		return;
	/* Through jansson, as the next stage reads it. */
	v = json_pack("{s:f}", "x", d);
	rec = ab_json_text(v);
	r = json_loads(rec, 0, NULL);
	if (r == NULL || !json_is_real(json_object_get(r, "x")))
		abort();
	back = json_real_value(json_object_get(r, "x"));
	if (memcmp(&back, &d, sizeof d) != 0)
		abort();
	json_decref(r);
	json_decref(v);
	free(rec);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const double pow10[] = { 1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7,
	    1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15 };
	uint64_t k;
	double d;
	size_t i;

	for (i = 0; i + 8 <= size; i += 8) {
		memcpy(&d, data + i, sizeof d);
		check(d, true);
		memcpy(&k, data + i, sizeof k);
		check((double)(int64_t)(k >> 11 & ((1ULL << 40) - 1)) /
		    pow10[k & 15], false);
	}
	return 0;
}
