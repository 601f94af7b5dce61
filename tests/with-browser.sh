#!/bin/sh
# with-browser.sh COMMAND...: run COMMAND (make check's prove) with one
# headless Chromium for all of its test files instead of one per page:
# tests/cdp.py serve, whose socket AB_CDP names, starts it at once (and
# again if it dies); each page still has a browser context of its own.
# The server is bounded in time (an hour) and stopped when COMMAND ends;
# a test file run alone starts its own browser.  Without python3 or
# Chromium, COMMAND runs as it is (the tests decide what that means).
TOP=$(cd "$(dirname "$0")/.." && pwd)
pid=
d=
for c in chromium chromium-browser google-chrome; do
	command -v $c >/dev/null 2>&1 && { CHROMIUM=$c; break; }
done
if [ -n "${CHROMIUM:-}" ] && command -v python3 >/dev/null 2>&1 &&
    d=$(mktemp -d "${TMPDIR:-/tmp}/ab-cdp.XXXXXX"); then
	export CHROMIUM
	timeout 3600 python3 "$TOP/tests/cdp.py" serve "$d" </dev/null \
	    >"$d/log" 2>&1 &
	pid=$!
	i=0
	while [ ! -S "$d/cdp.sock" ] && [ $i -lt 100 ] && kill -0 $pid 2>/dev/null; do
		sleep 0.05
		i=$((i + 1))
	done
	if [ -S "$d/cdp.sock" ]; then
		AB_CDP=$d/cdp.sock
		export AB_CDP
	else
		echo "with-browser.sh: the browser server did not start: $(cat "$d/log")" >&2
	fi
fi
trap 'exit 130' INT TERM
trap '[ -z "$pid" ] || { kill $pid 2>/dev/null; wait $pid; }; [ -z "$d" ] || rm -rf "$d"' EXIT
rc=0
"$@" || rc=$?
exit $rc
