/* ab-extract - find the code in each answer: adds "extract" = {code,
 * language, method, blocks, error}. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ab.h"
#include "extract.h"
#include "workspace.h"

struct opts {
	const char *language;	/* -l */
	const char *entry;	/* -e */
	enum ab_pick pick;	/* -m */
	bool only_function;	/* -f */
};

static const char help_text[] =
	    "Find the code in each answer (gen.text); add the member \"extract\".\n"
	    "  -l language  the language to look for (default: the task's)\n"
	    "  -m method    longest, first, last or all fenced blocks\n"
	    "  -f           keep only the entry point's function and what it needs\n"
	    "Example:\n"
	    "  ab-extract gen.ndjson >extract.ndjson\n";

static void
usage(FILE *fp)
{
	fprintf(fp, "usage: %s [-bfhV] [-e name] [-l language] "
	    "[-m longest|first|last|all] [--max-record size] [file ...]\n",
	    ab_progname());
}

/* A workspace task's answer is gen.patch: passed on as extract.patch once
 * it is known to apply to the base. */
static int
extract_patch(json_t *rec)
{
	const json_t *task = ab_get(rec, "task"), *p = ab_get(rec, "gen.patch");
	const char *lang = ab_get_str(task, "language");
	struct ab_error e;
	char *dir = NULL, *wd = NULL;
	int rc = 0;
	json_t *m;

	if (!json_is_string(p))
		rc = ab_error_set(&e, "no_patch", "gen.patch is %s",
		    p == NULL ? "missing" : "not a string");
	else if (json_string_length(p) == 0)
		rc = ab_error_set(&e, "no_change", "the patch is empty: the "
		    "workspace was not changed");
	else if (strlen(json_string_value(p)) != json_string_length(p))
		rc = ab_error_set(&e, "patch_failed", "the patch holds a NUL "
		    "byte (binary files must be in git's binary form)");
	else if ((dir = ab_ws_tempdir(&e)) == NULL)
		rc = -1;
	else {
		wd = ab_xasprintf("%s/w", dir);
		if (mkdir(wd, 0700) < 0)
			rc = ab_error_set(&e, "harness", "%s: %s", wd,
			    strerror(errno));
		else if (ab_ws_write(task, wd, &e) < 0) {
			char msg[sizeof e.msg];

			snprintf(msg, sizeof msg, "%s", e.msg);
			rc = ab_error_set(&e, strcmp(e.kind, "git") == 0 ||
			    strcmp(e.kind, "io") == 0 ? "harness" : "task",
			    "cannot materialise the workspace: %s", msg);
		} else
			rc = ab_ws_apply(wd, json_string_value(p),
			    json_string_length(p), true, &e);
	}
	if (dir != NULL) {
		struct ab_error re;

		if (ab_ws_remove(dir, &re) < 0 && rc == 0)
			rc = ab_error_set(&e, "harness", "%s", re.msg);
	}
	free(dir);
	free(wd);
	m = json_pack("{s:n, s:O, s:o, s:s, s:I, s:o}", "code",
	    "patch", json_is_string(p) ? p : json_null(),
	    "language", lang != NULL ? json_string(lang) : json_null(),
	    "method", "patch", "blocks", (json_int_t)0,
	    "error", rc < 0 ? ab_error_json_from(&e) : json_null());
	if (m == NULL)
		ab_errx(AB_EXIT_FATAL, "out of memory");
	ab_set_stage(rec, "extract", m);
	ab_emit(rec, false);
	return rc < 0 ? AB_EXIT_FAIL : AB_EXIT_OK;
}

static int
extract_record(json_t *rec, const char *file, long line, void *ctx)
{
	static const char *const need[] = { "gen", NULL };
	const struct opts *op = ctx;
	struct ab_extract_opts o = { 0 };
	struct ab_extract x;
	struct ab_error e;
	json_t *text, *m, *code, *lang;
	int rc;

	if (!ab_require(rec, file, line, need))
		return AB_REC_REJECTED;
	if (!json_is_object(ab_get(rec, "gen"))) {
		ab_warnx_at(file, line, "record %s: member gen is not an object",
		    ab_get_str(rec, "id"));
		return AB_REC_REJECTED;
	}
	if (ab_upstream_failed(rec, "extract")) {
		ab_set_stage(rec, "extract", ab_skipped_json());
		ab_emit(rec, false);
		return AB_EXIT_OK;
	}
	if (ab_ws_is_workspace(ab_get(rec, "task")))
		return extract_patch(rec);
	o.language = op->language != NULL ? op->language :
	    ab_get_str(rec, "task.language");
	o.entry_point = op->entry != NULL ? op->entry :
	    ab_get_str(rec, "task.entry_point");
	o.pick = op->pick;
	o.only_function = op->only_function;
	text = ab_get(rec, "gen.text");
	memset(&x, 0, sizeof(x));
	if (!json_is_string(text)) {
		rc = ab_error_set(&e, "no_text", "gen.text is %s",
		    text == NULL ? "missing" : json_is_null(text) ? "null" :
		    "not a string");
		if (o.language != NULL) {
			enum ab_lang l = ab_lang_from(o.language,
			    strlen(o.language));

			snprintf(x.language, sizeof(x.language), "%s",
			    l != AB_LANG_UNKNOWN ? ab_lang_name(l) :
			    o.language);
		}
	} else
		rc = ab_extract(json_string_value(text),
		    json_string_length(text), &o, &x, &e);
	/* Code cut from valid UTF-8 at line and token boundaries is valid
	 * UTF-8; this is a last defence. */
	code = x.code != NULL ? json_string(x.code) : json_null();
	if (code == NULL) {
		rc = ab_error_set(&e, "binary", "the code is not UTF-8");
		x.method = NULL;
		code = json_null();
	}
	lang = json_string(x.language);
	if (lang == NULL || x.language[0] == '\0') {
		json_decref(lang);
		lang = json_null();
	}
	m = json_pack("{s:o, s:o, s:o, s:I, s:o}", "code", code,
	    "language", lang,
	    "method", x.method != NULL ? json_string(x.method) : json_null(),
	    "blocks", (json_int_t)x.blocks,
	    "error", rc < 0 ? ab_error_json_from(&e) : json_null());
	ab_extract_release(&x);
	if (m == NULL)
		ab_errx(AB_EXIT_FATAL, "out of memory");
	ab_set_stage(rec, "extract", m);
	ab_emit(rec, false);
	return rc < 0 ? AB_EXIT_FAIL : AB_EXIT_OK;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "max-record", required_argument, NULL, 'M' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const picks[] = { "longest", "first", "last",
		"all", NULL };
	struct ab_loop_opts lo = { 0 };
	struct opts op = { 0 };
	int ch, i;

	ab_init(argv[0]);
	while ((ch = getopt_long(argc, argv, "be:fhl:m:V", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'b':
			lo.stop_on_bad = true;
			break;
		case 'e':
			if (optarg[0] == '\0')
				ab_errx(AB_EXIT_FATAL, "-e: empty name");
			op.entry = optarg;
			break;
		case 'f':
			op.only_function = true;
			break;
		case 'l':
			if (optarg[0] == '\0')
				ab_errx(AB_EXIT_FATAL, "-l: empty language");
			op.language = optarg;
			break;
		case 'm':
			for (i = 0; picks[i] != NULL; i++)
				if (strcmp(optarg, picks[i]) == 0)
					break;
			if (picks[i] == NULL)
				ab_errx(AB_EXIT_FATAL, "-m: %s: not one of "
				    "longest, first, last, all", optarg);
			op.pick = (enum ab_pick)i;
			break;
		case 'M':
			lo.max_record = ab_opt_size("--max-record",
			    optarg, 1, SIZE_MAX);
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
	ab_interrupt_catch(NULL);
	ab_exit(ab_interrupt_status(ab_loop(&lo, argv, argc, extract_record,
	    &op), -1, 0));
}
