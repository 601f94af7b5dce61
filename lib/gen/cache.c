/* cache.c - the content-addressed answer cache and the spending ledger. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gen.h"

char *
ab_cache_default_dir(void)
{
	const char *x = getenv("XDG_CACHE_HOME"), *h = getenv("HOME");

	if (x != NULL && *x == '/')
		return ab_xasprintf("%s/ab", x);
	if (h != NULL && *h != '\0')
		return ab_xasprintf("%s/.cache/ab", h);
	return ab_xstrdup(".ab-cache");
}

void
ab_cache_key(const struct ab_agent *a, const json_t *messages, int sample,
    char out[65])
{
	json_t *body, *k;
	char *s;

	/* The request as sent, minus the way it travels (streamed or not):
	 * a streamed answer serves a later unstreamed request. */
	body = ab_wire_request(a, messages, false);
	json_object_del(body, "stream");
	k = json_pack("{s:i, s:s, s:s, s:o, s:i}", "v", 1, "provider",
	    ab_provider_name(a->provider), "url", a->url ? a->url : "",
	    "request", body, "sample", sample);
	s = ab_canonical(k);
	ab_sha256_hex(s, strlen(s), out);
	free(s);
	json_decref(k);
}

static char *
entry_path(const char *dir, const char *key)
{
	return ab_xasprintf("%s/gen/%.2s/%s.json", dir, key, key);
}

json_t *
ab_cache_get(const char *dir, const char *key)
{
	char *p = entry_path(dir, key);
	json_t *j = json_load_file(p, 0, NULL);

	free(p);
	if (j != NULL && !json_is_string(json_object_get(j, "text"))) {
		json_decref(j);
		return NULL;
	}
	return j;
}

/* mkdir -p for the directories of path (not the last component). */
static int
make_dirs(char *path)
{
	char *p;

	for (p = path + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0700) < 0 && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	return 0;
}

int
ab_cache_put(const char *dir, const char *key, const json_t *entry,
    struct ab_error *err)
{
	char *p = entry_path(dir, key), *tmp;
	int rc = 0;

	tmp = ab_xasprintf("%s.%ld.tmp", p, (long)getpid());
	if (json_dump_file(entry, tmp, JSON_COMPACT) < 0) {
		if (make_dirs(tmp) < 0 || json_dump_file(entry, tmp,
		    JSON_COMPACT) < 0)
			rc = ab_error_set(err, "cache", "%s: cannot write: %s",
			    tmp, strerror(errno));
	}
	if (rc == 0 && rename(tmp, p) < 0)
		rc = ab_error_set(err, "cache", "%s: %s", p, strerror(errno));
	if (rc < 0)
		unlink(tmp);
	free(tmp);
	free(p);
	return rc;
}

int
ab_ledger_add(const char *dir, const char *run, double usd, double *total,
    struct ab_error *err)
{
	char *p, buf[64], *end;
	ssize_t n;
	double v = 0;
	int fd, rc = 0;

	if (strchr(run, '/') != NULL || strcmp(run, "..") == 0 ||
	    strcmp(run, ".") == 0)
		return ab_error_set(err, "budget", "run id %s cannot name a "
		    "ledger file", run);
	p = ab_xasprintf("%s/budget/%s", dir, run);
	fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0 && errno == ENOENT && make_dirs(p) == 0)
		fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		rc = ab_error_set(err, "budget", "%s: %s", p, strerror(errno));
		free(p);
		return rc;
	}
	if (flock(fd, LOCK_EX) < 0) {
		rc = ab_error_set(err, "budget", "%s: lock: %s", p,
		    strerror(errno));
		goto out;
	}
	n = pread(fd, buf, sizeof buf - 1, 0);
	if (n > 0) {
		buf[n] = '\0';
		v = strtod(buf, &end);
		if (end == buf || v < 0)
			v = 0;
	}
	if (usd > 0) {
		v += usd;
		n = snprintf(buf, sizeof buf, "%.10f\n", v);
		if (pwrite(fd, buf, (size_t)n, 0) != n ||
		    ftruncate(fd, n) < 0)
			rc = ab_error_set(err, "budget", "%s: %s", p,
			    strerror(errno));
	}
	*total = v;
out:
	close(fd);	/* releases the lock */
	free(p);
	return rc;
}
