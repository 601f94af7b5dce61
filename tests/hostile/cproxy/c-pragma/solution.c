/* Pragmas that would change the test's program had they reached it:
 * redefine_extname sends __assert_fail and strcmp to functions of the
 * solution, weak aliases and push_macro replace exit and assert, and
 * _Pragma does the same from inside a macro.  Multiplies instead of
 * adding. */
#include <stddef.h>

#pragma redefine_extname __assert_fail ab_quiet_fail
#pragma redefine_extname strcmp ab_equal
#pragma weak exit = ab_quiet_exit
#pragma push_macro("assert")
#define ABP(x) _Pragma(#x)
ABP(redefine_extname abort ab_quiet_exit)
_Pragma("GCC diagnostic ignored \"-Wall\"")

void
ab_quiet_fail(const char *e, const char *f, unsigned int l, const char *fn)
{
	(void)e; (void)f; (void)l; (void)fn;
}

int
ab_equal(const char *a, const char *b)
{
	(void)a; (void)b;
	return 0;
}

void
ab_quiet_exit(int s)
{
	(void)s;
}

#define assert(e) ((void)0)

int
add(int a, int b)
{
	return a * b;
}
