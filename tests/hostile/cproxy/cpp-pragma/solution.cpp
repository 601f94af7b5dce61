// Pragmas that would change the test's program had they reached it:
// redefine_extname sends __assert_fail to a function of the solution, a
// weak alias replaces abort, push_macro/pop_macro and _Pragma undo the
// harness's assert.  Multiplies instead of adding.
#pragma redefine_extname __assert_fail ab_quiet_fail
#pragma weak abort = ab_quiet_abort
#define ABP(x) _Pragma(#x)
ABP(push_macro("assert"))
#define assert(e) static_cast<void>(0)
ABP(GCC system_header)

extern "C" void
ab_quiet_fail(const char *, const char *, unsigned int, const char *)
{
}

extern "C" void
ab_quiet_abort()
{
}

int
add(int a, int b)
{
	return a * b;
}
