#!/bin/sh
# ab-exec: bash assertion tests run in a checker shell apart from the
# solution, whose functions are proxies to a server under another uid:
# what a proxy carries (arguments, stdin, stdout, stderr, status), and
# what a solution cannot do from there (read the nonce, shadow the test's
# builtins and commands, end the test, forge its record).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-exec.sh"
need_sandbox
cd "$T" || exit 1

a='{"style":"assert","code":'
{
	rec carry bash 'up() { tr a-z A-Z; }
err() { echo "bad: $1" >&2; return 3; }
die() { echo dying; exit 4; }
nl2() { printf "a\n\n"; }
args() { printf "<%s>" "$#" "$@"; }
twice() { args "$@" "$@"; }' "[$a"'"[ \"$(printf \"ab\\ncd\" | up)\" = \"AB\nCD\" ] && [ \"$(up <<< hello)\" = HELLO ]"},
'"$a"'"e=$(err x 2>&1 >/dev/null); rc=$?; [ \"$e\" = \"bad: x\" ] && [ $rc = 3 ]"},
'"$a"'"out=$(die); [ $? = 4 ] && [ \"$out\" = dying ] || exit 1; (die >/dev/null); [ $? = 4 ]"},
'"$a"'"[ \"$(nl2 | od -An -c | tr -d \" \")\" = \"a\\\\n\\\\n\" ]"},
'"$a"'"[ \"$(args \"a b\" \"\" \"*\" \"x\ny\" \"\\\\\")\" = \"<5><a b><><*><x\ny><\\\\>\" ] && [ \"$(args)\" = \"<0>\" ]"},
'"$a"'"[ \"$(twice 1)\" = \"<2><1><1>\" ]"},
'"$a"'"[ \"$(up < <(seq 1 50000) | wc -l)\" = 50000 ] && [ \"$(seq 1 50000 | up | tail -n 1)\" = 50000 ]"},
'"$a"'"diff <(up < <(seq 1 3000)) <(seq 1 3000 | up) && [ \"$(paste <(echo a | up) <(echo b | up) | tr \"\\t\" -)\" = A-B ]"}]' \
	    '{"entry_point":"up"}'
	rec state bash 'STACK=()
push() { STACK+=("$1"); }
pop() { unset "STACK[-1]"; }
depth() { echo "${#STACK[@]}"; }
strict() { set -euo pipefail; }' "[$a"'"strict; push a; push b; [ \"$(depth)\" = 2 ] && pop && [ \"$(depth)\" = 1 ] && x=$(push c) && echo d | push && [ \"$(depth)\" = 1 ]"}]' \
	    '{"entry_point":"push"}'
	rec nonce bash 'add() { set; env; cat /proc/*/environ /work/* 2>/dev/null; }' \
	    "[$a"'"case $(add 2>&1) in *\"$__ab_nonce_\"*) exit 0 ;; esac; exit 1"}]' \
	    '{"entry_point":"add"}'
	rec shadow bash 'test() { return 0; }
[() { return 0; }
false() { return 1; }
true() { return 1; }
grep() { return 0; }
printf() { :; }
exit() { :; }
command_not_found_handle() { echo 5; }
__ab_call_() { :; }
add() { echo 0; }' "[$a"'"[ \"$(add 2 3)\" = 5 ]"},'"$a"'"test \"$(add 2 3)\" = 5"},
'"$a"'"add 2 3 | grep -qx 5"},'"$a"'"[ \"$(no_such_function_here 2 3)\" = 5 ]"}]' \
	    '{"entry_point":"add"}'
	rec forge bash 'trap "exit 0" EXIT
add() {
	for n in $(set | grep -oE "[0-9a-f]{32}" | sort -u); do
		for fd in 1 2 3 4 5 6 7 8 9; do
			printf "%s {\"test\":0,\"status\":\"pass\"}\n" "$n" >&$fd
		done 2>/dev/null
	done
	printf "0 1 0\n5" >&3 2>/dev/null
	exit 0
}' "[$a"'"[ \"$(add 2 3)\" = 5 ]"},'"$a"'"add 2 3 >/dev/null; [ \"$(add 2 3)\" = 5 ]"}]' \
	    '{"entry_point":"add"}'
	rec kill bash 'add() { kill -9 $$; }' \
	    "[$a"'"x=$(add 1 2); exit 0"},'"$a"'"! add 1 2"}]' '{"entry_point":"add"}'
	rec load-exit bash 'add() { echo 5; }
exit 0' "[$a"'"[ \"$(add 2 3)\" = 5 ]"}]' '{"entry_point":"add"}'
	rec hang bash 'add() { sleep 100; }' "[$a"'"add 1 2"}]' \
	    '{"entry_point":"add"}'
	rec flood bash 'add() { yes; }' "[$a"'"add 1 2"}]' '{"entry_point":"add"}'
	rec calls bash 'add() { echo $(($1 + $2)); }' \
	    "[$a"'"for i in $(seq 1 100); do [ \"$(add $i 1)\" = $((i + 1)) ] || exit 1; done"}]' \
	    '{"entry_point":"add"}'
} >in.ndjson
# A wall limit well above what the cases need (100 proxied calls take
# 0.3 s of CPU on a quiet machine, several times that on a loaded one):
# only the hang should reach it.
run ab-exec --wall-ms 5000 in.ndjson
expect_rc 0 "ab-exec runs the bash cases"
expect_tests out carry "ok ok ok ok ok ok ok ok"
expect_verdict out state ok
expect_verdict out nonce wrong_answer
expect_tests out shadow "wrong_answer wrong_answer wrong_answer wrong_answer"
expect_tests out forge "wrong_answer runtime_error"
expect_tests out kill "runtime_error runtime_error"
expect_verdict out load-exit runtime_error
expect_verdict out hang time_limit
expect_verdict out flood output_limit
expect_verdict out calls ok
expect_jq out '[.[] | select(.task.id == "kill") | .exec.tests[].error |
    contains("the solution'"'"'s process exited")] | all' \
    "a solution that went away says so"
ms=$(jq -r 'select(.task.id == "calls") | .exec.tests[0].time_ms | floor' out)
diag "100 proxied calls: $ms ms"
expect_clean "bash proxies"
done_testing
