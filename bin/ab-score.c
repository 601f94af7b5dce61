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
#include "score.h"

struct state {
	struct ab_rubric *rubric;
	struct ab_score_opts so;
	struct ab_ref_cache ref;
	bool analysers;
	const char *analyser_dir;	/* --analyser-dir, or NULL */
	struct ab_tool_sandbox tools;	/* the analyser runner */
	bool told_no_sandbox;
	long dropped;		/* scored as a signal came: not written */
	struct ab_progress prog;	/* on a terminal only */
	long done;		/* records done (or rejected) */
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

static int score_one(json_t *, const char *, long, struct state *);

static int
score_record(json_t *rec, const char *file, long line, void *ctx)
{
	struct state *st = ctx;
	int r = score_one(rec, file, line, st);

	st->done++;
	ab_progress_show(&st->prog, st->done, -1, false);
	return r;
}

static int
score_one(json_t *rec, const char *file, long line, struct state *st)
{
	static const char *const need[] = { "gen", "extract", "exec", NULL };

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
	if (ab_interrupted()) {
		/* The signal reached the reference run and the analysers
		 * too: what they said is not to be trusted. */
		st->dropped++;
		return AB_EXIT_OK;
	}
	if (st->tools.failed && !st->told_no_sandbox) {
		ab_warnx("analysers off, built-in checks used: %s",
		    st->tools.why);
		st->told_no_sandbox = true;
	}
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
			st.tools.allow_degraded = true;
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
		st.so.run = st.analyser_dir != NULL ? ab_tool_replay :
		    ab_tool_run;
		st.so.run_ctx = st.analyser_dir != NULL ?
		    (void *)st.analyser_dir : &st.tools;
	}
	st.ref.dir = cache != NULL ? cache : ab_cache_default_dir();
	if (!noref) {
		st.ref.exec_path = exec != NULL ? ab_xstrdup(exec) :
		    sibling_exec();
		st.ref.exec_args = ab_xcalloc(2, sizeof *st.ref.exec_args);
		if (st.tools.allow_degraded)
			st.ref.exec_args[0] = ab_xstrdup("--allow-degraded");
	}
	st.so.ref = &st.ref;

	ab_interrupt_catch(NULL);
	ab_progress_init(&st.prog, argv, argc);
	status = ab_loop(&o, argv, argc, score_record, &st);
	ab_progress_show(&st.prog, st.done, -1, true);
	status = ab_interrupt_status(status, -1, st.dropped);

	ab_tool_sandbox_release(&st.tools);
	ab_ref_cache_release(&st.ref);
	ab_rubric_free(st.rubric);
	ab_exit(status);
}
