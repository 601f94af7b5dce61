/* ab-exec checker for C assertion tests: the test code, the run's nonce
 * and a declarations-only view of the solution; each function of the
 * solution is a proxy that calls the solution in the server process (see
 * abwire.h).  argv[1] picks the test.  A test passes when its case
 * returns and its completion record reaches fd 3.  Not a byte of the
 * solution's code is in this program. */
#define _GNU_SOURCE 1
#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "abwire.h"

#define AB_K_SOCK 4
#define AB_K_MAX_ANSWER ((size_t)64 << 20)	/* besides written-back
						   buffers */
#define AB_K_MAX_PARAMS 32

/* Set by each test: a hidden test's assertions are not quoted. */
static int ab_k_hidden_;

/* A failed assert() is a wrong answer, not a crash. */
void __assert_fail(const char *ab_e_, const char *ab_f_, unsigned int ab_l_,
    const char *ab_fn_)
{
	(void)ab_fn_;
	fflush(stdout);
	if (ab_k_hidden_)
		fprintf(stderr, "%s:%u: an assertion of a hidden test failed\n",
		    ab_f_, ab_l_);
	else
		fprintf(stderr, "%s:%u: %s\n", ab_f_, ab_l_, ab_e_);
	_exit(1);
}

static struct ab_w_in ab_k_in = { AB_K_SOCK, 0, 0, { 0 } };
static char ab_k_nonce[80];
static int ab_k_index = -1;
static int ab_k_greeted;

/* Append s to b as a JSON string body (bytes beyond ASCII as \u00XX). */
static size_t
ab_k_json(char *b, size_t n, size_t cap, const char *s)
{
	for (; *s != '\0' && n + 8 < cap; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			b[n++] = '\\';
			b[n++] = (char)c;
		} else if (c < 0x20 || c >= 0x7f) {
			n += (size_t)snprintf(b + n, cap - n, "\\u%04x", c);
		} else {
			b[n++] = (char)c;
		}
	}
	return n;
}

/* The test failed for a reason of the harness or the server: its record
 * says why, and the test's own code never runs again. */
static void __attribute__((noreturn, format(printf, 3, 4)))
ab_k_fail(const char *kind, int sig, const char *fmt, ...)
{
	char msg[1024], rec[4096];
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	fflush(stdout);
	fprintf(stderr, "ab-exec: %s\n", msg);
	n = (size_t)snprintf(rec, sizeof rec, "%s {\"test\":%d,\"status\":"
	    "\"fail\",\"kind\":\"%s\",\"signal\":%d,\"error\":\"", ab_k_nonce,
	    ab_k_index, kind, sig);
	n = ab_k_json(rec, n, sizeof rec - 4, msg);
	rec[n++] = '"';
	rec[n++] = '}';
	rec[n++] = '\n';
	if (ab_w_write_all(3, rec, n) < 0)
		_exit(125);
	_exit(0);
}

static void __attribute__((noreturn))
ab_k_gone(const char *fn)
{
	ab_k_fail("gone", 0, "the solution's process exited%s%s%s",
	    fn ? " (in " : "", fn ? fn : "", fn ? ")" : "");
}

/* Read one frame from the server into a new buffer, at most max bytes. */
static unsigned char *
ab_k_frame(size_t max, size_t *len, const char *fn)
{
	uint32_t n;
	unsigned char *p;

	if (ab_w_read_all(&ab_k_in, &n, sizeof n) < 0)
		ab_k_gone(fn);
	if (n == 0 || n > max)
		ab_k_fail("runtime_error", 0, "bad answer from the solution's "
		    "process%s%s%s: %lu bytes", fn ? " (" : "", fn ? fn : "",
		    fn ? ")" : "", (unsigned long)n);
	if ((p = malloc(n)) == NULL)
		abort();
	if (ab_w_read_all(&ab_k_in, p, n) < 0)
		ab_k_gone(fn);
	*len = n;
	return p;
}

static void __attribute__((noreturn))
ab_k_dying(const unsigned char *a, size_t n, const char *fn)
{
	uint32_t sig = 0;

	if (n == 5)
		memcpy(&sig, a + 1, 4);
	if (sig < 1 || sig > 64)
		ab_k_fail("runtime_error", 0, "bad answer from the solution's "
		    "process (%s)", fn ? fn : "hello");
	ab_k_fail("signaled", (int)sig, "the solution's process was killed "
	    "by signal %u%s%s", (unsigned)sig, fn ? " in " : "", fn ? fn : "");
}

struct ab_k_call {
	struct ab_w_buf q;
	unsigned char *a;
	size_t alen, pos, back;
	size_t ext[AB_K_MAX_PARAMS];
	unsigned char present[AB_K_MAX_PARAMS];
	const char *fn;
};

static void __attribute__((noreturn))
ab_k_bad(struct ab_k_call *c, const char *what)
{
	ab_k_fail("runtime_error", 0, "bad answer from the solution's process "
	    "(%s: %s)", c->fn, what);
}

static int
ab_k_ok_any(const void *p, size_t n)
{
	(void)p;
	(void)n;
	return 1;
}

static int
ab_k_ok_bool(const void *p, size_t n)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i] > 1)
			return 0;
	return 1;
}

static void ab_k_hello(void);

static void
ab_k_begin(struct ab_k_call *c, uint32_t idx, const char *fn)
{
	memset(c, 0, sizeof *c);
	c->fn = fn;
	if (!ab_k_greeted)
		ab_k_hello();
	ab_w_add(&c->q, &idx, sizeof idx);
}

static void
ab_k_put(struct ab_k_call *c, const void *p, size_t n)
{
	ab_w_add(&c->q, p, n);
}

static void
ab_k_put_ptr(struct ab_k_call *c, size_t i, const void *p, size_t max,
    size_t min, int back, const char *what)
{
	if (p == NULL) {
		ab_w_add_u8(&c->q, 0);
		return;
	}
	if (max == (size_t)-1 || max != min)
		ab_k_fail("internal", 0, "%s: cannot tell the size of the "
		    "object the pointer points to (the proxy sends the object "
		    "from the pointer to its end: pass an array, a string "
		    "literal or memory from malloc directly, not a pointer "
		    "the compiler cannot follow)", what);
	ab_w_add_u8(&c->q, 1);
	ab_w_add_u64(&c->q, max);
	ab_w_add(&c->q, p, max);
	c->ext[i] = max;
	c->present[i] = 1;
	if (back)
		c->back += max;
}

static void
ab_k_send(struct ab_k_call *c)
{
	if (ab_w_send(AB_K_SOCK, &c->q) < 0)
		ab_k_gone(c->fn);
	free(c->q.p);
	c->q.p = NULL;
	c->a = ab_k_frame(AB_K_MAX_ANSWER + c->back, &c->alen, c->fn);
	if (c->a[0] == AB_W_DYING)
		ab_k_dying(c->a, c->alen, c->fn);
	if (c->a[0] != AB_W_OK)
		ab_k_bad(c, "unknown answer");
	c->pos = 1;
}

static void
ab_k_get(struct ab_k_call *c, void *p, size_t n)
{
	if (c->alen - c->pos < n)
		ab_k_bad(c, "answer too short");
	memcpy(p, c->a + c->pos, n);
	c->pos += n;
}

static char *
ab_k_get_str(struct ab_k_call *c, const char *what)
{
	unsigned char f;
	uint64_t n;
	char *s;

	ab_k_get(c, &f, 1);
	if (f == 0)
		return NULL;
	if (f != 1)
		ab_k_bad(c, what);
	ab_k_get(c, &n, sizeof n);
	if (n > c->alen - c->pos)
		ab_k_bad(c, "answer too short");
	if ((s = malloc((size_t)n + 1)) == NULL)
		abort();
	ab_k_get(c, s, (size_t)n);
	s[n] = '\0';
	return s;
}

static void
ab_k_back(struct ab_k_call *c, size_t i, void *p, size_t esz,
    int (*valid)(const void *, size_t), const char *what)
{
	size_t n = c->ext[i];
	const unsigned char *src;

	if (!c->present[i])
		return;
	if (c->alen - c->pos < n)
		ab_k_bad(c, "answer too short");
	src = c->a + c->pos;
	if (valid != ab_k_ok_any && (esz == 0 || n % esz != 0))
		ab_k_bad(c, what);
	if (!valid(src, esz ? n / esz : 0))
		ab_k_fail("runtime_error", 0, "%s: the solution left an invalid "
		    "value (a bool that is neither 0 nor 1)", what);
	/* Unchanged bytes are not written: a string literal passed to a
	 * char * stays untouched. */
	if (n > 0 && memcmp(p, src, n) != 0)
		memcpy(p, src, n);
	c->pos += n;
}

static void
ab_k_end(struct ab_k_call *c)
{
	if (c->pos != c->alen)
		ab_k_bad(c, "answer too long");
	free(c->a);
	c->a = NULL;
}

#define AB_K_SCALAR(x) (__builtin_classify_type(x) == 1 || \
	__builtin_classify_type(x) == 8 || __builtin_classify_type(x) == 9)
#define AB_K_VAL(c, v, what) do { \
	_Static_assert(AB_K_SCALAR(v) || AB_K_PLAIN(v), "ab-exec: " what \
	    " cannot be carried to the solution's process: it is not a " \
	    "number, nor a struct without pointers"); \
	ab_k_put((c), &(v), sizeof(v)); \
} while (0)
#define AB_K_PTR(c, p, e, i, back, what) do { \
	_Static_assert(__builtin_classify_type(p) == 5, "ab-exec: " what \
	    " is not a pointer"); \
	_Static_assert(AB_K_SCALAR(e) || AB_K_PLAIN(e), "ab-exec: " what \
	    " points to what cannot be carried (a pointer, or a struct " \
	    "with pointers)"); \
	ab_k_put_ptr((c), (i), (const void *)(p), \
	    __builtin_dynamic_object_size((p), 0), \
	    __builtin_dynamic_object_size((p), 2), (back), what); \
} while (0)
#define AB_K_RET(c, r, what) do { \
	_Static_assert(AB_K_SCALAR(r) || AB_K_PLAIN(r), "ab-exec: " what \
	    " cannot be carried back: it is not a number, nor a struct " \
	    "without pointers"); \
	ab_k_get((c), &(r), sizeof(r)); \
	if (!AB_K_VALID(r)(&(r), 1)) \
		ab_k_fail("runtime_error", 0, "%s: %s", (c)->fn, what \
		    " is not a valid value (a bool that is neither 0 nor 1)"); \
} while (0)
#define AB_K_BACK(c, p, e, i, what) \
	ab_k_back((c), (i), (void *)(p), sizeof(e), AB_K_VALID(e), what)

static int ab_k_run_test_(int ab_index_);

/* ---- the solution's declarations (ab-exec's view of solution.c) ---- */
@@DECLS@@
/* ---- end of the view ---- */
#line 1 "ab-exec checker"
#undef NDEBUG
#include <assert.h>

@@PROXIES@@
/* Both sides' view of the types must agree (a macro or a #pragma of the
 * solution could change them on its side only). */
static void
ab_k_hello(void)
{
	size_t n, i, count = 0;
	unsigned char *a;
	uint32_t magic, cpu;
	uint64_t cnt, val;

	ab_k_greeted = 1;
	a = ab_k_frame((size_t)1 << 20, &n, NULL);
	if (a[0] == AB_W_DYING)
		ab_k_dying(a, n, NULL);
	while (ab_k_layout_what[count] != NULL)
		count++;
	if (a[0] != AB_W_HELLO || n < 17)
		ab_k_fail("runtime_error", 0, "bad greeting from the solution's "
		    "process");
	memcpy(&magic, a + 1, 4);
	memcpy(&cpu, a + 5, 4);
	memcpy(&cnt, a + 9, 8);
	if (magic != AB_W_MAGIC || cnt != count || n != 17 + 8 * count)
		ab_k_fail("runtime_error", 0, "bad greeting from the solution's "
		    "process");
	(void)ab_w_pin(cpu);
	for (i = 0; i < count; i++) {
		memcpy(&val, a + 17 + 8 * i, 8);
		if (val != ab_k_layout[i])
			ab_k_fail("runtime_error", 0, "the solution's process "
			    "disagrees with the checker on %s (%llu here, %llu "
			    "there): does a macro or a #pragma change it?",
			    ab_k_layout_what[i], ab_k_layout[i],
			    (unsigned long long)val);
	}
	free(a);
}

int
main(int argc, char **argv)
{
	const char *nonce = getenv("AB_NONCE");
	char rec[200];
	int n;

	if (nonce == NULL || strlen(nonce) >= sizeof ab_k_nonce)
		return 125;
	snprintf(ab_k_nonce, sizeof ab_k_nonce, "%s", nonce);
	unsetenv("AB_NONCE");
	if (argc > 1) {
		char *end;
		long v = strtol(argv[1], &end, 10);

		if (*end == '\0' && v >= 0 && v < INT_MAX)
			ab_k_index = (int)v;
	}
	if (ab_k_index < 0)
		return 125;
	signal(SIGPIPE, SIG_IGN);
	ab_k_hello();
	if (ab_k_run_test_(ab_k_index) != 0)
		return 1;
	fflush(stdout);
	n = snprintf(rec, sizeof rec, "%s {\"test\":%d,\"status\":\"pass\"}\n",
	    ab_k_nonce, ab_k_index);
	if (ab_w_write_all(3, rec, (size_t)n) < 0)
		return 125;
	return 0;
}

#line 1 "ab-exec checker"
static int
ab_k_run_test_(int ab_index_)
{
	switch (ab_index_) {
@@TESTS@@
	default:
		exit(125);
	}
	return 0;
}
