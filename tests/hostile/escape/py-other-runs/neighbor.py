# The neighbour: holds a secret (from its stdin) in files of its own
# work dir and /tmp, in its memory and its argv, for 1.5 s.
import sys
import time
secret = sys.stdin.readline().strip()
for path in ("secret.txt", "/tmp/secret.txt", "/dev/shm/secret.txt"):
    try:
        with open(path, "w") as f:
            f.write(secret + "\n")
    except OSError:
        pass
sys.argv.append(secret)
time.sleep(1.5)
print("done")
