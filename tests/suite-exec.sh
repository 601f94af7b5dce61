# suite-exec.sh - sourced by tests t7001..t7005: run every reference and
# mutant of the named task files through ab-exec, and check that each
# reference passes all its tests and each mutant fails at least one.
#   . "$(dirname "$0")/suite-exec.sh"; suite_exec tasks/x.ndjson...
# Records are built with python3, not jq: jq 1.6 would print an expected
# 2.0 as 2, which call tests with strict_types tell apart.

suite_records() {
	python3 - "$@" <<'PY'
import json, sys
for f in sys.argv[1:]:
    with open(f, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            t = json.loads(line)
            subs = [("reference", 0, t.get("reference"))]
            subs += [("mutant", i, m) for i, m in enumerate(t.get("mutants", []))]
            for name, i, code in subs:
                if code is None:
                    continue
                print(json.dumps({
                    "id": "%s/%s/%d" % (t["id"], name, i), "run": "suite-check",
                    "task": t, "config": {"name": name, "hash": name},
                    "sample": i, "gen": {"text": code, "error": None},
                    "extract": {"code": code, "language": t["language"],
                                "method": "given", "blocks": 1, "error": None}},
                    ensure_ascii=False, separators=(",", ":")))
PY
}

# man_examples MANPAGE: the JSON examples of a man page (the .Bd -literal
# blocks that start with "{"), one per line, as they would be typed.
man_examples() {
	awk '/^\.Bd -literal/ { inb = 1; buf = ""; next }
	    /^\.Ed/ { if (inb && buf ~ /^\{/) print buf; inb = 0; next }
	    inb { buf = buf (buf == "" ? "" : " ") $0 }' "$1" |
	    sed 's/\\e/\\/g'
}

# suite_exec FILE...: one TAP line per reference and per mutant.
suite_exec() {
	command -v python3 >/dev/null 2>&1 ||
		skip_env "python3 is needed to build the records"
	# The sandbox or the degraded mode, decided from the environment (a
	# broken ab-exec must fail here, not skip); CI must have the sandbox.
	degraded=
	_why=$(sandbox_missing)
	if [ -n "$_why" ]; then
		{ in_ci || [ "${AB_QUICK:-}" = 1 ]; } && skip_env "no sandbox here: $_why"
		degraded=--allow-degraded
		diag "no sandbox here ($_why): running degraded"
	fi
	suite_records "$@" >"$T/recs.ndjson"
	run ab-exec -j 2 $degraded "$T/recs.ndjson"
	cp "$T/out" "$T/exec.ndjson"
	cp "$T/err" "$T/exec.err"
	# An internal error is the harness's fault (a busy machine, a cgroup
	# raced away): run those records once more before judging.
	jq -r 'select(.exec.verdict == "internal_error") | .id' \
	    "$T/exec.ndjson" >"$T/retry.ids"
	if [ "$rc" = 0 ] || { [ "$rc" = 1 ] && [ -s "$T/retry.ids" ]; }; then
		ok "ab-exec runs every reference and mutant (exit $rc)"
	else
		not_ok "ab-exec runs every reference and mutant (exit $rc)"
		diag "$(head -c 2000 "$T/exec.err")"
	fi
	if [ -s "$T/retry.ids" ]; then
		diag "internal errors, run again:" "$(cat "$T/retry.ids")"
		# grep, not jq: the records must keep their numbers as written.
		sed 's/^/{"id":"/; s/$/",/' "$T/retry.ids" >"$T/retry.pat"
		grep -F -f "$T/retry.pat" "$T/recs.ndjson" >"$T/retry.ndjson"
		ab-exec -j 2 $degraded "$T/retry.ndjson" >"$T/retry.out" \
		    2>/dev/null || true
		jq -c 'select(.exec.verdict != "internal_error")' \
		    "$T/exec.ndjson" >"$T/kept.ndjson"
		cat "$T/kept.ndjson" "$T/retry.out" >"$T/exec.ndjson"
	fi
	check "one exec record per reference and mutant" test \
	    "$(wc -l <"$T/exec.ndjson")" -eq "$(wc -l <"$T/recs.ndjson")"
	jq -r '[.id, .exec.verdict, "\(.exec.passed)/\(.exec.total)",
	    ([.exec.tests[]? | select(.verdict != "ok")
	      | "\(.name): \(.verdict) \(.error // "" | tostring | .[0:200])"]
	      | join("; ")), (.exec.error // "" | tostring)] | @tsv' \
	    "$T/exec.ndjson" | sort >"$T/verdicts.tsv"
	while IFS='	' read -r id verdict passed failing error; do
		case $id in
		*/reference/*)
			if [ "$verdict" = ok ]; then
				ok "reference ${id%/reference/*} passes $passed tests"
			else
				not_ok "reference ${id%/reference/*}: $verdict $passed"
				diag "$failing" "$error"
			fi
			;;
		*)
			if [ "$verdict" != ok ]; then
				ok "mutant ${id#*/mutant/} of ${id%/mutant/*} rejected ($verdict, $passed)"
			else
				not_ok "mutant ${id#*/mutant/} of ${id%/mutant/*} passes every test"
			fi
			;;
		esac
	done <"$T/verdicts.tsv"
}
