#!/bin/sh
# ab-store size: a database of realistic records is no larger than the
# NDJSON it came from, and gives it back.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib-store.sh"
cd "$T" || exit 1
command -v python3 >/dev/null || skip_all "no python3"

# 50 tasks, 4 configurations, 5 samples: answers of a few KB, ten tests
# each, every stage filled in.
GEN_TASKS=50
export GEN_TASKS
gen_records r.ndjson 1000 3 run-size
run ab-store -n -d s.db r.ndjson
expect_rc 0 "ingest 1000 realistic records"
nd=$(wc -c <r.ndjson)
db=$(( $(wc -c <s.db) + $(cat s.db-wal 2>/dev/null | wc -c) ))
diag "NDJSON $nd bytes, database $db bytes, ratio $(echo "$db $nd" | awk '{printf "%.3f", $1 / $2}')"
check "the database is no larger than the NDJSON" test "$db" -le "$nd"
must ab-store -d s.db vacuum
db=$(wc -c <s.db)
check "... nor after vacuum" test "$db" -le "$nd"
must ab-store -d s.db export >exported.ndjson
expect_records exported.ndjson r.ndjson "... and it gives every record back"

# One attempt per task: nothing to share, and the full-text index and the
# tests table cost more than the code kept once saves: at most 5% larger,
# plus the one page that each table and index has even when nearly empty
# (32 KB pages: about 0.7 MB in all, a fixed cost that the 2.9 MB of this
# small database show and a real one does not).
GEN_TASKS=200
gen_records one.ndjson 200 4 run-one
must ab-store -n -d one.db one.ndjson
nd=$(wc -c <one.ndjson)
db=$(wc -c <one.db)
fixed=$(sqlite3 one.db "SELECT (count(*) + 1) * (SELECT page_size FROM pragma_page_size) FROM sqlite_master WHERE rootpage > 0")
diag "one attempt per task: NDJSON $nd bytes, database $db bytes, ratio $(echo "$db $nd" | awk '{printf "%.3f", $1 / $2}'); a page for each table and index: $fixed bytes"
check "one attempt per task: the database is at most 5% larger than the NDJSON, and a page for each table" \
    test "$((db * 100))" -le "$((nd * 105 + fixed * 100))"

done_testing
