# unshare and mount through ctypes, and the unshare(1) tool.  42 if any
# worked.
import ctypes
import subprocess
libc = ctypes.CDLL(None, use_errno=True)
CLONE_NEWNS, CLONE_NEWUSER = 0x00020000, 0x10000000
n = 0
if libc.unshare(CLONE_NEWUSER) == 0:
    n += 1
if libc.unshare(CLONE_NEWNS) == 0:
    n += 1
if libc.mount(b"none", b"/tmp", b"tmpfs", 0, None) == 0:
    n += 1
try:
    if subprocess.run(["unshare", "-r", "true"], capture_output=True,
                      timeout=2).returncode == 0:
        n += 1
except (OSError, subprocess.SubprocessError):
    pass
print(42 if n else "contained: no namespaces")
