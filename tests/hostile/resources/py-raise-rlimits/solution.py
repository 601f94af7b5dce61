# Tries to lift every rlimit to infinity, then spins: the CPU limit must
# not depend on an rlimit the program can change.
import resource
import sys
for name in dir(resource):
    if name.startswith("RLIMIT_"):
        r = getattr(resource, name)
        try:
            resource.setrlimit(r, (resource.RLIM_INFINITY,
                                   resource.RLIM_INFINITY))
            print("raised", name, file=sys.stderr)
        except (ValueError, OSError):
            try:
                soft, hard = resource.getrlimit(r)
                resource.setrlimit(r, (hard, hard))
            except (ValueError, OSError):
                pass
while True:
    pass
