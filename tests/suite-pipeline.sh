# suite-pipeline.sh - sourced by the example tests (t7010..t7014).
# need_pipeline: skip the whole test, with the reason, when this machine
# cannot run the pipeline (no jq, no sandbox: decided from the
# environment, never by running the stages, which the tests must fail when
# broken; under CI a failure); then set SUBSET (a small task file) and
# SCORE_FLAGS (the ab-score options that skip the slow analysers).

need_pipeline() {
	AB_TASKS=$TOP/tasks
	export AB_TASKS
	command -v jq >/dev/null 2>&1 || skip_env "jq is not installed"
	_why=$(sandbox_missing)
	[ -z "$_why" ] || skip_env "no sandbox here for ab-exec: $_why"
	SCORE_FLAGS="--no-analysers --no-reference-run"
	export SCORE_FLAGS
	# A few quick tasks, one per language of the starter suite.
	SUBSET=$T/subset.ndjson
	grep -E '^\{"id":"(py-two-sum|js-camel-to-snake|c-gcd-lcm|bash-is-palindrome)"' \
	    "$TOP/tasks/starter.ndjson" >"$SUBSET"
	[ "$(wc -l <"$SUBSET")" = 4 ] || {
		not_ok "the four tasks of the subset are in tasks/starter.ndjson"
		done_testing
		exit 1
	}
}
