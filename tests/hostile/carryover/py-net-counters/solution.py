# A wrong sample in the same slot: the right answer only if the network
# statistics (/proc/net/snmp) say that packets were sent or dropped
# before it.
seen = 0
try:
    with open("/proc/net/snmp") as f:
        lines = f.read().splitlines()
    for head, vals in zip(lines[::2], lines[1::2]):
        for k, v in zip(head.split()[1:], vals.split()[1:]):
            if k in ("OutRequests", "OutNoRoutes", "OutDatagrams",
                     "NoPorts", "SndbufErrors", "OutMsgs"):
                seen += int(v)
except OSError:
    pass
print(42 if seen >= 50 else "contained: counters %d" % seen)
