/* Smuggles code through type macros: were the body of N pasted into the
 * checker with the typedef that uses it, the checker would define a
 * global whose initializer ends it with status 0 before any test ran;
 * M does the same with a member's initializer ("= f()").  The view
 * expands only bodies that spell a type or a bound, so the typedef and
 * the struct are left out; add itself multiplies: only the smuggled code
 * could pass the test. */
#include <cstdlib>
#define N 4]; int ab_hijack = (std::_Exit(0), 0); typedef int ab_pad[1
#define M 1]; int ab_x = (std::_Exit(0), 0); int ab_y[1
typedef int row[N];
struct S { int a[M]; };
int
add(int a, int b)
{
	return a * b;
}
