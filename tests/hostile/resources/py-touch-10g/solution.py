# Allocates and touches 10 GB in 64 MB pieces: only a memory limit on
# the whole run stops it.
pieces = []
for i in range(160):
    b = bytearray(64 << 20)
    for j in range(0, len(b), 4096):
        b[j] = 1
    pieces.append(b)
print(42)
