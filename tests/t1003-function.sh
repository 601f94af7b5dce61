#!/bin/sh
# ab-extract -f: keep the entry point and what it needs.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-extract.sh"

py='```python
import os
import re as regex
from collections import (
    Counter,
    defaultdict,
)
from __future__ import annotations
from typing import *

LIMIT = 10
UNUSED = 3
A, B = 1, 2
T: int = 7

# the helper
@cache
def helper(x):
    return regex.sub("a", "b", x) * LIMIT + B

def unused():
    return os.getcwd()

class Box:
    size = T

def solve(s):
    """Uses Box in a docstring only."""
    c = Counter(s)
    try:
        return helper(s) + f"{c} {Box.size}"
    except ValueError:
        return None

print(solve("x"))
assert solve("a")

if __name__ == "__main__":
    print(solve(os.environ["X"]))
```'
# The answers go through ab-extract together (batch, see lib-extract.sh).
batch "$py" python solve
cat >"$T/want.py" <<'PY'
import re as regex
from collections import (
    Counter,
    defaultdict,
)
from __future__ import annotations
from typing import *

LIMIT = 10

A, B = 1, 2

T: int = 7

# the helper
@cache
def helper(x):
    return regex.sub("a", "b", x) * LIMIT + B

class Box:
    size = T

def solve(s):
    """Uses Box in a docstring only."""
    c = Counter(s)
    try:
        return helper(s) + f"{c} {Box.size}"
    except ValueError:
        return None
PY

js='```js
"use strict";
const fs = require("fs");
const { a, b: bb } = require("./x");
import def, { named as n2 } from "mod";
const K = 3, J = 4;
let unused = 1;
// the helper
function helper(xs) {
  return xs.map(y => y * K + bb).filter(z => /[)(]/.test(`${n2}`));
}
class Tmp {}
export async function solve(xs) {
  const s = `${J}`;
  return helper(xs) + s;
}
console.log(solve([1]));
module.exports = { solve };
```'
batch "$js" javascript solve
cat >"$T/want.js" <<'JS'
"use strict";

const { a, b: bb } = require("./x");

import def, { named as n2 } from "mod";

const K = 3, J = 4;

// the helper
function helper(xs) {
  return xs.map(y => y * K + bb).filter(z => /[)(]/.test(`${n2}`));
}

export async function solve(xs) {
  const s = `${J}`;
  return helper(xs) + s;
}
JS

c='```c
#include <stdio.h>
#include <stdlib.h>
#define MAX 100
#define TWICE(x) ((x) * 2)
#define UNUSED 3
struct pt { int x, y; };
typedef struct pt pt_t;
enum color { RED, GREEN };
static int cache[MAX];
int unused_g = 5;
static int helper(pt_t p);
/* the entry point */
int solve(int n)
{
	pt_t p = { n, GREEN };
	return TWICE(helper(p)) + cache[0];
}
static int helper(pt_t p) { return p.x; } // trailing comment
int other(void) { return 1; }
int main(void)
{
	printf("%d\n", solve(3));
	return 0;
}
```'
batch "$c" c solve
cat >"$T/want.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#define MAX 100
#define TWICE(x) ((x) * 2)

struct pt { int x, y; };

typedef struct pt pt_t;

enum color { RED, GREEN };

static int cache[MAX];

static int helper(pt_t p);

/* the entry point */
int solve(int n)
{
	pt_t p = { n, GREEN };
	return TWICE(helper(p)) + cache[0];
}

static int helper(pt_t p) { return p.x; } // trailing comment
C

cpp='```cpp
#include <vector>
using namespace std;
namespace util {
int sq(int x) { return x * x; }
}
template <typename T>
T total(const vector<T> &v) {
    T s{};
    for (auto x : v) s += x;
    return s;
}
int solve(const vector<int> &v) {
    return total(v) + util::sq(2);
}
int main() { return solve({1, 2}); }
```'
batch "$cpp" cpp solve
cat >"$T/want.cpp" <<'CPP'
#include <vector>

using namespace std;

namespace util {
int sq(int x) { return x * x; }
}

template <typename T>
T total(const vector<T> &v) {
    T s{};
    for (auto x : v) s += x;
    return s;
}

int solve(const vector<int> &v) {
    return total(v) + util::sq(2);
}
CPP
batch_run -f
expect_rc 0 "-f python, javascript, c, cpp"
batch_codes
expect_same "$T/batch/code.1" "$T/want.py" \
    "python: imports used, helpers, constants, classes; no tests, no main"
expect_same "$T/batch/code.2" "$T/want.js" \
    "javascript: directives, requires and imports used, helpers, constants"
expect_same "$T/batch/code.3" "$T/want.c" \
    "c: includes, macros, types, enumerators, globals, prototypes; no main"
expect_same "$T/batch/code.4" "$T/want.cpp" "cpp: namespaces, templates, using"

batch "$py" python nothere
bis '.error.kind == "entry_point_missing" and .code == null' \
    "entry_point_missing"
batch "$py" python ''
bis '.error == null and (.code | contains("__main__"))' \
    "-f without an entry point keeps the whole program"
batch '```python
class Solution:
    def solve(self):
        return 1
```' python solve
bis '.error.kind == "entry_point_missing"' "-f: a method is not top-level"
batch '```bash
f() { echo 1; }
```' bash f
bis '.error == null and .code == "f() { echo 1; }\n"' \
    "-f for bash keeps the whole program"
batch '```python
solve = lambda x: x
print(solve(1))
```' python solve
bis '.code == "solve = lambda x: x\n"' "-f: an entry point bound by assignment"
batch 'def solve(x):
    return h(x)

def h(x):
    return x

print(solve(2))' python solve
bis '.code == "def solve(x):\n    return h(x)\n\ndef h(x):\n    return x\n"
    and .method == "raw"' "-f on raw code"

batch_run -f
expect_rc 1 "-f without a definition of the entry point"

done_testing
