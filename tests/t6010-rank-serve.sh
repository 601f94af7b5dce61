#!/bin/sh
# ab-rank --serve: every endpoint gives the bytes of the command line's
# NDJSON for the same view and filters; the token rule; 4xx with a JSON
# error on bad requests (and the server goes on); slow clients do not stall
# it; 100 concurrent clients while ab-store writes the database each get a
# complete, valid answer; the database is never written; SIGTERM stops it.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1
command -v curl >/dev/null || skip_all "no curl"
command -v python3 >/dev/null || skip_all "no python3"
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3

# The inputs, in one python (the second is ingested while clients ask).
$PY "$TOP/tests/rank/batch.py" <<'EOF'
g.ndjson gen.py --configs 3 --tasks 12 --samples 2 --runs 3 --regress
more.raw gen.py --configs 3 --tasks 40 --samples 4 --runs 1 --seed 7
EOF
must ab-store -d r.db <g.ndjson >/dev/null

# start NAME ARGS...: a server in the background, bounded in time; sets
# PORT from its "serving ... at http://ADDR:PORT/" line.
PIDS=
start() {
	_name=$1; shift
	timeout 300 ab-rank "$@" 2>"$_name.err" &
	_pid=$!
	PIDS="$PIDS $_pid"
	eval "${_name}_pid=$_pid"
	PORT=
	for _i in $(seq 50); do
		PORT=$(sed -n 's|.*serving .* at http://.*:\([0-9][0-9]*\)/$|\1|p' \
		    "$_name.err")
		[ -n "$PORT" ] && break
		kill -0 $_pid 2>/dev/null || break
		sleep 0.1
	done
}
cleanup() { jq_flush; for p in $PIDS; do kill "$p" 2>/dev/null; done; rm -rf "$T"; }
trap cleanup EXIT

start srv --serve 0 r.db
if [ -z "$PORT" ]; then
	not_ok "the server starts"; diag "$(cat srv.err)"
	done_testing; exit
fi
ok "the server starts on a free port ($PORT) and says where"
URL=http://127.0.0.1:$PORT

# fetch PATH...: GET every PATH in one curl, in order (a curl start costs
# as much as a dozen requests): the Nth answer's body in got.N, its status
# in $code_N (curl-failed when curl could not get it).
fetch() {
	_fn=$#
	_fi=0
	rm -f got.*
	for _fp; do
		_fi=$((_fi + 1))
		eval "code_$_fi=curl-failed"
		set -- "$@" -o got.$_fi "$URL$_fp"
	done
	shift $_fn
	curl -sS --max-time 30 -w '%{http_code} %{exitcode}\n' "$@" \
	    >got.codes 2>curl.err
	_fi=0
	while read -r _fc _fe; do
		_fi=$((_fi + 1))
		[ "$_fe" = 0 ] && eval "code_$_fi=\$_fc"
	done <got.codes
}

# get PATH OUT: GET, status into $code.
get() {
	fetch "$1"
	code=$code_1
	mv -f got.1 "$2" 2>/dev/null || : >"$2"
}

# same PATH DESC CLI-ARGS...: the endpoint's bytes must equal the command
# line's.  Queued: same_judge fetches the paths queued in one curl, then
# runs each command line and compares, in order.
_ns=0
same() {
	_ns=$((_ns + 1))
	eval "_sp_$_ns=\$1 _sd_$_ns=\$2"
	shift 2
	eval "_sa_$_ns=\$*"
}
same_judge() {
	_sk=$_ns
	set --
	while [ $_sk -gt 0 ]; do
		eval "set -- \"\$_sp_$_sk\" \"\$@\""
		_sk=$((_sk - 1))
	done
	fetch "$@"
	_sk=0
	while [ $_sk -lt $_ns ]; do
		_sk=$((_sk + 1))
		eval "_sp=\$_sp_$_sk _sdesc=\$_sd_$_sk _sargs=\$_sa_$_sk code=\$code_$_sk"
		# shellcheck disable=SC2086 # the arguments, split
		run ab-rank -d r.db -f ndjson $_sargs
		if [ "$code" = 200 ] && [ -s got.$_sk ] && cmp -s got.$_sk "$T/out"
		then
			ok "$_sdesc"
		else
			not_ok "$_sdesc"
			diag "GET $_sp: $code; ab-rank $_sargs (exit $rc):" \
			    "$(diff "$T/out" got.$_sk | head -n 10)" \
			    "$(cat curl.err "$T/err")"
		fi
	done
	_ns=0
}

same /api/leaderboard "leaderboard = ab-rank -d leaderboard" leaderboard
same "/api/leaderboard?pool" "leaderboard?pool = --pool" --pool leaderboard
same "/api/all?pool" "all?pool = --pool" --pool all
same "/api/leaderboard?run=run-1" "leaderboard?run = -r" -r run-1 leaderboard
same "/api/leaderboard?run=run-1&run=run-2" "run repeated = -r -r" \
    -r run-1 -r run-2
same "/api/leaderboard?config=cfg-1&config=cfg-2" "config = -c" \
    -c cfg-1 -c cfg-2
same "/api/leaderboard?category=algorithms" "category = --category" \
    --category algorithms
same "/api/leaderboard?language=python&difficulty=easy" \
    "language, difficulty = --language --difficulty" \
    --language python --difficulty easy
same "/api/leaderboard?since=2000-01-01&until=2999-01-01" \
    "time window = --since --until" --since 2000-01-01 --until 2999-01-01
same "/api/leaderboard?k=1,2&level=0.9" "k, level = -k --level" \
    -k 1,2 --level 0.9
same "/api/breakdown?by=difficulty,category" "breakdown = --by" \
    --by difficulty,category breakdown
same /api/compare "compare of all" compare
same "/api/compare?compare=cfg-0&compare=cfg-2" "compare two = compare A B" \
    compare cfg-0 cfg-2
same "/api/regress?baseline=run-0" "regress = --baseline" \
    --baseline run-0 regress
same /api/trends "trends" trends
same /api/cost "cost" cost
same /api/errors "errors" errors
same /api/all "all" all
same "/api/attempts?limit=10000" "attempts = ab-rank -d attempts" attempts
same "/api/attempts?limit=10000&config=cfg-1&run=run-2" \
    "attempts of a run and configuration" -c cfg-1 -r run-2 attempts
same "/api/leaderboard?format=csv" "format=csv = -f csv" -f csv
same_judge

# The report, the dashboard's analysis (the report's charts, drawn by the
# same code, with and without filters), one attempt, the runs, the
# version and the page: in one curl.
fetch /report /api/charts "/api/charts?config=cfg-1&config=cfg-2&run=run-2" \
    "/api/attempt?rid=1" "/api/attempt?rid=999999" /api/runs \
    /api/version /
run_to report.want report.err ab-rank -d r.db -f html
if [ "$code_1" = 200 ] && [ -s report.want ] && cmp -s got.1 report.want; then
	ok "/report = ab-rank -d -f html"
else not_ok "/report = ab-rank -d -f html ($code_1)"; fi
run_to charts3.html charts3.err ab-rank -d r.db -f html -c cfg-1 -c cfg-2 \
    -r run-2
$PY - report.want got.2.want charts3.html got.3.want <<'EOF2'
import sys
a = sys.argv[1:]
for src, dst in zip(a[::2], a[1::2]):
    s = open(src, encoding='utf-8').read()
    i = s.index('<section id="charts"><h2>Charts</h2>') + len('<section id="charts"><h2>Charts</h2>')
    open(dst, 'w', encoding='utf-8').write(s[i:s.index('</section>', i)])
EOF2
for i in 2 3; do
	case $i in
	2) q= ;;
	3) q="?config=cfg-1&config=cfg-2&run=run-2" ;;
	esac
	eval "code=\$code_$i"
	# The server reads score dimensions from the bodies alone, the
	# command line from whole records: the radar must show them.
	if [ "$code" = 200 ] && [ -s got.$i.want ] && cmp -s got.$i got.$i.want &&
	    grep -q '<svg class="chart" id="chart-heatmap"' got.$i &&
	    grep -q '<svg class="chart" id="chart-radar"' got.$i &&
	    ! grep -q 'no score.dimensions' got.$i; then
		ok "/api/charts$q = the charts of ab-rank -d -f html with the same filters"
	else
		not_ok "/api/charts$q = the charts of ab-rank -d -f html with the same filters ($code)"
		diag "$(cmp got.$i got.$i.want 2>&1)"
	fi
done

# code_jq CODE WANT FILE FILTER DESC: the status is WANT and jq FILTER
# holds on FILE's one JSON value (judged with the file's other jq checks).
code_jq() {
	if [ "$1" = "$2" ]; then
		expect_jq "$3" "length == 1 and (.[0] | $4)" "$5"
	else
		not_ok "$5 (status $1, expected $2)"
		diag "$(head -c 300 "$3")"
	fi
}

# The filters read the same on records as on the database.
run ab-rank -f ndjson --category algorithms --difficulty easy g.ndjson
cp "$T/out" rec.out
run ab-rank -f ndjson -d r.db --pool --category algorithms --difficulty easy
check "filters on records = filters on the database" cmp -s rec.out "$T/out"
check "... and they filter something" test -s rec.out
run ab-rank -f ndjson --since 2000-01-01 g.ndjson
expect_rc 2 "--since on records is a usage error"

# One attempt, whole.
code_jq "$code_4" 200 got.4 '.id and .task and .exec' \
    "/api/attempt?rid=1 is the stored record"
code_jq "$code_5" 404 got.5 '.error.status == 404' \
    "an unknown attempt is 404 with a JSON error"
expect_jq got.6 '[.[] | select(.view == "runs")] | length == 3' \
    "/api/runs lists the 3 runs"
expect_jq got.7 '.[0].version >= 1 and .[0].max_rid == 216' \
    "/api/version: a change counter and the last result"
check "/ is the dashboard" sh -c "[ $code_8 = 200 ] && grep -q 'ab-rank live' got.8"

# bad WANT DESC CURL-ARGS...: the request is refused with status WANT (4xx:
# any 4xx) and, below 414, a JSON error naming the problem; the server goes
# on.  (WANT 200=FILE: a request answered, with FILE's bytes.)  Queued:
# bad_judge sends the requests queued in one curl, one after the other
# (--next between them), then judges each.
_nb=0
bad() {
	_nb=$((_nb + 1))
	eval "_bw_$_nb=\$1 _bd_$_nb=\$2"
	shift 2
	{ [ $_nb = 1 ] || echo --next
	printf '%s\n' -sS --max-time 20 -o bad.$_nb \
	    -w '%{http_code} %{exitcode}\n' "$@"; } >>bad.args
}
bad_judge() {
	set --
	while IFS= read -r _barg; do set -- "$@" "$_barg"; done <bad.args
	rm -f bad.args bad.[0-9]*
	curl "$@" >bad.codes 2>curl.err
	_bk=0
	while [ $_bk -lt $_nb ]; do
		_bk=$((_bk + 1))
		eval "_bc_$_bk=curl-failed"
	done
	_bk=0
	while read -r _bcode _be; do
		_bk=$((_bk + 1))
		[ "$_be" = 0 ] && eval "_bc_$_bk=\$_bcode"
	done <bad.codes
	_bk=0
	while [ $_bk -lt $_nb ]; do
		_bk=$((_bk + 1))
		eval "_bwant=\$_bw_$_bk _bdesc=\$_bd_$_bk _bcode=\$_bc_$_bk"
		case $_bwant in
		200=*)
			if [ "$_bcode" = 200 ] && [ -s bad.$_bk ] &&
			    cmp -s bad.$_bk "${_bwant#200=}"; then
				ok "$_bdesc"
			else
				not_ok "$_bdesc ($_bcode)"
				diag "$(head -c 300 bad.$_bk 2>/dev/null)"
			fi
			continue ;;
		esac
		if [ "$_bwant" = 4xx ]; then
			if [ "$_bcode" -ge 400 ] 2>/dev/null && [ "$_bcode" -lt 500 ]; then
				ok "$_bdesc is refused with 4xx ($_bcode)"
			else
				not_ok "$_bdesc is refused with 4xx ($_bcode)"
				diag "$(cat curl.err)"
			fi
		elif [ "$_bcode" != "$_bwant" ]; then
			not_ok "$_bdesc (got $_bcode, expected $_bwant)"
			diag "$(head -c 300 bad.$_bk 2>/dev/null)"
		elif [ "$_bwant" -ge 414 ]; then
			ok "$_bdesc ($_bwant)"
		else
			expect_jq bad.$_bk "length == 1 and .[0].error.status == $_bwant
			    and (.[0].error.message | length > 0)" "$_bdesc ($_bwant)"
		fi
	done
	_nb=0
}
bad 404 "unknown view" "$URL/api/nosuchview"
bad 404 "unknown page" "$URL/etc/passwd"
bad 404 "path traversal" --path-as-is "$URL/api/../../../etc/passwd"
bad 404 "encoded path traversal" --path-as-is "$URL/api/..%2f..%2fetc%2fpasswd"
bad 400 "unknown parameter" "$URL/api/leaderboard?frobnicate=1"
bad 400 "malformed number" "$URL/api/leaderboard?k=two"
bad 400 "number out of range" "$URL/api/leaderboard?bootstrap=999999999"
bad 400 "bad list" "$URL/api/regress?thresholds=5,2"
bad 400 "control character" "$URL/api/leaderboard?run=a%0Ab"
bad 400 "compare with one configuration" "$URL/api/compare?compare=cfg-0"
bad 404 "unknown run" "$URL/api/leaderboard?run=no-such-run"
long=$(head -c 300 /dev/zero | tr '\0' a)
bad 400 "a 300-byte parameter" "$URL/api/leaderboard?run=$long"
many=$(seq 70 | sed 's/.*/run=r&/' | paste -sd'&' -)
bad 400 "70 parameters" "$URL/api/leaderboard?$many"
huge=$(head -c 100000 /dev/zero | tr '\0' a)
bad 4xx "a 100 kB request line" "$URL/api/leaderboard?run=$huge"
bad 405 "POST" -X POST --data x=1 "$URL/api/leaderboard"
bad_judge
same /api/leaderboard "after the bad requests the server still answers" \
    leaderboard
same_judge

# Slow clients: ten connections that send half a request and wait do not
# stall anyone else.
$PY - "$PORT" >slow.out 2>&1 <<'EOF' &
import socket, sys, time
ss = []
for i in range(10):
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
    s.sendall(b"GET /api/leaderboard HTTP/1.1\r\nHost: x\r\n")
    ss.append(s)
print("open", flush=True)
time.sleep(30)
EOF
slow=$!
# Once the ten are open (bounded), the request; then they are closed.
i=0
while [ "$(cat slow.out 2>/dev/null)" != open ] && [ $i -lt 200 ] && kill -0 $slow 2>/dev/null; do
	sleep 0.05
	i=$((i + 1))
done
t0=$(date +%s%N)
get /api/leaderboard slow-get.out
t1=$(date +%s%N)
check "with 10 half-sent requests open, a request is answered (200) in under 2 s" \
    sh -c "[ '$(cat slow.out)' = open ] && [ $code = 200 ] && [ $(( (t1 - t0) / 1000000 )) -lt 2000 ]"
kill $slow 2>/dev/null
wait $slow

# 100 clients at once while ab-store ingests a new run.
sed 's/"run":"run-0"/"run":"live-run"/g' more.raw >more.ndjson
( ab-store -d r.db <more.ndjson >/dev/null 2>ingest.err; echo $? >ingest.rc ) &
ing=$!
# One curl, 100 transfers at once, each on a connection of its own (a
# curl start costs as much as a dozen requests); per transfer its number,
# curl's exit, the status, the bytes received and the connections made.
set --
i=0
while [ $i -lt 100 ]; do
	case $((i % 4)) in
	0) p=/api/leaderboard ;; 1) p=/api/attempts ;; 2) p=/api/cost ;;
	3) p="/api/leaderboard?config=cfg-1" ;;
	esac
	set -- "$@" -o "c$i.out" "$URL$p"
	i=$((i + 1))
done
curl -S --no-progress-meter --max-time 60 --parallel --parallel-immediate \
    --parallel-max 100 -w '%{urlnum} %{exitcode} %{http_code} %{size_download} %{num_connects}\n' \
    "$@" >clients.codes 2>clients.err
# (not a bare wait: the server is a background job too)
wait $ing
# Each client's answer is judged in one process (not five per client):
# curl's exit 0, status 200, as many bytes as curl received, not empty,
# and every line a JSON value (the last neither false nor null, as jq -e).
$PY - >clients.out <<'EOF2'
import json
good, first_bad = 0, ''
codes = {}
try:
    for l in open('clients.codes'):
        f = l.split()
        codes.setdefault(f[0], []).append(f[1:])
except (OSError, IndexError):
    pass
for i in range(100):
    why = ''
    try:
        c = codes.get(str(i), [])
        body = open('c%d.out' % i, 'rb').read()
        if len(c) != 1 or len(c[0]) != 4:
            why = 'curl said %r' % c
        elif c[0][0] != '0':
            why = 'curl exit ' + c[0][0]
        elif c[0][1] != '200':
            why = 'status ' + c[0][1]
        elif int(c[0][2]) != len(body):
            why = 'curl got %s bytes, the file has %d' % (c[0][2], len(body))
        elif c[0][3] != '1':
            why = 'not a connection of its own (%s made)' % c[0][3]
        elif not body:
            why = 'empty'
        else:
            v = [json.loads(l) for l in body.decode('utf-8').split('\n') if l.strip()]
            if not v or v[-1] is False or v[-1] is None:
                why = 'no JSON value, or the last is false or null'
    except (OSError, ValueError) as e:
        why = str(e)
    if why:
        if not first_bad:
            try:
                more = open('clients.err').read() + repr(open('c%d.out' % i, 'rb').read(200))
            except OSError as e:
                more = str(e)
            first_bad = ('c%d: %s: %s' % (i, why, more)).replace('\n', ' ')
    else:
        good += 1
print(good)
print(first_bad)
EOF2
good=$(sed -n 1p clients.out)
first_bad=$(sed -n 2p clients.out)
check "100 concurrent clients during ingest: all 100 complete, valid NDJSON ($good)" \
    test "$good" = 100
[ "$good" = 100 ] || diag "$first_bad"
check "the ingest succeeded meanwhile" test "$(cat ingest.rc)" = 0
same /api/leaderboard "after the ingest, the leaderboard is the new one" \
    leaderboard
same_judge
get "/api/attempts?run=live-run&limit=1" live.out
expect_jq live.out '.[0].run == "live-run"' "the new run's attempts are served"

# SIGTERM with a long poll in flight (it would wait 25 s): the server
# still stops at once.
get /api/version ver2.json
curl -sS --max-time 40 -o lp.out \
    "$URL/api/version?after=$(sed -n 's/.*"version":\([0-9]*\).*/\1/p' ver2.json)&wait=25" \
    2>/dev/null &
lp_pid=$!
sleep 0.5
kill -TERM $srv_pid
t0=$(date +%s)
wait $srv_pid
src=$?
t1=$(date +%s)
check "SIGTERM stops the server cleanly (exit $src) within 5 s, a long poll in flight" \
    sh -c "[ $src = 0 ] && [ $((t1 - t0)) -le 5 ]"
wait $lp_pid
# Read-only: a server over a database nobody writes leaves it as it was.
cp r.db ro.db
sum1=$(sha256sum ro.db | cut -c1-64)
start ro --serve 0 ro.db
URL=http://127.0.0.1:$PORT
fetch /api/leaderboard /api/all /api/attempts /api/runs /report /
kill -TERM $ro_pid; wait $ro_pid
check "serving never changes the database" \
    test "$(sha256sum ro.db | cut -c1-64)" = "$sum1"

# The token rule.
run timeout 10 ab-rank --serve 0.0.0.0:0 r.db
expect_rc 2 "binding 0.0.0.0 without a token is refused"
expect_contains "$T/err" "token" "... saying a token is needed"
TOKEN=0123456789abcdef-test-token
start tok --serve 0.0.0.0:0 --token "$TOKEN" r.db
URL=http://127.0.0.1:$PORT
if [ -n "$PORT" ]; then
	bad 401 "with a token, a request without it" "$URL/api/leaderboard"
	bad 401 "a wrong token" -H "Authorization: Bearer wrong-token-0123456789" \
	    "$URL/api/leaderboard"
	run_to lb.want lb.err ab-rank -d r.db -f ndjson
	bad 200=lb.want "the right token: 200 and the leaderboard" \
	    -H "Authorization: Bearer $TOKEN" "$URL/api/leaderboard"
	bad_judge
else
	not_ok "a server on 0.0.0.0 with a token starts"; diag "$(cat tok.err)"
fi
kill -TERM $tok_pid 2>/dev/null; wait $tok_pid
AB_RANK_TOKEN=$TOKEN
export AB_RANK_TOKEN
start env --serve 127.0.0.1:0 r.db
unset AB_RANK_TOKEN
URL=http://127.0.0.1:$PORT
bad 401 "on 127.0.0.1 with AB_RANK_TOKEN set, no token: 401" "$URL/api/cost"
bad_judge
kill -TERM $env_pid 2>/dev/null; wait $env_pid
done_testing
