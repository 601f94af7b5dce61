# lib-load.sh - helpers for ab-gen --load tests: the scripted streaming
# server tests/load-server.py.  Source after lib.sh.

# load_server NAME OPTION=VALUE...: start tests/load-server.py with the
# given script; sets $PORT; requests are logged to $T/NAME.log (the
# ground truth) and a configuration is written to $T/NAME.json.  Every
# server started is stopped at exit.
LOAD_PIDS=
load_server() {
	_name=$1; shift
	rm -f "$T/$_name.port"
	python3 "$TOP/tests/load-server.py" "$T/$_name.port" "$T/$_name.log" \
	    "${SERVER_LIFETIME:-60}" "$@" >"$T/$_name.err" 2>&1 &
	LOAD_PIDS="$LOAD_PIDS $!"
	_i=0
	while [ ! -s "$T/$_name.port" ] && [ $_i -lt 200 ]; do
		sleep 0.05
		_i=$((_i + 1))
	done
	PORT=$(cat "$T/$_name.port" 2>/dev/null)
	[ -n "$PORT" ] || { echo "Bail out! load server did not start"; \
	    cat "$T/$_name.err"; exit 1; }
	printf '{"name":"%s","provider":"openai","model":"load","base_url":"http://127.0.0.1:%s/v1","timeout_s":20}\n' \
	    "$_name" "$PORT" >"$T/$_name.json"
}
stop_load_servers() {
	for _p in $LOAD_PIDS; do kill "$_p" 2>/dev/null; wait "$_p" 2>/dev/null; done
	LOAD_PIDS=
}
trap 'jq_flush; stop_load_servers; rm -rf "$T"' EXIT

# within VALUE TARGET TOL DESC: ok when |VALUE - TARGET| <= TOL.
within() {
	if awk -v v="$1" -v t="$2" -v d="$3" 'BEGIN { x = v - t; if (x < 0) x = -x;
	    exit !(v != "" && v != "null" && x <= d) }'; then
		ok "$4 ($1, expected $2 +- $3)"
	else
		not_ok "$4 ($1, expected $2 +- $3)"
	fi
}

printf '{"id":"p1","language":"python","prompt":"Say something."}\n' >"$T/one.ndjson"
