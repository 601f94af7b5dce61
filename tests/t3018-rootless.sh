#!/bin/sh
# ab-exec as an ordinary user (ab-exec(1) ROOTLESS): the test, as root,
# makes the user ab-rootless if absent and a cgroup delegated to it (what
# systemd's Delegate=yes does: a cgroup of its own, chowned to it), then
# runs ab-exec as that user inside it.  Verdicts, limits, the walls and
# the refusal without a delegated cgroup are checked; each probe prints
# "x" only when the sandbox held, so a broken defence is a wrong answer.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-exec.sh"

U=ab-rootless
[ "$(id -u)" = 0 ] || skip_env "not root: cannot make the user and its cgroup"
need_sandbox	# what root's sandbox needs, the quick lane's skip
if [ -r /proc/sys/kernel/unprivileged_userns_clone ] &&
    [ "$(cat /proc/sys/kernel/unprivileged_userns_clone)" = 0 ]; then
	skip_env "kernel.unprivileged_userns_clone is 0: no user namespace for an ordinary user"
fi
[ "$(cat /proc/sys/user/max_user_namespaces 2>/dev/null || echo 0)" -gt 0 ] ||
    skip_env "user.max_user_namespaces is 0: no user namespace for an ordinary user"
# Landlock keeps a rootless run's processes apart: ask the kernel its ABI.
ll=$(python3 -c 'import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
print(max(libc.syscall(444, None, 0, 1), 0))' 2>/dev/null)
[ "${ll:-0}" -gt 0 ] || skip_env "no Landlock in this kernel (rootless ab-exec needs it)"
for c in setpriv useradd python3 jq; do
	command -v $c >/dev/null 2>&1 || skip_env "no $c"
done
if ! id -u $U >/dev/null 2>&1; then
	must useradd --system --no-create-home --home-dir /nonexistent \
	    --shell /usr/sbin/nologin $U
fi
uid=$(id -u $U)

# The programs and the languages, where the user can read them (the tree
# may be beneath a directory only root may enter).
chmod 711 "$T"
H=$T/home
mkdir -p "$H/bin"
cp "$TOP/bin/ab-exec" "$H/bin/"
cp -R "$TOP/share/ab" "$H/share"
chown -R $U: "$H"

# A delegated cgroup: beneath ours, in each hierarchy ab-exec uses.
name=ab-rootless-test.$$
procs=
cgdirs=
if [ -n "$(_cgroup_mount cgroup memory)" ]; then
	for c in memory pids cpuacct; do
		m=$(_cgroup_mount cgroup $c)
		[ -n "$m" ] || skip_env "no cgroup v1 $c mounted"
		o=$(sed -n "s/^[0-9]*:\\([^:]*,\\)*$c\\(,[^:]*\\)*://p" /proc/self/cgroup)
		d=$m${o%/}/$name
		mkdir "$d" || skip_env "cannot make the cgroup $d"
		chown -R $U: "$d"
		procs="$procs $d/cgroup.procs"
		cgdirs="$d $cgdirs"
	done
else
	m=$(_cgroup_mount cgroup2 "")
	[ -n "$m" ] || skip_env "no cgroup mounted"
	o=$(sed -n 's/^0:://p' /proc/self/cgroup)
	p=$m${o%/}
	# Our cgroup must give memory and pids to its children: the root
	# does; another only when it holds no process (then we may).
	for c in memory pids; do
		grep -qw $c "$p/cgroup.subtree_control" ||
		    echo "+$c" >"$p/cgroup.subtree_control" 2>/dev/null ||
		    skip_env "the cgroup $p cannot give $c to a child (it holds processes)"
	done
	d=$p/$name
	mkdir "$d" || skip_env "cannot make the cgroup $d"
	chown $U: "$d" "$d/cgroup.procs" "$d/cgroup.subtree_control" \
	    "$d/cgroup.threads"
	procs=$d/cgroup.procs
	cgdirs=$d
fi
cleanup() {
	jq_flush
	for d in $cgdirs; do
		find "$d" -depth -type d -exec rmdir {} + 2>/dev/null
	done
	rm -rf "$T"
}
trap cleanup EXIT

# as_user [-n] COMMAND...: COMMAND as the user, in the delegated cgroup
# (-n: left in ours, which the user may not write).
cat >"$T/as-user" <<EOF
#!/bin/sh
if [ "\$1" = -n ]; then shift; else
	for f in $procs; do echo \$\$ >"\$f" || exit 97; done
fi
exec setpriv --reuid $U --regid $U --clear-groups \\
    env HOME=$H XDG_CACHE_HOME=$H/cache AB_SHARE=$H/share PATH=$H/bin:/usr/bin:/bin "\$@"
EOF
chmod 755 "$T/as-user"
cd "$H" || exit 1

one='[{"style":"io","stdout":"x\n"}]'
lim='{"time_limit_ms":2000}'
roomy='{"time_limit_ms":3000,"memory_limit_mb":64}'
probe() {	# probe ID PYTHON-CODE (prints x when held)
	rec "$1" python "$2" "$one" "$lim"
}
echo canary >"$T/canary"
chmod 644 "$T/canary"
{
	rec right python 'print(input()[::-1])' \
	    '[{"style":"io","stdin":"ab\n","stdout":"ba\n"}]' "$lim"
	rec wrong python 'print(input())' \
	    '[{"style":"io","stdin":"ab\n","stdout":"ba\n"}]' "$lim"
	rec call-right python 'def inc(x): return x + 1' \
	    '[{"style":"call","args":[1],"expected":2},{"style":"assert","code":"assert inc(2) == 3"}]' \
	    '{"entry_point":"inc","time_limit_ms":3000}'
	rec call-wrong python 'def inc(x): return x' \
	    '[{"style":"call","args":[1],"expected":2}]' \
	    '{"entry_point":"inc","time_limit_ms":3000}'
	# The solution shares the checker's id: it must still not read
	# another process's /proc (the checker's nonce, its channel), nor
	# write the checker's /work.
	rec peer python 'import os
held = True
for p in os.listdir("/proc"):
    if p.isdigit() and int(p) != os.getpid():
        for f in ("environ", "fd", "mem", "cmdline"):
            try:
                if f == "fd": os.listdir("/proc/%s/fd" % p)
                else: open("/proc/%s/%s" % (p, f), "rb").read(1)
                held = False
            except OSError:
                pass
try:
    open("/work/x", "w"); held = False
except OSError:
    pass
try:
    open("/tmp/x", "w").write("1")
except OSError:
    held = False
def inc(x): return x + 1 if held else -1' \
	    '[{"style":"call","args":[1],"expected":2}]' \
	    '{"entry_point":"inc","time_limit_ms":3000}'
	rec mem python 'x = bytearray(512 << 20); print("x")' "$one" "$roomy"
	rec fork python 'import os, time
n = 0
try:
    while n < 1000:
        if os.fork() == 0:
            time.sleep(100)
        n += 1
except OSError:
    pass
print("x" if 0 < n < 1000 else n)' "$one" "$roomy"
	probe outside 'held = True
for p in ["/usr/bin/x", "/etc/x", "/x", "/dev/x", "/.lowers/x", "/.ovl/x", "/proc/sys/kernel/x", "'"$T"'/canary"]:
    try:
        open(p, "w"); held = False
    except OSError:
        pass
open("/work/ok", "w").write("1")
print("x" if held else "wrote")'
	probe net 'import socket
held = True
for addr in [("127.0.0.1", 22), ("1.1.1.1", 53), ("10.0.0.1", 80)]:
    try:
        socket.create_connection(addr, timeout=0.5); held = False
    except OSError:
        pass
print("x" if held else "net")'
	probe caps 'import os
eff = [l for l in open("/proc/self/status") if l.startswith(("CapEff", "CapPrm", "CapBnd"))]
held = all(int(l.split()[1], 16) == 0 for l in eff) and len(eff) == 3
held = held and os.getuid() == os.geteuid() == 1000
print("x" if held else eff)'
	probe procs 'import os
pids = [p for p in os.listdir("/proc") if p.isdigit()]
print("x" if pids == [str(os.getpid())] else pids)'
} >"$H/in.ndjson"
chown $U: "$H/in.ndjson"

run "$T/as-user" ab-exec in.ndjson
expect_rc 0 "ab-exec as uid $uid in a delegated cgroup"
check "one record per input record" test "$(wc -l <"$T/out")" -eq 11
cp "$T/out" "$T/recs"
expect_verdict "$T/recs" right ok
expect_verdict "$T/recs" wrong wrong_answer
expect_verdict "$T/recs" call-right ok
expect_verdict "$T/recs" call-wrong wrong_answer
expect_verdict "$T/recs" peer ok
expect_verdict "$T/recs" mem memory_limit
expect_verdict "$T/recs" fork ok
expect_verdict "$T/recs" outside ok
expect_verdict "$T/recs" net ok
expect_verdict "$T/recs" caps ok
expect_verdict "$T/recs" procs ok
expect_jq "$T/recs" '.[] | .exec.isolation | (.[16:] == ["rootless", "landlock"]) and (map(select(startswith("not enforced"))) == [])' \
    "every record says rootless, with nothing missing"
expect_jq "$T/recs" '.[] | select(.task.id == "fork") | .exec.tests[0].actual == "x\n"' \
    "the fork loop met the process limit"
check "the canary is untouched" test "$(cat "$T/canary")" = canary
_i=0
while [ $_i -lt 20 ] && pgrep -u $U >/dev/null; do sleep 0.1; _i=$((_i + 1)); done
check "no process of the user is left" test -z "$(pgrep -u $U)"
left=$(for d in $cgdirs; do find "$d" -mindepth 1 -type d -name 'ab-slot.*'; done)
check "no slot cgroup is left" test -z "$left"

# --modules rootless: the keeper binds the directory by name, read-only.
mkdir -p "$H/mods/node_modules/ab-fake" "$H/mods/python"
printf 'module.exports = (x) => x * 7;\n' >"$H/mods/node_modules/ab-fake/index.js"
printf 'def seven(x):\n    return 7 * x\n' >"$H/mods/python/abseven.py"
chown -R $U: "$H/mods"
{
	rec mod-py python 'import abseven
def f(x): return abseven.seven(x)' '[{"style":"call","args":[3],"expected":21}]' \
	    '{"entry_point":"f","modules":["abseven"],"time_limit_ms":3000}'
	if command -v node >/dev/null 2>&1; then
		rec mod-js javascript 'const seven = require("ab-fake");
function f(x) { return seven(x); }' '[{"style":"call","args":[3],"expected":21}]' \
		    '{"entry_point":"f","modules":["ab-fake"],"time_limit_ms":3000}'
	fi
} >"$H/mods.ndjson"
chown $U: "$H/mods.ndjson"
run "$T/as-user" ab-exec --modules "$H/mods" mods.ndjson
expect_rc 0 "ab-exec --modules as uid $uid"
cp "$T/out" "$T/mods.out"
expect_verdict "$T/mods.out" mod-py ok
if command -v node >/dev/null 2>&1; then
	expect_verdict "$T/mods.out" mod-js ok
elif in_ci; then
	not_ok "CI must run this test, but node is not installed"
else
	skip "node is not installed"
fi

# Without a delegated cgroup: one line, saying why and what to run.
rec right python 'print(1)' '[{"style":"io","stdout":"1\n"}]' >"$H/one.ndjson"
chown $U: "$H/one.ndjson"
run "$T/as-user" -n ab-exec one.ndjson
expect_rc 2 "no delegated cgroup: ab-exec refuses"
check "nothing on stdout" test ! -s "$T/out"
check "one line on stderr" test "$(wc -l <"$T/err")" -eq 1
expect_contains "$T/err" "ab-exec: refusing to run: rootless: no cgroup delegated to uid $uid" \
    "it says why"
expect_contains "$T/err" "Delegate=yes" "and what gives one"

done_testing
