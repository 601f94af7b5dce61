/*
 * moa.c - what a mixture of agents does with a configuration's cycles and
 * layers: the calls of each phase and their messages, how the layer
 * answers of one cycle become the next phase's helper text, and how a
 * failed layer call reads in the attempt's error.
 */
#include <stdlib.h>
#include <string.h>

#include "gen.h"

static const char default_main_prompt[] =
	"You have been provided with a set of responses from various models "
	"to the latest user query. Synthesise them into a single, "
	"high-quality answer. Evaluate the information critically: some of "
	"it may be wrong. Do not simply copy one response.\n\n"
	"Responses from models:\n{helper_response}";

char *
ab_moa_with_helper(const char *s, const char *h)
{
	static const char mark[] = "{helper_response}";
	struct ab_buf b = AB_BUF_INIT;
	const char *p, *q;
	bool found = false;

	for (p = s; (q = strstr(p, mark)) != NULL; p = q + sizeof mark - 1) {
		ab_buf_add(&b, p, (size_t)(q - p));
		ab_buf_adds(&b, h);
		found = true;
	}
	ab_buf_adds(&b, p);
	if (!found && *h != '\0') {
		ab_buf_adds(&b, "\n\n");
		ab_buf_adds(&b, h);
	}
	return ab_buf_detach(&b);
}

/* The messages of a call: the system prompt when there is one, then the
 * task's prompt.  New. */
static json_t *
messages_for(const char *system, const char *user)
{
	json_t *m = json_array();

	if (system != NULL && *system != '\0')
		json_array_append_new(m, json_pack("{s:s, s:s}", "role",
		    "system", "content", system));
	json_array_append_new(m, json_pack("{s:s, s:s}", "role", "user",
	    "content", user));
	return m;
}

int
ab_moa_phase(const struct ab_config *c, int cycle, const char *helper,
    const char *prompt, struct ab_moa_call *out)
{
	const struct ab_agent *a;
	char *sys;
	int i;

	if (helper == NULL)
		helper = "";
	if (!c->moa || cycle > c->cycles) {
		a = &c->main;
		if (c->moa)
			sys = ab_moa_with_helper(a->system_prompt ?
			    a->system_prompt : default_main_prompt, helper);
		else
			sys = a->system_prompt ? ab_xstrdup(a->system_prompt) :
			    NULL;
		out[0] = (struct ab_moa_call){ a, 0, -1,
		    messages_for(sys, prompt) };
		free(sys);
		return 1;
	}
	for (i = 0; i < c->nlayers; i++) {
		a = &c->layers[i];
		sys = a->prompt != NULL ? ab_moa_with_helper(a->prompt, helper) :
		    NULL;
		if (sys == NULL && *helper != '\0')
			sys = ab_xasprintf("Responses of other models to this "
			    "query, to improve on:\n%s", helper);
		out[i] = (struct ab_moa_call){ a, cycle, i,
		    messages_for(sys, prompt) };
		free(sys);
	}
	return c->nlayers;
}

char *
ab_moa_helper(const struct ab_config *c, char *const *answers)
{
	struct ab_buf h = AB_BUF_INIT;
	int i;

	for (i = 0; i < c->nlayers; i++) {
		if (i > 0)
			ab_buf_addc(&h, '\n');
		ab_buf_addf(&h, "### %s\n%s\n", c->layers[i].name,
		    answers[i] != NULL ? answers[i] : "");
	}
	return ab_buf_detach(&h);
}

json_t *
ab_moa_layer_error(const char *agent, int cycle, const json_t *error)
{
	json_t *w = json_object();
	char *msg = ab_xasprintf("layer agent %s (cycle %d): %s", agent,
	    cycle, ab_get_str(error, "message") ? ab_get_str(error,
	    "message") : "");

	json_object_set_new(w, "kind", json_string(ab_get_str(error, "kind") ?
	    ab_get_str(error, "kind") : "error"));
	json_object_set_new(w, "message", json_string(msg));
	free(msg);
	return w;
}
