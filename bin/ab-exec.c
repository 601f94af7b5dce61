/*
 * ab-exec - run each attempt's code against its task's tests in a sandbox
 * and add the member "exec" (see ab-exec(1) and ab-record(5)): options,
 * the record loop and the worker pool; the judge is lib/exec (exec.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ab.h"
#include "exec.h"
#include "sandbox.h"
#include "workspace.h"

struct ctx {
	struct ab_exec_opts eo;	/* limits, --cold, --sources */
	bool allow_degraded;
	bool pin;		/* a CPU per worker (not --no-pin) */
	int jobs;
	struct ab_sandbox *sb;	/* the slot's, made on first use */
	struct ab_exec *x;	/* the judge in it */
	json_t *isolation;	/* the sandbox's, for workspace grading */
	char *pch_dir;		/* owned; NULL with --no-cache */
	char *checker_dir;	/* owned; NULL with --no-cache */
	char *modules_dir;	/* owned; --modules, absolute, or NULL */
};

static const char help_text[] =
	    "Run each attempt's code against its task's tests in a sandbox; add \"exec\".\n"
	    "  -j jobs          records at once (default 1)\n"
	    "  --cpu-ms ms      CPU limit per test (default: the task's, else 2000)\n"
	    "  --memory-mb mb   memory limit (default: the task's, else 256)\n"
	    "  --cold           no warm interpreters (slower, for comparison)\n"
	    "  --no-cache       no precompiled headers nor cached checkers (slower)\n"
	    "  --modules dir    packages the solutions may load, read-only: for\n"
	    "                   node dir/node_modules, for python dir/python\n"
	    "  --allow-degraded run even when an isolation layer is missing\n"
	    "Example:\n"
	    "  ab-extract gen.ndjson | ab-exec -j 2 >exec.ndjson\n";

static void
usage(FILE *fp)
{
	fprintf(fp, "usage: %s [-bhV] [-j jobs] [--allow-degraded] [--cold] "
	    "[--no-pin]\n"
	    "               [--cpu-ms ms] [--wall-ms ms] [--memory-mb mb]\n"
	    "               [--max-record size] [--sources dir] [--cache-dir dir]\n"
	    "               [--modules dir] [--no-cache] [file ...]\n",
	    ab_progname());
}

/* What the judge says that is not a record's verdict. */
static void
warn(const char *msg, void *arg)
{
	ab_warnx("%s", msg);
}

/* ---- the record loop and the workers ----------------------------------- */

static void
need_sandbox(struct ctx *c, int slot)
{
	struct ab_sandbox_opts so;
	struct ab_error e;

	if (c->sb != NULL)
		return;
	memset(&so, 0, sizeof so);
	so.cache_ro = c->pch_dir;
	so.modules_ro = c->modules_dir;
	so.allow_degraded = c->allow_degraded;
	so.slot = slot;
	if (so.cache_ro != NULL &&
	    (c->sb = ab_sandbox_new(&so, &e)) == NULL &&
	    (strstr(e.msg, "bind " AB_SANDBOX_CACHE) != NULL ||
	    strstr(e.msg, c->pch_dir) != NULL)) {
		/* Without the cache (an unprivileged user cannot clone a
		 * mount, say): the builds go without it. */
		ab_warnx("building without precompiled headers: %s", e.msg);
		so.cache_ro = NULL;
		c->eo.pch_dir = NULL;
	}
	if (c->sb == NULL && (c->sb = ab_sandbox_new(&so, &e)) == NULL) {
		if (strcmp(e.kind, "degraded") == 0)
			ab_errx(AB_EXIT_FATAL, "refusing to run: %s (use "
			    "--allow-degraded to run anyway)", e.msg);
		ab_errx(AB_EXIT_FATAL, "sandbox: %s", e.msg);
	}
	c->x = ab_exec_new(&c->eo, c->sb);
	c->isolation = ab_sandbox_isolation(c->sb);
}

/* The cache's directory dir/exec/NAME, made (mode, its parents 0700);
 * NULL when it cannot be (the builds then go without what, a warning
 * says so).  New. */
static char *
cache_subdir(const char *dir, const char *name, mode_t mode,
    const char *what)
{
	char *path, *p;
	struct stat st;

	path = ab_xasprintf("%s/exec/%s", dir, name);
	errno = 0;
	for (p = path + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0700) < 0 && errno != EEXIST)
			break;
		*p = '/';
	}
	if (*p == '\0' && (mkdir(path, mode) == 0 || errno == EEXIST) &&
	    lstat(path, &st) == 0 && S_ISDIR(st.st_mode) &&
	    chmod(path, mode) == 0 && ab_exec_pch_dir_ok(path))
		return path;
	ab_warnx("%s: %s: building without %s", path,
	    errno != 0 ? strerror(errno) : "not a plain absolute path", what);
	free(path);
	return NULL;
}

/* Process one record in place; returns the record's exit status. */
static int
process(struct ctx *c, json_t *rec, int slot)
{
	json_t *m;

	if (ab_upstream_failed(rec, "exec")) {
		ab_set_stage(rec, "exec", ab_skipped_json());
		return AB_EXIT_OK;
	}
	need_sandbox(c, slot);
	if (ab_ws_is_workspace(ab_get(rec, "task"))) {
		struct ab_ws_grade_opts wo = { c->eo.cpu_ms, c->eo.wall_ms,
			c->eo.memory_mb };

		m = ab_ws_grade(c->sb, rec, &wo, c->isolation);
	} else
		m = ab_exec_record(c->x, rec);
	ab_set_stage(rec, "exec", m);
	return json_is_null(json_object_get(m, "error")) ? AB_EXIT_OK :
	    AB_EXIT_FAIL;
}

/* What to do with a record: CHECK_RUN judge it; CHECK_KEEP pass it on
 * with an exec error (an attempt whose task lacks what ab-exec needs is
 * kept, with a diagnostic, so it never vanishes from the counts);
 * CHECK_REJECT not an attempt at all (no id or no task). */
enum check { CHECK_RUN, CHECK_KEEP, CHECK_REJECT };

static enum check
check_record(json_t *rec, const char *file, long line)
{
	static const char *const need[] = { "task", NULL };
	const char *what = NULL;

	if (!ab_require(rec, file, line, need))
		return CHECK_REJECT;
	if (ab_upstream_failed(rec, "exec"))
		return CHECK_RUN;
	if (ab_ws_is_workspace(ab_get(rec, "task"))) {
		struct ab_error e;

		/* A workspace task that cannot be graded is said here; the
		 * grading then gives it exec.error {"kind": "task"}. */
		if (ab_ws_task_problem(ab_get(rec, "task"), &e) < 0)
			ab_warnx_at(file, line, "record %s: %s (kept with "
			    "exec.error)", ab_get_str(rec, "id"), e.msg);
		if (!json_is_string(ab_get(rec, "extract.patch")))
			what = "extract.patch must be a string";
	} else if (!json_is_array(ab_get(rec, "task.tests")))
		what = "task.tests must be an array";
	else if (ab_get_str(rec, "task.language") == NULL)
		what = "task.language must be a string";
	else if (ab_get_str(rec, "extract.code") == NULL)
		what = "extract.code must be a string";
	if (what == NULL)
		return CHECK_RUN;
	ab_warnx_at(file, line, "record %s: %s (kept with exec.error)",
	    ab_get_str(rec, "id"), what);
	ab_set_stage(rec, "exec", json_pack("{s:s, s:i, s:i, s:[], s:{s:s, "
	    "s:s}}", "verdict", "internal_error", "passed", 0, "total", 0,
	    "tests", "error", "kind", "task", "message", what));
	return CHECK_KEEP;
}

/* Framed messages between the main process and a worker. */
static int
put_frame(int fd, const char *s, size_t n, int status)
{
	unsigned char h[9];
	size_t off;
	ssize_t w;
	int i;

	for (i = 0; i < 8; i++)
		h[i] = (unsigned char)(n >> (56 - 8 * i));
	h[8] = (unsigned char)status;
	for (off = 0; off < sizeof h; off += (size_t)w)
		if ((w = write(fd, h + off, sizeof h - off)) <= 0 &&
		    errno != EINTR)
			return -1;
		else if (w < 0)
			w = 0;
	for (off = 0; off < n; off += (size_t)w)
		if ((w = write(fd, s + off, n - off)) <= 0 && errno != EINTR)
			return -1;
		else if (w < 0)
			w = 0;
	return 0;
}

static int
read_full(int fd, void *p, size_t n)
{
	size_t off;
	ssize_t r;

	for (off = 0; off < n; off += (size_t)r)
		if ((r = read(fd, (char *)p + off, n - off)) <= 0) {
			if (r < 0 && errno == EINTR) {
				r = 0;
				continue;
			}
			return -1;
		}
	return 0;
}

/* A new frame's text (NUL-terminated), or NULL at EOF or error. */
static char *
get_frame(int fd, size_t *n, int *status)
{
	unsigned char h[9];
	uint64_t len = 0;
	char *s;
	int i;

	if (read_full(fd, h, sizeof h) < 0)
		return NULL;
	for (i = 0; i < 8; i++)
		len = len << 8 | h[i];
	if (len > ((uint64_t)1 << 40))
		return NULL;
	*status = h[8];
	s = ab_xmalloc((size_t)len + 1);
	if (read_full(fd, s, (size_t)len) < 0) {
		free(s);
		return NULL;
	}
	s[len] = '\0';
	*n = (size_t)len;
	return s;
}

struct worker {
	pid_t pid;
	int to, from;
	long seq;		/* record being processed, -1 when idle */
};

struct pending {
	char *text;		/* the finished record, new */
	int status;
	bool ready;
};

struct par {
	struct ctx *c;
	struct worker *w;
	int nw;
	struct pending *q;	/* by seq - base */
	long base, next;	/* first unemitted seq, next seq to assign */
	size_t cap;
	int status;
};

/* With no more workers than allowed CPUs, each worker keeps to a CPU of
 * its own, and so do its keeper, zygotes and runs (they inherit it): a
 * run's processes hand the CPU to each other in turn (checker,
 * solution, keeper, worker), and a wake-up on the same CPU costs a
 * fraction of one sent to another.  The CPUs are taken in turn from
 * the one the main process is on, so that several ab-exec processes
 * started side by side spread as the kernel placed them. */
static void
pin_worker(int slot, int nw, int base)
{
	cpu_set_t allowed, one;
	int cpu, k = 0, n, want;

	if (base < 0 || sched_getaffinity(0, sizeof allowed, &allowed) < 0 ||
	    nw > (n = CPU_COUNT(&allowed)))
		return;
	want = (base + slot) % n;
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (!CPU_ISSET(cpu, &allowed) || k++ != want)
			continue;
		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
		(void)sched_setaffinity(0, sizeof one, &one);
		return;
	}
}

/* Where the main process is among its allowed CPUs (pin_worker's base),
 * or -1 not to pin. */
static int
pin_base(bool pin)
{
	cpu_set_t allowed;
	int cpu, me = sched_getcpu(), k = 0;

	if (!pin || me < 0 || sched_getaffinity(0, sizeof allowed,
	    &allowed) < 0)
		return -1;
	for (cpu = 0; cpu < me && cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, &allowed))
			k++;
	return k;
}

static AB_NORETURN void
worker_main(struct ctx *c, int slot, int nw, int base, int in, int out)
{
	char *text;
	size_t n;
	int st;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	pin_worker(slot, nw, base);
	while ((text = get_frame(in, &n, &st)) != NULL) {
		json_t *rec = json_loadb(text, n, 0, NULL);
		char *res;

		free(text);
		if (rec == NULL)
			_exit(AB_EXIT_FATAL);
		st = process(c, rec, slot);
		res = ab_json_text(rec);
		json_decref(rec);
		if (res == NULL || put_frame(out, res, strlen(res), st) < 0)
			_exit(AB_EXIT_FATAL);
		free(res);
	}
	ab_exec_free(c->x);
	json_decref(c->isolation);
	ab_sandbox_free(c->sb);
	_exit(0);
}

static long nwritten;		/* records written by emit_text */
static struct ab_progress prog;	/* on a terminal only */
static long ndone, nfailed;	/* records done (or rejected), failed */

static void
count(int status)
{
	ndone++;
	if (status != AB_EXIT_OK)
		nfailed++;
	ab_progress_show(&prog, ndone, nfailed, false);
}

/* One finished record, flushed at once: a second signal (which kills)
 * is held back until the line is whole. */
static void
emit_text(const char *s)
{
	ab_interrupt_hold(true);
	if (fputs(s, stdout) == EOF || putchar('\n') == EOF ||
	    fflush(stdout) == EOF) {
		ab_warn("stdout");
		exit(AB_EXIT_FATAL);
	}
	ab_interrupt_hold(false);
	nwritten++;
}

static void
flush_ready(struct par *p)
{
	while (p->base < p->next && p->q[0].ready) {
		if (p->q[0].text != NULL)
			emit_text(p->q[0].text);
		free(p->q[0].text);
		if (p->q[0].status > p->status)
			p->status = p->q[0].status;
		count(p->q[0].status);
		memmove(p->q, p->q + 1, sizeof *p->q *
		    (size_t)(p->next - p->base - 1));
		p->base++;
	}
}

/* Wait for one worker to finish its record. */
static void
collect(struct par *p)
{
	struct pollfd *pf = ab_xcalloc((size_t)p->nw, sizeof *pf);
	int i;

	for (i = 0; i < p->nw; i++) {
		pf[i].fd = p->w[i].seq >= 0 ? p->w[i].from : -1;
		pf[i].events = POLLIN;
	}
	while (poll(pf, (nfds_t)p->nw, -1) < 0)
		if (errno != EINTR)
			ab_err(AB_EXIT_FATAL, "poll");
	for (i = 0; i < p->nw; i++) {
		struct pending *q;
		size_t n;
		int st;

		if (pf[i].fd < 0 || pf[i].revents == 0)
			continue;
		q = &p->q[p->w[i].seq - p->base];
		if ((q->text = get_frame(p->w[i].from, &n, &st)) == NULL)
			ab_errx(AB_EXIT_FATAL, "worker %d died", i);
		q->status = st;
		q->ready = true;
		p->w[i].seq = -1;
	}
	free(pf);
	flush_ready(p);
}

static void
start_workers(struct par *p)
{
	int i, a[2], b[2], base = pin_base(p->c->pin);

	fflush(stdout);
	fflush(stderr);
	p->w = ab_xcalloc((size_t)p->nw, sizeof *p->w);
	for (i = 0; i < p->nw; i++) {
		if (pipe2(a, O_CLOEXEC) < 0 || pipe2(b, O_CLOEXEC) < 0)
			ab_err(AB_EXIT_FATAL, "pipe");
		if ((p->w[i].pid = fork()) < 0)
			ab_err(AB_EXIT_FATAL, "fork");
		if (p->w[i].pid == 0) {
			int k;

			close(a[1]);
			close(b[0]);
			for (k = 0; k < i; k++) {
				close(p->w[k].to);
				close(p->w[k].from);
			}
			worker_main(p->c, i, p->nw, base, a[0], b[1]);
		}
		close(a[0]);
		close(b[1]);
		p->w[i].to = a[1];
		p->w[i].from = b[0];
		p->w[i].seq = -1;
	}
}

static int
par_record(json_t *rec, const char *file, long line, void *ctx)
{
	struct par *p = ctx;
	struct pending *q;
	char *text;
	int i;

	enum check ck = check_record(rec, file, line);

	if (ck == CHECK_REJECT) {
		count(AB_EXIT_FAIL);
		return AB_REC_REJECTED;
	}
	if ((size_t)(p->next - p->base) >= p->cap) {
		p->cap = p->cap ? 2 * p->cap : 64;
		p->q = ab_xrealloc(p->q, p->cap * sizeof *p->q);
	}
	q = &p->q[p->next - p->base];
	memset(q, 0, sizeof *q);
	p->next++;
	if (ck == CHECK_KEEP || ab_upstream_failed(rec, "exec")) {
		if (ck != CHECK_KEEP)
			ab_set_stage(rec, "exec", ab_skipped_json());
		q->text = ab_json_text(rec);
		q->ready = true;
		flush_ready(p);
		return ck == CHECK_KEEP ? AB_EXIT_FAIL : AB_EXIT_OK;
	}
	if (p->w == NULL)
		start_workers(p);
	for (;;) {
		for (i = 0; i < p->nw; i++)
			if (p->w[i].seq < 0)
				break;
		if (i < p->nw)
			break;
		collect(p);
	}
	if (ab_interrupted()) {
		/* Waited for a worker as the signal came: not begun (the
		 * queue may have moved while waiting). */
		p->q[p->next - 1 - p->base].ready = true;
		flush_ready(p);
		return AB_EXIT_OK;
	}
	text = ab_json_text(rec);
	p->w[i].seq = p->next - 1;
	if (text == NULL || put_frame(p->w[i].to, text, strlen(text), 0) < 0)
		ab_errx(AB_EXIT_FATAL, "worker %d died", i);
	free(text);
	return AB_EXIT_OK;
}

static int
one_record(json_t *rec, const char *file, long line, void *ctx)
{
	struct ctx *c = ctx;
	int st;

	switch (check_record(rec, file, line)) {
	case CHECK_REJECT:
		count(AB_EXIT_FAIL);
		return AB_REC_REJECTED;
	case CHECK_KEEP:
		ab_emit(rec, true);
		count(AB_EXIT_FAIL);
		return AB_EXIT_FAIL;
	case CHECK_RUN:
		break;
	}
	st = process(c, rec, 0);
	ab_emit(rec, true);
	count(st);
	return st;
}


int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "allow-degraded", no_argument, NULL, 'D' },
		{ "cold", no_argument, NULL, 'c' },
		{ "cpu-ms", required_argument, NULL, 'C' },
		{ "wall-ms", required_argument, NULL, 'W' },
		{ "memory-mb", required_argument, NULL, 'm' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "max-record", required_argument, NULL, 'M' },
		{ "no-pin", no_argument, NULL, 'P' },
		{ "sources", required_argument, NULL, 'S' },
		{ "cache-dir", required_argument, NULL, 'K' },
		{ "no-cache", no_argument, NULL, 'N' },
		{ "modules", required_argument, NULL, 'O' },
		{ NULL, 0, NULL, 0 },
	};
	struct ab_loop_opts o = { 0 };
	struct ctx c;
	char *cache_dir = NULL;
	struct stat st;
	bool no_cache = false;
	int ch, status, i;

	ab_init(argv[0]);
	memset(&c, 0, sizeof c);
	c.jobs = 1;
	c.eo.warm = true;
	c.eo.warn = warn;
	c.pin = true;
	while ((ch = getopt_long(argc, argv, "bhj:V", longopts, NULL)) != -1) {
		switch (ch) {
		case 'b':
			o.stop_on_bad = true;
			break;
		case 'c':
			c.eo.warm = false;
			break;
		case 'C':
			c.eo.cpu_ms = ab_opt_long("--cpu-ms",
			    optarg, 1, 3600000);
			break;
		case 'D':
			c.allow_degraded = true;
			break;
		case 'j':
			c.jobs = (int)ab_opt_long("-j", optarg, 1, 64);
			break;
		case 'm':
			c.eo.memory_mb = ab_opt_long("--memory-mb", optarg, 1,
			    1048576);
			break;
		case 'M':
			o.max_record = ab_opt_size("--max-record",
			    optarg, 1, SIZE_MAX);
			break;
		case 'P':
			c.pin = false;
			break;
		case 'S':
			c.eo.sources = optarg;
			break;
		case 'K':
			free(cache_dir);
			cache_dir = ab_xstrdup(optarg);
			break;
		case 'N':
			no_cache = true;
			break;
		case 'O':
			free(c.modules_dir);
			if ((c.modules_dir = realpath(optarg, NULL)) == NULL ||
			    stat(c.modules_dir, &st) < 0 || !S_ISDIR(st.st_mode))
				ab_errx(AB_EXIT_FATAL, "--modules %s: %s", optarg,
				    c.modules_dir == NULL ? strerror(errno) :
				    "not a directory");
			c.eo.modules_dir = c.modules_dir;
			break;
		case 'W':
			c.eo.wall_ms = ab_opt_long("--wall-ms",
			    optarg, 1, 7200000);
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
	if (!no_cache) {
		if (cache_dir == NULL)
			cache_dir = ab_cache_default_dir();
		if (cache_dir[0] != '/') {
			char *cwd = getcwd(NULL, 0), *abs;

			abs = ab_xasprintf("%s/%s", cwd ? cwd : ".", cache_dir);
			free(cwd);
			free(cache_dir);
			cache_dir = abs;
		}
		/* Precompiled headers, seen read-only by every run; built
		 * checkers, which hold hidden tests, seen by ab-exec only. */
		c.pch_dir = cache_subdir(cache_dir, "pch", 0755,
		    "precompiled headers");
		c.eo.pch_dir = c.pch_dir;
		c.checker_dir = cache_subdir(cache_dir, "checker", 0700,
		    "the checker cache");
		c.eo.checker_dir = c.checker_dir;
	}
	free(cache_dir);
	/* The runs in hand are finished and written (their processes are
	 * in a session of their own: the terminal's signal does not reach
	 * them); a second signal stops at once. */
	ab_interrupt_catch("finishing the records in hand (again to stop "
	    "at once)");
	ab_progress_init(&prog, argv, argc);
	if (c.jobs == 1) {
		pin_worker(0, 1, pin_base(c.pin));
		status = ab_loop(&o, argv, argc, one_record, &c);
	} else {
		struct par p;

		memset(&p, 0, sizeof p);
		p.c = &c;
		p.nw = c.jobs;
		status = ab_loop(&o, argv, argc, par_record, &p);
		while (p.base < p.next)
			collect(&p);
		if (p.status > status)
			status = p.status;
		for (i = 0; p.w != NULL && i < p.nw; i++) {
			close(p.w[i].to);
			close(p.w[i].from);
			while (waitpid(p.w[i].pid, NULL, 0) < 0 &&
			    errno == EINTR)
				;
		}
		free(p.w);
		free(p.q);
	}
	ab_progress_show(&prog, ndone, nfailed, true);
	ab_exec_free(c.x);
	json_decref(c.isolation);
	ab_sandbox_free(c.sb);
	free(c.pch_dir);
	free(c.checker_dir);
	free(c.modules_dir);
	ab_exit(ab_interrupt_status(status, c.jobs == 1 ? -1 : nwritten, 0));
}
