#include <ctype.h>
#include <stdlib.h>

#include "rpn.h"

struct tok
lex_next(const char **s)
{
	struct tok t = { TOK_END, 0, 0 };
	const char *p = *s;
	char *end;

	while (isspace((unsigned char)*p))
		p++;
	if (*p == '\0') {
		*s = p;
		return t;
	}
	if (*p == '+' || *p == '-' || *p == '*' || *p == '/') {
		t.kind = TOK_OP;
		t.op = *p++;
	} else if (isdigit((unsigned char)*p)) {
		t.kind = TOK_NUM;
		t.num = strtol(p, &end, 10);
		p = end;
	} else {
		t.kind = TOK_BAD;
		p++;
	}
	*s = p;
	return t;
}
