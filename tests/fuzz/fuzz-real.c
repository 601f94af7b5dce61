/* fuzz-real.c - the record writer's reals (lib/jsonw.c) read back
 * bit-exact: each 8 bytes of the input are a double's bits; its text
 * must strtod back to the same bits, stay a real (a '.' or an 'e'), use
 * no more digits than needed (%.15g when that reads back), and jansson
 * must read it as JSON, the same real.  Each 8 bytes also give a short
 * decimal (k / 10^p), whose text must read back and be as short as
 * %.15g.
 * tests/t0002-fuzz.sh also feeds it a million random doubles.
 *
 * In a record, ab_json_text writes a real as ab_json_real does (checked:
 * the text of {"x": d} is {"x":TEXT}) and jansson reads the record back;
 * that path, twice the work of the rest (ab_json_real again, objects
 * made and parsed), is taken for one double in RECORD_EVERY and for
 * every input shorter than that many doubles (a corpus file): what it
 * adds to the checks above is the record writer's use of ab_json_real,
 * which is the same for every double. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ab.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define RECORD_EVERY 64

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

/* The checks of d: its text (short: only that), jansson's reading of it
 * (all doubles of the input), and the record path (record). */
static void
check(double d, bool short_decimal, bool record)
{
	char text[AB_JSON_REAL_MAX], g15[64], *end, *rec, *want;
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
	if (short_decimal)
		return;
	/* jansson reads the text as JSON, the same real. */
	r = json_loadb(text, n, JSON_DECODE_ANY, NULL);
	if (r == NULL || !json_is_real(r))
		abort();
	back = json_real_value(r);
	if (memcmp(&back, &d, sizeof d) != 0)
		abort();
	json_decref(r);
	if (!record)
		return;
	/* In a record, as the next stage reads it. */
	v = json_pack("{s:f}", "x", d);
	rec = ab_json_text(v);
	want = ab_xasprintf("{\"x\":%s}", text);
	if (strcmp(rec, want) != 0)
		abort();
	r = json_loads(rec, 0, NULL);
	if (r == NULL || !json_is_real(json_object_get(r, "x")))
		abort();
	back = json_real_value(json_object_get(r, "x"));
	if (memcmp(&back, &d, sizeof d) != 0)
		abort();
	json_decref(r);
	json_decref(v);
	free(rec);
	free(want);
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
		check(d, false,
		    size < 8 * RECORD_EVERY || i / 8 % RECORD_EVERY == 0);
		memcpy(&k, data + i, sizeof k);
		check((double)(int64_t)(k >> 11 & ((1ULL << 40) - 1)) /
		    pow10[k & 15], true, false);
	}
	return 0;
}
