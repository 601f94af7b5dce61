/* util.c - allocation, buffers, checked numbers, small file helpers. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ab.h"

static AB_NORETURN void
oom(size_t n)
{
	static const char msg[] = ": out of memory\n";
	const char *p = ab_progname();

	if (write(STDERR_FILENO, p, strlen(p)) < 0 ||
	    write(STDERR_FILENO, msg, sizeof msg - 1) < 0) {
		/* nothing more to do */
	}
	(void)n;
	abort();
}

void *
ab_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		oom(n);
	return p;
}

void *
ab_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		oom(n * size);
	return p;
}

void *
ab_xrealloc(void *old, size_t n)
{
	void *p = realloc(old, n ? n : 1);

	if (p == NULL)
		oom(n);
	return p;
}

char *
ab_xstrdup(const char *s)
{
	return ab_xstrndup(s, strlen(s));
}

char *
ab_xstrndup(const char *s, size_t n)
{
	char *p = ab_xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
ab_xasprintf(const char *fmt, ...)
{
	struct ab_buf b = AB_BUF_INIT;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	b.cap = (size_t)n + 1;
	b.s = ab_xmalloc(b.cap);
	va_start(ap, fmt);
	vsnprintf(b.s, b.cap, fmt, ap);
	va_end(ap);
	return b.s;
}

static void
buf_grow(struct ab_buf *b, size_t extra)
{
	size_t want, cap;

	if (extra > SIZE_MAX - b->len - 1)
		oom(SIZE_MAX);
	want = b->len + extra + 1;
	if (want <= b->cap)
		return;
	cap = b->cap ? b->cap : 64;
	while (cap < want)
		cap = cap > SIZE_MAX / 2 ? want : cap * 2;
	b->s = ab_xrealloc(b->s, cap);
	b->cap = cap;
}

void
ab_buf_add(struct ab_buf *b, const void *p, size_t n)
{
	buf_grow(b, n);
	if (n > 0)
		memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void
ab_buf_adds(struct ab_buf *b, const char *s)
{
	ab_buf_add(b, s, strlen(s));
}

void
ab_buf_addc(struct ab_buf *b, int c)
{
	char ch = (char)c;

	ab_buf_add(b, &ch, 1);
}

void
ab_buf_addf(struct ab_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n <= 0)
		return;
	buf_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void
ab_buf_reserve(struct ab_buf *b, size_t n)
{
	size_t want;

	if (n > SIZE_MAX - b->len - 1)
		oom(SIZE_MAX);
	want = b->len + n + 1;
	if (want <= b->cap)
		return;
	/* A buffer reserved again and again grows at least twofold, as
	 * ab_buf_add grows it: linear however often it is called. */
	if (b->cap > 0 && b->cap <= SIZE_MAX / 2 && want < 2 * b->cap)
		want = 2 * b->cap;
	b->s = ab_xrealloc(b->s, want);
	if (b->cap == 0)
		b->s[0] = '\0';
	b->cap = want;
}

void
ab_buf_reset(struct ab_buf *b)
{
	b->len = 0;
	if (b->s != NULL)
		b->s[0] = '\0';
}

void
ab_buf_release(struct ab_buf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

char *
ab_buf_detach(struct ab_buf *b)
{
	char *s = b->s != NULL ? b->s : ab_xstrdup("");

	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

size_t
ab_utf8_len(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned c;

	if (n == 0)
		return 0;
	if ((c = s[0]) < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return n >= 2 && (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		if (n < 3 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			return 0;
		if ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] > 0x9f))
			return 0;	/* overlong, or a surrogate */
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if (n < 4 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 ||
		    (s[3] & 0xc0) != 0x80)
			return 0;
		if ((c == 0xf0 && s[1] < 0x90) || (c == 0xf4 && s[1] > 0x8f))
			return 0;	/* overlong, or past U+10FFFF */
		return 4;
	}
	return 0;
}

void
ab_buf_add_escaped(struct ab_buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;

	while (i < n) {
		if (p[i] < 0x20 || p[i] == 0x7f) {
			ab_buf_addf(b, "\\x%02x", p[i]);
			i++;
		} else if ((k = ab_utf8_len(s + i, n - i)) == 0) {
			ab_buf_addf(b, "\\x%02x", p[i]);
			i++;
		} else {
			ab_buf_add(b, p + i, k);
			i += k;
		}
	}
}

int
ab_parse_long(const char *s, long min, long max, long *out,
    struct ab_error *err)
{
	char *end;
	long v;

	if (s == NULL || *s == '\0')
		return ab_error_set(err, "usage", "empty number");
	errno = 0;
	v = strtol(s, &end, 10);
	if (*end != '\0' || end == s)
		return ab_error_set(err, "usage", "'%s' is not a whole number",
		    s);
	if (errno == ERANGE || v < min || v > max)
		return ab_error_set(err, "usage",
		    "%s is out of range (%ld to %ld)", s, min, max);
	*out = v;
	return 0;
}

int
ab_parse_double(const char *s, double min, double max, double *out,
    struct ab_error *err)
{
	char *end;
	double v;

	if (s == NULL || *s == '\0')
		return ab_error_set(err, "usage", "empty number");
	errno = 0;
	v = strtod(s, &end);
	if (*end != '\0' || end == s || !isfinite(v))
		return ab_error_set(err, "usage", "'%s' is not a number", s);
	if (errno == ERANGE || v < min || v > max)
		return ab_error_set(err, "usage",
		    "%s is out of range (%g to %g)", s, min, max);
	*out = v;
	return 0;
}

int
ab_parse_size(const char *s, size_t min, size_t max, size_t *out,
    struct ab_error *err)
{
	unsigned long long v, mul = 1;
	char *end;

	if (s == NULL || *s == '\0' || *s == '-')
		return ab_error_set(err, "usage", "'%s' is not a size",
		    s ? s : "");
	errno = 0;
	v = strtoull(s, &end, 10);
	if (end == s)
		return ab_error_set(err, "usage", "'%s' is not a size", s);
	switch (*end) {
	case 'k': case 'K': mul = 1ULL << 10; end++; break;
	case 'm': case 'M': mul = 1ULL << 20; end++; break;
	case 'g': case 'G': mul = 1ULL << 30; end++; break;
	}
	if (*end == 'i' || *end == 'b' || *end == 'B')
		end += (*end == 'i' && end[1] == 'B') ? 2 : 1;
	if (*end != '\0')
		return ab_error_set(err, "usage", "'%s' is not a size", s);
	if (errno == ERANGE || v > max / mul || v * mul < min)
		return ab_error_set(err, "usage",
		    "%s is out of range (%zu to %zu bytes)", s, min, max);
	*out = (size_t)(v * mul);
	return 0;
}

double
ab_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

char *
ab_read_file(const char *path, size_t *len, struct ab_error *err)
{
	struct ab_buf b = AB_BUF_INIT;
	char chunk[65536];
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		ab_error_set(err, "io", "%s: %s", path, strerror(errno));
		return NULL;
	}
	while ((n = read(fd, chunk, sizeof chunk)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			ab_error_set(err, "io", "%s: %s", path,
			    strerror(errno));
			close(fd);
			ab_buf_release(&b);
			return NULL;
		}
		ab_buf_add(&b, chunk, (size_t)n);
	}
	close(fd);
	if (len != NULL)
		*len = b.len;
	return ab_buf_detach(&b);
}

char *
ab_cache_default_dir(void)
{
	const char *x = getenv("XDG_CACHE_HOME"), *h = getenv("HOME");

	if (x != NULL && *x == '/')
		return ab_xasprintf("%s/ab", x);
	if (h != NULL && *h == '/')
		return ab_xasprintf("%s/.cache/ab", h);
	return ab_xstrdup(".ab-cache");
}
