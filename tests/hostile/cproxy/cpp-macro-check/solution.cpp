// Rewrites the checks after its own definitions: every call of add in
// the test becomes the right sum, == is always true, and assert() never
// fails.  The function itself multiplies: only the macros could pass.
#include <cassert>

int
add(int a, int b)
{
	return a * b;
}

#define add(a, b) ((a) + (b))
#undef assert
#define assert(e) static_cast<void>(0)
#define NDEBUG 1
