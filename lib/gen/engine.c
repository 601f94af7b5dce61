/*
 * engine.c - runs calls: HTTP requests through one libcurl multi handle
 * (keep-alive, HTTP/2 where offered, streaming), agent programs as
 * subprocesses in their own process group, retries with backoff, rate
 * limits.  Everything happens in one thread: poll waits on the
 * transfers and on the pipes of the agent programs at once.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/timerfd.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "gen.h"

extern char **environ;

enum { S_NEW, S_QUEUED, S_WAIT, S_HTTP, S_PROC, S_DONE };

/* A token bucket; its lock lets engines of several threads share it (the
 * relays of concurrent agent trials). */
struct ab_rate {
	struct ab_rate *next;	/* the engine's list of those it made */
	pthread_mutex_t mu;
	double req, tok;	/* available now */
	double last;		/* ms of the last refill */
};

struct ab_engine {
	struct ab_engine_opts o;
	CURLM *multi;
	struct ab_call *queue, *queue_tail;	/* not started */
	struct ab_call *waiting;		/* in backoff */
	struct ab_call *active;			/* transfers and programs */
	struct ab_call *done, *done_tail;
	int nactive, npending, nprocs;
	long retries;
	CURL *pool[64];
	int npool;
	struct ab_rate *rates;
	bool subreaper;
	double sweep_until, last_sweep;
	unsigned long long rng;
	int timer;		/* timerfd for a caller's deadline, or -1 */
	int epoll;		/* libcurl's sockets (on_socket) */
};

/* ---- small helpers ---- */

static void redact_buf(struct ab_buf *b, const char *secret);

void
ab_utf8_fix(struct ab_buf *b)
{
	struct ab_buf o = AB_BUF_INIT;
	const unsigned char *s = (const unsigned char *)b->s;
	size_t i = 0, n = b->len, len;
	bool clean = true;

	if (s == NULL)
		return;
	for (i = 0; i < n && clean; i++)
		if (s[i] >= 0x80 || s[i] == 0)
			clean = false;
	if (clean)
		return;
	for (i = 0; i < n; i += len) {
		len = 1;
		if (s[i] < 0x80) {
			if (s[i] != 0)
				ab_buf_addc(&o, s[i]);
			continue;
		}
		len = ab_utf8_len((const char *)s + i, n - i);
		if (len == 0) {
			ab_buf_adds(&o, "\xef\xbf\xbd");
			len = 1;
		} else {
			ab_buf_add(&o, s + i, len);
		}
	}
	ab_buf_release(b);
	if (o.s == NULL)
		ab_buf_add(&o, "", 0);
	*b = o;
}

static double
rnd(struct ab_engine *e)
{
	e->rng ^= e->rng << 13;
	e->rng ^= e->rng >> 7;
	e->rng ^= e->rng << 17;
	return (double)(e->rng >> 11) / 9007199254740992.0;
}

static void
set_error(struct ab_call *c, const char *kind, const char *fmt, ...)
    AB_PRINTF(3, 4);

/* Set c->error; the message is escaped and the key redacted. */
static void
set_error(struct ab_call *c, const char *kind, const char *fmt, ...)
{
	struct ab_buf b = AB_BUF_INIT;
	char *msg;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	msg = ab_xmalloc((size_t)(n > 0 ? n : 0) + 1);
	va_start(ap, fmt);
	vsnprintf(msg, (size_t)(n > 0 ? n : 0) + 1, fmt, ap);
	va_end(ap);
	msg = ab_redact(msg, c->agent->api_key);
	ab_buf_add_escaped(&b, msg, strlen(msg));
	free(msg);
	json_decref(c->error);
	c->error = json_pack("{s:s, s:s}", "kind", kind, "message",
	    b.s != NULL ? b.s : "");
	ab_buf_release(&b);
}

struct ab_call *
ab_call_new(const struct ab_agent *a)
{
	struct ab_call *c = ab_xcalloc(1, sizeof *c);

	c->agent = a;
	ab_reply_init(&c->reply);
	ab_sse_init(&c->sse);
	c->ttft_ms = -1;
	c->exit_status = -1;
	c->pid = -1;
	c->fd_in = c->fd_out = c->fd_err = -1;
	c->error = json_null();
	return c;
}

static void
free_strv(char **v)
{
	char **p;

	for (p = v; p != NULL && *p != NULL; p++)
		free(*p);
	free(v);
}

void
ab_call_free(struct ab_call *c)
{
	if (c == NULL)
		return;
	json_decref(c->messages);
	free(c->stdin_text);
	free_strv(c->argv);
	free_strv(c->env);
	ab_reply_release(&c->reply);
	json_decref(c->error);
	ab_buf_release(&c->err_text);
	if (c->hdrs != NULL)
		curl_slist_free_all(c->hdrs);
	free(c->body);
	free(c->raw_body);
	free(c->raw_url);
	free_strv(c->raw_headers);
	ab_buf_release(&c->raw_reply);
	ab_sse_release(&c->sse);
	ab_buf_release(&c->raw);
	if (c->fd_in >= 0)
		close(c->fd_in);
	if (c->fd_out >= 0)
		close(c->fd_out);
	if (c->fd_err >= 0)
		close(c->fd_err);
	free(c);
}

/* ---- lists ---- */

static void
list_remove(struct ab_call **head, struct ab_call *c)
{
	for (; *head != NULL; head = &(*head)->next)
		if (*head == c) {
			*head = c->next;
			c->next = NULL;
			return;
		}
}

static void
finish(struct ab_engine *e, struct ab_call *c)
{
	c->state = S_DONE;
	c->next = NULL;
	if (e->done_tail != NULL)
		e->done_tail->next = c;
	else
		e->done = c;
	e->done_tail = c;
}

/* ---- engine ---- */

/* libcurl's sockets, watched by the engine's epoll set (level-triggered):
 * what libcurl wants of socket s.  Its socket pointer (sp, set with
 * curl_multi_assign) holds what the set has for s, plus one, so that
 * an unchanged wish costs no system call. */
static int
on_socket(CURL *h, curl_socket_t s, int what, void *ud, void *sp)
{
	struct ab_engine *e = ud;
	struct epoll_event ev = { 0 };
	uintptr_t have = (uintptr_t)sp;

	(void)h;
	if (what == CURL_POLL_REMOVE) {
		/* A socket closed already left the set by itself. */
		if (have != 0)
			epoll_ctl(e->epoll, EPOLL_CTL_DEL, s, NULL);
		curl_multi_assign(e->multi, s, NULL);
		return 0;
	}
	ev.events = (what & CURL_POLL_IN ? EPOLLIN : 0) |
	    (what & CURL_POLL_OUT ? EPOLLOUT : 0);
	ev.data.fd = s;
	if (have == ev.events + 1)
		return 0;
	if (epoll_ctl(e->epoll, have != 0 ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, s,
	    &ev) < 0 && epoll_ctl(e->epoll, have != 0 ? EPOLL_CTL_ADD :
	    EPOLL_CTL_MOD, s, &ev) < 0)
		return -1;
	curl_multi_assign(e->multi, s, (void *)(uintptr_t)(ev.events + 1));
	return 0;
}

struct ab_engine *
ab_engine_new(const struct ab_engine_opts *o, struct ab_error *err)
{
	static bool curl_ready;
	struct ab_engine *e;

	if (!curl_ready) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
			ab_error_set(err, "curl", "cannot initialise libcurl");
			return NULL;
		}
		curl_ready = true;
	}
	e = ab_xcalloc(1, sizeof *e);
	e->o = *o;
	if (e->o.parallel < 1)
		e->o.parallel = 1;
	if (e->o.max_output == 0)
		e->o.max_output = (size_t)16 << 20;
	if (e->o.max_stderr == 0)
		e->o.max_stderr = 4096;
	e->multi = curl_multi_init();
	e->epoll = epoll_create1(EPOLL_CLOEXEC);
	if (e->multi == NULL || e->epoll < 0) {
		if (e->multi != NULL)
			curl_multi_cleanup(e->multi);
		if (e->epoll >= 0)
			close(e->epoll);
		free(e);
		ab_error_set(err, "curl", "cannot create a transfer handle");
		return NULL;
	}
	curl_multi_setopt(e->multi, CURLMOPT_SOCKETFUNCTION, on_socket);
	curl_multi_setopt(e->multi, CURLMOPT_SOCKETDATA, e);
	curl_multi_setopt(e->multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
	curl_multi_setopt(e->multi, CURLMOPT_MAXCONNECTS,
	    (long)e->o.parallel + 4);
	e->rng = (unsigned long long)time(NULL) * 2654435761ULL ^
	    (unsigned long long)getpid() << 16 ^ 0x9e3779b97f4a7c15ULL;
	/* poll counts whole milliseconds: a caller's deadline inside one
	 * (the load generator's next arrival) is kept by a timer instead.
	 * Without one, waits are rounded down and the caller naps. */
	e->timer = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK |
	    TFD_CLOEXEC);
	return e;
}

void
ab_engine_submit(struct ab_engine *e, struct ab_call *c)
{
	c->state = S_QUEUED;
	c->next = NULL;
	if (e->queue_tail != NULL)
		e->queue_tail->next = c;
	else
		e->queue = c;
	e->queue_tail = c;
	e->npending++;
}

int
ab_engine_pending(const struct ab_engine *e)
{
	return e->npending;
}

void
ab_engine_stats(const struct ab_engine *e, long *retries, long *running)
{
	*retries = e->retries;
	*running = e->nactive;
}

/* ---- rate limits ---- */

static struct ab_rate *
rate_make(const struct ab_agent *a)
{
	struct ab_rate *r = ab_xcalloc(1, sizeof *r);

	pthread_mutex_init(&r->mu, NULL);
	r->req = a->rpm > 60 ? a->rpm / 60 : 1;
	r->tok = a->tpm > 60 ? a->tpm / 60 : a->tpm;
	r->last = ab_now_ms();
	return r;
}

struct ab_rate *
ab_rate_new(const struct ab_agent *a)
{
	return rate_make(a);
}

void
ab_rate_free(struct ab_rate *r)
{
	if (r == NULL)
		return;
	pthread_mutex_destroy(&r->mu);
	free(r);
}

static struct ab_rate *
rate_of(struct ab_engine *e, const struct ab_agent *a)
{
	struct ab_agent *m = (struct ab_agent *)a;

	if (a->rpm <= 0 && a->tpm <= 0)
		return NULL;
	/* One the caller made (ab_rate_new) is shared, not ours. */
	if (m->rate == NULL) {
		m->rate = rate_make(a);
		m->rate->next = e->rates;
		e->rates = m->rate;
	}
	return m->rate;
}

/* 0 when a call of tok tokens may start now, else the ms to wait. */
static double
rate_wait(struct ab_engine *e, const struct ab_agent *a, long tok, bool take)
{
	struct ab_rate *r = rate_of(e, a);
	double now, cap, w = 0, need;

	if (r == NULL)
		return 0;
	pthread_mutex_lock(&r->mu);
	now = ab_now_ms();
	if (a->rpm > 0) {
		cap = a->rpm > 60 ? a->rpm / 60 : 1;
		r->req = fmin(cap, r->req + (now - r->last) * a->rpm / 60000);
	}
	if (a->tpm > 0) {
		cap = a->tpm > 60 ? a->tpm / 60 : a->tpm;
		r->tok = fmin(cap, r->tok + (now - r->last) * a->tpm / 60000);
	}
	r->last = now;
	if (a->rpm > 0 && r->req < 1)
		w = (1 - r->req) * 60000 / a->rpm;
	if (a->tpm > 0) {
		cap = a->tpm > 60 ? a->tpm / 60 : a->tpm;
		need = fmin((double)tok, cap);
		if (r->tok < need)
			w = fmax(w, (need - r->tok) * 60000 / a->tpm);
	}
	if (w <= 0 && take) {
		if (a->rpm > 0)
			r->req -= 1;
		if (a->tpm > 0)
			r->tok -= (double)tok;
	}
	pthread_mutex_unlock(&r->mu);
	return w > 0 ? fmax(w, 1) : 0;
}

/* ---- HTTP ---- */

/* Does this call stream its answer? */
static bool
streams(const struct ab_call *c)
{
	return c->raw_body != NULL ? c->raw_stream : c->agent->stream;
}

static size_t
on_header(char *p, size_t size, size_t n, void *ud)
{
	struct ab_call *c = ud;
	size_t len = size * n, k;

	if (len >= 5 && strncmp(p, "HTTP/", 5) == 0)
		c->retry_after[0] = '\0';
	if (len > 12 && strncasecmp(p, "retry-after:", 12) == 0) {
		p += 12;
		len -= 12;
		while (len > 0 && (*p == ' ' || *p == '\t'))
			p++, len--;
		while (len > 0 && (p[len - 1] == '\r' || p[len - 1] == '\n' ||
		    p[len - 1] == ' '))
			len--;
		k = len < sizeof c->retry_after - 1 ? len :
		    sizeof c->retry_after - 1;
		memcpy(c->retry_after, p, k);
		c->retry_after[k] = '\0';
	}
	if (len > 13 && strncasecmp(p, "content-type:", 13) == 0) {
		p += 13;
		len -= 13;
		while (len > 0 && (*p == ' ' || *p == '\t'))
			p++, len--;
		while (len > 0 && (p[len - 1] == '\r' || p[len - 1] == '\n' ||
		    p[len - 1] == ' '))
			len--;
		k = len < sizeof c->content_type - 1 ? len :
		    sizeof c->content_type - 1;
		memcpy(c->content_type, p, k);
		c->content_type[k] = '\0';
	}
	return size * n;
}

static size_t
on_write(char *p, size_t size, size_t n, void *ud)
{
	struct ab_call *c = ud;
	size_t len = size * n;
	long code = 0;
	bool had;

	curl_easy_getinfo(c->easy, CURLINFO_RESPONSE_CODE, &code);
	if (c->raw_body != NULL && code >= 200 && code < 300) {
		if (!c->tapped)
			c->ttft_ms = ab_now_ms() - c->t_attempt;
		c->tapped = true;
		c->raw.len += len;
		if (c->tap != NULL && c->tap(c, p, len, c->tap_ctx) < 0) {
			ab_error_set(&c->reply.err, "client", "the client "
			    "went away");
			return 0;
		}
		return len;
	}
	if (code >= 200 && code < 300 && c->agent->stream) {
		had = c->reply.got_text;
		if (ab_wire_feed(c->agent, &c->sse, p, len, &c->reply) < 0)
			return 0;	/* aborts: the reply says why */
		if (!had && c->reply.got_text)
			c->ttft_ms = ab_now_ms() - c->t_attempt;
		if (c->reply.text.len > (size_t)16 << 20) {
			ab_error_set(&c->reply.err, "output_limit", "the "
			    "answer is longer than the limit");
			return 0;
		}
		c->raw.len += len;	/* bytes seen, for diagnostics */
		return len;
	}
	if (c->raw.len + len > (size_t)16 << 20) {
		ab_error_set(&c->reply.err, "output_limit", "the reply is "
		    "longer than the limit");
		return 0;
	}
	ab_buf_add(&c->raw, p, len);
	return len;
}

/* libcurl has the connection (new or reused) and writes the request
 * next: the moment the request goes out, to a few microseconds. */
static int
on_prereq(void *ud, char *ip, char *local_ip, int port, int local_port)
{
	struct ab_call *c = ud;

	(void)ip, (void)local_ip, (void)port, (void)local_port;
	c->t_wire = ab_now_ms();
	return CURL_PREREQFUNC_OK;
}

static void
add_header(struct ab_call *c, const char *fmt, ...) AB_PRINTF(2, 3);

static void
add_header(struct ab_call *c, const char *fmt, ...)
{
	struct curl_slist *l;
	char buf[8192];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	l = curl_slist_append(c->hdrs, buf);
	/* What was written (a key, maybe), not all 8 KiB each time. */
	explicit_bzero(buf, n >= 0 && (size_t)n < sizeof buf ? (size_t)n + 1 :
	    sizeof buf);
	if (l == NULL)
		abort();
	c->hdrs = l;
}

static void
prepare_http(struct ab_call *c)
{
	const struct ab_agent *a = c->agent;
	const char *k;
	json_t *body, *v;

	bool have_version = false;
	char **h;

	if (c->raw_body != NULL) {
		c->body = ab_xstrdup(c->raw_body);
	} else {
		body = ab_wire_request(a, c->messages, a->stream);
		c->body = json_dumps(body, JSON_COMPACT);
		json_decref(body);
	}
	if (c->body == NULL)
		abort();
	add_header(c, "Content-Type: application/json");
	add_header(c, "Expect:");
	if (streams(c) && a->provider != AB_PROV_OLLAMA)
		add_header(c, "Accept: text/event-stream");
	for (h = c->raw_headers; h != NULL && *h != NULL; h++) {
		if (strncasecmp(*h, "anthropic-version:", 18) == 0)
			have_version = true;
		add_header(c, "%s", *h);
	}
	if (a->provider == AB_PROV_ANTHROPIC && !have_version)
		add_header(c, "anthropic-version: 2023-06-01");
	if (a->api_key != NULL && a->api_key_header != NULL) {
		add_header(c, "%s: %s", a->api_key_header, a->api_key);
	} else if (a->provider == AB_PROV_ANTHROPIC) {
		if (a->api_key != NULL)
			add_header(c, "x-api-key: %s", a->api_key);
	} else if (a->api_key != NULL) {
		add_header(c, "Authorization: Bearer %s", a->api_key);
	}
	json_object_foreach(a->headers, k, v)
		add_header(c, "%s: %s", k, json_string_value(v));
}

static int
start_http(struct ab_engine *e, struct ab_call *c)
{
	const struct ab_agent *a = c->agent;
	CURL *h;

	if (c->body == NULL)
		prepare_http(c);
	h = e->npool > 0 ? e->pool[--e->npool] : curl_easy_init();
	if (h == NULL) {
		set_error(c, "curl", "cannot create a transfer");
		return -1;
	}
	c->easy = h;
	ab_reply_release(&c->reply);
	ab_reply_init(&c->reply);
	ab_sse_release(&c->sse);
	ab_sse_init(&c->sse);
	ab_buf_reset(&c->raw);
	c->ttft_ms = -1;
	c->t_wire = 0;
	c->retry_after[0] = '\0';
	c->content_type[0] = '\0';
	curl_easy_setopt(h, CURLOPT_URL, c->raw_url != NULL ? c->raw_url :
	    a->url);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, c->body);
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)strlen(c->body));
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, c->hdrs);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_write);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, c);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, c);
	curl_easy_setopt(h, CURLOPT_PRIVATE, c);
	curl_easy_setopt(h, CURLOPT_PREREQFUNCTION, on_prereq);
	curl_easy_setopt(h, CURLOPT_PREREQDATA, c);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)(a->timeout_s * 1000));
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
	    (long)fmin(a->timeout_s * 1000, 30000));
	curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(h, CURLOPT_HTTP_VERSION,
	    (long)CURL_HTTP_VERSION_2TLS);
	curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "ab-gen/" AB_VERSION);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	if (curl_multi_add_handle(e->multi, h) != CURLM_OK) {
		curl_easy_cleanup(h);
		c->easy = NULL;
		set_error(c, "curl", "cannot start a transfer");
		return -1;
	}
	c->state = S_HTTP;
	return 0;
}

static void
release_easy(struct ab_engine *e, struct ab_call *c)
{
	CURL *h = c->easy;

	if (h == NULL)
		return;
	curl_multi_remove_handle(e->multi, h);
	c->easy = NULL;
	if (e->npool < (int)(sizeof e->pool / sizeof *e->pool)) {
		curl_easy_reset(h);
		e->pool[e->npool++] = h;
	} else {
		curl_easy_cleanup(h);
	}
}

/* Retry-After: seconds or an HTTP date; ms, or -1. */
static double
retry_after_ms(const char *s)
{
	char *end;
	double d;
	time_t t;

	if (*s == '\0')
		return -1;
	d = strtod(s, &end);
	if (end != s && *end == '\0' && d >= 0 && isfinite(d))
		return d * 1000;
	t = curl_getdate(s, NULL);
	if (t < 0)
		return -1;
	d = difftime(t, time(NULL));
	return d > 0 ? d * 1000 : 0;
}

/* A short excerpt of an error body: the API's message when it is JSON. */
static void
body_message(struct ab_call *c, struct ab_buf *out)
{
	json_t *j = json_loadb(c->raw.s ? c->raw.s : "", c->raw.len, 0, NULL);
	json_t *e = json_object_get(j, "error");
	const char *m = NULL;

	if (json_is_string(e))
		m = json_string_value(e);
	else if (e != NULL)
		m = ab_get_str(e, "message");
	if (m != NULL)
		ab_buf_addf(out, "%.300s", m);
	else if (c->raw.len > 0)
		ab_buf_addf(out, "%.200s", c->raw.s);
	json_decref(j);
}

static bool
quota_exhausted(struct ab_call *c)
{
	const char *s = c->raw.s;

	return s != NULL && (strstr(s, "insufficient_quota") != NULL ||
	    strstr(s, "quota_exceeded") != NULL ||
	    strstr(s, "exceeded your current quota") != NULL ||
	    strstr(s, "billing") != NULL);
}

/* Decide what happens after an attempt failed with c->error set. */
static void
retry_or_fail(struct ab_engine *e, struct ab_call *c, bool retryable,
    double after_ms)
{
	double delay, now = ab_now_ms();
	json_t *m;

	if (retryable && c->attempts <= c->agent->retries) {
		if (after_ms >= 0)
			delay = after_ms;
		else
			delay = c->agent->backoff_s * 1000 *
			    pow(2, c->attempts - 1) * (0.5 + 0.5 * rnd(e));
		delay = fmin(delay, 3600 * 1000.0);
		if (c->waited_ms + delay <= c->agent->max_wait_s * 1000) {
			c->waited_ms += delay;
			c->wake_at = now + delay;
			c->state = S_WAIT;
			c->next = e->waiting;
			e->waiting = c;
			e->retries++;
			return;
		}
	}
	if (c->attempts > 1) {
		m = json_object_get(c->error, "message");
		if (json_is_string(m)) {
			char *s = ab_xasprintf("%s (after %d attempts)",
			    json_string_value(m), c->attempts);

			json_object_set_new(c->error, "message",
			    json_string(s));
			free(s);
		}
	}
	c->latency_ms = now - c->t_attempt;
	e->npending--;
	finish(e, c);
}

static void
http_done(struct ab_engine *e, struct ab_call *c, CURLcode rc)
{
	struct ab_buf m = AB_BUF_INIT;
	long code = 0;
	double now = ab_now_ms(), ra;
	bool stream = streams(c), retry;
	const char *kind;

	curl_easy_getinfo(c->easy, CURLINFO_RESPONSE_CODE, &code);
	c->http_status = code;
	release_easy(e, c);
	e->nactive--;
	list_remove(&e->active, c);
	c->latency_ms = now - c->t_attempt;

	if (c->raw_body != NULL) {
		ab_buf_reset(&c->raw_reply);
		if (!(code >= 200 && code < 300))
			ab_buf_add(&c->raw_reply, c->raw.s ? c->raw.s : "",
			    c->raw.len);
		if (code >= 200 && code < 300 && rc == CURLE_OK) {
			json_decref(c->error);
			c->error = json_null();
			e->npending--;
			finish(e, c);
			return;
		}
		if (c->tapped) {
			/* Part of the answer is the client's already. */
			set_error(c, c->reply.err.kind[0] != '\0' ?
			    c->reply.err.kind : "truncated", "the reply "
			    "ended early (%s)", c->reply.err.kind[0] != '\0' ?
			    c->reply.err.msg : curl_easy_strerror(rc));
			retry_or_fail(e, c, false, -1);
			return;
		}
		if (code >= 200 && code < 300) {
			set_error(c, rc == CURLE_OPERATION_TIMEDOUT ?
			    "timeout" : "network", "%s",
			    curl_easy_strerror(rc));
			retry_or_fail(e, c, true, -1);
			return;
		}
	}

	if (code >= 200 && code < 300 && (rc == CURLE_OK ||
	    rc == CURLE_WRITE_ERROR || (stream && rc != CURLE_OPERATION_TIMEDOUT))) {
		if (c->reply.err.kind[0] != '\0') {
			kind = c->reply.err.kind;
			set_error(c, kind, "%s", c->reply.err.msg);
			retry_or_fail(e, c, strcmp(kind, "output_limit") != 0,
			    -1);
			return;
		}
		if (!stream && ab_wire_parse(c->agent, c->raw.s ? c->raw.s :
		    "", c->raw.len, &c->reply) < 0) {
			set_error(c, c->reply.err.kind, "%s",
			    c->reply.err.msg);
			retry_or_fail(e, c, strcmp(c->reply.err.kind, "api") !=
			    0, -1);
			return;
		}
		if (stream && !c->reply.done) {
			/* A last event without its blank line. */
			ab_wire_feed(c->agent, &c->sse, "\n\n", 2, &c->reply);
		}
		if (stream && (!c->reply.done || rc != CURLE_OK)) {
			set_error(c, "truncated", "the stream ended early "
			    "(%s)", rc != CURLE_OK ? curl_easy_strerror(rc) :
			    "no end marker");
			retry_or_fail(e, c, true, -1);
			return;
		}
		if (!stream)
			c->ttft_ms = -1;
		redact_buf(&c->reply.text, c->agent->api_key);
		json_decref(c->error);
		c->error = json_null();
		e->npending--;
		finish(e, c);
		return;
	}
	if (rc != CURLE_OK && code == 0) {
		retry = rc != CURLE_URL_MALFORMAT &&
		    rc != CURLE_UNSUPPORTED_PROTOCOL;
		set_error(c, rc == CURLE_OPERATION_TIMEDOUT ? "timeout" :
		    "network", "%s", curl_easy_strerror(rc));
		retry_or_fail(e, c, retry, -1);
		return;
	}
	if (rc != CURLE_OK && c->reply.err.kind[0] != '\0') {
		set_error(c, c->reply.err.kind, "%s", c->reply.err.msg);
		retry_or_fail(e, c, false, -1);
		return;
	}
	if (rc == CURLE_OPERATION_TIMEDOUT) {
		set_error(c, "timeout", "%s", curl_easy_strerror(rc));
		retry_or_fail(e, c, true, -1);
		return;
	}
	body_message(c, &m);
	ra = retry_after_ms(c->retry_after);
	if (code == 429 && quota_exhausted(c)) {
		set_error(c, "quota", "HTTP 429: %s", m.s ? m.s : "");
		retry_or_fail(e, c, false, -1);
	} else if (code == 429) {
		set_error(c, "rate_limit", "HTTP 429: %s", m.s ? m.s : "");
		retry_or_fail(e, c, true, ra);
	} else if (code == 408 || code == 409 || code == 425 || code >= 500) {
		set_error(c, "server", "HTTP %ld: %s", code, m.s ? m.s : "");
		retry_or_fail(e, c, true, ra);
	} else if (code == 401 || code == 403) {
		set_error(c, "auth", "HTTP %ld: %s", code, m.s ? m.s : "");
		retry_or_fail(e, c, false, -1);
	} else if (rc != CURLE_OK) {
		set_error(c, "network", "%s", curl_easy_strerror(rc));
		retry_or_fail(e, c, true, -1);
	} else {
		set_error(c, "http", "HTTP %ld: %s", code, m.s ? m.s : "");
		retry_or_fail(e, c, false, -1);
	}
	ab_buf_release(&m);
}

/* ---- agent programs ---- */

static bool
same_name(const char *a, const char *b)
{
	while (*a != '\0' && *a != '=' && *a == *b)
		a++, b++;
	return (*a == '=' || *a == '\0') && (*b == '=' || *b == '\0');
}

/* The environment for a program: ours with c->env on top.  New array of
 * borrowed strings. */
static char **
make_env(const struct ab_call *c)
{
	size_t n = 0, k = 0, i;
	char **v, **p;

	for (p = environ; p != NULL && *p != NULL; p++)
		n++;
	for (p = c->env; p != NULL && *p != NULL; p++)
		n++;
	v = ab_xcalloc(n + 1, sizeof *v);
	for (p = environ; p != NULL && *p != NULL; p++) {
		bool over = false;

		for (i = 0; c->env != NULL && c->env[i] != NULL; i++)
			if (same_name(*p, c->env[i]))
				over = true;
		if (!over)
			v[k++] = *p;
	}
	for (p = c->env; p != NULL && *p != NULL; p++)
		v[k++] = *p;
	v[k] = NULL;
	return v;
}

static void
set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl >= 0)
		fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

/* SIGCHLD wakes the loop through a pipe, so that an exited program is
 * noticed at once rather than at the next timeout. */
static int chld_pipe[2] = { -1, -1 };

static void
on_sigchld(int sig)
{
	int saved = errno;

	(void)sig;
	if (write(chld_pipe[1], "", 1) < 0) {
		/* full: a wake-up is pending anyway */
	}
	errno = saved;
}

static void
watch_children(void)
{
	struct sigaction sa;

	if (chld_pipe[0] >= 0 || pipe2(chld_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		return;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigchld;
	sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, NULL);
}

static int
start_proc(struct ab_engine *e, struct ab_call *c)
{
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, er[2] = { -1, -1 }, rc;
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	char **env;
	pid_t pid;
	sigset_t all;

	if (!e->subreaper) {
		/* Descendants that detach come back to us, to be killed. */
		prctl(PR_SET_CHILD_SUBREAPER, 1L, 0L, 0L, 0L);
		e->subreaper = true;
		watch_children();
	}
	if (pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0 ||
	    pipe2(er, O_CLOEXEC) < 0) {
		set_error(c, "spawn", "pipe: %s", strerror(errno));
		goto fail;
	}
	/* posix_spawn: a vfork-like start, cheap even for a large parent;
	 * the program gets its own process group, default SIGPIPE and
	 * SIGCHLD, no blocked signals, the pipes as 0, 1 and 2 (every other
	 * descriptor of ours is close-on-exec). */
	env = make_env(c);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	posix_spawn_file_actions_adddup2(&fa, er[1], 2);
	posix_spawnattr_init(&at);
	sigemptyset(&all);
	posix_spawnattr_setsigmask(&at, &all);
	sigaddset(&all, SIGPIPE);
	sigaddset(&all, SIGCHLD);
	posix_spawnattr_setsigdefault(&at, &all);
	posix_spawnattr_setpgroup(&at, 0);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP |
	    POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	rc = posix_spawnp(&pid, c->argv[0], &fa, &at, c->argv, env);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	if (rc != 0) {
		set_error(c, "agent_failed", "cannot run %s: %s", c->argv[0],
		    strerror(rc));
		free(env);
		goto fail;
	}
	free(env);
	close(in[0]);
	close(out[1]);
	close(er[1]);
	c->pid = pid;
	c->fd_in = in[1];
	c->fd_out = out[0];
	c->fd_err = er[0];
	set_nonblock(c->fd_in);
	set_nonblock(c->fd_out);
	set_nonblock(c->fd_err);
	c->in_off = 0;
	c->deadline = ab_now_ms() + c->agent->timeout_s * 1000;
	c->state = S_PROC;
	e->nprocs++;
	return 0;
fail:
	for (int i = 0; i < 2; i++) {
		if (in[i] >= 0)
			close(in[i]);
		if (out[i] >= 0)
			close(out[i]);
		if (er[i] >= 0)
			close(er[i]);
	}
	return -1;
}

static void
kill_group(struct ab_call *c, const char *why)
{
	if (c->pid <= 0)
		return;
	kill(-c->pid, SIGKILL);
	if (!c->exited)
		kill(c->pid, SIGKILL);
	if (why != NULL && c->kill_reason == NULL) {
		c->kill_reason = why;
		c->killed = true;
	}
}

static void
close_fd(int *fd)
{
	if (*fd >= 0) {
		close(*fd);
		*fd = -1;
	}
}

/* Move data between an agent program and its buffers. */
static void
service_proc(struct ab_engine *e, struct ab_call *c)
{
	char buf[65536];
	ssize_t n = 0;
	size_t len;

	if (c->fd_in >= 0) {
		len = c->stdin_text != NULL ? strlen(c->stdin_text) : 0;
		while (c->in_off < len) {
			n = write(c->fd_in, c->stdin_text + c->in_off,
			    len - c->in_off);
			if (n < 0)
				break;
			c->in_off += (size_t)n;
		}
		if (c->in_off >= len || (n < 0 && errno != EAGAIN &&
		    errno != EINTR))
			close_fd(&c->fd_in);
	}
	while (c->fd_out >= 0) {
		n = read(c->fd_out, buf, sizeof buf);
		if (n > 0) {
			if (c->reply.text.len + (size_t)n > e->o.max_output) {
				kill_group(c, "output_limit");
				close_fd(&c->fd_out);
				break;
			}
			if (!c->reply.got_text) {
				c->reply.got_text = true;
				c->ttft_ms = ab_now_ms() - c->t_attempt;
			}
			ab_buf_add(&c->reply.text, buf, (size_t)n);
			continue;
		}
		if (n == 0 || (errno != EAGAIN && errno != EINTR))
			close_fd(&c->fd_out);
		break;
	}
	while (c->fd_err >= 0) {
		n = read(c->fd_err, buf, sizeof buf);
		if (n > 0) {
			len = c->err_text.len < e->o.max_stderr ?
			    e->o.max_stderr - c->err_text.len : 0;
			if ((size_t)n > len)
				c->err_truncated = true;
			ab_buf_add(&c->err_text, buf,
			    (size_t)n < len ? (size_t)n : len);
			continue;
		}
		if (n == 0 || (errno != EAGAIN && errno != EINTR))
			close_fd(&c->fd_err);
		break;
	}
}

static void
redact_buf(struct ab_buf *b, const char *secret)
{
	char *s;

	if (secret == NULL || b->s == NULL || memmem(b->s, b->len, secret,
	    strlen(secret)) == NULL)
		return;
	ab_utf8_fix(b);		/* no NUL bytes from here on */
	s = ab_redact(ab_buf_detach(b), secret);
	ab_buf_adds(b, s);
	free(s);
}

static void
proc_done(struct ab_engine *e, struct ab_call *c)
{
	const char *why = c->kill_reason;
	char *tail;
	size_t n;

	close_fd(&c->fd_in);
	close_fd(&c->fd_out);
	close_fd(&c->fd_err);
	list_remove(&e->active, c);
	e->nactive--;
	e->nprocs--;
	e->npending--;
	c->latency_ms = ab_now_ms() - c->t_attempt;
	e->sweep_until = ab_now_ms() + 2000;
	redact_buf(&c->err_text, c->agent->api_key);
	redact_buf(&c->reply.text, c->agent->api_key);
	ab_utf8_fix(&c->err_text);
	/* The agent's last newline is the end of its message, not a
	 * character to show escaped. */
	n = c->err_text.len;
	while (n > 0 && (c->err_text.s[n - 1] == '\n' ||
	    c->err_text.s[n - 1] == '\r' || c->err_text.s[n - 1] == ' '))
		n--;
	tail = n > 0 ? ab_xasprintf(": %.*s", n > 300 ? 300 : (int)n,
	    c->err_text.s) : ab_xstrdup("");
	if (why != NULL && strcmp(why, "timeout") == 0)
		set_error(c, "timeout", "the agent did not finish in %g s",
		    c->agent->timeout_s);
	else if (why != NULL)
		set_error(c, "output_limit", "the agent wrote more than %zu "
		    "bytes", e->o.max_output);
	else if (c->exit_status != 0)
		set_error(c, "agent_failed", "%s %d%s",
		    c->exit_status > 128 ? "killed by signal" :
		    "exit status", c->exit_status > 128 ?
		    c->exit_status - 128 : c->exit_status, tail);
	free(tail);
	c->reply.done = c->error == NULL || json_is_null(c->error);
	finish(e, c);
}

/* Reap children: running programs get their status; others (detached
 * descendants that came back to us) are just reaped. */
static void
reap(struct ab_engine *e)
{
	struct ab_call *c;
	pid_t pid;
	int st;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		for (c = e->active; c != NULL; c = c->next) {
			if (c->state == S_PROC && c->pid == pid) {
				c->exited = true;
				c->exit_status = WIFEXITED(st) ?
				    WEXITSTATUS(st) : 128 + WTERMSIG(st);
				c->deadline = fmin(c->deadline,
				    ab_now_ms() + 200);
				/* Whatever it left behind in its group goes
				 * now. */
				kill(-c->pid, SIGKILL);
				break;
			}
		}
	}
}

int
ab_reap_orphans(struct ab_engine *e)
{
	struct ab_call *c;
	struct dirent *d;
	DIR *dir;
	char path[64], buf[512], *p;
	pid_t self = getpid(), pid;
	long ppid;
	int fd, killed = 0;
	ssize_t n;
	bool ours;

	if (!e->subreaper)
		return 0;
	if ((dir = opendir("/proc")) == NULL)
		return 0;
	while ((d = readdir(dir)) != NULL) {
		if (d->d_name[0] < '1' || d->d_name[0] > '9')
			continue;
		pid = (pid_t)strtol(d->d_name, NULL, 10);
		snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
			continue;
		n = read(fd, buf, sizeof buf - 1);
		close(fd);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		if ((p = strrchr(buf, ')')) == NULL)
			continue;
		/* ") S PPID ..." */
		if (sscanf(p + 1, " %*c %ld", &ppid) != 1 || ppid != self)
			continue;
		ours = false;
		for (c = e->active; c != NULL; c = c->next)
			if (c->state == S_PROC && c->pid == pid && !c->exited)
				ours = true;
		if (!ours) {
			kill(pid, SIGKILL);
			killed++;
		}
	}
	closedir(dir);
	return killed;
}

/* ---- the loop ---- */

static int
start_call(struct ab_engine *e, struct ab_call *c)
{
	int rc;

	if (c->attempts == 0 && e->o.admit != NULL &&
	    e->o.admit(c, e->o.admit_ctx) < 0) {
		e->npending--;
		finish(e, c);
		return -1;
	}
	c->attempts++;
	c->t_attempt = ab_now_ms();
	if (c->attempts == 1)
		c->t_start = c->t_attempt;
	if (c->agent->provider == AB_PROV_CMD)
		rc = start_proc(e, c);
	else
		rc = start_http(e, c);
	if (rc < 0) {
		e->npending--;
		finish(e, c);
		return -1;
	}
	c->next = e->active;
	e->active = c;
	e->nactive++;
	return 0;
}

/* Start what may start; returns the ms until a rate-limited call may. */
static double
start_ready(struct ab_engine *e)
{
	struct ab_call **pp, *c, *prev = NULL;
	double now = ab_now_ms(), w, soonest = -1;

	/* Calls whose backoff is over go to the front of the queue. */
	for (pp = &e->waiting; (c = *pp) != NULL;) {
		if (c->wake_at <= now) {
			*pp = c->next;
			c->state = S_QUEUED;
			c->next = e->queue;
			e->queue = c;
			if (e->queue_tail == NULL)
				e->queue_tail = c;
		} else {
			pp = &c->next;
		}
	}
	for (c = e->queue; c != NULL && e->nactive < e->o.parallel;) {
		struct ab_call *next = c->next;

		w = rate_wait(e, c->agent, c->est_in, true);
		if (w > 0) {
			soonest = soonest < 0 ? w : fmin(soonest, w);
			prev = c;
			c = next;
			continue;
		}
		if (prev != NULL)
			prev->next = next;
		else
			e->queue = next;
		if (e->queue_tail == c)
			e->queue_tail = prev;
		c->next = NULL;
		start_call(e, c);
		c = next;
	}
	return soonest;
}

static double
next_timeout(struct ab_engine *e, double rate_ms)
{
	struct ab_call *c;
	double now = ab_now_ms(), t = 1000;
	long ct = -1;

	curl_multi_timeout(e->multi, &ct);
	if (ct >= 0)
		t = fmin(t, (double)ct);
	if (rate_ms >= 0)
		t = fmin(t, rate_ms);
	for (c = e->waiting; c != NULL; c = c->next)
		t = fmin(t, c->wake_at - now);
	for (c = e->active; c != NULL; c = c->next)
		if (c->state == S_PROC)
			t = fmin(t, c->deadline - now);
	if (now < e->sweep_until)
		t = fmin(t, 50);
	else if (e->nprocs > 0 && chld_pipe[0] < 0)
		t = fmin(t, 20);
	return t < 0 ? 0 : t;
}

static struct ab_call *
pop_done(struct ab_engine *e)
{
	struct ab_call *c = e->done;

	if (c != NULL) {
		e->done = c->next;
		if (e->done == NULL)
			e->done_tail = NULL;
		c->next = NULL;
	}
	return c;
}

/* The finished transfers go to the done list. */
static void
reap_transfers(struct ab_engine *e)
{
	struct ab_call *c;
	CURLMsg *msg;
	int left;

	while ((msg = curl_multi_info_read(e->multi, &left)) != NULL) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE,
		    (char **)&c);
		http_done(e, c, msg->data.result);
	}
}

/* Move on the transfers whose sockets are ready and those whose timer is
 * due, without waiting: libcurl's multi_socket interface, so that a pass
 * costs what is ready, not a system call for every transfer in flight
 * (as curl_multi_perform does). */
static void
transfers(struct ab_engine *e)
{
	struct epoll_event ev[64];
	int i, n, running, mask;

	n = epoll_wait(e->epoll, ev, (int)(sizeof ev / sizeof *ev), 0);
	for (i = 0; i < n; i++) {
		mask = 0;
		if (ev[i].events & (EPOLLIN | EPOLLHUP))
			mask |= CURL_CSELECT_IN;
		if (ev[i].events & EPOLLOUT)
			mask |= CURL_CSELECT_OUT;
		if (ev[i].events & EPOLLERR)
			mask |= CURL_CSELECT_ERR;
		curl_multi_socket_action(e->multi, ev[i].data.fd, mask,
		    &running);
	}
	curl_multi_socket_action(e->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	reap_transfers(e);
}

void
ab_engine_kick(struct ab_engine *e)
{
	int running;

	if (e->queue == NULL)
		return;
	start_ready(e);
	/* Only the transfers whose timer is due, which the ones just added
	 * are: each goes as far as writing its request. */
	curl_multi_socket_action(e->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	reap_transfers(e);
}

struct ab_call *
ab_engine_next(struct ab_engine *e, double wait_ms)
{
	struct pollfd fds[3 * 64 + 5];
	struct ab_call *c, *next;
	nfds_t nfds;
	double t0 = ab_now_ms(), t, now, rate_ms, left_ms;
	bool polled = false, timed = false;

	for (;;) {
		/* Hand back what is done before starting more, so that the
		 * caller's accounting (the budget) is current. */
		if ((c = pop_done(e)) != NULL)
			return c;
		rate_ms = start_ready(e);
		if ((c = pop_done(e)) != NULL)
			return c;
		if (e->npending == 0)
			return NULL;
		t = next_timeout(e, rate_ms);
		nfds = 0;
		if (wait_ms >= 0) {
			/* Even a wait of 0 moves the transfers on once (the
			 * load generator polls between arrivals). */
			left_ms = wait_ms - (ab_now_ms() - t0);
			if (polled && left_ms <= 0)
				return NULL;
			if (left_ms < t && left_ms > 0 && e->timer >= 0) {
				/* Wake at the deadline to the microsecond, not
				 * at the next whole millisecond after it. */
				if (!timed) {
					struct itimerspec its = { 0 };
					double at = (t0 + wait_ms) / 1e3;
					uint64_t n;

					/* An old expiry must not wake us. */
					if (read(e->timer, &n, sizeof n) < 0) {
						/* none: EAGAIN */
					}
					its.it_value.tv_sec = (time_t)at;
					its.it_value.tv_nsec = (long)((at -
					    (double)(time_t)at) * 1e9);
					timerfd_settime(e->timer,
					    TFD_TIMER_ABSTIME, &its, NULL);
					timed = true;
				}
				fds[nfds].fd = e->timer;
				fds[nfds].events = POLLIN;
				fds[nfds++].revents = 0;
				t = ceil(left_ms);
			} else if (left_ms < t)
				t = fmax(0, left_ms);
		}
		polled = true;
		if (e->nprocs > 0 && chld_pipe[0] >= 0) {
			fds[nfds].fd = chld_pipe[0];
			fds[nfds].events = POLLIN;
			fds[nfds++].revents = 0;
		}
		for (c = e->active; c != NULL && nfds + 4 <= sizeof fds /
		    sizeof *fds; c = c->next) {
			if (c->state != S_PROC)
				continue;
			if (c->fd_in >= 0) {
				fds[nfds].fd = c->fd_in;
				fds[nfds].events = POLLOUT;
				fds[nfds++].revents = 0;
			}
			if (c->fd_out >= 0) {
				fds[nfds].fd = c->fd_out;
				fds[nfds].events = POLLIN;
				fds[nfds++].revents = 0;
			}
			if (c->fd_err >= 0) {
				fds[nfds].fd = c->fd_err;
				fds[nfds].events = POLLIN;
				fds[nfds++].revents = 0;
			}
		}
		fds[nfds].fd = e->epoll;
		fds[nfds].events = POLLIN;
		fds[nfds++].revents = 0;
		if (poll(fds, nfds, (int)ceil(t)) < 0) {
			/* EINTR (SIGCHLD): go round */
		}
		transfers(e);
		if (e->nprocs > 0 || e->subreaper) {
			char drain[64];

			while (chld_pipe[0] >= 0 &&
			    read(chld_pipe[0], drain, sizeof drain) > 0)
				;
			reap(e);
			now = ab_now_ms();
			for (c = e->active; c != NULL; c = next) {
				next = c->next;
				if (c->state != S_PROC)
					continue;
				service_proc(e, c);
				if (!c->exited && now >= c->deadline)
					kill_group(c, "timeout");
				if (c->exited && ((c->fd_out < 0 &&
				    c->fd_err < 0) || now >= c->deadline)) {
					service_proc(e, c);
					proc_done(e, c);
				}
			}
			if (now < e->sweep_until && now - e->last_sweep >= 50) {
				e->last_sweep = now;
				ab_reap_orphans(e);
			}
		}
	}
}

static void
drop_call(struct ab_engine *e, struct ab_call *c)
{
	if (e->o.udata_free != NULL && c->udata != NULL)
		e->o.udata_free(c->udata);
	ab_call_free(c);
}

void
ab_engine_free(struct ab_engine *e)
{
	struct ab_call *c, *next;
	double until;
	int i;

	if (e == NULL)
		return;
	for (c = e->active; c != NULL; c = c->next)
		if (c->state == S_PROC)
			kill_group(c, "aborted");
	/* Reap everything we started and whatever came back to us. */
	until = ab_now_ms() + 2000;
	while (e->subreaper && ab_now_ms() < until) {
		int st;
		pid_t pid;
		bool any = false;

		for (c = e->active; c != NULL; c = c->next)
			if (c->state == S_PROC)
				kill_group(c, NULL);
		ab_reap_orphans(e);
		while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
			any = true;
		if (pid < 0 && errno == ECHILD)
			break;
		if (!any) {
			struct timespec ts = { 0, 5 * 1000 * 1000 };

			nanosleep(&ts, NULL);
		}
	}
	for (c = e->active; c != NULL; c = next) {
		next = c->next;
		if (c->easy != NULL) {
			curl_multi_remove_handle(e->multi, c->easy);
			curl_easy_cleanup(c->easy);
			c->easy = NULL;
		}
		drop_call(e, c);
	}
	for (c = e->queue; c != NULL; c = next) {
		next = c->next;
		drop_call(e, c);
	}
	for (c = e->waiting; c != NULL; c = next) {
		next = c->next;
		drop_call(e, c);
	}
	for (c = e->done; c != NULL; c = next) {
		next = c->next;
		drop_call(e, c);
	}
	for (i = 0; i < e->npool; i++)
		curl_easy_cleanup(e->pool[i]);
	while (e->rates != NULL) {
		struct ab_rate *r = e->rates->next;

		ab_rate_free(e->rates);
		e->rates = r;
	}
	curl_multi_cleanup(e->multi);
	close(e->epoll);
	if (e->timer >= 0)
		close(e->timer);
	free(e);
}
