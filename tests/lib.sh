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
T=$(mktemp -d "${TMPDIR:-/tmp}/ab-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
_n=0
_failed=0

ok() { _n=$((_n + 1)); echo "ok $_n - $*"; }
not_ok() { _n=$((_n + 1)); _failed=$((_failed + 1)); echo "not ok $_n - $*"; }
diag() { printf '%s\n' "$@" | sed 's/^/# /'; }
skip() { _n=$((_n + 1)); echo "ok $_n # skip $*"; }
skip_all() { echo "1..0 # skip $*"; exit 0; }

# check DESC COMMAND...: ok when COMMAND succeeds.
check() {
	_d=$1; shift
	if "$@"; then ok "$_d"; else not_ok "$_d"; fi
}

# run COMMAND...: stdout to $T/out, stderr to $T/err, status to $rc.
# Under VALGRIND=1 (AB_VALGRIND=1) ab programs run in valgrind.
run() {
	rc=0
	case "$1" in
	ab-*) if [ "${AB_VALGRIND:-}" = 1 ]; then
		set -- valgrind -q --error-exitcode=99 --leak-check=no "$@"
	fi ;;
	esac
	"$@" >"$T/out" 2>"$T/err" || rc=$?
	if [ "$rc" -gt 128 ] && [ "$rc" -lt 160 ]; then
		not_ok "$1 was killed by signal $((rc - 128))"
		diag "$(head -c 2000 "$T/err")"
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
expect_jq() {
	if jq -e -s "$2" "$1" >/dev/null 2>&1; then ok "$3"
	else not_ok "$3"; diag "jq -s '$2' was false on:" "$(head -c 1500 "$1")"; fi
}

done_testing() {
	echo "1..$_n"
	[ "$_failed" -eq 0 ]
}
