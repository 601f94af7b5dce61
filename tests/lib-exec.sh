# lib-exec.sh - helpers for the ab-exec tests (source after lib.sh).
# rec ID LANGUAGE CODE TESTS-JSON [TASK-EXTRA-JSON]: one record on stdout.
rec() {
	python3 -c 'import json, sys
a = sys.argv[1:]
t = {"id": a[0], "language": a[1], "tests": json.loads(a[3])}
t.update(json.loads(a[4]) if len(a) > 4 and a[4] else {})
print(json.dumps({"id": a[0] + "/c/0", "run": "r1", "task": t,
    "config": {"name": "c", "hash": "h"}, "sample": 0,
    "gen": {"text": a[2], "error": None},
    "extract": {"code": a[2], "error": None}}, ensure_ascii=False,
    separators=(",", ":")))' "$@"
}

# verdict_of FILE ID: the exec verdict of the record with task id ID.
verdict_of() {
	jq -r --arg id "$2" 'select(.task.id == $id) | .exec.verdict' "$1"
}

# expect_verdict FILE ID VERDICT
expect_verdict() {
	_v=$(verdict_of "$1" "$2")
	if [ "$_v" = "$3" ]; then ok "$2: $3"
	else not_ok "$2: $_v, expected $3"
		diag "$(jq -c --arg id "$2" 'select(.task.id == $id) | .exec' "$1" | head -c 1500)"
	fi
}

# tests_of FILE ID: the verdicts of the record's tests, space-separated.
tests_of() {
	jq -r --arg id "$2" 'select(.task.id == $id) |
	    [.exec.tests[].verdict] | join(" ")' "$1"
}

expect_tests() {
	_v=$(tests_of "$1" "$2")
	if [ "$_v" = "$3" ]; then ok "$2: tests $3"
	else not_ok "$2: tests '$_v', expected '$3'"
		diag "$(jq -c --arg id "$2" 'select(.task.id == $id) | .exec.tests' "$1" | head -c 1500)"
	fi
}

# expect_clean NAME [procs]: no process of ours left under the sandbox
# uids, and (unless procs) no cgroup of a dead supervisor left.
# Sandbox processes (uids 3200000 and up) that outlived their supervisor:
# a run's process whose cgroup names a dead ab-exec, or a keeper whose
# parent is gone.  Other ab-exec runs on the machine do not count, nor do
# zombies (the machine's init reaps them in its own time).
sandbox_procs() {
	ps -eo uid=,pid=,ppid=,stat=,args= |
	    awk '$1 >= 3200000 && $1 < 3300000 && $4 !~ /^Z/' |
	    while read -r _u _p _pp _st _a; do
		_cg=$(grep -o 'ab-slot\.[0-9]*\.[0-9]*' "/proc/$_p/cgroup" 2>/dev/null | head -n 1)
		if [ -n "$_cg" ]; then
			kill -0 "${_cg##*.}" 2>/dev/null && continue
		elif [ "$_pp" != 1 ] && [ "$_pp" != 0 ]; then
			continue
		fi
		echo "$_u $_p $_pp $_st $_a"
	    done
}
expect_clean() {
	_i=0
	while [ $_i -lt 20 ] && [ -n "$(sandbox_procs)" ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	if [ -n "$(sandbox_procs)" ]; then
		not_ok "$1: no sandbox process left"
		diag "$(sandbox_procs)"
	else ok "$1: no sandbox process left"; fi
	[ "${2:-}" = procs ] && return 0
	_own=$(sed -n 's/^[0-9]*:memory://p' /proc/self/cgroup)
	_ns=$(stat -L -c %i /proc/self/ns/pid)
	_left=$(ls -d /sys/fs/cgroup/memory"$_own"/ab-slot."$_ns".* \
	    /sys/fs/cgroup/pids/ab-slot."$_ns".* 2>/dev/null |
	    while read -r d; do
		p=${d##*/ab-slot.$_ns.}; p=${p%%.*}
		kill -0 "$p" 2>/dev/null || echo "$d"
	    done)
	if [ -z "$_left" ]; then ok "$1: no cgroup left"
	else not_ok "$1: no cgroup left"; diag "$_left"; fi
}

# need_sandbox: skip the whole file when this machine cannot build the
# sandbox (decided from the environment: ab-exec is not run, so a broken
# ab-exec fails the tests instead of skipping them); a failure under CI.
need_sandbox() {
	_why=$(sandbox_missing)
	[ -z "$_why" ] || skip_env "no sandbox here: $_why"
	command -v python3 >/dev/null 2>&1 || skip_env "python3 is needed to build the records"
	command -v jq >/dev/null 2>&1 || skip_env "jq is needed to read the records"
}
