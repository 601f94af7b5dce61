/*
 * workspace.h - workspace tasks: materialising a task's project into a
 * directory (a git repository with one base commit), adding the hidden
 * grading files, applying an answer's patch, running git with an
 * environment ab controls, and parsing test reports (TAP, JUnit XML).
 * Library code: never prints, never exits; errors through struct
 * ab_error.  See ab-task(5), "Workspace tasks".
 *
 * Git always runs with an environment built here from nothing:
 * GIT_CONFIG_NOSYSTEM=1, GIT_CONFIG_GLOBAL=/dev/null, no hooks
 * (core.hooksPath=/dev/null), no templates, fixed author, committer and
 * dates, so no configuration, hook or attribute driver a repository or a
 * user carries can run code on the host.
 */
#ifndef AB_WORKSPACE_H
#define AB_WORKSPACE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "ab.h"

/* The fixed identity and date of every base commit. */
#define AB_WS_GIT_NAME "ab"
#define AB_WS_GIT_EMAIL "ab@localhost"
#define AB_WS_GIT_DATE "2000-01-01T00:00:00Z"

/* True for a task with "kind": "workspace".  task borrowed. */
bool ab_ws_is_workspace(const json_t *task);

/* Check a path from a task or a patch: relative, normalised (no empty,
 * "." or ".." component, no trailing slash), no ".git" component (any
 * case), no control character, at most 4096 bytes.  Returns 0, or -1 with
 * err (kind "path") naming the problem. */
int ab_ws_check_path(const char *path, size_t len, struct ab_error *err);

/* Write the task's workspace (task.workspace.files, or the tree of
 * task.workspace.git.base in the local repository task.workspace.git.repo)
 * into dir, which must exist and be empty, and make dir a git repository
 * with exactly one commit: the base, with the fixed identity and date, so
 * the commit id depends only on the files.  The hidden grading files and
 * the solution are never written.  Files are written beneath dir without
 * following symbolic links.  task borrowed.  Returns 0, or -1 with err
 * set: kind "workspace" (a bad or missing workspace), "path" (a bad path),
 * "git" (git failed or is missing), "io". */
int ab_ws_materialise(const json_t *task, const char *dir,
    struct ab_error *err);

/* The workspace's files only, for grading: with the files form, written
 * into the empty directory dir without a git repository (so without the
 * cost of one); with the git form, ab_ws_materialise.  ab_ws_apply works
 * on either.  Returns 0, or -1 with err set as ab_ws_materialise. */
int ab_ws_write(const json_t *task, const char *dir, struct ab_error *err);

/* Write task.grading.files into dir, replacing whatever the patch left at
 * those paths (a file, a directory or a symbolic link).  task borrowed.
 * Returns 0 (also when there are none), or -1 with err set. */
int ab_ws_add_grading(const json_t *task, const char *dir,
    struct ab_error *err);

/* Apply a patch (git diff --binary form) to the work tree dir made by
 * ab_ws_materialise or ab_ws_write, with `git apply` (paths outside dir
 * and through symbolic links refused; without dir/.git, git runs outside
 * any repository).  check: only test that it applies.  patch
 * borrowed.  Returns 0, or -1 with err set: kind "patch_failed" with git's
 * message when it does not apply, "git" when git could not run. */
int ab_ws_apply(const char *dir, const char *patch, size_t len, bool check,
    struct ab_error *err);

/* Run git with ab's environment: argv without the leading "git", in
 * directory cwd (NULL: the current one), with GIT_DIR=git_dir when not
 * NULL, stdin from in[0..inlen) (NULL: empty).  Stdout is appended to out
 * (NULL: discarded), stderr to errout (NULL: discarded), each capped at
 * cap bytes (0: 64 MiB); *status gets the exit status (128+signal when
 * killed).  Returns 0 when git ran (whatever its status), -1 with err
 * (kind "git") when it could not be started. */
int ab_ws_git(const char *cwd, const char *git_dir, const char *const *argv,
    const char *in, size_t inlen, struct ab_buf *out, struct ab_buf *errout,
    size_t cap, int *status, struct ab_error *err);

/* Remove dir and everything beneath it, never following symbolic links.
 * Returns 0, or -1 with err set. */
int ab_ws_remove(const char *dir, struct ab_error *err);

/* Make a new empty directory under $TMPDIR (or /tmp) named
 * ab-ws.XXXXXX (mode 0700).  Returns a new string, or NULL with err. */
char *ab_ws_tempdir(struct ab_error *err);

/* A process's private temporary directory PARENT/PREFIX.XXXXXX (mode
 * 0700) that a later process can tell from a live one's: it holds a file
 * .lock on which the owner keeps an exclusive flock(2) for as long as it
 * lives (the name appears only once the lock is held), and the lock dies
 * with the owner, however it dies (SIGKILL included).  *path gets the
 * directory (new).  Returns the lock's descriptor (close-on-exec; keep it
 * open, close it after removing the directory), or -1 with err set. */
int ab_ws_tempdir_locked(const char *parent, const char *prefix,
    char **path, struct ab_error *err);

/* Remove what owners of ab_ws_tempdir_locked directories beneath parent
 * left when they died (SIGKILL, a crash): every PARENT/PREFIX.XXXXXX that
 * is a directory (not a link) of this process's effective uid holding a
 * regular .lock of that uid whose lock can be taken at once.  Nothing
 * else is touched: a directory without a lock file, of another uid, or
 * whose lock is held (a live owner) or cannot be taken for another
 * reason stays.  Returns how many were removed. */
int ab_ws_clean_stale(const char *parent, const char *prefix);

/* One file of a work tree read back by ab_ws_collect. */
struct ab_ws_file {
	char *path;		/* relative, new */
	char *data;		/* new, NUL-terminated */
	size_t len;
	int mode;		/* 0644 or 0755 */
};

/* Every regular file beneath dir except the top-level .git, in path
 * order, into *files (new array; free with ab_ws_files_free).  *bytes gets
 * their total size.  Symbolic links are listed in *links (new array of
 * new strings, NULL-terminated) and not read: the sandbox writes regular
 * files only (ab_ws_grade makes them in the sandbox).  Fails (kind
 * "too_large") past max_bytes in total.
 * Returns 0, or -1 with err set. */
int ab_ws_collect(const char *dir, size_t max_bytes,
    struct ab_ws_file **files, size_t *nfiles, size_t *bytes, char ***links,
    struct ab_error *err);
void ab_ws_files_free(struct ab_ws_file *files, size_t n, char **links);

/* Decode standard base64 (RFC 4648, padding optional, whitespace between
 * groups allowed) into a new buffer.  Returns NULL with err (kind
 * "base64") on a bad character or length. */
char *ab_base64_decode(const char *s, size_t n, size_t *outlen,
    struct ab_error *err);

/* ---- grading (workspace/grade.c) ---------------------------------------- */

struct ab_sandbox;

/* Overrides of the task's grading limits (ab-exec's options); 0: the
 * task's (grading.time_limit_ms as the wall clock, default 60000; the
 * CPU time of the whole tree twice that; grading.memory_limit_mb,
 * default 1024). */
struct ab_ws_grade_opts {
	long cpu_ms, wall_ms, memory_mb;
};

/* Check that a workspace task can be graded: a workspace object, a
 * grading object with a non-empty command, results exit, tap or
 * junit:PATH.  Returns 0, or -1 with err (kind "task"). */
int ab_ws_task_problem(const json_t *task, struct ab_error *err);

/* Grade rec (a record of a workspace task with extract.patch; a missing
 * or empty patch grades the base as it is): a fresh directory from
 * ab_ws_materialise, the patch applied, ab_ws_add_grading, then
 * grading.command (sh -c) run in sb in a fresh work directory holding the
 * tree, with the grading limits.  Verdict: ok when the command exits 0
 * and every test of its report passed (TAP: the plan met, no bail out);
 * wrong_answer when it exits non-zero, a test failed, or the patch does
 * not apply; time_limit, memory_limit, output_limit, signaled from the
 * run.  A fault of the task (kind "task") or of the harness (kind
 * "harness") is exec.error with verdict internal_error.  isolation
 * borrowed (copied into the member).  Returns the new exec member. */
json_t *ab_ws_grade(struct ab_sandbox *sb, const json_t *rec,
    const struct ab_ws_grade_opts *o, json_t *isolation);

/* ---- test reports (workspace/report.c) ----------------------------------- */

/* One test case of a report. */
struct ab_test_case {
	char *name;		/* new; "test N" when the report gives none */
	bool ok;		/* passed (a TAP "# SKIP"/"# TODO" counts as
				   passed; a JUnit skipped case too) */
	bool skipped;
	double time_ms;		/* -1 when unknown */
	char *message;		/* new, NULL when none: failure text */
};

struct ab_test_report {
	struct ab_test_case *v;
	size_t n, cap;
	long planned;		/* TAP plan count, -1 when none */
	bool bail_out;		/* TAP "Bail out!" */
};

void ab_test_report_init(struct ab_test_report *r);	/* empty, no plan */

/* Parse TAP (versions 12 to 14; subtests' indented lines are folded into
 * their parent's result line) from s[0..n).  Never fails: lines that are
 * not TAP are ignored.  Appends to r (ab_test_report_init first). */
void ab_tap_parse(const char *s, size_t n, struct ab_test_report *r);

/* Parse JUnit XML (<testsuites>/<testsuite>/<testcase> with <failure>,
 * <error>, <skipped> children; names "classname.name") from s[0..n).
 * Returns 0, or -1 with err (kind "junit") when it is not XML holding
 * testcase elements.  Appends to r. */
int ab_junit_parse(const char *s, size_t n, struct ab_test_report *r,
    struct ab_error *err);

/* Frees the cases; r is empty again (as after init). */
void ab_test_report_release(struct ab_test_report *r);

#endif
