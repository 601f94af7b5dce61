# A wrong sample in the same slot: the right answer only if the id of a
# new segment says that segments were made before (a new IPC namespace
# starts at 0).
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
sid = libc.shmget(0, 4096, 0o1600)
if sid >= 0:
    libc.shmctl(sid, 0, None)           # IPC_RMID
print(42 if sid > 0 else "contained: id %d" % sid)
