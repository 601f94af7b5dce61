#!/bin/bash
. tests/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/src/a b" "$tmp/dest"
echo one > "$tmp/src/one.txt"
echo two > "$tmp/src/a b/two.txt"
echo same > "$tmp/src/same.txt"
echo same > "$tmp/dest/same.txt"
printf '# files\none.txt\n\na b/two.txt\nsame.txt\n' > "$tmp/m"
out=$(./sync -n "$tmp/m" "$tmp/src" "$tmp/dest")
t "dry run prints the plan" [ "$out" = "$(printf 'copy one.txt\ncopy a b/two.txt\nsame same.txt')" ]
t "dry run changes nothing" [ "$(cd "$tmp/dest" && find . | sort | tr '\n' ' ')" = ". ./same.txt " ]
out=$(./sync "$tmp/m" "$tmp/src" "$tmp/dest"); rc=$?
t "real run" [ "$rc" = 0 -a "$out" = "$(printf 'copy one.txt\ncopy a b/two.txt\nsame same.txt')" ]
t "files copied" cmp -s "$tmp/src/a b/two.txt" "$tmp/dest/a b/two.txt"
printf 'gone.txt\none.txt\n' > "$tmp/m2"
./sync "$tmp/m2" "$tmp/src" "$tmp/dest" > "$tmp/out" 2> "$tmp/err"; rc=$?
t "missing file: status 1, message, the rest done" [ "$rc" = 1 -a "$(cat "$tmp/err")" = "sync: missing: gone.txt" -a "$(cat "$tmp/out")" = "same one.txt" ]
./sync -n "$tmp/m2" "$tmp/src" "$tmp/dest" > "$tmp/out" 2> "$tmp/err"; rc=$?
t "missing file in a dry run" [ "$rc" = 1 -a "$(cat "$tmp/err")" = "sync: missing: gone.txt" ]
finish
