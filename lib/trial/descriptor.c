/*
 * descriptor.c - agents as data: the descriptors in share/ab/agents and
 * the configuration of a trial (see trial.h, ab-agent(5)).
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "trial.h"

static const char *const desc_fields[] = { "name", "description",
	"command", "version", "wire", "transcript", "env", "files",
	"ro_dirs", "install", "homepage", NULL };

static char **
strv_from(const json_t *a)
{
	char **v;
	size_t i;
	json_t *x;

	v = ab_xcalloc(json_array_size(a) + 1, sizeof *v);
	json_array_foreach(a, i, x)
		v[i] = ab_xstrdup(json_string_value(x));
	return v;
}

static void
strv_free(char **v)
{
	char **p;

	for (p = v; p != NULL && *p != NULL; p++)
		free(*p);
	free(v);
}

static bool
strv_ok(const json_t *a, bool nonempty)
{
	size_t i;
	json_t *x;

	if (!json_is_array(a) || (nonempty && json_array_size(a) == 0))
		return false;
	json_array_foreach(a, i, x)
		if (!json_is_string(x))
			return false;
	return true;
}

int
ab_agent_desc_load(struct ab_agent_desc *d, const char *name,
    struct ab_error *err)
{
	static const char *const wires[] = { "anthropic", "openai",
	    "openai-responses", "none", NULL };
	static const char *const transcripts[] = { "text",
	    "claude-stream-json", "codex-json", "ndjson", NULL };
	json_error_t je;
	const char *k, *w;
	json_t *v;
	char *slash;
	int i;

	memset(d, 0, sizeof *d);
	if (strchr(name, '/') != NULL || strstr(name, ".json") != NULL) {
		d->path = ab_xstrdup(name);
	} else {
		char *rel = ab_xasprintf("agents/%s.json", name);

		d->path = ab_share_path(rel);
		free(rel);
	}
	if ((d->json = json_load_file(d->path, JSON_REJECT_DUPLICATES,
	    &je)) == NULL) {
		ab_error_set(err, "config", "agent %s: %s:%d: %s", name,
		    d->path, je.line, je.text);
		goto fail;
	}
	d->dir = ab_xstrdup(d->path);
	if ((slash = strrchr(d->dir, '/')) != NULL) {
		*slash = '\0';
	} else {
		free(d->dir);
		d->dir = ab_xstrdup(".");
	}
	if (!json_is_object(d->json)) {
		ab_error_set(err, "config", "%s: expected an object", d->path);
		goto fail;
	}
	json_object_foreach(d->json, k, v) {
		for (i = 0; desc_fields[i] != NULL; i++)
			if (strcmp(k, desc_fields[i]) == 0)
				break;
		if (desc_fields[i] == NULL) {
			ab_error_set(err, "config", "%s: unknown member \"%s\"",
			    d->path, k);
			goto fail;
		}
	}
	d->name = ab_xstrdup(ab_get_str(d->json, "name") ?
	    ab_get_str(d->json, "name") : name);
	if (!strv_ok(json_object_get(d->json, "command"), true)) {
		ab_error_set(err, "config", "%s: command: expected a non-empty "
		    "array of strings", d->path);
		goto fail;
	}
	d->command = strv_from(json_object_get(d->json, "command"));
	if ((v = json_object_get(d->json, "version")) != NULL) {
		if (!strv_ok(v, true)) {
			ab_error_set(err, "config", "%s: version: expected a "
			    "non-empty array of strings", d->path);
			goto fail;
		}
		d->version = strv_from(v);
	}
	w = ab_get_str(d->json, "wire");
	for (i = 0; w != NULL && wires[i] != NULL; i++)
		if (strcmp(w, wires[i]) == 0)
			break;
	if (w == NULL || wires[i] == NULL) {
		ab_error_set(err, "config", "%s: wire: expected anthropic, "
		    "openai, openai-responses or none", d->path);
		goto fail;
	}
	d->wire = ab_xstrdup(w);
	w = ab_get_str(d->json, "transcript");
	for (i = 0; w != NULL && transcripts[i] != NULL; i++)
		if (strcmp(w, transcripts[i]) == 0)
			break;
	if (w != NULL && transcripts[i] == NULL) {
		ab_error_set(err, "config", "%s: transcript: expected text, "
		    "claude-stream-json, codex-json or ndjson", d->path);
		goto fail;
	}
	d->transcript = ab_xstrdup(w != NULL ? w : "text");
	d->env = json_object_get(d->json, "env");
	if (d->env != NULL) {
		json_object_foreach(d->env, k, v)
			if (!json_is_string(v) || *k == '\0' ||
			    strchr(k, '=') != NULL)
				break;
		if (!json_is_object(d->env) || k != NULL) {
			ab_error_set(err, "config", "%s: env: expected an "
			    "object of strings", d->path);
			goto fail;
		}
	}
	d->files = json_object_get(d->json, "files");
	if (d->files != NULL) {
		size_t n;

		if (!json_is_array(d->files)) {
			ab_error_set(err, "config", "%s: files: expected an "
			    "array", d->path);
			goto fail;
		}
		json_array_foreach(d->files, n, v) {
			const char *p = ab_get_str(v, "path");

			if (p == NULL || *p == '/' || strstr(p, "..") != NULL ||
			    (ab_get_str(v, "text") == NULL &&
			    ab_get_str(v, "from") == NULL)) {
				ab_error_set(err, "config", "%s: files[%zu]: "
				    "expected {\"path\": relative, \"text\" or "
				    "\"from\"}", d->path, n);
				goto fail;
			}
		}
	}
	if ((v = json_object_get(d->json, "ro_dirs")) != NULL) {
		size_t n;
		json_t *x;

		if (!strv_ok(v, false)) {
			ab_error_set(err, "config", "%s: ro_dirs: expected an "
			    "array of absolute paths", d->path);
			goto fail;
		}
		json_array_foreach(v, n, x)
			if (json_string_value(x)[0] != '/' ||
			    strstr(json_string_value(x), "..") != NULL) {
				ab_error_set(err, "config", "%s: ro_dirs: "
				    "expected absolute paths", d->path);
				goto fail;
			}
		d->ro_dirs = strv_from(v);
	}
	if (ab_get_str(d->json, "install") != NULL)
		d->install = ab_xstrdup(ab_get_str(d->json, "install"));
	return 0;
fail:
	ab_agent_desc_release(d);
	return -1;
}

void
ab_agent_desc_release(struct ab_agent_desc *d)
{
	free(d->name);
	free(d->path);
	free(d->dir);
	json_decref(d->json);
	strv_free(d->command);
	strv_free(d->version);
	free(d->wire);
	free(d->transcript);
	strv_free(d->ro_dirs);
	free(d->install);
	memset(d, 0, sizeof *d);
}

bool
ab_agent_desc_installed(const struct ab_agent_desc *d, struct ab_error *err)
{
	static const char *const path[] = { "/usr/local/bin", "/usr/bin",
	    "/bin", NULL };
	const char *prog = d->command[0];
	struct stat st;
	char buf[PATH_MAX];
	int i;

	if (strchr(prog, '{') != NULL)
		return true;	/* a file the descriptor places itself */
	if (prog[0] == '/') {
		if (stat(prog, &st) == 0 && S_ISREG(st.st_mode) &&
		    (st.st_mode & 0111))
			return true;
	} else {
		for (i = 0; path[i] != NULL; i++) {
			snprintf(buf, sizeof buf, "%s/%s", path[i], prog);
			if (stat(buf, &st) == 0 && S_ISREG(st.st_mode) &&
			    (st.st_mode & 0111))
				return true;
		}
	}
	ab_error_set(err, "config", "agent %s: the program %s is not "
	    "installed%s%s%s", d->name, prog, d->install ? " (install: " : "",
	    d->install ? d->install : "", d->install ? ")" : "");
	return false;
}

/* Limits from an agent_limits object; unknown members refused. */
static int
limits_from(struct ab_trial_limits *l, const json_t *o, const char *where,
    struct ab_error *err)
{
	static const char *const names[] = { "wall_ms", "memory_mb",
	    "processes", "disk_mb", "calls", "tokens", "cost_usd", NULL };
	const char *k;
	json_t *v;
	int i;

	l->cost_usd = -1;
	if (o == NULL)
		return 0;
	if (!json_is_object(o))
		return ab_error_set(err, "config", "%sagent_limits: expected "
		    "an object", where);
	json_object_foreach((json_t *)o, k, v) {
		double d = json_number_value(v);

		for (i = 0; names[i] != NULL; i++)
			if (strcmp(k, names[i]) == 0)
				break;
		if (names[i] == NULL || !json_is_number(v) || d < 0 ||
		    d > 1e12)
			return ab_error_set(err, "config", "%sagent_limits.%s: "
			    "%s", where, k, names[i] == NULL ?
			    "unknown limit" : "expected a number >= 0");
		switch (i) {
		case 0: l->wall_ms = (long)d; break;
		case 1: l->memory_mb = (long)d; break;
		case 2: l->processes = (long)d; break;
		case 3: l->disk_mb = (long)d; break;
		case 4: l->calls = (long)d; break;
		case 5: l->tokens = (long)d; break;
		default: l->cost_usd = d; break;
		}
	}
	return 0;
}

int
ab_trial_cfg_init(struct ab_trial_cfg *t, const json_t *j, const char *name,
    const json_t *pricing, struct ab_error *err)
{
	static const char *const own[] = { "name", "hash", "metadata",
	    "description", "template", "agent", "agent_limits", "env",
	    "model_provider", "provider", NULL };
	const char *prov, *k;
	json_t *up, *v;
	int i;

	memset(t, 0, sizeof *t);
	t->name = ab_xstrdup(name);
	if (ab_agent_desc_load(&t->desc, ab_get_str(j, "agent"), err) < 0)
		goto fail;
	if (limits_from(&t->limits, json_object_get(j, "agent_limits"), "",
	    err) < 0)
		goto fail;
	v = json_object_get(j, "env");
	if (v != NULL) {
		json_object_foreach(v, k, up)
			if (!json_is_string(up) || *k == '\0' ||
			    strchr(k, '=') != NULL)
				break;
		if (!json_is_object(v) || k != NULL) {
			ab_error_set(err, "config", "env: expected an object of "
			    "strings");
			goto fail;
		}
		t->env = json_deep_copy(v);
	}
	if (ab_get_str(j, "model") == NULL)
		return 0;	/* no model: no network */
	prov = ab_get_str(j, "model_provider");
	if (prov == NULL)
		prov = strcmp(t->desc.wire, "anthropic") == 0 ? "anthropic" :
		    "openai";
	if (strcmp(prov, "anthropic") != 0 && strcmp(prov, "openai") != 0) {
		ab_error_set(err, "config", "model_provider: expected "
		    "anthropic or openai");
		goto fail;
	}
	if (strcmp(t->desc.wire, "none") == 0) {
		ab_error_set(err, "config", "agent %s takes no model",
		    t->desc.name);
		goto fail;
	}
	if ((strcmp(prov, "anthropic") == 0) !=
	    (strcmp(t->desc.wire, "anthropic") == 0)) {
		ab_error_set(err, "config", "agent %s speaks %s, the model "
		    "provider is %s: the relay passes requests through, it "
		    "does not translate them", t->desc.name, t->desc.wire,
		    prov);
		goto fail;
	}
	/* The upstream: the configuration's provider fields. */
	up = json_object();
	json_object_foreach((json_t *)j, k, v) {
		for (i = 0; own[i] != NULL; i++)
			if (strcmp(k, own[i]) == 0)
				break;
		if (own[i] == NULL)
			json_object_set(up, k, v);
	}
	json_object_set_new(up, "provider", json_string(prov));
	t->upstream = ab_xcalloc(1, sizeof *t->upstream);
	if (ab_agent_parse(t->upstream, up, "", pricing, err) < 0) {
		json_decref(up);
		free(t->upstream);
		t->upstream = NULL;
		goto fail;
	}
	json_decref(up);
	t->upstream->name = ab_xstrdup("relay");
	/* One limiter for every trial's relay (each its own engine, in its
	 * own thread): the configuration's rpm and tpm hold for the
	 * process. */
	if (t->upstream->rpm > 0 || t->upstream->tpm > 0)
		t->upstream->rate = ab_rate_new(t->upstream);
	return 0;
fail:
	ab_trial_cfg_release(t);
	return -1;
}

void
ab_trial_cfg_release(struct ab_trial_cfg *t)
{
	free(t->name);
	ab_agent_desc_release(&t->desc);
	if (t->upstream != NULL) {
		ab_rate_free(t->upstream->rate);
		t->upstream->rate = NULL;
		ab_agent_release(t->upstream);
		free(t->upstream);
	}
	json_decref(t->env);
	free(t->version);
	memset(t, 0, sizeof *t);
}
