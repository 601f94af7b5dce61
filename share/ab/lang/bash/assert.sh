# ab-exec harness for bash assertion tests: the checker.  It runs the
# test picked by $1 under its own uid and holds the run's nonce; the
# solution runs apart, in server.sh, under another uid.  Each function the
# solution defines is a proxy here: it sends its name, whether it was
# called from this shell or a subshell, its arguments and its stdin
# (unless that is the run's own) over fd 4, prints the stderr and stdout
# that come back and returns the status.  Builtins, keywords
# and the commands of PATH (but $2, the entry point) are never replaced,
# whatever the solution defines.  The test passes when it exits 0 and its completion
# record reaches fd 3.  See server.sh for the wire.
__ab_nonce_=$AB_NONCE
builtin unset AB_NONCE
__ab_index_=$1
__ab_entry_=$2
builtin set --
__ab_w_=$PWD
# The run's own stdin: a proxy called on it sends none.
builtin exec {__ab_in0_}<&0
# A token in a pipe: one call at a time on the socket.
builtin exec {__ab_lk_}<> <(:)
builtin printf x >&"$__ab_lk_"

# The solution's process went away: the test fails, now or at its end.
__ab_gone_() {
	: >"$__ab_w_/.ab-gone"
	builtin printf "ab-exec: the solution's process exited%s\\n" \
	    "${1:+ ($1)}" >&2
	builtin exit 2
}

__ab_call_() {
	local __ab_f_=$1 __ab_il_=- __ab_in_='' __ab_h_ __ab_rc_ __ab_ol_ \
	    __ab_el_ __ab_o_='' __ab_e_='' __ab_big_='' LC_ALL=C
	builtin shift
	[ -e "$__ab_w_/.ab-gone" ] && __ab_gone_ "$__ab_f_"
	if ! [ /dev/fd/0 -ef "/dev/fd/$__ab_in0_" ] 2>/dev/null; then
		__ab_in_=$(command cat 2>/dev/null; builtin printf x)
		__ab_in_=${__ab_in_%x}
		__ab_il_=${#__ab_in_}
	fi
	__ab_h_=s
	[ "$BASHPID" = "$$" ] && __ab_h_=m
	IFS= builtin read -r -N 1 -u "$__ab_lk_" __ab_rc_
	builtin trap '' PIPE
	builtin printf '%s\0' "$__ab_f_" "$__ab_h_" "$#" "$@" "$__ab_il_" >&4 &&
	    builtin printf '%s' "$__ab_in_" >&4
	builtin trap - PIPE
	if IFS= builtin read -r -u 4 __ab_h_ &&
	    [[ $__ab_h_ =~ ^([0-9]{1,3})\ ([0-9]{1,9})\ ([0-9]{1,5})$ ]] &&
	    __ab_rc_=${BASH_REMATCH[1]} && __ab_ol_=${BASH_REMATCH[2]} &&
	    __ab_el_=${BASH_REMATCH[3]} &&
	    [ "$__ab_rc_" -le 255 ] && [ "$__ab_el_" -le 65536 ] &&
	    { [ "$__ab_el_" -eq 0 ] ||
	    IFS= builtin read -r -d '' -N "$__ab_el_" -u 4 __ab_e_; }; then
		if [ "$__ab_ol_" -gt 65536 ]; then
			__ab_big_=$__ab_w_/.ab-out.$BASHPID
			command head -c "$__ab_ol_" <&4 >"$__ab_big_"
		elif [ "$__ab_ol_" -gt 0 ]; then
			IFS= builtin read -r -d '' -N "$__ab_ol_" -u 4 \
			    __ab_o_ || __ab_rc_=-1
		fi
	else
		__ab_rc_=-1
	fi
	builtin printf x >&"$__ab_lk_"
	[ "$__ab_rc_" = -1 ] && __ab_gone_ "$__ab_f_"
	builtin printf '%s' "$__ab_e_" >&2
	if [ -n "$__ab_big_" ]; then
		command cat "$__ab_big_"
		command rm -f "$__ab_big_"
	else
		builtin printf '%s' "$__ab_o_"
	fi
	return "$__ab_rc_"
}

# The hello: the solution's functions, once it is sourced.
IFS= builtin read -r -d '' -u 4 __ab_h_ && [ "$__ab_h_" = ready ] ||
    __ab_gone_ "while loading"
__ab_k_=0
while IFS= builtin read -r -d '' -u 4 __ab_h_ || __ab_gone_ "while loading"
    [ -n "$__ab_h_" ]; do
	__ab_k_=$((__ab_k_ + 1))
	[ "$__ab_k_" -le 10000 ] || __ab_gone_ "too many functions"
	# Names that are safe to define, and never one that the test
	# relies on: a builtin, a keyword, a command of PATH (unless it
	# is the entry point), a hook or one of ours.
	[[ $__ab_h_ =~ ^[A-Za-z_][A-Za-z0-9_.:-]*$ ]] || continue
	case $__ab_h_ in
	__ab_*|command_not_found_handle) continue ;;
	esac
	if builtin type -t -- "$__ab_h_" >/dev/null 2>&1; then
		[ "$__ab_h_" = "$__ab_entry_" ] &&
		    [ "$(builtin type -t -- "$__ab_h_")" = file ] || continue
	fi
	builtin eval "$__ab_h_() { __ab_call_ $__ab_h_ \"\$@\"; }"
done
builtin unset __ab_h_ __ab_k_

builtin trap '__ab_rc_=$?
if [ -e "$__ab_w_/.ab-gone" ]; then
	__ab_rc_=2
elif [ "$__ab_rc_" -eq 0 ]; then
	builtin printf "%s {\"test\":%s,\"status\":\"pass\"}\n" "$__ab_nonce_" "$__ab_index_" >&3
fi
builtin exit "$__ab_rc_"' EXIT
case $__ab_index_ in
@@TESTS@@
*) exit 125 ;;
esac
