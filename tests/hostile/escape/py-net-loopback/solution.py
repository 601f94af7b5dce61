# Connects to a service of the host on 127.0.0.1 and on its abstract
# unix socket; prints what the service says only if it got through.
import socket
port = @CANARY_PORT@
got = None
for family, addr in ((socket.AF_INET, ("127.0.0.1", port)),
                     (socket.AF_INET6, ("::1", port)),
                     (socket.AF_UNIX, "\0ab-hostile-canary-%d" % port)):
    try:
        s = socket.socket(family, socket.SOCK_STREAM)
        s.settimeout(1)
        s.connect(addr)
        got = s.recv(100).decode().strip()
        break
    except OSError:
        pass
print(got if got else "contained: no connection")
