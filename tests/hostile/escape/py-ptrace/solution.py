# ptrace through ctypes: attach to the parent and to pid 1, and have a
# child trace itself.  42 if anything was allowed.
import ctypes
import os
libc = ctypes.CDLL(None, use_errno=True)
PTRACE_TRACEME, PTRACE_ATTACH = 0, 16
n = 0
for pid in (os.getppid(), 1, 2, 3):
    if pid and pid != os.getpid() and libc.ptrace(PTRACE_ATTACH, pid, 0, 0) == 0:
        n += 1
pid = os.fork()
if pid == 0:
    os._exit(0 if libc.ptrace(PTRACE_TRACEME, 0, 0, 0) == 0 else 1)
if os.waitpid(pid, 0)[1] == 0:
    n += 1
print(42 if n else "contained: no tracing")
