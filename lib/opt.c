/* opt.c - numeric option arguments for the programs' getopt loops. */
#include "ab.h"

long
ab_opt_long(const char *opt, const char *arg, long min, long max)
{
	struct ab_error e;
	long v;

	if (ab_parse_long(arg, min, max, &v, &e) < 0)
		ab_errx(AB_EXIT_FATAL, "%s: %s", opt, e.msg);
	return v;
}

double
ab_opt_double(const char *opt, const char *arg, double min, double max)
{
	struct ab_error e;
	double v;

	if (ab_parse_double(arg, min, max, &v, &e) < 0)
		ab_errx(AB_EXIT_FATAL, "%s: %s", opt, e.msg);
	return v;
}

size_t
ab_opt_size(const char *opt, const char *arg, size_t min, size_t max)
{
	struct ab_error e;
	size_t v;

	if (ab_parse_size(arg, min, max, &v, &e) < 0)
		ab_errx(AB_EXIT_FATAL, "%s: %s", opt, e.msg);
	return v;
}
