# ab-exec: the solution's side of a bash assertion test.  Sources the
# solution ($1) in this shell, under the solution's own uid and without
# the run's nonce, then runs the functions the checker calls over fd 3.
# Nothing here is trusted: the checker only takes back a status and bytes.
#
# Hello, once the solution is sourced: "ready" NUL, the names of the
# functions defined, each followed by NUL, then an empty name (NUL).
# A call: NAME NUL, WHERE NUL, N NUL, the N arguments each followed by
# NUL, then STDIN NUL where STDIN is "-" (none) or a byte count, followed
# by that many bytes.  WHERE is "m" when the test called the function from
# its own shell, "s" from a subshell (a command substitution, a pipeline).
# Its answer: "STATUS OUTLEN ERRLEN" LF, ERRLEN bytes of stderr, OUTLEN
# bytes of stdout (counts in bytes; NUL bytes are not carried).
# A call runs without fd 3, where its caller would have run it: from the
# test's own shell in this one, so that what it sets stays for the next
# calls (and its exit ends this server, as it would have ended the test);
# from a subshell in a subshell, so that an exit or a variable ends with
# it; its stdout and stderr go to files (bounded by the run's
# file size limit), and the stderr sent back to its first 64 KiB.
# Only keywords, builtins and "command" here: whatever the solution
# redefines ("[", "test", "read") harms its own answers only.
__ab_src_=$1
set --
__ab_tmp_=$(command mktemp -d) || exit 1
# shellcheck disable=SC1090 # the solution, whatever its name
. "./$__ab_src_" </dev/null
builtin mapfile -t __ab_fns_ < <(builtin compgen -A function)
__ab_lcset_=${LC_ALL+set}
__ab_lc_=${LC_ALL-}
LC_ALL=C
builtin trap - ERR RETURN DEBUG
builtin trap '' PIPE
builtin set +euo pipefail
builtin printf 'ready\0' >&3
builtin printf '%s\0' "${__ab_fns_[@]}" '' >&3
while IFS= builtin read -r -d '' -u 3 __ab_fn_ &&
    IFS= builtin read -r -d '' -u 3 __ab_cx_ &&
    IFS= builtin read -r -d '' -u 3 __ab_n_; do
	case $__ab_n_ in
	''|*[!0-9]*) builtin exit 1 ;;
	esac
	__ab_args_=()
	while (( ${#__ab_args_[@]} < __ab_n_ )) &&
	    IFS= builtin read -r -d '' -u 3 __ab_a_; do
		__ab_args_+=("$__ab_a_")
	done
	IFS= builtin read -r -d '' -u 3 __ab_il_ || builtin exit 0
	__ab_in_=/dev/null
	case $__ab_il_ in
	-) ;;
	''|*[!0-9]*) builtin exit 1 ;;
	*)
		__ab_in_=$__ab_tmp_/in
		command head -c "$__ab_il_" <&3 >"$__ab_in_" || builtin exit 0 ;;
	esac
	if [[ $__ab_cx_ == m ]]; then
		{
			builtin trap - PIPE
			if [[ -n $__ab_lcset_ ]]; then
				LC_ALL=$__ab_lc_
			else
				builtin unset LC_ALL
			fi
			"$__ab_fn_" "${__ab_args_[@]}"
		} <"$__ab_in_" >"$__ab_tmp_/out" 2>"$__ab_tmp_/err" 3<&-
		__ab_rc_=$?
		LC_ALL=C
		builtin trap '' PIPE
		builtin set +euo pipefail
	else
		(
			builtin trap - PIPE
			if [[ -n $__ab_lcset_ ]]; then
				LC_ALL=$__ab_lc_
			else
				builtin unset LC_ALL
			fi
			"$__ab_fn_" "${__ab_args_[@]}"
		) <"$__ab_in_" >"$__ab_tmp_/out" 2>"$__ab_tmp_/err" 3<&-
		__ab_rc_=$?
	fi
	__ab_o_=
	__ab_e_=
	IFS= builtin read -r -d '' -N 16777216 __ab_o_ <"$__ab_tmp_/out"
	IFS= builtin read -r -d '' -N 65536 __ab_e_ <"$__ab_tmp_/err"
	builtin printf '%d %d %d\n%s%s' "$__ab_rc_" "${#__ab_o_}" \
	    "${#__ab_e_}" "$__ab_e_" "$__ab_o_" >&3 || builtin exit 0
done
builtin exit 0
