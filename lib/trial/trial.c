/*
 * trial.c - one agent trial (see trial.h).
 *
 * The task's base is materialised once per slot and task into a host
 * directory owned by the slot's unprivileged uid, with fixed file times,
 * as a git repository of one commit (the base).  A trial mounts an overlay
 * over it at the sandbox's /work (the changes go to a size-capped tmpfs),
 * runs the agent with a fresh HOME and /tmp, its model reachable only
 * through the relay, and then, with every process of the sandbox dead,
 * diffs the base commit against the final tree in a child in the
 * sandbox's mount namespace, with libgit2 (no program run), looking only
 * at the paths the overlay's upper layer holds: the trial's cost is what
 * the agent changed, not the size of the tree.  No git configuration,
 * hook or driver of the agent's tree is used: the work tree's own .git is
 * never the git directory.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/mount.h>
#include <sys/statfs.h>
#include <sys/xattr.h>
#include <dirent.h>
#include <sys/wait.h>
#include <sched.h>
#include <unistd.h>

#include <git2.h>
#include <git2/sys/repository.h>

#include "sandbox.h"
#include "trial.h"
#include "workspace.h"

#define PATCH_CAP_DEFAULT ((size_t)8 << 20)
#define STDOUT_CAP (16L << 20)
#define TRANSCRIPT_MAX_STEPS 5000

struct ab_trialer {
	struct ab_trial_opts o;
	char *dir;
	struct ab_sandbox *sb;
	json_t *isolation;
	char key[65];		/* the cached base's */
	json_t *last_task;	/* the task the base was last used for (a
				   reference): the same object, the same
				   base, without hashing it again */
	char *base_dir;		/* the materialised base (lower) */
	char base_commit[41];
	double base_ms;		/* materialising the cached base took */
};

struct ab_trialer *
ab_trialer_new(const struct ab_trial_opts *o, struct ab_error *err)
{
	struct ab_sandbox_opts so;
	struct ab_trialer *t = ab_xcalloc(1, sizeof *t);

	t->o = *o;
	t->dir = ab_xstrdup(o->dir);
	/* The keeper (root of its own user namespace, nobody to the host)
	 * must traverse the way to the base: the parent too. */
	{
		char *parent = ab_xstrdup(t->dir), *sl = strrchr(parent, '/');

		if (sl != NULL && sl != parent) {
			*sl = '\0';
			chmod(parent, 0711);
		}
		free(parent);
	}
	if (mkdir(t->dir, 0711) < 0 && errno != EEXIST) {
		ab_error_set(err, "harness", "%s: %s", t->dir, strerror(errno));
		free(t->dir);
		free(t);
		return NULL;
	}
	memset(&so, 0, sizeof so);
	so.allow_degraded = o->allow_degraded;
	so.slot = o->slot;
	so.ro_dirs = o->ro_dirs;
	so.lower_root = t->dir;
	so.allow_inet = true;
	if ((t->sb = ab_sandbox_new(&so, err)) == NULL) {
		rmdir(t->dir);
		free(t->dir);
		free(t);
		return NULL;
	}
	t->isolation = ab_sandbox_isolation(t->sb);
	return t;
}

/* ---- the base ---- */

static uid_t walk_uid;
static gid_t walk_gid;
static pthread_mutex_t walk_lock = PTHREAD_MUTEX_INITIALIZER;

static int
own_file(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	/* Fixed times (so git's index of the base stays clean whatever the
	 * overlay shows) and the agent's uid (so it may change them). */
	static const struct timespec ts[2] = { { 946684800, 0 },
	    { 946684800, 0 } };

	(void)st, (void)f;
	if (lchown(path, walk_uid, walk_gid) < 0)
		return -1;
	if (flag != FTW_SL && utimensat(AT_FDCWD, path, ts,
	    AT_SYMLINK_NOFOLLOW) < 0)
		return -1;
	return 0;
}

static int
git_run(const char *git_dir, const char *const *argv, struct ab_buf *out,
    size_t cap, struct ab_error *err)
{
	struct ab_buf e = AB_BUF_INIT;
	int status = 0;

	if (ab_ws_git(NULL, git_dir, argv, NULL, 0, out, &e, cap, &status,
	    err) < 0) {
		ab_buf_release(&e);
		return -1;
	}
	if (status != 0) {
		while (e.len > 0 && (e.s[e.len - 1] == '\n' ||
		    e.s[e.len - 1] == '\r'))
			e.len--;
		ab_error_set(err, "harness", "git %s: %.*s", argv[0],
		    (int)(e.len > 300 ? 300 : e.len), e.s ? e.s : "");
		ab_buf_release(&e);
		return -1;
	}
	ab_buf_release(&e);
	return 0;
}

static void
drop_base(struct ab_trialer *t)
{
	struct ab_error err;

	if (t->base_dir != NULL) {
		char *parent = ab_xasprintf("%s/base", t->dir);

		ab_ws_remove(parent, &err);
		free(parent);
	}
	free(t->base_dir);
	t->base_dir = NULL;
	t->key[0] = '\0';
	json_decref(t->last_task);
	t->last_task = NULL;
}

/* Make the task's base the cached one.  0 or -1 with err set (kind
 * "workspace" for a bad task, "harness" otherwise). */
static int
ensure_base(struct ab_trialer *t, const json_t *task, bool *cached,
    struct ab_error *err)
{
	char key[65], *s, *top;
	struct ab_buf out = AB_BUF_INIT;
	json_t *ws = json_object_get(task, "workspace");
	double t0 = ab_now_ms();
	int rc;

	if (t->base_dir != NULL && t->last_task == task) {
		*cached = true;
		return 0;
	}
	s = json_dumps(ws, JSON_COMPACT | JSON_SORT_KEYS);
	ab_sha256_hex(s ? s : "", s ? strlen(s) : 0, key);
	free(s);
	*cached = t->base_dir != NULL && strcmp(key, t->key) == 0;
	if (*cached) {
		json_decref(t->last_task);
		t->last_task = json_incref((json_t *)task);
		return 0;
	}
	/* The last trial's overlay no longer holds the old base. */
	if (t->base_dir != NULL)
		ab_sandbox_clear(t->sb);
	drop_base(t);
	top = ab_xasprintf("%s/base", t->dir);
	t->base_dir = ab_xasprintf("%s/work", top);
	if (mkdir(top, 0711) < 0 || mkdir(t->base_dir, 0755) < 0) {
		ab_error_set(err, "harness", "%s: %s", top, strerror(errno));
		free(top);
		goto fail;
	}
	free(top);
	if (ab_ws_materialise(task, t->base_dir, err) < 0) {
		if (strcmp(err->kind, "git") == 0 ||
		    strcmp(err->kind, "io") == 0)
			snprintf(err->kind, sizeof err->kind, "harness");
		goto fail;
	}
	pthread_mutex_lock(&walk_lock);
	walk_uid = (uid_t)ab_sandbox_run_uid(t->sb);
	walk_gid = (gid_t)ab_sandbox_run_gid(t->sb);
	rc = nftw(t->base_dir, own_file, 32, FTW_PHYS);
	pthread_mutex_unlock(&walk_lock);
	if (rc != 0) {
		ab_error_set(err, "harness", "%s: cannot hand the base to the "
		    "agent's uid: %s", t->base_dir, strerror(errno));
		goto fail;
	}
	{
		const char *rev[] = { "rev-parse", "HEAD", NULL };
		char *gd = ab_xasprintf("%s/.git", t->base_dir);

		rc = git_run(gd, rev, &out, 4096, err);
		free(gd);
		if (rc < 0)
			goto fail;
		if (out.len < 40) {
			ab_error_set(err, "harness", "no base commit");
			goto fail;
		}
		memcpy(t->base_commit, out.s, 40);
		t->base_commit[40] = '\0';
	}
	memcpy(t->key, key, sizeof key);
	t->last_task = json_incref((json_t *)task);
	t->base_ms = ab_now_ms() - t0;
	ab_buf_release(&out);
	return 0;
fail:
	ab_buf_release(&out);
	drop_base(t);
	return -1;
}

/* The lower layer (the base, read-only) as the sandbox's mount namespace
 * shows it, and the overlay's upper layer. */
#define LOWER "/.lowers/d/base/work"
#define UPPER "/.ovl/u"
/* Over this many changed paths the diff looks at the whole tree (a list
 * that long costs more to match than the tree to walk). */
#define MAX_PATHS 4096

/* Every non-directory beneath the lower layer's rel, into out (NUL
 * separated): what a whiteout or an opaque directory at rel hides. */
static void
lower_files(const char *rel, struct ab_buf *out, int depth)
{
	char *path = ab_xasprintf("%s/%s", LOWER, rel);
	struct dirent *e;
	DIR *d;

	if (depth > 64 || (d = opendir(path)) == NULL) {
		free(path);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		char *r, *p;
		struct stat st;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		r = ab_xasprintf("%s/%s", rel, e->d_name);
		p = ab_xasprintf("%s/%s", path, e->d_name);
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
			lower_files(r, out, depth + 1);
		else
			ab_buf_add(out, r, strlen(r) + 1);
		free(p);
		free(r);
	}
	closedir(d);
	free(path);
}

/* The paths the overlay's upper directory dir holds (rel beneath /work),
 * as exact file paths: files, symbolic links and whiteouts (deletions) as
 * they are; for an entry that hides a directory of the base (a whiteout, a
 * file, an opaque directory), the base's files beneath it too; other
 * directories are walked (and named when the base had a file there).  NUL
 * separated into out; *n counts them. */
static void
upper_paths(const char *dir, const char *rel, struct ab_buf *out, size_t *n,
    int depth)
{
	struct dirent *e;
	DIR *d;

	if (depth > 64 || (d = opendir(dir)) == NULL) {
		if (*rel != '\0') {
			ab_buf_add(out, rel, strlen(rel) + 1);
			++*n;
		}
		return;
	}
	while ((e = readdir(d)) != NULL) {
		char *path, *r, *low, opaque[4];
		struct stat st, lst;
		bool isdir, lowdir, lowthere;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (depth == 0 && strcmp(e->d_name, ".git") == 0)
			continue;
		path = ab_xasprintf("%s/%s", dir, e->d_name);
		r = *rel ? ab_xasprintf("%s/%s", rel, e->d_name) :
		    ab_xstrdup(e->d_name);
		low = ab_xasprintf("%s/%s", LOWER, r);
		isdir = lstat(path, &st) == 0 && S_ISDIR(st.st_mode);
		lowthere = lstat(low, &lst) == 0;
		lowdir = lowthere && S_ISDIR(lst.st_mode);
		if (lowdir && (!isdir || lgetxattr(path, "user.overlay.opaque",
		    opaque, sizeof opaque) > 0)) {
			size_t before = out->len;

			lower_files(r, out, 0);
			for (; before < out->len; before++)
				if (out->s[before] == '\0')
					++*n;
		}
		if (isdir) {
			if (lowthere && !lowdir) {
				ab_buf_add(out, r, strlen(r) + 1);
				++*n;
			}
			upper_paths(path, r, out, n, depth + 1);
		} else {
			ab_buf_add(out, r, strlen(r) + 1);
			++*n;
		}
		free(low);
		free(path);
		free(r);
	}
	closedir(d);
}

/* In a thread of its own that left the process's shared file-system
 * context (unshare CLONE_FS) and joined the sandbox's mount namespace
 * (the agent and everything it started are dead): libgit2, in this
 * process, compares the base commit's tree (the base's own object store,
 * read from the lower layer, which the agent could never write) with
 * /work, limited to the paths the overlay's upper layer holds: only what
 * the agent touched is read, the rest of the tree is the base's.  The
 * result is what `git diff --binary --no-renames BASE` prints after `git
 * add -A` (untracked files added unless the tree's ignore rules exclude
 * them; binary files as git's binary patches; full object names).  No
 * configuration beyond the base repository's own (written by ab) is read,
 * no program is run, no index (stat cache) trusted: every touched file is
 * hashed.  No fork either: a fork of ab-gen copies its page tables, which
 * for a large task costs more than the diff.  A path of the sandbox's
 * tree never reaches the host's: /proc/PID/root would resolve, for a
 * symbolic link, on the host. */
struct patch_job {
	const struct ab_trialer *t;	/* borrowed */
	int nsfd;			/* the sandbox's mount namespace, or
					   -1: joined already */
	size_t cap;
	struct ab_buf *patch;		/* out: cut at cap + 1 bytes */
	struct ab_error err;		/* out */
	int rc;				/* out: 0 or -1 */
};

static pthread_once_t git_once = PTHREAD_ONCE_INIT;
static int git_init_rc;

static void
git_init(void)
{
	static const char none[] = "/nonexistent-ab-config";

	if ((git_init_rc = git_libgit2_init()) < 0)
		return;
	git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
	git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_SYSTEM, none);
	git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_GLOBAL, none);
	git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_XDG, none);
	git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_PROGRAMDATA,
	    none);
}

static void *
patch_thread(void *arg)
{
	struct patch_job *j = arg;
	git_diff_options o;
	git_repository *repo = NULL;
	git_index *idx = NULL;
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	git_diff *diff = NULL;
	git_oid oid;
	struct ab_buf ps = AB_BUF_INIT;
	char **paths = NULL;
	size_t n = 0, i, nd;
	const git_error *ge;

	j->rc = -1;
	if (j->nsfd >= 0 && (unshare(CLONE_FS) < 0 ||
	    setns(j->nsfd, CLONE_NEWNS) < 0 || chdir("/") < 0)) {
		ab_error_set(&j->err, "harness", "setns: %s", strerror(errno));
		return NULL;
	}
	pthread_once(&git_once, git_init);
	if (git_init_rc < 0)
		goto gitfail;
	if (git_repository_open_ext(&repo, LOWER "/.git",
	    GIT_REPOSITORY_OPEN_NO_SEARCH | GIT_REPOSITORY_OPEN_BARE,
	    NULL) < 0 ||
	    git_repository_set_workdir(repo, "/work", 0) < 0 ||
	    git_index_new(&idx) < 0 ||
	    git_repository_set_index(repo, idx) < 0 ||
	    git_oid_fromstr(&oid, j->t->base_commit) < 0 ||
	    git_commit_lookup(&commit, repo, &oid) < 0 ||
	    git_commit_tree(&tree, commit) < 0)
		goto gitfail;
	upper_paths(UPPER, "", &ps, &n, 0);
	if (n == 0) {
		j->rc = 0;
		goto out;
	}
	git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
	o.flags = GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS |
	    GIT_DIFF_SHOW_UNTRACKED_CONTENT | GIT_DIFF_SHOW_BINARY;
	o.ignore_submodules = GIT_SUBMODULE_IGNORE_ALL;
	o.id_abbrev = GIT_OID_HEXSZ;
	if (n <= MAX_PATHS) {
		paths = ab_xcalloc(n, sizeof *paths);
		for (i = 0, nd = 0; i < n; i++) {
			paths[i] = ps.s + nd;
			nd += strlen(ps.s + nd) + 1;
		}
		o.pathspec.strings = paths;
		o.pathspec.count = n;
		o.flags |= GIT_DIFF_DISABLE_PATHSPEC_MATCH;
	}
	if (git_diff_tree_to_workdir(&diff, repo, tree, &o) < 0)
		goto gitfail;
	nd = git_diff_num_deltas(diff);
	for (i = 0; i < nd && j->patch->len <= j->cap; i++) {
		git_patch *p = NULL;
		git_buf b = { NULL, 0, 0 };
		size_t room = j->cap + 1 - j->patch->len;

		if (git_patch_from_diff(&p, diff, i) < 0)
			goto gitfail;
		if (p == NULL)
			continue;
		if (git_patch_to_buf(&b, p) < 0) {
			git_patch_free(p);
			goto gitfail;
		}
		git_patch_free(p);
		ab_buf_add(j->patch, b.ptr, b.size < room ? b.size : room);
		git_buf_dispose(&b);
	}
	j->rc = 0;
	goto out;
gitfail:
	ge = git_error_last();
	ab_error_set(&j->err, "harness", "diff: libgit2: %s", ge != NULL &&
	    ge->message ? ge->message : "failed");
out:
	git_diff_free(diff);
	git_tree_free(tree);
	git_commit_free(commit);
	git_index_free(idx);
	git_repository_free(repo);
	free(paths);
	ab_buf_release(&ps);
	return NULL;
}

/* Rootless, a thread may not join the sandbox's mount namespace: that
 * takes its user namespace too, which only a process of one thread may
 * join.  A child process joins both and runs the same diff, sending
 * back rc, err and the patch through a pipe (the cost of the fork is
 * rootless use's).  Fills j; returns j->rc. */
static int
patch_rootless(struct patch_job *j)
{
	char path[64];
	int p[2], ufd, st;
	size_t len;
	pid_t pid;
	ssize_t n;

	j->rc = -1;
	snprintf(path, sizeof path, "/proc/%ld/ns/user", (long)
	    ab_sandbox_keeper_pid(j->t->sb));
	if ((ufd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		ab_error_set(&j->err, "harness", "%s: %s", path,
		    strerror(errno));
		return -1;
	}
	if (pipe2(p, O_CLOEXEC) < 0) {
		ab_error_set(&j->err, "harness", "pipe: %s", strerror(errno));
		close(ufd);
		return -1;
	}
	if ((pid = fork()) == 0) {
		int lfd = -1;

		close(p[0]);
		/* Joined, then a mount namespace of our own, where the lower
		 * root (closed to the run's id, which is ours, and so to
		 * libgit2's access(2)) is open. */
		if (setns(ufd, CLONE_NEWUSER) < 0 || unshare(CLONE_FS) < 0 ||
		    setns(j->nsfd, CLONE_NEWNS) < 0 || chdir("/") < 0 ||
		    unshare(CLONE_NEWNS) < 0 ||
		    (lfd = open_tree(AT_FDCWD, "/.lowers/d", OPEN_TREE_CLONE |
		    OPEN_TREE_CLOEXEC | AT_RECURSIVE)) < 0 ||
		    mount("tmpfs", "/.lowers", "tmpfs", 0, "size=16k,mode=755") <
		    0 || mkdir("/.lowers/d", 0755) < 0 ||
		    move_mount(lfd, "", AT_FDCWD, "/.lowers/d",
		    MOVE_MOUNT_F_EMPTY_PATH) < 0) {
			ab_error_set(&j->err, "harness", "setns: %s",
			    strerror(errno));
		} else {
			j->nsfd = -1;
			patch_thread(j);
		}
		len = j->patch->len;
		if (write(p[1], &j->rc, sizeof j->rc) != sizeof j->rc ||
		    write(p[1], &j->err, sizeof j->err) != sizeof j->err ||
		    write(p[1], &len, sizeof len) != sizeof len ||
		    (len > 0 && write(p[1], j->patch->s, len) !=
		    (ssize_t)len))
			_exit(1);
		_exit(0);
	}
	close(p[1]);
	close(ufd);
	if (pid < 0) {
		close(p[0]);
		ab_error_set(&j->err, "harness", "fork: %s", strerror(errno));
		return -1;
	}
	if (read(p[0], &j->rc, sizeof j->rc) != sizeof j->rc ||
	    read(p[0], &j->err, sizeof j->err) != sizeof j->err ||
	    read(p[0], &len, sizeof len) != sizeof len) {
		j->rc = -1;
		ab_error_set(&j->err, "harness", "the diff's process died");
	} else {
		while (len > 0) {
			char buf[65536];

			n = read(p[0], buf, len < sizeof buf ? len : sizeof buf);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				j->rc = -1;
				ab_error_set(&j->err, "harness", "the diff's "
				    "process died");
				break;
			}
			ab_buf_add(j->patch, buf, (size_t)n);
			len -= (size_t)n;
		}
	}
	close(p[0]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return j->rc;
}

/* The change the run made: a diff of the base against the final tree.
 * *too_large when it passed the cap.  0 or -1 with err. */
static int
make_patch(struct ab_trialer *t, struct ab_buf *patch, bool *too_large,
    struct ab_error *err)
{
	struct patch_job j;
	pthread_t th;
	char path[64];
	int rc;

	*too_large = false;
	memset(&j, 0, sizeof j);
	j.t = t;
	j.cap = t->o.patch_cap ? t->o.patch_cap : PATCH_CAP_DEFAULT;
	j.patch = patch;
	snprintf(path, sizeof path, "/proc/%ld/ns/mnt", (long)
	    ab_sandbox_keeper_pid(t->sb));
	if ((j.nsfd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return ab_error_set(err, "harness", "%s: %s", path,
		    strerror(errno));
	if (ab_sandbox_rootless(t->sb)) {
		rc = patch_rootless(&j);
		close(j.nsfd);
		goto done;
	}
	if ((rc = pthread_create(&th, NULL, patch_thread, &j)) != 0) {
		close(j.nsfd);
		return ab_error_set(err, "harness", "thread: %s",
		    strerror(rc));
	}
	pthread_join(th, NULL);
	close(j.nsfd);
done:
	(void)rc;
	if (j.rc < 0) {
		*err = j.err;
		patch->len = 0;
		return -1;
	}
	if (patch->len > j.cap)
		*too_large = true;
	return 0;
}

/* ---- the run ---- */

static void
on_budget(void *ctx)
{
	ab_sandbox_kill(ctx);
}

/* Expand {name} variables of a template. */
static char *
expand(const char *tmpl, const json_t *vars)
{
	struct ab_buf b = AB_BUF_INIT;
	const char *p = tmpl, *q, *e;

	while ((q = strchr(p, '{')) != NULL) {
		char name[64];
		const char *val;

		ab_buf_add(&b, p, (size_t)(q - p));
		e = strchr(q, '}');
		if (e == NULL || e - q - 1 >= (long)sizeof name) {
			ab_buf_addc(&b, '{');
			p = q + 1;
			continue;
		}
		snprintf(name, sizeof name, "%.*s", (int)(e - q - 1), q + 1);
		if ((val = ab_get_str(vars, name)) == NULL) {
			ab_buf_addc(&b, '{');
			p = q + 1;
			continue;
		}
		ab_buf_adds(&b, val);
		p = e + 1;
	}
	ab_buf_adds(&b, p);
	return ab_buf_detach(&b);
}

static long
lim(long task, long cfg, long def)
{
	long v = task > 0 && cfg > 0 ? (task < cfg ? task : cfg) :
	    task > 0 ? task : cfg;

	return v > 0 ? v : def;
}

/* The agent's final message and its transcript from its stdout. */
static void
read_transcript(const struct ab_agent_desc *d, const char *out, size_t len,
    json_t *gen)
{
	json_t *steps = json_array();
	const char *p = out, *end = out + len, *nl;
	char *text = NULL;
	bool lines = strcmp(d->transcript, "text") != 0;

	while (lines && p < end) {
		json_t *j, *v;

		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		j = json_loadb(p, (size_t)(nl - p), 0, NULL);
		p = nl + 1;
		if (!json_is_object(j)) {
			json_decref(j);
			continue;
		}
		if (strcmp(d->transcript, "claude-stream-json") == 0) {
			if (ab_get_str(j, "type") != NULL &&
			    strcmp(ab_get_str(j, "type"), "result") == 0 &&
			    ab_get_str(j, "result") != NULL) {
				free(text);
				text = ab_xstrdup(ab_get_str(j, "result"));
			}
		} else if (strcmp(d->transcript, "codex-json") == 0) {
			v = json_object_get(j, "item");
			if (ab_get_str(v, "type") != NULL &&
			    strcmp(ab_get_str(v, "type"), "agent_message") == 0 &&
			    ab_get_str(v, "text") != NULL) {
				free(text);
				text = ab_xstrdup(ab_get_str(v, "text"));
			}
		} else if (ab_get_str(j, "text") != NULL) {
			free(text);
			text = ab_xstrdup(ab_get_str(j, "text"));
		}
		if (json_array_size(steps) < TRANSCRIPT_MAX_STEPS)
			json_array_append(steps, j);
		json_decref(j);
	}
	if (!lines || text == NULL) {
		struct ab_buf b = AB_BUF_INIT;

		ab_buf_add(&b, out, len);
		ab_utf8_fix(&b);
		json_object_set_new(gen, "text", json_stringn(b.s ? b.s : "",
		    b.len));
		ab_buf_release(&b);
	} else {
		json_object_set_new(gen, "text", json_string(text));
	}
	free(text);
	json_object_set_new(gen, "transcript", json_array_size(steps) > 0 ?
	    steps : json_null());
	if (json_array_size(steps) == 0)
		json_decref(steps);
}

static json_t *version_json(const struct ab_trial_cfg *cfg);

static json_t *
trial_gen(const struct ab_trial_cfg *cfg)
{
	json_t *gen = json_object();

	json_object_set_new(gen, "text", json_null());
	json_object_set_new(gen, "model", cfg->upstream != NULL ?
	    json_string(cfg->upstream->model) : json_null());
	json_object_set_new(gen, "provider", json_string("agent"));
	json_object_set_new(gen, "agent", json_string(cfg->desc.name));
	json_object_set_new(gen, "agent_version", version_json(cfg));
	return gen;
}

static json_t *
harness_fail(const struct ab_trial_cfg *cfg, const struct ab_error *err,
    const char *kind)
{
	json_t *gen = trial_gen(cfg);

	json_object_set_new(gen, "latency_ms", json_null());
	json_object_set_new(gen, "ttft_ms", json_null());
	json_object_set_new(gen, "tokens", json_pack("{s:n, s:n}", "in",
	    "out"));
	json_object_set_new(gen, "cost_usd", json_null());
	json_object_set_new(gen, "cached", json_false());
	json_object_set_new(gen, "calls", json_array());
	json_object_set_new(gen, "patch", json_null());
	json_object_set_new(gen, "trial", json_null());
	json_object_set_new(gen, "error", json_pack("{s:s, s:s}", "kind",
	    kind, "message", err->msg));
	return gen;
}

static json_t *
ms(double v)
{
	return json_real((double)(long long)(v * 1000 + 0.5) / 1000);
}

static pthread_mutex_t version_lock = PTHREAD_MUTEX_INITIALIZER;

/* The agent's version, from its version command run once in the sandbox
 * (no network, a throw-away work directory); kept in cfg. */
static void
agent_version(struct ab_trialer *t, const struct ab_trial_cfg *cfg)
{
	struct ab_trial_cfg *c = (struct ab_trial_cfg *)cfg;
	char *env[] = { "HOME=/tmp", NULL };
	struct ab_run_spec spec;
	struct ab_run_result res;
	struct ab_error err;
	struct ab_buf b = AB_BUF_INIT;
	bool have;

	pthread_mutex_lock(&version_lock);
	have = c->version != NULL || c->desc.version == NULL;
	pthread_mutex_unlock(&version_lock);
	if (have)
		return;
	memset(&spec, 0, sizeof spec);
	spec.argv = c->desc.version;
	spec.env = env;
	spec.limits.wall_ms = 30000;
	spec.limits.cpu_ms = 30000;
	spec.limits.memory_mb = 1024;
	spec.limits.procs = 64;
	spec.limits.open_files = 1024;
	if (ab_sandbox_run(t->sb, &spec, &res, &err) < 0)
		return;
	if (res.exit_code == 0 && res.term_signal == 0) {
		ab_buf_add(&b, res.out ? res.out : "", res.out_len > 200 ?
		    200 : res.out_len);
		while (b.len > 0 && (b.s[b.len - 1] == '\n' ||
		    b.s[b.len - 1] == ' '))
			b.len--;
		ab_buf_addc(&b, '\0');
		ab_utf8_fix(&b);
	}
	pthread_mutex_lock(&version_lock);
	if (c->version == NULL && b.s != NULL)
		c->version = ab_xstrdup(b.s);
	pthread_mutex_unlock(&version_lock);
	ab_buf_release(&b);
	ab_run_result_release(&res);
}

/* cfg->version, read under the lock. */
static json_t *
version_json(const struct ab_trial_cfg *cfg)
{
	json_t *v;

	pthread_mutex_lock(&version_lock);
	v = cfg->version != NULL ? json_string(cfg->version) : json_null();
	pthread_mutex_unlock(&version_lock);
	return v;
}

json_t *
ab_trial_run(struct ab_trialer *t, const json_t *task,
    const struct ab_trial_cfg *cfg, int sample)
{
	struct ab_trial_limits tl;
	struct ab_error err;
	struct ab_run_spec spec;
	struct ab_run_result res;
	struct ab_relay *relay = NULL;
	struct ab_relay_totals tot;
	struct ab_buf patch = AB_BUF_INIT;
	struct ab_file *tfiles = NULL;
	char **argv = NULL, **env = NULL, **fdata = NULL;
	const char *k, *prompt = ab_get_str(task, "prompt");
	json_t *vars, *v, *gen, *calls = NULL, *trial, *error = NULL;
	double t0 = ab_now_ms(), t_run = 0, t_end = 0, setup_ms, teardown_ms;
	long disk_kb = -1, ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	size_t nt = 0, ne = 0, i, n;
	int lfd = -1, port = 0, rc = -1;
	bool too_large = false, base_cached;
	const char *outcome;
	char sbuf[32], url[64], keybuf[80];

	memset(&tot, 0, sizeof tot);
	memset(&res, 0, sizeof res);
	if (ncpu < 1)
		ncpu = 1;
	if (ab_ws_task_problem(task, &err) < 0 && json_object_get(task,
	    "workspace") == NULL)
		return harness_fail(cfg, &err, "bad_task");
	agent_version(t, cfg);
	if (ensure_base(t, task, &base_cached, &err) < 0)
		return harness_fail(cfg, &err, strcmp(err.kind, "harness") ==
		    0 ? "harness" : "bad_task");
	/* Limits: the task's and the configuration's, the smaller. */
	memset(&tl, 0, sizeof tl);
	v = json_object_get(task, "agent_limits");
	tl.wall_ms = lim((long)ab_get_num(v, "wall_ms", 0),
	    cfg->limits.wall_ms, 600000);
	tl.memory_mb = lim((long)ab_get_num(v, "memory_mb", 0),
	    cfg->limits.memory_mb, 4096);
	tl.processes = lim((long)ab_get_num(v, "processes", 0),
	    cfg->limits.processes, 256);
	tl.disk_mb = lim((long)ab_get_num(v, "disk_mb", 0),
	    cfg->limits.disk_mb, 1024);
	tl.calls = lim((long)ab_get_num(v, "calls", 0), cfg->limits.calls, 0);
	tl.tokens = lim((long)ab_get_num(v, "tokens", 0), cfg->limits.tokens,
	    0);
	tl.cost_usd = ab_get_num(v, "cost_usd", -1);
	if (cfg->limits.cost_usd >= 0 && (tl.cost_usd < 0 ||
	    cfg->limits.cost_usd < tl.cost_usd))
		tl.cost_usd = cfg->limits.cost_usd;

	/* The relay, when there is a model. */
	vars = json_object();
	snprintf(sbuf, sizeof sbuf, "%d", sample);
	json_object_set_new(vars, "instruction_file",
	    json_string("/tmp/ab/instruction.md"));
	json_object_set_new(vars, "instruction", json_string(prompt ? prompt :
	    ""));
	json_object_set_new(vars, "workspace", json_string("/work"));
	json_object_set_new(vars, "agent_dir", json_string("/tmp/ab"));
	json_object_set_new(vars, "home", json_string("/tmp/home"));
	json_object_set_new(vars, "task_id", json_string(ab_get_str(task,
	    "id") ? ab_get_str(task, "id") : ""));
	json_object_set_new(vars, "sample", json_string(sbuf));
	json_object_set_new(vars, "model", json_string(cfg->upstream ?
	    cfg->upstream->model : ""));
	if (cfg->upstream != NULL) {
		struct ab_relay_opts ro;
		unsigned char rnd[12];
		int rfd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

		if (rfd < 0 || read(rfd, rnd, sizeof rnd) != sizeof rnd)
			memset(rnd, 0x5a, sizeof rnd);
		if (rfd >= 0)
			close(rfd);
		n = (size_t)snprintf(keybuf, sizeof keybuf, "ab-relay-");
		for (i = 0; i < sizeof rnd; i++)
			n += (size_t)snprintf(keybuf + n, sizeof keybuf - n,
			    "%02x", rnd[i]);
		if (ab_sandbox_listen(t->sb, 0, &lfd, &port, &err) < 0) {
			json_decref(vars);
			return harness_fail(cfg, &err, "harness");
		}
		memset(&ro, 0, sizeof ro);
		ro.upstream = cfg->upstream;
		ro.wire = cfg->desc.wire;
		ro.listen_fd = lfd;
		ro.max_calls = tl.calls;
		ro.max_tokens = tl.tokens;
		ro.max_cost = tl.cost_usd;
		ro.ledger_dir = t->o.ledger_dir;
		ro.run = t->o.run;
		ro.budget = t->o.budget;
		ro.on_budget = on_budget;
		ro.ctx = t->sb;
		if ((relay = ab_relay_start(&ro, &err)) == NULL) {
			json_decref(vars);
			return harness_fail(cfg, &err, "harness");
		}
		snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
		json_object_set_new(vars, "base_url", json_string(url));
		json_object_set_new(vars, "api_key", json_string(keybuf));
	} else {
		json_object_set_new(vars, "base_url", json_string(""));
		json_object_set_new(vars, "api_key", json_string(""));
	}

	/* Command, environment, files. */
	for (n = 0; cfg->desc.command[n] != NULL; n++)
		;
	argv = ab_xcalloc(n + 1, sizeof *argv);
	for (i = 0; i < n; i++)
		argv[i] = expand(cfg->desc.command[i], vars);
	env = ab_xcalloc(json_object_size(cfg->desc.env) +
	    json_object_size(cfg->env) + 4, sizeof *env);
	env[ne++] = ab_xstrdup("HOME=/tmp/home");
	env[ne++] = ab_xstrdup("AB_TRIAL=1");
	json_object_foreach(cfg->desc.env, k, v) {
		char *val = expand(json_string_value(v), vars);

		env[ne++] = ab_xasprintf("%s=%s", k, val);
		free(val);
	}
	json_object_foreach(cfg->env, k, v)
		env[ne++] = ab_xasprintf("%s=%s", k, json_string_value(v));
	n = json_array_size(cfg->desc.files);
	tfiles = ab_xcalloc(n + 3, sizeof *tfiles);
	fdata = ab_xcalloc(n + 1, sizeof *fdata);
	tfiles[nt++] = (struct ab_file){ "home/", "", 0, 0755 };
	tfiles[nt++] = (struct ab_file){ "ab/instruction.md", prompt ? prompt :
	    "", prompt ? strlen(prompt) : 0, 0644 };
	json_array_foreach(cfg->desc.files, i, v) {
		const char *from = ab_get_str(v, "from");
		size_t len = 0;

		if (from != NULL) {
			char *path = from[0] == '/' ? ab_xstrdup(from) :
			    ab_xasprintf("%s/%s", cfg->desc.dir, from);

			fdata[i] = ab_read_file(path, &len, &err);
			free(path);
			if (fdata[i] == NULL) {
				error = ab_error_json("harness", "%s",
				    err.msg);
				goto out;
			}
		} else {
			fdata[i] = expand(ab_get_str(v, "text"), vars);
			len = strlen(fdata[i]);
		}
		tfiles[nt++] = (struct ab_file){ ab_get_str(v, "path"),
		    fdata[i], len, (int)strtol(ab_get_str(v, "mode") ?
		    ab_get_str(v, "mode") : "644", NULL, 8) };
	}

	memset(&spec, 0, sizeof spec);
	spec.argv = argv;
	spec.env = env;
	spec.lower_dir = "base/work";
	spec.tmp_files = tfiles;
	spec.ntmp_files = nt;
	spec.loopback = relay != NULL;
	/* An agent printing past the cap (a gigabyte) is stopped there: the
	 * attempt's error output_limit, its own doing. */
	spec.output_no_stop = false;
	spec.limits.wall_ms = tl.wall_ms;
	spec.limits.cpu_ms = tl.wall_ms * ncpu;
	spec.limits.memory_mb = tl.memory_mb;
	spec.limits.procs = tl.processes;
	spec.limits.tmpfs_mb = tl.disk_mb;
	spec.limits.file_bytes = tl.disk_mb << 20;
	spec.limits.output_bytes = STDOUT_CAP;
	spec.limits.open_files = 4096;
	t_run = ab_now_ms();
	rc = ab_sandbox_run(t->sb, &spec, &res, &err);
	t_end = ab_now_ms();
	if (relay != NULL) {
		calls = ab_relay_stop(relay, &tot);
		relay = NULL;
	}
	if (rc < 0) {
		error = ab_error_json("harness", "%s", err.msg);
		goto out;
	}
	/* Everything in the sandbox is dead: read the change. */
	{
		char path[160];
		struct statfs fs;

		ab_sandbox_work_path(t->sb, path, sizeof path);
		n = strlen(path);
		if (n > 5) {
			snprintf(path + n - 5, sizeof path - (n - 5), "/.ovl");
			if (statfs(path, &fs) == 0)
				disk_kb = (long)(((fs.f_blocks - fs.f_bfree) *
				    (unsigned long)fs.f_bsize) / 1024);
		}
	}
	if (make_patch(t, &patch, &too_large, &err) < 0) {
		error = ab_error_json("harness", "%s", err.msg);
		goto out;
	}
out:
	if (relay != NULL)
		calls = ab_relay_stop(relay, &tot);
	if (t_end == 0)
		t_run = t_end = ab_now_ms();
	/* The sandbox is not cleared now: its next run replaces /work, /tmp
	 * and /dev/shm with fresh mounts before anything starts (a clear
	 * would be a second round trip to the keeper per trial), and a new
	 * base clears it first (ensure_base).  What the agent wrote stays in
	 * the slot's tmpfs until then: at most one trial's change per
	 * slot. */
	teardown_ms = ab_now_ms() - t_end;
	/* Set-up: everything before the agent started, the sandbox's
	 * preparation of its work directory included (ab_sandbox_run's own
	 * wall_ms counts from the start of the program). */
	setup_ms = (rc >= 0 ? t_end - res.wall_ms : ab_now_ms()) - t0;
	gen = trial_gen(cfg);
	if (res.out != NULL)
		read_transcript(&cfg->desc, res.out, res.out_len, gen);
	if (error == NULL && tot.provider_error != NULL)
		error = json_pack("{s:s, s:s+}", "kind", "provider", "message",
		    "the model's provider failed: ", ab_get_str(
		    tot.provider_error, "message") ? ab_get_str(
		    tot.provider_error, "message") : "");
	if (error == NULL && (res.stop == AB_STOP_OUTPUT ||
	    res.out_truncated))
		error = ab_error_json("output_limit", "the agent printed more "
		    "than %ld bytes on its standard output: stopped there",
		    STDOUT_CAP);
	if (error == NULL && too_large)
		error = ab_error_json("patch_too_large", "the change is "
		    "larger than %zu bytes", t->o.patch_cap ? t->o.patch_cap :
		    PATCH_CAP_DEFAULT);
	/* What the agent did, apart from the harness. */
	if (error != NULL && strcmp(ab_get_str(error, "kind"),
	    "patch_too_large") != 0 && strcmp(ab_get_str(error, "kind"),
	    "output_limit") != 0)
		outcome = NULL;
	else if (tot.budget_hit)
		outcome = "budget";
	else if (res.stop == AB_STOP_WALL || res.stop == AB_STOP_CPU)
		outcome = "agent_timeout";
	else if (res.exit_code != 0 || res.term_signal != 0 ||
	    res.stop != AB_STOP_NONE)
		outcome = "agent_failed";
	else if (patch.len == 0)
		outcome = "no_change";
	else
		outcome = "exited";
	if (outcome == NULL) {
		trial = json_null();
	} else {
		static const char *const stops[] = { "none", "cpu", "wall",
		    "memory", "output" };

		trial = json_object();
		json_object_set_new(trial, "outcome", json_string(outcome));
		json_object_set_new(trial, "exit", res.term_signal == 0 ?
		    json_integer(res.exit_code) : json_null());
		json_object_set_new(trial, "signal", res.term_signal ?
		    json_string(ab_signal_name(res.term_signal)) :
		    json_null());
		json_object_set_new(trial, "stop", json_string(
		    stops[res.stop]));
		json_object_set_new(trial, "wall_ms", ms(res.wall_ms));
		json_object_set_new(trial, "cpu_ms", ms(res.cpu_ms));
		json_object_set_new(trial, "peak_kb", json_integer(
		    res.peak_kb));
		json_object_set_new(trial, "disk_kb", disk_kb >= 0 ?
		    json_integer(disk_kb) : json_null());
		json_object_set_new(trial, "setup_ms", ms(setup_ms));
		json_object_set_new(trial, "teardown_ms", ms(teardown_ms));
		json_object_set_new(trial, "base_cached",
		    json_boolean(base_cached));
		json_object_set_new(trial, "stdout_truncated",
		    json_boolean(res.out_truncated));
		json_object_set_new(trial, "exec_errno", res.exec_errno ?
		    json_string(strerror(res.exec_errno)) : json_null());
		json_object_set_new(trial, "limits", json_pack("{s:I, s:I, "
		    "s:I, s:I, s:I, s:I, s:o}", "wall_ms",
		    (json_int_t)tl.wall_ms, "memory_mb",
		    (json_int_t)tl.memory_mb, "processes",
		    (json_int_t)tl.processes, "disk_mb",
		    (json_int_t)tl.disk_mb, "calls", (json_int_t)tl.calls,
		    "tokens", (json_int_t)tl.tokens, "cost_usd",
		    tl.cost_usd >= 0 ? json_real(tl.cost_usd) : json_null()));
		json_object_set_new(trial, "isolation",
		    json_incref(t->isolation));
	}
	if (error == NULL && tot.budget_hit && tot.budget_error != NULL)
		error = json_incref(tot.budget_error);
	json_object_set_new(gen, "latency_ms", ms(t_end - t_run));
	json_object_set_new(gen, "ttft_ms", json_null());
	json_object_set_new(gen, "tokens", json_pack("{s:o, s:o}", "in",
	    tot.tokens_in >= 0 ? json_integer(tot.tokens_in) : json_null(),
	    "out", tot.tokens_out >= 0 ? json_integer(tot.tokens_out) :
	    json_null()));
	json_object_set_new(gen, "cost_usd", tot.cost_usd >= 0 ?
	    json_real(tot.cost_usd) : json_null());
	json_object_set_new(gen, "cached", json_false());
	json_object_set_new(gen, "calls", calls != NULL ? calls :
	    json_array());
	if (patch.len > 0 && !too_large) {
		ab_utf8_fix(&patch);
		json_object_set_new(gen, "patch", json_stringn(patch.s,
		    patch.len));
	} else {
		json_object_set_new(gen, "patch", patch.len == 0 && error ==
		    NULL ? json_string("") : json_null());
	}
	json_object_set_new(gen, "base", json_string(t->base_commit));
	json_object_set_new(gen, "trial", trial);
	{
		struct ab_buf eb = AB_BUF_INIT;

		ab_buf_add(&eb, res.err ? res.err : "", res.err_len);
		ab_utf8_fix(&eb);
		json_object_set_new(gen, "stderr", json_stringn(eb.s ? eb.s :
		    "", eb.len));
		ab_buf_release(&eb);
	}
	json_object_set_new(gen, "error", error != NULL ? error :
	    json_null());
	json_decref(tot.budget_error);
	json_decref(tot.provider_error);
	ab_run_result_release(&res);
	ab_buf_release(&patch);
	for (i = 0; argv != NULL && argv[i] != NULL; i++)
		free(argv[i]);
	free(argv);
	for (i = 0; i < ne; i++)
		free(env[i]);
	free(env);
	for (i = 0; fdata != NULL && i < json_array_size(cfg->desc.files);
	    i++)
		free(fdata[i]);
	free(fdata);
	free(tfiles);
	json_decref(vars);
	return gen;
}

void
ab_trialer_kill(struct ab_trialer *t)
{
	ab_sandbox_kill(t->sb);
}

void
ab_trialer_free(struct ab_trialer *t)
{
	struct ab_error err;

	if (t == NULL)
		return;
	drop_base(t);
	ab_sandbox_free(t->sb);
	json_decref(t->isolation);
	ab_ws_remove(t->dir, &err);
	free(t->dir);
	free(t);
}
