#!/bin/bash
. tests/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/a.log" <<'L'
2024-05-01T10:00:00 INFO started
2024-05-01T10:00:01 DEBUG x=1
2024-05-01T10:00:02 WARN disk 91%
2024-05-01T10:00:03 ERROR failed to write
2024-05-01T10:00:04 INFO retry
L
printf '2024-05-01T11:00:00 ERROR again\n' > "$tmp/b.log"
t "all levels" [ "$(./logsum "$tmp/a.log")" = "$(printf 'DEBUG 1\nINFO 2\nWARN 1\nERROR 1')" ]
t "two files" [ "$(./logsum "$tmp/a.log" "$tmp/b.log" | tail -n 1)" = "ERROR 2" ]
t "-l WARN" [ "$(./logsum -l WARN "$tmp/a.log" "$tmp/b.log")" = "$(printf 'WARN 1\nERROR 2')" ]
t "-l DEBUG is everything" [ "$(./logsum -l DEBUG "$tmp/a.log")" = "$(./logsum "$tmp/a.log")" ]
t "-l ERROR from stdin" [ "$(./logsum -l ERROR < "$tmp/a.log")" = "ERROR 1" ]
t "stdin" [ "$(./logsum < "$tmp/b.log")" = "ERROR 1" ]
./logsum -l LOUD "$tmp/a.log" > "$tmp/out" 2> "$tmp/err"; rc=$?
t "unknown level" [ "$rc" = 2 -a ! -s "$tmp/out" -a "$(cat "$tmp/err")" = "logsum: unknown level: LOUD" ]
finish
