#!/bin/sh
# ab-extract: the fence scanner (CommonMark fences, info strings, nesting,
# list items, unclosed fences, line ends).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-extract.sh"

# The answers go through ab-extract together (batch, see lib-extract.sh).

batch 'Here it is:
```python
def f(x):
    return x
```
Bye.' python ''
bis '.code == "def f(x):\n    return x\n" and .method == "fence+lang"
    and .blocks == 1 and .language == "python" and .error == null' \
    "the block's content, method fence+lang"

batch '~~~~py
x = 1
~~~
y = 2
~~~~~
after' python ''
bis '.code == "x = 1\n~~~\ny = 2\n"' \
    "tilde fences of any length; a shorter closing fence is content"

batch '```
a = 1
~~~
b = 2
```' python ''
bis '.code == "a = 1\n~~~\nb = 2\n" and .method == "fence"' \
    "a fence of the other character is content; untagged is method fence"

batch '````python
def f():
    """Example:
    ```python
    f()
    ```
    """
    return 1
````' python ''
bis '.code | contains("```python\n    f()\n    ```\n") and endswith("return 1\n")' \
    "a shorter fence nested inside a longer one is content"

batch '```python
x = 1
```   ' python ''
bis '.code == "x = 1\n"' "white space after a closing fence"

batch '```python
x = 1
``` not a close
y = 2' python ''
bis '.code == "x = 1\n``` not a close\ny = 2\n"' \
    "text after the run: not a closing fence"

batch '```python
def f():
    return 1' python ''
bis '.code == "def f():\n    return 1\n" and .method == "fence+lang"' \
    "a fence never closed runs to the end"

batch 'Use ```python``` here and `x`.

```js title="a.js"
let a = 1;
```' javascript ''
bis '.code == "let a = 1;\n" and .blocks == 1' \
    "inline triple backticks are no fence; js title=... is javascript"

for info in 'c++' 'cpp' '{.cpp}' '{.cpp .numberLines}' 'CPP' 'solution.cpp' \
    'cpp:main.cpp' '{cpp}' 'language-cpp' 'hpp' 'c++17' 'cpp20'; do
	batch "\`\`\`$info
int f() { return 1; }
\`\`\`" cpp ''
	bis '.code == "int f() { return 1; }\n" and .method == "fence+lang"' \
	    "info string $info is cpp"
done

batch '1. First install nothing.
2. Then write:

   ```python
   def f(x):
       if x:
           return 1
       return 0
   ```

3. Done.' python ''
bis '.code == "def f(x):\n    if x:\n        return 1\n    return 0\n"' \
    "a fence indented in a list item loses that indentation"

batch '- ```python
  x = 1
    y = 2
  ```' python ''
bis '.code == "x = 1\n  y = 2\n"' \
    "a fence after a list marker: content indentation relative to it"

batch "$(printf '```python\r\ndef f():\r\n    return 1\r\n```\r\n')" python ''
bis '.code == "def f():\n    return 1\n"' "CRLF line ends"

batch "$(printf '```python\rx = 1\ry = 2\r```\r')" python ''
bis '.code == "x = 1\ny = 2\n"' "CR line ends"

batch '````markdown
Some notes.
```python
def g():
    return 2
```
````' python ''
bis '.code == "def g():\n    return 2\n" and .blocks == 1' \
    "the blocks inside a markdown block"

batch_run
expect_rc 0 "a python block, and every answer above"

try '```python
```
```python

```' python ''
is '.error.kind == "empty_block" and .code == null and .blocks == 2' \
    "empty blocks"
expect_rc 1 "an extraction failure makes the exit status 1"

done_testing
