/* An endless include: the compiler must be bounded like any program. */
#include "/dev/urandom"

int
add(int a, int b)
{
	return a + b;
}
