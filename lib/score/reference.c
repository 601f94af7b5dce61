/*
 * reference.c - the run time of a task's reference solution, measured once
 * per task by running the reference through ab-exec (so through the same
 * sandbox and harness as the attempts) and cached in memory and on disk.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ab.h"
#include "score.h"

extern char **environ;

#define REF_TIMEOUT_MS 300000.0	/* a whole ab-exec run of one task */

static void
fill(struct ab_ref_time *t, const json_t *e, const char *source)
{
	t->cpu_ms = ab_get_num(e, "cpu_ms", -1);
	t->wall_ms = ab_get_num(e, "wall_ms", -1);
	t->max_test_ms = ab_get_num(e, "max_test_ms", -1);
	snprintf(t->source, sizeof t->source, "%s", source);
}

static int
mkdirs(const char *path)
{
	char *p = ab_xstrdup(path), *s;
	int rc = 0;

	for (s = p + 1; *s != '\0'; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			rc = -1;
		*s = '/';
	}
	if (mkdir(p, 0755) < 0 && errno != EEXIST)
		rc = -1;
	free(p);
	return rc;
}

/* Run ab-exec on one record; returns its output line (new) or NULL. */
static char *
run_exec(struct ab_ref_cache *c, const char *input, struct ab_error *err)
{
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, status, devnull;
	posix_spawn_file_actions_t fa;
	char **argv;
	size_t n = 0, i, off = 0, len = strlen(input);
	struct ab_buf b = AB_BUF_INIT;
	pid_t pid;
	double deadline = ab_now_ms() + REF_TIMEOUT_MS;
	bool killed = false;

	for (n = 0; c->exec_args != NULL && c->exec_args[n] != NULL; n++)
		;
	argv = ab_xcalloc(n + 2, sizeof *argv);
	argv[0] = c->exec_path;
	for (i = 0; i < n; i++)
		argv[i + 1] = c->exec_args[i];
	if (pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0) {
		ab_error_set(err, "io", "pipe: %s", strerror(errno));
		goto fail;
	}
	devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	if (devnull >= 0)
		posix_spawn_file_actions_adddup2(&fa, devnull, 2);
	errno = posix_spawn(&pid, c->exec_path, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (devnull >= 0)
		close(devnull);
	close(in[0]);
	close(out[1]);
	in[0] = out[1] = -1;
	if (errno != 0) {
		ab_error_set(err, "exec", "cannot run %s: %s", c->exec_path,
		    strerror(errno));
		goto fail;
	}
	fcntl(in[1], F_SETFL, O_NONBLOCK);
	for (;;) {
		struct pollfd pf[2] = { { out[0], POLLIN, 0 }, { in[1], POLLOUT,
		    0 } };
		double left = deadline - ab_now_ms();
		char buf[8192];
		ssize_t r;

		if (left <= 0) {
			kill(pid, SIGKILL);
			killed = true;
			break;
		}
		if (poll(pf, in[1] >= 0 ? 2 : 1, (int)(left > 1000 ? 1000 :
		    left + 1)) < 0 && errno != EINTR)
			break;
		if (in[1] >= 0 && (pf[1].revents & (POLLOUT | POLLERR |
		    POLLHUP))) {
			r = write(in[1], input + off, len - off);
			if (r > 0)
				off += (size_t)r;
			if (r < 0 && errno != EAGAIN)
				off = len;
			if (off >= len) {
				close(in[1]);
				in[1] = -1;
			}
		}
		if (pf[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			r = read(out[0], buf, sizeof buf);
			if (r > 0 && b.len < ((size_t)64 << 20))
				ab_buf_add(&b, buf, (size_t)r);
			else if (r == 0 || (r < 0 && errno != EINTR &&
			    errno != EAGAIN))
				break;
		}
	}
	if (in[1] >= 0)
		close(in[1]);
	close(out[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	free(argv);
	if (killed) {
		ab_buf_release(&b);
		ab_error_set(err, "timeout", "%s took more than %.0f s",
		    c->exec_path, REF_TIMEOUT_MS / 1000);
		return NULL;
	}
	if (b.len == 0) {
		ab_buf_release(&b);
		ab_error_set(err, "exec", "%s wrote no record (status %d)",
		    c->exec_path, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		return NULL;
	}
	return ab_buf_detach(&b);
fail:
	for (i = 0; i < 2; i++) {
		if (in[i] >= 0)
			close(in[i]);
		if (out[i] >= 0)
			close(out[i]);
	}
	free(argv);
	return NULL;
}

static json_t *
measure(struct ab_ref_cache *c, const json_t *task, const char *hash,
    struct ab_error *err)
{
	const char *ref = ab_get_str(task, "reference");
	const char *id = ab_get_str(task, "id");
	json_t *rec, *out, *exec, *t, *entry;
	char *line;
	double max_test = -1;
	size_t i;
	json_error_t je;

	rec = json_pack("{s:s+, s:s, s:O, s:{s:s, s:s}, s:i, s:{s:s, s:n}, "
	    "s:{s:s, s:s?, s:n}}",
	    "id", id ? id : "task", "/reference/0", "run", "ab-score-reference",
	    "task", task, "config", "name", "reference", "hash", hash,
	    "sample", 0, "gen", "text", ref, "error",
	    "extract", "code", ref, "language", ab_get_str(task, "language"),
	    "error");
	if (rec == NULL) {
		ab_error_set(err, "reference", "cannot build the reference "
		    "record");
		return NULL;
	}
	char *text = ab_json_text(rec);
	char *input = ab_xasprintf("%s\n", text);

	free(text);
	json_decref(rec);
	line = run_exec(c, input, err);
	free(input);
	if (line == NULL)
		return NULL;
	out = json_loads(line, JSON_DISABLE_EOF_CHECK, &je);
	free(line);
	exec = json_object_get(out, "exec");
	if (!json_is_object(exec)) {
		json_decref(out);
		ab_error_set(err, "reference", "%s gave no exec member",
		    c->exec_path);
		return NULL;
	}
	if (ab_get_str(exec, "verdict") == NULL ||
	    strcmp(ab_get_str(exec, "verdict"), "ok") != 0) {
		ab_error_set(err, "reference", "the reference solution did not "
		    "pass its tests (verdict %s)", ab_get_str(exec, "verdict") ?
		    ab_get_str(exec, "verdict") : "none");
		json_decref(out);
		return NULL;
	}
	json_array_foreach(json_object_get(exec, "tests"), i, t)
		if (ab_get_num(t, "time_ms", -1) > max_test)
			max_test = ab_get_num(t, "time_ms", -1);
	entry = json_pack("{s:s?, s:f, s:f, s:f}", "task", id, "cpu_ms",
	    ab_get_num(exec, "cpu_ms", -1), "wall_ms",
	    ab_get_num(exec, "wall_ms", -1), "max_test_ms", max_test);
	json_decref(out);
	return entry;
}

int
ab_ref_time(struct ab_ref_cache *c, const json_t *task, struct ab_ref_time *t,
    struct ab_error *err)
{
	char hash[65], *canon, *path = NULL, *tmp;
	json_t *e, *v;
	json_error_t je;
	int rc = -1;

	memset(t, 0, sizeof *t);
	v = json_object_get(task, "reference_time_ms");
	if (json_is_number(v) && json_number_value(v) > 0) {
		t->cpu_ms = t->wall_ms = t->max_test_ms = json_number_value(v);
		snprintf(t->source, sizeof t->source,
		    "task member reference_time_ms");
		return 0;
	}
	if (ab_get_str(task, "reference") == NULL)
		return ab_error_set(err, "reference", "the task has no "
		    "reference solution");
	canon = ab_canonical(task);
	ab_sha256_hex(canon, strlen(canon), hash);
	free(canon);
	if (c->mem == NULL)
		c->mem = json_object();
	if ((e = json_object_get(c->mem, hash)) != NULL) {
		if (json_is_string(e))
			return ab_error_set(err, "reference", "%s",
			    json_string_value(e));
		fill(t, e, json_string_value(json_object_get(e, "source")));
		return 0;
	}
	if (c->dir != NULL) {
		path = ab_xasprintf("%s/reference/%s.json", c->dir, hash);
		e = json_load_file(path, 0, &je);
		if (json_is_object(e) && json_is_number(json_object_get(e,
		    "cpu_ms"))) {
			char *src = ab_xasprintf("the reference solution run "
			    "through ab-exec, cache key %.12s", hash);

			json_object_set_new(e, "source", json_string(src));
			fill(t, e, src);
			free(src);
			json_object_set_new(c->mem, hash, e);
			free(path);
			return 0;
		}
		json_decref(e);
	}
	if (c->exec_path == NULL) {
		ab_error_set(err, "reference", "not cached and measuring is off");
		goto out;
	}
	e = measure(c, task, hash, err);
	if (e == NULL) {
		/* remember the failure: one attempt per task and process */
		json_object_set_new(c->mem, hash, json_string(err->msg));
		goto out;
	}
	if (path != NULL) {
		char *dir = ab_xasprintf("%s/reference", c->dir);

		tmp = ab_xasprintf("%s.%ld.tmp", path, (long)getpid());
		if (mkdirs(dir) == 0 && json_dump_file(e, tmp, JSON_COMPACT |
		    JSON_SORT_KEYS) == 0)
			rename(tmp, path);
		unlink(tmp);
		free(tmp);
		free(dir);
	}
	{
		char *src = ab_xasprintf("the reference solution run "
		    "through ab-exec, cache key %.12s", hash);

		json_object_set_new(e, "source", json_string(src));
		fill(t, e, src);
		free(src);
	}
	json_object_set_new(c->mem, hash, e);
	rc = 0;
out:
	free(path);
	return rc;
}

void
ab_ref_cache_release(struct ab_ref_cache *c)
{
	size_t i;

	free(c->dir);
	free(c->exec_path);
	for (i = 0; c->exec_args != NULL && c->exec_args[i] != NULL; i++)
		free(c->exec_args[i]);
	free(c->exec_args);
	json_decref(c->mem);
	memset(c, 0, sizeof *c);
}
