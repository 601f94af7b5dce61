/*
 * pch.c - precompiled headers for the builds of a proxy style (C and
 * C++ assertion tests): the harness's standard headers and the standard
 * headers the solution includes first, compiled once per cache
 * directory and compiler, then used by every build that includes the
 * same headers with the same flags (ab-lang(5), "pch").
 *
 * What goes into a precompiled header is ab's own: header names from
 * the descriptor's lists, never text of the solution, and the system's
 * files they name.  It is built outside the sandbox by ab-exec itself,
 * in a private directory renamed into place when complete, and every
 * run sees the cache read-only at AB_SANDBOX_CACHE.  An entry records every file the
 * compiler read (its -MD list) with inode, size and change time; an
 * entry whose files changed is built again.  A precompiled header the
 * compiler finds unusable (another compiler, other flags) is ignored by
 * it in favour of the header's text beside it, which includes the same
 * headers: the same program, only slower.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "exec-int.h"
#include "sandbox.h"

#define PCH_MAX_HEADERS 64	/* headers of one precompiled header */
#define PCH_BUILD_CPU 120	/* seconds of CPU for one build */

/* One entry this process already decided on.  Owned by the list. */
struct pch_memo {
	char key[65];
	bool ok;
	struct pch_memo *next;
};

/* Letters, digits and "_./+-", no "..", short. */
static bool
safe_path(const char *s)
{
	return *s != '\0' && strlen(s) < 200 && strstr(s, "..") == NULL &&
	    strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789_./+-") == strlen(s);
}

bool
ab_exec_pch_dir_ok(const char *dir)
{
	return dir != NULL && dir[0] == '/' && safe_path(dir);
}

bool
ab_ex_pch_name_ok(const char *name)
{
	return name[0] != '/' && safe_path(name);
}

static bool
in_list(char *const *list, const char *s, size_t n)
{
	size_t i;

	for (i = 0; list != NULL && list[i] != NULL; i++)
		if (strlen(list[i]) == n && strncmp(list[i], s, n) == 0)
			return true;
	return false;
}

/* The header the solution includes on line p (up to end), or 0: the
 * whole line is "#include <NAME>" with blanks only around the tokens. */
static size_t
include_line(const char *p, const char *end, const char **name)
{
	const char *q;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p == end || *p++ != '#')
		return 0;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if ((size_t)(end - p) < 7 || strncmp(p, "include", 7) != 0)
		return 0;
	p += 7;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p == end || *p++ != '<')
		return 0;
	for (q = p; q < end && *q != '>'; q++)
		;
	if (q == end || q == p)
		return 0;
	*name = p;
	for (p = q + 1; p < end && (*p == ' ' || *p == '\t' || *p == '\r');
	    p++)
		;
	return p == end ? (size_t)(q - *name) : 0;
}

/* Past the comments and blanks that begin [p, end) (a line of the
 * solution, without its newline); *open says a comment is open at the
 * start and is left saying whether one is open at the end.  The first
 * other character, or end. */
static const char *
past_comments(const char *p, const char *end, bool *open)
{
	const char *q;

	for (;;) {
		if (*open) {
			if ((q = memmem(p, (size_t)(end - p), "*/", 2)) == NULL)
				return end;
			p = q + 2;
			*open = false;
		}
		p += strspn(p, " \t\r");
		if (p > end)
			p = end;
		if (end - p >= 2 && p[0] == '/' && p[1] == '/')
			return end;
		if (end - p < 2 || p[0] != '/' || p[1] != '*')
			return p;
		p += 2;
		*open = true;
	}
}

/* The header's text: the descriptor's headers, then those of the
 * solution's first lines (blank lines, comments or "#include <NAME>" of
 * a NAME the descriptor allows, a comment before it allowed; anything
 * else, a line that a backslash or a trigraph continues included, ends
 * them).  New. */
static char *
header_text(const struct ab_exec_pch *p, const char *code)
{
	struct ab_buf b = AB_BUF_INIT;
	const char *names[PCH_MAX_HEADERS], *s = code, *nl, *name, *t;
	size_t lens[PCH_MAX_HEADERS], n = 0, i, k, len;
	bool open = false;

	for (i = 0; p->headers[i] != NULL && n < PCH_MAX_HEADERS; i++) {
		names[n] = p->headers[i];
		lens[n++] = strlen(p->headers[i]);
	}
	for (; *s != '\0' && n < PCH_MAX_HEADERS; s = nl + 1) {
		nl = strchr(s, '\n');
		if (nl == NULL)
			break;	/* the last line may end in a backslash */
		/* A spliced line (a "//" comment going on, say) or a
		 * trigraph (??/ is a backslash under -trigraphs) ends them. */
		for (t = nl; t > s && (t[-1] == '\r' || t[-1] == ' ' ||
		    t[-1] == '\t'); t--)
			;
		if ((t > s && t[-1] == '\\') ||
		    memmem(s, (size_t)(nl - s), "??", 2) != NULL)
			break;
		t = past_comments(s, nl, &open);
		if (t == nl)
			continue;
		if ((len = include_line(t, nl, &name)) == 0 ||
		    !in_list(p->allow, name, len))
			break;
		for (k = 0; k < n; k++)
			if (lens[k] == len && strncmp(names[k], name, len) == 0)
				break;
		if (k == n) {
			names[n] = name;
			lens[n++] = len;
		}
	}
	ab_buf_adds(&b, "/* ab-exec: precompiled standard headers */\n");
	for (k = 0; k < n; k++) {
		ab_buf_adds(&b, "#include <");
		ab_buf_add(&b, names[k], lens[k]);
		ab_buf_adds(&b, ">\n");
	}
	return ab_buf_detach(&b);
}

static int
write_file(const char *path, const char *text, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	ssize_t w;
	size_t off = 0;

	if (fd < 0)
		return -1;
	while (off < len) {
		if ((w = write(fd, text + off, len - off)) < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			return -1;
		}
		off += (size_t)w;
	}
	if (fchmod(fd, 0644) < 0) {
		close(fd);
		return -1;
	}
	return close(fd);
}

static void
stamp_line(struct ab_buf *b, const char *path, const struct stat *st)
{
	char line[128];

	snprintf(line, sizeof line, "\t%llu %llu %lld.%09ld\n",
	    (unsigned long long)st->st_ino, (unsigned long long)st->st_size,
	    (long long)st->st_ctim.tv_sec, st->st_ctim.tv_nsec);
	ab_buf_adds(b, path);
	ab_buf_adds(b, line);
}

/* The stamp of every file of a -MD list (make syntax: "target: dep
 * dep \" lines): "path\tino size ctime" lines.  New, or NULL when a
 * file is missing or a name has a blank in it. */
static char *
stamps_from_deps(const char *deps)
{
	struct ab_buf b = AB_BUF_INIT;
	const char *p = strchr(deps, ':'), *q;
	struct stat st;
	char *path;

	if (p == NULL)
		return NULL;
	for (p++; *p != '\0'; p = q) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\\')
			p++;
		if (*p == '\0')
			break;
		q = p + strcspn(p, " \t\n\\");
		if (*q == '\\' && q[1] != '\n' && q[1] != '\0') {
			ab_buf_release(&b);
			return NULL;	/* an escaped blank */
		}
		path = ab_xstrndup(p, (size_t)(q - p));
		if (path[0] != '/') {
			free(path);	/* the header itself, ab's text */
			continue;
		}
		if (strchr(path, '\t') != NULL || stat(path, &st) < 0) {
			free(path);
			ab_buf_release(&b);
			return NULL;
		}
		stamp_line(&b, path, &st);
		free(path);
	}
	return b.s != NULL ? ab_buf_detach(&b) : NULL;
}

/* Whether every file of a stamp list is as it was. */
static bool
stamps_hold(const char *stamps)
{
	struct ab_buf b = AB_BUF_INIT;
	const char *p, *tab, *nl;
	struct stat st;
	bool ok = true;
	char *path;

	for (p = stamps; ok && *p != '\0'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL ||
		    (tab = memchr(p, '\t', (size_t)(nl - p))) == NULL)
			return false;
		path = ab_xstrndup(p, (size_t)(tab - p));
		b.len = 0;
		if (stat(path, &st) < 0)
			ok = false;
		else {
			stamp_line(&b, path, &st);
			ok = b.len == (size_t)(nl + 1 - p) &&
			    memcmp(b.s, p, b.len) == 0;
		}
		free(path);
	}
	ab_buf_release(&b);
	return ok;
}

/* Run argv in dir, output to /dev/null, with a CPU limit.  0 when it
 * exited 0. */
static int
build(char *const *argv, const char *dir)
{
	struct rlimit rl = { PCH_BUILD_CPU, PCH_BUILD_CPU };
	pid_t pid, w;
	int st, fd;

	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		if (chdir(dir) < 0)
			_exit(127);
		if ((fd = open("/dev/null", O_RDWR)) >= 0) {
			dup2(fd, 0);
			dup2(fd, 1);
			dup2(fd, 2);
		}
		setrlimit(RLIMIT_CPU, &rl);
		umask(022);
		execvp(argv[0], argv);
		_exit(127);
	}
	while ((w = waitpid(pid, &st, 0)) < 0 && errno == EINTR)
		;
	return w == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

static void
remove_tree(const char *dir, const char *file)
{
	static const char *const names[] = { "", ".gch", ".d", ".stamps",
	    NULL };
	size_t i;

	for (i = 0; names[i] != NULL; i++) {
		char *p = ab_xasprintf("%s/%s%s", dir, file, names[i]);

		unlink(p);
		free(p);
	}
	rmdir(dir);
}

/* Build the entry at final (a directory) from text with the flags;
 * 0 when it is there, built by this process or another.  With stale,
 * the entry there is replaced once the new one is complete (a compile
 * that finds neither is retried without, see proxy.c). */
static int
make_entry(const struct ab_exec_pch *p, char *const *flags,
    const char *text, const char *pdir, const char *final, bool stale)
{
	static unsigned long seq;
	char *tmp, *hdr, *deps, *gch, *stamps = NULL, *dtext, **argv;
	struct timespec ts;
	size_t n, k;
	int rc = -1;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	tmp = ab_xasprintf("%s/tmp.%ld.%lu.%ld", pdir, (long)getpid(),
	    __atomic_add_fetch(&seq, 1, __ATOMIC_RELAXED), ts.tv_nsec);
	hdr = ab_xasprintf("%s/%s", tmp, p->file);
	deps = ab_xasprintf("%s/%s.d", tmp, p->file);
	gch = ab_xasprintf("%s.gch", p->file);
	if (mkdir(tmp, 0755) < 0 || chmod(tmp, 0755) < 0 ||
	    write_file(hdr, text, strlen(text)) < 0)
		goto out;
	for (n = 0; flags[n] != NULL; n++)
		;
	argv = ab_xcalloc(n + 7, sizeof *argv);
	for (k = 0; k < n; k++)
		argv[k] = flags[k];
	argv[k++] = (char *)"-MD";
	argv[k++] = (char *)"-MF";
	argv[k++] = deps + strlen(tmp) + 1;
	argv[k++] = (char *)"-o";
	argv[k++] = gch;
	argv[k++] = hdr + strlen(tmp) + 1;
	rc = build(argv, tmp);
	free(argv);
	if (rc < 0)
		goto out;
	rc = -1;
	if ((dtext = ab_read_file(deps, NULL, NULL)) == NULL)
		goto out;
	stamps = stamps_from_deps(dtext);
	free(dtext);
	free(gch);
	gch = ab_xasprintf("%s/%s.gch", tmp, p->file);
	free(deps);
	deps = ab_xasprintf("%s/%s.stamps", tmp, p->file);
	if (stamps == NULL || chmod(gch, 0644) < 0 ||
	    write_file(deps, stamps, strlen(stamps)) < 0)
		goto out;
	if (stale) {
		char *old = ab_xasprintf("%s.old", tmp);

		if (rename(final, old) == 0)
			remove_tree(old, p->file);
		free(old);
	}
	if (rename(tmp, final) == 0)
		rc = 0;
	else if (errno == EEXIST || errno == ENOTEMPTY)
		rc = 0;		/* another process made it first */
out:
	if (rc < 0 || access(tmp, F_OK) == 0)
		remove_tree(tmp, p->file);
	free(stamps);
	free(tmp);
	free(hdr);
	free(deps);
	free(gch);
	return rc;
}

char *
ab_ex_pch_arg(struct job *j, const struct ab_exec_style *style,
    const char *key)
{
	const struct ab_exec_pch *p = style->pch;
	struct ab_exec *x = j->c;
	const char *pdir = x->o.pch_dir;
	char *const *flags;
	struct ab_buf kb = AB_BUF_INIT;
	struct pch_memo *m;
	char hex[65], *text, *final, *sp, *stamps, *arg = NULL;
	size_t i;
	bool ok = false;

	if (p == NULL || !ab_exec_pch_dir_ok(pdir))
		return ab_xstrdup("");
	flags = strcmp(key, "compile") == 0 ? p->compile : p->compile_checker;
	if (flags == NULL)
		return ab_xstrdup("");
	text = header_text(p, j->code);
	ab_buf_adds(&kb, "ab-exec pch 1\n");
	ab_buf_adds(&kb, p->file);
	ab_buf_addc(&kb, '\n');
	for (i = 0; flags[i] != NULL; i++) {
		ab_buf_adds(&kb, flags[i]);
		ab_buf_addc(&kb, '\n');
	}
	ab_buf_adds(&kb, text);
	ab_sha256_hex(kb.s, kb.len, hex);
	ab_buf_release(&kb);
	final = ab_xasprintf("%s/%s", pdir, hex);
	for (m = x->pch; m != NULL; m = m->next)
		if (strcmp(m->key, hex) == 0)
			break;
	if (m != NULL) {
		ok = m->ok;
	} else {
		sp = ab_xasprintf("%s/%s.stamps", final, p->file);
		stamps = ab_read_file(sp, NULL, NULL);
		free(sp);
		if (stamps != NULL && stamps_hold(stamps)) {
			ok = true;
		}
		/* Missing, or a file it was built from changed: built
		 * (again). */
		if (!ok)
			ok = make_entry(p, flags, text, pdir, final,
			    stamps != NULL) == 0;
		free(stamps);
		m = ab_xcalloc(1, sizeof *m);
		memcpy(m->key, hex, sizeof m->key);
		m->ok = ok;
		m->next = x->pch;
		x->pch = m;
	}
	if (ok)
		arg = ab_xasprintf("-include%s/%s/%s", AB_SANDBOX_CACHE, hex,
		    p->file);
	free(final);
	free(text);
	return arg != NULL ? arg : ab_xstrdup("");
}

void
ab_ex_pch_free(struct ab_exec *x)
{
	struct pch_memo *m, *next;

	for (m = x->pch; m != NULL; m = next) {
		next = m->next;
		free(m);
	}
	x->pch = NULL;
}
