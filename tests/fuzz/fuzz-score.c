/*
 * fuzz-score.c - ab-score's parsers on arbitrary bytes: the per-language
 * lexer and static analysis, the analyser output parsers, and rubric
 * validation (when the input is JSON) with a weight override.
 */
#include <stdlib.h>
#include <string.h>

#include "ab.h"
#include "score.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const json_t *
builtin_table(void)
{
	static json_t *t;

	/* a small table with each view, so the built-in pass runs */
	if (t == NULL)
		t = json_loads("{\"python\": [{\"regex\": \"\\\\bexcept[ \\t]*:\","
		    "\"severity\": \"warning\", \"message\": \"m\"}],"
		    "\"javascript\": [{\"regex\": \"==\", \"severity\": \"style\","
		    "\"message\": \"m\", \"view\": \"text\"}],"
		    "\"bash\": [{\"regex\": \"`\", \"severity\": \"style\","
		    "\"message\": \"m\", \"view\": \"nocomment\"}]}", 0, NULL);
	return t;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum ab_lang langs[] = { AB_LANG_PYTHON, AB_LANG_JAVASCRIPT,
	    AB_LANG_C, AB_LANG_CPP, AB_LANG_BASH, AB_LANG_UNKNOWN };
	char *text = ab_xstrndup((const char *)data, size);
	struct ab_src s;
	struct ab_lint l;
	struct ab_tool_out out;
	struct ab_rubric *r;
	struct ab_error err;
	json_t *j;
	size_t i, k;

	for (i = 0; i < sizeof langs / sizeof langs[0]; i++) {
		ab_src_analyse(&s, langs[i], text, strlen(text));
		memset(&l, 0, sizeof l);
		ab_lint_builtin(&l, &s, builtin_table());
		for (k = 0; k < s.nfuncs; k++)
			if (s.funcs[k].end_line < s.funcs[k].line ||
			    s.funcs[k].complexity < 1)
				abort();
		free(ab_src_excerpt(&s, s.lines / 2 + 1, 40));
		ab_lint_release(&l);
		ab_src_release(&s);
	}
	memset(&l, 0, sizeof l);
	out.status = 1;
	out.out = text;
	out.err = text;
	ab_lint_parse_gcc(&l, "gcc", &out);
	ab_lint_parse_gcc(&l, "eslint", &out);
	ab_lint_parse_pyflakes(&l, "pyflakes", &out);
	ab_lint_parse_node(&l, "node --check", &out);
	ab_lint_release(&l);
	j = json_loadb((const char *)data, size, 0, NULL);
	if (j != NULL) {
		r = ab_rubric_from_json(j, "fuzz", &err);
		if (r != NULL) {
			ab_rubric_grade(r, 75);
			if (ab_rubric_set_weights(r, "a=1,b=2", &err) == 0) {
				double sum = 0;

				for (k = 0; k < r->ndims; k++)
					sum += r->dims[k].weight;
				if (sum < 0.999999 || sum > 1.000001)
					abort();
			}
			ab_rubric_free(r);
		}
		json_decref(j);
	}
	free(text);
	return 0;
}
