# ab-exec harness for bash assertion tests: source the solution, run the
# test picked by $1; it passes when it exits 0 and its completion record
# reaches fd 3.
ab_nonce_=$AB_NONCE
unset AB_NONCE
ab_index_=$1
. ./solution.sh
trap 'ab_rc_=$?; if [ "$ab_rc_" -eq 0 ]; then printf "%s {\"test\":%s,\"status\":\"pass\"}\n" "$ab_nonce_" "$ab_index_" >&3; fi; exit "$ab_rc_"' EXIT
case $ab_index_ in
@@TESTS@@
*) exit 125 ;;
esac
