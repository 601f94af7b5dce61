/*
 * load.h - ab-gen's load mode (lib/gen/load.c): drive one model endpoint
 * through a load profile (closed loop, open loop with Poisson arrivals, a
 * sweep, a spike, a soak, a ramp to the breaking point) on the request
 * engine of gen.h, and describe every request as a record member.
 *
 * Library code: nothing here prints or exits; failures fill struct
 * ab_error.  Ownership follows ab.h.
 */
#ifndef AB_LOAD_H
#define AB_LOAD_H

#include <signal.h>

#include "gen.h"

enum ab_load_kind {
	AB_LOAD_CLOSED,		/* `users` concurrent users, back to back */
	AB_LOAD_OPEN,		/* Poisson arrivals at `rate` per second */
	AB_LOAD_SWEEP,		/* open (rates) or closed (users), level by
				   level */
	AB_LOAD_SPIKE,		/* base rate, a burst, base rate again */
	AB_LOAD_SOAK,		/* open loop held for a long duration */
	AB_LOAD_RAMP,		/* rising rates until the endpoint saturates */
};

/* A parsed load profile (see ab-gen(1), LOAD PROFILES). */
struct ab_load_profile {
	enum ab_load_kind kind;
	bool closed;		/* levels are users (else requests/s) */
	double levels[64];	/* sweep; ramp: filled as it goes */
	int nlevels;
	double duration_s;	/* per level (open, soak, sweep, ramp step) */
	long requests;		/* per level when > 0 (closed, sweep) */
	double spike_rate, base_s, spike_s, after_s;	/* spike */
	double ramp_factor, ramp_step, ramp_max;	/* ramp */
	double sat_latency;	/* ramp: saturated when p50 end-to-end
				   exceeds this many times the first level's */
	double sat_errors;	/* ramp: ... or the error rate exceeds it */
	double sat_ttft_ms;	/* ramp: ... or p90 TTFT exceeds it (0: off) */
	long warmup;		/* warm-up requests before the first level */
	long max_requests;	/* total measured requests */
	double max_time_s;	/* total wall time */
	double max_error_rate;	/* stop above this share of errors ... */
	long error_window;	/* ... over the last this many requests */
	double budget_usd;	/* stop once this much is spent (< 0: none) */
	int max_inflight;	/* requests in flight at once */
	double think_ms;	/* closed loop: pause between a user's requests */
	double drain_s;		/* wait for stragglers after a level */
	double spin_us;		/* open loops: spin (not sleep) this long
				   before each arrival */
	uint64_t seed;
	long in_tokens, out_tokens;	/* synthetic prompts when in > 0 */
	json_t *json;		/* the profile as given (new) */
};

/* Parse a profile object j (borrowed).  0, or -1 with err set naming the
 * member at fault.  Release with ab_load_profile_release. */
int ab_load_profile_parse(struct ab_load_profile *p, const json_t *j,
    struct ab_error *err);
void ab_load_profile_release(struct ab_load_profile *p);
/* The profile's name ("open", ...); static. */
const char *ab_load_kind_name(enum ab_load_kind k);

/* One prompt to send: its task id and text (both borrowed). */
struct ab_load_prompt {
	const char *id;
	const char *text;
};

/* Called once per finished request with its "gen" and "load" members
 * (borrowed: the callee keeps its own references), the prompt it sent,
 * and its sequence number (0, 1, ... in the order the requests were
 * scheduled, warm-ups first). */
typedef void (*ab_load_emit_fn)(const json_t *gen, const json_t *load,
    const struct ab_load_prompt *prompt, long seq, void *ctx);

/*
 * Run profile p against configuration c (a single HTTP model: openai,
 * anthropic or ollama; its retries and rate limits are turned off, since
 * each request is one measurement).  prompts: n > 0 prompts used in
 * turn (borrowed).  emit is called for every request, warm-ups included,
 * in the order they finish.  *interrupt (may be NULL) is polled: non-zero
 * stops the run ("interrupted").  Returns a new summary object {"profile",
 * "requests", "warmups", "errors", "duration_ms", "stopped": null or
 * {"reason", "message"}, "breaking_point": null or {...}, "lateness_ms":
 * {"p50", "p99", "max"}, "levels": [...]}, or NULL with err set when the
 * run could not start.
 */
json_t *ab_load_run(const struct ab_load_profile *p, struct ab_config *c,
    const struct ab_load_prompt *prompts, size_t n, ab_load_emit_fn emit,
    void *ctx, const volatile sig_atomic_t *interrupt, struct ab_error *err);

/* A synthetic prompt of about tokens tokens (four bytes each) from seed.
 * New string. */
char *ab_load_synthetic(long tokens, uint64_t seed);

/* ---- a load run of ab-gen: what to send, the records ----------------- */

/* Parse the profile arg (borrowed): a JSON object when it starts with
 * '{', else a file holding one.  0, or -1 with err set ("--load: FILE:
 * ..." naming the line, or "(argument)"). */
int ab_load_profile_arg(struct ab_load_profile *p, const char *arg,
    struct ab_error *err);

/* The prompts of a load run: the tasks given, in input order, as each
 * configuration's template renders them; or the profile's synthetic
 * prompt (ab_load_prompts_synthetic).  Zero it to start. */
struct ab_load_prompts {
	json_t *tasks;		/* id -> task (new), NULL until a task */
	json_t *synthetic;	/* the synthetic prompt's task (new), or NULL */
	char *text;		/* the synthetic prompt (owned) */
	json_t *rendered;	/* id -> rendered prompt (new) */
	struct ab_load_prompt *v;	/* n prompts (owned; strings borrowed
					   from text or rendered) */
	size_t n;
};
/* Send p's synthetic prompt (p->in_tokens > 0). */
void ab_load_prompts_synthetic(struct ab_load_prompts *lp,
    const struct ab_load_profile *p);
/* Add a task (borrowed; a reference is kept), checked by the caller. */
void ab_load_prompts_add(struct ab_load_prompts *lp, json_t *task);
/* Render every task with t (borrowed) into lp->v; nothing to do for a
 * synthetic prompt.  Returns lp->n (0: nothing to send). */
size_t ab_load_prompts_render(struct ab_load_prompts *lp,
    const struct ab_tmpl *t);
void ab_load_prompts_release(struct ab_load_prompts *lp);

/* The record of one request: {"id": "TASK/CONFIG/SEQ", "run", "task",
 * "config", "sample": seq, "gen", "load"}.  run, config (its record
 * member) and name borrowed; the task is the prompt's (or the synthetic
 * one).  New. */
json_t *ab_load_record(const struct ab_load_prompts *lp, const char *run,
    const json_t *config, const char *name, const json_t *gen,
    const json_t *load, const struct ab_load_prompt *pr, long seq);
/* The summary record of a configuration's run: {"id":
 * "load-summary/NAME/0", "run", "task": {"id": "load-summary"}, "config",
 * "sample": 0, "load": sum with "summary": true}.  sum is changed (it
 * gets "summary"); everything borrowed.  New. */
json_t *ab_load_summary_record(json_t *sum, const char *run,
    const json_t *config, const char *name);

#endif
