/*
 * ab.h - the core of libab: records and JSON, diagnostics, options, exit
 * statuses and small utilities shared by every ab program.
 *
 * Conventions:
 *  - every exported name starts with ab_ (types: struct ab_..., macros AB_);
 *  - library functions never print and never exit; they return -1 (or NULL)
 *    and fill a caller-supplied struct ab_error.  The exceptions are the
 *    diagnostic family (whose job is to print), ab_loop (the program-side
 *    record driver, which reports bad lines through the diagnostic family)
 *    and the ab_x* allocators, which abort on out-of-memory;
 *  - ownership is stated for every pointer: "new" (caller frees or
 *    json_decref's), "borrowed" (valid until the stated event), "stolen"
 *    (the callee takes the caller's reference).
 *
 * Include system headers before this one: it ends by including banned.h,
 * which turns unsafe libc calls into compile errors.
 */
#ifndef AB_H
#define AB_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#ifndef AB_VERSION
#define AB_VERSION "0.0.0"
#endif

#define AB_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define AB_NORETURN __attribute__((noreturn))

/* Exit statuses, the same for every program (see ab(7)). */
enum ab_exit {
	AB_EXIT_OK = 0,		/* every record processed */
	AB_EXIT_FAIL = 1,	/* finished, but some records rejected or failed */
	AB_EXIT_FATAL = 2,	/* usage error or fatal error */
	AB_EXIT_REGRESSION = 3,	/* ab-rank only: a significant regression */
	AB_EXIT_NOT_RUN = 4,	/* ab-rank only: too many attempts not run */
};

/* An error reported by library code: a short reason code and a message. */
struct ab_error {
	char kind[48];		/* reason code, e.g. "io", "parse", "too_long" */
	char msg[1024];		/* lowercase, no full stop, no program name */
};

/* Fill err (which may be NULL) and return -1. */
int ab_error_set(struct ab_error *err, const char *kind, const char *fmt, ...)
    AB_PRINTF(3, 4);

/* ---- diag.c: diagnostics ------------------------------------------------ */

/* Set the program name used by diagnostics from argv[0] (basename kept,
 * borrowed for the life of the program).  Also ignores SIGPIPE so that a
 * closed stdout is an EPIPE error rather than a silent death. */
void ab_init(const char *argv0);
const char *ab_progname(void);

/* "prog: message" on stderr, written in one call, control characters
 * escaped.  The _at forms prefix "file:line: ". warn/err append
 * ": strerror(errno)". err/errx exit with the given status after closing
 * stdout. */
void ab_warn(const char *fmt, ...) AB_PRINTF(1, 2);
void ab_warnx(const char *fmt, ...) AB_PRINTF(1, 2);
void ab_warnx_at(const char *file, long line, const char *fmt, ...)
    AB_PRINTF(3, 4);
AB_NORETURN void ab_err(int status, const char *fmt, ...) AB_PRINTF(2, 3);
AB_NORETURN void ab_errx(int status, const char *fmt, ...) AB_PRINTF(2, 3);
void ab_vwarnx(const char *fmt, va_list ap);

/* Print "prog VERSION" to stdout (for -V). */
void ab_print_version(void);
/* After the usage lines of -h/--help: a blank line, text (the common
 * options and an example, borrowed) and where the reference is, on
 * stdout. */
void ab_print_help(const char *text);

/* ---- util.c: memory, strings, numbers ---------------------------------- */

/* Allocators that abort with a message on out-of-memory.  New memory. */
void *ab_xmalloc(size_t n);
void *ab_xcalloc(size_t n, size_t size);
void *ab_xrealloc(void *p, size_t n);	/* returns the new block */
char *ab_xstrdup(const char *s);
char *ab_xstrndup(const char *s, size_t n);
char *ab_xasprintf(const char *fmt, ...) AB_PRINTF(1, 2);

/* A growable byte buffer, always NUL-terminated when s != NULL. */
struct ab_buf {
	char *s;
	size_t len, cap;
};
#define AB_BUF_INIT { NULL, 0, 0 }
void ab_buf_add(struct ab_buf *b, const void *p, size_t n);
void ab_buf_adds(struct ab_buf *b, const char *s);
void ab_buf_addc(struct ab_buf *b, int c);
void ab_buf_addf(struct ab_buf *b, const char *fmt, ...) AB_PRINTF(2, 3);
/* Room for n more bytes (and the NUL) without another allocation: for a
 * caller that knows how much it will add, so that a big buffer is not
 * grown, and copied, step by step.  Memory not written is not touched;
 * a buffer that must grow again grows at least twofold. */
void ab_buf_reserve(struct ab_buf *b, size_t n);
void ab_buf_reset(struct ab_buf *b);	/* len = 0, memory kept */
void ab_buf_release(struct ab_buf *b);	/* frees; b is reusable */
/* Take the string out (new; "" if empty); b is reset to empty. */
char *ab_buf_detach(struct ab_buf *b);

/* Checked number parsing: the whole string must be a number in range.
 * Return 0, or -1 with err set. */
int ab_parse_long(const char *s, long min, long max, long *out,
    struct ab_error *err);
int ab_parse_double(const char *s, double min, double max, double *out,
    struct ab_error *err);
/* A size in bytes with an optional suffix k, m, g (powers of 1024). */
int ab_parse_size(const char *s, size_t min, size_t max, size_t *out,
    struct ab_error *err);

/* For getopt loops (opt.c): the option argument arg of option opt as a
 * checked number; on error print "prog: opt: reason" and exit
 * AB_EXIT_FATAL.  Program-side helpers: library code uses ab_parse_*. */
long ab_opt_long(const char *opt, const char *arg, long min, long max);
double ab_opt_double(const char *opt, const char *arg, double min,
    double max);
size_t ab_opt_size(const char *opt, const char *arg, size_t min, size_t max);

/* The length of the valid UTF-8 sequence at s (n bytes left): 1 to 4, or
 * 0 when it is not valid (a stray or missing continuation byte, an
 * overlong form, a surrogate, past U+10FFFF) or n is 0.  NUL and the
 * other ASCII bytes are length 1.  The one UTF-8 check of libab. */
size_t ab_utf8_len(const char *s, size_t n);

/* Append s to b with control characters and invalid UTF-8 escaped as \xNN
 * (for echoing untrusted input in diagnostics). */
void ab_buf_add_escaped(struct ab_buf *b, const char *s, size_t n);

/* Wall-clock milliseconds from a monotonic clock. */
double ab_now_ms(void);

/* The cache directory of ab-gen and ab-score: $XDG_CACHE_HOME/ab when
 * that is an absolute path, else $HOME/.cache/ab when HOME is one, else
 * .ab-cache in the current directory.  New string. */
char *ab_cache_default_dir(void);

/* Read a whole file into a new NUL-terminated buffer (*len excludes the
 * NUL).  Returns NULL with err set on failure. */
char *ab_read_file(const char *path, size_t *len, struct ab_error *err);

/* ---- completion.c: the program of a completion-style task ------------- */

/* The program ab-exec runs for code written for task: code itself, unless
 * the task has a completion member (ab-task(5)) whose prompt code begins
 * with; then the prompt, what follows it up to the first of the stop
 * tokens, a newline and the suffix (when there is one), as MultiPL-E
 * assembles a program.  New string;
 * task and code are borrowed. */
char *ab_task_program(const json_t *task, const char *code);

/* ---- json.c: JSON helpers, configuration identity, data files --------- */

/* Member at a dotted path ("gen.text"); borrowed from root, or NULL. */
json_t *ab_get(const json_t *root, const char *path);
/* String at a path, borrowed, or NULL when absent or not a string. */
const char *ab_get_str(const json_t *root, const char *path);
/* Number (integer or real) at a path, or def. */
double ab_get_num(const json_t *root, const char *path, double def);

/* A new {"kind": kind, "message": ...} object. */
json_t *ab_error_json(const char *kind, const char *fmt, ...) AB_PRINTF(2, 3);
/* A new error object from an ab_error. */
json_t *ab_error_json_from(const struct ab_error *err);

/* The pipeline stages in order. */
extern const char *const ab_stages[];	/* "gen","extract","exec","score",NULL */

/* True when a stage before `stage` failed: its member has a non-null
 * "error" or a "skipped" member.  Stages not in ab_stages (e.g. "store")
 * look at all four. */
bool ab_upstream_failed(const json_t *rec, const char *stage);
/* The new member {"skipped": "upstream error"}. */
json_t *ab_skipped_json(void);

/* Set rec[stage] = member (stolen), replacing an earlier value in place so
 * member order is kept.  The members of the stages after it (ab_stages)
 * are removed: they were computed from what is replaced (re-running
 * ab-exec on a scored record leaves no stale score). */
void ab_set_stage(json_t *rec, const char *stage, json_t *member);

/* Decode the body of a JSON string (the n bytes between its quotes) into
 * out, which has room for n bytes (decoding never grows), checked as
 * jansson checks a string: valid UTF-8, no raw control character or
 * quote, known escapes, no \u0000, paired surrogates.  Returns the number
 * of bytes written (no NUL added), or -1 where jansson would refuse the
 * string.  The string decoder under the fast scanners of ab-store and
 * ab-rank. */
long ab_json_unescape(const char *s, size_t n, char *out);

/* Canonical JSON text: sorted keys, compact.  New string. */
char *ab_canonical(const json_t *v);

/* What identifies a subject configuration: a deep copy of config without
 * secrets (members named api_key, key, token, password, secret,
 * authorization, x-api-key at any depth), without "name", "hash",
 * "metadata" and "description", and without the operational members of
 * each agent (at the top, in ai_configuration, in each layer agent):
 * api_key_env, api_key_header, stream, stream_usage, retries, backoff_s,
 * max_wait_s, rpm, tpm, pricing, and timeout_s except for a cmd program.
 * New reference. */
json_t *ab_config_identity(const json_t *config);

/* True for a member name that holds a secret (see ab_config_hash). */
bool ab_is_secret_key(const char *name);
/* A deep copy of v without secret members at any depth.  New reference. */
json_t *ab_strip_secrets(const json_t *v);

/* The data directory: $AB_SHARE, else share/ab beside the executable's
 * directory (bin/../share/ab) when it exists, else the compile-time
 * AB_SHAREDIR.  Borrowed, valid for the program's life. */
const char *ab_share_dir(void);
/* share_dir/rel as a new string. */
char *ab_share_path(const char *rel);

/* ---- hash.c: SHA-256, configuration hashes ------------------------------ */

/* SHA-256 of data as 64 lowercase hex digits and a NUL. */
void ab_sha256_hex(const void *data, size_t len, char out[65]);

/* Hash of a subject configuration: SHA-256 of the canonical JSON of
 * ab_config_identity(config) (json.c).  Two configurations with one hash
 * benchmark the same thing, whatever their prices, timeouts or retries. */
void ab_config_hash(const json_t *config, char out[65]);

/* ---- jsonw.c: the record writer --------------------------------------- */

/* Every stage writes JSON through these: compact, in the value's member
 * order, strings escaped as jansson's JSON_COMPACT escapes them, and each
 * real with the fewest digits (%.15g, %.16g or %.17g) that strtod reads
 * back as the same double, with ".0" kept so that a real stays a real.
 * A non-finite real (jansson cannot hold one) is written as null. */
#define AB_JSON_REAL_MAX 32
/* The text of d into out (NUL-terminated); returns its length. */
size_t ab_json_real(double d, char out[AB_JSON_REAL_MAX]);
/* Append the compact text of v (borrowed) to b. */
void ab_json_add(struct ab_buf *b, const json_t *v);
/* Append the member name key (borrowed), quoted and escaped as
 * ab_json_add writes names, and ':' to b. */
void ab_json_add_key(struct ab_buf *b, const char *key);
/* The compact text of v (borrowed) as a new string. */
char *ab_json_text(const json_t *v);

/* ---- record.c: reading records, writing records ------------------------ */

#define AB_MAX_RECORD_DEFAULT ((size_t)64 << 20)

/* Reads NDJSON records from files (or stdin for none or "-") one line at a
 * time.  Handles CRLF, a UTF-8 BOM at the start of each file, blank lines,
 * any line length up to max_record. */
struct ab_reader {
	char **files;		/* borrowed */
	int nfiles, fi;
	FILE *fp;
	const char *name;	/* current file name ("<stdin>" for stdin) */
	long line;		/* current line number, 1-based */
	size_t max_record;
	char *buf;
	size_t cap, start, end;
	bool eof, at_file_start;
};

enum ab_read {
	AB_READ_EOF = 0,	/* no more input */
	AB_READ_RECORD = 1,	/* *out is a new JSON object */
	AB_READ_BAD = -1,	/* a bad line (err says why), skipped */
	AB_READ_IOERR = -2,	/* a file could not be opened or read; the
				   reader moves to the next file */
};

/* True when there is at least one input and every one is a regular
 * file (not "-", a pipe or a terminal): its records can be counted
 * before they are read. */
bool ab_inputs_regular(char **files, int nfiles);
/* files/nfiles borrowed for the reader's life; nfiles 0 means stdin. */
void ab_reader_init(struct ab_reader *r, char **files, int nfiles,
    size_t max_record);
/* Next record; r->name and r->line give its position. */
enum ab_read ab_reader_next(struct ab_reader *r, json_t **out,
    struct ab_error *err);
void ab_reader_release(struct ab_reader *r);
/* ab_reader_next in two steps, for a caller that looks at the text first
 * (ab-store) or parses elsewhere: the next non-blank line, without a byte
 * order mark or CR (borrowed until the next call; AB_READ_RECORD means a
 * line), and the parse of one line into a record object (new). */
enum ab_read ab_reader_line(struct ab_reader *r, char **line, size_t *len,
    struct ab_error *err);
enum ab_read ab_parse_record(const char *line, size_t len, json_t **out,
    struct ab_error *err);
/* The fast path of a caller that splits and parses lines itself (ab-rank):
 * the next block of whole lines of the current file, at least want bytes
 * unless the file ends first (its last line may lack the newline), raw
 * but for the byte order mark at the file's start.  AB_READ_RECORD: a
 * block (borrowed until the next call; r->line is the number of its last
 * line); AB_READ_BAD: a line over max_record, skipped (r->line is its
 * number); EOF and IOERR as ab_reader_next.  The caller applies the
 * per-line rules of ab_reader_line (CR, blank lines, max_record). */
enum ab_read ab_reader_block(struct ab_reader *r, size_t want, char **block,
    size_t *len, struct ab_error *err);
/* Whether the next ab_reader_next, _line or _block returns without
 * waiting for input (a whole line is buffered, the input is a regular
 * file or has data ready, or a file ended).  For a caller that commits or
 * flushes its work before it waits on a slow pipeline. */
bool ab_reader_ready(const struct ab_reader *r);

/* The one report of what a reader returned instead of a record: for
 * AB_READ_BAD "prog: file:line: msg", for AB_READ_IOERR "prog: file:
 * msg" (a file that could not be opened or read). */
void ab_warn_read(enum ab_read rc, const char *file, long line,
    const char *msg);

/* Write rec as one compact line to stdout; flush when asked (after slow
 * work).  A write error is fatal: exits AB_EXIT_FATAL with a message. */
void ab_emit(const json_t *rec, bool flush);
/* The number of records ab_emit has written. */
long ab_emitted(void);
/* Flush and close stdout; on error print a diagnostic and return
 * AB_EXIT_FATAL, else status. */
int ab_close_stdout(int status);
/* ab_close_stdout then exit. */
AB_NORETURN void ab_exit(int status);

/* Options every program shares. */
struct ab_loop_opts {
	size_t max_record;	/* 0: AB_MAX_RECORD_DEFAULT */
	bool stop_on_bad;	/* -b: stop at the first bad record */
};

/* Per-record callback of ab_loop.  rec is borrowed (the loop decrefs it
 * after the call); file/line are the record's position.  Return
 * AB_EXIT_OK; AB_EXIT_FAIL when the record went out but its work failed;
 * AB_REC_REJECTED when the record was rejected (the callback printed a
 * diagnostic with ab_warnx_at and wrote nothing): with -b the loop stops. */
#define AB_REC_REJECTED (-1)
typedef int (*ab_record_fn)(json_t *rec, const char *file, long line,
    void *ctx);

/* The record loop: read every record of files (stdin when nfiles is 0),
 * report bad lines with ab_warn_read, call fn for the rest.  Returns the
 * exit status so far (AB_EXIT_OK, AB_EXIT_FAIL, or a greater status fn
 * returned).  Built on ab_input. */
int ab_loop(const struct ab_loop_opts *o, char **files, int nfiles,
    ab_record_fn fn, void *ctx);

/* ab_loop a step at a time, for a program whose records do not go one by
 * one to a callback (ab-gen's tasks):
 *	ab_input_init(&in, &opts, files, nfiles);
 *	while (ab_input_next(&in, &rec)) { ...; json_decref(rec); }
 *	status = ab_input_release(&in);
 * ab_input_next returns the next record (new) with in.r.name and
 * in.r.line its position, reporting bad lines and unreadable files on the
 * way (each makes the status AB_EXIT_FAIL; with -b the input then ends);
 * false at the end.  ab_input_reject counts a record the caller rejected
 * (after its own diagnostic) the same way. */
struct ab_input {
	struct ab_reader r;	/* read only for the caller */
	bool stop_on_bad, stopped;
	int status;		/* AB_EXIT_OK or AB_EXIT_FAIL so far */
};
void ab_input_init(struct ab_input *in, const struct ab_loop_opts *o,
    char **files, int nfiles);
bool ab_input_next(struct ab_input *in, json_t **rec);
void ab_input_reject(struct ab_input *in);
/* Releases the reader; returns the status. */
int ab_input_release(struct ab_input *in);

/* ---- interrupt.c: SIGINT, SIGTERM and SIGHUP -------------------------- */

/* Program-side.  Catch SIGINT, SIGTERM and SIGHUP: the first sets the flag
 * ab_interrupted reads (system calls restart) and wakes the record
 * reader, which then ends the input at once (a line it had only in part
 * is dropped); the record loop and ab_input_next stop.  A second of them
 * ends the program at once (the default action).  say (borrowed for the
 * program's life, or NULL) is written as "prog: interrupted: say" the
 * moment the first comes: for a stage that first finishes slow work in
 * hand. */
void ab_interrupt_catch(const char *say);
/* The signal that came first, or 0. */
int ab_interrupted(void);
/* A descriptor that turns readable at the first signal, or -1 (for a
 * poll that must not wait past it; borrowed). */
int ab_interrupt_fd(void);
/* Hold the signals back in the calling thread (true) or let them in
 * again: around a write that must not be cut in two by the second one. */
void ab_interrupt_hold(bool hold);
/* At the end of a stage: when a signal came, print "interrupted by SIG:
 * N records written[, K in hand dropped], the rest of the input not
 * read" (N is ab_emitted() when written < 0) and return AB_EXIT_FATAL;
 * else return status. */
int ab_interrupt_status(int status, long written, long dropped);

/* ---- progress.c: the progress line of a slow stage --------------------- */

/* Shown on stderr only when it is a terminal (and AB_NO_PROGRESS is
 * unset), at most four times a second: records done, of how many when
 * every input is a regular file (counted at init: its non-blank lines),
 * the rate, the records whose work failed, and the time left. */
struct ab_progress {
	bool on, shown;
	long total;		/* -1: not known before the end */
	double t0, last;
};
/* files/nfiles as given to ab_loop (borrowed for the call only). */
void ab_progress_init(struct ab_progress *p, char **files, int nfiles);
/* Redraw the line; final ends it with a newline (when it was shown).
 * failed < 0: not shown. */
void ab_progress_show(struct ab_progress *p, long done, long failed,
    bool final);

/* Check that rec has the members a stage needs: a string "id" and each of
 * the dotted paths in `need` (NULL-terminated) present.  On failure print
 * "prog: file:line: record ID: missing member X" and return false. */
bool ab_require(const json_t *rec, const char *file, long line,
    const char *const *need);

#include "banned.h"

#endif
