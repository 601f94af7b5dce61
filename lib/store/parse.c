/* parse.c - reading record lines fast.
 *
 * Every record of a benchmark carries its task, often the largest member,
 * and the same task comes back in every sample and configuration: a task
 * whose text is byte for byte one already parsed is cut out of the line
 * before parsing and replaced by the earlier task object.  The answer and
 * the code, most of the rest, are strings that are cut out too and
 * unescaped here, several times faster than jansson reads strings. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "store-int.h"

#define TASK_SLOTS 1024		/* a direct-mapped cache of task texts */

struct task_slot {
	uint64_t hash;
	char *text;		/* the member's text as in the line */
	size_t len;
	json_t *task;		/* the parsed task */
};

struct line_cache {
	struct task_slot slot[TASK_SLOTS];
	struct ab_buf line;	/* the line with its big parts cut out */
	struct ab_buf text, code;	/* gen.text and extract.code */
	struct ab_buf tmp;	/* strings of the fast parser */
};

static size_t
skip_ws(const char *s, size_t i, size_t n)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' ||
	    s[i] == '\r'))
		i++;
	return i;
}

/* The end of the string starting at s[i] == '"' (after its closing
 * quote), or 0 when it does not end. */
static size_t
skip_string(const char *s, size_t i, size_t n)
{
	const char *q;

	for (i++; i < n; i++) {
		/* jump to the next quote; a quote after an odd number of
		 * backslashes is escaped */
		if ((q = memchr(s + i, '"', n - i)) == NULL)
			return 0;
		i = (size_t)(q - s);
		{
			size_t b = i;

			while (b > 0 && s[b - 1] == '\\')
				b--;
			if ((i - b) % 2 == 0)
				return i + 1;
		}
	}
	return 0;
}

/* The end of the value starting at s[i], or 0 on malformed input. */
static size_t
skip_value(const char *s, size_t i, size_t n)
{
	int depth = 0;

	if (i >= n)
		return 0;
	if (s[i] == '"')
		return skip_string(s, i, n);
	if (s[i] != '{' && s[i] != '[') {
		while (i < n && s[i] != ',' && s[i] != '}' && s[i] != ']' &&
		    s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			i++;
		return i;
	}
	for (; i < n; i++) {
		switch (s[i]) {
		case '"':
			if ((i = skip_string(s, i, n)) == 0)
				return 0;
			i--;
			break;
		case '{':
		case '[':
			depth++;
			break;
		case '}':
		case ']':
			if (--depth == 0)
				return i + 1;
			break;
		}
	}
	return 0;
}

/* Where the value of member key of the object starting at s[i] is:
 * [*vs, *ve).  False when it is not there, or for text this does not
 * understand, which is left to the parser. */
static bool
find_member(const char *s, size_t n, size_t i, const char *key,
    size_t *vs, size_t *ve)
{
	size_t klen = strlen(key), k, ke;

	i = skip_ws(s, i, n);
	if (i >= n || s[i] != '{')
		return false;
	for (i++;;) {
		i = skip_ws(s, i, n);
		if (i >= n || s[i] != '"')
			return false;
		k = i + 1;
		if ((i = skip_string(s, i, n)) == 0)
			return false;
		ke = i - 1;
		i = skip_ws(s, i, n);
		if (i >= n || s[i] != ':')
			return false;
		i = skip_ws(s, i + 1, n);
		*vs = i;
		if ((i = skip_value(s, i, n)) == 0)
			return false;
		*ve = i;
		if (ke - k == klen && memcmp(s + k, key, klen) == 0)
			return true;
		i = skip_ws(s, i, n);
		if (i >= n || s[i] != ',')
			return false;
		i++;
	}
}

/* One pass over the top-level members: the value spans of "task", "gen"
 * and "extract" ({0, 0} when absent or not understood). */
static void
top_members(const char *s, size_t n, size_t span[3][2])
{
	static const char *const keys[] = { "task", "gen", "extract" };
	size_t i, k, ke, vs;
	int j;

	memset(span, 0, 3 * sizeof span[0]);
	i = skip_ws(s, 0, n);
	if (i >= n || s[i] != '{')
		return;
	for (i++;;) {
		i = skip_ws(s, i, n);
		if (i >= n || s[i] != '"')
			return;
		k = i + 1;
		if ((i = skip_string(s, i, n)) == 0)
			return;
		ke = i - 1;
		i = skip_ws(s, i, n);
		if (i >= n || s[i] != ':')
			return;
		vs = i = skip_ws(s, i + 1, n);
		if ((i = skip_value(s, i, n)) == 0)
			return;
		for (j = 0; j < 3; j++) {
			if (ke - k == strlen(keys[j]) &&
			    memcmp(s + k, keys[j], ke - k) == 0) {
				span[j][0] = vs;
				span[j][1] = i;
			}
		}
		i = skip_ws(s, i, n);
		if (i >= n || s[i] != ',')
			return;
		i++;
	}
}

/* The value of the JSON string s[0..n) (with its quotes) into b, checked
 * as jansson checks it.  False when jansson would refuse it. */
static bool
unescape(const char *s, size_t n, struct ab_buf *b)
{
	long len;

	ab_buf_reset(b);
	if (n < 2 || s[0] != '"' || s[n - 1] != '"')
		return false;
	if (b->cap < n) {
		ab_buf_add(b, s, n);	/* room for the decoded body */
		ab_buf_reset(b);
	}
	if ((len = ab_json_unescape(s + 1, n - 2, b->s)) < 0)
		return false;
	b->len = (size_t)len;
	b->s[b->len] = '\0';
	return true;
}

static uint64_t
fnv1a(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

/*
 * A parser of the JSON jansson reads (json_loadb with
 * JSON_REJECT_DUPLICATES, as ab_parse_record calls it) into the same
 * jansson values, several times faster than jansson's lexer, which reads a
 * character at a time.  Anything it does not take as jansson would (a
 * duplicate key, an odd number, a string jansson refuses, deep nesting,
 * text after the value) makes it give up: NULL, and the caller asks
 * jansson, for the same value or the same error.
 */
#define FAST_DEPTH 200

static json_t *fast_value(const char *s, size_t n, size_t *pos, int depth,
    struct ab_buf *tmp);

/* The string s[*pos] == '"' unescaped into tmp; false when not taken. */
static bool
fast_string(const char *s, size_t n, size_t *pos, struct ab_buf *tmp)
{
	size_t end = skip_string(s, *pos, n);

	if (end == 0 || !unescape(s + *pos, end - *pos, tmp))
		return false;
	*pos = end;
	return true;
}

static json_t *
fast_number(const char *s, size_t n, size_t *pos)
{
	char num[48], *e;
	size_t i = *pos, start = i, digits;
	bool real = false;
	double d;

	if (i < n && s[i] == '-')
		i++;
	if (i >= n || s[i] < '0' || s[i] > '9')
		return NULL;
	if (s[i] == '0') {
		i++;
		if (i < n && s[i] >= '0' && s[i] <= '9')
			return NULL;	/* a leading zero */
	} else {
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	digits = i - start;
	if (i < n && s[i] == '.') {
		real = true;
		if (++i >= n || s[i] < '0' || s[i] > '9')
			return NULL;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		real = true;
		if (++i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i >= n || s[i] < '0' || s[i] > '9')
			return NULL;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (i - start >= sizeof num || (!real && digits > 18))
		return NULL;	/* long: jansson decides */
	memcpy(num, s + start, i - start);
	num[i - start] = '\0';
	*pos = i;
	if (!real)
		return json_integer((json_int_t)strtoll(num, NULL, 10));
	d = strtod(num, &e);
	if (*e != '\0' || !isfinite(d))
		return NULL;
	return json_real(d);
}

static json_t *
fast_object(const char *s, size_t n, size_t *pos, int depth,
    struct ab_buf *tmp)
{
	json_t *o = json_object(), *v;
	size_t i = skip_ws(s, *pos + 1, n);
	char *key;
	size_t klen;

	if (i < n && s[i] == '}') {
		*pos = i + 1;
		return o;
	}
	for (;;) {
		if (i >= n || s[i] != '"' || !fast_string(s, n, &i, tmp))
			goto fail;
		/* tmp is reused by the value: keep the key apart */
		klen = tmp->len;
		key = ab_xmalloc(klen + 1);
		memcpy(key, tmp->s, klen + 1);
		i = skip_ws(s, i, n);
		if (i >= n || s[i] != ':') {
			free(key);
			goto fail;
		}
		i = skip_ws(s, i + 1, n);
		if (json_object_getn(o, key, klen) != NULL ||
		    (v = fast_value(s, n, &i, depth + 1, tmp)) == NULL) {
			free(key);
			goto fail;
		}
		if (json_object_setn_new_nocheck(o, key, klen, v) < 0) {
			free(key);
			goto fail;
		}
		free(key);
		i = skip_ws(s, i, n);
		if (i < n && s[i] == '}') {
			*pos = i + 1;
			return o;
		}
		if (i >= n || s[i] != ',')
			goto fail;
		i = skip_ws(s, i + 1, n);
	}
fail:
	json_decref(o);
	return NULL;
}

static json_t *
fast_array(const char *s, size_t n, size_t *pos, int depth,
    struct ab_buf *tmp)
{
	json_t *a = json_array(), *v;
	size_t i = skip_ws(s, *pos + 1, n);

	if (i < n && s[i] == ']') {
		*pos = i + 1;
		return a;
	}
	for (;;) {
		if ((v = fast_value(s, n, &i, depth + 1, tmp)) == NULL ||
		    json_array_append_new(a, v) < 0)
			goto fail;
		i = skip_ws(s, i, n);
		if (i < n && s[i] == ']') {
			*pos = i + 1;
			return a;
		}
		if (i >= n || s[i] != ',')
			goto fail;
		i = skip_ws(s, i + 1, n);
	}
fail:
	json_decref(a);
	return NULL;
}

/* True when s[i..] starts with the word w, ending there. */
static bool
word(const char *s, size_t n, size_t i, const char *w, size_t wl)
{
	return n - i >= wl && memcmp(s + i, w, wl) == 0 && (i + wl == n ||
	    strchr(",]} \t\r\n", s[i + wl]) != NULL);
}

static json_t *
fast_value(const char *s, size_t n, size_t *pos, int depth,
    struct ab_buf *tmp)
{
	size_t i = *pos;

	if (i >= n || depth > FAST_DEPTH)
		return NULL;
	switch (s[i]) {
	case '{':
		return fast_object(s, n, pos, depth, tmp);
	case '[':
		return fast_array(s, n, pos, depth, tmp);
	case '"':
		if (!fast_string(s, n, pos, tmp))
			return NULL;
		return json_stringn_nocheck(tmp->s, tmp->len);
	case 't':
		if (!word(s, n, i, "true", 4))
			return NULL;
		*pos = i + 4;
		return json_true();
	case 'f':
		if (!word(s, n, i, "false", 5))
			return NULL;
		*pos = i + 5;
		return json_false();
	case 'n':
		if (!word(s, n, i, "null", 4))
			return NULL;
		*pos = i + 4;
		return json_null();
	default:
		return fast_number(s, n, pos);
	}
}

/* ab_parse_record, by the parser above when it takes the line. */
static enum ab_read
parse_record(struct line_cache *lc, const char *line, size_t len,
    json_t **out, struct ab_error *err)
{
	size_t i = skip_ws(line, 0, len);
	json_t *v;

	if (i < len && line[i] == '{' &&
	    (v = fast_object(line, len, &i, 0, &lc->tmp)) != NULL) {
		if (skip_ws(line, i, len) == len) {
			*out = v;
			return AB_READ_RECORD;
		}
		json_decref(v);
	}
	return ab_parse_record(line, len, out, err);
}

void
store_line_cache_free(struct line_cache *lc)
{
	size_t i;

	if (lc == NULL)
		return;
	for (i = 0; i < TASK_SLOTS; i++) {
		free(lc->slot[i].text);
		json_decref(lc->slot[i].task);
	}
	ab_buf_release(&lc->line);
	ab_buf_release(&lc->text);
	ab_buf_release(&lc->code);
	ab_buf_release(&lc->tmp);
	free(lc);
}

/* A part of the line parsed apart: [start, end). */
struct cut {
	size_t start, end;
	int what;		/* CUT_TASK, CUT_TEXT, CUT_CODE */
};

enum { CUT_TASK, CUT_TEXT, CUT_CODE };

static int
cut_cmp(const void *a, const void *b)
{
	const struct cut *x = a, *y = b;

	return (x->start > y->start) - (x->start < y->start);
}

enum ab_read
ab_store_parse(struct ab_store_cache *c, const char *line, size_t len,
    json_t **out, struct ab_error *err)
{
	struct line_cache *lc;
	struct task_slot *sl = NULL;
	struct cut cut[3];
	size_t vs, ve, pos, span[3][2];
	uint64_t h = 0;
	enum ab_read rc;
	bool hit = false;
	json_t *m;
	int ncut = 0, i;

	*out = NULL;
	if (c->lines == NULL)
		c->lines = ab_xcalloc(1, sizeof *c->lines);
	lc = c->lines;

	/*
	 * The big parts of a record are taken out of the line before it is
	 * parsed: a task seen before (its object is reused), the answer
	 * and the code (strings, unescaped here much faster than by the
	 * parser).  Anything unexpected goes to the parser as it is.
	 */
	top_members(line, len, span);
	if (span[0][1] > 0 && line[span[0][0]] == '{') {
		vs = span[0][0];
		ve = span[0][1];
		h = fnv1a(line + vs, ve - vs);
		sl = &lc->slot[h % TASK_SLOTS];
		hit = sl->task != NULL && sl->hash == h &&
		    sl->len == ve - vs && memcmp(sl->text, line + vs,
		    sl->len) == 0;
		if (hit)
			cut[ncut++] = (struct cut){ vs, ve, CUT_TASK };
	}
	if (span[1][1] > 0 &&
	    find_member(line, span[1][1], span[1][0], "text", &vs, &ve) &&
	    line[vs] == '"' && unescape(line + vs, ve - vs, &lc->text))
		cut[ncut++] = (struct cut){ vs, ve, CUT_TEXT };
	if (span[2][1] > 0 &&
	    find_member(line, span[2][1], span[2][0], "code", &vs, &ve) &&
	    line[vs] == '"' && unescape(line + vs, ve - vs, &lc->code))
		cut[ncut++] = (struct cut){ vs, ve, CUT_CODE };
	if (ncut == 0)
		goto whole;
	qsort(cut, (size_t)ncut, sizeof cut[0], cut_cmp);
	ab_buf_reset(&lc->line);
	for (pos = 0, i = 0; i < ncut; i++) {
		if (cut[i].start < pos)
			goto whole;	/* overlapping: not understood */
		ab_buf_add(&lc->line, line + pos, cut[i].start - pos);
		ab_buf_addc(&lc->line, '0');
		pos = cut[i].end;
	}
	ab_buf_add(&lc->line, line + pos, len - pos);
	rc = parse_record(lc, lc->line.s, lc->line.len, out, err);
	if (rc != AB_READ_RECORD)
		goto whole;	/* report errors where they are in the line */
	for (i = 0; i < ncut; i++) {
		switch (cut[i].what) {
		case CUT_TASK:
			m = json_object_get(*out, "task");
			if (!json_is_integer(m))
				goto reparse;
			json_object_set(*out, "task", sl->task);
			break;
		case CUT_TEXT:
			m = json_object_get(*out, "gen");
			if (!json_is_integer(json_object_get(m, "text")))
				goto reparse;
			json_object_set_new(m, "text", json_stringn_nocheck(
			    lc->text.s, lc->text.len));
			break;
		case CUT_CODE:
			m = json_object_get(*out, "extract");
			if (!json_is_integer(json_object_get(m, "code")))
				goto reparse;
			json_object_set_new(m, "code", json_stringn_nocheck(
			    lc->code.s, lc->code.len));
			break;
		}
	}
	return rc;
reparse:
	json_decref(*out);
	*out = NULL;
whole:
	rc = parse_record(lc, line, len, out, err);
	if (rc == AB_READ_RECORD && sl != NULL && !hit &&
	    json_is_object(json_object_get(*out, "task"))) {
		vs = span[0][0];
		ve = span[0][1];
		free(sl->text);
		json_decref(sl->task);
		sl->hash = h;
		sl->len = ve - vs;
		sl->text = ab_xmalloc(sl->len);
		memcpy(sl->text, line + vs, sl->len);
		sl->task = json_incref(json_object_get(*out, "task"));
	}
	return rc;
}
