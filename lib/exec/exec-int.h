/*
 * exec-int.h - internals of lib/exec: verdicts, one record's job, and
 * the helpers its files share.
 */
#ifndef AB_EXEC_INT_H
#define AB_EXEC_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "ab.h"
#include "exec.h"

#define SHOW_MAX 4096		/* bytes of expected/actual kept per test */
#define ERR_SHOW 2000		/* bytes of error text kept per test */
#define EXEC_MAX (1L << 20)	/* bytes of the exec member, at most */

/* Verdicts, most severe first: the record's verdict is the most severe
 * verdict among its tests (documented in ab-exec(1)). */
enum verdict {
	V_INTERNAL, V_COMPILE, V_TIME, V_MEMORY, V_OUTPUT, V_SIGNALED,
	V_RUNTIME, V_WRONG, V_OK, V_NONE,
};

struct lang_slot {
	char *name;			/* owned */
	struct ab_exec_lang *l;		/* owned, NULL when it did not load */
	struct ab_error err;		/* why not */
	struct lang_slot *next;
};

struct cached_file {
	char *rel, *text;		/* owned */
	size_t len;
	struct cached_file *next;
};

struct ab_exec {
	struct ab_exec_opts o;
	struct ab_sandbox *sb;		/* borrowed */
	json_t *isolation;		/* owned */
	struct lang_slot *langs;
	struct cached_file *files;	/* harness files, read once */
	unsigned long nonce_seq;
	struct pch_memo *pch;		/* pch.c: entries decided; owned */
};

struct test {
	const json_t *t;	/* borrowed from the task */
	const char *style;
	enum verdict v;
	json_t *expected, *actual;	/* new or NULL; whole (cut when the
					   record is written) */
	size_t actual_bytes;		/* io: bytes of output (0: see actual) */
	char *error;			/* new or NULL */
	double time_ms;
	const char *signal;
	bool done;
	bool gone;		/* its process died under it */
};

struct job {
	struct ab_exec *c;
	const char *id;		/* the record's, may be NULL */
	const json_t *task;
	char *code;		/* the program (ab_task_program()), owned */
	const struct ab_exec_lang *lang;
	const char *entry;
	struct ab_limits lim, clim;
	struct test *tests;
	size_t ntests;
	double cpu_ms, wall_ms;
	double server_cpu_ms;	/* CPU of the proxy server's build */
	/* The checker cache (kcache.c): */
	char *kbin;		/* a cached checker to place in the work
				   directory at the first run, owned, or
				   NULL */
	size_t kbin_len;
	bool kcached;		/* the checker came from the cache */
	bool kfresh;		/* build it, whatever the cache holds */
	bool ksuspect;		/* a run of the cached checker failed in
				   a way the cache could cause */
	long peak_kb;
	json_t *error;		/* exec.error, new or NULL */
	char nonce[33];
};

struct span {
	const char *s;
	size_t n;
};

/* compare.c: next line of text (without its newline); false at the
 * end. */
bool ab_ex_next_line(const char **p, const char *end, struct span *line);

/* run.c */
/* A JSON string from untrusted bytes: valid UTF-8 kept (newlines too),
 * invalid bytes and NUL as \xNN, cut after max bytes with a note.  New. */
json_t *ab_ex_show_bytes(const char *s, size_t n, size_t max);
/* Replace every "@@KEY@@" in s by its value (keys and values in pairs,
 * NULL-terminated).  New. */
char *ab_ex_subst(const char *s, const char *const *kv);
/* The value of @@LD@@: "-fuse-ld=gold" when GNU gold is installed,
 * else "".  Static. */
const char *ab_ex_fast_ld(void);
/* argv with @@KEY@@ substituted (an element "@@PCH@@" or "@@LD@@" whose
 * value is empty left out).  New, NULL-terminated (NULL for a NULL
 * argv); free with ab_ex_free_argv. */
char **ab_ex_make_argv(char *const *argv, const char *const *kv);
void ab_ex_free_argv(char **v);
void ab_ex_set_test(struct test *t, enum verdict v, const char *fmt, ...)
    AB_PRINTF(3, 4);
/* Tail of a run's stderr for an error message.  New. */
char *ab_ex_err_tail(const struct ab_run_result *r);
/* One compile command of a style (see run.c).  */
int ab_ex_compile_step(struct job *j, char *const *cmd, const char *key,
    const struct ab_file *files, size_t nfiles, bool keep,
    const char *const *kv, enum verdict limit_verdict,
    struct ab_run_result *r, struct test **ts, size_t n);
void ab_ex_warn(struct ab_exec *x, const char *fmt, ...) AB_PRINTF(2, 3);

/* lang.c: free the descriptors and the harness files. */
void ab_ex_free_langs(struct ab_exec *x);

/* proxy.c: build the two programs of a proxy style; 0 when both are
 * ready in the work directory, -1 when every test got its verdict. */
int ab_ex_proxy_build(struct job *j, const struct ab_exec_style *style,
    struct test **ts, size_t n, const char *const *kv);

/* pch.c: the argument that makes the compile command key ("compile",
 * "compile_checker") of a proxy style include its precompiled header
 * ("-include/dir/ab-pch.hpp"), building it when missing or stale; ""
 * when there is none.  New. */
char *ab_ex_pch_arg(struct job *j, const struct ab_exec_style *style,
    const char *key);
/* Whether a header or file name is plain (relative, no "..", letters,
 * digits and "_./+-"). */
bool ab_ex_pch_name_ok(const char *name);
void ab_ex_pch_free(struct ab_exec *x);

/* kcache.c: the checker cache of a proxy style.  The key of a checker
 * build (argv after substitution, pch its precompiled header's
 * argument or "", the files placed for it): new hex SHA-256, or NULL
 * when there is no cache or the build's inputs cannot all be named. */
char *ab_ex_kcache_key(struct job *j, char *const *argv, const char *pch,
    const struct ab_file *files, size_t nfiles);
/* The checker cached under key, intact (its hash checked; a damaged
 * entry is removed): new bytes and *len, or NULL. */
char *ab_ex_kcache_get(struct ab_exec *x, const char *key, size_t *len);
/* Keep the checker built at bin_path (a host path into the work
 * directory) under key; whatever fails leaves the cache without it. */
void ab_ex_kcache_put(struct ab_exec *x, const char *key,
    const char *bin_path);

#endif
