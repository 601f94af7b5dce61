#!/bin/sh
# ab-exec: work that a solution's values cause in the checker is the
# run's: its CPU counted in cpu_ms and held to the run's limits, so that
# a reply crafted to keep the checker busy (integers that all hash alike,
# made into a set by the test) ends as the solution's time_limit, in
# time, and never as CPU charged to nobody.  The persistent Python
# checker runs outside the run's cgroups (measured by the keeper); the
# JavaScript and C checkers and the bash tests run inside them.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-exec.sh"
need_sandbox
cd "$T" || exit 1

collide='import sys
def f(n):
    m = sys.hash_info.modulus
    return [m * (i + 1) for i in range(n)]'
{
	rec py-collide-small python "$collide" '[{"style":"assert","code":"assert len(set(f(8000))) == 3"}]' '{"entry_point":"f","time_limit_ms":1000}'
	rec py-collide-big python "$collide" '[{"style":"assert","code":"assert len(set(f(60000))) == 3"}]' '{"entry_point":"f","time_limit_ms":1000}'
	rec py-after python 'def f(n):
    return n' '[{"style":"assert","code":"assert f(3) == 3"}]' '{"entry_point":"f","time_limit_ms":1000}'
	rec js-busy javascript 'function f(n) { return Array.from({length: n}, (_, i) => i % 7); }' '[{"style":"assert","code":"assert.strictEqual(f(30000).filter((x, i, a) => a.indexOf(x) === i && a.lastIndexOf(x) >= 0 && a.slice(0, i).indexOf(x) < 0).length, 3)"}]' '{"entry_point":"f","time_limit_ms":1000}'
	rec c-busy c 'int f(int n) { return n; }' '[{"style":"assert","code":"volatile long s = 0; for (long i = 0; i < 150000000L * f(1); i++) s += i; assert(s == 3);"}]' '{"entry_point":"f","time_limit_ms":3000}'
	rec sh-busy bash 'f() { i=0; while [ $i -lt 20000 ]; do echo $((i % 7)); i=$((i + 1)); done; }' '[{"style":"assert","code":"[ \"$(f | sort | uniq | wc -l)\" = 3 ]"}]' '{"entry_point":"f","time_limit_ms":3000}'
} >in.ndjson
run ab-exec -j 1 --wall-ms 3000 in.ndjson
expect_rc 0 "ab-exec runs every record"
cp "$T/out" out.ndjson

# num ID EXPR: a number from the record's exec member.
num() {
	jq -r --arg id "$1" "select(.task.id == \$id) | .exec | $2" out.ndjson
}
# wrong_answer; on a loaded machine the wall clock may stop it first.
v=$(num py-collide-small .verdict)
case $v in
wrong_answer|time_limit) ok "py-collide-small: $v" ;;
*) not_ok "py-collide-small: verdict $v, expected wrong_answer" ;;
esac
c=$(num py-collide-small '.cpu_ms | floor')
if [ -n "$c" ] && [ "$c" -ge 100 ]; then
	ok "py-collide-small: the checker's work is in cpu_ms ($c ms)"
else
	not_ok "py-collide-small: cpu_ms ${c:-none}: the checker's work is not counted"
fi
expect_verdict out.ndjson py-collide-big time_limit
w=$(num py-collide-big '.wall_ms | floor')
c=$(num py-collide-big '.cpu_ms | floor')
if [ -n "$w" ] && [ "$w" -le 4000 ]; then
	ok "py-collide-big: the record came within the wall limit and a second ($w ms)"
else
	not_ok "py-collide-big: wall_ms ${w:-none}: the busy checker held the run"
fi
if [ -n "$c" ] && [ "$c" -ge 200 ]; then
	ok "py-collide-big: the checker's work is in cpu_ms ($c ms)"
else
	not_ok "py-collide-big: cpu_ms ${c:-none}: the checker's work is not counted"
fi
expect_verdict out.ndjson py-after ok
for id in js-busy c-busy sh-busy; do
	v=$(num "$id" .verdict)
	c=$(num "$id" '.cpu_ms | floor')
	case $v in
	wrong_answer|time_limit)
		if [ -n "$c" ] && [ "$c" -ge 100 ]; then
			ok "$id: $v, the checker's work in cpu_ms ($c ms)"
		else
			not_ok "$id: $v, cpu_ms ${c:-none}: the checker's work is not counted"
		fi ;;
	*) not_ok "$id: verdict $v" ;;
	esac
done
expect_clean checker-work
done_testing
