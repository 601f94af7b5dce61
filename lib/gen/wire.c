/* wire.c - request bodies and replies of the OpenAI, Anthropic and Ollama
 * chat APIs, whole and streamed. */
#include <stdlib.h>
#include <string.h>

#include "gen.h"

void
ab_reply_init(struct ab_reply *r)
{
	memset(r, 0, sizeof *r);
	r->tokens_in = r->tokens_out = -1;
}

void
ab_reply_release(struct ab_reply *r)
{
	ab_buf_release(&r->text);
	ab_buf_release(&r->pending);
	free(r->model);
	r->model = NULL;
}

long
ab_estimate_tokens(const char *s, size_t len)
{
	(void)s;
	return len == 0 ? 0 : (long)((len + 3) / 4);
}

json_t *
ab_wire_request(const struct ab_agent *a, const json_t *messages,
    bool stream)
{
	json_t *body = json_object(), *msgs, *m, *v, *opt;
	const char *role, *k;
	struct ab_buf sys = AB_BUF_INIT;
	size_t i;

	json_object_set_new(body, "model", json_string(a->model ? a->model :
	    ""));
	switch (a->provider) {
	case AB_PROV_ANTHROPIC:
		msgs = json_array();
		json_array_foreach(messages, i, m) {
			role = ab_get_str(m, "role");
			if (role != NULL && strcmp(role, "system") == 0) {
				if (sys.len > 0)
					ab_buf_adds(&sys, "\n\n");
				ab_buf_adds(&sys, ab_get_str(m, "content"));
			} else {
				json_array_append(msgs, m);
			}
		}
		if (sys.len > 0)
			json_object_set_new(body, "system",
			    json_string(sys.s));
		ab_buf_release(&sys);
		json_object_set_new(body, "messages", msgs);
		v = json_object_get(a->params, "max_tokens");
		json_object_set_new(body, "max_tokens", v != NULL ?
		    json_incref(v) : json_integer(4096));
		if ((v = json_object_get(a->params, "temperature")) != NULL)
			json_object_set(body, "temperature", v);
		if ((v = json_object_get(a->params, "top_p")) != NULL)
			json_object_set(body, "top_p", v);
		if ((v = json_object_get(a->params, "stop")) != NULL)
			json_object_set(body, "stop_sequences", v);
		if (stream)
			json_object_set_new(body, "stream", json_true());
		break;
	case AB_PROV_OLLAMA:
		json_object_set(body, "messages", (json_t *)messages);
		json_object_set_new(body, "stream", json_boolean(stream));
		opt = json_object();
		if ((v = json_object_get(a->params, "temperature")) != NULL)
			json_object_set(opt, "temperature", v);
		if ((v = json_object_get(a->params, "top_p")) != NULL)
			json_object_set(opt, "top_p", v);
		if ((v = json_object_get(a->params, "seed")) != NULL)
			json_object_set(opt, "seed", v);
		if ((v = json_object_get(a->params, "stop")) != NULL)
			json_object_set(opt, "stop", v);
		if ((v = json_object_get(a->params, "max_tokens")) != NULL)
			json_object_set(opt, "num_predict", v);
		if (json_object_size(opt) > 0)
			json_object_set_new(body, "options", opt);
		else
			json_decref(opt);
		break;
	default:
		json_object_set(body, "messages", (json_t *)messages);
		json_object_update(body, a->params);
		if (stream) {
			json_object_set_new(body, "stream", json_true());
			if (a->stream_usage)
				json_object_set_new(body, "stream_options",
				    json_pack("{s:b}", "include_usage", 1));
		}
		break;
	}
	/* Parameters ab does not know, as the configuration gives them;
	 * objects (ollama's options) are merged one level deep. */
	json_object_foreach(a->extra_body, k, v) {
		json_t *have = json_object_get(body, k);

		if (json_is_object(have) && json_is_object(v))
			json_object_update(have, v);
		else
			json_object_set(body, k, v);
	}
	return body;
}

/* An error object from an API: {"error": {"message"}} or {"error": "..."}. */
static bool
api_error(const json_t *j, struct ab_reply *r)
{
	json_t *e = json_object_get(j, "error");
	const char *msg, *type;

	if (e == NULL || json_is_null(e))
		return false;
	if (json_is_string(e)) {
		msg = json_string_value(e);
		type = NULL;
	} else {
		msg = ab_get_str(e, "message");
		type = ab_get_str(e, "type");
		if (type == NULL)
			type = ab_get_str(e, "code");
	}
	ab_error_set(&r->err, "api", "%s%s%s", type ? type : "",
	    type ? ": " : "", msg ? msg : "error");
	return true;
}

static void
set_model(struct ab_reply *r, const json_t *j)
{
	const char *m = ab_get_str(j, "model");

	if (m != NULL && r->model == NULL)
		r->model = ab_xstrdup(m);
}

static void
add_text(struct ab_reply *r, const char *s, size_t n)
{
	if (n == 0)
		return;
	ab_buf_add(&r->text, s, n);
	r->got_text = true;
}

static int
parse_json(const struct ab_agent *a, const json_t *j, struct ab_reply *r)
{
	json_t *v, *x;
	const char *s;
	size_t i;

	if (!json_is_object(j))
		return ab_error_set(&r->err, "bad_response", "expected a "
		    "JSON object");
	if (api_error(j, r))
		return -1;
	set_model(r, j);
	switch (a->provider) {
	case AB_PROV_ANTHROPIC:
		v = json_object_get(j, "content");
		if (!json_is_array(v))
			return ab_error_set(&r->err, "bad_response", "no "
			    "content in the reply");
		json_array_foreach(v, i, x) {
			s = ab_get_str(x, "text");
			if (s != NULL)
				add_text(r, s, strlen(s));
		}
		if (json_is_integer(ab_get(j, "usage.input_tokens")))
			r->tokens_in = (long)json_integer_value(ab_get(j,
			    "usage.input_tokens"));
		if (json_is_integer(ab_get(j, "usage.output_tokens")))
			r->tokens_out = (long)json_integer_value(ab_get(j,
			    "usage.output_tokens"));
		break;
	case AB_PROV_OLLAMA:
		v = ab_get(j, "message.content");
		if (!json_is_string(v))
			return ab_error_set(&r->err, "bad_response", "no "
			    "message in the reply");
		add_text(r, json_string_value(v), json_string_length(v));
		if (json_is_integer(json_object_get(j, "prompt_eval_count")))
			r->tokens_in = (long)json_integer_value(
			    json_object_get(j, "prompt_eval_count"));
		if (json_is_integer(json_object_get(j, "eval_count")))
			r->tokens_out = (long)json_integer_value(
			    json_object_get(j, "eval_count"));
		break;
	default:
		x = json_array_get(json_object_get(j, "choices"), 0);
		if (x == NULL)
			return ab_error_set(&r->err, "bad_response", "no "
			    "choices in the reply");
		v = ab_get(x, "message.content");
		if (json_is_string(v))
			add_text(r, json_string_value(v),
			    json_string_length(v));
		if (json_is_integer(ab_get(j, "usage.prompt_tokens")))
			r->tokens_in = (long)json_integer_value(ab_get(j,
			    "usage.prompt_tokens"));
		if (json_is_integer(ab_get(j, "usage.completion_tokens")))
			r->tokens_out = (long)json_integer_value(ab_get(j,
			    "usage.completion_tokens"));
		break;
	}
	r->done = true;
	return 0;
}

int
ab_wire_parse(const struct ab_agent *a, const char *body, size_t len,
    struct ab_reply *r)
{
	json_error_t jerr;
	json_t *j;
	int rc;

	j = json_loadb(body, len, 0, &jerr);
	if (j == NULL)
		return ab_error_set(&r->err, "bad_response", "the reply is "
		    "not JSON: %s", jerr.text);
	rc = parse_json(a, j, r);
	json_decref(j);
	return rc;
}

struct feed {
	const struct ab_agent *a;
	struct ab_reply *r;
};

/* One streamed JSON chunk (an SSE data field or an NDJSON line). */
static int
chunk(const struct ab_agent *a, const char *event, const char *data,
    size_t len, struct ab_reply *r)
{
	json_error_t jerr;
	json_t *j, *x, *v;
	const char *type;
	int rc = 0;

	if (a->provider == AB_PROV_OPENAI && len == 6 &&
	    memcmp(data, "[DONE]", 6) == 0) {
		r->done = true;
		return 0;
	}
	j = json_loadb(data, len, 0, &jerr);
	if (j == NULL)
		return ab_error_set(&r->err, "bad_response", "a streamed "
		    "chunk is not JSON: %s", jerr.text);
	if (!json_is_object(j)) {
		json_decref(j);
		return ab_error_set(&r->err, "bad_response", "a streamed "
		    "chunk is not an object");
	}
	if (api_error(j, r)) {
		json_decref(j);
		return -1;
	}
	set_model(r, j);
	switch (a->provider) {
	case AB_PROV_ANTHROPIC:
		type = ab_get_str(j, "type");
		if (type == NULL)
			type = event;
		if (strcmp(type, "message_start") == 0) {
			set_model(r, json_object_get(j, "message"));
			v = ab_get(j, "message.usage.input_tokens");
			if (json_is_integer(v))
				r->tokens_in = (long)json_integer_value(v);
		} else if (strcmp(type, "content_block_delta") == 0) {
			v = ab_get(j, "delta.text");
			if (json_is_string(v))
				add_text(r, json_string_value(v),
				    json_string_length(v));
		} else if (strcmp(type, "message_delta") == 0) {
			v = ab_get(j, "usage.output_tokens");
			if (json_is_integer(v))
				r->tokens_out = (long)json_integer_value(v);
			v = ab_get(j, "usage.input_tokens");
			if (json_is_integer(v))
				r->tokens_in = (long)json_integer_value(v);
		} else if (strcmp(type, "message_stop") == 0) {
			r->done = true;
		}
		break;
	case AB_PROV_OLLAMA:
		v = ab_get(j, "message.content");
		if (json_is_string(v))
			add_text(r, json_string_value(v),
			    json_string_length(v));
		if (json_is_true(json_object_get(j, "done"))) {
			r->done = true;
			if (json_is_integer(json_object_get(j,
			    "prompt_eval_count")))
				r->tokens_in = (long)json_integer_value(
				    json_object_get(j, "prompt_eval_count"));
			if (json_is_integer(json_object_get(j, "eval_count")))
				r->tokens_out = (long)json_integer_value(
				    json_object_get(j, "eval_count"));
		}
		break;
	default:
		x = json_array_get(json_object_get(j, "choices"), 0);
		v = ab_get(x, "delta.content");
		if (json_is_string(v))
			add_text(r, json_string_value(v),
			    json_string_length(v));
		v = json_object_get(j, "usage");
		if (json_is_object(v)) {
			if (json_is_integer(json_object_get(v,
			    "prompt_tokens")))
				r->tokens_in = (long)json_integer_value(
				    json_object_get(v, "prompt_tokens"));
			if (json_is_integer(json_object_get(v,
			    "completion_tokens")))
				r->tokens_out = (long)json_integer_value(
				    json_object_get(v, "completion_tokens"));
		}
		break;
	}
	json_decref(j);
	return rc;
}

static int
sse_cb(const char *event, const char *data, size_t len, void *ctx)
{
	struct feed *f = ctx;

	if (f->a->provider == AB_PROV_ANTHROPIC && strcmp(event, "ping") == 0)
		return 0;
	return chunk(f->a, event, data, len, f->r);
}

static int
line_cb(const char *line, size_t len, void *ctx)
{
	struct feed *f = ctx;

	return chunk(f->a, "message", line, len, f->r);
}

int
ab_wire_feed(const struct ab_agent *a, struct ab_sse *sse, const char *p,
    size_t n, struct ab_reply *r)
{
	struct feed f = { a, r };
	struct ab_buf *pend = &r->pending;

	if (a->provider == AB_PROV_OLLAMA)
		return ab_lines_feed(pend, p, n, line_cb, &f);
	if (ab_sse_feed(sse, p, n, sse_cb, &f) < 0) {
		if (sse->overflow)
			ab_error_set(&r->err, "bad_response", "a streamed "
			    "event is too large");
		return -1;
	}
	return 0;
}
