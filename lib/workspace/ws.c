/*
 * ws.c - materialising a workspace task: files or a local git repository
 * at a base commit, into a directory that becomes a one-commit git
 * repository; the hidden grading files; reading a work tree back.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ab.h"
#include "workspace.h"

#define MAX_PATH_LEN 4096

bool
ab_ws_is_workspace(const json_t *task)
{
	const char *k = ab_get_str(task, "kind");

	return k != NULL && strcmp(k, "workspace") == 0;
}

int
ab_ws_check_path(const char *path, size_t len, struct ab_error *err)
{
	const char *p = path, *end = path + len, *c;
	size_t i;

	if (len == 0)
		return ab_error_set(err, "path", "empty path");
	if (len > MAX_PATH_LEN)
		return ab_error_set(err, "path", "path longer than %d bytes",
		    MAX_PATH_LEN);
	for (i = 0; i < len; i++)
		if ((unsigned char)path[i] < 0x20 || path[i] == 0x7f)
			return ab_error_set(err, "path", "%.200s: control "
			    "character in path", path);
	if (path[0] == '/')
		return ab_error_set(err, "path", "%.200s: absolute path", path);
	while (p <= end) {
		size_t n;

		c = memchr(p, '/', (size_t)(end - p));
		if (c == NULL)
			c = end;
		n = (size_t)(c - p);
		if (n == 0)
			return ab_error_set(err, "path", "%.200s: empty "
			    "component (\"//\" or a trailing \"/\")", path);
		if ((n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' &&
		    p[1] == '.'))
			return ab_error_set(err, "path", "%.200s: \".\" or "
			    "\"..\" component", path);
		if (n == 4 && strncasecmp(p, ".git", 4) == 0)
			return ab_error_set(err, "path", "%.200s: \".git\" "
			    "component", path);
		p = c + 1;
	}
	return 0;
}

/* ---- writing beneath a directory ---------------------------------------- */

static int
open2(int dfd, const char *name, int flags, int mode)
{
	struct open_how how;

	memset(&how, 0, sizeof how);
	how.flags = (unsigned)flags | O_CLOEXEC;
	how.mode = (unsigned)mode;
	how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
	    RESOLVE_NO_MAGICLINKS;
	return (int)syscall(SYS_openat2, dfd, name, &how, sizeof how);
}

/* Remove whatever is at name beneath dfd (file, link or tree). */
static int
remove_at(int dfd, const char *name)
{
	struct stat st;
	DIR *d;
	struct dirent *e;
	int fd;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlinkat(dfd, name, 0);
	if ((fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) < 0)
		return -1;
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (remove_at(dirfd(d), e->d_name) < 0) {
			closedir(d);
			return -1;
		}
	}
	closedir(d);
	return unlinkat(dfd, name, AT_REMOVEDIR);
}

/* Open the parent directory of path beneath root (creating the
 * directories on the way, never through a symbolic link) and point *leaf
 * at the last component in copy (a writable copy of path).  replace:
 * a non-directory found on the way is removed first.  Returns the
 * directory's fd or -1. */
static int
parent_beneath(int root, char *copy, bool replace, char **leaf)
{
	char *p, *slash;
	int dfd = dup(root);

	for (p = copy; dfd >= 0 && (slash = strchr(p, '/')) != NULL;
	    p = slash + 1) {
		int nfd;

		*slash = '\0';
		if (mkdirat(dfd, p, 0755) < 0 && errno == EEXIST && replace) {
			struct stat st;

			if (fstatat(dfd, p, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
			    !S_ISDIR(st.st_mode)) {
				unlinkat(dfd, p, 0);
				mkdirat(dfd, p, 0755);
			}
		}
		nfd = open2(dfd, p, O_PATH | O_DIRECTORY, 0);
		close(dfd);
		dfd = nfd;
	}
	*leaf = p;
	return dfd;
}

/* Write data as path beneath root (a directory fd), creating the parent
 * directories; never through a symbolic link.  replace: remove a link, a
 * directory or a non-directory found on the way first. */
static int
write_beneath(int root, const char *path, const char *data, size_t len,
    int mode, bool replace, struct ab_error *err)
{
	char *copy = ab_xstrdup(path), *p;
	int dfd = parent_beneath(root, copy, replace, &p), fd = -1, rc = -1;
	size_t off;
	ssize_t n;

	if (dfd < 0) {
		ab_error_set(err, "io", "%s: %s", path, strerror(errno));
		goto out;
	}
	if (replace) {
		struct stat st;

		if (fstatat(dfd, p, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    !S_ISREG(st.st_mode))
			remove_at(dfd, p);
	}
	fd = open2(dfd, p, O_WRONLY | O_CREAT | (replace ? O_TRUNC : O_EXCL) |
	    O_NOFOLLOW, mode);
	if (fd < 0) {
		ab_error_set(err, errno == EEXIST ? "path" : "io", "%s: %s",
		    path, errno == EEXIST ? "listed twice" : strerror(errno));
		goto out;
	}
	for (off = 0; off < len; off += (size_t)n) {
		n = write(fd, data + off, len - off);
		if (n < 0 && errno == EINTR) {
			n = 0;
			continue;
		}
		if (n <= 0) {
			ab_error_set(err, "io", "%s: %s", path, n < 0 ?
			    strerror(errno) : "short write");
			goto out;
		}
	}
	if (fchmod(fd, (mode_t)mode) < 0) {
		ab_error_set(err, "io", "%s: %s", path, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	if (dfd >= 0)
		close(dfd);
	free(copy);
	return rc;
}

/* ---- base64 ------------------------------------------------------------- */

static int
b64val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

char *
ab_base64_decode(const char *s, size_t n, size_t *outlen,
    struct ab_error *err)
{
	char *out = ab_xmalloc(n / 4 * 3 + 4);
	size_t i, o = 0, pad = 0;
	unsigned acc = 0;
	int bits = 0, v;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
			continue;
		if (c == '=') {
			pad++;
			continue;
		}
		if (pad > 0 || (v = b64val(c)) < 0) {
			free(out);
			ab_error_set(err, "base64", "bad base64 at byte %zu", i);
			return NULL;
		}
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (char)((acc >> bits) & 0xff);
		}
	}
	/* 6 leftover bits cannot end a group; more than 2 pads is wrong. */
	if (bits >= 6 || pad > 2) {
		free(out);
		ab_error_set(err, "base64", "bad base64 length");
		return NULL;
	}
	out[o] = '\0';
	*outlen = o;
	return out;
}

/* ---- the files form ----------------------------------------------------- */

static int
parse_mode(const json_t *f, int *mode, struct ab_error *err)
{
	const json_t *m = json_object_get(f, "mode");
	const char *s;

	*mode = 0644;
	if (m == NULL)
		return 0;
	s = json_string_value(m);
	if (s != NULL && strcmp(s, "644") == 0)
		return 0;
	if (s != NULL && strcmp(s, "755") == 0) {
		*mode = 0755;
		return 0;
	}
	return ab_error_set(err, "workspace", "mode must be \"644\" or "
	    "\"755\"");
}

/* Write the entries of a files array (a workspace or grading.files). */
static int
write_files(const json_t *files, const char *what, const char *dir,
    bool replace, struct ab_error *err)
{
	const json_t *f;
	size_t i;
	int root, rc = 0;

	if (!json_is_array(files))
		return ab_error_set(err, "workspace", "%s is not an array",
		    what);
	if ((root = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return ab_error_set(err, "io", "%s: %s", dir, strerror(errno));
	json_array_foreach(files, i, f) {
		const json_t *p = json_object_get(f, "path"),
		    *t = json_object_get(f, "text"),
		    *b = json_object_get(f, "base64");
		char *dec = NULL;
		const char *data;
		size_t len;
		int mode;

		if (!json_is_string(p) || (t != NULL) == (b != NULL) ||
		    (t != NULL && !json_is_string(t)) ||
		    (b != NULL && !json_is_string(b))) {
			rc = ab_error_set(err, "workspace", "%s[%zu]: needs "
			    "a string path and one of text, base64", what, i);
			break;
		}
		if (ab_ws_check_path(json_string_value(p),
		    json_string_length(p), err) < 0 ||
		    strlen(json_string_value(p)) != json_string_length(p)) {
			if (strlen(json_string_value(p)) !=
			    json_string_length(p))
				ab_error_set(err, "path", "NUL in path");
			rc = -1;
			break;
		}
		if (parse_mode(f, &mode, err) < 0) {
			rc = -1;
			break;
		}
		if (t != NULL) {
			data = json_string_value(t);
			len = json_string_length(t);
		} else {
			dec = ab_base64_decode(json_string_value(b),
			    json_string_length(b), &len, err);
			if (dec == NULL) {
				rc = -1;
				break;
			}
			data = dec;
		}
		rc = write_beneath(root, json_string_value(p), data, len, mode,
		    replace, err);
		free(dec);
		if (rc < 0)
			break;
	}
	close(root);
	return rc;
}

/* ---- the git form ------------------------------------------------------- */

static bool
is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The object directory of a local repository (work tree or bare). */
static char *
objects_of(const char *repo, struct ab_error *err)
{
	char *p, *abs;

	if ((abs = realpath(repo, NULL)) == NULL) {
		ab_error_set(err, "workspace", "repository %s: %s", repo,
		    strerror(errno));
		return NULL;
	}
	p = ab_xasprintf("%s/.git/objects", abs);
	if (!is_dir(p)) {
		free(p);
		p = ab_xasprintf("%s/objects", abs);
		if (!is_dir(p)) {
			ab_error_set(err, "workspace", "%s: not a git "
			    "repository (no .git/objects nor objects)", repo);
			free(p);
			p = NULL;
		}
	}
	free(abs);
	return p;
}

static bool
is_hex_oid(const char *s)
{
	size_t i, n = strlen(s);

	if (n != 40 && n != 64)
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' &&
		    s[i] <= 'f')))
			return false;
	return true;
}

static int
git_ok(const char *cwd, const char *gd, const char *const *argv,
    const char *in, size_t inlen, struct ab_buf *out, struct ab_error *err)
{
	struct ab_buf eb = AB_BUF_INIT;
	int st = 0;

	if (ab_ws_git(cwd, gd, argv, in, inlen, out, &eb, 0, &st, err) < 0) {
		ab_buf_release(&eb);
		return -1;
	}
	if (st != 0) {
		size_t n = eb.len;

		while (n > 0 && eb.s[n - 1] == '\n')
			n--;
		ab_error_set(err, "git", "git %s: %.*s", argv[0],
		    (int)(n > 500 ? 500 : n), eb.s ? eb.s : "");
		ab_buf_release(&eb);
		return -1;
	}
	ab_buf_release(&eb);
	return 0;
}

/* One entry of `git ls-tree -r -z`: "MODE SP TYPE SP OID TAB PATH". */
struct tree_ent {
	int mode;		/* 0644, 0755, or 0120000 for a link */
	char oid[65];
	const char *path;	/* borrowed from the ls-tree output */
};

/* Write the tree of base from repo into dir (which has .git already). */
static int
checkout_git(const json_t *g, const char *dir, const char *gd,
    struct ab_error *err)
{
	const char *repo = ab_get_str(g, "repo"), *base = ab_get_str(g, "base");
	struct ab_buf ls = AB_BUF_INIT, req = AB_BUF_INIT, blobs = AB_BUF_INIT;
	struct tree_ent *ents = NULL;
	size_t nents = 0, cap = 0, i, off;
	char *objs = NULL, *alt = NULL, *commit;
	int root = -1, rc = -1;

	if (repo == NULL || base == NULL)
		return ab_error_set(err, "workspace", "workspace.git needs "
		    "repo and base (strings)");
	if (!is_hex_oid(base))
		return ab_error_set(err, "workspace", "workspace.git.base must "
		    "be a full commit id (40 lowercase hex digits)");
	if ((objs = objects_of(repo, err)) == NULL)
		return -1;
	/* Borrow the repository's objects (never its configuration, hooks or
	 * attributes) through an alternates file, dropped before the base
	 * commit is made so the new repository stands alone. */
	alt = ab_xasprintf("%s/objects/info/alternates", gd);
	{
		int fd = open(alt, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		    0644);
		char *line = ab_xasprintf("%s\n", objs);

		if (fd < 0 || write(fd, line, strlen(line)) !=
		    (ssize_t)strlen(line)) {
			ab_error_set(err, "io", "%s: %s", alt, strerror(errno));
			free(line);
			if (fd >= 0)
				close(fd);
			goto out;
		}
		free(line);
		close(fd);
	}
	commit = ab_xasprintf("%s^{commit}", base);
	{
		const char *av[] = { "cat-file", "-e", commit, NULL };

		if (git_ok(dir, gd, av, NULL, 0, NULL, err) < 0) {
			ab_error_set(err, "workspace", "%s: no commit %s",
			    repo, base);
			free(commit);
			goto out;
		}
	}
	{
		const char *av[] = { "ls-tree", "-r", "-z", "--full-tree",
			commit, NULL };

		rc = git_ok(dir, gd, av, NULL, 0, &ls, err);
		free(commit);
		if (rc < 0)
			goto out;
		rc = -1;
	}
	for (off = 0; ls.s != NULL && off < ls.len;) {
		char *e = ls.s + off, *end = memchr(e, '\0', ls.len - off),
		    *tab, *sp1, *sp2;
		struct tree_ent t;

		if (end == NULL)
			break;
		off = (size_t)(end - ls.s) + 1;
		tab = strchr(e, '\t');
		sp1 = strchr(e, ' ');
		sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;
		if (tab == NULL || sp1 == NULL || sp2 == NULL || sp2 > tab) {
			ab_error_set(err, "git", "unexpected ls-tree line");
			goto out;
		}
		if (strncmp(e, "160000 ", 7) == 0)
			continue;	/* a submodule: not part of the tree */
		if (strncmp(e, "100755 ", 7) == 0)
			t.mode = 0755;
		else if (strncmp(e, "120000 ", 7) == 0)
			t.mode = 0120000;
		else
			t.mode = 0644;
		snprintf(t.oid, sizeof t.oid, "%.*s", (int)(tab - sp2 - 1),
		    sp2 + 1);
		t.path = tab + 1;
		if (ab_ws_check_path(t.path, strlen(t.path), err) < 0)
			goto out;
		if (nents == cap) {
			cap = cap ? 2 * cap : 64;
			ents = ab_xrealloc(ents, cap * sizeof *ents);
		}
		ents[nents++] = t;
		ab_buf_addf(&req, "%s\n", t.oid);
	}
	{
		const char *av[] = { "cat-file", "--batch", NULL };

		if (git_ok(dir, gd, av, req.s, req.len, &blobs, err) < 0)
			goto out;
	}
	if ((root = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0) {
		ab_error_set(err, "io", "%s: %s", dir, strerror(errno));
		goto out;
	}
	/* --batch: "OID SP TYPE SP SIZE LF CONTENTS LF" per request. */
	for (i = 0, off = 0; i < nents; i++) {
		char *hdr = blobs.s + off, *nl, *sp;
		long size;
		struct ab_error pe;

		nl = off < blobs.len ? memchr(hdr, '\n', blobs.len - off) :
		    NULL;
		if (nl == NULL || (sp = memrchr(hdr, ' ', (size_t)(nl -
		    hdr))) == NULL) {
			ab_error_set(err, "git", "short cat-file output");
			goto out;
		}
		*nl = '\0';
		if (ab_parse_long(sp + 1, 0, LONG_MAX, &size, &pe) < 0 ||
		    (size_t)(nl + 1 - blobs.s) + (size_t)size > blobs.len) {
			ab_error_set(err, "git", "cat-file: %.100s", hdr);
			goto out;
		}
		if (ents[i].mode == 0120000) {
			char *target = ab_xstrndup(nl + 1, (size_t)size);
			char *copy = ab_xstrdup(ents[i].path), *leaf;
			int dfd = parent_beneath(root, copy, false, &leaf);

			if (dfd < 0 || symlinkat(target, dfd, leaf) < 0) {
				ab_error_set(err, "io", "%s: %s",
				    ents[i].path, strerror(errno));
				if (dfd >= 0)
					close(dfd);
				free(copy);
				free(target);
				goto out;
			}
			close(dfd);
			free(copy);
			free(target);
		} else if (write_beneath(root, ents[i].path, nl + 1,
		    (size_t)size, ents[i].mode, false, err) < 0)
			goto out;
		off = (size_t)(nl + 1 - blobs.s) + (size_t)size + 1;
	}
	if (unlink(alt) < 0) {
		ab_error_set(err, "io", "%s: %s", alt, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (root >= 0)
		close(root);
	if (rc < 0 && alt != NULL)
		unlink(alt);
	free(ents);
	free(objs);
	free(alt);
	ab_buf_release(&ls);
	ab_buf_release(&req);
	ab_buf_release(&blobs);
	return rc;
}

/* ---- materialise -------------------------------------------------------- */

static bool
dir_empty(const char *dir, struct ab_error *err)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	bool empty = true;

	if (d == NULL) {
		ab_error_set(err, "io", "%s: %s", dir, strerror(errno));
		return false;
	}
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			empty = false;
	closedir(d);
	if (!empty)
		ab_error_set(err, "io", "%s: not empty", dir);
	return empty;
}

int
ab_ws_materialise(const json_t *task, const char *dir_arg,
    struct ab_error *err)
{
	const json_t *ws = json_object_get(task, "workspace"), *files, *g;
	char *gd, *dir;
	int rc = -1;

	if (!json_is_object(ws))
		return ab_error_set(err, "workspace", "the task has no "
		    "workspace object");
	files = json_object_get(ws, "files");
	g = json_object_get(ws, "git");
	if ((files != NULL) == (g != NULL))
		return ab_error_set(err, "workspace", "workspace needs exactly "
		    "one of files, git");
	if (!dir_empty(dir_arg, err))
		return -1;
	/* git runs in dir with GIT_DIR set: both absolute. */
	if ((dir = realpath(dir_arg, NULL)) == NULL)
		return ab_error_set(err, "io", "%s: %s", dir_arg,
		    strerror(errno));
	gd = ab_xasprintf("%s/.git", dir);
	{
		const char *av[] = { "init", "-q", "--template=", dir, NULL };

		if (git_ok(NULL, NULL, av, NULL, 0, NULL, err) < 0)
			goto out;
	}
	if (files != NULL)
		rc = write_files(files, "workspace.files", dir, false, err);
	else if (!json_is_object(g))
		rc = ab_error_set(err, "workspace", "workspace.git is not an "
		    "object");
	else
		rc = checkout_git(g, dir, gd, err);
	if (rc < 0)
		goto out;
	rc = -1;
	{
		const char *add[] = { "add", "-A", "-f", "--", ".", NULL };
		const char *ci[] = { "commit", "-q", "--no-verify",
			"--allow-empty", "-m", "base", NULL };

		if (git_ok(dir, gd, add, NULL, 0, NULL, err) < 0 ||
		    git_ok(dir, gd, ci, NULL, 0, NULL, err) < 0)
			goto out;
	}
	rc = 0;
out:
	free(gd);
	free(dir);
	return rc;
}

int
ab_ws_write(const json_t *task, const char *dir, struct ab_error *err)
{
	const json_t *ws = json_object_get(task, "workspace");
	const json_t *files = json_object_get(ws, "files");

	if (!json_is_object(ws) || files == NULL ||
	    json_object_get(ws, "git") != NULL)
		return ab_ws_materialise(task, dir, err);
	if (!dir_empty(dir, err))
		return -1;
	return write_files(files, "workspace.files", dir, false, err);
}

int
ab_ws_add_grading(const json_t *task, const char *dir, struct ab_error *err)
{
	const json_t *files = ab_get(task, "grading.files");

	if (files == NULL)
		return 0;
	return write_files(files, "grading.files", dir, true, err);
}

/* ---- temporary directories, removal, reading back ---------------------- */

char *
ab_ws_tempdir(struct ab_error *err)
{
	const char *t = getenv("TMPDIR");
	char *p = ab_xasprintf("%s/ab-ws.XXXXXX", t != NULL && t[0] == '/' ?
	    t : "/tmp");

	if (mkdtemp(p) == NULL) {
		ab_error_set(err, "io", "mkdtemp %s: %s", p, strerror(errno));
		free(p);
		return NULL;
	}
	return p;
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

int
ab_ws_remove(const char *dir, struct ab_error *err)
{
	struct stat st;

	if (lstat(dir, &st) < 0 && errno == ENOENT)
		return 0;
	if (nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS) != 0)
		return ab_error_set(err, "io", "remove %s: %s", dir,
		    strerror(errno));
	return 0;
}

int
ab_ws_tempdir_locked(const char *parent, const char *prefix, char **path,
    struct ab_error *err)
{
	char *p = ab_xasprintf("%s/%s.XXXXXX", parent, prefix), *tmp, *lock;
	int fd;

	*path = NULL;
	if (mkdtemp(p) == NULL) {
		ab_error_set(err, "io", "mkdtemp %s: %s", p, strerror(errno));
		free(p);
		return -1;
	}
	/* Locked under another name, then renamed: whoever finds .lock
	 * finds it locked while its owner lives. */
	tmp = ab_xasprintf("%s/.lock.new", p);
	lock = ab_xasprintf("%s/.lock", p);
	fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) < 0 ||
	    rename(tmp, lock) < 0) {
		ab_error_set(err, "io", "%s: %s", tmp, strerror(errno));
		if (fd >= 0)
			close(fd);
		unlink(tmp);
		rmdir(p);
		free(p);
		fd = -1;
	} else {
		char pid[32];
		int n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());

		/* For a reader's eyes only: the lock is what counts. */
		if (write(fd, pid, (size_t)n) != n) {
			/* an empty lock file locks as well */
		}
		*path = p;
	}
	free(tmp);
	free(lock);
	return fd;
}

int
ab_ws_clean_stale(const char *parent, const char *prefix)
{
	size_t pl = strlen(prefix);
	uid_t me = geteuid();
	struct dirent *e;
	struct stat st;
	struct ab_error err;
	int n = 0, dfd, lfd;
	DIR *d;

	if ((d = opendir(parent)) == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		char *p;

		if (strncmp(e->d_name, prefix, pl) != 0 ||
		    e->d_name[pl] != '.' || strlen(e->d_name + pl + 1) != 6)
			continue;
		dfd = openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY |
		    O_NOFOLLOW | O_CLOEXEC);
		if (dfd < 0)
			continue;
		if (fstat(dfd, &st) < 0 || st.st_uid != me) {
			close(dfd);
			continue;
		}
		lfd = openat(dfd, ".lock", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		if (lfd >= 0 && fstat(lfd, &st) == 0 && S_ISREG(st.st_mode) &&
		    st.st_uid == me && flock(lfd, LOCK_EX | LOCK_NB) == 0) {
			/* Its owner is dead; the lock, ours now, keeps
			 * another cleaner away while this one removes. */
			p = ab_xasprintf("%s/%s", parent, e->d_name);
			if (ab_ws_remove(p, &err) == 0)
				n++;
			free(p);
		}
		if (lfd >= 0)
			close(lfd);
		close(dfd);
	}
	closedir(d);
	return n;
}

struct collect {
	struct ab_ws_file *v;
	size_t n, cap, bytes, max;
	char **links;
	size_t nlinks;
	int root;
	struct ab_error *err;
};

static int
cmp_file(const void *a, const void *b)
{
	return strcmp(((const struct ab_ws_file *)a)->path,
	    ((const struct ab_ws_file *)b)->path);
}

static int
walk(struct collect *c, const char *rel)
{
	int fd = rel[0] ? open2(c->root, rel, O_RDONLY | O_DIRECTORY, 0) :
	    dup(c->root);
	DIR *d;
	struct dirent *e;
	int rc = 0;

	if (fd < 0 || (d = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			close(fd);
		return ab_error_set(c->err, "io", "%s: %s", rel[0] ? rel : ".",
		    strerror(errno));
	}
	while (rc == 0 && (e = readdir(d)) != NULL) {
		struct stat st;
		char *p;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
		    (rel[0] == '\0' && strcmp(e->d_name, ".git") == 0))
			continue;
		p = rel[0] ? ab_xasprintf("%s/%s", rel, e->d_name) :
		    ab_xstrdup(e->d_name);
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			rc = ab_error_set(c->err, "io", "%s: %s", p,
			    strerror(errno));
		else if (S_ISDIR(st.st_mode))
			rc = walk(c, p);
		else if (S_ISLNK(st.st_mode)) {
			c->links = ab_xrealloc(c->links, (c->nlinks + 2) *
			    sizeof *c->links);
			c->links[c->nlinks++] = p;
			c->links[c->nlinks] = NULL;
			p = NULL;
		} else if (S_ISREG(st.st_mode)) {
			struct ab_ws_file f;
			int ffd;
			size_t off = 0;
			ssize_t n = 0;

			if ((size_t)st.st_size > c->max - c->bytes ||
			    c->bytes > c->max) {
				rc = ab_error_set(c->err, "too_large", "the "
				    "work tree is over %zu bytes", c->max);
				free(p);
				break;
			}
			if ((ffd = open2(c->root, p, O_RDONLY | O_NOFOLLOW,
			    0)) < 0) {
				rc = ab_error_set(c->err, "io", "%s: %s", p,
				    strerror(errno));
				free(p);
				break;
			}
			f.path = p;
			f.len = (size_t)st.st_size;
			f.data = ab_xmalloc(f.len + 1);
			f.mode = (st.st_mode & 0100) ? 0755 : 0644;
			while (off < f.len && (n = read(ffd, f.data + off,
			    f.len - off)) > 0)
				off += (size_t)n;
			close(ffd);
			f.len = off;
			f.data[off] = '\0';
			c->bytes += off;
			if (c->n == c->cap) {
				c->cap = c->cap ? 2 * c->cap : 64;
				c->v = ab_xrealloc(c->v, c->cap * sizeof *c->v);
			}
			c->v[c->n++] = f;
			p = NULL;
		}
		free(p);
	}
	closedir(d);
	return rc;
}

int
ab_ws_collect(const char *dir, size_t max_bytes, struct ab_ws_file **files,
    size_t *nfiles, size_t *bytes, char ***links, struct ab_error *err)
{
	struct collect c;
	int rc;

	memset(&c, 0, sizeof c);
	c.max = max_bytes;
	c.err = err;
	if ((c.root = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return ab_error_set(err, "io", "%s: %s", dir, strerror(errno));
	rc = walk(&c, "");
	close(c.root);
	if (rc < 0) {
		ab_ws_files_free(c.v, c.n, c.links);
		return -1;
	}
	if (c.n > 1)
		qsort(c.v, c.n, sizeof *c.v, cmp_file);
	*files = c.v;
	*nfiles = c.n;
	*bytes = c.bytes;
	*links = c.links;
	return 0;
}

void
ab_ws_files_free(struct ab_ws_file *files, size_t n, char **links)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(files[i].path);
		free(files[i].data);
	}
	free(files);
	for (i = 0; links != NULL && links[i] != NULL; i++)
		free(links[i]);
	free(links);
}
