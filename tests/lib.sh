# lib.sh - TAP helpers for ab's shell tests.  Source it first:
#   . "$(dirname "$0")/lib.sh"
# Provides: $TOP (source tree), $T (a scratch directory removed at exit),
# run (captures $T/out, $T/err and $rc), ok/not_ok/check/expect_*, skip_all,
# and done_testing, which prints the plan and sets the exit status.
# A program killed by a signal is always a failure, never an expected one.

TOP=$(cd "$(dirname "$0")/.." && pwd)
PATH=$TOP/bin:$PATH
AB_SHARE=$TOP/share/ab
export PATH AB_SHARE
unset AB_DB
# The suite's caches (ab-gen's answers, ab-exec's precompiled headers)
# live in the tree, shared by the test files and removed by make clean,
# never in the user's home; a test that needs its own sets it again.
XDG_CACHE_HOME=$TOP/tests/out/cache
export XDG_CACHE_HOME
mkdir -p "$XDG_CACHE_HOME"
# When python3 on PATH is a script (a version manager's shim: pyenv's
# starts a hundred processes, ten times the interpreter's own start), the
# tests and the programs under test start an interpreter directly, through
# a link in tests/out/bin (the sandbox has its own PATH): Debian's
# /usr/bin/python3, which make deps installs with SciPy, else the one the
# shim chooses.  (A version manager's interpreter can be slow to start:
# one here loads a site hook that imports certifi, 87 ms a start against
# Debian's 40.)  make check and make test choose again.
_py=$(command -v python3 2>/dev/null) || _py=
if [ -n "$_py" ] && [ "$(head -c 2 "$_py" 2>/dev/null)" = "#!" ]; then
	if [ ! -x "$TOP/tests/out/bin/python3" ]; then
		_real=/usr/bin/python3
		[ -x "$_real" ] && [ "$(head -c 2 "$_real")" != "#!" ] ||
			_real=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null)
		if [ -x "$_real" ] && [ "$(head -c 2 "$_real")" != "#!" ]; then
			mkdir -p "$TOP/tests/out/bin"
			ln -sf "$_real" "$TOP/tests/out/bin/python3.$$"
			mv -f "$TOP/tests/out/bin/python3.$$" "$TOP/tests/out/bin/python3"
		fi
	fi
	[ -x "$TOP/tests/out/bin/python3" ] && PATH=$TOP/bin:$TOP/tests/out/bin:${PATH#"$TOP/bin:"}
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/ab-test.XXXXXX")
trap 'jq_flush; rm -rf "$T"' EXIT
_n=0
_failed=0
_q=$T/.jq	# the checks of expect_jq waiting to be judged (jq_flush)
mkdir "$_q"
_soh=$(printf '\001')
exec 3>&1	# the TAP stream, for must (whose stdout may be a file)

# _tap LINE: a line of the TAP stream; it waits behind checks of
# expect_jq not judged yet, so that the stream keeps its order.
_tap() {
	if [ -s "$_q/list" ]; then printf '%s\n' "$1" >>"$_q/lines"
	else printf '%s\n' "$1"; fi
}
ok() { _n=$((_n + 1)); _tap "ok $_n - $*"; }
not_ok() { _n=$((_n + 1)); _failed=$((_failed + 1)); _tap "not ok $_n - $*"; }
diag() { _tap "$(printf '%s\n' "$@" | sed 's/^/# /')"; }
skip() { _n=$((_n + 1)); _tap "ok $_n # skip $*"; }
# skip_all REASON: skip the rest of the file (after some tests: one skip
# line, then the plan).
skip_all() {
	if [ "$_n" -gt 0 ]; then
		skip "$*"
		done_testing
		exit $?
	fi
	echo "1..0 # skip $*"
	exit 0
}

# in_ci: true under CI (CI or AB_CI set to 1 or true; .ci/run sets both).
in_ci() {
	case "${CI:-}:${AB_CI:-}" in
	1:*|true:*|*:1|*:true) return 0 ;;
	esac
	return 1
}

# skip_env REASON: skip the whole file because this machine lacks what it
# needs (decided from the environment, never by running the program
# under test).  Under CI that is a failure which says why: CI must run it.
skip_env() {
	if in_ci; then
		not_ok "CI must run this test, but this machine cannot: $*"
		done_testing
		exit 1
	fi
	skip_all "$*"
}

# skip_part REASON: skip one part of a file because this machine lacks
# what it needs (decided from the environment); under CI a failure.
skip_part() {
	if in_ci; then
		not_ok "CI must run this, but this machine cannot: $*"
	else
		skip "$*"
	fi
}

# need_chromium: set and export CHROMIUM, a headless Chromium, or skip the
# rest of the file (under CI a failure: make deps installs it).
need_chromium() {
	CHROMIUM=
	for _c in chromium chromium-browser google-chrome; do
		command -v $_c >/dev/null 2>&1 && { CHROMIUM=$_c; export CHROMIUM; return 0; }
	done
	skip_env "chromium is not installed (make deps): browser checks skipped"
}

# chromium_dom URL OUT ERR: load URL in headless Chromium (tests/cdp.py dom,
# in make check's one browser when AB_CDP names it, else in a browser of
# its own; 300 s at most), the DOM it leaves in OUT (for a #selftest URL,
# once the page has written its result) and the console messages
# (CONSOLE lines) in ERR.
chromium_dom() {
	timeout 300 python3 "$TOP/tests/cdp.py" dom "$1" >"$2" 2>"$3"
}

# chromium_shot URL PNG WIDTH HEIGHT [EXPR]: a screenshot of URL, in a
# WIDTH x HEIGHT window, once loaded (and EXPR true), into PNG.
chromium_shot() {
	timeout 300 python3 "$TOP/tests/cdp.py" shot "$@"
}

# expect_no_console ERR: the Chromium log ERR shows no console message
# and no uncaught error.
expect_no_console() {
	if grep -E 'CONSOLE|Uncaught' "$1" >"$1.console"; then
		not_ok "no console messages"
		diag "$(head -n 5 "$1.console")"
	else
		ok "no console messages"
	fi
}

# _cgroup_mount TYPE [CONTROLLER]: the first mount point of TYPE (with
# CONTROLLER among its options) in /proc/self/mountinfo.
_cgroup_mount() {
	awk -v t="$1" -v c="$2" '{
		for (i = 7; i <= NF && $i != "-"; i++) ;
		if ($(i + 1) == t && (c == "" || ("," $(i + 3) ",") ~ ("," c ","))) {
			print $5; exit
		}
	}' /proc/self/mountinfo
}

# sandbox_missing: what this machine lacks for ab-exec's sandbox (user,
# pid, mount, net, ipc and uts namespaces; seccomp; writable memory and
# pids cgroups, v1 or v2), one line, empty when nothing.  Looks at the
# environment only: ab-exec is not run.  AB_QUICK=1 (make check) says
# there is none, so that the sandbox's tests skip.
sandbox_missing() {
	if [ "${AB_QUICK:-}" = 1 ]; then
		echo "the quick lane (make check, AB_QUICK=1) runs no sandbox"
		return
	fi
	command -v unshare >/dev/null 2>&1 || { echo "no unshare(1)"; return; }
	unshare --user --map-root-user --pid --fork --mount --net --ipc \
	    --uts true 2>/dev/null ||
		{ echo "cannot make user, pid, mount, net, ipc and uts namespaces"; return; }
	grep -q '^Seccomp:' /proc/self/status 2>/dev/null ||
		{ echo "no seccomp in this kernel"; return; }
	# Any of our controllers on v1 makes it v1 (as ab-exec decides).
	if [ -n "$(_cgroup_mount cgroup memory)$(_cgroup_mount cgroup pids)$(_cgroup_mount cgroup cpuacct)" ]
	then
		for _c in memory pids cpuacct; do
			_m=$(_cgroup_mount cgroup "$_c")
			[ -n "$_m" ] || { echo "no cgroup v1 $_c mounted"; return; }
			_o=$(sed -n "s/^[0-9]*:\\([^:]*,\\)*$_c\\(,[^:]*\\)*://p" /proc/self/cgroup)
			[ -w "$_m${_o%/}" ] ||
				{ echo "the $_c cgroup $_m${_o%/} is not writable"; return; }
		done
		return
	fi
	_m=$(_cgroup_mount cgroup2 "")
	[ -n "$_m" ] || { echo "no cgroup mounted (v1 memory and pids, or v2)"; return; }
	_o=$(sed -n 's/^0:://p' /proc/self/cgroup)
	for _c in memory pids; do
		grep -qw "$_c" "$_m/cgroup.controllers" 2>/dev/null ||
			{ echo "cgroup v2 has no $_c controller"; return; }
	done
	[ -w "$_m${_o%/}" ] ||
		{ echo "the cgroup v2 $_m${_o%/} is not writable"; return; }
}

# watch SECS PID: kill -9 PID if it still runs after SECS seconds;
# unwatch before SECS ends calls it off.  The watchdog holds none of the
# test's output open and leaves no sleep behind: prove waits for every
# writer of a test's pipe, so a stray "sleep 30" would hold the whole
# file 30 s after its last check.
watch() {
	( _s=
	trap '[ -z "$_s" ] || kill $_s; exit 0' TERM
	exec >/dev/null 2>&1 </dev/null 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&-
	sleep "$1" & _s=$!
	wait $_s && kill -9 "$2" ) &
	_dog=$!
}
unwatch() { kill $_dog 2>/dev/null; wait $_dog 2>/dev/null; }

# check DESC COMMAND...: ok when COMMAND succeeds.
check() {
	_d=$1; shift
	if "$@"; then ok "$_d"; else not_ok "$_d"; fi
}

# run COMMAND...: stdout to $T/out, stderr to $T/err, status to $rc.
# Under VALGRIND=1 (AB_VALGRIND=1) ab programs run in valgrind.
run() { run_to "$T/out" "$T/err" "$@"; }

# run_to OUT ERR COMMAND...: run, with stdout to the file OUT and stderr
# to ERR (for outputs kept apart and checked together).
run_to() {
	_ro=$1 _re=$2
	shift 2
	rc=0
	case "$1" in
	ab-*) if [ "${AB_VALGRIND:-}" = 1 ]; then
		set -- valgrind -q --error-exitcode=99 --leak-check=no "$@"
	fi ;;
	esac
	"$@" >"$_ro" 2>"$_re" || rc=$?
	if [ "$rc" -gt 128 ] && [ "$rc" -lt 160 ]; then
		not_ok "$1 was killed by signal $((rc - 128))"
		diag "$(head -c 2000 "$_re")"
	fi
}

# run_in INPUT COMMAND...: run with stdin from the file INPUT.
run_in() {
	_i=$1; shift
	rc=0
	"$@" <"$_i" >"$T/out" 2>"$T/err" || rc=$?
	if [ "$rc" -gt 128 ] && [ "$rc" -lt 160 ]; then
		not_ok "$1 was killed by signal $((rc - 128))"
		diag "$(head -c 2000 "$T/err")"
	fi
}

# must [-s STATUS] COMMAND...: a step whose output the test reads next; any
# other exit status than STATUS (default 0) is a test failure, reported
# with its stderr.  Silent when it succeeds (stderr passes through);
# stdout is the command's.  In the current shell, never in a pipeline
# (a failure would be counted in a subshell): capture to a file first.
must() {
	_want=0
	if [ "$1" = -s ]; then _want=$2; shift 2; fi
	_rc=0
	"$@" 2>"$T/must.err" || _rc=$?
	if [ "$_rc" != "$_want" ]; then
		# To the TAP stream, not where the command's output goes.
		not_ok "$* (exit $_rc, expected $_want)" >&3
		diag "$(head -c 1500 "$T/must.err")" >&3
	else
		cat "$T/must.err" >&2
	fi
}

expect_rc() {
	if [ "$rc" = "$1" ]; then ok "$2 (exit $1)"
	else not_ok "$2 (exit $rc, expected $1)"; diag "$(head -c 2000 "$T/err")"; fi
}

# expect_same FILE EXPECTED-FILE DESC
expect_same() {
	if cmp -s "$1" "$2"; then ok "$3"
	else not_ok "$3"; diag "$(diff -u "$2" "$1" | head -n 40)"; fi
}

# expect_text FILE TEXT DESC: FILE holds exactly TEXT (plus a newline).
expect_text() {
	printf '%s\n' "$2" >"$T/expected.txt"
	expect_same "$1" "$T/expected.txt" "$3"
}

# expect_contains FILE FIXED-STRING DESC
expect_contains() {
	if grep -qF -- "$2" "$1"; then ok "$3"
	else not_ok "$3"; diag "no '$2' in:" "$(head -c 1500 "$1")"; fi
}

expect_not_contains() {
	if grep -qF -- "$2" "$1"; then not_ok "$3"; diag "found '$2'"
	else ok "$3"; fi
}

# expect_jq FILE FILTER DESC: jq -e FILTER over the slurped records is true.
# No records at all, or no output of FILTER, is a failure (all(...) over
# nothing is true, and jq 1.6 -e calls no output a success); every output
# must be true.
#
# jq 1.6 takes 23 ms to start, and a make check has some 400 of these
# checks: each takes a copy of FILE now (the test may write it again) and
# waits; jq_flush judges those waiting in one jq, each filter in a try of
# its own, at the end of the file or when the queue is long.  The TAP
# lines written meanwhile wait behind them (_tap), in order.  When the one
# jq fails as a whole (a file that is not JSON, a filter that does not
# compile), each is judged alone, as jq -s would.
_jq_wrap() {
	printf 'if length == 0 then false
	    else [%s] | length > 0 and all(.[]; . != false and . != null) end' "$1"
}
expect_jq() {
	_n=$((_n + 1))
	case "$3" in
	*'
'*)	_jq_one "$_n" "$1" "$2" "$3"; return ;;
	esac
	if ! cp "$1" "$_q/$_n" 2>/dev/null; then
		_jq_one "$_n" "$1" "$2" "$3"
		return
	fi
	printf '%s' "$2" >"$_q/$_n.f"
	{ [ -s "$_q/list" ] && printf ',\n'
	printf '(try ($ab_q%s | if length == 0 then false else [
%s
] | length > 0 and all(.[]; . != false and . != null) end) catch false)' \
	    "$_n" "$2"; } >>"$_q/prog"
	printf '%s\n' "$_n" >>"$_q/list"
	printf '\001%s %s\n' "$_n" "$3" >>"$_q/lines"
	_qn=$((${_qn:-0} + 1))
	[ "$_qn" -lt 100 ] || jq_flush
}
# _jq_one N FILE FILTER DESC: check number N judged at once, alone.
_jq_one() {
	if jq -e -s "$(_jq_wrap "$3")" "$2" >/dev/null 2>&1; then
		_tap "ok $1 - $4"
	else
		_failed=$((_failed + 1))
		_tap "not ok $1 - $4"
		diag "jq -s '$3' was false (or no record) on:" "$(head -c 1500 "$2")"
	fi
}
# jq_flush: judge the checks waiting, then write the TAP lines waiting.
jq_flush() {
	[ -s "$_q/list" ] || return 0
	set --
	while read -r _i; do
		set -- "$@" --slurpfile "ab_q$_i" "$_q/$_i"
	done <"$_q/list"
	_res=$({ printf '['; cat "$_q/prog"; printf ']'; } |
	    jq -n -c "$@" -f /dev/stdin 2>/dev/null) || _res=
	_res=${_res#[}
	_res=${_res%]},
	mv "$_q/lines" "$_q/lines.now"
	rm -f "$_q/list" "$_q/prog"
	_qn=0
	while IFS= read -r _l; do
		case "$_l" in
		"$_soh"*) ;;
		*) printf '%s\n' "$_l"; continue ;;
		esac
		_l=${_l#?}
		_i=${_l%% *} _d=${_l#* }
		case "$_res" in
		true,*) _res=${_res#true,}; _tap "ok $_i - $_d" ;;
		false,*) _res=${_res#false,}
			_failed=$((_failed + 1))
			_tap "not ok $_i - $_d"
			diag "jq -s '$(cat "$_q/$_i.f")' was false (or no record) on:" \
			    "$(head -c 1500 "$_q/$_i")" ;;
		*) _res=; _jq_one "$_i" "$_q/$_i" "$(cat "$_q/$_i.f")" "$_d" ;;
		esac
	done <"$_q/lines.now"
	rm -rf "$_q"
	mkdir "$_q"
}

done_testing() {
	jq_flush
	echo "1..$_n"
	[ "$_failed" -eq 0 ]
}
