#!/bin/sh
# ab-exec: nothing passes from one run to the next in a slot (files, IPC,
# processes, the zygotes), on the warm and the cold path.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-exec.sh"
need_sandbox
cd "$T" || exit 1

t='[{"style":"assert","code":"assert f() == 1"}]'
e='{"entry_point":"f"}'
{
	rec plant python 'import os, sys, ctypes, signal
for d in ("/work", "/tmp", "/dev/shm"):
    try: open(d + "/planted", "w").write("x")
    except OSError: pass
try: os.symlink("/etc/passwd", "/work/solution.py.new")
except OSError: pass
try: os.chmod("/work", 0o777)
except OSError: pass
libc = ctypes.CDLL(None)
libc.shmget(0x1234, 4096, 0o1666)
libc.msgget(0x1235, 0o1666)
for p in os.listdir("/proc"):
    if p.isdigit() and int(p) != os.getpid():
        try: os.kill(int(p), signal.SIGSTOP)
        except OSError: pass
if os.fork() == 0:
    os.setsid()
    import time; time.sleep(100)
def f(): return 1' "$t" "$e"
	rec look python 'import os, ctypes
seen = [d for d in ("/work/planted", "/tmp/planted", "/dev/shm/planted", "/work/solution.py.new") if os.path.lexists(d)]
libc = ctypes.CDLL(None)
if libc.shmget(0x1234, 0, 0) >= 0 or libc.msgget(0x1235, 0) >= 0: seen.append("ipc")
if oct(os.stat("/work").st_mode & 0o777) != "0o755": seen.append("mode")
if len([p for p in os.listdir("/proc") if p.isdigit()]) > 2: seen.append("procs")
def f(): return 1 if not seen else seen' "$t" "$e"
	rec look-io python 'import os
seen = [d for d in ("/work/planted", "/tmp/planted", "/dev/shm/planted") if os.path.lexists(d)]
print("x" if not seen else seen)' '[{"style":"io","stdout":"x\n"}]'
} >in.ndjson
for mode in "" --cold; do
	run ab-exec $mode in.ndjson
	expect_rc 0 "ab-exec $mode ran"
	expect_verdict out plant ok
	expect_verdict out look ok
	expect_verdict out look-io ok
done
# Twice through the same slot, with a cold run between warm ones.
cat in.ndjson in.ndjson >in2.ndjson
run ab-exec in2.ndjson
expect_jq out 'length == 6 and all(.[]; .exec.verdict == "ok")' \
    "a second round through the same slot is as clean as the first"

# A test that never ends holds the (persistent) checker: the run ends at
# the wall limit, the checker is replaced, the next record runs normally.
{
	rec hang python 'def f(): return 1' '[{"style":"assert","code":"while True: pass"}]' \
	    '{"entry_point":"f","time_limit_ms":200}'
	rec after python 'def f(): return 1' "$t" "$e"
} >hang.ndjson
run ab-exec hang.ndjson
expect_verdict out hang time_limit
expect_verdict out after ok

# The accounting is the run's own whatever ran before it in the slot (on
# cgroup v1 the run's cgroups serve the next run): after a run of 150 MB
# and one killed at its memory limit, the next run's peak and verdict.
{
	rec big python 'big = bytearray(150 << 20)
def f(): return 1' "$t" "$e"
	rec oom python 'big = [bytearray(1 << 20) for _ in range(400)]
def f(): return 1' "$t" '{"entry_point":"f","memory_limit_mb":64}'
	rec small python 'def f(): return 1' "$t" "$e"
	# The limits follow each record: raised again after the 64 MB one,
	# kept for two records in a row (a kept cgroup is not rewritten).
	rec big2 python 'big = bytearray(150 << 20)
def f(): return 1' "$t" "$e"
	rec oom2 python 'big = [bytearray(1 << 20) for _ in range(400)]
def f(): return 1' "$t" '{"entry_point":"f","memory_limit_mb":64}'
	rec oom3 python 'big = [bytearray(1 << 20) for _ in range(400)]
def f(): return 1' "$t" '{"entry_point":"f","memory_limit_mb":64}'
	rec big3 python 'big = bytearray(150 << 20)
def f(): return 1' "$t" "$e"
} >acct.ndjson
for mode in "" --cold; do
	run ab-exec $mode acct.ndjson
	expect_verdict out big ok
	expect_verdict out oom memory_limit
	expect_verdict out small ok
	expect_verdict out big2 ok
	expect_verdict out oom2 memory_limit
	expect_verdict out oom3 memory_limit
	expect_verdict out big3 ok
	expect_jq out 'map(select(.task.id == "big"))[0].exec.peak_kb > 150000' \
	    "ab-exec ${mode:-(warm)}: the big run's peak is its own"
	expect_jq out 'map(select(.task.id == "small"))[0].exec.peak_kb < 65536' \
	    "ab-exec ${mode:-(warm)}: the next run's peak is its own, not the big one's"
done
expect_clean "between runs"
done_testing
