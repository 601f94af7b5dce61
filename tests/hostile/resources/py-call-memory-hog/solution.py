# The function under test (a call test: it runs in the solution's own
# process beside the checker) touches 1 GB: a memory limit, whatever
# process of the run it happens in.
def add(a, b):
    keep = []
    for _ in range(16):
        keep.append(bytearray(b"\1") * (64 << 20))
    return a + b
