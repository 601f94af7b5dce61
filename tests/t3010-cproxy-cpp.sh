#!/bin/sh
# ab-exec: C++ assertion tests run the test code in a checker apart from
# the solution, calling its functions through proxies (cproxy.h): the
# standard containers and plain structs carried by value, references and
# pointers written back, exceptions rethrown, default arguments, tagless
# unions held by the server; what is
# refused (a class with methods, an overload, an object whose size the
# checker cannot tell) and with which verdict.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-exec.sh"
need_sandbox
cd "$T" || exit 1

python3 - >recs.ndjson <<'PY'
import json

def rec(rid, code, tests, entry, starter=None):
    t = {"id": rid, "language": "cpp", "entry_point": entry,
         "tests": [{"style": "assert", "code": c} for c in tests]}
    if starter is not None:
        t["starter_code"] = starter
    print(json.dumps({"id": rid + "/c/0", "run": "r1", "task": t,
        "config": {"name": "c", "hash": "h"}, "sample": 0,
        "gen": {"text": code, "error": None},
        "extract": {"code": code, "error": None}}))

rec("containers", r'''
#include <array>
#include <deque>
#include <list>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <vector>
using namespace std;
typedef long long ll;
vector<int> evens(const vector<int> &v) { vector<int> r; for (int x : v) if (x % 2 == 0) r.push_back(x); return r; }
vector<vector<string>> chunks(vector<string> w, size_t k) { vector<vector<string>> r; for (size_t i = 0; i < w.size(); i += k) r.emplace_back(w.begin() + i, w.begin() + min(w.size(), i + k)); return r; }
map<string, int> counts(const vector<string> &w) { map<string, int> m; for (auto &s : w) m[s]++; return m; }
unordered_map<char, vector<int>> where(const string &s) { unordered_map<char, vector<int>> m; for (size_t i = 0; i < s.size(); i++) m[s[i]].push_back((int)i); return m; }
set<ll> uniq(deque<ll> d) { return set<ll>(d.begin(), d.end()); }
unordered_set<string> words(list<string> l) { return unordered_set<string>(l.begin(), l.end()); }
pair<int, string> tag(int n) { return {n, string(n, '*')}; }
tuple<bool, double, char> info(array<int, 3> a) { return {a[0] < a[2], (a[0] + a[1] + a[2]) / 3.0, 'x'}; }
optional<size_t> find_first(const string &s, char c) { auto p = s.find(c); if (p == string::npos) return nullopt; return p; }
vector<bool> flags(int n) { vector<bool> v(n); for (int i = 0; i < n; i++) v[i] = i % 3 == 0; return v; }
multiset<int> ms(vector<int> v) { return multiset<int>(v.begin(), v.end()); }
''', ['assert((evens({1, 2, 3, 4, 6}) == vector<int>{2, 4, 6}) && evens({}).empty());',
      'auto c = chunks({"a", "b", "c", "d", "e"}, 2); assert(c.size() == 3 && c[2] == vector<string>{"e"} && c[0][1] == "b");',
      'auto m = counts({"x", "y", "x"}); assert(m.size() == 2 && m["x"] == 2 && m["y"] == 1);',
      'auto w = where("abca"); assert(w.size() == 3 && (w[\'a\'] == vector<int>{0, 3}));',
      'assert((uniq({3, 1, 3, -9000000000LL}) == set<ll>{-9000000000LL, 1, 3}));',
      'auto u = words({"a", "b", "a"}); assert(u.size() == 2 && u.count("b") == 1);',
      'assert((tag(3) == pair<int, string>{3, "***"}));',
      'auto t = info({1, 2, 6}); assert(get<0>(t) && get<1>(t) == 3.0 && get<2>(t) == \'x\');',
      'assert(find_first("hello", \'l\') == 2u && !find_first("hello", \'z\'));',
      'assert((flags(4) == vector<bool>{true, false, false, true}));',
      'assert(ms({2, 1, 2}).count(2) == 2);',
      'vector<int> big(200000, 2); assert(evens(big).size() == 200000);'],
    "evens")

rec("references", r'''
#include <string>
#include <vector>
#include <algorithm>
struct Account { std::string owner; long long cents; std::vector<std::string> log; };
void deposit(Account &a, long long c) { a.cents += c; a.log.push_back("+" + std::to_string(c)); }
Account opened(const std::string &who) { return Account{who, 0, {}}; }
bool parse(const std::string &s, int &out, std::string &err) {
	try { out = std::stoi(s); err.clear(); return true; } catch (...) { err = "bad number: " + s; return false; }
}
void sort_desc(std::vector<int> &v) { std::sort(v.rbegin(), v.rend()); }
int sum_into(const int *a, int n, int *total) { *total = 0; for (int i = 0; i < n; i++) *total += a[i]; return n; }
void upcase(char *s) { for (; *s; s++) if (*s >= 'a' && *s <= 'z') *s -= 32; }
int pick(int a, int b = 10, const char *why = "none") { return a + b + (why[0] == 'n' ? 0 : 100); }
''', ['Account a = opened("ann"); deposit(a, 250); deposit(a, 5); assert(a.owner == "ann" && a.cents == 255 && a.log.size() == 2 && a.log[1] == "+5");',
      'int v = -1; std::string e = "old"; assert(parse("42", v, e) && v == 42 && e.empty()); assert(!parse("x", v, e) && v == 42 && e == "bad number: x");',
      'std::vector<int> v{3, 9, 1}; sort_desc(v); assert((v == std::vector<int>{9, 3, 1}));',
      'int a[] = {4, 5, 6}, t = 0; assert(sum_into(a, 3, &t) == 3 && t == 15);',
      'char s[] = "MiXed"; upcase(s); assert(std::string(s) == "MIXED");',
      'assert(pick(1) == 11 && pick(1, 2) == 3 && pick(1, 2, "why") == 103);'],
    "deposit")

rec("exceptions", r'''
#include <stdexcept>
#include <string>
int checked_div(int a, int b) { if (b == 0) throw std::invalid_argument("division by zero"); return a / b; }
int at(int i) { if (i < 0) throw std::out_of_range("negative"); if (i > 9) throw 42; return i; }
''', ['try { checked_div(1, 0); assert(false); } catch (const std::invalid_argument &e) { assert(std::string(e.what()) == "division by zero"); }',
      'assert(checked_div(7, 2) == 3); try { at(-1); assert(false); } catch (const std::logic_error &e) { assert(std::string(e.what()) == "negative"); }',
      'bool caught = false; try { at(10); } catch (const std::exception &) { assert(false); } catch (...) { caught = true; } assert(caught);',
      'at(10);'],
    "checked_div")

rec("refused", r'''
#include <vector>
class Solution { public: int twice(int x) { return 2 * x; } };
int f(int x) { return x; }
int f(double x) { return (int)x; }
int total(const int *a, int n) { int s = 0; for (int i = 0; i < n; i++) s += a[i]; return s; }
''', ['assert(Solution().twice(2) == 4);',
      'std::vector<int> v{1, 2}; assert(total(v.data(), 2) == 3);'],
    "total")

# The competitive style: type macros in the signatures, "#define int
# long long" (the proxy and the stub take long long), a macro whose body
# is not a type left out by name.
rec("macros", r'''
#include <bits/stdc++.h>
using namespace std;
#define int long long
#define vi vector<int>
#define vvi vector<vi>
#define pii pair<int, int>
#define all(x) (x).begin(), (x).end()
#define MAXN 3
#define INF 1e18
struct grid { int cell[MAXN][MAXN]; };
pii minmax_of(const vi &a) { return {*min_element(all(a)), *max_element(all(a))}; }
int total(vi a) { return accumulate(all(a), 0LL); }
vvi pairs(int n) { vvi r; for (int i = 0; i < n; i++) r.push_back({i, i * i}); return r; }
int corner(grid g) { return g.cell[MAXN - 1][MAXN - 1]; }
struct capped { double v[(int)INF]; };
double cap(capped c) { return c.v[0]; }
''', ['auto p = minmax_of({3, 5000000000LL, -1}); assert(p.first == -1 && p.second == 5000000000LL);',
      'assert(total({1, 2, 3}) == 6 && pairs(3)[2][1] == 4);',
      'grid g{}; g.cell[2][2] = 7; assert(corner(g) == 7);'],
    "minmax_of")

rec("extent", r'''
#include <vector>
int total(const int *a, int n) { int s = 0; for (int i = 0; i < n; i++) s += a[i]; return s; }
''', ['std::vector<int> v{1, 2}; assert(total(v.data(), 2) == 3);'], "total")

# A tagless union of MultiPL-E's form (the task's starter code defines
# it): held by the server, made, passed, returned, compared there.
held = r'''#include <bits/stdc++.h>
union Union_long_float{
    long f0;
    float f1;    Union_long_float(long _f0) : f0(_f0) {}
    Union_long_float(float _f1) : f1(_f1) {}
    ~Union_long_float() {}
    bool operator==(long f) {
        return f0 == f ;
    }    bool operator==(float f) {
        return f1 == f ;
    }
    long as_long() const { return f0; }
};
'''
rec("held", held + r'''
long sum_longs(std::vector<Union_long_float> xs) { long s = 0; for (auto &x : xs) s += x.f0; return s; }
Union_long_float twice(const Union_long_float &x) { return Union_long_float(x.f0 * 2); }
std::vector<Union_long_float> halves(long n) { return {Union_long_float(n / 2), Union_long_float(n - n / 2)}; }
void bump(Union_long_float &x) { x.f0++; }
std::optional<Union_long_float> maybe(bool b) { if (b) return Union_long_float(2.5f); return std::nullopt; }
''', ['assert(sum_longs({1L, 2L, 3L}) == 6);',
      'assert(twice(Union_long_float(21L)) == 42L && twice(21L) == 42L);',
      'assert(Union_long_float(7L).as_long() == 7);',
      'auto h = halves(5); assert(h.size() == 2 && h[0] == 2L && h[1] == 3L);',
      'Union_long_float u(1L); bump(u); assert(u == 2L); bump(u); assert(u.as_long() == 3);',
      'assert(maybe(true).has_value() && *maybe(true) == 2.5f && !maybe(false));',
      'assert(twice(21L) == 41L);'], "twice", held)
rec("held-unknown", held + "long one(Union_long_float x) { return 1; }\n",
    ['assert(one(5L) == 1);'], "one")
PY
run ab-exec -j 2 recs.ndjson
cp "$T/out" exec.ndjson
expect_rc 1 "ab-exec runs the C++ proxy records (exit 1: internal errors)"
check "one record per input" test "$(wc -l <exec.ndjson)" -eq 8

expect_verdict exec.ndjson containers ok
expect_tests exec.ndjson containers "ok ok ok ok ok ok ok ok ok ok ok ok"
expect_verdict exec.ndjson references ok
expect_tests exec.ndjson references "ok ok ok ok ok ok"
expect_tests exec.ndjson exceptions "ok ok ok signaled"
expect_jq exec.ndjson '.[] | select(.task.id == "exceptions") | .exec.tests[3].signal == "SIGABRT"' \
    "an exception the test does not catch ends it as it would in one process"
expect_verdict exec.ndjson macros ok
expect_tests exec.ndjson macros "ok ok ok"
expect_jq exec.ndjson '.[] | select(.task.id == "macros") | .exec.error == null' \
    "type macros in the signatures and #define int long long: carried"
expect_verdict exec.ndjson refused compile_error
expect_jq exec.ndjson '.[] | select(.task.id == "refused") | .exec.tests[0].error |
    contains("the checker could not be built") and contains("a class (only plain structs are carried)") and
    contains("f is defined more than once")' \
    "a class and an overload: charged to the solution, saying what was left out"
expect_verdict exec.ndjson extent internal_error
expect_jq exec.ndjson '.[] | select(.task.id == "extent") | .exec.tests[0].error |
    contains("total: parameter 1: cannot tell the size")' \
    "a vector's data(): the size of its object is unknown, refused"
expect_tests exec.ndjson held "ok ok ok ok ok ok wrong_answer"
expect_verdict exec.ndjson held-unknown compile_error
expect_jq exec.ndjson '.[] | select(.task.id == "held-unknown") | .exec.tests[0].error |
    contains("a union with member functions that the task'"'"'s prompt does not define")' \
    "a union with member functions that the task does not define: not held, and said"
done_testing
