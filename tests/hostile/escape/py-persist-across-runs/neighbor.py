# The run before (same slot, -j 1): stashes a secret from its stdin
# everywhere a later run of the same slot might look: files in every
# writable directory, System V shared memory and message queues, POSIX
# shared memory.
import ctypes
import os
import sys
secret = sys.stdin.readline().strip()
for d in (".", "/work", "/tmp", "/dev/shm", "/var/tmp", os.path.expanduser("~"),
          "/run", "/dev/mqueue", ".."):
    try:
        with open(os.path.join(d, ".stash"), "w") as f:
            f.write(secret + "\n")
    except OSError:
        pass
libc = ctypes.CDLL(None, use_errno=True)
libc.shmat.restype = ctypes.c_void_p
shmid = libc.shmget(0x4242, 4096, 0o1666)          # IPC_CREAT | 0666
if shmid >= 0:
    p = libc.shmat(shmid, None, 0)
    if p not in (None, ctypes.c_void_p(-1).value):
        ctypes.memmove(p, secret.encode() + b"\0", len(secret) + 1)


class Msg(ctypes.Structure):
    _fields_ = [("mtype", ctypes.c_long), ("mtext", ctypes.c_char * 128)]


q = libc.msgget(0x4243, 0o1666)
if q >= 0:
    m = Msg(1, secret.encode())
    libc.msgsnd(q, ctypes.byref(m), 128, 0o4000)   # IPC_NOWAIT
print("done")
