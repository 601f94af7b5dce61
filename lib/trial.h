/*
 * trial.h - agent trials: a coding agent (an agent CLI described by a
 * descriptor in share/ab/agents) runs on a workspace task inside the
 * sandbox, on a copy-on-write copy of the task's workspace, and reaches
 * its model only through a relay that ab serves from outside the
 * sandbox's network namespace; its change to the workspace becomes the
 * answer (gen.patch).  Used by ab-gen.  See ab-agent(5) and ab-gen(1).
 *
 * Library code: nothing here prints or exits; failures fill a struct
 * ab_error.  Ownership follows ab.h.  The real API key of the model
 * lives only in the upstream struct ab_agent and in the relay's transfers;
 * the agent gets a placeholder.
 */
#ifndef AB_TRIAL_H
#define AB_TRIAL_H

#include <stdbool.h>

#include <jansson.h>

#include "ab.h"
#include "gen.h"

/* ---- descriptor.c: agents as data --------------------------------------- */

/* An agent descriptor, share/ab/agents/NAME.json (see ab-agent(5)).
 * Every member is owned by the descriptor. */
struct ab_agent_desc {
	char *name;		/* "claude-code" */
	char *path;		/* the file it came from */
	char *dir;		/* its directory (for "files" sources) */
	json_t *json;		/* the whole descriptor (new) */
	char **command;		/* argv template, NULL-terminated */
	char **version;		/* version command or NULL */
	char *wire;		/* "anthropic", "openai", "openai-responses"
				   or "none" */
	char *transcript;	/* "text", "claude-stream-json",
				   "codex-json", "ndjson" */
	json_t *env;		/* {"NAME": "template"} (borrowed from json) */
	json_t *files;		/* [{"path", "text"|"from", "mode"}] placed
				   beneath /tmp (borrowed from json) */
	char **ro_dirs;		/* host directories the agent needs read-only
				   beside the system ones (its install
				   prefix), NULL-terminated */
	char *install;		/* how to install it (text) or NULL */
};

/* Load the descriptor: name is a name looked up in the share directory's
 * agents/ (NAME.json) or a path to a JSON file.  0, or -1 with err set
 * (kind "config"). */
int ab_agent_desc_load(struct ab_agent_desc *d, const char *name,
    struct ab_error *err);
void ab_agent_desc_release(struct ab_agent_desc *d);

/* Is the agent's program present (argv[0] found in the sandbox's PATH or
 * by its absolute path)?  Decided from the file system only, never by
 * running it.  false with err naming the program and how to install it. */
bool ab_agent_desc_installed(const struct ab_agent_desc *d,
    struct ab_error *err);

/* ---- the configuration of a trial --------------------------------------- */

/* Limits of a trial: the task's agent_limits and the configuration's,
 * the smaller of each; 0 = none given. */
struct ab_trial_limits {
	long wall_ms, memory_mb, processes, disk_mb;
	long calls, tokens;
	double cost_usd;	/* < 0: none */
};

/* What a configuration with "provider": "agent" benchmarks. */
struct ab_trial_cfg {
	char *name;			/* the configuration's */
	struct ab_agent_desc desc;
	struct ab_agent *upstream;	/* the model behind the relay, or NULL
					   (no model: no network) */
	struct ab_trial_limits limits;	/* the configuration's */
	json_t *env;			/* extra {"NAME": "value"} (new) */
	char *version;			/* output of the version command, or
					   NULL (set by the caller) */
};

/* Build the trial configuration of c (borrowed; c->main.provider is
 * AB_PROV_AGENT) with its JSON j: the descriptor, the upstream model
 * (provider fields of the configuration; "model_provider" or the
 * descriptor's wire format picks the API), limits and environment.
 * pricing borrowed.  0, or -1 with err set. */
int ab_trial_cfg_init(struct ab_trial_cfg *t, const json_t *j,
    const char *name, const json_t *pricing, struct ab_error *err);
void ab_trial_cfg_release(struct ab_trial_cfg *t);

/* ---- relay.c: the model relay ------------------------------------------- */

struct ab_relay;

struct ab_relay_opts {
	const struct ab_agent *upstream;	/* borrowed for the relay's
						   life */
	const char *wire;	/* the descriptor's wire format */
	int listen_fd;		/* stolen: the listener in the sandbox's
				   network namespace */
	long max_calls, max_tokens;	/* 0: none */
	double max_cost;	/* < 0: none */
	const char *ledger_dir, *run;	/* --budget: the shared ledger */
	double budget;		/* USD for the run; < 0: none */
	/* Called (from the relay's thread) when a call is refused for the
	 * budget: the caller stops the trial.  May be NULL. */
	void (*on_budget)(void *ctx);
	void *ctx;
	/* ab-gen's answer cache (borrowed; used from the relay's thread
	 * only while the relay runs), or NULL: model calls are answered
	 * from it when read_cache, and complete replies are stored.  A call
	 * served from the cache is logged with "cached": true; it counts
	 * towards the trial's budgets (calls, tokens, cost: the same
	 * trial meets the same limits whether its calls were made or
	 * replayed) but not towards the run's ledger (--budget: nothing
	 * was spent). */
	struct ab_cache *cache;
	bool read_cache;
	int sample;		/* the attempt's sample (in the cache key) */
	double t0;		/* ab_now_ms() of the trial's start: the
				   calls' t_ms count from it */
};

/* Start serving (a thread).  New relay or NULL with err set. */
struct ab_relay *ab_relay_start(const struct ab_relay_opts *o,
    struct ab_error *err);

/* What the relay saw. */
struct ab_relay_totals {
	long calls, refused;	/* calls answered (forwarded or from the
				   cache), calls refused */
	long cached;		/* of calls, those answered from the
				   cache */
	long tokens_in, tokens_out;	/* -1 when some were unknown */
	double cost_usd;	/* < 0 when some were unknown */
	bool budget_hit;	/* a call was refused for the budget */
	json_t *budget_error;	/* {"kind": "budget", "message"} or NULL
				   (new) */
	json_t *provider_error;	/* the first upstream failure after
				   retries, {"kind", "message"}, or NULL
				   (new) */
};

/* Stop serving (connections closed, transfers aborted), join the thread,
 * free the relay.  Returns its call log (new array, one object per
 * call) and fills *t. */
json_t *ab_relay_stop(struct ab_relay *r, struct ab_relay_totals *t);

/* ---- trial.c: one trial ------------------------------------------------- */

struct ab_trialer;

struct ab_trial_opts {
	const char *dir;	/* a private directory for the slot's base
				   cache (created; removed by free) */
	int slot;		/* sandbox slot */
	bool allow_degraded;
	char **ro_dirs;		/* borrowed: extra read-only directories */
	const char *ledger_dir, *run;	/* --budget */
	double budget;
	size_t patch_cap;	/* 0: 8 MiB */
	/* ab-gen's answer cache: its directory (NULL: none), and whether
	 * hits are served (false: --refresh, replies only stored).  Each
	 * trialer opens its own connection to it. */
	const char *cache_dir;
	bool read_cache;
};

/* A trial runner: one sandbox slot and its cache of materialised bases.
 * Create and use it in one thread.  New or NULL with err set. */
struct ab_trialer *ab_trialer_new(const struct ab_trial_opts *o,
    struct ab_error *err);

/* Run one trial of cfg (borrowed) on task (borrowed, a workspace task)
 * for sample.  Returns the record's gen member (new): text, model,
 * provider "agent", agent, latency_ms, tokens, cost_usd, calls (the
 * relay's log), patch, trial {exit, signal, wall_ms, cpu_ms, peak_kb,
 * disk_kb, setup_ms, teardown_ms, outcome}, transcript, stderr, error
 * (null, or kind "harness", "provider", "patch_too_large", "budget").
 * Never NULL. */
json_t *ab_trial_run(struct ab_trialer *t, const json_t *task,
    const struct ab_trial_cfg *cfg, int sample);

/* Kill the running trial's processes (from another thread). */
void ab_trialer_kill(struct ab_trialer *t);

void ab_trialer_free(struct ab_trialer *t);

/* ---- pool.c: trials in threads, for ab-gen's loop ----------------------- */

struct ab_trial_pool;

/* n threads, each with its own ab_trialer (slot i).  New or NULL. */
struct ab_trial_pool *ab_trial_pool_new(int n, const struct ab_trial_opts *o,
    struct ab_error *err);
/* Queue a trial; task referenced, cfg borrowed until it is handed
 * back. */
void ab_trial_pool_submit(struct ab_trial_pool *p, json_t *task,
    const struct ab_trial_cfg *cfg, int sample, void *udata);
/* Trials queued or running. */
int ab_trial_pool_pending(const struct ab_trial_pool *p);
/* A finished trial: returns its udata and sets *gen (new), or NULL when
 * none finished within wait_ms (< 0: wait until one does, or none is
 * pending). */
void *ab_trial_pool_next(struct ab_trial_pool *p, double wait_ms,
    json_t **gen);
/* Stop the threads (running trials are killed) and free the pool. */
void ab_trial_pool_free(struct ab_trial_pool *p);

/* ---- resume.c: re-running what a run did not finish -------------------- */

/* Should a resumed run (ab-gen --replay FILE --replay-fill) make this
 * attempt again?  gen (borrowed) is the attempt's gen member from an
 * earlier run, or NULL when it has none.  True when it is missing or its
 * error is a failure of the infrastructure, never the subject's: the
 * provider after retries (network, timeout, server, rate_limit, quota,
 * auth, http, api), the harness, sandbox or relay (harness, provider), an
 * agent program that did not start (spawn), the run's own --budget
 * (budget without a trial), an interruption (aborted), a replay miss. */
bool ab_gen_rerun(const json_t *gen);

#endif
