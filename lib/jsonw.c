/*
 * jsonw.c - the record writer: compact JSON in the member order of the
 * value, strings escaped as jansson's JSON_COMPACT escapes them, and each
 * real written with the fewest digits (15 to 17) that read back as the
 * same double, so that a number survives every stage bit-exact without
 * the binary noise of %.17g (0.4 stays 0.4, not 0.40000000000000002).
 * Faster than json_dumps, which formats through a callback per piece.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ab.h"

static void
put_string(struct ab_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i, run = 0;
	unsigned char c;
	char esc[6];

	ab_buf_addc(b, '"');
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		ab_buf_add(b, s + run, i - run);
		run = i + 1;
		switch (c) {
		case '"': ab_buf_add(b, "\\\"", 2); break;
		case '\\': ab_buf_add(b, "\\\\", 2); break;
		case '\b': ab_buf_add(b, "\\b", 2); break;
		case '\f': ab_buf_add(b, "\\f", 2); break;
		case '\n': ab_buf_add(b, "\\n", 2); break;
		case '\r': ab_buf_add(b, "\\r", 2); break;
		case '\t': ab_buf_add(b, "\\t", 2); break;
		default:
			esc[0] = '\\';
			esc[1] = 'u';
			esc[2] = '0';
			esc[3] = '0';
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			ab_buf_add(b, esc, 6);
		}
	}
	ab_buf_add(b, s + run, n - run);
	ab_buf_addc(b, '"');
}

/* d when it is a number of thousandths m / 1000 with |m| < 10^15, else
 * 0 (and d is not written here).  Such a decimal has at most 15
 * significant digits, so %.15g writes exactly it (DBL_DIG): its digits,
 * trailing zeros of the fraction dropped.  This is what the records'
 * times and rates are (rounded to the microsecond), written without
 * snprintf and strtod. */
static size_t
milli(double d, char out[AB_JSON_REAL_MAX])
{
	char tmp[24];
	long long m;
	unsigned long long u, ip;
	unsigned frac;
	size_t n = 0, k = 0;

	if (!(fabs(d) < 1e12) || (d == 0 && signbit(d)))
		return 0;
	m = llround(d * 1000);
	if ((double)m / 1000 != d)
		return 0;
	if (m < 0)
		out[n++] = '-';
	u = m < 0 ? 0ULL - (unsigned long long)m : (unsigned long long)m;
	ip = u / 1000;
	frac = (unsigned)(u % 1000);
	do
		tmp[k++] = (char)('0' + ip % 10);
	while ((ip /= 10) > 0);
	while (k > 0)
		out[n++] = tmp[--k];
	out[n++] = '.';
	out[n++] = (char)('0' + frac / 100);
	if (frac % 100 != 0) {
		out[n++] = (char)('0' + frac / 10 % 10);
		if (frac % 10 != 0)
			out[n++] = (char)('0' + frac % 10);
	}
	out[n] = '\0';
	return n;
}

/*
 * The text ab_json_real gives d when 1e-4 <= |d| < 1e15 and d is the
 * double nearest a decimal m / 10^k of at most 15 digits (most numbers in
 * records: 7.6, 0.0004092): that decimal, which is what "%.15g" writes
 * (d is within half an ulp of it, less than half a unit of the 15th
 * digit) and what strtod reads back as d.  0 when d is not such a number.
 */
static size_t
real_short(double d, char out[AB_JSON_REAL_MAX])
{
	static const double p10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7,
	    1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
	    1e19 };
	double a = fabs(d), s, m;
	unsigned long long u, ip, fp;
	char digits[24];
	size_t n = 0, len;
	int k, i;

	if (!(a >= 1e-4 && a < 1e15))
		return 0;
	for (k = 0; k < (int)(sizeof p10 / sizeof p10[0]); k++) {
		s = a * p10[k];
		if (s >= 1e15)
			return 0;	/* more than 15 digits */
		m = nearbyint(s);
		if (m / p10[k] == a)
			break;
	}
	if (k == (int)(sizeof p10 / sizeof p10[0]))
		return 0;
	u = (unsigned long long)m;
	ip = u / (unsigned long long)p10[k];
	fp = u % (unsigned long long)p10[k];
	if (d < 0)
		out[n++] = '-';
	len = (size_t)snprintf(digits, sizeof digits, "%llu", ip);
	memcpy(out + n, digits, len);
	n += len;
	out[n++] = '.';
	if (k == 0) {
		out[n++] = '0';
	} else {
		for (i = k - 1; i >= 0; i--) {
			out[n + (size_t)i] = (char)('0' + fp % 10);
			fp /= 10;
		}
		n += (size_t)k;
	}
	out[n] = '\0';
	return n;
}

size_t
ab_json_real(double d, char out[AB_JSON_REAL_MAX])
{
	char *e, *p;
	int prec, n = 0;
	size_t len;

	if (!isfinite(d)) {
		/* jansson cannot hold one; never write one as a number. */
		memcpy(out, "null", 5);
		return 4;
	}
	if ((len = milli(d, out)) > 0 || (len = real_short(d, out)) > 0)
		return len;
	for (prec = 15; prec <= 17; prec++) {
		n = snprintf(out, AB_JSON_REAL_MAX, "%.*g", prec, d);
		if (prec == 17 || strtod(out, NULL) == d)
			break;
	}
	/* As jansson writes reals: a '.' or an 'e' always (or the value
	 * would read back as an integer), no '+' and no leading zeros in the
	 * exponent. */
	if ((e = strchr(out, 'e')) == NULL) {
		if (strchr(out, '.') == NULL) {
			memcpy(out + n, ".0", 3);
			n += 2;
		}
		return (size_t)n;
	}
	p = e + 1;
	if (*p == '+')
		memmove(p, p + 1, strlen(p));
	if (*p == '-')
		p++;
	while (p[0] == '0' && p[1] != '\0')
		memmove(p, p + 1, strlen(p));
	return strlen(out);
}

void
ab_json_add(struct ab_buf *b, const json_t *v)
{
	const char *k;
	json_t *m;
	size_t i;
	char num[AB_JSON_REAL_MAX];
	bool first = true;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		ab_buf_addc(b, '{');
		json_object_foreach((json_t *)v, k, m) {
			if (!first)
				ab_buf_addc(b, ',');
			first = false;
			put_string(b, k, strlen(k));
			ab_buf_addc(b, ':');
			ab_json_add(b, m);
		}
		ab_buf_addc(b, '}');
		break;
	case JSON_ARRAY:
		ab_buf_addc(b, '[');
		json_array_foreach(v, i, m) {
			if (i > 0)
				ab_buf_addc(b, ',');
			ab_json_add(b, m);
		}
		ab_buf_addc(b, ']');
		break;
	case JSON_STRING:
		put_string(b, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		ab_buf_add(b, num, (size_t)snprintf(num, sizeof num,
		    "%" JSON_INTEGER_FORMAT, json_integer_value(v)));
		break;
	case JSON_REAL:
		ab_buf_add(b, num, ab_json_real(json_real_value(v), num));
		break;
	case JSON_TRUE:
		ab_buf_add(b, "true", 4);
		break;
	case JSON_FALSE:
		ab_buf_add(b, "false", 5);
		break;
	default:
		ab_buf_add(b, "null", 4);
	}
}

void
ab_json_add_key(struct ab_buf *b, const char *key)
{
	put_string(b, key, strlen(key));
	ab_buf_addc(b, ':');
}

char *
ab_json_text(const json_t *v)
{
	struct ab_buf b = AB_BUF_INIT;

	ab_json_add(&b, v);
	return ab_buf_detach(&b);
}
