# A classic daemon: double fork, new session, a new name, and then it
# waits to touch the canary long after its run.  The run itself passes.
import ctypes
import os
import time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        libc = ctypes.CDLL(None)
        libc.prctl(15, b"hostile-linger", 0, 0, 0)    # PR_SET_NAME
        libc.prctl(1, 0, 0, 0, 0)                     # PR_SET_PDEATHSIG: none
        for fd in range(3):
            os.close(fd)
        time.sleep(5)
        with open("@CANARY_FILE@", "a") as f:
            f.write("the daemon survived\n")
        os._exit(0)
    os._exit(0)
os.wait()
print(42)
