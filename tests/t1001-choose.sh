#!/bin/sh
# ab-extract: choosing among blocks (language, aliases, -m, -l, entry
# points).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-extract.sh"

three='```js
console.log("a much longer javascript block than the others");
```
```python
x = 1
```
```py
def solve(n):
    return n * 2
```
```python3
y = 3
```'
try "$three" python ''
is '.code == "def solve(n):\n    return n * 2\n" and .blocks == 4
    and .method == "fence+lang"' \
    "python, py and python3 are python; the longest is the default"
try "$three" python '' -m first
is '.code == "x = 1\n"' "-m first"
try "$three" python '' -m last
is '.code == "y = 3\n"' "-m last"
try "$three" python '' -m all
is '.code == "x = 1\n\ndef solve(n):\n    return n * 2\n\ny = 3\n"' \
    "-m all joins the blocks in order, a blank line apart"
try "$three" python '' -l js
is '(.code | startswith("console.log")) and .language == "javascript"' \
    "-l overrides the task's language (an alias)"
try "$three" javascript ''
is '.code | startswith("console.log")' "task.language javascript"
try "$three" rust ''
is '.error.kind == "wrong_language" and .language == "rust"' \
    "no block in the target language: wrong_language"

for l in node mjs javascript js; do
	try "\`\`\`$l
const a = 1;
\`\`\`" javascript ''
	is '.code == "const a = 1;\n" and .method == "fence+lang"' "$l is javascript"
done
for l in sh bash shell zsh; do
	try "\`\`\`$l
echo hi
\`\`\`" bash ''
	is '.code == "echo hi\n" and .method == "fence+lang"' "$l is bash"
done
for l in cc cxx hpp 'c++'; do
	try "\`\`\`$l
int x;
\`\`\`" c++ ''
	is '.code == "int x;\n" and .language == "cpp"' "$l is cpp (task c++)"
done

try '```
$ python solve.py
[0, 1]
```
```python
def f():
    return 1
```' python ''
is '.code == "def f():\n    return 1\n" and .method == "fence+lang"' \
    "a tagged block is preferred to a longer untagged one"

try 'Output:
```
[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
```
Code:
```
def f(n):
    return list(range(n))
```' python ''
is '.code == "def f(n):\n    return list(range(n))\n" and .method == "fence"' \
    "untagged: code-like blocks are preferred to output"

try '```text
def f(n):
    return n
```' python ''
is '.code == "def f(n):\n    return n\n" and .method == "fence"' \
    "a block tagged text counts as untagged"

try '```cpp
#include <cstdio>
int add(int a, int b) { return a + b; }
```
```python
print(1)
```' c ''
is '(.code | startswith("#include <cstdio>")) and .method == "fence+compat"' \
    "a cpp block for a c task: fence+compat"

ep='```python
def helper(x):
    return x + 1
```
```python
# usage, longer than the solution block is
print(helper(41))
print(helper(42))
```'
try "$ep" python helper
is '.code == "def helper(x):\n    return x + 1\n" and .method == "entry_point"' \
    "the longest block lacks the entry point: the block defining it"
try "$ep" python ''
is '.code | startswith("# usage")' "without an entry point: the longest"
try "$ep" python '' -e helper
is '.method == "entry_point"' "-e gives the entry point"
try "$ep" python missing
is '(.code | startswith("# usage")) and .method == "fence+lang"' \
    "no block defines the entry point: the usual choice stands"

try '```js
const twoSum = (a, t) => [0, 1];
```
```js
// calling it: a longer block than the definition above
console.log(twoSum([1, 2], 3));
```' javascript twoSum
is '.code | startswith("const twoSum")' "javascript entry point as a const"
try '```c
int main(void) { return solve(3) == 6 ? 0 : 1; /* longer */ }
```
```c
int solve(int n)
{
	return 2 * n;
}
```' c solve
is '(.code | startswith("int solve")) and .method == "entry_point"' \
    "c entry point"
try '```bash
echo "$(greet world)" # a longer usage line here
```
```bash
greet() { echo "hello $1"; }
```' bash greet
is '.code | startswith("greet()")' "bash entry point"

try '```js
// usage, which is longer than the definition below
console.log(solve([1, 2, 3]));
```
```js
exports.solve = (xs) => xs.length;
```' javascript solve
is '.code == "exports.solve = (xs) => xs.length;\n"' \
    "javascript entry point as exports.NAME"

try '```python
print(1)
```' 'ééééééééééééééééééééé' ''
is '.error.kind == "wrong_language" and (.language | length) <= 31' \
    "a long unknown language name is cut at a character boundary"

try '```python
print(1)
```' '' ''
is '.language == "python" and .method == "fence+lang"' \
    "without a task language, the block's language"

done_testing
