#!/bin/sh
# b05-store: ab-store ingests realistic records (every stage filled in, ten
# tests each) against the raw SQLite floor, on small records (about 3.8 KB:
# a short task, an answer under 1 KB) and large ones (about 14 KB: a task
# with a reference and mutants, an answer of a few KB).
#
# The floor (tests/bench/b05-floor.c): the rows ab-store wrote, read back
# untimed, inserted again into a new database with the same schema
# (tables, indexes, triggers, the full-text index), page size and pragmas,
# in the same order, by one prepared statement per table in one
# transaction, without any JSON.  It is what SQLite alone costs for what
# ab-store keeps; ab-store's rate is given as a fraction of it.
#
# AB_BENCH_N records of each size (default 20000), AB_BENCH_RUNS runs each
# (default 3, alternating ab-store and the floor); prints the medians of
# elapsed and CPU time, the ratios, and the size of the database (with its
# WAL, after ab-store exits) against the NDJSON.  AB_BENCH_SIZES chooses
# the sizes (default "small large"); AB_BENCH_STORE another ab-store binary
# to measure (default bin/ab-store).
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
N=${AB_BENCH_N:-20000}
RUNS=${AB_BENCH_RUNS:-3}
SIZES=${AB_BENCH_SIZES:-small large}
STORE=${AB_BENCH_STORE:-$TOP/bin/ab-store}
W=$(mktemp -d "${TMPDIR:-/tmp}/ab-b05.XXXXXX")
trap 'rm -rf "$W"' EXIT

# shellcheck disable=SC2046
${CC:-cc} -O2 -o "$W/floor" "$TOP/tests/bench/b05-floor.c" \
    $(pkg-config --cflags --libs sqlite3)

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
size() { cat "$@" 2>/dev/null | wc -c; }

for sz in $SIZES; do
	GEN_SIZE=$sz python3 "$TOP/tests/bench/gen-records.py" "$N" 1 bench \
	    >"$W/r.ndjson"
	: >"$W/store.t"
	: >"$W/floor.t"
	i=0
	while [ "$i" -lt "$RUNS" ]; do
		rm -f "$W/s.db" "$W/s.db-wal" "$W/s.db-shm"
		/usr/bin/env time -f '%e %U %S' -o "$W/time" \
		    "$STORE" -n -d "$W/s.db" "$W/r.ndjson"
		awk '{ printf "%.3f %.3f\n", $1, $2 + $3 }' "$W/time" \
		    >>"$W/store.t"
		db=$(size "$W/s.db" "$W/s.db-wal")
		"$W/floor" "$W/s.db" "$W/f.db" >>"$W/floor.t"
		rm -f "$W/f.db" "$W/f.db-wal" "$W/f.db-shm"
		i=$((i + 1))
	done
	# ab-store's fixed cost, paid once per ingest: opening, recording the
	# environment (host, git commit, the task languages' toolchain
	# versions, which runs each interpreter once).
	head -n 1 "$W/r.ndjson" >"$W/one.ndjson"
	: >"$W/one.t"
	for i in 1 2 3; do
		rm -f "$W/o.db" "$W/o.db-wal" "$W/o.db-shm"
		/usr/bin/env time -f '%e %U %S' -o "$W/time" \
		    "$STORE" -n -d "$W/o.db" "$W/one.ndjson"
		awk '{ printf "%.3f %.3f\n", $1, $2 + $3 }' "$W/time" >>"$W/one.t"
	done
	ow=$(cut -d' ' -f1 "$W/one.t" | median)
	oc=$(cut -d' ' -f2 "$W/one.t" | median)
	sw=$(cut -d' ' -f1 "$W/store.t" | median)
	sc=$(cut -d' ' -f2 "$W/store.t" | median)
	fw=$(cut -d' ' -f1 "$W/floor.t" | median)
	fc=$(cut -d' ' -f2 "$W/floor.t" | median)
	nd=$(size "$W/r.ndjson")
	ps=$(sqlite3 "$W/s.db" 'PRAGMA page_size')
	echo "$sz records: $N, $(echo "$nd $N" | awk '{ printf "%.1f", $1 / $2 / 1024 }') KiB each, $RUNS runs, pages of $ps bytes; load average $(cut -d' ' -f1 /proc/loadavg) on $(nproc) CPUs"
	echo "  ab-store elapsed/CPU s: $(awk '{ printf "%s/%s ", $1, $2 }' "$W/store.t")"
	echo "  floor elapsed/CPU s:    $(awk '{ printf "%s/%s ", $1, $2 }' "$W/floor.t")"
	echo "$N $sw $fw $sc $fc" | awk '{
	    printf "  ab-store: %.0f records/s (median %.3f s)\n", $1 / $2, $2;
	    printf "  floor:    %.0f records/s (median %.3f s)\n", $1 / $3, $3;
	    printf "  ratio:    %.2f of the floor (target 0.50); CPU time ratio %.2f\n", $3 / $2, $5 / $4 }'
	echo "$sw $fw $sc $fc $ow $oc" | awk '{
	    printf "  start-up: %.3f s elapsed, %.3f s CPU (one record); without it the ratio is %.2f, CPU %.2f\n", $5, $6, $2 / ($1 - $5), $4 / ($3 - $6) }'
	echo "$db $nd" | awk '{ printf "  size:     database %.1f MB, NDJSON %.1f MB, ratio %.3f (target 1.000)\n", $1 / 1e6, $2 / 1e6, $1 / $2 }'
done
