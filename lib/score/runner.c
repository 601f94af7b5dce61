/*
 * runner.c - the analyser runners ab-score hands to ab_score_record: each
 * analyser in ab-exec's sandbox, remembered per command and code, or
 * replayed from recorded outputs (--analyser-dir).
 */
#include <stdlib.h>
#include <string.h>

#include "ab.h"
#include "sandbox.h"
#include "score.h"

static int run_sandboxed(struct ab_tool_sandbox *t, char *const argv[],
    const char *name, const char *code, size_t len, struct ab_tool_out *out,
    struct ab_error *err);

/* Analysers are deterministic, and samples of one task often share their
 * code: each command and code is run once per process and its output
 * remembered. */
int
ab_tool_run(void *ctx, char *const argv[], const char *name, const char *code,
    size_t len, struct ab_tool_out *out, struct ab_error *err)
{
	struct ab_tool_sandbox *t = ctx;
	struct ab_buf key = AB_BUF_INIT;
	char hash[65];
	json_t *m;
	size_t i;
	int rc;

	for (i = 0; argv[i] != NULL; i++)
		ab_buf_add(&key, argv[i], strlen(argv[i]) + 1);
	ab_buf_add(&key, code, len);
	ab_sha256_hex(key.s, key.len, hash);
	ab_buf_release(&key);
	if (t->memo == NULL)
		t->memo = json_object();
	if ((m = json_object_get(t->memo, hash)) != NULL) {
		out->status = (int)json_integer_value(json_array_get(m, 0));
		out->out = ab_xstrdup(json_string_value(json_array_get(m, 1)));
		out->err = ab_xstrdup(json_string_value(json_array_get(m, 2)));
		return 0;
	}
	rc = run_sandboxed(t, argv, name, code, len, out, err);
	if (rc == 0) {
		/* outputs that are not UTF-8 are not remembered */
		m = json_pack("[i, s, s]", out->status, out->out, out->err);
		if (m != NULL)
			json_object_set_new(t->memo, hash, m);
	}
	return rc;
}

/* One analyser run in the sandbox, the code as a file of the work
 * directory. */
static int
run_sandboxed(struct ab_tool_sandbox *t, char *const argv[], const char *name,
    const char *code, size_t len, struct ab_tool_out *out,
    struct ab_error *err)
{
	struct ab_sandbox_opts so;
	struct ab_run_spec spec;
	struct ab_run_result res;
	struct ab_file f;

	if (!ab_lint_installed(argv[0]))
		return 1;
	if (t->failed)
		return ab_error_set(err, "sandbox", "%s", t->why);
	if (t->sb == NULL) {
		memset(&so, 0, sizeof so);
		so.allow_degraded = t->allow_degraded;
		t->sb = ab_sandbox_new(&so, err);
		if (t->sb == NULL) {
			t->failed = true;
			snprintf(t->why, sizeof t->why, "no sandbox: %.900s",
			    err->msg);
			return ab_error_set(err, "sandbox", "%s", t->why);
		}
	}
	memset(&spec, 0, sizeof spec);
	memset(&res, 0, sizeof res);
	f.name = name;
	f.data = code;
	f.len = len;
	f.mode = 0644;
	spec.argv = argv;
	spec.files = &f;
	spec.nfiles = 1;
	spec.limits.cpu_ms = 20000;
	spec.limits.wall_ms = 40000;
	spec.limits.memory_mb = 1024;
	spec.limits.procs = 32;
	spec.limits.output_bytes = 1 << 20;
	spec.limits.tmpfs_mb = 64;
	if (ab_sandbox_run(t->sb, &spec, &res, err) < 0)
		return -1;
	out->status = res.term_signal != 0 || res.stop != AB_STOP_NONE ? -1 :
	    res.exit_code;
	out->out = res.out;
	out->err = res.err;
	res.out = res.err = NULL;
	ab_run_result_release(&res);
	if (out->out == NULL)
		out->out = ab_xstrdup("");
	if (out->err == NULL)
		out->err = ab_xstrdup("");
	return 0;
}

void
ab_tool_sandbox_release(struct ab_tool_sandbox *t)
{
	if (t->sb != NULL)
		ab_sandbox_free(t->sb);
	t->sb = NULL;
	json_decref(t->memo);
	t->memo = NULL;
}

int
ab_tool_replay(void *ctx, char *const argv[], const char *name,
    const char *code, size_t len, struct ab_tool_out *out,
    struct ab_error *err)
{
	const char *dir = ctx;
	char *path, *s;
	long status;
	size_t n;

	path = ab_xasprintf("%s/%s.status", dir, argv[0]);
	s = ab_read_file(path, &n, err);
	free(path);
	if (s == NULL)
		return 1;
	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = '\0';
	if (ab_parse_long(s, -1, 255, &status, err) < 0) {
		free(s);
		return -1;
	}
	free(s);
	out->status = (int)status;
	path = ab_xasprintf("%s/%s.out", dir, argv[0]);
	out->out = ab_read_file(path, &n, err);
	free(path);
	path = ab_xasprintf("%s/%s.err", dir, argv[0]);
	out->err = ab_read_file(path, &n, err);
	free(path);
	if (out->out == NULL)
		out->out = ab_xstrdup("");
	if (out->err == NULL)
		out->err = ab_xstrdup("");
	return 0;
}
