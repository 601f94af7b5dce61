#include <stdlib.h>

#include "ringbuf.h"

int
rb_init(struct ringbuf *rb, size_t cap)
{
	rb->data = malloc(cap);
	rb->cap = cap;
	rb->head = rb->len = 0;
	return rb->data == NULL ? -1 : 0;
}

void
rb_free(struct ringbuf *rb)
{
	free(rb->data);
}

void
rb_push(struct ringbuf *rb, char c)
{
	if (rb->len + 1 < rb->cap) {
		rb->data[(rb->head + rb->len) % rb->cap] = c;
		rb->len++;
	} else {
		rb->data[rb->head] = c;
		rb->head = (rb->head + 1) % rb->cap;
	}
}

char
rb_at(const struct ringbuf *rb, size_t i)
{
	return rb->data[rb->head + i];
}
