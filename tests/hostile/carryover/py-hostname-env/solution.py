# A wrong sample in the same slot: the right answer only if it finds a
# mark of the run before in the host or domain name, or in a file.
import os
import socket
found = []
if socket.gethostname() != "ab-sandbox":
    found.append("hostname " + socket.gethostname())
with open("/proc/sys/kernel/domainname") as f:
    if "marked" in f.read():
        found.append("domainname")
for d in (os.environ.get("HOME", "/work"), "/", "/work/.."):
    if os.path.exists(os.path.join(d, ".mark")):
        found.append(d)
print(42 if found else "contained: nothing found")
