/* env.c - the environment a run was stored from: host, OS, command line,
 * git commit, toolchain versions. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lang.h"
#include "store-int.h"

extern char **environ;

#define TOOL_TIMEOUT_MS 5000
#define MAX_COMMAND 4096

/*
 * Run argv (found on PATH) with stdin and stderr on /dev/null and return
 * the first line of its stdout (new), or NULL when it cannot run, fails or
 * takes longer than TOOL_TIMEOUT_MS (then it is killed).
 */
static char *
capture(char *const argv[], const char *stderr_too)
{
	posix_spawn_file_actions_t fa;
	struct ab_buf b = AB_BUF_INIT;
	struct pollfd pfd;
	double deadline = ab_now_ms() + TOOL_TIMEOUT_MS;
	char chunk[1024], *nl;
	int p[2], status, left;
	ssize_t n;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, p[1], 1);
	if (stderr_too != NULL)
		posix_spawn_file_actions_adddup2(&fa, p[1], 2);
	else
		posix_spawn_file_actions_addopen(&fa, 2, "/dev/null",
		    O_WRONLY, 0);
	if (posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		close(p[0]);
		close(p[1]);
		return NULL;
	}
	posix_spawn_file_actions_destroy(&fa);
	close(p[1]);
	pfd.fd = p[0];
	pfd.events = POLLIN;
	while (b.len < 65536) {
		left = (int)(deadline - ab_now_ms());
		if (left <= 0)
			break;
		if (poll(&pfd, 1, left) <= 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		n = read(p[0], chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		ab_buf_add(&b, chunk, (size_t)n);
	}
	close(p[0]);
	if (ab_now_ms() >= deadline)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || b.len == 0) {
		ab_buf_release(&b);
		return NULL;
	}
	if ((nl = memchr(b.s, '\n', b.len)) != NULL)
		*nl = '\0';
	while (b.s[0] != '\0' && isspace((unsigned char)b.s[strlen(b.s) - 1]))
		b.s[strlen(b.s) - 1] = '\0';
	if (b.s[0] == '\0') {
		ab_buf_release(&b);
		return NULL;
	}
	return ab_buf_detach(&b);
}

static char *
os_name(void)
{
	struct utsname u;
	char line[512], *pretty = NULL, *p;
	FILE *fp;

	if (uname(&u) < 0)
		return NULL;
	if ((fp = fopen("/etc/os-release", "re")) != NULL) {
		while (fgets(line, sizeof line, fp) != NULL) {
			if (strncmp(line, "PRETTY_NAME=", 12) != 0)
				continue;
			p = line + 12;
			p[strcspn(p, "\n")] = '\0';
			if (*p == '"') {
				p++;
				p[strcspn(p, "\"")] = '\0';
			}
			pretty = ab_xstrdup(p);
			break;
		}
		fclose(fp);
	}
	p = pretty != NULL ? ab_xasprintf("%s %s %s (%s)", u.sysname,
	    u.release, u.machine, pretty) : ab_xasprintf("%s %s %s",
	    u.sysname, u.release, u.machine);
	free(pretty);
	return p;
}

/* pid's parent and process group from /proc/PID/stat; -1 on failure. */
static int
proc_stat(long pid, long *ppid, long *pgrp)
{
	char path[64], buf[1024], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof path, "/proc/%ld/stat", pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	/* The command name may hold spaces and parentheses: skip to the
	 * last ')'. */
	if ((p = strrchr(buf, ')')) == NULL ||
	    sscanf(p + 1, " %*c %ld %ld", ppid, pgrp) != 2)
		return -1;
	return 0;
}

/* Whether an argument would put a secret into the database. */
static bool
secret_arg(const char *a)
{
	static const char *const words[] = { "key", "token", "secret",
	    "password", "authorization", "bearer", NULL };
	char low[256];
	size_t i;
	int w;

	for (i = 0; a[i] != '\0' && i < sizeof low - 1; i++)
		low[i] = (char)tolower((unsigned char)a[i]);
	low[i] = '\0';
	for (w = 0; words[w] != NULL; w++)
		if (strstr(low, words[w]) != NULL &&
		    (strchr(a, '=') != NULL || strchr(a, ':') != NULL ||
		    strchr(a, ' ') != NULL))
			return true;
	return false;
}

/* Append the command line of pid, shell-quoted, secrets masked. */
static void
add_cmdline(struct ab_buf *b, long pid)
{
	char path[64], buf[8192];
	ssize_t n;
	size_t i, start;
	int fd;
	const char *a, *eq;

	snprintf(path, sizeof path, "/proc/%ld/cmdline", pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	for (start = 0; start < (size_t)n; start = i + 1) {
		i = start + strlen(buf + start);
		a = buf + start;
		if (start > 0)
			ab_buf_addc(b, ' ');
		if (secret_arg(a)) {
			eq = strpbrk(a, "=:");
			if (eq != NULL)
				ab_buf_add(b, a, (size_t)(eq - a) + 1);
			ab_buf_adds(b, "***");
			continue;
		}
		if (*a != '\0' && strspn(a, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%") ==
		    strlen(a)) {
			ab_buf_adds(b, a);
			continue;
		}
		ab_buf_addc(b, '\'');
		for (; *a != '\0'; a++) {
			if (*a == '\'')
				ab_buf_adds(b, "'\\''");
			else
				ab_buf_addc(b, *a);
		}
		ab_buf_addc(b, '\'');
	}
}

/* The pipe on descriptor fd of pid ("pipe:[123]"), or "" when it is not
 * a pipe. */
static void
pipe_of(long pid, int fd, char out[64])
{
	char path[64];
	ssize_t n;

	snprintf(path, sizeof path, "/proc/%ld/fd/%d", pid, fd);
	n = readlink(path, out, 63);
	if (n < 0 || strncmp(out, "pipe:", 5) != 0)
		n = 0;
	out[n] = '\0';
}

struct proc {
	long pid;
	char in[64], out[64];
};

/*
 * The pipeline this process is part of: starting from this process, the
 * processes of the same parent (a shell forks every member of a pipeline
 * from itself) whose stdout is our stdin's pipe, and so on upstream; and
 * those whose stdin is our stdout's pipe, and so on downstream.  Their
 * command lines joined with " | ".
 */
static char *
pipeline_command(void)
{
	struct ab_buf b = AB_BUF_INIT;
	long me = (long)getpid(), ppid, pgrp, pp, pg, pid;
	struct proc *ps = NULL, *chain[64];
	size_t n = 0, cap = 0, i, k, nchain, first;
	struct dirent *de;
	char *end;
	DIR *d;

	if (proc_stat(me, &ppid, &pgrp) < 0)
		return NULL;
	if ((d = opendir("/proc")) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (!isdigit((unsigned char)de->d_name[0]))
				continue;
			pid = strtol(de->d_name, &end, 10);
			if (*end != '\0' || (pid != me &&
			    (proc_stat(pid, &pp, &pg) < 0 || pp != ppid)))
				continue;
			if (n == cap) {
				cap = cap ? cap * 2 : 16;
				ps = ab_xrealloc(ps, cap * sizeof *ps);
			}
			ps[n].pid = pid;
			pipe_of(pid, 0, ps[n].in);
			pipe_of(pid, 1, ps[n].out);
			n++;
		}
		closedir(d);
	}
	for (i = 0; i < n && ps[i].pid != me; i++)
		;
	if (i == n) {
		free(ps);
		return NULL;
	}
	/* Build the chain in the middle of a window, growing both ways. */
	first = 32;
	nchain = 1;
	chain[first] = &ps[i];
	while (first > 0 && chain[first]->in[0] != '\0') {
		for (k = 0; k < n; k++)
			if (strcmp(ps[k].out, chain[first]->in) == 0)
				break;
		if (k == n)
			break;
		chain[--first] = &ps[k];
		nchain++;
	}
	while (first + nchain < 64 &&
	    chain[first + nchain - 1]->out[0] != '\0') {
		for (k = 0; k < n; k++)
			if (strcmp(ps[k].in, chain[first + nchain - 1]->out) == 0)
				break;
		if (k == n)
			break;
		chain[first + nchain] = &ps[k];
		nchain++;
	}
	for (i = 0; i < nchain && b.len < MAX_COMMAND; i++) {
		if (i > 0)
			ab_buf_adds(&b, " | ");
		add_cmdline(&b, chain[first + i]->pid);
	}
	free(ps);
	if (b.len > MAX_COMMAND) {
		b.len = MAX_COMMAND;
		b.s[b.len] = '\0';
	}
	return ab_buf_detach(&b);
}

void
ab_store_env_get(struct ab_store_env *e)
{
	static char *const git_head[] = { "git", "rev-parse", "--verify",
	    "-q", "HEAD", NULL };
	struct utsname u;
	char cwd[4096];

	memset(e, 0, sizeof *e);
	if (uname(&u) == 0)
		e->host = ab_xstrdup(u.nodename);
	e->os = os_name();
	e->command = pipeline_command();
	if (getcwd(cwd, sizeof cwd) != NULL)
		e->cwd = ab_xstrdup(cwd);
	e->git_commit = capture(git_head, NULL);
}

void
ab_store_env_release(struct ab_store_env *e)
{
	free(e->host);
	free(e->os);
	free(e->command);
	free(e->cwd);
	free(e->git_commit);
	memset(e, 0, sizeof *e);
}

void
ab_store_toolchain_add(json_t *obj, const char *language)
{
	static json_t *seen;	/* tool -> version or null, per process */
	const char *tool = ab_lang_tool(ab_lang_from_name(language));
	char *argv[] = { (char *)tool, "--version", NULL };
	json_t *v;
	char *out;

	if (tool == NULL || json_object_get(obj, tool) != NULL)
		return;
	if (seen == NULL)
		seen = json_object();
	if ((v = json_object_get(seen, tool)) == NULL) {
		/* python3 < 3.4 prints its version on stderr */
		out = capture(argv, "stderr");
		v = out != NULL ? json_string(out) : json_null();
		free(out);
		json_object_set_new(seen, tool, v);
	}
	if (json_is_string(v))
		json_object_set(obj, tool, v);
}
