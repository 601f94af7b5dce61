# Fills /tmp, then /dev/shm, in 1 MB writes until refused (at most 2 GB
# each); 42 only if both took 2 GB.
import os
took = {}
for d in ("/tmp", "/dev/shm"):
    n = 0
    try:
        with open(os.path.join(d, "fill"), "wb") as f:
            chunk = b"x" * (1 << 20)
            while n < 2048:
                f.write(chunk)
                f.flush()
                n += 1
    except OSError as e:
        pass
    took[d] = n
if all(n >= 2048 for n in took.values()):
    print(42)
else:
    print("contained: MB written", took)
