/*
 * ab-score - score each attempt on the dimensions of a rubric, with the
 * evidence behind every number.  See ab-score(1) and ab-rubric(5).
 */
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ab.h"
#include "sandbox.h"
#include "score.h"

struct state {
	struct ab_rubric *rubric;
	struct ab_score_opts so;
	struct ab_ref_cache ref;
	bool analysers, allow_degraded;
	const char *analyser_dir;	/* --analyser-dir, or NULL */
	struct ab_sandbox *sb;	/* created at the first analyser run */
	bool sb_failed;
	char sb_why[sizeof ((struct ab_error *)0)->msg];
	json_t *memo;		/* sha256(argv, code) -> [status, out, err] */
};

static const char help_text[] =
	    "Score each attempt on weighted dimensions, grade A-F; add \"score\".\n"
	    "  -r rubric        default, production, assistant or agent (or a file)\n"
	    "  -w dim=weight    change a dimension's weight\n"
	    "  --no-analysers   only the built-in checks\n"
	    "Example:\n"
	    "  ab-score -r production exec.ndjson >score.ndjson\n";

static void
usage(FILE *fp)
{
	fprintf(fp, "usage: %s [-bhV] [-r rubric] [-w dim=weight,...] "
	    "[--allow-degraded]\n"
	    "                [--analyser-dir dir] [--baseline-ms ms] "
	    "[--cache-dir dir]\n"
	    "                [--exec program] [--max-record size] "
	    "[--no-analysers]\n"
	    "                [--no-reference-run] [file ...]\n",
	    ab_progname());
}

static int run_sandboxed(struct state *, char *const [], const char *,
    const char *, size_t, struct ab_tool_out *, struct ab_error *);

/* The analyser runner.  Analysers are deterministic, and samples of one
 * task often share their code: each command and code is run once per
 * process and its output remembered. */
static int
run_tool(void *ctx, char *const argv[], const char *name, const char *code,
    size_t len, struct ab_tool_out *out, struct ab_error *err)
{
	struct state *st = ctx;
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
	if (st->memo == NULL)
		st->memo = json_object();
	if ((m = json_object_get(st->memo, hash)) != NULL) {
		out->status = (int)json_integer_value(json_array_get(m, 0));
		out->out = ab_xstrdup(json_string_value(json_array_get(m, 1)));
		out->err = ab_xstrdup(json_string_value(json_array_get(m, 2)));
		return 0;
	}
	rc = run_sandboxed(st, argv, name, code, len, out, err);
	if (rc == 0) {
		/* outputs that are not UTF-8 are not remembered */
		m = json_pack("[i, s, s]", out->status, out->out, out->err);
		if (m != NULL)
			json_object_set_new(st->memo, hash, m);
	}
	return rc;
}

/* One analyser run in the sandbox, the code as a file of the work
 * directory. */
static int
run_sandboxed(struct state *st, char *const argv[], const char *name,
    const char *code, size_t len, struct ab_tool_out *out,
    struct ab_error *err)
{
	struct ab_sandbox_opts so;
	struct ab_run_spec spec;
	struct ab_run_result res;
	struct ab_file f;

	if (!ab_lint_installed(argv[0]))
		return 1;
	if (st->sb_failed)
		return ab_error_set(err, "sandbox", "%s", st->sb_why);
	if (st->sb == NULL) {
		memset(&so, 0, sizeof so);
		so.allow_degraded = st->allow_degraded;
		st->sb = ab_sandbox_new(&so, err);
		if (st->sb == NULL) {
			st->sb_failed = true;
			snprintf(st->sb_why, sizeof st->sb_why, "no sandbox: %.900s",
			    err->msg);
			ab_warnx("analysers off, built-in checks used: %s",
			    st->sb_why);
			return ab_error_set(err, "sandbox", "%s", st->sb_why);
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
	if (ab_sandbox_run(st->sb, &spec, &res, err) < 0)
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

/* The replay runner (--analyser-dir): the outputs recorded in DIR as
 * PROG.out, PROG.err and PROG.status, PROG being argv[0]; an analyser
 * without a PROG.status file counts as not installed. */
static int
replay_tool(void *ctx, char *const argv[], const char *name, const char *code,
    size_t len, struct ab_tool_out *out, struct ab_error *err)
{
	const char *dir = ((struct state *)ctx)->analyser_dir;
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

static int
score_record(json_t *rec, const char *file, long line, void *ctx)
{
	static const char *const need[] = { "gen", "extract", "exec", NULL };
	struct state *st = ctx;

	if (ab_upstream_failed(rec, "score")) {
		if (!ab_require(rec, file, line, NULL))
			return AB_REC_REJECTED;
		ab_set_stage(rec, "score", ab_skipped_json());
		ab_emit(rec, false);
		return AB_EXIT_OK;
	}
	if (!ab_require(rec, file, line, need))
		return AB_REC_REJECTED;
	if (!json_is_object(json_object_get(rec, "exec"))) {
		ab_warnx_at(file, line, "record %s: exec is not an object",
		    ab_get_str(rec, "id"));
		return AB_REC_REJECTED;
	}
	ab_set_stage(rec, "score", ab_score_record(st->rubric, rec, &st->so));
	ab_emit(rec, st->analysers);
	return AB_EXIT_OK;
}

/* ab-exec beside this program, else NULL. */
static char *
sibling_exec(void)
{
	char self[PATH_MAX], *slash, *p;
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);

	if (n <= 0)
		return NULL;
	self[n] = '\0';
	slash = strrchr(self, '/');
	if (slash == NULL)
		return NULL;
	*slash = '\0';
	p = ab_xasprintf("%s/ab-exec", self);
	if (access(p, X_OK) != 0) {
		free(p);
		return NULL;
	}
	return p;
}

static char *
default_cache_dir(void)
{
	const char *x = getenv("XDG_CACHE_HOME"), *h = getenv("HOME");

	if (x != NULL && *x == '/')
		return ab_xasprintf("%s/ab", x);
	if (h != NULL && *h == '/')
		return ab_xasprintf("%s/.cache/ab", h);
	return NULL;
}

int
main(int argc, char *argv[])
{
	enum { O_MAX = 256, O_NOAN, O_DEGR, O_BASE, O_CACHE, O_EXEC, O_NOREF,
		O_ANDIR };
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "max-record", required_argument, NULL, O_MAX },
		{ "no-analysers", no_argument, NULL, O_NOAN },
		{ "allow-degraded", no_argument, NULL, O_DEGR },
		{ "analyser-dir", required_argument, NULL, O_ANDIR },
		{ "baseline-ms", required_argument, NULL, O_BASE },
		{ "cache-dir", required_argument, NULL, O_CACHE },
		{ "exec", required_argument, NULL, O_EXEC },
		{ "no-reference-run", no_argument, NULL, O_NOREF },
		{ NULL, 0, NULL, 0 },
	};
	struct ab_loop_opts o = { 0 };
	struct state st;
	struct ab_error e;
	const char *rubric = "default", *weights = NULL, *exec = NULL;
	char *cache = NULL;
	bool noref = false;
	int ch, status;

	ab_init(argv[0]);
	memset(&st, 0, sizeof st);
	st.analysers = true;
	while ((ch = getopt_long(argc, argv, "bhr:Vw:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'b':
			o.stop_on_bad = true;
			break;
		case 'r':
			rubric = optarg;
			break;
		case 'w':
			weights = optarg;
			break;
		case O_MAX:
			o.max_record = ab_opt_size("--max-record",
			    optarg, 1, SIZE_MAX);
			break;
		case O_NOAN:
			st.analysers = false;
			break;
		case O_DEGR:
			st.allow_degraded = true;
			break;
		case O_ANDIR:
			st.analyser_dir = optarg;
			break;
		case O_BASE:
			st.so.baseline_ms = ab_opt_double("--baseline-ms",
			    optarg, 1e-9, 1e12);
			break;
		case O_CACHE:
			free(cache);
			cache = ab_xstrdup(optarg);
			break;
		case O_EXEC:
			exec = optarg;
			break;
		case O_NOREF:
			noref = true;
			break;
		case 'h':
			usage(stdout);
			ab_print_help(help_text);
			ab_exit(AB_EXIT_OK);
		case 'V':
			ab_print_version();
			ab_exit(AB_EXIT_OK);
		default:
			usage(stderr);
			ab_exit(AB_EXIT_FATAL);
		}
	}
	argc -= optind;
	argv += optind;

	/* Everything about the rubric is checked before any record. */
	st.rubric = ab_rubric_load(rubric, &e);
	if (st.rubric == NULL)
		ab_errx(AB_EXIT_FATAL, "%s", e.msg);
	if (weights != NULL && ab_rubric_set_weights(st.rubric, weights,
	    &e) < 0)
		ab_errx(AB_EXIT_FATAL, "%s", e.msg);

	if (st.analysers) {
		st.so.run = st.analyser_dir != NULL ? replay_tool : run_tool;
		st.so.run_ctx = &st;
	}
	st.ref.dir = cache != NULL ? cache : default_cache_dir();
	if (!noref) {
		st.ref.exec_path = exec != NULL ? ab_xstrdup(exec) :
		    sibling_exec();
		st.ref.exec_args = ab_xcalloc(2, sizeof *st.ref.exec_args);
		if (st.allow_degraded)
			st.ref.exec_args[0] = ab_xstrdup("--allow-degraded");
	}
	st.so.ref = &st.ref;

	status = ab_loop(&o, argv, argc, score_record, &st);

	if (st.sb != NULL)
		ab_sandbox_free(st.sb);
	ab_ref_cache_release(&st.ref);
	ab_rubric_free(st.rubric);
	json_decref(st.memo);
	ab_exit(status);
}
