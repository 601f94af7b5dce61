/* template.c - the prompt template language and the task's variables. */
#include <stdlib.h>
#include <string.h>

#include "gen.h"

#define MAX_DEPTH 32

enum node_type { N_TEXT, N_VAR, N_SECTION, N_INVERTED };

struct node {
	enum node_type type;
	char *s;		/* text, or the variable's name */
	size_t len;		/* of text */
	size_t end;		/* sections: index after the section's body */
};

struct ab_tmpl {
	struct node *n;
	size_t count, cap;
};

const char *const ab_task_vars[] = { "id", "suite", "language", "prompt",
	"description", "signature", "starter_code", "entry_point",
	"difficulty", "category", "hints", "tests", "examples", "text",
	"name", "constraints", "time_limit_ms", "memory_limit_mb", "program",
	"function", "helper_response", ".", NULL };

static size_t
add_node(struct ab_tmpl *t, enum node_type type, const char *s, size_t len)
{
	if (t->count == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->n = ab_xrealloc(t->n, t->cap * sizeof *t->n);
	}
	t->n[t->count].type = type;
	t->n[t->count].s = ab_xstrndup(s, len);
	t->n[t->count].len = len;
	t->n[t->count].end = t->count + 1;
	return t->count++;
}

void
ab_tmpl_free(struct ab_tmpl *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->count; i++)
		free(t->n[i].s);
	free(t->n);
	free(t);
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool
known_name(const char *name, size_t len, const char *const *known)
{
	for (; *known != NULL; known++)
		if (strlen(*known) == len && memcmp(*known, name, len) == 0)
			return true;
	return false;
}

struct ab_tmpl *
ab_tmpl_parse(const char *text, size_t len, const char *const *known,
    struct ab_error *err)
{
	struct ab_tmpl *t = ab_xcalloc(1, sizeof *t);
	size_t stack[MAX_DEPTH], depth = 0, pos = 0, text_start = 0;
	size_t open, close, ls, after, nb, ne, k;
	const char *p, *name;
	char sigil;
	long line = 1;

	while (pos < len) {
		p = memchr(text + pos, '{', len - pos);
		if (p == NULL)
			break;
		open = (size_t)(p - text);
		if (open + 1 >= len || text[open + 1] != '{') {
			pos = open + 1;
			continue;
		}
		for (k = pos; k < open; k++)
			line += text[k] == '\n';
		pos = open;
		p = NULL;
		for (k = open + 2; k + 1 < len; k++) {
			if (text[k] == '}' && text[k + 1] == '}') {
				p = text + k;
				break;
			}
			if (text[k] == '\n')
				break;
		}
		if (p == NULL) {
			ab_error_set(err, "template", "line %ld: unterminated "
			    "tag", line);
			goto fail;
		}
		close = (size_t)(p - text) + 2;
		nb = open + 2;
		ne = close - 2;
		sigil = text[nb];
		if (sigil == '#' || sigil == '^' || sigil == '/' ||
		    sigil == '!')
			nb++;
		else
			sigil = 0;
		while (nb < ne && is_blank(text[nb]))
			nb++;
		while (ne > nb && is_blank(text[ne - 1]))
			ne--;
		name = text + nb;
		if (sigil != '!') {
			if (ne == nb) {
				ab_error_set(err, "template", "line %ld: empty "
				    "tag", line);
				goto fail;
			}
			for (k = nb; k < ne; k++) {
				char c = text[k];

				if (!(c == '_' || c == '.' || c == '-' ||
				    (c >= 'a' && c <= 'z') ||
				    (c >= 'A' && c <= 'Z') ||
				    (c >= '0' && c <= '9'))) {
					ab_error_set(err, "template", "line "
					    "%ld: bad variable name", line);
					goto fail;
				}
			}
			if (known != NULL && sigil != '/' &&
			    !known_name(name, ne - nb, known)) {
				ab_error_set(err, "template", "line %ld: "
				    "unknown variable \"%.*s\"", line,
				    (int)(ne - nb), name);
				goto fail;
			}
		}

		/* A line holding only a section tag or a comment
		 * disappears, with its end of line. */
		after = close;
		ls = open;
		if (sigil != 0) {
			while (ls > text_start && is_blank(text[ls - 1]))
				ls--;
			k = close;
			while (k < len && is_blank(text[k]))
				k++;
			if ((ls == 0 || text[ls - 1] == '\n') &&
			    (k == len || text[k] == '\n' ||
			    (text[k] == '\r' && k + 1 < len &&
			    text[k + 1] == '\n'))) {
				after = k == len ? k : text[k] == '\r' ?
				    k + 2 : k + 1;
				if (after > close && text[after - 1] == '\n')
					line++;
			} else {
				ls = open;
			}
		}
		if (ls > text_start)
			add_node(t, N_TEXT, text + text_start, ls - text_start);

		switch (sigil) {
		case '#':
		case '^':
			if (depth == MAX_DEPTH) {
				ab_error_set(err, "template", "line %ld: "
				    "sections nested too deeply", line);
				goto fail;
			}
			stack[depth++] = add_node(t, sigil == '#' ? N_SECTION :
			    N_INVERTED, name, ne - nb);
			break;
		case '/':
			if (depth == 0 || strlen(t->n[stack[depth - 1]].s) !=
			    ne - nb || memcmp(t->n[stack[depth - 1]].s, name,
			    ne - nb) != 0) {
				ab_error_set(err, "template", "line %ld: "
				    "{{/%.*s}} closes no open section", line,
				    (int)(ne - nb), name);
				goto fail;
			}
			depth--;
			t->n[stack[depth]].end = t->count;
			break;
		case '!':
			break;
		default:
			add_node(t, N_VAR, name, ne - nb);
			break;
		}
		pos = text_start = after;
	}
	if (depth > 0) {
		ab_error_set(err, "template", "section \"%s\" is not closed",
		    t->n[stack[depth - 1]].s);
		goto fail;
	}
	if (len > text_start)
		add_node(t, N_TEXT, text + text_start, len - text_start);
	return t;
fail:
	ab_tmpl_free(t);
	return NULL;
}

/* Look name up in the context stack, innermost first. */
static json_t *
lookup(json_t *const *ctx, int nctx, const char *name)
{
	json_t *v;
	int i;

	if (strcmp(name, ".") == 0)
		return ctx[nctx - 1];
	for (i = nctx - 1; i >= 0; i--)
		if (json_is_object(ctx[i]) &&
		    (v = json_object_get(ctx[i], name)) != NULL)
			return v;
	return NULL;
}

static void
add_value(struct ab_buf *out, const json_t *v)
{
	char *s;
	size_t i;
	json_t *x;

	switch (json_typeof(v)) {
	case JSON_STRING:
		ab_buf_add(out, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		ab_buf_addf(out, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		break;
	case JSON_REAL:
		ab_buf_addf(out, "%.17g", json_real_value(v));
		break;
	case JSON_TRUE:
		ab_buf_adds(out, "true");
		break;
	case JSON_FALSE:
		ab_buf_adds(out, "false");
		break;
	case JSON_ARRAY:
		json_array_foreach(v, i, x) {
			if (i > 0)
				ab_buf_addc(out, '\n');
			add_value(out, x);
		}
		break;
	case JSON_OBJECT:
		s = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
		if (s != NULL)
			ab_buf_adds(out, s);
		free(s);
		break;
	default:
		break;
	}
}

static bool
truthy(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_STRING:
		return json_string_length(v) > 0;
	case JSON_INTEGER:
	case JSON_REAL:
		return json_number_value(v) != 0;
	case JSON_TRUE:
	case JSON_OBJECT:
		return true;
	case JSON_ARRAY:
		return json_array_size(v) > 0;
	default:
		return false;
	}
}

static void
render(const struct ab_tmpl *t, size_t from, size_t to, json_t **ctx,
    int nctx, struct ab_buf *out)
{
	const struct node *n;
	json_t *v, *x;
	size_t i, j;

	for (i = from; i < to; i = n->type == N_SECTION ||
	    n->type == N_INVERTED ? n->end : i + 1) {
		n = &t->n[i];
		switch (n->type) {
		case N_TEXT:
			ab_buf_add(out, n->s, n->len);
			break;
		case N_VAR:
			if ((v = lookup(ctx, nctx, n->s)) != NULL)
				add_value(out, v);
			break;
		case N_INVERTED:
			v = lookup(ctx, nctx, n->s);
			if (v == NULL || !truthy(v))
				render(t, i + 1, n->end, ctx, nctx, out);
			break;
		case N_SECTION:
			v = lookup(ctx, nctx, n->s);
			if (v == NULL || !truthy(v))
				break;
			if (nctx >= MAX_DEPTH + 1) {
				render(t, i + 1, n->end, ctx, nctx, out);
				break;
			}
			if (json_is_array(v)) {
				json_array_foreach(v, j, x) {
					ctx[nctx] = x;
					render(t, i + 1, n->end, ctx, nctx + 1,
					    out);
				}
			} else {
				ctx[nctx] = v;
				render(t, i + 1, n->end, ctx, nctx + 1, out);
			}
			break;
		}
	}
}

void
ab_tmpl_render(const struct ab_tmpl *t, const json_t *ctx,
    struct ab_buf *out)
{
	json_t *stack[MAX_DEPTH + 2];

	stack[0] = (json_t *)ctx;
	ab_buf_add(out, "", 0);
	render(t, 0, t->count, stack, 1, out);
}

/* ---- the task's variables ---- */

static void
json_text(struct ab_buf *b, const json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);

	if (s != NULL)
		ab_buf_adds(b, s);
	free(s);
}

static void
fence(struct ab_buf *b, const char *lang, const char *s)
{
	size_t n = strlen(s);

	ab_buf_addf(b, "```%s\n%s%s```\n", lang, s,
	    n > 0 && s[n - 1] != '\n' ? "\n" : "");
}

/* One visible test as text. */
static void
test_text(struct ab_buf *b, const json_t *test, const json_t *task)
{
	const char *style = ab_get_str(test, "style");
	const char *lang = ab_get_str(task, "language");
	const char *ep = ab_get_str(task, "entry_point");
	const char *s;
	json_t *args, *x;
	size_t i;

	if (lang == NULL)
		lang = "";
	if (style != NULL && strcmp(style, "io") == 0) {
		s = ab_get_str(test, "stdin");
		ab_buf_adds(b, "Input:\n");
		fence(b, "", s != NULL ? s : "");
		s = ab_get_str(test, "stdout");
		ab_buf_adds(b, "Expected output:\n");
		fence(b, "", s != NULL ? s : "");
	} else if (style != NULL && strcmp(style, "call") == 0) {
		args = json_object_get(test, "args");
		ab_buf_addf(b, "%s(", ep != NULL ? ep : "candidate");
		json_array_foreach(args, i, x) {
			if (i > 0)
				ab_buf_adds(b, ", ");
			json_text(b, x);
		}
		ab_buf_adds(b, ") returns ");
		x = json_object_get(test, "expected");
		if (x != NULL)
			json_text(b, x);
		else
			ab_buf_adds(b, "null");
		ab_buf_adds(b, " (arguments and result in JSON)\n");
	} else {
		s = ab_get_str(test, "code");
		fence(b, lang, s != NULL ? s : "");
	}
}

static void
copy_str(json_t *ctx, const json_t *task, const char *k)
{
	json_t *v = json_object_get(task, k);

	if (json_is_string(v) || json_is_number(v))
		json_object_set(ctx, k, v);
}

json_t *
ab_task_context(const json_t *task)
{
	static const char *const plain[] = { "id", "suite", "language",
		"prompt", "description", "signature", "starter_code",
		"entry_point", "difficulty", "category", "time_limit_ms",
		"memory_limit_mb", NULL };
	json_t *ctx = json_object(), *tests, *t, *hints, *h, *ex;
	struct ab_buf all = AB_BUF_INIT, one = AB_BUF_INIT, c = AB_BUF_INIT;
	bool program = false;
	size_t i;
	int k;

	for (k = 0; plain[k] != NULL; k++)
		copy_str(ctx, task, plain[k]);
	hints = json_array();
	json_array_foreach(json_object_get(task, "hints"), i, h)
		if (json_is_string(h))
			json_array_append(hints, h);
	json_object_set_new(ctx, "hints", hints);

	ex = json_array();
	tests = json_object_get(task, "tests");
	json_array_foreach(tests, i, t) {
		const char *style = ab_get_str(t, "style");

		if (style != NULL && strcmp(style, "io") == 0)
			program = true;
		if (!json_is_object(t) ||
		    json_is_true(json_object_get(t, "hidden")))
			continue;
		ab_buf_reset(&one);
		test_text(&one, t, task);
		if (all.len > 0)
			ab_buf_addc(&all, '\n');
		ab_buf_add(&all, one.s, one.len);
		json_array_append_new(ex, json_pack("{s:s%}", "text", one.s,
		    one.len));
	}
	while (all.len > 0 && all.s[all.len - 1] == '\n')
		all.s[--all.len] = '\0';
	json_object_set_new(ctx, "tests", json_stringn(all.s ? all.s : "",
	    all.len));
	json_object_set_new(ctx, "examples", ex);
	json_object_set_new(ctx, "program", json_boolean(program));
	json_object_set_new(ctx, "function", json_boolean(!program &&
	    ab_get_str(task, "entry_point") != NULL));

	if (json_is_number(json_object_get(task, "time_limit_ms")))
		ab_buf_addf(&c, "- CPU time limit: %g ms per test\n",
		    ab_get_num(task, "time_limit_ms", 0));
	if (json_is_number(json_object_get(task, "memory_limit_mb")))
		ab_buf_addf(&c, "- Memory limit: %g MB\n",
		    ab_get_num(task, "memory_limit_mb", 0));
	json_object_set_new(ctx, "constraints", json_string(c.s ? c.s : ""));
	ab_buf_release(&all);
	ab_buf_release(&one);
	ab_buf_release(&c);
	return ctx;
}
