/*
 * instant-server.c - an HTTP/1.1 server for ab-gen's benchmark that
 * answers every POST at once with a fixed OpenAI chat completion (as
 * server-sent events when the request asks for a stream).  One thread,
 * epoll, keep-alive, so that it is never the bottleneck.
 *
 * usage: instant-server PORTFILE LIFETIME_S
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAXC 4096

struct conn {
	char *buf;
	size_t len, cap;
};

static const char whole_body[] =
    "{\"id\":\"c1\",\"object\":\"chat.completion\",\"model\":\"bench\","
    "\"choices\":[{\"index\":0,\"finish_reason\":\"stop\",\"message\":"
    "{\"role\":\"assistant\",\"content\":\"```python\\ndef f(x):\\n"
    "    return x + 1\\n```\\n\"}}],\"usage\":{\"prompt_tokens\":42,"
    "\"completion_tokens\":12,\"total_tokens\":54}}";
static const char stream_body[] =
    "data: {\"model\":\"bench\",\"choices\":[{\"index\":0,\"delta\":"
    "{\"content\":\"```python\\ndef f(x):\\n\"}}]}\n\n"
    "data: {\"model\":\"bench\",\"choices\":[{\"index\":0,\"delta\":"
    "{\"content\":\"    return x + 1\\n```\\n\"},\"finish_reason\":"
    "\"stop\"}]}\n\n"
    "data: {\"model\":\"bench\",\"choices\":[],\"usage\":"
    "{\"prompt_tokens\":42,\"completion_tokens\":12}}\n\n"
    "data: [DONE]\n\n";

static char whole_resp[2048], stream_resp[2048];
static size_t whole_len, stream_len;

static void
prepare(void)
{
	whole_len = (size_t)snprintf(whole_resp, sizeof whole_resp,
	    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
	    "Content-Length: %zu\r\n\r\n%s", strlen(whole_body), whole_body);
	stream_len = (size_t)snprintf(stream_resp, sizeof stream_resp,
	    "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
	    "Content-Length: %zu\r\n\r\n%s", strlen(stream_body),
	    stream_body);
}

/* Answer every complete request in c; -1 to close. */
static int
serve(int fd, struct conn *c)
{
	char *end, *p, *body;
	size_t hlen, clen, total;
	const char *resp;
	size_t rlen, off;
	ssize_t n;

	for (;;) {
		end = memmem(c->buf, c->len, "\r\n\r\n", 4);
		if (end == NULL)
			return 0;
		hlen = (size_t)(end - c->buf) + 4;
		clen = 0;
		for (p = c->buf; p < end; p++) {
			if ((*p == '\n') && strncasecmp(p + 1,
			    "content-length:", 15) == 0) {
				clen = strtoul(p + 16, NULL, 10);
				break;
			}
		}
		total = hlen + clen;
		if (c->len < total)
			return 0;
		body = c->buf + hlen;
		if (memmem(body, clen, "\"stream\":true", 13) != NULL)
			resp = stream_resp, rlen = stream_len;
		else
			resp = whole_resp, rlen = whole_len;
		for (off = 0; off < rlen; off += (size_t)n) {
			n = write(fd, resp + off, rlen - off);
			if (n < 0) {
				if (errno == EAGAIN || errno == EINTR) {
					n = 0;
					continue;
				}
				return -1;
			}
		}
		memmove(c->buf, c->buf + total, c->len - total);
		c->len -= total;
	}
}

int
main(int argc, char *argv[])
{
	struct sockaddr_in sa;
	struct epoll_event ev, evs[256];
	static struct conn conns[MAXC];
	socklen_t sl = sizeof sa;
	int ls, ep, i, n, fd, one = 1;
	FILE *fp;
	char tmp[4096];

	if (argc != 3)
		return 2;
	prepare();
	alarm((unsigned)strtoul(argv[2], NULL, 10));
	ls = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(ls, (struct sockaddr *)&sa, sizeof sa) < 0 ||
	    listen(ls, 1024) < 0 ||
	    getsockname(ls, (struct sockaddr *)&sa, &sl) < 0) {
		perror("instant-server");
		return 1;
	}
	snprintf(tmp, sizeof tmp, "%s.tmp", argv[1]);
	if ((fp = fopen(tmp, "w")) == NULL)
		return 1;
	fprintf(fp, "%d\n", ntohs(sa.sin_port));
	fclose(fp);
	rename(tmp, argv[1]);
	ep = epoll_create1(EPOLL_CLOEXEC);
	ev.events = EPOLLIN;
	ev.data.fd = ls;
	epoll_ctl(ep, EPOLL_CTL_ADD, ls, &ev);
	for (;;) {
		n = epoll_wait(ep, evs, 256, -1);
		for (i = 0; i < n; i++) {
			fd = evs[i].data.fd;
			if (fd == ls) {
				while ((fd = accept4(ls, NULL, NULL,
				    SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
					if (fd >= MAXC) {
						close(fd);
						continue;
					}
					setsockopt(fd, IPPROTO_TCP, TCP_NODELAY,
					    &one, sizeof one);
					conns[fd].len = 0;
					ev.events = EPOLLIN;
					ev.data.fd = fd;
					epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
				}
				continue;
			}
			for (;;) {
				struct conn *c = &conns[fd];
				ssize_t r;

				if (c->cap - c->len < 4096) {
					c->cap = c->cap ? c->cap * 2 : 16384;
					c->buf = realloc(c->buf, c->cap);
					if (c->buf == NULL)
						return 1;
				}
				r = read(fd, c->buf + c->len, c->cap - c->len);
				if (r > 0) {
					c->len += (size_t)r;
					continue;
				}
				if (r < 0 && (errno == EAGAIN ||
				    errno == EINTR)) {
					if (serve(fd, c) < 0) {
						close(fd);
						c->len = 0;
					}
					break;
				}
				close(fd);
				c->len = 0;
				break;
			}
		}
	}
}
