/* fuzz-rankread.c - ab-rank's fast reader (rk_json_scan, lib/report) must
 * read every line as jansson does, as fuzz-store holds ab-store's reader
 * to ab_parse_record: both accept it or both reject it, and what is
 * accepted has the same values (types, numbers bit-exact, strings byte
 * for byte, members and elements).  Where the two are documented to
 * differ, the difference is allowed and no more: jansson rejects numbers
 * it cannot hold (an integer past int64, a real past double) and nesting
 * past its own limit; the scanner rejects nesting past 512; a string
 * holding U+0000 reads as NULL from rk_json_str. */
#include <stdlib.h>
#include <string.h>

#include "ab.h"
#include "report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
same(struct rk_json *j, int node, const json_t *v)
{
	const struct rk_jv *n = &j->v[node];
	const char *s, *k;
	size_t len, count = 0;
	double d;
	json_t *m;
	int c;

	switch (n->type) {
	case RK_JNULL:
		if (!json_is_null(v))
			abort();
		break;
	case RK_JTRUE:
		if (!json_is_true(v))
			abort();
		break;
	case RK_JFALSE:
		if (!json_is_false(v))
			abort();
		break;
	case RK_JNUM:
		if (!json_is_number(v) || !rk_json_num(j, node, &d) ||
		    d != json_number_value(v))
			abort();
		break;
	case RK_JSTR:
		if (!json_is_string(v))
			abort();
		s = rk_json_str(j, node, &len);
		if (s == NULL) {
			if (memchr(json_string_value(v), '\0',
			    json_string_length(v)) == NULL)
				abort();
		} else if (len != json_string_length(v) ||
		    memcmp(s, json_string_value(v), len) != 0)
			abort();
		break;
	case RK_JARR:
		if (!json_is_array(v))
			abort();
		for (c = n->child; c >= 0; c = j->v[c].next)
			same(j, c, json_array_get(v, count++));
		if (count != json_array_size(v))
			abort();
		break;
	case RK_JOBJ:
		if (!json_is_object(v))
			abort();
		for (c = n->child; c >= 0; c = j->v[c].next)
			count++;
		/* A repeated name: jansson keeps the last, the scanner
		 * finds the first; not compared. */
		if (count != json_object_size(v))
			break;
		json_object_foreach((json_t *)v, k, m) {
			c = rk_json_get(j, node, k);
			if (c < 0) {
				/* rk_json_get matches names as written: only
				 * one that may be written escaped may be
				 * missed. */
				for (s = k; *s != '\0'; s++)
					if ((unsigned char)*s < 0x20 ||
					    (unsigned char)*s >= 0x80 ||
					    *s == '"' || *s == '\\' || *s == '/')
						break;
				if (*s == '\0')
					abort();
				continue;
			}
			same(j, c, m);
		}
		break;
	default:
		abort();
	}
}

static void
line(struct rk_json *j, const char *p, size_t len)
{
	struct ab_error e;
	json_error_t je;
	json_t *v;
	int r;

	r = rk_json_scan(j, p, len, NULL, &e);
	v = json_loadb(p, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
	if (r == 0 && v != NULL)
		same(j, 0, v);
	else if (r == 0 && v == NULL) {
		if (strstr(je.text, "too big") == NULL &&
		    strstr(je.text, "overflow") == NULL &&
		    strstr(je.text, "maximum") == NULL)
			abort();
	} else if (r != 0 && v != NULL) {
		if (strstr(e.msg, "nest") == NULL && strstr(e.msg, "deep") == NULL)
			abort();
	}
	json_decref(v);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rk_json j = { 0 };
	const char *p = (const char *)data, *end = p + size, *nl;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		line(&j, p, (size_t)(nl - p));
		p = nl + 1;
	}
	rk_json_release(&j);
	return 0;
}
