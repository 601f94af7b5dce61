# hostile.sh - the driver of the hostile corpus, sourced by the t31xx
# tests after tests/lib.sh.  Needs root: it makes pid and mount
# namespaces (wrap.sh) and cgroups (an outer fence).
#
# A case is a directory tests/hostile/GROUP/CASE/ holding
#   task.json       the task, in the shared task format (id, language, tests,
#                   limits); an io test's expected stdout may name a secret
#                   (see below), so the attack only passes if it stole it
#   solution.EXT    the submission (py, c, js, sh)
#   expect          KEY=VALUE lines (and # comments):
#                     verdict=V[|V...]  the verdicts a sound engine may give
#                     actual=TEXT       a test's actual output must contain it
#                     args=...          extra ab-exec options (word-split)
#                     budget_ms=N       the record must come within N ms
#                                       (default: --wall-ms + 500, + 2000 for c,
#                                       + 4000 for cpp;
#                                       HOSTILE_SLACK_MS replaces the 500, and
#                                       is 1500 for a sanitized ab-exec)
#                     jobs=N            ab-exec -j (default 1)
#                     todo=REASON       a known engine weakness (TAP TODO)
#                     neighbor=V        the neighbor's verdict (checked when
#                                       given: a "correct" sample that
#                                       leaves a mark must pass)
#   neighbor.json   optional, with neighbor.EXT: another task and code,
#                   run first: beside the case with jobs=2, before it in
#                   the same slot with jobs=1
# Placeholders substituted in every file before the run:
#   @CANARY_FILE@ @CANARY_DIR@ @CANARY_PORT@  where the canaries are
#   @CANARY_TOKEN@ @LISTENER_TOKEN@ @SECRET_KEY@ @EXPECTED_TOKEN@
#   @NEIGHBOR_TOKEN@                          secrets (only in tasks)
# HOSTILE_ONLY=PATTERN runs only the matching cases; HOSTILE_VERBOSE=1
# shows each case's verdicts and outputs; HOSTILE_ARGS adds ab-exec
# options to every case (e.g. --cold, to attack the cold path).
# Every case runs as a batch of two records, the case and then a plain
# python control, which must come out "ok": the slot keeps working.
# After each: exit 0 and one record per input, in order; the verdict; the
# control; the case's record within its budget; no process left (in the
# wrapper's pid namespace, and none named "hostile-linger" 300 ms after
# any record), no file in /tmp, /var/tmp, /dev/shm, no cgroup left in the
# fence; the canary file and directory unchanged, the canary listener
# never reached; no secret in a record (outside its task) or on stderr;
# no record over 1 MB.

HOSTILE=$TOP/tests/hostile
# The test's own helpers run in the system python (a version manager's
# shim costs more than the cases).
HOSTILE_PY=/usr/bin/python3
[ -x "$HOSTILE_PY" ] || HOSTILE_PY=python3
export HOSTILE_PY

hostile_token() {
	od -An -tx1 -N12 /dev/urandom | tr -d ' \n'
}

# hostile_setup: the canaries, the fence and the safety probe.  Skips the
# whole file when not root or without namespaces.
hostile_setup() {
	[ "$(id -u)" = 0 ] ||
		skip_env "the hostile corpus needs root (namespaces, cgroups)"
	for c in unshare jq python3 od timeout; do
		command -v $c >/dev/null 2>&1 || skip_env "no $c"
	done
	unshare --pid --fork --mount true 2>/dev/null ||
		skip_env "cannot make pid and mount namespaces"
	# The fence replaces these: the canaries must be outside them.
	case $T in
	/tmp/*|/var/tmp/*|/dev/shm/*)
		skip_all "\$T must not be under /tmp (set TMPDIR)" ;;
	esac
	C=$T/canary
	mkdir -p "$C"
	CANARY_TOKEN=HOSTILE-CANARY-$(hostile_token)
	LISTENER_TOKEN=HOSTILE-LISTENER-$(hostile_token)
	SECRET_KEY=sk-hostile-$(hostile_token)
	# The host's own secret: the first line of /etc/shadow, which a
	# compiler's error message would quote.
	SHADOW_LINE=$(head -n 1 /etc/shadow 2>/dev/null)
	[ -n "$SHADOW_LINE" ] || SHADOW_LINE=$SECRET_KEY
	EXPECTED_TOKEN=HOSTILE-EXPECTED-$(hostile_token)
	NEIGHBOR_TOKEN=HOSTILE-NEIGHBOR-$(hostile_token)
	printf '%s\n' "$CANARY_TOKEN" >"$C/canary.txt"
	printf 'int canary_answer(void) { return 42; }\n' >"$C/answer.h"
	chmod 644 "$C/canary.txt" "$C/answer.h"
	chmod 755 "$C" "$T"
	canary_state >"$T/canary.before"
	"$HOSTILE_PY" "$HOSTILE/canary-listener.py" "$T/port" "$T/listener.log" \
	    "$LISTENER_TOKEN" 600 &
	LISTENER=$!
	i=0
	while [ ! -s "$T/port" ] && [ $i -lt 100 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	[ -s "$T/port" ] || { not_ok "the canary listener starts"; done_testing; exit 1; }
	CANARY_PORT=$(cat "$T/port")
	: >"$T/listener.log"
	# The secrets ab-exec itself holds: none may reach a run or a record.
	OPENAI_API_KEY=$SECRET_KEY
	AB_HOSTILE_SECRET=$SECRET_KEY
	export OPENAI_API_KEY AB_HOSTILE_SECRET
	trap 'hostile_cleanup; rm -rf "$T"' EXIT
	# A record must come within its limit + 0.5 s; a sanitized build of
	# ab-exec is slower at killing and reaping, and gets 1.5 s.
	if [ -z "${HOSTILE_SLACK_MS:-}" ]; then
		HOSTILE_SLACK_MS=500
		ldd "$TOP/bin/ab-exec" 2>/dev/null | grep -q -e libasan -e libubsan &&
			HOSTILE_SLACK_MS=1500
	fi
	hostile_fence
	hostile_probe
}

hostile_cleanup() {
	[ -n "${LISTENER:-}" ] && kill "$LISTENER" 2>/dev/null
	[ -n "${LISTENER:-}" ] && wait "$LISTENER" 2>/dev/null
	[ -n "${FENCE_PIDS:-}" ] &&
		echo $$ >"$FENCE_PIDS_PARENT/cgroup.procs" 2>/dev/null
	[ -n "${FENCE_MEM:-}" ] &&
		echo $$ >"$FENCE_MEM_PARENT/cgroup.procs" 2>/dev/null
	# Whatever the engine left inside (reported by the cases) goes too,
	# deepest first; a task still exiting may hold a cgroup a moment.
	for f in ${FENCE_PIDS:-} ${FENCE_MEM:-}; do
		i=0
		while [ -d "$f" ] && [ $i -lt 20 ]; do
			find "$f" -depth -type d -exec rmdir {} + 2>/dev/null
			[ -d "$f" ] && sleep 0.05
			i=$((i + 1))
		done
		[ -d "$f" ] && echo "# could not remove the cgroup $f" >&2
	done
	return 0
}

# The canary's content, inode and times, and the canary directory.
canary_state() {
	stat -c '%n %i %s %Y %Z %a' "$C" "$C/canary.txt" "$C/answer.h"
	cat "$C/canary.txt"
	ls -a "$C"
}

# An outer fence around this test and all it starts (cgroup v1 pids and
# memory, beneath our own cgroups): should the sandbox be broken, a fork
# bomb or a memory hog still cannot take the shared machine down.  The
# engine nests its own cgroups inside; after each case none may be left.
hostile_fence() {
	FENCE_PIDS=''
	FENCE_MEM=''
	p=$(sed -n 's/^[0-9]*:pids:\(.*\)/\1/p' /proc/self/cgroup)
	if [ -n "$p" ] && [ -d /sys/fs/cgroup/pids ]; then
		FENCE_PIDS_PARENT=/sys/fs/cgroup/pids${p%/}
		FENCE_PIDS=$FENCE_PIDS_PARENT/ab-hostile-$$
		if mkdir "$FENCE_PIDS" 2>/dev/null &&
		    echo 2048 >"$FENCE_PIDS/pids.max" &&
		    echo $$ >"$FENCE_PIDS/cgroup.procs"; then
			:
		else
			diag "no pids fence"
			rmdir "$FENCE_PIDS" 2>/dev/null
			FENCE_PIDS=
		fi
	fi
	p=$(sed -n 's/^[0-9]*:memory:\(.*\)/\1/p' /proc/self/cgroup)
	if [ -n "$p" ] && [ -d /sys/fs/cgroup/memory ]; then
		FENCE_MEM_PARENT=/sys/fs/cgroup/memory${p%/}
		FENCE_MEM=$FENCE_MEM_PARENT/ab-hostile-$$
		if mkdir "$FENCE_MEM" 2>/dev/null &&
		    echo 6G >"$FENCE_MEM/memory.limit_in_bytes" &&
		    echo $$ >"$FENCE_MEM/cgroup.procs"; then
			:
		else
			diag "no memory fence"
			rmdir "$FENCE_MEM" 2>/dev/null
			FENCE_MEM=
		fi
	fi
}

# Cgroups or tasks the engine left inside the fence.
fence_leftovers() {
	for f in $FENCE_PIDS $FENCE_MEM; do
		find "$f" -mindepth 1 -type d 2>/dev/null |
		while IFS= read -r d; do
			echo "cgroup left: $d"
			sed "s|^|task left in $d: |" "$d/cgroup.procs" 2>/dev/null
		done
	done
}

subst() {
	sed -e "s|@CANARY_FILE@|$C/canary.txt|g" -e "s|@CANARY_DIR@|$C|g" \
	    -e "s|@CANARY_PORT@|$CANARY_PORT|g" \
	    -e "s|@CANARY_TOKEN@|$CANARY_TOKEN|g" \
	    -e "s|@LISTENER_TOKEN@|$LISTENER_TOKEN|g" \
	    -e "s|@SECRET_KEY@|$SECRET_KEY|g" \
	    -e "s|@EXPECTED_TOKEN@|$EXPECTED_TOKEN|g" \
	    -e "s|@NEIGHBOR_TOKEN@|$NEIGHBOR_TOKEN|g" "$1"
}

# record TASK-FILE CODE-FILE SAMPLE: one record as ab-extract leaves it.
record() {
	jq -c -n --slurpfile task "$1" --rawfile code "$2" --argjson s "$3" \
	    --arg run "hostile-$$" '{
		id: ($task[0].id + "/hostile/" + ($s | tostring)), run: $run,
		task: $task[0], config: {name: "hostile", hash: "hostile"},
		sample: $s, gen: {text: $code, error: null},
		extract: {code: $code, language: $task[0].language,
		    method: "hostile", blocks: 1, error: null}}'
}

# The control: a plain python program that must pass after any case.
control_record() {
	if [ -s "$T/control.rec" ]; then
		cat "$T/control.rec"
		return
	fi
	cat >"$T/control.json" <<'EOC'
{"id": "hostile-control", "language": "python", "difficulty": "easy",
 "category": "algorithms", "prompt": "Print the sum of two integers.",
 "tests": [{"style": "io", "stdin": "2 3\n", "stdout": "5\n"}]}
EOC
	printf 'a, b = map(int, input().split())\nprint(a + b)\n' >"$T/control.py"
	record "$T/control.json" "$T/control.py" 0 >"$T/control.rec"
	cat "$T/control.rec"
}

# A known weakness of the engine, named in the case's expect file
# (todo=REASON): its verdict check is a TAP TODO, reported but not
# failing the file, and "unexpectedly succeeded" once it is fixed.  Only
# the verdict: what must be contained stays a plain test.
todo_not_ok() {
	_n=$((_n + 1))
	echo "not ok $_n - $1 # TODO $2"
}

expect_get() {
	sed -n "s/^$2=//p" "$1/expect" | head -n 1
}

# hostile_run DIR ARGS...: run ab-exec ARGS on DIR/in in the wrapper.
hostile_run() {
	_d=$1
	shift
	rm -f "$_d/out" "$_d/err" "$_d/rc" "$_d/times" "$_d/linger" \
	    "$_d/procs" "$_d/files" "$_d"/killed.*
	# A hung engine must not hang the test: the whole namespace dies
	# with unshare (--kill-child).
	timeout -s KILL "${HOSTILE_TIMEOUT:-120}" \
	    unshare --pid --fork --kill-child --mount --propagation private \
	    sh "$HOSTILE/wrap.sh" "$_d" "$@" >"$_d/wrap.out" 2>&1
	_wrc=$?
	[ "$_wrc" = 0 ] || diag "wrap.sh exited $_wrc: $(head -c 500 "$_d/wrap.out")"
}

# run_case CASEDIR: run one case and check everything about it.
run_case() {
	cd_=$1
	name=$(basename "$(dirname "$cd_")")/$(basename "$cd_")
	w=$T/case/$(basename "$cd_")
	rm -rf "$w"
	mkdir -p "$w"
	subst "$cd_/task.json" >"$w/task.json"
	for sol in "$cd_"/solution.*; do :; done
	subst "$sol" >"$w/solution"
	lang=$(sed -n 's/.*"language": *"\([a-z]*\)".*/\1/p' "$w/task.json" | head -n 1)
	want=$(expect_get "$cd_" verdict)
	actual=$(expect_get "$cd_" actual)
	args=$(expect_get "$cd_" args)
	jobs=$(expect_get "$cd_" jobs)
	budget=$(expect_get "$cd_" budget_ms)
	todo=$(expect_get "$cd_" todo)
	[ -n "$jobs" ] || jobs=1
	if [ -z "$budget" ]; then
		wall=$(printf '%s\n' "$args" | sed -n 's/.*--wall-ms \([0-9]*\).*/\1/p')
		[ -n "$wall" ] || wall=3000
		budget=$((wall + HOSTILE_SLACK_MS))
		case $lang in
		c) budget=$((budget + 2000)) ;;
		cpp) budget=$((budget + 4000)) ;;
		esac
	else
		budget=$((budget + HOSTILE_SLACK_MS - 500))
	fi
	: >"$w/in"
	nrec=2
	first=0
	if [ -f "$cd_/neighbor.json" ]; then
		subst "$cd_/neighbor.json" >"$w/neighbor.json"
		for nb in "$cd_"/neighbor.*; do
			case $nb in *.json) ;; *) subst "$nb" >"$w/neighbor.code" ;; esac
		done
		record "$w/neighbor.json" "$w/neighbor.code" 0 >>"$w/in"
		nrec=3
		first=1
	fi
	record "$w/task.json" "$w/solution" 0 >>"$w/in"
	control_record >>"$w/in"
	# shellcheck disable=SC2086
	hostile_run "$w" -j "$jobs" $args ${HOSTILE_ARGS:-}

	# What came out, in one pass of jq.
	# A secret may be in the task (as its expected output), nowhere else.
	ids=bad got=none nv=none cv=none act=skip leak=no big=no
	while IFS='=' read -r k v; do
		case $k in
		ids) ids=$v ;;
		got) got=$v ;;
		nv) nv=$v ;;
		cv) cv=$v ;;
		act) act=$v ;;
		leak) leak=$v ;;
		big) big=$v ;;
		esac
	done <<EOJ
$(jq -r -s --slurpfile in "$w/in" --argjson f "$first" --arg a "$actual" \
    --arg s1 "$SECRET_KEY" --arg s2 "$CANARY_TOKEN" --arg s3 "$LISTENER_TOKEN" \
    --arg s4 "$NEIGHBOR_TOKEN" --arg s5 "$EXPECTED_TOKEN" \
    --arg s6 "$SHADOW_LINE" '
	"ids=" + (if [.[].id] == [$in[].id] then "ok" else "bad" end),
	"got=" + (.[$f].exec.verdict // "none" | tostring),
	"nv=" + (if $f == 1 then (.[0].exec.verdict // "none" | tostring)
	    else "none" end),
	"cv=" + (.[-1].exec.verdict // "none" | tostring),
	"act=" + (if $a == "" then "skip" elif ([.[$f].exec.tests[]? |
	    .actual // "" | tostring | contains($a)] | any) then "ok"
	    else "bad" end),
	"leak=" + ([.[] | del(.task) | del(.exec.tests[]?.expected) |
	    tostring | contains($s1) or contains($s2) or contains($s3) or
	    contains($s4) or contains($s5) or contains($s6)] |
	    if any then "yes" else "no" end),
	"big=" + ([.[] | tostring | length > 1048576] |
	    if any then "yes" else "no" end)' "$w/out" 2>/dev/null)
EOJ
	# 1. Exactly the records that went in, in order, each valid JSON.
	rc=$(cat "$w/rc" 2>/dev/null || echo none)
	n=$(wc -l <"$w/out" 2>/dev/null || echo 0)
	if [ "$rc" = 0 ] && [ "$n" = "$nrec" ] && [ "$ids" = ok ]; then
		ok "$name: one record per input, in order (exit 0)"
	else
		not_ok "$name: one record per input, in order (exit $rc, $n records, expected $nrec)"
		diag "$(head -c 1500 "$w/err" 2>/dev/null)"
	fi
	# 2. The verdict.
	if [ "${HOSTILE_VERBOSE:-}" = 1 ]; then
		diag "$(jq -c -s ".[$first].exec | [.verdict, [.tests[] |
		    [.verdict, .signal, (.actual // \"\" | tostring | .[:80]),
		    (.error // \"\" | tostring | .[:80])]]]" "$w/out" 2>/dev/null)"
	fi
	case "|$want|" in
	*"|$got|"*)
		if [ -n "$todo" ]; then
			ok "$name: verdict $got # TODO $todo"
		else
			ok "$name: verdict $got"
		fi ;;
	*)
		if [ -n "$todo" ]; then
			todo_not_ok "$name: verdict $got, expected $want" "$todo"
		else
			not_ok "$name: verdict $got, expected $want"
		fi
		diag "$(jq -c -s ".[$first].exec | del(.limits, .isolation)" "$w/out" 2>/dev/null | head -c 2000)" ;;
	esac
	wantn=$(expect_get "$cd_" neighbor)
	if [ -n "$wantn" ]; then
		if [ "$nv" = "$wantn" ]; then
			ok "$name: the neighbor before it: verdict $nv"
		else
			not_ok "$name: the neighbor before it: verdict $nv, expected $wantn"
			diag "$(jq -c -s '.[0].exec | del(.limits, .isolation)' "$w/out" 2>/dev/null | head -c 1500)"
		fi
	fi
	if [ "$act" = ok ]; then
		ok "$name: the attack ran and was contained ($actual)"
	elif [ "$act" = bad ]; then
		not_ok "$name: no test output holds \"$actual\""
		diag "$(jq -c -s ".[$first].exec.tests" "$w/out" 2>/dev/null | head -c 1500)"
	fi
	# 3. The next record runs normally.
	if [ "$cv" = ok ]; then
		ok "$name: the control after it passes"
	else
		not_ok "$name: the control after it gave $cv"
		diag "$(jq -c -s '.[-1].exec' "$w/out" 2>/dev/null | head -c 1000)"
	fi
	# 4. In time.
	ms=$(sed -n "$((first + 1))p" "$w/times" 2>/dev/null)
	if [ -n "$ms" ] && [ "$ms" -le "$budget" ]; then
		ok "$name: the record came in $ms ms (budget $budget)"
	else
		not_ok "$name: the record came in ${ms:-never} ms (budget $budget)"
	fi
	# 5. Nothing left, nothing touched, nothing leaked.
	canary_state >"$T/canary.after"
	fence_leftovers >"$w/cgroups"
	bad=
	[ -s "$w/procs" ] && bad="$bad processes-left"
	[ -s "$w/linger" ] && bad="$bad lingering-after-record"
	[ -s "$w/files" ] && bad="$bad files-left"
	[ -s "$w/cgroups" ] && bad="$bad cgroups-left"
	cmp -s "$T/canary.before" "$T/canary.after" || bad="$bad canary-touched"
	[ -s "$T/listener.log" ] && bad="$bad listener-reached"
	[ "$leak" = no ] || bad="$bad secret-in-output"
	if grep -qF -e "$SECRET_KEY" -e "$CANARY_TOKEN" -e "$LISTENER_TOKEN" \
	    -e "$NEIGHBOR_TOKEN" -e "$EXPECTED_TOKEN" -e "$SHADOW_LINE" \
	    "$w/err" 2>/dev/null; then
		bad="$bad secret-in-stderr"
	fi
	[ "$big" = no ] || bad="$bad record-over-1MB"
	if [ -z "$bad" ]; then
		ok "$name: contained (no process, file, cgroup left; canaries intact)"
	else
		not_ok "$name: not contained:$bad"
		diag "$(cat "$w/procs" "$w/linger" "$w/cgroups" 2>/dev/null | head -n 10)"
		diag "$(head -n 10 "$w/files" 2>/dev/null)"
		diag "$(diff "$T/canary.before" "$T/canary.after" | head -n 10)"
		diag "$(head -n 5 "$T/listener.log")"
		# Restore the canaries for the next cases.
		printf '%s\n' "$CANARY_TOKEN" >"$C/canary.txt"
		canary_state >"$T/canary.before"
		: >"$T/listener.log"
	fi
}

# The safety probe: a benign case that checks, from inside, that runs
# are in their own pid and net namespaces, cannot map to host root and
# cannot write system directories.  Until it passes, no hostile case
# runs: without a sandbox they would hit the machine itself.
hostile_probe() {
	w=$T/case/probe
	mkdir -p "$w"
	cat >"$w/task.json" <<'EOP'
{"id": "hostile-probe", "language": "python", "difficulty": "easy",
 "category": "edge-cases", "prompt": "Say whether you are isolated.",
 "tests": [{"style": "io", "stdin": "", "stdout": "isolated\n"}]}
EOP
	cat >"$w/solution" <<'EOP'
import os
why = []
procs = [p for p in os.listdir("/proc") if p.isdigit()]
if len(procs) > 20:
    why.append("sees %d processes" % len(procs))
with open("/proc/net/dev") as f:
    nics = [l.split(":")[0].strip() for l in f.readlines()[2:]]
if [n for n in nics if n != "lo"]:
    why.append("network interfaces %s" % nics)
with open("/proc/self/uid_map") as f:
    for l in f:
        inside, outside, count = map(int, l.split())
        if outside == 0:
            why.append("uid %d is host root" % inside)
for d in ("/etc", "/usr", "/bin"):
    try:
        open(d + "/ab-hostile-probe", "w").close()
        why.append("can write " + d)
    except OSError:
        pass
print("isolated" if not why else "; ".join(why))
EOP
	record "$w/task.json" "$w/solution" 0 >"$w/in"
	hostile_run "$w" -j 1 --wall-ms 5000
	v=$(jq -r -s '.[0].exec.verdict' "$w/out" 2>/dev/null)
	if [ "$v" = ok ]; then
		ok "probe: runs are isolated (pid, net, uid, read-only system)"
	else
		not_ok "probe: runs are not isolated (verdict ${v:-none}): hostile cases not run"
		diag "$(jq -c -s '.[0].exec' "$w/out" 2>/dev/null | head -c 1500)"
		diag "$(head -c 1000 "$w/err" 2>/dev/null)"
		done_testing
		exit 1
	fi
}

# run_group GROUP: every case of tests/hostile/GROUP, in name order
# (only those whose name matches the shell pattern $HOSTILE_ONLY, if set).
run_group() {
	for cd_ in "$HOSTILE/$1"/*/; do
		[ -f "$cd_/expect" ] || continue
		# shellcheck disable=SC2254
		case $(basename "$cd_") in
		${HOSTILE_ONLY:-*}) ;;
		*) continue ;;
		esac
		run_case "${cd_%/}"
	done
}
