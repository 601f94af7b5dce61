#!/bin/sh
# ab-extract: the fence scanner (CommonMark fences, info strings, nesting,
# list items, unclosed fences, line ends).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-extract.sh"

try 'Here it is:
```python
def f(x):
    return x
```
Bye.' python ''
expect_rc 0 "a python block"
is '.code == "def f(x):\n    return x\n" and .method == "fence+lang"
    and .blocks == 1 and .language == "python" and .error == null' \
    "the block's content, method fence+lang"

try '~~~~py
x = 1
~~~
y = 2
~~~~~
after' python ''
is '.code == "x = 1\n~~~\ny = 2\n"' \
    "tilde fences of any length; a shorter closing fence is content"

try '```
a = 1
~~~
b = 2
```' python ''
is '.code == "a = 1\n~~~\nb = 2\n" and .method == "fence"' \
    "a fence of the other character is content; untagged is method fence"

try '````python
def f():
    """Example:
    ```python
    f()
    ```
    """
    return 1
````' python ''
is '.code | contains("```python\n    f()\n    ```\n") and endswith("return 1\n")' \
    "a shorter fence nested inside a longer one is content"

try '```python
x = 1
```   ' python ''
is '.code == "x = 1\n"' "white space after a closing fence"

try '```python
x = 1
``` not a close
y = 2' python ''
is '.code == "x = 1\n``` not a close\ny = 2\n"' \
    "text after the run: not a closing fence"

try '```python
def f():
    return 1' python ''
is '.code == "def f():\n    return 1\n" and .method == "fence+lang"' \
    "a fence never closed runs to the end"

try 'Use ```python``` here and `x`.

```js title="a.js"
let a = 1;
```' javascript ''
is '.code == "let a = 1;\n" and .blocks == 1' \
    "inline triple backticks are no fence; js title=... is javascript"

for info in 'c++' 'cpp' '{.cpp}' '{.cpp .numberLines}' 'CPP' 'solution.cpp' \
    'cpp:main.cpp' '{cpp}' 'language-cpp' 'hpp' 'c++17' 'cpp20'; do
	try "\`\`\`$info
int f() { return 1; }
\`\`\`" cpp ''
	is '.code == "int f() { return 1; }\n" and .method == "fence+lang"' \
	    "info string $info is cpp"
done

try '1. First install nothing.
2. Then write:

   ```python
   def f(x):
       if x:
           return 1
       return 0
   ```

3. Done.' python ''
is '.code == "def f(x):\n    if x:\n        return 1\n    return 0\n"' \
    "a fence indented in a list item loses that indentation"

try '- ```python
  x = 1
    y = 2
  ```' python ''
is '.code == "x = 1\n  y = 2\n"' \
    "a fence after a list marker: content indentation relative to it"

printf '```python\r\ndef f():\r\n    return 1\r\n```\r\n' >"$T/crlf"
try "$(cat "$T/crlf")" python ''
is '.code == "def f():\n    return 1\n"' "CRLF line ends"

printf '```python\rx = 1\ry = 2\r```\r' >"$T/cr"
try "$(cat "$T/cr")" python ''
is '.code == "x = 1\ny = 2\n"' "CR line ends"

try '````markdown
Some notes.
```python
def g():
    return 2
```
````' python ''
is '.code == "def g():\n    return 2\n" and .blocks == 1' \
    "the blocks inside a markdown block"

try '```python
```
```python

```' python ''
is '.error.kind == "empty_block" and .code == null and .blocks == 2' \
    "empty blocks"
expect_rc 1 "an extraction failure makes the exit status 1"

done_testing
