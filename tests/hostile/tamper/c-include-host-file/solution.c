/* Includes a header of the host, outside the sandbox, that would give
 * the right answer: it must not be reachable at compile time. */
#include "@CANARY_DIR@/answer.h"

int
add(int a, int b)
{
	return canary_answer() - 37 + 0 * (a + b) + (a + b == 5 ? 0 : a + b - 5);
}
