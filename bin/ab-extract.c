/* ab-extract - stage extract (skeleton: the full rubric engine lands with
 * its issue). */
#include <getopt.h>
#include <stdlib.h>

#include "ab.h"

static void
usage(FILE *fp)
{
	fprintf(fp, "usage: %s [-bhV] [--max-record size] [file ...]\n", ab_progname());
}

static int
extract_record(json_t *rec, const char *file, long line, void *ctx)
{
	static const char *const need[] = { "gen", NULL };
	double passed, total;
	json_t *m;

	(void)ctx;
	if (!ab_require(rec, file, line, need))
		return AB_REC_REJECTED;
	if (ab_upstream_failed(rec, "extract")) {
		ab_set_stage(rec, "extract", ab_skipped_json());
	} else {
		passed = ab_get_num(rec, "exec.passed", 0);
		total = ab_get_num(rec, "exec.total", 0);
		m = json_pack("{s:f, s:n}", "total",
		    total > 0 ? 100.0 * passed / total : 0.0, "error");
		ab_set_stage(rec, "extract", m);
	}
	ab_emit(rec, false);
	return AB_EXIT_OK;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "max-record", required_argument, NULL, 'M' },
		{ NULL, 0, NULL, 0 },
	};
	struct ab_loop_opts o = { 0 };
	struct ab_error e;
	int ch;

	ab_init(argv[0]);
	while ((ch = getopt_long(argc, argv, "bhV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'b':
			o.stop_on_bad = true;
			break;
		case 'M':
			if (ab_parse_size(optarg, 1, SIZE_MAX, &o.max_record,
			    &e) < 0)
				ab_errx(AB_EXIT_FATAL, "--max-record: %s", e.msg);
			break;
		case 'h':
			usage(stdout);
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
	ab_exit(ab_loop(&o, argv, argc, extract_record, NULL));
}
