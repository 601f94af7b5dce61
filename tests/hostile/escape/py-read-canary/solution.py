# Reads a file of the host by its path, by climbing out of its root and
# through other processes' roots.  Prints its content only if it got it.
import glob
import os
target = "@CANARY_FILE@"
tries = [target, "../" * 20 + target.lstrip("/")]
tries += [p + target for p in glob.glob("/proc/*/root")]
tries += [p + target for p in glob.glob("/proc/*/cwd")]
got = None
for t in tries:
    try:
        with open(t) as f:
            got = f.read().strip()
            break
    except OSError:
        pass
print(got if got else "contained: not found")
