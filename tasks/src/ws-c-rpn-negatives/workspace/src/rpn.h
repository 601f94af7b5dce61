#ifndef RPN_H
#define RPN_H

enum tok_kind { TOK_NUM, TOK_OP, TOK_END, TOK_BAD };
struct tok {
	enum tok_kind kind;
	long num;	/* TOK_NUM */
	char op;	/* TOK_OP: one of + - * / */
};

/* The next token of *s, advancing *s past it. */
struct tok lex_next(const char **s);

enum rpn_err { RPN_OK, RPN_UNDERFLOW, RPN_LEFTOVER, RPN_DIVZERO, RPN_SYNTAX, RPN_OVERFLOW };
/* Evaluate expr into *out. */
enum rpn_err rpn_eval(const char *expr, long *out);
#endif
