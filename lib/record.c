/* record.c - the NDJSON record reader, the writer and the record loop. */
#include <errno.h>
#include <poll.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ab.h"

#define CHUNK ((size_t)1 << 16)

void
ab_reader_init(struct ab_reader *r, char **files, int nfiles,
    size_t max_record)
{
	memset(r, 0, sizeof *r);
	r->files = files;
	r->nfiles = nfiles;
	r->fi = -1;
	r->max_record = max_record ? max_record : AB_MAX_RECORD_DEFAULT;
}

void
ab_reader_release(struct ab_reader *r)
{
	if (r->fp != NULL && r->fp != stdin)
		fclose(r->fp);
	r->fp = NULL;
	free(r->buf);
	r->buf = NULL;
}

/* Open the next input; 1 opened, 0 none left, -1 could not open. */
static int
next_file(struct ab_reader *r, struct ab_error *err)
{
	const char *f;

	if (r->fp != NULL && r->fp != stdin)
		fclose(r->fp);
	r->fp = NULL;
	r->fi++;
	if (r->nfiles == 0 ? r->fi > 0 : r->fi >= r->nfiles)
		return 0;
	f = r->nfiles == 0 ? "-" : r->files[r->fi];
	r->start = r->end = 0;
	r->eof = false;
	r->line = 0;
	r->at_file_start = true;
	if (strcmp(f, "-") == 0) {
		r->fp = stdin;
		r->name = "<stdin>";
		return 1;
	}
	r->name = f;
	if ((r->fp = fopen(f, "re")) == NULL) {
		ab_error_set(err, "io", "%s", strerror(errno));
		return -1;
	}
	return 1;
}

/* Wait for input or the first interrupting signal (ab_interrupt_catch);
 * false for the signal: the input then ends here, and a line read only
 * in part is dropped, never passed on as a record. */
static bool
wait_input(struct ab_reader *r)
{
	struct pollfd p[2];

	if (ab_interrupt_fd() < 0)
		return true;
	p[0].fd = fileno(r->fp);
	p[0].events = POLLIN;
	p[1].fd = ab_interrupt_fd();
	p[1].events = POLLIN;
	while (!ab_interrupted() && (poll(p, 2, -1) < 0 ? errno == EINTR :
	    p[1].revents == 0 && p[0].revents == 0))
		;
	if (!ab_interrupted())
		return true;
	r->start = r->end = 0;
	r->eof = true;
	return false;
}

/* Read more input into the buffer; false at end of file or error. */
static bool
fill(struct ab_reader *r, struct ab_error *err, bool *ioerr)
{
	size_t n;
	ssize_t rd;

	if (r->eof)
		return false;
	if (r->start > 0 && r->start == r->end)
		r->start = r->end = 0;
	if (r->cap - r->end < CHUNK) {
		if (r->start > 0) {
			memmove(r->buf, r->buf + r->start, r->end - r->start);
			r->end -= r->start;
			r->start = 0;
		}
		if (r->cap - r->end < CHUNK) {
			size_t cap = r->cap ? r->cap * 2 : 4 * CHUNK;

			while (cap - r->end < CHUNK)
				cap *= 2;
			r->buf = ab_xrealloc(r->buf, cap);
			r->cap = cap;
		}
	}
	/* read(2), not fread(3): glibc's fread waits for the whole chunk,
	 * which in a slow pipeline would hold records back until 64 KiB
	 * had arrived.  The FILE is only used for its descriptor. */
	if (fileno(r->fp) < 0) {	/* a memory stream (fmemopen) */
		rd = (ssize_t)fread(r->buf + r->end, 1, CHUNK, r->fp);
		if (rd == 0 && ferror(r->fp))
			rd = -1;
	} else {
		if (!wait_input(r))
			return false;
		do
			rd = read(fileno(r->fp), r->buf + r->end,
			    r->cap - r->end);
		while (rd < 0 && errno == EINTR);
	}
	n = rd > 0 ? (size_t)rd : 0;
	r->end += n;
	if (n == 0) {
		if (rd < 0) {
			ab_error_set(err, "io", "read error: %s",
			    strerror(errno));
			*ioerr = true;
		}
		r->eof = true;
		return false;
	}
	return true;
}

/*
 * Find the next line.  Returns 1 with line and len set (no newline), 0 at end
 * of the current file, -1 for a line over max_record (skipped), -2 for a
 * read error.
 */
static int
next_line(struct ab_reader *r, char **line, size_t *len,
    struct ab_error *err)
{
	size_t scan = r->start;
	bool ioerr = false, toolong = false;
	char *nl;

	for (;;) {
		nl = scan < r->end ? memchr(r->buf + scan, '\n',
		    r->end - scan) : NULL;
		if (nl != NULL)
			break;
		if (r->end - r->start > r->max_record) {
			/* Too long: drop what we have, keep the line
			 * number, and skip to the next newline. */
			toolong = true;
			r->start = r->end = 0;
		}
		scan = r->end - r->start;
		if (!fill(r, err, &ioerr)) {
			if (ioerr)
				return -2;
			if (toolong) {
				r->line++;
				ab_error_set(err, "too_long", "record longer "
				    "than %zu bytes", r->max_record);
				return -1;
			}
			if (r->end == r->start)
				return 0;
			nl = r->buf + r->end;	/* last line, no newline */
			break;
		}
		scan += r->start;
	}
	r->line++;
	*line = r->buf + r->start;
	*len = (size_t)(nl - *line);
	r->start = nl < r->buf + r->end ? (size_t)(nl - r->buf) + 1 : r->end;
	if (toolong) {
		ab_error_set(err, "too_long", "record longer than %zu bytes",
		    r->max_record);
		return -1;
	}
	if (*len > r->max_record) {
		ab_error_set(err, "too_long", "record longer than %zu bytes",
		    r->max_record);
		return -1;
	}
	return 1;
}

/*
 * Find the next block of whole lines: at least want bytes unless the file
 * ends first (the last line may then lack its newline).  Returns 1 with
 * block and len set, 0 at end of the current file, -1 for a line over
 * max_record (skipped, as next_line does), -2 for a read error.
 */
static int
next_block(struct ab_reader *r, size_t want, char **block, size_t *len,
    struct ab_error *err)
{
	bool ioerr = false;
	size_t scanned = 0;	/* bytes after r->start searched for '\n' */
	size_t whole = 0;	/* bytes after r->start up to the last '\n' */
	size_t avail, i;
	long n;
	char *nl, *p;

	for (;;) {
		avail = r->end - r->start;
		nl = avail > scanned ? memrchr(r->buf + r->start + scanned,
		    '\n', avail - scanned) : NULL;
		if (nl != NULL)
			whole = (size_t)(nl - (r->buf + r->start)) + 1;
		scanned = avail;
		if (whole > 0 && (avail >= want || r->eof))
			break;
		if (avail - whole > r->max_record) {
			if (whole > 0)
				break;	/* the lines before it go first */
			return next_line(r, block, len, err);
		}
		if (r->eof) {
			if (avail == 0)
				return 0;
			whole = avail;	/* the last line, no newline */
			break;
		}
		if (!fill(r, err, &ioerr) && ioerr)
			return -2;
	}
	*block = r->buf + r->start;
	*len = whole;
	r->start += whole;
	for (n = 0, p = *block, i = whole;
	    (nl = memchr(p, '\n', i)) != NULL; n++) {
		i -= (size_t)(nl + 1 - p);
		p = nl + 1;
	}
	r->line += n + (i > 0);
	return 1;
}

/* Close the current file after its end or a read error. */
static void
end_file(struct ab_reader *r)
{
	if (r->fp != stdin)
		fclose(r->fp);
	r->fp = NULL;
}

/* Open the next file when none is open: 1 one is, 0 none left, -1 could
 * not open. */
static int
ensure_file(struct ab_reader *r, struct ab_error *err)
{
	return r->fp != NULL ? 1 : next_file(r, err);
}

enum ab_read
ab_reader_block(struct ab_reader *r, size_t want, char **out,
    size_t *outlen, struct ab_error *err)
{
	char *block;
	size_t len;
	int rc;

	for (;;) {
		if (ab_interrupted())
			return AB_READ_EOF;
		if ((rc = ensure_file(r, err)) <= 0)
			return rc == 0 ? AB_READ_EOF : AB_READ_IOERR;
		rc = next_block(r, want ? want : 1, &block, &len, err);
		if (rc == 0 || rc == -2) {
			end_file(r);
			if (rc == 0)
				continue;
			return AB_READ_IOERR;
		}
		if (rc == -1) {
			r->at_file_start = false;	/* no BOM further on */
			return AB_READ_BAD;
		}
		if (r->at_file_start) {
			r->at_file_start = false;
			if (len >= 3 && memcmp(block, "\xef\xbb\xbf", 3) == 0)
				block += 3, len -= 3;
		}
		*out = block;
		*outlen = len;
		return AB_READ_RECORD;
	}
}

enum ab_read
ab_reader_line(struct ab_reader *r, char **out, size_t *outlen,
    struct ab_error *err)
{
	char *line;
	size_t len, i;
	int rc;

	for (;;) {
		if (ab_interrupted())
			return AB_READ_EOF;
		if ((rc = ensure_file(r, err)) <= 0)
			return rc == 0 ? AB_READ_EOF : AB_READ_IOERR;
		rc = next_line(r, &line, &len, err);
		if (rc == 0 || rc == -2) {
			end_file(r);
			if (rc == 0)
				continue;
			return AB_READ_IOERR;
		}
		if (rc == -1) {
			r->at_file_start = false;	/* no BOM further on */
			return AB_READ_BAD;
		}
		if (r->at_file_start) {
			r->at_file_start = false;
			if (len >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0)
				line += 3, len -= 3;
		}
		if (len > 0 && line[len - 1] == '\r')
			len--;
		for (i = 0; i < len; i++)
			if (line[i] != ' ' && line[i] != '\t' &&
			    line[i] != '\r')
				break;
		if (i == len)
			continue;	/* blank line */
		*out = line;
		*outlen = len;
		return AB_READ_RECORD;
	}
}

enum ab_read
ab_parse_record(const char *line, size_t len, json_t **out,
    struct ab_error *err)
{
	json_error_t jerr;
	json_t *v;

	*out = NULL;
	v = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
	if (v == NULL) {
		if (memchr(line, '\0', len) != NULL)
			ab_error_set(err, "parse",
			    "invalid JSON: NUL byte in line");
		else
			ab_error_set(err, "parse",
			    "invalid JSON: %s (column %d)", jerr.text,
			    jerr.column);
		return AB_READ_BAD;
	}
	if (!json_is_object(v)) {
		json_decref(v);
		ab_error_set(err, "parse", "not a JSON object");
		return AB_READ_BAD;
	}
	*out = v;
	return AB_READ_RECORD;
}

enum ab_read
ab_reader_next(struct ab_reader *r, json_t **out, struct ab_error *err)
{
	enum ab_read rc;
	char *line;
	size_t len;

	*out = NULL;
	if ((rc = ab_reader_line(r, &line, &len, err)) != AB_READ_RECORD)
		return rc;
	return ab_parse_record(line, len, out, err);
}

bool
ab_reader_ready(const struct ab_reader *r)
{
	struct pollfd pfd;
	struct stat sb;

	if (r->fp == NULL)
		return true;	/* between files: opening does not wait */
	if (r->end > r->start && memchr(r->buf + r->start, '\n',
	    r->end - r->start) != NULL)
		return true;
	if (r->eof || fileno(r->fp) < 0)
		return true;
	if (fstat(fileno(r->fp), &sb) == 0 && S_ISREG(sb.st_mode))
		return true;
	pfd.fd = fileno(r->fp);
	pfd.events = POLLIN;
	return poll(&pfd, 1, 0) > 0;
}

void
ab_warn_read(enum ab_read rc, const char *file, long line, const char *msg)
{
	if (rc == AB_READ_IOERR)
		ab_warnx("%s: %s", file, msg);
	else
		ab_warnx_at(file, line, "%s", msg);
}

static bool stdout_closed;
static long nemitted;

long
ab_emitted(void)
{
	return nemitted;
}

void
ab_emit(const json_t *rec, bool flush)
{
	/* Per thread, kept between records: no allocation per line. */
	static _Thread_local struct ab_buf b = AB_BUF_INIT;
	bool held, bad = false;

	ab_buf_reset(&b);
	ab_json_add(&b, rec);
	ab_buf_addc(&b, '\n');
	/* Only whole lines reach stdout's descriptor, so that a program
	 * that dies between two records (a second SIGINT) never leaves
	 * half of one in the pipe: a line that does not fit in what is
	 * left of the buffer goes after a flush, and one as long as the
	 * buffer (which stdio writes in part and keeps the rest) is
	 * flushed at once.  After a first signal the write itself is not
	 * cut either. */
	held = ab_interrupted() != 0;
	if (held)
		ab_interrupt_hold(true);
	flockfile(stdout);
	if (b.len > __fbufsize(stdout) - __fpending(stdout) &&
	    fflush(stdout) == EOF)
		bad = true;
	else if (fwrite(b.s, 1, b.len, stdout) != b.len ||
	    ((flush || held || b.len >= __fbufsize(stdout)) &&
	    fflush(stdout) == EOF) || ferror(stdout))
		bad = true;
	funlockfile(stdout);
	if (bad) {
		ab_warn("stdout");
		stdout_closed = true;	/* reported once, not again at exit */
		ab_exit(AB_EXIT_FATAL);
	}
	if (held)
		ab_interrupt_hold(false);
	nemitted++;
}

int
ab_close_stdout(int status)
{
	if (stdout_closed)
		return status;
	stdout_closed = true;
	if (fflush(stdout) == EOF || ferror(stdout)) {
		ab_warn("stdout");
		return AB_EXIT_FATAL;
	}
	if (fclose(stdout) == EOF) {
		ab_warn("stdout");
		return AB_EXIT_FATAL;
	}
	return status;
}

void
ab_exit(int status)
{
	fflush(stderr);
	exit(ab_close_stdout(status));
}

void
ab_input_init(struct ab_input *in, const struct ab_loop_opts *o,
    char **files, int nfiles)
{
	ab_reader_init(&in->r, files, nfiles, o->max_record);
	in->stop_on_bad = o->stop_on_bad;
	in->stopped = false;
	in->status = AB_EXIT_OK;
}

bool
ab_input_next(struct ab_input *in, json_t **rec)
{
	struct ab_error err;
	enum ab_read rc;

	*rec = NULL;
	while (!in->stopped && !ab_interrupted()) {
		rc = ab_reader_next(&in->r, rec, &err);
		if (rc == AB_READ_EOF)
			break;
		if (ab_interrupted()) {
			/* Read as the signal came: not begun, not counted. */
			json_decref(*rec);
			*rec = NULL;
			break;
		}
		if (rc == AB_READ_RECORD)
			return true;
		ab_warn_read(rc, in->r.name, in->r.line, err.msg);
		ab_input_reject(in);
	}
	return false;
}

void
ab_input_reject(struct ab_input *in)
{
	in->status = AB_EXIT_FAIL;
	if (in->stop_on_bad)
		in->stopped = true;
}

int
ab_input_release(struct ab_input *in)
{
	ab_reader_release(&in->r);
	return in->status;
}

int
ab_loop(const struct ab_loop_opts *o, char **files, int nfiles,
    ab_record_fn fn, void *ctx)
{
	struct ab_input in;
	json_t *rec;
	int s;

	ab_input_init(&in, o, files, nfiles);
	while (ab_input_next(&in, &rec)) {
		s = fn(rec, in.r.name, in.r.line, ctx);
		json_decref(rec);
		if (s == AB_REC_REJECTED)
			ab_input_reject(&in);
		else if (s > in.status)
			in.status = s;
	}
	return ab_input_release(&in);
}

bool
ab_require(const json_t *rec, const char *file, long line,
    const char *const *need)
{
	const char *id = ab_get_str(rec, "id");
	int i;

	if (id == NULL) {
		ab_warnx_at(file, line, "record has no string member \"id\"");
		return false;
	}
	for (i = 0; need != NULL && need[i] != NULL; i++) {
		if (ab_get(rec, need[i]) == NULL) {
			ab_warnx_at(file, line, "record %s: missing member %s",
			    id, need[i]);
			return false;
		}
	}
	return true;
}

bool
ab_inputs_regular(char **files, int nfiles)
{
	struct stat sb;
	int i;

	if (nfiles <= 0)
		return false;
	for (i = 0; i < nfiles; i++)
		if (strcmp(files[i], "-") == 0 || stat(files[i], &sb) < 0 ||
		    !S_ISREG(sb.st_mode))
			return false;
	return true;
}
