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
        # Non-blocking: a pipe or socket behind /proc/*/fd must not hang us.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        try:
            m = pat.search(os.read(fd, 1 << 20))
        finally:
            os.close(fd)
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
            if os.path.abspath(dirpath).startswith(("/proc", "/sys", "/usr", "/lib")) or \
                    time.monotonic() > end:
                dirs[:] = []
                continue
            for n in files:
                scan(os.path.join(dirpath, n))
    time.sleep(0.05)
print(found if found else "contained: not found")
