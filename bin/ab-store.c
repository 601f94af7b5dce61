/* ab-store - keep records in an SQLite database and pass them on; manage
 * the stored experiments. */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ab.h"
#include "store.h"

static const char help_text[] =
	    "Keep records in SQLite (idempotent on run + id + stage) and pass them on.\n"
	    "  -d db        the database (default $AB_DB, else ab.db)\n"
	    "  ls, show     the runs, one run\n"
	    "  export, import, search, stats, restore, note, rm, vacuum\n"
	    "Example:\n"
	    "  ab-store -d results.db score.ndjson >/dev/null && ab-store -d results.db ls\n";

static void
usage(FILE *fp)
{
	const char *p = ab_progname();

	fprintf(fp,
	    "usage: %s [-bhnV] [-d db] [--batch n] [--busy-timeout ms]\n"
	    "           [--max-record size] [file ...]\n"
	    "       %s [-d db] ls\n"
	    "       %s [-d db] show run\n"
	    "       %s [-d db] export [run]\n"
	    "       %s [-b] [-d db] import file ...\n"
	    "       %s [-d db] stats\n"
	    "       %s [-d db] [-l limit] search query\n"
	    "       %s [-d db] restore run -o dir\n"
	    "       %s [-d db] note run [text]\n"
	    "       %s [-d db] rm run\n"
	    "       %s [-d db] vacuum\n", p, p, p, p, p, p, p, p, p, p, p);
}

static bool stdout_failed;

/* Write one line of a command's output to stdout. */
static int
put_line(const char *line, size_t len, void *ctx)
{
	(void)ctx;
	if (fwrite(line, 1, len, stdout) != len || putchar('\n') == EOF ||
	    ferror(stdout)) {
		ab_warn("stdout");
		/* Reported once: drop what cannot be written. */
		__fpurge(stdout);
		clearerr(stdout);
		stdout_failed = true;
		return 1;
	}
	return 0;
}

struct ingest_opts {
	struct ab_loop_opts loop;
	bool emit;
};

/*
 * Records are read and parsed by a second thread, ahead of the thread that
 * stores them, so that parsing JSON and writing SQLite overlap.  The queue
 * keeps their order.
 */
#define QLEN 64

struct item {
	enum ab_read rc;
	json_t *rec;		/* owned by the queue until popped */
	struct ab_store_prep *prep;	/* NULL: not an attempt (err) */
	const char *name;	/* borrowed from argv or a literal */
	long line;
	struct ab_error err;
};

/*
 * The reader parses and prepares records (ab_store_prepare) ahead of the
 * storer, which only writes them; the storer hands used records back to
 * the reader to free, so that each thread frees what it allocated.
 */
static struct queue {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct item q[QLEN];
	size_t head, n;
	bool waiting;		/* the reader waits for input */
	bool stop;		/* the storer wants no more */
	struct ab_reader r;
	struct ab_store_cache *cache;
	struct item done[QLEN];	/* used records, for the reader to free */
	size_t ndone;
} Q = { .mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER };

static void
item_free(struct item *it)
{
	ab_store_prep_free(it->prep);
	json_decref(it->rec);
	it->prep = NULL;
	it->rec = NULL;
}

/* Free the used records handed back (called with Q.mu held). */
static void
free_done(void)
{
	struct item done[QLEN];
	size_t n = Q.ndone, i;

	memcpy(done, Q.done, n * sizeof done[0]);
	Q.ndone = 0;
	pthread_mutex_unlock(&Q.mu);
	for (i = 0; i < n; i++)
		item_free(&done[i]);
	pthread_mutex_lock(&Q.mu);
}

static void *
reader_main(void *arg)
{
	struct item it;
	char *line;
	size_t len;
	bool ready;

	(void)arg;
	for (;;) {
		ready = ab_reader_ready(&Q.r);
		if (!ready) {
			pthread_mutex_lock(&Q.mu);
			Q.waiting = true;
			pthread_cond_broadcast(&Q.cv);
			pthread_mutex_unlock(&Q.mu);
		}
		memset(&it, 0, sizeof it);
		it.rc = ab_reader_line(&Q.r, &line, &len, &it.err);
		if (it.rc == AB_READ_RECORD)
			it.rc = ab_store_parse(Q.cache, line, len, &it.rec,
			    &it.err);
		it.name = Q.r.name;
		it.line = Q.r.line;
		if (it.rc == AB_READ_RECORD)
			it.prep = ab_store_prepare(it.rec, Q.cache, &it.err);
		pthread_mutex_lock(&Q.mu);
		Q.waiting = false;
		for (;;) {
			if (Q.ndone > 0)
				free_done();
			if (Q.n < QLEN || Q.stop)
				break;
			pthread_cond_wait(&Q.cv, &Q.mu);
		}
		if (Q.stop) {
			pthread_mutex_unlock(&Q.mu);
			item_free(&it);
			break;
		}
		Q.q[(Q.head + Q.n++) % QLEN] = it;
		pthread_cond_broadcast(&Q.cv);
		pthread_mutex_unlock(&Q.mu);
		if (it.rc == AB_READ_EOF)
			break;
	}
	ab_store_thread_end();
	return NULL;
}

/* The next item; before waiting on a reader that waits for input, commit
 * (so other writers are not held up by a slow pipeline) and flush. */
static void
next_item(struct ab_store *s, bool emit, struct item *it)
{
	struct ab_error e;
	bool flushed = false;

	pthread_mutex_lock(&Q.mu);
	while (Q.n == 0) {
		if (Q.waiting && !flushed) {
			pthread_mutex_unlock(&Q.mu);
			if (ab_store_commit(s, &e) < 0)
				ab_errx(AB_EXIT_FATAL, "%s", e.msg);
			if (emit && fflush(stdout) == EOF) {
				ab_warn("stdout");
				ab_exit(AB_EXIT_FATAL);
			}
			flushed = true;
			pthread_mutex_lock(&Q.mu);
			continue;
		}
		pthread_cond_wait(&Q.cv, &Q.mu);
	}
	*it = Q.q[Q.head];
	Q.head = (Q.head + 1) % QLEN;
	Q.n--;
	pthread_cond_broadcast(&Q.cv);
	pthread_mutex_unlock(&Q.mu);
}

static void stop_reader(void);
static pthread_t reader_tid;
static bool reader_running;

/* At exit, whatever the path (a fatal error, stdout closed, -b): stop the
 * reader and let it end, so that it releases what it holds; unless it
 * waits for input that does not come. */
static void
end_reader(void)
{
	struct timespec ts;

	if (!reader_running)
		return;
	reader_running = false;
	stop_reader();
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 2;
	pthread_timedjoin_np(reader_tid, NULL, &ts);
}

/* Hand a used record back to the reader to free. */
static void
give_back(struct item *it)
{
	pthread_mutex_lock(&Q.mu);
	if (Q.ndone < QLEN && !Q.stop) {
		Q.done[Q.ndone++] = *it;
		pthread_cond_broadcast(&Q.cv);
		pthread_mutex_unlock(&Q.mu);
		return;
	}
	pthread_mutex_unlock(&Q.mu);
	item_free(it);
}

/* Stop the reader; it may be blocked on input, so it is not joined (the
 * process is about to end).  What it leaves is freed here. */
static void
stop_reader(void)
{
	pthread_mutex_lock(&Q.mu);
	Q.stop = true;
	while (Q.n > 0) {
		item_free(&Q.q[Q.head]);
		Q.head = (Q.head + 1) % QLEN;
		Q.n--;
	}
	while (Q.ndone > 0)
		item_free(&Q.done[--Q.ndone]);
	pthread_cond_broadcast(&Q.cv);
	pthread_mutex_unlock(&Q.mu);
}

static long nstored;		/* records stored by ingest */

/* Read records, store them, pass them on. */
static int
ingest(struct ab_store *s, const struct ingest_opts *o, char **files,
    int nfiles)
{
	struct ab_error e;
	struct item it;
	int status = AB_EXIT_OK;

	ab_reader_init(&Q.r, files, nfiles, o->loop.max_record);
	ab_store_json_pool(true);
	Q.cache = ab_store_cache_new();
	/* The store's clean-up at exit then runs after end_reader, not
	 * while the reader hashes a task. */
	ab_store_threads_init();
	if (pthread_create(&reader_tid, NULL, reader_main, NULL) != 0)
		ab_errx(AB_EXIT_FATAL, "cannot start the reader thread");
	reader_running = true;
	atexit(end_reader);
	for (;;) {
		next_item(s, o->emit, &it);
		if (it.rc == AB_READ_EOF) {
			pthread_join(reader_tid, NULL);
			reader_running = false;
			pthread_mutex_lock(&Q.mu);
			while (Q.ndone > 0)
				item_free(&Q.done[--Q.ndone]);
			pthread_mutex_unlock(&Q.mu);
			ab_reader_release(&Q.r);
			ab_store_cache_free(Q.cache);
			Q.cache = NULL;
			break;
		}
		if (it.rc == AB_READ_IOERR || it.rc == AB_READ_BAD) {
			ab_warn_read(it.rc, it.name, it.line, it.err.msg);
			status = AB_EXIT_FAIL;
			if (o->loop.stop_on_bad) {
				end_reader();
				break;
			}
			continue;
		}
		if (it.prep == NULL) {
			ab_warn_read(AB_READ_BAD, it.name, it.line,
			    it.err.msg);
			give_back(&it);
			status = AB_EXIT_FAIL;
			if (o->loop.stop_on_bad) {
				end_reader();
				break;
			}
			continue;
		}
		if (ab_store_put_prep(s, it.prep, &e) == AB_STORE_ERROR) {
			item_free(&it);
			ab_errx(AB_EXIT_FATAL, "%s", e.msg);
		}
		nstored++;
		if (o->emit)
			ab_emit(it.rec, false);
		give_back(&it);
	}
	if (ab_store_finish(s, status == AB_EXIT_OK && !ab_interrupted(),
	    &e) < 0)
		ab_errx(AB_EXIT_FATAL, "%s", e.msg);
	ab_store_json_pool(false);
	return status;
}

static const char *const commands[] = { "ls", "show", "export", "import",
	"stats", "search", "restore", "note", "rm", "vacuum", NULL };

static bool
is_command(const char *w)
{
	int i;

	for (i = 0; commands[i] != NULL; i++)
		if (strcmp(w, commands[i]) == 0)
			return true;
	return false;
}

/* Check a command's operand count; a wrong one is a usage error. */
static void
nargs(int argc, int min, int max)
{
	if (argc - 1 < min || (max >= 0 && argc - 1 > max)) {
		usage(stderr);
		ab_exit(AB_EXIT_FATAL);
	}
}

static int
command(const char *db, struct ab_store_opts *so, struct ingest_opts *io,
    const char *outdir, long limit, int argc, char **argv)
{
	const char *cmd = argv[0];
	struct ab_store *s;
	struct ab_error e;
	long n;
	char *note;
	int rc;

	if (strcmp(cmd, "ls") == 0 || strcmp(cmd, "stats") == 0 ||
	    strcmp(cmd, "vacuum") == 0)
		nargs(argc, 0, 0);
	else if (strcmp(cmd, "export") == 0)
		nargs(argc, 0, 1);
	else if (strcmp(cmd, "import") == 0)
		nargs(argc, 1, -1);
	else if (strcmp(cmd, "note") == 0)
		nargs(argc, 1, 2);
	else
		nargs(argc, 1, 1);
	if ((outdir != NULL) != (strcmp(cmd, "restore") == 0)) {
		if (outdir == NULL)
			ab_warnx("restore needs -o dir");
		usage(stderr);
		ab_exit(AB_EXIT_FATAL);
	}
	so->create = strcmp(cmd, "import") == 0;
	if ((s = ab_store_open(db, so, &e)) == NULL)
		ab_errx(AB_EXIT_FATAL, "%s", e.msg);
	rc = 0;
	if (strcmp(cmd, "import") == 0) {
		io->emit = false;
		rc = ingest(s, io, argv + 1, argc - 1);
		ab_store_close(s);
		return rc;
	} else if (strcmp(cmd, "ls") == 0) {
		rc = ab_store_list(s, put_line, NULL, &e);
	} else if (strcmp(cmd, "show") == 0) {
		rc = ab_store_show(s, argv[1], put_line, NULL, &e);
	} else if (strcmp(cmd, "export") == 0) {
		rc = ab_store_export(s, argc > 1 ? argv[1] : NULL, put_line,
		    NULL, &e);
	} else if (strcmp(cmd, "stats") == 0) {
		rc = ab_store_stats(s, put_line, NULL, &e);
	} else if (strcmp(cmd, "search") == 0) {
		rc = ab_store_search(s, argv[1], limit, put_line, NULL, &e);
	} else if (strcmp(cmd, "restore") == 0) {
		rc = ab_store_restore(s, argv[1], outdir, put_line, NULL, &e);
	} else if (strcmp(cmd, "note") == 0 && argc == 2) {
		if ((rc = ab_store_get_note(s, argv[1], &note, &e)) == 0 &&
		    note != NULL) {
			rc = put_line(note, strlen(note), NULL);
			free(note);
		}
	} else if (strcmp(cmd, "note") == 0) {
		rc = ab_store_note(s, argv[1], argv[2], &e);
	} else if (strcmp(cmd, "rm") == 0) {
		if ((rc = ab_store_rm(s, argv[1], &n, &e)) == 0)
			fprintf(stderr, "%s: removed run %s (%ld results)\n",
			    ab_progname(), argv[1], n);
	} else if (strcmp(cmd, "vacuum") == 0) {
		rc = ab_store_vacuum(s, &e);
	}
	ab_store_close(s);
	if (stdout_failed)
		return AB_EXIT_FATAL;
	if (rc < 0) {
		ab_warnx("%s", e.msg);
		/* An unknown run or a bad query is the user's mistake, not
		 * a broken database; both stop the command. */
		return AB_EXIT_FATAL;
	}
	return AB_EXIT_OK;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "batch", required_argument, NULL, 'B' },
		{ "busy-timeout", required_argument, NULL, 'T' },
		{ "max-record", required_argument, NULL, 'M' },
		{ NULL, 0, NULL, 0 },
	};
	struct ingest_opts io = { .emit = true };
	struct ab_store_opts so = { .create = true };
	struct ab_store *s;
	struct ab_error e;
	const char *db = NULL, *outdir = NULL;
	long limit = 20;
	int ch, status;

	ab_init(argv[0]);
	while ((ch = getopt_long(argc, argv, "bd:hl:no:V", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'b':
			io.loop.stop_on_bad = true;
			break;
		case 'B':
			so.batch = ab_opt_long("--batch", optarg, 1, 10000000);
			break;
		case 'd':
			db = optarg;
			break;
		case 'l':
			limit = ab_opt_long("-l", optarg, 1, 1000000);
			break;
		case 'M':
			io.loop.max_record = ab_opt_size("--max-record",
			    optarg, 1, SIZE_MAX);
			break;
		case 'n':
			io.emit = false;
			break;
		case 'o':
			outdir = optarg;
			break;
		case 'T':
			if (ab_parse_long(optarg, 1, 2000000000, &so.busy_ms,
			    &e) < 0)
				ab_errx(AB_EXIT_FATAL, "--busy-timeout: %s",
				    e.msg);
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
	if (db == NULL && (db = getenv("AB_DB")) != NULL && *db == '\0')
		db = NULL;
	if (db == NULL)
		db = "ab.db";
	if (argc > 0 && is_command(argv[0]))
		ab_exit(command(db, &so, &io, outdir, limit, argc, argv));
	if (outdir != NULL) {
		usage(stderr);
		ab_exit(AB_EXIT_FATAL);
	}
	if ((s = ab_store_open(db, &so, &e)) == NULL)
		ab_errx(AB_EXIT_FATAL, "%s", e.msg);
	/* Before the reader thread starts, which inherits the handler: the
	 * records read before a signal are stored and passed on, the run
	 * is marked partial, and the reader stops at once. */
	ab_interrupt_catch(NULL);
	status = ingest(s, &io, argv, argc);
	ab_store_close(s);
	ab_exit(ab_interrupt_status(status, nstored, 0));
}
