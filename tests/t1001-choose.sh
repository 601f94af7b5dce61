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
# the same record ($T/in) with options
run ab-extract -m first "$T/in"
is '.code == "x = 1\n"' "-m first"
run ab-extract -m last "$T/in"
is '.code == "y = 3\n"' "-m last"
run ab-extract -m all "$T/in"
is '.code == "x = 1\n\ndef solve(n):\n    return n * 2\n\ny = 3\n"' \
    "-m all joins the blocks in order, a blank line apart"
run ab-extract -l js "$T/in"
is '(.code | startswith("console.log")) and .language == "javascript"' \
    "-l overrides the task's language (an alias)"

# The answers go through ab-extract together (batch, see lib-extract.sh).
batch "$three" javascript ''
bis '.code | startswith("console.log")' "task.language javascript"
batch "$three" rust ''
bis '.error.kind == "wrong_language" and .language == "rust"' \
    "no block in the target language: wrong_language"

for l in node mjs javascript js; do
	batch "\`\`\`$l
const a = 1;
\`\`\`" javascript ''
	bis '.code == "const a = 1;\n" and .method == "fence+lang"' "$l is javascript"
done
for l in sh bash shell zsh; do
	batch "\`\`\`$l
echo hi
\`\`\`" bash ''
	bis '.code == "echo hi\n" and .method == "fence+lang"' "$l is bash"
done
for l in cc cxx hpp 'c++'; do
	batch "\`\`\`$l
int x;
\`\`\`" c++ ''
	bis '.code == "int x;\n" and .language == "cpp"' "$l is cpp (task c++)"
done

batch '```
$ python solve.py
[0, 1]
```
```python
def f():
    return 1
```' python ''
bis '.code == "def f():\n    return 1\n" and .method == "fence+lang"' \
    "a tagged block is preferred to a longer untagged one"

batch 'Output:
```
[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
```
Code:
```
def f(n):
    return list(range(n))
```' python ''
bis '.code == "def f(n):\n    return list(range(n))\n" and .method == "fence"' \
    "untagged: code-like blocks are preferred to output"

batch '```text
def f(n):
    return n
```' python ''
bis '.code == "def f(n):\n    return n\n" and .method == "fence"' \
    "a block tagged text counts as untagged"

batch '```cpp
#include <cstdio>
int add(int a, int b) { return a + b; }
```
```python
print(1)
```' c ''
bis '(.code | startswith("#include <cstdio>")) and .method == "fence+compat"' \
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
batch "$ep" python helper
bis '.code == "def helper(x):\n    return x + 1\n" and .method == "entry_point"' \
    "the longest block lacks the entry point: the block defining it"
batch "$ep" python ''
bis '.code | startswith("# usage")' "without an entry point: the longest"
batch "$ep" python missing
bis '(.code | startswith("# usage")) and .method == "fence+lang"' \
    "no block defines the entry point: the usual choice stands"

batch '```js
const twoSum = (a, t) => [0, 1];
```
```js
// calling it: a longer block than the definition above
console.log(twoSum([1, 2], 3));
```' javascript twoSum
bis '.code | startswith("const twoSum")' "javascript entry point as a const"
batch '```c
int main(void) { return solve(3) == 6 ? 0 : 1; /* longer */ }
```
```c
int solve(int n)
{
	return 2 * n;
}
```' c solve
bis '(.code | startswith("int solve")) and .method == "entry_point"' \
    "c entry point"
batch '```bash
echo "$(greet world)" # a longer usage line here
```
```bash
greet() { echo "hello $1"; }
```' bash greet
bis '.code | startswith("greet()")' "bash entry point"

batch '```js
// usage, which is longer than the definition below
console.log(solve([1, 2, 3]));
```
```js
exports.solve = (xs) => xs.length;
```' javascript solve
bis '.code == "exports.solve = (xs) => xs.length;\n"' \
    "javascript entry point as exports.NAME"

batch '```python
print(1)
```' 'ééééééééééééééééééééé' ''
bis '.error.kind == "wrong_language" and (.language | length) <= 31' \
    "a long unknown language name is cut at a character boundary"

batch '```python
print(1)
```' '' ''
bis '.language == "python" and .method == "fence+lang"' \
    "without a task language, the block's language"
batch_run
expect_rc 1 "some answers above fail (wrong_language)"

try "$ep" python '' -e helper
is '.method == "entry_point"' "-e gives the entry point"

done_testing
