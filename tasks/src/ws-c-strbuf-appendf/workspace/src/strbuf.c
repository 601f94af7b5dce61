#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

static int
grow(struct strbuf *sb, size_t need)
{
	char *p;
	size_t cap = sb->cap ? sb->cap : 16;

	if (sb->len + need + 1 <= sb->cap)
		return 0;
	while (cap < sb->len + need + 1)
		cap *= 2;
	if ((p = realloc(sb->s, cap)) == NULL)
		return -1;
	sb->s = p;
	sb->cap = cap;
	return 0;
}

int
sb_append(struct strbuf *sb, const char *s, size_t n)
{
	if (grow(sb, n) < 0)
		return -1;
	memcpy(sb->s + sb->len, s, n);
	sb->len += n;
	sb->s[sb->len] = '\0';
	return 0;
}

void
sb_free(struct strbuf *sb)
{
	free(sb->s);
	sb->s = NULL;
	sb->len = sb->cap = 0;
}
