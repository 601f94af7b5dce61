# lib-gen.sh - helpers for ab-gen's tests: the fake model server and a few
# task files.  Source after lib.sh.

# start_server: run tests/fake-server.py on 127.0.0.1, set $PORT and $BASE;
# requests are logged to $T/requests.log.  Stopped at exit.
start_server() {
	python3 "$TOP/tests/fake-server.py" "$T/port" "$T/requests.log" \
	    "${SERVER_LIFETIME:-120}" >"$T/server.err" 2>&1 &
	SERVER_PID=$!
	_i=0
	while [ ! -s "$T/port" ] && [ $_i -lt 200 ]; do
		sleep 0.05
		_i=$((_i + 1))
	done
	PORT=$(cat "$T/port" 2>/dev/null)
	[ -n "$PORT" ] || { echo "Bail out! fake server did not start"; \
	    cat "$T/server.err"; exit 1; }
	BASE=http://127.0.0.1:$PORT
}
stop_server() {
	[ -n "${SERVER_PID:-}" ] && kill "$SERVER_PID" 2>/dev/null
	[ -n "${SERVER_PID:-}" ] && wait "$SERVER_PID" 2>/dev/null
	SERVER_PID=
}
trap 'jq_flush; stop_server; rm -rf "$T"' EXIT

# requests: how many requests the server has seen.
requests() {
	if [ -f "$T/requests.log" ]; then wc -l <"$T/requests.log"; else echo 0; fi
}

# config NAME PROVIDER MODEL [EXTRA-JSON-MEMBERS]: write $T/NAME.json.
config() {
	case $2 in
	ollama) _b=$BASE ;;
	*) _b=$BASE/v1 ;;
	esac
	case ${4:-} in
	*backoff_s*) _x=${4:-} ;;
	*) _x='"backoff_s":0.01'${4:+,$4} ;;
	esac
	printf '{"name":"%s","provider":"%s","model":"%s","base_url":"%s","api_key_env":"AB_TEST_KEY",%s}\n' \
	    "$1" "$2" "$3" "$_b" "$_x" >"$T/$1.json"
}

# Three small tasks, one with a hidden test.
write_tasks() {
	cat >"$T/tasks.ndjson" <<'EOT'
{"id":"add","language":"python","description":"Add two numbers.","signature":"def add(a, b)","entry_point":"add","tests":[{"style":"call","args":[1,2],"expected":3},{"style":"call","args":[40,2],"expected":42,"hidden":true,"name":"SECRET-HIDDEN-TEST"}],"hints":["use +"]}
{"id":"hello","language":"c","prompt":"Print hello.","tests":[{"style":"io","stdin":"","stdout":"hello\n"}],"time_limit_ms":1000}
{"id":"neg","language":"javascript","description":"Negate a number.","entry_point":"neg","tests":[{"style":"assert","code":"assert.equal(neg(1), -1)"}]}
EOT
}

AB_TEST_KEY=sk-ab-PLANTED-0123456789abcdef
export AB_TEST_KEY
XDG_CACHE_HOME=$T/xdg-cache
export XDG_CACHE_HOME
