/*
 * input.c - read NDJSON records into the model, parsing in parallel.
 *
 * The calling thread reads the input in batches of whole lines; parser
 * threads scan each batch's lines and pack the attempts they find into the
 * batch; the calling thread then adds the packed attempts to the model in
 * input order, so results and diagnostics are the same as a sequential
 * read.  Memory is bounded by the batches in flight, never by the input.
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report.h"

#define BATCH_BYTES ((size_t)4 << 20)
#define NSLOTS 8
#define MAX_CALLS 64

/* Packed attempts: a flat byte buffer of records, each a struct pk
 * followed by its strings and its calls. */
enum { P_ID, P_RUN, P_TASK, P_CNAME, P_CHASH, P_LANG, P_DIFF, P_CAT,
	P_SUITE, P_VERDICT, P_EKIND, P_GRADE, P_CODE, P_TRAJ, P_TX, P_PROMPT,
	P_NSTR };

struct pk {
	uint32_t size;		/* bytes of this record, padded */
	uint32_t str[P_NSTR];	/* offsets from the record start; 0: NULL */
	long sample;
	uint8_t passed, success, excluded;
	double score, lat, ttft, tin, tout, cost, cpu, wall;
	uint32_t ndims, ncalls;
	struct rk_trial trial;
	/* then ndims x (uint32_t name offset, double value), ncalls x
	 * struct pkcall, then the strings */
};

struct pkcall {
	uint32_t role, name, model;
	double tin, tout, cost, lat;
};

/* A bad line: its number within the batch and the message. */
struct bad {
	long line;
	char msg[256];
};

struct batch {
	char *buf;
	size_t len, cap;
	int state;		/* see below */
	const char *name;	/* the file, borrowed from the reader */
	long last;		/* the number of the batch's last line */
	long nlines;		/* lines in the batch */
	bool overlong;		/* a marker for one line over the limit */
	struct ab_buf out;	/* packed attempts */
	struct bad *bad;
	size_t nbad, badcap;
	size_t out_before_bad;	/* packed bytes before the first bad line */
};
enum { B_FREE, B_FILLED, B_PARSING, B_PARSED };

struct pool {
	pthread_mutex_t mu;
	pthread_cond_t work, done;
	struct batch slot[NSLOTS];
	bool quit, keep_code;
	bool tx_full;		/* the model has its transcripts: build no
				   more (atomic; a hint, the model decides) */
	size_t max_record;
};

/* ---- packing ---------------------------------------------------------- */

static void
pad8(struct ab_buf *b)
{
	while (b->len % 8 != 0)
		ab_buf_addc(b, '\0');
}

static uint32_t
put_str(struct ab_buf *b, size_t start, const char *s)
{
	size_t off;

	if (s == NULL)
		return 0;
	off = b->len - start;
	ab_buf_add(b, s, strlen(s) + 1);
	return (uint32_t)off;
}

static void
pack(struct ab_buf *b, const struct rk_attempt *a, const struct rk_call *c,
    size_t nc)
{
	const char *s[P_NSTR] = { a->id, a->run, a->task, a->config_name,
	    a->config_hash, a->language, a->difficulty, a->category, a->suite,
	    a->verdict, a->error_kind, a->grade, a->code, a->traj, a->tx,
	    a->prompt };
	size_t start = b->len, dims, calls, i;
	struct pk p;
	struct pkcall pc;
	uint32_t off;

	memset(&p, 0, sizeof p);
	p.sample = a->sample;
	p.passed = a->passed;
	p.success = a->success;
	p.excluded = a->excluded;
	p.score = a->score;
	p.lat = a->latency_ms;
	p.ttft = a->ttft_ms;
	p.tin = a->tokens_in;
	p.tout = a->tokens_out;
	p.cost = a->cost_usd;
	p.cpu = a->cpu_ms;
	p.wall = a->wall_ms;
	p.ndims = (uint32_t)a->ndims;
	p.ncalls = (uint32_t)nc;
	p.trial = a->trial;
	ab_buf_add(b, &p, sizeof p);
	dims = b->len;
	for (i = 0; i < a->ndims; i++) {
		off = 0;
		ab_buf_add(b, &off, sizeof off);
		ab_buf_add(b, &off, sizeof off);	/* keeps 8-alignment */
		ab_buf_add(b, &a->dim_val[i], sizeof a->dim_val[i]);
	}
	calls = b->len;
	memset(&pc, 0, sizeof pc);
	for (i = 0; i < nc; i++)
		ab_buf_add(b, &pc, sizeof pc);
	/* Strings last; offsets are patched in (the buffer may move). */
	for (i = 0; i < P_NSTR; i++) {
		off = put_str(b, start, s[i]);
		memcpy(b->s + start + offsetof(struct pk, str) + i * sizeof off,
		    &off, sizeof off);
	}
	for (i = 0; i < a->ndims; i++) {
		off = put_str(b, start, a->dim_name[i]);
		memcpy(b->s + dims + i * 16, &off, sizeof off);
	}
	for (i = 0; i < nc; i++) {
		memset(&pc, 0, sizeof pc);
		pc.role = put_str(b, start, c[i].role);
		pc.name = put_str(b, start, c[i].name);
		pc.model = put_str(b, start, c[i].model);
		pc.tin = c[i].tokens_in;
		pc.tout = c[i].tokens_out;
		pc.cost = c[i].cost_usd;
		pc.lat = c[i].latency_ms;
		memcpy(b->s + calls + i * sizeof pc, &pc, sizeof pc);
	}
	pad8(b);
	off = (uint32_t)(b->len - start);
	memcpy(b->s + start + offsetof(struct pk, size), &off, sizeof off);
}

/* Add the packed record at r to the model; returns its size. */
static size_t
unpack_add(struct rk_model *m, const char *r, struct rk_attempt *a)
{
	struct pk p;
	struct pkcall pc;
	struct rk_call c;
	const char **s[P_NSTR] = { &a->id, &a->run, &a->task, &a->config_name,
	    &a->config_hash, &a->language, &a->difficulty, &a->category,
	    &a->suite, &a->verdict, &a->error_kind, &a->grade, &a->code,
	    &a->traj, &a->tx, &a->prompt };
	const char *q;
	uint32_t off;
	size_t i;
	bool added;

	memcpy(&p, r, sizeof p);
	memset(a, 0, offsetof(struct rk_attempt, dim_name));
	for (i = 0; i < P_NSTR; i++)
		*s[i] = p.str[i] ? r + p.str[i] : NULL;
	a->sample = p.sample;
	a->passed = p.passed;
	a->success = p.success;
	a->excluded = p.excluded;
	a->score = p.score;
	a->latency_ms = p.lat;
	a->ttft_ms = p.ttft;
	a->tokens_in = p.tin;
	a->tokens_out = p.tout;
	a->cost_usd = p.cost;
	a->cpu_ms = p.cpu;
	a->wall_ms = p.wall;
	a->ndims = p.ndims;
	a->trial = p.trial;
	q = r + sizeof p;
	for (i = 0; i < p.ndims; i++, q += 16) {
		memcpy(&off, q, sizeof off);
		a->dim_name[i] = r + off;
		memcpy(&a->dim_val[i], q + 8, sizeof a->dim_val[i]);
	}
	added = rk_model_add(m, a);
	for (i = 0; i < p.ncalls; i++, q += sizeof pc) {
		memcpy(&pc, q, sizeof pc);
		c.role = pc.role ? r + pc.role : NULL;
		c.name = pc.name ? r + pc.name : NULL;
		c.model = pc.model ? r + pc.model : NULL;
		c.tokens_in = pc.tin;
		c.tokens_out = pc.tout;
		c.cost_usd = pc.cost;
		c.latency_ms = pc.lat;
		if (added)
			rk_model_add_call(m, a, &c);
	}
	return p.size;
}

/* ---- parsing one batch ---------------------------------------------------- */

static void
add_bad(struct batch *b, long line, const char *msg)
{
	if (b->nbad == 0)
		b->out_before_bad = b->out.len;
	if (b->nbad == b->badcap) {
		b->badcap = b->badcap ? b->badcap * 2 : 8;
		b->bad = ab_xrealloc(b->bad, b->badcap * sizeof *b->bad);
	}
	b->bad[b->nbad].line = line;
	snprintf(b->bad[b->nbad].msg, sizeof b->bad[b->nbad].msg, "%s", msg);
	b->nbad++;
}

struct worker {
	struct rk_json j;
	struct rk_attempt a;
	struct rk_call calls[MAX_CALLS];
	struct ab_buf traj;	/* an agent trial's trajectory (HTML) */
	struct ab_buf tx, prompt;	/* any other attempt's transcript */
};

static void
parse_batch(struct worker *w, struct batch *b, struct pool *pl)
{
	bool keep_code = pl->keep_code;
	size_t max_record = pl->max_record;
	struct ab_error e;
	char *p = b->buf, *end = b->buf + b->len, *nl, *line;
	size_t len, k, nc;
	long ln = 0;
	int rc = 0;

	ab_buf_reset(&b->out);
	b->nbad = 0;
	if (b->overlong) {
		b->nlines = 1;
		snprintf(e.msg, sizeof e.msg, "record longer than %zu bytes",
		    max_record);
		add_bad(b, 1, e.msg);
		return;
	}
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		line = p;
		len = (size_t)((nl != NULL ? nl : end) - p);
		p = nl != NULL ? nl + 1 : end;
		ln++;
		/* The rules of ab_reader_line. */
		if (len > max_record) {
			snprintf(e.msg, sizeof e.msg, "record longer than "
			    "%zu bytes", max_record);
			add_bad(b, ln, e.msg);
			continue;
		}
		if (len > 0 && line[len - 1] == '\r')
			len--;
		for (k = 0; k < len && (line[k] == ' ' || line[k] == '\t' ||
		    line[k] == '\r'); k++)
			;
		if (k == len)
			continue;
		if (rk_json_scan(&w->j, line, len, rk_record_skip, &e) < 0 ||
		    (w->j.v[0].type != RK_JOBJ && ab_error_set(&e, "parse",
		    "not a JSON object") < 0) ||
		    (rc = rk_attempt_from_json(&w->j, &w->a, w->calls,
		    MAX_CALLS, &nc, keep_code, &e)) < 0) {
			add_bad(b, ln, e.msg);
			continue;
		}
		if (rc > 0)
			continue;	/* a load record: no attempt */
		/* The report shows agent trials step by step. */
		if (keep_code && w->a.trial.is) {
			ab_buf_reset(&w->traj);
			if (rk_trajectory_html(line, len, &w->traj) == 0)
				w->a.traj = w->traj.s;
		} else if (keep_code && w->a.sample == 0 &&
		    !__atomic_load_n(&pl->tx_full, __ATOMIC_RELAXED)) {
			ab_buf_reset(&w->tx);
			ab_buf_reset(&w->prompt);
			if (rk_transcript_html(line, len, &w->tx,
			    &w->prompt) == 0) {
				w->a.tx = w->tx.s;
				w->a.prompt = w->prompt.len > 0 ?
				    w->prompt.s : NULL;
			}
		}
		pack(&b->out, &w->a, w->calls, nc);
	}
	b->nlines = ln;
}

static void *
worker_main(void *arg)
{
	struct pool *pl = arg;
	struct worker *w = ab_xcalloc(1, sizeof *w);
	struct batch *b;
	int i;

	pthread_mutex_lock(&pl->mu);
	for (;;) {
		b = NULL;
		for (i = 0; i < NSLOTS; i++)
			if (pl->slot[i].state == B_FILLED) {
				b = &pl->slot[i];
				break;
			}
		if (b == NULL) {
			if (pl->quit)
				break;
			pthread_cond_wait(&pl->work, &pl->mu);
			continue;
		}
		b->state = B_PARSING;
		pthread_mutex_unlock(&pl->mu);
		parse_batch(w, b, pl);
		pthread_mutex_lock(&pl->mu);
		b->state = B_PARSED;
		pthread_cond_broadcast(&pl->done);
	}
	pthread_mutex_unlock(&pl->mu);
	rk_json_release(&w->j);
	ab_buf_release(&w->traj);
	ab_buf_release(&w->tx);
	ab_buf_release(&w->prompt);
	free(w);
	return NULL;
}

/* ---- reading ----------------------------------------------------------- */

/* Fill b from the reader (lib/record.c): a block of whole lines, copied
 * so that it can be parsed while the reader goes on, or a one-line marker
 * for a line over the limit.  Returns 1 filled, 0 at the end, -1 on a read
 * error (err set). */
static int
fill(struct ab_reader *r, struct batch *b, struct ab_error *err)
{
	enum ab_read rc;
	char *block;
	size_t len;

	b->len = 0;
	b->overlong = false;
	b->nlines = 0;
	rc = ab_reader_block(r, BATCH_BYTES, &block, &len, err);
	b->name = r->name;
	b->last = r->line;
	if (rc == AB_READ_EOF)
		return 0;
	if (rc == AB_READ_IOERR)
		return -1;
	if (rc == AB_READ_BAD) {
		b->overlong = true;
		return 1;
	}
	if (b->cap < len) {
		b->cap = len > BATCH_BYTES ? len : BATCH_BYTES;
		free(b->buf);
		b->buf = ab_xmalloc(b->cap);
	}
	memcpy(b->buf, block, len);
	b->len = len;
	return 1;
}

static void
report_bad(const struct batch *b, rk_diag_fn diag, void *ctx, long *nbad,
    bool stop_on_bad, bool *stop)
{
	long base = b->last - b->nlines;
	size_t i;

	for (i = 0; i < b->nbad && !*stop; i++) {
		diag(b->name, base + b->bad[i].line, b->bad[i].msg, ctx);
		(*nbad)++;
		if (stop_on_bad)
			*stop = true;
	}
}

/* Add a parsed batch; with stop_on_bad, only what precedes its first bad
 * line, and then stop. */
static void
consume(struct rk_model *m, struct pool *pl, struct batch *b,
    rk_diag_fn diag, void *ctx, long *nbad, bool stop_on_bad, bool *stop,
    struct rk_attempt *a)
{
	size_t off = 0, end = b->out.len;

	if (stop_on_bad && b->nbad > 0)
		end = b->out_before_bad;
	while (off < end)
		off += unpack_add(m, b->out.s + off, a);
	if (m->ntx >= RK_TX_MAX)
		__atomic_store_n(&pl->tx_full, true, __ATOMIC_RELAXED);
	report_bad(b, diag, ctx, nbad, stop_on_bad, stop);
}

int
rk_read_records(struct rk_model *m, struct ab_reader *r, int nthreads,
    bool stop_on_bad, rk_diag_fn diag, void *ctx, long *nbad,
    struct ab_error *err)
{
	struct pool *pl = ab_xcalloc(1, sizeof *pl);
	struct rk_attempt *a = ab_xmalloc(sizeof *a);
	struct worker *w = NULL;
	struct ab_error e;
	pthread_t th[16];
	int nth = 0, i, head = 0, tail = 0, inflight = 0, rc = 0, fr;
	bool stop = false, first = true, eof = false, pool = false;

	*nbad = 0;
	pl->keep_code = m->keep_code;
	pl->max_record = r->max_record;
	if (nthreads > 16)
		nthreads = 16;
	w = ab_xcalloc(1, sizeof *w);
	/* The first batch is parsed here, and the workers start with the
	 * second: small inputs need no threads (starting them would cost
	 * more than the parse). */
	while (!stop) {
		/* Keep the slots full. */
		while (!eof && inflight < NSLOTS && !stop) {
			struct batch *b = &pl->slot[head];

			fr = fill(r, b, &e);
			if (fr < 0) {
				rc = ab_error_set(err, "io", "%s: %s", r->name,
				    e.msg);
				eof = true;
				break;
			}
			if (fr == 0) {
				eof = true;
				break;
			}
			if (!first && !pool && nthreads > 1) {
				pool = true;
				pthread_mutex_init(&pl->mu, NULL);
				pthread_cond_init(&pl->work, NULL);
				pthread_cond_init(&pl->done, NULL);
				for (i = 0; i < nthreads; i++)
					if (pthread_create(&th[nth], NULL,
					    worker_main, pl) == 0)
						nth++;
			}
			if (nth == 0 || first) {
				parse_batch(w, b, pl);
				b->state = B_PARSED;
			} else {
				pthread_mutex_lock(&pl->mu);
				b->state = B_FILLED;
				pthread_cond_signal(&pl->work);
				pthread_mutex_unlock(&pl->mu);
			}
			head = (head + 1) % NSLOTS;
			inflight++;
			if (first) {
				first = false;
				break;
			}
		}
		if (inflight == 0)
			break;
		/* Take the oldest batch in order. */
		if (nth > 0) {
			pthread_mutex_lock(&pl->mu);
			while (pl->slot[tail].state != B_PARSED)
				pthread_cond_wait(&pl->done, &pl->mu);
			pthread_mutex_unlock(&pl->mu);
		}
		consume(m, pl, &pl->slot[tail], diag, ctx, nbad, stop_on_bad,
		    &stop, a);
		pl->slot[tail].state = B_FREE;
		tail = (tail + 1) % NSLOTS;
		inflight--;
	}
	if (pool) {
		pthread_mutex_lock(&pl->mu);
		pl->quit = true;
		/* Batches not yet parsed are dropped (after -b stopped). */
		for (i = 0; i < NSLOTS; i++)
			if (pl->slot[i].state == B_FILLED)
				pl->slot[i].state = B_FREE;
		pthread_cond_broadcast(&pl->work);
		pthread_mutex_unlock(&pl->mu);
		for (i = 0; i < nth; i++)
			pthread_join(th[i], NULL);
		pthread_mutex_destroy(&pl->mu);
		pthread_cond_destroy(&pl->work);
		pthread_cond_destroy(&pl->done);
	}
	for (i = 0; i < NSLOTS; i++) {
		free(pl->slot[i].buf);
		free(pl->slot[i].bad);
		ab_buf_release(&pl->slot[i].out);
	}
	rk_json_release(&w->j);
	ab_buf_release(&w->traj);
	ab_buf_release(&w->tx);
	ab_buf_release(&w->prompt);
	free(w);
	free(pl);
	free(a);
	return rc;
}
