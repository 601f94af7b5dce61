#!/bin/sh
# ab-exec: limits and verdicts, and nothing left behind.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-exec.sh"
need_sandbox
cd "$T" || exit 1

one='[{"style":"io","stdout":"x\n"}]'
lim='{"time_limit_ms":300,"memory_limit_mb":64}'
# The memory hog and the fork loop get CPU to spare: on some VMs the
# kernel's reclaim before the OOM kill, and 64 forks of python, cost
# about 300 ms of CPU charged to the run, and the point of these two is
# the memory verdict and the pids cap, not the CPU limit.
roomy='{"time_limit_ms":3000,"memory_limit_mb":64}'
{
	rec spin python 'while True: pass' "$one" "$lim"
	rec sleep python 'import time; time.sleep(60)' "$one" "$lim"
	rec threads python 'import threading
def spin():
    while True: pass
for _ in range(4): threading.Thread(target=spin).start()' "$one" "$lim"
	rec mem python 'x = bytearray(512 << 20); print("x")' "$one" "$roomy"
	rec reserve c '#include <stdio.h>
#include <sys/mman.h>
int main(void) { void *p = mmap(0, (size_t)8 << 30, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0); puts(p == MAP_FAILED ? "no" : "x"); return 0; }' "$one" "$lim"
	rec flood python 'import sys
while True: sys.stdout.write("y" * 65536)' "$one" "$lim"
	rec segv c 'int main(void) { volatile int *p = 0; return *p; }' "$one" "$lim"
	rec abort c '#include <stdlib.h>
int main(void) { abort(); }' "$one" "$lim"
	rec exit3 bash 'echo x; exit 3' "$one" "$lim"
	rec raise python 'raise ValueError("boom")' "$one" "$lim"
	rec term bash 'trap "" TERM XCPU; while :; do :; done' "$one" "$lim"
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
	rec daemon python 'import os, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        time.sleep(100)
    os._exit(0)
print("x")' "$one" "$lim"
	rec bigfile c '#include <stdio.h>
int main(void) { static char b[1 << 20]; FILE *f = fopen("f", "wb"); for (int i = 0; i < 100; i++) fwrite(b, 1, sizeof b, f); fclose(f); puts("x"); return 0; }' "$one" "$lim"
	rec nul python 'import sys; sys.stdout.buffer.write(b"a\x00b\xff\xfe\n")' "$one" "$lim"
	rec ok python 'print("x")' "$one" "$lim"
	rec errflood python 'import sys
while True: sys.stderr.write("e" * 65536)' "$one" "$lim"
	rec shadow c '#include "/etc/shadow"' "$one" "$lim"
} >in.ndjson
t0=$(date +%s)
run ab-exec in.ndjson
t1=$(date +%s)
expect_rc 0 "ab-exec survives the misbehaving programs"
check "one record per input record" test "$(wc -l <out)" -eq 18
expect_verdict out spin time_limit
expect_verdict out sleep time_limit
expect_verdict out threads time_limit
expect_verdict out mem memory_limit
expect_verdict out reserve ok
expect_verdict out flood output_limit
expect_verdict out segv signaled
expect_verdict out abort signaled
expect_verdict out exit3 runtime_error
expect_verdict out raise runtime_error
expect_verdict out term time_limit
expect_verdict out fork ok
expect_verdict out daemon ok
expect_verdict out bigfile signaled
expect_verdict out nul wrong_answer
expect_verdict out ok ok
expect_verdict out errflood output_limit
expect_verdict out shadow compile_error
expect_jq out '.[] | select(.task.id == "segv") | .exec.tests[0].signal == "SIGSEGV"' \
    "a signal is named"
expect_jq out '.[] | select(.task.id == "bigfile") | .exec.tests[0].signal == "SIGXFSZ"' \
    "the file size limit is SIGXFSZ"
expect_jq out '.[] | select(.task.id == "spin") | .exec.tests[0].error | test("cpu time limit")' \
    "a cpu limit is named"
expect_jq out '.[] | select(.task.id == "sleep") | .exec.tests[0].error | test("wall time limit")' \
    "a wall limit is named"
expect_jq out '.[] | select(.task.id == "spin") | .exec.cpu_ms >= 300 and .exec.cpu_ms < 800' \
    "the cpu limit holds (300 ms)"
expect_jq out '.[] | select(.task.id == "sleep") | .exec.wall_ms >= 1600 and .exec.wall_ms < 2600' \
    "the wall limit holds (2 x 300 + 1000 ms)"
expect_jq out '.[] | select(.task.id == "nul") | .exec.tests[0].actual == "a\\x00b\\xff\\xfe\n"' \
    "NUL and invalid UTF-8 are escaped"
expect_jq out '.[] | select(.task.id == "mem") | .exec.limits.memory_mb == 64' \
    "the task's memory limit is applied"
check "the whole file ran in bounded time" test $((t1 - t0)) -lt 30
expect_clean "limits"

# Command-line overrides.
rec spin2 python 'while True: pass' "$one" '{"time_limit_ms":5000}' >in2.ndjson
run ab-exec --cpu-ms 200 --wall-ms 3000 --memory-mb 32 in2.ndjson
expect_rc 0 "overrides"
expect_verdict out spin2 time_limit
expect_jq out '.[0].exec.limits | .cpu_ms == 200 and .wall_ms == 3000 and .memory_mb == 32' \
    "--cpu-ms, --wall-ms and --memory-mb override the task"
run ab-exec --cpu-ms 0 in2.ndjson
expect_rc 2 "--cpu-ms 0 is a usage error"
run ab-exec --memory-mb x in2.ndjson
expect_rc 2 "--memory-mb x is a usage error"
done_testing
