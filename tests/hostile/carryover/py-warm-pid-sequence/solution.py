# A wrong sample in the same slot, on the warm path: the right answer
# only if its pid says that many processes ran before it.
import os


def answer():
    with open("/proc/sys/kernel/ns_last_pid") as f:
        last = int(f.read())
    return 42 if os.getpid() > 350 or last > 350 else -1
