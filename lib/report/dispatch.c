/*
 * dispatch.c - a view by name: what ab-rank VIEW computes, shared by the
 * command line and the server (serve.c), so both give the same tables.
 */
#include <string.h>

#include "report.h"

int
rk_run_views(const char *view, const struct rk_model *m,
    const struct rk_model *runs_m, const struct rk_opts *o,
    struct rk_report *r, struct ab_error *err)
{
	struct ab_error e;

	if (runs_m == NULL)
		runs_m = m;
	bool all = strcmp(view, "all") == 0 || strcmp(view, "report") == 0;

	if (all || strcmp(view, "leaderboard") == 0)
		rk_view_leaderboard(m, o, r);
	if (all || strcmp(view, "breakdown") == 0) {
		rk_view_breakdown(m, o, r);
		rk_view_agents(m, o, r);
	}
	if (all || strcmp(view, "cost") == 0)
		rk_view_cost(m, o, r);
	if ((all || strcmp(view, "compare") == 0) &&
	    rk_view_compare(m, o, r, &e) < 0)
		return ab_error_set(err, e.kind, "compare: %s", e.msg);
	if ((all || strcmp(view, "regress") == 0) &&
	    rk_view_regress(runs_m, o, r, &e) < 0)
		return ab_error_set(err, e.kind, "regress: %s", e.msg);
	if (all || strcmp(view, "errors") == 0)
		rk_view_errors(m, o, r);
	if (all || strcmp(view, "trends") == 0)
		rk_view_trends(runs_m, o, r);
	if ((all && rk_model_has_trials(m)) || strcmp(view, "trials") == 0)
		rk_view_trials(m, o, r);
	if (all || strcmp(view, "consistency") == 0)
		rk_view_consistency(m, o, r);
	if (strcmp(view, "power") == 0)
		rk_view_power(m, o, r);
	return 0;
}

bool
rk_view_reads_runs(const char *view)
{
	return strcmp(view, "regress") == 0 || strcmp(view, "trends") == 0;
}
