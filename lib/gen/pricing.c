/* pricing.c - model prices in USD per million tokens. */
#include <stdlib.h>
#include <string.h>

#include "gen.h"

json_t *
ab_pricing_load(const char *path, struct ab_error *err)
{
	json_error_t jerr;
	json_t *j, *models, *v;
	const char *k;

	j = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (j == NULL) {
		ab_error_set(err, "pricing", "%s:%d: %s", path, jerr.line,
		    jerr.text);
		return NULL;
	}
	models = json_object_get(j, "models");
	if (!json_is_object(models)) {
		json_decref(j);
		ab_error_set(err, "pricing", "%s: expected an object with "
		    "\"models\"", path);
		return NULL;
	}
	json_object_foreach(models, k, v) {
		if (!json_is_number(json_object_get(v, "in")) ||
		    !json_is_number(json_object_get(v, "out"))) {
			ab_error_set(err, "pricing", "%s: models.%s: expected "
			    "{\"in\": USD, \"out\": USD}", path, k);
			json_decref(j);
			return NULL;
		}
	}
	return j;
}

static bool
take(const json_t *v, double *in, double *out)
{
	if (v == NULL)
		return false;
	*in = json_number_value(json_object_get(v, "in"));
	*out = json_number_value(json_object_get(v, "out"));
	return true;
}

bool
ab_pricing_find(const json_t *pricing, const char *provider,
    const char *model, double *in, double *out)
{
	json_t *models = json_object_get(pricing, "models"), *v, *best = NULL;
	const char *k;
	size_t n, bestn = 0;
	char *pm;
	bool found;

	if (models == NULL || model == NULL)
		return false;
	pm = ab_xasprintf("%s/%s", provider, model);
	found = take(json_object_get(models, pm), in, out) ||
	    take(json_object_get(models, model), in, out);
	free(pm);
	if (found)
		return true;
	json_object_foreach(models, k, v) {
		n = strlen(k);
		if (n > 1 && k[n - 1] == '*' && n - 1 > bestn &&
		    strncmp(model, k, n - 1) == 0) {
			best = v;
			bestn = n - 1;
		}
	}
	return take(best, in, out);
}
