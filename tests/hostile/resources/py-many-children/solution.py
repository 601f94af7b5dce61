# Twelve forked children of 40 MB each, over the run's 256 MB together.
import os
import time
kids = []
for i in range(12):
    pid = os.fork()
    if pid == 0:
        b = bytearray(40 << 20)
        for j in range(0, len(b), 4096):
            b[j] = 1
        time.sleep(2)
        os._exit(0)
    kids.append(pid)
alive = sum(1 for p in kids if os.waitpid(p, 0)[1] == 0)
print(42 if alive == 12 else "contained: %d of 12 lived" % alive)
