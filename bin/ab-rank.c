/*
 * ab-rank - leaderboards, breakdowns, head to head comparisons, regression
 * verdicts, cost efficiency, error patterns, trends and an HTML report,
 * from records on stdin (or files) or from an ab-store database.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ab.h"
#include "report.h"
#include "store.h"

static const char *const views[] = { "leaderboard", "breakdown", "compare",
	"regress", "cost", "errors", "trends", "trials", "consistency", "power",
	"all", "report", "load", "attempts", NULL };

static const char help_text[] =
	    "Leaderboards, pass@k, head to head, regressions, cost, HTML report.\n"
	    "  -d database  read an ab-store database (else records from files or stdin)\n"
	    "  -r run       only this run (repeatable); -c config: only this configuration\n"
	    "  --pool       with -d, every run of a configuration (default: its latest)\n"
	    "  -f format    table, ndjson, csv, md, html or junit\n"
	    "  -k k,...     pass@k for these k\n"
	    "  load         latency percentiles, throughput, goodput (--slo ttft=MS,tpot=MS,itl=MS,e2e=MS)\n"
	    "Example:\n"
	    "  ab-rank -d results.db                 the leaderboard\n"
	    "  ab-rank -d results.db compare A B     two configurations head to head\n"
	    "  ab-rank -d results.db regress         exit 3 on a significant regression\n"
	    "  ab-rank -d results.db trials          agent trials: failures, time, cost\n"
	    "  ab-rank --serve 8080 results.db       live dashboard and JSON API\n"
	    "  ab-gen ... | ab-rank --follow         live leaderboard on the terminal\n"
	    "  ab-rank --follow -d results.db        ... while ab-store writes results.db\n";

static void
usage(FILE *fp)
{
	fprintf(fp, "usage: %s [-bhVw] [-c config] [-d database] [-f format] "
	    "[-j jobs] [-k k,...]\n"
	    "               [-o file] "
	    "[-r run] [--alpha p] [--baseline run] "
	    "[--bootstrap n] [--by dims]\n"
	    "               [--cost-thresholds a,b,c] [--drops d,...] "
	    "[--examples n] [--level p]\n"
	    "               [--max-not-run pct] [--max-record size] "
	    "[--run run] [--samples n,...]\n"
	    "               [--seed n] [--slo targets]\n"
	    "               [--thresholds a,b,c] "
	    "[--category c] [--difficulty d]\n"
	    "               [--language l] [--since time] [--until time] "
	    "[--follow]\n"
	    "               [--pool] [--serve [addr:]port] [--token token]\n"
	    "               "
	    "[view] [config ... --] [file ...]\n\n"
	    "views: leaderboard breakdown compare regress cost errors trends "
	    "trials consistency power all report load attempts\n"
	    "formats: table ndjson csv md html junit\n", ab_progname());
}

/* ---- reading records ------------------------------------------------------ */

struct input {
	struct rk_model *m;
	size_t max_record;
	int threads;
	bool stop_on_bad;
	int status;
};

static void
bad_line(const char *file, long line, const char *msg, void *ctx)
{
	ab_warn_read(AB_READ_BAD, file, line, msg);
}

/* Read one file (or stdin for "-") into the model; false to stop. */
static bool
read_file(struct input *in, char *path)
{
	struct ab_reader r;
	struct ab_error e;
	long nbad = 0;
	bool ioerr = false;

	ab_reader_init(&r, &path, 1, in->max_record);
	if (rk_read_records(in->m, &r, in->stop_on_bad ? 1 : in->threads,
	    in->stop_on_bad, bad_line, NULL, &nbad, &e) < 0) {
		ab_warnx("%s", e.msg);
		in->status = AB_EXIT_FAIL;
		ioerr = true;
	}
	ab_reader_release(&r);
	if (nbad > 0)
		in->status = AB_EXIT_FAIL;
	return !(in->stop_on_bad && (nbad > 0 || ioerr));
}

/* ---- --follow: a live leaderboard while records arrive --------------------- */

static void
follow_draw(struct rk_model *m, double level, bool last)
{
	struct ab_buf b = AB_BUF_INIT;
	struct winsize ws;
	int width = 80;

	if (ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		width = ws.ws_col;
	/* Home, clear, draw: one write, so the screen never shows half. */
	ab_buf_adds(&b, "\033[H\033[2J");
	if (!last)
		rk_live_render(&b, m, level, width);
	fwrite(b.s, 1, b.len, stdout);
	fflush(stdout);
	ab_buf_release(&b);
}

/* Read records one at a time (as rk_read_records would, single threaded),
 * redrawing the live table at most five times a second when stdout is a
 * terminal. */
static void
follow(struct input *in, char **files, int nfiles, double level)
{
	struct ab_reader r;
	struct ab_error e;
	struct rk_json j = { 0 };
	struct rk_attempt *a = ab_xmalloc(sizeof *a);
	struct rk_call calls[64];
	struct timespec now, last = { 0, 0 };
	bool tty = isatty(1);
	enum ab_read rc;
	size_t len, k, nc;
	char *line;
	double dt;
	int ar;

	ab_reader_init(&r, files, nfiles, in->max_record);
	while (!ab_interrupted() &&
	    (rc = ab_reader_line(&r, &line, &len, &e)) != AB_READ_EOF) {
		if (rc == AB_READ_IOERR) {
			ab_warnx("%s", e.msg);
			in->status = AB_EXIT_FAIL;
			if (in->stop_on_bad)
				break;
			continue;
		}
		ar = 0;
		if (rc == AB_READ_RECORD && (rk_json_scan(&j, line, len,
		    rk_record_skip, &e) < 0 || (j.v[0].type != RK_JOBJ &&
		    ab_error_set(&e, "parse", "not a JSON object") < 0) ||
		    (ar = rk_attempt_from_json(&j, a, calls, 64, &nc,
		    in->m->keep_code, &e)) < 0))
			rc = AB_READ_BAD;
		if (rc == AB_READ_BAD) {
			bad_line(r.name, r.line, e.msg, NULL);
			in->status = AB_EXIT_FAIL;
			if (in->stop_on_bad)
				break;
			continue;
		}
		if (ar > 0)
			continue;	/* a load record: no attempt */
		if (rk_model_add(in->m, a))
			for (k = 0; k < nc; k++)
				rk_model_add_call(in->m, a, &calls[k]);
		clock_gettime(CLOCK_MONOTONIC, &now);
		dt = (double)(now.tv_sec - last.tv_sec) +
		    (double)(now.tv_nsec - last.tv_nsec) / 1e9;
		/* Draw when the input pauses, or every 0.2 s. */
		if (tty && (dt >= 0.2 || !ab_reader_ready(&r))) {
			follow_draw(in->m, level, false);
			last = now;
		}
	}
	if (tty)
		follow_draw(in->m, level, true);
	ab_reader_release(&r);
	rk_json_release(&j);
	free(a);
}

/* The filters and settings of s, for a model d just initialised. */
static void
model_settings(struct rk_model *d, const struct rk_model *s)
{
	d->keep_code = s->keep_code;
	d->want_dims = s->want_dims;
	d->want_examples = s->want_examples;
	d->threads = s->threads;
	d->want_runs = s->want_runs;
	d->nwant_runs = s->nwant_runs;
	d->want_configs = s->want_configs;
	d->nwant_configs = s->nwant_configs;
	d->want_language = s->want_language;
	d->want_difficulty = s->want_difficulty;
	d->want_category = s->want_category;
	d->since = s->since;
	d->until = s->until;
}

/* Read the database into m, emptied first when again. */
static void
follow_load(struct rk_model *m, const struct rk_model *set, const char *db,
    bool again)
{
	struct ab_error e;

	if (again) {
		rk_model_release(m);
		rk_model_init(m);
		model_settings(m, set);
	}
	if (rk_db_load(m, db, &e) < 0)
		ab_errx(AB_EXIT_FATAL, "%s", e.msg);
}

/* --follow -d: poll the database four times a second; when another
 * process has committed to it, read it again and, on a terminal, redraw.
 * Ends at a signal (true), or (false) when the runs named with -r are all
 * in the database and no longer running, or without -r when some run was
 * seen running and none is any more.  m holds the database as last read,
 * not finished. */
static bool
follow_db(struct rk_model *m, const char *db, char **runs, int nruns,
    double level)
{
	struct rk_watch *w;
	struct rk_watch_state st;
	struct rk_model set;
	struct ab_error e;
	struct pollfd pfd = { .fd = ab_interrupt_fd(), .events = POLLIN };
	long long seen = -1, loaded = -1;
	long named = 0;
	bool tty = isatty(1), was_running = false, done = false;
	int i, k;

	/* Runs named twice count once. */
	for (i = 0; i < nruns; i++) {
		for (k = 0; k < i && strcmp(runs[k], runs[i]) != 0; k++)
			;
		named += k == i;
	}
	if ((w = rk_watch_open(db, &e)) == NULL)
		ab_errx(AB_EXIT_FATAL, "%s", e.msg);
	set = *m;	/* the settings only: its tables are m's */
	while (!ab_interrupted()) {
		if (rk_watch_poll(w, runs, nruns, &st, &e) < 0)
			ab_errx(AB_EXIT_FATAL, "%s", e.msg);
		seen = st.data_version;
		was_running = was_running || st.running > 0;
		done = nruns > 0 ? st.named_done >= named && st.running == 0 :
		    was_running && st.running == 0;
		/* In a pipe only the end is read. */
		if ((tty || done) && seen != loaded) {
			follow_load(m, &set, db, loaded != -1);
			loaded = seen;
			if (tty)
				follow_draw(m, level, false);
		}
		if (done)
			break;
		poll(&pfd, pfd.fd >= 0 ? 1 : 0, 250);
	}
	/* At a signal: the database as it stands now. */
	if (!done)
		follow_load(m, &set, db, loaded != -1);
	if (tty)
		follow_draw(m, level, true);
	rk_watch_close(w);
	return !done;
}

/* ---- --serve ------------------------------------------------------------ */

static void
serve(const char *spec, const char *db, const char *token, int threads)
{
	struct rk_serve_opts so = { 0 };
	struct rk_server *s;
	struct ab_error e;
	char *copy = ab_xstrdup(spec), *colon = strrchr(copy, ':');
	const char *port = copy, *addr = "127.0.0.1";
	sigset_t set;
	long v;
	int sig;

	if (colon != NULL) {
		*colon = '\0';
		port = colon + 1;
		addr = copy;
		/* [::1]:8080 */
		if (addr[0] == '[' && colon > copy && colon[-1] == ']') {
			colon[-1] = '\0';
			addr++;
		}
		if (strcmp(addr, "localhost") == 0)
			addr = "127.0.0.1";
	}
	if (ab_parse_long(port, 0, 65535, &v, &e) < 0)
		ab_errx(AB_EXIT_FATAL, "--serve: %s: expected [address:]port",
		    spec);
	if (!rk_addr_is_loopback(addr) && (token == NULL || *token == '\0'))
		ab_errx(AB_EXIT_FATAL, "--serve: %s is not a loopback address: "
		    "set a token with --token or AB_RANK_TOKEN", addr);
	if (token != NULL && strlen(token) < 16)
		ab_errx(AB_EXIT_FATAL, "--token: at least 16 characters");
	if (access(db, R_OK) != 0)
		ab_err(AB_EXIT_FATAL, "%s", db);
	so.db = db;
	so.addr = addr;
	so.port = (unsigned)v;
	so.token = token;
	so.threads = threads;
	so.max_busy = 2;
	so.no_cache = getenv("AB_RANK_NO_CACHE") != NULL &&
	    *getenv("AB_RANK_NO_CACHE") != '\0';
	/* Block the signals in every thread; this one waits for them. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	if ((s = rk_serve_start(&so, &e)) == NULL)
		ab_errx(AB_EXIT_FATAL, "--serve: %s", e.msg);
	fprintf(stderr, "%s: serving %s read-only at http://%s%s%s:%u/\n",
	    ab_progname(), db, strchr(addr, ':') ? "[" : "", addr,
	    strchr(addr, ':') ? "]" : "", rk_serve_port(s));
	fflush(stderr);
	sigwait(&set, &sig);
	rk_serve_stop(s);
	free(copy);
	ab_exit(AB_EXIT_OK);
}

/* ---- options --------------------------------------------------------------- */

static void
parse_list(const char *s, double *out, int n, double min, double max,
    const char *opt)
{
	struct ab_error e;
	char *copy = ab_xstrdup(s), *p = copy, *tok;
	int i = 0;

	while ((tok = strsep(&p, ",")) != NULL) {
		if (i == n || ab_parse_double(tok, min, max, &out[i], &e) < 0)
			ab_errx(AB_EXIT_FATAL, "%s: expected %d numbers, "
			    "e.g. 2,5,10", opt, n);
		i++;
	}
	if (i != n)
		ab_errx(AB_EXIT_FATAL, "%s: expected %d numbers", opt, n);
	if (!(out[0] <= out[1] && out[1] <= out[2]))
		ab_errx(AB_EXIT_FATAL, "%s: thresholds must not decrease",
		    opt);
	free(copy);
}

static enum rk_format
parse_format(const char *s)
{
	static const char *const names[] = { "table", "ndjson", "csv", "md",
	    "html", "junit", NULL };
	int i;

	for (i = 0; names[i] != NULL; i++)
		if (strcmp(s, names[i]) == 0)
			return (enum rk_format)i;
	if (strcmp(s, "json") == 0)
		return RK_FMT_NDJSON;
	if (strcmp(s, "markdown") == 0)
		return RK_FMT_MD;
	ab_warnx("unknown format %s", s);
	usage(stderr);
	ab_exit(AB_EXIT_FATAL);
}

/* The format a file name suggests, or -1. */
static int
format_of_name(const char *path)
{
	const char *dot = strrchr(path, '.');

	if (dot == NULL)
		return -1;
	if (strcmp(dot, ".html") == 0 || strcmp(dot, ".htm") == 0)
		return RK_FMT_HTML;
	if (strcmp(dot, ".csv") == 0)
		return RK_FMT_CSV;
	if (strcmp(dot, ".md") == 0)
		return RK_FMT_MD;
	if (strcmp(dot, ".xml") == 0)
		return RK_FMT_JUNIT;
	if (strcmp(dot, ".ndjson") == 0 || strcmp(dot, ".json") == 0 ||
	    strcmp(dot, ".jsonl") == 0)
		return RK_FMT_NDJSON;
	if (strcmp(dot, ".txt") == 0)
		return RK_FMT_TABLE;
	return -1;
}

/* --slo ttft=MS,tpot=MS,itl=MS,e2e=MS */
static void
parse_slo(const char *s, struct rk_slo *slo)
{
	struct ab_error e;
	char *copy = ab_xstrdup(s), *p = copy, *tok, *eq;
	double *dst, d;

	while ((tok = strsep(&p, ",")) != NULL) {
		if ((eq = strchr(tok, '=')) == NULL)
			ab_errx(AB_EXIT_FATAL, "--slo: %s: expected NAME=MS, "
			    "e.g. ttft=500,tpot=50", tok);
		*eq = '\0';
		dst = strcmp(tok, "ttft") == 0 ? &slo->ttft :
		    strcmp(tok, "tpot") == 0 ? &slo->tpot :
		    strcmp(tok, "itl") == 0 ? &slo->itl :
		    strcmp(tok, "e2e") == 0 ? &slo->e2e : NULL;
		if (dst == NULL)
			ab_errx(AB_EXIT_FATAL, "--slo: %s: expected ttft, "
			    "tpot, itl or e2e", tok);
		if (ab_parse_double(eq + 1, 0.001, 1e9, &d, &e) < 0)
			ab_errx(AB_EXIT_FATAL, "--slo: %s: %s", tok, e.msg);
		*dst = d;
	}
	free(copy);
}

static int
load_line(const char *line, size_t len, void *ctx)
{
	json_t *rec = json_loadb(line, len, 0, NULL);

	if (json_is_object(rec))
		rk_load_add(ctx, rec);
	json_decref(rec);
	return 0;
}

/* The load view: records of ab-gen --load from files, stdin or the
 * database, whatever else they hold left aside. */
static int
load_view(const char *db, char **files, int nfiles, char **runs, int nruns,
    char **cfgs, int ncfgs, const struct rk_slo *slo, enum rk_format fmt,
    const char *out, const struct rk_opts *o, struct input *in)
{
	struct rk_report rep = { 0 };
	struct rk_load *l = rk_load_new(slo, runs, nruns, cfgs, ncfgs);
	struct ab_reader r;
	struct ab_error e;
	enum ab_read rc;
	json_t *rec;
	FILE *fp = stdout;
	int status = in->status;

	if (fmt == RK_FMT_JUNIT)
		ab_errx(AB_EXIT_FATAL, "load: formats are table, ndjson, csv, "
		    "md and html");
	if (db != NULL) {
		if (rk_db_load_records(db, runs, nruns, load_line, l, &e) < 0)
			ab_errx(AB_EXIT_FATAL, "%s", e.msg);
	} else {
		ab_reader_init(&r, files, nfiles, in->max_record ?
		    in->max_record : AB_MAX_RECORD_DEFAULT);
		while ((rc = ab_reader_next(&r, &rec, &e)) != AB_READ_EOF) {
			if (rc != AB_READ_RECORD) {
				ab_warn_read(rc, r.name, r.line, e.msg);
				status = AB_EXIT_FAIL;
				continue;
			}
			rk_load_add(l, rec);
			json_decref(rec);
		}
		ab_reader_release(&r);
	}
	if (rk_load_count(l) == 0)
		ab_warnx("load: no record of ab-gen --load%s", nruns + ncfgs >
		    0 ? " for the runs and configurations named" : "");
	rk_view_load(l, &rep);
	if (out != NULL && (fp = fopen(out, "we")) == NULL)
		ab_err(AB_EXIT_FATAL, "%s", out);
	if ((fmt == RK_FMT_HTML ? rk_load_html(fp, l, &rep) :
	    rk_write(fp, fmt, &rep, o->wide)) < 0 || fflush(fp) == EOF ||
	    ferror(fp)) {
		if (fp == stdout) {
			fflush(stderr);
			exit(ab_close_stdout(AB_EXIT_FATAL));
		}
		ab_err(AB_EXIT_FATAL, "%s", out);
	}
	if (fp != stdout && fclose(fp) == EOF)
		ab_err(AB_EXIT_FATAL, "%s", out);
	if (rk_load_count(l) == 0 && status == AB_EXIT_OK)
		status = AB_EXIT_FAIL;
	rk_report_release(&rep);
	rk_load_free(l);
	return status;
}

static void
run_views(const char *view, const struct rk_model *m,
    const struct rk_model *runs_m, const struct rk_opts *o,
    struct rk_report *r)
{
	struct ab_error e;

	if (rk_run_views(view, m, runs_m, o, r, &e) < 0)
		ab_errx(AB_EXIT_FATAL, "%s", e.msg);
}

/* dst reads what src reads, in every run (dst not yet loaded). */
static void
same_filters(struct rk_model *dst, const struct rk_model *src)
{
	dst->keep_code = src->keep_code;
	dst->want_dims = src->want_dims;
	dst->want_examples = src->want_examples;
	dst->want_configs = src->want_configs;
	dst->nwant_configs = src->nwant_configs;
	dst->want_category = src->want_category;
	dst->want_difficulty = src->want_difficulty;
	dst->want_language = src->want_language;
	dst->since = src->since;
	dst->until = src->until;
	dst->threads = src->threads;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "alpha", required_argument, NULL, 'A' },
		{ "baseline", required_argument, NULL, 'B' },
		{ "bootstrap", required_argument, NULL, 'N' },
		{ "by", required_argument, NULL, 'Y' },
		{ "cost-thresholds", required_argument, NULL, 'C' },
		{ "examples", required_argument, NULL, 'E' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "level", required_argument, NULL, 'L' },
		{ "max-not-run", required_argument, NULL, 'X' },
		{ "max-record", required_argument, NULL, 'M' },
		{ "run", required_argument, NULL, 'R' },
		{ "seed", required_argument, NULL, 'S' },
		{ "slo", required_argument, NULL, 'O' },
		{ "thresholds", required_argument, NULL, 'T' },
		{ "wide", no_argument, NULL, 'w' },
		{ "category", required_argument, NULL, 256 },
		{ "difficulty", required_argument, NULL, 257 },
		{ "language", required_argument, NULL, 258 },
		{ "since", required_argument, NULL, 259 },
		{ "until", required_argument, NULL, 260 },
		{ "follow", no_argument, NULL, 261 },
		{ "serve", required_argument, NULL, 262 },
		{ "token", required_argument, NULL, 263 },
		{ "drops", required_argument, NULL, 264 },
		{ "samples", required_argument, NULL, 265 },
		{ "pool", no_argument, NULL, 266 },
		{ NULL, 0, NULL, 0 },
	};
	struct rk_opts o = { .nk = 1, .ks = { 1 }, .level = 0.95,
	    .alpha = 0.05, .reps = 2000, .seed = 1, .thr = { 2, 5, 10 },
	    .cthr = { 10, 25, 50 }, .max_examples = 3 };
	struct rk_model m;
	struct rk_slo slo = { 0 };
	struct rk_report rep = { 0 };
	struct input in = { 0 };
	struct ab_error e;
	const char *db = NULL, *out = NULL, *view = "leaderboard";
	const char *category = NULL, *difficulty = NULL, *language = NULL;
	const char *since = NULL, *until = NULL, *serve_at = NULL;
	const char *token = getenv("AB_RANK_TOKEN");
	bool live = false, stopped = false, pool = false;
	struct rk_model all_runs, *runs_m = NULL;
	char **runs, **cfgs, **ops, *copy, *p, *tok;
	int ch, fmt = -1, nruns = 0, ncfgs = 0, dd, nops = 0, i, nfiles;
	int status;
	long v;
	double d;
	FILE *fp;
	char **files;

	ab_init(argv[0]);
	runs = ab_xcalloc((size_t)argc + 1, sizeof *runs);
	cfgs = ab_xcalloc((size_t)argc + 1, sizeof *cfgs);
	o.by = ab_xcalloc((size_t)argc * 4 + 8, sizeof *o.by);
	/* Options end at "--"; for compare, the operands before it name
	 * configurations and those after it are files. */
	for (dd = 1; dd < argc && strcmp(argv[dd], "--") != 0; dd++)
		;
	while ((ch = getopt_long(dd, argv, "bc:d:f:hj:k:o:r:Vw", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'b':
			in.stop_on_bad = true;
			break;
		case 'c':
			cfgs[ncfgs++] = optarg;
			break;
		case 'd':
			db = optarg;
			break;
		case 'f':
			fmt = (int)parse_format(optarg);
			break;
		case 'j':
			v = ab_opt_long("-j", optarg, 1, 16);
			in.threads = (int)v;
			break;
		case 'k':
			o.nk = 0;
			copy = ab_xstrdup(optarg);
			p = copy;
			while ((tok = strsep(&p, ",")) != NULL) {
				if (o.nk == 8 || ab_parse_long(tok, 1, 100000,
				    &v, &e) < 0)
					ab_errx(AB_EXIT_FATAL, "-k: expected "
					    "up to 8 numbers from 1, e.g. "
					    "1,5,10");
				o.ks[o.nk++] = v;
			}
			free(copy);
			break;
		case 'o':
			out = optarg;
			break;
		case 'r':
			runs[nruns++] = optarg;
			break;
		case 'w':
			o.wide = true;
			break;
		case 'A':
			o.alpha = ab_opt_double("--alpha", optarg, 1e-12, 0.5);
			break;
		case 'B':
			o.baseline = optarg;
			break;
		case 'C':
			parse_list(optarg, o.cthr, 3, 0, 1e9,
			    "--cost-thresholds");
			break;
		case 'E':
			v = ab_opt_long("--examples", optarg, 0, 3);
			o.max_examples = (int)v;
			break;
		case 'L':
			o.level = ab_opt_double("--level",
			    optarg, 0.5, 0.999999);
			break;
		case 'M':
			in.max_record = ab_opt_size("--max-record",
			    optarg, 1, SIZE_MAX);
			break;
		case 'N':
			v = ab_opt_long("--bootstrap", optarg, 0, 1000000);
			o.reps = (unsigned)v;
			break;
		case 'X':
			o.limit_not_run = true;
			o.max_not_run = ab_opt_double("--max-not-run", optarg,
			    0, 100);
			break;
		case 'R':
			o.current = optarg;
			break;
		case 'S':
			if (ab_parse_double(optarg, 0, 1.8e19, &d, &e) < 0 ||
			    d != (double)(uint64_t)d)
				ab_errx(AB_EXIT_FATAL, "--seed: expected a "
				    "whole number");
			o.seed = (uint64_t)d;
			break;
		case 'O':
			parse_slo(optarg, &slo);
			break;
		case 'T':
			parse_list(optarg, o.thr, 3, 0, 100, "--thresholds");
			break;
		case 'Y':
			copy = ab_xstrdup(optarg);
			p = copy;
			while ((tok = strsep(&p, ",")) != NULL) {
				if (strcmp(tok, "difficulty") != 0 &&
				    strcmp(tok, "category") != 0 &&
				    strcmp(tok, "language") != 0 &&
				    strcmp(tok, "suite") != 0)
					ab_errx(AB_EXIT_FATAL, "--by: %s: "
					    "expected difficulty, category, "
					    "language or suite", tok);
				o.by[o.nby++] = ab_xstrdup(tok);
			}
			free(copy);
			break;
		case 256:
			category = optarg;
			break;
		case 257:
			difficulty = optarg;
			break;
		case 258:
			language = optarg;
			break;
		case 259:
			since = optarg;
			break;
		case 260:
			until = optarg;
			break;
		case 261:
			live = true;
			break;
		case 262:
			serve_at = optarg;
			break;
		case 263:
			token = optarg;
			break;
		case 264:
		case 265:
			if (rk_parse_plan_list(optarg, ch == 264, &o, &e) < 0)
				ab_errx(AB_EXIT_FATAL, "%s: %s", ch == 264 ?
				    "--drops" : "--samples", e.msg);
			break;
		case 266:
			pool = true;
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
	ops = argv + optind;
	nops = dd - optind;
	if (nops > 0) {
		for (i = 0; views[i] != NULL; i++)
			if (strcmp(ops[0], views[i]) == 0)
				break;
		if (views[i] != NULL) {
			view = views[i];
			ops++;
			nops--;
		}
	}
	files = ab_xcalloc((size_t)argc + 1, sizeof *files);
	nfiles = 0;
	if (strcmp(view, "compare") == 0) {
		/* Operands before "--" are configurations, after it
		 * files; with no "--" they are configurations with -d and
		 * files otherwise.  Never decided by what exists on disk:
		 * a file named like a configuration must not change what
		 * is compared. */
		o.compare = ab_xcalloc((size_t)argc + 1, sizeof *o.compare);
		for (i = 0; i < nops; i++) {
			if (dd == argc && db == NULL)
				files[nfiles++] = ops[i];
			else
				o.compare[o.ncompare++] = ops[i];
		}
		for (i = dd + 1; i < argc; i++)
			files[nfiles++] = argv[i];
		if (o.ncompare == 1)
			ab_errx(AB_EXIT_FATAL, "compare: name two or more "
			    "configurations, or none for all");
	} else {
		/* Operands before and after "--" are all files. */
		for (i = 0; i < nops; i++)
			files[nfiles++] = ops[i];
		for (i = dd + 1; i < argc; i++)
			files[nfiles++] = argv[i];
	}
	if (serve_at != NULL) {
		if (db == NULL && nfiles == 1 && strcmp(view, "leaderboard") == 0)
			db = files[0];
		else if (db == NULL || nfiles > 0)
			ab_errx(AB_EXIT_FATAL, "--serve: name one database");
		if (in.threads == 0)
			in.threads = 2;
		free(files);	/* db is an argv string */
		free(o.compare);
		serve(serve_at, db, token != NULL && *token != '\0' ? token :
		    NULL, in.threads);
	}
	if (db != NULL && nfiles > 0)
		ab_errx(AB_EXIT_FATAL, "-d and file operands exclude each "
		    "other");
	if (db == NULL && nfiles == 0 && isatty(0) && getenv("AB_DB") &&
	    *getenv("AB_DB") != '\0')
		db = getenv("AB_DB");
	if (fmt < 0 && out != NULL)
		fmt = format_of_name(out);
	if (fmt < 0)
		fmt = strcmp(view, "report") == 0 ? RK_FMT_HTML :
		    isatty(out != NULL ? -1 : 1) ? RK_FMT_TABLE :
		    RK_FMT_NDJSON;

	if (strcmp(view, "load") == 0)
		ab_exit(load_view(db, files, nfiles, runs, nruns, cfgs, ncfgs,
		    &slo, (enum rk_format)fmt, out, &o, &in));
	/* After the load view, which keeps the default signals. */
	ab_interrupt_catch(NULL);
	rk_model_init(&m);
	m.keep_code = m.want_dims = fmt == RK_FMT_HTML;
	m.want_examples = fmt == RK_FMT_HTML || strcmp(view, "errors") == 0 ||
	    strcmp(view, "all") == 0 || strcmp(view, "report") == 0;
	m.want_runs = runs;
	m.nwant_runs = nruns;
	m.want_configs = cfgs;
	m.nwant_configs = ncfgs;
	m.want_category = category;
	m.want_difficulty = difficulty;
	m.want_language = language;
	m.since = since;
	m.until = until;
	/* The runs of a database are not pooled unless asked: a 100% run
	 * and a 50% one of a configuration are not one 75% subject. */
	m.latest = db != NULL && !pool && !rk_view_reads_runs(view);
	if ((since != NULL || until != NULL) && db == NULL)
		ab_errx(AB_EXIT_FATAL, "--since and --until need -d (records "
		    "carry no run start time)");
	if (strcmp(view, "attempts") == 0) {
		if (db == NULL || fmt == RK_FMT_HTML)
			ab_errx(AB_EXIT_FATAL, "attempts: needs -d, and a "
			    "format other than html");
		if (rk_db_attempts(db, &m, LONG_MAX, 0, &rep, &e) < 0)
			ab_errx(AB_EXIT_FATAL, "%s", e.msg);
		m.records = -1;
	}
	in.m = &m;
	if (in.threads == 0) {
		/* Parser threads: one per processor, at most four. */
		v = sysconf(_SC_NPROCESSORS_ONLN);
		in.threads = v < 1 ? 1 : v > 4 ? 4 : (int)v;
	}
	in.max_record = in.max_record ? in.max_record : AB_MAX_RECORD_DEFAULT;
	m.threads = in.threads;
	if (m.records < 0) {
		/* attempts: read above */
	} else if (live && db != NULL) {
		/* A signal ends the following; the database as it stands is
		 * a whole report, so it is written. */
		stopped = follow_db(&m, db, runs, nruns, o.level);
	} else if (live) {
		follow(&in, files, nfiles, o.level);
	} else if (db != NULL) {
		if (rk_db_load(&m, db, &e) < 0)
			ab_errx(AB_EXIT_FATAL, "%s", e.msg);
	} else if (nfiles == 0) {
		char dash[] = "-";

		read_file(&in, dash);
	} else {
		for (i = 0; i < nfiles; i++)
			if (!read_file(&in, files[i]))
				break;
	}
	rk_model_finish(&m);
	/* A misspelt run or configuration must not read as "nothing to
	 * report": a CI gate would pass without comparing anything. */
	if (strcmp(view, "attempts") != 0 && rk_model_check_filters(&m,
	    &e) < 0)
		ab_errx(AB_EXIT_FATAL, "%s", e.msg);

	/* A run cut short must not read as a whole one. */
	for (i = 0; i < (int)m.nruns; i++)
		if (m.runs[i].status != NULL &&
		    strncmp(m.runs[i].status, "partial", 7) == 0)
			ab_warnx("run %s is %s%s: what it shows is only what "
			    "was stored", m.runs[i].id, m.runs[i].status,
			    strchr(m.runs[i].status, '/') != NULL ?
			    " (attempts stored/planned)" : "");
	/* The report's regress and trends, and its charts of runs, read
	 * every run. */
	if (m.latest && m.latest_dropped > 0 && (fmt == RK_FMT_HTML ||
	    strcmp(view, "all") == 0 || strcmp(view, "report") == 0)) {
		rk_model_init(&all_runs);
		same_filters(&all_runs, &m);
		if (rk_db_load(&all_runs, db, &e) < 0)
			ab_errx(AB_EXIT_FATAL, "%s", e.msg);
		rk_model_finish(&all_runs);
		runs_m = &all_runs;
		m.runs_model = runs_m;
	}
	if (strcmp(view, "attempts") != 0)
		run_views(fmt == RK_FMT_HTML ? "all" : view, &m, runs_m, &o,
		    &rep);
	/* A report of the records read before a signal would look whole:
	 * none is written.  Once writing began, it is finished. */
	if (ab_interrupted() && !stopped) {
		ab_warnx("interrupted by %s: no report written",
		    ab_interrupted() == SIGINT ? "SIGINT" :
		    ab_interrupted() == SIGTERM ? "SIGTERM" : "SIGHUP");
		ab_exit(AB_EXIT_FATAL);
	}
	if (out != NULL) {
		if ((fp = fopen(out, "we")) == NULL)
			ab_err(AB_EXIT_FATAL, "%s", out);
	} else {
		fp = stdout;
	}
	if (fmt == RK_FMT_HTML)
		i = rk_write_html(fp, &m, &o, &rep);
	else
		i = rk_write(fp, (enum rk_format)fmt, &rep, o.wide);
	if (fp == stdout && (i < 0 || fflush(fp) == EOF || ferror(fp))) {
		/* Reported once, by the close. */
		fflush(stderr);
		exit(ab_close_stdout(AB_EXIT_FATAL));
	}
	if (i < 0 || fflush(fp) == EOF || ferror(fp))
		ab_err(AB_EXIT_FATAL, "%s", out);
	if (fp != stdout && fclose(fp) == EOF)
		ab_err(AB_EXIT_FATAL, "%s", out);
	status = in.status;
	if (strcmp(view, "regress") == 0 && rep.regression)
		status = AB_EXIT_REGRESSION;
	else if (strcmp(view, "regress") == 0 && rep.not_run_over)
		status = AB_EXIT_NOT_RUN;
	rk_report_release(&rep);
	rk_model_release(&m);
	if (runs_m != NULL)
		rk_model_release(runs_m);
	for (i = 0; i < o.nby; i++)
		free(o.by[i]);
	free(o.by);
	free(files);
	free(o.compare);
	free(runs);
	free(cfgs);
	ab_exit(status);
}
