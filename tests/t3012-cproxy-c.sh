#!/bin/sh
# ab-exec: C assertion tests run the test code in a checker apart from
# the solution, calling its functions through proxies (cproxy.h): what a
# proxy carries (numbers of every width, bool, char, strings, arrays and
# out-parameters written back, structs by value), what it refuses (an
# object whose size it cannot tell, a declaration it cannot keep) and
# with which verdict, and that the checker's source holds no code of the
# solution.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-exec.sh"
need_sandbox
cd "$T" || exit 1

python3 - >recs.ndjson <<'PY'
import json

def rec(rid, code, tests, entry, extra=None):
    t = {"id": rid, "language": "c", "entry_point": entry,
         "tests": [{"style": "assert", "code": c} for c in tests]}
    t.update(extra or {})
    print(json.dumps({"id": rid + "/c/0", "run": "r1", "task": t,
        "config": {"name": "c", "hash": "h"}, "sample": 0,
        "gen": {"text": code, "error": None},
        "extract": {"code": code, "error": None}}))

# Numbers of every width, both signs, the extremes; floating point.
rec("scalars", r'''
#include <stdint.h>
#include <stdbool.h>
#include <limits.h>
int8_t neg8(int8_t x) { return (int8_t)-x; }
uint8_t inc8(uint8_t x) { return (uint8_t)(x + 1); }
short twice16(short x) { return (short)(2 * x); }
unsigned short max16(unsigned short a, unsigned short b) { return a > b ? a : b; }
int32_t sub32(int32_t a, int32_t b) { return a - b; }
unsigned int half32(unsigned int x) { return x / 2; }
long long mul64(long long a, long long b) { return a * b; }
uint64_t top64(uint64_t x) { return x >> 60; }
size_t len3(size_t a, size_t b, size_t c) { return a + b + c; }
float fhalf(float x) { return x / 2; }
double dmix(double a, float b, long double c) { return a + b + (double)c; }
long double lmul(long double a, long double b) { return a * b; }
bool is_even(long x) { return x % 2 == 0; }
_Bool both(_Bool a, bool b) { return a && b; }
char upper(char c) { return c >= 'a' && c <= 'z' ? (char)(c - 32) : c; }
unsigned char lowbyte(unsigned int x) { return (unsigned char)x; }
signed char sneg(signed char c) { return (signed char)-c; }
''', ['assert(neg8(-128) == -128 && neg8(5) == -5 && inc8(255) == 0);',
      'assert(twice16(-16384) == -32768 && max16(65535, 1) == 65535);',
      'assert(sub32(INT32_MIN + 1, 1) == INT32_MIN && half32(4294967295u) == 2147483647u);',
      'assert(mul64(-4000000000LL, 2) == -8000000000LL && top64(UINT64_MAX) == 15);',
      'assert(len3((size_t)-1, 1, 0) == 0);',
      'assert(fhalf(3.0f) == 1.5f && dmix(0.5, 0.25f, 0.125L) == 0.875);',
      'assert(lmul(1.5L, 2.0L) == 3.0L);',
      'assert(is_even(-4) && !is_even(3) && both(1, 1) && !both(1, 0));',
      "assert(upper('q') == 'Q' && upper('!') == '!' && lowbyte(0x1234) == 0x34 && sneg(-128) == -128);"],
    "neg8")

# Strings, arrays with their length, out-parameters, char buffers,
# pointers to arrays; NULL stays NULL.
rec("pointers", r'''
#include <stddef.h>
#include <string.h>
#include <stdlib.h>
size_t count_char(const char *s, char c) { size_t n = 0; for (; *s; s++) n += *s == c; return n; }
long sum(const int *a, size_t n) { long s = 0; for (size_t i = 0; i < n; i++) s += a[i]; return s; }
int minmax(const double v[], int n, double *lo, double *hi) {
	if (v == NULL || n == 0) return 0;
	*lo = *hi = v[0];
	for (int i = 1; i < n; i++) { if (v[i] < *lo) *lo = v[i]; if (v[i] > *hi) *hi = v[i]; }
	return 1;
}
void reverse(char *s) { size_t n = strlen(s); for (size_t i = 0; i < n / 2; i++) { char t = s[i]; s[i] = s[n - 1 - i]; s[n - 1 - i] = t; } }
int fmt(char *out, size_t cap, int x) { return snprintf(out, cap, "<%d>", x); }
void scale(int (*m)[3], int rows, int k) { for (int r = 0; r < rows; r++) for (int c = 0; c < 3; c++) m[r][c] *= k; }
const char *greet(int formal) { return formal ? "Good day" : NULL; }
char *dup_upper(const char *s) { static char b[64]; size_t i; for (i = 0; s[i] && i < 63; i++) b[i] = (char)(s[i] & ~32); b[i] = 0; return b; }
void set_flags(_Bool *f, int n) { for (int i = 0; i < n; i++) f[i] = i % 2; }
''', ['assert(count_char("banana", \'a\') == 3 && count_char("", \'a\') == 0);',
      'int a[] = {1, 2, 3, -4}; assert(sum(a, 4) == 2 && sum(a + 2, 2) == -1 && sum(NULL, 0) == 0);',
      'double v[] = {2.5, -1, 7}, lo = 0, hi = 0; assert(minmax(v, 3, &lo, &hi) == 1 && lo == -1 && hi == 7); assert(minmax(NULL, 0, &lo, &hi) == 0);',
      'char s[] = "hello"; reverse(s); assert(strcmp(s, "olleh") == 0);',
      'char out[16]; assert(fmt(out, sizeof out, 42) == 4 && strcmp(out, "<42>") == 0); char small[3] = "zz"; assert(fmt(small, 3, 7) == 3 && strcmp(small, "<7") == 0);',
      'int m[2][3] = {{1, 2, 3}, {4, 5, 6}}; scale(m, 2, 10); assert(m[0][0] == 10 && m[1][2] == 60);',
      'assert(strcmp(greet(1), "Good day") == 0 && greet(0) == NULL);',
      'assert(strcmp(dup_upper("abc"), "ABC") == 0);',
      '_Bool f[4] = {1, 1, 1, 1}; set_flags(f, 4); assert(!f[0] && f[1] && !f[2] && f[3]);',
      'size_t n = 1000; int *a = malloc(n * sizeof *a); for (size_t i = 0; i < n; i++) a[i] = 1; assert(sum(a, n) == 1000); free(a);'],
    "sum")

# Structs by value, in and out, with a bool member; enums; typedefs.
rec("structs", r'''
#include <stdbool.h>
typedef struct { int x, y; } point;
struct box { point lo, hi; bool empty; };
enum dir { NORTH, EAST = 5, SOUTH, WEST };
typedef unsigned long ulong;
struct box make_box(point a, point b) {
	struct box r;
	r.lo.x = a.x < b.x ? a.x : b.x; r.lo.y = a.y < b.y ? a.y : b.y;
	r.hi.x = a.x < b.x ? b.x : a.x; r.hi.y = a.y < b.y ? b.y : a.y;
	r.empty = r.lo.x == r.hi.x || r.lo.y == r.hi.y;
	return r;
}
ulong area(const struct box *b) { return b->empty ? 0 : (ulong)(b->hi.x - b->lo.x) * (ulong)(b->hi.y - b->lo.y); }
enum dir turn(enum dir d) { return d == WEST ? NORTH : d == NORTH ? EAST : (enum dir)(d + 1); }
void move(point *p, enum dir d) { if (d == NORTH) p->y++; else if (d == EAST) p->x++; else if (d == SOUTH) p->y--; else p->x--; }
''', ['point a = {3, 1}, b = {0, 4}; struct box x = make_box(a, b); assert(x.lo.x == 0 && x.lo.y == 1 && x.hi.x == 3 && x.hi.y == 4 && !x.empty); assert(area(&x) == 9);',
      'point a = {1, 1}; struct box x = make_box(a, a); assert(x.empty && area(&x) == 0);',
      'assert(turn(NORTH) == EAST && turn(EAST) == SOUTH && turn(WEST) == NORTH);',
      'point p = {0, 0}; move(&p, NORTH); move(&p, WEST); assert(p.x == -1 && p.y == 1);'],
    "make_box")

# Refused: a pointer whose object the checker cannot measure.
rec("extent", r'''
#include <stddef.h>
size_t length(const char *s) { size_t n = 0; while (s[n]) n++; return n; }
''', ['const char *p = getenv("PATH"); assert(length(p) > 0);'], "length")

# Refused: a declaration the view cannot keep (a macro in a type whose
# body is not a type or a plain bound).
rec("view", r'''
#define N (8 / 2)
struct vec { int v[N]; };
int first(struct vec a) { return a.v[0]; }
''', ['struct vec a = {{7, 8, 9, 10}}; assert(first(a) == 7);'], "first")

# Type macros: expanded in the view as the preprocessor would, in
# order (#undef, a new definition), a self-referential one stays.
rec("macros", r'''
#include <stdbool.h>
#define ll long long
#define uint unsigned int
#define MAXN 4
#define VEC struct vec
#define EMPTY
typedef long long wide;
#define wide wide
#define big wide
struct vec { int v[MAXN]; ll total; bool on; };
EMPTY ll sum(VEC a) { ll s = 0; for (int i = 0; i < MAXN; i++) s += a.v[i]; return a.on ? s + a.total : 0; }
uint twice(uint x) { return 2 * x; }
#undef MAXN
#define MAXN 3
int third(int (*a)[MAXN]) { return a[2][2]; }
big widen(big x) { return x * 3; }
''', ['struct vec a = {{1, 2, 3, 4}, 5000000000LL, 1}; assert(sum(a) == 5000000010LL);',
      'assert(twice(2147483648u) == 0u);',
      'int m[3][3] = {{0}, {0}, {0, 0, 9}}; assert(third(m) == 9);',
      'assert(widen(3000000000LL) == 9000000000LL);'], "sum")

# "#define int long long": the proxy and the stub take the expanded type.
rec("intll", r'''
#define int long long
int mul(int a, int b) { return a * b; }
''', ['assert(mul(3000000000LL, 3) == 9000000000LL);'], "mul")

# A macro defined after a declaration does not apply to it.
rec("after", r'''
typedef int num;
int twice(num x) { return 2 * x; }
#define num long long
long long big(num x) { return x + 1; }
''', ['assert(twice(21) == 42 && big(1LL << 40) == (1LL << 40) + 1);'], "twice")

# A solution without the function the tests use: a compile error.
rec("missing", 'int add2(int a, int b) { return a + b; }\n',
    ['assert(add(1, 2) == 3);'], "add")

# The solution crashing, returning an invalid bool, looping.
rec("crash", r'''
#include <stdbool.h>
#include <string.h>
int boom(int *p) { return p[1 << 28]; }
bool liar(int x) { bool b; memset(&b, 2, 1); return x ? b : 0; }
''', ['int a[2] = {0}; assert(boom(a) == 0);', 'assert(liar(1) || !liar(1));'],
    "boom")

# The solution's body, which must not reach the checker.
rec("body", r'''
static int helper_with_a_secret_name(int x) { return x * 3; }
int triple(int x) {
	int marker_in_the_body = 12345;
	(void)marker_in_the_body;
	return helper_with_a_secret_name(x);
}
''', ['assert(triple(2) == 6);'], "triple")
PY
mkdir -p src
run ab-exec -j 2 --sources "$T/src" recs.ndjson
cp "$T/out" exec.ndjson
expect_rc 1 "ab-exec runs the C proxy records (exit 1: internal errors)"
check "one record per input" test "$(wc -l <exec.ndjson)" -eq 11

expect_verdict exec.ndjson scalars ok
expect_tests exec.ndjson scalars "ok ok ok ok ok ok ok ok ok"
expect_verdict exec.ndjson pointers ok
expect_tests exec.ndjson pointers "ok ok ok ok ok ok ok ok ok ok"
expect_verdict exec.ndjson structs ok
expect_verdict exec.ndjson extent internal_error
expect_jq exec.ndjson '.[] | select(.task.id == "extent") | .exec.tests[0].error |
    contains("length: parameter 1: cannot tell the size of the object")' \
    "unknown extent: the error names the function and the parameter"
expect_jq exec.ndjson '.[] | select(.task.id == "extent") | .exec.error.kind == "checker"' \
    "unknown extent: exec.error is the checker's"
expect_verdict exec.ndjson view compile_error
expect_jq exec.ndjson '.[] | select(.task.id == "view") | .exec.tests[0].error |
    startswith("ab-exec cannot call this solution from the tests: the checker could not be built from the solution'"'"'s declarations: ") and
    contains("1 #define is not carried") and
    contains("line 3: a declaration is not carried (the macro N, which is not expanded: its body has an operator")' \
    "a dropped declaration: charged to the solution, naming the line and the macro left out"
expect_jq exec.ndjson '.[] | select(.task.id == "view") | .exec.error == null' \
    "a dropped declaration is not the harness's error"
expect_verdict exec.ndjson macros ok
expect_tests exec.ndjson macros "ok ok ok ok"
expect_verdict exec.ndjson intll ok
expect_verdict exec.ndjson after ok
expect_verdict exec.ndjson missing compile_error
expect_jq exec.ndjson '.[] | select(.task.id == "missing") | .exec.tests[0].error |
    startswith("the tests use add, which the solution does not define")' \
    "a missing function: compile_error naming it"
expect_tests exec.ndjson crash "signaled runtime_error"
expect_jq exec.ndjson '.[] | select(.task.id == "crash") | .exec.tests[0].signal == "SIGSEGV" and
    (.exec.tests[1].error | contains("neither 0 nor 1"))' \
    "a crash is signaled with its signal; an invalid bool is refused"
expect_verdict exec.ndjson body ok

# The checker's source: no code of the solution, only its declarations.
for f in src/*.test.c; do
	case $f in *body*) body=$f ;; esac
done
check "--sources wrote the checker and the server" test -s "$body" -a \
    -s "${body%.test.c}.server.c"
expect_not_contains "$body" "marker_in_the_body" "the checker has no line of the solution's bodies"
expect_not_contains "$body" "helper_with_a_secret_name" "... nor its helpers (the tests do not name them)"
expect_contains "$body" "triple ( int ab_p0 )" "... but the prototype of the function the tests call"
expect_contains "${body%.test.c}.server.c" "marker_in_the_body" "the server has the solution as written"
done_testing
