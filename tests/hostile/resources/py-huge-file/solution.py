# Writes a 4 GB file in the work directory (Python ignores SIGXFSZ, so
# the limit shows as an error); 42 only if all of it was written.
n = 0
try:
    with open("big.bin", "wb") as f:
        chunk = b"\0" * (1 << 20)
        while n < 4096:
            f.write(chunk)
            f.flush()
            n += 1
except OSError as e:
    print("contained after %d MB: %s" % (n, e.strerror))
else:
    print(42)
