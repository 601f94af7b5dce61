/* completion.c - the program a completion-style task runs (MultiPL-E). */
#include <string.h>

#include "ab.h"

char *
ab_task_program(const json_t *task, const char *code)
{
	const json_t *c = json_object_get(task, "completion");
	const json_t *stops = json_object_get(c, "stop_tokens"), *s;
	const char *prompt = ab_get_str(c, "prompt");
	const char *suffix = ab_get_str(c, "suffix");
	struct ab_buf b = AB_BUF_INIT;
	size_t plen, cut, i;

	if (prompt == NULL || strncmp(code, prompt, strlen(prompt)) != 0)
		return ab_xstrdup(code);
	/* prompt + completion: the completion ends where the model would
	 * have been stopped, as MultiPL-E cuts it, and the suffix restores
	 * what the stop token took (the brace closing the function) on a
	 * line of its own, as MultiPL-E puts a newline between completion
	 * and tests: a completion ending in a line comment keeps its brace. */
	plen = strlen(prompt);
	cut = strlen(code + plen);
	json_array_foreach(stops, i, s) {
		const char *t = json_string_value(s), *at;

		if (t != NULL && *t != '\0' &&
		    (at = strstr(code + plen, t)) != NULL &&
		    (size_t)(at - (code + plen)) < cut)
			cut = (size_t)(at - (code + plen));
	}
	ab_buf_add(&b, code, plen + cut);
	if (suffix != NULL && *suffix != '\0') {
		ab_buf_adds(&b, "\n");
		ab_buf_adds(&b, suffix);
	}
	return ab_buf_detach(&b);
}
