/* config.c - subject configurations: parsing, validation, secrets; the
 * subjects of a command line (-c, -m, --set). */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gen.h"

static const char *const provider_names[] = {
	[AB_PROV_OPENAI] = "openai",
	[AB_PROV_ANTHROPIC] = "anthropic",
	[AB_PROV_OLLAMA] = "ollama",
	[AB_PROV_CMD] = "cmd",
	[AB_PROV_REPLAY] = "replay",
	[AB_PROV_AGENT] = "agent",
};

/* Members an agent may have, wherever it is described. */
static const char *const agent_fields[] = { "provider", "model",
	"base_url", "api_key_env", "temperature", "max_tokens", "top_p",
	"seed", "stop", "headers", "stream", "stream_usage", "timeout_s",
	"retries", "backoff_s", "max_wait_s", "rpm", "tpm", "pricing",
	"command", "source", "replay_config", "system_prompt", "extra_body",
	"api_key_header", "agent", "agent_limits", "env", "model_provider",
	NULL };
static const char *const top_fields[] = { "name", "hash", "metadata",
	"description", "template", "ai_configuration", NULL };
static const char *const moa_fields[] = { "main_model", "main_temperature",
	"main_max_tokens", "cycles", "layer_agents", "layer_agent_config",
	NULL };
static const char *const layer_fields[] = { "name", "prompt", "model_name",
	NULL };

const char *
ab_provider_name(enum ab_provider p)
{
	return (unsigned)p < sizeof provider_names / sizeof *provider_names ?
	    provider_names[p] : "unknown";
}

static bool
in_list(const char *k, const char *const *list)
{
	for (; list != NULL && *list != NULL; list++)
		if (strcmp(k, *list) == 0)
			return true;
	return false;
}

/* Refuse secrets anywhere below v; where names the place. */
static int
find_secret(const json_t *v, const char *where, struct ab_error *err)
{
	const char *k;
	json_t *m;
	size_t i;

	if (json_is_object(v)) {
		json_object_foreach((json_t *)v, k, m) {
			if (ab_is_secret_key(k))
				return ab_error_set(err, "config", "%s%s%s: a "
				    "secret does not belong in a configuration "
				    "file; put it in an environment variable "
				    "and name that with api_key_env", where,
				    *where ? "." : "", k);
			if (find_secret(m, k, err) < 0)
				return -1;
		}
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, m)
			if (find_secret(m, where, err) < 0)
				return -1;
	}
	return 0;
}

static int
check_members(const json_t *o, const char *where, const char *const *a,
    const char *const *b, struct ab_error *err)
{
	const char *k;
	json_t *m;

	json_object_foreach((json_t *)o, k, m)
		if (!in_list(k, a) && !in_list(k, b))
			return ab_error_set(err, "config", "%sunknown member "
			    "\"%s\"", where, k);
	return 0;
}

/* Get a number member in [lo, hi] into *out (unchanged when absent). */
static int
get_num(const json_t *o, const char *k, double lo, double hi, double *out,
    const char *where, struct ab_error *err)
{
	json_t *v = json_object_get(o, k);

	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_number(v) || json_number_value(v) < lo ||
	    json_number_value(v) > hi)
		return ab_error_set(err, "config", "%s%s: expected a number "
		    "from %g to %g", where, k, lo, hi);
	*out = json_number_value(v);
	return 0;
}

static int
get_str(const json_t *o, const char *k, char **out, const char *where,
    struct ab_error *err)
{
	json_t *v = json_object_get(o, k);

	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return ab_error_set(err, "config", "%s%s: expected a string",
		    where, k);
	free(*out);
	*out = ab_xstrdup(json_string_value(v));
	return 0;
}

/* base (or def) with path appended unless it ends with it already; a
 * query string (Azure's ?api-version=) stays at the end. */
static char *
join_url(const char *base, const char *def, const char *path)
{
	const char *b = base != NULL ? base : def, *q = strchr(b, '?');
	size_t n = q != NULL ? (size_t)(q - b) : strlen(b);

	if (q == NULL)
		q = "";
	while (n > 0 && b[n - 1] == '/')
		n--;
	if (n >= strlen(path) && strncmp(b + n - strlen(path), path,
	    strlen(path)) == 0)
		return ab_xasprintf("%.*s%s", (int)n, b, q);
	return ab_xasprintf("%.*s%s%s", (int)n, b, path, q);
}

/*
 * Fill a from the merged description m (borrowed), where names it in
 * messages.  pricing may be NULL.
 */
int
ab_agent_parse(struct ab_agent *a, const json_t *m, const char *where,
    const json_t *pricing, struct ab_error *err)
{
	const char *prov, *k;
	char *base = NULL;
	json_t *v, *x;
	double d;
	size_t i;
	int p;

	prov = json_string_value(json_object_get(m, "provider"));
	if (json_object_get(m, "provider") != NULL && prov == NULL)
		return ab_error_set(err, "config", "%sprovider: expected a "
		    "string", where);
	if (prov == NULL)
		prov = json_object_get(m, "command") != NULL ? "cmd" :
		    "openai";
	for (p = 0; p <= AB_PROV_AGENT; p++)
		if (strcmp(prov, provider_names[p]) == 0)
			break;
	if (p > AB_PROV_AGENT)
		return ab_error_set(err, "config", "%sunknown provider \"%s\" "
		    "(expected openai, anthropic, ollama, cmd, replay or "
		    "agent)", where, prov);
	a->provider = (enum ab_provider)p;
	if (get_str(m, "api_key_header", &a->api_key_header, where, err) < 0)
		goto fail;
	if (a->api_key_header != NULL && (*a->api_key_header == '\0' ||
	    strpbrk(a->api_key_header, ": \r\n") != NULL)) {
		ab_error_set(err, "config", "%sapi_key_header: expected a "
		    "header name", where);
		goto fail;
	}
	if (get_str(m, "model", &a->model, where, err) < 0 ||
	    get_str(m, "api_key_env", &a->api_key_env, where, err) < 0 ||
	    get_str(m, "system_prompt", &a->system_prompt, where, err) < 0 ||
	    get_str(m, "base_url", &base, where, err) < 0)
		goto fail;
	if (a->provider != AB_PROV_CMD && a->provider != AB_PROV_REPLAY &&
	    a->provider != AB_PROV_AGENT &&
	    (a->model == NULL || *a->model == '\0')) {
		ab_error_set(err, "config", "%smissing model", where);
		goto fail;
	}

	a->params = json_object();
	d = -1;
	if (get_num(m, "temperature", 0, 2, &d, where, err) < 0)
		goto fail;
	if (d >= 0)
		json_object_set_new(a->params, "temperature", json_real(d));
	d = -1;
	if (get_num(m, "top_p", 0, 1, &d, where, err) < 0)
		goto fail;
	if (d >= 0)
		json_object_set_new(a->params, "top_p", json_real(d));
	d = -1;
	if (get_num(m, "max_tokens", 1, 1e7, &d, where, err) < 0)
		goto fail;
	if (d >= 0) {
		a->max_tokens = (long)d;
		json_object_set_new(a->params, "max_tokens",
		    json_integer(a->max_tokens));
	}
	if ((v = json_object_get(m, "seed")) != NULL && !json_is_null(v)) {
		if (!json_is_integer(v)) {
			ab_error_set(err, "config", "%sseed: expected an "
			    "integer", where);
			goto fail;
		}
		json_object_set(a->params, "seed", v);
	}
	if ((v = json_object_get(m, "stop")) != NULL && !json_is_null(v)) {
		if (json_is_string(v)) {
			json_object_set_new(a->params, "stop",
			    json_pack("[O]", v));
		} else if (json_is_array(v)) {
			json_array_foreach(v, i, x)
				if (!json_is_string(x))
					break;
			if (i < json_array_size(v)) {
				ab_error_set(err, "config", "%sstop: expected "
				    "a string or strings", where);
				goto fail;
			}
			json_object_set(a->params, "stop", v);
		} else {
			ab_error_set(err, "config", "%sstop: expected a "
			    "string or strings", where);
			goto fail;
		}
	}
	if ((v = json_object_get(m, "headers")) != NULL && !json_is_null(v)) {
		if (!json_is_object(v)) {
			ab_error_set(err, "config", "%sheaders: expected an "
			    "object", where);
			goto fail;
		}
		json_object_foreach(v, k, x) {
			if (!json_is_string(x) || strpbrk(k, ":\r\n") != NULL ||
			    strpbrk(json_string_value(x), "\r\n") != NULL) {
				ab_error_set(err, "config", "%sheaders.%s: "
				    "expected a one-line string", where, k);
				goto fail;
			}
		}
		a->headers = json_deep_copy(v);
	}
	if ((v = json_object_get(m, "extra_body")) != NULL &&
	    !json_is_null(v)) {
		if (!json_is_object(v)) {
			ab_error_set(err, "config", "%sextra_body: expected an "
			    "object", where);
			goto fail;
		}
		a->extra_body = json_deep_copy(v);
	}
	a->stream = true;
	a->stream_usage = true;
	if ((v = json_object_get(m, "stream")) != NULL && !json_is_null(v)) {
		if (!json_is_boolean(v)) {
			ab_error_set(err, "config", "%sstream: expected true "
			    "or false", where);
			goto fail;
		}
		a->stream = json_is_true(v);
	}
	if ((v = json_object_get(m, "stream_usage")) != NULL &&
	    !json_is_null(v)) {
		if (!json_is_boolean(v)) {
			ab_error_set(err, "config", "%sstream_usage: expected "
			    "true or false", where);
			goto fail;
		}
		a->stream_usage = json_is_true(v);
	}
	a->timeout_s = a->provider == AB_PROV_CMD ? 120 : 600;
	a->backoff_s = 0.5;
	a->max_wait_s = 120;
	d = 5;
	if (get_num(m, "timeout_s", 0.001, 86400, &a->timeout_s, where,
	    err) < 0 ||
	    get_num(m, "retries", 0, 100, &d, where, err) < 0 ||
	    get_num(m, "backoff_s", 0, 3600, &a->backoff_s, where, err) < 0 ||
	    get_num(m, "max_wait_s", 0, 86400, &a->max_wait_s, where,
	    err) < 0 ||
	    get_num(m, "rpm", 0, 1e9, &a->rpm, where, err) < 0 ||
	    get_num(m, "tpm", 0, 1e12, &a->tpm, where, err) < 0)
		goto fail;
	a->retries = (int)d;

	/* Prices: the configuration's own, else the pricing file; local
	 * models cost nothing. */
	if ((v = json_object_get(m, "pricing")) != NULL && !json_is_null(v)) {
		if (!json_is_object(v) ||
		    !json_is_number(json_object_get(v, "in")) ||
		    !json_is_number(json_object_get(v, "out"))) {
			ab_error_set(err, "config", "%spricing: expected "
			    "{\"in\": USD, \"out\": USD} per million tokens",
			    where);
			goto fail;
		}
		a->price_in = json_number_value(json_object_get(v, "in"));
		a->price_out = json_number_value(json_object_get(v, "out"));
		a->priced = true;
	} else if (a->provider == AB_PROV_OLLAMA) {
		a->priced = true;
	} else if (a->model != NULL && ab_pricing_find(pricing,
	    ab_provider_name(a->provider), a->model, &a->price_in,
	    &a->price_out)) {
		a->priced = true;
	}

	switch (a->provider) {
	case AB_PROV_OPENAI:
		if (base == NULL && a->api_key_env == NULL)
			a->api_key_env = ab_xstrdup("OPENAI_API_KEY");
		a->url = join_url(base, "https://api.openai.com/v1",
		    "/chat/completions");
		break;
	case AB_PROV_ANTHROPIC:
		if (a->api_key_env == NULL)
			a->api_key_env = ab_xstrdup("ANTHROPIC_API_KEY");
		a->url = join_url(base, "https://api.anthropic.com/v1",
		    "/messages");
		break;
	case AB_PROV_OLLAMA:
		a->url = join_url(base, "http://localhost:11434", "/api/chat");
		break;
	case AB_PROV_CMD:
		v = json_object_get(m, "command");
		if (!json_is_array(v) || json_array_size(v) == 0) {
			ab_error_set(err, "config", "%scommand: expected a "
			    "non-empty array of strings", where);
			goto fail;
		}
		a->command = ab_xcalloc(json_array_size(v) + 1,
		    sizeof *a->command);
		json_array_foreach(v, i, x) {
			if (!json_is_string(x)) {
				ab_error_set(err, "config", "%scommand: "
				    "expected a non-empty array of strings",
				    where);
				goto fail;
			}
			a->command[i] = ab_xstrdup(json_string_value(x));
		}
		a->stream = false;
		break;
	case AB_PROV_AGENT:
		/* The descriptor, the upstream model and its key: see
		 * ab_trial_cfg_init. */
		if (!json_is_string(json_object_get(m, "agent"))) {
			ab_error_set(err, "config", "%sagent: expected the "
			    "name of an agent descriptor", where);
			goto fail;
		}
		a->stream = false;
		free(base);
		return 0;
	case AB_PROV_REPLAY:
		if (get_str(m, "source", &a->source, where, err) < 0 ||
		    get_str(m, "replay_config", &a->replay_config, where,
		    err) < 0)
			goto fail;
		if (a->source == NULL) {
			ab_error_set(err, "config", "%sreplay needs a source "
			    "(records file or ab-store database)", where);
			goto fail;
		}
		if (access(a->source, R_OK) != 0) {
			ab_error_set(err, "config", "%ssource %s cannot be "
			    "read", where, a->source);
			goto fail;
		}
		break;
	}
	if (a->api_key_env != NULL && a->provider != AB_PROV_REPLAY) {
		const char *key = getenv(a->api_key_env);

		/* A missing key is not a parse error: a dry run calls
		 * nobody and must still estimate; ab_config_missing_key
		 * lets a real run refuse. */
		if (key != NULL && *key != '\0')
			a->api_key = ab_xstrdup(key);
	}
	free(base);
	return 0;
fail:
	free(base);
	return -1;
}

void
ab_agent_release(struct ab_agent *a)
{
	char **p;

	free(a->name);
	free(a->model);
	free(a->url);
	free(a->api_key_env);
	free(a->api_key_header);
	if (a->api_key != NULL) {
		explicit_bzero(a->api_key, strlen(a->api_key));
		free(a->api_key);
	}
	free(a->system_prompt);
	free(a->prompt);
	json_decref(a->params);
	json_decref(a->headers);
	json_decref(a->extra_body);
	for (p = a->command; p != NULL && *p != NULL; p++)
		free(*p);
	free(a->command);
	free(a->source);
	free(a->replay_config);
	memset(a, 0, sizeof *a);
}

void
ab_config_release(struct ab_config *c)
{
	int i;

	free(c->name);
	free(c->file);
	json_decref(c->json);
	ab_agent_release(&c->main);
	for (i = 0; i < c->nlayers; i++)
		ab_agent_release(&c->layers[i]);
	free(c->layers);
	free(c->template);
	memset(c, 0, sizeof *c);
}

/* Copy the agent fields of src into dst (later calls override). */
static void
merge_fields(json_t *dst, const json_t *src)
{
	const char *k;
	json_t *v;

	json_object_foreach((json_t *)src, k, v)
		if (in_list(k, agent_fields))
			json_object_set(dst, k, v);
}

/* The mixture of agents: main model and layer agents. */
static int
parse_moa(struct ab_config *c, const json_t *top, const json_t *ai,
    const json_t *pricing, struct ab_error *err)
{
	json_t *m, *layers, *v, *l;
	const char *k;
	char where[300];
	double cycles = 1;
	size_t i, n;
	int rc;

	if (!json_is_object(ai))
		return ab_error_set(err, "config", "ai_configuration: "
		    "expected an object");
	if (check_members(ai, "ai_configuration: ", agent_fields, moa_fields,
	    err) < 0)
		return -1;
	if (json_object_get(ai, "main_model") == NULL &&
	    json_object_get(ai, "model") == NULL)
		return ab_error_set(err, "config", "ai_configuration: missing "
		    "main_model");
	if (get_num(ai, "cycles", 1, 100, &cycles, "ai_configuration.", err)
	    < 0)
		return -1;
	c->cycles = (int)cycles;
	c->moa = true;

	m = json_object();
	merge_fields(m, top);
	merge_fields(m, ai);
	if ((v = json_object_get(ai, "main_model")) != NULL)
		json_object_set(m, "model", v);
	if ((v = json_object_get(ai, "main_temperature")) != NULL)
		json_object_set(m, "temperature", v);
	if ((v = json_object_get(ai, "main_max_tokens")) != NULL)
		json_object_set(m, "max_tokens", v);
	rc = ab_agent_parse(&c->main, m, "ai_configuration: main model: ",
	    pricing, err);
	json_decref(m);
	if (rc < 0)
		return -1;
	c->main.name = ab_xstrdup("main");

	/* Layer agents as an array, or as the object keyed by name. */
	layers = json_object_get(ai, "layer_agents");
	if (layers == NULL && (v = json_object_get(ai,
	    "layer_agent_config")) != NULL) {
		if (!json_is_object(v))
			return ab_error_set(err, "config", "ai_configuration."
			    "layer_agent_config: expected an object");
		layers = json_array();
		json_object_foreach(v, k, l) {
			json_t *x = json_is_object(l) ? json_deep_copy(l) :
			    json_object();

			json_object_set_new(x, "name", json_string(k));
			json_array_append_new(layers, x);
		}
	} else {
		json_incref(layers);
	}
	if (!json_is_array(layers) || json_array_size(layers) == 0) {
		json_decref(layers);
		return ab_error_set(err, "config", "ai_configuration: "
		    "layer_agents: expected a non-empty array");
	}
	n = json_array_size(layers);
	c->layers = ab_xcalloc(n, sizeof *c->layers);
	json_array_foreach(layers, i, l) {
		const char *nm = json_string_value(json_object_get(l, "name"));

		if (nm != NULL)
			snprintf(where, sizeof where, "layer agent %zu (%s): ",
			    i + 1, nm);
		else
			snprintf(where, sizeof where, "layer agent %zu: ",
			    i + 1);
		if (!json_is_object(l)) {
			json_decref(layers);
			return ab_error_set(err, "config", "%sexpected an "
			    "object", where);
		}
		if (check_members(l, where, agent_fields, layer_fields, err)
		    < 0) {
			json_decref(layers);
			return -1;
		}
		m = json_object();
		merge_fields(m, top);
		merge_fields(m, ai);
		json_object_del(m, "system_prompt");
		json_object_del(m, "model");
		merge_fields(m, l);
		if ((v = json_object_get(l, "model_name")) != NULL)
			json_object_set(m, "model", v);
		rc = ab_agent_parse(&c->layers[i], m, where, pricing, err);
		json_decref(m);
		c->nlayers = (int)i + 1;
		if (rc == 0 && (c->layers[i].provider == AB_PROV_CMD ||
		    c->layers[i].provider == AB_PROV_REPLAY ||
		    c->layers[i].provider == AB_PROV_AGENT))
			rc = ab_error_set(err, "config", "%sprovider %s cannot "
			    "be part of a mixture", where,
			    ab_provider_name(c->layers[i].provider));
		if (rc == 0 && get_str(l, "prompt", &c->layers[i].prompt,
		    where, err) < 0)
			rc = -1;
		if (rc < 0) {
			json_decref(layers);
			return -1;
		}
		if (c->layers[i].prompt == NULL &&
		    c->layers[i].system_prompt != NULL) {
			c->layers[i].prompt = c->layers[i].system_prompt;
			c->layers[i].system_prompt = NULL;
		}
		c->layers[i].name = nm != NULL ? ab_xstrdup(nm) :
		    ab_xasprintf("agent%zu", i + 1);
		for (n = 0; n < i; n++)
			if (strcmp(c->layers[n].name, c->layers[i].name) ==
			    0) {
				json_decref(layers);
				return ab_error_set(err, "config", "%sthe name "
				    "%s is used twice", where,
				    c->layers[i].name);
			}
	}
	json_decref(layers);
	if (c->main.provider == AB_PROV_CMD ||
	    c->main.provider == AB_PROV_REPLAY ||
	    c->main.provider == AB_PROV_AGENT)
		return ab_error_set(err, "config", "ai_configuration: provider "
		    "%s cannot be part of a mixture",
		    ab_provider_name(c->main.provider));
	return 0;
}

int
ab_config_parse(struct ab_config *c, const json_t *j, const char *name,
    const char *file, const json_t *pricing, struct ab_error *err)
{
	const char *nm;
	json_t *ai, *v;
	int rc;

	memset(c, 0, sizeof *c);
	c->file = ab_xstrdup(file != NULL ? file : "-");
	if (!json_is_object(j)) {
		ab_error_set(err, "config", "expected a JSON object");
		goto fail;
	}
	if ((v = json_object_get(j, "name")) != NULL && !json_is_string(v)) {
		ab_error_set(err, "config", "name: expected a string");
		goto fail;
	}
	nm = json_string_value(v);
	if (nm == NULL)
		nm = name;
	if (nm == NULL || *nm == '\0' || strpbrk(nm, "\n\r\t") != NULL) {
		ab_error_set(err, "config", "missing name");
		goto fail;
	}
	c->name = ab_xstrdup(nm);
	if (find_secret(j, "", err) < 0)
		goto fail;
	ai = json_object_get(j, "ai_configuration");
	if (check_members(j, "", agent_fields, top_fields, err) < 0)
		goto fail;
	if (get_str(j, "template", &c->template, "", err) < 0)
		goto fail;
	if (ai != NULL) {
		rc = parse_moa(c, j, ai, pricing, err);
	} else {
		c->cycles = 0;
		rc = ab_agent_parse(&c->main, j, "", pricing, err);
		if (rc == 0)
			c->main.name = ab_xstrdup("main");
	}
	if (rc < 0)
		goto fail;
	ab_config_hash(j, c->hash);
	c->json = json_deep_copy(j);
	json_object_del(c->json, "name");
	json_object_del(c->json, "hash");
	return 0;
fail:
	ab_config_release(c);
	return -1;
}

char *
ab_redact(char *s, const char *secret)
{
	static const char mark[] = "[redacted]";
	struct ab_buf b = AB_BUF_INIT;
	const char *p, *q;
	size_t n;

	if (s == NULL || secret == NULL || (n = strlen(secret)) < 4 ||
	    strstr(s, secret) == NULL)
		return s;
	for (p = s; (q = strstr(p, secret)) != NULL; p = q + n) {
		ab_buf_add(&b, p, (size_t)(q - p));
		ab_buf_adds(&b, mark);
	}
	ab_buf_adds(&b, p);
	explicit_bzero(s, strlen(s));
	free(s);
	return ab_buf_detach(&b);
}

const char *
ab_config_missing_key(const struct ab_config *c)
{
	int i;

	if (c->main.api_key_env != NULL && c->main.api_key == NULL &&
	    c->main.provider != AB_PROV_REPLAY &&
	    c->main.provider != AB_PROV_AGENT)
		return c->main.api_key_env;
	for (i = 0; i < c->nlayers; i++)
		if (c->layers[i].api_key_env != NULL &&
		    c->layers[i].api_key == NULL &&
		    c->layers[i].provider != AB_PROV_REPLAY)
			return c->layers[i].api_key_env;
	return NULL;
}

/* ---- subjects from the command line, and sweeps ---- */

/* $name when set and not empty, else NULL (borrowed from environ). */
static const char *
env_nonempty(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? v : NULL;
}

json_t *
ab_config_from_model(const char *spec, const char *base_url,
    const char *key_env, struct ab_error *err)
{
	const char *colon = strchr(spec, ':'), *model;
	char *prov, *url = NULL;
	json_t *j;
	int p;

	if (strpbrk(spec, "\n\r\t") != NULL) {
		ab_error_set(err, "usage", "a control character in the "
		    "argument");
		return NULL;
	}
	if (colon == NULL) {
		ab_error_set(err, "usage", "expected PROVIDER:MODEL, e.g. "
		    "openai:gpt-4o-mini");
		return NULL;
	}
	model = colon + 1;
	prov = ab_xasprintf("%.*s", (int)(colon - spec), spec);
	for (p = 0; p <= AB_PROV_AGENT; p++)
		if (strcmp(prov, provider_names[p]) == 0)
			break;
	if (p > AB_PROV_AGENT) {
		ab_error_set(err, "usage", "unknown provider \"%s\" (expected "
		    "openai, anthropic or ollama)", prov);
		free(prov);
		return NULL;
	}
	free(prov);
	if (p != AB_PROV_OPENAI && p != AB_PROV_ANTHROPIC &&
	    p != AB_PROV_OLLAMA) {
		ab_error_set(err, "usage", "provider %s needs a configuration "
		    "file (-c); -m takes openai, anthropic or ollama",
		    provider_names[p]);
		return NULL;
	}
	if (*model == '\0') {
		ab_error_set(err, "usage", "missing model after \"%s:\"",
		    provider_names[p]);
		return NULL;
	}
	if (base_url != NULL && *base_url == '\0') {
		ab_error_set(err, "usage", "--base-url: an empty URL");
		return NULL;
	}
	if (key_env != NULL && (*key_env == '\0' ||
	    strpbrk(key_env, "= \n\r\t") != NULL)) {
		ab_error_set(err, "usage", "--key-env: expected the name of "
		    "an environment variable");
		return NULL;
	}
	if (base_url == NULL) {
		switch (p) {
		case AB_PROV_OPENAI:
			base_url = env_nonempty("OPENAI_BASE_URL");
			break;
		case AB_PROV_ANTHROPIC:
			/* The Anthropic SDKs' variable is the host, without
			 * the /v1 that base_url has. */
			if ((base_url = env_nonempty("ANTHROPIC_BASE_URL")) !=
			    NULL) {
				size_t n = strlen(base_url);

				while (n > 0 && base_url[n - 1] == '/')
					n--;
				base_url = url = n >= 3 && strncmp(base_url +
				    n - 3, "/v1", 3) == 0 ?
				    ab_xasprintf("%.*s", (int)n, base_url) :
				    ab_xasprintf("%.*s/v1", (int)n, base_url);
			}
			break;
		default:
			/* OLLAMA_HOST is host[:port], or a URL. */
			if ((base_url = env_nonempty("OLLAMA_HOST")) != NULL &&
			    strstr(base_url, "://") == NULL)
				base_url = url = ab_xasprintf("http://%s%s",
				    base_url, strchr(base_url, ':') != NULL ?
				    "" : ":11434");
			break;
		}
	}
	/* Without a base URL the openai default is OPENAI_API_KEY already;
	 * with one (a local server, usually keyless) the key is sent only
	 * when asked for or when the variable is set. */
	if (key_env == NULL && p == AB_PROV_OPENAI && base_url != NULL &&
	    env_nonempty("OPENAI_API_KEY") != NULL)
		key_env = "OPENAI_API_KEY";
	j = json_pack("{s:s, s:s, s:s}", "name", spec, "provider",
	    provider_names[p], "model", model);
	if (j == NULL)
		abort();
	if (base_url != NULL)
		json_object_set_new(j, "base_url", json_string(base_url));
	if (key_env != NULL)
		json_object_set_new(j, "api_key_env", json_string(key_env));
	free(url);
	return j;
}

size_t
ab_sweep_size(const struct ab_sweep *s)
{
	size_t n = 1, i;

	for (i = 0; i < s->naxes; i++)
		n *= json_array_size(s->axes[i].vals);
	return n;
}

/* The end of the value starting at p: the next comma outside brackets,
 * braces and double quotes, or the end of the string. */
static const char *
value_end(const char *p)
{
	int depth = 0;
	bool q = false;

	for (; *p != '\0'; p++) {
		if (q) {
			if (*p == '\\' && p[1] != '\0')
				p++;
			else if (*p == '"')
				q = false;
		} else if (*p == '"') {
			q = true;
		} else if (*p == '[' || *p == '{') {
			depth++;
		} else if ((*p == ']' || *p == '}') && depth > 0) {
			depth--;
		} else if (*p == ',' && depth == 0) {
			break;
		}
	}
	return p;
}

int
ab_sweep_add(struct ab_sweep *s, const char *arg, struct ab_error *err)
{
	struct ab_sweep_axis a;
	const char *eq = strchr(arg, '='), *p, *e, *seg;
	json_t *v, *x;
	size_t i, n, k;
	char *t;

	memset(&a, 0, sizeof a);
	if (eq == NULL || eq == arg)
		return ab_error_set(err, "usage", "expected KEY=VALUE[,VALUE"
		    "...], e.g. temperature=0,0.7");
	a.key = ab_xasprintf("%.*s", (int)(eq - arg), arg);
	for (seg = a.key; ; seg = e + 1) {
		e = strchr(seg, '.');
		n = e != NULL ? (size_t)(e - seg) : strlen(seg);
		if (n == 0 || strpbrk(a.key, " \n\r\t") != NULL) {
			ab_error_set(err, "usage", "\"%s\" is not a member "
			    "name (a dotted path, e.g. "
			    "ai_configuration.main_temperature)", a.key);
			goto fail;
		}
		if (e == NULL)
			break;
	}
	n = strcspn(a.key, ".");
	if ((n == 4 && (strncmp(a.key, "name", 4) == 0 ||
	    strncmp(a.key, "hash", 4) == 0)) ||
	    (n == 8 && strncmp(a.key, "metadata", 8) == 0)) {
		ab_error_set(err, "usage", "%.*s cannot be swept: it does not "
		    "change what is benchmarked", (int)n, a.key);
		goto fail;
	}
	for (i = 0; i < s->naxes; i++)
		if (strcmp(s->axes[i].key, a.key) == 0) {
			ab_error_set(err, "usage", "%s is set twice", a.key);
			goto fail;
		}
	a.vals = json_array();
	a.texts = json_array();
	for (p = eq + 1; ; p = e + 1) {
		e = value_end(p);
		if (e == p) {
			ab_error_set(err, "usage", "%s: an empty value", a.key);
			goto fail;
		}
		t = ab_xasprintf("%.*s", (int)(e - p), p);
		v = json_loads(t, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES,
		    NULL);
		if (v == NULL)
			v = json_string(t);
		if (v == NULL) {
			ab_error_set(err, "usage", "%s: a value is not UTF-8",
			    a.key);
			free(t);
			goto fail;
		}
		/* 0 and 0.0 are one value to a server. */
		json_array_foreach(a.vals, k, x)
			if (json_equal(x, v) || (json_is_number(x) &&
			    json_is_number(v) && json_number_value(x) ==
			    json_number_value(v)))
				break;
		if (k < json_array_size(a.vals)) {
			ab_error_set(err, "usage", "%s: the value %s is given "
			    "twice", a.key, t);
			json_decref(v);
			free(t);
			goto fail;
		}
		json_array_append_new(a.vals, v);
		json_array_append_new(a.texts, json_string(t));
		free(t);
		if (*e == '\0')
			break;
	}
	n = ab_sweep_size(s);
	if (json_array_size(a.vals) > AB_SWEEP_MAX / n) {
		ab_error_set(err, "usage", "the grid would have %zu "
		    "configurations per configuration; at most %d",
		    n * json_array_size(a.vals), AB_SWEEP_MAX);
		goto fail;
	}
	a.arg = ab_xstrdup(arg);
	s->axes = ab_xrealloc(s->axes, (s->naxes + 1) * sizeof *s->axes);
	s->axes[s->naxes++] = a;
	return 0;
fail:
	free(a.key);
	json_decref(a.vals);
	json_decref(a.texts);
	return -1;
}

/* Does every agent of the mixture j set member k itself, so that a
 * top-level k reaches none of them? */
static bool
overridden(const json_t *j, const char *k)
{
	const json_t *ai = json_object_get(j, "ai_configuration"), *l, *x;
	const char *name;
	char main_k[64];
	size_t i;

	if (!json_is_object(ai) || !in_list(k, agent_fields))
		return false;
	if (json_object_get(ai, k) != NULL)
		return true;
	snprintf(main_k, sizeof main_k, "main_%s", k);
	if (json_object_get(ai, main_k) == NULL)
		return false;
	if (json_is_array(l = json_object_get(ai, "layer_agents"))) {
		json_array_foreach(l, i, x)
			if (json_object_get(x, k) == NULL)
				return false;
		return true;
	}
	if (json_is_object(l = json_object_get(ai, "layer_agent_config"))) {
		json_object_foreach((json_t *)l, name, x)
			if (json_object_get(x, k) == NULL)
				return false;
		return true;
	}
	return false;
}

int
ab_sweep_set(json_t *j, const char *key, const json_t *v,
    struct ab_error *err)
{
	json_t *cur = j, *next;
	const char *seg = key, *e;
	char *name, *end;
	unsigned long idx;

	if (strchr(key, '.') == NULL && overridden(j, key))
		return ab_error_set(err, "config", "%s: every agent of this "
		    "mixture sets its own; name one with a dotted key, e.g. "
		    "ai_configuration.main_%s", key, key);
	for (;;) {
		e = strchr(seg, '.');
		name = e != NULL ? ab_xasprintf("%.*s", (int)(e - seg), seg) :
		    ab_xstrdup(seg);
		if (json_is_array(cur)) {
			idx = strtoul(name, &end, 10);
			if (*name < '0' || *name > '9' || *end != '\0' ||
			    idx >= json_array_size(cur)) {
				ab_error_set(err, "config", "%s: no element "
				    "%s in this configuration", key, name);
				free(name);
				return -1;
			}
			if (e == NULL) {
				json_array_set_new(cur, idx,
				    json_deep_copy(v));
				free(name);
				return 0;
			}
			next = json_array_get(cur, idx);
		} else if (json_is_object(cur)) {
			if (e == NULL) {
				json_object_set_new(cur, name,
				    json_deep_copy(v));
				free(name);
				return 0;
			}
			next = json_object_get(cur, name);
		} else {
			next = NULL;
		}
		if (!json_is_object(next) && !json_is_array(next)) {
			ab_error_set(err, "config", "%s: there is no object "
			    "or array %.*s in this configuration", key,
			    (int)((e != NULL ? e : seg + strlen(seg)) - key),
			    key);
			free(name);
			return -1;
		}
		free(name);
		cur = next;
		seg = e + 1;
	}
}

json_t *
ab_sweep_apply(const struct ab_sweep *s, size_t i, const json_t *base,
    char **suffix, struct ab_error *err)
{
	struct ab_buf b = AB_BUF_INIT;
	json_t *j = json_deep_copy(base);
	size_t *pick = ab_xcalloc(s->naxes + 1, sizeof *pick), k, n;

	/* Mixed radix, the last axis the fastest. */
	for (k = s->naxes; k-- > 0; ) {
		n = json_array_size(s->axes[k].vals);
		pick[k] = i % n;
		i /= n;
	}
	ab_buf_adds(&b, "[");
	for (k = 0; k < s->naxes; k++) {
		if (ab_sweep_set(j, s->axes[k].key, json_array_get(
		    s->axes[k].vals, pick[k]), err) < 0) {
			json_decref(j);
			ab_buf_release(&b);
			free(pick);
			return NULL;
		}
		ab_buf_adds(&b, k > 0 ? "," : "");
		ab_buf_adds(&b, s->axes[k].key);
		ab_buf_adds(&b, "=");
		ab_buf_adds(&b, json_string_value(json_array_get(
		    s->axes[k].texts, pick[k])));
	}
	ab_buf_adds(&b, "]");
	free(pick);
	*suffix = ab_buf_detach(&b);
	return j;
}

void
ab_sweep_release(struct ab_sweep *s)
{
	size_t i;

	for (i = 0; i < s->naxes; i++) {
		free(s->axes[i].arg);
		free(s->axes[i].key);
		json_decref(s->axes[i].vals);
		json_decref(s->axes[i].texts);
	}
	free(s->axes);
	memset(s, 0, sizeof *s);
}

/* ---- the subjects of a command line ---- */

/* The configurations built so far. */
struct cfgs {
	const struct ab_subjects *s;
	const json_t *pricing;
	struct ab_config *v;
	int n;
};

/*
 * Add the configuration j (borrowed) from file, named name when it has no
 * name of its own (force: whatever it has), expanded into the --set grid:
 * one configuration per combination, named NAME[k=v,...].  0, or -1 with
 * err set on what it refuses.
 */
static int
add_one(struct cfgs *cs, const json_t *j, const char *name, bool force,
    const char *file, struct ab_error *err)
{
	const struct ab_sweep *sw = cs->s->sweep;
	const struct ab_sweep_axis *a;
	struct ab_config probe, *c;
	struct ab_error e;
	char *suffix = NULL, *nm;
	json_t *x, *v;
	size_t i, k, n = ab_sweep_size(sw);
	int first = cs->n, p, q, rc;

	/* Each value of each --set alone first, so that a refusal names the
	 * option and the reason a file would get. */
	for (k = 0; k < sw->naxes; k++) {
		a = &sw->axes[k];
		json_array_foreach(a->vals, i, v) {
			x = json_deep_copy(j);
			if (ab_sweep_set(x, a->key, v, &e) < 0 ||
			    ab_config_parse(&probe, x, name, file, cs->pricing,
			    &e) < 0) {
				json_decref(x);
				return ab_error_set(err, "usage", "--set %s: %s: "
				    "%s", a->arg, file, e.msg);
			}
			ab_config_release(&probe);
			json_decref(x);
		}
	}
	for (i = 0; i < n; i++) {
		if (sw->naxes == 0)
			x = json_incref((json_t *)j);
		else if ((x = ab_sweep_apply(sw, i, j, &suffix, &e)) == NULL)
			return ab_error_set(err, "usage", "--set: %s: %s", file,
			    e.msg);
		cs->v = ab_xrealloc(cs->v, (size_t)(cs->n + 1) * sizeof *cs->v);
		c = &cs->v[cs->n];
		rc = ab_config_parse(c, x, name, file, cs->pricing, &e);
		json_decref(x);
		if (rc < 0) {
			rc = ab_error_set(err, "config", "%s%s: %s", suffix !=
			    NULL ? "--set: " : "", file, e.msg);
			free(suffix);
			return rc;
		}
		if (force) {
			free(c->name);
			c->name = ab_xstrdup(name);
		}
		if (suffix != NULL) {
			nm = ab_xasprintf("%s%s", c->name, suffix);
			free(c->name);
			c->name = nm;
			free(suffix);
			suffix = NULL;
		}
		cs->n++;
	}
	/* A grid point the hash cannot tell from another would pool two
	 * subjects' results under one identity. */
	for (p = first; p < cs->n; p++)
		for (q = first; q < p; q++)
			if (strcmp(cs->v[p].hash, cs->v[q].hash) == 0)
				return ab_error_set(err, "usage", "--set: %s: %s "
				    "and %s have the same hash: a member that "
				    "does not change what is benchmarked cannot "
				    "be swept", file, cs->v[q].name,
				    cs->v[p].name);
	return 0;
}

static int
add_file(struct cfgs *cs, const char *path, const char *force_name,
    struct ab_error *err)
{
	json_error_t jerr;
	json_t *j, *one;
	size_t i, n;
	char *base, *dot, *name;
	int rc = 0;

	j = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (j == NULL)
		return ab_error_set(err, "config", "%s:%d: %s", path, jerr.line,
		    jerr.text);
	n = json_is_array(j) ? json_array_size(j) : 1;
	base = ab_xstrdup(strrchr(path, '/') ? strrchr(path, '/') + 1 : path);
	if ((dot = strrchr(base, '.')) != NULL && strcmp(dot, ".json") == 0)
		*dot = '\0';
	for (i = 0; i < n && rc == 0; i++) {
		one = json_is_array(j) ? json_array_get(j, i) : j;
		name = force_name != NULL && n == 1 ? ab_xstrdup(force_name) :
		    json_is_array(j) ? NULL : ab_xstrdup(base);
		rc = add_one(cs, one, name, force_name != NULL && n == 1, path,
		    err);
		free(name);
	}
	free(base);
	json_decref(j);
	return rc;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every *.json below dir, named by its path relative to top. */
static int
add_dir(struct cfgs *cs, const char *top, const char *rel,
    struct ab_error *err)
{
	char *dir = *rel ? ab_xasprintf("%s/%s", top, rel) : ab_xstrdup(top);
	char **names = NULL, *p, *r;
	struct dirent *d;
	struct stat st;
	size_t n = 0, i, len;
	DIR *dp;
	int rc = 0;

	if ((dp = opendir(dir)) == NULL) {
		rc = ab_error_set(err, "io", "%s: %s", dir, strerror(errno));
		free(dir);
		return rc;
	}
	while ((d = readdir(dp)) != NULL) {
		if (d->d_name[0] == '.')
			continue;
		names = ab_xrealloc(names, (n + 1) * sizeof *names);
		names[n++] = ab_xstrdup(d->d_name);
	}
	closedir(dp);
	if (n > 0)
		qsort(names, n, sizeof *names, cmp_str);
	for (i = 0; i < n; i++) {
		p = ab_xasprintf("%s/%s", dir, names[i]);
		r = *rel ? ab_xasprintf("%s/%s", rel, names[i]) :
		    ab_xstrdup(names[i]);
		len = strlen(r);
		if (rc < 0)
			;
		else if (stat(p, &st) == 0 && S_ISDIR(st.st_mode))
			rc = add_dir(cs, top, r, err);
		else if (len > 5 && strcmp(r + len - 5, ".json") == 0) {
			r[len - 5] = '\0';
			rc = add_file(cs, p, r, err);
		}
		free(p);
		free(r);
		free(names[i]);
	}
	free(names);
	free(dir);
	return rc;
}

int
ab_subjects_load(const struct ab_subjects *s, const json_t *pricing,
    struct ab_config **cfgs, int *ncfg, struct ab_error *err)
{
	struct cfgs cs = { .s = s, .pricing = pricing };
	struct ab_error e;
	struct stat st;
	json_t *j;
	char *file;
	int i, rc = 0;

	for (i = 0; i < s->ncfg_args && rc == 0; i++) {
		if (stat(s->cfg_args[i], &st) < 0)
			rc = ab_error_set(err, "io", "%s: %s", s->cfg_args[i],
			    strerror(errno));
		else if (S_ISDIR(st.st_mode))
			rc = add_dir(&cs, s->cfg_args[i], "", err);
		else
			rc = add_file(&cs, s->cfg_args[i], NULL, err);
	}
	for (i = 0; i < s->nmodels && rc == 0; i++) {
		if ((j = ab_config_from_model(s->models[i], s->base_url,
		    s->key_env, &e)) == NULL) {
			rc = ab_error_set(err, "usage", "-m %s: %s",
			    s->models[i], e.msg);
			break;
		}
		if (s->name != NULL)
			json_object_set_new(j, "name", json_string(s->name));
		file = ab_xasprintf("-m %s", s->models[i]);
		rc = add_one(&cs, j, NULL, false, file, err);
		free(file);
		json_decref(j);
	}
	if (rc < 0) {
		for (i = 0; i < cs.n; i++)
			ab_config_release(&cs.v[i]);
		free(cs.v);
		return -1;
	}
	*cfgs = cs.v;
	*ncfg = cs.n;
	return 0;
}

int
ab_subjects_check(const struct ab_subjects *s, struct ab_error *err)
{
	int n = s->ncfg_args + s->nmodels;

	if (s->nmodels == 0 && (s->base_url != NULL || s->key_env != NULL ||
	    s->name != NULL))
		return ab_error_set(err, "usage", "%s applies to -m, and there "
		    "is none", s->base_url != NULL ? "--base-url" :
		    s->key_env != NULL ? "--key-env" : "--name");
	if (s->name != NULL && s->nmodels > 1)
		return ab_error_set(err, "usage", "--name names one -m "
		    "configuration; there are %d", s->nmodels);
	if (s->sweep != NULL && s->sweep->naxes > 0 && n == 0)
		return ab_error_set(err, "usage", "--set needs a configuration "
		    "(-c or -m)");
	return 0;
}
