/* parse.c - reading record lines, without parsing the same task twice.
 *
 * Every record of a benchmark carries its task, often the largest member,
 * and the same task comes back in every sample and configuration.  A task
 * whose text is byte for byte one already parsed is cut out of the line
 * before parsing and replaced by the earlier task object. */
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
	struct ab_buf line;	/* the line with the task cut out */
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
	for (i++; i < n; i++) {
		if (s[i] == '\\')
			i++;
		else if (s[i] == '"')
			return i + 1;
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

/* Where the value of the top-level member "task" is: [*vs, *ve).  A line
 * this does not understand is left to the parser. */
static bool
find_task(const char *s, size_t n, size_t *vs, size_t *ve)
{
	size_t i = skip_ws(s, 0, n), k, ke;

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
		if (ke - k == 4 && memcmp(s + k, "task", 4) == 0)
			return s[*vs] == '{';
		i = skip_ws(s, i, n);
		if (i >= n || s[i] != ',')
			return false;
		i++;
	}
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
	free(lc);
}

enum ab_read
ab_store_parse(struct ab_store_cache *c, const char *line, size_t len,
    json_t **out, struct ab_error *err)
{
	struct line_cache *lc;
	struct task_slot *sl;
	size_t vs, ve;
	uint64_t h;
	enum ab_read rc;

	*out = NULL;
	if (c->lines == NULL)
		c->lines = ab_xcalloc(1, sizeof *c->lines);
	lc = c->lines;
	if (!find_task(line, len, &vs, &ve))
		return ab_parse_record(line, len, out, err);
	h = fnv1a(line + vs, ve - vs);
	sl = &lc->slot[h % TASK_SLOTS];
	if (sl->task != NULL && sl->hash == h && sl->len == ve - vs &&
	    memcmp(sl->text, line + vs, sl->len) == 0) {
		ab_buf_reset(&lc->line);
		ab_buf_add(&lc->line, line, vs);
		ab_buf_addc(&lc->line, '0');
		ab_buf_add(&lc->line, line + ve, len - ve);
		rc = ab_parse_record(lc->line.s, lc->line.len, out, err);
		if (rc == AB_READ_RECORD &&
		    json_is_integer(json_object_get(*out, "task"))) {
			json_object_set(*out, "task", sl->task);
			return rc;
		}
		/* Report errors at their place in the line as given. */
		json_decref(*out);
		return ab_parse_record(line, len, out, err);
	}
	rc = ab_parse_record(line, len, out, err);
	if (rc == AB_READ_RECORD &&
	    json_is_object(json_object_get(*out, "task"))) {
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
