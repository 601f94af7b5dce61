# One gigabyte to stdout, in lines.
import sys
line = b"y" * 1023 + b"\n"
block = line * 1024
for i in range(1024):
    sys.stdout.buffer.write(block)
