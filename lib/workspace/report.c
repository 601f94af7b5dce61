/*
 * report.c - per-test results from the reports test runners write: TAP
 * (Test Anything Protocol, 12 to 14) and JUnit XML.  Both parsers take
 * untrusted bytes, run in linear time and never read past the end.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ab.h"
#include "workspace.h"

#define MAX_CASES 100000	/* a report with more is cut there */
#define MAX_NAME 512
#define MAX_MSG 2000

static void
add_case(struct ab_test_report *r, char *name, bool ok, bool skipped,
    double time_ms, char *message)
{
	struct ab_test_case *c;

	if (r->n >= MAX_CASES) {
		free(name);
		free(message);
		return;
	}
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 32;
		r->v = ab_xrealloc(r->v, r->cap * sizeof *r->v);
	}
	c = &r->v[r->n++];
	if (name == NULL || name[0] == '\0') {
		free(name);
		name = ab_xasprintf("test %zu", r->n);
	}
	c->name = name;
	c->ok = ok;
	c->skipped = skipped;
	c->time_ms = time_ms;
	c->message = message;
}

void
ab_test_report_init(struct ab_test_report *r)
{
	memset(r, 0, sizeof *r);
	r->planned = -1;
}

void
ab_test_report_release(struct ab_test_report *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		free(r->v[i].name);
		free(r->v[i].message);
	}
	free(r->v);
	memset(r, 0, sizeof *r);
	r->planned = -1;
}

/* Trimmed copy of s[0..n), at most max bytes. */
static char *
trimmed(const char *s, size_t n, size_t max)
{
	while (n > 0 && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
	    s[n - 1] == '\r'))
		n--;
	return ab_xstrndup(s, n < max ? n : max);
}

/* ---- TAP ---------------------------------------------------------------- */

static bool
prefix(const char *s, size_t n, const char *p)
{
	size_t k = strlen(p);

	return n >= k && memcmp(s, p, k) == 0;
}

static void
tap_line(const char *s, size_t n, struct ab_test_report *r)
{
	bool ok;
	size_t i, desc, hash;
	char *name;
	bool skip = false, todo = false;

	if (prefix(s, n, "Bail out!")) {
		r->bail_out = true;
		return;
	}
	if (prefix(s, n, "1..")) {
		long v = 0;

		for (i = 3; i < n && s[i] >= '0' && s[i] <= '9' &&
		    v < 100000000; i++)
			v = v * 10 + (s[i] - '0');
		if (i > 3)
			r->planned = v;
		return;
	}
	if (prefix(s, n, "ok"))
		ok = true, i = 2;
	else if (prefix(s, n, "not ok"))
		ok = false, i = 6;
	else
		return;
	if (i < n && s[i] != ' ' && s[i] != '\t')
		return;		/* "okay", "oknot": not a result line */
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i < n && s[i] == '-')
		i++;
	desc = i;
	/* The directive starts at the first unescaped '#'. */
	for (hash = desc; hash < n; hash++)
		if (s[hash] == '#' && (hash == desc || s[hash - 1] != '\\'))
			break;
	if (hash < n) {
		size_t d = hash + 1;

		while (d < n && (s[d] == ' ' || s[d] == '\t'))
			d++;
		if (n - d >= 4 && strncasecmp(s + d, "skip", 4) == 0)
			skip = true;
		else if (n - d >= 4 && strncasecmp(s + d, "todo", 4) == 0)
			todo = true;
	}
	name = trimmed(s + desc, hash - desc, MAX_NAME);
	add_case(r, name, ok || skip || todo, skip, -1, NULL);
}

void
ab_tap_parse(const char *s, size_t n, struct ab_test_report *r)
{
	const char *p = s, *end = s + n, *nl;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		/* Indented lines belong to subtests (or YAML blocks): the
		 * parent's own line at the top level counts. */
		if (p < nl && *p != ' ' && *p != '\t' && !r->bail_out)
			tap_line(p, (size_t)(nl - p), r);
		p = nl + 1;
	}
}

/* ---- JUnit XML ---------------------------------------------------------- */

struct xml {
	const char *s, *end;
};

/* Decode the XML entities of s[0..n) into a new string of at most max
 * bytes. */
static char *
unescape(const char *s, size_t n, size_t max)
{
	struct ab_buf b = AB_BUF_INIT;
	size_t i;

	ab_buf_adds(&b, "");
	for (i = 0; i < n && b.len < max; i++) {
		const char *semi;
		size_t k;

		if (s[i] != '&' || (semi = memchr(s + i, ';', n - i > 12 ? 12 :
		    n - i)) == NULL) {
			ab_buf_addc(&b, s[i]);
			continue;
		}
		k = (size_t)(semi - (s + i));
		if (k == 3 && memcmp(s + i, "&lt", 3) == 0)
			ab_buf_addc(&b, '<');
		else if (k == 3 && memcmp(s + i, "&gt", 3) == 0)
			ab_buf_addc(&b, '>');
		else if (k == 4 && memcmp(s + i, "&amp", 4) == 0)
			ab_buf_addc(&b, '&');
		else if (k == 5 && memcmp(s + i, "&quot", 5) == 0)
			ab_buf_addc(&b, '"');
		else if (k == 5 && memcmp(s + i, "&apos", 5) == 0)
			ab_buf_addc(&b, '\'');
		else if (k >= 3 && s[i + 1] == '#') {
			unsigned long c = 0;
			size_t j = i + 2;
			bool hex = s[j] == 'x' || s[j] == 'X';

			for (j += hex; j < i + k; j++) {
				int d = s[j] >= '0' && s[j] <= '9' ? s[j] - '0' :
				    hex && s[j] >= 'a' && s[j] <= 'f' ?
				    s[j] - 'a' + 10 : hex && s[j] >= 'A' &&
				    s[j] <= 'F' ? s[j] - 'A' + 10 : -1;

				if (d < 0 || c > 0x10ffff)
					break;
				c = c * (hex ? 16 : 10) + (unsigned long)d;
			}
			if (j != i + k || c == 0 || c > 0x10ffff ||
			    (c >= 0xd800 && c <= 0xdfff)) {
				ab_buf_addc(&b, s[i]);
				continue;
			}
			if (c < 0x80)
				ab_buf_addc(&b, (int)c);
			else if (c < 0x800) {
				ab_buf_addc(&b, (int)(0xc0 | (c >> 6)));
				ab_buf_addc(&b, (int)(0x80 | (c & 0x3f)));
			} else if (c < 0x10000) {
				ab_buf_addc(&b, (int)(0xe0 | (c >> 12)));
				ab_buf_addc(&b, (int)(0x80 | ((c >> 6) & 0x3f)));
				ab_buf_addc(&b, (int)(0x80 | (c & 0x3f)));
			} else {
				ab_buf_addc(&b, (int)(0xf0 | (c >> 18)));
				ab_buf_addc(&b, (int)(0x80 | ((c >> 12) & 0x3f)));
				ab_buf_addc(&b, (int)(0x80 | ((c >> 6) & 0x3f)));
				ab_buf_addc(&b, (int)(0x80 | (c & 0x3f)));
			}
		} else {
			ab_buf_addc(&b, s[i]);
			continue;
		}
		i += k;
	}
	return ab_buf_detach(&b);
}

/* One tag found by next_tag. */
struct tag {
	const char *name;	/* in the text */
	size_t nlen;
	const char *attrs;	/* from after the name up to the close */
	size_t alen;
	bool closing;		/* </name> */
	bool empty;		/* <name .../> */
	const char *text_before; /* character data since the last tag */
	size_t tlen;
};

/* Find the next element tag from x->s, skipping comments, CDATA (whose
 * text is reported as character data of the next tag), processing
 * instructions and declarations.  Returns false at the end. */
static bool
next_tag(struct xml *x, struct tag *t)
{
	const char *p = x->s, *text = x->s, *q;

	for (;;) {
		p = memchr(p, '<', (size_t)(x->end - p));
		if (p == NULL)
			return false;
		if (x->end - p >= 4 && memcmp(p, "<!--", 4) == 0) {
			q = memmem(p + 4, (size_t)(x->end - p - 4), "-->", 3);
			if (q == NULL)
				return false;
			p = q + 3;
			continue;
		}
		if (x->end - p >= 9 && memcmp(p, "<![CDATA[", 9) == 0) {
			q = memmem(p + 9, (size_t)(x->end - p - 9), "]]>", 3);
			if (q == NULL)
				return false;
			p = q + 3;
			continue;
		}
		if (x->end - p >= 2 && (p[1] == '?' || p[1] == '!')) {
			q = memchr(p, '>', (size_t)(x->end - p));
			if (q == NULL)
				return false;
			p = q + 1;
			continue;
		}
		break;
	}
	memset(t, 0, sizeof *t);
	t->text_before = text;
	t->tlen = (size_t)(p - text);
	p++;
	if (p < x->end && *p == '/') {
		t->closing = true;
		p++;
	}
	t->name = p;
	while (p < x->end && *p != ' ' && *p != '\t' && *p != '\n' &&
	    *p != '\r' && *p != '>' && *p != '/')
		p++;
	t->nlen = (size_t)(p - t->name);
	t->attrs = p;
	/* The tag ends at the first '>' outside a quoted value. */
	{
		char quote = 0;

		for (; p < x->end; p++) {
			if (quote) {
				if (*p == quote)
					quote = 0;
			} else if (*p == '"' || *p == '\'')
				quote = *p;
			else if (*p == '>')
				break;
		}
	}
	if (p >= x->end)
		return false;
	t->alen = (size_t)(p - t->attrs);
	if (t->alen > 0 && t->attrs[t->alen - 1] == '/') {
		t->empty = true;
		t->alen--;
	}
	x->s = p + 1;
	return true;
}

static bool
tag_is(const struct tag *t, const char *name)
{
	size_t k = strlen(name);
	const char *n = t->name;
	size_t nl = t->nlen;
	const char *colon = memchr(n, ':', nl);

	if (colon != NULL) {	/* a namespace prefix */
		nl -= (size_t)(colon + 1 - n);
		n = colon + 1;
	}
	return nl == k && memcmp(n, name, k) == 0;
}

/* The value of attribute name in a tag, new, or NULL. */
static char *
attr(const struct tag *t, const char *name)
{
	const char *p = t->attrs, *end = t->attrs + t->alen;
	size_t k = strlen(name);

	while (p < end) {
		const char *an, *v;
		size_t anl;
		char q;

		while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' ||
		    *p == '\r'))
			p++;
		an = p;
		while (p < end && *p != '=' && *p != ' ' && *p != '\t' &&
		    *p != '\n' && *p != '\r')
			p++;
		anl = (size_t)(p - an);
		while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' ||
		    *p == '\r'))
			p++;
		if (p >= end || *p != '=') {
			if (p < end && anl == 0)
				p++;
			continue;
		}
		p++;
		while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' ||
		    *p == '\r'))
			p++;
		if (p >= end || (*p != '"' && *p != '\''))
			return NULL;
		q = *p++;
		v = p;
		while (p < end && *p != q)
			p++;
		if (anl == k && memcmp(an, name, k) == 0)
			return unescape(v, (size_t)(p - v), MAX_MSG);
		if (p < end)
			p++;
	}
	return NULL;
}

int
ab_junit_parse(const char *s, size_t n, struct ab_test_report *r,
    struct ab_error *err)
{
	struct xml x = { s, s + n };
	struct tag t;
	size_t before = r->n;
	bool any_tag = false;

	while (next_tag(&x, &t)) {
		char *name, *cls, *tm, *full, *msg = NULL;
		bool ok = true, skipped = false;
		double ms = -1;

		any_tag = true;
		if (t.closing || !tag_is(&t, "testcase"))
			continue;
		name = attr(&t, "name");
		cls = attr(&t, "classname");
		tm = attr(&t, "time");
		if (tm != NULL) {
			struct ab_error pe;
			double sec;

			if (ab_parse_double(tm, 0, 1e9, &sec, &pe) == 0)
				ms = sec * 1000;
			free(tm);
		}
		full = cls != NULL && cls[0] != '\0' ? ab_xasprintf("%s.%s",
		    cls, name ? name : "") : ab_xstrdup(name ? name : "");
		free(name);
		free(cls);
		if (strlen(full) > MAX_NAME)
			full[MAX_NAME] = '\0';
		if (!t.empty) {
			struct tag c;

			/* Children up to </testcase>. */
			while (next_tag(&x, &c)) {
				if (c.closing && tag_is(&c, "testcase"))
					break;
				if (c.closing)
					continue;
				if (tag_is(&c, "failure") ||
				    tag_is(&c, "error")) {
					ok = false;
					if (msg == NULL)
						msg = attr(&c, "message");
					if (msg == NULL)
						msg = ab_xstrdup(
						    tag_is(&c, "error") ?
						    "error" : "failure");
				} else if (tag_is(&c, "skipped"))
					skipped = true;
			}
		}
		add_case(r, full, ok, skipped && ok, ms, msg);
	}
	if (!any_tag)
		return ab_error_set(err, "junit", "not XML: no element found");
	if (r->n == before)
		return ab_error_set(err, "junit", "no testcase element");
	return 0;
}
