/*
 * relay.c - the model relay of an agent trial (see trial.h).
 *
 * The listener lives in the sandbox's network namespace (the keeper made
 * it); this thread, outside, accepts the agent's HTTP/1.1 connections,
 * checks each model call against the trial's budgets, and forwards it
 * through its own call engine (retries, Retry-After, the configuration's
 * rate limiter, shared with the other trials) with the real key, passing
 * the reply back as it arrives (server-sent events included).  Each call
 * is metered from the usage the API reports.  The agent never sees the
 * key: it sends a placeholder, which is dropped.
 *
 * With ab-gen's answer cache, a complete reply is kept under a key of the
 * request as forwarded (URL, body with the configured model, the headers
 * passed on, the attempt's sample and how many times this trial asked
 * the same), and the same request of a later trial is answered from it
 * byte for byte, streamed as it was streamed.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "trial.h"

#define HEAD_MAX (64 * 1024)
#define BODY_MAX (32L << 20)
#define KEEP_REPLY (64 * 1024)		/* reply bytes kept in the log */
#define KEEP_REQUEST (16 * 1024)	/* request bytes kept in the log */
#define WRITE_WAIT_MS 30000
#define CACHE_MAX (8L << 20)		/* bigger replies are not cached */

struct conn {
	int fd;
	struct ab_buf in;
	struct ab_call *call;	/* in flight (the engine's) or NULL */
	bool head_sent, close_after, dead, metered;
	char endpoint[128];
	char *req_model;	/* the model the agent asked for */
	bool stream;
	bool stream_end;	/* the stream's last event was seen */
	char key[65];		/* cache key, "" when not cached */
	double t0;
	struct ab_sse sse;
	long tin, tout;		/* usage seen, -1 unknown */
	struct ab_buf reply;	/* kept for the log (capped) */
	size_t reply_bytes;
	struct ab_buf body;	/* the whole reply: a non-streamed one for
				   its usage, any to be cached */
	bool body_over;		/* it was too long to keep whole */
	char *request;		/* excerpt of the request, for the log */
	size_t req_bytes;
	struct conn *next;
};

struct ab_relay {
	struct ab_relay_opts o;
	struct ab_agent up;	/* a copy; its rate limiter is the
				   configuration's, shared by every trial
				   (or none) */
	char base[2048];	/* the upstream URL without its endpoint */
	pthread_t th;
	int wake[2];
	atomic_int stop;
	struct ab_engine *eng;
	struct conn *conns;
	json_t *calls;
	long ncalls, refused, tin, tout, ncached;
	json_t *seen;		/* request key -> times asked */
	bool tok_unknown, cost_unknown, budget_hit;
	double cost;
	json_t *budget_error, *provider_error;
	struct ab_error err;
};

/* ---- writing to the agent ---- */

static int
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t k = send(fd, p, n, MSG_NOSIGNAL);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0 && errno == EAGAIN) {
			struct pollfd pf = { fd, POLLOUT, 0 };

			if (poll(&pf, 1, WRITE_WAIT_MS) <= 0)
				return -1;
			continue;
		}
		if (k <= 0)
			return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

static const char *
reason(int code)
{
	switch (code) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 413: return "Payload Too Large";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	case 504: return "Gateway Timeout";
	default: return "Status";
	}
}

static void
respond(struct conn *k, int code, const char *ctype, const char *body,
    size_t len, const char *extra)
{
	struct ab_buf h = AB_BUF_INIT;

	ab_buf_addf(&h, "HTTP/1.1 %d %s\r\nContent-Type: %s\r\n"
	    "Content-Length: %zu\r\n%s%s\r\n", code, reason(code), ctype, len,
	    extra != NULL ? extra : "", k->close_after ?
	    "Connection: close\r\n" : "");
	if (write_all(k->fd, h.s, h.len) < 0 ||
	    write_all(k->fd, body, len) < 0)
		k->dead = true;
	ab_buf_release(&h);
}

/* An error in the wire format the agent speaks. */
static void
respond_error(struct ab_relay *r, struct conn *k, int code, const char *type,
    const char *msg, const char *extra)
{
	json_t *j;
	char *s;

	if (strcmp(r->o.wire, "anthropic") == 0)
		j = json_pack("{s:s, s:{s:s, s:s}}", "type", "error", "error",
		    "type", type, "message", msg);
	else
		j = json_pack("{s:{s:s, s:s, s:s}}", "error", "message", msg,
		    "type", type, "code", type);
	s = json_dumps(j, JSON_COMPACT);
	respond(k, code, "application/json", s, strlen(s), extra);
	free(s);
	json_decref(j);
}

/* ---- metering ---- */

static void
take_usage(struct conn *k, const json_t *u)
{
	json_t *v;
	long in = -1;

	if (!json_is_object(u))
		return;
	if (json_is_integer(v = json_object_get(u, "input_tokens")) ||
	    json_is_integer(v = json_object_get(u, "prompt_tokens")))
		in = (long)json_integer_value(v);
	if (in >= 0) {
		/* Anthropic counts cached input apart. */
		if (json_is_integer(v = json_object_get(u,
		    "cache_creation_input_tokens")))
			in += (long)json_integer_value(v);
		if (json_is_integer(v = json_object_get(u,
		    "cache_read_input_tokens")))
			in += (long)json_integer_value(v);
		if (in > k->tin)
			k->tin = in;
	}
	if (json_is_integer(v = json_object_get(u, "output_tokens")) ||
	    json_is_integer(v = json_object_get(u, "completion_tokens")))
		k->tout = (long)json_integer_value(v);
}

static void
usage_of(struct conn *k, const json_t *j)
{
	take_usage(k, json_object_get(j, "usage"));
	take_usage(k, ab_get(j, "message.usage"));
	take_usage(k, ab_get(j, "response.usage"));
}

static int
sse_usage(const char *event, const char *data, size_t len, void *ctx)
{
	struct conn *k = ctx;
	json_t *j;

	(void)event;
	/* The end of the stream, in the three wire formats. */
	if (len == 6 && memcmp(data, "[DONE]", 6) == 0)
		k->stream_end = true;
	if (len == 0 || data[0] != '{')
		return 0;
	if ((j = json_loadb(data, len, 0, NULL)) != NULL) {
		const char *type = ab_get_str(j, "type");

		if (type != NULL && (strcmp(type, "message_stop") == 0 ||
		    strcmp(type, "response.completed") == 0))
			k->stream_end = true;
		usage_of(k, j);
		json_decref(j);
	}
	return 0;
}

/* The engine hands us the reply as it arrives. */
static int
tap(struct ab_call *c, const char *p, size_t n, void *ctx)
{
	struct conn *k = ctx;
	char head[64];

	if (!k->head_sent) {
		struct ab_buf h = AB_BUF_INIT;
		const char *ct = c->content_type[0] ? c->content_type :
		    k->stream ? "text/event-stream" : "application/json";

		ab_buf_addf(&h, "HTTP/1.1 200 OK\r\nContent-Type: %s\r\n"
		    "Transfer-Encoding: chunked\r\nCache-Control: no-cache\r\n"
		    "%s\r\n", ct, k->close_after ? "Connection: close\r\n" :
		    "");
		if (write_all(k->fd, h.s, h.len) < 0)
			k->dead = true;
		ab_buf_release(&h);
		k->head_sent = true;
	}
	if (k->reply.len < KEEP_REPLY)
		ab_buf_add(&k->reply, p, n < KEEP_REPLY - k->reply.len ? n :
		    KEEP_REPLY - k->reply.len);
	k->reply_bytes += n;
	if (k->stream)
		ab_sse_feed(&k->sse, p, n, sse_usage, k);
	if (!k->stream || k->key[0] != '\0') {
		if (k->body.len + n <= (size_t)BODY_MAX)
			ab_buf_add(&k->body, p, n);
		else
			k->body_over = true;
	}
	if (k->dead)
		return -1;
	snprintf(head, sizeof head, "%zx\r\n", n);
	if (write_all(k->fd, head, strlen(head)) < 0 ||
	    write_all(k->fd, p, n) < 0 || write_all(k->fd, "\r\n", 2) < 0) {
		k->dead = true;
		return -1;
	}
	return 0;
}

static double
cost_of(const struct ab_agent *a, long tin, long tout, bool *known)
{
	if (!a->priced || tin < 0 || tout < 0) {
		*known = false;
		return 0;
	}
	*known = true;
	return ((double)tin * a->price_in + (double)tout * a->price_out) / 1e6;
}

static json_t *
num(double v)
{
	return json_real((double)(long long)(v * 1000 + (v < 0 ? -0.5 : 0.5))
	    / 1000);
}

/* Count a call towards the trial's totals and budgets; the run's ledger
 * (--budget, real spending) only when it was not served from the cache. */
static double
meter(struct ab_relay *r, struct conn *k, bool ok, bool cached, bool *known)
{
	double cost = cost_of(&r->up, k->tin, k->tout, known);

	if (!k->metered)
		return cost;
	r->ncalls++;
	r->ncached += cached;
	if (k->tin < 0 || k->tout < 0)
		r->tok_unknown = true;
	else
		r->tin += k->tin, r->tout += k->tout;
	if (!*known) {
		if (ok)
			r->cost_unknown = true;
	} else
		r->cost += cost;
	if (!cached && *known && cost > 0 && r->o.budget >= 0 &&
	    r->o.ledger_dir != NULL) {
		double total;
		struct ab_error err;

		ab_ledger_add(r->o.ledger_dir, r->o.run, cost, &total, &err);
	}
	return cost;
}

/* The call's entry in the log; the connection's per-call state is
 * released. */
static void
log_call(struct ab_relay *r, struct conn *k, long status, bool known,
    double cost, double latency, double ttft, bool cached, int attempts,
    double waited, json_t *error)
{
	json_t *e;

	ab_utf8_fix(&k->reply);
	e = json_object();
	json_object_set_new(e, "role", json_string(k->metered ? "agent" :
	    "aux"));
	json_object_set_new(e, "agent", json_string("relay"));
	json_object_set_new(e, "cycle", json_integer(0));
	json_object_set_new(e, "endpoint", json_string(k->endpoint));
	json_object_set_new(e, "model", json_string(r->up.model));
	json_object_set_new(e, "requested_model", k->req_model ?
	    json_string(k->req_model) : json_null());
	json_object_set_new(e, "provider",
	    json_string(ab_provider_name(r->up.provider)));
	json_object_set_new(e, "stream", json_boolean(k->stream));
	json_object_set_new(e, "status", json_integer(status));
	json_object_set_new(e, "tokens", json_pack("{s:o, s:o}", "in",
	    k->tin >= 0 ? json_integer(k->tin) : json_null(), "out",
	    k->tout >= 0 ? json_integer(k->tout) : json_null()));
	json_object_set_new(e, "estimated", json_false());
	json_object_set_new(e, "cost_usd", known ? json_real(cost) :
	    json_null());
	json_object_set_new(e, "t_ms", num(k->t0 - r->o.t0));
	json_object_set_new(e, "latency_ms", latency >= 0 ? num(latency) :
	    json_null());
	json_object_set_new(e, "ttft_ms", ttft >= 0 ? num(ttft) :
	    json_null());
	json_object_set_new(e, "cached", json_boolean(cached));
	json_object_set_new(e, "attempts", json_integer(attempts));
	json_object_set_new(e, "wait_ms", num(waited));
	json_object_set_new(e, "request_bytes", json_integer((json_int_t)
	    k->req_bytes));
	json_object_set_new(e, "request", json_string(k->request ?
	    k->request : ""));
	json_object_set_new(e, "reply_bytes", json_integer((json_int_t)
	    k->reply_bytes));
	json_object_set_new(e, "reply", json_stringn(k->reply.s ? k->reply.s :
	    "", k->reply.len));
	json_object_set_new(e, "error", error != NULL ? json_incref(error) :
	    json_null());
	json_array_append_new(r->calls, e);
	free(k->req_model);
	k->req_model = NULL;
	free(k->request);
	k->request = NULL;
	k->key[0] = '\0';
	if (k->close_after)
		k->dead = true;
}

/* Keep a complete reply in the cache: a body that parses, or a stream
 * that reached its last event; never one cut short or too long. */
static void
cache_put(struct ab_relay *r, struct conn *k, struct ab_call *c)
{
	struct ab_error err;
	json_t *ent, *j;
	bool whole;

	if (k->body_over || k->body.len > (size_t)CACHE_MAX)
		return;
	if (k->stream) {
		whole = k->stream_end;
	} else {
		j = json_loadb(k->body.s ? k->body.s : "", k->body.len, 0,
		    NULL);
		whole = json_is_object(j);
		json_decref(j);
	}
	if (!whole)
		return;
	/* "text" (the reply as it came) is what every cache entry has;
	 * bytes that are not UTF-8 cannot be kept in JSON, nor cached. */
	ent = json_pack("{s:o, s:s, s:b, s:{s:o, s:o}, s:s, s:o, s:o}",
	    "text", json_stringn(k->body.s ? k->body.s : "", k->body.len),
	    "content_type", c->content_type[0] ? c->content_type : k->stream ?
	    "text/event-stream" : "application/json", "stream", k->stream,
	    "tokens", "in", k->tin >= 0 ? json_integer(k->tin) : json_null(),
	    "out", k->tout >= 0 ? json_integer(k->tout) : json_null(),
	    "model", r->up.model, "latency_ms", num(c->latency_ms),
	    "ttft_ms", c->ttft_ms >= 0 ? num(c->ttft_ms) : json_null());
	if (ent == NULL)
		return;
	/* Committed at once: an open transaction would hold the
	 * database's write lock for the rest of the trial. */
	if (ab_cache_put(r->o.cache, k->key, ent, &err) == 0)
		ab_cache_flush(r->o.cache, &err);
	json_decref(ent);
}

/* A forwarded call is over: answer the agent and log it. */
static void
call_done(struct ab_relay *r, struct conn *k, struct ab_call *c)
{
	bool ok = json_is_null(c->error), known;
	const char *kind = ok ? NULL : ab_get_str(c->error, "kind");
	double cost;

	if (c->tapped) {
		if (ok) {
			if (!k->stream && k->body.len > 0) {
				json_t *j = json_loadb(k->body.s, k->body.len,
				    0, NULL);

				usage_of(k, j);
				json_decref(j);
			}
			if (write_all(k->fd, "0\r\n\r\n", 5) < 0)
				k->dead = true;
			if (k->key[0] != '\0')
				cache_put(r, k, c);
		} else {
			k->dead = true;	/* the client sees it cut short */
		}
	} else if (!ok) {
		int code = c->http_status >= 400 ? (int)c->http_status : 502;

		if (c->raw_reply.len > 0 && c->http_status >= 400) {
			char *b = ab_xstrdup(c->raw_reply.s);

			b = ab_redact(b, r->up.api_key);
			respond(k, code, c->content_type[0] ? c->content_type :
			    "application/json", b, strlen(b), NULL);
			free(b);
		} else {
			respond_error(r, k, code, "api_error", ab_get_str(
			    c->error, "message") ? ab_get_str(c->error,
			    "message") : "upstream failure", NULL);
		}
	}
	if (!ok && kind != NULL && strcmp(kind, "http") != 0 &&
	    r->provider_error == NULL)
		r->provider_error = json_incref(c->error);
	cost = meter(r, k, ok || c->tapped, false, &known);
	log_call(r, k, c->tapped ? 200 : c->http_status, known, cost,
	    ab_now_ms() - k->t0, c->ttft_ms, false, c->attempts, c->waited_ms,
	    c->error);
	ab_call_free(c);
	k->call = NULL;
}

/* ---- the cache ---- */

/* The cache key of a request as it goes upstream: the relay's mark, the
 * provider and URL, the body (the configured model in it; the agent's
 * placeholder key is a header, never part of it), the headers passed on,
 * the attempt's sample, and the times this trial asked the same before
 * (an agent asking the same twice gets what it got the first time and
 * then the second answer, as when it was recorded). */
static void
relay_key(struct ab_relay *r, const char *url, const json_t *body,
    char *const *hdrs, char out[65])
{
	char base[65], *s;
	json_t *k, *h = json_array(), *n;
	json_int_t times;
	int i;

	for (i = 0; hdrs != NULL && hdrs[i] != NULL; i++)
		json_array_append_new(h, json_string(hdrs[i]));
	k = json_pack("{s:i, s:b, s:s, s:s, s:O, s:o, s:i}", "v", 1, "relay",
	    1, "provider", ab_provider_name(r->up.provider), "url", url,
	    "request", body, "headers", h, "sample", r->o.sample);
	s = ab_canonical(k);
	ab_sha256_hex(s, strlen(s), base);
	free(s);
	json_decref(k);
	n = json_object_get(r->seen, base);
	times = json_is_integer(n) ? json_integer_value(n) : 0;
	json_object_set_new(r->seen, base, json_integer(times + 1));
	s = ab_xasprintf("%s:%lld", base, (long long)times);
	ab_sha256_hex(s, strlen(s), out);
	free(s);
}

/* Answer the agent from a cache entry, as the upstream answered (a stream
 * in chunks of whole events), and log the call.  false when the entry
 * does not fit the request (then it is forwarded). */
static bool
serve_hit(struct ab_relay *r, struct conn *k, const json_t *hit)
{
	const char *text = ab_get_str(hit, "text");
	const char *ct = ab_get_str(hit, "content_type");
	size_t len = json_string_length(json_object_get(hit, "text")), off;
	struct ab_buf h = AB_BUF_INIT;
	json_t *v;
	bool known;
	double cost;

	if (text == NULL || ct == NULL || json_is_true(json_object_get(hit,
	    "stream")) != k->stream)
		return false;
	k->tin = json_is_integer(v = ab_get(hit, "tokens.in")) ?
	    (long)json_integer_value(v) : -1;
	k->tout = json_is_integer(v = ab_get(hit, "tokens.out")) ?
	    (long)json_integer_value(v) : -1;
	ab_buf_addf(&h, "HTTP/1.1 200 OK\r\nContent-Type: %s\r\n"
	    "Transfer-Encoding: chunked\r\nCache-Control: no-cache\r\n"
	    "%s\r\n", ct, k->close_after ? "Connection: close\r\n" : "");
	if (write_all(k->fd, h.s, h.len) < 0)
		k->dead = true;
	ab_buf_release(&h);
	for (off = 0; off < len && !k->dead; ) {
		const char *e = k->stream ? memmem(text + off, len - off,
		    "\n\n", 2) : NULL;
		size_t n = e != NULL ? (size_t)(e - text - off) + 2 : len - off;
		char head[32];

		snprintf(head, sizeof head, "%zx\r\n", n);
		if (write_all(k->fd, head, strlen(head)) < 0 ||
		    write_all(k->fd, text + off, n) < 0 ||
		    write_all(k->fd, "\r\n", 2) < 0)
			k->dead = true;
		off += n;
	}
	if (!k->dead && write_all(k->fd, "0\r\n\r\n", 5) < 0)
		k->dead = true;
	ab_buf_add(&k->reply, text, len < KEEP_REPLY ? len : KEEP_REPLY);
	k->reply_bytes = len;
	cost = meter(r, k, true, true, &known);
	log_call(r, k, 200, known, cost, ab_get_num(hit, "latency_ms", -1),
	    ab_get_num(hit, "ttft_ms", -1), true, 0, 0, NULL);
	return true;
}

/* ---- budgets ---- */

/* NULL when a call may go, else why not (new string), with *run_scope
 * true when the run's budget (--budget) rather than the trial's is
 * spent. */
static char *
over_budget(struct ab_relay *r, bool *run_scope)
{
	double total = 0;
	struct ab_error err;

	*run_scope = false;
	if (r->o.max_calls > 0 && r->ncalls >= r->o.max_calls)
		return ab_xasprintf("the trial's budget of %ld model calls is "
		    "spent", r->o.max_calls);
	if (r->o.max_tokens > 0 && r->tin + r->tout >= r->o.max_tokens)
		return ab_xasprintf("the trial's budget of %ld tokens is "
		    "spent (%ld)", r->o.max_tokens, r->tin + r->tout);
	if (r->o.max_cost >= 0 && r->cost >= r->o.max_cost)
		return ab_xasprintf("the trial's budget of %g USD is spent "
		    "(%.4f USD)", r->o.max_cost, r->cost);
	if (r->o.budget >= 0 && r->o.ledger_dir != NULL &&
	    ab_ledger_add(r->o.ledger_dir, r->o.run, 0, &total, &err) == 0 &&
	    total >= r->o.budget) {
		*run_scope = true;
		return ab_xasprintf("the run's budget of %g USD is spent "
		    "(%.4f USD)", r->o.budget, total);
	}
	return NULL;
}

/* ---- requests ---- */

/* Find the end of the head; parse it.  Returns the request's total size
 * when it is complete, 0 when more is needed, -1 on a bad request (code
 * set). */
struct req {
	char method[16], target[1024];
	size_t head_len, body_len;
	bool chunked, close;
	char *hdr_version, *hdr_beta, *hdr_openai_beta;
};

static char *
hdr_value(const char *line, size_t name_len, const char *end)
{
	const char *p = line + name_len;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return ab_xasprintf("%.*s", (int)(end - p), p);
}

static long
parse_head(const char *s, size_t n, struct req *q, int *code)
{
	const char *end, *line, *eol;
	char *e;
	size_t i;

	memset(q, 0, sizeof *q);
	for (end = NULL, i = 3; i < n; i++)
		if (s[i - 3] == '\r' && s[i - 2] == '\n' && s[i - 1] == '\r' &&
		    s[i] == '\n') {
			end = s + i + 1;
			break;
		}
	if (end == NULL) {
		if (n > HEAD_MAX) {
			*code = 413;
			return -1;
		}
		return 0;
	}
	q->head_len = (size_t)(end - s);
	if (sscanf(s, "%15s %1023s HTTP/1.%*c", q->method, q->target) != 2) {
		*code = 400;
		return -1;
	}
	for (line = strstr(s, "\r\n") + 2; line < end - 2; line = eol + 2) {
		eol = strstr(line, "\r\n");
		if (eol == NULL || eol >= end)
			break;
		if (strncasecmp(line, "content-length:", 15) == 0) {
			q->body_len = (size_t)strtoul(line + 15, &e, 10);
			if (q->body_len > (size_t)BODY_MAX) {
				*code = 413;
				return -1;
			}
		} else if (strncasecmp(line, "transfer-encoding:", 18) == 0) {
			char *v = hdr_value(line, 18, eol);

			q->chunked = strcasestr(v, "chunked") != NULL;
			free(v);
		} else if (strncasecmp(line, "connection:", 11) == 0) {
			char *v = hdr_value(line, 11, eol);

			q->close = strcasestr(v, "close") != NULL;
			free(v);
		} else if (strncasecmp(line, "anthropic-version:", 18) == 0) {
			free(q->hdr_version);
			q->hdr_version = hdr_value(line, 18, eol);
		} else if (strncasecmp(line, "anthropic-beta:", 15) == 0) {
			free(q->hdr_beta);
			q->hdr_beta = hdr_value(line, 15, eol);
		} else if (strncasecmp(line, "openai-beta:", 12) == 0) {
			free(q->hdr_openai_beta);
			q->hdr_openai_beta = hdr_value(line, 12, eol);
		}
	}
	return 1;
}

static void
req_release(struct req *q)
{
	free(q->hdr_version);
	free(q->hdr_beta);
	free(q->hdr_openai_beta);
}

/* Decode a chunked body from p (n bytes): the body into out, the bytes
 * used into *used.  1 complete, 0 more needed, -1 bad. */
static int
dechunk(const char *p, size_t n, struct ab_buf *out, size_t *used)
{
	size_t off = 0;

	for (;;) {
		const char *eol = memmem(p + off, n - off, "\r\n", 2);
		unsigned long len;
		char *e;

		if (eol == NULL)
			return n - off > 64 ? -1 : 0;
		len = strtoul(p + off, &e, 16);
		if (e == p + off)
			return -1;
		off = (size_t)(eol - p) + 2;
		if (len == 0) {
			/* Trailers end with an empty line. */
			const char *fin = memmem(p + off, n - off, "\r\n", 2);

			while (fin != NULL && fin != p + off) {
				off = (size_t)(fin - p) + 2;
				fin = memmem(p + off, n - off, "\r\n", 2);
			}
			if (fin == NULL)
				return 0;
			*used = off + 2;
			return 1;
		}
		if (out->len + len > (size_t)BODY_MAX)
			return -1;
		if (n - off < len + 2)
			return 0;
		ab_buf_add(out, p + off, len);
		off += len + 2;
	}
}

/* Is path (without the query) a model call of the wire format? */
static bool
is_call(const char *path, size_t len)
{
	static const char *const ends[] = { "/messages", "/chat/completions",
	    "/responses", NULL };
	int i;

	for (i = 0; ends[i] != NULL; i++)
		if (len == strlen(ends[i]) && strncmp(path, ends[i], len) == 0)
			return true;
	return false;
}

/* Handle the complete request at the start of k->in; returns the bytes
 * it used, 0 when incomplete, -1 when the connection is to close. */
static long
handle(struct ab_relay *r, struct conn *k)
{
	struct req q;
	struct ab_buf body = AB_BUF_INIT;
	struct ab_call *c;
	size_t used = 0;
	const char *rest, *qm;
	char *why, *url;
	json_t *j = NULL, *v;
	int code = 400, rc;
	long hl;
	bool run_scope = false;

	if ((hl = parse_head(k->in.s, k->in.len, &q, &code)) <= 0) {
		if (hl < 0) {
			k->close_after = true;
			respond_error(r, k, code, "invalid_request_error",
			    "ab relay: bad request", NULL);
		}
		req_release(&q);
		return hl;
	}
	if (q.chunked) {
		rc = dechunk(k->in.s + q.head_len, k->in.len - q.head_len,
		    &body, &used);
		if (rc <= 0) {
			ab_buf_release(&body);
			req_release(&q);
			if (rc < 0) {
				k->close_after = true;
				respond_error(r, k, 400,
				    "invalid_request_error", "ab relay: bad "
				    "chunked body", NULL);
			}
			return rc;
		}
		used += q.head_len;
	} else {
		if (k->in.len - q.head_len < q.body_len) {
			req_release(&q);
			return 0;
		}
		ab_buf_add(&body, k->in.s + q.head_len, q.body_len);
		used = q.head_len + q.body_len;
	}
	ab_buf_addc(&body, '\0');
	body.len--;
	k->close_after = q.close;
	/* The path beneath the API's base: /v1 is the base's. */
	rest = q.target;
	if (strncmp(rest, "/v1/", 4) == 0)
		rest += 3;
	qm = strchr(rest, '?');
	snprintf(k->endpoint, sizeof k->endpoint, "%.*s", (int)(qm ?
	    (size_t)(qm - rest) : strlen(rest)), rest);
	if (r->up.model == NULL) {
		respond_error(r, k, 503, "api_error", "ab relay: no model",
		    NULL);
		goto out;
	}
	if (strcmp(q.method, "POST") != 0 || rest[0] != '/' ||
	    strstr(rest, "..") != NULL) {
		respond_error(r, k, strcmp(q.method, "POST") != 0 ? 405 : 404,
		    "not_found_error", "ab relay: only POST requests to the "
		    "model API are forwarded", NULL);
		goto out;
	}
	k->metered = is_call(k->endpoint, strlen(k->endpoint));
	if (k->metered && (why = over_budget(r, &run_scope)) != NULL) {
		char *msg = ab_xasprintf("ab relay: %s; no more model calls in "
		    "this trial", why);

		r->refused++;
		if (!r->budget_hit) {
			r->budget_hit = true;
			/* scope: whose budget, so that ab-rank charges
			 * the trial's own to the agent but not the run's. */
			r->budget_error = json_pack("{s:s, s:s, s:s}", "kind",
			    "budget", "message", why, "scope",
			    run_scope ? "run" : "trial");
		}
		respond_error(r, k, 429, strcmp(r->o.wire, "anthropic") == 0 ?
		    "rate_limit_error" : "rate_limit_exceeded", msg,
		    "Retry-After: 3600\r\nx-should-retry: false\r\n");
		free(msg);
		free(why);
		if (r->o.on_budget != NULL)
			r->o.on_budget(r->o.ctx);
		goto out;
	}
	/* The body as the upstream gets it: the configured model, and usage
	 * asked for in an OpenAI stream. */
	j = json_loadb(body.s, body.len, 0, NULL);
	if (!json_is_object(j)) {
		respond_error(r, k, 400, "invalid_request_error", "ab relay: "
		    "the body is not a JSON object", NULL);
		goto out;
	}
	k->stream = json_is_true(json_object_get(j, "stream"));
	if ((v = json_object_get(j, "model")) != NULL && json_is_string(v))
		k->req_model = ab_xstrdup(json_string_value(v));
	json_object_set_new(j, "model", json_string(r->up.model));
	if (k->stream && strcmp(k->endpoint, "/chat/completions") == 0 &&
	    json_object_get(j, "stream_options") == NULL)
		json_object_set_new(j, "stream_options", json_pack("{s:b}",
		    "include_usage", 1));
	k->request = ab_xasprintf("%.*s", (int)(body.len < KEEP_REQUEST ?
	    body.len : KEEP_REQUEST), body.s);
	k->req_bytes = body.len;
	c = ab_call_new(&r->up);
	c->raw_body = json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(17));
	if (c->raw_body == NULL)
		abort();
	url = ab_xasprintf("%s%s", r->base, rest);
	c->raw_url = url;
	c->raw_stream = k->stream;
	c->raw_headers = ab_xcalloc(4, sizeof *c->raw_headers);
	{
		int nh = 0;

		if (q.hdr_version != NULL)
			c->raw_headers[nh++] = ab_xasprintf(
			    "anthropic-version: %s", q.hdr_version);
		if (q.hdr_beta != NULL)
			c->raw_headers[nh++] = ab_xasprintf(
			    "anthropic-beta: %s", q.hdr_beta);
		if (q.hdr_openai_beta != NULL)
			c->raw_headers[nh++] = ab_xasprintf("OpenAI-Beta: %s",
			    q.hdr_openai_beta);
	}
	c->tap = tap;
	c->tap_ctx = k;
	c->udata = k;
	c->est_in = (long)(body.len / 4);
	k->t0 = ab_now_ms();
	k->tin = k->tout = -1;
	k->head_sent = false;
	k->stream_end = false;
	k->body_over = false;
	ab_sse_release(&k->sse);
	ab_sse_init(&k->sse);
	ab_buf_reset(&k->reply);
	ab_buf_reset(&k->body);
	k->reply_bytes = 0;
	k->key[0] = '\0';
	/* Model calls only: another endpoint (counting tokens, say) is
	 * cheap and may answer differently as time goes. */
	if (r->o.cache != NULL && k->metered) {
		json_t *hit;

		relay_key(r, url, j, c->raw_headers, k->key);
		if (r->o.read_cache && (hit = ab_cache_get(r->o.cache,
		    k->key)) != NULL) {
			bool served = serve_hit(r, k, hit);

			json_decref(hit);
			if (served) {
				ab_call_free(c);
				goto out;
			}
		}
	}
	k->call = c;
	ab_engine_submit(r->eng, c);
out:
	json_decref(j);
	ab_buf_release(&body);
	req_release(&q);
	return (long)used;
}

static void
conn_free(struct conn *k)
{
	if (k->fd >= 0)
		close(k->fd);
	ab_buf_release(&k->in);
	ab_buf_release(&k->reply);
	ab_buf_release(&k->body);
	ab_sse_release(&k->sse);
	free(k->req_model);
	free(k->request);
	free(k);
}

/* Read what the agent sent and serve complete requests. */
static void
service(struct ab_relay *r, struct conn *k)
{
	char buf[65536];
	ssize_t n;
	long used;

	for (;;) {
		n = recv(k->fd, buf, sizeof buf, MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		if (n <= 0) {
			k->dead = true;
			break;
		}
		ab_buf_add(&k->in, buf, (size_t)n);
		if (k->in.len > (size_t)BODY_MAX + HEAD_MAX) {
			k->dead = true;
			return;
		}
	}
	while (!k->dead && k->call == NULL && k->in.len > 0) {
		used = handle(r, k);
		if (used <= 0)
			break;
		memmove(k->in.s, k->in.s + used, k->in.len - (size_t)used);
		k->in.len -= (size_t)used;
		if (k->close_after && k->call == NULL)
			k->dead = true;
	}
}

static void *
relay_main(void *arg)
{
	struct ab_relay *r = arg;
	struct pollfd *pf = NULL;
	size_t cap = 0;

	while (!atomic_load(&r->stop)) {
		struct conn *k, **kp;
		struct ab_call *c;
		size_t n = 0, i;

		for (k = r->conns; k != NULL; k = k->next)
			n++;
		if (n + 2 > cap) {
			cap = (n + 2) * 2;
			free(pf);
			pf = ab_xcalloc(cap, sizeof *pf);
		}
		pf[0].fd = r->wake[0];
		pf[0].events = POLLIN;
		pf[1].fd = r->o.listen_fd;
		pf[1].events = POLLIN;
		for (i = 2, k = r->conns; k != NULL; k = k->next, i++) {
			pf[i].fd = k->call == NULL ? k->fd : -1;
			pf[i].events = POLLIN;
			pf[i].revents = 0;
		}
		if (poll(pf, (nfds_t)i, ab_engine_pending(r->eng) > 0 ? 0 :
		    1000) < 0 && errno != EINTR)
			break;
		if (pf[0].revents & POLLIN)
			break;
		if (pf[1].revents & POLLIN) {
			int fd;

			while ((fd = accept4(r->o.listen_fd, NULL, NULL,
			    SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
				k = ab_xcalloc(1, sizeof *k);
				k->fd = fd;
				ab_sse_init(&k->sse);
				k->next = r->conns;
				r->conns = k;
			}
		}
		for (i = 2, k = r->conns; k != NULL && i < n + 2;
		    k = k->next, i++)
			if (pf[i].fd >= 0 && (pf[i].revents & (POLLIN |
			    POLLHUP | POLLERR)))
				service(r, k);
		while (ab_engine_pending(r->eng) > 0 &&
		    (c = ab_engine_next(r->eng, 5)) != NULL) {
			k = c->udata;
			call_done(r, k, c);
			/* Pipelined requests behind this one. */
			if (!k->dead && k->in.len > 0)
				service(r, k);
		}
		for (kp = &r->conns; (k = *kp) != NULL; ) {
			if (k->dead && k->call == NULL) {
				*kp = k->next;
				conn_free(k);
			} else {
				kp = &k->next;
			}
		}
	}
	free(pf);
	return NULL;
}

struct ab_relay *
ab_relay_start(const struct ab_relay_opts *o, struct ab_error *err)
{
	struct ab_engine_opts eo = { 0 };
	struct ab_relay *r = ab_xcalloc(1, sizeof *r);
	const char *url;
	size_t ul;

	r->o = *o;
	r->wake[0] = r->wake[1] = -1;
	if (o->upstream != NULL) {
		r->up = *o->upstream;
		url = r->up.url;
		ul = strlen(url);
		if (ul > 17 && strcmp(url + ul - 17, "/chat/completions") == 0)
			ul -= 17;
		else if (ul > 9 && strcmp(url + ul - 9, "/messages") == 0)
			ul -= 9;
		snprintf(r->base, sizeof r->base, "%.*s", (int)ul, url);
	}
	r->calls = json_array();
	r->seen = json_object();
	fcntl(r->o.listen_fd, F_SETFL, O_NONBLOCK);
	eo.parallel = 8;
	if ((r->eng = ab_engine_new(&eo, err)) == NULL)
		goto fail;
	if (pipe2(r->wake, O_CLOEXEC) < 0) {
		ab_error_set(err, "harness", "pipe: %s", strerror(errno));
		goto fail;
	}
	if (pthread_create(&r->th, NULL, relay_main, r) != 0) {
		ab_error_set(err, "harness", "cannot start the relay thread");
		goto fail;
	}
	return r;
fail:
	ab_engine_free(r->eng);
	if (r->wake[0] >= 0)
		close(r->wake[0]), close(r->wake[1]);
	close(r->o.listen_fd);
	json_decref(r->calls);
	json_decref(r->seen);
	free(r);
	return NULL;
}

json_t *
ab_relay_stop(struct ab_relay *r, struct ab_relay_totals *t)
{
	struct conn *k, *next;
	json_t *calls;

	atomic_store(&r->stop, 1);
	if (write(r->wake[1], "x", 1) < 0) {
		/* the thread sees the flag within a second anyway */
	}
	pthread_join(r->th, NULL);
	/* Calls still in flight are aborted: logged as such. */
	for (k = r->conns; k != NULL; k = k->next)
		if (k->call != NULL) {
			json_decref(k->call->error);
			k->call->error = ab_error_json("aborted", "the trial "
			    "ended during the call");
		}
	ab_engine_free(r->eng);
	for (k = r->conns; k != NULL; k = next) {
		next = k->next;
		if (k->call != NULL) {
			json_array_append_new(r->calls, json_pack("{s:s, s:s, "
			    "s:i, s:s, s:s, s:{s:s, s:s}}", "role", "agent",
			    "agent", "relay", "cycle", 0, "endpoint",
			    k->endpoint, "model", r->up.model ? r->up.model :
			    "", "error", "kind", "aborted", "message",
			    "the trial ended during the call"));
			r->ncalls += k->metered;
		}
		k->call = NULL;	/* freed by the engine */
		conn_free(k);
	}
	close(r->o.listen_fd);
	close(r->wake[0]);
	close(r->wake[1]);
	memset(t, 0, sizeof *t);
	t->calls = r->ncalls;
	t->cached = r->ncached;
	t->refused = r->refused;
	t->tokens_in = r->tok_unknown ? -1 : r->tin;
	t->tokens_out = r->tok_unknown ? -1 : r->tout;
	t->cost_usd = r->cost_unknown ? -1 : r->cost;
	t->budget_hit = r->budget_hit;
	t->budget_error = r->budget_error;
	t->provider_error = r->provider_error;
	calls = r->calls;
	json_decref(r->seen);
	free(r);
	return calls;
}
