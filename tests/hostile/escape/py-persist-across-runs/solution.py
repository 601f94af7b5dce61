# The run after: looks for what the run before it in the same slot may
# have left (files, System V shared memory and message queues) and prints
# it only if it found it.
import ctypes
import glob
import os
import re
pat = re.compile(rb"HOSTILE-NEIGHBOR-[0-9a-f]+")
found = None
for p in glob.glob("/*/.stash") + glob.glob("/*/*/.stash") + \
        glob.glob("./.stash") + glob.glob("../.stash") + \
        glob.glob(os.path.expanduser("~/.stash")):
    try:
        with open(p, "rb") as f:
            m = pat.search(f.read())
        if m:
            found = m.group().decode()
    except OSError:
        pass
libc = ctypes.CDLL(None, use_errno=True)
libc.shmat.restype = ctypes.c_void_p
shmid = libc.shmget(0x4242, 0, 0)
if found is None and shmid >= 0:
    p = libc.shmat(shmid, None, 0o10000)              # SHM_RDONLY
    if p not in (None, ctypes.c_void_p(-1).value):
        m = pat.search(ctypes.string_at(p, 128))
        if m:
            found = m.group().decode()


class Msg(ctypes.Structure):
    _fields_ = [("mtype", ctypes.c_long), ("mtext", ctypes.c_char * 128)]


q = libc.msgget(0x4243, 0)
if found is None and q >= 0:
    msg = Msg()
    if libc.msgrcv(q, ctypes.byref(msg), 128, 0, 0o4000) >= 0:
        m = pat.search(msg.mtext)
        if m:
            found = m.group().decode()
print(found if found else "contained: nothing left by the run before")
