#!/bin/sh
# b05-store: ab-store ingests realistic records (answers of a few KB, ten
# tests each, every stage filled in) against the raw SQLite floor: the same
# rows, into the same schema (indexes, triggers, full-text index), in the
# same order, by one prepared statement per table in one transaction,
# without any JSON (tests/bench/b05-floor.c).
# AB_BENCH_N records (default 100000), AB_BENCH_RUNS runs each (default 3,
# alternating); prints the medians of elapsed and CPU time, the ratios, and
# the size of the database against the NDJSON.
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
N=${AB_BENCH_N:-100000}
RUNS=${AB_BENCH_RUNS:-3}
W=$(mktemp -d "${TMPDIR:-/tmp}/ab-b05.XXXXXX")
trap 'rm -rf "$W"' EXIT

# shellcheck disable=SC2046
${CC:-cc} -O2 -o "$W/floor" "$TOP/tests/bench/b05-floor.c" \
    $(pkg-config --cflags --libs sqlite3)
python3 "$TOP/tests/bench/gen-records.py" "$N" 1 bench >"$W/r.ndjson"

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

: >"$W/store.t"
: >"$W/floor.t"
i=0
while [ "$i" -lt "$RUNS" ]; do
	rm -f "$W/s.db" "$W/s.db-wal" "$W/s.db-shm"
	/usr/bin/env time -f '%e %U %S' -o "$W/time" \
	    "$TOP/bin/ab-store" -n -d "$W/s.db" "$W/r.ndjson"
	awk '{ printf "%.3f %.3f\n", $1, $2 + $3 }' "$W/time" >>"$W/store.t"
	"$W/floor" "$W/s.db" "$W/f.db" >>"$W/floor.t"
	rm -f "$W/f.db" "$W/f.db-wal" "$W/f.db-shm"
	i=$((i + 1))
done
sw=$(cut -d' ' -f1 "$W/store.t" | median)
sc=$(cut -d' ' -f2 "$W/store.t" | median)
fw=$(cut -d' ' -f1 "$W/floor.t" | median)
fc=$(cut -d' ' -f2 "$W/floor.t" | median)
nd=$(wc -c <"$W/r.ndjson")
db=$(wc -c <"$W/s.db")
echo "records: $N, $(echo "$nd $N" | awk '{ printf "%.1f", $1 / $2 / 1024 }') KiB each, $RUNS runs; load average $(cut -d' ' -f1 /proc/loadavg) on $(nproc) CPUs"
echo "ab-store elapsed/CPU s: $(awk '{ printf "%s/%s ", $1, $2 }' "$W/store.t")"
echo "floor elapsed/CPU s:    $(awk '{ printf "%s/%s ", $1, $2 }' "$W/floor.t")"
echo "$N $sw $fw $sc $fc" | awk '{
    printf "ab-store: %.0f records/s (median %.3f s)\n", $1 / $2, $2;
    printf "floor:    %.0f records/s (median %.3f s)\n", $1 / $3, $3;
    printf "ratio:    %.2f of the floor (target 0.50); CPU time ratio %.2f\n", $3 / $2, $5 / $4 }'
echo "$db $nd" | awk '{ printf "size:     database %.1f MB, NDJSON %.1f MB, ratio %.3f\n", $1 / 1e6, $2 / 1e6, $1 / $2 }'
