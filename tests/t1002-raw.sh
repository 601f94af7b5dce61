#!/bin/sh
# ab-extract: answers without fences (the code heuristic) and reasoning
# sections.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-extract.sh"

# The answers go through ab-extract together (batch, see lib-extract.sh).

# raw LANG DESC TEXT: the whole text is taken as raw code.
raw() {
	batch "$3" "$1" ''
	bis '.method == "raw" and .error == null and .blocks == 0' "raw $1: $2"
}
# prose LANG DESC TEXT: no_code.
prose() {
	batch "$3" "$1" ''
	bis '.error.kind == "no_code" and .code == null and .method == null' \
	    "not $1: $2"
}

raw python "a function" 'def add(a, b):
    return a + b'
raw python "imports, a class, a main guard" 'import sys
from math import sqrt


class P:
    def __init__(self, x):
        self.x = x

    def norm(self):
        return sqrt(self.x * self.x)


if __name__ == "__main__":
    print(P(int(sys.argv[1])).norm())'
raw python "a script" 'n = int(input())
nums = list(map(int, input().split()))
print(sum(nums[:n]))'
raw python "for loops over tuples, dict literals" 'def leaderboard(scores, k):
    totals = {}
    for player, points in scores:
        totals[player] = totals.get(player, 0) + points
    return {
        "top": sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:k],
    }'
raw cpp "capitalised type names" '#include <string>
struct Rational {
	long long num, den;
};

Rational make_rational(long long n, long long d)
{
	return {n, d};
}

std::string to_string(Rational r)
{
	return std::to_string(r.num) + "/" + std::to_string(r.den);
}'
raw javascript "a function and exports" 'function add(a, b) {
  return a + b;
}
module.exports = { add };'
raw javascript "an arrow function" 'const add = (a, b) => a + b;'
raw c "includes and a function" '#include <stdio.h>

int add(int a, int b)
{
	return a + b;
}'
raw cpp "templates and std" '#include <vector>
using namespace std;
template <typename T>
T sum(const vector<T> &v) {
    T s{};
    for (auto x : v) s += x;
    return s;
}'
raw bash "a script" '#!/bin/sh
set -eu
while read -r line; do
	echo "${line}" | tr a-z A-Z
done'
raw bash "a function" 'greet() {
  local name=$1
  printf "hello %s\n" "$name"
}'

raw bash "a pipeline" 'sort access.log | uniq -c | sort -rn | head -n 10'
prose python "a refusal" "I'm sorry, but I can't help with that request."
prose python "an explanation" 'To solve this problem, iterate over the list and keep a running total.
Return the total at the end. This runs in linear time.'
prose python "prose with a little code inside" 'You can use the built-in sum function for this.
For example sum(nums) returns the total of the list.
It is simple and fast, and it works for any iterable of numbers.
Remember that an empty list sums to zero.'
prose c "python code" 'def add(a, b):
    return a + b'
prose python "c code" '#include <stdio.h>
int add(int a, int b) { return a + b; }'
prose javascript "python code" 'def add(a, b):
    return a + b'
prose bash "an explanation" 'Use a loop over the arguments and print each one on its own line.'
prose python "a number" '42'
prose rust "an unknown language" 'fn main() { println!("hi"); }'

batch 'Here is the solution:

def add(a, b):
    return a + b

This adds the two numbers.' python ''
bis '.code == "def add(a, b):\n    return a + b\n" and .method == "raw"' \
    "prose before and after raw code is dropped"

batch 'int add(int a, int b) { return a + b; }' '' ''
bis '.language == "c" and .method == "raw"' \
    "without a language, raw code in a language found by the heuristic"

# reasoning
batch '<think>
Let me try:
```python
def wrong(): pass
```
</think>
```python
def right():
    return 1
```' python ''
bis '.code == "def right():\n    return 1\n" and .blocks == 1' \
    "a <think> section and its draft blocks are ignored"
batch '<thinking>
```python
def wrong(): pass
```
</thinking>
<reasoning>```python
also wrong
```</reasoning>
```python
ok = 1
```' python ''
bis '.code == "ok = 1\n" and .blocks == 1' "<thinking> and <reasoning>"
batch 'The model thought about it at length here.
```python
draft = 1
```
</think>

```python
final = 2
```' python ''
bis '.code == "final = 2\n"' "a </think> without an opening tag"
batch '<think>
Still thinking, about
```python
draft = 1
```' python ''
bis '.error.kind == "reasoning_only" and .code == null' \
    "an unclosed <think> at the start: nothing left"
batch '<think>a b c</think>
def f():
    return 3' python ''
bis '.code == "def f():\n    return 3\n" and .method == "raw"' \
    "raw code after a reasoning section"
batch '```python
def strip(s):
    return s.split("</think>")[-1]
```' python ''
bis '.code == "def strip(s):\n    return s.split(\"</think>\")[-1]\n"' \
    "a </think> inside code, not ending a line, is code"
batch '```python
s = "<think>"
t = 1
```' python ''
bis '.code == "s = \"<think>\"\nt = 1\n"' "a tag inside a code block is code"

batch_run
expect_rc 1 "the answers without code fail (no_code, reasoning_only)"

done_testing
