# lib-score.sh - helpers for ab-score's tests; source after lib.sh.

# score_rec LANG FILE: on stdout, a record of an attempt in LANG whose
# extracted code is FILE's text (passed, one test).
score_rec() {
	jq -nc --rawfile code "$2" --arg lang "$1" '{id: "t/c/0", run: "r",
	    task: {id: "t", language: $lang, difficulty: "easy", tests: []},
	    config: {name: "c", hash: "h"}, sample: 0, gen: {latency_ms: 1},
	    extract: {code: $code, language: $lang},
	    exec: {verdict: "ok", passed: 1, total: 1, cpu_ms: 5,
	    tests: [{name: "a", verdict: "ok", time_ms: 5}]}}'
}

# jstr S: S (no control characters in it) as a JSON string, which is a
# jq string too, in $js; no process is started (jq -R would be one).
jstr() {
	_js=$1 js=
	while :; do
		case $_js in
		*[\\\"]*)
			_jp=${_js%%[\\\"]*}
			_js=${_js#"$_jp"}
			js="$js$_jp\\${_js%"${_js#?}"}"
			_js=${_js#?} ;;
		*) break ;;
		esac
	done
	js="\"$js$_js\""
}
