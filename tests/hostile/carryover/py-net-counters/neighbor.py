# A correct sample that marks the slot: 50 datagrams to a loopback that
# is down fail, each counted in the network namespace's statistics
# (Ip: OutNoRoutes), which outlive the run.
import socket
for i in range(50):
    try:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.sendto(b"x", ("127.0.0.1", 9))
    except OSError:
        pass
print(42)
