/* tap.h - tiny TAP output for the hidden tests. */
#include <stdio.h>
static int tap_n, tap_fail;
#define CHECK(name, cond) do { tap_n++; if (cond) printf("ok %d - %s\n", tap_n, name); \
	else { tap_fail++; printf("not ok %d - %s\n", tap_n, name); } fflush(stdout); } while (0)
#define DONE() (printf("1..%d\n", tap_n), tap_fail != 0)
