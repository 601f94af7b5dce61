#ifndef RINGBUF_H
#define RINGBUF_H
#include <stddef.h>

/* A ring of cap bytes; when full, a push drops the oldest byte. */
struct ringbuf {
	char *data;
	size_t cap, head, len;	/* head: index of the oldest byte */
};

int rb_init(struct ringbuf *rb, size_t cap);
void rb_free(struct ringbuf *rb);
void rb_push(struct ringbuf *rb, char c);
/* The i-th oldest byte, 0 <= i < len. */
char rb_at(const struct ringbuf *rb, size_t i);
#endif
