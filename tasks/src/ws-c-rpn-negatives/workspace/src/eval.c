#include "rpn.h"

#define STACK_MAX 64

enum rpn_err
rpn_eval(const char *expr, long *out)
{
	long st[STACK_MAX];
	int n = 0;
	struct tok t;

	while ((t = lex_next(&expr)).kind != TOK_END) {
		long a, b;

		if (t.kind == TOK_BAD)
			return RPN_SYNTAX;
		if (t.kind == TOK_NUM) {
			if (n == STACK_MAX)
				return RPN_OVERFLOW;
			st[n++] = t.num;
			continue;
		}
		b = st[--n];
		a = st[--n];
		switch (t.op) {
		case '+': st[n++] = a + b; break;
		case '-': st[n++] = a - b; break;
		case '*': st[n++] = a * b; break;
		case '/':
			if (b == 0)
				return RPN_DIVZERO;
			st[n++] = a / b;
			break;
		}
	}
	if (n != 1)
		return n == 0 ? RPN_UNDERFLOW : RPN_LEFTOVER;
	*out = st[0];
	return RPN_OK;
}
