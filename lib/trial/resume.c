/*
 * resume.c - which attempts a resumed run makes again (see trial.h).
 */
#include <string.h>

#include "trial.h"

bool
ab_gen_rerun(const json_t *gen)
{
	/* Failures of what surrounds the subject: its provider after
	 * retries, the harness, the sandbox, the relay, an agent program
	 * that could not start, the run's own budget, an interruption.
	 * The same kinds ab-rank counts as not run. */
	static const char *const infra[] = { "network", "timeout", "server",
	    "rate_limit", "quota", "auth", "http", "api", "spawn",
	    "replay_missing", "harness", "provider", "aborted", NULL };
	const json_t *e;
	const char *kind;
	size_t i;

	if (!json_is_object(gen))
		return true;
	e = json_object_get(gen, "error");
	if (e == NULL || json_is_null(e))
		return false;
	if ((kind = json_string_value(json_object_get(e, "kind"))) == NULL)
		return false;
	/* A trial stopped at its own budget is the agent's doing (it has a
	 * trial member); the run's --budget refused the attempt before it
	 * started. */
	if (strcmp(kind, "budget") == 0)
		return json_object_get(gen, "trial") == NULL ||
		    json_is_null(json_object_get(gen, "trial"));
	for (i = 0; infra[i] != NULL; i++)
		if (strcmp(kind, infra[i]) == 0)
			return true;
	return false;
}
