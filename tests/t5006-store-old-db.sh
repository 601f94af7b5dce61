#!/bin/sh
# ab-store opens a database written by an earlier ab-store and reads it back
# as that one did; new databases get larger pages, and vacuum gives them to
# an old one, changing nothing else.
#
# tests/data/store/v4-main.db was written by ab-store at commit 4651cf5
# (schema 4, 4096-byte pages, vacuumed): 19 records of three runs, small
# and large ones (tests/bench/gen-records.py), some with non-ASCII text,
# some without exec and score, a note on run-a.  v4-main.export is that
# ab-store's export of it, v4-main.search its answer to
# search 'code:return OR prose:naïve'.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1
D=$TOP/tests/data/store

cp "$D/v4-main.db" old.db
check "the fixture is a schema 4 database with 4096-byte pages" \
    test "$(sqlite3 old.db 'PRAGMA user_version; PRAGMA page_size')" = "4
4096"

must ab-store -d old.db export >export.ndjson
expect_same export.ndjson "$D/v4-main.export" \
    "its export is the earlier ab-store's, byte for byte"
check "... which is not empty" test "$(wc -l <export.ndjson)" -eq 19
run ab-store -d old.db search 'code:return OR prose:naïve'
expect_rc 0 "search reads it"
expect_same "$T/out" "$D/v4-main.search" "... and finds what the earlier one found"
run ab-store -d old.db note run-a
expect_text "$T/out" "made by ab-store at main 4651cf5" "its notes are kept"

# ab-rank reads it as it reads a database made now from the same records.
must ab-store -d new.db import export.ndjson
check "a new database has 32768-byte pages" \
    test "$(sqlite3 new.db 'PRAGMA page_size')" = 32768
run ab-rank -d old.db
expect_rc 0 "ab-rank reads the old database"
cp "$T/out" rank-old.txt
run ab-rank -d new.db
cp "$T/out" rank-new.txt
expect_same rank-old.txt rank-new.txt "... as it reads a new one of the same records"
check "... and shows them" grep -q "gpt-small" rank-old.txt

# More records into the old database: stored beside the old ones, which
# export as before.
GEN_SIZE=small GEN_TASKS=3 python3 "$TOP/tests/bench/gen-records.py" 5 7 run-d \
    >d.ndjson
must ab-store -n -d old.db d.ndjson
must ab-store -d old.db export run-d >d.out
# (the run's first record carries the run in a last member, store)
sed '1s/,"store":{"run":{[^{}]*"toolchain":{[^{}]*}[^{}]*}}}$/}/' d.out >d.got
expect_same d.got d.ndjson "the old database takes new records"
for r in run-a run-b run-c; do
	must ab-store -d old.db export "$r"
done >abc.ndjson
expect_same abc.ndjson "$D/v4-main.export" "... and keeps the old ones as they were"

# vacuum gives the old database the new page size and keeps every row.
q() {
	for s in "SELECT * FROM results ORDER BY rid" \
	    "SELECT * FROM bodies ORDER BY rid" \
	    "SELECT * FROM tests ORDER BY rid, idx" \
	    "SELECT * FROM calls ORDER BY rid, idx" \
	    "SELECT * FROM runs ORDER BY id" \
	    "SELECT * FROM tasks ORDER BY id" \
	    "SELECT * FROM configs ORDER BY hash" \
	    "SELECT rowid FROM fts WHERE fts MATCH 'return OR naïve' ORDER BY rowid"; do
		printf '%s\n' "$s"
		sqlite3 -batch "$1" ".mode quote" "$s"
	done
}
q old.db >before.dump
must ab-store -d old.db vacuum
check "vacuum gives it 32768-byte pages, in WAL mode" \
    test "$(sqlite3 old.db 'PRAGMA page_size; PRAGMA journal_mode')" = "32768
wal"
q old.db >after.dump
expect_same after.dump before.dump "... and keeps every row"
check "... consistently" sh -c '[ "$(sqlite3 old.db "PRAGMA integrity_check")" = ok ] &&
    sqlite3 old.db "INSERT INTO fts(fts, rank) VALUES ('"'integrity-check'"', 1)"'
check "... the dump is not empty" test "$(wc -l <after.dump)" -gt 100
for r in run-a run-b run-c; do
	must ab-store -d old.db export "$r"
done >abc2.ndjson
expect_same abc2.ndjson "$D/v4-main.export" "... and exports as before"

done_testing
