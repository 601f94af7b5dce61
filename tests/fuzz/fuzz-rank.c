/* fuzz-rank.c - ab-rank's record scanner, accumulators and views on
 * arbitrary bytes: each line is scanned, read as an attempt and added;
 * then every view is computed and written in every text format, agent
 * trials' trajectories included. */
#include <stdlib.h>
#include <string.h>

#include "ab.h"
#include "report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rk_opts o = { .nk = 2, .ks = { 1, 3 }, .level = 0.95,
	    .alpha = 0.05, .reps = 20, .seed = 1, .thr = { 2, 5, 10 },
	    .cthr = { 10, 25, 50 }, .max_examples = 3 };
	struct rk_json j = { 0 };
	struct rk_attempt *a = ab_xmalloc(sizeof *a);
	struct rk_call calls[8];
	struct ab_buf traj = AB_BUF_INIT;
	struct rk_model m;
	struct rk_report r = { 0 };
	struct ab_error e;
	const char *p = (const char *)data, *end = p + size, *nl;
	size_t nc, k;
	FILE *devnull;
	int f;

	rk_model_init(&m);
	m.keep_code = true;
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		if (rk_json_scan(&j, p, (size_t)(nl - p), rk_record_skip,
		    &e) == 0 && j.v[0].type == RK_JOBJ &&
		    rk_attempt_from_json(&j, a, calls, 8, &nc, true, &e) == 0 &&
		    (!a->trial.is || rk_trajectory_html(p, (size_t)(nl - p),
		    &traj) < 0 || (a->traj = traj.s) != NULL) &&
		    rk_model_add(&m, a))
			for (k = 0; k < nc; k++)
				rk_model_add_call(&m, a, &calls[k]);
		ab_buf_reset(&traj);
		p = nl + 1;
	}
	rk_model_finish(&m);
	rk_view_leaderboard(&m, &o, &r);
	rk_view_breakdown(&m, &o, &r);
	rk_view_agents(&m, &o, &r);
	rk_view_compare(&m, &o, &r, &e);
	rk_view_regress(&m, &o, &r, &e);
	rk_view_cost(&m, &o, &r);
	rk_view_errors(&m, &o, &r);
	rk_view_trends(&m, &o, &r);
	rk_view_trials(&m, &o, &r);
	if ((devnull = fopen("/dev/null", "w")) != NULL) {
		for (f = RK_FMT_TABLE; f <= RK_FMT_JUNIT; f++)
			if (f != RK_FMT_HTML)
				rk_write(devnull, (enum rk_format)f, &r, true);
		rk_write_html(devnull, &m, &o, &r);
		fclose(devnull);
	}
	rk_report_release(&r);
	rk_model_release(&m);
	ab_buf_release(&traj);
	rk_json_release(&j);
	free(a);
	return 0;
}
