/*
 * scan.c - a validating JSON scanner that builds a flat node array without
 * copying or unescaping strings.  ab-rank reads a handful of members from
 * records whose bulk (answers, code, test output) it never looks at; this
 * costs a fraction of a full jansson parse.
 */
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "report.h"

#define MAX_DEPTH 512

const char *const rk_record_skip[] = { "tests", "mutants", "hints", NULL };

struct sc {
	struct rk_json *j;
	const char *p, *start, *end;
	struct ab_error *err;
	const char *const *skip;
	int depth;
	int quiet;		/* > 0: validate, keep no nodes */
};

static int
fail(struct sc *s, const char *what)
{
	return ab_error_set(s->err, "parse", "invalid JSON: %s (column %ld)",
	    what, (long)(s->p - s->start) + 1);
}

static int
new_node(struct sc *s, enum rk_jtype t)
{
	struct rk_json *j = s->j;
	struct rk_jv *v;

	if (s->quiet)
		return 0;
	if (j->n == j->cap) {
		size_t cap = j->cap ? j->cap * 2 : 256;

		j->v = ab_xrealloc(j->v, cap * sizeof *j->v);
		j->cap = cap;
	}
	v = &j->v[j->n];
	memset(v, 0, sizeof *v);
	v->type = (uint8_t)t;
	v->child = v->next = -1;
	return (int)j->n++;
}

static void
ws(struct sc *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' ||
	    *s->p == '\n' || *s->p == '\r'))
		s->p++;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Scan a string at s->p (the opening quote); body and escapes out. */
static int
string(struct sc *s, const char **body, uint32_t *len, uint8_t *esc)
{
	const unsigned char *p = (const unsigned char *)s->p + 1,
	    *e = (const unsigned char *)s->end;
	int i;

	*esc = 0;
	*body = (const char *)p;
	for (;;) {
		/* The hot loop: sixteen plain bytes at a time with SSE2,
		 * else eight (a word holds a byte that needs a look when
		 * one of its bytes is a quote, a backslash or below 0x20),
		 * then byte by byte. */
#ifdef __SSE2__
		while (e - p >= 16) {
			__m128i v = _mm_loadu_si128((const __m128i *)p);
			__m128i q = _mm_cmpeq_epi8(v, _mm_set1_epi8('"'));
			__m128i b = _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'));
			/* Unsigned v < 0x20: max(v, 0x1f) == 0x1f. */
			__m128i c = _mm_cmpeq_epi8(_mm_max_epu8(v,
			    _mm_set1_epi8(0x1f)), _mm_set1_epi8(0x1f));
			int mask = _mm_movemask_epi8(_mm_or_si128(q,
			    _mm_or_si128(b, c)));

			if (mask != 0) {
				p += __builtin_ctz((unsigned)mask);
				break;
			}
			p += 16;
		}
#else
		while (e - p >= 8) {
			uint64_t v, q, b, c;

			memcpy(&v, p, 8);
			q = v ^ 0x2222222222222222ULL;
			b = v ^ 0x5c5c5c5c5c5c5c5cULL;
			q = (q - 0x0101010101010101ULL) & ~q;
			b = (b - 0x0101010101010101ULL) & ~b;
			c = (v - 0x2020202020202020ULL) & ~v;
			q = (q | b | c) & 0x8080808080808080ULL;
			if (q != 0) {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
				/* The lowest flagged byte is exact (borrows
				 * only run upwards). */
				p += __builtin_ctzll(q) >> 3;
#endif
				break;
			}
			p += 8;
		}
#endif
		while (p < e && *p != '"' && *p != '\\' && *p >= 0x20)
			p++;
		if (p >= e) {
			s->p = (const char *)p;
			return fail(s, "unterminated string");
		}
		if (*p == '"')
			break;
		if (*p < 0x20) {
			s->p = (const char *)p;
			return fail(s, "control character in string");
		}
		*esc = 1;
		p++;
		if (p >= e)
			continue;
		switch (*p) {
		case '"': case '\\': case '/': case 'b': case 'f': case 'n':
		case 'r': case 't':
			p++;
			break;
		case 'u':
			for (i = 1; i <= 4; i++)
				if (p + i >= e || hexval(p[i]) < 0) {
					s->p = (const char *)p;
					return fail(s, "bad \\u escape");
				}
			p += 5;
			break;
		default:
			s->p = (const char *)p;
			return fail(s, "bad escape");
		}
	}
	if ((size_t)(p - (const unsigned char *)*body) > UINT32_MAX)
		return fail(s, "string too long");
	*len = (uint32_t)(p - (const unsigned char *)*body);
	s->p = (const char *)p + 1;
	return 0;
}

static int
number(struct sc *s)
{
	const char *p = s->p, *e = s->end;

	if (p < e && *p == '-')
		p++;
	if (p < e && *p == '0')
		p++;
	else if (p < e && *p >= '1' && *p <= '9')
		while (p < e && *p >= '0' && *p <= '9')
			p++;
	else
		return fail(s, "bad number");
	if (p < e && *p == '.') {
		p++;
		if (p >= e || *p < '0' || *p > '9')
			return fail(s, "bad number");
		while (p < e && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < e && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < e && (*p == '+' || *p == '-'))
			p++;
		if (p >= e || *p < '0' || *p > '9')
			return fail(s, "bad number");
		while (p < e && *p >= '0' && *p <= '9')
			p++;
	}
	s->p = p;
	return 0;
}

static int value(struct sc *s);

/* Is a member name in the skip list? */
static bool
skipped(const struct sc *s, const char *key, uint32_t klen)
{
	int i;

	for (i = 0; s->skip != NULL && s->skip[i] != NULL; i++)
		if (s->skip[i][0] == key[0] && klen > 0 &&
		    strncmp(s->skip[i], key, klen) == 0 &&
		    s->skip[i][klen] == '\0')
			return true;
	return false;
}

static int
literal(struct sc *s, const char *word, enum rk_jtype t)
{
	size_t n = strlen(word);

	if ((size_t)(s->end - s->p) < n || memcmp(s->p, word, n) != 0)
		return fail(s, "unexpected character");
	s->p += n;
	return new_node(s, t);
}

/* Link node k after prev (or as first child of parent). */
static void
link_child(struct rk_json *j, int parent, int *prev, int k)
{
	if (*prev < 0)
		j->v[parent].child = k;
	else
		j->v[*prev].next = k;
	*prev = k;
}

static int
container(struct sc *s, bool obj)
{
	int me, prev = -1, k;
	const char *key = NULL;
	uint32_t klen = 0;
	uint8_t kesc = 0;

	if (++s->depth > MAX_DEPTH)
		return fail(s, "nesting too deep");
	me = new_node(s, obj ? RK_JOBJ : RK_JARR);
	s->p++;
	ws(s);
	if (s->p < s->end && *s->p == (obj ? '}' : ']')) {
		s->p++;
		s->depth--;
		return me;
	}
	for (;;) {
		if (obj) {
			ws(s);
			if (s->p >= s->end || *s->p != '"')
				return fail(s, "expected a member name");
			if (string(s, &key, &klen, &kesc) < 0)
				return -1;
			ws(s);
			if (s->p >= s->end || *s->p != ':')
				return fail(s, "expected ':'");
			s->p++;
		}
		if (obj && !s->quiet && !kesc && skipped(s, key, klen)) {
			/* Checked, but its contents are not kept. */
			s->quiet++;
			k = value(s);
			s->quiet--;
			if (k < 0)
				return -1;
			k = new_node(s, RK_JSKIPPED);
		} else if ((k = value(s)) < 0) {
			return -1;
		}
		if (!s->quiet) {
			if (obj) {
				s->j->v[k].key = key;
				s->j->v[k].klen = klen;
				s->j->v[k].kesc = kesc;
			}
			link_child(s->j, me, &prev, k);
		}
		ws(s);
		if (s->p < s->end && *s->p == ',') {
			s->p++;
			continue;
		}
		if (s->p < s->end && *s->p == (obj ? '}' : ']')) {
			s->p++;
			break;
		}
		return fail(s, obj ? "expected ',' or '}'" :
		    "expected ',' or ']'");
	}
	s->depth--;
	return me;
}

static int
value(struct sc *s)
{
	int k;
	const char *body;
	uint32_t len;
	uint8_t esc;
	const char *at;

	ws(s);
	if (s->p >= s->end)
		return fail(s, "unexpected end of input");
	switch (*s->p) {
	case '{':
		return container(s, true);
	case '[':
		return container(s, false);
	case '"':
		if (string(s, &body, &len, &esc) < 0)
			return -1;
		k = new_node(s, RK_JSTR);
		if (!s->quiet) {
			s->j->v[k].s = body;
			s->j->v[k].len = len;
			s->j->v[k].esc = esc;
		}
		return k;
	case 't':
		return literal(s, "true", RK_JTRUE);
	case 'f':
		return literal(s, "false", RK_JFALSE);
	case 'n':
		return literal(s, "null", RK_JNULL);
	default:
		if (*s->p != '-' && (*s->p < '0' || *s->p > '9'))
			return fail(s, "unexpected character");
		at = s->p;
		if (number(s) < 0)
			return -1;
		k = new_node(s, RK_JNUM);
		if (!s->quiet) {
			s->j->v[k].s = at;
			s->j->v[k].len = (uint32_t)(s->p - at);
		}
		return k;
	}
}

int
rk_json_scan(struct rk_json *j, const char *text, size_t len,
    const char *const *skip, struct ab_error *err)
{
	struct sc s = { j, text, text, text + len, err, skip, 0, 0 };

	j->n = 0;
	j->slen = 0;
	/* Unescaped strings are never longer than their raw text, plus a
	 * NUL each (a string takes at least two bytes of text). */
	if (j->scap < 2 * len + 64) {
		free(j->scratch);
		j->scap = 2 * len + 64;
		j->scratch = ab_xmalloc(j->scap);
	}
	if (value(&s) < 0)
		return -1;
	ws(&s);
	if (s.p != s.end)
		return fail(&s, "end of file expected");
	return 0;
}

void
rk_json_release(struct rk_json *j)
{
	free(j->v);
	free(j->scratch);
	memset(j, 0, sizeof *j);
}

/* Compare a raw (possibly escaped) key with a plain one. */
static bool
key_eq(const struct rk_jv *v, const char *key, size_t klen)
{
	char buf[256];
	long n;

	if (!v->kesc)
		return v->klen == klen && memcmp(v->key, key, klen) == 0;
	if (v->klen >= sizeof buf)
		return false;
	n = ab_json_unescape(v->key, v->klen, buf);
	return n == (long)klen && memcmp(buf, key, klen) == 0;
}

static int
get_n(const struct rk_json *j, int obj, const char *key, size_t klen)
{
	const struct rk_jv *v;
	int k;

	if (obj < 0 || (size_t)obj >= j->n || j->v[obj].type != RK_JOBJ)
		return -1;
	for (k = j->v[obj].child; k >= 0; k = v->next) {
		v = &j->v[k];
		if ((v->kesc || v->klen == klen) && key_eq(v, key, klen))
			return k;
	}
	return -1;
}

void
rk_json_pick(const struct rk_json *j, int obj, const char *const *names,
    int *out, int n)
{
	const struct rk_jv *v;
	size_t len[32];
	int i, k, left = n;

	for (i = 0; i < n; i++) {
		out[i] = -1;
		len[i] = strlen(names[i]);
	}
	if (obj < 0 || (size_t)obj >= j->n || j->v[obj].type != RK_JOBJ)
		return;
	for (k = j->v[obj].child; k >= 0 && left > 0; k = v->next) {
		v = &j->v[k];
		for (i = 0; i < n; i++)
			if (out[i] < 0 && (v->kesc || v->klen == len[i]) &&
			    key_eq(v, names[i], len[i])) {
				out[i] = k;
				left--;
				break;
			}
	}
}

int
rk_json_get(const struct rk_json *j, int obj, const char *key)
{
	return get_n(j, obj, key, strlen(key));
}

int
rk_json_path(const struct rk_json *j, int from, const char *path)
{
	const char *dot;
	size_t n;

	while (from >= 0 && *path != '\0') {
		for (dot = path; *dot != '\0' && *dot != '.'; dot++)
			;
		n = (size_t)(dot - path);
		from = get_n(j, from, path, n);
		path += n + (*dot == '.');
	}
	return from;
}

const char *
rk_json_str(struct rk_json *j, int node, size_t *len)
{
	const struct rk_jv *v;
	size_t need, base;
	long n;

	if (node < 0 || (size_t)node >= j->n || j->v[node].type != RK_JSTR)
		return NULL;
	v = &j->v[node];
	need = j->slen + v->len + 1;
	/* rk_json_scan sized scratch for every string of the document, so
	 * strings handed out earlier never move. */
	if (need > j->scap)
		return NULL;
	base = j->slen;
	n = ab_json_unescape(v->s, v->len, j->scratch + base);
	if (n < 0)
		return NULL;
	j->scratch[base + (size_t)n] = '\0';
	j->slen = base + (size_t)n + 1;
	if (len != NULL)
		*len = (size_t)n;
	return j->scratch + base;
}

bool
rk_json_num(const struct rk_json *j, int node, double *out)
{
	static const double pow10[] = { 1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7,
	    1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15 };
	char buf[64], *end;
	const struct rk_jv *v;
	const char *p, *e;
	uint64_t m = 0;
	int digits = 0, frac = 0;
	bool neg = false, dot = false;

	if (node < 0 || (size_t)node >= j->n || j->v[node].type != RK_JNUM)
		return false;
	v = &j->v[node];
	/* Most numbers are short decimals: mantissa and power of ten are
	 * exact doubles, so one division rounds correctly.  Anything else
	 * goes to strtod. */
	p = v->s;
	e = p + v->len;
	if (p < e && *p == '-') {
		neg = true;
		p++;
	}
	for (; p < e; p++) {
		if (*p >= '0' && *p <= '9') {
			m = m * 10 + (uint64_t)(*p - '0');
			if (m != 0)
				digits++;
			frac += dot;
		} else if (*p == '.' && !dot) {
			dot = true;
		} else {
			break;
		}
	}
	if (p == e && digits <= 15 && frac <= 15) {
		*out = (double)m / pow10[frac];
		if (neg)
			*out = -*out;
		return true;
	}
	if (v->len >= sizeof buf) {
		*out = 0;
		return true;
	}
	memcpy(buf, v->s, v->len);
	buf[v->len] = '\0';
	*out = strtod(buf, &end);
	return true;
}
