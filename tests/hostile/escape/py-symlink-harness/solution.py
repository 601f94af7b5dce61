# Answers right, and at each run replaces every file it can see in its
# work dir and /tmp, and names a harness might use, by symlinks to a host
# file and directory: a harness that later writes, reads or removes
# through them would touch the host.  The canary must stay as it was.
import os
print(2 * int(input()))
targets = ["@CANARY_FILE@", "@CANARY_DIR@", "/etc/passwd", "/"]
names = set()
for d in (".", "/tmp", "/work", "/dev/shm"):
    try:
        for n in os.listdir(d):
            names.add(os.path.join(d, n))
    except OSError:
        pass
for n in ("out", "stdout", "stderr", "result", "result.json", "expected",
          "expected.txt", "input", "stdin", "harness.py", "test.py",
          "check.py", "status", "chan", "done", "solution", "a.out", "main"):
    names.add(os.path.join(".", n))
    names.add(os.path.join("/tmp", n))
for i, p in enumerate(sorted(names)):
    try:
        if os.path.isdir(p) and not os.path.islink(p):
            continue
        tmp = p + ".lnk"
        os.symlink(targets[i % len(targets)], tmp)
        os.replace(tmp, p)
    except OSError:
        pass
try:
    os.symlink("@CANARY_DIR@", "canary-dir")
    os.symlink("/", "root-link")
except OSError:
    pass
