# A correct sample that tries to mark the slot where a namespace or a
# shared file might keep it: the host name, the domain name, a file in
# the home directory and in the directories above the work directory.
import ctypes
import os
libc = ctypes.CDLL(None, use_errno=True)
libc.sethostname(b"marked", 6)
libc.setdomainname(b"marked", 6)
for d in (os.environ.get("HOME", "/work"), "/", "/work/..", "/proc/self/cwd/.."):
    try:
        with open(os.path.join(d, ".mark"), "w") as f:
            f.write("marked\n")
    except OSError:
        pass
print(42)
