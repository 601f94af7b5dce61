/* ab-store - keep records (skeleton: the full rubric engine lands with
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
store_record(json_t *rec, const char *file, long line, void *ctx)
{
	static const char *const need[] = { "gen", NULL };

	(void)ctx;
	if (!ab_require(rec, file, line, need))
		return AB_REC_REJECTED;
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
	ab_exit(ab_loop(&o, argv, argc, store_record, NULL));
}
