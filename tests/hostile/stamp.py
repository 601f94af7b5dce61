# stamp.py T0_NS OUT TIMES LINGER: copy records from stdin to OUT and,
# for each, the milliseconds since T0_NS (a CLOCK_REALTIME stamp in ns)
# to TIMES.  After each record, processes named "hostile-linger" (which
# hostile cases give to what they try to leave behind) must be gone
# within 300 ms: any still there are written to LINGER.
import os
import sys
import time

t0, out, times, linger = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]


def lingerers():
    found = []
    for p in os.listdir("/proc"):
        if not p.isdigit() or int(p) == os.getpid():
            continue
        try:
            with open("/proc/%s/cmdline" % p, "rb") as f:
                cmd = f.read()
            with open("/proc/%s/comm" % p, "rb") as f:
                comm = f.read()
        except OSError:
            continue
        if b"hostile-linger" in cmd + comm:
            found.append("%s %r %r" % (p, comm.strip(), cmd[:200]))
    return found


with open(out, "wb") as fo, open(times, "w") as ft, open(linger, "w") as fl:
    for line in sys.stdin.buffer:
        ms = (time.time_ns() - t0) / 1e6
        fo.write(line)
        fo.flush()
        ft.write("%.0f\n" % ms)
        ft.flush()
        end = time.monotonic() + 0.3
        while True:
            left = lingerers()
            if not left or time.monotonic() > end:
                break
            time.sleep(0.02)
        for l in left:
            fl.write("after record %d: %s\n" % (sum(1 for _ in open(times)), l))
