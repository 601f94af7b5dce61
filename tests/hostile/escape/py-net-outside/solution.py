# Tries the outside world: TCP to 192.0.2.1 (TEST-NET-1, reserved, never
# routed), a UDP datagram to it, and a raw socket.  Inside the run's own
# network namespace all of these must fail at once.  42 if any worked.
import socket
worked = []
try:
    s = socket.create_connection(("192.0.2.1", 80), timeout=1)
    worked.append("tcp")
except OSError:
    pass
try:
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.sendto(b"x", ("192.0.2.1", 53))
    worked.append("udp")
except OSError:
    pass
try:
    socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    worked.append("raw")
except OSError:
    pass
print(42 if worked else "contained: no network")
