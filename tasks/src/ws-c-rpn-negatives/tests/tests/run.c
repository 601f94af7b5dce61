#include "rpn.h"
#include "tap.h"

static int
is(const char *e, enum rpn_err want, long v)
{
	long got = -999;
	enum rpn_err r = rpn_eval(e, &got);

	return r == want && (want != RPN_OK || got == v);
}

int
main(void)
{
	const char *s = "-12 - -x";
	struct tok t;

	CHECK("plain", is("3 4 + 2 *", RPN_OK, 14));
	CHECK("negative operand", is("3 -4 *", RPN_OK, -12));
	CHECK("minus operator then negative", is("10 -3 -", RPN_OK, 13));
	CHECK("minus without space after a number", is("5 2 -", RPN_OK, 3));
	t = lex_next(&s);
	CHECK("lex -12", t.kind == TOK_NUM && t.num == -12);
	t = lex_next(&s);
	CHECK("lex lone -", t.kind == TOK_OP && t.op == '-');
	t = lex_next(&s);
	CHECK("lex -x is bad", t.kind == TOK_BAD || (t.kind == TOK_OP && lex_next(&s).kind == TOK_BAD));
	CHECK("underflow", is("1 +", RPN_UNDERFLOW, 0));
	CHECK("underflow on empty stack", is("+", RPN_UNDERFLOW, 0));
	CHECK("empty expression", is("", RPN_UNDERFLOW, 0));
	CHECK("leftover", is("1 2", RPN_LEFTOVER, 0));
	CHECK("division by zero", is("1 0 /", RPN_DIVZERO, 0));
	return DONE();
}
