/*
 * abwire.h - the wire between the checker and the server of a C
 * assertion test (ab-exec(1)); included by checker.c and server.c.
 *
 * The checker (the test code, holding the run's nonce) talks to the
 * server (the solution) over a socket: the checker's fd 4, the server's
 * fd 3.  Frames: a 4-byte length in host order (both ends run on this
 * machine, built by the same compiler), then that many bytes.
 *   hello (server, once):  u8 3, u32 AB_W_MAGIC, u32 the server's CPU,
 *                          u64 count, count u64 values (the layout table:
 *                          what the server thinks the carried types are)
 *   call (checker):        u32 function index, then each argument in
 *                          order: a value as its bytes; a pointer as u8
 *                          1, u64 n, n bytes (the object from the
 *                          pointer to its end), or u8 0 for NULL
 *   answer (server):       u8 0, the return value's bytes (a string:
 *                          u8 1, u64 n, n bytes; u8 0 for NULL), then
 *                          the n bytes of each pointer to non-const
 *                          that was not NULL, in order
 *   dying (server):        u8 2, u32 signal number
 * The checker trusts nothing it reads: every length is bounded, every
 * bool checked, and nothing is written outside the caller's objects.
 */
#ifndef AB_ABWIRE_H
#define AB_ABWIRE_H

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#define AB_W_MAGIC 0x31574241u	/* "ABW1" */
#define AB_W_OK 0
#define AB_W_DYING 2
#define AB_W_HELLO 3

struct ab_w_buf {
	unsigned char *p;
	size_t len, cap;
};

static void
ab_w_add(struct ab_w_buf *b, const void *p, size_t n)
{
	if (n == 0)
		return;
	if (b->cap - b->len < n) {
		size_t cap = b->cap ? b->cap : 256;
		unsigned char *q;

		while (cap - b->len < n) {
			if (cap > SIZE_MAX / 2)
				abort();
			cap *= 2;
		}
		if ((q = realloc(b->p, cap)) == NULL)
			abort();
		b->p = q;
		b->cap = cap;
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
}

static void
ab_w_add_u8(struct ab_w_buf *b, unsigned v)
{
	unsigned char c = (unsigned char)v;

	ab_w_add(b, &c, 1);
}

static void
ab_w_add_u64(struct ab_w_buf *b, uint64_t v)
{
	ab_w_add(b, &v, sizeof v);
}

/* Write all of p; 0, or -1 on an error (EPIPE: the other end is gone). */
static int
ab_w_write_all(int fd, const void *p, size_t n)
{
	const unsigned char *s = p;
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, s, n)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Both programs on one CPU: a call then costs a quarter of what it costs
 * across CPUs (wake-ups between virtual CPUs are slow).  The server pins
 * itself to the CPU it runs on and names it in its hello, the checker
 * follows; only a hint (raw system calls: no _GNU_SOURCE needed). */
static unsigned
ab_w_pin(unsigned cpu)
{
	unsigned long mask[16];

	if (cpu == (unsigned)-1 && syscall(SYS_getcpu, &cpu, NULL, NULL) < 0)
		return (unsigned)-1;
	if (cpu >= 8 * sizeof mask)
		return (unsigned)-1;
	memset(mask, 0, sizeof mask);
	mask[cpu / (8 * sizeof mask[0])] |= 1UL << (cpu % (8 * sizeof mask[0]));
	if (syscall(SYS_sched_setaffinity, 0, sizeof mask, mask) < 0)
		return (unsigned)-1;
	return cpu;
}

/* A buffered reader: one read() usually brings a whole frame. */
struct ab_w_in {
	int fd;
	size_t pos, len;
	unsigned char buf[65536];
};

/* Read exactly n bytes; 0, or -1 at the end of input or on an error. */
static int
ab_w_read_all(struct ab_w_in *in, void *p, size_t n)
{
	unsigned char *s = p;
	ssize_t r;

	for (;;) {
		size_t k = in->len - in->pos < n ? in->len - in->pos : n;

		memcpy(s, in->buf + in->pos, k);
		in->pos += k;
		s += k;
		n -= k;
		if (n == 0)
			return 0;
		if (n >= sizeof in->buf) {
			/* a large body: straight into place */
			while (n > 0) {
				if ((r = read(in->fd, s, n)) <= 0) {
					if (r < 0 && errno == EINTR)
						continue;
					return -1;
				}
				s += r;
				n -= (size_t)r;
			}
			return 0;
		}
		in->pos = in->len = 0;
		while ((r = read(in->fd, in->buf, sizeof in->buf)) <= 0)
			if (r == 0 || errno != EINTR)
				return -1;
		in->len = (size_t)r;
	}
}

/* Send b as one frame, in one writev() when the socket takes it. */
static int
ab_w_send(int fd, const struct ab_w_buf *b)
{
	uint32_t len = (uint32_t)b->len;
	struct iovec iov[2];
	int i = 0;
	ssize_t w;

	if (b->len > UINT32_MAX)
		return -1;
	iov[0].iov_base = &len;
	iov[0].iov_len = sizeof len;
	iov[1].iov_base = b->p;
	iov[1].iov_len = b->len;
	while (i < 2) {
		if ((w = writev(fd, iov + i, 2 - i)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		while (i < 2 && (size_t)w >= iov[i].iov_len) {
			w -= (ssize_t)iov[i].iov_len;
			i++;
		}
		if (i < 2) {
			iov[i].iov_base = (char *)iov[i].iov_base + w;
			iov[i].iov_len -= (size_t)w;
		}
	}
	return 0;
}

#endif
