# canary-listener.py PORTFILE LOGFILE TOKEN LIFETIME_S
# A canary service for the hostile corpus (tests/t31xx): listens on
# 127.0.0.1 (TCP, a free port written to PORTFILE) and on the abstract
# unix socket "@ab-hostile-canary-PORT"; every connection is logged to
# LOGFILE and answered with TOKEN.  No sandboxed program may ever reach
# it.  Exits after LIFETIME_S seconds or when its parent goes away.
import os
import select
import socket
import sys
import time

portfile, logfile, token, lifetime = sys.argv[1:5]
deadline = time.monotonic() + float(lifetime)
parent = os.getppid()
tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
tcp.bind(("127.0.0.1", 0))
tcp.listen(16)
port = tcp.getsockname()[1]
unx = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
unx.bind("\0ab-hostile-canary-%d" % port)
unx.listen(16)
with open(portfile + ".new", "w") as f:
    f.write("%d\n" % port)
os.rename(portfile + ".new", portfile)
while time.monotonic() < deadline and os.getppid() == parent:
    ready, _, _ = select.select([tcp, unx], [], [], 0.5)
    for s in ready:
        conn, peer = s.accept()
        with open(logfile, "a") as f:
            f.write("connection from %r on %s\n" % (peer, s.getsockname()))
        try:
            conn.sendall(token.encode() + b"\n")
        except OSError:
            pass
        conn.close()
