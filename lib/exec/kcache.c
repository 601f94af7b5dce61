/*
 * kcache.c - the checker cache of a proxy style (C and C++ assertion
 * tests): a checker built once is reused by every later record whose
 * checker build has the same inputs (ab-lang(5), "checker").
 *
 * The key is the SHA-256 of everything the build reads that can vary:
 * the command (the precompiled header's argument included), every file
 * placed for it (the checker's source, which holds the tests and the
 * declarations view of the solution, and the harness's files), the
 * identity of each program the command names (inode, size and times of
 * the file PATH finds), the stamps of the precompiled header's entry
 * (every system header it was built from), and the machine.  The
 * solution's own text never reaches the checker's build but through the
 * declarations view and the precompiled header's name, both in the key.
 *
 * An entry is one file, named by its key, in a directory that only
 * ab-exec reads (never bound in the sandbox: a checker holds the hidden
 * tests): a header line with the SHA-256 and size of the binary, then
 * the binary.  It is written to a private name and renamed into place
 * whole; a reader checks the hash, so a truncated or altered entry is
 * dropped and built again.  Entries are pruned, oldest use first, when
 * the directory grows past KC_MAX_BYTES.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "exec-int.h"
#include "sandbox.h"

#define KC_MAGIC "ab-exec checker 1"
#define KC_MAX_BIN (64L << 20)		/* bytes of one checker */
#define KC_MAX_BYTES (1024L << 20)	/* bytes of all entries */
#define KC_KEEP_BYTES (768L << 20)	/* left after pruning */

/* The sandbox's PATH (lib/sandbox: fixed_env). */
static const char *const path_dirs[] = { "/usr/local/bin", "/usr/bin",
	"/bin", NULL };

/* Whether word can name a program found in PATH: a letter first, then
 * letters, digits and "_+-". */
static bool
program_word(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > 64 || !((*s >= 'a' && *s <= 'z') ||
	    (*s >= 'A' && *s <= 'Z')))
		return false;
	for (i = 1; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_' ||
		    s[i] == '+' || s[i] == '-'))
			return false;
	return true;
}

/* The identity of the program PATH finds for the word: its resolved
 * path, inode, size, modification and change times. */
static void
add_program(struct ab_buf *kb, const char *s, size_t n)
{
	char *path, *real;
	struct stat st;
	char line[160];
	size_t i;

	for (i = 0; path_dirs[i] != NULL; i++) {
		path = ab_xasprintf("%s/%.*s", path_dirs[i], (int)n, s);
		real = realpath(path, NULL);
		free(path);
		if (real == NULL)
			continue;
		if (stat(real, &st) == 0 && S_ISREG(st.st_mode)) {
			snprintf(line, sizeof line, "\t%llu %llu %lld.%09ld "
			    "%lld.%09ld\n", (unsigned long long)st.st_ino,
			    (unsigned long long)st.st_size,
			    (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
			    (long long)st.st_ctim.tv_sec, st.st_ctim.tv_nsec);
			ab_buf_adds(kb, "program ");
			ab_buf_adds(kb, real);
			ab_buf_adds(kb, line);
			free(real);
			return;
		}
		free(real);
	}
}

char *
ab_ex_kcache_key(struct job *j, char *const *argv, const char *pch,
    const struct ab_file *files, size_t nfiles)
{
	const char *pdir = j->c->o.pch_dir, *p, *q;
	struct ab_buf kb = AB_BUF_INIT;
	struct utsname u;
	char hex[65], num[64];
	size_t i;

	if (j->c->o.checker_dir == NULL)
		return NULL;
	ab_buf_adds(&kb, KC_MAGIC "\n");
	if (uname(&u) == 0) {
		ab_buf_adds(&kb, u.machine);
		ab_buf_addc(&kb, '\n');
	}
	for (i = 0; argv[i] != NULL; i++) {
		ab_buf_adds(&kb, "arg ");
		ab_buf_add(&kb, argv[i], strlen(argv[i]) + 1);
	}
	/* Every word of the command (of a shell's script too) that PATH
	 * can resolve. */
	for (i = 0; argv[i] != NULL; i++)
		for (p = argv[i]; *p != '\0'; p = q) {
			p += strspn(p, " \t\n");
			q = p + strcspn(p, " \t\n");
			if (program_word(p, (size_t)(q - p)))
				add_program(&kb, p, (size_t)(q - p));
		}
	/* The precompiled header's entry: what it was built from. */
	if (pch != NULL && *pch != '\0') {
		size_t pre = strlen("-include" AB_SANDBOX_CACHE "/");
		char *sp, *stamps;

		if (pdir == NULL || strncmp(pch, "-include" AB_SANDBOX_CACHE
		    "/", pre) != 0) {
			ab_buf_release(&kb);
			return NULL;
		}
		sp = ab_xasprintf("%s/%s.stamps", pdir, pch + pre);
		stamps = ab_read_file(sp, NULL, NULL);
		free(sp);
		if (stamps == NULL) {
			ab_buf_release(&kb);
			return NULL;
		}
		ab_buf_adds(&kb, "pch\n");
		ab_buf_adds(&kb, stamps);
		free(stamps);
	}
	for (i = 0; i < nfiles; i++) {
		snprintf(num, sizeof num, " %o %zu\n", (unsigned)files[i].mode,
		    files[i].len);
		ab_buf_adds(&kb, "file ");
		ab_buf_adds(&kb, files[i].name);
		ab_buf_adds(&kb, num);
		ab_buf_add(&kb, files[i].data, files[i].len);
	}
	ab_sha256_hex(kb.s, kb.len, hex);
	ab_buf_release(&kb);
	return ab_xstrdup(hex);
}

/* Read fd whole, at most max bytes.  New, or NULL. */
static char *
read_fd(int fd, size_t max, size_t *len)
{
	struct ab_buf b = AB_BUF_INIT;
	char tmp[65536];
	ssize_t n;

	for (;;) {
		n = read(fd, tmp, sizeof tmp);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || b.len + (size_t)n > max) {
			ab_buf_release(&b);
			return NULL;
		}
		if (n == 0)
			break;
		ab_buf_add(&b, tmp, (size_t)n);
	}
	*len = b.len;
	if (b.s == NULL)
		return ab_xstrdup("");
	return ab_buf_detach(&b);
}

char *
ab_ex_kcache_get(struct ab_exec *x, const char *key, size_t *len)
{
	const char *dir = x->o.checker_dir;
	char *path, *data, *nl, hex[65], want[65];
	unsigned long long size;
	size_t n, hl;
	struct stat st;
	int fd;

	*len = 0;
	if (dir == NULL)
		return NULL;
	path = ab_xasprintf("%s/%s", dir, key);
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		free(path);
		return NULL;
	}
	data = NULL;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		data = read_fd(fd, (size_t)KC_MAX_BIN + 256, &n);
	close(fd);
	if (data == NULL)
		goto bad;
	/* "ab-exec checker 1 SHA256 SIZE\n", then the binary. */
	if ((nl = memchr(data, '\n', n < 256 ? n : 256)) == NULL)
		goto bad;
	*nl = '\0';
	hl = (size_t)(nl + 1 - data);
	if (sscanf(data, KC_MAGIC " %64[0-9a-f] %llu", want, &size) != 2 ||
	    strlen(want) != 64 || size != n - hl || size == 0)
		goto bad;
	ab_sha256_hex(data + hl, n - hl, hex);
	if (strcmp(hex, want) != 0)
		goto bad;
	/* Its last use: the pruning keeps the most recent. */
	utimensat(AT_FDCWD, path, NULL, AT_SYMLINK_NOFOLLOW);
	free(path);
	memmove(data, data + hl, n - hl);
	*len = n - hl;
	return data;
bad:
	/* Truncated, altered, or not ours: built again. */
	unlink(path);
	free(path);
	free(data);
	return NULL;
}

struct kc_entry {
	char *name;
	time_t mtime;
	off_t size;
};

static int
by_mtime(const void *a, const void *b)
{
	const struct kc_entry *x = a, *y = b;

	return x->mtime < y->mtime ? -1 : x->mtime > y->mtime;
}

/* Past KC_MAX_BYTES: remove the entries used longest ago down to
 * KC_KEEP_BYTES (and stale private files of a dead writer). */
static void
prune(const char *dir)
{
	struct kc_entry *v = NULL;
	size_t n = 0, cap = 0, i;
	long long total = 0;
	struct dirent *d;
	struct stat st;
	time_t now = time(NULL);
	DIR *dp;
	int dfd;

	if ((dp = opendir(dir)) == NULL)
		return;
	dfd = dirfd(dp);
	while ((d = readdir(dp)) != NULL) {
		if (d->d_name[0] == '.' || fstatat(dfd, d->d_name, &st,
		    AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode))
			continue;
		if (strncmp(d->d_name, "tmp.", 4) == 0) {
			if (now - st.st_mtime > 3600)
				unlinkat(dfd, d->d_name, 0);
			continue;
		}
		if (n == cap) {
			struct kc_entry *nv;

			cap = cap ? 2 * cap : 256;
			nv = ab_xcalloc(cap, sizeof *nv);
			if (n > 0)
				memcpy(nv, v, n * sizeof *v);
			free(v);
			v = nv;
		}
		v[n].name = ab_xstrdup(d->d_name);
		v[n].mtime = st.st_mtime;
		v[n++].size = st.st_size;
		total += st.st_size;
	}
	if (total > KC_MAX_BYTES) {
		qsort(v, n, sizeof *v, by_mtime);
		for (i = 0; i < n && total > KC_KEEP_BYTES; i++)
			if (unlinkat(dfd, v[i].name, 0) == 0)
				total -= v[i].size;
	}
	closedir(dp);
	for (i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}

void
ab_ex_kcache_put(struct ab_exec *x, const char *key, const char *bin_path)
{
	static unsigned long seq;
	const char *dir = x->o.checker_dir;
	char *data = NULL, *tmp = NULL, *final = NULL, hex[65], head[128];
	struct timespec ts;
	struct stat st;
	size_t n = 0, off;
	ssize_t w;
	int fd;

	if (dir == NULL)
		return;
	/* The compiler's output in the work directory: a plain file,
	 * never through a link. */
	if ((fd = open(bin_path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    st.st_size <= KC_MAX_BIN)
		data = read_fd(fd, (size_t)KC_MAX_BIN, &n);
	close(fd);
	if (data == NULL || n == 0)
		goto out;
	ab_sha256_hex(data, n, hex);
	snprintf(head, sizeof head, KC_MAGIC " %s %zu\n", hex, n);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	tmp = ab_xasprintf("%s/tmp.%ld.%lu.%ld", dir, (long)getpid(),
	    __atomic_add_fetch(&seq, 1, __ATOMIC_RELAXED), ts.tv_nsec);
	final = ab_xasprintf("%s/%s", dir, key);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0600)) < 0)
		goto out;
	{
		struct part {
			const char *p;
			size_t n;
		} parts[2] = { { head, strlen(head) }, { data, n } };
		size_t k;

		for (k = 0; k < 2; k++)
			for (off = 0; off < parts[k].n; off += (size_t)w) {
				w = write(fd, parts[k].p + off,
				    parts[k].n - off);
				if (w < 0 && errno == EINTR) {
					w = 0;
					continue;
				}
				if (w <= 0) {
					close(fd);
					unlink(tmp);
					goto out;
				}
			}
	}
	if (close(fd) < 0 || rename(tmp, final) < 0) {
		unlink(tmp);
		goto out;
	}
	prune(dir);
out:
	free(data);
	free(tmp);
	free(final);
}
