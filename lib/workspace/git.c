/*
 * git.c - running git with an environment ab builds from nothing, and
 * applying a patch to a materialised work tree.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ab.h"
#include "workspace.h"

/* Configuration given on every command line, after which no file's can
 * matter: the system and global files are off, and a repository's own
 * file is one ab wrote (ab_ws_materialise) or never read (alternates). */
static const char *const git_config[] = {
	"-c", "core.hooksPath=/dev/null",
	"-c", "core.fsmonitor=false",
	"-c", "core.autocrlf=false",
	"-c", "core.safecrlf=false",
	"-c", "core.filemode=true",
	"-c", "core.symlinks=true",
	"-c", "core.quotepath=false",
	"-c", "core.precomposeunicode=false",
	"-c", "commit.gpgsign=false",
	"-c", "gc.auto=0",
	"-c", "maintenance.auto=false",
	"-c", "init.defaultBranch=main",
	"-c", "advice.detachedHead=false",
	"-c", "apply.whitespace=nowarn",
	"-c", "diff.noprefix=false",
	"-c", "diff.external=",
	"-c", "user.useConfigOnly=false",
	NULL,
};

static const char *const git_env[] = {
	"PATH=/usr/bin:/bin",
	"HOME=/nonexistent",
	"LC_ALL=C",
	"TZ=UTC",
	"GIT_CONFIG_NOSYSTEM=1",
	"GIT_CONFIG_GLOBAL=/dev/null",
	"GIT_ATTR_NOSYSTEM=1",
	"GIT_TERMINAL_PROMPT=0",
	"GIT_NO_REPLACE_OBJECTS=1",
	"GIT_OPTIONAL_LOCKS=0",
	"GIT_PAGER=cat",
	"GIT_AUTHOR_NAME=" AB_WS_GIT_NAME,
	"GIT_AUTHOR_EMAIL=" AB_WS_GIT_EMAIL,
	"GIT_AUTHOR_DATE=" AB_WS_GIT_DATE,
	"GIT_COMMITTER_NAME=" AB_WS_GIT_NAME,
	"GIT_COMMITTER_EMAIL=" AB_WS_GIT_EMAIL,
	"GIT_COMMITTER_DATE=" AB_WS_GIT_DATE,
	NULL,
};

static void
drain_to(int fd, struct ab_buf *b, size_t cap, bool *open)
{
	char chunk[65536];
	ssize_t n = read(fd, chunk, sizeof chunk);

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		*open = false;
		return;
	}
	if (b != NULL && b->len < cap)
		ab_buf_add(b, chunk, (size_t)n < cap - b->len ? (size_t)n :
		    cap - b->len);
}

int
ab_ws_git(const char *cwd, const char *git_dir, const char *const *argv,
    const char *in, size_t inlen, struct ab_buf *out, struct ab_buf *errout,
    size_t cap, int *status, struct ab_error *err)
{
	const char **av, **env;
	char *gd = NULL;
	size_t na = 0, nc = 0, ne = 0, i, k;
	int pout[2] = { -1, -1 }, perr[2] = { -1, -1 }, pin = -1, st = 0;
	bool oo = true, eo = true;
	pid_t pid;

	if (cap == 0)
		cap = (size_t)64 << 20;
	while (argv[na] != NULL)
		na++;
	while (git_config[nc] != NULL)
		nc++;
	while (git_env[ne] != NULL)
		ne++;
	av = ab_xcalloc(na + nc + 2, sizeof *av);
	k = 0;
	av[k++] = "git";
	for (i = 0; i < nc; i++)
		av[k++] = git_config[i];
	for (i = 0; i < na; i++)
		av[k++] = argv[i];
	env = ab_xcalloc(ne + 2, sizeof *env);
	for (i = 0; i < ne; i++)
		env[i] = git_env[i];
	if (git_dir != NULL)
		env[i++] = gd = ab_xasprintf("GIT_DIR=%s", git_dir);
	else if (cwd != NULL && cwd[0] == '/') {
		/* No repository: never find one above cwd. */
		const char *slash = strrchr(cwd, '/');

		env[i++] = gd = ab_xasprintf("GIT_CEILING_DIRECTORIES=%.*s",
		    (int)(slash > cwd ? slash - cwd : 1), cwd);
	}
	/* stdin: a memory file, so a large input never blocks against a
	 * full output pipe. */
	if ((pin = memfd_create("git-stdin", MFD_CLOEXEC)) < 0 ||
	    (inlen > 0 && write(pin, in, inlen) != (ssize_t)inlen) ||
	    lseek(pin, 0, SEEK_SET) < 0 ||
	    pipe2(pout, O_CLOEXEC) < 0 || pipe2(perr, O_CLOEXEC) < 0) {
		ab_error_set(err, "git", "pipe: %s", strerror(errno));
		goto fail;
	}
	if ((pid = fork()) < 0) {
		ab_error_set(err, "git", "fork: %s", strerror(errno));
		goto fail;
	}
	if (pid == 0) {
		signal(SIGPIPE, SIG_DFL);
		if (dup2(pin, 0) < 0 || dup2(pout[1], 1) < 0 ||
		    dup2(perr[1], 2) < 0 || (cwd != NULL && chdir(cwd) < 0))
			_exit(126);
		execve("/usr/bin/git", (char *const *)av, (char *const *)env);
		execve("/bin/git", (char *const *)av, (char *const *)env);
		_exit(127);
	}
	close(pin);
	close(pout[1]);
	close(perr[1]);
	pin = pout[1] = perr[1] = -1;
	while (oo || eo) {
		struct pollfd p[2];

		p[0].fd = oo ? pout[0] : -1;
		p[1].fd = eo ? perr[0] : -1;
		p[0].events = p[1].events = POLLIN;
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (oo && (p[0].revents & (POLLIN | POLLHUP | POLLERR)))
			drain_to(pout[0], out, cap, &oo);
		if (eo && (p[1].revents & (POLLIN | POLLHUP | POLLERR)))
			drain_to(perr[0], errout, cap, &eo);
	}
	close(pout[0]);
	close(perr[0]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	free(av);
	free(env);
	free(gd);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
		return ab_error_set(err, "git", "git is not installed "
		    "(/usr/bin/git)");
	*status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	return 0;
fail:
	if (pin >= 0)
		close(pin);
	for (i = 0; i < 2; i++) {
		if (pout[i] >= 0)
			close(pout[i]);
		if (perr[i] >= 0)
			close(perr[i]);
	}
	free(av);
	free(env);
	free(gd);
	return -1;
}

/* git's stderr, cut, lines joined by ';', for a message. */
static void
first_lines(const struct ab_buf *b, char *dst, size_t cap)
{
	const char *s = b->s != NULL ? b->s : "";
	size_t n = strlen(s);

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' '))
		n--;
	if (n > 600)
		n = 600;
	snprintf(dst, cap, "%.*s", (int)n, s);
	for (; *dst != '\0'; dst++)
		if (*dst == '\n')
			*dst = ';';
}

int
ab_ws_apply(const char *dir, const char *patch, size_t len, bool check,
    struct ab_error *err)
{
	const char *argv[8];
	struct ab_buf eb = AB_BUF_INIT;
	char *abs = realpath(dir, NULL), *gd;
	char msg[700];
	int st = 0, k = 0, rc;

	if (abs == NULL)
		return ab_error_set(err, "io", "%s: %s", dir, strerror(errno));
	gd = ab_xasprintf("%s/.git", abs);
	if (access(gd, F_OK) < 0) {
		/* A tree from ab_ws_write: git apply outside a repository. */
		free(gd);
		gd = NULL;
	}

	argv[k++] = "apply";
	argv[k++] = "--whitespace=nowarn";
	if (check)
		argv[k++] = "--check";
	argv[k++] = "-";
	argv[k] = NULL;
	rc = ab_ws_git(abs, gd, argv, patch, len, NULL, &eb, 1 << 16, &st,
	    err);
	free(abs);
	if (rc < 0) {
		free(gd);
		ab_buf_release(&eb);
		return -1;
	}
	free(gd);
	if (st != 0) {
		first_lines(&eb, msg, sizeof msg);
		ab_buf_release(&eb);
		return ab_error_set(err, "patch_failed", "git apply: %s",
		    msg[0] ? msg : "failed");
	}
	ab_buf_release(&eb);
	return 0;
}
