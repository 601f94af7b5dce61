#!/bin/sh
# ab-exec: the three test styles in each language, right and wrong.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-exec.sh"
need_sandbox
cd "$T" || exit 1

py='def add(a, b):
    return a + b
'
pybad='def add(a, b):
    return a - b
'
io_tests='[{"style":"io","stdin":"2 3\n","stdout":"5\n"},{"style":"io","stdin":"10 -4\n","stdout":"6\n"}]'
{
	rec py-assert python "$py" '[{"style":"assert","code":"assert add(1, 2) == 3\nassert candidate(0, 0) == 0"},{"style":"assert","code":"def check(candidate):\n    assert candidate(2, 2) == 4\n"}]' '{"entry_point":"add"}'
	rec py-assert-bad python "$pybad" '[{"style":"assert","code":"assert add(1, 2) == 3"},{"style":"assert","code":"assert add(1, 0) == 1"}]' '{"entry_point":"add"}'
	rec py-call python "$py" '[{"style":"call","args":[1,2],"expected":3},{"style":"call","args":[[1],[2]],"expected":[1,2]}]' '{"entry_point":"add"}'
	rec py-io python 'a, b = map(int, input().split())
print(a + b)' "$io_tests"
	rec py-io-bad python 'print(5)' "$io_tests"
	rec js-assert javascript 'function add(a, b) { return a + b; }' '[{"style":"assert","code":"assert.strictEqual(add(1, 2), 3)"},{"style":"assert","code":"assert.deepStrictEqual(candidate(\"a\", \"b\"), \"ab\")"}]' '{"entry_point":"add"}'
	rec js-assert-bad javascript 'function add(a, b) { return a * b; }' '[{"style":"assert","code":"assert.strictEqual(add(1, 2), 3)"},{"style":"assert","code":"assert.strictEqual(add(2, 2), 4)"}]' '{"entry_point":"add"}'
	rec js-call javascript 'const add = (a, b) => a + b;' '[{"style":"call","args":[1,2],"expected":3},{"style":"call","args":["x","y"],"expected":"xy"}]' '{"entry_point":"add"}'
	rec js-io javascript 'const s = require("fs").readFileSync(0, "utf8").split(/\s+/).map(Number); console.log(s[0] + s[1]);' "$io_tests"
	rec c-assert c 'int add(int a, int b) { return a + b; }' '[{"style":"assert","code":"assert(add(1, 2) == 3);"},{"style":"assert","code":"assert(add(2, 2) == 5);"}]' '{"entry_point":"add"}'
	rec c-io c '#include <stdio.h>
int main(void) { int a, b; if (scanf("%d %d", &a, &b) != 2) return 1; printf("%d\n", a + b); return 0; }' "$io_tests"
	rec cpp-assert cpp '#include <vector>
int add(int a, int b) { std::vector<int> v{a, b}; return v[0] + v[1]; }' '[{"style":"assert","code":"assert(add(1, 2) == 3);"}]' '{"entry_point":"add"}'
	rec cpp-io cpp '#include <iostream>
int main() { long a, b; std::cin >> a >> b; std::cout << a + b << "\n"; }' "$io_tests"
	rec sh-assert bash 'add() { echo $(($1 + $2)); }' '[{"style":"assert","code":"[ \"$(add 1 2)\" = 3 ]"},{"style":"assert","code":"test \"$(add 1 1)\" = 3"}]' '{"entry_point":"add"}'
	rec sh-io bash 'read a b; echo $((a + b))' "$io_tests"
	rec c-compile c 'int add(int a, int b) { return a + b }' '[{"style":"assert","code":"assert(add(1, 2) == 3);"},{"style":"io","stdout":""}]' '{"entry_point":"add"}'
	rec none python 'x = 1' '[]'
} >in.ndjson

run ab-exec in.ndjson
expect_rc 0 "ab-exec runs every style"
check "one record per input record" test "$(wc -l <out)" -eq 17
expect_verdict out py-assert ok
expect_tests out py-assert "ok ok"
expect_verdict out py-assert-bad wrong_answer
expect_tests out py-assert-bad "wrong_answer ok"
expect_verdict out py-call ok
expect_verdict out py-io ok
expect_verdict out py-io-bad wrong_answer
expect_tests out py-io-bad "ok wrong_answer"
expect_verdict out js-assert ok
expect_verdict out js-assert-bad wrong_answer
expect_tests out js-assert-bad "wrong_answer ok"
expect_verdict out js-call ok
expect_verdict out js-io ok
expect_verdict out c-assert wrong_answer
expect_tests out c-assert "ok wrong_answer"
expect_verdict out c-io ok
expect_verdict out cpp-assert ok
expect_verdict out cpp-io ok
expect_verdict out sh-assert wrong_answer
expect_tests out sh-assert "ok wrong_answer"
expect_verdict out sh-io ok
expect_verdict out c-compile compile_error
expect_tests out c-compile "compile_error compile_error"
expect_verdict out none ok
expect_jq out '.[] | select(.task.id == "c-compile") | .exec.tests[0].error | test("expected .;.")' \
    "a compile error carries the compiler's message"
expect_jq out '.[] | select(.task.id == "py-io-bad") | .exec.tests[1] | .expected == "6\n" and .actual == "5\n"' \
    "io tests carry expected and actual output"
expect_jq out '.[] | select(.task.id == "py-call") | .exec.tests[1].actual == [1,2]' \
    "call tests carry the returned value"
expect_jq out 'all(.[]; .exec.passed <= .exec.total and (.exec.tests | length) == .exec.total)' \
    "passed and total are consistent"
expect_jq out 'all(.[]; .exec.error == null and (.exec.limits.cpu_ms | type) == "number")' \
    "no harness error, limits recorded"
expect_jq out 'all(.[]; .exec | has("verdict") and has("passed") and has("total") and has("tests") and has("cpu_ms") and has("wall_ms") and has("peak_kb") and has("limits") and has("isolation") and has("error"))' \
    "every member of exec is present"
expect_jq out 'all(.[]; .exec.tests[] | has("name") and has("verdict") and has("weight") and has("time_ms") and has("expected") and has("actual") and has("error"))' \
    "every member of a test is present"
jq -c 'del(.exec)' out >stripped.ndjson
check "everything but exec is copied unchanged" cmp -s stripped.ndjson in.ndjson
expect_clean "styles"
done_testing
