#!/bin/sh
# The declarations view of C and C++ solutions (lib/cproxy, cproxy.h), on
# its own: what reaches the checker of an assertion test and what does
# not.  Runs the fuzz target in its print mode (no sandbox needed): the
# first line "//uses: NAMES" stands for the test code; the entry point
# is "f".
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1
FZ=$TOP/tests/fuzz/fuzz-cproxy

# view LANG NAME: the view of NAME.src as NAME.decls, NAME.proxies,
# NAME.server and NAME.notes (it also runs the fuzz target's checks).
view() {
	AB_CPROXY_PRINT=$1 "$FZ" "$2.src" >"$2.all" 2>"$2.err"
	_rc=$?
	awk -v n="$2" '/^==== /{ f = n "." $2; next } { print > f }' "$2.all"
	for _s in decls proxies server notes; do
		[ -f "$2.$_s" ] || : >"$2.$_s"
	done
	if [ "$_rc" = 0 ]; then ok "$2: the view is made ($1)"
	else not_ok "$2: the view is made ($1, exit $_rc)"; diag "$(cat "$2.err")"; fi
}

# ---- directives: only plain system headers; no macro reaches the checker
cat >dir.src <<'EOF'
//uses: f add
#include <stdio.h>
#include <sys/types.h>
#include "local.h"
#include </etc/passwd>
#include <../../etc/shadow>
#include HEADER
#define add(a, b) ((a) + (b))
#define NDEBUG 1
#pragma redefine_extname __assert_fail quiet
_Pragma("GCC poison assert")
%:define N 4
#if 0
int f(int don't) { return 1; }
#endif
int f(int a) { return a; }
EOF
view c dir
expect_contains dir.decls "#include <stdio.h>" "a system header is kept"
expect_contains dir.decls "#include <sys/types.h>" "... with its directory"
for bad in local.h /etc/passwd shadow HEADER define NDEBUG pragma poison \
    _Pragma; do
	expect_not_contains dir.decls "$bad" "not carried: $bad"
done
expect_contains dir.notes "3 #defines are not carried" "the dropped macros are noted"
expect_contains dir.notes "4 #includes of a file that is not a plain system header" \
    "... and the dropped includes"
expect_contains dir.decls "int f ( int ab_p0 )" "#if 0 is skipped, whatever it holds"

# ---- code never crosses: bodies, attributes, asm labels, globals
cat >code.src <<'EOF'
//uses: f g h counter
static int counter = 3;
__attribute__((constructor)) static void early(void) { counter = 7; }
int f(int x) __asm__("ab_k_hello");
int f(int x) { return x + body_marker_one(counter); }
int g(int x) __attribute__((alias("f")));
__attribute__((noinline, destructor)) int h(const char *s) { return s[0] == 'b' ? body_marker_two : 0; }
[[gnu::constructor]] static void late(void) {}
EOF
view c code
for bad in body_marker counter early late alias constructor destructor \
    noinline ab_k_hello; do
	expect_not_contains code.decls "$bad" "no code of the solution: $bad"
	expect_not_contains code.proxies "$bad" "... nor in the proxies: $bad"
done
expect_not_contains code.decls "{" "no brace in the view of functions"
expect_contains code.decls "int f ( int ab_p0 ) __asm__ ( \"ab_k_px_f\" )" \
    "a function becomes the prototype of its proxy, under the proxy's label"
expect_contains code.decls "int h ( const char * ab_p0 )" "... attributes dropped"
expect_not_contains code.decls " g (" "a declaration without a body is not a function"
expect_contains code.notes "a global variable or constant is not carried" "globals are noted"

# ---- types: kept when they cannot run code
cat >types.src <<'EOF'
//uses: f
typedef struct { int x, y; _Bool on; } point;
struct box { point lo, hi; unsigned flags : 3; };
union num { int i; float v; };
enum color { RED, GREEN = 'g', BLUE = sizeof(point) * 2 };
typedef int (*callback)(int);
typedef long row[4];
struct list { int v; struct list *next; };
struct call { int a[f(1)]; };
struct init { int a; } g = { 1 };
enum bad { X = f(2) };
enum inc { Y = 1, Z = Y++ };
typedef int vla[sizeof(struct box)];
int f(int n) { return n; }
EOF
view c types
for t in "typedef struct { int x , y ; _Bool on ; } point ;" \
    "struct box { point lo , hi ; unsigned flags : 3 ; } ;" \
    "union num { int i ; float v ; } ;" \
    "enum color { RED , GREEN = 'g' , BLUE = sizeof ( point ) * 2 } ;" \
    "typedef int ( * callback ) ( int ) ;" "typedef long row [ 4 ] ;" \
    "struct list { int v ; struct list * next ; } ;" \
    "struct init { int a ; } ;"; do
	expect_contains types.decls "$t" "kept: $t"
done
for bad in "struct call" "enum bad" "enum inc" "} g"; do
	expect_not_contains types.decls "$bad" "dropped: $bad (a call, an increment, a variable)"
done
expect_contains types.notes "a type is not carried (a call)" "a call in a type is noted"
expect_contains types.proxies "point: 1" "a struct without pointers is carried by value"
expect_not_contains types.proxies "struct list: 1" "... one with a pointer is not"
expect_contains types.proxies "ab_k_ok_r0" "a struct with a bool gets a validator"

# ---- parameters and returns
cat >params.src <<'EOF'
//uses: f a b c d e g h i j k l m
int a(int v[static 3], const char s[]) { return 0; }
void b(double (*m)[4], int n) {}
char *c(const char *s) { return 0; }
int *d(void) { return 0; }
int e(int n, ...) { return n; }
int g(int (*cb)(int)) { return 0; }
int h(char **argv) { return 0; }
int i(void *p) { return 0; }
static inline _Noreturn void j(register int x) { for (;;) ; }
extern const unsigned long long k(const signed char c, volatile short *p) { return 0; }
int l(x) int x; { return x; }
int m(struct { int q; } s) { return 0; }
int f(int x) { return x; }
EOF
view c params
expect_contains params.decls "int a ( int * ab_p0, const char * ab_p1 )" \
    "array parameters become pointers (their bounds are dropped)"
expect_contains params.decls "void b ( double ( * ab_p0 ) [ 4 ], int ab_p1 )" \
    "a pointer to arrays keeps its inner bound"
expect_contains params.decls "char * c ( const char * ab_p0 )" "a char * return is a string"
expect_contains params.decls "void j ( int ab_p0 )" "storage and function specifiers go"
expect_contains params.decls "const unsigned long long k ( signed char ab_p0, volatile short * ab_p1 )" \
    "top-level qualifiers of a value go, those of a pointee stay"
for f in d e g h i l m; do
	expect_not_contains params.decls " $f (" "not carried: $f"
done
for n in "pointer return type" "variadic" "function pointer parameter" \
    "pointer to a pointer" "void pointer"; do
	expect_contains params.notes "$n" "noted: $n"
done

# ---- what is carried: only what the tests name; library names; overloads
cat >names.src <<'EOF'
//uses: used strcmp twice abs
int used(int x) { return x; }
int unused(int x) { return x; }
int strcmp(const char *a, const char *b) { return 0; }
int abs(int x) { return x; }
int twice(int x) { return 2 * x; }
int twice(int x) { return 2 * x; }
int main(void) { return 0; }
EOF
view c names
expect_contains names.decls " used (" "a function the tests name is carried"
expect_not_contains names.decls " unused (" "one they do not name is not"
expect_not_contains names.decls "strcmp" "a C library name is not carried"
expect_contains names.notes "strcmp is named like a function of the C library" "... and noted"
expect_contains names.decls " twice (" "the same definition twice is one function"
expect_not_contains names.decls "main" "main is never carried"
printf '//uses: f\nint f(int x) { return x; }\nint f(double x) { return 0; }\n' >over.src
view c over
expect_not_contains over.decls " f (" "an overloaded name is not carried"
expect_contains over.notes "f is defined more than once" "... and noted"

# ---- lexing: raw strings, digraphs, splices, comments in directives
cat >lex.src <<'EOF'
//uses: f g h
const char *r = R"x( } int g(int a) { return 0; } )x";
const char *s = "} int h(void) { ";
int dig(int a) <% return a<:0:>; %>
#define X /* a comment
  spanning */ int h(void);
int f\
(int a) { return a; }
int g(int a) { return a; }
int h(int a) { return a; }
EOF
view c lex
expect_contains lex.decls "int f ( int ab_p0 )" "a spliced line is one line"
expect_contains lex.decls "#line 7 " "... numbered from its start"
expect_contains lex.decls "int g ( int ab_p0 )" "a function in a raw string is not one"
expect_contains lex.decls "int h ( int ab_p0 )" "a directive ends after its comment"
expect_not_contains lex.decls "void" "nothing of the strings or the directive"

# ---- C++: plain structs only, using, templates, namespaces, defaults
cat >cpp.src <<'EOF'
//uses: f g h k m n P Q R S T U
#include <string>
#include <vector>
using namespace std;
using std::string;
using ll = long long;
using E = decltype(1);
namespace hidden { int f(int x) { return x; } }
template <class T> T tmax(T a, T b) { return a; }
struct P { int x; std::string s; vector<int> v; };
struct Q { int x = 3; };
struct R : P { int y; };
class S { public: int m() { return 1; } };
struct T { int m() const; };
struct U { int &r; };
extern "C" { int f(int a) { return a; } }
auto g(int a) -> int { return a; }
int h(int a, int b = -2, string s = "x", const char *p = nullptr) { return a; }
int k(int a, int b = tmax(1, 2)) { return a; }
vector<pair<int, string>> m(const map<string, vector<int>> &x, bool &ok) { return {}; }
bool operator<(const P &a, const P &b) { return a.x < b.x; }
int n(P p) { return p.x; }
EOF
view cpp cpp
for t in "#include <string>" "using namespace std ;" "using std :: string ;" \
    "using ll = long long ;" \
    "struct P { int x ; std :: string s ; vector < int > v ; } ;" \
    "int f ( int ab_p0 )" \
    "int h ( int ab_p0, int ab_p1 = - 2, string ab_p2 = \"x\", const char * ab_p3 = nullptr )" \
    "vector < pair < int , string >> m ( const map < string , vector < int >> & ab_p0, bool & ab_p1 )" \
    "int n ( P ab_p0 )"; do
	expect_contains cpp.decls "$t" "C++ kept: $t"
done
for bad in decltype hidden tmax "struct Q" "struct R" "class S" "struct T" \
    "struct U" operator " g (" " k ("; do
	expect_not_contains cpp.decls "$bad" "C++ not carried: $bad"
done
expect_contains cpp.proxies "ab_wire::io<P, void>" "a plain struct is carried member by member"
expect_contains cpp.server "static_cast<int (*)(P)>(&n)" "the server takes the function at the declared type"

# ---- object-like type macros: expanded as the preprocessor would
cat >mac.src <<'EOF'
//uses: f g h k m n q r s u
#include <vector>
using namespace std;
#define int long long
#define vi vector<int>
#define pii pair<int,int>
#define MAXN 100
#define uint unsigned
#define REF &
#define all(x) (x).begin(), (x).end()
struct S { int a[MAXN + 1]; pii p; };
int f(const vi REF a) { return 0; }
uint g(pii p) { return 0; }
#undef vi
#define vi vector<short>
vi h(vi v) { return v; }
#undef int
int k(int x) { return x; }
int m(later x) { return 0; }
#define later long
#define self self
typedef int self;
self n(self x) { return x; }
#define ping pong
#define pong ping
typedef int ping;
int q(ping x) { return x; }
EOF
view cpp mac
for t in "struct S { long long a [ 100 + 1 ] ; pair < long long , long long > p ; } ;" \
    "long long f ( const vector < long long > & ab_p0 )" \
    "unsigned g ( pair < long long , long long > ab_p0 )" \
    "vector < short > h ( vector < short > ab_p0 )" \
    "int k ( int ab_p0 )" "int m ( later ab_p0 )" "self n ( self ab_p0 )" \
    "int q ( ping ab_p0 )"; do
	expect_contains mac.decls "$t" "expanded: $t"
done
expect_contains mac.server "static_cast<long long (*)(const vector < long long > &)>(&f)" \
    "the stub takes the function at its expanded type"
for n in int vi pii MAXN uint REF all later self ping pong; do
	expect_contains mac.server "#undef $n" "the stub undefines the solution's $n first"
done
expect_contains mac.notes "12 #defines are not carried (the checker sees no macro of the solution, only the expansions of its type macros)" \
    "the macros are noted, with the expansions"

# what is not expanded is never kept, and the note names the macro
cat >nomac.src <<'EOF'
//uses: f a b c d e g h i j k l o p
#define SZ (8 / 2)
#define STR "x"
#define CODE 4] = {}; int x = f(); int y[1
#define BODY ) { return 0; } int z(int
#define ASM int __asm__("ab_k_px_f")
#define ATTR __attribute__((constructor))
#define FN(x) x
#define INIT = 3
#define FLT 1.5
#define CHR 'a'
#define LONG a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a
#ifdef LOCAL
#define COND long
#endif
#define HIDE FN
struct A { int v[SZ]; };
struct B { int v[CODE]; };
int a(int v[SZ]) { return 0; }
int b(int x BODY y) { return 0; }
ASM c(int x) { return 0; }
ATTR int d(void) { return 0; }
int e(FN(int) x) { return 0; }
int g(int x INIT) { return 0; }
int h(int v[(int)FLT]) { return 0; }
int i(int v[CHR]) { return 0; }
int j(LONG x) { return 0; }
int k(COND x) { return 0; }
int l(HIDE(int) x) { return 0; }
int o(STR x) { return 0; }
int FN(p)(int x) { return 0; }
int f(int FN) { return FN; }
EOF
view c nomac
for bad in "struct A" "struct B" " a (" " b (" " c (" " d (" " e (" " g (" \
    " h (" " i (" " j (" " k (" " l (" " o (" " p (" \
    constructor "= 3" "8 / 2"; do
	expect_not_contains nomac.decls "$bad" "a macro not expanded is not kept: $bad"
done
expect_contains nomac.decls "int f ( int ab_p0 )" \
    "a function-like macro's name not before \"(\" is a plain name"
for n in "the macro SZ, which is not expanded: its body has an operator or a punctuator" \
    "the macro CODE, which is not expanded" "the macro BODY, which is not expanded" \
    "the macro ASM, which is not expanded: its body has a word that is not kept" \
    "the macro ATTR, which is not expanded: its body has a word that is not kept" \
    "the macro FN, which is not expanded: it has parameters" \
    "the macro INIT, which is not expanded" \
    "the macro FLT, which is not expanded: its body has a number that is not an integer" \
    "the macro CHR, which is not expanded: its body has a literal" \
    "the macro LONG, which is not expanded: its body is longer than 32 tokens" \
    "the macro COND, which is not expanded: it is defined in a conditional group" \
    "the macro STR, which is not expanded"; do
	expect_contains nomac.notes "$n" "noted: $n"
done

# bounds of the expansion: depth, and work that grows at each level
{
	echo '//uses: f g'
	i=0
	while [ $i -lt 20 ]; do echo "#define D$i D$((i + 1))"; i=$((i + 1)); done
	echo '#define D20 int'
	echo '#define E0'
	i=0
	while [ $i -lt 12 ]; do echo "#define E$((i + 1)) E$i E$i E$i E$i"; i=$((i + 1)); done
	echo 'int f(D0 x) { return 0; }'
	echo 'int g(int x E12) { return 0; }'
} >deep.src
view c deep
expect_not_contains deep.decls " f (" "a use nested deeper than 16 is not expanded"
expect_not_contains deep.decls " g (" "... nor one that takes too many steps"
expect_contains deep.notes "the macro D0, which is not expanded: its expansion is too deep or too long" \
    "... and noted"

# C: "#define int long long" in the stub's type check
printf '//uses: f\n#define int long long\nint f(int x) { return x; }\n' >cint.src
view c cint
expect_contains cint.decls "long long f ( long long ab_p0 )" "C: a keyword redefined is expanded"
expect_contains cint.server "typedef long long (*ab_s_t0)(long long);" \
    "... and the stub checks the expanded type"
expect_contains cint.server "#undef int" "... after undefining the macro"

# ---- C++ held unions (MultiPL-E's tagless unions): a stand-in, no code
# (the fuzz target gives the solution itself as the task's prompt)
cat >held.src <<'EOF'
//uses: f
#include<assert.h>
#include<bits/stdc++.h>
union Union_std_string_long{
    std::string f0;
    long f1;    Union_std_string_long(std::string _f0) : f0(_f0) {}
    Union_std_string_long(long _f1) : f1(_f1) { std::exit(0); }
    ~Union_std_string_long() {}
    bool operator==(std::string f) {
        return f0 == f ;
    }    bool operator==(long f) {
        return f1 == f ;
    }
};
Union_std_string_long f(long n) { return n; }
EOF
view cpp held
expect_contains held.decls "	std::uint64_t ab_id_;" "a held union: a stand-in holding the value's index"
expect_contains held.decls "	bool operator==(std :: string ab_p0);" "... its member functions declared"
expect_contains held.decls "	Union_std_string_long(long ab_p0);" "... and its constructors"
expect_not_contains held.decls "f0" "... none of its members"
expect_not_contains held.decls "exit" "... none of its code"
expect_contains held.proxies 'ab_k::call ab_c(4, "Union_std_string_long::operator==");' \
    "... the member functions are proxies"
expect_contains held.server "return ab_o.p->operator==(static_cast<decltype(ab_p0) &&>(ab_p0));" \
    "... calling the solution's own in the server"
{
	echo '//uses: f'
	echo 'bool operator==(const std::string &, const std::string &);'
	sed -n '/^union/,$p' held.src
} >late.src
view cpp late
expect_not_contains late.decls "union" "a union after another declaration is not held"
expect_contains late.notes "a union with member functions after other declarations" "... and noted"

# ---- bounds
head -c 600000 /dev/zero | tr '\0' ' ' >big.src
printf 'int f(int x) { return x; }\n' >>big.src
view c big
expect_contains big.notes "too long for the declarations view" "a huge solution gets no view"
expect_not_contains big.decls " f (" "... and nothing in it"
done_testing
