# Runs beside another run (-j 2) and hunts for its secret for a second:
# its files, /proc of every process, every directory it can reach.
import glob
import os
import re
import time
pat = re.compile(rb"HOSTILE-NEIGHBOR-[0-9a-f]+")
end = time.monotonic() + 1.0
found = None


def scan(path):
    global found
    try:
        with open(path, "rb") as f:
            m = pat.search(f.read(1 << 20))
        if m:
            found = m.group().decode()
    except OSError:
        pass


while found is None and time.monotonic() < end:
    for p in glob.glob("/proc/*/cmdline") + glob.glob("/proc/*/environ") + \
            glob.glob("/proc/*/fd/0") + glob.glob("/proc/*/cwd/secret.txt") + \
            glob.glob("/proc/*/root/tmp/secret.txt"):
        scan(p)
    for top in ("/tmp", "/dev/shm", "..", "../..", "/work", "/run", "/var/tmp"):
        for dirpath, dirs, files in os.walk(top):
            for n in files:
                scan(os.path.join(dirpath, n))
    time.sleep(0.05)
print(found if found else "contained: not found")
