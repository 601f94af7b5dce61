#include <stdio.h>

#include "rpn.h"

int
main(int argc, char **argv)
{
	static const char *const msg[] = { "ok", "too few operands",
	    "too many operands", "division by zero", "syntax error",
	    "expression too deep" };
	long v;
	enum rpn_err e;

	if (argc != 2) {
		fprintf(stderr, "usage: rpn 'EXPR'\n");
		return 2;
	}
	if ((e = rpn_eval(argv[1], &v)) != RPN_OK) {
		fprintf(stderr, "rpn: %s\n", msg[e]);
		return 1;
	}
	printf("%ld\n", v);
	return 0;
}
