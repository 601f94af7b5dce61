# A correct sample that marks the slot: five System V shared memory
# segments (removed after the run) move the namespace's id counter on.
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
for i in range(5):
    libc.shmget(0, 4096, 0o1600)        # IPC_PRIVATE, IPC_CREAT | 0600
print(42)
