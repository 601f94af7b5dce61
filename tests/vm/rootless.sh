# rootless.sh: the rootless part of tests/vm/guest.sh (sourced there,
# after the parts run as root; it uses guest.sh's helpers and counters).
# ab-exec as an ordinary user on a pure cgroup v2 hierarchy, in a
# subtree delegated to it as systemd lays one out:
#
#   user.slice/user-UID.slice                 root's, memory and pids given
#     user@UID.service                        the user manager's, delegated:
#                                             chowned (the directory and its
#                                             cgroup.procs, .subtree_control,
#                                             .threads), as Delegate=yes
#       app.slice/run-r1.scope                made by the user (its manager),
#                                             as systemd-run --user --scope
#                                             -p Delegate=yes makes it
#     session-1.scope                         root's (logind's): not delegated
#
# The user is uid $U, with no entry in /etc/passwd and no groups; the host
# checks the records (rootless.out, rl-*.out) and the refusals' messages.
U=2345
UH=/tmp/rootless
SL=user.slice/user-$U.slice
SV=$SL/user@$U.service
SC=$SV/app.slice/run-r1.scope

# AS COMMAND...: COMMAND as the user (setpriv), in its environment.
AS="setpriv --reuid=$U --regid=$U --clear-groups env HOME=$UH XDG_CACHE_HOME=$UH/cache AB_SHARE=$UH/share PATH=$UH/bin:/usr/bin:/bin"

# user_procs: live processes of the user, anywhere.
user_procs() {
	for _s in /proc/[0-9]*/status; do
		_st=
		while read -r _k _v _r; do
			case $_k in
			State:) _st=$_v ;;
			Uid:) [ "$_v" = $U ] && [ "$_st" != Z ] &&
				echo "${_s%/status}"; break ;;
			esac
		done <"$_s" 2>/dev/null
	done
}
# no_user_procs: none; else what they are go to rl-left.txt.
no_user_procs() {
	_l=$(user_procs)
	[ -z "$_l" ] && return 0
	for _p in $_l; do
		read -r _c <"$_p/comm" && read -r _g <"$_p/cgroup" &&
		    echo "${_p#/proc/} $_c $_g"
	done >rl-left.txt 2>&1
	return 1
}

at "rootless"
usx=$(cat /proc/sys/kernel/unprivileged_userns_clone 2>/dev/null || echo 1)
read -r mun </proc/sys/user/max_user_namespaces
# Landlock's ABI, from the kernel (as tests/t3018-rootless.sh asks it).
ll=$(python3 -c 'import ctypes
libc = ctypes.CDLL(None, use_errno=True)
print(max(libc.syscall(444, None, 0, 1), 0))' 2>/dev/null)
diag "unprivileged_userns_clone=$usx, max_user_namespaces=$mun, Landlock ABI ${ll:-?}"
if [ "$usx" != 1 ] || [ "$mun" -le 0 ] || [ "${ll:-0}" -le 0 ]; then
	# Decided from the guest's kernel, never by running ab-exec; the
	# host makes it a failure under CI.
	n=$((n + 1))
	echo "ok $n # skip rootless: this kernel cannot (unprivileged_userns_clone=$usx, max_user_namespaces=$mun, Landlock ABI ${ll:-0})"
	return 0 2>/dev/null
fi

# The user's copy of the programs: the source tree may be beneath a
# directory only root may enter.
if ! { mkdir -p $UH/bin $UH/cache && cp "$TOP/bin/ab-exec" $UH/bin/ &&
    cp -R "$TOP/share/ab" $UH/share && chown -R $U:$U $UH; }; then
	not_ok "rootless: the user's copy of ab-exec is made in $UH"
	return 0 2>/dev/null
fi

# The system manager's part: memory and pids down to user@UID.service,
# which is chowned to the user.
mkdir -p $CG/$SV &&
    echo "+memory +pids +cpu" >$CG/user.slice/cgroup.subtree_control &&
    echo "+memory +pids" >$CG/$SL/cgroup.subtree_control &&
    chown $U:$U $CG/$SV $CG/$SV/cgroup.procs $CG/$SV/cgroup.subtree_control \
    $CG/$SV/cgroup.threads
# The user manager's part, done as the user: it gives memory and pids on
# to app.slice and makes the scope there.
$AS sh -c 'cd "$1" && echo "+memory +pids" >cgroup.subtree_control &&
    mkdir app.slice && echo "+memory +pids" >app.slice/cgroup.subtree_control &&
    mkdir app.slice/run-r1.scope' sh $CG/$SV
read -r sc <$CG/$SC/cgroup.controllers
check "the user made its scope, given memory and pids, in its delegated cgroup" \
    test "$sc" = "memory pids"

# ab-exec -j 2 as the user in its scope.  The first record forks 8
# sleepers and sleeps: look at its cgroup while it lives, then the user
# kills it.
rl_run() {
	for _r in $CG/$SC/ab-slot.*/run.*; do
		[ -e "$_r/pids.current" ] && read -r _n <"$_r/pids.current" &&
		    [ "$_n" = 9 ] && echo "$_r"
	done
}
rl_live() { [ -n "$(rl_run)" ]; }
t0=$(date +%s)
in_cg_bg $SC $AS ab-exec -j 2 rootless.ndjson >rootless.out 2>rootless.err
apid=$!
if wait_for 60 rl_live; then
	r=$(rl_run)
	grep -H . "$r"/memory.max "$r"/memory.swap.max "$r"/pids.max \
	    /proc/$apid/cgroup $CG/$SC/cgroup.procs \
	    $(for p in $(cat "$r/cgroup.procs"); do echo /proc/$p/status; done) \
	    >rl-snap.txt 2>&1
	stat -c '%u %n' "$r" "$r/cgroup.procs" "$r/cgroup.kill" "${r%/run.*}" \
	    >rl-owner.txt
	# The user ends the run from outside, as it may.
	$AS sh -c 'echo 1 >"$1/cgroup.kill"' sh "$r"
	check "the user writes its run's cgroup.kill (exit $?)" test $? = 0
	case ${r#$CG/$SC/} in
	ab-slot.[0-9]*.[0-9]*.[01]/run.[0-9]*)
		ok "rootless: the run's cgroup is ab-slot.NS.PID.SLOT/run.N beneath the scope" ;;
	*) not_ok "rootless: the run's cgroup is ab-slot.NS.PID.SLOT/run.N beneath the scope: $r" ;;
	esac
	check "rootless: the run's cgroups belong to the user" \
	    test "$(grep -c "^$U " rl-owner.txt)" = 4
	check "rootless: memory.max is the task's limit (48 MB)" \
	    grep -qx "$r/memory.max:$((48 << 20))" rl-snap.txt
	check "rootless: memory.swap.max is 0" \
	    grep -qx "$r/memory.swap.max:0" rl-snap.txt
	check "rootless: pids.max is the process limit (64)" \
	    grep -qx "$r/pids.max:64" rl-snap.txt
	check "rootless: the run's 9 processes have the user's uid" \
	    test "$(grep -c "Uid:[[:space:]]*$U[[:space:]]" rl-snap.txt)" = 9
	check "rootless: no process in the scope itself" \
	    test "$(grep -c "^$CG/$SC/cgroup.procs:" rl-snap.txt)" = 0
	check "rootless: ab-exec's processes are in one leaf beneath the scope" \
	    grep -qx "/proc/$apid/cgroup:0::/$SC/ab-supervisor.$apid" rl-snap.txt
	grep -q "^/proc/$apid/cgroup" rl-snap.txt || diag "$(cat rl-snap.txt)"
	diag "$r"
else
	not_ok "rootless: a run lives in a cgroup of its own beneath the scope"
	diag "$(cgroups_in $CG/$SV)"
fi
wait $apid
rc=$?
diag "rootless ab-exec -j 2: $(($(date +%s) - t0)) s"
check "rootless ab-exec -j 2 ends (exit $rc)" test $rc = 0
[ -s rootless.err ] && diag "$(head -c 1000 rootless.err)"
after "rootless" $SC
if wait_for 5 no_user_procs; then ok "rootless: no process of the user left"
else not_ok "rootless: no process of the user left"; diag "$(cat rl-left.txt)"; fi

# Its shell in the scope beside it: nothing can be given to the scope's
# children; it refuses and changes nothing.
$AS mkdir $CG/$SV/app.slice/run-r2.scope
in_cg $SV/app.slice/run-r2.scope $AS sh -c 'ab-exec "$1"; echo "exit $?" >&2' \
    sh small.ndjson >rl-shared.out 2>rl-shared.err
read -r sc <$CG/$SV/app.slice/run-r2.scope/cgroup.subtree_control
check "rootless, beside its shell: the scope is left as it was" \
    test -z "$(cgroups_in $CG/$SV/app.slice/run-r2.scope)" -a -z "$sc"

# Not delegated: the user's login session scope, root's.
mkdir $CG/$SL/session-1.scope
in_cg $SL/session-1.scope $AS ab-exec small.ndjson >rl-refused.out \
    2>rl-refused.err
check "rootless, in a cgroup not delegated: exit 2 ($rc)" test $rc = 2
read -r sc <$CG/$SL/session-1.scope/cgroup.subtree_control
check "rootless, in a cgroup not delegated: it is left as it was" \
    test -z "$(cgroups_in $CG/$SL/session-1.scope)" -a -z "$sc"
if wait_for 5 no_user_procs; then ok "rootless: no process of the user left at the end"
else not_ok "rootless: no process of the user left at the end"; diag "$(cat rl-left.txt)"; fi
