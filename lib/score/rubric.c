/*
 * rubric.c - rubric files (ab-rubric(5)): loading, validation, weight
 * overrides, grades.  Everything a dimension computes at scoring time is
 * checked here, so a bad rubric is refused before any record is read.
 */
#include <math.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "ab.h"
#include "score.h"

static const struct {
	const char *name;
	enum ab_dim_kind kind;
} kinds[] = {
	{ "pass_rate", AB_DIM_PASS_RATE },
	{ "idiom", AB_DIM_IDIOM },
	{ "practices", AB_DIM_PRACTICES },
	{ "quality", AB_DIM_QUALITY },
	{ "ratio", AB_DIM_RATIO },
	{ "reliability", AB_DIM_RELIABILITY },
};

/* Parameters each kind accepts: name and type ('n' number, 'o' object,
 * 'a' array, 's' string, 'x' number or string). */
static const struct param {
	enum ab_dim_kind kind;
	const char *name;
	char type;
} params[] = {
	{ AB_DIM_PASS_RATE, "all", 'n' },
	{ AB_DIM_PASS_RATE, "partial_scale", 'n' },
	{ AB_DIM_PASS_RATE, "partial_max", 'n' },
	{ AB_DIM_PASS_RATE, "none", 'n' },
	{ AB_DIM_PASS_RATE, "no_compile", 'n' },
	{ AB_DIM_PASS_RATE, "weighted", 'b' },
	{ AB_DIM_IDIOM, "base", 'n' },
	{ AB_DIM_IDIOM, "max", 'n' },
	{ AB_DIM_IDIOM, "min", 'n' },
	{ AB_DIM_IDIOM, "patterns", 'o' },
	{ AB_DIM_PRACTICES, "base", 'n' },
	{ AB_DIM_PRACTICES, "max", 'n' },
	{ AB_DIM_PRACTICES, "min", 'n' },
	{ AB_DIM_PRACTICES, "comments", 'n' },
	{ AB_DIM_PRACTICES, "min_comment_lines", 'n' },
	{ AB_DIM_PRACTICES, "docs", 'n' },
	{ AB_DIM_PRACTICES, "single_char_names", 'n' },
	{ AB_DIM_PRACTICES, "max_single_char_names", 'n' },
	{ AB_DIM_PRACTICES, "allowed_names", 'a' },
	{ AB_DIM_PRACTICES, "magic_numbers", 'n' },
	{ AB_DIM_PRACTICES, "allowed_numbers", 'a' },
	{ AB_DIM_QUALITY, "base", 'n' },
	{ AB_DIM_QUALITY, "severity", 'o' },
	{ AB_DIM_QUALITY, "max_lint_penalty", 'n' },
	{ AB_DIM_QUALITY, "max_complexity", 'n' },
	{ AB_DIM_QUALITY, "complexity_penalty", 'n' },
	{ AB_DIM_QUALITY, "max_function_lines", 'n' },
	{ AB_DIM_QUALITY, "length_penalty", 'n' },
	{ AB_DIM_QUALITY, "max_structure_penalty", 'n' },
	{ AB_DIM_QUALITY, "max_line_length", 'n' },
	{ AB_DIM_QUALITY, "line_penalty", 'n' },
	{ AB_DIM_QUALITY, "max_style_penalty", 'n' },
	{ AB_DIM_QUALITY, "no_compile", 'n' },
	{ AB_DIM_QUALITY, "builtin", 'o' },
	{ AB_DIM_RATIO, "measure", 's' },
	{ AB_DIM_RATIO, "against", 's' },
	{ AB_DIM_RATIO, "expected", 'o' },
	{ AB_DIM_RATIO, "baseline", 'n' },
	{ AB_DIM_RATIO, "budget", 'n' },
	{ AB_DIM_RATIO, "bands", 'a' },
	{ AB_DIM_RATIO, "above", 'n' },
	{ AB_DIM_RATIO, "missing", 'n' },
	{ AB_DIM_RATIO, "no_run", 'n' },
	{ AB_DIM_RELIABILITY, "base", 'n' },
	{ AB_DIM_RELIABILITY, "no_compile", 'n' },
	{ AB_DIM_RELIABILITY, "call_error_penalty", 'n' },
};

static const char *const measures[] = { "exec.max_test_ms", "exec.cpu_ms",
    "exec.wall_ms", "exec.peak_kb", "gen.latency_ms", "gen.tokens",
    "gen.cost_usd", NULL };
static const char *const againsts[] = { "difficulty", "reference",
    "baseline", "budget", "memory_limit", NULL };

static bool
in_list(const char *s, const char *const *l)
{
	for (; *l != NULL; l++)
		if (strcmp(s, *l) == 0)
			return true;
	return false;
}

static int
check_regex(const char *origin, const char *where, const char *re,
    struct ab_error *err)
{
	regex_t rx;
	int rc = regcomp(&rx, re, REG_EXTENDED | REG_NEWLINE);
	char msg[128];

	if (rc != 0) {
		regerror(rc, &rx, msg, sizeof msg);
		return ab_error_set(err, "rubric", "%s: %s: bad regex \"%s\": %s",
		    origin, where, re, msg);
	}
	regfree(&rx);
	return 0;
}

/* A table {language: [{"regex", ...}]} with the number member `num`
 * ("points") or the string member "severity". */
static int
check_table(const char *origin, const char *dim, const char *pname,
    const json_t *t, bool points, struct ab_error *err)
{
	const char *lang, *re, *view;
	json_t *list, *p;
	size_t i;
	char where[256];

	json_object_foreach((json_t *)t, lang, list) {
		if (ab_lang_from_name(lang) == AB_LANG_UNKNOWN)
			return ab_error_set(err, "rubric", "%s: dimension %s: "
			    "%s: unknown language \"%s\"", origin, dim, pname,
			    lang);
		if (!json_is_array(list))
			return ab_error_set(err, "rubric", "%s: dimension %s: "
			    "%s.%s is not an array", origin, dim, pname, lang);
		json_array_foreach(list, i, p) {
			snprintf(where, sizeof where, "dimension %s: %s.%s[%zu]",
			    dim, pname, lang, i);
			re = ab_get_str(p, "regex");
			if (!json_is_object(p) || re == NULL ||
			    ab_get_str(p, points ? "name" : "message") == NULL)
				return ab_error_set(err, "rubric", "%s: %s: needs "
				    "\"regex\" and \"%s\" strings", origin, where,
				    points ? "name" : "message");
			if (points && !json_is_number(json_object_get(p,
			    "points")))
				return ab_error_set(err, "rubric", "%s: %s: "
				    "\"points\" is not a number", origin, where);
			if (!points) {
				const char *sev = ab_get_str(p, "severity");

				if (sev == NULL || !(strcmp(sev, "error") == 0 ||
				    strcmp(sev, "warning") == 0 ||
				    strcmp(sev, "style") == 0))
					return ab_error_set(err, "rubric", "%s: "
					    "%s: \"severity\" must be error, "
					    "warning or style", origin, where);
			}
			view = ab_get_str(p, "view");
			if (json_object_get(p, "view") != NULL && (view == NULL ||
			    !(strcmp(view, "code") == 0 ||
			    strcmp(view, "nocomment") == 0 ||
			    strcmp(view, "text") == 0)))
				return ab_error_set(err, "rubric", "%s: %s: "
				    "\"view\" must be code, nocomment or text",
				    origin, where);
			if (check_regex(origin, where, re, err) < 0)
				return -1;
		}
	}
	return 0;
}

static int
check_numbers(const char *origin, const char *dim, const char *pname,
    const json_t *a, bool strings, struct ab_error *err)
{
	size_t i;
	json_t *v;

	json_array_foreach(a, i, v)
		if (strings ? !json_is_string(v) : !json_is_number(v))
			return ab_error_set(err, "rubric", "%s: dimension %s: "
			    "%s[%zu] is not a %s", origin, dim, pname, i,
			    strings ? "string" : "number");
	return 0;
}

static int
check_params(const char *origin, const struct ab_dim *d, struct ab_error *err)
{
	const char *key, *s;
	json_t *v, *b;
	size_t i, k;
	double prev = -INFINITY;
	bool ok;

	json_object_foreach(d->params, key, v) {
		for (k = 0; k < sizeof params / sizeof params[0]; k++)
			if (params[k].kind == d->kind &&
			    strcmp(params[k].name, key) == 0)
				break;
		if (k == sizeof params / sizeof params[0])
			return ab_error_set(err, "rubric", "%s: dimension %s: "
			    "unknown parameter \"%s\"", origin, d->name, key);
		switch (params[k].type) {
		case 'n': ok = json_is_number(v); break;
		case 'o': ok = json_is_object(v); break;
		case 'a': ok = json_is_array(v); break;
		case 's': ok = json_is_string(v); break;
		case 'b': ok = json_is_boolean(v); break;
		default: ok = false; break;
		}
		if (!ok)
			return ab_error_set(err, "rubric", "%s: dimension %s: "
			    "parameter \"%s\" has the wrong type", origin,
			    d->name, key);
	}
	switch (d->kind) {
	case AB_DIM_IDIOM:
		if ((v = json_object_get(d->params, "patterns")) != NULL &&
		    check_table(origin, d->name, "patterns", v, true, err) < 0)
			return -1;
		break;
	case AB_DIM_QUALITY:
		if ((v = json_object_get(d->params, "builtin")) != NULL &&
		    check_table(origin, d->name, "builtin", v, false, err) < 0)
			return -1;
		if ((v = json_object_get(d->params, "severity")) != NULL)
			json_object_foreach(v, key, b)
				if (!json_is_number(b) || !(strcmp(key,
				    "error") == 0 || strcmp(key, "warning") ==
				    0 || strcmp(key, "style") == 0))
					return ab_error_set(err, "rubric", "%s: "
					    "dimension %s: severity.%s: must be "
					    "a number for error, warning or "
					    "style", origin, d->name, key);
		break;
	case AB_DIM_PRACTICES:
		if ((v = json_object_get(d->params, "allowed_names")) != NULL &&
		    check_numbers(origin, d->name, "allowed_names", v, true,
		    err) < 0)
			return -1;
		if ((v = json_object_get(d->params, "allowed_numbers")) != NULL &&
		    check_numbers(origin, d->name, "allowed_numbers", v, false,
		    err) < 0)
			return -1;
		break;
	case AB_DIM_RATIO:
		s = ab_get_str(d->params, "measure");
		if (s == NULL || !in_list(s, measures))
			return ab_error_set(err, "rubric", "%s: dimension %s: "
			    "\"measure\" must be one of exec.max_test_ms, "
			    "exec.cpu_ms, exec.wall_ms, exec.peak_kb, "
			    "gen.latency_ms, gen.tokens, gen.cost_usd",
			    origin, d->name);
		s = ab_get_str(d->params, "against");
		if (s == NULL || !in_list(s, againsts))
			return ab_error_set(err, "rubric", "%s: dimension %s: "
			    "\"against\" must be one of difficulty, reference, "
			    "baseline, budget, memory_limit", origin, d->name);
		if (strcmp(s, "difficulty") == 0) {
			static const char *const diffs[] = { "easy", "medium",
			    "hard", "extreme" };

			v = json_object_get(d->params, "expected");
			for (k = 0; k < 4; k++) {
				b = json_object_get(v, diffs[k]);
				if (!json_is_number(b) ||
				    json_number_value(b) <= 0)
					return ab_error_set(err, "rubric", "%s: "
					    "dimension %s: \"expected\" needs a "
					    "positive number for %s", origin,
					    d->name, diffs[k]);
			}
		}
		if (strcmp(s, "baseline") == 0 || strcmp(s, "budget") == 0) {
			b = json_object_get(d->params, s);
			if (!json_is_number(b) || json_number_value(b) <= 0)
				return ab_error_set(err, "rubric", "%s: "
				    "dimension %s: \"%s\" must be a "
				    "positive number", origin, d->name, s);
		}
		v = json_object_get(d->params, "bands");
		if (json_array_size(v) == 0)
			return ab_error_set(err, "rubric", "%s: dimension %s: "
			    "\"bands\" must be a non-empty array", origin,
			    d->name);
		json_array_foreach(v, i, b) {
			json_t *m = json_object_get(b, "max");
			json_t *val = json_object_get(b, "value");

			if (!json_is_number(m) || !json_is_number(val) ||
			    json_number_value(m) <= prev)
				return ab_error_set(err, "rubric", "%s: dimension "
				    "%s: bands[%zu] needs numbers \"max\" "
				    "(increasing) and \"value\"", origin,
				    d->name, i);
			prev = json_number_value(m);
		}
		if (!json_is_number(json_object_get(d->params, "above")))
			return ab_error_set(err, "rubric", "%s: dimension %s: "
			    "\"above\" (the value beyond the last band) is "
			    "missing", origin, d->name);
		break;
	default:
		break;
	}
	return 0;
}

void
ab_rubric_free(struct ab_rubric *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->ndims; i++) {
		free(r->dims[i].name);
		json_decref(r->dims[i].params);
	}
	free(r->dims);
	for (i = 0; i < r->ngrades; i++)
		free(r->grades[i].grade);
	free(r->grades);
	free(r->name);
	free(r->origin);
	json_decref(r->json);
	free(r);
}

struct ab_rubric *
ab_rubric_from_json(const json_t *j, const char *origin, struct ab_error *err)
{
	struct ab_rubric *r;
	json_t *dims, *d, *g, *v;
	const char *name, *kind, *key;
	size_t i, k;
	double sum = 0, prev = INFINITY;

	if (!json_is_object(j)) {
		ab_error_set(err, "rubric", "%s: not a JSON object", origin);
		return NULL;
	}
	r = ab_xcalloc(1, sizeof *r);
	r->origin = ab_xstrdup(origin);
	r->json = json_incref((json_t *)j);
	json_object_foreach((json_t *)j, key, v) {
		static const char *const top[] = { "name", "description",
		    "version", "dimensions", "grades", "success", NULL };

		if (!in_list(key, top)) {
			ab_error_set(err, "rubric", "%s: unknown member \"%s\"",
			    origin, key);
			goto fail;
		}
	}
	name = ab_get_str(j, "name");
	if (name == NULL || *name == '\0') {
		ab_error_set(err, "rubric", "%s: \"name\" must be a non-empty "
		    "string", origin);
		goto fail;
	}
	r->name = ab_xstrdup(name);
	dims = json_object_get(j, "dimensions");
	if (!json_is_array(dims) || json_array_size(dims) == 0) {
		ab_error_set(err, "rubric", "%s: \"dimensions\" must be a "
		    "non-empty array", origin);
		goto fail;
	}
	r->dims = ab_xcalloc(json_array_size(dims), sizeof *r->dims);
	json_array_foreach(dims, i, d) {
		struct ab_dim *dim = &r->dims[r->ndims];

		name = ab_get_str(d, "name");
		if (!json_is_object(d) || name == NULL || *name == '\0') {
			ab_error_set(err, "rubric", "%s: dimensions[%zu]: needs "
			    "a non-empty \"name\"", origin, i);
			goto fail;
		}
		for (k = 0; k < r->ndims; k++)
			if (strcmp(r->dims[k].name, name) == 0) {
				ab_error_set(err, "rubric", "%s: dimension %s "
				    "appears twice", origin, name);
				goto fail;
			}
		if (strchr(name, '=') != NULL || strchr(name, ',') != NULL) {
			ab_error_set(err, "rubric", "%s: dimension name \"%s\" "
			    "contains '=' or ','", origin, name);
			goto fail;
		}
		dim->name = ab_xstrdup(name);
		r->ndims++;
		json_object_foreach(d, key, v) {
			static const char *const mem[] = { "name", "kind",
			    "weight", "params", "description", NULL };

			if (!in_list(key, mem)) {
				ab_error_set(err, "rubric", "%s: dimension %s: "
				    "unknown member \"%s\"", origin, name, key);
				goto fail;
			}
		}
		kind = ab_get_str(d, "kind");
		for (k = 0; kind != NULL && k < sizeof kinds / sizeof kinds[0];
		    k++)
			if (strcmp(kinds[k].name, kind) == 0)
				break;
		if (kind == NULL || k == sizeof kinds / sizeof kinds[0]) {
			ab_error_set(err, "rubric", "%s: dimension %s: \"kind\" "
			    "must be one of pass_rate, idiom, practices, "
			    "quality, ratio, reliability", origin, name);
			goto fail;
		}
		dim->kind = kinds[k].kind;
		v = json_object_get(d, "weight");
		if (!json_is_number(v) || json_number_value(v) < 0) {
			ab_error_set(err, "rubric", "%s: dimension %s: \"weight\" "
			    "must be a number at least 0", origin, name);
			goto fail;
		}
		dim->weight = json_number_value(v);
		sum += dim->weight;
		v = json_object_get(d, "params");
		if (v != NULL && !json_is_object(v)) {
			ab_error_set(err, "rubric", "%s: dimension %s: "
			    "\"params\" must be an object", origin, name);
			goto fail;
		}
		dim->params = v != NULL ? json_incref(v) : json_object();
		if (check_params(origin, dim, err) < 0)
			goto fail;
	}
	if (fabs(sum - 1.0) > 1e-6) {
		ab_error_set(err, "rubric", "%s: the weights sum to %g, not 1",
		    origin, sum);
		goto fail;
	}
	g = json_object_get(j, "grades");
	if (!json_is_array(g) || json_array_size(g) == 0) {
		ab_error_set(err, "rubric", "%s: \"grades\" must be a non-empty "
		    "array", origin);
		goto fail;
	}
	r->grades = ab_xcalloc(json_array_size(g), sizeof *r->grades);
	json_array_foreach(g, i, d) {
		name = ab_get_str(d, "grade");
		v = json_object_get(d, "min");
		if (name == NULL || !json_is_number(v) ||
		    json_number_value(v) >= prev) {
			ab_error_set(err, "rubric", "%s: grades[%zu]: needs "
			    "\"grade\" and \"min\", with min decreasing", origin,
			    i);
			goto fail;
		}
		prev = json_number_value(v);
		r->grades[r->ngrades].grade = ab_xstrdup(name);
		r->grades[r->ngrades++].min = prev;
	}
	v = json_object_get(j, "success");
	if (!json_is_number(v)) {
		ab_error_set(err, "rubric", "%s: \"success\" (the total at "
		    "which an attempt succeeds) must be a number", origin);
		goto fail;
	}
	r->success = json_number_value(v);
	return r;
fail:
	ab_rubric_free(r);
	return NULL;
}

struct ab_rubric *
ab_rubric_load(const char *arg, struct ab_error *err)
{
	json_t *j;
	json_error_t je;
	struct ab_rubric *r;
	char *path;
	size_t n = strlen(arg);

	if (strchr(arg, '/') != NULL || (n > 5 && strcmp(arg + n - 5,
	    ".json") == 0)) {
		path = ab_xstrdup(arg);
	} else {
		for (size_t i = 0; i < n; i++)
			if (!(arg[i] == '-' || arg[i] == '_' || arg[i] == '.' ||
			    (arg[i] >= 'a' && arg[i] <= 'z') ||
			    (arg[i] >= 'A' && arg[i] <= 'Z') ||
			    (arg[i] >= '0' && arg[i] <= '9'))) {
				ab_error_set(err, "rubric", "bad rubric name "
				    "\"%s\"", arg);
				return NULL;
			}
		path = ab_xasprintf("%s/rubrics/%s.json", ab_share_dir(), arg);
	}
	j = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (j == NULL) {
		if (je.line < 0 || strstr(je.text, "unable to open") != NULL)
			ab_error_set(err, "rubric", "%s: %s", path, je.text);
		else
			ab_error_set(err, "rubric", "%s:%d: %s", path, je.line,
			    je.text);
		free(path);
		return NULL;
	}
	r = ab_rubric_from_json(j, path, err);
	json_decref(j);
	free(path);
	return r;
}

int
ab_rubric_set_weights(struct ab_rubric *r, const char *spec,
    struct ab_error *err)
{
	double *w = ab_xcalloc(r->ndims, sizeof *w), sum = 0, x;
	char *copy = ab_xstrdup(spec), *item, *save = NULL, *eq;
	size_t i;
	int rc = -1;

	for (i = 0; i < r->ndims; i++)
		w[i] = r->dims[i].weight;
	for (item = strtok_r(copy, ",", &save); item != NULL;
	    item = strtok_r(NULL, ",", &save)) {
		eq = strchr(item, '=');
		if (eq == NULL) {
			ab_error_set(err, "usage", "-w: \"%s\" is not "
			    "dimension=weight", item);
			goto out;
		}
		*eq = '\0';
		for (i = 0; i < r->ndims; i++)
			if (strcmp(r->dims[i].name, item) == 0)
				break;
		if (i == r->ndims) {
			ab_error_set(err, "usage", "-w: unknown dimension \"%s\" "
			    "in rubric %s", item, r->name);
			goto out;
		}
		if (ab_parse_double(eq + 1, 0, 1e9, &x, err) < 0) {
			char m[sizeof err->msg];

			snprintf(m, sizeof m, "%s", err->msg);
			ab_error_set(err, "usage", "-w: %s: %s", item, m);
			goto out;
		}
		w[i] = x;
	}
	for (i = 0; i < r->ndims; i++)
		sum += w[i];
	if (!(sum > 0)) {
		ab_error_set(err, "usage", "-w: the weights sum to 0");
		goto out;
	}
	for (i = 0; i < r->ndims; i++)
		r->dims[i].weight = w[i] / sum;
	rc = 0;
out:
	free(w);
	free(copy);
	return rc;
}

const char *
ab_rubric_grade(const struct ab_rubric *r, double total)
{
	size_t i;

	for (i = 0; i < r->ngrades; i++)
		if (total >= r->grades[i].min)
			return r->grades[i].grade;
	return r->ngrades > 0 ? r->grades[r->ngrades - 1].grade : "";
}
