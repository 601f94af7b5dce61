/* ab-exec server for C assertion tests: the solution as written, and a
 * stub that reads calls from the checker on fd 3, calls the solution's
 * functions and writes back what they returned (see abwire.h).  It runs
 * under the solution's uid, without the run's nonce; the checker trusts
 * nothing it sends. */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The stub needs no -O2 (the solution gets it): less to compile. */
#pragma GCC push_options
#pragma GCC optimize ("O1")

#include "abwire.h"

#define AB_S_SOCK 3

struct ab_s_in {
	const unsigned char *p;
	size_t len, pos;
	void **bufs;
	size_t nbufs;
};

static void
ab_s_get(struct ab_s_in *in, void *p, size_t n)
{
	if (in->len - in->pos < n)
		_exit(1);
	memcpy(p, in->p + in->pos, n);
	in->pos += n;
}

static void *
ab_s_get_ptr(struct ab_s_in *in, size_t *n)
{
	unsigned char f;
	uint64_t len;
	void *b, **bufs;

	*n = 0;
	ab_s_get(in, &f, 1);
	if (f == 0)
		return NULL;
	ab_s_get(in, &len, sizeof len);
	if (len > in->len - in->pos)
		_exit(1);
	/* Zeroed slack after the object: a string without its NUL reads
	 * zeros, not the stub's memory. */
	if ((b = calloc(1, (size_t)len + 64)) == NULL)
		abort();
	ab_s_get(in, b, (size_t)len);
	if ((bufs = realloc(in->bufs, (in->nbufs + 1) * sizeof *bufs)) == NULL)
		abort();
	in->bufs = bufs;
	in->bufs[in->nbufs++] = b;
	*n = (size_t)len;
	return b;
}

static void
ab_s_called(struct ab_s_in *in)
{
	if (in->pos != in->len)
		_exit(1);
}

static void
ab_s_answer(struct ab_w_buf *out)
{
	ab_w_add_u8(out, AB_W_OK);
}

static void
ab_s_put_str(struct ab_w_buf *out, const char *s)
{
	if (s == NULL) {
		ab_w_add_u8(out, 0);
		return;
	}
	ab_w_add_u8(out, 1);
	ab_w_add_u64(out, strlen(s));
	ab_w_add(out, s, strlen(s));
}

static void
ab_s_back(struct ab_w_buf *out, const void *p, size_t n)
{
	if (p != NULL)
		ab_w_add(out, p, n);
}

/* Dying of a signal: say so to the checker, then die of it. */
static void
ab_s_dying(int sig)
{
	unsigned char f[9];
	uint32_t len = 5, s = (uint32_t)sig;

	memcpy(f, &len, 4);
	f[4] = AB_W_DYING;
	memcpy(f + 5, &s, 4);
	(void)!write(AB_S_SOCK, f, sizeof f);
	signal(sig, SIG_DFL);
	raise(sig);
}

static int
ab_s_main(void (*const *fns)(struct ab_s_in *, struct ab_w_buf *),
    size_t nfns, const unsigned long long *layout, size_t nlayout)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT,
	    SIGSYS, SIGTRAP, SIGXCPU, SIGXFSZ };
	static char altstack[65536];
	struct sigaction sa;
	stack_t ss;
	struct ab_w_buf out = { NULL, 0, 0 };
	struct ab_s_in in;
	uint32_t magic = AB_W_MAGIC, n, idx, cpu;
	uint64_t cnt = nlayout;
	unsigned char *req = NULL;
	static struct ab_w_in rd = { AB_S_SOCK, 0, 0, { 0 } };
	size_t i;

	ss.ss_sp = altstack;
	ss.ss_size = sizeof altstack;
	ss.ss_flags = 0;
	sigaltstack(&ss, NULL);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = ab_s_dying;
	sa.sa_flags = SA_ONSTACK | SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, NULL);
	cpu = (uint32_t)ab_w_pin((unsigned)-1);
	ab_w_add_u8(&out, AB_W_HELLO);
	ab_w_add(&out, &magic, sizeof magic);
	ab_w_add(&out, &cpu, sizeof cpu);
	ab_w_add(&out, &cnt, sizeof cnt);
	for (i = 0; i < nlayout; i++) {
		uint64_t v = layout[i];

		ab_w_add(&out, &v, sizeof v);
	}
	if (ab_w_send(AB_S_SOCK, &out) < 0)
		return 0;
	for (;;) {
		if (ab_w_read_all(&rd, &n, sizeof n) < 0)
			return 0;
		if (n < 4 || (req = realloc(req, n)) == NULL)
			return 1;
		if (ab_w_read_all(&rd, req, n) < 0)
			return 0;
		memcpy(&idx, req, 4);
		if (idx >= nfns)
			return 1;
		memset(&in, 0, sizeof in);
		in.p = req;
		in.len = n;
		in.pos = 4;
		out.len = 0;
		fns[idx](&in, &out);
		fflush(stdout);
		if (ab_w_send(AB_S_SOCK, &out) < 0)
			return 0;
		for (i = 0; i < in.nbufs; i++)
			free(in.bufs[i]);
		free(in.bufs);
	}
}

#pragma GCC pop_options

#line 1 "@@SOURCE@@"
@@SOLUTION@@

/* Whatever the solution defined, the stub sees the real language. */
#undef main
#undef NULL
#define NULL ((void *)0)
#undef if
#undef else
#undef for
#undef while
#undef do
#undef switch
#undef case
#undef default
#undef break
#undef continue
#undef return
#undef goto
#undef int
#undef char
#undef long
#undef short
#undef unsigned
#undef signed
#undef float
#undef double
#undef void
#undef const
#undef static
#undef struct
#undef union
#undef enum
#undef typedef
#undef sizeof
#undef size_t
#undef exit
#undef abort

@@SERVER@@
