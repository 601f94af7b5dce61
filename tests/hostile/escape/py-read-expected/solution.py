# Looks for the expected output anywhere it can reach: files around it,
# /tmp, the root, other processes' command lines, environments, open
# files and memory maps.  Prints it only if found.
import glob
import os
import re
import time
pat = re.compile(rb"HOSTILE-EXPECTED-[0-9a-f]+")
end = time.monotonic() + 1.0
found = None


def scan(path, limit=1 << 20):
    global found
    try:
        # Non-blocking: a pipe or socket behind /proc/*/fd must not hang us.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        try:
            m = pat.search(os.read(fd, limit))
        finally:
            os.close(fd)
        if m:
            found = m.group().decode()
    except OSError:
        pass


for p in glob.glob("/proc/*/cmdline") + glob.glob("/proc/*/environ") + \
        glob.glob("/proc/*/fd/*"):
    scan(p)
for top in (".", "..", "/tmp", "/dev/shm", "/var/tmp", "/run", "/", "/work",
            "/home"):
    for dirpath, dirs, files in os.walk(top):
        if os.path.abspath(dirpath).startswith(("/proc", "/sys", "/usr", "/lib")) or \
                time.monotonic() > end:
            dirs[:] = []
            continue
        for n in files:
            scan(os.path.join(dirpath, n))
print(found if found else "contained: not found")
