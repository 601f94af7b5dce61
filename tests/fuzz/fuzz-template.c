/* fuzz-template.c - the prompt template language on arbitrary text,
 * rendered with a task's variables. */
#include <stdlib.h>
#include <string.h>

#include "gen.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static json_t *ctx;
	struct ab_error err;
	struct ab_buf out = AB_BUF_INIT;
	struct ab_tmpl *t;

	if (ctx == NULL) {
		json_t *task = json_loads("{\"id\":\"t\",\"language\":"
		    "\"python\",\"description\":\"d\",\"signature\":\"def f()\","
		    "\"entry_point\":\"f\",\"hints\":[\"h1\",\"h2\"],"
		    "\"tests\":[{\"style\":\"call\",\"args\":[1],\"expected\":2},"
		    "{\"style\":\"io\",\"stdin\":\"1\",\"stdout\":\"2\"},"
		    "{\"style\":\"assert\",\"code\":\"assert f()\","
		    "\"hidden\":true}]}", 0, NULL);

		ctx = ab_task_context(task);
		json_decref(task);
	}
	t = ab_tmpl_parse((const char *)data, size, NULL, &err);
	if (t != NULL) {
		ab_tmpl_render(t, ctx, &out);
		ab_tmpl_free(t);
	}
	t = ab_tmpl_parse((const char *)data, size, ab_task_vars, &err);
	if (t != NULL) {
		ab_tmpl_render(t, ctx, &out);
		ab_tmpl_free(t);
	}
	ab_buf_release(&out);
	return 0;
}
