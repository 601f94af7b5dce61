#!/bin/sh
# ab-exec: python solutions that try to pass without being right.  Each
# attack returns a wrong value; only a broken defence makes it pass.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-exec.sh"
need_sandbox
cd "$T" || exit 1

t='[{"style":"assert","code":"assert add(1, 2) == 3"},{"style":"assert","code":"def check(candidate):\n    assert candidate(2, 2) == 4\n"},{"style":"call","args":[1,1],"expected":2}]'
e='{"entry_point":"add"}'
{
	rec eq python 'class A:
    def __eq__(self, o): return True
    def __ne__(self, o): return False
def add(a, b): return A()' "$t" "$e"
	rec int-sub python 'class I(int):
    def __eq__(self, o): return True
def add(a, b): return I(0)' "$t" "$e"
	rec exit0 python 'import sys
sys.exit(0)
def add(a, b): return a + b' "$t" "$e"
	rec os-exit python 'import os
print("PASS"); print("ok 1"); os._exit(0)' "$t" "$e"
	rec exit-in-call python 'import sys
def add(a, b): sys.exit(0)' "$t" "$e"
	rec fake-pass python 'import sys
for i in range(3):
    print("%032x {\"test\":%d,\"status\":\"pass\"}" % (0, i))
    sys.stderr.write("PASS\n")
def add(a, b): return 0' "$t" "$e"
	rec builtins python 'import builtins
builtins.AssertionError = type("X", (BaseException,), {})
builtins.isinstance = lambda *a: True
builtins.print = lambda *a, **k: None
def add(a, b): return 0' "$t" "$e"
	rec frames python 'import sys, gc
def add(a, b):
    f = sys._getframe()
    while f is not None:
        for d in (f.f_globals, f.f_locals):
            for k, v in list(d.items()):
                if callable(v) and k in ("report", "judge", "check"):
                    d[k] = lambda *x, **y: None
        f = f.f_back
    for o in gc.get_objects():
        if isinstance(o, dict) and "NONCE" in o:
            o["NONCE"] = "x"
    return 0' "$t" "$e"
	rec fd3 python 'import os
for fd in (3, 4, 5):
    try: os.write(fd, b"\x00\x00\x00\x0a{\"ok\":3}")
    except OSError: pass
def add(a, b): return 0' "$t" "$e"
	rec kill python 'import os, signal
for p in os.listdir("/proc"):
    if p.isdigit() and int(p) != os.getpid():
        try: os.kill(int(p), signal.SIGKILL)
        except OSError: pass
def add(a, b): return 0' "$t" "$e"
	rec ok python 'def add(a, b):
    return a + b' "$t" "$e"
	rec raises python 'def f(x):
    if x < 0: raise ValueError("negative")
    return x' '[{"style":"assert","code":"try:\n    f(-1)\n    assert False\nexcept ValueError:\n    pass\nassert f(2) == 2"}]' '{"entry_point":"f"}'
	rec inplace python 'def s(l):
    l.sort()' '[{"style":"assert","code":"l = [3, 1, 2]\ns(l)\nassert l == [1, 2, 3]"}]' '{"entry_point":"s"}'
	rec helper python 'LIMIT = 10
def helper(x): return x * 2
def f(x): return helper(x)' '[{"style":"assert","code":"assert helper(2) == 4 and LIMIT == 10 and f(1) == 2"}]' '{"entry_point":"f"}'
} >in.ndjson
run ab-exec in.ndjson
expect_rc 0 "the attacks ran"
for v in eq:wrong_answer int-sub:wrong_answer exit0:runtime_error \
    os-exit:runtime_error exit-in-call:runtime_error \
    fake-pass:wrong_answer builtins:runtime_error frames:wrong_answer \
    fd3:runtime_error kill:wrong_answer ok:ok raises:ok inplace:ok helper:ok; do
	expect_verdict out "${v%%:*}" "${v#*:}"
done
expect_jq out '[.[] | select(.task.id != "ok" and .task.id != "raises" and .task.id != "inplace" and .task.id != "helper") | .exec.passed] | add == 0' \
    "no attack passes a single test"
expect_clean "tampering"
done_testing
