#!/bin/sh
# b02-gen: ab-gen against an instant local server: 1000 tasks, one
# configuration, -j 32.  Prints requests per second, peak RSS, and the
# ratio to one curl process making the same 1000 requests with 32
# parallel keep-alive transfers.  Medians of 5 runs.
# Targets: <= 0.25 s with the cache on, peak RSS < 30 MB, and memory that
# does not grow with the number of tasks.  A missed target is reported;
# with STRICT=1 it fails the benchmark (wall-clock times on a loaded
# machine say more about the machine).
set -u
[ -x /usr/bin/time ] || { echo "b02-gen: needs /usr/bin/time (Debian package time)"; exit 1; }
TOP=$(cd "$(dirname "$0")/../.." && pwd)
T=$(mktemp -d "${TMPDIR:-/tmp}/ab-bench.XXXXXX")
SERVER=
trap '[ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; rm -rf "$T"' EXIT
export AB_SHARE="$TOP/share/ab"
GEN=$TOP/bin/ab-gen
RUNS=${RUNS:-5}

${CC:-cc} -O2 -o "$T/server" "$TOP/tests/bench/instant-server.c" || exit 1
"$T/server" "$T/port" 300 &
SERVER=$!
i=0
while [ ! -s "$T/port" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
PORT=$(cat "$T/port")
URL=http://127.0.0.1:$PORT/v1/chat/completions

tasks() {
	awk -v n="$1" 'BEGIN { for (i = 1; i <= n; i++)
		printf "{\"id\":\"b%d\",\"language\":\"python\",\"description\":\"Return x plus %d.\",\"signature\":\"def f(x)\",\"entry_point\":\"f\",\"tests\":[{\"style\":\"call\",\"args\":[1],\"expected\":%d}]}\n", i, i, i + 1 }'
}
tasks 1000 >"$T/tasks.ndjson"
tasks 10000 >"$T/tasks10k.ndjson"
printf '{"name":"bench","provider":"openai","model":"bench","base_url":"http://127.0.0.1:%s/v1","temperature":0}\n' \
    "$PORT" >"$T/bench.json"

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# measure NAME COMMAND...: time and peak RSS over $RUNS runs; sets
# $secs and $rss_kb to the medians.  $PREP runs before each.
measure() {
	_name=$1; shift
	: >"$T/times"; : >"$T/rss"; : >"$T/cpu"
	_k=0
	while [ $_k -lt "$RUNS" ]; do
		eval "${PREP:-:}"
		/usr/bin/time -f '%e %M %U %S' -o "$T/tm" "$@" >"$T/out" 2>"$T/err" || {
			echo "$_name failed:"; cat "$T/err"; exit 1; }
		awk '{ print $1 }' "$T/tm" >>"$T/times"
		awk '{ print $2 }' "$T/tm" >>"$T/rss"
		awk '{ print $3 + $4 }' "$T/tm" >>"$T/cpu"
		_k=$((_k + 1))
	done
	secs=$(median <"$T/times")
	rss_kb=$(median <"$T/rss")
	cpu=$(median <"$T/cpu")
}

# The same 1000 requests with curl: one process, 32 parallel transfers.
body='{"model":"bench","messages":[{"role":"user","content":"Return x plus 1."}],"temperature":0,"stream":true,"stream_options":{"include_usage":true}}'
i=0
while [ $i -lt 1000 ]; do
	[ $i -gt 0 ] && echo next
	printf 'url = "%s"\nheader = "Content-Type: application/json"\ndata = "%s"\noutput = "/dev/null"\n' \
	    "$URL" "$(printf '%s' "$body" | sed 's/"/\\"/g')"
	i=$((i + 1))
done >"$T/curl.cfg"
PREP=: measure curl curl -s --parallel --parallel-max 32 -K "$T/curl.cfg"
curl_s=$secs curl_cpu=$cpu

# Cold: the cache exists (creating it costs a few fsyncs, once) but holds
# none of these answers.
"$GEN" -q --cache-dir "$T/cache" -c "$T/bench.json" /dev/null
PREP='sqlite3 "$T/cache/gen.sqlite" "DELETE FROM answers" 2>/dev/null || rm -rf "$T/cache"'
measure cold "$GEN" -q -j 32 -r bench --cache-dir "$T/cache" -c "$T/bench.json" "$T/tasks.ndjson"
cold_s=$secs cold_rss=$rss_kb cold_cpu=$cpu
n=$(wc -l <"$T/out")
[ "$n" -eq 1000 ] || { echo "expected 1000 records, got $n"; exit 1; }
errs=$(grep -c '"error":{' "$T/out")
[ "$errs" -eq 0 ] || { echo "$errs records with errors"; exit 1; }

PREP=:
measure warm "$GEN" -q -j 32 -r bench --cache-dir "$T/cache" -c "$T/bench.json" "$T/tasks.ndjson"
warm_s=$secs warm_rss=$rss_kb warm_cpu=$cpu
measure nocache "$GEN" -q -j 32 -r bench --no-cache -c "$T/bench.json" "$T/tasks.ndjson"
nocache_s=$secs nocache_rss=$rss_kb nocache_cpu=$cpu
RUNS=1 measure big "$GEN" -q -j 32 -r bench --no-cache -c "$T/bench.json" "$T/tasks10k.ndjson"
big_s=$secs big_rss=$rss_kb big_cpu=$cpu

rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

echo "b02-gen: 1000 tasks, 1 configuration, -j 32, streamed, instant local server (medians of $RUNS)"
echo "  load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
printf '  %-34s %7s %10s %8s %8s %10s\n' "" "wall" "rate" "cpu" "peak RSS" "vs curl"
row() { printf '  %-34s %6.2fs %6s/s %7.2fs %6s MB %9sx\n' "$1" "$2" "$(rate "$3" "$2")" "$4" "$5" "$6"; }
row "curl --parallel --parallel-max 32" "$curl_s" 1000 "$curl_cpu" "-" "1.00"
row "ab-gen, cache on (cold, writing)" "$cold_s" 1000 "$cold_cpu" "$(mb "$cold_rss")" "$(ratio "$cold_s" "$curl_s")"
row "ab-gen, cache on (warm, no call)" "$warm_s" 1000 "$warm_cpu" "$(mb "$warm_rss")" "$(ratio "$warm_s" "$curl_s")"
row "ab-gen --no-cache" "$nocache_s" 1000 "$nocache_cpu" "$(mb "$nocache_rss")" "$(ratio "$nocache_s" "$curl_s")"
row "ab-gen --no-cache, 10000 tasks" "$big_s" 10000 "$big_cpu" "$(mb "$big_rss")" "-"
status=0
awk -v s="$cold_s" 'BEGIN { exit !(s <= 0.25) }' || { echo "  MISSED: cold cache run over 0.25 s"; status=1; }
[ "$cold_rss" -lt 30720 ] || { echo "  MISSED: peak RSS over 30 MB"; status=1; }
awk -v a="$big_rss" -v b="$nocache_rss" 'BEGIN { exit !(a < b * 1.5 + 2048) }' || {
	echo "  MISSED: memory grows with the number of tasks"; status=1; }
[ "${STRICT:-0}" = 1 ] || status=0
exit $status
