# A wrong sample in the same slot: the right answer only if its pid (or
# the namespace's last pid) says that many processes ran before it.
import os
with open("/proc/sys/kernel/ns_last_pid") as f:
    last = int(f.read())
pid = os.getpid()
print(42 if pid > 350 or last > 350 else "contained: pid %d" % pid)
