# Talks to the checker out of turn: on every descriptor it has (one is the
# socket to the checker) it writes half a frame (a length of 1000, then 10
# bytes) and, on the next call, frames that look like answers; then it
# stalls.  The checker must neither hang past the run nor carry a broken
# stream into the next run.
import os
import time

for fd in range(3, 64):
    try:
        os.write(fd, (1000).to_bytes(4, "big") + b'{"value":5')
    except OSError:
        pass
calls = 0


def add(a, b):
    global calls
    calls += 1
    frame = b'{"value":5,"ok":true,"status":"pass"}'
    for fd in range(3, 64):
        try:
            os.write(fd, len(frame).to_bytes(4, "big") + frame)
        except OSError:
            pass
    time.sleep(0.2)
    return a - b
