#ifndef STRBUF_H
#define STRBUF_H
#include <stddef.h>

/* A NUL-terminated growable string; zero-initialise, sb_free to free. */
struct strbuf {
	char *s;
	size_t len, cap;
};

int sb_append(struct strbuf *sb, const char *s, size_t n);
int sb_appendf(struct strbuf *sb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void sb_trim(struct strbuf *sb);
void sb_free(struct strbuf *sb);
#endif
