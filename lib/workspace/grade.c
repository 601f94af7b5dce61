/*
 * grade.c - grading an answer to a workspace task: a fresh directory from
 * the base, the answer's patch applied, the hidden grading files added,
 * the grading command run in a fresh sandbox; the verdict from its exit
 * status, per-test results from its TAP or JUnit report.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ab.h"
#include "sandbox.h"
#include "workspace.h"

#define TAIL_MAX 4000		/* bytes of output kept in the record */
#define TREE_MAX ((size_t)2 << 30)	/* largest work tree graded */

/* A JSON string from untrusted bytes: valid UTF-8 kept; otherwise bytes
 * above 0x7f and NUL shown as \xNN. */
static json_t *
text_json(const char *s, size_t n)
{
	struct ab_buf b = AB_BUF_INIT;
	json_t *j = json_stringn(s, n);
	size_t i;

	if (j != NULL)
		return j;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == 0 || c >= 0x80)
			ab_buf_addf(&b, "\\x%02x", c);
		else
			ab_buf_addc(&b, c);
	}
	j = json_stringn(b.s ? b.s : "", b.len);
	ab_buf_release(&b);
	return j != NULL ? j : json_string("");
}

/* The last max bytes of s[0..n), cut at a line start when one is near. */
static json_t *
tail_json(const char *s, size_t n, size_t max)
{
	size_t off = n > max ? n - max : 0;

	if (off > 0) {
		const char *nl = memchr(s + off, '\n', n - off);

		if (nl != NULL && (size_t)(nl - (s + off)) < 200)
			off = (size_t)(nl + 1 - s);
		/* not inside a UTF-8 sequence */
		while (off < n && ((unsigned char)s[off] & 0xc0) == 0x80)
			off++;
	}
	return text_json(s + off, n - off);
}

static long
task_long(const json_t *g, const char *key, long def, long max)
{
	const json_t *v = json_object_get(g, key);

	if (json_is_integer(v) && json_integer_value(v) > 0 &&
	    json_integer_value(v) <= max)
		return (long)json_integer_value(v);
	if (json_is_real(v) && json_real_value(v) >= 1 &&
	    json_real_value(v) <= (double)max)
		return (long)json_real_value(v);
	return def;
}

/* The exec member for an error that is not the subject's. */
/* Append s to b in sh single quotes. */
static void
sh_quote(struct ab_buf *b, const char *s)
{
	ab_buf_addc(b, '\'');
	for (; *s != '\0'; s++) {
		if (*s == '\'')
			ab_buf_adds(b, "'\\''");
		else
			ab_buf_addc(b, *s);
	}
	ab_buf_addc(b, '\'');
}

/* The sandbox places regular files only: the symbolic links of the tree
 * at wd (links, relative paths) are made by the grading shell itself, in
 * /work, before the command runs, with the targets they have in wd (the
 * patch's, as git apply wrote them).  A link it cannot make stops the
 * grading with status 125 and says which.  Returns the script (new), or
 * NULL with err set. */
static char *
links_script(const char *wd, char **links, struct ab_error *err)
{
	struct ab_buf b = AB_BUF_INIT;
	char target[4097];
	size_t i;

	for (i = 0; links != NULL && links[i] != NULL; i++) {
		char *path = ab_xasprintf("%s/%s", wd, links[i]), *sl;
		ssize_t n = readlink(path, target, sizeof target - 1);

		free(path);
		if (n < 0) {
			ab_buf_release(&b);
			ab_error_set(err, "harness", "%s: %s", links[i],
			    strerror(errno));
			return NULL;
		}
		target[n] = '\0';
		if ((sl = strrchr(links[i], '/')) != NULL) {
			*sl = '\0';
			ab_buf_adds(&b, "mkdir -p -- ");
			sh_quote(&b, links[i]);
			ab_buf_adds(&b, " && ");
			*sl = '/';
		}
		ab_buf_adds(&b, "ln -s -- ");
		sh_quote(&b, target);
		ab_buf_addc(&b, ' ');
		sh_quote(&b, links[i]);
		ab_buf_adds(&b, " || { echo 'ab-grade: cannot make the symbolic "
		    "link' ");
		sh_quote(&b, links[i]);
		ab_buf_adds(&b, " >&2; exit 125; }\n");
	}
	ab_buf_addc(&b, '\0');
	return b.s;
}

static json_t *
error_member(const char *kind, const char *msg, json_t *isolation)
{
	return json_pack("{s:s, s:I, s:I, s:[], s:f, s:f, s:I, s:O?, s:o}",
	    "verdict", "internal_error", "passed", (json_int_t)0,
	    "total", (json_int_t)0, "tests", "cpu_ms", 0.0, "wall_ms", 0.0,
	    "peak_kb", (json_int_t)0, "isolation", isolation,
	    "error", ab_error_json(kind, "%s", msg));
}

int
ab_ws_task_problem(const json_t *task, struct ab_error *err)
{
	const json_t *g = json_object_get(task, "grading");
	const json_t *ws = json_object_get(task, "workspace");
	const char *cmd = ab_get_str(g, "command");
	const char *res = ab_get_str(g, "results");

	if (!json_is_object(ws))
		return ab_error_set(err, "task", "the task has no "
		    "workspace");
	if (!json_is_object(g))
		return ab_error_set(err, "task", "the task has no grading "
		    "object");
	if (cmd == NULL || cmd[0] == '\0')
		return ab_error_set(err, "task", "the task has no test "
		    "command (grading.command)");
	if (res != NULL && strcmp(res, "exit") != 0 && strcmp(res, "tap") != 0
	    && (strncmp(res, "junit:", 6) != 0 || ab_ws_check_path(res + 6,
	    strlen(res + 6), err) < 0))
		return ab_error_set(err, "task", "grading.results must be "
		    "exit, tap or junit:PATH");
	return 0;
}

/* Turn the report into test objects; returns how many passed. */
static size_t
report_tests(const struct ab_test_report *r, const json_t *weights,
    json_t *arr)
{
	size_t i, passed = 0;

	for (i = 0; i < r->n; i++) {
		const struct ab_test_case *c = &r->v[i];
		json_t *w = json_object_get(weights, c->name), *o;

		o = json_pack("{s:o, s:s, s:o, s:o, s:n, s:n, s:o}",
		    "name", text_json(c->name, strlen(c->name)),
		    "verdict", c->ok ? "ok" : "wrong_answer",
		    "weight", json_is_number(w) ? json_incref(w) :
		    json_integer(1),
		    "time_ms", c->time_ms >= 0 ?
		    json_real(floor(c->time_ms * 1000 + 0.5) / 1000) :
		    json_null(),
		    "expected", "actual",
		    "error", c->message ? text_json(c->message,
		    strlen(c->message)) : json_null());
		if (c->skipped)
			json_object_set_new(o, "skipped", json_true());
		json_array_append_new(arr, o);
		if (c->ok)
			passed++;
	}
	return passed;
}

json_t *
ab_ws_grade(struct ab_sandbox *sb, const json_t *rec,
    const struct ab_ws_grade_opts *o, json_t *isolation)
{
	const json_t *task = ab_get(rec, "task");
	const json_t *g = ab_get(task, "grading");
	const char *patch = ab_get_str(rec, "extract.patch");
	const char *cmd = ab_get_str(g, "command");
	const char *results = ab_get_str(g, "results");
	const json_t *weights = json_object_get(g, "weights");
	struct ab_error e;
	struct ab_ws_file *wf = NULL;
	struct ab_file *files = NULL;
	struct ab_run_spec spec;
	struct ab_run_result r;
	struct ab_test_report rep;
	size_t nf = 0, bytes = 0, i, passed = 0;
	char **links = NULL, *dir = NULL, *wd = NULL, *junit = NULL;
	char *prelude = NULL, *script = NULL;
	const char *verdict = "ok", *why = NULL;
	char *argv[7];
	json_t *m = NULL, *tests, *notes;
	double t0 = ab_now_ms(), setup_ms;
	bool tap, have_report = false, ran = false;

	memset(&r, 0, sizeof r);
	ab_test_report_init(&rep);
	if (results == NULL)
		results = "exit";
	tap = strcmp(results, "tap") == 0;
	if (strncmp(results, "junit:", 6) == 0)
		junit = ab_xstrdup(results + 6);
	if (ab_ws_task_problem(task, &e) < 0) {
		m = error_member(e.kind, e.msg, isolation);
		goto out;
	}
	if (patch == NULL)
		patch = "";
	if ((dir = ab_ws_tempdir(&e)) == NULL) {
		m = error_member("harness", e.msg, isolation);
		goto out;
	}
	wd = ab_xasprintf("%s/w", dir);
	if (mkdir(wd, 0700) < 0) {
		m = error_member("harness", strerror(errno), isolation);
		goto out;
	}
	if (ab_ws_write(task, wd, &e) < 0) {
		m = error_member(strcmp(e.kind, "workspace") == 0 ||
		    strcmp(e.kind, "path") == 0 ? "task" : "harness",
		    e.msg, isolation);
		goto out;
	}
	if (patch[0] != '\0' && ab_ws_apply(wd, patch, strlen(patch), false,
	    &e) < 0) {
		if (strcmp(e.kind, "patch_failed") != 0) {
			m = error_member("harness", e.msg, isolation);
			goto out;
		}
		/* The answer's fault: graded as a failure, not an error. */
		m = json_pack("{s:s, s:I, s:I, s:[{s:s, s:s, s:i, s:n, s:n, "
		    "s:n, s:s}], s:f, s:f, s:I, s:O?, s:n}",
		    "verdict", "wrong_answer", "passed", (json_int_t)0,
		    "total", (json_int_t)1, "tests", "name", "the patch applies",
		    "verdict", "wrong_answer", "weight", 1, "time_ms",
		    "expected", "actual", "error", e.msg,
		    "cpu_ms", 0.0, "wall_ms", 0.0, "peak_kb", (json_int_t)0,
		    "isolation", isolation, "error");
		goto out;
	}
	if (ab_ws_add_grading(task, wd, &e) < 0) {
		m = error_member(strcmp(e.kind, "workspace") == 0 ||
		    strcmp(e.kind, "path") == 0 ? "task" : "harness",
		    e.msg, isolation);
		goto out;
	}
	if (ab_ws_collect(wd, TREE_MAX, &wf, &nf, &bytes, &links, &e) < 0) {
		m = error_member(strcmp(e.kind, "too_large") == 0 ?
		    "too_large" : "harness", e.msg, isolation);
		goto out;
	}
	files = ab_xcalloc(nf ? nf : 1, sizeof *files);
	for (i = 0; i < nf; i++) {
		files[i].name = wf[i].path;
		files[i].data = wf[i].data;
		files[i].len = wf[i].len;
		files[i].mode = wf[i].mode;
	}
	memset(&spec, 0, sizeof spec);
	/* The report file goes to the channel (fd 3) from a wrapper shell;
	 * the test command itself runs with fd 3 closed. */
	argv[0] = "sh";
	argv[1] = "-c";
	if ((prelude = links_script(wd, links, &e)) == NULL) {
		m = error_member("harness", e.msg, isolation);
		goto out;
	}
	script = ab_xasprintf("%s%s", prelude, junit != NULL ?
	    "sh -c \"$1\" 3>&-; s=$?; cat -- \"$2\" >&3 2>/dev/null; exit $s" :
	    "sh -c \"$1\" 3>&-");
	argv[2] = script;
	argv[3] = "ab-grade";
	argv[4] = (char *)cmd;
	argv[5] = junit;
	argv[6] = NULL;
	spec.argv = argv;
	spec.files = files;
	spec.nfiles = nf;
	spec.limits.wall_ms = o->wall_ms > 0 ? o->wall_ms :
	    task_long(g, "time_limit_ms", 60000, 3600000);
	spec.limits.cpu_ms = o->cpu_ms > 0 ? o->cpu_ms :
	    2 * spec.limits.wall_ms;
	spec.limits.memory_mb = o->memory_mb > 0 ? o->memory_mb :
	    task_long(g, "memory_limit_mb", 1024, 1048576);
	spec.limits.procs = 256;
	spec.limits.output_bytes = 8L << 20;
	spec.limits.file_bytes = 512L << 20;
	spec.limits.open_files = 1024;
	/* The tree plus room for what the build and the tests write. */
	spec.limits.tmpfs_mb = (long)(bytes >> 20) + task_long(g, "disk_mb",
	    512, 1048576);
	setup_ms = ab_now_ms() - t0;
	if (ab_sandbox_run(sb, &spec, &r, &e) < 0) {
		m = error_member("harness", e.msg, isolation);
		goto out;
	}
	ran = true;
	ab_sandbox_reset(sb);
	/* The verdict. */
	if (r.stop == AB_STOP_CPU || r.stop == AB_STOP_WALL)
		verdict = "time_limit";
	else if (r.stop == AB_STOP_MEMORY)
		verdict = "memory_limit";
	else if (r.stop == AB_STOP_OUTPUT)
		verdict = "output_limit";
	else if (r.exec_errno != 0) {
		m = error_member("harness", "cannot start sh", isolation);
		goto out;
	} else if (r.term_signal != 0)
		verdict = "signaled";
	else if (r.exit_code != 0)
		verdict = "wrong_answer";
	if (tap) {
		ab_tap_parse(r.out, r.out_len, &rep);
		have_report = rep.n > 0;
		if (!have_report)
			why = "no TAP result line in the output";
	} else if (junit != NULL) {
		if (r.chan_len == 0)
			why = "no JUnit report written";
		else if (ab_junit_parse(r.chan, r.chan_len, &rep, &e) < 0)
			why = e.msg;
		else
			have_report = true;
	}
	tests = json_array();
	if (have_report) {
		passed = report_tests(&rep, weights, tests);
		/* Every test must pass, and a TAP plan must be met. */
		if (strcmp(verdict, "ok") == 0 && (passed < rep.n ||
		    rep.bail_out || (rep.planned >= 0 &&
		    (size_t)rep.planned != rep.n)))
			verdict = "wrong_answer";
	} else {
		char *msg = r.exit_code != 0 || r.term_signal != 0 ?
		    ab_xasprintf("exit status %d%s%s", r.exit_code,
		    r.term_signal ? ", signal " : "",
		    r.term_signal ? ab_signal_name(r.term_signal) : "") : NULL;

		json_array_append_new(tests, json_pack("{s:s, s:s, s:o, s:n, "
		    "s:n, s:n, s:o}", "name", "grading command", "verdict",
		    verdict, "weight", json_integer(1), "time_ms", "expected",
		    "actual", "error", msg ? json_string(msg) : json_null()));
		passed = strcmp(verdict, "ok") == 0;
		free(msg);
	}
	notes = json_array();
	if (why != NULL)
		json_array_append_new(notes, json_sprintf("per-test results "
		    "unavailable: %s", why));
	if (rep.planned >= 0 && (size_t)rep.planned != rep.n)
		json_array_append_new(notes, json_sprintf("TAP plan 1..%ld but "
		    "%zu results", rep.planned, rep.n));
	if (rep.bail_out)
		json_array_append_new(notes, json_string("TAP: Bail out!"));
	if (have_report && passed == rep.n && strcmp(verdict, "wrong_answer") ==
	    0 && (r.exit_code != 0 || r.term_signal != 0))
		json_array_append_new(notes, json_sprintf("the command failed "
		    "(exit status %d) although every test it reported passed",
		    r.term_signal ? 128 + r.term_signal : r.exit_code));
	m = json_pack("{s:s, s:I, s:I, s:o, s:f, s:f, s:I, s:f, s:i, s:o, "
	    "s:o, s:o, s:O?, s:n}",
	    "verdict", verdict, "passed", (json_int_t)passed,
	    "total", (json_int_t)json_array_size(tests), "tests", tests,
	    "cpu_ms", floor(r.cpu_ms * 1000 + 0.5) / 1000,
	    "wall_ms", floor(r.wall_ms * 1000 + 0.5) / 1000,
	    "peak_kb", (json_int_t)r.peak_kb,
	    "setup_ms", floor(setup_ms * 1000 + 0.5) / 1000,
	    "exit", r.term_signal ? 128 + r.term_signal : r.exit_code,
	    "stdout", tail_json(r.out ? r.out : "", r.out_len, TAIL_MAX),
	    "stderr", tail_json(r.err ? r.err : "", r.err_len, TAIL_MAX),
	    "notes", notes, "isolation", isolation, "error");
out:
	if (m == NULL)
		m = error_member("harness", "cannot represent the result",
		    isolation);
	if (ran)
		ab_run_result_release(&r);
	ab_test_report_release(&rep);
	if (dir != NULL && ab_ws_remove(dir, &e) < 0 &&
	    json_is_null(json_object_get(m, "error")))
		json_object_set_new(m, "error", ab_error_json("harness", "%s",
		    e.msg));
	ab_ws_files_free(wf, nf, links);
	free(files);
	free(dir);
	free(wd);
	free(junit);
	free(prelude);
	free(script);
	return m;
}
