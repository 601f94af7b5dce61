#!/bin/sh
# b05-store: ab-store ingests realistic records (answers of a few KB, ten
# tests each, every stage filled in) against the raw SQLite floor: the same
# rows, into the same schema, by one prepared statement per table in one
# transaction, without any JSON (tests/bench/b05-floor.c).
# AB_BENCH_N records (default 100000), AB_BENCH_RUNS runs each (default 3);
# prints the medians, the ratio and the size of the database against the
# NDJSON.
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

now() { date +%s.%N; }
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

: >"$W/store.t"
: >"$W/floor.t"
i=0
while [ "$i" -lt "$RUNS" ]; do
	rm -f "$W/s.db" "$W/s.db-wal" "$W/s.db-shm"
	t0=$(now)
	"$TOP/bin/ab-store" -n -d "$W/s.db" "$W/r.ndjson"
	t1=$(now)
	echo "$t0 $t1" | awk '{ printf "%.3f\n", $2 - $1 }' >>"$W/store.t"
	"$W/floor" "$W/s.db" "$W/f.db" >>"$W/floor.t"
	rm -f "$W/f.db" "$W/f.db-wal" "$W/f.db-shm"
	i=$((i + 1))
done
st=$(median <"$W/store.t")
ft=$(median <"$W/floor.t")
nd=$(wc -c <"$W/r.ndjson")
db=$(wc -c <"$W/s.db")
echo "records: $N, $(echo "$nd $N" | awk '{ printf "%.1f", $1 / $2 / 1024 }') KiB each, $RUNS runs"
echo "ab-store times: $(tr '\n' ' ' <"$W/store.t")s"
echo "floor times:    $(tr '\n' ' ' <"$W/floor.t")s"
echo "$N $st $ft" | awk '{ printf "ab-store: %.0f records/s (median %.3f s)\n", $1 / $2, $2;
    printf "floor:    %.0f records/s (median %.3f s)\n", $1 / $3, $3;
    printf "ratio:    %.2f of the floor (target 0.50)\n", $3 / $2 }'
echo "$db $nd" | awk '{ printf "size:     database %.1f MB, NDJSON %.1f MB, ratio %.3f\n", $1 / 1e6, $2 / 1e6, $1 / $2 }'
