/*
 * gen.h - talking to subjects: configurations, prompt templates, the wire
 * formats of the model APIs, server-sent events, the call engine (libcurl
 * multi for HTTP, subprocesses for agent programs), the answer cache, the
 * spending ledger and prices.  Used by ab-gen.
 *
 * Library code: nothing here prints or exits; failures fill a struct
 * ab_error.  Ownership follows ab.h: "new", "borrowed", "stolen".
 * Secrets (API keys) live only in struct ab_agent.api_key and in the
 * header list of a transfer; no function here writes them anywhere, and
 * ab_redact() scrubs them from text that came back from a server.
 */
#ifndef AB_GEN_H
#define AB_GEN_H

#include "ab.h"

struct curl_slist;
struct ab_rate;

/* ---- config.c: subject configurations ---------------------------------- */

enum ab_provider {
	AB_PROV_OPENAI,		/* OpenAI-compatible chat completions */
	AB_PROV_ANTHROPIC,	/* Anthropic Messages */
	AB_PROV_OLLAMA,		/* Ollama /api/chat */
	AB_PROV_CMD,		/* an agent program run as a subprocess */
	AB_PROV_REPLAY,		/* answers from an earlier run's records */
	AB_PROV_AGENT,		/* an agent CLI in the sandbox on a workspace
				   task (see trial.h) */
};

/* The provider's name ("openai", ...); static. */
const char *ab_provider_name(enum ab_provider p);

/* One callable subject: a model endpoint or an agent program.  Every
 * string is owned by the agent. */
struct ab_agent {
	char *name;		/* "main" or the layer agent's name */
	enum ab_provider provider;
	char *model;		/* NULL for cmd and replay without one */
	char *url;		/* full endpoint URL (HTTP providers) */
	char *api_key_env;	/* name of the variable holding the key */
	char *api_key;		/* SECRET, from the environment; or NULL */
	char *api_key_header;	/* send the key in this header, as it is */
	char *system_prompt;	/* may contain {helper_response}; or NULL */
	char *prompt;		/* layer agents: their system prompt */
	json_t *params;		/* request parameters: temperature, max_tokens,
				   top_p, seed, stop (new object) */
	json_t *headers;	/* extra headers {"Name": "value"} or NULL */
	json_t *extra_body;	/* merged into every request body, or NULL */
	bool stream;		/* stream the answer (default true) */
	bool stream_usage;	/* openai: ask for usage in the stream */
	double timeout_s;	/* per attempt (HTTP) or per run (cmd) */
	int retries;		/* extra attempts after the first */
	double backoff_s;	/* first backoff delay */
	double max_wait_s;	/* cap on the total backoff wait per call */
	double rpm, tpm;	/* rate limits per minute; 0 none */
	bool priced;		/* price_in/price_out known */
	double price_in, price_out;	/* USD per million tokens */
	long max_tokens;	/* for estimates (0: unknown) */
	char **command;		/* cmd: argv template, NULL-terminated */
	char *source;		/* replay: NDJSON file or ab-store database */
	char *replay_config;	/* replay: config name of the old records */
	struct ab_rate *rate;	/* rate limiter state: made by the first
				   engine that needs it (and freed with
				   it), or set beforehand by the owner of
				   the agent (ab_rate_new) to be shared */
};

/* A subject configuration: one agent, or a mixture of agents. */
struct ab_config {
	char *name;		/* as used in record ids */
	char *file;		/* where it came from */
	char hash[65];		/* ab_config_hash of the configuration */
	json_t *json;		/* the configuration without secrets (new) */
	struct ab_agent main;	/* the single agent, or the main model */
	struct ab_agent *layers;	/* mixture: layer agents */
	int nlayers;
	int cycles;		/* mixture: number of cycles (>= 1) */
	bool moa;		/* an ai_configuration */
	char *template;		/* prompt template path from the config */
};

/*
 * Parse and validate a configuration object j (borrowed).  name: the
 * name when the object has none.  Resolves the API key from the
 * environment (left NULL when unset: see ab_config_missing_key) and
 * prices from pricing (borrowed, may be NULL).  Returns 0,
 * or -1 with err set ("config" kind) naming the reason; c is then
 * released.
 */
int ab_config_parse(struct ab_config *c, const json_t *j, const char *name,
    const char *file, const json_t *pricing, struct ab_error *err);
void ab_config_release(struct ab_config *c);
/* The name of a key variable (api_key_env) of c's agents that is not set
 * in the environment, or NULL when every key is there (borrowed from c).
 * ab_config_parse accepts a configuration whose key is missing so that a
 * dry run can still estimate; a real run must refuse it. */
const char *ab_config_missing_key(const struct ab_config *c);

/* Parse one agent's members (provider, model, base_url, api_key_env,
 * parameters, limits, prices) from m (borrowed) into a (zeroed by the
 * caller); where prefixes messages.  Resolves the key.  0, or -1 with err
 * set.  Release with ab_agent_release. */
int ab_agent_parse(struct ab_agent *a, const json_t *m, const char *where,
    const json_t *pricing, struct ab_error *err);
void ab_agent_release(struct ab_agent *a);

/* ---- config.c: subjects from the command line, and sweeps --------------- */

/*
 * The configuration that "-m PROVIDER:MODEL" names, as a file would give
 * it: {"name": spec, "provider", "model"} plus "base_url" and
 * "api_key_env" when known.  provider is openai, anthropic or ollama;
 * the model is everything after the first colon.  base_url (borrowed,
 * NULL: the provider's variable, OPENAI_BASE_URL, ANTHROPIC_BASE_URL
 * with /v1 added as its SDKs do, or OLLAMA_HOST with http:// and port
 * 11434 added when it lacks them; else none) and key_env (borrowed,
 * NULL: OPENAI_API_KEY for openai when a base URL is given and that
 * variable is set, else none, which leaves ab_agent_parse's default).
 * New object, or NULL with err set ("usage" kind).
 */
json_t *ab_config_from_model(const char *spec, const char *base_url,
    const char *key_env, struct ab_error *err);

/* The most configurations one base configuration may expand into. */
#define AB_SWEEP_MAX 256

/* One "--set KEY=V1,V2,..." option. */
struct ab_sweep_axis {
	char *arg;		/* the option's argument, as given (owned) */
	char *key;		/* the member: dotted path (owned) */
	json_t *vals;		/* the values, each parsed as JSON when it
				   parses, else a string (new array) */
	json_t *texts;		/* the values as given (new array of
				   strings), for names */
};

/* A parameter grid: the cross product of its axes.  Zero it to start. */
struct ab_sweep {
	struct ab_sweep_axis *axes;	/* owned */
	size_t naxes;
};

/*
 * Add the axis "KEY=V1,V2,..." (arg borrowed).  Values are split at
 * commas outside brackets, braces and quotes.  Refuses (-1, err set,
 * "usage" kind) a missing key or "=", an empty key segment, an empty
 * value, a value given twice, a key set twice, name, hash and metadata
 * (they do not change what is benchmarked), and a grid larger than
 * AB_SWEEP_MAX.  Unknown members are refused when the result is parsed
 * (ab_config_parse), with the same message a file gets.
 */
int ab_sweep_add(struct ab_sweep *s, const char *arg, struct ab_error *err);
/* The number of configurations a base configuration expands into (1 for
 * an empty grid). */
size_t ab_sweep_size(const struct ab_sweep *s);
/*
 * Set key (a dotted path: objects by member name, arrays by index) to v
 * (borrowed) in the configuration j (changed).  Containers on the path
 * must exist; the last member may be new.  A top-level agent member that
 * every agent of a mixture sets for itself is refused (it would change
 * nothing).  0, or -1 with err set.
 */
int ab_sweep_set(json_t *j, const char *key, const json_t *v,
    struct ab_error *err);
/* Combination i (0 <= i < ab_sweep_size; the last axis varies fastest)
 * applied to a copy of base (borrowed): new object, and *suffix (new)
 * "[k1=v1,k2=v2]" as given; or NULL with err set. */
json_t *ab_sweep_apply(const struct ab_sweep *s, size_t i,
    const json_t *base, char **suffix, struct ab_error *err);
void ab_sweep_release(struct ab_sweep *s);

/* The subjects a command line names: -c files and directories, -m
 * models, each expanded by the --set grid. */
struct ab_subjects {
	const char **cfg_args;	/* -c, in order (array owned by the caller,
				   strings borrowed) */
	int ncfg_args;
	const char **models;	/* -m "PROVIDER:MODEL", likewise */
	int nmodels;
	const char *base_url;	/* --base-url for -m, or NULL (borrowed) */
	const char *key_env;	/* --key-env for -m, or NULL (borrowed) */
	const char *name;	/* --name for the one -m, or NULL (borrowed) */
	const struct ab_sweep *sweep;	/* --set grid (borrowed, not NULL) */
};

/* Refuse options that cannot go together: --base-url, --key-env or --name
 * without -m, --name with several -m, --set without a configuration.  0,
 * or -1 with err set ("usage" kind). */
int ab_subjects_check(const struct ab_subjects *s, struct ab_error *err);
/*
 * Every configuration of s, in the order given (-c first; a directory's
 * *.json files below it, sorted, each named by its path relative to the
 * directory; a file holding an array gives one configuration per
 * element), each expanded by the grid into one configuration per
 * combination named NAME[k=v,...], with prices from pricing (borrowed,
 * may be NULL).  Fills *cfgs (new array, each element released with
 * ab_config_release) and *ncfg; or returns -1 with err set naming the
 * file or option at fault (nothing is then left to free).
 */
int ab_subjects_load(const struct ab_subjects *s, const json_t *pricing,
    struct ab_config **cfgs, int *ncfg, struct ab_error *err);

/* Replace every occurrence of a secret in s (in place) with "[redacted]";
 * returns the new string (s may be reallocated: new on change). */
char *ab_redact(char *s, const char *secret);

/* ---- moa.c: mixture of agents ------------------------------------------- */

/*
 * An attempt of a configuration runs in phases.  A single agent (not moa)
 * has one phase: the main call.  A mixture has cycles 1..c->cycles, each
 * one call to every layer agent at once, and then the main call; each
 * phase after the first sees the previous cycle's layer answers as its
 * helper text (ab_moa_helper), put in place of {helper_response} in its
 * prompt (ab_moa_with_helper; appended when the prompt lacks it).  The
 * main call's default system prompt asks it to synthesise the answers.
 * A failed main call fails the attempt with its error; a failed layer
 * call fails it with ab_moa_layer_error.
 */
struct ab_moa_call {
	const struct ab_agent *agent;	/* borrowed from the configuration */
	int cycle;		/* 0: the main call, else the layer cycle */
	int layer;		/* index in c->layers, -1 for the main call */
	json_t *messages;	/* new: the chat messages to send */
};
/* The calls of the phase at cycle (a cycle past c->cycles, or any cycle
 * when c is not a mixture, is the main call) for a task's prompt, with
 * helper (borrowed, NULL: none): fills out (room for c->nlayers calls,
 * at least one) and returns their number. */
int ab_moa_phase(const struct ab_config *c, int cycle, const char *helper,
    const char *prompt, struct ab_moa_call *out);
/* The helper text of a finished cycle: each layer's answer (answers has
 * c->nlayers entries, NULL as empty) under "### NAME".  New. */
char *ab_moa_helper(const struct ab_config *c, char *const *answers);
/* s (borrowed) with {helper_response} replaced by h; new string.  When s
 * lacks it, h is appended. */
char *ab_moa_with_helper(const char *s, const char *h);
/* The attempt's error for the failed call of layer agent `agent` in
 * cycle: {"kind", "message"}, new. */
json_t *ab_moa_layer_error(const char *agent, int cycle, const json_t *error);

/* ---- pricing.c ---------------------------------------------------------- */

/* Load a pricing file {"models": {"name": {"in": usd, "out": usd}}} (USD
 * per million tokens).  New reference or NULL with err set. */
json_t *ab_pricing_load(const char *path, struct ab_error *err);
/* Look a model up: "provider/model", then "model", then the longest key
 * that is a prefix of the model ending in '*'.  true when found. */
bool ab_pricing_find(const json_t *pricing, const char *provider,
    const char *model, double *in, double *out);

/* ---- template.c: prompt templates --------------------------------------- */

/*
 * A tiny template language: {{name}} inserts a variable; {{#name}} ...
 * {{/name}} renders its body once when the variable is a non-empty string,
 * true or a non-zero number, and once per element of a non-empty array
 * (inside, {{.}} is the element and an object element's members are
 * variables); {{^name}} ... {{/name}} renders when it is empty or absent;
 * {{! comment }}.  A line holding only a section tag disappears.  No
 * escaping: prompts are plain text.
 */
struct ab_tmpl;

/* Parse text (borrowed).  New template, or NULL with err set (unbalanced
 * sections, unterminated tags, unknown variables when known is given:
 * a NULL-terminated list of allowed names). */
struct ab_tmpl *ab_tmpl_parse(const char *text, size_t len,
    const char *const *known, struct ab_error *err);
/* Render with the variables of ctx (an object, borrowed), appending to
 * out. */
void ab_tmpl_render(const struct ab_tmpl *t, const json_t *ctx,
    struct ab_buf *out);
void ab_tmpl_free(struct ab_tmpl *t);

/* The variables a task offers to templates (NULL-terminated, static). */
extern const char *const ab_task_vars[];
/* The template variables of a task (borrowed): id, language, prompt,
 * description, signature, starter_code, entry_point, difficulty, category,
 * hints (array), tests (the visible tests as text), examples (array of
 * {"text"}), constraints (text).  Hidden tests are never included.  New
 * object. */
json_t *ab_task_context(const json_t *task);

/* ---- sse.c: server-sent events and NDJSON streams ----------------------- */

/* Called per event: its type ("message" when none was given) and its data
 * (the data lines joined by "\n").  Return 0 to go on, -1 to stop. */
typedef int (*ab_sse_fn)(const char *event, const char *data, size_t len,
    void *ctx);

struct ab_sse {
	struct ab_buf line, data, event;
	bool have_data, skip_lf, stopped;
	size_t max;		/* cap on one event's size; 0: 16 MiB */
	bool overflow;
};

void ab_sse_init(struct ab_sse *s);
/* Feed n bytes; calls fn for every complete event.  Returns 0, or -1 when
 * fn stopped or an event exceeded the cap (s->overflow). */
int ab_sse_feed(struct ab_sse *s, const char *p, size_t n, ab_sse_fn fn,
    void *ctx);
void ab_sse_release(struct ab_sse *s);

/* Splits a stream into lines (NDJSON streams); fn gets each line without
 * its end of line; blank lines are skipped. */
typedef int (*ab_line_fn)(const char *line, size_t len, void *ctx);
int ab_lines_feed(struct ab_buf *pending, const char *p, size_t n,
    ab_line_fn fn, void *ctx);

/* ---- wire.c: request bodies and replies of the three APIs ---------------- */

/* What a call got back, filled by the reply parsers. */
struct ab_reply {
	struct ab_buf text;	/* the answer */
	long tokens_in, tokens_out;	/* -1 when the API did not say */
	char *model;		/* the model the API reported (new) or NULL */
	bool done;		/* the stream ended properly */
	bool got_text;		/* first text has arrived (for ttft) */
	struct ab_error err;	/* kind set on an error in the reply */
	struct ab_buf pending;	/* partial NDJSON line */
};

void ab_reply_init(struct ab_reply *r);
void ab_reply_release(struct ab_reply *r);

/* The request body for messages (an array of {"role", "content"},
 * borrowed); the "system" message is moved where the API wants it.  New
 * object. */
json_t *ab_wire_request(const struct ab_agent *a, const json_t *messages,
    bool stream);
/* Parse a complete non-streamed body.  0, or -1 with r->err set. */
int ab_wire_parse(const struct ab_agent *a, const char *body, size_t len,
    struct ab_reply *r);
/* Feed streamed bytes (SSE for openai and anthropic, NDJSON for ollama).
 * Returns 0, or -1 with r->err set when the stream reports an error or is
 * malformed. */
int ab_wire_feed(const struct ab_agent *a, struct ab_sse *sse,
    const char *p, size_t n, struct ab_reply *r);

/* Make s valid UTF-8 for JSON: invalid bytes become U+FFFD, NUL bytes
 * are dropped.  Works on b in place. */
void ab_utf8_fix(struct ab_buf *b);

/* Rough token estimate for text: one per four bytes, at least one for
 * non-empty text. */
long ab_estimate_tokens(const char *s, size_t len);

/* ---- engine.c: running calls ------------------------------------------ */

struct ab_engine;

/* One call: a request to a model, or one run of an agent program. */
struct ab_call {
	/* Set by the caller before ab_engine_submit. */
	const struct ab_agent *agent;	/* borrowed until the call is done */
	json_t *messages;	/* HTTP: the messages (owned by the call) */
	char *stdin_text;	/* cmd: given on stdin (owned) */
	char **argv;		/* cmd: the command, expanded (owned) */
	char **env;		/* cmd: extra "NAME=value" entries (owned) */
	void *udata;		/* the caller's */
	long est_in;		/* estimated input tokens (rate limits) */
	/* Raw mode (the agent relay): raw_body is sent as it is, to raw_url
	 * (or the agent's URL), with the agent's key and raw_headers; the
	 * reply is not parsed.  A 2xx body goes to tap as it arrives
	 * (streamed or not); another status leaves its body in raw_reply.
	 * Retries, backoff and rate limits as for other calls, but never
	 * once tap got a byte (the client has it). */
	char *raw_body;		/* owned; non-NULL selects raw mode */
	char *raw_url;		/* owned; NULL: agent->url */
	bool raw_stream;	/* the request asked for a stream */
	char **raw_headers;	/* owned; NULL or "Name: value" lines */
	int (*tap)(struct ab_call *c, const char *p, size_t n, void *ctx);
				/* return -1 to abort the transfer */
	void *tap_ctx;
	bool tapped;		/* tap got some bytes */
	char content_type[128];	/* raw mode: of the last reply */
	struct ab_buf raw_reply;	/* raw mode: a non-2xx body */

	/* Results, valid once ab_engine_next returned the call. */
	struct ab_reply reply;	/* text, tokens, model */
	double latency_ms;	/* start of the first attempt to the end */
	double ttft_ms;		/* to the first text; < 0 unknown */
	int attempts;
	double waited_ms;	/* spent in backoff */
	json_t *error;		/* null or {"kind", "message"} (new) */
	long http_status;	/* of the last attempt, 0 none */
	int exit_status;	/* cmd: exit status, or 128+signal; -1 none */
	struct ab_buf err_text;	/* cmd: stderr, truncated */
	bool err_truncated;

	/* The engine's. */
	struct ab_call *next;
	int state;
	double t_start, t_attempt, wake_at, deadline;
	double t_wire;		/* HTTP: when libcurl, holding a connection,
				   began writing the last attempt's request;
				   0 before */
	void *easy;
	struct curl_slist *hdrs;
	char *body;
	struct ab_sse sse;
	struct ab_buf raw;
	char retry_after[64];
	int pid, fd_in, fd_out, fd_err;
	size_t in_off;
	bool out_eof, err_eof, exited, killed;
	const char *kill_reason;
};

struct ab_engine_opts {
	int parallel;		/* calls at once (-j) */
	size_t max_output;	/* cap on an answer (cmd stdout, HTTP body) */
	size_t max_stderr;	/* cmd: stderr kept */
	/* Asked before a call's first attempt starts: return 0 to start
	 * it, or -1 after setting c->error (new) to finish it unstarted
	 * (a spent budget, say).  May be NULL. */
	int (*admit)(struct ab_call *c, void *ctx);
	void *admit_ctx;
	/* Frees a call's udata when the engine frees a call it still
	 * holds (ab_engine_free); may be NULL. */
	void (*udata_free)(void *udata);
};

/* New engine or NULL with err set. */
struct ab_engine *ab_engine_new(const struct ab_engine_opts *o,
    struct ab_error *err);
/* Queue a call (stolen until ab_engine_next hands it back). */
void ab_engine_submit(struct ab_engine *e, struct ab_call *c);
/* Number of calls submitted and not yet finished: queued, waiting for a
 * retry or running.  A finished call that ab_engine_next has not yet
 * handed back is not counted (so 0 does not mean nothing is left to
 * collect: ab_engine_next may still return calls). */
int ab_engine_pending(const struct ab_engine *e);
/* Run until a call is done or wait_ms passes (< 0: until a call is done
 * or nothing is pending; 0: one pass over the transfers without waiting).
 * Returns a finished call (the caller's again) or NULL. */
struct ab_call *ab_engine_next(struct ab_engine *e, double wait_ms);
/* Start the queued calls that may start and move the transfers on once,
 * without waiting and without handing a call back (ab_engine_next does):
 * a request submitted now is written at once, not after the finished
 * calls were collected. */
void ab_engine_kick(struct ab_engine *e);
/* Counters for the progress line. */
void ab_engine_stats(const struct ab_engine *e, long *retries,
    long *running);
/* Kill every running agent program and its descendants, abort
 * transfers, free the engine.  Calls not handed back are freed. */
void ab_engine_free(struct ab_engine *e);

/* A rate limiter for agent a's rpm and tpm (borrowed for the call) that
 * several engines, in several threads, share: set a->rate to it before
 * any engine sees a, and free it with ab_rate_free once every engine
 * using a is freed.  The relays of concurrent agent trials share one, so
 * that a configuration's limits hold for the process, as for other
 * calls.  New limiter. */
struct ab_rate *ab_rate_new(const struct ab_agent *a);
void ab_rate_free(struct ab_rate *r);

/* A new call for agent a (borrowed). */
struct ab_call *ab_call_new(const struct ab_agent *a);
void ab_call_free(struct ab_call *c);

/* Kill leftover descendants: processes re-parented to this one (it is a
 * child subreaper once an engine ran a program) that are not running
 * calls.  Returns how many were signalled. */
int ab_reap_orphans(struct ab_engine *e);

/* ---- cache.c: the answer cache and the spending ledger ------------------- */

/* The cache key of a call: provider, URL, model, request parameters,
 * messages and sample index.  out: 64 hex digits. */
void ab_cache_key(const struct ab_agent *a, const json_t *messages,
    int sample, char out[65]);
/* The answer cache: an SQLite database DIR/gen.sqlite (WAL, so that
 * many processes can share it), table answers(key, entry, created). */
struct ab_cache;

/* Open (creating DIR and the database when needed).  New cache, or NULL
 * with err set. */
struct ab_cache *ab_cache_open(const char *dir, struct ab_error *err);
/* Look key up: a new object {"text", "tokens": {"in", "out"},
 * "estimated", "model", "latency_ms", "ttft_ms"} or NULL. */
json_t *ab_cache_get(struct ab_cache *c, const char *key);
/* Store entry (borrowed).  Entries are written in transactions of up to
 * 256 entries or 100 ms; ab_cache_flush commits the open one (call it
 * before waiting: an open transaction keeps other processes from
 * writing).  0 or -1 with err set. */
int ab_cache_put(struct ab_cache *c, const char *key, const json_t *entry,
    struct ab_error *err);
/* Commit what ab_cache_put wrote.  Returns 0 (also when nothing was
 * pending, or c is NULL), or -1 with err set when the commit failed (what
 * was written stays pending: ab_cache_dirty is then still true). */
int ab_cache_flush(struct ab_cache *c, struct ab_error *err);
/* True when entries wait to be committed. */
bool ab_cache_dirty(const struct ab_cache *c);
/* Commit and close. */
void ab_cache_close(struct ab_cache *c);

/* The spending ledger of a run shared by every process using the same
 * cache directory: DIR/budget/RUN, a number of USD, updated under an
 * exclusive lock.  Add usd (negative to release a reservation) and return
 * the new total in *total (usd 0 just reads).  0 or -1 with err set. */
int ab_ledger_add(const char *dir, const char *run, double usd,
    double *total, struct ab_error *err);

#endif
