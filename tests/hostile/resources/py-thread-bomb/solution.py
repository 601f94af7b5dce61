# Starts threads until it cannot; prints 42 only if nothing stopped it
# before 20000 threads.
import sys
import threading
ev = threading.Event()
n = 0
try:
    while n < 20000:
        t = threading.Thread(target=ev.wait, daemon=True)
        t.start()
        n += 1
except (RuntimeError, MemoryError) as e:
    print("contained after %d threads: %s" % (n, e))
    sys.stdout.flush()
    ev.set()
    sys.exit(0)
print(42)
