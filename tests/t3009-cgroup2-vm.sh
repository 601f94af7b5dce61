#!/bin/sh
# ab-exec on a pure cgroup v2 hierarchy, under a real kernel: boot
# Debian's own kernel (fetched by `make vm-kernel`) in qemu with cgroup v1
# off (cgroup_no_v1=all), the host's root shared read-only over 9p and
# tmpfs for writes, and run tests/vm/guest.sh there as root on records
# written here; then, as an ordinary user, tests/vm/rootless.sh in a
# subtree delegated to it as systemd's user manager lays one out
# (ab-exec(1) ROOTLESS).  Their TAP comes back over the second serial
# port, their records through a writable 9p share of $T/io; both are
# checked here.  KVM when it can boot the kernel, else qemu's TCG; the
# whole test is bounded (qemu is killed at AB_VM_TIMEOUT seconds, 180 by
# default).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-exec.sh"

VM=${AB_VM_CACHE:-/var/cache/ab/vm}
limit=${AB_VM_TIMEOUT:-180}

[ "$(uname -s)/$(uname -m)" = Linux/x86_64 ] || skip_all "not Linux on x86_64"
command -v qemu-system-x86_64 >/dev/null 2>&1 ||
    skip_env "no qemu-system-x86_64 (make deps installs qemu-system-x86)"
if ! [ -x /bin/busybox ] || ! /bin/busybox cpio --help >/dev/null 2>&1; then
	skip_env "no /bin/busybox (make deps installs busybox-static)"
fi
ldd /bin/busybox 2>&1 | grep -q 'not a dynamic' ||
    skip_env "/bin/busybox is not static (make deps installs busybox-static)"
ver=$(cat "$VM/kernel" 2>/dev/null)
K=$VM/$ver
if [ -z "$ver" ] || [ ! -f "$K/vmlinuz" ]; then
	skip_env "no VM kernel in $VM (make vm-kernel fetches Debian's)"
fi
[ -x "$TOP/bin/ab-exec" ] || { not_ok "ab-exec is built (make)"; done_testing; exit 1; }

# ---- the records ---------------------------------------------------------
# Without KVM the guest's CPU time runs slow and uneven on a busy host:
# limits far above what the records need, except where a limit is the
# point.
io=$T/io
mkdir -p "$io"
one='[{"style":"io","stdout":"x\n"}]'
slow='{"time_limit_ms":10000}'
big='{"time_limit_ms":10000,"memory_limit_mb":256}'
hog='x = b"\1" * (512 << 20)
print("x")'
fork='import os, time
n = 0
try:
    while n < 1000:
        if os.fork() == 0:
            time.sleep(100)
            os._exit(0)
        n += 1
except OSError:
    pass
print("x" if 0 < n < 64 else n)'
daemon='import os, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        time.sleep(100)
        os._exit(0)
    os._exit(0)
print("x")'
probe='import os, time
for i in range(8):
    if os.fork() == 0:
        time.sleep(100)
        os._exit(0)
time.sleep(100)'
plim='{"time_limit_ms":5000,"memory_limit_mb":48}'
add_ok() {
	rec "$1" python 'def add(a, b):
    return a + b' '[{"style":"assert","code":"assert add(1, 2) == 3"},{"style":"assert","code":"assert add(-1, 1) == 0"}]' '{"entry_point":"add","time_limit_ms":10000}'
}
{
	add_ok ok
	rec io python 'print(sum(map(int, input().split())))' \
	    '[{"style":"io","stdin":"1 2\n","stdout":"3\n"}]' "$slow"
	rec hog python "$hog" "$one" '{"time_limit_ms":10000,"memory_limit_mb":64}'
	rec big python 'x = b"\1" * (96 << 20)
print("x")' "$one" "$big"
	rec small python 'print("x")' "$one" "$big"
	rec fork python "$fork" "$one" "$slow"
	rec spin python 'while True: pass' "$one" '{"time_limit_ms":1500}'
	rec idle python 'print("x")' "$one" "$slow"
	rec daemon python "$daemon" "$one" "$slow"
	rec last python 'print("x")' "$one" "$slow"
} >"$io/batch.ndjson"
{
	rec p1 python "$probe" "$one" "$plim"
	rec p2 python "$probe" "$one" "$plim"
	add_ok ok
	rec hog python "$hog" "$one" '{"time_limit_ms":10000,"memory_limit_mb":64}'
	rec fork python "$fork" "$one" "$slow"
	rec daemon python "$daemon" "$one" "$slow"
} >"$io/par.ndjson"
rec p3 python "$probe" "$one" "$plim" >"$io/p3.ndjson"
# Run as an ordinary user (tests/vm/rootless.sh), -j 2: the probe lives
# until the user kills it from outside, while the other slot judges the
# rest.  Every run starts its interpreter afresh there (no warm runs):
# time limits for a slow guest.
rl='{"time_limit_ms":60000}'
calls='[{"style":"call","args":[1,2],"expected":3},{"style":"call","args":[-1,1],"expected":0}]'
{
	rec probe python "$probe" "$one" '{"time_limit_ms":30000,"memory_limit_mb":48}'
	rec right python 'print(sum(map(int, input().split())))' \
	    '[{"style":"io","stdin":"1 2\n","stdout":"3\n"}]' "$rl"
	rec wrong python 'print(max(map(int, input().split())))' \
	    '[{"style":"io","stdin":"1 2\n","stdout":"3\n"}]' "$rl"
	rec call-right python 'def add(a, b):
    return a + b' "$calls" '{"entry_point":"add","time_limit_ms":60000}'
	rec call-wrong python 'def add(a, b):
    return a + b if a > 0 else b - a' "$calls" \
	    '{"entry_point":"add","time_limit_ms":60000}'
	rec hog python "$hog" "$one" '{"time_limit_ms":60000,"memory_limit_mb":64}'
	rec fork python "$fork" "$one" "$rl"
	# The run's cgroup files are the user's, as the run's processes are
	# outside: the cgroup file system must be out of their reach.
	rec cgfs python 'import ctypes, os
held = True
for p in ["/sys/fs/cgroup", "/sys/fs/cgroup/cgroup.procs", "/sys/fs/cgroup/memory.max"]:
    if os.path.exists(p): held = False
libc = ctypes.CDLL(None, use_errno=True)
for t in [b"cgroup2", b"cgroup"]:
    if libc.mount(b"none", b"/tmp", t, 0, None) == 0: held = False
if os.path.exists("/tmp/cgroup.procs"): held = False
print("x" if held else "reached")' "$one" "$rl"
} >"$io/rootless.ndjson"
rec small python 'print("x")' "$one" "$slow" >"$io/small.ndjson"

# ---- the initramfs: busybox, the init script, the modules ---------------
# The modules the VM needs and those they depend on (read from each
# module's modinfo), in load order.  A module that is not there is taken
# to be built in.
ir=$T/initramfs
mkdir -p "$ir/bin" "$ir/modules"
cp /bin/busybox "$ir/bin/busybox"
cp "$TOP/tests/vm/init" "$ir/init"
chmod 755 "$ir/init"
: >"$ir/modules.order"
mod_file() {
	find "$K/modules" \( -name "$1.ko" -o -name "$1.ko.xz" -o \
	    -name "$1.ko.zst" -o -name "$(echo "$1" | tr _ -).ko" \) |
	    head -n 1
}
mod_cat() {
	case $1 in
	*.xz) xz -dc "$1" ;;
	*.zst) zstd -qdc "$1" ;;
	*) cat "$1" ;;
	esac
}
add_mod() {
	grep -qx "$1.ko" "$ir/modules.order" && return 0
	_f=$(mod_file "$1")
	if [ -z "$_f" ]; then
		grep -q "/$1\.ko" "$K/modules/modules.builtin" 2>/dev/null ||
		    diag "module $1: not found, taken as built in"
		return 0
	fi
	for _d in $(mod_cat "$_f" | tr '\0' '\n' |
	    sed -n 's/^depends=//p' | head -n 1 | tr , ' '); do
		add_mod "$_d"
	done
	# (sh has no local variables: the recursion changed _f)
	mod_cat "$(mod_file "$1")" >"$ir/modules/$1.ko"
	echo "$1.ko" >>"$ir/modules.order"
}
for m in virtio_pci 9pnet_virtio 9p zram; do
	add_mod $m
done
(cd "$ir" && find . | /bin/busybox cpio -o -H newc 2>/dev/null) |
    gzip -1 >"$T/initramfs.gz"
if [ ! -s "$T/initramfs.gz" ]; then
	not_ok "the initramfs is built"
	done_testing
	exit 1
fi

# ---- boot ----------------------------------------------------------------
# boot ACCEL SECONDS-TO-BOOT SECONDS: run the VM; 0 when it ran to the
# end, 1 when it was killed at the limit, 2 when it did not boot in time
# (and was killed), 3 when qemu ended before the guest was up.
boot() {
	rm -f "$T/tap.out" "$T/console.log" "$T/qemu.pid"
	_cpu=max
	[ "$1" = kvm ] && _cpu=host
	timeout -s KILL "$3" qemu-system-x86_64 -nodefaults -no-reboot \
	    -display none -accel "$1" -cpu $_cpu -smp 2 -m 1024 \
	    -kernel "$K/vmlinuz" -initrd "$T/initramfs.gz" \
	    -append "console=ttyS0 quiet cgroup_no_v1=all panic=-1 ab.top=$TOP" \
	    -virtfs local,path=/,mount_tag=host,security_model=none,readonly=on,multidevs=remap \
	    -virtfs local,path="$io",mount_tag=io,security_model=none \
	    -virtfs local,path="$TOP",mount_tag=top,security_model=none,readonly=on,multidevs=remap \
	    -serial "file:$T/console.log" -serial "file:$T/tap.out" \
	    -pidfile "$T/qemu.pid" 2>"$T/qemu.err" &
	_q=$!
	_t=0
	while kill -0 $_q 2>/dev/null; do
		if [ $_t -ge $(($2 * 10)) ] && ! grep -q '^# vm up' "$T/tap.out" 2>/dev/null; then
			kill -9 "$(cat "$T/qemu.pid" 2>/dev/null)" 2>/dev/null
			wait $_q
			return 2
		fi
		sleep 0.1
		_t=$((_t + 1))
	done
	wait $_q
	grep -q '^# vm done' "$T/tap.out" 2>/dev/null && return 0
	grep -q '^# vm up' "$T/tap.out" 2>/dev/null || return 3
	return 1
}

t0=$(date +%s)
accel=${AB_VM_ACCEL:-}
if [ -z "$accel" ]; then
	# KVM that runs an unmodified kernel (kvm_intel or kvm_amd; a
	# paravirtual KVM such as PVM cannot), else TCG.
	if [ -r /dev/kvm ] && [ -w /dev/kvm ] &&
	    { [ -d /sys/module/kvm_intel ] || [ -d /sys/module/kvm_amd ]; }; then
		accel=kvm
	else
		accel=tcg
		diag "no usable KVM here (modules: $(cd /sys/module && echo kvm*)): TCG"
	fi
fi
st=0
if [ "$accel" = kvm ]; then boot kvm 15 "$limit" || st=$?
else boot "$accel" 60 "$limit" || st=$?; fi
if [ $st -ge 2 ] && [ "$accel" = kvm ]; then
	diag "KVM did not boot the kernel: TCG" \
	    "$(tail -n 3 "$T/qemu.err" "$T/console.log" 2>/dev/null)"
	accel=tcg
	st=0
	boot tcg 60 $((limit - ($(date +%s) - t0))) || st=$?
fi
t1=$(date +%s)
[ $st = 2 ] && skip_env "the VM did not boot in $accel within 60 s: $(tail -c 300 "$T/console.log" 2>/dev/null)"
if [ $st = 3 ]; then
	not_ok "the VM boots ($accel)"
	diag "$(tail -n 20 "$T/console.log")" "$(cat "$T/qemu.err")"
	done_testing
	exit 1
fi
diag "the VM ($accel, kernel $ver) ran for $((t1 - t0)) s"

# ---- its TAP ------------------------------------------------------------
tr -d '\r' <"$T/tap.out" >"$T/tap"
n=0
plan=
rl_skipped=
while IFS= read -r line; do
	case $line in
	"not ok "*) n=$((n + 1)); not_ok "vm: ${line#not ok * - }" ;;
	"ok "*"# skip rootless:"*) n=$((n + 1)); rl_skipped=1
		skip_part "vm: ${line#*# skip }" ;;
	"ok "*"# skip"*) n=$((n + 1)); skip_part "vm: ${line#*# skip }" ;;
	"ok "*) n=$((n + 1)); ok "vm: ${line#ok * - }" ;;
	1..*) plan=${line#1..} ;;
	"Bail out!"*) not_ok "vm: $line" ;;
	"#"*) echo "$line" ;;
	*) diag "vm: $line" ;;
	esac
done <"$T/tap"
if [ $st = 1 ]; then
	not_ok "the VM finished within $limit s"
	diag "console:" "$(tail -n 20 "$T/console.log")" "$(cat "$T/qemu.err")"
else
	ok "the VM finished within $limit s ($((t1 - t0)) s)"
fi
check "the guest ran its whole plan ($n of ${plan:-?})" \
    test -n "$plan" -a "$n" = "$plan" -a "$n" -gt 0
expect_contains "$T/tap" "# guest exit 0" "the guest's tests passed"

# ---- the records that came back -----------------------------------------
cd "$io" || exit 1
rl_files="rootless rl-shared rl-refused"
[ -n "$rl_skipped" ] && rl_files=
for f in batch par root degraded $rl_files; do
	if [ ! -f $f.out ]; then
		not_ok "the records came back from the VM ($f.out)"
		done_testing
		exit 1
	fi
done
check "one record per input record (-j 1)" test "$(wc -l <batch.out)" -eq 10
expect_jq batch.out '[.[].task.id] == ["ok","io","hog","big","small","fork","spin","idle","daemon","last"]' \
    "the records come out in input order"
expect_jq batch.out '.[0].exec.isolation == ["userns","pidns","mountns","netns","ipcns","utsns","fresh-root","proc-hidepid","tmpfs","cgroup-v2:memory","cgroup-v2:pids","cgroup-v2:cpu","rlimits","no-new-privs","seccomp","uid"]' \
    "the isolation is complete and names cgroup v2"
for v in ok:ok io:ok hog:memory_limit big:ok small:ok fork:ok \
    spin:time_limit idle:ok daemon:ok last:ok; do
	expect_verdict batch.out "${v%%:*}" "${v#*:}"
done
expect_tests batch.out ok "ok ok"
expect_jq batch.out '.[] | select(.task.id == "hog") | .exec.tests[0].error == "memory limit (64 MB) exceeded"' \
    "the memory limit is named"
expect_jq batch.out '.[] | select(.task.id == "big") | .exec.peak_kb >= 96 * 1024 and .exec.peak_kb < 256 * 1024' \
    "peak_kb of a 96 MB program is between 96 MB and its limit"
expect_jq batch.out '.[] | select(.task.id == "small") | .exec.peak_kb > 0 and .exec.peak_kb < 32 * 1024' \
    "the slot's next run starts its peak afresh"
expect_jq batch.out '.[] | select(.task.id == "spin") | .exec.tests[0].error == "cpu time limit (1500 ms) exceeded"' \
    "the busy loop hits the cpu limit"
expect_jq batch.out '.[] | select(.task.id == "spin") | .exec.cpu_ms >= 1500 and .exec.cpu_ms < 3000' \
    "the cpu limit holds (1500 ms)"
expect_jq batch.out '.[] | select(.task.id == "idle") | .exec.cpu_ms > 0 and .exec.cpu_ms < 1000' \
    "the slot's next run starts its cpu time afresh"
expect_jq batch.out 'all(.[]; .exec.cpu_ms > 0 and .exec.peak_kb > 0 and .exec.wall_ms > 0)' \
    "cpu time, wall time and peak are measured"
diag "$(jq -r '[.task.id, .exec.verdict, .exec.cpu_ms, .exec.wall_ms, .exec.peak_kb] | @tsv' batch.out)"

check "one record per input record (-j 2)" test "$(wc -l <par.out)" -eq 6
expect_jq par.out '[.[].task.id] == ["p1","p2","ok","hog","fork","daemon"]' \
    "-j 2: the records come out in input order"
for v in p1:signaled p2:signaled ok:ok hog:memory_limit fork:ok daemon:ok; do
	expect_verdict par.out "${v%%:*}" "${v#*:}"
done
expect_jq par.out '[.[0, 1] | .exec.tests[0].signal] == ["SIGKILL", "SIGKILL"]' \
    "-j 2: the runs killed from outside are SIGKILL"
diag "$(jq -r '[.task.id, .exec.verdict, .exec.cpu_ms, .exec.wall_ms, .exec.peak_kb] | @tsv' par.out)"

expect_verdict root.out small ok
expect_verdict degraded.out small ok
expect_jq degraded.out '.[0].exec.isolation | map(select(startswith("not enforced: cgroup-v2:"))) | length == 3' \
    "degraded: the record says what was not enforced"

# ---- rootless -------------------------------------------------------------
[ -n "$rl_skipped" ] && { done_testing; exit $?; }
check "rootless: one record per input record (-j 2)" test "$(wc -l <rootless.out)" -eq 8
expect_jq rootless.out '[.[].task.id] == ["probe","right","wrong","call-right","call-wrong","hog","fork","cgfs"]' \
    "rootless: the records come out in input order"
expect_jq rootless.out 'all(.[]; .exec.isolation == ["userns","pidns","mountns","netns","ipcns","utsns","fresh-root","proc-hidepid","tmpfs","cgroup-v2:memory","cgroup-v2:pids","cgroup-v2:cpu","rlimits","no-new-privs","seccomp","uid","rootless","landlock"])' \
    "rootless: every record names cgroup v2, rootless and Landlock, nothing missing"
for v in probe:signaled right:ok wrong:wrong_answer call-right:ok \
    call-wrong:wrong_answer hog:memory_limit fork:ok cgfs:ok; do
	expect_verdict rootless.out "${v%%:*}" "${v#*:}"
done
expect_tests rootless.out call-right "ok ok"
expect_tests rootless.out call-wrong "ok wrong_answer"
expect_jq rootless.out '.[] | select(.task.id == "probe") | .exec.tests[0].signal == "SIGKILL"' \
    "rootless: the run the user killed from outside is SIGKILL"
expect_jq rootless.out '.[] | select(.task.id == "hog") | .exec.tests[0].error == "memory limit (64 MB) exceeded"' \
    "rootless: the memory limit is named"
expect_jq rootless.out '.[] | select(.task.id == "fork") | .exec.tests[0].actual == "x\n"' \
    "rootless: the fork loop met the process limit"
expect_jq rootless.out 'all(.[]; .exec.cpu_ms > 0 and .exec.peak_kb > 0)' \
    "rootless: cpu time and peak are measured"
diag "$(jq -r '[.task.id, .exec.verdict, .exec.cpu_ms, .exec.wall_ms, .exec.peak_kb] | @tsv' rootless.out)"

check "rootless, beside its shell: nothing is written" test ! -s rl-shared.out
check "rootless, beside its shell: ab-exec refuses (exit 2)" \
    test "$(tail -n 1 rl-shared.err)" = "exit 2"
check "rootless, beside its shell: one line" test "$(wc -l <rl-shared.err)" -eq 2
expect_contains rl-shared.err "ab-exec: refusing to run: rootless: cgroup v2: /sys/fs/cgroup/user.slice/user-2345.slice/user@2345.service/app.slice/run-r2.scope holds process " \
    "rootless, beside its shell: it says why"
expect_contains rl-shared.err "systemd-run --user --scope -p Delegate=yes ab-exec" \
    "rootless, beside its shell: and what to run"

check "rootless, not delegated: nothing is written" test ! -s rl-refused.out
check "rootless, not delegated: one line" test "$(wc -l <rl-refused.err)" -eq 1
expect_contains rl-refused.err "ab-exec: refusing to run: rootless: no cgroup delegated to uid 2345 (/sys/fs/cgroup/user.slice/user-2345.slice/session-1.scope: not writable)" \
    "rootless, not delegated: it says why"
expect_contains rl-refused.err "systemd-run --user --scope -p Delegate=yes ab-exec" \
    "rootless, not delegated: and what to run"
diag "$(cat rl-shared.err rl-refused.err)"
done_testing
