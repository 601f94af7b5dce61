#ifndef LINES_H
#define LINES_H
#include <stdio.h>
#include "ringbuf.h"

/* Write the last n complete or final lines held in rb to fp. */
void last_lines(const struct ringbuf *rb, size_t n, FILE *fp);
#endif
