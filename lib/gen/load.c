/*
 * load.c - ab-gen's load mode: a scheduler of requests on the call engine
 * (engine.c, libcurl multi), with its own view of each streamed reply so
 * that every token's arrival time is known.
 *
 * Requests go out in raw mode: the body is the provider's request (wire.c)
 * and the engine hands each streamed byte to tap(), which feeds the wire
 * parser line by line and stamps every piece of text as it arrives.
 * Open-loop latency counts from the time the request was scheduled, not
 * from when it could be sent, so that a server (or a client) that queues
 * cannot hide its queue (coordinated omission).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>

#include "load.h"
#include "stats.h"

#define MAX_GAPS 4096

/* ---- profiles ---- */

static const char *const kind_names[] = { "closed", "open", "sweep",
	"spike", "soak", "ramp", NULL };

const char *
ab_load_kind_name(enum ab_load_kind k)
{
	return kind_names[k];
}

static const char *const known_members[] = { "profile", "users", "rate",
	"rates", "duration_s", "requests", "spike_rate", "base_s", "spike_s",
	"after_s", "factor", "step", "max_rate", "saturation", "warmup",
	"max_requests", "max_time_s", "max_error_rate", "error_window",
	"budget_usd", "max_inflight", "think_ms", "drain_s", "seed",
	"prompt", "spin_us", NULL };

/* Member name of j as a number in [min, max]; def when absent.  -1 on a
 * bad value. */
static int
num(const json_t *j, const char *name, double min, double max, double def,
    double *out, struct ab_error *err)
{
	json_t *v = json_object_get(j, name);

	if (v == NULL) {
		*out = def;
		return 0;
	}
	if (!json_is_number(v) || !(json_number_value(v) >= min &&
	    json_number_value(v) <= max))
		return ab_error_set(err, "profile", "%s: expected a number "
		    "from %g to %g", name, min, max);
	*out = json_number_value(v);
	return 0;
}

int
ab_load_profile_parse(struct ab_load_profile *p, const json_t *j,
    struct ab_error *err)
{
	const char *k, *name;
	json_t *v, *levels, *sat, *pr;
	double d, users, rate;
	size_t i;
	int n;

	memset(p, 0, sizeof *p);
	if (!json_is_object(j))
		return ab_error_set(err, "profile", "a load profile is a JSON "
		    "object");
	json_object_foreach((json_t *)j, k, v) {
		for (n = 0; known_members[n] != NULL; n++)
			if (strcmp(k, known_members[n]) == 0)
				break;
		if (known_members[n] == NULL)
			return ab_error_set(err, "profile", "unknown member "
			    "%.60s", k);
	}
	name = ab_get_str(j, "profile");
	if (name == NULL)
		return ab_error_set(err, "profile", "profile: expected one of "
		    "closed, open, sweep, spike, soak, ramp");
	for (n = 0; kind_names[n] != NULL; n++)
		if (strcmp(name, kind_names[n]) == 0)
			break;
	if (kind_names[n] == NULL)
		return ab_error_set(err, "profile", "profile: unknown profile "
		    "%.40s (closed, open, sweep, spike, soak, ramp)", name);
	p->kind = (enum ab_load_kind)n;
	users = 0;
	if ((!json_is_array(json_object_get(j, "users")) &&
	    num(j, "users", 1, 1024, 0, &users, err) < 0) ||
	    num(j, "rate", 0.001, 1e6, 0, &rate, err) < 0 ||
	    num(j, "duration_s", 0.01, 7 * 86400.0, p->kind == AB_LOAD_SOAK ?
	    600 : 10, &p->duration_s, err) < 0 ||
	    num(j, "requests", 0, 1e8, 0, &d, err) < 0)
		return -1;
	p->requests = (long)d;
	if (num(j, "warmup", 0, 10000, 0, &d, err) < 0)
		return -1;
	p->warmup = (long)d;
	if (num(j, "max_requests", 1, 1e8, 100000, &d, err) < 0)
		return -1;
	p->max_requests = (long)d;
	if (num(j, "max_time_s", 0.1, 7 * 86400.0, 3600, &p->max_time_s,
	    err) < 0 || num(j, "max_error_rate", 0, 1, 0.5,
	    &p->max_error_rate, err) < 0 ||
	    num(j, "error_window", 1, 100000, 20, &d, err) < 0)
		return -1;
	p->error_window = (long)d;
	if (num(j, "budget_usd", 0, 1e9, -1, &p->budget_usd, err) < 0 ||
	    num(j, "max_inflight", 1, 1024, 256, &d, err) < 0)
		return -1;
	p->max_inflight = (int)d;
	if (num(j, "think_ms", 0, 3.6e6, 0, &p->think_ms, err) < 0 ||
	    num(j, "drain_s", 0, 3600, 30, &p->drain_s, err) < 0 ||
	    num(j, "spin_us", 0, 1000, 0, &p->spin_us, err) < 0 ||
	    num(j, "seed", 0, 9007199254740991.0, 1, &d, err) < 0)
		return -1;
	p->seed = (uint64_t)d;

	switch (p->kind) {
	case AB_LOAD_CLOSED:
		if (users == 0)
			return ab_error_set(err, "profile", "closed: needs "
			    "users");
		p->closed = true;
		p->levels[p->nlevels++] = users;
		break;
	case AB_LOAD_OPEN:
	case AB_LOAD_SOAK:
		if (rate == 0)
			return ab_error_set(err, "profile", "%s: needs rate",
			    name);
		p->levels[p->nlevels++] = rate;
		break;
	case AB_LOAD_SWEEP:
		levels = json_object_get(j, "rates");
		if (levels == NULL) {
			levels = json_object_get(j, "users");
			p->closed = true;
		}
		if (!json_is_array(levels) || json_array_size(levels) == 0 ||
		    json_array_size(levels) > 64)
			return ab_error_set(err, "profile", "sweep: needs "
			    "rates or users, an array of 1 to 64 numbers");
		json_array_foreach(levels, i, v) {
			if (!json_is_number(v) || json_number_value(v) <= 0 ||
			    (p->closed && json_number_value(v) > 1024))
				return ab_error_set(err, "profile", "sweep: "
				    "level %zu is not a positive number", i);
			p->levels[p->nlevels++] = json_number_value(v);
		}
		break;
	case AB_LOAD_SPIKE:
		if (rate == 0 || num(j, "spike_rate", 0.001, 1e6, 0,
		    &p->spike_rate, err) < 0 || p->spike_rate == 0)
			return ab_error_set(err, "profile", "spike: needs rate "
			    "and spike_rate");
		if (num(j, "base_s", 0.01, 86400, 5, &p->base_s, err) < 0 ||
		    num(j, "spike_s", 0.01, 86400, 2, &p->spike_s, err) < 0 ||
		    num(j, "after_s", 0.01, 86400, 10, &p->after_s, err) < 0)
			return -1;
		p->levels[p->nlevels++] = rate;
		break;
	case AB_LOAD_RAMP:
		if (rate == 0)
			return ab_error_set(err, "profile", "ramp: needs rate "
			    "(the first level)");
		if (num(j, "factor", 1.01, 100, 0, &p->ramp_factor, err) < 0 ||
		    num(j, "step", 0.001, 1e6, 0, &p->ramp_step, err) < 0 ||
		    num(j, "max_rate", 0.001, 1e6, 1e4, &p->ramp_max, err) < 0)
			return -1;
		if (p->ramp_factor == 0 && p->ramp_step == 0)
			p->ramp_factor = 1.5;
		p->levels[p->nlevels++] = rate;
		break;
	}
	sat = json_object_get(j, "saturation");
	if (sat != NULL && !json_is_object(sat))
		return ab_error_set(err, "profile", "saturation: expected an "
		    "object {\"latency_factor\", \"error_rate\", \"ttft_ms\"}");
	if (num(sat, "latency_factor", 1.01, 1e6, 3, &p->sat_latency, err) < 0 ||
	    num(sat, "error_rate", 0, 1, 0.05, &p->sat_errors, err) < 0 ||
	    num(sat, "ttft_ms", 0, 1e9, 0, &p->sat_ttft_ms, err) < 0)
		return -1;
	pr = json_object_get(j, "prompt");
	if (pr != NULL) {
		if (!json_is_object(pr) || num(pr, "input_tokens", 1, 1e6, 0,
		    &d, err) < 0 || d == 0)
			return ab_error_set(err, "profile", "prompt: expected "
			    "{\"input_tokens\": N, \"output_tokens\": M}");
		p->in_tokens = (long)d;
		if (num(pr, "output_tokens", 1, 1e6, 0, &d, err) < 0)
			return -1;
		p->out_tokens = (long)d;
	}
	p->json = json_deep_copy(j);
	return 0;
}

void
ab_load_profile_release(struct ab_load_profile *p)
{
	json_decref(p->json);
	p->json = NULL;
}

static uint64_t
next_rand(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in (0, 1]. */
static double
uniform(uint64_t *s)
{
	return ((double)(next_rand(s) >> 11) + 1) / 9007199254740992.0;
}

char *
ab_load_synthetic(long tokens, uint64_t seed)
{
	static const char *const words[] = { "lorem", "ipsu", "dolo", "sitt",
		"amet", "cons", "elit", "sedd", "temp", "labo" };
	struct ab_buf b = AB_BUF_INIT;
	long i;

	/* Five bytes a word, one word per token: the estimate of four bytes
	 * a token is about right for such text. */
	for (i = 0; i < tokens; i++) {
		ab_buf_adds(&b, words[next_rand(&seed) % 10]);
		ab_buf_addc(&b, i + 1 < tokens ? ' ' : '.');
	}
	return ab_buf_detach(&b);
}

/* ---- one request ---- */

struct req {
	struct req *prev, *next;	/* the run's requests in flight */
	struct run *run;
	long seq;
	int seg;		/* segment index, -1 warm-up */
	int user;		/* closed loop: its user, else -1 */
	bool warmup, from_schedule;
	double sched, submit;	/* ms, monotonic */
	double first, last;	/* first and last text */
	long chunks;
	size_t text_bytes;
	double *gaps;		/* the first MAX_GAPS gaps */
	size_t ngaps, capgaps;
	double gap_sum, gap_max;
	long gap_n;
	struct ab_sse sse;
	struct ab_reply reply;
	struct ab_buf body;	/* not streamed: the whole body */
	const struct ab_load_prompt *prompt;
	struct ab_call *call;
};

/* A stretch of the schedule at one load level. */
struct seg {
	const char *phase;	/* "measure", "base", "spike", "recovery" */
	double level;		/* requests/s, or users */
	bool closed;
	double dur_ms;		/* 0: until `count` requests */
	long count;		/* 0: until dur_ms */
	bool drain;		/* wait for its requests before the next */
	/* results */
	double t_begin, t_end;	/* first schedule, last completion */
	long sent, ok, errors, tokens_out;
	double *e2e, *ttft;
	size_t ne2e, nttft, cap_e2e, cap_ttft;
	bool saturated;
	char why[160];
};

struct run {
	const struct ab_load_profile *p;
	struct ab_config *c;
	struct ab_engine *e;
	const struct ab_load_prompt *prompts;
	size_t nprompts;
	char **bodies;		/* per prompt: its request body, or NULL */
	ab_load_emit_fn emit;
	void *ctx;
	const volatile sig_atomic_t *interrupt;
	uint64_t rng;
	double start;		/* ms, monotonic: first request */
	double t0;		/* ms, monotonic: the measured schedule */
	double t0_unix_ms;	/* wall clock at t0 */
	long seq, measured, warmups, errors, next_prompt;
	int inflight;
	struct req *live;
	struct seg *segs;
	int nseg, capseg;
	/* closed loop */
	int users;
	double *ready;		/* per user: may send from (ms); <0 busy */
	/* stop */
	bool stopping;
	char stop_reason[32];
	char stop_msg[300];
	unsigned char *win;	/* the last error_window outcomes (1 error) */
	long nwin, winpos, winerr;
	double spent;
	double *late;		/* open loop: due to handed to the engine */
	size_t nlate, caplate;
	double *wlate;		/* open loop: due to written */
	size_t nwlate, capwlate;
	json_t *breaking;
};

static void
push(double **a, size_t *n, size_t *cap, double v)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*a = ab_xrealloc(*a, *cap * sizeof **a);
	}
	(*a)[(*n)++] = v;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
quantile(double *x, size_t n, double q)
{
	qsort(x, n, sizeof *x, cmp_double);
	return ab_quantile_sorted(x, n, q);
}

/* A real rounded to the microsecond (or to 6 significant digits). */
static json_t *
ms(double v)
{
	if (!isfinite(v))
		return json_null();
	return json_real(round(v * 1000) / 1000);
}

static void
stop(struct run *R, const char *reason, const char *fmt, ...)
    AB_PRINTF(3, 4);

static void
stop(struct run *R, const char *reason, const char *fmt, ...)
{
	va_list ap;

	if (R->stopping)
		return;
	R->stopping = true;
	snprintf(R->stop_reason, sizeof R->stop_reason, "%s", reason);
	va_start(ap, fmt);
	vsnprintf(R->stop_msg, sizeof R->stop_msg, fmt, ap);
	va_end(ap);
}

static void
on_chunk(struct req *r, double now)
{
	if (r->chunks == 0) {
		r->first = now;
	} else {
		double g = now - r->last;

		if (r->ngaps < MAX_GAPS)
			push(&r->gaps, &r->ngaps, &r->capgaps, g);
		r->gap_sum += g;
		r->gap_max = fmax(r->gap_max, g);
		r->gap_n++;
	}
	r->last = now;
	r->chunks++;
}

/* The engine's tap: every byte of a 2xx reply, as it arrives. */
static int
tap(struct ab_call *c, const char *p, size_t n, void *ctx)
{
	struct req *r = ctx;
	const struct ab_agent *a = c->agent;
	double now = ab_now_ms();
	const char *nl;
	size_t len, before;

	if (!a->stream) {
		if (r->body.len + n > (size_t)16 << 20)
			return -1;
		ab_buf_add(&r->body, p, n);
		return 0;
	}
	/* Line by line, so that two events read at once still count as two
	 * pieces of text (with the same time). */
	while (n > 0) {
		nl = memchr(p, '\n', n);
		len = nl != NULL ? (size_t)(nl - p) + 1 : n;
		before = r->reply.text.len;
		if (r->reply.err.kind[0] == '\0')
			ab_wire_feed(a, &r->sse, p, len, &r->reply);
		if (r->reply.text.len > before) {
			r->text_bytes += r->reply.text.len - before;
			on_chunk(r, now);
			/* The text itself is not kept. */
			r->reply.text.len = 0;
		}
		p += len;
		n -= len;
	}
	return 0;
}

static void
submit(struct run *R, int seg, int user, double sched, bool warmup)
{
	struct req *r = ab_xcalloc(1, sizeof *r);
	struct ab_call *c;
	const struct ab_agent *a = &R->c->main;
	json_t *msgs, *body;
	size_t k;

	r->run = R;
	r->seq = R->seq++;
	r->seg = seg;
	r->user = user;
	r->warmup = warmup;
	r->from_schedule = !warmup && seg >= 0 && !R->segs[seg].closed;
	r->sched = sched;
	k = (size_t)(R->next_prompt++ % (long)R->nprompts);
	r->prompt = &R->prompts[k];
	ab_sse_init(&r->sse);
	ab_reply_init(&r->reply);
	/* A prompt's request body is made once: on time, a request costs
	 * a copy. */
	if (R->bodies[k] == NULL) {
		msgs = json_array();
		if (a->system_prompt != NULL)
			json_array_append_new(msgs, json_pack("{s:s, s:s}",
			    "role", "system", "content", a->system_prompt));
		json_array_append_new(msgs, json_pack("{s:s, s:s}", "role",
		    "user", "content", r->prompt->text));
		body = ab_wire_request(a, msgs, a->stream);
		json_decref(msgs);
		R->bodies[k] = json_dumps(body, JSON_COMPACT);
		json_decref(body);
		if (R->bodies[k] == NULL)
			abort();
	}
	c = ab_call_new(a);
	c->raw_body = ab_xstrdup(R->bodies[k]);
	c->raw_stream = a->stream;
	c->tap = tap;
	c->tap_ctx = r;
	c->udata = r;
	c->est_in = ab_estimate_tokens(r->prompt->text,
	    strlen(r->prompt->text));
	r->call = c;
	r->next = R->live;
	if (R->live != NULL)
		R->live->prev = r;
	R->live = r;
	R->inflight++;
	if (warmup)
		R->warmups++;
	else
		R->measured++;
	if (seg >= 0 && !warmup)
		R->segs[seg].sent++;
	r->submit = ab_now_ms();
	if (r->from_schedule)
		push(&R->late, &R->nlate, &R->caplate, r->submit - sched);
	ab_engine_submit(R->e, c);
}

static void
req_free(struct req *r)
{
	ab_sse_release(&r->sse);
	ab_reply_release(&r->reply);
	ab_buf_release(&r->body);
	free(r->gaps);
	free(r);
}

/* The error of a finished request, new, or NULL when it succeeded. */
static json_t *
req_error(struct req *r, struct ab_call *c)
{
	const struct ab_agent *a = c->agent;

	if (c->error != NULL && !json_is_null(c->error))
		return json_incref(c->error);
	if (!a->stream) {
		if (ab_wire_parse(a, r->body.s != NULL ? r->body.s : "",
		    r->body.len, &r->reply) < 0)
			return json_pack("{s:s, s:s}", "kind",
			    r->reply.err.kind, "message", r->reply.err.msg);
		if (r->reply.text.len > 0) {
			r->text_bytes = r->reply.text.len;
			r->chunks = 1;
		}
		return NULL;
	}
	if (r->reply.err.kind[0] == '\0' && !r->reply.done)
		ab_wire_feed(a, &r->sse, "\n\n", 2, &r->reply);
	if (r->reply.err.kind[0] != '\0')
		return json_pack("{s:s, s:s}", "kind", r->reply.err.kind,
		    "message", r->reply.err.msg);
	if (!r->reply.done)
		return json_pack("{s:s, s:s}", "kind", "truncated", "message",
		    "the stream ended without its end marker");
	return NULL;
}

static void
note_outcome(struct run *R, bool failed)
{
	long w = R->p->error_window;

	if (R->nwin == w)
		R->winerr -= R->win[R->winpos];
	else
		R->nwin++;
	R->win[R->winpos] = failed;
	R->winerr += failed;
	R->winpos = (R->winpos + 1) % w;
	if (R->nwin == w && (double)R->winerr / (double)w >
	    R->p->max_error_rate)
		stop(R, "error_rate", "%ld of the last %ld requests failed "
		    "(more than %g)", R->winerr, w, R->p->max_error_rate);
}

/* A request is over (c: its call, or NULL when aborted at the end). */
static void
finish_req(struct run *R, struct req *r, struct ab_call *c, double end)
{
	const struct ab_agent *a = &R->c->main;
	struct seg *s = r->seg >= 0 ? &R->segs[r->seg] : NULL;
	json_t *error, *gen, *load, *gaps, *itl;
	double sent, written, origin, e2e, ttft = NAN, tpot = NAN;
	long tin, tout, status = 0;
	size_t i;
	const char *kind;

	if (r->prev != NULL)
		r->prev->next = r->next;
	else
		R->live = r->next;
	if (r->next != NULL)
		r->next->prev = r->prev;
	R->inflight--;
	if (c != NULL) {
		sent = c->attempts > 0 ? c->t_start : r->submit;
		error = req_error(r, c);
		status = c->http_status;
	} else {
		sent = r->call->attempts > 0 ? r->call->t_start : r->submit;
		error = json_pack("{s:s, s:s}", "kind", "aborted", "message",
		    R->stop_reason[0] != '\0' ? "the run stopped before the "
		    "reply ended" : "the run ended before the reply did");
	}
	/* 0: never written (no connection, or still queued). */
	written = (c != NULL ? c : r->call)->t_wire;
	if (r->from_schedule && written > 0)
		push(&R->wlate, &R->nwlate, &R->capwlate, written - r->sched);
	origin = r->from_schedule ? r->sched : sent;
	e2e = end - origin;
	tin = r->reply.tokens_in >= 0 ? r->reply.tokens_in :
	    ab_estimate_tokens(r->prompt->text, strlen(r->prompt->text));
	tout = r->reply.tokens_out >= 0 ? r->reply.tokens_out : r->chunks;
	if (r->chunks > 0) {
		ttft = (a->stream ? r->first : end) - origin;
		if (tout > 1 && a->stream)
			tpot = (end - r->first) / (double)(tout - 1);
	}
	kind = error != NULL ? ab_get_str(error, "kind") : NULL;
	gaps = json_array();
	for (i = 0; i < r->ngaps; i++)
		json_array_append_new(gaps, ms(r->gaps[i]));
	itl = json_pack("{s:I, s:o, s:o}", "n", (json_int_t)r->gap_n,
	    "mean_ms", r->gap_n > 0 ? ms(r->gap_sum / (double)r->gap_n) :
	    json_null(), "max_ms", r->gap_n > 0 ? ms(r->gap_max) :
	    json_null());
	if ((size_t)r->gap_n > r->ngaps)
		json_object_set_new(itl, "truncated", json_true());
	load = json_pack("{s:s, s:s, s:b, s:I, s:o, s:s, s:o, s:o, s:o, s:o, "
	    "s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:{s:I, s:I}, "
	    "s:s, s:I, s:O}",
	    "profile", ab_load_kind_name(R->p->kind),
	    "phase", r->warmup ? "warmup" : s->phase,
	    "warmup", r->warmup,
	    "step", (json_int_t)r->seg,
	    "level", r->warmup ? json_null() : json_real(s->level),
	    "unit", r->warmup || s->closed ? "users" : "rps",
	    "scheduled_ms", ms(r->sched - R->t0),
	    "sent_ms", ms(sent - R->t0),
	    "written_ms", written > 0 ? ms(written - R->t0) : json_null(),
	    "lateness_ms", r->from_schedule ? ms(r->submit - r->sched) :
	    json_null(),
	    "queue_ms", ms(sent - r->submit),
	    "ttft_ms", ms(ttft),
	    "e2e_ms", ms(e2e),
	    "service_ms", ms(end - sent),
	    "tpot_ms", ms(tpot),
	    "itl", itl,
	    "itl_ms", gaps,
	    "end_ms", ms(end - R->t0),
	    "t0_unix_ms", json_real(round(R->t0_unix_ms)),
	    "tokens", "in", (json_int_t)tin, "out", (json_int_t)tout,
	    "status", error != NULL ? "error" : "ok",
	    "http_status", (json_int_t)status,
	    "error", error != NULL ? error : json_null());
	json_object_set_new(load, "from", json_string(r->from_schedule ?
	    "schedule" : "send"));
	gen = json_pack("{s:s, s:s, s:o, s:o, s:{s:I, s:I}, s:O}",
	    "provider", ab_provider_name(a->provider),
	    "model", r->reply.model != NULL ? r->reply.model :
	    a->model != NULL ? a->model : "",
	    "latency_ms", ms(end - sent),
	    "ttft_ms", ms(r->chunks > 0 ? (a->stream ? r->first : end) -
	    sent : NAN),
	    "tokens", "in", (json_int_t)tin, "out", (json_int_t)tout,
	    "error", error != NULL ? error : json_null());
	if (gen == NULL || load == NULL)
		abort();
	R->emit(gen, load, r->prompt, r->seq, R->ctx);
	json_decref(gen);
	json_decref(load);

	if (a->priced)
		R->spent += ((double)tin * a->price_in + (double)tout *
		    a->price_out) / 1e6;
	if (!r->warmup && s != NULL) {
		s->t_end = fmax(s->t_end, end);
		if (error == NULL) {
			s->ok++;
			s->tokens_out += tout;
			push(&s->e2e, &s->ne2e, &s->cap_e2e, e2e);
			if (isfinite(ttft))
				push(&s->ttft, &s->nttft, &s->cap_ttft, ttft);
		} else {
			s->errors++;
			R->errors++;
		}
	}
	if (c != NULL && kind != NULL && (strcmp(kind, "auth") == 0 ||
	    strcmp(kind, "quota") == 0))
		stop(R, kind, "%s", ab_get_str(error, "message"));
	if (c != NULL)
		note_outcome(R, error != NULL);
	if (R->p->budget_usd >= 0 && R->spent >= R->p->budget_usd)
		stop(R, "budget", "spent %.4f USD of %g", R->spent,
		    R->p->budget_usd);
	if (r->user >= 0 && R->ready != NULL)
		R->ready[r->user] = end + R->p->think_ms;
	json_decref(error);
	if (c != NULL)
		ab_call_free(c);
	req_free(r);
}

/* Sleep for ms (a fraction of a millisecond is fine). */
static void
nap(double ms_)
{
	struct timespec ts;

	if (ms_ <= 0)
		return;
	ts.tv_sec = (time_t)(ms_ / 1000);
	ts.tv_nsec = (long)(fmod(ms_, 1000) * 1e6);
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Collect finished requests, waiting until `until` (ms) at most: the
 * engine wakes at that deadline to the microsecond (a timer, since poll
 * counts whole milliseconds). */
static void
collect(struct run *R, double until)
{
	struct ab_call *c;
	double now = ab_now_ms(), w = until - now;

	/* Our count, not ab_engine_pending: a finished call waiting to be
	 * handed back is no longer pending for the engine. */
	if (R->inflight == 0) {
		nap(fmin(w, 50));
		return;
	}
	c = ab_engine_next(R->e, fmax(w, 0));
	/* Never past the next arrival: replies that keep coming must not
	 * starve the schedule (the engine keeps them for the next call). */
	while (c != NULL) {
		finish_req(R, c->udata, c, c->t_attempt + c->latency_ms);
		if (ab_now_ms() >= until)
			break;
		c = ab_engine_next(R->e, 0);
	}
}

static bool
checks(struct run *R)
{
	if (R->interrupt != NULL && *R->interrupt)
		stop(R, "interrupted", "interrupted by a signal");
	if (ab_now_ms() - R->start > R->p->max_time_s * 1000)
		stop(R, "max_time", "the run reached max_time_s %g",
		    R->p->max_time_s);
	if (R->measured >= R->p->max_requests)
		stop(R, "max_requests", "the run reached max_requests %ld",
		    R->p->max_requests);
	return !R->stopping;
}

/* Wait for what is in flight, up to drain_s (less when stopping). */
static void
drain(struct run *R)
{
	double until = ab_now_ms() + (R->stopping ? fmin(R->p->drain_s, 1) :
	    R->p->drain_s) * 1000;

	while (R->inflight > 0 && ab_now_ms() < until) {
		if (R->interrupt != NULL && *R->interrupt)
			stop(R, "interrupted", "interrupted by a signal");
		collect(R, fmin(until, ab_now_ms() + 100));
	}
}

/* Closed loop: `users` users (or warm-up requests) back to back. */
static void
run_closed(struct run *R, int si, int users, long count, double dur_ms,
    bool warmup)
{
	double end = ab_now_ms() + (dur_ms > 0 ? dur_ms : 1e15), now, next;
	long sent = 0;
	int u;

	R->users = users;
	R->ready = ab_xcalloc((size_t)users, sizeof *R->ready);
	for (;;) {
		now = ab_now_ms();
		if (!warmup && !checks(R))
			break;
		if (warmup && ((R->interrupt != NULL && *R->interrupt) ||
		    R->stopping))
			break;
		if (now >= end || (count > 0 && sent >= count))
			break;
		next = now + 100;
		for (u = 0; u < users && (count == 0 || sent < count); u++) {
			if (R->ready[u] < 0)
				continue;
			if (R->ready[u] <= now) {
				R->ready[u] = -1;
				submit(R, si, u, now, warmup);
				sent++;
			} else {
				next = fmin(next, R->ready[u]);
			}
		}
		/* Out now, not after the replies that came in meanwhile. */
		ab_engine_kick(R->e);
		if (R->stopping)
			break;
		collect(R, fmin(next, end));
	}
	drain(R);
	free(R->ready);
	R->ready = NULL;
}

/* Open loop: Poisson arrivals at the segment's rate, latency counted
 * from each arrival's scheduled time. */
static void
run_open(struct run *R, int si)
{
	struct seg *s = &R->segs[si];
	double begin = ab_now_ms(), end = begin + s->dur_ms, next,
	    spin = R->p->spin_us / 1000;

	next = begin - log(uniform(&R->rng)) * 1000 / s->level;
	while (checks(R)) {
		while (next <= ab_now_ms() && next < end &&
		    R->inflight < 1 << 20) {
			submit(R, si, -1, next, false);
			next -= log(uniform(&R->rng)) * 1000 / s->level;
			if (!checks(R))
				break;
		}
		/* Out now (all that were due: one pass over the transfers),
		 * not after the replies that came in meanwhile. */
		ab_engine_kick(R->e);
		if (R->stopping || next >= end)
			break;
		/* spin_us: the last stretch to an arrival is not slept but
		 * spun, on the clock alone (replies wait meanwhile). */
		if (spin > 0 && next - ab_now_ms() <= spin) {
			while (ab_now_ms() < next)
				;
			continue;
		}
		collect(R, next - spin);
	}
	if (s->drain || R->stopping)
		drain(R);
}

static int
add_seg(struct run *R, const char *phase, double level, bool closed,
    double dur_ms, long count, bool drain_after)
{
	struct seg *s;

	if (R->nseg == R->capseg) {
		R->capseg = R->capseg ? R->capseg * 2 : 8;
		R->segs = ab_xrealloc(R->segs, (size_t)R->capseg *
		    sizeof *R->segs);
	}
	s = &R->segs[R->nseg];
	memset(s, 0, sizeof *s);
	s->phase = phase;
	s->level = level;
	s->closed = closed;
	s->dur_ms = dur_ms;
	s->count = count;
	s->drain = drain_after;
	return R->nseg++;
}

static void
run_seg(struct run *R, int si)
{
	struct seg *s = &R->segs[si];

	s->t_begin = ab_now_ms();
	s->t_end = s->t_begin;
	if (s->closed)
		run_closed(R, si, (int)s->level, s->count, s->dur_ms, false);
	else
		run_open(R, si);
}

/* Did segment si saturate the endpoint?  base: the first level's p50
 * end-to-end latency. */
static bool
saturated(struct run *R, int si, double base)
{
	struct seg *s = &R->segs[si];
	long done = s->ok + s->errors;
	double er, p50, p90t, offered, got, span;

	if (done == 0)
		return false;
	er = (double)s->errors / (double)done;
	if (er > R->p->sat_errors) {
		snprintf(s->why, sizeof s->why, "error rate %.3f above %g", er,
		    R->p->sat_errors);
		return s->saturated = true;
	}
	if (s->ne2e == 0)
		return false;
	p50 = quantile(s->e2e, s->ne2e, 0.5);
	if (base > 0 && p50 > R->p->sat_latency * base) {
		snprintf(s->why, sizeof s->why, "p50 end-to-end %.1f ms, %.2f "
		    "times the first level's %.1f ms", p50, p50 / base, base);
		return s->saturated = true;
	}
	if (R->p->sat_ttft_ms > 0 && s->nttft > 0 &&
	    (p90t = quantile(s->ttft, s->nttft, 0.9)) > R->p->sat_ttft_ms) {
		snprintf(s->why, sizeof s->why, "p90 TTFT %.1f ms above %g ms",
		    p90t, R->p->sat_ttft_ms);
		return s->saturated = true;
	}
	/* An open loop whose completions fall well behind its arrivals. */
	span = (s->t_end - s->t_begin) / 1000;
	if (!s->closed && span > 0 && s->sent >= 20) {
		offered = (double)s->sent / (s->dur_ms / 1000);
		got = (double)s->ok / span;
		if (got < 0.8 * offered) {
			snprintf(s->why, sizeof s->why, "throughput %.1f/s, "
			    "below the offered %.1f/s", got, offered);
			return s->saturated = true;
		}
	}
	return false;
}

/* {"p50", "p99", "max"} of x (sorted here); nulls when n is 0. */
static json_t *
spread(double *x, size_t n)
{
	json_t *j;

	if (n > 0)
		qsort(x, n, sizeof *x, cmp_double);
	j = json_pack("{s:o, s:o, s:o}", "p50", n > 0 ?
	    ms(ab_quantile_sorted(x, n, 0.5)) : json_null(), "p99", n > 0 ?
	    ms(ab_quantile_sorted(x, n, 0.99)) : json_null(), "max", n > 0 ?
	    ms(x[n - 1]) : json_null());
	if (j == NULL)
		abort();
	return j;
}

static json_t *
level_json(struct run *R, int si)
{
	struct seg *s = &R->segs[si];
	double span = (s->t_end - s->t_begin) / 1000;
	long done = s->ok + s->errors;

	return json_pack("{s:I, s:s, s:f, s:s, s:I, s:I, s:I, s:o, s:o, s:o, "
	    "s:b, s:s?}",
	    "step", (json_int_t)si, "phase", s->phase, "level", s->level,
	    "unit", s->closed ? "users" : "rps",
	    "sent", (json_int_t)s->sent, "ok", (json_int_t)s->ok,
	    "errors", (json_int_t)s->errors,
	    "throughput_rps", span > 0 ? json_real(round((double)s->ok /
	    span * 1000) / 1000) : json_null(),
	    "p50_e2e_ms", s->ne2e > 0 ? ms(quantile(s->e2e, s->ne2e, 0.5)) :
	    json_null(),
	    "error_rate", done > 0 ? json_real((double)s->errors /
	    (double)done) : json_null(),
	    "saturated", s->saturated, "why", s->why[0] != '\0' ? s->why :
	    NULL);
}

json_t *
ab_load_run(const struct ab_load_profile *p, struct ab_config *c,
    const struct ab_load_prompt *prompts, size_t n, ab_load_emit_fn emit,
    void *ctx, const volatile sig_atomic_t *interrupt, struct ab_error *err)
{
	struct ab_engine_opts eo = { 0 };
	struct run R;
	struct timespec ts;
	struct req *r;
	json_t *sum, *levels, *stopped;
	double base = -1, level;
	size_t k;
	int i, si, wu, slack;

	if (c->moa || (c->main.provider != AB_PROV_OPENAI &&
	    c->main.provider != AB_PROV_ANTHROPIC &&
	    c->main.provider != AB_PROV_OLLAMA)) {
		ab_error_set(err, "config", "%s: load mode drives a single "
		    "model endpoint (openai, anthropic or ollama)", c->name);
		return NULL;
	}
	if (n == 0) {
		ab_error_set(err, "usage", "no prompt to send");
		return NULL;
	}
	/* Each request is one measurement: no retries, no client-side
	 * rate limit. */
	c->main.retries = 0;
	c->main.rpm = c->main.tpm = 0;
	if (p->out_tokens > 0)
		json_object_set_new(c->main.params, "max_tokens",
		    json_integer(p->out_tokens));

	memset(&R, 0, sizeof R);
	R.p = p;
	R.c = c;
	R.prompts = prompts;
	R.nprompts = n;
	R.emit = emit;
	R.ctx = ctx;
	R.interrupt = interrupt;
	R.rng = p->seed;
	R.win = ab_xcalloc((size_t)p->error_window, 1);
	eo.parallel = p->max_inflight;
	if ((R.e = ab_engine_new(&eo, err)) == NULL) {
		free(R.win);
		return NULL;
	}
	R.bodies = ab_xcalloc(n, sizeof *R.bodies);
	/* Sleeps end when asked, not up to 50 us later (the default
	 * slack); the old slack is put back at the end. */
	slack = prctl(PR_GET_TIMERSLACK, 0L, 0L, 0L, 0L);
	prctl(PR_SET_TIMERSLACK, 1000L, 0L, 0L, 0L);
	R.start = R.t0 = ab_now_ms();
	clock_gettime(CLOCK_REALTIME, &ts);
	R.t0_unix_ms = (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;

	if (p->warmup > 0) {
		wu = (int)(p->closed ? fmin(p->levels[0], (double)p->warmup) :
		    fmin(4, (double)p->warmup));
		run_closed(&R, -1, wu, p->warmup, 0, true);
		/* A warm-up that cannot get through says so before the
		 * measurement starts. */
		if (R.stopping)
			goto out;
	}
	switch (p->kind) {
	case AB_LOAD_CLOSED:
		run_seg(&R, add_seg(&R, "measure", p->levels[0], true,
		    p->requests > 0 && json_object_get(p->json, "duration_s") ==
		    NULL ? 0 : p->duration_s * 1000, p->requests, true));
		break;
	case AB_LOAD_OPEN:
	case AB_LOAD_SOAK:
		run_seg(&R, add_seg(&R, p->kind == AB_LOAD_SOAK ? "soak" :
		    "measure", p->levels[0], false, p->duration_s * 1000, 0,
		    true));
		break;
	case AB_LOAD_SWEEP:
		for (i = 0; i < p->nlevels && !R.stopping; i++) {
			si = add_seg(&R, "measure", p->levels[i], p->closed,
			    p->closed && p->requests > 0 &&
			    json_object_get(p->json, "duration_s") == NULL ? 0 :
			    p->duration_s * 1000, p->closed ? p->requests : 0,
			    true);
			run_seg(&R, si);
			if (i == 0 && R.segs[si].ne2e > 0)
				base = quantile(R.segs[si].e2e,
				    R.segs[si].ne2e, 0.5);
			if (saturated(&R, si, base) && R.breaking == NULL)
				R.breaking = json_pack("{s:f, s:s, s:s, s:o}",
				    "level", p->levels[i], "unit", p->closed ?
				    "users" : "rps", "why", R.segs[si].why,
				    "last_good", i > 0 &&
				    !R.segs[si - 1].saturated ?
				    json_real(p->levels[i - 1]) : json_null());
		}
		break;
	case AB_LOAD_SPIKE:
		add_seg(&R, "base", p->levels[0], false, p->base_s * 1000, 0,
		    false);
		add_seg(&R, "spike", p->spike_rate, false, p->spike_s * 1000,
		    0, false);
		add_seg(&R, "recovery", p->levels[0], false, p->after_s * 1000,
		    0, true);
		for (i = 0; i < 3 && !R.stopping; i++)
			run_seg(&R, i);
		break;
	case AB_LOAD_RAMP:
		level = p->levels[0];
		for (i = 0; !R.stopping && level <= p->ramp_max; i++) {
			si = add_seg(&R, "measure", level, false,
			    p->duration_s * 1000, 0, true);
			run_seg(&R, si);
			if (i == 0 && R.segs[si].ne2e > 0)
				base = quantile(R.segs[si].e2e,
				    R.segs[si].ne2e, 0.5);
			/* A storm of errors within a level is that level's
			 * saturation, not a failure of the run. */
			if (R.stopping && strcmp(R.stop_reason, "error_rate") ==
			    0) {
				R.segs[si].saturated = true;
				snprintf(R.segs[si].why, sizeof R.segs[si].why,
				    "error rate: %.140s", R.stop_msg);
				R.stopping = false;
			} else if (R.stopping) {
				break;
			}
			if (R.segs[si].saturated || saturated(&R, si, base)) {
				R.breaking = json_pack("{s:f, s:s, s:s, s:o}",
				    "level", level, "unit", "rps", "why",
				    R.segs[si].why, "last_good", i > 0 ?
				    json_real(R.segs[si - 1].level) :
				    json_null());
				stop(&R, "saturated", "the endpoint saturated "
				    "at %g requests/s: %s", level,
				    R.segs[si].why);
				break;
			}
			level = p->ramp_factor > 0 ? level * p->ramp_factor :
			    level + p->ramp_step;
		}
		if (R.breaking == NULL && !R.stopping)
			stop(&R, "max_rate", "no saturation up to max_rate %g",
			    p->ramp_max);
		break;
	}
out:
	drain(&R);
	/* What is still in flight is aborted, and said so. */
	while ((r = R.live) != NULL)
		finish_req(&R, r, NULL, ab_now_ms());
	ab_engine_free(R.e);

	levels = json_array();
	for (i = 0; i < R.nseg; i++)
		json_array_append_new(levels, level_json(&R, i));
	stopped = R.stop_reason[0] != '\0' && strcmp(R.stop_reason,
	    "max_rate") != 0 && strcmp(R.stop_reason, "saturated") != 0 ?
	    json_pack("{s:s, s:s}", "reason", R.stop_reason, "message",
	    R.stop_msg) : json_null();
	sum = json_pack("{s:s, s:O, s:I, s:I, s:I, s:o, s:o, s:o, s:o, s:o, "
	    "s:o, s:s?}",
	    "profile", ab_load_kind_name(p->kind), "settings", p->json,
	    "requests", (json_int_t)R.measured,
	    "warmups", (json_int_t)R.warmups,
	    "errors", (json_int_t)R.errors,
	    "duration_ms", ms(ab_now_ms() - R.t0),
	    "stopped", stopped,
	    "breaking_point", R.breaking != NULL ? R.breaking : json_null(),
	    "lateness_ms", spread(R.late, R.nlate),
	    "write_lateness_ms", spread(R.wlate, R.nwlate),
	    "levels", levels,
	    "note", R.stop_reason[0] != '\0' && stopped == json_null() ?
	    R.stop_msg : NULL);
	if (sum == NULL)
		abort();
	for (i = 0; i < R.nseg; i++) {
		free(R.segs[i].e2e);
		free(R.segs[i].ttft);
	}
	free(R.segs);
	free(R.late);
	free(R.wlate);
	free(R.win);
	for (k = 0; k < n; k++)
		free(R.bodies[k]);
	free(R.bodies);
	if (slack > 0)
		prctl(PR_SET_TIMERSLACK, (unsigned long)slack, 0L, 0L, 0L);
	return sum;
}

/* ---- a load run of ab-gen ---- */

int
ab_load_profile_arg(struct ab_load_profile *p, const char *arg,
    struct ab_error *err)
{
	const char *where = arg[0] == '{' ? "(argument)" : arg;
	json_error_t jerr;
	struct ab_error e;
	json_t *pj;
	int rc;

	pj = arg[0] == '{' ? json_loads(arg, JSON_REJECT_DUPLICATES, &jerr) :
	    json_load_file(arg, JSON_REJECT_DUPLICATES, &jerr);
	if (pj == NULL)
		return ab_error_set(err, "usage", "--load: %s:%d: %s", where,
		    jerr.line, jerr.text);
	rc = ab_load_profile_parse(p, pj, &e);
	json_decref(pj);
	if (rc < 0)
		return ab_error_set(err, "usage", "--load: %s: %s", where,
		    e.msg);
	return 0;
}

void
ab_load_prompts_synthetic(struct ab_load_prompts *lp,
    const struct ab_load_profile *p)
{
	lp->text = ab_load_synthetic(p->in_tokens, p->seed);
	lp->synthetic = json_pack("{s:s, s:I, s:I}", "id", "synthetic",
	    "input_tokens", (json_int_t)p->in_tokens, "output_tokens",
	    (json_int_t)p->out_tokens);
	lp->v = ab_xcalloc(1, sizeof *lp->v);
	lp->v[0].id = "synthetic";
	lp->v[0].text = lp->text;
	lp->n = 1;
}

void
ab_load_prompts_add(struct ab_load_prompts *lp, json_t *task)
{
	if (lp->tasks == NULL)
		lp->tasks = json_object();
	json_object_set(lp->tasks, ab_get_str(task, "id"), task);
}

size_t
ab_load_prompts_render(struct ab_load_prompts *lp, const struct ab_tmpl *t)
{
	struct ab_buf b = AB_BUF_INIT;
	const char *k;
	json_t *task, *ctx;
	size_t i = 0;

	if (lp->synthetic != NULL || lp->tasks == NULL)
		return lp->n;
	if (lp->rendered == NULL)
		lp->rendered = json_object();
	free(lp->v);
	lp->v = ab_xcalloc(json_object_size(lp->tasks), sizeof *lp->v);
	json_object_foreach(lp->tasks, k, task) {
		ctx = ab_task_context(task);
		ab_buf_reset(&b);
		ab_tmpl_render(t, ctx, &b);
		json_decref(ctx);
		json_object_set_new(lp->rendered, k, json_string(b.s != NULL ?
		    b.s : ""));
		lp->v[i].id = k;
		lp->v[i].text = json_string_value(json_object_get(lp->rendered,
		    k));
		i++;
	}
	ab_buf_release(&b);
	return lp->n = i;
}

void
ab_load_prompts_release(struct ab_load_prompts *lp)
{
	json_decref(lp->tasks);
	json_decref(lp->synthetic);
	json_decref(lp->rendered);
	free(lp->text);
	free(lp->v);
	memset(lp, 0, sizeof *lp);
}

json_t *
ab_load_record(const struct ab_load_prompts *lp, const char *run,
    const json_t *config, const char *name, const json_t *gen,
    const json_t *load, const struct ab_load_prompt *pr, long seq)
{
	json_t *task = lp->tasks != NULL ? json_object_get(lp->tasks, pr->id) :
	    lp->synthetic, *rec;
	char *id = ab_xasprintf("%s/%s/%ld", pr->id, name, seq);

	rec = json_pack("{s:s, s:s, s:O, s:O, s:I, s:O, s:O}", "id", id,
	    "run", run, "task", task, "config", config, "sample",
	    (json_int_t)seq, "gen", gen, "load", load);
	free(id);
	if (rec == NULL)
		abort();
	return rec;
}

json_t *
ab_load_summary_record(json_t *sum, const char *run, const json_t *config,
    const char *name)
{
	char *id = ab_xasprintf("load-summary/%s/0", name);
	json_t *rec;

	json_object_set_new(sum, "summary", json_true());
	rec = json_pack("{s:s, s:s, s:{s:s}, s:O, s:i, s:O}", "id", id,
	    "run", run, "task", "id", "load-summary", "config", config,
	    "sample", 0, "load", sum);
	free(id);
	if (rec == NULL)
		abort();
	return rec;
}
