/* ws-tool - drive lib/workspace from the shell tests (not installed).
 *   ws-tool materialise TASK.json DIR
 *   ws-tool write TASK.json DIR    (ab_ws_write: no repository)
 *   ws-tool grading TASK.json DIR
 *   ws-tool apply [-c] DIR PATCHFILE
 *   ws-tool collect DIR            (prints "MODE LEN PATH" per file)
 *   ws-tool tap FILE | junit FILE  (prints "ok|not ok|skip NAME" per case)
 *   ws-tool path STRING            (exit 0 when the path is valid)
 *   ws-tool base64 STRING          (decoded bytes on stdout)
 * Errors: "ws-tool: KIND: MESSAGE" on stderr, exit 1. */
#include <stdlib.h>
#include <string.h>

#include "ab.h"
#include "workspace.h"

static json_t *
load(const char *path)
{
	json_error_t je;
	json_t *t = json_load_file(path, 0, &je);

	if (t == NULL)
		ab_errx(2, "%s:%d: %s", path, je.line, je.text);
	return t;
}

static int
fail(const struct ab_error *e)
{
	ab_warnx("%s: %s", e->kind, e->msg);
	return 1;
}

static void
print_report(const struct ab_test_report *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		printf("%s %s%s%s\n", r->v[i].skipped ? "skip" :
		    r->v[i].ok ? "ok" : "not ok", r->v[i].name,
		    r->v[i].message ? " :: " : "",
		    r->v[i].message ? r->v[i].message : "");
	if (r->planned >= 0)
		printf("plan %ld\n", r->planned);
	if (r->bail_out)
		printf("bail out\n");
}

int
main(int argc, char *argv[])
{
	struct ab_error e;
	json_t *t;
	int rc = 0;

	ab_init(argv[0]);
	if (argc < 3)
		ab_errx(2, "usage: ws-tool command args");
	if (strcmp(argv[1], "materialise") == 0 && argc == 4) {
		t = load(argv[2]);
		if (ab_ws_materialise(t, argv[3], &e) < 0)
			rc = fail(&e);
		json_decref(t);
	} else if (strcmp(argv[1], "write") == 0 && argc == 4) {
		t = load(argv[2]);
		if (ab_ws_write(t, argv[3], &e) < 0)
			rc = fail(&e);
		json_decref(t);
	} else if (strcmp(argv[1], "grading") == 0 && argc == 4) {
		t = load(argv[2]);
		if (ab_ws_add_grading(t, argv[3], &e) < 0)
			rc = fail(&e);
		json_decref(t);
	} else if (strcmp(argv[1], "apply") == 0 && argc >= 4) {
		bool check = strcmp(argv[2], "-c") == 0;
		size_t len;
		char *p = ab_read_file(argv[3 + check], &len, &e);

		if (p == NULL)
			return fail(&e);
		if (ab_ws_apply(argv[2 + check], p, len, check, &e) < 0)
			rc = fail(&e);
		free(p);
	} else if (strcmp(argv[1], "collect") == 0) {
		struct ab_ws_file *f;
		size_t n, bytes, i;
		char **links;

		if (ab_ws_collect(argv[2], (size_t)1 << 30, &f, &n, &bytes,
		    &links, &e) < 0)
			return fail(&e);
		for (i = 0; i < n; i++)
			printf("%o %zu %s\n", (unsigned)f[i].mode, f[i].len,
			    f[i].path);
		for (i = 0; links != NULL && links[i] != NULL; i++)
			printf("link %s\n", links[i]);
		ab_ws_files_free(f, n, links);
	} else if (strcmp(argv[1], "tap") == 0 ||
	    strcmp(argv[1], "junit") == 0) {
		struct ab_test_report r;
		size_t len;
		char *p = ab_read_file(argv[2], &len, &e);

		if (p == NULL)
			return fail(&e);
		ab_test_report_init(&r);
		if (argv[1][0] == 't')
			ab_tap_parse(p, len, &r);
		else if (ab_junit_parse(p, len, &r, &e) < 0)
			rc = fail(&e);
		print_report(&r);
		ab_test_report_release(&r);
		free(p);
	} else if (strcmp(argv[1], "path") == 0) {
		if (ab_ws_check_path(argv[2], strlen(argv[2]), &e) < 0)
			rc = fail(&e);
	} else if (strcmp(argv[1], "base64") == 0) {
		size_t n;
		char *d = ab_base64_decode(argv[2], strlen(argv[2]), &n, &e);

		if (d == NULL)
			return fail(&e);
		fwrite(d, 1, n, stdout);
		free(d);
	} else
		ab_errx(2, "unknown command %s", argv[1]);
	return ab_close_stdout(rc);
}
