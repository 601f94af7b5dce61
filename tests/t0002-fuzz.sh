#!/bin/sh
# Replays every fuzz target's corpus (tests/fuzz/corpus/NAME for
# tests/fuzz/fuzz-NAME); with SANITIZE set this is a sanitizer run.
. "$(dirname "$0")/lib.sh"
for f in "$TOP"/tests/fuzz/fuzz-*.c; do
	name=$(basename "$f" .c)
	bin="$TOP/tests/fuzz/$name"
	corpus="$TOP/tests/fuzz/corpus/${name#fuzz-}"
	run "$bin" "$corpus"
	expect_rc 0 "$name replays its corpus"
done
# The record writer: a million random doubles read back bit-exact.
head -c 8000000 /dev/urandom >"$T/doubles"
run "$TOP/tests/fuzz/fuzz-real" "$T/doubles"
expect_rc 0 "fuzz-real: a million random doubles read back bit-exact"
done_testing
